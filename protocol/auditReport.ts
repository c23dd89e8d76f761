/**
 * The audit report DTO: what `perflint/auditWorkspace` answers with and what the score panel
 * renders. Plain JSON, versioned; built by the server from the engine's AuditResult
 * (server/auditReport.ts), never computed by the client or the webview.
 *
 * Positions are LSP-style (0-based line and character); `line` is also given 1-based for display.
 * Every string that comes from the workspace (file names, messages) is untrusted: renderers escape it.
 */

export const AUDIT_REPORT_VERSION = 1;

export type ReportSeverity = 'error' | 'warning' | 'info';

export interface ReportPosition {
  line: number;
  character: number;
}

export interface ReportRange {
  start: ReportPosition;
  end: ReportPosition;
}

/** One finding as the panel shows it. */
export interface ReportFinding {
  ruleId: string;
  category: string;
  severity: ReportSeverity;
  message: string;
  /** Document URI of the file (file://…). */
  uri: string;
  /** Path relative to its workspace folder, forward slashes (prefixed with the folder name in multi-root workspaces). */
  file: string;
  /** 1-based line, for display. */
  line: number;
  /** 1-based column, for display. */
  column: number;
  range: ReportRange;
  /** Titles of the fixes offered. */
  fixes: string[];
  docsUrl: string;
}

/** A "fix first" row: a finding plus what fixing it would add to the overall score. */
export interface RankedFinding extends ReportFinding {
  /** Estimated overall-score gain (unrounded, ≥ 0). */
  gain: number;
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export interface CategorySummary {
  id: string;
  /** Sub-score 0–100. */
  score: number;
  /** Weight in the overall score, 0–1. */
  weight: number;
  counts: SeverityCounts;
  findings: number;
}

export interface RuleSummary {
  ruleId: string;
  category: string;
  description: string;
  docsUrl: string;
  counts: SeverityCounts;
  findings: number;
}

export interface FileSummary {
  uri: string;
  file: string;
  /** Severity-weighted findings (error 10, warning 3, info 1). */
  weight: number;
  counts: SeverityCounts;
  findings: number;
  /** The first finding of the file, so a click opens the code where it matters. */
  firstLine: number;
}

export interface AuditReport {
  version: typeof AUDIT_REPORT_VERSION;
  perflintVersion: string;
  /** ISO-8601 time the audit finished. */
  generatedAt: string;
  folders: Array<{ name: string; uri: string }>;
  filesScanned: number;
  linesScanned: number;
  durationMs: number;
  /** Set when the user cancelled: the numbers cover only the files analysed so far. */
  cancelled: boolean;
  score: { overall: number; grade: 'A' | 'B' | 'C' | 'D' | 'F'; categories: Record<string, number> };
  /** The score formula in one sentence (docs/scoring.md has the details). */
  formula: string;
  scoringDocsUrl: string;
  categories: CategorySummary[];
  severityCounts: SeverityCounts;
  /** Findings per rule, most first. */
  rules: RuleSummary[];
  /** Files with the most weight, heaviest first (at most 10). */
  topFiles: FileSummary[];
  /** Findings ranked by score gain (at most 25). */
  fixFirst: RankedFinding[];
  /** Every scored finding, in file order (capped at FINDINGS_CAP; `findingsTotal` tells the real count). */
  findings: ReportFinding[];
  findingsTotal: number;
  suppressedCount: number;
  /** Files not analysed (skipped, unreadable, parse errors, rule crashes). */
  notesCount: number;
}

export const FINDINGS_CAP = 2000;

/** Parameters of `perflint/auditWorkspace`. */
export interface AuditWorkspaceParams {
  /** Folder URIs to audit; all workspace folders when omitted. */
  folders?: string[];
  /** LSP work-done token; the server reports "Auditing n / N files" through it. */
  workDoneToken?: string | number;
  /**
   * Extra glob patterns (relative to each folder, e.g. the editor's enabled `files.exclude`
   * entries) whose files are left out, on top of the CLI's discovery.
   */
  exclude?: string[];
}

/** Parameters of `perflint/exportReport`: renders the last audit in a report format. */
export interface ExportReportParams {
  format: 'markdown' | 'html';
}

export interface ExportReportResult {
  /** The report text; empty when no audit has run in this session. */
  content: string;
}
