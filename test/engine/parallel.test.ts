import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { AuditPool, Linter, parseStats, ResultCache, type AuditResult } from '../../engine';
import { allRules } from '../../rules';
import { Triage } from '../../engine/parallel/triage';
import { claimFile, newClaims, type AnalyzedFile } from '../../engine/parallel/protocol';
import { withSlowIndexHere } from '../harness/slowIndex';
import { importedPackagesOf, importIndexEntries, importIndexFiles } from '../../engine/ts/modules';

const repo = [path.resolve(__dirname, '../../..'), process.cwd()].find((dir) => fs.existsSync(path.join(dir, 'examples/shop-api'))) ?? process.cwd();
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-parallel-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

/** The example back end, copied `copies` times into one workspace (each copy its own package). */
function workspace(name: string, copies: number): string {
  const root = path.join(temp, name);
  for (let i = 0; i < copies; i++) fs.cpSync(path.join(repo, 'examples/shop-api'), path.join(root, `app${i}`), { recursive: true });
  return root;
}

/** What must not depend on how the audit ran. */
function essence(result: AuditResult) {
  return {
    files: result.files.map((f) => [f.path, f.lines, f.findings.length]),
    findings: result.findings.map((f) => ({ ...f, fixes: f.fixes.map((x) => x.title) })),
    filesScanned: result.filesScanned,
    linesScanned: result.linesScanned,
    score: result.score,
  };
}

