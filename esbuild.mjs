// One build script. `node esbuild.mjs` bundles the shipped entry points into dist/;
// `--tests` also transpiles every TypeScript file (no bundling) into dist-test/ for `node --test`;
// `--production` minifies the bundles.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chunkEntrySource, LAZY_CHUNKS, lazyChunksPlugin } from './tools/lazy-chunks.mjs';

const root = path.dirname(new URL(import.meta.url).pathname);
const args = new Set(process.argv.slice(2));
const production = args.has('--production');

/**
 * Bundled entry points; an entry whose source does not exist yet is skipped. dist/cli.js and
 * dist/server.js are also the parallel audit's worker script (engine/parallel/worker.ts), so no
 * separate worker bundle (a second copy of TypeScript) is built or shipped.
 */
const entries = [
  // The CLI loads TypeScript and the regex analysis libraries (chunks of their own) only when a file
  // must be analysed: tools/lazy-chunks.mjs.
  { in: 'cli/bin.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node', external: [], lazyChunks: true },
  ...Object.entries(LAZY_CHUNKS).map(([chunk, packages]) => ({ out: `dist/${chunk}`, external: [], stdin: chunkEntrySource(packages) })),
  { in: 'server/main.ts', out: 'dist/server.js', external: [] },
  { in: 'client/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  // The score panel's webview script runs in the browser.
  { in: 'client/panel/main.ts', out: 'dist/panel.js', external: [], platform: 'browser' },
];

/**
 * `import * as ts from 'typescript'` bundles as `__toESM(require_typescript())`, an object whose
 * every property is a getter: each `ts.isX(node)` in the hot traversal then pays a getter call
 * (~20% of analysis time). Rewriting our own namespace imports to `import ts = require(...)` gives
 * the rules TypeScript's exports object itself; nothing else changes.
 */
const typescriptNamespacePlugin = {
  name: 'typescript-namespace',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!text.includes("from 'typescript'")) return undefined;
      return { contents: text.replace(/^import \* as (\w+) from 'typescript';$/gm, "import $1 = require('typescript');"), loader: 'ts' };
    });
  },
};

async function bundle() {
  const builds = entries
    .filter((entry) => entry.stdin || fs.existsSync(path.join(root, entry.in)))
    .map((entry) =>
      esbuild.build({
        entryPoints: entry.stdin ? undefined : [path.join(root, entry.in)],
        stdin: entry.stdin ? { contents: entry.stdin, resolveDir: root, loader: 'js' } : undefined,
        outfile: path.join(root, entry.out),
        bundle: true,
        platform: entry.platform ?? 'node',
        target: entry.platform === 'browser' ? 'es2022' : 'node20',
        format: entry.platform === 'browser' ? 'iife' : 'cjs',
        external: entry.external,
        banner: entry.banner ? { js: entry.banner } : undefined,
        minify: production,
        sourcemap: production ? false : 'linked',
        logLevel: 'warning',
        // TypeScript's bundle carries optional requires that never run in our use.
        mainFields: ['module', 'main'],
        plugins: entry.lazyChunks ? [lazyChunksPlugin(root), typescriptNamespacePlugin] : [typescriptNamespacePlugin],
      }),
    );
  await Promise.all(builds);
  for (const entry of entries) if ((entry.platform ?? 'node') === 'node') escapeBeyondLatin1(path.join(root, entry.out));
  // The worker bundle of earlier builds: nothing loads it any more.
  for (const stale of ['dist/worker.js', 'dist/worker.js.map']) fs.rmSync(path.join(root, stale), { force: true });
  if (fs.existsSync(path.join(root, 'dist/cli.js'))) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
  copyAssets();
}

/**
 * V8 keeps a script's source for the process's lifetime, one byte per character when every
 * character fits in Latin-1 and two otherwise. esbuild escapes non-ASCII text in strings but not in
 * comments or regex literals (markdown-it has a few): 41 characters made dist/server.js a 24 MB
 * string instead of 12 MB, in the server and in each audit worker. `\uXXXX` means the same in a
 * string, a regex, an identifier or a comment; after a backslash it would not, so that fails the build.
 */
function escapeBeyondLatin1(file) {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  if (!/[^\x00-\xff]/.test(text)) return;
  const escaped = text.replace(/(\\?)([^\x00-\xff])/g, (_, backslash, char) => {
    if (backslash) throw new Error(`${file}: a character beyond Latin-1 after a backslash (${JSON.stringify(char)}) cannot be escaped safely`);
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  fs.writeFileSync(file, escaped);
}

/** Files the bundles read at run time: the Prisma engine's wasm, rule docs for offline viewing. */
function copyAssets() {
  const dist = path.join(root, 'dist');
  fs.mkdirSync(path.join(dist, 'docs/rules'), { recursive: true });
  for (const file of fs.readdirSync(path.join(root, 'rules'))) {
    if (file.endsWith('.md')) fs.copyFileSync(path.join(root, 'rules', file), path.join(dist, 'docs/rules', file));
  }
  const wasmDir = path.join(root, 'node_modules/@prisma/prisma-schema-wasm/src');
  if (fs.existsSync(wasmDir)) {
    for (const file of fs.readdirSync(wasmDir)) if (file.endsWith('.wasm')) fs.copyFileSync(path.join(wasmDir, file), path.join(dist, file));
  }
}

/** Every .ts file under the given folders. */
function listTs(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'fixtures') continue;
      out.push(...listTs(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

async function transpileTests() {
  const folders = ['engine', 'rules', 'cli', 'server', 'client', 'protocol', 'test', 'bench', 'tools'];
  const files = folders.flatMap((folder) => listTs(path.join(root, folder)));
  fs.rmSync(path.join(root, 'dist-test'), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: files,
    outdir: path.join(root, 'dist-test'),
    outbase: root,
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

await bundle();
if (args.has('--tests')) await transpileTests();
