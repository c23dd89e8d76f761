/**
 * The shipped bundles (dist/server.js, dist/cli.js) carry Prisma's schema engine: esbuild inlines
 * the package's JS, and the package reads `prisma_schema_build_bg.wasm` from `__dirname`, i.e. next
 * to the bundle, where esbuild.mjs copies it. This bundles engine/prisma the same way into a temp
 * folder (no node_modules above it) and checks the engine loads from there, and that without the
 * wasm the engine is reported unavailable instead of crashing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const repo = path.resolve(__dirname, '../../..');

describe('prisma engine in an esbuild bundle', () => {
  it('loads the wasm from next to the bundle', async () => {
    const esbuild = await import('esbuild');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-wasm-'));
    try {
      const entry = path.join(dir, 'entry.ts');
      fs.writeFileSync(entry, [
        `import { prismaEngine, engineLoadError } from ${JSON.stringify(path.join(repo, 'engine/prisma/wasm'))};`,
        `import { schemaSyntaxErrors } from ${JSON.stringify(path.join(repo, 'engine/prisma'))};`,
        `const ok = prismaEngine() !== undefined;`,
        `console.log(JSON.stringify({ ok, error: engineLoadError, errors: ok ? schemaSyntaxErrors('model A {\\n  id Int @id\\n  b Nope\\n}\\n').length : -1 }));`,
      ].join('\n'));
      const out = path.join(dir, 'bundle.js');
      await esbuild.build({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent', mainFields: ['module', 'main'] });
      const run = () => JSON.parse(spawnSync(process.execPath, [out], { cwd: dir, encoding: 'utf8' }).stdout.trim()) as { ok: boolean; error?: string; errors: number };

      const missing = run();
      assert.equal(missing.ok, false, 'without the wasm next to the bundle the engine is unavailable');
      assert.match(missing.error ?? '', /prisma_schema_build_bg\.wasm/);

      const wasmDir = path.join(repo, 'node_modules/@prisma/prisma-schema-wasm/src');
      for (const file of fs.readdirSync(wasmDir)) if (file.endsWith('.wasm')) fs.copyFileSync(path.join(wasmDir, file), path.join(dir, file));
      const present = run();
      assert.equal(present.ok, true, present.error);
      assert.ok(present.errors > 0, 'the bundled engine lints');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
