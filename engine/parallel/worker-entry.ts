/**
 * Standalone worker script of parallel audits (dist-test/engine/parallel/worker-entry.js in tests,
 * or any `workerScript` given to the pool). The shipped bundles are their own worker script: see
 * worker.ts.
 */
import { isAuditWorker, runWorker } from './worker';

if (isAuditWorker()) runWorker();
