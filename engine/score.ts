/**
 * The workspace performance score (docs/scoring.md is the contract; keep them in sync).
 *
 *   weight(finding)     = error 10, warning 3, info 1
 *   density(category)   = Σ weight / max(lines, 1000) × 1000        (weighted findings per 1,000 lines)
 *   sub-score(category) = round(100 × exp(−density / 12))
 *   overall             = round(Σ categoryWeight × sub-score)       (weights sum to 1)
 *   grade               = A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F
 *   a sub-score with findings, and the overall score of a workspace with findings, is at most 99
 *
 * Pure and deterministic. Removing a finding never lowers any number (exp is decreasing and
 * rounding is monotone), a clean workspace scores 100, every value stays within 0–100.
 */
import { SCORED_CATEGORIES, type Finding, type Score, type ScoredCategory, type Severity } from './types';

export const SEVERITY_WEIGHTS: Record<Severity, number> = { error: 10, warning: 3, info: 1 };

export const CATEGORY_WEIGHTS: Record<ScoredCategory, number> = {
  queries: 0.3,
  pagination: 0.2,
  connections: 0.15,
  memory: 0.15,
  regex: 0.1,
  schema: 0.1,
};

/** Density (weighted findings per 1,000 lines) at which a sub-score falls to 100/e ≈ 37. */
export const DENSITY_SCALE = 12;
/** The most a sub-score with findings, or the overall score of a workspace with findings, can be. */
export const MAX_WITH_FINDINGS = 99;
/** Small workspaces are scored as if they had at least this many lines. */
export const MIN_LINES = 1000;

export function gradeFor(overall: number): Score['grade'] {
  return overall >= 90 ? 'A' : overall >= 80 ? 'B' : overall >= 70 ? 'C' : overall >= 60 ? 'D' : 'F';
}

/** Computes the score of a set of findings over `lines` analysed lines. */
export function computeScore(findings: ReadonlyArray<Pick<Finding, 'category' | 'severity'>>, lines: number): Score {
  const totals = Object.fromEntries(SCORED_CATEGORIES.map((c) => [c, 0])) as Record<ScoredCategory, number>;
  for (const finding of findings) {
    if (finding.category in totals) totals[finding.category as ScoredCategory] += SEVERITY_WEIGHTS[finding.severity];
  }
  const perKloc = 1000 / Math.max(lines, MIN_LINES);
  const categories = {} as Record<ScoredCategory, number>;
  let overall = 0;
  for (const category of SCORED_CATEGORIES) {
    const exact = 100 * Math.exp(-(totals[category] * perKloc) / DENSITY_SCALE);
    categories[category] = totals[category] > 0 ? Math.min(MAX_WITH_FINDINGS, Math.round(exact)) : 100;
    overall += CATEGORY_WEIGHTS[category] * exact;
  }
  // 100 means clean: a large workspace would otherwise round a few findings away.
  const anyFinding = SCORED_CATEGORIES.some((category) => totals[category] > 0);
  const rounded = anyFinding ? Math.min(MAX_WITH_FINDINGS, Math.round(overall)) : Math.round(overall);
  return { overall: rounded, grade: gradeFor(rounded), categories };
}

/** How much the overall score (unrounded) would rise if this one finding were fixed. */
export function scoreGain(findings: ReadonlyArray<Pick<Finding, 'category' | 'severity'>>, lines: number, finding: Pick<Finding, 'category' | 'severity'>): number {
  if (!(SCORED_CATEGORIES as readonly string[]).includes(finding.category)) return 0;
  const category = finding.category as ScoredCategory;
  const perKloc = 1000 / Math.max(lines, MIN_LINES);
  let total = 0;
  for (const f of findings) if (f.category === category) total += SEVERITY_WEIGHTS[f.severity];
  const before = 100 * Math.exp(-(total * perKloc) / DENSITY_SCALE);
  const after = 100 * Math.exp(-((total - SEVERITY_WEIGHTS[finding.severity]) * perKloc) / DENSITY_SCALE);
  return CATEGORY_WEIGHTS[category] * (after - before);
}
