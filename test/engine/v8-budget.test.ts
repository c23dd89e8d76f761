import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { lowerInterruptBudget, setBaseInterruptBudget, V8_DEFAULT_INTERRUPT_BUDGET } from '../../engine/v8-budget';

// V8 has no API to read a flag back: record what is set instead (the engine imports node:v8
// through a namespace whose members read this module object's).
const v8 = createRequire(__filename)('node:v8') as typeof import('node:v8');
const original = v8.setFlagsFromString;
let set: string[] = [];

describe('interrupt budget (engine/v8-budget.ts)', () => {
  beforeEach(() => {
    set = [];
    v8.setFlagsFromString = (flag: string) => {
      set.push(flag);
      original(flag);
    };
  });
  afterEach(() => {
    v8.setFlagsFromString = original;
  });

  it('a lowered budget lasts until it is restored, then V8 default is back; restoring twice does nothing', () => {
    const restore = lowerInterruptBudget(8192);
    assert.deepEqual(set, ['--interrupt-budget=8192']);
    restore();
    restore();
    assert.deepEqual(set, ['--interrupt-budget=8192', `--interrupt-budget=${V8_DEFAULT_INTERRUPT_BUDGET}`]);
  });

  it('an audit that starts while the budget is lowered gets its own budget once the override ends', () => {
    const restore = lowerInterruptBudget(8192);
    assert.equal(setBaseInterruptBudget(135_168), '--interrupt-budget=135168');
    // the override still holds while the warm-up runs
    assert.deepEqual(set, ['--interrupt-budget=8192', '--interrupt-budget=8192']);
    const inner = lowerInterruptBudget(4096);
    inner();
    assert.equal(set.at(-1), '--interrupt-budget=8192');
    restore();
    assert.equal(set.at(-1), '--interrupt-budget=135168');
  });

  it('a budget of 0 (the environment switch) changes nothing', () => {
    lowerInterruptBudget(0)();
    assert.deepEqual(set, []);
  });
});
