/**
 * The audit's worker-thread pool in a child process of its own (ParallelOptions.runner). When the
 * audit ends the process exits and the operating system gets all of its memory back. Worker threads
 * in the server's own process gave back their V8 heaps but not the malloc arenas they and V8's
 * compiler threads had grown (glibc keeps freed arena memory mapped): measured on the bench corpus,
 * two arenas of 37 MB each stayed in the server's RSS after every cold audit.
 *
 * The child is the same bundle (dist/server.js, or `workerScript`), started with
 * PERFLINT_AUDIT_PROCESS=1: it runs an AuditPool on the tasks it is sent (scheduling, watchdog,
 * crash replacement unchanged) and streams every file back. Cancelling kills it; if it dies, the
 * files it did not report come back as `unfinished` and the caller analyses them itself.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { AuditPool, defaultThreads, defaultWorkerScript, type PoolCallbacks, type PoolOptions, type PoolOutcome, type PoolTask } from '../engine/parallel/pool';
import type { AnalyzedFile, WorkerInit } from '../engine/parallel/protocol';
import { Triage } from '../engine/parallel/triage';
import { analyzeOptionsFromInit, linterFromInit } from '../engine/parallel/worker';
import type { PoolRunner } from '../engine/linter';
import { ruleTimings } from '../engine/runner';

const ENV_FLAG = 'PERFLINT_AUDIT_PROCESS';
const CANCEL_POLL_MS = 100;

type ToProcess = { type: 'start'; init: WorkerInit; tasks: PoolTask[]; options: PoolOptions };
type FromProcess = { type: 'file'; file: AnalyzedFile } | { type: 'outcome'; outcome: PoolOutcome; timings?: Array<[string, number]> };

/** True in a child process started by ProcessPool (the bundle's entry then runs `runAuditProcess`). */
export function isAuditProcess(): boolean {
  return process.env[ENV_FLAG] === '1' && typeof process.send === 'function';
}

/** Starts the pool in a child process: a `ParallelOptions.runner`. */
export const processPoolRunner: PoolRunner = (init, tasks, callbacks, options) => new ProcessPool(init, tasks, callbacks, options);

export function lowerPriorityOfAllThreads(nice: number): void {
  let threads: string[] = [];
  try {
    threads = fs.readdirSync('/proc/self/task');
  } catch {
    // No /proc: this thread at least.
  }
  for (const thread of threads.length > 0 ? threads.map(Number) : [0]) {
    try {
      os.setPriority(thread, nice);
    } catch {
      // Not allowed, or the thread has ended: normal priority.
    }
  }
}

/** The child's side: one pool run on the tasks of the `start` message, then exit. */
export function runAuditProcess(): void {
  // The parent went away (server stopped): nothing to report to.
  process.on('disconnect', () => process.exit(0));
  const send = (message: FromProcess, then?: () => void) => process.send!(message, undefined, {}, () => then?.());
  process.once('message', (message: ToProcess) => {
    // This process yields to the editor's server like the workers do. Linux keeps a nice value per
    // thread: every thread that exists now (this one, and V8's compiler and GC threads, which were
    // busy at normal priority during the first seconds of an audit, competing with keystrokes);
    // threads started later inherit it.
    const nice = message.options.workerNice;
    if (nice && process.platform === 'linux') lowerPriorityOfAllThreads(Math.trunc(nice));
    const done = (outcome: PoolOutcome) => send({ type: 'outcome', outcome, timings: ruleTimings ? [...ruleTimings] : undefined }, () => process.exit(0));
    const triaged = message.tasks.length >= 2 ? triageRun(message, (file) => send({ type: 'file', file })) : undefined;
    if (triaged) {
      done(triaged);
      return;
    }
    const pool = new AuditPool(message.init, message.tasks, { onFile: (file) => send({ type: 'file', file }) }, message.options);
    void pool.runAsync().then(done);
  });
}

/**
 * The audit as the CLI runs it (engine/parallel/triage.ts): this process's thread triages, one core
 * fewer of workers analyse. Its thread blocks meanwhile, which nothing here needs: results go out
 * over IPC as they come, and cancelling kills the process. Undefined when the Linter cannot be
 * built here (the workers' own path then reports why).
 */
