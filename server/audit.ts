/**
 * The workspace audit (`perflint/auditWorkspace`) and its export (`perflint/exportReport`).
 *
 * Every workspace folder (or the folders the request names) is audited with the same discovery
 * and configuration as the CLI (the folder's Linter: `.perflintrc.json` + editor settings);
 * open editors' unsaved text wins because the linter's project overlays it. Files are analysed
 * one by one with a yield to the event loop every few milliseconds, so `$/cancelRequest` is seen
 * promptly and live diagnostics keep flowing; progress goes to the work-done token as
 * "Auditing n / N files".
 *
 * Findings of files that are not open are pushed as diagnostics (the Problems panel shows the
 * whole workspace); open documents keep their live diagnostics. A re-run replaces what the
 * previous audit pushed. When an audited file is opened, its live (pulled) diagnostics take over;
 * when it is closed again, it is re-analysed from disk and its audit diagnostics come back.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import picomatch from 'picomatch';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { languageOf, summarize, type AuditResult, type FileNote, type FileResult, type Rule } from '../engine';
import type { AuditReport, AuditWorkspaceParams, ExportReportParams, ExportReportResult } from '../protocol/auditReport';
import { AuditWorkspaceRequest, ExportReportRequest } from '../protocol/protocol';
import { buildAuditReport, type ReportFolder } from './auditReport';
import type { Feature, ServerContext } from './context';
import { toDiagnostic } from './convert';
import { describeError } from './logger';
import { exportHtml, exportMarkdown } from './reportExport';
import { pathOfUri, type Folder } from './workspace';

/** Longest stretch of synchronous analysis before yielding to the event loop (ms). */
const SLICE_MS = 15;
/** Minimum interval between two progress reports (ms). */
const PROGRESS_INTERVAL_MS = 100;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const count = (n: number) => n.toLocaleString('en-US');

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
  private readonly rules: readonly Rule[];

  constructor(private readonly context: ServerContext) {
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
    const started = performance.now();
    progress.begin('PerfLint: auditing the workspace', 0, 'Listing files…', true);
    try {
      const folders = this.foldersFor(params);
      if (folders.length === 0) throw new ResponseError(ErrorCodes.InvalidRequest, 'Open a folder to audit: the workspace has no folders.');
      await Promise.all(folders.map((folder) => this.context.folderReady(folder)));

      // Same discovery as the CLI, per folder; a file shared by nested folders is analysed once.
      const plan: Array<{ folder: Folder; file: string }> = [];
      const notes: FileNote[] = [];
      const seen = new Set<string>();
      const excluded = excludeMatcher(params.exclude);
      for (const folder of folders) {
        const listed = folder.linter.filesFor();
        notes.push(...listed.notes);
        for (const file of listed.files) {
          if (seen.has(file) || excluded(path.relative(folder.root, file).split(path.sep).join('/'))) continue;
          seen.add(file);
          plan.push({ folder, file });
        }
      }

      const results: FileResult[] = [];
      let sliceStart = performance.now();
      let lastReport = 0;
      for (let i = 0; i < plan.length; i++) {
        if (performance.now() - sliceStart > SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
        if (isCancelled()) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The workspace audit was cancelled.');
        const { folder, file } = plan[i];
        try {
          results.push(folder.linter.analyzePath(file));
        } catch (error) {
          this.context.logger.error(`Audit of ${file} failed: ${describeError(error)}`);
          results.push({ path: file, language: 'typescript', lines: 0, findings: [], suppressedCount: 0, notes: [{ path: file, kind: 'rule-crash', message: 'analysis failed (see the output channel)' }] });
        }
        const now = performance.now();
        if (now - lastReport > PROGRESS_INTERVAL_MS || i + 1 === plan.length) {
          lastReport = now;
          progress.report(Math.floor(((i + 1) * 100) / plan.length), `Auditing ${count(i + 1)} / ${count(plan.length)} files`);
        }
      }

      const reportFolders: ReportFolder[] = folders.map((folder) => ({ root: folder.root, name: path.basename(folder.root) || folder.root }));
      const result = summarize(folders[0].root, results, notes, performance.now() - started);
      const report = buildAuditReport(result, { folders: reportFolders, rules: this.rules });
      this.publish(results, folders);
      this.last = { result, folders: reportFolders, report };
      this.context.logger.info(
        `Workspace audit: ${count(result.filesScanned)} files, ${count(result.linesScanned)} lines, ${count(report.findingsTotal)} findings, score ${report.score.overall} (${report.score.grade}) in ${result.durationMs} ms.`,
      );
      return report;
    } finally {
      if (this.running === run) this.running = undefined;
      progress.done();
    }
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

  /** Pushes the findings of every audited file that is not open; clears what the last audit pushed. */
  private publish(results: FileResult[], folders: Folder[]): void {
    const { connection, resolver, documents } = this.context;
    const previous = new Map(this.pushed);
    this.pushed.clear();
    this.audited.clear();
    for (const result of results) {
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
    const text = folder.linter.project.readText(result.path) ?? '';
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
  const auditor = new WorkspaceAuditor(context);
  context.connection.onRequest(AuditWorkspaceRequest.method, (params: AuditWorkspaceParams | undefined, token: CancellationToken) =>
    // Progress goes to the client's token (a null reporter when the client sent none).
    auditor.audit(params ?? {}, token, context.connection.window.attachWorkDoneProgress(params?.workDoneToken)),
  );
  context.connection.onRequest(ExportReportRequest.method, (params: ExportReportParams) => auditor.exportReport(params ?? { format: 'markdown' }));
  context.documents.onDidOpen((event) => auditor.documentOpened(event.document.uri));
  context.documents.onDidClose((event) => auditor.documentClosed(event.document.uri, event.document.languageId));
};
