/**
 * Maps the engine's AuditResult to the AuditReport DTO the score panel renders
 * (protocol/auditReport.ts). Pure: no LSP connection, no file system.
 * The numbers come from the engine (computeScore, rankFindings/scoreGain), never recomputed here.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { CATEGORY_WEIGHTS, PERFLINT_VERSION, rankFindings, relativePath, SCORED_CATEGORIES, SEVERITY_WEIGHTS, type AuditResult, type Finding, type Rule, type Severity } from '../engine';
import { AUDIT_REPORT_VERSION, FINDINGS_CAP, type AuditReport, type ReportFinding, type SeverityCounts } from '../protocol/auditReport';

export const SCORE_FORMULA =
  'Each category scores 100 × e^(−d/12), where d is its severity-weighted findings (error 10, warning 3, info 1) per 1,000 analysed lines; the overall score is the weighted mean of the categories (queries 30%, pagination 20%, connections 15%, memory 15%, regex 10%, schema 10%).';

export const SCORING_DOCS_URL = 'https://github.com/perflint/perflint/blob/main/docs/scoring.md';

export const TOP_FILES = 10;
export const FIX_FIRST = 25;

export interface ReportFolder {
  /** Absolute folder path. */
  root: string;
  name: string;
}

export interface BuildReportOptions {
  folders: ReportFolder[];
  rules: readonly Rule[];
  /** ISO time; defaults to now. */
  generatedAt?: string;
}

const emptyCounts = (): SeverityCounts => ({ error: 0, warning: 0, info: 0 });

/** Display path of a file: relative to its folder, prefixed with the folder name when there are several. */
export function displayPath(folders: readonly ReportFolder[], filePath: string): string {
  const owner = folders
    .filter((f) => filePath === f.root || filePath.startsWith(f.root.endsWith(path.sep) ? f.root : f.root + path.sep))
    .sort((a, b) => b.root.length - a.root.length)[0];
  if (!owner) return filePath.split(path.sep).join('/');
  const relative = relativePath(owner.root, filePath);
  return folders.length > 1 ? `${owner.name}/${relative}` : relative;
}

export function buildAuditReport(result: AuditResult, options: BuildReportOptions): AuditReport {
  const ruleById = new Map(options.rules.map((r) => [r.id, r]));
  const docsUrl = (ruleId: string) => ruleById.get(ruleId)?.docsUrl ?? '';
  const toReportFinding = (f: Finding): ReportFinding => ({
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    message: f.message,
    uri: URI.file(f.path).toString(),
    file: displayPath(options.folders, f.path),
    line: f.loc.line,
    column: f.loc.column,
    range: {
      start: { line: f.loc.line - 1, character: f.loc.column - 1 },
      end: { line: f.loc.endLine - 1, character: f.loc.endColumn - 1 },
    },
    fixes: f.fixes.map((x) => x.title),
    docsUrl: docsUrl(f.ruleId),
  });

  const scored = result.findings.filter((f) => f.category !== 'meta');
  const severityCounts = emptyCounts();
  const byCategory = new Map<string, SeverityCounts>();
  const byRule = new Map<string, { category: string; counts: SeverityCounts }>();
  const byFile = new Map<string, { counts: SeverityCounts; weight: number; first: Finding }>();
  for (const f of scored) {
    severityCounts[f.severity]++;
    bump(byCategory, f.category, f.severity);
    let rule = byRule.get(f.ruleId);
    if (!rule) byRule.set(f.ruleId, (rule = { category: f.category, counts: emptyCounts() }));
    rule.counts[f.severity]++;
    let file = byFile.get(f.path);
    if (!file) byFile.set(f.path, (file = { counts: emptyCounts(), weight: 0, first: f }));
    file.counts[f.severity]++;
    file.weight += SEVERITY_WEIGHTS[f.severity];
    if (f.loc.line < file.first.loc.line) file.first = f;
  }

  return {
    version: AUDIT_REPORT_VERSION,
    perflintVersion: PERFLINT_VERSION,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    folders: options.folders.map((f) => ({ name: f.name, uri: URI.file(f.root).toString() })),
    filesScanned: result.filesScanned,
    linesScanned: result.linesScanned,
    durationMs: result.durationMs,
    cancelled: result.cancelled === true,
    score: { overall: result.score.overall, grade: result.score.grade, categories: { ...result.score.categories } },
    formula: SCORE_FORMULA,
    scoringDocsUrl: SCORING_DOCS_URL,
    categories: SCORED_CATEGORIES.map((id) => {
      const counts = byCategory.get(id) ?? emptyCounts();
      return { id, score: result.score.categories[id], weight: CATEGORY_WEIGHTS[id], counts, findings: total(counts) };
    }),
    severityCounts,
    rules: [...byRule]
      .map(([ruleId, { category, counts }]) => ({ ruleId, category, description: ruleById.get(ruleId)?.meta.description ?? '', docsUrl: docsUrl(ruleId), counts, findings: total(counts) }))
      .sort((a, b) => b.findings - a.findings || a.ruleId.localeCompare(b.ruleId)),
    topFiles: [...byFile]
      .map(([filePath, { counts, weight, first }]) => ({ uri: URI.file(filePath).toString(), file: displayPath(options.folders, filePath), weight, counts, findings: total(counts), firstLine: first.loc.line }))
      .sort((a, b) => b.weight - a.weight || b.findings - a.findings || a.file.localeCompare(b.file))
      .slice(0, TOP_FILES),
    fixFirst: rankFindings(result)
      .slice(0, FIX_FIRST)
      .map(({ finding, gain }) => ({ ...toReportFinding(finding), gain })),
    findings: scored.slice(0, FINDINGS_CAP).map(toReportFinding),
    findingsTotal: scored.length,
    suppressedCount: result.suppressedCount,
    notesCount: result.notes.length,
  };
}

function bump(map: Map<string, SeverityCounts>, key: string, severity: Severity): void {
  let counts = map.get(key);
  if (!counts) map.set(key, (counts = emptyCounts()));
  counts[severity]++;
}

function total(counts: SeverityCounts): number {
  return counts.error + counts.warning + counts.info;
}
