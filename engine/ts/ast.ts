/** Small AST helpers shared by rules: function boundaries, loops, per-item callbacks, call shapes. */
import * as ts from 'typescript';
import { kindTable } from './memo';
import { skipOuterExpressions } from './scope';

export type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

export function isFunctionNode(node: ts.Node): node is FunctionNode {
  return isFunctionKind(node);
}

const isFunctionKind = kindTable((node) => ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node));

/** The nearest enclosing function (a class static block counts as module initialisation, not a function). */
export function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return current;
    if (ts.isClassStaticBlockDeclaration(current)) return undefined;
  }
  return undefined;
}

/** True when the node runs at module initialisation (no enclosing function, or only IIFEs). */
export function isModuleLevel(node: ts.Node): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (!isImmediatelyInvoked(fn)) return false;
  }
  return true;
}

/** `(() => { … })()`, `(async function () { … })()`, and a promise's executor (`new Promise((resolve) => …)`, run by the constructor). */
export function isImmediatelyInvoked(fn: ts.Node): boolean {
  if (!ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn)) return false;
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  if (ts.isCallExpression(parent)) return parent.expression === outer;
  return ts.isNewExpression(parent) && parent.arguments?.[0] === outer && ts.isIdentifier(parent.expression) && parent.expression.text === 'Promise';
}

export type LoopNode = ts.ForStatement | ts.ForInStatement | ts.ForOfStatement | ts.WhileStatement | ts.DoStatement;

export function isLoop(node: ts.Node): node is LoopNode {
  return ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

/** True when `node` is inside the loop's body (or its condition/incrementor), not its initializer or iterated expression. */
export function isInLoopBody(loop: LoopNode, node: ts.Node): boolean {
  const inside = (part: ts.Node | undefined) => part !== undefined && node.pos >= part.pos && node.end <= part.end;
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return inside(loop.statement);
  if (ts.isForStatement(loop)) return inside(loop.statement) || inside(loop.condition) || inside(loop.incrementor);
  return inside(loop.statement) || inside(loop.expression);
}

/** Array methods whose callback runs once per element. */
export const PER_ITEM_METHODS = new Set(['map', 'forEach', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);

export interface PerItemCallback {
  /** The function that runs once per element. */
  callback: ts.ArrowFunction | ts.FunctionExpression;
  /** The call that iterates: `items.map(cb)`, `pMap(items, cb)`. */
  call: ts.CallExpression;
  /** The method or helper name (`map`, `forEach`, `pMap`, …). */
  method: string;
  /** The iterated collection expression, when known. */
  collection: ts.Expression | undefined;
}

/** Helpers from p-map-like libraries: `pMap(items, mapper, { concurrency })`, `Bluebird.map`, `async.mapLimit`. */
export const PER_ITEM_HELPERS = new Set(['pMap', 'pMapSeries', 'pEachSeries', 'pFilter', 'mapSeries', 'mapLimit', 'eachLimit', 'eachSeries', 'each', 'mapConcurrent', 'asyncPool']);

/** When `fn` is the per-element callback of an iteration, describes it. */
export function perItemCallbackOf(fn: ts.Node): PerItemCallback | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const call = outer.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(outer as ts.Expression)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (PER_ITEM_METHODS.has(method) && call.arguments[0] === outer) return { callback: fn, call, method, collection: callee.expression };
    // Bluebird.map(items, fn), async.mapLimit(items, n, fn), Promise.map
    if ((PER_ITEM_HELPERS.has(method) || method === 'map' || method === 'mapSeries' || method === 'each') && call.arguments.length >= 2 && call.arguments[0] !== outer) {
      return { callback: fn, call, method, collection: call.arguments[0] };
    }
    // Array.from(items, fn)
    if (method === 'from' && call.arguments[1] === outer) return { callback: fn, call, method: 'Array.from', collection: call.arguments[0] };
    return undefined;
  }
  if (ts.isIdentifier(callee) && PER_ITEM_HELPERS.has(callee.text) && call.arguments.length >= 2 && call.arguments[0] !== outer) {
    return { callback: fn, call, method: callee.text, collection: call.arguments[0] };
  }
  // Array.from(items, fn)
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'from' && call.arguments[1] === outer) {
    return { callback: fn, call, method: 'Array.from', collection: call.arguments[0] };
  }
  return undefined;
}

/** True when the expression's value is awaited (directly, or via `return await`, `for await`). */
export function isAwaited(node: ts.Node): boolean {
  let current: ts.Node = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent))) current = current.parent;
  return ts.isAwaitExpression(current.parent);
}

/**
 * Splits `a.b['c']` into its root expression (`a`) and the accessed names (`['b', 'c']`): property
 * access and element access with string literals; parentheses and casts are skipped.
 */
export function accessPath(expression: ts.Expression): { root: ts.Expression; path: string[] } {
  const path: string[] = [];
  let current: ts.Expression = skipOuterExpressions(expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(current)) path.unshift(current.name.text);
    else if (ts.isElementAccessExpression(current) && ts.isStringLiteralLike(current.argumentExpression)) path.unshift(current.argumentExpression.text);
    else return { root: current, path };
    current = skipOuterExpressions(current.expression);
  }
}

/** `a.b.c(...)` → ['a', 'b', 'c'] (identifiers, `this`, element access with string literals); undefined otherwise. */
export function memberChain(expression: ts.Expression): string[] | undefined {
  const { root, path } = accessPath(expression);
  if (ts.isIdentifier(root)) return [root.text, ...path];
  if (root.kind === ts.SyntaxKind.ThisKeyword) return ['this', ...path];
  return undefined;
}

/** The root expression of a member chain (`a` in `a.b.c`). */
export function chainRoot(expression: ts.Expression): ts.Expression {
  let current: ts.Expression = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current)) current = skipOuterExpressions(current.expression);
  return current;
}

/** The value of a string literal or substitution-free template, else undefined. */
export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** A property of an object literal by name (`take` in `{ take: 10 }`), including shorthand. */
export function objectProperty(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((property) => {
    if (ts.isSpreadAssignment(property)) return false;
    const key = property.name;
    if (!key) return false;
    if (ts.isIdentifier(key) || ts.isStringLiteral(key) || ts.isNumericLiteral(key)) return key.text === name;
    if (ts.isComputedPropertyName(key)) return stringValue(key.expression) === name;
    return false;
  });
}

/** Indentation (leading whitespace) of the line containing `offset`. */
export function indentationAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}

/**
 * `new RegExp(`\\b${word}\\b`).test(text)`, with a plain substring search first: fixes probe several
 * candidate names per finding against the whole file, and most are absent.
 */
export function containsWord(text: string, word: string): boolean {
  if (/^\w+$/.test(word) && !text.includes(word)) return false;
  return new RegExp(`\\b${word}\\b`).test(text);
}

/** The line break style of a text. */
export function newlineOf(text: string): string {
  // Fixes ask once per finding, always about the file being analysed: remember the last answer.
  if (text !== lastNewlineText) {
    lastNewline = text.includes('\r\n') ? '\r\n' : '\n';
    lastNewlineText = text;
  }
  return lastNewline;
}

let lastNewlineText: string | undefined;
let lastNewline = '\n';

/** The statement that contains `node` directly inside a block, module or case clause. */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node; current && current.parent; current = current.parent) {
    const parent: ts.Node = current.parent;
    if ((ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) && ts.isStatement(current as ts.Node)) return current as ts.Statement;
  }
  return undefined;
}

/** A property's name as written when it is a plain one (`limit`, `'limit'`, `#cache`); undefined for computed and numeric names. */
export function keyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name) ? name.text : undefined;
}
