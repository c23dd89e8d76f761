import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTypeScript } from '../../engine/parse';
import { warmUpSteps } from '../../engine/warmup';
import { allRules } from '../../rules';

describe('editor warm-up', () => {
  it('analyses its built-in module and every edit, exercising the rules that report while typing', () => {
    const steps = [...warmUpSteps(allRules, 4)];
    assert.equal(steps.length, 5);
    for (const { result } of steps) {
      const rules = new Set(result.findings.map((f) => f.ruleId));
      for (const id of ['n-plus-one', 'regex-per-call', 'unbounded-collection', 'uncapped-page-size']) assert.ok(rules.has(id), `${id} in ${[...rules].join(', ')}`);
      assert.deepEqual(result.notes, []);
    }
    // The edits change the text (a newline typed and removed): positions move, findings stay.
    for (const { result } of steps.slice(1)) assert.equal(result.findings.length, steps[0].result.findings.length);
    assert.notEqual(steps[1].text, steps[0].text);
    assert.equal(steps[2].text, steps[0].text);
  });

  it('yields the text it analysed, which parses, with each step', () => {
    for (const { path, text, result } of warmUpSteps(allRules, 2)) {
      assert.equal(result.path, path);
      const tree = parseTypeScript(path, text) as unknown as { parseDiagnostics: unknown[] };
      assert.deepEqual(tree.parseDiagnostics, []);
      for (const finding of result.findings) assert.ok(finding.range.end <= text.length);
    }
});
});
