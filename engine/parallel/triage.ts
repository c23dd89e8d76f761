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
import { fileImports, importIndexEntries, importIndexFiles, seedImportIndexScans } from '../ts/modules';
import type { AuditPool, PoolTask, TaskFeed } from './pool';
import type { AnalyzedFile } from './protocol';

/** How long one call of the feed triages before it lets the pool look at its workers again (ms). */
const SLICE_MS = 5;
/** Most files one `spare` call hands over (a worker's batch holds 16). */
const SPARE_FILES = 16;

export class Triage {
  private next = 0;
  /** Files from `end` on were handed to workers whole (`spare`). */
  private end: number;
  /** Whether this thread's gates used other files, for each file handed to a worker. */
  private readonly gateUsesWorkspace = new Map<string, boolean>();

  constructor(
    private readonly linter: Linter,
    private readonly files: readonly string[],
    private readonly analyze: AnalyzeOptions | undefined,
    /** A file finished in this thread. */
    private readonly onAnalyzed: (file: AnalyzedFile) => void,
    private readonly isCancelled: () => boolean = () => false,
  ) {
    this.end = files.length;
    linter.project.retainScans(files);
  }

  /**
   * The feed for `pool.runSync`: a few milliseconds of triage per call; a file some rule needs comes
   * back at once, to keep the workers busy. The first call builds the import index and shares it.
   * A worker with nothing to do takes files from the far end of the list (`spare`), in path order
   * backwards, and gates them itself: this thread's share of the gates is no longer the audit's
   * critical path when the files it lets through are few.
   */
  feed(pool: AuditPool): TaskFeed {
    return {
      more: () => {
        if (this.isCancelled()) return undefined;
        if (this.next === 0) this.buildImportIndex(pool);
        const started = performance.now();
        const tasks: PoolTask[] = [];
        while (this.next < this.end && tasks.length === 0 && performance.now() - started < SLICE_MS) {
          const file = this.files[this.next++];
          const outcome = this.linter.triage(file, this.analyze);
          if ('analyzed' in outcome) this.onAnalyzed(outcome.analyzed);
          else {
            this.gateUsesWorkspace.set(file, outcome.usesWorkspace);
            tasks.push({ path: file, size: sizeOf(file), ruleIds: outcome.ruleIds });
          }
        }
        return tasks.length === 0 && this.next >= this.end ? undefined : tasks;
      },
      spare: (bytes) => {
        const tasks: PoolTask[] = [];
        // Not before the import index is shared: the worker's gates need it.
        if (this.next === 0) return tasks;
        let taken = 0;
        while (this.end > this.next && taken < bytes && tasks.length < SPARE_FILES) {
          const file = this.files[--this.end];
          const size = sizeOf(file);
          tasks.push({ path: file, size });
          taken += size;
        }
        return tasks;
      },
    };
  }

  /**
   * The import index, built with the workers (they have nothing else to do until it is ready: each
   * file's step is claimed by one thread, this one from the front) and then shared with them.
   */
  private buildImportIndex(pool: AuditPool): void {
    const project = this.linter.project;
    const sourceFiles = project.sourceFiles();
    const files = importIndexFiles(project);
    const interned = new Map<string, string>();
    seedImportIndexScans(project, pool.shareImportScan(sourceFiles, files, (i) => fileImports(project, files[i], interned)));
    pool.shareFacts(importIndexEntries(project), sourceFiles);
  }

  /** A worker's result, which also depends on what this thread's gates read to choose its rules. */
  withGateInputs(file: AnalyzedFile): AnalyzedFile {
    return this.gateUsesWorkspace.get(file.path) && !file.usesWorkspace ? { ...file, usesWorkspace: true } : file;
  }

  /** Files not triaged nor handed to a worker yet (the workers gave up, or the audit was cancelled). */
  untriaged(): string[] {
    return this.files.slice(this.next, this.end);
  }
}

export function sizeOf(filePath: string): number {
  try {
    return fs.statSync(filePath).size;
  } catch {
    return 0;
  }
}
