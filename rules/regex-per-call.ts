/**
 * regex-per-call: a RegExp built from a constant pattern inside a function is compiled again on
 * every call; one built in a loop from a loop-invariant pattern is compiled again on every
 * iteration; `str.match('lit')`/`str.search('lit')` compile their string argument on every call.
 * Fix: hoist to a module-level constant (a regex literal where possible), or before the loop.
 */
import * as ts from 'typescript';
import { defineRule, type RuleContext } from '../engine/rule';
import type { Fix } from '../engine/types';
import { constantRegex, isValidRegex, REGEXP_CALL_TEXT, regexConstruction, toRegexLiteral, type RegexConstruction } from '../engine/regex';
import { enclosingFunction, isFunctionNode, isInLoopBody, isLoop, isModuleLevel, perItemCallbackOf, type FunctionNode } from '../engine/ts/ast';
import { insertionBefore, moduleLevelInsertion, uniqueName, upperSnakeCase } from '../engine/ts/hoist';
import { isTestPath } from '../engine/ts/modules';
import { referencesOf, resolveIdentifier, skipOuterExpressions, type Binding } from '../engine/ts/scope';

/** String methods that compile a string argument into a RegExp (`matchAll` adds the `g` flag). */
const STRING_REGEX_METHODS: Record<string, string> = { match: '', search: '', matchAll: 'g' };
/**
 * Text of such a call with a string literal argument (`s.match('x')`, `s?.search(\`x\`)`, `s.match?.("x")`;
 * also `s.search(=> 'x')` while typing, which TypeScript's recovery reads as that call).
 */
const STRING_REGEX_CALL_TEXT = /\.\s*(?:match|matchAll|search)\s*(?:\?\.\s*)?\(\s*(?:=>\s*)?['"`]/;

/** Names too generic to name a module-level constant on their own. */
const GENERIC_NAMES = new Set(['re', 'r', 'rx', 'reg', 'regex', 'regexp', 'pattern', 'p', 'exp', 'expr', 'm', 'x', 'tmp', 'result']);

export default defineRule({
  id: 'regex-per-call',
  meta: {
    category: 'regex',
    defaultSeverity: 'warning',
    description: 'A RegExp is compiled on every call or loop iteration although its pattern never changes.',
    fix: 'safe',
    languages: ['typescript'],
    // 4: a callback of an array method says it runs per element (`every element of \`s.split('').map(…)\``)
    version: 4,
  },
  // A `RegExp` construction, or a string-literal argument to `.match`/`.matchAll`/`.search`
  // (the words first: `indexOf` is many times faster than a pattern that starts at every `.`);
  // not in tests, which run each call a handful of times.
  mayReport: ({ project, path: filePath, text }) =>
    !isTestPath(project.relative(filePath)) && (REGEXP_CALL_TEXT.test(text) || ((text.includes('match') || text.includes('search')) && STRING_REGEX_CALL_TEXT.test(text))),
  create(context) {
    const sourceFile = context.sourceFile;
    const taken = new Set<string>();
    if (!sourceFile || isTestPath(context.project.relative(context.path))) return {};
    const onCall = (node: ts.NewExpression | ts.CallExpression) => {
      const construction = regexConstruction(node);
      if (construction) checkConstruction(context, sourceFile, construction, taken);
      else if (ts.isCallExpression(node)) checkStringMethod(context, sourceFile, node, taken);
    };
    return { [ts.SyntaxKind.NewExpression]: onCall, [ts.SyntaxKind.CallExpression]: onCall };
  },
});

function checkConstruction(context: RuleContext, sourceFile: ts.SourceFile, construction: RegexConstruction, taken: Set<string>): void {
  const { node } = construction;
  if (isModuleLevel(node)) return;
  const fn = enclosingFunction(node)!;
  const shown = `\`${abbreviate(node.getText(sourceFile))}\``;
  const constant = constantRegex(construction);
  if (constant && isOncePerSetup(node, fn)) return;
  if (constant) {
    if (!isValidRegex(constant.source, constant.flags)) return; // throws at run time: a bug, not a performance issue
    const stateful = statefulUseProblem(node, constant.flags);
    let message = `${shown} is compiled again on ${everyRunOf(fn)}; hoist it to a module-level constant so it is compiled once.`;
    const fixes: Fix[] = [];
    if (stateful) message += ` No automatic fix: ${stateful}`;
    else {
      const name = uniqueName(sourceFile, moduleConstantName(node, fn), taken);
      const { initializer, after } = hoistedInitializer(sourceFile, node, constant.source, constant.flags, constant.bindings);
      const insertion = moduleLevelInsertion(sourceFile, `const ${name} = ${initializer};`, after);
      fixes.push({
        kind: 'safe',
        title: `Hoist the regex to the module-level constant \`${name}\``,
        edits: [
          { start: insertion.start, end: insertion.start, text: insertion.text },
          { start: node.getStart(sourceFile), end: node.end, text: name },
        ],
      });
    }
    context.report({ node, message, fixes });
    return;
  }
  checkLoopInvariant(context, sourceFile, construction, shown, taken);
}

/**
 * Shapes that already compile once: a lazily initialised cache (`cached ??= new RegExp(…)`,
 * `if (!re) re = new RegExp(…)`, `this.re = new RegExp(…)`), and factories that build the regex
 * once and return a closure using it (`function auth(opts) { const re = …; return (req) => … }`),
 * which run once per setup, not per request.
 */
function isOncePerSetup(node: ts.Expression, fn: FunctionNode): boolean {
  let outer: ts.Node = node;
  while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || ts.isNonNullExpression(outer.parent))) outer = outer.parent;
  const parent = outer.parent;
  if (ts.isBinaryExpression(parent) && parent.right === outer && [ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken].includes(parent.operatorToken.kind)) {
    const target = skipOuterExpressions(parent.left);
    if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) return true;
    if (ts.isIdentifier(target)) {
      const binding = resolveIdentifier(target);
      if (binding && !(binding.declaration.pos >= fn.pos && binding.declaration.end <= fn.end)) return true;
    }
  }
  return returnsClosure(fn) || runsOnceAtLoad(fn);
}

