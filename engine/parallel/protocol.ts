/** Messages between the audit pool (engine/parallel/pool.ts) and its workers (worker.ts). */
import type { MessagePort } from 'node:worker_threads';
import type { ConfigOverlay } from '../config';
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
  | { type: 'finish' };

export type FromWorker =
  | { type: 'file'; file: AnalyzedFile }
  | { type: 'batch-done' }
  /** Reply to `finish`: every input key the worker's project recorded (for the workspace digest). */
  | { type: 'inputs'; keys: string[]; timings?: Array<[string, number]> }
  | { type: 'fatal'; message: string };
