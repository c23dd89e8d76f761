/**
 * Node-keyed memos whose values depend on more than the node's own subtree. A memo of a node's own
 * subtree (a scope's bindings, a class's `this.x` uses) stays true as long as the node exists. A memo
 * that depends on the node's surroundings, on other files or on offsets (what an identifier resolves
 * to, what an expression denotes, a construction's origin range) goes stale when
 * - an incremental parse (engine/parse.ts, `reparseTypeScript`: the editor's keystroke path) moves
 *   the unchanged subtrees of the previous tree into the new one, with new parents and offsets;
 * - another file changes (`Project.invalidate`): an import may now denote something else.
 * Those memos live in a `ContextMemo`, which forgets everything at either event.
 */

import * as ts from 'typescript';

let epoch = 0;

/** Drops every ContextMemo's entries (lazily, on next use). */
export function dropContextMemos(): void {
  epoch++;
}

/** A WeakMap for node-keyed values that depend on more than the node's own subtree (see above). */
export class ContextMemo<K extends object, V> {
  private map = new WeakMap<K, V>();
  private epoch = epoch;

  private current(): WeakMap<K, V> {
    if (this.epoch !== epoch) {
      this.map = new WeakMap();
      this.epoch = epoch;
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

/**
 * A predicate over node kinds as a lookup table: `predicate` (which must read only `kind`) is
 * evaluated once per SyntaxKind. The hot walks (resolution climbs every ancestor) then pay one
 * array read instead of a chain of `ts.isX` calls. Built on first use: the CLI loads TypeScript
 * only when a file is analysed (tools/lazy-chunks.mjs), not when these modules load.
 */
export function kindTable(predicate: (node: ts.Node) => boolean): (node: ts.Node) => boolean {
  let table: Uint8Array | undefined;
  const build = (): Uint8Array => {
    let last = 0;
    for (const value of Object.values(ts.SyntaxKind)) if (typeof value === 'number' && value > last) last = value;
    const built = new Uint8Array(last + 1);
    for (let kind = 0; kind <= last; kind++) built[kind] = predicate({ kind } as ts.Node) ? 1 : 0;
    return built;
  };
  return (node) => (table ??= build())[node.kind] === 1;
}
