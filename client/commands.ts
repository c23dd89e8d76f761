/**
 * The command table (package.json `contributes.commands`, category "PerfLint"). Each entry is
 * registered once at activation. The audit commands (`runWorkspaceAudit`, `showScorePanel`,
 * `exportReport`) are registered by client/audit.ts.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands } from '../protocol/protocol';

export interface CommandHost {
  context: vscode.ExtensionContext;
  outputChannel: vscode.OutputChannel;
  client(): LanguageClient | undefined;
}

export interface CommandEntry {
  id: string;
  run(host: CommandHost, ...args: unknown[]): unknown;
}

const DOCS_BASE_URL = 'https://github.com/perflint/perflint/blob/main/rules/';
const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Opens the bundled Markdown of a rule in VS Code's preview (offline); the web page when it is not bundled. */
async function openRuleDoc(host: CommandHost, ruleId?: unknown): Promise<void> {
  const folder = host.context.asAbsolutePath('dist/docs/rules');
  let id = typeof ruleId === 'string' && RULE_ID.test(ruleId) ? ruleId : undefined;
  if (!id) {
    let ids: string[] = [];
    try {
      ids = fs.readdirSync(folder).filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -3)).sort();
    } catch {
      ids = [];
    }
    id = await vscode.window.showQuickPick(ids, { placeHolder: 'Rule to show the documentation of' });
    if (!id) return;
  }
  const file = vscode.Uri.joinPath(host.context.extensionUri, 'dist', 'docs', 'rules', `${id}.md`);
  if (fs.existsSync(file.fsPath)) {
    await vscode.commands.executeCommand('markdown.showPreview', file);
  } else {
    await vscode.env.openExternal(vscode.Uri.parse(`${DOCS_BASE_URL}${id}.md`));
  }
}

export const COMMANDS: CommandEntry[] = [
  { id: Commands.showOutput, run: (host) => host.outputChannel.show(true) },
  {
    id: Commands.restartServer,
    run: async (host) => {
      const client = host.client();
      if (!client) return;
      host.outputChannel.appendLine('Restarting the PerfLint language server…');
      await client.restart();
    },
  },
  { id: Commands.openRuleDoc, run: (host, ruleId) => openRuleDoc(host, ruleId) },
];

export function registerCommands(host: CommandHost, commands: CommandEntry[] = COMMANDS): vscode.Disposable[] {
  return commands.map((command) => vscode.commands.registerCommand(command.id, (...args: unknown[]) => command.run(host, ...args)));
}
