/**
 * Node-keyed memos that survive incremental parsing. The editor re-parses a changed file with
 * `ts.updateSourceFile` (engine/parse.ts, `reparseTypeScript`), which moves the unchanged subtrees of
 * the previous tree into the new one. A memo whose value depends only on the node's own subtree (a
 * scope's bindings, a class's `this.x` uses) stays true for a moved node; a memo whose value depends
 * on the node's surroundings or on offsets (what an identifier resolves to, what an expression
 * denotes, a construction's origin range) would go stale. Those live in a `ContextMemo`, which
 * forgets everything once a parse has moved nodes.
 */

let reuseEpoch = 0;

/** Called by the incremental parser after it moved nodes of an old tree into a new one. */
export function nodesReused(): void {
  reuseEpoch++;
}

/** A WeakMap for node-keyed values that depend on more than the node's own subtree (see above). */
export class ContextMemo<K extends object, V> {
  private map = new WeakMap<K, V>();
  private epoch = reuseEpoch;

  private current(): WeakMap<K, V> {
    if (this.epoch !== reuseEpoch) {
      this.map = new WeakMap();
      this.epoch = reuseEpoch;
    }
    return this.map;
  }

  get(key: K): V | undefined {
    return this.current().get(key);
  }

  has(key: K): boolean {
    return this.current().has(key);
  }

  set(key: K, value: V): this {
    this.current().set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.current().delete(key);
  }
}
