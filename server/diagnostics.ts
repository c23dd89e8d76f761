/**
 * Diagnostics for open documents: one analysis per (URI, version, folder epochs, settings),
 * cached; push with a debounce (stale scheduled runs are dropped), or pull when the client
 * supports `textDocument/diagnostic`. After any change, the other open documents of the same
 * folder are re-analysed in the background (facts such as "this module exports a database
 * client" or the Prisma schema may have changed) and refreshed when their findings differ.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { languageOf, looksGenerated, type FileNote, type Finding } from '../engine';
import { rehearsalText } from '../engine/warmup';
import { StatusNotification, type StatusParams } from '../protocol/protocol';
import type { PerflintSettings } from '../protocol/settings';
import type { ServerContext } from './context';
import { toDiagnostic } from './convert';
import { describeError } from './logger';
import { pathOfUri, type Folder } from './workspace';

/** The analysis of one document version. */
export interface Analysis {
  uri: string;
  version: number;
  /** Absolute path the engine analysed the text as. */
  path: string;
  folder: Folder;
  epoch: number;
  factsEpoch: number;
  /** The analysis read nothing but the document itself (no cross-file fact, no other file): other files' changes cannot alter it. */
  selfContained: boolean;
  settingsKey: string;
  /** The text analysed (offsets of findings refer to it). */
  text: string;
  findings: Finding[];
  diagnostics: Diagnostic[];
  elapsedMs: number;
  /** CPU time of the analysis (user + system), which machine load inflates far less than wall time. */
  cpuMs: number;
  /** Why the document was not analysed, when it was not. */
  skipped?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class DiagnosticsService {
  private readonly results = new Map<string, Analysis>();
  /**
   * What the client last received per URI, to refresh only on change. The diagnostics array itself
   * (an analysis never changes it after it is built): its JSON is computed only when a background
   * refresh compares, not on every keystroke's publish (~240 KB of JSON for the benchmark document).
   */
  private readonly delivered = new Map<string, Diagnostic[]>();
  /** Pending scheduled analyses per URI (a timer, or an immediate when there is no debounce). */
  private readonly timers = new Map<string, { cancel(): void }>();
  private readonly loggedNotes = new Map<string, string>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshRun = 0;
  private context!: ServerContext;

  attach(context: ServerContext): void {
    this.context = context;
  }

  /** The current analysis of a document, computed if the cached one is stale. */
  async analysisFor(document: TextDocument): Promise<Analysis> {
    const { workspace, settings } = this.context;
    const filePath = pathOfUri(document.uri, document.languageId);
    const folder = workspace.folderFor(filePath);
    const [documentSettings] = await Promise.all([settings.get(document.uri), this.context.folderReady(folder), this.context.warmedUp()]);
    // The document may have changed while settings were fetched: analyse the latest version.
    const latest = this.context.documents.get(document.uri) ?? document;
    return this.analyzeNow(latest, filePath, folder, documentSettings);
  }

  /** The cached analysis of a document, whatever its version (onSave mode, code actions). */
  cached(uri: string): Analysis | undefined {
    return this.results.get(uri);
  }

  private analyzeNow(document: TextDocument, filePath: string, folder: Folder, documentSettings: PerflintSettings): Analysis {
    const settingsKey = `${documentSettings.enable}`;
    const cached = this.results.get(document.uri);
    if (cached && cached.settingsKey === settingsKey && isFresh(cached, document, folder)) return cached;

    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const text = document.getText();
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      path: filePath,
      folder,
      epoch: folder.epoch,
      factsEpoch: folder.factsEpoch,
      selfContained: true,
      settingsKey,
      text,
      findings: [],
      diagnostics: [],
      elapsedMs: 0,
      cpuMs: 0,
    };
    const skip = !documentSettings.enable
      ? 'perflint.enable is false'
      : languageOf(filePath) === undefined
        ? 'not a TypeScript, JavaScript or Prisma source file'
        : (this.context.workspace.exclusionReason(folder, filePath) ?? (looksGenerated(text) ? 'generated code' : undefined));
    if (skip) {
      analysis.skipped = skip;
    } else {
      try {
        const project = folder.linter.project;
        if (project.readText(filePath) !== text) {
          project.setOverlay(filePath, text);
        }
        const { value: result, reads, usedFacts } = project.track(() => folder.linter.analyzeText(filePath, text, { timeBudgetMs: this.context.options.timeBudgetMs }));
        analysis.selfContained = !usedFacts && [...reads].every((key) => key === `text:${filePath}`);
        this.logNotes(document.uri, result.notes);
        analysis.findings = result.findings;
        analysis.diagnostics = result.findings.map((finding, index) => toDiagnostic(finding, index, document, this.context.rules, this.context.resolver));
      } catch (error) {
        // Never let one document take the server down: log with the file and keep going.
        this.context.logger.error(`Analysis of ${filePath} failed: ${describeError(error)}`);
        analysis.skipped = 'analysis failed (see the output channel)';
      }
    }
    analysis.elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    analysis.cpuMs = (cpu.user + cpu.system) / 1000;
    const firstOfDocument = !this.results.has(document.uri);
    this.results.set(document.uri, analysis);
    if (firstOfDocument && !analysis.skipped && document.lineCount >= REHEARSAL_MIN_LINES && languageOf(filePath) === 'typescript') this.rehearseKeystroke(folder, filePath, text, document);
    return analysis;
  }

