/**
 * Plain-data types shared by the engine, the rules, the CLI and the language server.
 * Everything here is serialisable: no AST nodes, no functions.
 */

/** Severity of a finding. `off` only appears in configuration, never on a finding. */
export type Severity = 'error' | 'warning' | 'info';
export type SeverityOrOff = Severity | 'off';

/** Categories feed the score (docs/scoring.md). `meta` (unused directives, crashes) never does. */
export type Category = 'queries' | 'pagination' | 'regex' | 'memory' | 'connections' | 'schema' | 'meta';

/** The scored categories, in display order. */
export const SCORED_CATEGORIES = ['queries', 'pagination', 'regex', 'memory', 'connections', 'schema'] as const;
export type ScoredCategory = (typeof SCORED_CATEGORIES)[number];

/** Languages the engine analyses. */
export type Language = 'typescript' | 'prisma';

/** Half-open range of UTF-16 code unit offsets into the file text. */
export interface OffsetRange {
  start: number;
  end: number;
}

/** 1-based line/column location (columns count UTF-16 code units, as editors do). */
export interface LineColumnRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One text edit in UTF-16 offsets. `path` is set only for edits to another file (absolute). */
export interface TextEdit extends OffsetRange {
  text: string;
  path?: string;
}

/**
 * A fix. `safe` fixes preserve behaviour and are applied by `--fix` and fix-all;
 * `suggestion` fixes change behaviour and are only offered as quick fixes.
 */
export interface Fix {
  kind: 'safe' | 'suggestion';
  title: string;
  edits: TextEdit[];
}

/** A secondary location that makes a finding true ("inside this loop"). */
export interface RelatedLocation {
  /** Absolute path of the file. */
  path: string;
  range: OffsetRange;
  loc: LineColumnRange;
  message: string;
}

/** One reported defect. */
export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  /** Absolute path of the file. */
  path: string;
  range: OffsetRange;
  loc: LineColumnRange;
  message: string;
  related: RelatedLocation[];
  fixes: Fix[];
}

/** Why a file was not analysed, or what went wrong while analysing it. */
export interface FileNote {
  path: string;
  kind: 'skipped' | 'parse-error' | 'rule-crash' | 'unreadable' | 'time-budget';
  message: string;
  ruleId?: string;
  /** The note is about a folder (discovery's), not one file. */
  folder?: boolean;
}

/** The result of analysing one file. */
export interface FileResult {
  path: string;
  language: Language;
  /** Number of lines analysed (0 when the file was skipped). */
  lines: number;
  findings: Finding[];
  /** Findings silenced by a perflint-disable directive (counted, not reported). */
  suppressedCount: number;
  notes: FileNote[];
}

/** Score of a workspace: see docs/scoring.md. */
export interface Score {
  overall: number;
  grade: 'A' | 'B' | 'C' | 'D' | 'F';
  categories: Record<ScoredCategory, number>;
}

/** The result of auditing a set of files. */
export interface AuditResult {
  root: string;
  filesScanned: number;
  linesScanned: number;
  durationMs: number;
  files: FileResult[];
  findings: Finding[];
  notes: FileNote[];
  suppressedCount: number;
  score: Score;
  /** Set when the audit was cancelled before every file was analysed. */
  cancelled?: boolean;
}
