/**
 * Parallel audits on worker threads. Files are handed out in path order, in small batches that each
 * worker pulls as it finishes (one worker from the front, the other from the back, so each walks a
 * contiguous half and parses shared modules once); results stream back one message per file.
 *
 * Two ways to wait, same scheduling:
 *   - `runSync` (the CLI): the main thread blocks in Atomics.wait on a counter the workers bump,
 *     and drains their ports with receiveMessageOnPort; no event loop needed.
 *   - `runAsync` (the language server): message events, so the main thread keeps serving requests.
 *
 * A worker that stops answering on one file for `hardLimitMs` (a rule in an endless loop) is
 * terminated and replaced; that file gets a `time-budget` note naming the file and the rule that was
 * running (read from memory shared with the worker). A worker that crashes has its file reported
 * with a `rule-crash` note and is replaced; after repeated failures the remaining files are
 * returned as `unfinished` for the caller to analyse in-process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { receiveMessageOnPort, MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { ruleTimings } from '../runner';
import { givenOnCommandLine, setBaseInterruptBudget } from '../v8-budget';
import type { FileNote, FileResult } from '../types';
import type { FileImports } from '../ts/modules';
import { claimedFromBack, claimFile, newClaims, type AnalyzedFile, type FromWorker, type ToWorker, type WorkerData, type WorkerInit } from './protocol';

export interface PoolOptions {
  /** Worker count (default: os.availableParallelism()). */
  threads?: number;
  /** The worker script (default: the bundle that registered itself, or worker-entry.js next to this module). */
  workerScript?: string;
  /** Nice value of the worker threads on Linux (default 0); the language server lowers their priority. */
  workerNice?: number;
  /** Heap per worker (MB) past which it drops cached facts between files (default 0: never). */
  workerHeapMb?: number;
  /** A worker silent this long on one file is stopped (default: max(120 s, 20 × time budget)). */
  hardLimitMs?: number;
  /** Tasks a feed will add (`runSync(feed)`): workers are sized for them too. */
  expectedTasks?: number;
}

export interface PoolTask {
  path: string;
  size: number;
  /** The rules to run (chosen by the triage's gates); the worker's own gates when absent. */
  ruleIds?: string[];
}

/** Work the main thread does between two looks at the workers (`runSync`). */
export interface TaskFeed {
  /** A few more tasks: an empty list when it had none this time, undefined when it has no more. */
  more(): PoolTask[] | undefined;
  /**
   * Work for a worker that would otherwise wait on the feed, about `bytes` of it: tasks the feed
   * has not reached, which the worker takes on whole (no `ruleIds`: its own gates choose); an empty
   * list when none is left. The feed's thread and the workers then meet wherever the work balances.
   */
  spare(bytes: number): PoolTask[];
  /**
   * Work for the feed's thread once its triage is over and it waits for the workers, a slice at a
   * time (the audit's end: preparing the result cache); false when there is none left.
   */
  idle?(): boolean;
}

export interface PoolCallbacks {
  onFile: (file: AnalyzedFile) => void;
  isCancelled?: () => boolean;
}

export interface PoolOutcome {
  /** Input keys recorded by the workers' projects (for the workspace digest). */
  inputKeys: string[];
  /** Files not analysed (cancelled, or the workers failed: analyse them in-process). */
  unfinished: string[];
  cancelled: boolean;
  /** False when a worker stopped before reporting its inputs (do not cache workspace-dependent results). */
  inputsComplete: boolean;
  /** Why the pool gave up, when it did. */
  failure?: string;
}

let registeredWorkerScript: string | undefined;

/**
 * A bundle that runs the worker loop itself when started as a pool worker (dist/cli.js,
 * dist/server.js: see worker.ts) registers its own file here at startup.
 */
export function setDefaultWorkerScript(script: string): void {
  registeredWorkerScript = script;
}

/** The registered bundle, or the standalone entry next to this module (dist-test/engine/parallel). */
export function defaultWorkerScript(): string {
  return registeredWorkerScript ?? path.join(__dirname, 'worker-entry.js');
}

