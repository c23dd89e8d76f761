/**
 * The workspace audit (`perflint/auditWorkspace`) and its export (`perflint/exportReport`).
 *
 * Every workspace folder (or the folders the request names) is audited with the same discovery
 * and configuration as the CLI (the folder's Linter: `.perflintrc.json` + editor settings), through
 * the engine's parallel, cached audit (`Linter.auditAsync`):
 *   - files run on worker threads (the server bundle is its own worker script), at a lower CPU
 *     priority on Linux, so this thread keeps answering requests and analysing keystrokes; the
 *     threads run in a child process that exits after the audit (auditProcess.ts), so parsed files,
 *     facts and everything the workers allocated go back to the system. Small workspaces (under
 *     `auditParallelMinBytes` of pending source) run here, with a yield every 20 ms;
 *   - unchanged files come from the result cache, one per workspace folder under
 *     `<storagePath>/audit-cache/<hash of the folder path>/` (VS Code: the workspace storage);
 *     without a storage path (tests, other editors) the cache lives in memory for the server's
 *     lifetime, so nothing is written to a shared temp folder;
 *   - open editors' unsaved text wins: the linter's overlays go to the workers and into the cache keys;
 *   - `$/cancelRequest` is polled by the pool every 100 ms and between files; progress goes to the
 *     work-done token as "Auditing n / N files"; a crashing worker is replaced (its file gets a note).
 *
 * Findings of files that are not open are pushed as diagnostics (the Problems panel shows the
 * whole workspace); open documents keep their live diagnostics. A re-run replaces what the
 * previous audit pushed. When an audited file is opened, its live (pulled) diagnostics take over;
 * when it is closed again, it is re-analysed from disk and its audit diagnostics come back.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import picomatch from 'picomatch';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { defaultThreads, languageOf, ResultCache, summarize, type AuditResult, type FileNote, type FileResult, type ParallelOptions, type Rule } from '../engine';
import type { AuditReport, AuditWorkspaceParams, ExportReportParams, ExportReportResult } from '../protocol/auditReport';
import { AuditWorkspaceRequest, ExportReportRequest } from '../protocol/protocol';
import { buildAuditReport, type ReportFolder } from './auditReport';
import type { Feature, ServerContext } from './context';
import { processPoolRunner } from './auditProcess';
import { toDiagnostic } from './convert';
import { describeError } from './logger';
import { QuietCollector } from './memory';
import { exportHtml, exportMarkdown } from './reportExport';
import { pathOfUri, type Folder } from './workspace';

/** Minimum interval between two progress reports (ms). */
const PROGRESS_INTERVAL_MS = 100;
/** Longest stretch of publishing diagnostics before the event loop gets a turn (ms). */
const PUBLISH_SLICE_MS = 10;
/** Failed files logged per audit (the report counts them all as notes). */
const MAX_LOGGED_FAILURES = 20;
/** Nice value of audit worker threads (Linux): keystrokes on the main thread come first. */
const WORKER_NICE = 10;

const numbers = new Intl.NumberFormat('en-US');
const count = (n: number) => numbers.format(n);
const megabytes = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** Worker threads for the audit: every core where workers can run at a lower priority, one fewer elsewhere. */
function auditThreads(): number {
  const cores = defaultThreads();
  return process.platform === 'linux' ? cores : Math.max(1, cores - 1);
}

/** Language id of a file for the synthetic TextDocument used to compute positions. */
function languageIdOf(filePath: string): string {
  const ext = path.extname(filePath).toLowerCase();
  if (ext === '.prisma') return 'prisma';
  if (ext === '.tsx') return 'typescriptreact';
  if (ext === '.jsx') return 'javascriptreact';
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return 'javascript';
  return 'typescript';
}

export interface AuditRun {
  result: AuditResult;
  folders: ReportFolder[];
  report: AuditReport;
}