  /**
   * After the first analysis of a large document, before its diagnostics go out: one keystroke
   * rehearsed on it (a blank line typed in a statement near its middle, analysed, then taken back
   * and analysed again; both results are thrown away and the project ends on the document's text).
   * The start-up warm-up teaches V8 the code paths on a built-in module, but the user's file has
   * its own object shapes, and its first keystrokes paid for V8 re-optimising ~40 functions.
   * Costs two analyses of the document once per opening (~50-100 ms on the 3,000-line benchmark).
   */
  private rehearseKeystroke(folder: Folder, filePath: string, text: string, document: TextDocument): void {
    const { project } = folder.linter;
    const started = performance.now();
    try {
      const tree = project.syntaxTree(filePath, text);
      const edited = tree ? rehearsalText(tree) : undefined;
      if (edited === undefined) return;
      for (const version of [edited, text]) {
        project.setOverlay(filePath, version);
        const result = folder.linter.analyzeText(filePath, version, { timeBudgetMs: this.context.options.timeBudgetMs });
        const rehearsed = TextDocument.create(document.uri, document.languageId, document.version, version);
        result.findings.forEach((finding, index) => toDiagnostic(finding, index, rehearsed, this.context.rules, this.context.resolver));
      }
      this.context.logger.info(`Keystroke rehearsal on ${path.basename(filePath)}: ${Math.round(performance.now() - started)} ms.`);
    } catch (error) {
      this.context.logger.warn(`Keystroke rehearsal on ${filePath} stopped: ${describeError(error)}`);
      project.setOverlay(filePath, text);
    }
  }

  private logNotes(uri: string, notes: FileNote[]): void {
    const relevant = notes.filter((note) => note.kind !== 'skipped');
    const key = relevant.map((note) => `${note.kind}:${note.ruleId ?? ''}:${note.message}`).join('\n');
    if ((this.loggedNotes.get(uri) ?? '') === key) return;
    this.loggedNotes.set(uri, key);
    for (const note of relevant) {
      const rule = note.ruleId ? ` [rule ${note.ruleId}]` : '';
      this.context.logger.warn(`${note.path}${rule}: ${note.message}`);
    }
  }

  // ---- Document events -------------------------------------------------------------------

  opened(document: TextDocument): void {
    const filePath = pathOfUri(document.uri, document.languageId);
    this.context.workspace.trackLoose(filePath, true);
    this.setOverlay(document);
    this.schedule(document.uri, 0);
  }

  changed(document: TextDocument): void {
    const folder = this.setOverlay(document);
    void this.context.settings.get(document.uri).then((documentSettings) => {
      if (documentSettings.run === 'onType') this.schedule(document.uri, this.context.options.debounceMs);
      this.scheduleRefresh([folder], document.uri);
    });
  }

  saved(document: TextDocument): void {
    void this.context.settings.get(document.uri).then((documentSettings) => {
      if (documentSettings.run === 'onSave') {
        this.schedule(document.uri, 0);
        if (this.context.client.pullDiagnostics) this.requestRefresh();
      }
    });
  }

