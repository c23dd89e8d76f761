/**
 * The LanguageClient: the bundled server (dist/server.js) over IPC, the documents it sees
 * (TS/JS/JSX/Prisma, files and untitled buffers), pull diagnostics, and the `perflint` settings
 * section forwarded per resource (the default `workspace/configuration` handler reads it).
 */
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../protocol/protocol';

/** Languages PerfLint analyses (VS Code language ids). */
export const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'prisma'] as const;

/**
 * Creates the client. vscode-languageclient is required here, not at the top of the module, so
 * loading the extension bundle only parses it; its initialisation runs when the client is made.
 */
export function createLanguageClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): LanguageClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LanguageClient, TransportKind } = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const initializationOptions: InitializationOptions = {
    docsFolder: context.asAbsolutePath('dist/docs/rules'),
    // The workspace audit's result cache (global storage when no folder is open).
    storagePath: context.storageUri?.fsPath ?? context.globalStorageUri.fsPath,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannel,
    initializationOptions,
    synchronize: { configurationSection: 'perflint' },
    // The server answers pulls from its per-version cache; the client decides when to ask.
    diagnosticPullOptions: { onChange: true, onSave: true },
  };
  return new LanguageClient('perflint', 'PerfLint', serverOptions, clientOptions);
}
