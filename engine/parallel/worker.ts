/**
 * The worker loop of parallel audits. The bundles that start workers (dist/cli.js, dist/server.js)
 * are their own worker script: their entry calls `runWorker()` when `isAuditWorker()` (a worker
 * thread started by the pool, `workerData.perflintWorker`), so no second bundle with another copy
 * of TypeScript ships; `worker-entry.ts` is the standalone entry (dist-test, `workerScript`).
 *
 * A worker builds the same Linter as the main thread from plain data, then analyses the batches
 * of files it is sent, streaming one message per file. Each post bumps a shared counter so a main
 * thread blocked in Atomics.wait (the CLI) wakes up.
 */
import { getHeapStatistics } from 'node:v8';
import { isMainThread, workerData, type MessagePort } from 'node:worker_threads';
import { Linter } from '../linter';
import { ruleTimings } from '../runner';
import type { Rule } from '../rule';
import { allRules } from '../../rules';
import { fileImports, importIndexFiles, seedImportIndex, type FileImports } from '../ts/modules';
import type { AnalyzeOptions } from '../runner';
import { claimFile, type FromWorker, type ToWorker, type WorkerData, type WorkerInit } from './protocol';

/** Per-file results wake a main thread blocked in Atomics.wait at most this often (ms). */
const WAKE_INTERVAL_MS = 20;

/** The Linter a pool's `WorkerInit` describes (a worker's, or an audit process's): rules from the registry by id. */
export function linterFromInit(init: WorkerInit, syntaxBudget = init.syntaxBudget): Linter {
  const byId = new Map(allRules.map((rule) => [rule.id, rule]));
  const missing = init.ruleIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new Error(`rules not in the registry: ${missing.join(', ')}`);
  const rules: Rule[] = init.ruleIds.map((id) => byId.get(id)!);
  const linter = new Linter({ root: init.root, rules, configFile: init.configFile, overlay: init.overlay, syntaxBudget });
  for (const [filePath, text] of init.textOverlays) linter.project.setOverlay(filePath, text);
  return linter;
}

/** The options a worker analyses with (per-file time budget, rule filter). */
export function analyzeOptionsFromInit(init: WorkerInit): AnalyzeOptions {
  return { timeBudgetMs: init.timeBudgetMs, onlyRules: init.onlyRules ? new Set(init.onlyRules) : undefined };
}

/** True in a worker thread started by the audit pool. */
export function isAuditWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerData> | null)?.perflintWorker === true;
}

export interface WorkerHooks {
  /** Runs once the worker's files are done, before its last message (after it, the thread may be terminated). */
  beforeFinish?: () => void;
}

