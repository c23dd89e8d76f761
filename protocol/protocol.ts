/**
 * PerfLint's custom LSP messages and command ids, declared once and shared by the client and the
 * server (documented in docs/lsp-extensions.md). Each message is a namespace with its `method`
 * and its parameter/result types; this file imports no package, so both bundles can use it.
 *
 * Methods are namespaced `perflint/…`; commands are `perflint.<verb>`.
 */
import type { AuditReport, AuditWorkspaceParams, ExportReportParams, ExportReportResult } from './auditReport';

/** A typed method declaration (phantom types only; the wire carries `method`). */
export interface MethodDeclaration<P, R> {
  readonly method: string;
  /** Never set: carries the parameter type for `typeof X.params`. */
  readonly params?: P;
  /** Never set: carries the result type for `typeof X.result`. */
  readonly result?: R;
}

/**
 * `perflint/auditWorkspace` — request, client → server.
 * Analyses every source file and Prisma schema of the given workspace folders (all when omitted),
 * reports progress through the work-done token, honours cancellation, and answers with the report.
 * Implemented by the workspace-audit work (server side: server/audit.ts).
 */
export const AuditWorkspaceRequest: MethodDeclaration<AuditWorkspaceParams, AuditReport> = { method: 'perflint/auditWorkspace' };

/**
 * `perflint/exportReport` — request, client → server.
 * Renders the last workspace audit of this session as the CLI's Markdown report, or as that
 * Markdown turned into a standalone HTML page; `content` is empty when no audit has run yet.
 */
export const ExportReportRequest: MethodDeclaration<ExportReportParams, ExportReportResult> = { method: 'perflint/exportReport' };

/** Parameters of `perflint/status`. */
export interface StatusParams {
  /** Document URI. */
  uri: string;
  /** Document version analysed. */
  version: number;
  /** Wall-clock analysis time in milliseconds (parse + rules + conversion). */
  elapsedMs: number;
  /** CPU time of the analysis in milliseconds (less sensitive to machine load than `elapsedMs`). */
  cpuMs?: number;
  /** Number of diagnostics published. */
  diagnostics: number;
  /** `ok`, or `error` when the analysis failed (details in the output channel). */
  state: 'ok' | 'error';
}

/**
 * `perflint/status` — notification, server → client.
 * Sent after each analysis of an open document, with its timing (a status bar can compare it
 * with a time budget; the keystroke benchmark reads it).
 */
export const StatusNotification: MethodDeclaration<StatusParams, void> = { method: 'perflint/status' };

/** Options the client passes in `initializationOptions` (all optional). */
export interface InitializationOptions {
  /** Milliseconds of quiet after a change before a document is re-analysed (default 150). */
  debounceMs?: number;
  /** Milliseconds of quiet before other open documents are refreshed after a change (default 400). */
  dependentsDebounceMs?: number;
  /** Absolute folder holding the bundled rule docs (`<id>.md`), for hovers. Defaults to `<server dir>/docs/rules`. */
  docsFolder?: string;
  /**
   * Absolute folder where the server may keep state for this workspace (VS Code: the extension's
   * workspace storage). The workspace audit's result cache lives under `<storagePath>/audit-cache/`;
   * without it the cache is kept in memory for the server's lifetime only.
   */
  storagePath?: string;
  /** Pending source (bytes) from which the workspace audit runs on worker threads (default 256 KB; tests pass 0). */
  auditParallelMinBytes?: number;
  /** JIT warm-up at start-up, which the first document analyses wait for (default true; tests turn it off). */
  warmUp?: boolean;
}

/** Command ids contributed by the extension (package.json `contributes.commands`). */
export const Commands = {
  /** Runs the workspace audit and opens the score panel. */
  runWorkspaceAudit: 'perflint.runWorkspaceAudit',
  /** Shows the PerfLint output channel. */
  showOutput: 'perflint.showOutput',
  /** Restarts the language server. */
  restartServer: 'perflint.restartServer',
  /** Opens a rule's bundled documentation; argument: the rule id (asks when omitted). */
  openRuleDoc: 'perflint.openRuleDoc',
  /** Opens (or reveals) the score panel with the last audit. */
  showScorePanel: 'perflint.showScorePanel',
  /** Writes the last audit as a Markdown or HTML report chosen in a save dialog. */
  exportReport: 'perflint.exportReport',
} as const;

/** Source of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'perflint';

/** Code-action kind of "fix all safe PerfLint problems" (`editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.perflint';

/** Payload stored in `Diagnostic.data`, used to match code actions to findings. */
export interface DiagnosticData {
  ruleId: string;
  /** Document version the finding belongs to. */
  version: number;
  /** Index of the finding in the analysis result of that version. */
  index: number;
}