/**
 * A module-level function that is not exported and only called from module-level code
 * (`function buildRoutes() {…}` … `buildRoutes();`) runs once, when the module loads.
 */
function runsOnceAtLoad(fn: FunctionNode): boolean {
  let name: ts.Identifier | undefined;
  if (ts.isFunctionDeclaration(fn) && fn.name && ts.isSourceFile(fn.parent)) name = fn.name;
  else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) && fn.parent.parent.parent && ts.isVariableStatement(fn.parent.parent.parent) && ts.isSourceFile(fn.parent.parent.parent.parent)) name = fn.parent.name;
  if (!name) return false;
  const declaration = ts.isFunctionDeclaration(fn) ? fn : fn.parent.parent.parent;
  if (ts.canHaveModifiers(declaration) && ts.getModifiers(declaration)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return false;
  const binding = resolveIdentifier(name);
  if (!binding) return false;
  const references = referencesOf(binding);
  return references.length > 0 && references.every((ref) => {
    const call = ref.parent;
    return ts.isCallExpression(call) && call.expression === ref && isModuleLevel(call);
  });
}

/** Per function node: it depends on the function's subtree only, so a keystroke's tree keeps the answers of the functions its re-parse kept. */
const returnsClosureMemo = new WeakMap<ts.Node, boolean>();

/** True when the function returns a function (a factory): `return (req) => …`, `=> function () {…}`. */
function returnsClosure(fn: FunctionNode): boolean {
  let answer = returnsClosureMemo.get(fn);
  if (answer === undefined) returnsClosureMemo.set(fn, (answer = findsReturnedClosure(fn)));
  return answer;
}

