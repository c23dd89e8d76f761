import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { warmUpSteps } from '../../engine/warmup';
import { allRules } from '../../rules';

describe('editor warm-up', () => {
  it('analyses its built-in module and every edit, exercising the rules that report while typing', () => {
    const results = [...warmUpSteps(allRules, 4)];
    assert.equal(results.length, 5);
    for (const result of results) {
      const rules = new Set(result.findings.map((f) => f.ruleId));
      for (const id of ['n-plus-one', 'regex-per-call', 'unbounded-collection', 'uncapped-page-size']) assert.ok(rules.has(id), `${id} in ${[...rules].join(', ')}`);
      assert.deepEqual(result.notes, []);
    }
    // The edits change the text (a newline typed and removed): positions move, findings stay.
    assert.equal(results[1].findings.length, results[0].findings.length);
  });
});
