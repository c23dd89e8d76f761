/**
 * Entry point of dist/server.js. The transport comes from the command line, as
 * vscode-languageserver reads it: `--stdio`, `--node-ipc` (what the VS Code client uses) or
 * `--socket=<port>`. The same bundle is the workspace audit's worker script: started by the audit
 * pool as a worker thread, it runs the worker loop instead of a server; started as the audit's child
 * process (server/auditProcess.ts), it runs the pool.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { setDefaultWorkerScript } from '../engine';
import { setAuditProcessV8Flags } from '../engine/parallel/pool';
import { isAuditWorker, runWorker } from '../engine/parallel/worker';
import { auditFeature } from './audit';
import { isAuditProcess, runAuditProcess } from './auditProcess';
import { startServer } from './server';

if (isAuditWorker()) {
  runWorker();
} else if (isAuditProcess()) {
  setAuditProcessV8Flags();
  setDefaultWorkerScript(__filename);
  runAuditProcess();
} else {
  setDefaultWorkerScript(__filename);
  startServer(createConnection(ProposedFeatures.all), [auditFeature]);
}