function findsReturnedClosure(fn: FunctionNode): boolean {
  const body = fn.body;
  if (!body) return false;
  const isFunctionValue = (e: ts.Expression | undefined) => e !== undefined && (ts.isArrowFunction(skipOuterExpressions(e)) || ts.isFunctionExpression(skipOuterExpressions(e)));
  if (!ts.isBlock(body)) return isFunctionValue(body);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && isFunctionValue(node.expression)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** `new RegExp(x)` in a loop body or per-item callback whose arguments do not change between iterations. */
function checkLoopInvariant(context: RuleContext, sourceFile: ts.SourceFile, construction: RegexConstruction, shown: string, taken: Set<string>): void {
  const { node } = construction;
  if (!construction.pattern) return;
  const args = [construction.pattern, construction.flags].filter((a): a is ts.Expression => a !== undefined);
  // The innermost iteration decides the report; the fix builds the regex before the outermost
  // enclosing iteration (in this function) that the arguments are still invariant in.
  let iteration: Iteration | undefined;
  let outermost: Iteration | undefined;
  let analysis: InvariantAnalysis | undefined;
  for (let from: ts.Node = node; ; ) {
    const next = enclosingIteration(from, node);
    if (!next) break;
    const attempt: InvariantAnalysis = { names: [] };
    if (!args.every((arg) => isInvariant(arg, next.region, attempt)) || attempt.names.length === 0) break;
    iteration ??= next;
    outermost = next;
    analysis = attempt;
    if (next.kind === 'callback' && isModuleLevel(next.region)) break;
    from = next.region;
  }
  if (!iteration || !outermost || !analysis) return;
  const names = [...new Set(analysis.names)].map((n) => `\`${n}\``).join(', ');
  const where = iteration.kind === 'loop' ? 'iteration of this loop' : `element in this \`${iteration.method}\` callback`;
  let message = `${shown} is compiled again on every ${where} although ${names} ${analysis.names.length > 1 ? 'do' : 'does'} not change inside it; build it once before the ${iteration.kind === 'loop' ? 'loop' : 'iteration'}.`;
  const fixes: Fix[] = [];
  const flags = construction.flags ? constantFlags(construction.flags) : '';
  const stateful = flags === undefined ? 'its flags are not known, so it may be a stateful `g`/`y` regex.' : statefulUseProblem(node, flags);
  const target = hoistTarget(outermost.statement);
  if (stateful) message += ` No automatic fix: ${stateful}`;
  else if (target) {
    const name = uniqueName(sourceFile, localConstantName(node), taken, '');
    const insertion = insertionBefore(sourceFile, target, `const ${name} = ${node.getText(sourceFile)};`);
    fixes.push({
      // A dynamic pattern may be invalid: built before the loop, it throws even when the loop runs zero times.
      kind: 'suggestion',
      title: `Build the regex once before the ${outermost.kind === 'loop' ? 'loop' : `\`${outermost.method}\` call`} as \`${name}\``,
      edits: [
        { start: insertion.start, end: insertion.start, text: insertion.text },
        { start: node.getStart(sourceFile), end: node.end, text: name },
      ],
    });
  }
  context.report({ node, message, related: [{ range: iteration.related, message: iteration.kind === 'loop' ? 'the loop' : `the \`${iteration.method}\` call` }], fixes });
}

interface Iteration {
  kind: 'loop' | 'callback';
  method?: string;
  /** The region whose bindings vary per iteration (the loop statement, or the callback). */
  region: ts.Node;
  /** The statement before which the regex can be built once. */
  statement: ts.Node;
  related: { start: number; end: number };
}

/** The loop's header (`for (…)`, `while (…)`, `do`), used as the related location. */
function loopHeader(loop: ts.IterationStatement): { start: number; end: number } {
  const start = loop.getStart();
  if (ts.isDoStatement(loop)) return { start, end: start + 2 };
  return { start, end: loop.statement.pos };
}

