import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Linter, memoryFileSystem } from '../../engine';
import { isValidRegex } from '../../engine/regex';
import { upperSnakeCase } from '../../engine/ts/hoist';
import superLinearRegex from '../../rules/super-linear-regex';

// Module-level memos keyed by strings that come out of a file's text (regex patterns, names) are
// V8 slices of that text: kept as keys (or analysed into cached values), they would keep every such
// file alive for the process's lifetime.
describe('string-keyed memos do not keep file texts alive', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const heapAfterGc = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const MB = 1 << 20;

  it('regex validity and constant names', () => {
    const before = heapAfterGc();
    for (let i = 0; i < 20; i++) {
      const text = `${String(i).repeat(MB)}\nconst longEnoughName${i}ToBeSliced = /^(?:[a-z0-9]+-)*suffix-number-${i}$/;\n`;
      const name = /const (\w+)/.exec(text)![1];
      const pattern = /= \/(.+)\/;/.exec(text)![1];
      assert.equal(isValidRegex(pattern, ''), true);
      upperSnakeCase(name);
    }
    const grown = heapAfterGc() - before;
    assert.ok(grown < 5 * MB, `the memos kept ${Math.round(grown / MB)} MB of file text`);
  });

  it("super-linear-regex's analysis cache", () => {
    const before = heapAfterGc();
    const findings = analyseLargeFiles();
    assert.equal(findings, 12);
    const grown = heapAfterGc() - before;
    assert.ok(grown < 3 * MB, `the analysis cache kept ${Math.round(grown / MB)} MB of file text`);
  });
});

/** Analyses 12 large files with super-linear-regex in a throw-away workspace (in its own frame, so nothing of it stays on the stack). */
function analyseLargeFiles(): number {
  const root = path.resolve('/virtual/memo-memory');
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) {
    files[path.join(root, `src/f${i}.ts`)] = `${'// padding line of a large module\n'.repeat(15000)}export const ok${i} = (s: string) => /^(a+)+b-${i}$/.test(s);\n`;
  }
  // The linter trims after every file: only the rule's own cache could keep a text.
  const linter = new Linter({ root, rules: [superLinearRegex], host: memoryFileSystem(files), syntaxBudget: 1 });
  let findings = 0;
  for (const file of Object.keys(files)) findings += linter.analyzePath(file).findings.length;
  return findings;
}
