/**
 * The engine façade: one Linter per workspace root ties together the project (files and
 * cross-file facts), the resolved configuration and the rule registry. The CLI, the language
 * server and the tests all go through it.
 */
import * as path from 'node:path';
import { loadConfig, type ConfigOverlay, type ResolvedConfig } from './config';
import { discoverFiles, looksGenerated, SKIPPED_DIRECTORIES, type DiscoveryResult } from './discovery';
import { nodeFileSystem, type FileSystemHost } from './host';
import { Project } from './project';
import type { Rule } from './rule';
import { analyzeFile, rulesPassingGates, type AnalyzeOptions } from './runner';
import { AuditRun } from './audit-run';
import type { ResultCache } from './cache';
import type { PoolCallbacks, PoolOptions, PoolOutcome, PoolTask } from './parallel/pool';
import type { AnalyzedFile, WorkerInit } from './parallel/protocol';
import { computeScore } from './score';
import type { AuditResult, FileNote, FileResult, Finding } from './types';

export interface LinterOptions {
  root: string;
  rules: readonly Rule[];
  host?: FileSystemHost;
  /** Explicit config file (relative to root or absolute); default `<root>/.perflintrc.json`. */
  configFile?: string;
  overlay?: ConfigOverlay;
  /** Already-resolved configuration (skips loading). */
  config?: ResolvedConfig;
  /** Parsed source (UTF-16 units) kept between analyses before syntax trees are dropped (default DEFAULT_SYNTAX_BUDGET). */
  syntaxBudget?: number;
}

export interface AuditOptions {
  /** Restrict the audit to these files or folders (absolute or relative to root). Facts still span the root. */
  paths?: string[];
  /** Called after each file with the running count. */
  onProgress?: (done: number, total: number, filePath: string) => void;
  /** Polled between files; when it returns true the audit stops and is marked cancelled. */
  isCancelled?: () => boolean;
  analyze?: AnalyzeOptions;
  /** Result cache (engine/cache.ts): files whose inputs did not change are not re-analysed. */
  cache?: ResultCache;
  /** Analyse on worker threads when enough source is pending (see ParallelOptions). */
  parallel?: ParallelOptions;
  /** Audit only shard `index` (1-based) of `count`: a deterministic split of the file list by path. */
  shard?: { index: number; count: number };
  /** Called when the pending files are handed to worker threads, with the worker count. */
  onWorkers?: (threads: number) => void;
}

export interface ParallelOptions extends PoolOptions {
  /** Below this much pending source (bytes), workers cost more than they save (default 1 MB). */
  minBytes?: number;
  /**
   * `audit` (blocking) only: this thread asks every file's text gates and hands the files some rule
   * needs to `threads - 1` workers (default true). False: the workers do everything, this thread waits.
   */
  triageInThisThread?: boolean;
  /**
   * `auditAsync` only: runs the pool somewhere else, e.g. in a child process that exits after the
   * audit so all of the workers' memory goes back to the system (server/auditProcess.ts).
   */
  runner?: PoolRunner;
}

/** What `auditAsync` needs of a pool. */
export interface RunnablePool {
  readonly threads: number;
  runAsync(): Promise<PoolOutcome>;
}

export type PoolRunner = (init: WorkerInit, tasks: readonly PoolTask[], callbacks: PoolCallbacks, options: PoolOptions) => RunnablePool;

export class Linter {
  readonly project: Project;
  readonly rules: readonly Rule[];
  config: ResolvedConfig;
  private discovery: DiscoveryResult | undefined;

  /** Throws ConfigError when the configuration is invalid. */
  constructor(private readonly options: LinterOptions) {
    this.project = new Project(options.root, options.host ?? nodeFileSystem);
    this.rules = options.rules;
    this.config = options.config ?? loadConfig(this.project.root, this.project.host, options.rules, { configFile: options.configFile, overlay: options.overlay });
    this.project.setFileLister(() => this.discover().files);
  }

  /** Re-reads the configuration (e.g. `.perflintrc.json` changed). Throws ConfigError. */
  reloadConfig(overlay: ConfigOverlay | undefined = this.options.overlay): void {
    this.config = loadConfig(this.project.root, this.project.host, this.rules, { configFile: this.options.configFile, overlay });
    this.discovery = undefined;
    this.project.invalidateFileList();
  }