/** Worker count for this machine. */
export function defaultThreads(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * Default heap per worker past which cached facts are dropped: off. Measured on the bench corpus,
 * dropping makes the rules re-parse their cross-file imports again and again (an audit several
 * times slower); set `workerHeapMb` (or PERFLINT_WORKER_HEAP_MB) to trade time for memory.
 */
export const DEFAULT_WORKER_HEAP_MB = Number(process.env.PERFLINT_WORKER_HEAP_MB ?? 0) || 0;

/**
 * Memory policy of audit workers. V8 sizes a heap for throughput: between two full collections the
 * old space may grow to several times the live set, and each isolate's young generation to 48 MB.
 * An audit worker's live set is small (a bounded set of syntax trees plus plain facts) but it
 * allocates fast, so with the defaults each worker's heap settles at 2-4x what it holds. Measured
 * on the bench corpus (then 3,624 files; 2 workers): see ARCHITECTURE.md, "Memory".
 *   - WORKER_SYNTAX_BUDGET: parsed source a worker keeps between files (Linter.syntaxBudget);
 *   - WORKER_YOUNG_GENERATION_MB: the worker's young generation (resourceLimits);
 *   - HEAP_GROWING_PERCENT: how far a heap may grow past its live set before a full collection
 *     (a process-wide V8 flag, set once when the first pool starts; PERFLINT_HEAP_GROWING_PERCENT=0
 *     keeps V8's default).
 */
const envNumber = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && process.env[name] !== '' && Number.isFinite(value) ? value : fallback;
};
export const WORKER_SYNTAX_BUDGET = envNumber('PERFLINT_WORKER_SYNTAX_BUDGET_KB', 1024) * 1024;
const WORKER_YOUNG_GENERATION_MB = envNumber('PERFLINT_WORKER_YOUNG_MB', 12);
const HEAP_GROWING_PERCENT = envNumber('PERFLINT_HEAP_GROWING_PERCENT', 30);
/**
 * V8's interrupt budget (how much a function runs before the profiler considers optimising it;
 * V8 11's default is 66 KB of bytecode executed). A cold audit's CPU is largely TurboFan compiling
 * on background threads, which on 2 cores competes with the audit's own threads: twice the budget
 * leaves lukewarm functions unoptimised while hot ones (the parser, the rules' visitors) still are.
 * Interleaved cold CLI audits of the bench corpus (6 per setting): default 5.02 s wall / 9.39 s
 * CPU, 1.5x 4.98 / 9.20, 2x 4.67 / 8.57, 3x 4.74 / 8.60. PERFLINT_V8_INTERRUPT_BUDGET=0 keeps V8's.
 */
const INTERRUPT_BUDGET = envNumber('PERFLINT_V8_INTERRUPT_BUDGET', 132 * 1024);
/**
 * V8's bytecode flushing, off in audits (PERFLINT_V8_FLUSH_BYTECODE=1 keeps it). V8 drops the
 * bytecode of functions that have not run for a few collections, first of all the top-level
 * functions of TypeScript's 10 MB chunk, which run once: the code cache a worker writes after its
 * audit (cli/compile-cache.ts) then lacked them, and every later worker re-parsed the whole chunk to
 * load it (~760 ms on the bench corpus's worker; ~280 ms with the cache written under this flag,
 * whose file grows from 1.5 to 3 MB). Interleaved cold CLI audits, 6 pairs: 8.26 -> 7.81 s wall,
 * 15.0 -> 14.0 s CPU, peak RSS 327 -> 335 MB.
 */
