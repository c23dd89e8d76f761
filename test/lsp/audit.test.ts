/**
 * `perflint/auditWorkspace` and `perflint/exportReport` against the bundled server over stdio:
 * parity with the CLI (same findings, same score), progress through the work-done token, prompt
 * cancellation, diagnostics for files that are not open (replaced on re-run), unsaved editor
 * text winning over disk, and the exported report (= the CLI's Markdown; escaped HTML).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import { runCli } from '../../cli/main';
import type { JsonReport } from '../../engine';
import type { AuditReport, ExportReportResult } from '../../protocol/auditReport';
import { AuditWorkspaceRequest, ExportReportRequest } from '../../protocol/protocol';
import { LspClient, makeWorkspace, PULL_CAPABILITIES, REPO_ROOT, uriOf, writeFile } from '../harness/lspClient';

const HOSTILE = '<img src=x onerror=alert(1)>.ts';

/** A copy of the real-editor fixture (Prisma schema, N+1, regex, cache, zod) plus a hostile file name. */
function fixtureWorkspace(extra: Record<string, string> = {}): string {
  const source = path.join(REPO_ROOT, 'test/fixtures/e2e-workspace');
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else files[path.relative(source, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(source);
  files[`src/${HOSTILE}`] = "import { z } from 'zod';\n\nexport const search = z.object({ pageSize: z.number().int() });\n";
  return makeWorkspace({ ...files, ...extra });
}

function cli(root: string, ...args: string[]): string {
  let stdout = '';
  let stderr = '';
  const code = runCli(['--root', root, ...args], { cwd: root, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  assert.ok(code === 0 || code === 1, `CLI exit ${code}: ${stderr}`);
  return stdout;
}

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

function recordProgress(client: LspClient): Map<string | number, Progress[]> {
  const progress = new Map<string | number, Progress[]>();
  client.connection.onNotification('$/progress', (params: { token: string | number; value: Progress }) => {
    const list = progress.get(params.token) ?? [];
    list.push(params.value);
    progress.set(params.token, list);
  });
  return progress;
}

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function start(root: string, capabilities = PULL_CAPABILITIES): Promise<LspClient> {
  const client = await LspClient.start({ root, capabilities });
  clients.push(client);
  return client;
}

describe('perflint/auditWorkspace', () => {
  it('finds exactly what the CLI finds, with the same score, and reports progress', async () => {
    const root = fixtureWorkspace();
    const expected = JSON.parse(cli(root, '--format', 'json')) as JsonReport;
    const scored = expected.findings.filter((f) => f.category !== 'meta');
    assert.ok(scored.length >= 3, `the fixture has findings (${scored.length})`);

    const client = await start(root);
    const progress = recordProgress(client);
    const report = await client.request<AuditReport>(AuditWorkspaceRequest.method, { workDoneToken: 'audit-1' });

    assert.deepEqual(report.score, expected.score);
    assert.equal(report.filesScanned, expected.filesScanned);
    assert.equal(report.linesScanned, expected.linesScanned);
    assert.equal(report.findingsTotal, scored.length);
    const strip = (f: { ruleId: string; severity: string; file: string; line: number; column: number; message: string }) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      message: f.message,
    });
    assert.deepEqual(report.findings.map(strip), scored.map(strip));
    // Counts the panel shows.
    for (const severity of ['error', 'warning', 'info'] as const) {
      assert.equal(report.severityCounts[severity], scored.filter((f) => f.severity === severity).length);
    }
    for (const rule of report.rules) assert.equal(rule.findings, scored.filter((f) => f.ruleId === rule.ruleId).length);
    assert.equal(report.fixFirst.length, Math.min(25, scored.length));
    for (let i = 1; i < report.fixFirst.length; i++) assert.ok(report.fixFirst[i - 1].gain >= report.fixFirst[i].gain);
    assert.ok(report.topFiles.length > 0 && report.topFiles[0].weight >= report.topFiles[report.topFiles.length - 1].weight);
    assert.match(report.formula, /per 1,000 analysed lines/);
    assert.ok(report.scoringDocsUrl.endsWith('docs/scoring.md'));

    // Progress: begin, "Auditing n / N files" reports, end.
    const values = progress.get('audit-1') ?? [];
    assert.equal(values[0]?.kind, 'begin');
    assert.equal(values[values.length - 1]?.kind, 'end');
    const last = values.filter((v): v is WorkDoneProgressReport => v.kind === 'report').pop();
    assert.equal(last?.message, `Auditing ${expected.filesScanned} / ${expected.filesScanned} files`);
    assert.equal(last?.percentage, 100);

    // Problems: every file with findings got the CLI's findings as diagnostics, none of them is open.
    const byFile = new Map<string, typeof scored>();
    for (const f of scored) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const [file, findings] of byFile) {
      const diagnostics = await client.diagnosticsFor(uriOf(path.join(root, file)));
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, d.source]),
        findings.map((f) => [f.ruleId, f.line, f.column, 'perflint']),
        file,
      );
    }
  });

  it('replaces the previous audit diagnostics on re-run and lets unsaved editor text win', async () => {
    const root = fixtureWorkspace();
    const client = await start(root);
    await client.request<AuditReport>(AuditWorkspaceRequest.method, {});
    const rateLimit = path.join(root, 'src/lib/rateLimit.ts');
    const rateUri = uriOf(rateLimit);
    assert.ok((await client.diagnosticsFor(rateUri)).some((d) => d.code === 'unbounded-collection'));

    // Fixed on disk: the re-run clears that file's diagnostics.
    const publications = client.publicationCount(rateUri);
    writeFile(root, 'src/lib/rateLimit.ts', 'export function allowRequest(ip: string): boolean {\n  return ip.length > 0;\n}\n');
    client.notifyServer('workspace/didChangeWatchedFiles', { changes: [{ uri: rateUri, type: 2 }] });
    // An open document's unsaved text is what gets audited (a new finding that is not on disk).
    const formatFile = path.join(root, 'src/format.ts');
    client.open(formatFile, "export function isCode(value: string) {\n  return new RegExp('^[A-Z]{3}$').test(value);\n}\n");
    const second = await client.request<AuditReport>(AuditWorkspaceRequest.method, {});
    assert.deepEqual(await client.diagnosticsFor(rateUri, { after: publications }), []);
    assert.ok(!second.findings.some((f) => f.file === 'src/lib/rateLimit.ts'));
    assert.ok(second.findings.some((f) => f.file === 'src/format.ts' && f.ruleId === 'regex-per-call'), 'unsaved text of the open document was audited');
    // The open document keeps its live (pulled) diagnostics: the audit pushes nothing for it.
    assert.equal(client.publicationCount(uriOf(formatFile)), 0);

    // Extra excludes (the editor's files.exclude) leave files out, folders included.
    const excluded = await client.request<AuditReport>(AuditWorkspaceRequest.method, { exclude: ['**/api', 'prisma/*.prisma'] });
    assert.ok(excluded.filesScanned < second.filesScanned);
    assert.ok(!excluded.findings.some((f) => f.file.startsWith('src/api/') || f.file.startsWith('prisma/')), JSON.stringify(excluded.findings.map((f) => f.file)));
    assert.ok(excluded.findings.some((f) => f.file === 'src/orders.ts'));
  });

  it('stops promptly when cancelled', async () => {
    const filler: Record<string, string> = {};
    const body = (i: number) =>
      Array.from({ length: 20 }, (_, j) => `export function f${i}_${j}(xs: number[]) {\n  return xs.map((x) => x * ${j}).filter((x) => x > ${i});\n}\n`).join('');
    for (let i = 0; i < 150; i++) filler[`src/generated-free/m${i}.ts`] = body(i);
    const root = fixtureWorkspace(filler);
    const client = await start(root);
    const progress = recordProgress(client);
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(AuditWorkspaceRequest.method, { workDoneToken: 'audit-cancel' }, source.token);
    await client.waitFor(() => (progress.get('audit-cancel') ?? []).some((v) => v.kind === 'begin'), 20_000, 'the progress begin');
    const cancelledAt = performance.now();
    source.cancel();
    await assert.rejects(pending, (error: { code?: number }) => error.code === -32800);
    const elapsed = performance.now() - cancelledAt;
    assert.ok(elapsed < 1000, `cancelled within a second (${elapsed.toFixed(0)} ms)`);
    await client.waitFor(() => (progress.get('audit-cancel') ?? []).some((v) => v.kind === 'end'), 5000, 'the progress end');
    const reports = (progress.get('audit-cancel') ?? []).filter((v): v is WorkDoneProgressReport => v.kind === 'report');
    const done = Number(/Auditing ([\d,]+) \//.exec(reports[reports.length - 1]?.message ?? 'Auditing 0 /')?.[1].replace(/,/g, ''));
    assert.ok(done < 150, `stopped before the end (${done} files)`);
    // The server still answers: a full audit afterwards works.
    const report = await client.request<AuditReport>(AuditWorkspaceRequest.method, {});
    assert.ok(report.filesScanned > 150);
  });
});

describe('perflint/exportReport', () => {
  it('exports the CLI markdown report and an escaped standalone HTML page', async () => {
    const root = fixtureWorkspace();
    const client = await start(root);
    const empty = await client.request<ExportReportResult>(ExportReportRequest.method, { format: 'markdown' });
    assert.equal(empty.content, '');
    await client.request<AuditReport>(AuditWorkspaceRequest.method, {});

    const markdown = (await client.request<ExportReportResult>(ExportReportRequest.method, { format: 'markdown' })).content;
    const withoutDate = markdown.replace(/^_Generated by PerfLint on .*_\n\n/m, '');
    assert.match(markdown, /^_Generated by PerfLint on .*_$/m);
    assert.equal(withoutDate, cli(root, '--format', 'markdown'));

    const html = (await client.request<ExportReportResult>(ExportReportRequest.method, { format: 'html' })).content;
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
    assert.match(html, /<h2>Fix first<\/h2>/);
    assert.match(html, /<table>/);
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;.ts'), 'the hostile file name is escaped');
    assert.ok(!/<img|<script/i.test(html), 'no markup from the workspace');
  });
});
