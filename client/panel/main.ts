/**
 * The score panel's webview script (bundled for the browser into dist/panel.js).
 * Renders the state it is given (render.ts), keeps it with setState so a reload restores the
 * panel, and turns clicks on [data-action] elements into messages for the host.
 */
import type { HostMessage, PanelMessage, PanelState } from '../../protocol/webviewMessages';
import { renderPanel, type PanelView } from './render';

interface VsCodeApi {
  postMessage(message: PanelMessage): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
const saved = vscode.getState();
let view: PanelView = { report: saved?.report, previous: saved?.previous };

function render(): void {
  // Keep keyboard focus on the same control across re-renders.
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.action : undefined;
  root.innerHTML = renderPanel(view);
  root.setAttribute('aria-busy', view.running ? 'true' : 'false');
  if (focused === 'rerun' || focused === 'export') (root.querySelector(`[data-action="${focused}"]`) as HTMLElement | null)?.focus();
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'report':
      view = { report: message.report, previous: message.previous };
      vscode.setState({ report: message.report, previous: message.previous });
      break;
    case 'running':
      view = { ...view, running: message.message, error: undefined };
      break;
    case 'error':
      view = { ...view, running: undefined, error: message.message };
      break;
    default:
      return;
  }
  render();
});

root.addEventListener('click', (event) => {
  const target = (event.target as Element | null)?.closest('[data-action]') as HTMLElement | null;
  if (!target) return;
  event.preventDefault();
  const data = target.dataset;
  switch (data.action) {
    case 'rerun':
      vscode.postMessage({ type: 'rerun' });
      break;
    case 'export':
      vscode.postMessage({ type: 'export' });
      break;
    case 'reveal':
      vscode.postMessage({ type: 'reveal', uri: data.uri ?? '', line: Number(data.line ?? 0), character: Number(data.character ?? 0) });
      break;
    case 'openDocs':
      vscode.postMessage({ type: 'openDocs', ruleId: data.rule ?? '', url: data.url ?? '' });
      break;
    case 'openScoringDocs':
      vscode.postMessage({ type: 'openScoringDocs', url: data.url ?? '' });
      break;
  }
});

render();
vscode.postMessage({ type: 'ready' });
