import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { compileCacheDirectory } from '../../cli/compile-cache';

// cli/compile-cache.ts: our lazily loaded chunks are compiled with V8's code cache. Each case
// runs in a child process, since a thread loads a chunk once.

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-compile-cache-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

const loader = path.resolve(__dirname, '../../cli/compile-cache.js');
const chunk = path.join(temp, 'chunk.js');
fs.writeFileSync(
  chunk,
  `#!/usr/bin/env node
const path = require('node:path');
let runs = (globalThis.chunkRuns ?? 0) + 1;
globalThis.chunkRuns = runs;
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
module.exports = { fib, file: __filename, dir: __dirname, joined: path.join('a', 'b'), runs };
`,
);

/** Loads the chunk twice in a fresh process, flushes, and returns what the loader saw. */
function load(cacheSetting: string | undefined, extra = ''): { log: { cache: string }[]; value: Record<string, unknown>; same: boolean } {
  const script = `const cc = require(${JSON.stringify(loader)});
${extra}
const first = cc.loadChunk(${JSON.stringify(chunk)});
const second = cc.loadChunk(${JSON.stringify(chunk)});
const viaRequire = require(${JSON.stringify(chunk)});
first.fib(15);
cc.flushCompileCache();
process.stdout.write(JSON.stringify({ log: cc.compileCacheLog, value: { ...first, fib: first.fib(10) }, same: first === second && first === viaRequire }));`;
  const env: NodeJS.ProcessEnv = { ...process.env, PERFLINT_V8_FLAGS: '' };
  delete env.PERFLINT_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  if (cacheSetting !== undefined) env.PERFLINT_COMPILE_CACHE = cacheSetting;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env, cwd: temp });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout);
}

const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.v8cache')).sort() : []);

describe('compile cache', () => {
  it('compiles without a cache, writes one, then uses it; the chunk behaves as under require', () => {
    const dir = path.join(temp, 'cache-a');
    const cold = load(dir);
    assert.deepEqual(cold.log.map((entry) => entry.cache), ['none']);
    assert.equal(cold.same, true, 'one instance per thread, also in require.cache');
    assert.deepEqual(cold.value, { fib: 55, file: chunk, dir: temp, joined: path.join('a', 'b'), runs: 1 });
    const [written] = cacheFiles(dir);
    assert.match(written, /^chunk\.js-[0-9a-f]{24}\.v8cache$/);
    assert.ok(fs.statSync(path.join(dir, written)).size > 0);
    const mtime = fs.statSync(path.join(dir, written)).mtimeMs;

    const warm = load(dir);
    assert.deepEqual(warm.log.map((entry) => entry.cache), ['used']);
    assert.deepEqual(warm.value, cold.value);
    assert.deepEqual(cacheFiles(dir), [written]);
    assert.equal(fs.statSync(path.join(dir, written)).mtimeMs, mtime, 'a cache V8 accepted is not rewritten');
  });

  it('a corrupt cache is rejected, never trusted, and replaced', () => {
    const dir = path.join(temp, 'cache-b');
    load(dir);
    const [written] = cacheFiles(dir);
    fs.writeFileSync(path.join(dir, written), 'not a V8 code cache'.repeat(50));
    const rejected = load(dir);
    assert.deepEqual(rejected.log.map((entry) => entry.cache), ['rejected']);
    assert.equal(rejected.value.fib, 55);
    assert.deepEqual(load(dir).log.map((entry) => entry.cache), ['used'], 'the rejected cache was rewritten');
  });

  it('other V8 flags and a changed chunk get caches of their own', () => {
    const dir = path.join(temp, 'cache-c');
    load(dir);
    const setFlags = "require('node:v8').setFlagsFromString('--heap-growing-percent=40'); process.env.PERFLINT_V8_FLAGS = '--heap-growing-percent=40';";
    const withFlags = load(dir, setFlags);
    assert.deepEqual(withFlags.log.map((entry) => entry.cache), ['none'], 'never offered a cache V8 would reject');
    assert.equal(cacheFiles(dir).length, 2);
    assert.deepEqual(load(dir, setFlags).log.map((entry) => entry.cache), ['used']);

    const later = new Date(Date.now() + 5000);
    fs.utimesSync(chunk, later, later);
    assert.deepEqual(load(dir).log.map((entry) => entry.cache), ['none'], 'a rebuilt chunk never meets an old cache');
  });

  it('keeps the newest few caches per chunk', () => {
    const dir = path.join(temp, 'cache-d');
    for (let i = 0; i < 6; i++) {
      const stamp = new Date(Date.now() + 10_000 + i * 1000);
      fs.utimesSync(chunk, stamp, stamp);
      load(dir);
    }
    assert.equal(cacheFiles(dir).length, 4);
  });

  it('turned off: plain require, nothing written', () => {
    for (const setting of ['0', 'off']) {
      const result = load(setting);
      assert.deepEqual(result.log.map((entry) => entry.cache), ['off']);
      assert.equal(result.value.fib, 55);
      assert.equal(result.same, true);
      assert.equal(fs.existsSync(path.join(temp, setting)), false, `'${setting}' is not read as a folder`);
    }
  });

  it('lives in the user cache folder unless told otherwise, never in a workspace', () => {
    assert.equal(compileCacheDirectory({ PERFLINT_COMPILE_CACHE: '0' }), undefined);
    assert.equal(compileCacheDirectory({ NODE_DISABLE_COMPILE_CACHE: '1' }), undefined);
    assert.equal(compileCacheDirectory({ PERFLINT_COMPILE_CACHE: '/somewhere/else' }), path.resolve('/somewhere/else'));
    if (process.platform === 'linux') {
      assert.equal(compileCacheDirectory({ XDG_CACHE_HOME: '/xdg' }), path.join('/xdg', 'perflint', 'compile-cache'));
      assert.equal(compileCacheDirectory({}), path.join(os.homedir(), '.cache', 'perflint', 'compile-cache'));
    }
  });
});
