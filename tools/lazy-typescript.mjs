// Lazy TypeScript for the CLI bundle. TypeScript is ~10 MB of JavaScript: compiling and
// initialising it costs ~0.35 s, which a warm audit (every result from the cache, nothing parsed)
// does not need. The CLI bundle therefore gets, in place of `typescript`, a small module that
//   - holds TypeScript's enums (SyntaxKind, ScriptKind, ...) and primitive exports as data, so
//     module-level code like `new Set([ts.SyntaxKind.X])` runs without TypeScript;
//   - defines every other export as a getter that loads dist/typescript.js (TypeScript, bundled
//     on its own) on first use, then replaces all getters with plain data properties (no getter
//     per `ts.*` access in the hot traversal afterwards).
// Used by esbuild.mjs; test/cli/lazy-typescript.test.ts checks that a warm audit never loads it.
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** File name of the TypeScript chunk, next to the bundle that loads it. */
export const TYPESCRIPT_CHUNK = 'typescript.js';

/** Source of the stand-in module, generated from the installed TypeScript. */
export function lazyTypescriptSource(root) {
  const ts = createRequire(path.join(root, 'package.json'))('typescript');
  const data = {};
  const lazy = [];
  for (const key of Object.keys(ts)) {
    const value = ts[key];
    const isEnum = value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every((v) => typeof v === 'number' || typeof v === 'string');
    if (isEnum || value === null || (typeof value !== 'object' && typeof value !== 'function')) data[key] = value;
    else lazy.push(key);
  }
  return `'use strict';
const shim = module.exports;
let real;
function load() {
  if (real) return;
  real = require(require('node:path').join(__dirname, ${JSON.stringify(TYPESCRIPT_CHUNK)}));
  for (const key of Object.keys(real)) Object.defineProperty(shim, key, { value: real[key], writable: true, enumerable: true, configurable: true });
}
for (const key of ${JSON.stringify(lazy)}) {
  Object.defineProperty(shim, key, { get() { load(); return shim[key]; }, set(value) { load(); shim[key] = value; }, enumerable: true, configurable: true });
}
Object.assign(shim, ${JSON.stringify(data)});
`;
}

/** esbuild plugin: `typescript` resolves to the stand-in module. */
export function lazyTypescriptPlugin(root) {
  return {
    name: 'lazy-typescript',
    setup(build) {
      build.onResolve({ filter: /^typescript$/ }, () => ({ path: 'typescript', namespace: 'lazy-typescript' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-typescript' }, () => ({ contents: lazyTypescriptSource(root), loader: 'js', resolveDir: root }));
    },
  };
}
