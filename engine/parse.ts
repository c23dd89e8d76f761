/** Tolerant parsing of TS/JS files with the TypeScript compiler API (syntax errors never stop analysis). */
import * as ts from 'typescript';
import { dropContextMemos } from './ts/memo';
import type { Language } from './types';

const TS_EXTENSIONS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JSX,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

/** Extensions the engine analyses. */
export const SOURCE_EXTENSIONS = [...Object.keys(TS_EXTENSIONS), '.prisma'];

function extensionOf(filePath: string): string {
  const lower = filePath.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return dot < 0 ? '' : lower.slice(dot);
}

/** The language of a file, or undefined when the engine does not analyse it. */
export function languageOf(filePath: string): Language | undefined {
  const ext = extensionOf(filePath);
  if (ext === '.prisma') return 'prisma';
  if (filePath.toLowerCase().endsWith('.d.ts') || filePath.toLowerCase().endsWith('.d.mts') || filePath.toLowerCase().endsWith('.d.cts')) return undefined;
  return ext in TS_EXTENSIONS ? 'typescript' : undefined;
}

/** How many files this thread has parsed (tests assert that a cached audit parses nothing). */
export const parseStats = { count: 0 };

/**
 * Parses a TS/JS file with parent pointers. Throws only on pathological input (stack overflow).
 *
 * Two measured choices (bench corpus, CPU time): JSDoc is not parsed (no rule reads it; ~20 % of
 * parsing), and parent pointers are set by one iterative walk of our own, which also records the
 * pre-order node list the rule traversal replays, instead of TypeScript's `setParentNodes`
 * (~40 % on top of parsing). Parsing plus parents then costs about what plain parsing does.
 */
export function parseTypeScript(filePath: string, text: string): ts.SourceFile {
  if (!parserWarmedUp) warmUpParser();
  parseStats.count++;
  const kind = TS_EXTENSIONS[extensionOf(filePath)] ?? ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(filePath, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kind);
  (sourceFile as WithPreorder)[PREORDER] = linkParents(sourceFile);
  return sourceFile;
}

/**
 * Parsed once per thread before the first real file. V8 optimises TypeScript's scanner (`scan`, a
 * ~1,000-line function) from the type feedback of the first files; each operator or literal form
 * those had not used (`!=`, `%=`, `**=`, `^`, `||=`, `~`, hex numbers, ...) then deoptimised it and
 * had it recompiled whole: 11 times per cold audit of the bench corpus (~1.6 s of background
 * compiling, which on 2 cores competes with the audit's threads). This module takes those first.
 * (Lines of plain strings: its escapes and template literals are part of what it exercises.)
 */
let parserWarmedUp = false;
export const PARSER_WARM_UP = [
  '/** @param a JSDoc */',
  'import def, { named as alias, type T } from \'./m\';',
  'export * as ns from "n";',
  '@decorator() export class \\u0043lass<T extends object = {}> extends Base implements I {',
  '  static #count = 0b1010 + 0o17 + 0xff + 0XAB + 1_000 + 1e-3 + 2E+5 + .5 + 10n + 0x1fn;',
  '  declare readonly ünicode?: string;',
  '  private accessor value!: number;',
  '  static { Class.#count ||= 1; }',
  '  constructor(@inject() private x: number, public y?: string) { super(); }',
  '  get [Symbol.iterator]() { return function* () { yield* [1, 2]; }; }',
  '  async *items(this: Class, ...rest: unknown[]): AsyncGenerator<number> { for await (const r of rest as any) yield r as number; }',
  '}',
  'let a = 1, b = 2, c: any = null, d = \'x\\n\\u{1F600}\\x41\\\'\\\\\\r\\0\', e = "y\\"\\t\\v\\b\\f", f = `t${a + `${b}`}u\\``;',
  'a = a + b - c * d / e % f ** 2; a += 1; a -= 1; a *= 2; a /= 2; a %= 2; a **= 2; a <<= 1; a >>= 1; a >>>= 1;',
  'a &= 1; a |= 1; a ^= 1; a &&= b; a ||= b; a ??= b; a++; a--; ++a; --a; a = ~a; a = -a; a = +a; a = !a as any;',
  'c = a == b || a != b || a === b || a !== b || a < b || a > b || a <= b || a >= b || (a & b) | (a ^ b);',
  'c = a << 1 >> 1 >>> 1; c = (a && b) || (c ?? d); c = a ? b : c; c = c?.x?.[0]?.(a); c = c!.y; c = typeof a; c = void 0;',
  'c = delete c.z; c = \'k\' in c; c = a instanceof Object; c = /ab+c[^\\]/]\\/(?<n>x)|(?:y){2,3}/dgimsuy.test(d);',
  'const [p, , ...q] = [1, 2, 3], { r = 1, ...s } = { r: 2 }, arrow = async <U,>(u: U): Promise<U> => u;',
  'label: for (let i = 0; i < 2; i++) { if (i) continue label; else break label; }',
  'do { a--; } while (a > 0); while (false) {} switch (a) { case 1: break; default: }',
  'try { throw new Error(\'e\'); } catch { } finally { }',
  'function fn<const V>(v: V, cb: (x: V) => void): asserts v is V & {} { cb(v); }',
  'type Mapped<K extends keyof any> = { readonly [P in K]-?: P extends `x${infer R}` ? R : never } & (unique symbol)[];',
  'enum E { A = 1 << 2, B = A | 1 }',
  'namespace N.M { export declare const x: typeof E; }',
  'declare global { interface Window { w: number } }',
  '// line comment',
  '/* block comment */ if (a) { a; } else if (b) { b; }',
  'export default def;',
].join('\n');
export const PARSER_WARM_UP_JSX = 'const view = <div a="b" {...props} c={<span>{x}</span>}>text &amp; {y}</div>, frag = <>{[1].map((i) => <i key={i} />)}</>;\n';

