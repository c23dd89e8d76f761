/**
 * The audit surface of the extension: "PerfLint: Run Workspace Audit" (cancellable progress
 * notification fed by the server's work-done progress), the score panel, "Export report", and a
 * status-bar item with the last score. The last two scores of the workspace are kept in
 * workspace state for the panel's trend and the status bar after a reload.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient, WorkDoneProgressBegin, WorkDoneProgressReport } from 'vscode-languageclient/node';
import type { AuditReport, AuditWorkspaceParams, ExportReportParams, ExportReportResult } from '../protocol/auditReport';
import { AuditWorkspaceRequest, Commands, ExportReportRequest } from '../protocol/protocol';
import { SCORE_PANEL_VIEW_TYPE, type PanelMessage, type ScoreSnapshot } from '../protocol/webviewMessages';
import { ScorePanel, type PanelHandlers } from './panel/scorePanel';

const HISTORY_KEY = 'perflint.audit.history';
/** How long a command waits for a language server that is still starting. */
const CLIENT_START_TIMEOUT_MS = 30_000;

interface AuditHistory {
  last?: ScoreSnapshot;
  previous?: ScoreSnapshot;
  /** The last report, without its full findings list (the panel does not need it). */
  report?: AuditReport;
}

export function snapshotOf(report: AuditReport): ScoreSnapshot {
  return { overall: report.score.overall, grade: report.score.grade, generatedAt: report.generatedAt, findings: report.findingsTotal };
}

/** Status-bar text for a score (or for no audit yet). */
export function statusText(snapshot: ScoreSnapshot | undefined): string {
  return snapshot ? `$(pulse) PerfLint ${snapshot.overall} ${snapshot.grade}` : '$(pulse) PerfLint';
}

/** The enabled `files.exclude` globs of every workspace folder (entries whose value is `true`). */
export function filesExclude(): string[] {
  const patterns = new Set<string>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const setting = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
    for (const [glob, enabled] of Object.entries(setting)) if (enabled === true) patterns.add(glob);
  }
  return [...patterns];
}

