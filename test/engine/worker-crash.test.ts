/**
 * A worker thread that dies mid-audit (a native crash, an out-of-memory kill, process.exit in a
 * dependency) costs one file, never the audit or the process that runs it: the pool reports that
 * file with a `rule-crash` note, replaces the worker and finishes the other files.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { AuditPool, Linter, type AuditResult } from '../../engine';
import { allRules } from '../../rules';
import { importIndexFiles } from '../../engine/ts/modules';
import { withSlowIndexHere } from '../harness/slowIndex';

const temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-worker-crash-')));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

const entry = path.resolve(__dirname, '../../engine/parallel/worker-entry.js');
/** The real worker, except that it exits when a batch starts with a file named boom.ts. */
const crashingScript = path.join(temp, 'crashing-worker.js');
fs.writeFileSync(
  crashingScript,
  `const { workerData } = require('node:worker_threads');\n` +
    `workerData.port.on('message', (m) => { if (m.type === 'files' && m.files[0].endsWith('boom.ts')) process.exit(3); });\n` +
    `require(${JSON.stringify(entry)});\n`,
);

/** The real worker, except that it claims the last 3 files of the import index and exits before answering. */
const claimingScript = path.join(temp, 'claiming-worker.js');
fs.writeFileSync(
  claimingScript,
  `const { workerData } = require('node:worker_threads');\n` +
    `const { claimFile } = require(${JSON.stringify(path.resolve(__dirname, '../../engine/parallel/protocol.js'))});\n` +
    `workerData.port.on('message', (m) => { if (m.type === 'scan-imports') { const claims = new BigInt64Array(m.claims); for (let i = 0; i < 3; i++) claimFile(claims, true); process.exit(3); } });\n` +
    `require(${JSON.stringify(entry)});\n`,
);

const root = path.join(temp, 'ws');
const files: Record<string, string> = {
  'package.json': '{"name":"crash","dependencies":{"@prisma/client":"6.0.0"}}\n',
  'src/db.ts': "import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n",
  // First in path order, so first handed to a worker; a rule's gate lets it through (a RegExp
  // compiled per call), so the CLI's main thread, which triages files, hands it over too.
  'src/boom.ts': `export const big = [\n${Array.from({ length: 4000 }, (_, i) => `  ${i},`).join('\n')}\n];\nexport const isSlug = (s: string) => new RegExp('^[a-z]+$').test(s);\n`,
  'src/orders.ts':
    "import { prisma } from './db';\n\nexport async function load(ids: string[]) {\n  for (const id of ids) {\n    await prisma.order.findMany({ where: { userId: id }, take: 10 });\n  }\n}\n",
};
for (let i = 0; i < 12; i++) files[`src/m${i}.ts`] = `export function f${i}(xs: number[]) {\n  return xs.map((x) => x + ${i});\n}\n`;
for (const [relative, text] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  fs.writeFileSync(path.join(root, relative), text);
}

function check(result: AuditResult, serial: AuditResult): void {
  const boom = path.join(root, 'src/boom.ts');
  assert.equal(result.files.length, serial.files.length, 'every file has a result');
  const crashed = result.files.find((f) => f.path === boom)!;
  assert.equal(crashed.notes.length, 1, JSON.stringify(crashed.notes));
  assert.equal(crashed.notes[0].kind, 'rule-crash');
  assert.match(crashed.notes[0].message, /analysis worker/);
  const others = (r: AuditResult) => r.files.filter((f) => f.path !== boom).map((f) => [f.path, f.lines, f.findings.map((x) => [x.ruleId, x.range.start])]);
  assert.deepEqual(others(result), others(serial));
  assert.ok(result.findings.some((f) => f.ruleId === 'n-plus-one'), 'the other files were analysed');
}

describe('a crashing audit worker', { skip: !AuditPool.available(entry) && 'the worker script is not built' }, () => {
  const serial = new Linter({ root, rules: allRules }).audit();

  it('costs one file on message events (language server): the worker is replaced and the audit completes', async () => {
    const result = await new Linter({ root, rules: allRules }).auditAsync({ parallel: { threads: 2, minBytes: 0, workerScript: crashingScript } });
    check(result, serial);
  });

  it('costs nothing when it dies holding steps of the import index: the triage thread runs them', () => {
    const here: number[] = [];
    let linter: Linter | undefined;
    const result = withSlowIndexHere(here, () => {
      linter = new Linter({ root, rules: allRules });
      return linter.audit({ parallel: { threads: 2, minBytes: 0, workerScript: claimingScript } });
    });
    const files = importIndexFiles(linter!.project);
    assert.deepEqual(here.slice().sort((a, b) => a - b), files.map((_, i) => i), 'every step ran here, the claimed ones last');
    assert.deepEqual(here.slice(-3).sort(), [files.length - 3, files.length - 2, files.length - 1]);
    const essence = (r: AuditResult) => r.files.map((f) => [f.path, f.lines, f.notes, f.findings.map((x) => [x.ruleId, x.range.start, x.message])]);
    assert.deepEqual(essence(result), essence(serial));
  });

  it('costs one file when the main thread blocks (CLI)', () => {
    const result = new Linter({ root, rules: allRules }).audit({ parallel: { threads: 2, minBytes: 0, workerScript: crashingScript } });
    check(result, serial);
  });
});
