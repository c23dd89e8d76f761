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

/**
 * How many files this thread has parsed (tests assert that a cached audit parses nothing), and how
 * many of the re-parses took the one-statement path (`reparseOneStatement`).
 */
export const parseStats = { count: 0, oneStatement: 0 };

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
  // Twice: V8 gives a function its feedback vector (where type feedback is recorded) only once it
  // has run a little, so the first parse left the forms on its first lines unrecorded (`scan` was
  // still deoptimised on `0b`/`0o` numbers in every cold audit). The second parse costs ~1 ms.
  for (let pass = 0; pass < 2; pass++) {
    ts.createSourceFile('/perflint-warm-up.ts', PARSER_WARM_UP, options, false, ts.ScriptKind.TS);
    ts.createSourceFile('/perflint-warm-up.tsx', PARSER_WARM_UP_JSX, options, false, ts.ScriptKind.TSX);
  }
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
  const spliced = previousOrder && previousTop ? reparseOneStatement(previousTree, previousOrder as ts.Node[], previousTop, text, start, start + change.span.length, change.newLength - change.span.length) : undefined;
  if (spliced) parseStats.oneStatement++;
  const sourceFile = spliced?.sourceFile ?? (ts.updateSourceFile(previous, text, change, false) as WithPreorder);
  dropContextMemos();
  if (previousOrder && previousTop) {
    const { order, top, reused } = spliced ?? reorder(sourceFile, previousOrder, previousTop);
    sourceFile[PREORDER] = order;
    sourceFile[TOP] = top;
    // What was derived from a reused top-level child stays true: same nodes, same subtree.
    // The previous tree is unusable now (its node list was edited in place): what callers carry along the edits is this tree's to patch.
    sourceFile[CARRIED] = previousTree[CARRIED];
    if (previousDerived && spliced) {
      // Every top-level child but the re-parsed one is reused: the previous maps, minus it.
      for (const byChild of previousDerived.values()) byChild.delete(spliced.replaced);
      sourceFile[DERIVED] = previousDerived;
    } else if (previousDerived) {
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
 * The usual keystroke, re-parsed without TypeScript's incremental parser: an edit inside one
 * top-level statement (typing in a function body, or a new statement typed before it) re-parses
 * that statement's text alone, and the other statements are kept with positions shifted past the
 * edit. On the keystroke benchmark's 3,000-line file TypeScript's incremental parse costs about a
 * third of a keystroke's analysis: it visits every node after the edit through a work queue,
 * parses the statement list again against its syntax cursor, and re-links the parents of all 600
 * top-level statements; this path parses ~30 lines and shifts positions in one pass.
 *
 * Undefined (the caller falls back to TypeScript's incremental parser) unless the result is
 * provably what a fresh parse gives:
 *   - the statement before ends in a way no token can continue (`endsForGood`: a semicolon, a
 *     declaration's closing brace) or there is none, so a fresh parse starts a statement where
 *     this one starts, in the state of any top-level statement start, whatever its text is now;
 *   - its new text alone parses with no syntax error into statements that end where it ends, the
 *     last one in a way no token can continue: a fresh parse reads the same tokens from the same
 *     state up to there, makes the same statements, and starts the next one where it did before;
 *   - the previous tree's syntax errors all lay inside this statement (mid-typing states), so the
 *     new tree has none;
 *   - no whole-file property can change: the first statement's leading comments (the file's
 *     pragmas) are not edited, no top-level `await` (a module re-parses those), the module
 *     indicator stays put, no `@ts-` comment directive is involved.
 * test/engine/reparse.test.ts compares random edits with fresh parses, node by node.
 */
function reparseOneStatement(
  previous: WithPreorder,
  previousOrder: ts.Node[],
  previousTop: Map<ts.Node, Stretch>,
  text: string,
  start: number,
  oldEnd: number,
  delta: number,
): { sourceFile: WithPreorder; order: ts.Node[]; top: Map<ts.Node, Stretch>; reused: ts.Node[]; replaced: ts.Node } | undefined {
  const internals = previous as unknown as TreeInternals;
  if ((internals.commentDirectives?.length ?? 0) > 0) return undefined;
  const statements = previous.statements;
  // The last statement starting (leading trivia included) at or before the edit.
  let low = 0;
  let high = statements.length - 1;
  let index = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (statements[mid].pos <= start) {
      index = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (index === -1) return undefined;
  const child = statements[index];
  if (oldEnd >= child.end || child.end - child.pos > ONE_STATEMENT_MAX_LENGTH) return undefined;
  if (index === 0 ? start <= child.getStart(previous) : !endsForGood(statements[index - 1], previous.text.charCodeAt(statements[index - 1].end - 1))) return undefined;
  const stretch = previousTop.get(child);
  const following = index + 1 < statements.length ? statements[index + 1] : previous.endOfFileToken;
  // Contiguous with the next statement (error recovery may skip tokens between two statements).
  if (!stretch || following.pos !== child.end) return undefined;
  for (const diagnostic of internals.parseDiagnostics) {
    const from = diagnostic.start ?? -1;
    if (from < child.pos || from >= child.end || from + (diagnostic.length ?? 0) > child.end) return undefined;
  }
  const newEnd = child.end + delta;
  const kind = TS_EXTENSIONS[extensionOf(previous.fileName)] ?? ts.ScriptKind.TS;
  const piece = ts.createSourceFile(previous.fileName, text.slice(child.pos, newEnd), { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kind);
  const pieceInternals = piece as unknown as TreeInternals;
  const added = piece.statements;
  if (pieceInternals.parseDiagnostics.length > 0 || (pieceInternals.commentDirectives?.length ?? 0) > 0 || added.length === 0) return undefined;
  const last = added[added.length - 1];
  if (last.end !== newEnd - child.pos || !endsForGood(last, text.charCodeAt(newEnd - 1))) return undefined;
  let indicatorAdded: ts.Statement | undefined;
  for (const statement of added) {
    if ((statement as unknown as { transformFlags: number }).transformFlags & CONTAINS_POSSIBLE_TOP_LEVEL_AWAIT) return undefined;
    if (!indicatorAdded && isModuleIndicator(statement)) indicatorAdded = statement;
  }
  // The module indicator (the first import/export statement, or an `import.meta`) must stay put.
  const indicator = internals.externalModuleIndicator;
  let newIndicator = indicator;
  if (indicator === child) {
    if (!indicatorAdded) return undefined;
    newIndicator = indicatorAdded;
  } else if (typeof indicator === 'object' && indicator.pos >= child.pos && indicator.end <= child.end) {
    return undefined;
  } else if (indicatorAdded) {
    if (indicator === undefined) newIndicator = indicatorAdded;
    else if (indicator === true || indicator.pos >= child.end) return undefined;
  }

  // The new tree: the previous one's properties, with the new text, statements and end.
  const sourceFile = Object.create(Object.getPrototypeOf(previous) as object) as WithPreorder & TreeInternals;
  const writable = sourceFile as unknown as { end: number; flags: number; statements: ts.NodeArray<ts.Statement> };
  Object.assign(sourceFile, previous);
  sourceFile.id = 0;
  sourceFile.text = text;
  writable.end = text.length;
  sourceFile.lineMap = undefined;
  sourceFile.parseDiagnostics = [];
  sourceFile.externalModuleIndicator = newIndicator;
  // "Possibly contains import() / import.meta": once set, kept (as TypeScript's `updateSourceFile` does).
  writable.flags = previous.flags | (piece.flags & POSSIBLY_CONTAINS_IMPORTS);

  // The pre-order list: the previous one's stretches before and after the statement (contiguous,
  // in source order), the new statements' nodes between them.
  const walked: ts.Node[] = [];
  const sizes: number[] = [];
  for (const statement of added) {
    const nodes = linkParents(statement);
    sizes.push(nodes.length);
    shiftNodes(nodes, 0, nodes.length, child.pos);
    (statement as { parent: ts.Node }).parent = sourceFile;
    for (let i = 0; i < nodes.length; i++) walked.push(nodes[i]);
  }
  shiftFollowing(previousOrder, previousTop, stretch.end, delta);
  // The previous tree's list, edited in place (that tree is unusable now): copying its ~18,000
  // entries was a third of a keystroke's garbage in the re-parse.
  const order = previousOrder;
  order[0] = sourceFile;
  order.splice(stretch.start, stretch.end - stretch.start, ...walked);
  const top = new Map<ts.Node, Stretch>();
  const reused: ts.Node[] = [];
  const children: ts.Statement[] = [];
  const moved = walked.length - (stretch.end - stretch.start);
  for (const [node, { start: from, end: to }] of previousTop) {
    if (node === child) {
      let at = from;
      added.forEach((statement, i) => {
        top.set(statement, { start: at, end: at + sizes[i] });
        children.push(statement);
        at += sizes[i];
      });
      continue;
    }
    (node as { parent: ts.Node }).parent = sourceFile;
    top.set(node, from < stretch.start ? { start: from, end: to } : { start: from + moved, end: to + moved });
    if (node !== previous.endOfFileToken) children.push(node as ts.Statement);
    reused.push(node);
  }
  writable.statements = ts.setTextRange(ts.factory.createNodeArray(children), { pos: statements.pos, end: statements.end + delta });
  return { sourceFile, order, top, reused, replaced: child };
}

/** A top-level statement this long (a big class, a namespace) is left to TypeScript's incremental parser, which re-parses less of it. */
const ONE_STATEMENT_MAX_LENGTH = 16 * 1024;
/** `TransformFlags.ContainsPossibleTopLevelAwait` (internal to TypeScript): an `await` outside any function, which a module re-parses. */
const CONTAINS_POSSIBLE_TOP_LEVEL_AWAIT = 1 << 26;
/** `NodeFlags.PermanentlySetIncrementalFlags` (internal): "possibly contains import() / import.meta". */
const POSSIBLY_CONTAINS_IMPORTS = (1 << 22) | (1 << 23);
const CLOSE_BRACE = 0x7d;
const SEMICOLON = 0x3b;

/** Properties of a SourceFile that TypeScript keeps internal. */
interface TreeInternals {
  id?: number;
  parseDiagnostics: readonly ts.Diagnostic[];
  commentDirectives?: readonly unknown[];
  externalModuleIndicator?: ts.Node | true;
  lineMap?: readonly number[];
}

/**
 * Statements after which no token continues them: declarations closed by their brace, and
 * statements closed by a semicolon (`if (a) b;` is not one of them: an `else` may follow).
 */
function endsForGood(statement: ts.Statement, lastCharacter: number): boolean {
  switch (statement.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
      return lastCharacter === CLOSE_BRACE || lastCharacter === SEMICOLON;
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.InterfaceDeclaration:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration:
      return lastCharacter === CLOSE_BRACE;
    case ts.SyntaxKind.VariableStatement:
    case ts.SyntaxKind.ExpressionStatement:
    case ts.SyntaxKind.TypeAliasDeclaration:
    case ts.SyntaxKind.ImportDeclaration:
    case ts.SyntaxKind.ImportEqualsDeclaration:
    case ts.SyntaxKind.ExportDeclaration:
    case ts.SyntaxKind.ExportAssignment:
      return lastCharacter === SEMICOLON;
    default:
      return false;
  }
}

/** What makes TypeScript treat a file as a module (`isAnExternalModuleIndicatorNode`). */
function isModuleIndicator(statement: ts.Statement): boolean {
  if (ts.isImportDeclaration(statement) || ts.isExportAssignment(statement) || ts.isExportDeclaration(statement)) return true;
  if (ts.isImportEqualsDeclaration(statement)) return ts.isExternalModuleReference(statement.moduleReference);
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false);
}

let shiftDelta = 0;
const ignoreChild = (): undefined => undefined;
const shiftArray = (array: ts.NodeArray<ts.Node>): undefined => {
  const range = array as unknown as { pos: number; end: number };
  range.pos += shiftDelta;
  range.end += shiftDelta;
  return undefined;
};

/** Moves `nodes[from..to)` by `delta`, with the node lists (arguments, members, ...) they hold. */
function shiftNodes(nodes: readonly ts.Node[], from: number, to: number, delta: number): void {
  if (delta === 0) return;
  shiftDelta = delta;
  for (let i = from; i < to; i++) shiftBy(nodes[i], delta);
}

function shiftBy(node: ts.Node, delta: number): void {
  const range = node as { pos: number; end: number };
  range.pos += delta;
  range.end += delta;
  shiftDelta = delta;
  ts.forEachChild(node, ignoreChild, shiftArray);
}

/**
 * The node lists in each reused top-level statement's subtree, found once per statement: moving
 * the nodes after an edit is then a flat pass over them and their lists, without `forEachChild`
 * on each node to find the lists (which cost ~4 ms per keystroke on the benchmark's 3,000-line
 * document for an edit near its top). A statement's subtree never changes while it is reused.
 */
const nodeArraysOf = new WeakMap<ts.Node, Array<ts.NodeArray<ts.Node>>>();
let collectedArrays: Array<ts.NodeArray<ts.Node>> = [];
const collectArray = (array: ts.NodeArray<ts.Node>): undefined => {
  collectedArrays.push(array);
  return undefined;
};

/** Moves the nodes from `order[from]` on by `delta`, with the node lists of the top-level children they belong to (`top`: their stretches of `order`). */
function shiftFollowing(order: readonly ts.Node[], top: ReadonlyMap<ts.Node, Stretch>, from: number, delta: number): void {
  if (delta === 0) return;
  for (let i = from; i < order.length; i++) {
    const range = order[i] as { pos: number; end: number };
    range.pos += delta;
    range.end += delta;
  }
  for (const [child, stretch] of top) {
    if (stretch.start < from) continue;
    let arrays = nodeArraysOf.get(child);
    if (!arrays) {
      collectedArrays = [];
      for (let i = stretch.start; i < stretch.end; i++) ts.forEachChild(order[i], ignoreChild, collectArray);
      arrays = collectedArrays;
      collectedArrays = [];
      nodeArraysOf.set(child, arrays);
    }
    for (let i = 0; i < arrays.length; i++) {
      const range = arrays[i] as unknown as { pos: number; end: number };
      range.pos += delta;
      range.end += delta;
    }
  }
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
  for (const list of perChild) for (let i = 0; i < list.length; i++) all.push(list[i]);
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
export function perTopLevelChild<T>(sourceFile: ts.SourceFile, derive: (child: ts.Node, stretch: readonly ts.Node[]) => T): T[] | undefined {
  const tree = sourceFile as WithPreorder;
  const top = tree[TOP];
  if (!top) return undefined;
  const order = nodesInOrder(sourceFile);
  const derived = (tree[DERIVED] ??= new Map());
  let byChild = derived.get(derive);
  if (!byChild) derived.set(derive, (byChild = new Map()));
  // (values only: an object per child and call was ~0.25 MB of garbage per keystroke on the benchmark's document)
  const result: T[] = [];
  for (const [child, { start, end }] of top) {
    let value = byChild.get(child) as T | undefined;
    if (value === undefined) {
      value = derive(child, order.slice(start, end));
      byChild.set(child, value);
    }
    result.push(value);
  }
  return result;
}

/**
 * For a tree from an incremental parse, the value of `key` carried along the document's re-parsed
 * trees (created by `create` the first time): the caller brings it up to date with the tree it is
 * asked for, patching what changed since the tree it last served (with `perTopLevelChild`'s values)
 * instead of rebuilding it. Only the latest tree of a document may ask: the value is shared with its
 * predecessors, which are unusable anyway. Undefined for a freshly parsed tree.
 */
export function carriedAlongEdits<T>(sourceFile: ts.SourceFile, key: object, create: () => T): T | undefined {
  const tree = sourceFile as WithPreorder;
  if (!tree[TOP]) return undefined;
  const carried = (tree[CARRIED] ??= new Map());
  let value = carried.get(key) as T | undefined;
  if (value === undefined) carried.set(key, (value = create()));
  return value;
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
/** Trees from an incremental parse: values carried along a document's trees (`carriedAlongEdits`). */
const CARRIED = Symbol('perflint.carried');
type Stretch = { start: number; end: number };
type Derived = Map<object, Map<ts.Node, unknown>>;
type WithPreorder = ts.SourceFile & { [PREORDER]?: readonly ts.Node[]; [TOP]?: Map<ts.Node, Stretch>; [DERIVED]?: Derived; [CARRIED]?: Map<object, unknown> };

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
