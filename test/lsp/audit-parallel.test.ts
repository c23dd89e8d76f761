/**
 * The workspace audit on worker threads of the BUNDLED server (dist/server.js is its own worker
 * script) and its result cache under the editor's storage folder: parity with the CLI, a second
 * audit served from the cache (also after a restart), changes on disk and unsaved editor text
 * re-analysed, prompt cancellation while workers run, requests answered during the audit.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { runCli } from '../../cli/main';
import type { JsonReport } from '../../engine';
import type { AuditReport } from '../../protocol/auditReport';
import { AuditWorkspaceRequest } from '../../protocol/protocol';
import { LspClient, PULL_CAPABILITIES, REPO_ROOT, SERVER_PATH, uriOf, writeFile } from '../harness/lspClient';

const temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-audit-parallel-')));
const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  fs.rmSync(temp, { recursive: true, force: true });
});

let workspaces = 0;
/** A copy of the real-editor fixture (Prisma schema, N+1, regex, cache) plus `extra` files. */
function workspace(extra: Record<string, string> = {}): string {
  const root = path.join(temp, `ws${++workspaces}`);
  fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/e2e-workspace'), root, { recursive: true, filter: (source) => !source.includes('node_modules') });
  for (const [relative, text] of Object.entries(extra)) writeFile(root, relative, text);
  return root;
}

/** `count` modules of plain code (no findings), to make the audit long enough to cancel. */
function filler(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  const body = (i: number) =>
    Array.from({ length: 20 }, (_, j) => `export function f${i}_${j}(xs: number[]) {\n  return xs.map((x) => x * ${j}).filter((x) => x > ${i});\n}\n`).join('');
  for (let i = 0; i < count; i++) files[`src/filler/m${i}.ts`] = body(i);
  return files;
}

async function start(root: string, storagePath: string | undefined): Promise<LspClient> {
  // auditParallelMinBytes 0: even this small workspace goes to worker threads.
  const client = await LspClient.start({ root, capabilities: PULL_CAPABILITIES, initializationOptions: { storagePath, auditParallelMinBytes: 0 } });
  clients.push(client);
  return client;
}

interface AuditLog {
  files: number;
  cached: number;
  analysed: number;
  workers: number;
}

/** The counts of the last "Workspace audit: …" log line. */
function lastAuditLog(client: LspClient): AuditLog {
  const line = client.logs.map((l) => l.message).filter((m) => m.startsWith('Workspace audit:')).pop() ?? '';
  const match = /^Workspace audit: ([\d,]+) files \(([\d,]+) from the cache, ([\d,]+) analysed(?: on (\d+) worker threads?| in the server thread)?\)/.exec(line);
  assert.ok(match, `audit log line: ${line}`);
  const n = (s: string | undefined) => Number((s ?? '0').replace(/,/g, ''));
  return { files: n(match[1]), cached: n(match[2]), analysed: n(match[3]), workers: n(match[4]) };
}

/** Waits for the log line of the audit that answered (logMessage may trail the response). */
async function auditLog(client: LspClient, audits: number): Promise<AuditLog> {
  await client.waitFor(() => client.logs.filter((l) => l.message.startsWith('Workspace audit:')).length >= audits, 5000, 'the audit log line');
  return lastAuditLog(client);
}

function cli(root: string): JsonReport {
  let stdout = '';
  const code = runCli(['--root', root, '--format', 'json', '--no-cache'], { cwd: root, stdout: (t) => (stdout += t), stderr: () => undefined });
  assert.ok(code === 0 || code === 1, `CLI exit ${code}`);
  return JSON.parse(stdout) as JsonReport;
}

const essence = (report: AuditReport) => ({ score: report.score, files: report.filesScanned, lines: report.linesScanned, findings: report.findings.map((f) => [f.ruleId, f.file, f.line, f.column, f.message]) });

