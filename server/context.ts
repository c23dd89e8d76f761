/**
 * What every server feature (diagnostics, code actions, hover, the workspace audit) receives.
 * A feature is a function `(context) => void` that registers its handlers; see server.ts.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { Rule } from '../engine';
import type { UriResolver } from './convert';
import type { DiagnosticsService } from './diagnostics';
import type { Logger } from './logger';
import type { SettingsStore } from './settings';
import type { Folder, Workspace } from './workspace';

/** Client capabilities the features look at. */
export interface ClientFlags {
  /** `textDocument/diagnostic` (pull) is supported: the server then never pushes. */
  pullDiagnostics: boolean;
  /** `workspace/diagnostic/refresh` is supported. */
  diagnosticRefresh: boolean;
  /** `workspace/configuration` is supported. */
  configuration: boolean;
  /** WorkspaceEdit.documentChanges (versioned edits) is supported. */
  documentChanges: boolean;
  /** Dynamic registration of `workspace/didChangeWatchedFiles`. */
  watchedFilesRegistration: boolean;
  /** `workspace/didChangeWorkspaceFolders`. */
  workspaceFolders: boolean;
  /** Markdown in hovers. */
  hoverMarkdown: boolean;
  /** `window/workDoneProgress`. */
  workDoneProgress: boolean;
}

export interface ServerOptions {
  debounceMs: number;
  dependentsDebounceMs: number;
  docsFolder: string;
  /** Per-file analysis budget in the editor (ms). */
  timeBudgetMs: number;
  /** Folder for the audit's result cache (initializationOptions.storagePath); undefined: in memory. */
  storagePath: string | undefined;
  /** Pending source (bytes) from which the audit uses worker threads. */
  auditParallelMinBytes: number;
  /** JIT warm-up at start-up before the first document analysis (initializationOptions.warmUp, default true). */
  warmUp: boolean;
}

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly workspace: Workspace;
  readonly settings: SettingsStore;
  readonly diagnostics: DiagnosticsService;
  readonly rules: ReadonlyMap<string, Rule>;
  readonly logger: Logger;
  readonly client: ClientFlags;
  readonly options: ServerOptions;
  readonly resolver: UriResolver;
  /** Resolves once a folder's editor settings have been applied to its linter. */
  folderReady(folder: Folder): Promise<void>;
  /** Resolves once the start-up warm-up is over (done, stopped, or given up on): analyses wait for it. */
  warmedUp(): Promise<void>;
}

export type Feature = (context: ServerContext) => void;
