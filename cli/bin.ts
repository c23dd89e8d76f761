/** Entry point of dist/cli.js; the same bundle is the parallel audit's worker script (engine/parallel/worker.ts). */
import { setDefaultWorkerScript } from '../engine';
import { isAuditWorker, runWorker } from '../engine/parallel/worker';
import { runCli } from './main';

if (isAuditWorker()) {
  runWorker();
} else {
  setDefaultWorkerScript(__filename);
  const code = runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY,
  });
  process.exitCode = code;
}
