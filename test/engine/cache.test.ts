import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as ts from 'typescript';
import { defineFact, defineRule, Linter, nodeFileSystem, parseStats, ResultCache, type FileSystemHost, type Rule } from '../../engine';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-cache-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

/** Reports every `await` (depends on its own file only). */
const awaitRule = defineRule({
  id: 'test-await',
  meta: { category: 'queries', defaultSeverity: 'warning', description: 'Reports every await.', fix: 'none', languages: ['typescript'] },
  create(context) {
    return { [ts.SyntaxKind.AwaitExpression]: (node: ts.Node) => context.report({ node, message: 'await here' }) };
  },
});

/** A cross-file fact: the names lib.ts marks as slow (`// slow: name`). */
const slowNames = defineFact('test-slow-names', (project) => {
  const text = project.readText(path.join(project.root, 'src/lib.ts')) ?? '';
  return new Set([...text.matchAll(/\/\/ slow: (\w+)/g)].map((m) => m[1]));
});

/** Reports calls of functions the fact says are slow (depends on another file through a fact). */
const slowCallRule = defineRule({
  id: 'test-slow-call',
  meta: { category: 'queries', defaultSeverity: 'warning', description: 'Reports calls of slow functions.', fix: 'none', languages: ['typescript'] },
  create(context) {
    return {
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        if (ts.isIdentifier(node.expression) && context.project.get(slowNames).has(node.expression.text)) context.report({ node, message: `${node.expression.text} is slow` });
      },
    };
  },
});

