/**
 * Hostile or broken input never crashes, hangs or exhausts memory. Every case runs the real rule
 * registry (whatever it holds) on a real temporary workspace, and is bounded in time.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as ts from 'typescript';
import { runCli } from '../../cli/main';
import { ConfigError, defineRule, discoverFiles, Linter, memoryFileSystem, nodeFileSystem, type AuditResult, type FileResult, type FileSystemHost, type Rule } from '../../engine';
import { allRules } from '../../rules';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-robust-'));
after(() => {
  fs.chmodSync(temp, 0o755);
  fs.rmSync(temp, { recursive: true, force: true });
});

let counter = 0;
function workspace(files: Record<string, string | Uint8Array>): string {
  const root = path.join(temp, `w${++counter}`);
  fs.mkdirSync(root, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

/** Audits a workspace with every registered rule; fails on escaped exceptions and rule crashes. */
function auditAll(root: string, rules: readonly Rule[] = allRules): AuditResult {
  const result = new Linter({ root, rules }).audit();
  for (const file of result.files) checkInvariants(file, fs.readFileSync(file.path, 'utf8').replace(/^\uFEFF/, ''));
  return result;
}

/** Every finding's range and location lie inside the text. */
function checkInvariants(result: FileResult, text: string): void {
  for (const finding of result.findings) {
    assert.ok(finding.range.start >= 0 && finding.range.start <= finding.range.end && finding.range.end <= text.length, `${finding.ruleId} range outside the file`);
    assert.ok(finding.loc.line >= 1 && finding.loc.column >= 1, `${finding.ruleId} location not 1-based`);
  }
}

/**
 * Rule crashes other than a stack overflow on pathological nesting, which the runner isolates by
 * design (the rule is dropped for that file, the others still report).
 */
function crashes(result: AuditResult) {
  return result.notes.filter((n) => n.kind === 'rule-crash' && !/nesting too deep/.test(n.message)).map((n) => `${n.ruleId}: ${n.message}`);
}

function timed<T>(limitMs: number, what: string, fn: () => T): T {
  const started = performance.now();
  const value = fn();
  const elapsed = performance.now() - started;
  assert.ok(elapsed < limitMs, `${what} took ${Math.round(elapsed)} ms (limit ${limitMs} ms)`);
  return value;
}

