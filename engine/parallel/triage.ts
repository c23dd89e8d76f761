/**
 * Triage for a blocking parallel audit (the CLI, and the language server's audit process): this
 * thread reads every file and asks the rules' text gates (`Linter.triage`), finishes the files no
 * rule needs itself (no parse: most of a workspace) and feeds the others, with the rules their gates
 * chose, to `AuditPool.runSync`, whose workers (one core fewer) parse them and run those rules.
 *
 * Why: every V8 isolate pays its own warm-up (JIT compilation, on the cores the audit runs on), and
 * every worker used to build the workspace-wide facts the gates need (the import index reads every
 * file). Split by phase, this thread warms up only the gates and the workers only the parser and
 * the rules, and the import index is built once, here, and shared (ARCHITECTURE.md, "Performance").
 */
import * as fs from 'node:fs';
import type { Linter } from '../linter';
import type { AnalyzeOptions } from '../runner';
import { importIndexEntries } from '../ts/modules';
import type { AuditPool, PoolTask, TaskFeed } from './pool';
import type { AnalyzedFile } from './protocol';

/** How long one call of the feed triages before it lets the pool look at its workers again (ms). */
const SLICE_MS = 5;

export class Triage {
  private next = 0;
  /** Whether this thread's gates used other files, for each file handed to a worker. */
  private readonly gateUsesWorkspace = new Map<string, boolean>();

  constructor(
    private readonly linter: Linter,
    private readonly files: readonly string[],
    private readonly analyze: AnalyzeOptions | undefined,
    /** A file finished in this thread. */
    private readonly onAnalyzed: (file: AnalyzedFile) => void,
    private readonly isCancelled: () => boolean = () => false,
  ) {}

  /**
   * The feed for `pool.runSync`: a few milliseconds of triage per call; a file some rule needs comes
   * back at once, to keep the workers busy. The first call builds the import index and shares it.
   */
  feed(pool: AuditPool): TaskFeed {
    return () => {
      if (this.isCancelled()) return undefined;
      if (this.next === 0) pool.shareFacts(importIndexEntries(this.linter.project));
      const started = performance.now();
      const tasks: PoolTask[] = [];
      while (this.next < this.files.length && tasks.length === 0 && performance.now() - started < SLICE_MS) {
        const file = this.files[this.next++];
        const outcome = this.linter.triage(file, this.analyze);
        if ('analyzed' in outcome) this.onAnalyzed(outcome.analyzed);
        else {
          this.gateUsesWorkspace.set(file, outcome.usesWorkspace);
          tasks.push({ path: file, size: sizeOf(file), ruleIds: outcome.ruleIds });
        }
      }
      return tasks.length === 0 && this.next >= this.files.length ? undefined : tasks;
    };
  }

  /** A worker's result, which also depends on what this thread's gates read to choose its rules. */
  withGateInputs(file: AnalyzedFile): AnalyzedFile {
    return this.gateUsesWorkspace.get(file.path) && !file.usesWorkspace ? { ...file, usesWorkspace: true } : file;
  }

  /** Files not triaged yet (the workers gave up, or the audit was cancelled). */
  untriaged(): string[] {
    return this.files.slice(this.next);
  }
}

export function sizeOf(filePath: string): number {
  try {
    return fs.statSync(filePath).size;
  } catch {
    return 0;
  }
}
