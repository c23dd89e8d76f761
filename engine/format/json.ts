/** `--format json`: the stable machine interface described in PRODUCT.md. */
import type { AuditResult } from '../types';
import { PERFLINT_VERSION } from '../version';
import { relativePath } from './common';

export interface JsonFinding {
  ruleId: string;
  category: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** Offsets are UTF-16 code units (JavaScript string indices) into the edited file's text. */
  fixes: Array<{ title: string; kind: 'safe' | 'suggestion'; edits: Array<{ file: string; start: number; end: number; text: string }> }>;
}

export interface JsonReport {
  version: string;
  root: string;
  filesScanned: number;
  linesScanned: number;
  durationMs: number;
  findings: JsonFinding[];
  score: { overall: number; grade: string; categories: Record<string, number> };
  notes: Array<{ file: string; kind: string; message: string; ruleId?: string }>;
}

export function toJsonReport(result: AuditResult): JsonReport {
  return {
    version: PERFLINT_VERSION,
    root: result.root,
    filesScanned: result.filesScanned,
    linesScanned: result.linesScanned,
    durationMs: result.durationMs,
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      category: f.category,
      severity: f.severity,
      file: relativePath(result.root, f.path),
      line: f.loc.line,
      column: f.loc.column,
      endLine: f.loc.endLine,
      endColumn: f.loc.endColumn,
      message: f.message,
      fixes: f.fixes.map((fix) => ({ title: fix.title, kind: fix.kind, edits: fix.edits.map((e) => ({ file: relativePath(result.root, e.path ?? f.path), start: e.start, end: e.end, text: e.text })) })),
    })),
    score: { overall: result.score.overall, grade: result.score.grade, categories: { ...result.score.categories } },
    notes: result.notes.map((n) => ({ file: relativePath(result.root, n.path), kind: n.kind, message: n.message, ...(n.ruleId ? { ruleId: n.ruleId } : {}) })),
  };
}

export function formatJson(result: AuditResult): string {
  return JSON.stringify(toJsonReport(result), null, 2) + '\n';
}
