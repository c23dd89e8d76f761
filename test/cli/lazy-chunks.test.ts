import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

// dist/cli.js loads TypeScript (dist/typescript.js) and the regex analysis libraries (dist/regex.js)
// only when a file must be analysed (tools/lazy-chunks.mjs): a warm audit, every result from the
// cache, loads neither.

const repo = path.resolve(__dirname, '../../..');
const bundle = path.join(repo, 'dist/cli.js');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-lazy-chunks-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

/** Preloaded into the CLI process: writes the chunks it required (file names, sorted) to $PROBE_OUT. */
const probe = path.join(temp, 'probe.js');
fs.writeFileSync(
  probe,
  `const path = require('node:path');
process.on('exit', () => {
  const chunks = Object.keys(require.cache).filter((file) => path.dirname(file) === path.dirname(process.argv[1]) && file !== process.argv[1]);
  require('node:fs').writeFileSync(process.env.PROBE_OUT, chunks.map((file) => path.basename(file)).sort().join(','));
});\n`,
);

const compileCache = path.join(temp, 'compile-cache');

function run(root: string, ...args: string[]) {
  const out = path.join(temp, 'probe.out');
  fs.rmSync(out, { force: true });
  const child = spawnSync(process.execPath, ['-r', probe, bundle, '--root', root, '--format', 'json', ...args], { encoding: 'utf8', env: { ...process.env, PROBE_OUT: out, PERFLINT_COMPILE_CACHE: compileCache } });
  assert.ok(child.status === 0 || child.status === 1, child.stderr);
  const report = JSON.parse(child.stdout) as { findings: unknown[]; notes: unknown[]; files?: unknown };
  return { report, chunks: fs.readFileSync(out, 'utf8') };
}

describe('CLI: lazily loaded chunks', () => {
  it('a cold audit loads TypeScript and the regex libraries; a warm one loads neither and reports the same', () => {
    const root = path.join(temp, 'workspace');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "lazy-ts-fixture", "private": true }\n');
    // (a pattern with nested quantifiers: only those need the regex analysis libraries, see below)
    fs.writeFileSync(path.join(root, 'src/check.ts'), 'export function check(lines: string[]) {\n  return lines.filter((line) => new RegExp("^(a+)+$").test(line));\n}\n');
    const cold = run(root);
    assert.equal(cold.chunks, 'regex.js,typescript.js');
    assert.ok(cold.report.findings.length > 0, 'the fixture has a finding');
    const warm = run(root);
    assert.equal(warm.chunks, '', 'the warm audit analysed nothing, so no chunk was loaded');
    assert.deepEqual(warm.report.findings, cold.report.findings);
    assert.deepEqual(warm.report.notes, cold.report.notes);
    assert.equal(run(root, '--no-cache').chunks, 'regex.js,typescript.js', '--no-cache analyses every file');
  });

  it('patterns whose quantifiers cannot backtrack super-linearly never load the regex analysis libraries', () => {
    const root = path.join(temp, 'linear');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "lazy-regex-fixture", "private": true }\n');
    fs.writeFileSync(path.join(root, 'src/check.ts'), 'export function check(lines: string[]) {\n  return lines.filter((line) => new RegExp("^[a-z]+@example\\\\.com$").test(line));\n}\n');
    const cold = run(root, '--no-cache');
    assert.equal(cold.chunks, 'typescript.js');
    assert.deepEqual(
      cold.report.findings.map((f) => (f as { ruleId: string }).ruleId),
      ['regex-per-call'],
    );
  });

  it('the chunks are compiled with a V8 code cache that the next audit uses (cli/compile-cache.ts)', () => {
    const root = path.join(temp, 'workspace');
    const caches = () => new Map(fs.readdirSync(compileCache).map((name) => [name.replace(/-[0-9a-f]+\.v8cache$/, ''), fs.statSync(path.join(compileCache, name)).mtimeMs]));
    const written = caches();
    assert.deepEqual([...written.keys()].sort(), ['regex.js', 'typescript.js'], 'written by the audits above');
    const again = run(root, '--no-cache');
    assert.ok(again.report.findings.length > 0);
    assert.deepEqual(caches(), written, 'V8 accepted both caches: neither was rewritten');
  });
});