function workspace(name: string, files: Record<string, string>): string {
  const root = path.join(temp, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** One audit in a fresh Linter (a new CLI process), counting the source files it reads. */
function audit(root: string, rules: Rule[], cacheDir: string, options: { stampMarginMs?: number; overlay?: Record<string, string> } = {}) {
  const reads: string[] = [];
  const host: FileSystemHost = {
    ...nodeFileSystem,
    readFile(filePath) {
      if (filePath.endsWith('.ts')) reads.push(path.relative(root, filePath));
      return nodeFileSystem.readFile(filePath);
    },
  };
  const linter = new Linter({ root, rules, host });
  for (const [file, text] of Object.entries(options.overlay ?? {})) linter.project.setOverlay(path.join(root, file), text);
  const cache = new ResultCache(cacheDir, root, linter.config.fingerprint, { stampMarginMs: options.stampMarginMs });
  const before = parseStats.count;
  const result = linter.audit({ cache });
  return { result, parsed: parseStats.count - before, reads: [...new Set(reads)].sort(), cache };
}

describe('result cache', () => {
  it('a second audit with nothing changed parses nothing and reports the same', () => {
    const root = workspace('same', {
      'src/a.ts': 'export async function a() { await f(); }\n',
      'src/b.ts': 'export async function b() { await g(); await h(); }\n',
      'src/lib.ts': '// slow: f\nexport function f() {}\n',
    });
    const cacheDir = path.join(temp, 'cache-same');
    const first = audit(root, [awaitRule, slowCallRule], cacheDir);
    assert.equal(first.parsed, 3);
    assert.equal(first.result.findings.length, 4);
    const second = audit(root, [awaitRule, slowCallRule], cacheDir);
    assert.equal(second.parsed, 0, 'nothing re-parsed');
    assert.deepEqual(second.cache.stats, { hits: 3, misses: 0 });
    assert.deepEqual(second.result.findings, first.result.findings);
    assert.equal(second.result.linesScanned, first.result.linesScanned);
  });

  it('re-analyses only the edited file when the others depend on nothing else', () => {
    const root = workspace('edit', { 'src/a.ts': 'async function a() { await f(); }\n', 'src/b.ts': 'async function b() { await g(); }\n' });
    const cacheDir = path.join(temp, 'cache-edit');
    audit(root, [awaitRule], cacheDir);
    fs.writeFileSync(path.join(root, 'src/b.ts'), 'async function b() { await g(); await h(); }\n');
    const second = audit(root, [awaitRule], cacheDir);
    assert.equal(second.parsed, 1);
    assert.equal(second.result.findings.filter((f) => f.path.endsWith('b.ts')).length, 2);
  });

  it('re-analyses a file when a fact it used changed, even though the file did not', () => {
    const root = workspace('fact', {
      'src/a.ts': 'export function a() { f(); g(); }\n',
      'src/lib.ts': '// slow: f\nexport function f() {}\nexport function g() {}\n',
    });
    const cacheDir = path.join(temp, 'cache-fact');
    const first = audit(root, [slowCallRule], cacheDir);
    assert.deepEqual(first.result.findings.map((f) => f.message), ['f is slow']);
    fs.writeFileSync(path.join(root, 'src/lib.ts'), '// slow: f\n// slow: g\nexport function f() {}\nexport function g() {}\n');
    const second = audit(root, [slowCallRule], cacheDir);
    assert.deepEqual(second.result.findings.map((f) => f.message), ['f is slow', 'g is slow']);
  });

  it('re-analyses a file when a fact input outside the analysed files appears', () => {
    const root = workspace('missing-input', { 'src/a.ts': 'export function a() { f(); }\n' });
    const cacheDir = path.join(temp, 'cache-missing');
    assert.equal(audit(root, [slowCallRule], cacheDir).result.findings.length, 0);
    fs.writeFileSync(path.join(root, 'src/lib.ts'), '// slow: f\nexport function f() {}\n');
    assert.deepEqual(audit(root, [slowCallRule], cacheDir).result.findings.map((f) => f.message), ['f is slow']);
  });

  it('starts over when the configuration changes', () => {
    const root = workspace('config', { 'src/a.ts': 'async function a() { await f(); }\n' });
    const cacheDir = path.join(temp, 'cache-config');
    audit(root, [awaitRule], cacheDir);
    fs.writeFileSync(path.join(root, '.perflintrc.json'), JSON.stringify({ rules: { 'test-await': 'error' } }));
    const second = audit(root, [awaitRule], cacheDir);
    assert.equal(second.parsed, 1);
    assert.equal(second.result.findings[0].severity, 'error');
  });

  it('ignores a corrupt cache file', () => {
    const root = workspace('corrupt', { 'src/a.ts': 'async function a() { await f(); }\n' });
    const cacheDir = path.join(temp, 'cache-corrupt');
    const first = audit(root, [awaitRule], cacheDir);
    fs.writeFileSync(first.cache.file!, '{ not json');
    const second = audit(root, [awaitRule], cacheDir);
    assert.equal(second.parsed, 1);
    assert.equal(second.result.findings.length, 1);
  });
});

// File stamps (engine/inputs.ts): a warm audit trusts a remembered text hash when the file's size,
// times and inode are unchanged, instead of reading and hashing it.

/** Files written by a test are seconds old at most: this margin trusts them anyway. */
const TRUST_FRESH_FILES = -60_000;


/** Waits past the file system's time granularity, so the next write gets another ctime. */
function tick(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
}

const messages = (result: { findings: Array<{ path: string; message: string }> }, root: string) => result.findings.map((f) => `${path.relative(root, f.path)}: ${f.message}`);

describe('result cache: file stamps', () => {
  it('a warm audit of unchanged files reads no source text and reports the same', () => {
    const root = workspace('stamps-warm', {
      'src/a.ts': 'export async function a() { await f(); }\n',
      'src/b.ts': 'export async function b() { await g(); await h(); }\n',
      'src/lib.ts': '// slow: f\nexport function f() {}\n',
    });
    const cacheDir = path.join(temp, 'cache-stamps-warm');
    const first = audit(root, [awaitRule, slowCallRule], cacheDir, { stampMarginMs: TRUST_FRESH_FILES });
    assert.equal(first.parsed, 3);
    const second = audit(root, [awaitRule, slowCallRule], cacheDir, { stampMarginMs: TRUST_FRESH_FILES });
    assert.equal(second.parsed, 0);
    assert.deepEqual(second.reads, [], 'no source file read');
    assert.deepEqual(second.cache.stats, { hits: 3, misses: 0 });
    assert.deepEqual(second.result.findings, first.result.findings);
  });

  it('detects a rewrite that keeps the size and the modification time (the change time differs)', () => {
    const before = 'export async function b() { await g(); }\n';
    const after = 'export async function b() { await g(); await h(); }\n';
    const root = workspace('stamps-same-size', { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': before.padEnd(after.length - 1) + '\n' });
    const file = path.join(root, 'src/b.ts');
    const mtime = new Date(1_600_000_000_000);
    fs.utimesSync(file, mtime, mtime);
    const cacheDir = path.join(temp, 'cache-stamps-same-size');
    assert.deepEqual(messages(audit(root, [awaitRule], cacheDir, { stampMarginMs: TRUST_FRESH_FILES }).result, root), ['src/b.ts: await here']);
    tick();
    fs.writeFileSync(file, after);
    fs.utimesSync(file, mtime, mtime);
    assert.equal(fs.statSync(file).mtimeMs, mtime.getTime());
    assert.equal(fs.statSync(file).size, after.length);
    const second = audit(root, [awaitRule], cacheDir, { stampMarginMs: TRUST_FRESH_FILES });
    assert.equal(second.parsed, 1);
    assert.deepEqual(second.reads, ['src/b.ts']);
    assert.deepEqual(messages(second.result, root), ['src/b.ts: await here', 'src/b.ts: await here']);
  });

  it('re-analyses dependants when a fact input changes or disappears', () => {
    const root = workspace('stamps-fact', { 'src/a.ts': 'export function a() { f(); g(); }\n', 'src/lib.ts': '// slow: f\nexport function f() {}\nexport function g() {}\n' });
    const cacheDir = path.join(temp, 'cache-stamps-fact');
    const trust = { stampMarginMs: TRUST_FRESH_FILES };
    assert.deepEqual(messages(audit(root, [slowCallRule], cacheDir, trust).result, root), ['src/a.ts: f is slow']);
    tick();
    fs.writeFileSync(path.join(root, 'src/lib.ts'), '// slow: f\n// slow: g\nexport function f() {}\nexport function g() {}\n');
    assert.deepEqual(messages(audit(root, [slowCallRule], cacheDir, trust).result, root), ['src/a.ts: f is slow', 'src/a.ts: g is slow']);
    fs.rmSync(path.join(root, 'src/lib.ts'));
    assert.deepEqual(messages(audit(root, [slowCallRule], cacheDir, trust).result, root), []);
  });

  it('does not trust stamps of files changed just before the audit started', () => {
    const root = workspace('stamps-racy', { 'src/a.ts': 'async function a() { await f(); }\n', 'src/b.ts': 'async function b() { await g(); }\n' });
    const cacheDir = path.join(temp, 'cache-stamps-racy');
    audit(root, [awaitRule], cacheDir);
    // Default margin: the files are younger than it, so the second audit hashes their text again.
    const second = audit(root, [awaitRule], cacheDir);
    assert.equal(second.parsed, 0);
    assert.deepEqual(second.reads, ['src/a.ts', 'src/b.ts']);
  });

  it('never takes the hash of a file with unsaved editor text from its stamp', () => {
    const root = workspace('stamps-overlay', { 'src/a.ts': 'async function a() { await f(); }\n' });
    const cacheDir = path.join(temp, 'cache-stamps-overlay');
    audit(root, [awaitRule], cacheDir, { stampMarginMs: TRUST_FRESH_FILES });
    const edited = audit(root, [awaitRule], cacheDir, { stampMarginMs: TRUST_FRESH_FILES, overlay: { 'src/a.ts': 'async function a() { await f(); await g(); }\n' } });
    assert.equal(edited.parsed, 1);
    assert.deepEqual(messages(edited.result, root), ['src/a.ts: await here', 'src/a.ts: await here']);
  });
});