  /** Every analysable file of the workspace (cached until invalidated). */
  discover(): DiscoveryResult {
    if (!this.discovery) this.discovery = this.project.untracked(() => discoverFiles(this.project.root, this.project.host, { ignorePatterns: this.config.ignorePatterns }));
    return this.discovery;
  }

  /** Forgets the discovered file list (files were created or deleted). */
  invalidateFiles(): void {
    this.discovery = undefined;
    this.project.invalidateFileList();
  }

  /** Analyses a text as the content of `filePath` (an open editor, a test case). */
  analyzeText(filePath: string, text: string, options?: AnalyzeOptions): FileResult {
    const result = analyzeFile(this.project, this.config, path.resolve(this.project.root, filePath), text, options);
    // Between two analyses (audit files, editor keystrokes): the only safe moment to drop syntax
    // trees past the memory budget (a language server would otherwise keep every module it looked into).
    this.project.trimSyntax(this.options.syntaxBudget);
    return result;
  }

  /** Reads and analyses one file. */
  analyzePath(filePath: string, options?: AnalyzeOptions): FileResult {
    const absolute = path.resolve(this.project.root, filePath);
    const text = this.project.readText(absolute);
    if (text === undefined) {
      return { path: absolute, language: 'typescript', lines: 0, findings: [], suppressedCount: 0, notes: [{ path: absolute, kind: 'unreadable', message: 'file could not be read' }] };
    }
    if (looksGenerated(text)) {
      return { path: absolute, language: 'typescript', lines: 0, findings: [], suppressedCount: 0, notes: [{ path: absolute, kind: 'skipped', message: 'generated code (header says so); not analysed' }] };
    }
    return this.analyzeText(absolute, text, options);
  }

  /** The files an audit of `paths` covers (all discovered files when none are given). */
  filesFor(paths?: string[]): { files: string[]; notes: FileNote[] } {
    const discovered = this.discover();
    if (!paths || paths.length === 0) return { files: discovered.files, notes: discovered.notes };
    const wanted = new Set<string>();
    const notes: FileNote[] = [];
    for (const p of paths) {
      const absolute = path.resolve(this.project.root, p);
      const size = this.project.host.fileSize(absolute);
      const entries = size === undefined ? this.project.host.readDirectory(absolute) : undefined;
      if (entries) {
        const inside = absolute + path.sep;
        const underRoot = absolute === this.project.root || absolute.startsWith(this.project.root + path.sep);
        const list = underRoot ? discovered.files : discoverFiles(absolute, this.project.host, { ignorePatterns: this.config.ignorePatterns }).files;
        const before = wanted.size;
        for (const file of list) if (file.startsWith(inside) || absolute === this.project.root) wanted.add(file);
        // A folder asked for by name but inside one the walk skips (`perflint packages/api/dist`).
        const skippedAncestor = wanted.size === before && underRoot ? this.project.relative(absolute).split(/[\\/]/).find((segment) => SKIPPED_DIRECTORIES.has(segment)) : undefined;
        if (skippedAncestor) {
          const relative = this.project.relative(absolute);
          notes.push({ path: absolute, kind: 'skipped', message: `inside a folder skipped by default (${skippedAncestor}/); to audit it, make it the root (perflint --root ${relative})` });
        }
      } else if (size !== undefined) wanted.add(absolute);
      else notes.push({ path: absolute, kind: 'unreadable', message: 'path does not exist or cannot be read' });
    }
    // Nothing anywhere (the workspace's code is all in dist/): the walk's note says why.
    if (wanted.size === 0 && notes.length === 0) notes.push(...discovered.notes);
    return { files: [...wanted].sort(), notes };
  }

  /**
   * The first half of `analyzeTracked`, for an audit whose thread feeds workers (parallel/triage.ts): reads the file
   * and asks the rules' text gates. A file no rule needs (most of a workspace) is analysed here and
   * then (no parse); otherwise the rules to run are returned, for a worker to analyse the file with
   * them as `enabledRules`. `usesWorkspace` says whether the gates' answer depended on other files.
   */
  triage(filePath: string, options: AnalyzeOptions = {}): { analyzed: AnalyzedFile } | { ruleIds: string[]; usesWorkspace: boolean } {
    const absolute = path.resolve(this.project.root, filePath);
    const self = `text:${absolute}`;
    let ruleIds: string[] | undefined;
    const { value, reads, usedFacts } = this.project.track((): FileResult | undefined => {
      // Not kept, unless the audit's triage retains its files (`Project.retainScans`: then the
      // import index already read it): most files are done here, the rest is read again by a worker.
      const text = this.project.scanText(absolute);
      if (text === undefined || looksGenerated(text)) return this.analyzePath(absolute, options);
      ruleIds = rulesPassingGates(this.project, this.config, absolute, text, options);
      if (ruleIds !== undefined && ruleIds.length > 0) return undefined;
      return this.analyzeText(absolute, text, ruleIds ? { ...options, enabledRules: new Set() } : options);
    });
    const usesWorkspace = usedFacts || readsOtherThan(reads, self);
    if (value) return { analyzed: { path: absolute, result: value, hash: this.project.inputValues.get(self), usesWorkspace } };
    return { ruleIds: ruleIds!, usesWorkspace };
  }