export class AuditController implements PanelHandlers, vscode.Disposable {
  private readonly statusItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private running: Promise<AuditReport | undefined> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly getClient: () => LanguageClient | undefined,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.statusItem = vscode.window.createStatusBarItem('perflint.score', vscode.StatusBarAlignment.Left, 20);
    this.statusItem.name = 'PerfLint Score';
    this.statusItem.command = Commands.showScorePanel;
    this.updateStatus();
    this.statusItem.show();
    this.disposables.push(
      this.statusItem,
      vscode.commands.registerCommand(Commands.runWorkspaceAudit, () => this.run()),
      vscode.commands.registerCommand(Commands.showScorePanel, () => this.showPanel()),
      vscode.commands.registerCommand(Commands.exportReport, () => this.exportReport()),
      vscode.window.registerWebviewPanelSerializer(SCORE_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => {
          ScorePanel.revive(panel, this.context.extensionUri, this);
        },
      }),
    );
  }

  private get history(): AuditHistory {
    return this.context.workspaceState.get<AuditHistory>(HISTORY_KEY) ?? {};
  }

  private updateStatus(): void {
    const last = this.history.last;
    this.statusItem.text = statusText(last);
    this.statusItem.tooltip = last
      ? `PerfLint workspace score ${last.overall}/100 (grade ${last.grade}), ${last.findings} findings — last audit ${new Date(last.generatedAt).toLocaleString()}. Click to open the score panel.`
      : 'PerfLint: no workspace audit yet. Click to open the score panel.';
  }

  showPanel(): ScorePanel {
    return ScorePanel.createOrShow(this.context.extensionUri, this);
  }

  // ---- Panel handlers ----------------------------------------------------------------------

  onReady(panel: ScorePanel): void {
    const history = this.history;
    if (history.report) panel.post({ type: 'report', report: history.report, previous: history.previous });
    if (this.running) panel.post({ type: 'running', message: 'Auditing the workspace…' });
  }

  onMessage(message: PanelMessage): void {
    switch (message.type) {
      case 'rerun':
        void this.run();
        break;
      case 'export':
        void this.exportReport();
        break;
      case 'reveal':
        void this.reveal(message.uri, message.line, message.character);
        break;
      case 'openDocs':
        void this.openRuleDocs(message.ruleId, message.url);
        break;
      case 'openScoringDocs':
        void this.openScoringDocs(message.url);
        break;
    }
  }

  private async reveal(uri: string, line: number, character: number): Promise<void> {
    try {
      const target = vscode.Uri.parse(uri, true);
      const position = new vscode.Position(Math.max(0, line), Math.max(0, character));
      const panelColumn = ScorePanel.current?.panel.viewColumn;
      const column = panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
      await vscode.window.showTextDocument(target, { selection: new vscode.Range(position, position), viewColumn: column, preserveFocus: false });
    } catch (error) {
      void vscode.window.showWarningMessage(`PerfLint: could not open ${uri}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async openRuleDocs(ruleId: string, url: string): Promise<void> {
    if (/^[a-z0-9-]+$/.test(ruleId)) {
      const commands = await vscode.commands.getCommands(true);
      if (commands.includes(Commands.openRuleDoc)) {
        await vscode.commands.executeCommand(Commands.openRuleDoc, ruleId);
        return;
      }
    }
    await this.openExternal(url);
  }

  private async openScoringDocs(url: string): Promise<void> {
    const local = vscode.Uri.joinPath(this.context.extensionUri, 'docs', 'scoring.md');
    try {
      await vscode.workspace.fs.stat(local);
      await vscode.commands.executeCommand('markdown.showPreview', local);
    } catch {
      await this.openExternal(url);
    }
  }

  private async openExternal(url: string): Promise<void> {
    if (/^https:\/\//.test(url)) await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  // ---- Audit -------------------------------------------------------------------------------

  /** Runs the audit (or joins the one running) and shows the panel with the result. */
  run(): Promise<AuditReport | undefined> {
    if (!this.running) this.running = this.runOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /** The language client once it runs: waits while it is starting (the command may come first). */
  private async runningClient(cancellation?: vscode.CancellationToken): Promise<LanguageClient | undefined> {
    const deadline = Date.now() + CLIENT_START_TIMEOUT_MS;
    for (;;) {
      const client = this.getClient();
      if (client?.isRunning()) return client;
      if (Date.now() > deadline || cancellation?.isCancellationRequested) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 250);
        const subscription = client?.onDidChangeState(done);
        function done() {
          clearTimeout(timer);
          subscription?.dispose();
          resolve();
        }
      });
    }
  }

  private async runOnce(): Promise<AuditReport | undefined> {
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage('PerfLint: open a folder to audit it.');
      return undefined;
    }
    const panel = this.showPanel();
    panel.post({ type: 'running', message: 'Auditing the workspace…' });
    const workDoneToken = `perflint-audit-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    try {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'PerfLint', cancellable: true },
        async (progress, cancellation) => {
          let client = this.getClient();
          if (!client?.isRunning()) {
            progress.report({ message: 'Waiting for the language server…' });
            client = await this.runningClient(cancellation);
            if (!client) throw new Error(cancellation.isCancellationRequested ? 'cancelled' : 'the language server is not running (see "PerfLint: Show Output", or run "PerfLint: Restart Server")');
          }
          progress.report({ message: 'Listing files…' });
          let reported = 0;
          // Required here, not imported at the top: loading the protocol library costs ~60 ms of activation.
          const { WorkDoneProgress } = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
          const subscription = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
            if (value.kind !== 'begin' && value.kind !== 'report') return;
            const update = value as WorkDoneProgressBegin | WorkDoneProgressReport;
            const percentage = update.percentage ?? reported;
            progress.report({ message: update.message, increment: Math.max(0, percentage - reported) });
            reported = Math.max(reported, percentage);
            if (update.message) ScorePanel.current?.post({ type: 'running', message: update.message });
          });
          try {
            const params: AuditWorkspaceParams = { workDoneToken, exclude: filesExclude() };
            return await client.sendRequest<AuditReport>(AuditWorkspaceRequest.method, params, cancellation);
          } finally {
            subscription.dispose();
          }
        },
      );
      await this.completed(report);
      return report;
    } catch (error) {
      const cancelled = error instanceof vscode.CancellationError || (error as { code?: number })?.code === -32800 || (error instanceof Error && error.message === 'cancelled');
      const message = cancelled ? 'Audit cancelled.' : `Audit failed: ${error instanceof Error ? error.message : String(error)}`;
      this.log(`PerfLint: ${message}`);
      ScorePanel.current?.post({ type: 'error', message });
      if (!cancelled) void vscode.window.showErrorMessage(`PerfLint: ${message}`);
      return undefined;
    }
  }

  private async completed(report: AuditReport): Promise<void> {
    const before = this.history;
    const stored: AuditReport = { ...report, findings: [] };
    const history: AuditHistory = { last: snapshotOf(report), previous: before.last, report: stored };
    await this.context.workspaceState.update(HISTORY_KEY, history);
    this.updateStatus();
    const panel = this.showPanel();
    panel.post({ type: 'report', report: stored, previous: history.previous });
    this.log(`PerfLint: workspace audit finished: score ${report.score.overall} (${report.score.grade}), ${report.findingsTotal} findings in ${report.filesScanned} files.`);
  }

  // ---- Export ------------------------------------------------------------------------------

  async exportReport(): Promise<void> {
    const client = await this.runningClient();
    if (!client) {
      void vscode.window.showWarningMessage('PerfLint: the language server is not running.');
      return;
    }
    if (!this.history.report) {
      void vscode.window.showInformationMessage('PerfLint: run the workspace audit first; the report exports its results.');
      return;
    }
    // The format is chosen first: save dialogs with several filters (notably the browser's simple
    // dialog) may keep the first filter's extension whatever the user types.
    const choices: Array<vscode.QuickPickItem & { format: ExportReportParams['format']; extension: string }> = [
      { label: 'Markdown', description: '.md: the same report as `perflint --format markdown`', format: 'markdown', extension: 'md' },
      { label: 'HTML', description: '.html: a standalone page of the same report', format: 'html', extension: 'html' },
    ];
    const choice = await vscode.window.showQuickPick(choices, { title: 'Export PerfLint audit report', placeHolder: 'Report format' });
    if (!choice) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Export PerfLint audit report',
      saveLabel: 'Export report',
      defaultUri: folder ? vscode.Uri.joinPath(folder, `perflint-report.${choice.extension}`) : undefined,
      filters: { [choice.label]: [choice.extension] },
    });
    if (!target) return;
    const format = choice.format;
    let result: ExportReportResult;
    try {
      result = await client.sendRequest<ExportReportResult>(ExportReportRequest.method, { format } satisfies ExportReportParams);
    } catch (error) {
      void vscode.window.showErrorMessage(`PerfLint: export failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!result.content) {
      // The server restarted since the audit: audit again, then export.
      const report = await this.run();
      if (!report) return;
      result = await client.sendRequest<ExportReportResult>(ExportReportRequest.method, { format } satisfies ExportReportParams);
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.content));
    const open = await vscode.window.showInformationMessage(`PerfLint: report written to ${path.basename(target.path)}.`, 'Open');
    if (open === 'Open') await vscode.window.showTextDocument(target);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** Registers the audit commands, the score panel (and its serializer) and the status-bar item. */
export function registerAudit(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined, log?: (message: string) => void): AuditController {
  const controller = new AuditController(context, getClient, log);
  context.subscriptions.push(controller);
  return controller;
}
