/**
 * The Node bundles stay Latin-1: V8 keeps a script's source for the process's lifetime, one byte
 * per character only when every character fits in Latin-1 (esbuild.mjs escapes the rest).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const dist = path.resolve(__dirname, '../../../dist');

describe('bundles', () => {
  for (const name of ['server.js', 'cli.js', 'typescript.js', 'regex.js', 'extension.js']) {
    it(`dist/${name} has no character beyond Latin-1`, (t) => {
      const file = path.join(dist, name);
      if (!fs.existsSync(file)) return t.skip('not built');
      const text = fs.readFileSync(file, 'utf8');
      const index = text.search(/[^\x00-\xff]/);
      assert.equal(index, -1, `${JSON.stringify(text.slice(Math.max(0, index - 40), index + 10))}`);
    });
  }
});
