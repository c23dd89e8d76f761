import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeScore, scoreGain, gradeFor, SCORED_CATEGORIES, type Category, type Severity } from '../../engine';
import { random } from '../harness/random';

type Item = { category: Category; severity: Severity };

function randomFindings(next: () => number, count: number): Item[] {
  const severities: Severity[] = ['error', 'warning', 'info'];
  return Array.from({ length: count }, () => ({
    category: SCORED_CATEGORIES[Math.floor(next() * SCORED_CATEGORIES.length)],
    severity: severities[Math.floor(next() * 3)],
  }));
}

describe('score', () => {
  it('is 100 (grade A) for a clean workspace, whatever its size', () => {
    for (const lines of [0, 10, 1000, 1_000_000]) {
      const score = computeScore([], lines);
      assert.equal(score.overall, 100);
      assert.equal(score.grade, 'A');
      for (const category of SCORED_CATEGORIES) assert.equal(score.categories[category], 100);
    }
  });

  it('is at most 99 with any finding, however large the workspace (100 means clean)', () => {
    const regexWarnings = Array.from({ length: 23 }, () => ({ category: 'regex' as const, severity: 'warning' as const }));
    const score = computeScore(regexWarnings, 158_019);
    assert.equal(score.overall, 99, 'rounds to 100 without the cap (99.6)');
    assert.equal(score.categories.regex, 96);
    assert.equal(score.categories.queries, 100);
    const one = computeScore([{ category: 'regex', severity: 'warning' }], 158_019);
    assert.equal(one.categories.regex, 99, 'rounds to 100 without the cap (99.8)');
    assert.equal(computeScore([{ category: 'memory', severity: 'info' }], 10_000_000).overall, 99);
    assert.equal(computeScore([{ category: 'meta', severity: 'warning' }], 10_000_000).overall, 100, 'meta findings are not scored');
  });

  it('stays within 0..100 even for absurd densities', () => {
    const many = Array.from({ length: 10_000 }, () => ({ category: 'queries' as const, severity: 'error' as const }));
    const score = computeScore(many, 10);
    assert.ok(score.overall >= 0 && score.overall <= 100);
    assert.equal(score.categories.queries, 0);
    assert.equal(score.overall, 70, 'queries weigh 30% of the overall score');
    assert.equal(score.grade, 'C');
    const everywhere = computeScore(SCORED_CATEGORIES.flatMap((category) => many.map(() => ({ category, severity: 'error' as const }))), 10);
    assert.equal(everywhere.overall, 0);
    assert.equal(everywhere.grade, 'F');
  });

  it('never drops when a finding is fixed (random property check)', () => {
    const next = random(42);
    for (let trial = 0; trial < 500; trial++) {
      const findings = randomFindings(next, 1 + Math.floor(next() * 40));
      const lines = Math.floor(next() * 20_000);
      const before = computeScore(findings, lines);
      const removed = Math.floor(next() * findings.length);
      const after = computeScore(findings.filter((_, i) => i !== removed), lines);
      assert.ok(after.overall >= before.overall, `overall dropped ${before.overall} → ${after.overall}`);
      for (const category of SCORED_CATEGORIES) assert.ok(after.categories[category] >= before.categories[category]);
      assert.ok(scoreGain(findings, lines, findings[removed]) >= 0);
    }
  });

  it('is deterministic and independent of finding order', () => {
    const findings = randomFindings(random(7), 30);
    assert.deepEqual(computeScore(findings, 5000), computeScore([...findings].reverse(), 5000));
  });

  it('weighs errors above warnings above infos', () => {
    const one = (severity: Severity) => computeScore([{ category: 'queries', severity }], 1000).categories.queries;
    assert.ok(one('error') < one('warning'));
    assert.ok(one('warning') < one('info'));
    assert.ok(one('info') < 100);
  });

  it('ignores meta findings (unused directives)', () => {
    assert.equal(computeScore([{ category: 'meta', severity: 'error' }], 1000).overall, 100);
  });

  it('uses the documented grade bands', () => {
    assert.deepEqual([95, 90, 89, 80, 79, 70, 69, 60, 59, 0].map(gradeFor), ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'F', 'F']);
  });

  it('matches the worked example in docs/scoring.md', () => {
    // 2 warnings in queries over 2,000 lines: density 3 per 1,000 lines → 100·e^(−3/12) = 77.9 → 78.
    const score = computeScore([{ category: 'queries', severity: 'warning' }, { category: 'queries', severity: 'warning' }], 2000);
    assert.equal(score.categories.queries, 78);
    assert.equal(score.overall, 93);
  });
});