function triageRun(message: ToProcess, onFile: (file: AnalyzedFile) => void): PoolOutcome | undefined {
  let linter;
  try {
    linter = linterFromInit(message.init);
  } catch {
    return undefined;
  }
  const files = message.tasks.map((task) => task.path).sort();
  const triage = new Triage(linter, files, analyzeOptionsFromInit(message.init), onFile);
  const threads = Math.max(1, (message.options.threads ?? defaultThreads()) - 1);
  const pool = new AuditPool(message.init, [], { onFile: (file) => onFile(triage.withGateInputs(file)) }, { ...message.options, threads, expectedTasks: files.length });
  const outcome = pool.runSync(triage.feed(pool));
  return {
    ...outcome,
    // what this thread's gates read belongs to the workspace digest too
    inputKeys: [...outcome.inputKeys, ...linter.project.recordedInputs()],
    unfinished: outcome.cancelled ? outcome.unfinished : [...outcome.unfinished, ...triage.untriaged()],
  };
}

export class ProcessPool {
  readonly threads: number;
  private readonly script: string;
  private readonly options: PoolOptions;

  constructor(
    private readonly init: WorkerInit,
    private readonly tasks: readonly PoolTask[],
    private readonly callbacks: PoolCallbacks,
    options: PoolOptions = {},
  ) {
    // Worker threads the child starts: one core fewer than asked, its own thread triages (`triageRun`).
    const total = Math.max(1, Math.min(options.threads ?? defaultThreads(), tasks.length));
    this.threads = tasks.length >= 2 ? Math.max(1, total - 1) : total;
    this.script = options.workerScript ?? defaultWorkerScript();
    // Only plain data crosses to the child.
    const { threads, workerNice, workerHeapMb, hardLimitMs } = options;
    this.options = { threads, workerNice, workerHeapMb, hardLimitMs, workerScript: this.script };
  }

  runAsync(): Promise<PoolOutcome> {
    return new Promise((resolve) => {
      const reported = new Set<string>();
      let outcome: PoolOutcome | undefined;
      let cancelSent = false;
      let settled = false;
      let child: ChildProcess | undefined;
      const finish = (failure?: string) => {
        if (settled) return;
        settled = true;
        clearInterval(timer);
        resolve(
          outcome ?? {
            inputKeys: [],
            unfinished: cancelSent ? [] : this.tasks.map((task) => task.path).filter((file) => !reported.has(file)),
            cancelled: cancelSent,
            inputsComplete: false,
            ...(cancelSent ? {} : { failure: failure ?? 'the audit process exited before reporting' }),
          },
        );
      };
      const timer = setInterval(() => {
        if (!cancelSent && this.callbacks.isCancelled?.()) {
          // Nothing more is wanted from the child: answer now and let it go (its memory with it).
          cancelSent = true;
          child?.kill();
          finish();
        }
      }, CANCEL_POLL_MS);
      try {
        child = fork(this.script, [], {
          env: { ...process.env, [ENV_FLAG]: '1' },
          // A debugger flag of the server would make the child listen on the same port.
          execArgv: process.execArgv.filter((arg) => !/^--(inspect|debug)/.test(arg)),
          serialization: 'advanced',
          stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        });
      } catch (error) {
        finish(`the audit process could not start: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      child.on('message', (message: FromProcess) => {
        if (settled) return;
        if (message.type === 'file') {
          reported.add(message.file.path);
          this.callbacks.onFile(message.file);
        } else if (message.type === 'outcome') {
          outcome = message.outcome;
          if (ruleTimings) for (const [id, ms] of message.timings ?? []) ruleTimings.set(id, (ruleTimings.get(id) ?? 0) + ms);
        }
      });
      child.on('error', (error) => finish(`the audit process failed: ${error.message}`));
      // 'close', not 'exit': it comes after the IPC channel is drained, i.e. after the last message.
      child.on('close', (code) => finish(`the audit process exited (code ${code})`));
      try {
        child.send({ type: 'start', init: this.init, tasks: [...this.tasks], options: this.options } satisfies ToProcess);
      } catch (error) {
        child.kill();
        finish(`the audit process could not be started: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }
}
