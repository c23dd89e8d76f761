/**
 * Makes the triage thread's steps of the import index slow (parallel audits, `AuditPool.shareImportScan`):
 * before its first step it waits until a worker has posted something, so a worker's share of the
 * index is exercised however fast this thread is. `here` collects the steps this thread ran (file numbers).
 */
import { AuditPool } from '../../engine';

export function withSlowIndexHere<T>(here: number[], run: () => T): T {
  const original = AuditPool.prototype.shareImportScan;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  AuditPool.prototype.shareImportScan = function (this: AuditPool, sourceFiles, files, scanHere) {
    const before = this.workerMessages();
    const deadline = Date.now() + 30_000;
    return original.call(this, sourceFiles, files, (i) => {
      while (here.length === 0 && this.workerMessages() === before && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, 10);
      here.push(i);
      return scanHere(i);
    });
  };
  try {
    return run();
  } finally {
    AuditPool.prototype.shareImportScan = original;
  }
}