const FLUSH_BYTECODE = envNumber('PERFLINT_V8_FLUSH_BYTECODE', 0) === 1;
/**
 * How much bytecode TurboFan inlines into one optimised function (V8 11: 920 bytes in all, 460 per
 * callee). A cold audit compiles hundreds of TypeScript's and the rules' functions on background
 * threads that share the 2 cores with the audit; smaller inlining budgets make each compile
 * cheaper, and the code that matters (the scanner's and the parser's small hot functions) is still
 * inlined. Interleaved cold CLI audits of the bench corpus (quiet machine, 4-5 per setting): default
 * 2.31 s wall / 4.29 s CPU; 200 in all 2.25 / 4.03; 200 in all and per callee 2.14 / 3.96; 120 and
 * 120 2.19 / 3.91. Steady-state single-thread audits (5th pass) unchanged: 1.80-1.99 s for all.
 * PERFLINT_V8_INLINE_CUMULATIVE=0 / PERFLINT_V8_INLINE_SIZE=0 keep V8's.
 *
 * Set only when an audit process starts (`setAuditProcessV8Flags`), never once code runs: TurboFan
 * reads these sizes twice per inlining decision, and a background compile that straddled the change
 * failed V8's check `inlineability == kHasOptimizationDisabled` and aborted the process (SIGTRAP;
 * 1 of 120 cold CLI audits when pools set them as they started).
 */
const INLINE_CUMULATIVE = envNumber('PERFLINT_V8_INLINE_CUMULATIVE', 200);
const INLINE_SIZE = envNumber('PERFLINT_V8_INLINE_SIZE', 200);
let v8FlagsSet = false;
let processFlagsSet = false;

/**
 * For the entry point of a process that exists to audit (the CLI, the language server's audit
 * process), as its first statement: the audit flags, TurboFan's inlining budgets included, while
 * nothing is being compiled yet. Pools started later only add the flags that are safe to change
 * while code runs.
 */
export function setAuditProcessV8Flags(): void {
  if (processFlagsSet) return;
  processFlagsSet = true;
  const flags: string[] = [];
  for (const [name, value] of [['max-inlined-bytecode-size-cumulative', INLINE_CUMULATIVE], ['max-inlined-bytecode-size', INLINE_SIZE]] as const) {
    // An explicit node flag wins.
    if (!(value > 0) || givenOnCommandLine(name)) continue;
    const flag = `--${name}=${Math.trunc(value)}`;
    flags.push(flag);
    v8.setFlagsFromString(flag);
  }
  noteV8Flags(flags);
  setAuditV8Flags();
}

/**
 * The process-wide V8 flags of audits that may change while code runs (HEAP_GROWING_PERCENT,
 * FLUSH_BYTECODE, INTERRUPT_BUDGET: read by the collector and when budgets are reset), set once
 * when the first pool starts.
 */
function setAuditV8Flags(): void {
  if (v8FlagsSet) return;
  v8FlagsSet = true;
  const flags: string[] = [];
  // An explicit node flag wins.
  if (HEAP_GROWING_PERCENT > 0 && !givenOnCommandLine('heap-growing-percent')) {
    flags.push(`--heap-growing-percent=${Math.trunc(HEAP_GROWING_PERCENT)}`);
    v8.setFlagsFromString(flags[0]);
  }
  if (!FLUSH_BYTECODE && !givenOnCommandLine('flush-bytecode') && !givenOnCommandLine('no-flush-bytecode')) {
    flags.push('--no-flush-bytecode');
    v8.setFlagsFromString('--no-flush-bytecode');
  }
  // Through engine/v8-budget.ts: the language server's warm-up may be lowering it right now.
  const budgetFlag = INTERRUPT_BUDGET > 0 ? setBaseInterruptBudget(INTERRUPT_BUDGET) : undefined;
  if (budgetFlag) flags.push(budgetFlag);
  noteV8Flags(flags);
}

/**
 * Noted for the workers (they inherit the environment): V8 rejects a code cache made under other
 * flags, so cli/compile-cache.ts keys its caches by them.
 */
function noteV8Flags(flags: string[]): void {
  if (flags.length > 0) process.env.PERFLINT_V8_FLAGS = [process.env.PERFLINT_V8_FLAGS, ...flags].filter(Boolean).join(' ');
}
/**
 * How long `shareImportScan` waits without news from the workers before it runs their remaining
 * steps itself (a worker steps through a file in well under a millisecond; a stuck or starved one).
 */
