/**
 * Gives memory back after the workspace audit. V8 keeps garbage in old space until its next major
 * collection, which an idle language server may not reach for a long time: after a cold audit of the
 * bench corpus the heap held ~150 MB of which 52 MB were live (the audit's result handling on top of
 * the trees and facts replaced by earlier edits), and one full collection (80-90 ms) took RSS from
 * 274 to 213 MB. The collection blocks this thread, so it waits until no document has changed for
 * `quietMs` and no audit runs; typing in between postpones it. It is logged with its duration.
 *
 * `gc` comes from V8's own extension, enabled at run time (no launch flag): a context created
 * after `--expose-gc` is set has it.
 */
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { Logger } from './logger';

let collector: (() => void) | null | undefined;

/** V8's full garbage collection, or undefined when it cannot be had. */
function fullGc(): (() => void) | undefined {
  if (collector === undefined) {
    try {
      const existing = (globalThis as { gc?: () => void }).gc;
      if (typeof existing === 'function') collector = existing;
      else {
        v8.setFlagsFromString('--expose-gc');
        const exposed = vm.runInNewContext('gc') as unknown;
        collector = typeof exposed === 'function' ? (exposed as () => void) : null;
      }
    } catch {
      collector = null;
    }
  }
  return collector ?? undefined;
}

const megabytes = (bytes: number) => Math.round(bytes / (1024 * 1024));

export class QuietCollector {
  private lastActivity = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private busy = 0;

  constructor(
    private readonly logger: Logger,
    private readonly quietMs = 1000,
  ) {}

  /** Something the user waits for happened (an edit): a pending collection waits for quiet again. */
  activity(): void {
    this.lastActivity = performance.now();
  }

  /** Heavy work starts (an audit): no collection until it ends. */
  begin(): void {
    this.busy++;
  }

  /** Heavy work ended: collect once the server is quiet. */
  end(): void {
    this.busy = Math.max(0, this.busy - 1);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), this.quietMs);
    this.timer.unref();
  }

  private run(): void {
    this.timer = undefined;
    if (this.busy > 0) return;
    const quietFor = performance.now() - this.lastActivity;
    if (quietFor < this.quietMs) {
      this.timer = setTimeout(() => this.run(), this.quietMs - quietFor);
      this.timer.unref();
      return;
    }
    const gc = fullGc();
    if (!gc) return;
    const before = process.memoryUsage();
    const started = performance.now();
    gc();
    const after = process.memoryUsage();
    this.logger.info(
      `Memory after the audit: one full garbage collection (${Math.round(performance.now() - started)} ms), heap ${megabytes(before.heapUsed)} -> ${megabytes(after.heapUsed)} MB, RSS ${megabytes(before.rss)} -> ${megabytes(after.rss)} MB.`,
    );
  }
}
