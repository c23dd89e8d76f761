import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidRegex, toRegexLiteral, toStringLiteral, validFlags } from '../../engine/regex';

// Evaluating printed literals is fine in tests (never in engine/ or rules/).
const evaluate = (code: string): unknown => new Function(`return ${code};`)();

describe('engine/regex', () => {
  const patterns: Array<[string, string]> = [
    ['^/api/v\\d+/', 'i'],
    ['a\\/b', ''],
    ['[/]+', 'g'],
    ['line\nbreak', ''],
    ['\\\n', ''],
    ['cr\r\u2028\u2029', 'm'],
    ['', ''],
    ['\\\\/', ''],
    ['(?:)', 'y'],
    ['\\p{L}+/\\u{1F600}', 'u'],
    ['[\\p{L}--[a-z]]/', 'v'],
    ['*'.replace('*', 'x*'), 's'],
  ];
  for (const [source, flags] of patterns) {
    it(`prints ${JSON.stringify(source)}/${flags} as an equivalent literal`, () => {
      assert.ok(isValidRegex(source, flags));
      const literal = toRegexLiteral(source, flags);
      const printed = evaluate(literal) as RegExp;
      const expected = new RegExp(source, flags);
      assert.equal(printed.source, expected.source, literal);
      assert.equal(printed.flags, expected.flags, literal);
    });
  }

  it('rejects invalid patterns and flags', () => {
    assert.equal(isValidRegex('(a', ''), false);
    assert.equal(isValidRegex('a', 'gg'), false);
    assert.equal(isValidRegex('a', 'uv'), false);
    assert.equal(isValidRegex('\\p{L}', 'x'), false);
    assert.equal(isValidRegex('\\-', 'u'), false);
    assert.equal(validFlags('dgimsuy'), true);
  });

  it('prints strings as literals that evaluate back to the same value', () => {
    for (const value of ["it's", 'a\\b', 'line\nbreak', 'tick`${x}', '"quoted"']) {
      for (const quote of ["'", '"', '`'] as const) assert.equal(evaluate(toStringLiteral(value, quote)), value);
    }
  });
});
