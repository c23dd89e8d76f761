import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../cli/main';
import { makeTempDir } from '../harness/tempDir';

const repo = path.resolve(__dirname, '../../..');
const fixtures = path.join(repo, 'test/fixtures/workspaces');

function cli(args: string[], cwd = path.join(fixtures, 'basic')) {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('cli', () => {
  it('prints the JSON shape other programs rely on', () => {
    const { code, stdout } = cli(['--format', 'json']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report).slice(0, 7), ['version', 'root', 'filesScanned', 'linesScanned', 'durationMs', 'findings', 'score']);
    assert.equal(report.root, path.join(fixtures, 'basic'));
    assert.equal(report.filesScanned, 2);
    assert.equal(report.linesScanned, 13);
    assert.equal(typeof report.durationMs, 'number');
    assert.deepEqual(Object.keys(report.score), ['overall', 'grade', 'categories']);
    assert.deepEqual(Object.keys(report.score.categories), ['queries', 'pagination', 'regex', 'memory', 'connections', 'schema']);
    const finding = report.findings.find((f: { ruleId: string }) => f.ruleId === 'regex-per-call');
    assert.ok(finding, 'regex-per-call finding expected in src/search.ts');
    assert.deepEqual(Object.keys(finding), ['ruleId', 'category', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fixes']);
    assert.equal(finding.file, 'src/search.ts');
    assert.equal(finding.line, 2);
    assert.ok(finding.fixes.every((f: { title: string }) => typeof f.title === 'string'));
    // each fix carries its kind and edits: applied to the file's text, they remove the finding's cause
    const fix = finding.fixes[0] as { kind: string; edits: Array<{ file: string; start: number; end: number; text: string }> };
    assert.ok(fix, 'regex-per-call offers a fix');
    assert.ok(fix.kind === 'safe' || fix.kind === 'suggestion');
    assert.ok(fix.edits.length > 0 && fix.edits.every((e) => e.file === 'src/search.ts' && e.start <= e.end));
    let text = fs.readFileSync(path.join(fixtures, 'basic/src/search.ts'), 'utf8');
    for (const e of [...fix.edits].sort((x, y) => y.start - x.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    assert.notEqual(text, fs.readFileSync(path.join(fixtures, 'basic/src/search.ts'), 'utf8'));
  });

  it('JSON and SARIF carry a fix that edits another file (the Prisma schema) with that file named', () => {
    const dir = makeTempDir('cli-schema-fix');
    fs.mkdirSync(path.join(dir, 'prisma'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"x","dependencies":{"@prisma/client":"6.0.0"}}\n');
    fs.writeFileSync(path.join(dir, 'prisma/schema.prisma'), 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel Book {\n  id    Int    @id\n  shelf String\n}\n');
    fs.writeFileSync(path.join(dir, 'src/books.ts'), "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const onShelf = (shelf: string) => prisma.book.findMany({ where: { shelf }, take: 20 });\n");
    const json = JSON.parse(cli(['--format', 'json'], dir).stdout);
    const finding = json.findings.find((f: { ruleId: string }) => f.ruleId === 'unindexed-query');
    assert.ok(finding, 'unindexed-query reports the filter on an unindexed field');
    const schemaFix = finding.fixes.find((f: { edits: Array<{ file: string }> }) => f.edits.some((e) => e.file === 'prisma/schema.prisma'));
    assert.ok(schemaFix, 'a fix edits the schema');
    const sarif = JSON.parse(cli(['--format', 'sarif'], dir).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'unindexed-query');
    const change = result.fixes?.flatMap((f: { artifactChanges: Array<{ artifactLocation: { uri: string }; replacements: Array<{ insertedContent: { text: string } }> }> }) => f.artifactChanges).find((c: { artifactLocation: { uri: string } }) => c.artifactLocation.uri === 'prisma/schema.prisma');
    assert.ok(change, 'the SARIF fix names the schema file');
    assert.match(change.replacements.map((r: { insertedContent: { text: string } }) => r.insertedContent.text).join(''), /@@index\(\[shelf\]\)/);
  });

  it('reports only the given files but still counts them from the root', () => {
    const { stdout } = cli(['--format', 'json', 'src/clean.ts']);
    const report = JSON.parse(stdout);
    assert.equal(report.filesScanned, 1);
    assert.deepEqual(report.findings, []);
    assert.equal(report.score.overall, 100);
  });

  it('audits a folder given as a path (a folder is not a file of its stat size)', () => {
    const report = JSON.parse(cli(['--format', 'json', 'src']).stdout);
    assert.equal(report.filesScanned, 2);
    assert.deepEqual(report.notes ?? [], []);
    assert.ok(report.findings.some((f: { file: string }) => f.file === 'src/search.ts'));
  });

  it('says why nothing was audited when the code is all in folders skipped by default (a package as published)', () => {
    const dir = makeTempDir('dist-only');
    fs.mkdirSync(path.join(dir, 'pkg/dist'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'node_modules/dep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'pkg/dist/index.js'), 'const cache = new Map();\nexport function remember(k) { cache.set(k, 1); }\n');
    fs.writeFileSync(path.join(dir, 'node_modules/dep/index.js'), 'module.exports = {};\n');
    const whole = cli([], dir);
    assert.equal(whole.code, 0);
    assert.match(whole.stdout, /Nothing was audited: pkg\/dist \(no source files outside folders skipped by default as build output or caches \(pkg\/dist\/\); to audit one, make it the root \(perflint --root pkg\/dist\/\)\)/);
    assert.doesNotMatch(whole.stdout, /node_modules/, 'dependencies are never suggested');
    const named = JSON.parse(cli(['--format', 'json', 'pkg/dist'], dir).stdout);
    assert.equal(named.filesScanned, 0);
    assert.deepEqual(named.notes.map((n: { file: string; kind: string }) => [n.file, n.kind]), [['pkg/dist', 'skipped']]);
    assert.match(named.notes[0].message, /inside a folder skipped by default \(dist\/\); to audit it, make it the root \(perflint --root pkg\/dist\)/);
    // As the root, the folder is audited.
    const asRoot = JSON.parse(cli(['--format', 'json', '--root', 'pkg/dist'], dir).stdout);
    assert.equal(asRoot.filesScanned, 1);
    assert.equal(asRoot.findings[0]?.ruleId, 'unbounded-collection');
    // With code elsewhere, the package whose only code is its dist/ is still named (a package as published
    // next to others with sources), in a line of its own.
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src/a.ts'), 'export const a = 1;\n');
    const partly = cli([], dir);
    assert.match(partly.stdout, /No performance findings in 1 file/);
    assert.match(partly.stdout, /\nNot audited: build output skipped by default holds the only code of its package: pkg\/dist\/; to audit one, make it the root \(perflint --root pkg\/dist\/\)\n/);
    assert.doesNotMatch(partly.stdout, /files? not analysed/);
    assert.deepEqual(JSON.parse(cli(['--format', 'json'], dir).stdout).notes.map((n: { file: string; kind: string }) => [n.file, n.kind]), [['pkg/dist', 'skipped']]);
    // A package whose sources sit next to its dist/ (or whose dist/ holds only declarations) gets no such note.
    fs.mkdirSync(path.join(dir, 'pkg/src'));
    fs.writeFileSync(path.join(dir, 'pkg/src/index.ts'), 'export const b = 2;\n');
    fs.mkdirSync(path.join(dir, 'types/dist'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'types/dist/index.d.ts'), 'export declare const c: number;\n');
    assert.deepEqual(JSON.parse(cli(['--format', 'json'], dir).stdout).notes ?? [], []);
  });

  it('writes SARIF 2.1.0 with rules, helpUri and results', () => {
    const { stdout } = cli(['--format', 'sarif']);
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'PerfLint');
    assert.ok(run.tool.driver.rules.length >= 1);
    for (const rule of run.tool.driver.rules.filter((r: { helpUri?: string }) => r.helpUri)) assert.match(rule.helpUri, /rules\/[a-z-]+\.md$/);
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'regex-per-call');
    assert.ok(result);
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'src/search.ts');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 2);
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'regex-per-call');
  });

  it('writes a markdown audit report with the score and a fix-first list', () => {
    const { stdout } = cli(['--format', 'markdown']);
    assert.match(stdout, /^# Performance audit: basic/m);
    assert.match(stdout, /\*\*Score: \d+\/100 \(grade [A-F]\)\*\*/);
    assert.match(stdout, /## Fix first/);
    assert.match(stdout, /`src\/search\.ts:2`/);
  });

  it('prints stylish output with a code frame and the score', () => {
    const { stdout } = cli([]);
    assert.match(stdout, /src\/search\.ts/);
    assert.match(stdout, /> 2 \|   const tagPattern = new RegExp/);
    assert.match(stdout, /\^{5,}/);
    assert.match(stdout, /Performance score: \d+\/100/);
  });

  it('exits 1 on error-severity findings and when warnings exceed --max-warnings', () => {
    assert.equal(cli(['--rule', 'regex-per-call=error']).code, 1);
    const over = cli(['--max-warnings', '0']);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /exceed --max-warnings 0/);
    assert.equal(cli(['--max-warnings', '50']).code, 0);
    assert.equal(cli(['--rule', 'regex-per-call=off', '--rule', 'super-linear-regex=off', '--max-warnings', '0']).code, 0);
  });

  it('--quiet reports errors only', () => {
    const report = JSON.parse(cli(['--quiet', '--format', 'json']).stdout);
    assert.ok(report.findings.every((f: { severity: string }) => f.severity === 'error'));
  });

  it('exits 2 with a one-line message on usage errors', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--bogus'], /Unknown option '--bogus'/],
      [['--format', 'xml'], /unknown format "xml"/],
      [['missing/file.ts'], /path not found: missing\/file\.ts/],
      [['--rule', 'nope=error'], /unknown rule "nope"/],
      [['--rule', 'regex-per-call'], /--rule expects id=/],
      [['--max-warnings=-3'], /--max-warnings needs a non-negative integer, got "-3"/],
      [['--max-warnings', 'many'], /--max-warnings needs a non-negative integer, got "many"/],
      [['--root', 'no/such/dir'], /is not a readable folder/],
      [['--config', 'nope.json'], /config file not found: nope\.json/],
    ];
    for (const [args, message] of cases) {
      const result = cli(args);
      assert.equal(result.code, 2, `${args.join(' ')} should exit 2`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
      assert.equal(result.stdout, '');
    }
  });

  it('names the file and position of an invalid config', () => {
    const result = cli(['--format', 'json'], path.join(fixtures, 'bad-config'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\.perflintrc\.json:4:3: invalid JSON \(property name expected\)|\.perflintrc\.json:\d+:\d+: invalid JSON/);
  });

  it('--output writes the report to a file', () => {
    const dir = makeTempDir('cli');
    const out = path.join(dir, 'report.json');
    const result = cli(['--format', 'json', '--output', out]);
    assert.equal(result.stdout, '');
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).filesScanned, 2);
  });

  it('--fix applies safe fixes to disk and reports what remains', () => {
    const dir = makeTempDir('fix');
    fs.cpSync(path.join(fixtures, 'basic'), dir, { recursive: true });
    const before = JSON.parse(cli(['--format', 'json'], dir).stdout);
    const fixable = before.findings.filter((f: { fixes: unknown[] }) => f.fixes.length > 0).length;
    const after = JSON.parse(cli(['--format', 'json', '--fix'], dir).stdout);
    assert.ok(fixable > 0, 'the fixture has a fixable finding');
    assert.ok(after.findings.length < before.findings.length);
    assert.notEqual(fs.readFileSync(path.join(dir, 'src/search.ts'), 'utf8'), fs.readFileSync(path.join(fixtures, 'basic/src/search.ts'), 'utf8'));
  });

  it('the bundled dist/cli.js runs and prints the version and help', () => {
    const bundle = path.join(repo, 'dist/cli.js');
    const version = spawnSync(process.execPath, [bundle, '--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0);
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).version);
    const json = spawnSync(process.execPath, [bundle, '--format', 'json'], { cwd: path.join(fixtures, 'basic'), encoding: 'utf8' });
    assert.equal(json.status, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).filesScanned, 2);
  });
});