/** The nearest loop (body) or per-item callback around `node`, without crossing any other function. */
function enclosingIteration(from: ts.Node, node: ts.Node): Iteration | undefined {
  for (let current = from.parent; current; current = current.parent) {
    if (isFunctionNode(current)) {
      const callback = perItemCallbackOf(current);
      if (!callback) return undefined;
      return { kind: 'callback', method: callback.method, region: current, statement: callback.call, related: { start: callback.call.expression.getStart(), end: callback.call.expression.end } };
    }
    if (isLoop(current) && isInLoopBody(current, node)) return { kind: 'loop', region: current, statement: current, related: loopHeader(current) };
  }
  return undefined;
}

/** The statement (in a block, module or case clause) to insert before, or undefined when there is none. */
function hoistTarget(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && !ts.isStatement(current)) current = current.parent;
  while (current.parent && ts.isLabeledStatement(current.parent)) current = current.parent;
  const parent = current.parent;
  if (!parent || !(ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent))) return undefined;
  return current as ts.Statement;
}

interface InvariantAnalysis {
  /** Identifiers the pattern reads (named in the message). */
  names: string[];
}

const STRING_METHODS = new Set(['toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimStart', 'trimEnd', 'normalize', 'join', 'replace', 'replaceAll', 'slice', 'substring', 'toString', 'padStart', 'padEnd', 'repeat']);

/** True when `expression` has the same value on every iteration of `region`. */
function isInvariant(expression: ts.Expression, region: ts.Node, analysis: InvariantAnalysis): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || ts.isRegularExpressionLiteral(node)) return true;
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => isInvariant(span.expression, region, analysis));
  if (ts.isBinaryExpression(node) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)) {
    return isInvariant(node.left, region, analysis) && isInvariant(node.right, region, analysis);
  }
  if (ts.isConditionalExpression(node)) return [node.condition, node.whenTrue, node.whenFalse].every((e) => isInvariant(e, region, analysis));
  if (ts.isIdentifier(node)) {
    if (node.text === 'undefined') return true;
    const binding = resolveIdentifier(node);
    if (!binding) return false; // an unknown global: do not guess
    if (!bindingInvariant(binding, region)) return false;
    analysis.names.push(node.text);
    return true;
  }
  if (ts.isPropertyAccessExpression(node)) {
    return isInvariant(node.expression, region, analysis);
  }
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    const args = node.arguments.every((a) => isInvariant(a, region, analysis));
    if (ts.isPropertyAccessExpression(callee) && STRING_METHODS.has(callee.name.text)) return args && isInvariant(callee.expression, region, analysis);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (/escape|quote/i.test(name) && node.arguments.length > 0) {
      // the helper itself (`escapeRegExp`, `_.escapeRegExp`) must not vary either, but is not named in the message
      return args && (ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee) && isInvariant(callee.expression, region, { names: [] }));
    }
    if (ts.isIdentifier(callee) && callee.text === 'String' && !resolveIdentifier(callee)) return args;
    return false;
  }
  return false;
}

/** A binding declared outside `region` and never written inside it. */
function bindingInvariant(binding: Binding, region: ts.Node): boolean {
  const declaredInside = binding.declaration.pos >= region.pos && binding.declaration.end <= region.end;
  if (declaredInside) return false;
  if (binding.kind === 'const' || binding.kind === 'import' || binding.kind === 'function' || binding.kind === 'class' || binding.kind === 'enum') return true;
  return !referencesOf(binding).some((ref) => ref.pos >= region.pos && ref.end <= region.end && isWrite(ref));
}

function isWrite(identifier: ts.Identifier): boolean {
  let node: ts.Node = identifier;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node) return parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  if (ts.isForInStatement(parent) || ts.isForOfStatement(parent)) return parent.initializer === node;
  if (ts.isShorthandPropertyAssignment(parent) || ts.isArrayLiteralExpression(parent)) {
    // destructuring assignment targets: ({ x } = obj), [x] = arr
    let outer: ts.Node = parent;
    while (outer.parent && (ts.isObjectLiteralExpression(outer.parent) || ts.isArrayLiteralExpression(outer.parent) || ts.isPropertyAssignment(outer.parent))) outer = outer.parent;
    return ts.isBinaryExpression(outer.parent) && outer.parent.left === outer && outer.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  }
  return false;
}