const SCAN_PATIENCE_MS = 1000;
const BATCH_BYTES = 128 * 1024;
const BATCH_FILES = 16;
const BATCHES_IN_FLIGHT = 2;
const MAX_REPLACEMENTS = 4;
/** How often runAsync checks for cancellation and stalled workers (ms). */
const CANCEL_POLL_MS = 100;

interface Slot {
  worker: Worker;
  port: MessagePort;
  /** Active-rule slot shared with the worker: index into init.ruleIds, -1 when none. */
  activity: Int32Array;
  batches: string[][];
  lastMessage: number;
  finishing: boolean;
  /** Takes batches from the back of the path-ordered queue (every other worker). */
  fromEnd: boolean;
  inputs?: string[];
}

export class AuditPool {
  private readonly signal = new SharedArrayBuffer(4);
  private readonly counter = new Int32Array(this.signal);
  private readonly slots: Slot[] = [];
  private readonly init: WorkerInit;
  private readonly queue: string[];
  private readonly sizes = new Map<string, number>();
  private readonly ruleIds = new Map<string, string[]>();
  /** A feed still produces tasks: workers are not told to finish when the queue runs dry. */
  private feeding = false;
  private feed: TaskFeed | undefined;
  /** Facts every worker gets before its files (`shareFacts`), replacements included. */
  private facts: ToWorker | undefined;
  /** Set when a worker was stopped before reporting its inputs: the digest would be incomplete. */
  private lostInputs = false;
  readonly threads: number;
  private readonly script: string;
  private readonly hardLimitMs: number;
  private replacements = 0;
  private spawned = 0;
  private failure: string | undefined;
  private cancelled = false;
  private readonly collectedInputs: string[][] = [];
  /** Workers being stopped: runAsync answers once they are gone (their memory with them). */
  private readonly exits: Array<Promise<unknown>> = [];

  constructor(
    init: WorkerInit,
    tasks: readonly PoolTask[],
    private readonly callbacks: PoolCallbacks,
    options: PoolOptions = {},
  ) {
    this.init = {
      ...init,
      heapLimitMb: options.workerHeapMb ?? init.heapLimitMb ?? DEFAULT_WORKER_HEAP_MB,
      nice: options.workerNice ?? init.nice,
      syntaxBudget: init.syntaxBudget ?? WORKER_SYNTAX_BUDGET,
    };
    // In path order: neighbouring files import each other, and a worker that analyses a folder's
    // files one after another parses each shared module once (its syntax-tree cache, the import
    // index). Workers take batches alternately from the front and the back, so with two workers each
    // walks one contiguous half and they meet wherever the work balances.
    this.queue = [...tasks].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((t) => t.path);
    for (const task of tasks) this.note(task);
    this.threads = Math.max(1, Math.min(options.threads ?? defaultThreads(), Math.max(tasks.length, options.expectedTasks ?? 0)));
    this.script = options.workerScript ?? defaultWorkerScript();
    // Generous: this is for code that never returns; slow files are cut by the cooperative budget,
    // and on a machine that is heavily shared, a busy worker can go a long time between results.
    this.hardLimitMs = options.hardLimitMs ?? Math.max(120_000, 20 * (init.timeBudgetMs ?? 5000));
  }

  /** True when the worker script exists (bundled next to the CLI/server, or in dist-test). */
  static available(script = defaultWorkerScript()): boolean {
    return fs.existsSync(script);
  }

  /** Sends workspace facts to every worker, and to any started later, ahead of further files. */
  shareFacts(importIndex: Array<[string, string[]]>, sourceFiles?: string[]): void {
    this.facts = { type: 'facts', importIndex, sourceFiles };
    for (const slot of this.slots) this.send(slot, this.facts);
  }

  /** How many messages the workers have posted so far (the counter a blocked main thread waits on). */
  workerMessages(): number {
    return Atomics.load(this.counter, 0);
  }

