import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../cli/main';

const repo = [path.resolve(__dirname, '../../..'), process.cwd()].find((dir) => fs.existsSync(path.join(dir, 'examples/shop-api'))) ?? process.cwd();
const example = path.join(repo, 'examples/shop-api');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-cli-shard-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

function cli(args: string[], cwd = example) {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const out = (name: string) => path.join(temp, name);
const read = (name: string) => JSON.parse(fs.readFileSync(out(name), 'utf8'));

describe('cli: --shard, perflint merge, --list-files, --no-cache', () => {
  it('--list-files prints the files an audit covers; shards split them deterministically and completely', () => {
    const all = cli(['--list-files']).stdout.trim().split('\n');
    assert.ok(all.length >= 4 && all.includes('src/db.ts'));
    const one = cli(['--list-files', '--shard', '1/2']).stdout.trim().split('\n').filter(Boolean);
    const two = cli(['--list-files', '--shard', '2/2']).stdout.trim().split('\n').filter(Boolean);
    assert.deepEqual([...one, ...two].sort(), [...all].sort());
    assert.equal(one.filter((f) => two.includes(f)).length, 0);
    assert.deepEqual(cli(['--list-files', '--shard', '1/2']).stdout.trim().split('\n').filter(Boolean), one, 'same split every time');
    assert.deepEqual(cli(['--list-files', '--shard', '1/1']).stdout.trim().split('\n'), all);
  });

  it('merging the JSON reports of all shards gives the full audit, score recomputed', () => {
    assert.notEqual(cli(['--no-cache', '--format', 'json', '-o', out('full.json')]).code, 2);
    for (const i of [1, 2, 3]) assert.notEqual(cli(['--no-cache', '--format', 'json', '--shard', `${i}/3`, '-o', out(`s${i}.json`)]).code, 2);
    const merged = cli(['merge', out('s1.json'), out('s2.json'), out('s3.json'), '-o', out('merged.json')]);
    assert.notEqual(merged.code, 2, merged.stderr);
    const full = read('full.json');
    const result = read('merged.json');
    assert.ok(full.findings.length > 0, 'the example has findings');
    assert.deepEqual(Object.keys(result), Object.keys(full));
    assert.equal(result.root, full.root);
    assert.equal(result.filesScanned, full.filesScanned);
    assert.equal(result.linesScanned, full.linesScanned);
    assert.deepEqual(result.findings, full.findings);
    assert.deepEqual(result.score, full.score);
    const shardScores = [1, 2, 3].map((i) => read(`s${i}.json`).score.overall);
    assert.ok(shardScores.some((s) => s !== full.score.overall) || shardScores.every((s) => s === 100), 'the score is recomputed, not copied from a shard');
    assert.equal(merged.code, full.findings.some((f: { severity: string }) => f.severity === 'error') ? 1 : 0);
  });

  it('merges SARIF logs: results, rules and the recomputed score', () => {
    cli(['--no-cache', '--format', 'sarif', '-o', out('full.sarif')]);
    cli(['--no-cache', '--format', 'sarif', '--shard', '1/2', '-o', out('a.sarif')]);
    cli(['--no-cache', '--format', 'sarif', '--shard', '2/2', '-o', out('b.sarif')]);
    const merged = cli(['merge', out('a.sarif'), out('b.sarif')]);
    assert.notEqual(merged.code, 2, merged.stderr);
    const sarif = JSON.parse(merged.stdout);
    const full = read('full.sarif');
    assert.equal(sarif.version, '2.1.0');
    const key = (r: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }> }) =>
      `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}:${r.locations[0].physicalLocation.region.startColumn}:${r.ruleId}`;
    assert.deepEqual(sarif.runs[0].results.map(key).sort(), full.runs[0].results.map(key).sort());
    for (const result of sarif.runs[0].results) assert.equal(sarif.runs[0].tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.deepEqual(sarif.runs[0].properties.score, full.runs[0].properties.score);
    assert.equal(sarif.runs[0].properties.linesScanned, full.runs[0].properties.linesScanned);
    assert.equal(sarif.runs[0].properties.filesScanned, full.runs[0].properties.filesScanned);
  });

  it('rejects bad --shard values and bad merge inputs with one-line messages (exit 2)', () => {
    for (const spec of ['0/2', '3/2', 'a/b', '1/0', '2']) {
      const r = cli(['--shard', spec]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^perflint: --shard expects i\/n with 1 ≤ i ≤ n, got ".*"\n$/);
    }
    const none = cli(['merge']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^perflint: merge: give the reports to merge/);
    fs.writeFileSync(out('junk.json'), '{"hello": 1}');
    assert.match(cli(['merge', out('junk.json')]).stderr, /is neither a perflint JSON report nor a SARIF 2\.1\.0 log/);
    fs.writeFileSync(out('broken.json'), '{');
    assert.match(cli(['merge', out('broken.json')]).stderr, /broken\.json is not JSON/);
    assert.match(cli(['merge', out('missing.json')]).stderr, /cannot read .*missing\.json/);
    cli(['--no-cache', '--format', 'json', '-o', out('j.json')]);
    cli(['--no-cache', '--format', 'sarif', '-o', out('s.sarif')]);
    const mixed = cli(['merge', out('j.json'), out('s.sarif')]);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /all reports must be of one kind/);
    const other = JSON.parse(fs.readFileSync(out('j.json'), 'utf8'));
    fs.writeFileSync(out('other-root.json'), JSON.stringify({ ...other, root: '/elsewhere' }));
    assert.match(cli(['merge', out('j.json'), out('other-root.json')]).stderr, /was audited from root \/elsewhere/);
  });

  it('caches results under node_modules/.cache/perflint of the nearest package.json; --no-cache neither reads nor writes it', () => {
    const root = path.join(temp, 'app');
    fs.cpSync(example, root, { recursive: true, filter: (source) => path.basename(source) !== 'node_modules' });
    const cacheDir = path.join(root, 'node_modules/.cache/perflint');
    const cold = cli(['--no-cache', '--format', 'json'], root);
    assert.equal(fs.existsSync(cacheDir), false);
    const first = cli(['--format', 'json'], root);
    assert.equal(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.json')).length, 1);
    const second = cli(['--format', 'json'], root);
    const strip = (text: string) => ({ ...JSON.parse(text), durationMs: 0 });
    assert.deepEqual(strip(first.stdout), strip(cold.stdout));
    assert.deepEqual(strip(second.stdout), strip(cold.stdout));
  });
});
