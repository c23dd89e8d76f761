/**
 * V8 code cache for the CLI's own lazily loaded chunks (tools/lazy-chunks.mjs: TypeScript, ~10 MB of
 * JavaScript, and the regex analysis libraries). Every audit worker is a fresh V8 isolate that
 * compiles TypeScript again: measured on one core, compiling and initialising it takes ~0.35-0.45 s
 * and the first parses run on lazily compiled functions; with V8's code cache (bytecode of every
 * function compiled so far) it takes ~0.1 s. The same idea as Node 22's `module.enableCompileCache`,
 * which Node 20 lacks.
 *
 * Safety: only our own files next to the bundle are compiled this way, never anything from a
 * workspace. The cache lives in the user's cache folder (never in the workspace, whose
 * `node_modules/.cache` anyone who wrote the repository controls). V8 checks the cache against its
 * version, its flags and the source length and rejects a mismatch; the file name also carries the
 * chunk's size and modification time, so a rebuilt chunk never meets a stale cache. A rejected or
 * unreadable cache only costs the compile it would have saved, and is rewritten.
 *
 * `PERFLINT_COMPILE_CACHE=<dir>` moves the cache, `PERFLINT_COMPILE_CACHE=0` (or Node's
 * `NODE_DISABLE_COMPILE_CACHE=1`) turns it off.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module = require('node:module');
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** Where the cache lives, or undefined when it is turned off. */
export function compileCacheDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.PERFLINT_COMPILE_CACHE;
  if (setting === '0' || setting === 'off' || setting === 'false' || (env.NODE_DISABLE_COMPILE_CACHE ?? '') !== '') return undefined;
  if (setting) return path.resolve(setting);
  let base: string | undefined;
  if (process.platform === 'win32') base = env.LOCALAPPDATA;
  else if (process.platform === 'darwin') base = path.join(os.homedir(), 'Library', 'Caches');
  else base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return base ? path.join(base, 'perflint', 'compile-cache') : undefined;
}

interface PendingCache {
  script: vm.Script;
  cacheFile: string;
}

/** Scripts compiled without a usable cache: their cache is written by `flushCompileCache`. */
const pending: PendingCache[] = [];

/** Chunks loaded by this thread, by path: like `require`, each runs once (regex.js holds three packages). */
const loaded = new Map<string, unknown>();

/** What happened to each chunk loaded by this thread (tests, diagnostics). */
export const compileCacheLog: { file: string; cache: 'off' | 'none' | 'used' | 'rejected' }[] = [];

function cacheFileFor(directory: string, file: string, stat: fs.Stats): string {
  const key = createHash('sha256')
    // PERFLINT_V8_FLAGS: the flags the audit pool sets (engine/parallel/pool.ts); V8 rejects a cache made under other flags.
    .update([process.version, process.arch, process.execArgv.join(' '), process.env.PERFLINT_V8_FLAGS ?? '', path.resolve(file), stat.size, stat.mtimeMs].join('\n'))
    .digest('hex')
    .slice(0, 24);
  return path.join(directory, `${path.basename(file)}-${key}.v8cache`);
}

/**
 * Loads one of our CommonJS chunks like `require(file)` would, compiled with the code cache when
 * there is one. Falls back to a plain `require` when the cache is off or the file cannot be read here.
 */
export function loadChunk(file: string): unknown {
  if (loaded.has(file)) return loaded.get(file);
  const exports = compileChunk(file);
  loaded.set(file, exports);
  return exports;
}

function compileChunk(file: string): unknown {
  const directory = compileCacheDirectory();
  let source: string;
  let stat: fs.Stats;
  try {
    if (!directory) throw new Error('off');
    stat = fs.statSync(file);
    source = fs.readFileSync(file, 'utf8');
  } catch {
    compileCacheLog.push({ file, cache: 'off' });
    return require(file);
  }
  const cacheFile = cacheFileFor(directory, file, stat);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source.startsWith('#!') ? `//${source.slice(2)}` : source), { filename: file, cachedData });
  const outcome = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  compileCacheLog.push({ file, cache: outcome });
  if (outcome !== 'used') pending.push({ script, cacheFile });

  const module = new Module(file, undefined);
  module.filename = file;
  // In require's cache too, as `require(file)` would leave it: a later `require(file)` gets this instance.
  (Module as unknown as { _cache: Record<string, Module> })._cache[file] = module;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext({ displayErrors: true }) as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return module.exports;
}

/**
 * Writes the cache of every chunk this thread compiled without one. Called once the chunk has done
 * real work (an audit worker at the end of its files), since V8's cache then holds the bytecode of
 * every function compiled so far, not only of the top level. Never throws.
 */
export function flushCompileCache(): void {
  for (const { script, cacheFile } of pending.splice(0)) {
    const temporary = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
      const data = script.createCachedData();
      fs.writeFileSync(temporary, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), { mode: 0o600 });
      // Atomic: a process reading the cache meanwhile sees the old file or the new one, never half.
      fs.renameSync(temporary, cacheFile);
      pruneOlderCaches(cacheFile);
    } catch {
      // A read-only home or a full disk: the next run compiles again, nothing else changes.
      try {
        fs.rmSync(temporary, { force: true });
      } catch {
        // (not even that: the file, if any, stays)
      }
    }
  }
}

/** Each build of a chunk gets its own cache file (see `cacheFileFor`): keep the newest few per chunk. */
const CACHES_KEPT_PER_CHUNK = 4;
const CACHE_KEY_SUFFIX = /-[0-9a-f]+\.v8cache$/;

function pruneOlderCaches(cacheFile: string): void {
  const directory = path.dirname(cacheFile);
  const prefix = path.basename(cacheFile).replace(CACHE_KEY_SUFFIX, '-');
  const siblings = fs
    .readdirSync(directory)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.v8cache'))
    .map((name) => {
      const file = path.join(directory, name);
      return { file, mtimeMs: fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0 };
    })
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { file } of siblings.slice(CACHES_KEPT_PER_CHUNK)) fs.rmSync(file, { force: true });
}