function constantFlags(expression: ts.Expression): string | undefined {
  const node = skipOuterExpressions(expression);
  return ts.isStringLiteralLike(node) ? node.text : undefined;
}

/**
 * Why hoisting a `g`/`y` regex would change behaviour, or undefined when it would not. A shared
 * stateful regex keeps `lastIndex` between uses: `test`/`exec` read and advance it, so a hoisted
 * instance would start the next call where the previous one stopped. `replace`/`match`/`matchAll`/
 * `split`/`search` reset or restore it (for `g`), so those uses stay safe.
 */
function statefulUseProblem(node: ts.Expression, flags: string): string | undefined {
  const flag = flags.includes('g') ? 'g' : flags.includes('y') ? 'y' : undefined;
  if (!flag) return undefined;
  const problems = new Set<string>();
  const uses = usesOf(node);
  if (!uses) return `the regex has the \`${flag}\` flag and escapes this expression (stored, passed or returned), so a shared instance could carry \`lastIndex\` from one call to the next.`;
  for (const use of uses) {
    const problem = useProblem(use, flags);
    if (problem === ESCAPES) return `the regex has the \`${flag}\` flag and escapes this expression (stored, passed or returned), so a shared instance could carry \`lastIndex\` from one call to the next.`;
    if (problem) problems.add(problem);
  }
  if (problems.size === 0) return undefined;
  const uses_ = [...problems].join(', ');
  return `the regex has the \`${flag}\` flag and is used with ${uses_}, which ${problems.size > 1 ? 'read and advance' : 'reads and advances'} \`lastIndex\`; a shared module-level instance would carry it from one call to the next (reset \`lastIndex\` or drop the flag first).`;
}

/** The expressions through which the regex value is used: itself, or every reference of the `const`/`let` it initialises. */
function usesOf(node: ts.Expression): ts.Expression[] | undefined {
  let outer: ts.Node = node;
  while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || ts.isNonNullExpression(outer.parent) || ts.isSatisfiesExpression(outer.parent))) outer = outer.parent;
  const parent = outer.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === outer && ts.isIdentifier(parent.name)) {
    const binding = resolveIdentifier(parent.name);
    if (!binding) return undefined;
    const refs = referencesOf(binding);
    if (refs.some(isWrite)) return undefined;
    return refs;
  }
  return [outer as ts.Expression];
}

/** The method that makes this use of a stateful regex unsafe to share, or undefined when safe; `an unknown use` when not recognised. */
function useProblem(use: ts.Expression, flags: string): string | undefined {
  let outer: ts.Node = use;
  while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || ts.isNonNullExpression(outer.parent))) outer = outer.parent;
  const parent = outer.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === outer) {
    const name = parent.name.text;
    if (name === 'test' || name === 'exec') return `\`.${name}()\``;
    if (name === 'lastIndex') return '`lastIndex`';
    if (['source', 'flags', 'global', 'sticky', 'ignoreCase', 'multiline', 'unicode', 'dotAll', 'hasIndices', 'unicodeSets'].includes(name)) return undefined;
    return `\`.${name}\``;
  }
  if (ts.isCallExpression(parent) && parent.arguments[0] === outer && ts.isPropertyAccessExpression(parent.expression)) {
    const method = parent.expression.name.text;
    const global = flags.includes('g');
    if (method === 'split' || method === 'search' || method === 'matchAll') return undefined;
    if (global && (method === 'replace' || method === 'replaceAll' || method === 'match')) return undefined;
    if (['replace', 'replaceAll', 'match'].includes(method)) return `\`.${method}()\``;
    return ESCAPES;
  }
  return ESCAPES;
}