const SAMPLE = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function handler(ids: string[]) {
  const out = [];
  for (const id of ids) {
    out.push(await prisma.user.findUnique({ where: { id } }));
  }
  const re = new RegExp('^(a+)+$');
  return out.filter((u) => re.test(String(u)));
}
`;

describe('robustness', () => {
  it('survives every prefix of a file being typed (syntax errors mid-typing)', () => {
    const linter = new Linter({ root: workspace({}), rules: allRules });
    timed(10_000, 'prefixes', () => {
      for (let end = 0; end <= SAMPLE.length; end += 3) {
        const text = SAMPLE.slice(0, end);
        const result = linter.analyzeText('src/typing.ts', text);
        checkInvariants(result, text);
        assert.deepEqual(result.notes.filter((n) => n.kind === 'rule-crash'), [], `crash at prefix ${end}`);
      }
    });
  });

  it('handles 20,000-deep nesting without overflowing the stack', () => {
    const depth = 20_000;
    const root = workspace({
      'src/parens.ts': `export const x = ${'('.repeat(depth)}1${')'.repeat(depth)};\n`,
      'src/blocks.ts': `export function f() {\n${'{\n'.repeat(depth)}g();\n${'}\n'.repeat(depth)}}\n`,
      'src/calls.ts': `export const y = ${'f('.repeat(depth)}0${')'.repeat(depth)};\n`,
      'src/arrows.ts': `export const z = ${'() => '.repeat(depth)}0;\n`,
    });
    const result = timed(20_000, 'deep nesting', () => auditAll(root));
    assert.equal(result.files.length, 4);
    assert.deepEqual(crashes(result), []);
  });

  it('handles a 300,000-term expression in a bounded multiple of the parser alone', () => {
    const text = `export const total =\n${'a+\n'.repeat(300_000)}a;\n`;
    const root = workspace({ 'src/sum.ts': text });
    // The parser alone is slow on this input; what matters is that the rules add no blow-up.
    const started = performance.now();
    ts.createSourceFile('sum.ts', text, ts.ScriptTarget.Latest, true);
    const parseMs = performance.now() - started;
    const result = timed(6 * parseMs + 5_000, '300k terms', () => auditAll(root));
    assert.equal(result.files.length, 1);
    assert.equal(result.linesScanned, 300_002);
    assert.deepEqual(crashes(result), []);
  });

  it('skips a 20 MB minified bundle with a note, quickly', () => {
    const chunk = 'var a=function(b){return b.map(function(c){return new RegExp("x"+c).test(c)})};';
    const root = workspace({ 'src/app.js': chunk.repeat(Math.ceil((20 * 1024 * 1024) / chunk.length)), 'src/ok.ts': 'export const ok = 1;\n' });
    const result = timed(10_000, '20 MB bundle', () => new Linter({ root, rules: allRules }).audit());
    const note = result.notes.find((n) => n.path.endsWith('app.js'));
    assert.ok(note && note.kind === 'skipped', 'the bundle is skipped with a note');
    assert.match(note.message, /larger than 1 MB|minified/);
    assert.equal(result.filesScanned, 1);
  });

  it('skips binary files with source extensions, and survives invalid UTF-8', () => {
    const binary = new Uint8Array(8192);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 256;
    const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
    const invalidUtf8 = Uint8Array.from([...ascii('export const s = "'), 0xc3, 0x28, 0xff, 0xfe, 0xa0, 0xa1, ...ascii('";\nexport async function f(xs: string[]) { for (const x of xs) await g(x); }\n')]);
    const highBytes = new Uint8Array(6000);
    for (let i = 0; i < highBytes.length; i++) highBytes[i] = 0x80 + ((i * 31) % 0x7f);
    const root = workspace({ 'src/image.ts': binary, 'src/bad.ts': invalidUtf8, 'src/high.tsx': highBytes });
    const result = auditAll(root);
    const note = result.notes.find((n) => n.path.endsWith('image.ts'));
    assert.equal(note?.kind, 'skipped');
    assert.match(note!.message, /binary/);
    assert.deepEqual(crashes(result), []);
  });

  it('reports exact positions in CRLF files with a byte-order mark, and handles empty files', () => {
    const marker = defineRule({
      id: 'test-marker',
      meta: { category: 'queries', defaultSeverity: 'warning', description: 'Reports MARK identifiers.', fix: 'none', languages: ['typescript'] },
      create: (context) => ({ [ts.SyntaxKind.Identifier]: (node: ts.Identifier) => (node.text === 'MARK' ? context.report({ node, message: 'mark' }) : undefined) }),
    });
    const root = workspace({ 'src/crlf.ts': '\uFEFFconst a = 1;\r\nconst b = 2;\r\n  MARK;\r\n', 'src/empty.ts': '', 'src/blank.ts': '\r\n\r\n' });
    const result = new Linter({ root, rules: [marker] }).audit();
    assert.equal(result.findings.length, 1);
    assert.deepEqual(result.findings[0].loc, { line: 3, column: 3, endLine: 3, endColumn: 7 });
    const text = fs.readFileSync(path.join(root, 'src/crlf.ts'), 'utf8').slice(1);
    assert.equal(text.slice(result.findings[0].range.start, result.findings[0].range.end), 'MARK');
    const empty = result.files.find((f) => f.path.endsWith('empty.ts'))!;
    assert.equal(empty.lines, 0);
    assert.deepEqual(empty.findings, []);
    assert.deepEqual(crashes(auditAll(root)), []);
  });

  it('rejects an invalid .perflintrc.json with file:line:col, in the engine and the CLI', () => {
    const root = workspace({ '.perflintrc.json': '{\n  "rules": {\n    "regex-per-call": \n  }\n}\n', 'src/a.ts': 'export {};\n' });
    assert.throws(() => new Linter({ root, rules: allRules }), (error: unknown) => error instanceof ConfigError && /\.perflintrc\.json:4:3: invalid JSON/.test(error.message));
    let stderr = '';
    const code = runCli(['--no-cache'], { cwd: root, stdout: () => undefined, stderr: (t) => (stderr += t) });
    assert.equal(code, 2);
    assert.match(stderr, /^perflint: .*\.perflintrc\.json:4:3: invalid JSON \(value expected\)\n$/);
  });

  it('survives invalid Prisma schemas', () => {
    const root = workspace({
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env(\nmodel User {\n  id Int @id\n  posts Post[]\n  @@index([\n}\nmodel {\n',
      'prisma/other.prisma': '\u0000\u0001garbage {{{{ }}}',
      'src/a.ts': "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const f = () => prisma.user.findMany({ where: { email: 'x' } });\n",
    });
    const result = timed(20_000, 'invalid prisma', () => auditAll(root));
    assert.deepEqual(crashes(result), []);
  });

  it('terminates on symlink loops and says so for unreadable folders', () => {
    const root = workspace({ 'src/a.ts': 'export const a = 1;\n', 'locked/b.ts': 'export const b = 1;\n' });
    fs.symlinkSync('..', path.join(root, 'src/loop'));
    fs.symlinkSync(path.join(root, 'src'), path.join(root, 'src/self'));
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    try {
      const result = timed(5_000, 'symlink loops', () => discoverFiles(root, nodeFileSystem));
      assert.ok(result.files.includes(path.join(root, 'src/a.ts')));
      assert.equal(new Set(result.files).size, result.files.length, 'no file listed twice');
      // chmod 000 does not stop root (these tests may run as root): then the folder is read.
      const unreadable = result.notes.some((n) => n.kind === 'unreadable' && n.path.endsWith('locked'));
      const readable = fs.readdirSync(path.join(root, 'locked'), { withFileTypes: false }).length > 0;
      assert.equal(unreadable, !readable);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
      const result = discoverFiles(root, nodeFileSystem);
      assert.ok(result.notes.some((n) => n.kind === 'unreadable' && n.path.endsWith('locked')), 'unreadable folder noted');
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755);
    }
    // Independent of the user: a folder the host cannot list is noted, never fatal.
    const host = memoryFileSystem({ '/v/src/a.ts': 'export {};' });
    const blind = { ...host, readDirectory: (dir: string) => (dir.endsWith('src') ? undefined : host.readDirectory(dir)) };
    const result = discoverFiles('/v', blind);
    assert.deepEqual(result.files, []);
    assert.match(result.notes[0].message, /could not be read/);
  });

  it('bounds discovery of a 100,000-file workspace with a clear message', () => {
    // A generated workspace of 100 packages × 1,000 modules, served by a host (writing 100,000
    // real files takes minutes on a busy disk); the real file system is covered below.
    const host: FileSystemHost = {
      readFile: () => '',
      fileSize: () => 0,
      realPath: (p) => p,
      readDirectory(dir) {
        if (dir === '/huge') return Array.from({ length: 100 }, (_, d) => ({ name: `pkg${d}`, kind: 'directory' as const }));
        if (/^\/huge\/pkg\d+$/.test(dir)) return Array.from({ length: 1000 }, (_, f) => ({ name: `m${f}.ts`, kind: 'file' as const }));
        return undefined;
      },
    };
    const result = timed(10_000, 'discovery of 100,000 files', () => discoverFiles('/huge', host));
    assert.equal(result.files.length, 50_000);
    assert.match(result.notes[0].message, /more than 50000 source files: discovery stopped there; narrow the paths or add ignorePatterns/);

    const root = path.join(temp, 'many');
    for (let d = 0; d < 20; d++) {
      fs.mkdirSync(path.join(root, `pkg${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(root, `pkg${d}`, `m${f}.ts`), '');
    }
    const onDisk = timed(10_000, 'discovery on disk', () => discoverFiles(root, nodeFileSystem, { maxFiles: 1500 }));
    assert.equal(onDisk.files.length, 1500);
    assert.match(onDisk.notes[0].message, /more than 1500 source files: discovery stopped there/);
  });

  it('stops runaway analysis at the per-file time budget and names the file and the slowest rule', () => {
    const slow = defineRule({
      id: 'test-slow',
      meta: { category: 'queries', defaultSeverity: 'warning', description: 'Burns time on every identifier.', fix: 'none', languages: ['typescript'] },
      create: () => ({
        [ts.SyntaxKind.Identifier]() {
          const until = performance.now() + 5;
          while (performance.now() < until);
        },
      }),
    });
    const fast = defineRule({
      id: 'test-fast',
      meta: { category: 'queries', defaultSeverity: 'warning', description: 'Does nothing on every identifier.', fix: 'none', languages: ['typescript'] },
      create: () => ({ [ts.SyntaxKind.Identifier]() {} }),
    });
    const root = workspace({ 'src/big.ts': Array.from({ length: 2000 }, (_, i) => `const v${i} = w${i};`).join('\n') });
    const linter = new Linter({ root, rules: [fast, slow] });
    const result = timed(5_000, 'budgeted analysis', () => linter.audit({ analyze: { timeBudgetMs: 200 } }));
    const note = result.notes.find((n) => n.kind === 'time-budget');
    assert.ok(note, 'a time-budget note');
    assert.equal(note.path, path.join(root, 'src/big.ts'));
    assert.equal(note.ruleId, 'test-slow');
    assert.match(note.message, /200 ms per-file time budget \(slowest rule: test-slow\)/);
  });
});