export class WorkspaceAuditor {
  /** URIs this auditor pushed diagnostics for, with the file path. */
  private readonly pushed = new Map<string, string>();
  /** Audited files (path → URI) whose diagnostics are withheld while the document is open. */
  private readonly audited = new Map<string, string>();
  private last: AuditRun | undefined;
  private running: { cancelled: boolean } | undefined;
  /** Result cache per folder root, with the configuration fingerprint it was made for. */
  private readonly caches = new Map<string, { fingerprint: string; cache: ResultCache }>();
  private readonly rules: readonly Rule[];

  constructor(
    private readonly context: ServerContext,
    /** Collects the audit's garbage once the editor is quiet (server/memory.ts). */
    private readonly memory?: QuietCollector,
  ) {
    this.rules = [...context.rules.values()];
  }

  get lastRun(): AuditRun | undefined {
    return this.last;
  }

  /** Runs an audit. Throws ResponseError(RequestCancelled) when cancelled. */
  async audit(params: AuditWorkspaceParams, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<AuditReport> {
    // A new audit supersedes one still running.
    if (this.running) this.running.cancelled = true;
    const run = { cancelled: false };
    this.running = run;
    const isCancelled = () => run.cancelled || token.isCancellationRequested;
    const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'The workspace audit was cancelled.');
    const started = performance.now();
    progress.begin('PerfLint: auditing the workspace', 0, 'Listing files…', true);
    this.memory?.begin();
    try {
      const folders = this.foldersFor(params);
      if (folders.length === 0) throw new ResponseError(ErrorCodes.InvalidRequest, 'Open a folder to audit: the workspace has no folders.');
      await Promise.all(folders.map((folder) => this.context.folderReady(folder)));

      // Same discovery as the CLI, per folder; a file shared by nested folders is analysed once.
      const plans: Array<{ folder: Folder; files: string[]; all: boolean }> = [];
      const notes: FileNote[] = [];
      const seen = new Set<string>();
      const excluded = excludeMatcher(params.exclude);
      let total = 0;
      for (const folder of folders) {
        const listed = folder.linter.filesFor();
        notes.push(...listed.notes);
        const files: string[] = [];
        for (const file of listed.files) {
          if (seen.has(file) || excluded(path.relative(folder.root, file).split(path.sep).join('/'))) continue;
          seen.add(file);
          files.push(file);
        }
        total += files.length;
        if (files.length > 0) plans.push({ folder, files, all: files.length === listed.files.length });
      }

      const results: FileResult[] = [];
      const stats = { cached: 0, analysed: 0, workers: 0 };
      let offset = 0;
      let lastReport = 0;
      for (const { folder, files, all } of plans) {
        if (isCancelled()) throw cancelled();
        const cache = this.cacheFor(folder);
        const before = { ...cache.stats };
        const parallel: ParallelOptions = {
          threads: auditThreads(),
          workerNice: WORKER_NICE,
          minBytes: this.context.options.auditParallelMinBytes,
          // In a child process that exits after the audit: the workers' memory all goes back (auditProcess.ts).
          runner: processPoolRunner,
        };
        const result = await folder.linter.auditAsync({
          paths: all ? undefined : files,
          cache,
          parallel,
          isCancelled,
          onWorkers: (threads) => (stats.workers = Math.max(stats.workers, threads)),
          onProgress: (done) => {
            const now = performance.now();
            if (now - lastReport > PROGRESS_INTERVAL_MS || offset + done === total) {
              lastReport = now;
              progress.report(Math.floor(((offset + done) * 100) / total), `Auditing ${count(offset + done)} / ${count(total)} files`);
            }
          },
        });
        if (result.cancelled || isCancelled()) throw cancelled();
        stats.cached += cache.stats.hits - before.hits;
        stats.analysed += result.files.length - (cache.stats.hits - before.hits);
        offset += files.length;
        results.push(...result.files);
      }

      this.logFailures(results);
      const reportFolders: ReportFolder[] = folders.map((folder) => ({ root: folder.root, name: path.basename(folder.root) || folder.root }));
      const result = summarize(folders[0].root, results, notes, performance.now() - started);
      const report = buildAuditReport(result, { folders: reportFolders, rules: this.rules });
      await this.publish(results, folders);
      this.last = { result, folders: reportFolders, report };
      const where = stats.analysed === 0 ? '' : stats.workers > 0 ? ` on ${stats.workers} worker thread${stats.workers === 1 ? '' : 's'}` : ' in the server thread';
      this.context.logger.info(
        `Workspace audit: ${count(result.filesScanned)} files (${count(stats.cached)} from the cache, ${count(stats.analysed)} analysed${where}), ${count(result.linesScanned)} lines, ` +
          `${count(report.findingsTotal)} findings, score ${report.score.overall} (${report.score.grade}) in ${result.durationMs} ms; server heap ${megabytes(process.memoryUsage().heapUsed)} MB.`,
      );
      return report;
    } finally {
      if (this.running === run) this.running = undefined;
      progress.done();
      this.memory?.end();
    }
  }