  /** Analyses one file and reports what it depended on (for the result cache and the workers). */
  analyzeTracked(filePath: string, options?: AnalyzeOptions): AnalyzedFile {
    const absolute = path.resolve(this.project.root, filePath);
    const self = `text:${absolute}`;
    const { value, reads, usedFacts } = this.project.track(() => this.analyzePath(absolute, options));
    const usesWorkspace = usedFacts || readsOtherThan(reads, self);
    return { path: absolute, result: value, hash: this.project.inputValues.get(self), usesWorkspace };
  }

  /**
   * What a worker needs to rebuild this Linter, or undefined when it cannot (an injected file
   * system or pre-resolved configuration, as in tests): the audit then runs in this thread.
   */
  workerInit(analyze: AnalyzeOptions = {}): WorkerInit | undefined {
    if (this.options.host || this.options.config) return undefined;
    return {
      root: this.project.root,
      configFile: this.options.configFile,
      overlay: this.options.overlay,
      ruleIds: this.rules.map((rule) => rule.id),
      timeBudgetMs: analyze.timeBudgetMs,
      onlyRules: analyze.onlyRules ? [...analyze.onlyRules] : undefined,
      textOverlays: this.project.overlayEntries(),
    };
  }

  /**
   * Audits the workspace (or a subset of it) and scores the result. With `cache`, unchanged files
   * are not re-analysed; with `parallel`, the rest runs on worker threads while this thread blocks
   * (the CLI). The language server uses `auditAsync`.
   */
  audit(options: AuditOptions = {}): AuditResult {
    const run = new AuditRun(this, options);
    const pool = run.pool('sync');
    if (pool) run.absorb(pool.runSync(run.feed()));
    for (const file of run.remaining()) {
      if (run.checkCancelled()) break;
      run.add(this.analyzeTracked(file, options.analyze));
    }
    return run.finish();
  }

  /** Like `audit`, but never blocks the event loop for long (workers, or yields between files). */
  async auditAsync(options: AuditOptions = {}): Promise<AuditResult> {
    const run = new AuditRun(this, options);
    const pool = run.pool('async');
    if (pool) run.absorb(await pool.runAsync());
    let slice = performance.now();
    for (const file of run.remaining()) {
      if (run.checkCancelled()) break;
      run.add(this.analyzeTracked(file, options.analyze));
      if (performance.now() - slice > 20) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
    }
    return run.finishAsync();
  }
}

/** Whether an analysis read any input besides its own file's text (then its result depends on the workspace). */
function readsOtherThan(reads: ReadonlySet<string>, self: string): boolean {
  for (const key of reads) if (key !== self) return true;
  return false;
}

/** Builds an AuditResult from per-file results (also used to merge parallel or sharded runs). */
export function summarize(root: string, results: FileResult[], extraNotes: FileNote[], durationMs: number, cancelled = false): AuditResult {
  const findings: Finding[] = [];
  const notes: FileNote[] = [...extraNotes];
  let lines = 0;
  let suppressed = 0;
  let scanned = 0;
  for (const result of results) {
    findings.push(...result.findings);
    notes.push(...result.notes);
    lines += result.lines;
    suppressed += result.suppressedCount;
    if (result.lines > 0 || result.notes.every((n) => n.kind !== 'skipped' && n.kind !== 'unreadable')) scanned++;
  }
  findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId)));
  return {
    root,
    filesScanned: scanned,
    linesScanned: lines,
    durationMs: Math.round(durationMs),
    files: results,
    findings,
    notes,
    suppressedCount: suppressed,
    score: computeScore(findings, lines),
    ...(cancelled ? { cancelled } : {}),
  };
}