describe('workspace audit on worker threads with the result cache', () => {
  it('matches the CLI on workers; an unchanged workspace is served from the cache, also after a restart; a change on disk is re-analysed', async () => {
    const root = workspace();
    const storage = path.join(temp, 'storage-1');
    const expected = cli(root);
    const scored = expected.findings.filter((f) => f.category !== 'meta');
    assert.ok(scored.length >= 3, `the fixture has findings (${scored.length})`);

    const bundleTime = fs.statSync(SERVER_PATH).mtimeMs;
    const client = await start(root, storage);
    const first = await client.request<AuditReport>(AuditWorkspaceRequest.method, {});
    const firstLog = await auditLog(client, 1);
    assert.ok(firstLog.workers >= 1, `analysed on worker threads of dist/server.js: ${JSON.stringify(firstLog)}`);
    assert.equal(firstLog.cached, 0);
    assert.equal(firstLog.analysed, expected.filesScanned);
    assert.deepEqual(first.score, expected.score);
    assert.deepEqual(
      first.findings.map((f) => [f.ruleId, f.file, f.line, f.column, f.message]),
      scored.map((f) => [f.ruleId, f.file, f.line, f.column, f.message]),
    );
    // Files that are not open got the findings as diagnostics.
    const orders = uriOf(path.join(root, 'src/orders.ts'));
    assert.ok((await client.diagnosticsFor(orders)).some((d) => d.code === 'n-plus-one'));

    // The cache lives in a sub-folder of the storage folder keyed by the workspace folder.
    const cacheFolders = fs.readdirSync(path.join(storage, 'audit-cache'));
    assert.equal(cacheFolders.length, 1);
    assert.ok(fs.readdirSync(path.join(storage, 'audit-cache', cacheFolders[0])).some((f) => /^audit-.*\.json$/.test(f)));

    const second = await client.request<AuditReport>(AuditWorkspaceRequest.method, {});
    assert.deepEqual(await auditLog(client, 2), { files: expected.filesScanned, cached: expected.filesScanned, analysed: 0, workers: 0 });
    assert.deepEqual(essence(second), essence(first));

    // A new server on the same storage: still nothing to analyse (unless the bundle was rebuilt
    // meanwhile: the engine build is part of the cache key).
    const restarted = await start(root, storage);
    const third = await restarted.request<AuditReport>(AuditWorkspaceRequest.method, {});
    if (fs.statSync(SERVER_PATH).mtimeMs === bundleTime) assert.equal((await auditLog(restarted, 1)).analysed, 0);
    assert.deepEqual(essence(third), essence(first));

    // A file fixed on disk is re-analysed; its finding is gone.
    writeFile(root, 'src/format.ts', '// Clean code: nothing here should be reported.\nexport const ok = 1;\n');
    writeFile(root, 'src/orders.ts', "import { prisma } from './db';\n\nexport async function one(id: number) {\n  return prisma.order.findMany({ where: { customerId: id }, take: 50 });\n}\n");
    restarted.notifyServer('workspace/didChangeWatchedFiles', { changes: [{ uri: orders, type: 2 }, { uri: uriOf(path.join(root, 'src/format.ts')), type: 2 }] });
    const fourth = await restarted.request<AuditReport>(AuditWorkspaceRequest.method, {});
    const fourthLog = await auditLog(restarted, 2);
    assert.ok(fourthLog.analysed >= 2, JSON.stringify(fourthLog));
    assert.ok(!fourth.findings.some((f) => f.file === 'src/orders.ts' && f.ruleId === 'n-plus-one'), 'the fixed file has no N+1 finding');
    assert.ok(first.findings.some((f) => f.file === 'src/orders.ts' && f.ruleId === 'n-plus-one'));
    assert.deepEqual(
      fourth.findings.map((f) => [f.ruleId, f.file, f.line]),
      cli(root)
        .findings.filter((f) => f.category !== 'meta')
        .map((f) => [f.ruleId, f.file, f.line]),
    );
  });

  it('audits the unsaved text of an open document on the workers, not the cached result of the file on disk', async () => {
    const root = workspace();
    const client = await start(root, path.join(temp, 'storage-2'));
    const before = await client.request<AuditReport>(AuditWorkspaceRequest.method, {});
    assert.ok(!before.findings.some((f) => f.file === 'src/format.ts'), 'format.ts is clean on disk');

    const formatFile = path.join(root, 'src/format.ts');
    client.open(formatFile, "export function isCode(value: string) {\n  return new RegExp('^[A-Z]{3}$').test(value);\n}\n");
    const after = await client.request<AuditReport>(AuditWorkspaceRequest.method, {});
    const log = await auditLog(client, 2);
    assert.ok(log.analysed >= 1 && log.workers >= 1, JSON.stringify(log));
    assert.ok(after.findings.some((f) => f.file === 'src/format.ts' && f.ruleId === 'regex-per-call'), 'the unsaved text was audited');
    // The open document keeps its live diagnostics: the audit pushes nothing for it.
    assert.equal(client.publicationCount(uriOf(formatFile)), 0);

    // Closed again without saving: the file on disk is what counts (from the cache).
    client.close(uriOf(formatFile));
    const closed = await client.request<AuditReport>(AuditWorkspaceRequest.method, {});
    assert.ok(!closed.findings.some((f) => f.file === 'src/format.ts'));
    assert.deepEqual(essence(closed), essence(before));
  });

  it('keeps answering requests while the workers run, and stops promptly when cancelled', async () => {
    const root = workspace(filler(300));
    const client = await start(root, path.join(temp, 'storage-3'));
    type Progress = { kind: string; message?: string };
    const progress = new Map<string, Progress[]>();
    const waiters = new Set<() => void>();
    client.connection.onNotification('$/progress', (params: { token: string; value: Progress }) => {
      progress.set(params.token, [...(progress.get(params.token) ?? []), params.value]);
      for (const waiter of [...waiters]) waiter();
    });
    /** Resolves on the first progress value of `token` that matches. */
    const progressed = (token: string, match: (value: Progress) => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!(progress.get(token) ?? []).some(match)) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    const began = (token: string) => progressed(token, (v) => v.kind === 'begin');

    // Cancelled as soon as the first files are in.
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(AuditWorkspaceRequest.method, { workDoneToken: 'cancelled' }, source.token);
    await began('cancelled');
    await progressed('cancelled', (v) => /^Auditing [1-9]/.test(v.message ?? ''));
    const cancelledAt = performance.now();
    source.cancel();
    await assert.rejects(pending, (error: { code?: number }) => error.code === -32800);
    const elapsed = performance.now() - cancelledAt;
    assert.ok(elapsed < 1000, `cancelled within a second (${elapsed.toFixed(0)} ms)`);
    const reports = (progress.get('cancelled') ?? []).filter((v) => v.kind === 'report');
    const done = Number(/Auditing ([\d,]+) \//.exec(reports[reports.length - 1]?.message ?? 'Auditing 0 /')?.[1].replace(/,/g, ''));
    assert.ok(done < 300, `stopped before the end (${done} files)`);

    // A document opened while the next audit runs gets its diagnostics before the audit ends.
    let settled = false;
    const full = client.request<AuditReport>(AuditWorkspaceRequest.method, { workDoneToken: 'full' });
    void full.finally(() => (settled = true));
    await began('full');
    const rateLimit = path.join(root, 'src/lib/rateLimit.ts');
    const uri = client.open(rateLimit, fs.readFileSync(rateLimit, 'utf8'));
    const pulled = await client.request<{ items: Array<{ code?: unknown }> }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.ok(pulled.items.some((d) => d.code === 'unbounded-collection'));
    assert.equal(settled, false, 'the diagnostics came while the audit was still running');
    const report = await full;
    assert.ok(report.filesScanned > 300);
    const log = await auditLog(client, 1);
    assert.ok(log.workers >= 1 && log.analysed > 0, JSON.stringify(log));
  });
});
