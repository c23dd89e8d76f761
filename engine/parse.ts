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
  parseStats.count++;
  const kind = TS_EXTENSIONS[extensionOf(filePath)] ?? ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(filePath, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kind);
  (sourceFile as WithPreorder)[PREORDER] = linkParents(sourceFile);
  return sourceFile;
}

/**
 * Re-parses `previous` for its edited `text` with TypeScript's incremental parser: the subtrees the
 * edit did not touch are moved (with shifted positions) into the new tree instead of being parsed
 * again (a one-line edit of a 3,000-line file: ~2 ms instead of ~15 ms, and far less garbage).
 * `previous` is unusable afterwards; node-keyed memos that depend on a node's surroundings are
 * dropped (ts/memo.ts). The result equals a fresh parse of `text`.
 */
export function reparseTypeScript(previous: ts.SourceFile, text: string): ts.SourceFile {
  parseStats.count++;
  const before = previous.text;
  // The changed span: everything between the common prefix and the common suffix.
  const shorter = Math.min(before.length, text.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === text.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < shorter - start && before.charCodeAt(before.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail++;
  const change = { span: { start, length: before.length - tail - start }, newLength: text.length - tail - start };
  const previousOrder = (previous as WithPreorder)[PREORDER];
  const previousTop = previousOrder ? topLevelStarts(previous, previousOrder) : undefined;
  const sourceFile = ts.updateSourceFile(previous, text, change, false);
  dropContextMemos();
  // The incremental parser sets parent pointers itself: only the node list is needed.
  (sourceFile as WithPreorder)[PREORDER] = previousOrder && previousTop ? reorder(sourceFile, previousOrder, previousTop) : linkParents(sourceFile, false);
  return sourceFile;
}

/**
 * Where each top-level child of a tree (statements, end-of-file token) starts in its pre-order
 * list: a child's subtree is the stretch up to the next child's start. Found by binary search on
 * `pos`, which never decreases along a pre-order list; read before an incremental parse moves them.
 */
function topLevelStarts(sourceFile: ts.SourceFile, order: readonly ts.Node[]): Map<ts.Node, { start: number; end: number }> | undefined {
  const children: ts.Node[] = [];
  ts.forEachChild(sourceFile, (child) => {
    children.push(child);
  });
  const starts = new Map<ts.Node, { start: number; end: number }>();
  let from = 1;
  let previous: { start: number; end: number } | undefined;
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
 */
function reorder(sourceFile: ts.SourceFile, previousOrder: readonly ts.Node[], previousTop: Map<ts.Node, { start: number; end: number }>): ts.Node[] {
  const order: ts.Node[] = [sourceFile];
  ts.forEachChild(sourceFile, (child) => {
    const reused = previousTop.get(child);
    if (reused) {
      for (let i = reused.start; i < reused.end; i++) order.push(previousOrder[i]);
    } else {
      const walked = linkParents(child, false);
      for (let i = 0; i < walked.length; i++) order.push(walked[i]);
    }
  });
  return order;
}

/**
 * The pre-order list is a property of its SourceFile, not a WeakMap entry: measured on the bench
 * corpus, a WeakMap holding every file's node list cost ~3 s more garbage collection (ephemerons).
 */
const PREORDER = Symbol('perflint.preorder');
type WithPreorder = ts.SourceFile & { [PREORDER]?: readonly ts.Node[] };

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
