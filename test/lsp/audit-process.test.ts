/**
 * The language server's audit runs its worker-thread pool in a child process that exits when the
 * audit ends (server/auditProcess.ts): same results as one thread, cancellation, and a child that
 * dies costs nothing but time (the files it did not report are analysed in the calling process).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { Linter, type AuditResult } from '../../engine';
import { allRules } from '../../rules';
import { processPoolRunner } from '../../server/auditProcess';

const temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-audit-process-')));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

const dist = path.resolve(__dirname, '../..');
/** A child script like dist/server.js: the pool in the audit process, the worker loop in its threads. */
function childScript(name: string, prelude = ''): string {
  const file = path.join(temp, name);
  fs.writeFileSync(
    file,
    prelude +
      `const { isAuditProcess, runAuditProcess } = require(${JSON.stringify(path.join(dist, 'server/auditProcess.js'))});\n` +
      `const { isAuditWorker, runWorker } = require(${JSON.stringify(path.join(dist, 'engine/parallel/worker.js'))});\n` +
      `if (isAuditWorker()) runWorker(); else if (isAuditProcess()) runAuditProcess();\n`,
  );
  return file;
}
const script = childScript('child.js');
/** A child that dies as soon as it is told to start. */
const dying = childScript('dying.js', `process.on('message', (m) => { if (m.type === 'start') process.exit(7); });\n`);

const repo = path.resolve(__dirname, '../../..');
/** The example back end (findings of several rules, cross-file facts), twice. */
const root = path.join(temp, 'ws');
for (const copy of ['a', 'b']) fs.cpSync(path.join(repo, 'examples/shop-api'), path.join(root, copy), { recursive: true });

const essence = (result: AuditResult) => ({
  files: result.files.map((f) => [f.path, f.lines, f.findings.map((x) => [x.ruleId, x.range.start]), f.notes.map((n) => n.kind)]),
  score: result.score,
});

describe('the audit pool in a child process', () => {
  const serial = new Linter({ root, rules: allRules }).audit();

  it('gives the same result as one thread, and the child is gone when the audit answers', async () => {
    assert.ok(serial.findings.length > 0, 'the workspace has findings');
    let threads = 0;
    const result = await new Linter({ root, rules: allRules }).auditAsync({
      parallel: { threads: 2, minBytes: 0, workerScript: script, runner: processPoolRunner },
      onWorkers: (count) => (threads = count),
    });
    // the child's own thread triages (reads and gates every file), one worker thread analyses
    assert.equal(threads, 1);
    assert.deepEqual(essence(result), essence(serial));
  });

  it('stops when cancelled and says so', async () => {
    let calls = 0;
    const result = await new Linter({ root, rules: allRules }).auditAsync({
      parallel: { threads: 2, minBytes: 0, workerScript: script, runner: processPoolRunner },
      isCancelled: () => ++calls > 3,
    });
    assert.equal(result.cancelled, true);
    assert.ok(result.files.length < serial.files.length);
  });

  it('costs only time when the child dies: the calling process analyses the files', async () => {
    const result = await new Linter({ root, rules: allRules }).auditAsync({ parallel: { threads: 2, minBytes: 0, workerScript: dying, runner: processPoolRunner } });
    assert.deepEqual(essence(result), essence(serial));
  });
});

describe('audit process priority', { skip: process.platform !== 'linux' && 'nice values per thread are Linux only' }, () => {
  it('lowers the priority of every thread the process has (V8 compiles and collects on threads of its own)', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = [
      `const fs = require('node:fs');`,
      `const niceOf = (tid) => Number(fs.readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').replace(/^.*\\) /s, '').split(' ')[16]);`,
      `const tasks = () => fs.readdirSync('/proc/self/task');`,
      `const before = tasks().map(niceOf);`,
      `require(${JSON.stringify(path.join(dist, 'server/auditProcess.js'))}).lowerPriorityOfAllThreads(before[0] + 7);`,
      `console.log(JSON.stringify({ before, after: tasks().map(niceOf), count: tasks().length }));`,
    ].join('\n');
    const { before, after: reniced, count } = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { before: number[]; after: number[]; count: number };
    assert.ok(count > 1, 'node runs threads besides the main one');
    assert.deepEqual(reniced, reniced.map(() => before[0] + 7));
  });
});
