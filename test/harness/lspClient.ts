/**
 * A real JSON-RPC client for protocol tests: spawns the BUNDLED language server
 * (dist/server.js --stdio), answers the server's requests (configuration, registrations,
 * refresh, progress) and records what it publishes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  CodeAction,
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { makeTempDir } from './tempDir';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SERVER_PATH = path.join(REPO_ROOT, 'dist', 'server.js');

/** Capabilities of a push-mode client (no pull diagnostics) that supports everything else we use. */
export const PUSH_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
    diagnostics: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
  window: { workDoneProgress: true },
};

/** The same plus pull diagnostics. */
export const PULL_CAPABILITIES: ClientCapabilities = {
  ...PUSH_CAPABILITIES,
  textDocument: { ...PUSH_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
};

export interface StartOptions {
  /** Workspace folder (absolute path). */
  root?: string;
  capabilities?: ClientCapabilities;
  initializationOptions?: Record<string, unknown>;
  /** The `perflint` settings section answered to `workspace/configuration` (per scope URI when a function). */
  settings?: Record<string, unknown> | ((scopeUri: string | undefined) => Record<string, unknown>);
}

export interface LogEntry {
  type: number;
  message: string;
}

/** Creates a temporary workspace folder with the given files (relative path → text or bytes). */
export function makeWorkspace(files: Record<string, string | Buffer>): string {
  const root = makeTempDir('lsp');
  for (const [relative, content] of Object.entries(files)) writeFile(root, relative, content);
  return root;
}

export function writeFile(root: string, relative: string, content: string | Buffer): string {
  const full = path.join(root, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, typeof content === 'string' ? content : new Uint8Array(content));
  return full;
}

export function uriOf(filePath: string): string {
  return URI.file(filePath).toString();
}

const LANGUAGE_IDS: Record<string, string> = { '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact', '.js': 'javascript', '.jsx': 'javascriptreact', '.prisma': 'prisma' };

export function languageIdOf(filePath: string): string {
  return LANGUAGE_IDS[path.extname(filePath)] ?? 'plaintext';
}

export class LspClient {
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  readonly logs: LogEntry[] = [];
  readonly statuses: Array<{ uri: string; version: number; elapsedMs: number; diagnostics: number; state: string }> = [];
  refreshRequests = 0;
  registrations: unknown[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private readonly waiters = new Set<() => void>();
  settings: StartOptions['settings'];
  initializeResult!: InitializeResult;
  stderr = '';

  private constructor(
    readonly process: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    child.stderr!.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    client.settings = options.settings ?? {};
    connection.onRequest('workspace/configuration', (params: { items: Array<{ scopeUri?: string; section?: string }> }) =>
      params.items.map((item) => {
        const settings = typeof client.settings === 'function' ? client.settings(item.scopeUri) : client.settings;
        return item.section === 'perflint' ? settings : null;
      }),
    );
    connection.onRequest('client/registerCapability', (params: { registrations: unknown[] }) => {
      client.registrations.push(...params.registrations);
      return null;
    });
    connection.onRequest('workspace/diagnostic/refresh', () => {
      client.refreshRequests++;
      client.notify();
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = client.published.get(params.uri) ?? [];
      list.push(params);
      client.published.set(params.uri, list);
      client.notify();
    });
    connection.onNotification('window/logMessage', (params: LogEntry) => {
      client.logs.push(params);
      client.notify();
    });
    connection.onNotification('perflint/status', (params: LspClient['statuses'][number]) => {
      client.statuses.push(params);
      client.notify();
    });
    connection.listen();
    const root = options.root;
    client.initializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: root ? uriOf(root) : null,
      workspaceFolders: root ? [{ uri: uriOf(root), name: path.basename(root) }] : null,
      capabilities: options.capabilities ?? PUSH_CAPABILITIES,
      // No start-up warm-up unless a test asks for it: analyses would wait for it (~1 s per server).
      initializationOptions: { debounceMs: 20, dependentsDebounceMs: 50, warmUp: false, ...options.initializationOptions },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves when `predicate` returns a value (checked on every message), or rejects after `timeoutMs`. */
  waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        let value: T | undefined | false;
        try {
          value = predicate();
        } catch (error) {
          cleanup();
          reject(error);
          return;
        }
        if (value !== undefined && value !== false) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Server log:\n${this.logs.map((l) => l.message).join('\n')}\n${this.stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Diagnostics published for `uri` at `version` or later (the first such publication after `after` publications). */
  diagnosticsFor(uri: string, options: { version?: number; after?: number; timeoutMs?: number } = {}): Promise<Diagnostic[]> {
    const version = options.version ?? this.versions.get(uri);
    const after = options.after ?? 0;
    return this.waitFor(
      () => {
        const list = this.published.get(uri) ?? [];
        const hit = list.slice(after).find((p) => version === undefined || p.version === undefined || p.version >= version);
        return hit?.diagnostics;
      },
      options.timeoutMs,
      `diagnostics for ${uri}@${version}`,
    );
  }

  /** Number of publications so far for a URI (to wait for the next one). */
  publicationCount(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  open(filePath: string, text: string, languageId = languageIdOf(filePath)): string {
    const uri = uriOf(filePath);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  /** Replaces the whole text (full change event). */
  replace(uri: string, text: string): number {
    return this.change(uri, [{ text }], text);
  }

  /** Sends incremental changes; `newText` is the resulting text (the test computes it). */
  change(uri: string, changes: TextDocumentContentChangeEvent[], newText: string): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, newText);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Applies LSP text edits to the tracked text of an open document and sends them as incremental changes. */
  applyEdits(uri: string, edits: TextEdit[]): number {
    const text = applyTextEdits(this.text(uri), edits);
    // Edits are sent back to front so earlier ranges stay valid, as an editor does.
    const sorted = [...edits].sort((a, b) => compare(b.range.start, a.range.start));
    return this.change(uri, sorted.map((edit) => ({ range: edit.range, text: edit.newText })), text);
  }

  save(uri: string): void {
    void this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): void {
    this.versions.delete(uri);
    this.texts.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params);
  }

  notifyServer(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  /**
   * Applies a workspace edit as an editor would: open documents get didChange, files that are not
   * open are written to disk and announced with didChangeWatchedFiles.
   */
  applyWorkspaceEdit(edit: WorkspaceEdit): void {
    const groups: Array<{ uri: string; version: number | null | undefined; edits: TextEdit[] }> = [];
    for (const change of edit.documentChanges ?? []) {
      if ('textDocument' in change) groups.push({ uri: change.textDocument.uri, version: change.textDocument.version, edits: change.edits as TextEdit[] });
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) groups.push({ uri, version: undefined, edits });
    const onDisk: string[] = [];
    for (const group of groups) {
      if (this.versions.has(group.uri)) {
        if (typeof group.version === 'number' && group.version !== this.versions.get(group.uri)) {
          throw new Error(`stale edit for ${group.uri}: edit version ${group.version}, document version ${this.versions.get(group.uri)}`);
        }
        this.applyEdits(group.uri, group.edits);
      } else {
        const file = URI.parse(group.uri).fsPath;
        fs.writeFileSync(file, applyTextEdits(fs.readFileSync(file, 'utf8'), group.edits));
        onDisk.push(group.uri);
      }
    }
    if (onDisk.length > 0) this.notifyServer('workspace/didChangeWatchedFiles', { changes: onDisk.map((uri) => ({ uri, type: 2 })) });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.process.kill();
        resolve();
      }, 2000);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

function compare(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

function offsetAt(text: string, position: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}

/** Applies LSP text edits (non-overlapping, any order) to a text. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => compare(b.range.start, a.range.start) || compare(b.range.end, a.range.end));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offsetAt(result, edit.range.start)) + edit.newText + result.slice(offsetAt(result, edit.range.end));
  return result;
}

/** Every edit of a code action's workspace edit for one document. */
export function editsFor(action: CodeAction, uri: string): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const change of action.edit?.documentChanges ?? []) {
    if ('textDocument' in change && change.textDocument.uri === uri) edits.push(...(change.edits as TextEdit[]));
  }
  edits.push(...(action.edit?.changes?.[uri] ?? []));
  return edits;
}