  closed(document: TextDocument): void {
    const filePath = pathOfUri(document.uri, document.languageId);
    const folder = this.context.workspace.folderFor(filePath);
    this.timers.get(document.uri)?.cancel();
    this.timers.delete(document.uri);
    this.results.delete(document.uri);
    this.delivered.delete(document.uri);
    this.loggedNotes.delete(document.uri);
    this.context.settings.forget(document.uri);
    // Unsaved text is discarded: facts fall back to the file on disk.
    folder.linter.project.setOverlay(filePath, undefined);
    this.context.workspace.trackLoose(filePath, false);
    folder.factsEpoch++;
    if (!this.context.client.pullDiagnostics) void this.context.connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    this.scheduleRefresh([folder]);
  }

  /** Puts the editor text into the project (unsaved text wins over disk) and bumps the facts epoch. */
  private setOverlay(document: TextDocument): Folder {
    const filePath = pathOfUri(document.uri, document.languageId);
    const folder = this.context.workspace.folderFor(filePath);
    try {
      folder.linter.project.setOverlay(filePath, document.getText());
    } catch (error) {
      this.context.logger.error(`Could not record the text of ${filePath}: ${describeError(error)}`);
    }
    folder.factsEpoch++;
    return folder;
  }

  // ---- Push ------------------------------------------------------------------------------

  /** Analyses a document after `delayMs` of quiet; a newer call replaces a pending one. */
  schedule(uri: string, delayMs: number): void {
    if (this.context.client.pullDiagnostics) return;
    this.timers.get(uri)?.cancel();
    const run = () => {
      this.timers.delete(uri);
      void this.pushNow(uri);
    };
    // Without a debounce, the next turn of the event loop: a 0 ms timer waits at least 1 ms.
    if (delayMs > 0) {
      const timer = setTimeout(run, delayMs);
      this.timers.set(uri, { cancel: () => clearTimeout(timer) });
    } else {
      const immediate = setImmediate(run);
      this.timers.set(uri, { cancel: () => clearImmediate(immediate) });
    }
  }

  private async pushNow(uri: string): Promise<void> {
    const document = this.context.documents.get(uri);
    if (!document) return;
    try {
      const analysis = await this.analysisFor(document);
      const current = this.context.documents.get(uri);
      // A newer version arrived meanwhile: its own run is scheduled; drop this stale result.
      if (!current || current.version !== analysis.version || this.timers.has(uri)) return;
      this.publish(analysis);
    } catch (error) {
      this.context.logger.error(`Diagnostics for ${uri} failed: ${describeError(error)}`);
    }
  }

  private publish(analysis: Analysis): void {
    this.delivered.set(analysis.uri, analysis.diagnostics);
    void this.context.connection.sendDiagnostics({ uri: analysis.uri, version: analysis.version, diagnostics: analysis.diagnostics });
    this.sendStatus(analysis);
  }

  private sendStatus(analysis: Analysis): void {
    const status: StatusParams = {
      uri: analysis.uri,
      version: analysis.version,
      elapsedMs: Math.round(analysis.elapsedMs * 100) / 100,
      cpuMs: Math.round(analysis.cpuMs * 100) / 100,
      diagnostics: analysis.diagnostics.length,
      state: analysis.skipped === 'analysis failed (see the output channel)' ? 'error' : 'ok',
    };
    void this.context.connection.sendNotification(StatusNotification.method, status);
  }

  // ---- Pull ------------------------------------------------------------------------------

