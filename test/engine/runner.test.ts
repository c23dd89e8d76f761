import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { defineRule, Linter, memoryFileSystem, resolveConfig, applyFixes, type Rule } from '../../engine';

const root = path.resolve('/virtual/engine');

const awaitRule = defineRule({
  id: 'test-await',
  meta: { category: 'queries', defaultSeverity: 'warning', description: 'Reports every await.', fix: 'safe', languages: ['typescript'] },
  create(context) {
    return {
      [ts.SyntaxKind.AwaitExpression](node: ts.AwaitExpression) {
        const start = node.getStart(context.sourceFile);
        context.report({ node, message: 'await here', fixes: [{ kind: 'safe', title: 'Remove await', edits: [{ start, end: start + 6, text: '' }] }] });
      },
    };
  },
});

const throwingRule = defineRule({
  id: 'test-throws',
  meta: { category: 'regex', defaultSeverity: 'error', description: 'Always throws.', fix: 'none', languages: ['typescript'] },
  create() {
    return {
      [ts.SyntaxKind.Identifier]() {
        throw new Error('boom');
      },
    };
  },
});

function lint(rules: Rule[], files: Record<string, string>, file = 'a.ts', overlay = {}) {
  const host = memoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [path.join(root, p), t])));
  const linter = new Linter({ root, rules, host, config: resolveConfig({ reportUnusedDisableDirectives: 'info' }, rules, overlay) });
  return linter.analyzePath(file);
}

describe('runner', () => {
  it('reports with 1-based positions', () => {
    const result = lint([awaitRule], { 'a.ts': 'async function f() {\n  await g();\n}\n' });
    assert.equal(result.findings.length, 1);
    assert.deepEqual(result.findings[0].loc, { line: 2, column: 3, endLine: 2, endColumn: 12 });
    assert.equal(result.lines, 3);
  });

  it('isolates a crashing rule: the others still report, the crash is recorded', () => {
    const result = lint([throwingRule, awaitRule], { 'a.ts': 'async function f() { await g(); }' });
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['test-await']);
    assert.equal(result.notes.length, 1);
    assert.equal(result.notes[0].kind, 'rule-crash');
    assert.equal(result.notes[0].ruleId, 'test-throws');
    assert.match(result.notes[0].message, /boom/);
  });

  it('keeps analysing files with syntax errors', () => {
    const result = lint([awaitRule], { 'a.ts': 'async function f() {\n  await g(\n  const x = ;\n' });
    assert.equal(result.findings.length, 1);
  });

  it('skips binary, huge and minified files with a note', () => {
    const binary = lint([awaitRule], { 'a.ts': 'await x;\u0000\u0001\u0002' });
    assert.match(binary.notes[0].message, /binary/);
    const huge = lint([awaitRule], { 'a.ts': 'await x;\n'.repeat(150_000) });
    assert.match(huge.notes[0].message, /larger than 1 MB/);
    const minified = lint([awaitRule], { 'a.ts': 'var a=1;'.repeat(2000) });
    assert.match(minified.notes[0].message, /minified/);
    // transpiled, readable code with an inline source map (one long comment line) is analysed
    const map = `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${'QUJD'.repeat(2000)}`;
    const readable = lint([awaitRule], { 'a.ts': `export async function f(ids: string[]) {\n  for (const id of ids) {\n    await g(id);\n  }\n}\n${map}\n` });
    assert.deepEqual(readable.notes, []);
    assert.equal(readable.findings.length, 1);
    // a minified bundle keeps its note with or without one
    const minifiedWithMap = lint([awaitRule], { 'a.ts': `${'var a=1;'.repeat(2000)}\n${map}\n` });
    assert.match(minifiedWithMap.notes[0].message, /minified/);
  });

  it('survives 20,000-deep nesting', () => {
    const deep = 'const x = ' + '((((((((((\n'.repeat(2000) + '1' + '))))))))))\n'.repeat(2000) + ';\nasync function f() { await g(); }\n';
    const result = lint([awaitRule], { 'a.ts': deep });
    if (result.findings.length === 0) {
      assert.equal(result.notes.length, 1);
      assert.equal(result.notes[0].kind, 'parse-error');
      assert.match(result.notes[0].message, /nesting too deep/);
    } else assert.equal(result.findings.length, 1);
  });

  it('applies severity overrides and turns rules off', () => {
    const text = 'async function f() { await g(); }';
    assert.equal(lint([awaitRule], { 'a.ts': text }, 'a.ts', { rules: { 'test-await': 'error' } }).findings[0].severity, 'error');
    assert.equal(lint([awaitRule], { 'a.ts': text }, 'a.ts', { rules: { 'test-await': 'off' } }).findings.length, 0);
  });

  it('applies a safe fix', () => {
    const text = 'async function f() { await g(); }';
    const result = lint([awaitRule], { 'a.ts': text });
    assert.equal(applyFixes(text, result.findings.flatMap((f) => f.fixes)).text, 'async function f() { g(); }');
  });
});

