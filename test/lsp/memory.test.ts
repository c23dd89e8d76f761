/** server/memory.ts: one full collection after an audit, once the editor has been quiet. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QuietCollector } from '../../server/memory';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function collector(quietMs: number) {
  const logged: string[] = [];
  const logger = { info: (m: string) => logged.push(m), warn: () => undefined, error: () => undefined };
  return { memory: new QuietCollector(logger, quietMs), logged };
}

describe('collecting garbage after an audit', () => {
  it('collects once, after the audit and a quiet moment; edits postpone it', async () => {
    const { memory, logged } = collector(150);
    memory.begin();
    await sleep(200);
    assert.equal(logged.length, 0, 'not while the audit runs');
    memory.end();
    for (let i = 0; i < 4; i++) {
      await sleep(60);
      memory.activity();
    }
    assert.equal(logged.length, 0, 'not while the user types');
    await sleep(400);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /one full garbage collection \(\d+ ms\), heap \d+ -> \d+ MB/);
  });

  it('does not collect when another audit started meanwhile', async () => {
    const { memory, logged } = collector(50);
    memory.begin();
    memory.end();
    memory.begin();
    await sleep(200);
    assert.equal(logged.length, 0);
    memory.end();
    await sleep(200);
    assert.equal(logged.length, 1);
  });
});
