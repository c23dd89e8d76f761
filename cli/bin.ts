/** Entry point of dist/cli.js; the same bundle is the parallel audit's worker script (engine/parallel/worker.ts). */
import { setDefaultWorkerScript } from '../engine';
import { flushCompileCache } from './compile-cache';
import { setAuditProcessV8Flags } from '../engine/parallel/pool';
import { isAuditWorker, runWorker } from '../engine/parallel/worker';
import { runCli } from './main';

if (isAuditWorker()) {
  // The chunks' code cache is written once the worker has compiled what an audit needs.
  runWorker({ beforeFinish: flushCompileCache });
} else {
  // First, while nothing is being compiled (see the function): most runs of the CLI audit.
  setAuditProcessV8Flags();
  setDefaultWorkerScript(__filename);
  const code = runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY,
  });
  process.exitCode = code;
  // Chunks this thread compiled without a cache (a small audit that ran in-process, regex.js).
  flushCompileCache();
}