  /** The import index steps being shared (`shareImportScan`), filled by the workers' `imports` messages. */
  private importScan: { steps: Array<FileImports | undefined>; received: Uint8Array; count: number } | undefined;

  /**
   * The import index's per-file steps (`fileImports`) of `files` (= `importIndexFiles` over
   * `sourceFiles`), shared with the workers, which would otherwise wait for the index: this thread
   * claims files from the front and runs `scanHere`, they claim from the back. Call it from a feed
   * (`runSync`), before any file is dispatched. Steps of a worker that failed or went silent are
   * run here too, so the answer never depends on the workers.
   */
  shareImportScan(sourceFiles: string[], files: readonly string[], scanHere: (i: number) => FileImports | undefined): Array<FileImports | undefined> {
    const claimsBuffer = newClaims(files.length);
    const claims = new BigInt64Array(claimsBuffer);
    const scan = (this.importScan = { steps: new Array<FileImports | undefined>(files.length), received: new Uint8Array(files.length), count: 0 });
    for (const slot of this.slots) this.send(slot, { type: 'scan-imports', sourceFiles, claims: claimsBuffer });
    for (let i = claimFile(claims, false); i >= 0; i = claimFile(claims, false)) scan.steps[i] = scanHere(i);
    const fromBack = claimedFromBack(claims);
    let lastProgress = Date.now();
    let count = scan.count;
    const scanning = [...this.slots];
    // A worker that stops (crash, replaced) takes its claimed steps with it: they are run here.
    const allScanning = () => scanning.every((slot) => this.slots.includes(slot));
    while (scan.count < files.length - fromBack && allScanning() && !this.failure && Date.now() - lastProgress < SCAN_PATIENCE_MS) {
      const seen = Atomics.load(this.counter, 0);
      for (const slot of [...this.slots]) {
        let entry;
        while ((entry = receiveMessageOnPort(slot.port)) !== undefined) this.handle(slot, entry.message as FromWorker);
      }
      if (scan.count > count) (count = scan.count), (lastProgress = Date.now());
      else Atomics.wait(this.counter, 0, seen, 50);
    }
    this.importScan = undefined;
    for (let i = fromBack; i < files.length; i++) if (!scan.received[i]) scan.steps[i] = scanHere(i);
    return scan.steps;
  }

  private note(task: PoolTask): void {
    this.sizes.set(task.path, task.size);
    if (task.ruleIds) this.ruleIds.set(task.path, task.ruleIds);
  }

  /**
   * Runs the pool, blocking the calling thread (the CLI, the server's audit process). With `feed`,
   * this thread works too: between two looks at the workers it produces more tasks (the triage's
   * text gates, parallel/triage.ts), queued as they come.
   */
  runSync(feed?: TaskFeed): PoolOutcome {
    this.feeding = feed !== undefined;
    this.feed = feed;
    this.start();
    while (!this.done()) {
      const seen = Atomics.load(this.counter, 0);
      let received = false;
      for (const slot of [...this.slots]) {
        let entry;
        while ((entry = receiveMessageOnPort(slot.port)) !== undefined) {
          received = true;
          this.handle(slot, entry.message as FromWorker);
          if (this.done()) break;
        }
      }
      if (this.feeding) {
        const more = this.failure || this.cancelled ? undefined : feed!.more();
        if (more === undefined) {
          this.feeding = false;
          for (const slot of [...this.slots]) this.dispatch(slot);
        } else {
          for (const task of more) {
            this.note(task);
            this.queue.push(task.path);
          }
          for (const slot of [...this.slots]) this.dispatch(slot);
        }
        this.checkStalls();
        continue;
      }
      if (!received && !this.done()) {
        if (feed?.idle?.()) {
          this.checkStalls();
          continue;
        }
        Atomics.wait(this.counter, 0, seen, 250);
        this.checkStalls();
      }
    }
    return this.outcome();
  }