/** Runs the worker loop on `workerData` (call only when `isAuditWorker()`). */
export function runWorker(hooks: WorkerHooks = {}): void {
  const { port, signal, activity, init } = workerData as WorkerData;
  const counter = new Int32Array(signal);
  /** Index (in init.ruleIds) of the rule running now, read by the pool when this worker stops answering. */
  const active = new Int32Array(activity);
  const ruleIndex = new Map(init.ruleIds.map((id, i) => [id, i]));
  let finished = false;
  /** Input keys recorded before the project's caches were dropped to bound memory. */
  const earlierInputs = new Set<string>();
  const heapLimit = (init.heapLimitMb ?? 0) * 1024 * 1024;

  /**
   * Facts keep what they computed (parsed modules, the module graph) for the project's lifetime; on
   * a large workspace that is every module. Past the heap limit the worker drops them: later files
   * recompute what they need from the same files, so results do not change, only time is spent.
   */
  let heapThreshold = heapLimit;
  const boundMemory = (project: Linter['project']): void => {
    if (heapLimit <= 0) return;
    const used = getHeapStatistics().used_heap_size;
    if (used < heapLimit) heapThreshold = heapLimit;
    if (used < heapThreshold) return;
    for (const key of project.recordedInputs()) earlierInputs.add(key);
    project.invalidate();
    // What was dropped is garbage until the next collection: wait for another `heapLimit` of growth
    // (or a fall below the limit) before dropping again, so the worker never drops after every file.
    heapThreshold = used + heapLimit;
  };

  // Waking the blocked main thread for every file costs a context switch per file (on 2 cores the
  // woken thread preempts a worker): per-file results wake it at most every WAKE_INTERVAL_MS, every
  // other message at once. The counter is always bumped, so nothing is missed at the next wake.
  let lastWake = 0;
  const post = (message: FromWorker): void => {
    port.postMessage(message);
    Atomics.add(counter, 0, 1);
    const now = message.type === 'file' ? performance.now() : Infinity;
    if (now - lastWake >= WAKE_INTERVAL_MS) {
      lastWake = message.type === 'file' ? now : performance.now();
      Atomics.notify(counter, 0);
    }
  };

  let linter: Linter | undefined;
  try {
    linter = linterFromInit(init);
  } catch (error) {
    post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  }

  const analyze: AnalyzeOptions = {
    ...analyzeOptionsFromInit(init),
    onRuleStart: (ruleId: string) => {
      active[0] = ruleIndex.get(ruleId) ?? -1;
    },
  };

  // An uncaught error ends the thread; say so, so a main thread blocked in Atomics.wait learns it.
  process.on('exit', () => {
    if (!finished) post({ type: 'fatal', message: 'the analysis worker exited unexpectedly' });
  });

  port.on('message', (message: ToWorker) => {
    if (!linter) return;
    if (message.type === 'scan-imports') {
      linter.project.seedSourceFiles(message.sourceFiles);
      scanImports(linter.project, new BigInt64Array(message.claims), post);
    } else if (message.type === 'facts') {
      seedImportIndex(linter.project, message.importIndex);
      // The workspace's files as the main thread discovered them (the same root and configuration):
      // the facts built from the index walk them, a second discovery of the workspace (~0.1 s).
      if (message.sourceFiles) linter.project.seedSourceFiles(message.sourceFiles);
    }
    else if (message.type === 'files') {
      for (const [i, filePath] of message.files.entries()) {
        const ruleIds = message.ruleIds?.[i];
        try {
          post({ type: 'file', file: linter.analyzeTracked(filePath, ruleIds ? { ...analyze, enabledRules: new Set(ruleIds) } : analyze) });
          boundMemory(linter.project);
        } catch (error) {
          post({ type: 'fatal', message: `${filePath}: ${error instanceof Error ? error.message : String(error)}` });
          return;
        }
      }
      post({ type: 'batch-done' });
    } else if (message.type === 'finish') {
      finished = true;
      hooks.beforeFinish?.();
      post({ type: 'inputs', keys: [...new Set([...earlierInputs, ...linter.project.recordedInputs()])], timings: ruleTimings ? [...ruleTimings] : undefined });
      port.close();
    }
  });
}

/** Import index steps posted per message: few messages, and the last one soon after the claims run out. */
const IMPORT_STEPS_PER_MESSAGE = 64;

/**
 * The worker's share of the import index (`scan-imports`): files claimed from the back of the list
 * until the claims meet the main thread's, each step posted back in batches.
 */
function scanImports(project: Linter['project'], claims: BigInt64Array, post: (message: FromWorker) => void): void {
  const files = importIndexFiles(project);
  const interned = new Map<string, string>();
  let entries: Array<[number, FileImports | null]> = [];
  for (let i = claimFile(claims, true); i >= 0; i = claimFile(claims, true)) {
    entries.push([i, fileImports(project, files[i], interned) ?? null]);
    if (entries.length >= IMPORT_STEPS_PER_MESSAGE) {
      post({ type: 'imports', entries });
      entries = [];
    }
  }
  if (entries.length > 0) post({ type: 'imports', entries });
}