const ESCAPES = 'escapes';

/** The module-level initializer: the constant as a regex literal, or the expression moved as is when it reads module-level constants. */
function hoistedInitializer(sourceFile: ts.SourceFile, node: ts.Expression, source: string, flags: string, bindings: Binding[]): { initializer: string; after: ts.Statement[] } {
  const literal = toRegexLiteral(source, flags);
  if (bindings.length === 0) return { initializer: literal, after: [] };
  const statements: ts.Statement[] = [];
  for (const binding of bindings) {
    const statement = binding.declaration.parent?.parent;
    if (!ts.isSourceFile(binding.scope) || !statement || !ts.isVariableStatement(statement) || statement.parent !== sourceFile) return { initializer: literal, after: [] };
    statements.push(statement);
  }
  // Keep the reference to the named constants, placed after their declarations, unless code that
  // may call functions runs at module level before that point (the constant would be in its TDZ).
  const last = statements.reduce((a, b) => (b.end > a.end ? b : a));
  for (const statement of sourceFile.statements) {
    if (statement.end > last.end) break;
    if (!isInertStatement(statement)) return { initializer: literal, after: [] };
  }
  return { initializer: node.getText(sourceFile), after: [last] };
}

/** A top-level statement that runs no user code when the module initialises. */
function isInertStatement(statement: ts.Statement): boolean {
  if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) return true;
  if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) return true;
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.every((d) => !d.initializer || isInertExpression(d.initializer));
  }
  return false;
}

function isInertExpression(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || ts.isRegularExpressionLiteral(node) || ts.isIdentifier(node)) return true;
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((s) => isInertExpression(s.expression));
  if (ts.isBinaryExpression(node)) return isInertExpression(node.left) && isInertExpression(node.right);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return true;
  return false;
}

/** `str.match('lit')`, `str.search('lit')`, `str.matchAll('lit')` on a value that is plausibly a string. */
function checkStringMethod(context: RuleContext, sourceFile: ts.SourceFile, node: ts.CallExpression, taken: Set<string>): void {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || !Object.hasOwn(STRING_REGEX_METHODS, callee.name.text) || node.arguments.length !== 1) return;
  const arg = node.arguments[0];
  if (!ts.isStringLiteral(arg) && !ts.isNoSubstitutionTemplateLiteral(arg)) return;
  if (isModuleLevel(node) || isOncePerSetup(node, enclosingFunction(node)!)) return;
  const flags = STRING_REGEX_METHODS[callee.name.text];
  if (!isValidRegex(arg.text, flags)) return;
  if (!isStringValued(callee.expression, 0)) return;
  const fn = enclosingFunction(node)!;
  const method = callee.name.text;
  const name = uniqueName(sourceFile, withRegexSuffix(upperSnakeCase(nearestFunctionName(fn) ?? 'pattern')), taken);
  const insertion = moduleLevelInsertion(sourceFile, `const ${name} = ${toRegexLiteral(arg.text, flags)};`);
  context.report({
    node,
    message: `\`${abbreviate(node.getText(sourceFile))}\` compiles its string argument into a new RegExp on ${everyRunOf(fn)}; pass a module-level regex literal instead.`,
    fixes: [
      {
        kind: 'safe',
        title: `Hoist the pattern to the module-level regex \`${name}\``,
        edits: [
          { start: insertion.start, end: insertion.start, text: insertion.text },
          { start: arg.getStart(sourceFile), end: arg.end, text: name },
        ],
      },
    ],
  });
}