  /** Files the audit could not analyse fully (a crashing rule, a crashed or stuck worker) go to the output channel. */
  private logFailures(results: readonly FileResult[]): void {
    const failures = results.flatMap((result) => result.notes.filter((note) => note.kind === 'rule-crash'));
    for (const note of failures.slice(0, MAX_LOGGED_FAILURES)) {
      this.context.logger.error(`Audit of ${note.path}: ${note.message}${note.ruleId ? ` (rule ${note.ruleId})` : ''}`);
    }
    if (failures.length > MAX_LOGGED_FAILURES) this.context.logger.error(`… and ${count(failures.length - MAX_LOGGED_FAILURES)} more files the audit could not analyse fully.`);
  }

  /**
   * The result cache of a folder: kept for the server's lifetime (and on disk under the editor's
   * storage when there is one); a new configuration starts a new one.
   */
  private cacheFor(folder: Folder): ResultCache {
    const fingerprint = folder.linter.config.fingerprint;
    const existing = this.caches.get(folder.root);
    if (existing && existing.fingerprint === fingerprint) return existing.cache;
    const storage = this.context.options.storagePath;
    const directory = storage ? path.join(storage, 'audit-cache', createHash('sha1').update(folder.root).digest('hex').slice(0, 16)) : undefined;
    const cache = new ResultCache(directory, folder.root, fingerprint);
    this.caches.set(folder.root, { fingerprint, cache });
    return cache;
  }

  /** The folders a request covers: the named ones, or every workspace folder. */
  private foldersFor(params: AuditWorkspaceParams): Folder[] {
    const { workspace } = this.context;
    if (!params.folders || params.folders.length === 0) return workspace.all();
    const folders = new Set<Folder>();
    for (const uri of params.folders) {
      const folder = workspace.folderFor(pathOfUri(uri));
      if (!folder.loose) folders.add(folder);
    }
    return [...folders];
  }