function warmUpParser(): void {
  parserWarmedUp = true;
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  ts.createSourceFile('/perflint-warm-up.ts', PARSER_WARM_UP, options, false, ts.ScriptKind.TS);
  ts.createSourceFile('/perflint-warm-up.tsx', PARSER_WARM_UP_JSX, options, false, ts.ScriptKind.TSX);
}

/**
 * Re-parses `previous` for its edited `text` with TypeScript's incremental parser: the subtrees the
 * edit did not touch are moved (with shifted positions) into the new tree instead of being parsed
 * again (a one-line edit of a 3,000-line file: ~2 ms instead of ~15 ms, and far less garbage).
 * `previous` is unusable afterwards; node-keyed memos that depend on a node's surroundings are
 * dropped (ts/memo.ts). The result equals a fresh parse of `text`.
 */
/**
 * Compared a chunk at a time (a substring comparison is a memory compare): a keystroke's text diff
 * ran a character loop over the whole document twice, ~5 ms per edit on a 3,000-line file until
 * V8 optimised it (the first keystrokes of a session), ten times the chunked comparison.
 */
const DIFF_CHUNK = 256;

function commonPrefixLength(a: string, b: string, limit: number): number {
  let i = 0;
  while (i + DIFF_CHUNK <= limit && a.substring(i, i + DIFF_CHUNK) === b.substring(i, i + DIFF_CHUNK)) i += DIFF_CHUNK;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffixLength(a: string, b: string, limit: number): number {
  let i = 0;
  while (i + DIFF_CHUNK <= limit && a.substring(a.length - i - DIFF_CHUNK, a.length - i) === b.substring(b.length - i - DIFF_CHUNK, b.length - i)) i += DIFF_CHUNK;
  while (i < limit && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

export function reparseTypeScript(previous: ts.SourceFile, text: string): ts.SourceFile {
  parseStats.count++;
  const before = previous.text;
  // The changed span: everything between the common prefix and the common suffix.
  const shorter = Math.min(before.length, text.length);
  const start = commonPrefixLength(before, text, shorter);
  const tail = commonSuffixLength(before, text, shorter - start);
  const change = { span: { start, length: before.length - tail - start }, newLength: text.length - tail - start };
  const previousTree = previous as WithPreorder;
  const previousOrder = previousTree[PREORDER];
  const previousTop = previousTree[TOP] ?? (previousOrder ? topLevelStarts(previous, previousOrder) : undefined);
  const previousDerived = previousTree[DERIVED];
  const sourceFile = ts.updateSourceFile(previous, text, change, false) as WithPreorder;
  dropContextMemos();
  if (previousOrder && previousTop) {
    const { order, top, reused } = reorder(sourceFile, previousOrder, previousTop);
    sourceFile[PREORDER] = order;
    sourceFile[TOP] = top;
    // What was derived from a reused top-level child stays true: same nodes, same subtree.
    if (previousDerived) {
      const derived: Derived = new Map();
      for (const [key, byChild] of previousDerived) {
        const kept = new Map<ts.Node, unknown>();
        for (const child of reused) {
          const value = byChild.get(child);
          if (value !== undefined) kept.set(child, value);
        }
        derived.set(key, kept);
      }
      sourceFile[DERIVED] = derived;
    }
  } else {
    // The incremental parser sets parent pointers itself: only the node list is needed.
    sourceFile[PREORDER] = linkParents(sourceFile, false);
  }
  return sourceFile;
}

/**
 * Marks a freshly parsed tree as one that is about to be edited (an editor's document): what
 * `perTopLevelChild` derives from it is then kept per top-level child from its first analysis on,
 * so the first keystroke re-derives only what it re-parsed.
 */
export function expectEdits(sourceFile: ts.SourceFile): void {
  const tree = sourceFile as WithPreorder;
  if (tree[TOP]) return;
  const order = nodesInOrder(sourceFile);
  const top = topLevelStarts(sourceFile, order);
  if (top) tree[TOP] = top;
}

/**
 * Where each top-level child of a tree (statements, end-of-file token) starts in its pre-order
 * list: a child's subtree is the stretch up to the next child's start. Found by binary search on
 * `pos`, which never decreases along a pre-order list; read before an incremental parse moves them.
 */
function topLevelStarts(sourceFile: ts.SourceFile, order: readonly ts.Node[]): Map<ts.Node, Stretch> | undefined {
  const children: ts.Node[] = [];
  ts.forEachChild(sourceFile, (child) => {
    children.push(child);
  });
  const starts = new Map<ts.Node, Stretch>();
  let from = 1;
  let previous: Stretch | undefined;
  for (const child of children) {
    let low = from;
    let high = order.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (order[mid].pos < child.pos) low = mid + 1;
      else high = mid;
    }
    // Nodes of the same `pos` (an empty statement, a parent and its first child): the child itself.
    while (low < order.length && order[low] !== child && order[low].pos === child.pos) low++;
    if (order[low] !== child) return undefined;
    if (previous) previous.end = low;
    previous = { start: low, end: order.length };
    starts.set(child, previous);
    from = low + 1;
  }
  return starts;
}

/**
 * The pre-order list of an incrementally parsed tree: a top-level child the parser reused from the
 * previous tree is the same object with the same subtree (a reused node is moved whole, its
 * descendants included), so its stretch of the previous list is copied instead of walked again.
 * Also returns each top-level child's stretch of the new list and the reused children.
 */
function reorder(sourceFile: ts.SourceFile, previousOrder: readonly ts.Node[], previousTop: Map<ts.Node, Stretch>): { order: ts.Node[]; top: Map<ts.Node, Stretch>; reused: ts.Node[] } {
  const order: ts.Node[] = [sourceFile];
  const top = new Map<ts.Node, Stretch>();
  const reused: ts.Node[] = [];
  ts.forEachChild(sourceFile, (child) => {
    const start = order.length;
    const stretch = previousTop.get(child);
    if (stretch) {
      for (let i = stretch.start; i < stretch.end; i++) order.push(previousOrder[i]);
      reused.push(child);
    } else {
      const walked = linkParents(child, false);
      for (let i = 0; i < walked.length; i++) order.push(walked[i]);
    }
    top.set(child, { start, end: order.length });
  });
  return { order, top, reused };
}

/**
 * The nodes of a parsed file that `filter` accepts, in pre-order. Full passes over a tree's nodes
 * are the expensive part of a keystroke's analysis, more than their count suggests: a tree that
 * has lived through garbage collections is scattered over the heap (about 3 ms per pass over the
 * benchmark's 17,700 nodes, against 0.5 ms over a freshly parsed tree). On a tree from an
 * incremental parse, each top-level child's filtered list is kept and a reused child's list is
 * taken from the previous tree, so a keystroke only filters the statements it re-parsed. `filter`
 * must read only the node itself (not its surroundings) and be the same function object each time.
 */
export function nodesWhere(sourceFile: ts.SourceFile, filter: (node: ts.Node) => boolean): ts.Node[] {
  const perChild = perTopLevelChild(sourceFile, filteredBy(filter));
  const all: ts.Node[] = [];
  if (!perChild) {
    const order = nodesInOrder(sourceFile);
    for (let i = 0; i < order.length; i++) if (filter(order[i])) all.push(order[i]);
    return all;
  }
  if (filter(sourceFile)) all.push(sourceFile);
  for (const { value: list } of perChild) for (let i = 0; i < list.length; i++) all.push(list[i]);
  return all;
}

const filterDerivations = new WeakMap<(node: ts.Node) => boolean, (child: ts.Node, stretch: readonly ts.Node[]) => ts.Node[]>();

function filteredBy(filter: (node: ts.Node) => boolean): (child: ts.Node, stretch: readonly ts.Node[]) => ts.Node[] {
  let derive = filterDerivations.get(filter);
  if (!derive) filterDerivations.set(filter, (derive = (_child, stretch) => stretch.filter(filter)));
  return derive;
}

/**
 * For a tree from an incremental parse, `derive(child, stretch)` of each top-level child (its
 * pre-order nodes, the child first), in source order; a reused child's value is the previous
 * tree's (see nodesWhere). `derive` must read nothing outside the child's subtree, and be the same
 * function object each time. Undefined for a freshly parsed tree: one pass over it is cheap.
 */
export function perTopLevelChild<T>(sourceFile: ts.SourceFile, derive: (child: ts.Node, stretch: readonly ts.Node[]) => T): Array<{ child: ts.Node; value: T }> | undefined {
  const tree = sourceFile as WithPreorder;
  const top = tree[TOP];
  if (!top) return undefined;
  const order = nodesInOrder(sourceFile);
  const derived = (tree[DERIVED] ??= new Map());
  let byChild = derived.get(derive);
  if (!byChild) derived.set(derive, (byChild = new Map()));
  const result: Array<{ child: ts.Node; value: T }> = [];
  for (const [child, { start, end }] of top) {
    let value = byChild.get(child) as T | undefined;
    if (value === undefined) {
      value = derive(child, order.slice(start, end));
      byChild.set(child, value);
    }
    result.push({ child, value });
  }
  return result;
}

/**
 * The pre-order list is a property of its SourceFile, not a WeakMap entry: measured on the bench
 * corpus, a WeakMap holding every file's node list cost ~3 s more garbage collection (ephemerons).
 */
const PREORDER = Symbol('perflint.preorder');
/** Trees from an incremental parse: each top-level child's stretch of the pre-order list, in source order. */
const TOP = Symbol('perflint.top');
/** Trees from an incremental parse: per `perTopLevelChild` derivation, each top-level child's value. */
const DERIVED = Symbol('perflint.derived');
type Stretch = { start: number; end: number };
type Derived = Map<object, Map<ts.Node, unknown>>;
type WithPreorder = ts.SourceFile & { [PREORDER]?: readonly ts.Node[]; [TOP]?: Map<ts.Node, Stretch>; [DERIVED]?: Derived };

/** Sets `parent` on every node below `root` (iteratively: deep nesting cannot overflow; `setParents` false: they are set already) and returns the nodes in pre-order. */
function linkParents(root: ts.Node, setParents = true): ts.Node[] {
  const order: ts.Node[] = [];
  const stack: ts.Node[] = [root];
  let parent: ts.Node = root;
  const collect = setParents
    ? (child: ts.Node) => {
        (child as { parent: ts.Node }).parent = parent;
        stack.push(child);
      }
    : (child: ts.Node) => {
        stack.push(child);
      };
  while (stack.length > 0) {
    parent = stack.pop()!;
    order.push(parent);
    // Children are pushed in source order, then that stretch of the stack is reversed so the first child pops first.
    const first = stack.length;
    ts.forEachChild(parent, collect);
    for (let i = first, j = stack.length - 1; i < j; i++, j--) {
      const swap = stack[i];
      stack[i] = stack[j];
      stack[j] = swap;
    }
  }
  return order;
}

/** Every node of a parsed file in pre-order (parents before children, siblings in source order). */
export function nodesInOrder(sourceFile: ts.SourceFile): readonly ts.Node[] {
  let order = (sourceFile as WithPreorder)[PREORDER];
  if (!order) {
    // A tree parsed elsewhere (with parent pointers already set): walk it once.
    order = linkParents(sourceFile);
    (sourceFile as WithPreorder)[PREORDER] = order;
  }
  return order;
}