  /** Answers `textDocument/diagnostic`: waits out the debounce, then analyses unless cancelled. */
  async pull(uri: string, previousResultId: string | undefined, isCancelled: () => boolean): Promise<DocumentDiagnosticReport> {
    let document = this.context.documents.get(uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const documentSettings = await this.context.settings.get(uri);
    const previous = this.results.get(uri);
    if (documentSettings.run === 'onSave' && previous && previous.settingsKey === `${documentSettings.enable}`) {
      // onSave: keep showing the findings of the last saved version until the next save.
      return this.report(previous, previousResultId, false);
    }
    const fresh = previous && isFresh(previous, document);
    if (!fresh && this.context.options.debounceMs > 0 && previous) await sleep(this.context.options.debounceMs);
    if (isCancelled()) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'A newer change superseded this request.', { retriggerRequest: true });
    document = this.context.documents.get(uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const analysis = await this.analysisFor(document);
    return this.report(analysis, previousResultId, true);
  }

  private report(analysis: Analysis, previousResultId: string | undefined, status: boolean): DocumentDiagnosticReport {
    const resultId = `${analysis.version}:${analysis.epoch}:${analysis.factsEpoch}:${analysis.settingsKey}`;
    this.delivered.set(analysis.uri, analysis.diagnostics);
    if (status) this.sendStatus(analysis);
    if (previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: analysis.diagnostics };
  }

  private requestRefresh(): void {
    if (this.context.client.diagnosticRefresh) {
      this.context.connection.languages.diagnostics.refresh().catch((error: unknown) => this.context.logger.warn(`Diagnostic refresh failed: ${describeError(error)}`));
    }
  }

  // ---- Dependents ------------------------------------------------------------------------

  /**
   * After a change that may alter cross-file facts, re-analyses the open documents of the given
   * folders (all folders when omitted) once things are quiet, and refreshes those whose
   * diagnostics changed. A newer change cancels a running refresh between documents.
   */
  scheduleRefresh(folders?: Folder[], exceptUri?: string, delayMs = this.context.options.dependentsDebounceMs): void {
    const run = ++this.refreshRun;
    clearTimeout(this.refreshTimer);
    this.pendingFolders = mergeFolders(this.pendingFolders, folders ?? 'all');
    this.refreshTimer = setTimeout(() => void this.refreshOpenDocuments(run, exceptUri), delayMs);
  }

  private pendingFolders: Folder[] | 'all' | undefined;

  private async refreshOpenDocuments(run: number, exceptUri: string | undefined): Promise<void> {
    const folders = this.pendingFolders;
    this.pendingFolders = undefined;
    let changed = false;
    // Cancelled by a newer change: hand this run's folders to the newer run.
    const abort = () => {
      this.pendingFolders = mergeFolders(this.pendingFolders, folders ?? []);
    };
    for (const document of this.context.documents.all()) {
      if (run !== this.refreshRun) return abort();
      if (document.uri === exceptUri && this.timers.has(document.uri)) continue;
      const folder = this.context.workspace.folderFor(pathOfUri(document.uri, document.languageId));
      if (folders !== 'all' && !folders?.includes(folder)) continue;
      try {
        const documentSettings = await this.context.settings.get(document.uri);
        if (documentSettings.run === 'onSave' && this.results.has(document.uri) && document.uri === exceptUri) continue;
        const analysis = await this.analysisFor(document);
        if (run !== this.refreshRun || this.context.documents.get(document.uri)?.version !== analysis.version) return abort();
        const delivered = this.delivered.get(document.uri);
        if (delivered !== analysis.diagnostics && (delivered === undefined || JSON.stringify(delivered) !== JSON.stringify(analysis.diagnostics))) {
          changed = true;
          if (!this.context.client.pullDiagnostics) this.publish(analysis);
        }
      } catch (error) {
        this.context.logger.error(`Refreshing ${document.uri} failed: ${describeError(error)}`);
      }
      await nextTurn();
    }
    if (changed && this.context.client.pullDiagnostics) this.requestRefresh();
  }
}

/** A cached analysis still holds for a document: same version and configuration, and no file it depends on changed. */
/** TS/JS documents at least this long get a keystroke rehearsal after their first analysis (`rehearseKeystroke`; a Prisma schema has no syntax tree to rehearse on). */
const REHEARSAL_MIN_LINES = 1000;

function isFresh(analysis: Analysis, document: TextDocument, folder: Folder = analysis.folder): boolean {
  return (
    analysis.version === document.version &&
    analysis.epoch === folder.epoch &&
    (analysis.factsEpoch === folder.factsEpoch || analysis.selfContained) &&
    analysis.folder === folder
  );
}

function mergeFolders(a: Folder[] | 'all' | undefined, b: Folder[] | 'all'): Folder[] | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return [...new Set([...(a ?? []), ...b])];
}
