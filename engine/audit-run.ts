/**
 * One workspace audit, shared by Linter.audit (blocking, CLI) and Linter.auditAsync (language
 * server): file selection and sharding, result-cache lookups, hand-off to the worker pool, progress,
 * cancellation, cache updates, and the summary.
 */
import { createHash } from 'node:crypto';
import type { AuditOptions, Linter, RunnablePool } from './linter';
import { summarize } from './linter';
import { AuditPool, defaultThreads, type PoolOutcome, type TaskFeed } from './parallel/pool';
import type { AnalyzedFile } from './parallel/protocol';
import { sizeOf, Triage } from './parallel/triage';
import type { AuditResult, FileNote, FileResult } from './types';

/** How long one `prepareFinish` slice runs before the pool looks at its workers again (ms). */
const IDLE_SLICE_MS = 5;

/** Default amount of pending source below which the audit stays in this thread. */
export const DEFAULT_PARALLEL_MIN_BYTES = 1024 * 1024;

/** The files of shard `index` (1-based) of `count`: a stable split by a hash of each path relative to the root. */
export function shardFiles(files: readonly string[], relative: (file: string) => string, index: number, count: number): string[] {
  if (count <= 1) return [...files];
  return files.filter((file) => createHash('sha1').update(relative(file)).digest().readUInt32BE(0) % count === index - 1);
}

export class AuditRun {
  private readonly started = performance.now();
  private readonly files: string[];
  private readonly notes: FileNote[];
  private readonly results = new Map<string, FileResult>();
  private readonly fresh: AnalyzedFile[] = [];
  private pending: string[] = [];
  private workerInputs: string[] = [];
  /** `prepareFinish`: fresh files seeded so far, and digest inputs still to compute. */
  private seeded = 0;
  private digestKeysAhead: string[] | undefined;
  private inputsComplete = true;
  private cancelled = false;
  private done = 0;
  /** This thread's triage of the pending files for its workers (`feed`), and the pool it feeds. */
  private triage: Triage | undefined;
  private fedPool: AuditPool | undefined;

  constructor(
    private readonly linter: Linter,
    private readonly options: AuditOptions,
  ) {
    const selected = linter.filesFor(options.paths);
    this.notes = selected.notes;
    this.files = options.shard ? shardFiles(selected.files, (f) => linter.project.relative(f), options.shard.index, options.shard.count) : selected.files;
    const { cache } = options;
    cache?.beginAudit(linter.project);
    for (const file of this.files) {
      const hit = cache?.lookup(file, linter.project.inputValues);
      if (hit) this.record(file, hit);
      else this.pending.push(file);
    }
  }

  /**
   * A worker pool for the pending files, when parallel analysis is asked for and worth it; for an
   * async audit, `parallel.runner` may run it elsewhere (the language server: a child process).
   */
  pool(mode: 'sync'): AuditPool | undefined;
  pool(mode: 'async'): RunnablePool | undefined;
  pool(mode: 'sync' | 'async'): AuditPool | RunnablePool | undefined {
    const parallel = this.options.parallel;
    if (!parallel || this.pending.length < 2 || this.checkCancelled()) return undefined;
    const init = this.linter.workerInit(this.options.analyze);
    if (!init || !AuditPool.available(parallel.workerScript)) return undefined;
    const tasks = this.pending.map((file) => ({ path: file, size: sizeOf(file) }));
    const bytes = tasks.reduce((sum, task) => sum + task.size, 0);
    if (bytes < (parallel.minBytes ?? DEFAULT_PARALLEL_MIN_BYTES)) return undefined;
    const callbacks = { onFile: (file: AnalyzedFile) => this.add(this.triage ? this.triage.withGateInputs(file) : file), isCancelled: this.options.isCancelled };
    let pool: AuditPool | RunnablePool;
    if (mode === 'sync' && parallel.triageInThisThread !== false) {
      // This thread asks every file's text gates while one core fewer of workers parse and run the
      // rules on the files some rule needs (parallel/triage.ts).
      this.triage = new Triage(this.linter, this.pending, this.options.analyze, (file) => this.add(file), () => this.checkCancelled());
      const threads = Math.max(1, (parallel.threads ?? defaultThreads()) - 1);
      pool = this.fedPool = new AuditPool(init, [], callbacks, { ...parallel, threads, expectedTasks: this.pending.length });
      this.pending = [];
    } else {
      pool = mode === 'async' && parallel.runner ? parallel.runner(init, tasks, callbacks, parallel) : new AuditPool(init, tasks, callbacks, parallel);
    }
    this.options.onWorkers?.(pool.threads);
    return pool;
  }

  /** For `AuditPool.runSync`: this thread's triage, when the pool was made for it. */
  feed(): TaskFeed | undefined {
    return this.triage && this.fedPool ? { ...this.triage.feed(this.fedPool), idle: () => this.prepareFinish() } : undefined;
  }