describe('suppressions', () => {
  it('next-line, line and file directives silence findings and are counted', () => {
    const text = [
      'async function f() {',
      '  // perflint-disable-next-line test-await -- order matters',
      '  await a();',
      '  await b(); // perflint-disable-line test-await',
      '  await c();',
      '}',
    ].join('\n');
    const result = lint([awaitRule], { 'a.ts': text });
    assert.deepEqual(result.findings.map((f) => f.loc.line), [5]);
    assert.equal(result.suppressedCount, 2);
  });

  it('file-level block directive silences the whole file', () => {
    const result = lint([awaitRule], { 'a.ts': '/* perflint-disable test-await */\nasync function f() { await a(); await b(); }' });
    assert.equal(result.findings.length, 0);
    assert.equal(result.suppressedCount, 2);
  });

  it('reports unused directives with a safe removal fix', () => {
    const text = 'function f() {\n  // perflint-disable-next-line test-await -- not needed\n  a();\n}\n';
    const result = lint([awaitRule], { 'a.ts': text });
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].ruleId, 'unused-disable-directive');
    assert.equal(applyFixes(text, result.findings[0].fixes).text, 'function f() {\n  a();\n}\n');
  });

  it('directive text inside strings, templates, regular expressions and JSX text is no directive', () => {
    const text = [
      'async function f() {',
      "  const s = '// perflint-disable-next-line test-await';",
      '  await a();',
      '  const t = `',
      '// perflint-disable-next-line',
      '`;',
      '  await b();',
      '  const r = total*/E_URL="post// perflint-disable-next-line',
      '  await c();',
      '}',
    ].join('\n');
    const result = lint([awaitRule], { 'a.ts': text });
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.loc.line]), [['test-await', 3], ['test-await', 7], ['test-await', 9]]);
    assert.equal(result.suppressedCount, 0);
    const jsx = lint([awaitRule], { 'a.tsx': 'const e = <p>\n  // perflint-disable-next-line\n</p>;\n' }, 'a.tsx');
    assert.deepEqual(jsx.findings, []);
  });

  it('a regular expression that looks like an unused directive is not removed (no rule runs on the file)', () => {
    // The removal would leave `total*/E_URL="post`, an unterminated regular expression.
    const result = lint([awaitRule], { 'a.ts': 'const v = total*/E_URL="post// perflint-disable-next-line\n;\n' });
    assert.deepEqual(result.findings, []);
  });

  it('Prisma directives are comments, not text inside a string', () => {
    const schema = [
      'datasource db {',
      '  provider = "postgresql"',
      '  url      = "postgresql://h/db // perflint-disable-line here"',
      '  relationMode = "prisma" // perflint-disable-line',
      '}',
    ].join('\n');
    const result = lint([awaitRule], { 'schema.prisma': schema }, 'schema.prisma');
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.loc.line]), [['unused-disable-directive', 4]]);
  });

  it('directives for other rules do not silence this one', () => {
    const result = lint([awaitRule], { 'a.ts': 'async function f() {\n  // perflint-disable-next-line n-plus-one\n  await a();\n}' });
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['test-await']);
  });
});
