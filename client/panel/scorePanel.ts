/**
 * Host side of the score panel: one webview panel at a time, created or revealed on demand and
 * revived by a serializer after a window reload. Strict CSP with a nonce, scripts and styles
 * only from the extension's media/ and dist/ folders, typed messages both ways
 * (protocol/webviewMessages.ts). The panel itself renders; this class only forwards.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { SCORE_PANEL_VIEW_TYPE, type HostMessage, type PanelMessage } from '../../protocol/webviewMessages';
import { renderShell } from './render';

export interface PanelHandlers {
  /** The panel asked for data (first load or after a reload). */
  onReady(panel: ScorePanel): void;
  onMessage(message: PanelMessage, panel: ScorePanel): void;
}

export class ScorePanel {
  static current: ScorePanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];

  /** Reveals the panel, creating it beside the active editor when there is none. */
  static createOrShow(extensionUri: vscode.Uri, handlers: PanelHandlers): ScorePanel {
    if (ScorePanel.current) {
      ScorePanel.current.panel.reveal(undefined, true);
      return ScorePanel.current;
    }
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    const panel = vscode.window.createWebviewPanel(SCORE_PANEL_VIEW_TYPE, 'PerfLint Score', { viewColumn: column, preserveFocus: true }, ScorePanel.webviewOptions(extensionUri));
    ScorePanel.current = new ScorePanel(panel, extensionUri, handlers);
    return ScorePanel.current;
  }

  /** Re-attaches a panel VS Code restored after a reload (its webview state comes back with it). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, handlers: PanelHandlers): ScorePanel {
    ScorePanel.current?.dispose();
    panel.webview.options = ScorePanel.webviewOptions(extensionUri);
    ScorePanel.current = new ScorePanel(panel, extensionUri, handlers);
    return ScorePanel.current;
  }

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    handlers: PanelHandlers,
  ) {
    const webview = panel.webview;
    webview.html = renderShell({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
    });
    const icon = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    if (fs.existsSync(icon.fsPath)) panel.iconPath = icon;
    this.disposables.push(
      webview.onDidReceiveMessage((message: PanelMessage) => {
        if (message?.type === 'ready') handlers.onReady(this);
        else if (message && typeof message.type === 'string') handlers.onMessage(message, this);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (ScorePanel.current === this) ScorePanel.current = undefined;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }
}