  /**
   * Part of `finish`'s work done ahead, while this thread waits for the workers' last files (on the
   * bench corpus it finishes its triage ~0.5-1 s before them, and `finish` took ~0.2 s after them):
   * the stamps of the files analysed so far and the values of the workspace digest's inputs known
   * now, IDLE_SLICE_MS at a time. False once there is nothing left to do ahead.
   */
  private prepareFinish(): boolean {
    if (!this.options.cache || this.cancelled) return false;
    const started = performance.now();
    const values = this.linter.project.inputValues;
    while (this.seeded < this.fresh.length) {
      this.seed(this.fresh[this.seeded++]);
      if (performance.now() - started > IDLE_SLICE_MS) return true;
    }
    this.digestKeysAhead ??= ['files', ...this.digestInputs()];
    while (this.digestKeysAhead.length > 0) {
      values.get(this.digestKeysAhead.pop()!);
      if (performance.now() - started > IDLE_SLICE_MS) return true;
    }
    return false;
  }

  /** Takes the pool's outcome: what it could not analyse is left for this thread (unless cancelled). */
  absorb(outcome: PoolOutcome): void {
    this.workerInputs = outcome.inputKeys;
    if (!outcome.inputsComplete) this.inputsComplete = false;
    if (outcome.cancelled) this.cancelled = true;
    // (files not triaged yet when the workers gave up are left for this thread too)
    this.pending = outcome.cancelled ? [] : [...outcome.unfinished, ...(this.triage?.untriaged() ?? [])];
  }

  /** Files still to analyse in this thread. */
  remaining(): string[] {
    return this.pending.filter((file) => !this.results.has(file));
  }

  checkCancelled(): boolean {
    if (!this.cancelled && this.options.isCancelled?.()) this.cancelled = true;
    return this.cancelled;
  }

  /** A freshly analysed file. */
  add(file: AnalyzedFile): void {
    this.fresh.push(file);
    this.record(file.path, file.result);
  }

  private record(filePath: string, result: FileResult): void {
    this.results.set(filePath, result);
    this.done++;
    this.options.onProgress?.(this.done, this.files.length, filePath);
  }

  /**
   * `finish` without blocking the event loop for long (the language server): the file stats and
   * input values it needs are computed first, a slice at a time. In one block they took ~200 ms on
   * the bench corpus (a stat per analysed file for its stamp, then every input of the workspace
   * digest). An edit in between may clear them; `finish` then computes what is missing itself.
   */
  async finishAsync(sliceMs = 10): Promise<AuditResult> {
    const { cache } = this.options;
    if (cache && this.fresh.length > 0) {
      const values = this.linter.project.inputValues;
      let slice = performance.now();
      const pause = async () => {
        if (performance.now() - slice < sliceMs) return;
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      };
      for (const file of this.fresh) {
        this.seed(file);
        await pause();
      }
      if (this.needsDigest()) {
        for (const key of ['files', ...this.digestInputs()]) {
          values.get(key);
          await pause();
        }
      }
    }
    return this.finish();
  }

  /** The text hash a worker computed for a fresh file becomes the project's value (and its stamp). */
  private seed(file: AnalyzedFile): void {
    if (file.hash) this.linter.project.inputValues.seed(`text:${file.path}`, file.hash);
  }

  private needsDigest(): boolean {
    return this.inputsComplete && this.fresh.some((file) => file.usesWorkspace && file.hash);
  }

  /** Input keys of the workspace digest besides the file list (source texts first). */
  private digestInputs(): string[] {
    const project = this.linter.project;
    return [...project.sourceFiles().map((file) => `text:${file}`), ...project.recordedInputs(), ...this.workerInputs];
  }

  /** Updates the cache and builds the result. */
  finish(): AuditResult {
    const { cache } = this.options;
    const project = this.linter.project;
    if (cache && this.fresh.length > 0) {
      for (const file of this.fresh) this.seed(file);
      const needsDigest = this.needsDigest();
      const digest = needsDigest ? cache.digestFor([...project.recordedInputs(), ...this.workerInputs], project.inputValues, project.sourceFiles()) : undefined;
      for (const file of this.fresh) {
        if (!file.hash || (file.usesWorkspace && digest === undefined)) continue;
        cache.store(file.path, file.hash, file.result, file.usesWorkspace ? digest : undefined);
      }
    }
    // Also after an audit served from the cache alone: it may have stamped files (cache.ts).
    cache?.save([...project.sourceFiles(), ...this.files]);
    const ordered: FileResult[] = [];
    for (const file of this.files) {
      const result = this.results.get(file);
      if (result) ordered.push(result);
    }
    return summarize(project.root, ordered, this.notes, performance.now() - this.started, this.cancelled);
  }
}
