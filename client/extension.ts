/**
 * Extension entry point (dist/extension.js): starts the language server and registers the
 * commands. Activation stays cheap: no analysis and no TypeScript in this bundle; the server
 * starts in the background.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerAudit } from './audit';
import { registerCommands } from './commands';
import { createLanguageClient } from './languageClient';

let client: LanguageClient | undefined;

/** What `activate` returns (used by end-to-end tests). */
export interface PerflintApi {
  client(): LanguageClient | undefined;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): PerflintApi {
  const started = performance.now();
  const outputChannel = vscode.window.createOutputChannel('PerfLint', { log: true });
  context.subscriptions.push(outputChannel);
  context.subscriptions.push(...registerCommands({ context, outputChannel, client: () => client }));
  // Workspace audit, score panel (+ its serializer), export and the status-bar score.
  registerAudit(context, () => client, (message) => outputChannel.appendLine(message));
  // The client (and with it the server) starts right after activation returns, so activating
  // PerfLint never holds up the extension host.
  const timer = setTimeout(() => startClient(context, outputChannel), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  const activationMs = performance.now() - started;
  outputChannel.appendLine(`PerfLint activated in ${activationMs.toFixed(1)} ms.`);
  return { client: () => client, activationMs };
}

function startClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): void {
  try {
    client = createLanguageClient(context, outputChannel);
    client.start().catch((error: unknown) => {
      outputChannel.appendLine(`The PerfLint language server failed to start: ${error instanceof Error ? error.message : String(error)}`);
    });
  } catch (error) {
    outputChannel.appendLine(`The PerfLint language client could not be created: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function deactivate(): Promise<void> {
  const current = client;
  client = undefined;
  await current?.stop();
}