  /**
   * Pushes the findings of every audited file that is not open; clears what the last audit pushed.
   * Yields to the event loop every few ms (a file with findings is read to convert its offsets).
   */
  private async publish(results: FileResult[], folders: Folder[]): Promise<void> {
    const { connection, resolver, documents } = this.context;
    const previous = new Map(this.pushed);
    this.pushed.clear();
    this.audited.clear();
    let slice = performance.now();
    for (const result of results) {
      if (performance.now() - slice > PUBLISH_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
      const uri = resolver.uriOf(result.path);
      this.audited.set(result.path, uri);
      if (documents.get(uri)) continue;
      if (result.findings.length === 0) continue;
      const folder = folders.find((f) => result.path.startsWith(f.root + path.sep)) ?? folders[0];
      const diagnostics = this.diagnosticsOf(result, uri, folder);
      if (diagnostics.length === 0) continue;
      this.pushed.set(uri, result.path);
      previous.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of previous.keys()) {
      if (!documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }

  private diagnosticsOf(result: FileResult, uri: string, folder: Folder) {
    // Not cached in the project: an audit must not leave every audited file's text in memory.
    const text = folder.linter.project.peekText(result.path) ?? '';
    const document = TextDocument.create(uri, languageIdOf(result.path), 0, text);
    return result.findings.map((finding, index) => toDiagnostic(finding, index, document, this.context.rules, this.context.resolver));
  }

  /** An audited document was opened: its live diagnostics take over (pull results live in another collection). */
  documentOpened(uri: string): void {
    if (!this.pushed.has(uri)) return;
    this.pushed.delete(uri);
    if (this.context.client.pullDiagnostics) void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** An audited document was closed: re-analyse it from disk and bring its audit diagnostics back. */
  documentClosed(uri: string, languageId: string): void {
    const filePath = pathOfUri(uri, languageId);
    if (!this.audited.has(filePath) || languageOf(filePath) === undefined) return;
    // After the diagnostics service has dropped the editor overlay and cleared the live results.
    setImmediate(() => {
      if (this.context.documents.get(uri)) return;
      const folder = this.context.workspace.folderFor(filePath);
      if (folder.loose) return;
      try {
        const result = folder.linter.analyzePath(filePath);
        const diagnostics = this.diagnosticsOf(result, uri, folder);
        if (diagnostics.length === 0) return;
        this.pushed.set(uri, filePath);
        void this.context.connection.sendDiagnostics({ uri, diagnostics });
      } catch (error) {
        this.context.logger.error(`Re-analysing ${filePath} after close failed: ${describeError(error)}`);
      }
    });
  }

  /** The last audit as a report file (Markdown = the CLI's `--format markdown`). */
  exportReport(params: ExportReportParams): ExportReportResult {
    const last = this.last;
    if (!last) return { content: '' };
    const folder = this.context.workspace.folderFor(last.result.root);
    const options = {
      rules: this.rules,
      readText: (filePath: string) => this.context.workspace.folderFor(filePath).linter.project.readText(filePath) ?? folder.linter.project.readText(filePath),
      title: last.folders.map((f) => f.name).join(', '),
      date: new Date(last.report.generatedAt).toUTCString(),
    };
    return { content: params.format === 'html' ? exportHtml(last.result, options) : exportMarkdown(last.result, options) };
  }
}

/** Matcher for the request's extra exclude globs (relative paths, forward slashes). */
export function excludeMatcher(patterns: readonly unknown[] | undefined): (relative: string) => boolean {
  const valid = (patterns ?? []).filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  if (valid.length === 0) return () => false;
  try {
    const match = picomatch(valid, { dot: true });
    // A pattern naming a folder excludes what is inside it (`**/tmp` → `**/tmp/**`).
    return (relative) => match(relative) || relative.split('/').some((_, i, parts) => i > 0 && match(parts.slice(0, i).join('/')));
  } catch {
    return () => false;
  }
}

/** Registers the audit requests and the document hooks. */
export const auditFeature: Feature = (context) => {
  const memory = new QuietCollector(context.logger);
  const auditor = new WorkspaceAuditor(context, memory);
  context.documents.onDidChangeContent(() => memory.activity());
  context.connection.onRequest(AuditWorkspaceRequest.method, (params: AuditWorkspaceParams | undefined, token: CancellationToken) =>
    // Progress goes to the client's token (a null reporter when the client sent none).
    auditor.audit(params ?? {}, token, context.connection.window.attachWorkDoneProgress(params?.workDoneToken)),
  );
  context.connection.onRequest(ExportReportRequest.method, (params: ExportReportParams) => auditor.exportReport(params ?? { format: 'markdown' }));
  context.documents.onDidOpen((event) => auditor.documentOpened(event.document.uri));
  context.documents.onDidClose((event) => auditor.documentClosed(event.document.uri, event.document.languageId));
};
