/** Messages between the audit pool (engine/parallel/pool.ts) and its workers (worker.ts). */
import type { MessagePort } from 'node:worker_threads';
import type { ConfigOverlay } from '../config';
import type { FileImports } from '../ts/modules';
import type { FileResult } from '../types';

/** Everything a worker needs to build the same Linter as the main thread (sent as workerData). */
export interface WorkerInit {
  root: string;
  configFile?: string;
  overlay?: ConfigOverlay;
  /** Rule ids in registry order; the worker resolves them from the rule registry. */
  ruleIds: string[];
  timeBudgetMs?: number;
  onlyRules?: string[];
  /** Heap (MB) past which a worker drops its facts' caches between files (0: never). */
  heapLimitMb?: number;
  /** Linter.syntaxBudget of the worker (UTF-16 units of parsed source kept between files). */
  syntaxBudget?: number;
  /** Unsaved editor texts: [absolute path, text]. */
  textOverlays: Array<[string, string]>;
  /** Nice value of the worker thread (Linux only, set by the pool's bootstrap; 0 or undefined: normal priority). */
  nice?: number;
}

/** `workerData` of a pool worker; `perflintWorker` tells a bundle's entry to run the worker loop. */
export interface WorkerData {
  perflintWorker: true;
  port: MessagePort;
  signal: SharedArrayBuffer;
  activity: SharedArrayBuffer;
  init: WorkerInit;
}

/** One analysed file, as the main thread needs it for the result and the cache. */
export interface AnalyzedFile {
  path: string;
  result: FileResult;
  /** Hash of the text analysed. */
  hash: string;
  /** True when the analysis used cross-file facts or read other files. */
  usesWorkspace: boolean;
}

/**
 * `ruleIds[i]`, when given, are the rules the main thread's gates chose for `files[i]` (analysed
 * with them as `enabledRules`); otherwise the worker asks the gates itself.
 */
export type ToWorker =
  | { type: 'files'; files: string[]; ruleIds?: Array<string[] | undefined> }
  /** Workspace facts the main thread computed (`seedImportIndex`), sent before the files that may need them. */
  | { type: 'facts'; importIndex: Array<[string, string[]]>; sourceFiles?: string[] }
  /**
   * The import index's per-file steps, shared while the worker waits for its first files: it claims
   * files of `importIndexFiles` (over `sourceFiles`) from the back (`claimFile` on `claims`) while
   * the main thread claims from the front, and answers with `imports` messages.
   */
  | { type: 'scan-imports'; sourceFiles: string[]; claims: SharedArrayBuffer }
  | { type: 'finish' };

export type FromWorker =
  | { type: 'file'; file: AnalyzedFile }
  | { type: 'batch-done' }
  /** Import index steps of files the worker claimed (`scan-imports`): [file number, step or null when unreadable]. */
  | { type: 'imports'; entries: Array<[number, FileImports | null]> }
  /** Reply to `finish`: every input key the worker's project recorded (for the workspace digest). */
  | { type: 'inputs'; keys: string[]; timings?: Array<[string, number]> }
  | { type: 'fatal'; message: string };

/**
 * Claims for work shared between threads over a list of `count` items: one 64-bit word holding the
 * next item from the front (low half) and the end of what is left (high half), changed by
 * compare-and-swap, so every item is claimed exactly once, from either end.
 */
export function newClaims(count: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(8);
  Atomics.store(new BigInt64Array(buffer), 0, BigInt(count) << 32n);
  return buffer;
}

/** Claims the next item from the front or the back; -1 once every item is claimed. */
export function claimFile(claims: BigInt64Array, fromBack: boolean): number {
  for (;;) {
    const word = Atomics.load(claims, 0);
    const front = Number(word & 0xffffffffn);
    const back = Number(word >> 32n);
    if (front >= back) return -1;
    const next = fromBack ? (BigInt(back - 1) << 32n) | BigInt(front) : (BigInt(back) << 32n) | BigInt(front + 1);
    if (Atomics.compareExchange(claims, 0, word, next) === word) return fromBack ? back - 1 : front;
  }
}

/** Where the back's claims start: items from here on were claimed from the back. */
export function claimedFromBack(claims: BigInt64Array): number {
  return Number(Atomics.load(claims, 0) >> 32n);
}
