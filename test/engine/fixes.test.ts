import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, type Fix } from '../../engine';

const fix = (title: string, ...edits: Array<[number, number, string]>): Fix => ({ kind: 'safe', title, edits: edits.map(([start, end, text]) => ({ start, end, text })) });

describe('applyFixes', () => {
  it('merges non-overlapping fixes in any order', () => {
    const result = applyFixes('abcdef', [fix('z', [4, 5, 'E']), fix('a', [0, 1, 'A'])]);
    assert.equal(result.text, 'AbcdEf');
    assert.equal(result.applied.length, 2);
  });

  it('drops the later of two overlapping fixes, keeping each fix whole', () => {
    const result = applyFixes('abcdef', [fix('first', [1, 3, 'X'], [5, 6, 'Y']), fix('second', [2, 4, 'Z'])]);
    assert.equal(result.text, 'aXdeY');
    assert.deepEqual(result.skipped.map((f) => f.title), ['second']);
  });

  it('treats two insertions at the same point as overlapping', () => {
    const result = applyFixes('ab', [fix('one', [1, 1, '1']), fix('two', [1, 1, '2'])]);
    assert.equal(result.text, 'a1b');
  });

  it('rejects fixes with out-of-range or self-overlapping edits', () => {
    assert.equal(applyFixes('ab', [fix('oob', [1, 9, 'x'])]).applied.length, 0);
    assert.equal(applyFixes('abcd', [fix('self', [0, 2, 'x'], [1, 3, 'y'])]).applied.length, 0);
  });

  it('skips fixes that edit another file', () => {
    const other: Fix = { kind: 'suggestion', title: 'schema', edits: [{ start: 0, end: 0, text: 'x', path: '/ws/prisma/schema.prisma' }] };
    assert.equal(applyFixes('ab', [other], '/ws/src/a.ts').applied.length, 0);
  });
});
