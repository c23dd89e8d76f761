/**
 * V8's interrupt budget: how much bytecode a function runs before V8's tiering manager considers
 * optimising it. It is a process-wide flag that two parts of PerfLint set at run time for opposite
 * reasons, so both go through here:
 *   - audits raise it (engine/parallel/pool.ts): on 2 cores, TurboFan compiling lukewarm functions
 *     on background threads competes with the audit's own threads;
 *   - the language server's start-up warm-up lowers it while it runs (server/server.ts): the code a
 *     keystroke takes is then optimised by the end of a short warm-up, not during the user's first
 *     keystrokes.
 * A lowered budget is a temporary override; when it ends, the budget goes back to what audits set,
 * or to V8's default. A budget given on Node's command line wins over both.
 */
import * as v8 from 'node:v8';

/** V8's own default (Node 20, V8 11.3: `node --v8-options`). */
export const V8_DEFAULT_INTERRUPT_BUDGET = 67_584;

/** What audits set (undefined: V8's default). */
let base: number | undefined;
/** Active temporary overrides, innermost last. */
const overrides: number[] = [];

/** Whether Node's command line sets the flag itself (exactly that flag: `--interrupt-budget-for-feedback-allocation` is another one). */
export function givenOnCommandLine(name: string): boolean {
  return [name, name.replace(/-/g, '_')].some((spelling) => process.execArgv.some((arg) => arg === `--${spelling}` || arg.startsWith(`--${spelling}=`)));
}

function apply(): void {
  if (givenOnCommandLine('interrupt-budget')) return;
  const value = overrides.length > 0 ? overrides[overrides.length - 1] : (base ?? V8_DEFAULT_INTERRUPT_BUDGET);
  v8.setFlagsFromString(`--interrupt-budget=${Math.trunc(value)}`);
}

/** The budget audits run with from now on; returns the flag as set, or undefined when Node's command line sets it. */
export function setBaseInterruptBudget(budget: number): string | undefined {
  if (givenOnCommandLine('interrupt-budget')) return undefined;
  base = budget;
  apply();
  return `--interrupt-budget=${Math.trunc(budget)}`;
}

/** Sets `budget` until the returned function is called (once; later calls do nothing). */
export function lowerInterruptBudget(budget: number): () => void {
  if (givenOnCommandLine('interrupt-budget') || !(budget > 0)) return () => undefined;
  overrides.push(budget);
  apply();
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    overrides.splice(overrides.lastIndexOf(budget), 1);
    apply();
  };
}
