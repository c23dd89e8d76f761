import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex, lineCountOf } from '../../engine/lines';

describe('line index', () => {
  const texts = ['', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', 'a\rb\rc', 'a\r\n\rb\n\n', '\n\n\n', 'x'.repeat(5000) + '\r'];

  it('lineCountOf counts lines exactly as the index does (LF, CRLF, lone CR)', () => {
    for (const text of texts) assert.equal(lineCountOf(text), new LineIndex(text).lineCount, JSON.stringify(text.slice(0, 20)));
  });

  it('converts offsets and positions both ways', () => {
    const index = new LineIndex('ab\r\ncd\ne');
    assert.deepEqual(index.position(5), { line: 1, character: 1 });
    assert.equal(index.offset(2, 0), 7);
    assert.deepEqual(index.loc({ start: 0, end: 8 }), { line: 1, column: 1, endLine: 3, endColumn: 2 });
  });
});
