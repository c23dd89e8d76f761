// Lazily loaded chunks of the CLI bundle. TypeScript is ~10 MB of JavaScript (compiling and
// initialising it costs ~0.35 s) and the regular-expression analysis libraries (refa & co.) another
// 1.4 MB with eager initialisation; a warm audit (every result from the cache, nothing parsed) needs
// neither. Each chunk is bundled on its own next to dist/cli.js, and in the CLI bundle each of its
// packages is replaced by a small stand-in module that
//   - holds the package's enums (TypeScript's SyntaxKind, ScriptKind, ...) and primitive exports as
//     data, so module-level code like `new Set([ts.SyntaxKind.X])` runs without loading anything;
//   - defines every other export as a getter that loads the chunk on first use, then replaces all
//     getters with plain data properties (no getter per `ts.*` access in the hot traversal after).
// Used by esbuild.mjs; test/cli/lazy-chunks.test.ts checks that a warm audit loads no chunk.
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** The chunks: file name in dist/ → the packages it holds (each a key of the chunk's exports). */
export const LAZY_CHUNKS = {
  'typescript.js': ['typescript'],
  // @eslint-community/regexpp stays in the bundle (engine/regex.ts builds its parser at load);
  // the chunk has its own copy for these libraries, which only read the syntax trees it produces.
  'regex.js': ['refa', 'regexp-ast-analysis', 'scslre'],
};

/** Source of a chunk's entry: `module.exports = { <package>: require(<package>), ... }`. */
export function chunkEntrySource(packages) {
  return `module.exports = {\n${packages.map((name) => `  ${JSON.stringify(name)}: require(${JSON.stringify(name)}),`).join('\n')}\n};\n`;
}

/** Source of the stand-in module of `name`, generated from the installed package. */
export function standInSource(root, chunk, name) {
  const real = createRequire(path.join(root, 'package.json'))(name);
  const data = {};
  const lazy = [];
  for (const key of Object.keys(real)) {
    const value = real[key];
    const isEnum = value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every((v) => typeof v === 'number' || typeof v === 'string');
    if (isEnum || value === null || (typeof value !== 'object' && typeof value !== 'function')) data[key] = value;
    else lazy.push(key);
  }
  return `'use strict';
const shim = module.exports;
${real.__esModule ? "Object.defineProperty(shim, '__esModule', { value: true });\n" : ''}let real;
function load() {
  if (real) return;
  // Through V8's code cache (cli/compile-cache.ts): every audit worker loads the chunk afresh.
  real = require(${JSON.stringify(path.join(root, 'cli/compile-cache.ts'))}).loadChunk(require('node:path').join(__dirname, ${JSON.stringify(chunk)}))[${JSON.stringify(name)}];
  for (const key of Object.keys(real)) Object.defineProperty(shim, key, { value: real[key], writable: true, enumerable: true, configurable: true });
}
for (const key of ${JSON.stringify(lazy)}) {
  Object.defineProperty(shim, key, { get() { load(); return shim[key]; }, set(value) { load(); shim[key] = value; }, enumerable: true, configurable: true });
}
Object.assign(shim, ${JSON.stringify(data)});
`;
}

/** esbuild plugin for a bundle that loads the chunks lazily: their packages resolve to stand-ins. */
export function lazyChunksPlugin(root) {
  const chunkOf = new Map(Object.entries(LAZY_CHUNKS).flatMap(([chunk, packages]) => packages.map((name) => [name, chunk])));
  const filter = new RegExp(`^(${[...chunkOf.keys()].map((name) => name.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|')})$`);
  return {
    name: 'lazy-chunks',
    setup(build) {
      // Only imports from our own code: the chunks' packages importing each other stay inside the chunk.
      build.onResolve({ filter }, (args) => (args.importer.includes(`${path.sep}node_modules${path.sep}`) ? undefined : { path: args.path, namespace: 'lazy-chunk' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-chunk' }, (args) => ({ contents: standInSource(root, chunkOf.get(args.path), args.path), loader: 'js', resolveDir: root }));
    },
  };
}