describe('parallel audits', { skip: !AuditPool.available() && 'the worker script is not built' }, () => {
  const root = workspace('app', 2);
  let serialResult: AuditResult | undefined;
  const serial = () => (serialResult ??= new Linter({ root, rules: allRules }).audit());

  it('gives the same result on worker threads as in one thread', () => {
    assert.ok(serial().findings.length > 0, 'the example has findings');
    const parsedBefore = parseStats.count;
    const parallel = new Linter({ root, rules: allRules }).audit({ parallel: { threads: 2, minBytes: 0 } });
    assert.equal(parseStats.count, parsedBefore, 'the main thread parsed nothing: the workers did');
    assert.deepEqual(essence(parallel), essence(serial()));
  });

  it('triages on the main thread (CLI): files no rule needs are done there, the rest by one core fewer of workers', () => {
    let workers = 0;
    const parsedBefore = parseStats.count;
    const result = new Linter({ root, rules: allRules }).audit({ parallel: { threads: 2, minBytes: 0 }, onWorkers: (n) => (workers = n) });
    assert.equal(workers, 1);
    assert.equal(parseStats.count, parsedBefore, 'the main thread only read texts');
    assert.deepEqual(essence(result), essence(serial()));
  });

  it('sets the audit V8 flags once a pool starts, and notes them for the code cache keys of the workers', () => {
    new Linter({ root, rules: allRules }).audit({ parallel: { threads: 1, minBytes: 0 } });
    const noted = (process.env.PERFLINT_V8_FLAGS ?? '').split(' ');
    if (process.env.PERFLINT_HEAP_GROWING_PERCENT === undefined) assert.ok(noted.includes('--heap-growing-percent=30'), noted.join(' '));
    if (process.env.PERFLINT_V8_INTERRUPT_BUDGET === undefined) assert.ok(noted.includes(`--interrupt-budget=${132 * 1024}`), noted.join(' '));
    // the code cache a worker writes after its audit must still hold TypeScript's top-level functions
    if (process.env.PERFLINT_V8_FLUSH_BYTECODE === undefined) assert.ok(noted.includes('--no-flush-bytecode'), noted.join(' '));
    // TurboFan's inlining budgets are not changed by a pool: changing them while code is compiled
    // on background threads aborted V8 (only an audit process's entry sets them, below)
    assert.ok(!noted.some((flag) => flag.startsWith('--max-inlined-bytecode-size')), noted.join(' '));
    new Linter({ root, rules: allRules }).audit({ parallel: { threads: 1, minBytes: 0 } });
    assert.deepEqual((process.env.PERFLINT_V8_FLAGS ?? '').split(' '), noted, 'set once per process');
  });

  it("an audit process's entry sets TurboFan's inlining budgets with the other audit flags before anything runs", () => {
    const script = `const { setAuditProcessV8Flags } = require(${JSON.stringify(path.join(__dirname, '../../engine/parallel/pool.js'))}); setAuditProcessV8Flags(); setAuditProcessV8Flags(); console.log(process.env.PERFLINT_V8_FLAGS);`;
    const env = { ...process.env };
    for (const name of ['PERFLINT_V8_FLAGS', 'PERFLINT_V8_INLINE_CUMULATIVE', 'PERFLINT_V8_INLINE_SIZE', 'PERFLINT_HEAP_GROWING_PERCENT', 'PERFLINT_V8_INTERRUPT_BUDGET', 'PERFLINT_V8_FLUSH_BYTECODE']) delete env[name];
    const noted = execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }).trim().split(' ');
    assert.deepEqual(noted, ['--max-inlined-bytecode-size-cumulative=200', '--max-inlined-bytecode-size=200', '--heap-growing-percent=30', '--no-flush-bytecode', `--interrupt-budget=${132 * 1024}`]);
    // an explicit node flag wins
    const explicit = execFileSync(process.execPath, ['--max-inlined-bytecode-size=300', '-e', script], { env, encoding: 'utf8' }).trim().split(' ');
    assert.ok(!explicit.includes('--max-inlined-bytecode-size=200') && explicit.includes('--max-inlined-bytecode-size-cumulative=200'), explicit.join(' '));
  });

  it('hands a worker that waits on a slow triage untriaged files whole, from the far end, with the same results', () => {
    const linter = new Linter({ root, rules: allRules });
    const files = serial().files.map((f) => f.path).sort();
    const analyzed: AnalyzedFile[] = [];
    const triage = new Triage(linter, files, undefined, (file) => analyzed.push(file));
    const pool = new AuditPool(linter.workerInit()!, [], { onFile: (file) => analyzed.push(triage.withGateInputs(file)) }, { threads: 1, expectedTasks: files.length });
    const feed = triage.feed(pool);
    const spared: string[] = [];
    let calls = 0;
    const outcome = pool.runSync({
      // This thread is slow (a busy machine): the worker runs dry and takes files itself.
      more: () => {
        if (calls++ > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15);
        return feed.more();
      },
      spare: (bytes) => {
        const tasks = feed.spare(bytes);
        spared.push(...tasks.map((t) => t.path));
        return tasks;
      },
    });
    assert.deepEqual(outcome.unfinished, []);
    assert.ok(spared.length > 0, 'the worker took untriaged files');
    assert.deepEqual(spared, files.slice(files.length - spared.length).reverse(), 'from the end of the list, backwards');
    assert.deepEqual(triage.untriaged(), []);
    // Every file once, with the findings a one-thread audit gives.
    assert.deepEqual(analyzed.map((f) => f.path).sort(), files);
    const findingsOf = (results: Array<{ path: string; findings: unknown[] }>) => Object.fromEntries(results.map((r) => [r.path, r.findings]));
    assert.deepEqual(findingsOf(analyzed.map((f) => f.result)), findingsOf(serial().files));
  });

  it('builds the import index with the worker: each file step once, the same index and result as one thread', () => {
    const here: number[] = [];
    let linter: Linter | undefined;
    const result = withSlowIndexHere(here, () => {
      linter = new Linter({ root, rules: allRules });
      return linter.audit({ parallel: { threads: 2, minBytes: 0 } });
    });
    const files = importIndexFiles(linter!.project);
    assert.ok(files.length > 10);
    assert.equal(here.length, new Set(here).size, 'no step ran twice here');
    assert.ok(here.length < files.length, `the worker ran steps too (${files.length - here.length} of ${files.length})`);
    assert.deepEqual(here, here.slice().sort((a, b) => a - b), 'this thread from the front');
    const alone = new Linter({ root, rules: allRules }).project;
    assert.deepEqual(importIndexEntries(linter!.project), importIndexEntries(alone));
    for (const file of files) assert.deepEqual(importedPackagesOf(linter!.project, file), importedPackagesOf(alone, file), file);
    assert.deepEqual(essence(result), essence(serial()));
  });

  it('claims every item of shared work once, from either end', () => {
    const claims = new BigInt64Array(newClaims(7));
    const taken = [claimFile(claims, false), claimFile(claims, true), claimFile(claims, true), claimFile(claims, false), claimFile(claims, true), claimFile(claims, false), claimFile(claims, false)];
    assert.deepEqual(taken, [0, 6, 5, 1, 4, 2, 3]);
    assert.equal(claimFile(claims, true), -1);
    assert.equal(claimFile(claims, false), -1);
    assert.equal(claimFile(new BigInt64Array(newClaims(0)), false), -1);
  });

  it('gives the same result when the workers do everything (triageInThisThread: false)', () => {
    let workers = 0;
    const result = new Linter({ root, rules: allRules }).audit({ parallel: { threads: 2, minBytes: 0, triageInThisThread: false }, onWorkers: (n) => (workers = n) });
    assert.equal(workers, 2);
    assert.deepEqual(essence(result), essence(serial()));
  });

  it('streams results while the main thread stays responsive (auditAsync)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const progress: number[] = [];
    const result = await new Linter({ root, rules: allRules }).auditAsync({ parallel: { threads: 2, minBytes: 0 }, onProgress: (done) => progress.push(done) });
    clearInterval(timer);
    assert.ok(ticks > 0, 'timers ran during the audit');
    assert.equal(progress.length, result.files.length);
    assert.deepEqual(progress, progress.map((_, i) => i + 1));
    assert.deepEqual(essence(result), essence(serial()));
  });

  it('stops when cancelled and says so', () => {
    let calls = 0;
    const result = new Linter({ root, rules: allRules }).audit({ parallel: { threads: 2, minBytes: 0 }, isCancelled: () => ++calls > 3 });
    assert.equal(result.cancelled, true);
    assert.ok(result.files.length < serial().files.length);
  });

  it('fills the cache from the workers; the next audit starts no worker and parses nothing', () => {
    const cacheDir = path.join(temp, 'cache');
    const linter = new Linter({ root, rules: allRules });
    const first = linter.audit({ parallel: { threads: 2, minBytes: 0 }, cache: new ResultCache(cacheDir, root, linter.config.fingerprint) });
    const again = new Linter({ root, rules: allRules });
    const cache = new ResultCache(cacheDir, root, again.config.fingerprint);
    const parsedBefore = parseStats.count;
    const second = again.audit({ parallel: { threads: 2, minBytes: 0 }, cache });
    assert.equal(parseStats.count, parsedBefore);
    assert.equal(cache.stats.misses, 0);
    assert.equal(cache.stats.hits, first.files.length);
    assert.deepEqual(essence(second), essence(first));
  });

  /** The result cache an audit writes (stamps by file name only: their times differ between runs). */
  const cacheOf = (name: string, audit: (linter: Linter, cache: ResultCache) => void) => {
    const cacheDir = path.join(temp, name);
    const linter = new Linter({ root, rules: allRules });
    audit(linter, new ResultCache(cacheDir, root, linter.config.fingerprint));
    const [file] = fs.readdirSync(cacheDir);
    const { stamps, ...rest } = JSON.parse(fs.readFileSync(path.join(cacheDir, file), 'utf8')) as { stamps?: Record<string, unknown>; digests: Record<string, unknown> };
    return { ...rest, stamps: Object.keys(stamps ?? {}).sort() };
  };

  it('writes the same result cache whether the worker ran steps of the import index or not', () => {
    const here: number[] = [];
    const shared = cacheOf('cache-index-shared', (linter, cache) => withSlowIndexHere(here, () => linter.audit({ parallel: { threads: 2, minBytes: 0 }, cache })));
    assert.ok(here.length > 0);
    const oneThread = cacheOf('cache-index-one-thread', (linter, cache) => linter.audit({ cache }));
    assert.ok(Object.keys(shared.digests).length > 0, 'files that read the workspace have a digest');
    assert.deepEqual(shared, oneThread);
  });

  it('writes the same result cache whether the triage thread prepared it while waiting for the workers or not', () => {
    const triaged = cacheOf('cache-triaged', (linter, cache) => linter.audit({ parallel: { threads: 2, minBytes: 0 }, cache }));
    const oneThread = cacheOf('cache-one-thread', (linter, cache) => linter.audit({ cache }));
    assert.ok(Object.keys(triaged.digests).length > 0, 'files that read the workspace have a digest');
    assert.deepEqual(triaged, oneThread);
  });

  it('gives the same result when workers drop their cached facts after every file (memory bound)', () => {
    const result = new Linter({ root, rules: allRules }).audit({ parallel: { threads: 2, minBytes: 0, workerHeapMb: 1 } });
    assert.deepEqual(essence(result), essence(serial()));
  });

  it('falls back to this thread when the worker script is missing', () => {
    const result = new Linter({ root, rules: allRules }).audit({ parallel: { threads: 2, minBytes: 0, workerScript: path.join(temp, 'missing.js') } });
    assert.deepEqual(essence(result), essence(serial()));
  });
});
