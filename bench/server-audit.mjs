// The language server's workspace audit on the bench corpus, measured from outside the process:
//   - cold audit (`perflint/auditWorkspace`, empty result cache in a fresh storage folder) wall time,
//     and the keystroke benchmark (20 edits of the 3,000-line document, bench/keystroke.mjs) run
//     WHILE that audit runs (the document is opened first, as in an editor);
//   - the server process's RSS (VmRSS) and peak RSS (VmHWM, /proc/<pid>/status) before the audit,
//     right after it, and after a settle of a few seconds;
//   - a warm audit (nothing changed: every file from the cache) wall time.
//
// Usage: node bench/server-audit.mjs [workspace] [server.js]   (npm run bench passes its corpus
// workspace and its dist snapshot). The last line of stdout is the JSON result.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSession } from './keystroke.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const round = (n) => Math.round(n * 10) / 10;
const SETTLE_MS = 3000;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: round(percentile(sorted, 50) ?? NaN), p95Ms: round(percentile(sorted, 95) ?? NaN), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
}

/** VmRSS and VmHWM of a process, in MB (Linux). */
function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: round(kb('VmRSS') / 1024), peakRssMb: round(kb('VmHWM') / 1024), threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN) };
  } catch {
    return undefined;
  }
}

export async function runServerAuditBench(workspaceArg, serverArg) {
  const root = fs.realpathSync(workspaceArg);
  const server = path.resolve(serverArg ?? path.join(repo, 'dist/server.js'));
  const storagePath = fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-server-audit-'));
  try {
    const session = await startSession(root, { server, initializationOptions: { storagePath } });
    const pid = session.child.pid;
    const messages = [];
    session.connection.onNotification('window/logMessage', (params) => messages.push(params.message));
    const progress = [];
    let announce;
    session.connection.onNotification('$/progress', (params) => {
      if (params.token !== 'bench-audit') return;
      progress.push({ at: performance.now(), ...params.value });
      announce?.();
    });
    const firstAnalysisMs = await session.open();
    // The same edits without an audit, for comparison under the same machine load.
    const idle = await session.edits(undefined, 100);
    const beforeAudit = memoryOf(pid);

    // Cold audit, with the keystrokes typed while it runs (from the first audited file on).
    const started = performance.now();
    let finishedAt;
    const audit = session.connection.sendRequest('perflint/auditWorkspace', { workDoneToken: 'bench-audit' }).then((report) => {
      finishedAt = performance.now();
      return report;
    });
    // PERFLINT_BENCH_EDITS_AT=0.3: type once 30% of the files are done (default: from the first file).
    const editsAt = Number(process.env.PERFLINT_BENCH_EDITS_AT ?? 0);
    const doneFraction = (message) => {
      const match = /^Auditing ([\d,]+) \/ ([\d,]+)/.exec(message ?? '');
      return match ? Number(match[1].replace(/,/g, '')) / Number(match[2].replace(/,/g, '')) : -1;
    };
    await new Promise((resolve) => {
      announce = () => progress.some((p) => doneFraction(p.message) > editsAt) && resolve();
      announce();
    });
    const editsStartedAt = performance.now();
    const during = await session.edits();
    const editsEndedAt = performance.now();
    // From the last edit to the audit's end: how long a trivial request (hover over a document that
    // is not open) waits, i.e. how long the server's event loop is blocked by the audit itself.
    const pings = [];
    while (finishedAt === undefined) {
      const sent = performance.now();
      await session.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nowhere/ping.ts' }, position: { line: 0, character: 0 } });
      pings.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const report = await audit;
    const coldMs = finishedAt - started;
    const afterAudit = memoryOf(pid);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const settled = memoryOf(pid);
    if (process.env.PERFLINT_BENCH_LONG_SETTLE) {
      for (let i = 0; i < 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5000));
        console.error(`[server-audit] ${SETTLE_MS / 1000 + 5 * (i + 1)} s after: ${JSON.stringify(memoryOf(pid))}`);
      }
    }
    const coldLog = messages.filter((m) => m.startsWith('Workspace audit:')).pop();

    const warmStarted = performance.now();
    await session.connection.sendRequest('perflint/auditWorkspace', {});
    const warmMs = performance.now() - warmStarted;
    const afterWarm = memoryOf(pid);
    const warmLog = messages.filter((m) => m.startsWith('Workspace audit:')).pop();
    await session.stop();

    return {
      workspace: root,
      server,
      filesScanned: report.filesScanned,
      linesScanned: report.linesScanned,
      findings: report.findingsTotal,
      coldAuditMs: round(coldMs),
      warmAuditMs: round(warmMs),
      coldLog,
      warmLog,
      memory: { beforeAudit, afterAudit, settled, afterWarm },
      keystrokeDuringAudit: {
        lines: session.lineCount,
        firstAnalysisMs: round(firstAnalysisMs),
        ...during,
        // The edits ran inside the audit's wall time (else they did not measure "during").
        editsStartedAfterMs: round(editsStartedAt - started),
        editsEndedBeforeAuditEnd: editsEndedAt <= finishedAt,
        auditProgressAtEnd: progress.filter((p) => p.at <= editsEndedAt).pop()?.message,
      },
      keystrokeWithoutAudit: idle,
      requestLatencyDuringAudit: summary(pings),
      loadAverage: os.loadavg().map(round),
    };
  } finally {
    fs.rmSync(storagePath, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const workspace = process.argv[2] ?? process.env.PERFLINT_BENCH_WORKSPACE;
  if (!workspace) {
    console.error('usage: node bench/server-audit.mjs <workspace> [server.js]');
    process.exit(2);
  }
  const result = await runServerAuditBench(workspace, process.argv[3]);
  const k = result.keystrokeDuringAudit;
  const m = result.memory;
  console.log(
    `server audit: ${result.filesScanned} files, cold ${(result.coldAuditMs / 1000).toFixed(1)} s, warm ${(result.warmAuditMs / 1000).toFixed(2)} s; ` +
      `RSS before ${m.beforeAudit?.rssMb} MB, after ${m.afterAudit?.rssMb} MB, settled ${m.settled?.rssMb} MB (peak ${m.settled?.peakRssMb} MB); ` +
      `keystroke during the audit: p50 ${k.p50Ms} ms, p95 ${k.p95Ms} ms (inside the audit: ${k.editsEndedBeforeAuditEnd}), without: p50 ${result.keystrokeWithoutAudit.p50Ms} ms, p95 ${result.keystrokeWithoutAudit.p95Ms} ms; ` +
      `request latency during the audit p50 ${result.requestLatencyDuringAudit.p50Ms} ms, p95 ${result.requestLatencyDuringAudit.p95Ms} ms, max ${result.requestLatencyDuringAudit.maxMs} ms; load ${result.loadAverage.join(' ')}`,
  );
  console.log(JSON.stringify(result));
  process.exit(0);
}