/** String methods whose result is a string whatever the receiver's string-ness (they exist only on strings or always return one). */
const STRING_RESULT_METHODS = new Set(['toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimStart', 'trimEnd', 'normalize', 'padStart', 'padEnd', 'charAt', 'substring', 'substr', 'toFixed', 'toPrecision', 'toISOString', 'toUTCString', 'toDateString', 'toTimeString', 'toLocaleDateString', 'toLocaleTimeString', 'join', 'toString']);
/** Methods that return a string only when called on a string. */
const STRING_PRESERVING_METHODS = new Set(['slice', 'replace', 'replaceAll', 'repeat', 'concat', 'at']);
const STRING_FUNCTIONS = new Set(['String', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'escape', 'unescape']);

/**
 * Evidence that an expression is a string, without a type checker: string literals and templates,
 * `String(x)`/`JSON.stringify(x)`/`x.toString()` and string-only methods, `x as string`, `+` with a
 * string literal, `process.env.X`, and bindings typed `string` or initialised from such a value.
 * Receivers without evidence (`router.match('/a')`, `schema.match(...)`) are left alone.
 */
export function isStringValued(expression: ts.Expression, depth: number): boolean {
  if (depth > 4) return false;
  let node: ts.Expression = expression;
  for (;;) {
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node)) && isStringType(node.type)) return true;
    const inner = ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node) ? node.expression : undefined;
    if (!inner) break;
    node = inner;
  }
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isTaggedTemplateExpression(node)) return ts.isPropertyAccessExpression(node.tag) && node.tag.name.text === 'raw';
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken) return isStringValued(node.left, depth + 1) || isStringValued(node.right, depth + 1);
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return isStringValued(node.left, depth + 1) && isStringValued(node.right, depth + 1) || isStringValued(node.left, depth + 1) && ts.isStringLiteralLike(node.right) || ts.isStringLiteralLike(skipOuterExpressions(node.right)) && isStringValued(node.left, depth + 1);
    return false;
  }
  if (ts.isConditionalExpression(node)) return isStringValued(node.whenTrue, depth + 1) && isStringValued(node.whenFalse, depth + 1);
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    if (ts.isIdentifier(callee)) return STRING_FUNCTIONS.has(callee.text) && !resolveIdentifier(callee);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (method === 'stringify' && ts.isIdentifier(callee.expression) && callee.expression.text === 'JSON') return true;
      if (STRING_RESULT_METHODS.has(method)) return true;
      if (STRING_PRESERVING_METHODS.has(method)) return isStringValued(callee.expression, depth + 1);
    }
    return false;
  }
  if (ts.isPropertyAccessExpression(node)) {
    const object = skipOuterExpressions(node.expression);
    return ts.isPropertyAccessExpression(object) && object.name.text === 'env' && ts.isIdentifier(object.expression) && object.expression.text === 'process';
  }
  if (ts.isElementAccessExpression(node)) {
    const object = skipOuterExpressions(node.expression);
    return ts.isPropertyAccessExpression(object) && object.name.text === 'env' && ts.isIdentifier(object.expression) && object.expression.text === 'process';
  }
  if (ts.isIdentifier(node)) {
    const binding = resolveIdentifier(node);
    if (!binding) return false;
    const declaration = binding.declaration;
    if ((ts.isParameter(declaration) || ts.isVariableDeclaration(declaration)) && ts.isIdentifier(declaration.name)) {
      if (declaration.type) return isStringType(declaration.type);
      if (ts.isVariableDeclaration(declaration) && declaration.initializer && (binding.kind === 'const' || binding.kind === 'let')) return isStringValued(declaration.initializer, depth + 1);
      if (ts.isParameter(declaration) && declaration.initializer) return isStringValued(declaration.initializer, depth + 1);
    }
    return false;
  }
  return false;
}