  /** Runs the pool on message events (language server: the main thread stays responsive). */
  runAsync(): Promise<PoolOutcome> {
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        // Also polled here: no file may finish for a while (workers starting, a large file).
        if (!this.cancelled && this.callbacks.isCancelled?.()) this.cancel();
        this.checkStalls();
        settle();
      }, CANCEL_POLL_MS);
      const settle = () => {
        if (!this.done()) return;
        clearInterval(timer);
        // A stopped worker's heap (its syntax trees and facts) is freed when its thread exits.
        void Promise.allSettled(this.exits).then(() => resolve(this.outcome()));
      };
      this.onSlotCreated = (slot) => {
        slot.port.on('message', (message: FromWorker) => {
          if (!this.slots.includes(slot)) return;
          this.handle(slot, message);
          settle();
        });
        slot.worker.on('error', () => undefined);
        slot.worker.on('exit', (code) => {
          if (this.slots.includes(slot) && !slot.inputs && !this.done()) {
            this.replace(slot, 'rule-crash', `the analysis worker exited (code ${code}) while analysing this file`);
            settle();
          }
        });
      };
      this.start();
      settle();
    });
  }

  private onSlotCreated: ((slot: Slot) => void) | undefined;

  private start(): void {
    setAuditV8Flags();
    for (let i = 0; i < this.threads; i++) this.spawn();
    for (const slot of this.slots) this.dispatch(slot);
  }

  private spawn(): Slot {
    const { port1, port2 } = new MessageChannel();
    const activityBuffer = new SharedArrayBuffer(4);
    const activity = new Int32Array(activityBuffer);
    activity[0] = -1;
    // Linux keeps a nice value per thread: lowered before the worker loads its script (a large
    // bundle), so the main thread (the language server answering keystrokes) gets the CPU first.
    const nice = this.init.nice && process.platform === 'linux' ? Math.trunc(this.init.nice) : 0;
    const bootstrap = nice ? `try { require('node:os').setPriority(${nice}); } catch {}\nrequire(${JSON.stringify(this.script)});\n` : undefined;
    const worker = new Worker(bootstrap ?? this.script, {
      eval: bootstrap !== undefined,
      workerData: { perflintWorker: true, port: port2, signal: this.signal, activity: activityBuffer, init: this.init } satisfies WorkerData,
      transferList: [port2],
      resourceLimits: WORKER_YOUNG_GENERATION_MB > 0 ? { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } : undefined,
      stdout: false,
      stderr: false,
    });
    worker.unref();
    const slot: Slot = { worker, port: port1, activity, batches: [], lastMessage: Date.now(), finishing: false, fromEnd: this.spawned++ % 2 === 1 };
    if (this.facts) port1.postMessage(this.facts);
    this.slots.push(slot);
    this.onSlotCreated?.(slot);
    return slot;
  }

  private dispatch(slot: Slot): void {
    if (this.failure || this.cancelled) return;
    while (slot.batches.length < BATCHES_IN_FLIGHT) {
      if (this.queue.length === 0 && this.feeding) {
        // Nothing triaged is waiting: rather than idle, the worker takes untriaged files whole.
        for (const task of this.feed!.spare(BATCH_BYTES)) {
          this.note(task);
          this.queue.push(task.path);
        }
      }
      if (this.queue.length === 0) break;
      const batch: string[] = [];
      let bytes = 0;
      while (this.queue.length > 0 && batch.length < BATCH_FILES && bytes < BATCH_BYTES) {
        const next = slot.fromEnd ? this.queue.pop()! : this.queue.shift()!;
        batch.push(next);
        bytes += this.sizes.get(next) ?? 0;
      }
      slot.batches.push(batch);
      const ruleIds = this.ruleIds.size > 0 ? batch.map((file) => this.ruleIds.get(file)) : undefined;
      this.send(slot, ruleIds ? { type: 'files', files: batch, ruleIds } : { type: 'files', files: batch });
    }
    if (slot.batches.length === 0 && this.queue.length === 0 && !slot.finishing && !this.feeding) {
      slot.finishing = true;
      this.send(slot, { type: 'finish' });
    }
  }

  private send(slot: Slot, message: ToWorker): void {
    slot.lastMessage = Date.now();
    slot.port.postMessage(message);
  }

  private handle(slot: Slot, message: FromWorker): void {
    slot.lastMessage = Date.now();
    switch (message.type) {
      case 'file': {
        const batch = slot.batches[0];
        if (batch && batch[0] === message.file.path) batch.shift();
        this.callbacks.onFile(message.file);
        if (this.callbacks.isCancelled?.()) this.cancel();
        break;
      }
      case 'imports': {
        const scan = this.importScan;
        if (!scan) break;
        for (const [i, step] of message.entries) {
          if (scan.received[i]) continue;
          scan.received[i] = 1;
          scan.count++;
          scan.steps[i] = step ?? undefined;
        }
        break;
      }
      case 'batch-done':
        slot.batches.shift();
        this.dispatch(slot);
        break;
      case 'inputs':
        slot.inputs = message.keys;
        if (ruleTimings) for (const [id, ms] of message.timings ?? []) ruleTimings.set(id, (ruleTimings.get(id) ?? 0) + ms);
        this.collectedInputs.push(message.keys);
        this.retire(slot);
        break;
      case 'fatal':
        this.fail(slot, message.message);
        break;
    }
  }

  /** A worker reported a fatal error: replace it, or give up after repeated failures. */
  private fail(slot: Slot, message: string): void {
    if (slot.batches.flat().length === 0 && this.replacements >= MAX_REPLACEMENTS) {
      this.failure = message;
      this.stopAll();
      return;
    }
    this.replace(slot, 'rule-crash', `the analysis worker failed on this file: ${message}`);
  }

  private checkStalls(): void {
    const now = Date.now();
    for (const slot of [...this.slots]) {
      if (slot.batches.flat().length > 0 && now - slot.lastMessage > this.hardLimitMs) {
        const index = Atomics.load(slot.activity, 0);
        const ruleId = index >= 0 ? this.init.ruleIds[index] : undefined;
        this.replace(slot, 'time-budget', `analysis stopped: no result after ${this.hardLimitMs} ms${ruleId ? ` (rule running: ${ruleId})` : ''}; file not analysed`, ruleId);
      }
    }
  }

  /**
   * Stops a worker that is stuck or dead: its current file gets a note, its other files go back to
   * the queue, and a new worker takes its place (a bounded number of times).
   */
  private replace(slot: Slot, kind: FileNote['kind'], message: string, ruleId?: string): void {
    const pending = slot.batches.flat();
    this.retire(slot);
    const [current, ...rest] = pending;
    if (current !== undefined) {
      const result: FileResult = { path: current, language: 'typescript', lines: 0, findings: [], suppressedCount: 0, notes: [{ path: current, kind, message, ...(ruleId ? { ruleId } : {}) }] };
      this.callbacks.onFile({ path: current, result, hash: '', usesWorkspace: true });
    }
    this.queue.unshift(...rest);
    if (this.replacements >= MAX_REPLACEMENTS) {
      this.failure = `analysis workers failed ${this.replacements + 1} times (${message})`;
      this.stopAll();
      return;
    }
    this.replacements++;
    if (this.queue.length > 0 || this.slots.length === 0) this.dispatch(this.spawn());
  }

  private retire(slot: Slot): void {
    if (!slot.inputs) this.lostInputs = true;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    slot.port.close();
    this.exits.push(slot.worker.terminate());
  }

  private cancel(): void {
    this.cancelled = true;
    this.stopAll();
  }

  private stopAll(): void {
    for (const slot of this.slots) {
      this.queue.unshift(...slot.batches.flat());
      slot.batches = [];
    }
    for (const slot of [...this.slots]) this.retire(slot);
  }

  private done(): boolean {
    return this.slots.length === 0;
  }

  private outcome(): PoolOutcome {
    return {
      inputKeys: this.collectedInputs.flat(),
      unfinished: [...this.queue],
      cancelled: this.cancelled,
      inputsComplete: !this.lostInputs,
      ...(this.failure ? { failure: this.failure } : {}),
    };
  }
}
