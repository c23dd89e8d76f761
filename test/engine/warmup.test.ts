import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTypeScript } from '../../engine/parse';
import { rehearsalText, warmUpSteps } from '../../engine/warmup';
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

  it('rehearses a keystroke with a blank line typed inside a statement near the middle of the file', () => {
    const statements = Array.from({ length: 9 }, (_, i) => `export function f${i}(x: number) {\n  return x * ${i};\n}\n`);
    const text = statements.join('');
    const edited = rehearsalText(parseTypeScript('/m.ts', text))!;
    const at = text.indexOf('export function f4');
    assert.equal(edited, `${text.slice(0, at)}export function f4(x: number) {\n\n  return x * 4;\n}\n${text.slice(at + statements[4].length)}`);
    const tree = parseTypeScript('/m.ts', edited) as unknown as { parseDiagnostics: unknown[] };
    assert.deepEqual(tree.parseDiagnostics, []);
    // single-line statements only: nothing to rehearse
    assert.equal(rehearsalText(parseTypeScript('/one.ts', 'const a = 1;\nconst b = 2;\n')), undefined);
    // the nearest multi-line statement to the middle
    const mixed = 'const a = 1;\nconst b = 2;\nconst c = 3;\nconst d = 4;\nfunction g() {\n  return 1;\n}\n';
    assert.equal(rehearsalText(parseTypeScript('/mixed.ts', mixed)), mixed.replace('function g() {\n', 'function g() {\n\n'));
  });
});