/** `string`, `string | undefined`, `string | null`, string literal types and unions of them. */
function isStringType(type: ts.TypeNode): boolean {
  if (type.kind === ts.SyntaxKind.StringKeyword) return true;
  if (ts.isLiteralTypeNode(type)) return ts.isStringLiteral(type.literal);
  if (ts.isTemplateLiteralTypeNode(type)) return true;
  if (ts.isParenthesizedTypeNode(type)) return isStringType(type.type);
  if (ts.isUnionTypeNode(type)) {
    const rest = type.types.filter((t) => !(t.kind === ts.SyntaxKind.UndefinedKeyword || ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    return rest.length > 0 && rest.every(isStringType);
  }
  return false;
}

/** Name for the module-level constant: from the variable/property the regex is assigned to, else the enclosing function. */
function moduleConstantName(node: ts.Expression, fn: FunctionNode): string {
  const assigned = assignedName(node);
  if (assigned && !GENERIC_NAMES.has(assigned.toLowerCase())) return withRegexSuffix(upperSnakeCase(assigned));
  const fnName = nearestFunctionName(fn);
  return withRegexSuffix(upperSnakeCase(fnName ?? assigned ?? 'pattern'));
}

function withRegexSuffix(name: string): string {
  const base = name || 'PATTERN';
  return /(?:^|_)(?:RE|REGEX|REGEXP|PATTERN|MATCHER)$/.test(base) ? base : `${base}_RE`;
}

/** Name for a function-local constant built once before a loop. */
function localConstantName(node: ts.Expression): string {
  const assigned = assignedName(node);
  if (!assigned || GENERIC_NAMES.has(assigned.toLowerCase())) return 'compiledPattern';
  if (/(?:Re|RE|Regex|Regexp|RegExp|Pattern|Matcher)$|^(?:re|regex|pattern)/.test(assigned)) return `compiled${assigned[0].toUpperCase()}${assigned.slice(1)}`;
  return `${assigned}Regex`;
}

function assignedName(node: ts.Expression): string | undefined {
  let outer: ts.Node = node;
  while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || ts.isNonNullExpression(outer.parent))) outer = outer.parent;
  const parent = outer.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.right === outer && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = parent.left;
    if (ts.isIdentifier(left)) return left.text;
    if (ts.isPropertyAccessExpression(left)) return left.name.text;
  }
  if (ts.isParameter(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/** The name of a function: declared, or of the variable/property/method it is bound to. */
function functionName(fn: FunctionNode): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) && fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) {
    return fn.name.text;
  }
  if (ts.isConstructorDeclaration(fn)) return ts.isClassLike(fn.parent) && fn.parent.name ? fn.parent.name.text : undefined;
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) return parent.name.text;
  return undefined;
}

/** The name of `fn`, or of the nearest named function around it (for anonymous callbacks and closures). */
function nearestFunctionName(fn: FunctionNode): string | undefined {
  for (let current: FunctionNode | undefined = fn; current; current = enclosingFunction(current)) {
    const name = functionName(current);
    if (name) return name;
  }
  return undefined;
}

function functionLabel(fn: FunctionNode): string {
  const name = functionName(fn);
  return name ? `\`${name}\`` : 'this function';
}

/** When `fn`'s body runs: `every call of \`f\``, or for a class's constructor `every construction of \`C\``. */
function everyRunOf(fn: FunctionNode): string {
  if (ts.isConstructorDeclaration(fn)) return `every construction of ${ts.isClassLike(fn.parent) && fn.parent.name ? `\`${fn.parent.name.text}\`` : 'this class'}`;
  const iteration = iterationCalling(fn);
  if (iteration) return `every element of \`${abbreviate(iteration.expression.getText())}(…)\``;
  return `every call of ${functionLabel(fn)}`;
}

const ITERATION_METHODS = new Set(['map', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'reduce', 'reduceRight', 'flatMap', 'sort']);

/** The array method that calls an anonymous callback once per element (`s.split('').map((c) => …)`). */
function iterationCalling(fn: FunctionNode): ts.CallExpression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const call = outer.parent;
  return ts.isCallExpression(call) && call.arguments[0] === outer && ts.isPropertyAccessExpression(call.expression) && ITERATION_METHODS.has(call.expression.name.text) ? call : undefined;
}

function abbreviate(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > 70 ? `${flat.slice(0, 67)}…` : flat;
}

