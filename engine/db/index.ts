/**
 * Database-call recognition, shared by every rule that needs to know "is this a query, of which
 * library, on which model" or "is this a client/pool construction".
 *
 * A database value is recognised by following bindings, never by its name alone: `prisma` is a
 * client because it is bound to `new PrismaClient()` (here, or in the workspace module it is
 * imported from, through re-exports, `tsconfig` paths and workspace packages), because its type
 * annotation or constructor parameter type names a client class (`PrismaService extends
 * PrismaClient`, `Repository<User>`), or because it is a well-known shape (`tx` in
 * `$transaction(async (tx) => …)`, tRPC `ctx.db`). Only when a receiver cannot be resolved at all
 * and the file imports a database library do conservative name heuristics apply; such results carry
 * `confidence: 'heuristic'` and rules should lower their severity.
 *
 * Public API (stable):
 * - `classifyDbCall(node, context)` → `DbCall | undefined` for a CallExpression or TaggedTemplateExpression;
 * - `recognizeClientConstruction(node, context)` → `ClientConstruction | undefined` for `new X()`/`x()`;
 * - `resolveClient(expression, context)` → `DbValue | undefined`;
 * - `resolveWorkspaceFunction(callee, context)` → the workspace function a call invokes (one level);
 * - `dbCallsInFunction(fn, context)` → the executed database calls lexically inside a function;
 * - `fileImportsDbLibrary(context)`, `fileMayUseDatabase(context)` (cheap per-file gate),
 *   `workspaceDbLibraries(project)`, `workspaceUsesDatabase(project)`, `exportedClients(project)`.
 * `context` is any object with `{ project, path, sourceFile }` (a RuleContext fits).
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { defineFact, type Project } from '../project';
import { referencesOf, resolveIdentifier, skipOuterExpressions, type Binding } from '../ts/scope';
import { isFunctionNode, type FunctionNode } from '../ts/ast';
import { ContextMemo } from '../ts/memo';
import { KNOWN_DB_MODULES, librarySpec, libraryOfModule, upperFirst, REDIS_COMMANDS, type ClientKind, type DbLibrary, type LibrarySpec, type OperationKind } from './libraries';
import { moduleGraph } from './modules';
import { hasExportModifier, importedPackagesOf, importTargetsOf, moduleSpecifiers } from '../ts/modules';
import { generatedClientPaths, prismaSchemasFact } from '../prisma/index';

export * from './libraries';
export { moduleGraph, ModuleGraph } from './modules';

export type Confidence = 'binding' | 'heuristic';

/** Appended to the message of a finding lowered for `confidence: 'heuristic'`, so the user knows why it is milder and may be wrong. */
export const NAME_ONLY_NOTE = ' (The receiver is recognised by its name only.)';

/** Where something is, possibly in another file. */
export interface SourceLocation {
  path: string;
  start: number;
  end: number;
}

/** A value that can issue database queries. */
export interface DbValue {
  library: DbLibrary;
  kind: ClientKind;
  /** Model/entity/table name when known (Prisma delegate `orderLine` → `OrderLine`, `Repository<User>` → `User`). */
  model?: string;
  confidence: Confidence;
  /** Where the value was created, when it was a construction (`new PrismaClient()`), possibly in another file. */
  origin?: SourceLocation;
}

/** Minimal context: a RuleContext satisfies it. */
export interface DbContext {
  readonly project: Project;
  readonly path: string;
  readonly sourceFile: ts.SourceFile | undefined;
}

/** One step of a builder chain: `from` in `db.select().from(users)`. */
export interface ChainStep {
  name: string;
  call: ts.CallExpression;
}

/** A recognised database call. */
export interface DbCall {
  /** The call reported: the operation call (`prisma.user.findMany(…)`), or the last call of a builder chain. */
  node: ts.CallExpression | ts.TaggedTemplateExpression;
  library: DbLibrary;
  /** The root operation: `findMany`, `select`, `selectFrom`, `find`, `query`, `sql` (tagged template), `get` (Redis). */
  operation: string;
  kind: OperationKind;
  /** Model/entity/table when known. */
  model?: string;
  /** The receiver of the root operation (`prisma.user`, `db`, `pool`, the `sql` tag). */
  receiver: ts.Expression;
  receiverValue: DbValue;
  confidence: Confidence;
  /** False when the call only builds a query that is never run here (a builder stored for later, a batched `$transaction([...])` element). */
  executes: boolean;
  /** Part of a batch sent at once: an element of `$transaction([...])`. */
  deferred: boolean;
  /** Writes many rows in one statement (`createMany`, `bulkCreate`, `insertMany`). */
  batch: boolean;
  /** The first object-literal argument of the root operation (Prisma args, TypeORM find options, …). */
  argumentsObject?: ts.ObjectLiteralExpression;
  /** The root operation call (same as `node` unless this is a builder chain). */
  rootCall: ts.CallExpression | ts.TaggedTemplateExpression;
  /** Builder chain steps after the root (`from`, `where`, `limit`, `execute`); empty for direct operations. */
  chain: ChainStep[];
  /** Short human label: `prisma.user.findMany`, `db.select().from().where()`, ``sql`…` ``. */
  label: string;
}

export interface ClientConstruction {
  library: DbLibrary;
  kind: ClientKind;
  node: ts.NewExpression | ts.CallExpression;
  /** The export constructed or called: `PrismaClient`, `Pool`, `createPool`, `drizzle`, `default`. */
  factory: string;
}

// ---------------------------------------------------------------------------------------------
// Symbols: what an expression denotes, as far as databases are concerned.

type Sym =
  | { t: 'value'; value: DbValue }
  /** An export of a known database module (a class, a factory, the namespace `*`, the `default` export). */
  | { t: 'export'; spec: LibrarySpec; name: string }
  /** A namespace/CommonJS import of a workspace module. */
  | { t: 'module'; path: string }
  /** A workspace class (its instances are `instance` when it extends a client class). */
  | { t: 'class'; decl: ts.ClassLikeDeclaration; ctx: DbContext; instance?: DbValue }
  /** An instance of a workspace class (for method lookups). */
  | { t: 'instance'; decl: ts.ClassLikeDeclaration; ctx: DbContext }
  /** A workspace function. */
  | { t: 'function'; decl: FunctionNode; ctx: DbContext }
  /** An object literal (module namespace-like: `export const repo = { find() {…} }`). */
  | { t: 'object'; decl: ts.ObjectLiteralExpression; ctx: DbContext }
  /** A workspace type alias (`type Db = Knex | Knex.Transaction`), for annotations that name it. */
  | { t: 'type'; decl: ts.TypeAliasDeclaration; ctx: DbContext };

const MAX_DEPTH = 12;
const symMemo = new ContextMemo<ts.Node, Sym | null>();
const IN_PROGRESS = Symbol('in-progress');
const inProgress = new WeakMap<ts.Node, typeof IN_PROGRESS>();

/**
 * Counts cycle and depth cut-offs: an `undefined` computed while one happened may be wrong (a
 * dependency was still in progress), so it is not cached; results stay independent of the order in
 * which files are analysed.
 */
let cutoffs = 0;
/** Bumped by each public entry point: tainted results are reused only within one top-level question. */
let epoch = 0;
let nesting = 0;
const taintedMemo = new ContextMemo<ts.Node, number>();

function entry<T>(run: () => T): T {
  if (nesting === 0) epoch++;
  nesting++;
  try {
    return run();
  } finally {
    nesting--;
  }
}

function memoized(node: ts.Node, compute: () => Sym | undefined): Sym | undefined {
  const cached = symMemo.get(node);
  if (cached !== undefined) return cached ?? undefined;
  if (taintedMemo.get(node) === epoch) {
    cutoffs++;
    return undefined;
  }
  if (inProgress.has(node)) {
    cutoffs++;
    return undefined;
  }
  inProgress.set(node, IN_PROGRESS);
  const before = cutoffs;
  try {
    const result = compute();
    if (result !== undefined || cutoffs === before) symMemo.set(node, result ?? null);
    else taintedMemo.set(node, epoch);
    return result;
  } finally {
    inProgress.delete(node);
  }
}

function ctxFor(project: Project, filePath: string): DbContext | undefined {
  const sourceFile = moduleGraph(project).sourceFile(filePath);
  return sourceFile ? { project, path: filePath, sourceFile } : undefined;
}

/** Strips parentheses/casts, `await`, and the `(0, f)` callee form of compiled code. */
function strip(expression: ts.Expression): ts.Expression {
  let current = skipOuterExpressions(expression);
  for (;;) {
    if (ts.isAwaitExpression(current)) current = skipOuterExpressions(current.expression);
    else if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.CommaToken && ts.isNumericLiteral(skipOuterExpressions(current.left))) current = skipOuterExpressions(current.right);
    else return current;
  }
}

function propertyName(expression: ts.Expression): { object: ts.Expression; name: string } | undefined {
  if (ts.isPropertyAccessExpression(expression)) return { object: expression.expression, name: expression.name.text };
  if (ts.isElementAccessExpression(expression) && ts.isStringLiteralLike(expression.argumentExpression)) return { object: expression.expression, name: expression.argumentExpression.text };
  return undefined;
}

function value(spec: LibrarySpec, kind: ClientKind, extra: Partial<DbValue> = {}): Sym {
  return { t: 'value', value: { library: spec.id, kind, confidence: 'binding', ...extra } };
}

function originOf(node: ts.Node, ctx: DbContext): SourceLocation | undefined {
  return ctx.sourceFile ? { path: ctx.path, start: node.getStart(ctx.sourceFile), end: node.getEnd() } : undefined;
}

function modelNameOf(argument: ts.Expression | undefined): string | undefined {
  if (!argument) return undefined;
  const inner = skipOuterExpressions(argument);
  if (ts.isStringLiteralLike(inner)) return inner.text;
  if (ts.isIdentifier(inner)) {
    // `getRepository(target)` inside a helper: the parameter is not a model name.
    const binding = resolveIdentifier(inner);
    return binding && (binding.kind === 'param' || binding.kind === 'let' || binding.kind === 'var') ? undefined : inner.text;
  }
  if (ts.isPropertyAccessExpression(inner) && /_\d+$/.test(inner.expression.getText()) && /^[A-Z]/.test(inner.name.text)) return inner.name.text; // compiled `user_entity_1.User`
  if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'name' && ts.isIdentifier(inner.expression)) return inner.expression.text; // User.name (NestJS)
  return undefined;
}

/** What an expression denotes. */
function symOf(expression: ts.Expression, ctx: DbContext, depth = 0): Sym | undefined {
  if (depth > MAX_DEPTH) {
    cutoffs++;
    return undefined;
  }
  const expr = strip(expression);
  return memoized(expr, () => computeSym(expr, ctx, depth + 1));
}

function computeSym(expr: ts.Expression, ctx: DbContext, depth: number): Sym | undefined {
  if (ts.isIdentifier(expr)) {
    const binding = resolveIdentifier(expr);
    return binding ? symOfBinding(binding, ctx, depth) : undefined;
  }
  if (expr.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(expr);
    if (!cls) return undefined;
    const classSym = symOfClass(cls, ctx, depth);
    if (classSym?.t === 'class' && classSym.instance) return { t: 'value', value: classSym.instance };
    return classSym?.t === 'class' ? { t: 'instance', decl: cls, ctx } : classSym;
  }
  if (ts.isNewExpression(expr)) {
    const callee = symOf(expr.expression, ctx, depth);
    if (!callee) return undefined;
    if (callee.t === 'export') {
      const factory = callee.spec.factories.find((f) => f.via === 'new' && f.export === callee.name);
      if (factory) return value(callee.spec, factory.kind, { origin: originOf(expr, ctx) });
      return undefined;
    }
    // Object.assign, not a spread with an added key (see symOfMember).
    if (callee.t === 'class') return callee.instance ? { t: 'value', value: Object.assign({}, callee.instance, { origin: originOf(expr, ctx) }) } : { t: 'instance', decl: callee.decl, ctx: callee.ctx };
    return undefined;
  }
  if (ts.isCallExpression(expr)) return symOfCall(expr, ctx, depth);
  const access = propertyName(expr);
  if (access) return symOfMember(access.object, access.name, ctx, depth);
  if (ts.isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) return symOf(expr.right, ctx, depth) ?? symOf(expr.left, ctx, depth);
    if (op === ts.SyntaxKind.EqualsToken) return symOf(expr.right, ctx, depth);
    return undefined;
  }
  if (ts.isConditionalExpression(expr)) return symOf(expr.whenTrue, ctx, depth) ?? symOf(expr.whenFalse, ctx, depth);
  if (ts.isClassExpression(expr)) return symOfClass(expr, ctx, depth);
  if (ts.isFunctionExpression(expr) || ts.isArrowFunction(expr)) return { t: 'function', decl: expr, ctx };
  if (ts.isObjectLiteralExpression(expr)) return { t: 'object', decl: expr, ctx };
  return undefined;
}

/**
 * `new (enhancePrisma(PrismaClient))()` (Blitz), `new (withExtras(Pool))()`: a function of no known
 * meaning applied to a client class is taken for that class, extended (a mixin or an enhancer).
 */
function enhancedClass(call: ts.CallExpression, ctx: DbContext, depth: number): Sym | undefined {
  // (a class is named by a capitalised name, `PrismaClient` or `pg.Pool`: other arguments are not followed)
  const first = call.arguments[0] && strip(call.arguments[0]);
  const name = first && (ts.isIdentifier(first) ? first.text : ts.isPropertyAccessExpression(first) ? first.name.text : undefined);
  if (!name || !/^[A-Z]/.test(name)) return undefined;
  const base = symOf(first, ctx, depth);
  return base?.t === 'export' && base.spec.factories.some((f) => f.via === 'new' && f.export === base.name) ? base : undefined;
}

function symOfCall(expr: ts.CallExpression, ctx: DbContext, depth: number): Sym | undefined {
  return symOfKnownCall(expr, ctx, depth) ?? enhancedClass(expr, ctx, depth);
}

function symOfKnownCall(expr: ts.CallExpression, ctx: DbContext, depth: number): Sym | undefined {
  const callee = strip(expr.expression);
  // require('x'), __importDefault(require('x')), __importStar(...)
  if (ts.isIdentifier(callee)) {
    if (callee.text === 'require' && expr.arguments.length === 1 && ts.isStringLiteralLike(expr.arguments[0])) return moduleExportSym(ctx, expr.arguments[0].text, '*', depth);
    if (/^(__importDefault|__importStar|_interopRequireDefault|_interopRequireWildcard|__toESM|__toCommonJS)$/.test(callee.text) && expr.arguments.length >= 1) return symOf(expr.arguments[0], ctx, depth);
  }
  const access = propertyName(callee);
  if (access) {
    const receiver = symOf(access.object, ctx, depth);
    if (!receiver) return undefined;
    if (receiver.t === 'export') {
      if (receiver.name === '*' || receiver.name === 'default') return callExport(receiver.spec, access.name, expr, ctx);
      const factory = receiver.spec.factories.find((f) => typeof f.via === 'object' && f.export === receiver.name && f.via.static === access.name);
      if (factory) return value(receiver.spec, factory.kind, { origin: originOf(expr, ctx) });
      return undefined;
    }
    if (receiver.t === 'value') {
      const spec = librarySpec(receiver.value.library);
      const derived = spec.derive?.[receiver.value.kind]?.[access.name];
      if (derived) {
        const model = derived === 'repository' || derived === 'model' ? modelNameOf(expr.arguments[0]) : receiver.value.model;
        return { t: 'value', value: { library: spec.id, kind: derived, confidence: receiver.value.confidence, ...(model ? { model } : {}), ...(access.name === '$extends' || access.name === 'duplicate' ? { origin: originOf(expr, ctx) } : {}) } };
      }
      return undefined;
    }
    if (receiver.t === 'module') return functionReturnSym(exportedSym(ctx.project, receiver.path, access.name, depth), depth);
    if (receiver.t === 'instance' || receiver.t === 'object') {
      // `this.pgp(connection)`: a member holding pg-promise's initializer
      const member = receiver.t === 'instance' ? symOfMember(access.object, access.name, ctx, depth) : memberOfDecl(receiver, access.name, depth);
      if (member?.t === 'value') return produced(member.value, expr, ctx);
      return functionReturnSym(member?.t === 'function' ? member : memberOfDecl(receiver, access.name, depth), depth);
    }
    return undefined;
  }
  const calleeSym = symOf(callee, ctx, depth);
  if (!calleeSym) return undefined;
  if (calleeSym.t === 'export') return callExport(calleeSym.spec, calleeSym.name === '*' ? 'default' : calleeSym.name, expr, ctx);
  if (calleeSym.t === 'function') return functionReturnSym(calleeSym, depth);
  if (calleeSym.t === 'value') return produced(calleeSym.value, expr, ctx);
  return undefined;
}

/** What calling a database value creates (`LibrarySpec.produces`: pg-promise's `pgp(connection)`), if anything. */
function produced(callee: DbValue, expr: ts.CallExpression, ctx: DbContext): Sym | undefined {
  const spec = librarySpec(callee.library);
  const kind = spec.produces?.[callee.kind];
  return kind ? value(spec, kind, { origin: originOf(expr, ctx) }) : undefined;
}

function callExport(spec: LibrarySpec, name: string, expr: ts.CallExpression, ctx: DbContext): Sym | undefined {
  const factory = spec.factories.find((f) => f.via === 'call' && f.export === name);
  if (!factory) return undefined;
  const model = factory.kind === 'model' || factory.kind === 'repository' ? modelNameOf(expr.arguments[0]) : undefined;
  return value(spec, factory.kind, { origin: originOf(expr, ctx), ...(model ? { model } : {}) });
}

/** The value a workspace function returns (`export function getDb() { return drizzle(pool) }`). */
function functionReturnSym(fn: Sym | undefined, depth: number): Sym | undefined {
  if (!fn || fn.t !== 'function' || depth > MAX_DEPTH) return undefined;
  const decl = fn.decl;
  if (decl.type) {
    const fromType = symOfType(decl.type, fn.ctx, depth);
    if (fromType) return fromType;
  }
  const body = decl.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return symOf(body, fn.ctx, depth);
  let found: Sym | undefined;
  // an object literal of clients (`return { sessions: db.collection('sessions') }`), when no return gives a client itself
  let object: Sym | undefined;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const sym = symOf(node.expression, fn.ctx, depth);
      if (sym?.t === 'value') found = sym;
      else if (sym?.t === 'object') object ??= sym;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found ?? object;
}

function symOfMember(objectExpr: ts.Expression, name: string, ctx: DbContext, depth: number): Sym | undefined {
  const object = strip(objectExpr);
  if (object.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(object);
    if (cls) {
      const member = thisMemberSym(cls, name, ctx, depth);
      if (member) return member;
    }
  }
  const receiver = symOf(object, ctx, depth);
  if (!receiver) return wellKnownMember(object, name, ctx);
  switch (receiver.t) {
    case 'export': {
      if (receiver.name === '*' || receiver.name === 'default') {
        const valueKind = receiver.spec.values?.[name];
        if (valueKind) return value(receiver.spec, valueKind);
        return { t: 'export', spec: receiver.spec, name };
      }
      // Prisma.TransactionClient-like namespaces used in values are not clients.
      return undefined;
    }
    case 'value': {
      const spec = librarySpec(receiver.value.library);
      const kind = receiver.value.kind;
      const memberKind = spec.members?.[kind]?.[name];
      // Literals, not `{ ...base, kind }`: on Node 20 an object spread followed by keys the spread
      // object lacks costs ~1.5 µs per key (V8 leaves its fast clone path), and every member
      // access of a client (`prisma.user`) comes here on every keystroke.
      const library = spec.id;
      const confidence = receiver.value.confidence;
      if (memberKind) return { t: 'value', value: { library, confidence, kind: memberKind } };
      if (kind === 'relational-root') return { t: 'value', value: { library, confidence, kind: 'relational', model: name } };
      if (spec.id === 'sequelize' && kind === 'client' && name === 'models') return { t: 'value', value: { library, confidence, kind: 'client' } };
      if (spec.id === 'sequelize' && kind === 'client' && ts.isPropertyAccessExpression(objectExpr) && objectExpr.name.text === 'models') return { t: 'value', value: { library, confidence, kind: 'model', model: name } };
      if (spec.id === 'mongoose' && kind === 'odm' && name === 'models') return { t: 'value', value: { library, confidence, kind: 'odm' } };
      if (spec.delegateMembers && (kind === 'client' || kind === 'transaction') && /^[a-z_][A-Za-z0-9_]*$/.test(name) && !name.startsWith('_') && !(name in (spec.operations[kind] ?? {}))) {
        return { t: 'value', value: { library, confidence, kind: 'delegate', model: upperFirst(name) } };
      }
      // `const { model } = mongoose`: the method taken off the module's value is its factory export
      const derived = spec.derive?.[kind]?.[name];
      if (derived && spec.factories.some((f) => f.export === name && f.via === 'call' && f.kind === derived)) return { t: 'export', spec, name };
      return undefined;
    }
    case 'module':
      return exportedSym(ctx.project, receiver.path, name, depth);
    case 'instance':
    case 'object':
      return memberOfDecl(receiver, name, depth);
    default:
      return undefined;
  }
}

/** tRPC/Next/Nest context shapes: `ctx.db`, `ctx.prisma`, `context.prisma`. */
function wellKnownMember(object: ts.Expression, name: string, ctx: DbContext): Sym | undefined {
  const objectName = ts.isIdentifier(object) ? object.text : ts.isPropertyAccessExpression(object) ? object.name.text : undefined;
  if (objectName !== 'ctx' && objectName !== 'context') return undefined;
  if (name === 'prisma') return value(librarySpec('prisma'), 'client');
  if (name === 'db' || name === 'database') {
    const libraries = workspaceDbLibraries(ctx.project).filter((l) => ORM_LIBRARIES.has(l));
    if (libraries.length === 1) return value(librarySpec(libraries[0]), 'client');
  }
  return undefined;
}

const ORM_LIBRARIES = new Set<DbLibrary>(['prisma', 'drizzle', 'kysely', 'knex']);

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
  }
  return undefined;
}

const memberMemo = new ContextMemo<ts.Node, Map<string, Sym | null>>();
const taintedMemberMemo = new ContextMemo<ts.Node, Map<string, number>>();

/** `this.name` inside a class (memoized per class and name; see `memoized` for tainted results). */
function thisMemberSym(cls: ts.ClassLikeDeclaration, name: string, ctx: DbContext, depth: number): Sym | undefined {
  let members = memberMemo.get(cls);
  if (!members) memberMemo.set(cls, (members = new Map()));
  const cached = members.get(name);
  if (cached !== undefined) return cached ?? undefined;
  let tainted = taintedMemberMemo.get(cls);
  if (tainted?.get(name) === epoch) {
    cutoffs++;
    return undefined;
  }
  const before = cutoffs;
  const result = computeThisMember(cls, name, ctx, depth);
  if (result !== undefined || cutoffs === before) members.set(name, result ?? null);
  else {
    if (!tainted) taintedMemberMemo.set(cls, (tainted = new Map()));
    tainted.set(name, epoch);
  }
  return result;
}

/** A field's type or initializer, a constructor parameter property, or `this.name = …` assignments. */
function computeThisMember(cls: ts.ClassLikeDeclaration, name: string, ctx: DbContext, depth: number): Sym | undefined {
  for (const member of cls.members) {
    if ((ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member)) && member.name && ts.isIdentifier(member.name) && member.name.text === name) {
      if (ts.isPropertyDeclaration(member)) {
        const fromInit = member.initializer ? symOf(member.initializer, ctx, depth) : undefined;
        if (fromInit) return fromInit;
        const fromType = member.type ? symOfType(member.type, ctx, depth) : undefined;
        if (fromType) return withInjectedModel(fromType, member);
        // a field declared bare (`collection;`, or with a type that tells nothing) and assigned in a method: below
        break;
      }
      if (member.type) return symOfType(member.type, ctx, depth);
    }
    if (ts.isMethodDeclaration(member) && member.name && ts.isIdentifier(member.name) && member.name.text === name) return { t: 'function', decl: member, ctx };
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length && parameter.type) {
          const fromType = symOfType(parameter.type, ctx, depth);
          if (fromType) return withInjectedModel(fromType, parameter);
        }
      }
    }
  }
  // this.x = <expr> anywhere in the class (usually the constructor).
  let assigned: Sym | undefined;
  const visit = (node: ts.Node): void => {
    if (assigned) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = propertyName(skipOuterExpressions(node.left));
      if (left && left.name === name && skipOuterExpressions(left.object).kind === ts.SyntaxKind.ThisKeyword) {
        const sym = symOf(node.right, ctx, depth);
        if (sym) assigned = sym;
      }
    }
    if (ts.isClassLike(node) && node !== cls) return;
    ts.forEachChild(node, visit);
  };
  visit(cls);
  if (assigned) return assigned;
  // Inherited members of a workspace base class.
  const base = baseClassExpression(cls);
  if (base) {
    const baseSym = symOf(base, ctx, depth);
    if (baseSym?.t === 'class' && baseSym.decl !== cls) return thisMemberSym(baseSym.decl, name, baseSym.ctx, depth + 1);
  }
  return undefined;
}

/** `@InjectRepository(User) repo: Repository<User>` / `@InjectModel(User.name) model: Model<UserDocument>`: take the model from the decorator. */
function withInjectedModel(sym: Sym, declaration: ts.HasDecorators): Sym {
  if (sym.t !== 'value' || sym.value.model) return sym;
  for (const decorator of ts.getDecorators(declaration) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call)) continue;
    const name = ts.isIdentifier(call.expression) ? call.expression.text : undefined;
    if (name === 'InjectRepository' || name === 'InjectModel') {
      const model = modelNameOf(call.arguments[0]);
      if (model) return { t: 'value', value: Object.assign({}, sym.value, { model }) };
    }
  }
  return sym;
}

function baseClassExpression(cls: ts.ClassLikeDeclaration): ts.Expression | undefined {
  for (const clause of cls.heritageClauses ?? []) {
    if (clause.token === ts.SyntaxKind.ExtendsKeyword && clause.types.length > 0) return clause.types[0].expression;
  }
  return undefined;
}

const classMemo = new ContextMemo<ts.Node, Sym>();

function symOfClass(cls: ts.ClassLikeDeclaration, ctx: DbContext, depth: number): Sym | undefined {
  const cached = classMemo.get(cls);
  if (cached) return cached;
  const before = cutoffs;
  const result = computeClassSym(cls, ctx, depth);
  if (cutoffs === before || (result.t === 'class' && result.instance) || result.t === 'value') classMemo.set(cls, result);
  return result;
}

function computeClassSym(cls: ts.ClassLikeDeclaration, ctx: DbContext, depth: number): Sym {
  {
    const base = baseClassExpression(cls);
    const plain: Sym = { t: 'class', decl: cls, ctx };
    if (!base) return plain;
    const baseSym = symOf(base, ctx, depth);
    if (baseSym?.t === 'export') {
      const behaviour = baseSym.spec.baseClasses?.[baseSym.name];
      if (behaviour?.statics) return value(baseSym.spec, behaviour.statics, { model: cls.name?.text });
      if (behaviour?.instance) return { t: 'class', decl: cls, ctx, instance: { library: baseSym.spec.id, kind: behaviour.instance, confidence: 'binding' } };
    }
    if (baseSym?.t === 'class' && baseSym.instance) return { t: 'class', decl: cls, ctx, instance: baseSym.instance };
    if (baseSym?.t === 'value' && baseSym.value.kind === 'model') return value(librarySpec(baseSym.value.library), 'model', { model: cls.name?.text });
    return plain;
  }
}

/** A method or property of a workspace class instance or object literal. */
function memberOfDecl(receiver: Extract<Sym, { t: 'instance' | 'object' }>, name: string, depth: number): Sym | undefined {
  if (receiver.t === 'object') {
    for (const property of receiver.decl.properties) {
      if (!property.name || !ts.isIdentifier(property.name) || property.name.text !== name) continue;
      if (ts.isMethodDeclaration(property)) return { t: 'function', decl: property, ctx: receiver.ctx };
      if (ts.isPropertyAssignment(property)) return symOf(property.initializer, receiver.ctx, depth);
      if (ts.isShorthandPropertyAssignment(property)) return symOf(property.name, receiver.ctx, depth);
    }
    return undefined;
  }
  for (let cls: ts.ClassLikeDeclaration | undefined = receiver.decl, hops = 0; cls && hops < 4; hops++) {
    for (const member of cls.members) {
      if (member.name && ts.isIdentifier(member.name) && member.name.text === name) {
        if (ts.isMethodDeclaration(member)) return { t: 'function', decl: member, ctx: receiver.ctx };
        if (ts.isPropertyDeclaration(member)) return thisMemberSym(cls, name, receiver.ctx, depth);
      }
    }
    const base = baseClassExpression(cls);
    const baseSym = base ? symOf(base, receiver.ctx, depth) : undefined;
    cls = baseSym?.t === 'class' ? baseSym.decl : undefined;
  }
  return undefined;
}

function symOfBinding(binding: Binding, ctx: DbContext, depth: number): Sym | undefined {
  const declaration = binding.declaration;
  return memoized(declaration, () => {
    if (ts.isImportSpecifier(declaration)) {
      const module = (declaration.parent.parent.parent as ts.ImportDeclaration).moduleSpecifier;
      if (!ts.isStringLiteralLike(module)) return undefined;
      return moduleExportSym(ctx, module.text, (declaration.propertyName ?? declaration.name).text, depth);
    }
    if (ts.isImportClause(declaration)) {
      const module = declaration.parent.moduleSpecifier;
      return ts.isStringLiteralLike(module) ? moduleExportSym(ctx, module.text, 'default', depth) : undefined;
    }
    if (ts.isNamespaceImport(declaration)) {
      const module = declaration.parent.parent.moduleSpecifier;
      return ts.isStringLiteralLike(module) ? moduleExportSym(ctx, module.text, '*', depth) : undefined;
    }
    if (ts.isImportEqualsDeclaration(declaration)) {
      const reference = declaration.moduleReference;
      if (ts.isExternalModuleReference(reference) && ts.isStringLiteralLike(reference.expression)) return moduleExportSym(ctx, reference.expression.text, '*', depth);
      return undefined;
    }
    if (ts.isVariableDeclaration(declaration)) {
      const fromInit = declaration.initializer ? symOf(declaration.initializer, ctx, depth) : undefined;
      if (fromInit) return fromInit;
      if (declaration.type) return symOfType(declaration.type, ctx, depth);
      // let db; … db = new PrismaClient()
      if (!declaration.initializer) return assignedValue(binding, ctx, depth);
      return undefined;
    }
    if (ts.isBindingElement(declaration)) {
      // const { prisma } = require('./db'); const { em } = orm;
      const pattern = declaration.parent;
      if (!ts.isObjectBindingPattern(pattern)) return undefined;
      const key = declaration.propertyName ? (ts.isIdentifier(declaration.propertyName) || ts.isStringLiteralLike(declaration.propertyName) ? declaration.propertyName.text : undefined) : ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
      if (!key) return undefined;
      const holder = pattern.parent;
      if (ts.isVariableDeclaration(holder) && holder.initializer) return symOfMember(holder.initializer, key, ctx, depth);
      if (ts.isParameter(holder)) return parameterMemberSym(holder, key, ctx, depth);
      return undefined;
    }
    if (ts.isParameter(declaration)) return parameterSym(declaration, ctx, depth);
    if (ts.isFunctionDeclaration(declaration)) return { t: 'function', decl: declaration, ctx };
    if (ts.isClassDeclaration(declaration)) return symOfClass(declaration, ctx, depth);
    return undefined;
  });
}

/** `let db; db = new Pool()` — the single assigned value, when all assignments agree. */
function assignedValue(binding: Binding, ctx: DbContext, depth: number): Sym | undefined {
  const sourceFile = ctx.sourceFile;
  if (!sourceFile) return undefined;
  let found: Sym | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === binding.name && resolveIdentifier(node.left) === binding) {
      const sym = symOf(node.right, ctx, depth);
      if (sym?.t === 'value') found = sym;
    }
    ts.forEachChild(node, visit);
  };
  visit(binding.scope);
  return found;
}

function parameterSym(parameter: ts.ParameterDeclaration, ctx: DbContext, depth: number): Sym | undefined {
  if (parameter.type) {
    const fromType = symOfType(parameter.type, ctx, depth);
    if (fromType) return withInjectedModel(fromType, parameter);
  }
  if (ts.isConstructorDeclaration(parameter.parent)) return compiledParameterType(parameter, ctx, depth);
  return transactionParameter(parameter, ctx, depth);
}

/**
 * Compiled decorators keep constructor parameter types: `__decorate([…, __metadata("design:paramtypes",
 * [typeorm_1.Repository, prisma_service_1.PrismaService])], UsersService)`.
 */
function compiledParameterType(parameter: ts.ParameterDeclaration, ctx: DbContext, depth: number): Sym | undefined {
  const constructor = parameter.parent as ts.ConstructorDeclaration;
  const cls = constructor.parent;
  const className = cls.name && ts.isIdentifier(cls.name) ? cls.name.text : undefined;
  const sourceFile = ctx.sourceFile;
  if (!className || !sourceFile || !sourceFile.text.includes('design:paramtypes')) return undefined;
  const index = constructor.parameters.indexOf(parameter);
  const types = paramTypesIndex(sourceFile).get(className);
  const type = types?.[index];
  return type ? instanceOfTypeSym(symOf(type, ctx, depth), undefined) : undefined;
}

const paramTypesMemo = new WeakMap<ts.SourceFile, Map<string, readonly ts.Expression[]>>();

/** Class name → `design:paramtypes` list, from top-level `X = __decorate([...], X)` statements. */
function paramTypesIndex(sourceFile: ts.SourceFile): Map<string, readonly ts.Expression[]> {
  let index = paramTypesMemo.get(sourceFile);
  if (index) return index;
  index = new Map();
  for (const statement of sourceFile.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    let expression: ts.Expression = statement.expression;
    while (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) expression = expression.right;
    if (!ts.isCallExpression(expression) || !ts.isIdentifier(expression.expression) || expression.expression.text !== '__decorate') continue;
    const [decorators, target] = expression.arguments;
    if (!decorators || !ts.isArrayLiteralExpression(decorators) || !target || !ts.isIdentifier(target)) continue;
    for (const element of decorators.elements) {
      if (ts.isCallExpression(element) && ts.isIdentifier(element.expression) && element.expression.text === '__metadata' && stringOf(element.arguments[0]) === 'design:paramtypes') {
        const list = element.arguments[1];
        if (list && ts.isArrayLiteralExpression(list)) index.set(target.text, list.elements);
      }
    }
  }
  paramTypesMemo.set(sourceFile, index);
  return index;
}

function stringOf(node: ts.Node | undefined): string | undefined {
  return node && ts.isStringLiteralLike(node) ? node.text : undefined;
}

/** `({ ctx }) => ctx.db…` is handled by wellKnownMember; destructured typed params by their type. */
function parameterMemberSym(parameter: ts.ParameterDeclaration, key: string, ctx: DbContext, depth: number): Sym | undefined {
  if (parameter.type && ts.isTypeLiteralNode(parameter.type)) {
    for (const member of parameter.type.members) {
      if (ts.isPropertySignature(member) && member.name && ts.isIdentifier(member.name) && member.name.text === key && member.type) return symOfType(member.type, ctx, depth);
    }
  }
  const fn = parameter.parent;
  if (fn.parameters[0] === parameter && (key === 'prisma' || key === 'db')) {
    // tRPC v9 style `resolve({ ctx: { prisma } })` is rare; leave it.
  }
  return undefined;
}

/** The first parameter of a callback passed to `$transaction`/`transaction`/`transactional`/`begin` of a database value. */
function transactionParameter(parameter: ts.ParameterDeclaration, ctx: DbContext, depth: number): Sym | undefined {
  const fn = parameter.parent;
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters[0] !== parameter) return undefined;
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const call = outer.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(outer as ts.Expression)) return undefined;
  const callee = propertyName(strip(call.expression));
  if (!callee) return undefined;
  // Kysely: db.transaction().execute(async (trx) => …)
  if (callee.name === 'execute') {
    const inner = strip(callee.object);
    if (ts.isCallExpression(inner)) {
      const innerCallee = propertyName(strip(inner.expression));
      if (innerCallee?.name === 'transaction') {
        const receiver = symOf(innerCallee.object, ctx, depth);
        if (receiver?.t === 'value' && receiver.value.library === 'kysely') return value(librarySpec('kysely'), 'transaction');
      }
    }
    return undefined;
  }
  const receiver = symOf(callee.object, ctx, depth);
  if (receiver?.t !== 'value') return undefined;
  const spec = librarySpec(receiver.value.library);
  if (!spec.transactionMethods?.includes(callee.name)) return undefined;
  switch (spec.id) {
    case 'prisma':
    case 'drizzle':
    case 'knex':
      return value(spec, 'transaction');
    case 'typeorm':
    case 'mikro-orm':
      return value(spec, 'entity-manager');
    case 'postgres':
      return value(spec, 'sql-tag');
    case 'pg-promise':
      return value(spec, 'transaction'); // `db.tx(async (t) => …)`, `db.task('tag', (t) => …)`
    default:
      return undefined; // Sequelize's `t` is a transaction object, not a client
  }
}

function entityNameText(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : `${entityNameText(name.left)}.${name.right.text}`;
}

/** The database value a type annotation describes (`PrismaClient`, `Repository<User>`, `Prisma.TransactionClient`, `typeof db`). */
function symOfType(type: ts.TypeNode, ctx: DbContext, depth: number): Sym | undefined {
  if (depth > MAX_DEPTH) {
    cutoffs++;
    return undefined;
  }
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) {
    for (const member of type.types) {
      const sym = symOfType(member, ctx, depth + 1);
      if (sym) return sym;
    }
    return undefined;
  }
  if (ts.isParenthesizedTypeNode(type)) return symOfType(type.type, ctx, depth + 1);
  if (ts.isTypeQueryNode(type)) {
    const name = type.exprName;
    if (ts.isIdentifier(name)) return symOf(name, ctx, depth + 1);
    return undefined;
  }
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const typeName = type.typeName;
  const typeArgument = type.typeArguments?.[0];
  const modelFromArgument = typeArgument && ts.isTypeReferenceNode(typeArgument) ? entityNameText(typeArgument.typeName) : undefined;
  if (ts.isIdentifier(typeName)) {
    if (typeName.text === 'Promise' && typeArgument) return symOfType(typeArgument, ctx, depth + 1);
    const binding = resolveIdentifier(typeName);
    if (!binding) {
      // Scopes hold values only: a type alias of this module is looked up among its statements.
      const alias = ctx.sourceFile?.statements.find((statement): statement is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(statement) && statement.name.text === typeName.text);
      return alias ? symOfType(alias.type, ctx, depth + 1) : undefined;
    }
    const sym = symOfBinding(binding, ctx, depth + 1);
    if (sym?.t === 'type') return symOfType(sym.decl.type, sym.ctx, depth + 1);
    return instanceOfTypeSym(sym, modelFromArgument);
  }
  // Prisma.TransactionClient, Knex.Transaction
  const left = typeName.left;
  if (ts.isIdentifier(left)) {
    const binding = resolveIdentifier(left);
    const sym = binding ? symOfBinding(binding, ctx, depth + 1) : undefined;
    if (sym?.t === 'export') {
      const kind = sym.spec.types[typeName.right.text];
      if (kind) return value(sym.spec, kind, modelFromArgument ? { model: modelFromArgument } : {});
    }
    if (sym?.t === 'module') return instanceOfTypeSym(exportedSym(ctx.project, sym.path, typeName.right.text, depth + 1), modelFromArgument);
  }
  return undefined;
}

function instanceOfTypeSym(sym: Sym | undefined, model: string | undefined): Sym | undefined {
  if (!sym) return undefined;
  if (sym.t === 'export') {
    const kind = sym.spec.types[sym.name];
    return kind ? value(sym.spec, kind, model && kind !== 'client' ? { model } : {}) : undefined;
  }
  if (sym.t === 'class') return sym.instance ? { t: 'value', value: sym.instance } : { t: 'instance', decl: sym.decl, ctx: sym.ctx };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Cross-file: exports of known database modules and of workspace modules.

function moduleExportSym(ctx: DbContext, specifier: string, name: string, depth: number): Sym | undefined {
  const spec = libraryOfModule(specifier) ?? (isGeneratedPrismaClient(ctx.project, ctx.path, specifier) ? librarySpec('prisma') : undefined);
  if (spec) {
    const valueKind = spec.values?.[name];
    if (valueKind) return value(spec, valueKind);
    return { t: 'export', spec, name };
  }
  const file = moduleGraph(ctx.project).resolve(ctx.path, specifier);
  if (!file) return undefined;
  if (name === '*') {
    // A CommonJS `module.exports = x` behind a namespace import is that value.
    const whole = exportedSym(ctx.project, file, 'module.exports', depth);
    return whole ?? { t: 'module', path: file };
  }
  return exportedSym(ctx.project, file, name, depth);
}

/**
 * A known database module in an import position (`from '…'`, `import '…'`, `require('…')`,
 * `import('…')`), the whole specifier or a subpath of it. String constants that merely look like a
 * module (`dialect: "pg"`, `"postgres://…"`) do not count: they made whole packages look database-backed.
 */
export function importedModulesPattern(modules: readonly string[]): RegExp {
  const alternatives = modules.map((m) => m.replace(/\/$/, '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  // (a line break ends the string, closed or not, as TypeScript reads it: `from 'pg` while typing)
  return new RegExp(`(?:\\bfrom|\\bimport|\\brequire\\s*\\()\\s*\\(?\\s*['"](?:${alternatives})(?:['"/]|(?=[\\n\\r\\u2028\\u2029]|$))`, 'm');
}
const DB_MODULE_TEXT = importedModulesPattern(KNOWN_DB_MODULES);

/** Whether a specifier is one of `modules` or a subpath of one: what `importedModulesPattern(modules)` finds in a text. */
export function specifierMatcher(modules: readonly string[]): (specifier: string) => boolean {
  const names = new Set(modules.map((m) => m.replace(/\/$/, '')));
  return (specifier) => {
    if (names.has(specifier)) return true;
    for (let slash = specifier.indexOf('/'); slash > 0; slash = specifier.indexOf('/', slash + 1)) {
      if (names.has(specifier.slice(0, slash))) return true;
    }
    return false;
  };
}

/**
 * Does `text`, the project's current text of `file`, import one of some modules? From the bare
 * specifiers the import index read (`importedPackagesOf`) when it read this text, else with the
 * pattern over the text: one regex pass over every file of a workspace was ~0.3 s of a cold audit.
 */
export function textImportsModule(project: Project, file: string, text: string, pattern: RegExp, matches: (specifier: string) => boolean): boolean {
  const packages = importedPackagesOf(project, file);
  return packages !== undefined && project.readText(file) === text ? packages.some(matches) : pattern.test(text);
}
const isDbModuleSpecifier = specifierMatcher(KNOWN_DB_MODULES);
const RELEVANT_TEXT = /\bfrom\s*['"]|\brequire\s*\(|\bimport\s*\(|\bextends\b/;

/** The symbol a workspace module exports under `name` (`default`, a named export, or `module.exports`). */
function exportedSym(project: Project, file: string, name: string, depth: number): Sym | undefined {
  if (depth > MAX_DEPTH) {
    cutoffs++;
    return undefined;
  }
  const graph = moduleGraph(project);
  const key = `export:${file}#${name}`;
  const progressKey = `export-in-progress:${file}#${name}`;
  if (graph.memo.has(key)) return graph.memo.get(key) as Sym | undefined;
  if (graph.memo.get(`export-tainted:${file}#${name}`) === epoch || graph.memo.has(progressKey)) {
    cutoffs++;
    return undefined;
  }
  graph.memo.set(progressKey, true);
  const before = cutoffs;
  const text = project.readText(file);
  let result: Sym | undefined;
  try {
    if (text !== undefined && (DB_MODULE_TEXT.test(text) || RELEVANT_TEXT.test(text))) {
      const ctx = ctxFor(project, file);
      if (ctx?.sourceFile) result = findExport(ctx, ctx.sourceFile, name, depth + 1);
    }
  } finally {
    graph.memo.delete(progressKey);
  }
  if (result !== undefined || cutoffs === before) graph.memo.set(key, result);
  else graph.memo.set(`export-tainted:${file}#${name}`, epoch);
  return result;
}

function hasDefaultModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

function findExport(ctx: DbContext, sourceFile: ts.SourceFile, name: string, depth: number): Sym | undefined {
  const starModules: string[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement) && hasExportModifier(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return symOf(declaration.name, ctx, depth);
      }
    } else if (ts.isTypeAliasDeclaration(statement) && hasExportModifier(statement)) {
      if (statement.name.text === name) return { t: 'type', decl: statement, ctx };
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && hasExportModifier(statement)) {
      const exportedName = hasDefaultModifier(statement) ? 'default' : statement.name?.text;
      if (exportedName === name) return ts.isFunctionDeclaration(statement) ? { t: 'function', decl: statement, ctx } : symOfClass(statement, ctx, depth);
    } else if (ts.isExportAssignment(statement)) {
      if ((statement.isExportEquals && (name === 'module.exports' || name === 'default')) || (!statement.isExportEquals && name === 'default')) return symOf(statement.expression, ctx, depth);
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      const from = statement.moduleSpecifier && ts.isStringLiteralLike(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (!clause) {
        if (from && name !== 'default' && name !== 'module.exports') starModules.push(from);
        continue;
      }
      if (ts.isNamespaceExport(clause)) {
        if (clause.name.text === name && from) {
          const file = moduleGraph(ctx.project).resolve(ctx.path, from);
          if (file) return { t: 'module', path: file };
        }
        continue;
      }
      for (const element of clause.elements) {
        if (element.name.text !== name) continue;
        const local = (element.propertyName ?? element.name) as ts.Identifier;
        if (from) return moduleExportSym(ctx, from, local.text, depth);
        return symOf(local, ctx, depth);
      }
    }
  }
  for (const expression of commonJsStatements(sourceFile)) {
    const sym = commonJsExport(expression, ctx, name, depth);
    if (sym) return sym;
  }
  for (const from of starModules) {
    const sym = moduleExportSym(ctx, from, name, depth);
    if (sym) return sym;
  }
  return undefined;
}

const commonJsMemo = new WeakMap<ts.SourceFile, ts.Expression[]>();

/** Top-level expression statements that may export something (CommonJS), found by a cheap text test. */
function commonJsStatements(sourceFile: ts.SourceFile): ts.Expression[] {
  let list = commonJsMemo.get(sourceFile);
  if (list) return list;
  list = [];
  const text = sourceFile.text;
  if (/\bexports\b|__exportStar/.test(text)) {
    for (const statement of sourceFile.statements) {
      if (!ts.isExpressionStatement(statement)) continue;
      const head = text.slice(statement.getStart(sourceFile), Math.min(statement.end, statement.getStart(sourceFile) + 40));
      if (/^(module\.exports|exports\.|Object\.defineProperty\(exports|__exportStar)/.test(head)) list.push(statement.expression);
    }
  }
  commonJsMemo.set(sourceFile, list);
  return list;
}

/** `module.exports = x`, `module.exports.name = x`, `exports.name = x`, `Object.defineProperty(exports, "name", { get() { return m.x } })`. */
function commonJsExport(expression: ts.Expression, ctx: DbContext, name: string, depth: number): Sym | undefined {
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = skipOuterExpressions(expression.left);
    const text = target.getText(ctx.sourceFile);
    if (text === 'module.exports') {
      if (name === 'module.exports' || name === 'default') return symOf(expression.right, ctx, depth);
      const right = skipOuterExpressions(expression.right);
      if (ts.isObjectLiteralExpression(right)) return memberOfDecl({ t: 'object', decl: right, ctx }, name, depth);
      return undefined;
    }
    if (text === `exports.${name}` || text === `module.exports.${name}`) return symOf(expression.right, ctx, depth);
    // exports.a = exports.b = void 0 chains
    if (ts.isBinaryExpression(expression.right)) return commonJsExport(expression.right, ctx, name, depth);
    return undefined;
  }
  if (ts.isCallExpression(expression) && expression.getText(ctx.sourceFile).startsWith('Object.defineProperty(exports')) {
    const [, key, descriptor] = expression.arguments;
    if (!key || !ts.isStringLiteralLike(key) || key.text !== name || !descriptor || !ts.isObjectLiteralExpression(descriptor)) return undefined;
    for (const property of descriptor.properties) {
      const body = ts.isMethodDeclaration(property) ? property.body : ts.isPropertyAssignment(property) && (ts.isFunctionExpression(property.initializer) || ts.isArrowFunction(property.initializer)) ? property.initializer.body : undefined;
      if (body && ts.isBlock(body)) {
        const returned = body.statements.find(ts.isReturnStatement);
        if (returned?.expression) return symOf(returned.expression, ctx, depth);
      }
      if (ts.isPropertyAssignment(property) && property.name.getText(ctx.sourceFile) === 'value') return symOf(property.initializer, ctx, depth);
    }
  }
  // __exportStar(require("./db"), exports)
  if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === '__exportStar') {
    const inner = expression.arguments[0] && strip(expression.arguments[0]);
    if (inner && ts.isCallExpression(inner) && inner.arguments[0] && ts.isStringLiteralLike(inner.arguments[0])) return moduleExportSym(ctx, inner.arguments[0].text, name, depth);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Public API

/** The database value an expression denotes (`prisma`, `this.prisma`, `prisma.user`, `ctx.db`, `tx`), or undefined. */
export function resolveClient(expression: ts.Expression, context: DbContext): DbValue | undefined {
  return entry(() => {
    const sym = symOf(expression, context);
    return sym?.t === 'value' ? sym.value : undefined;
  });
}

/** `new PrismaClient()`, `new Pool()`, `postgres(url)`, `drizzle(pool)`, `mysql.createPool()`, `createClient()`, `MikroORM.init()`, `knex({...})`… */
export function recognizeClientConstruction(node: ts.Node, context: DbContext): ClientConstruction | undefined {
  if (!ts.isNewExpression(node) && !ts.isCallExpression(node)) return undefined;
  return entry(() => recognizeConstruction(node, context));
}

function recognizeConstruction(node: ts.NewExpression | ts.CallExpression, context: DbContext): ClientConstruction | undefined {
  const callee = strip(node.expression);
  let spec: LibrarySpec | undefined;
  let factoryName: string | undefined;
  let kind: ClientKind | undefined;
  const calleeSym = symOf(callee, context);
  if (calleeSym?.t === 'export') {
    const exportName = calleeSym.name === '*' ? 'default' : calleeSym.name;
    const factory = calleeSym.spec.factories.find((f) => f.export === exportName && f.via === (ts.isNewExpression(node) ? 'new' : 'call'));
    if (factory) [spec, factoryName, kind] = [calleeSym.spec, factory.export, factory.kind];
  } else if (calleeSym?.t === 'class' && calleeSym.instance && ts.isNewExpression(node)) {
    [spec, factoryName, kind] = [librarySpec(calleeSym.instance.library), calleeSym.decl.name?.text ?? 'class', calleeSym.instance.kind];
  } else if (ts.isCallExpression(node) && calleeSym?.t === 'value' && librarySpec(calleeSym.value.library).produces?.[calleeSym.value.kind]) {
    // pg-promise's `pgp(connection)`: a database with its own pool
    spec = librarySpec(calleeSym.value.library);
    [factoryName, kind] = [shortCallee(callee), spec.produces![calleeSym.value.kind]];
  } else if (ts.isCallExpression(node)) {
    const access = propertyName(callee);
    if (access) {
      const receiver = symOf(access.object, context);
      if (receiver?.t === 'export' && receiver.name !== '*' && receiver.name !== 'default') {
        const factory = receiver.spec.factories.find((f) => typeof f.via === 'object' && f.export === receiver.name && f.via.static === access.name);
        if (factory) [spec, factoryName, kind] = [receiver.spec, `${factory.export}.${access.name}`, factory.kind];
      }
    }
  }
  if (!spec || !kind || !factoryName) return undefined;
  // Model definitions and repositories are not connections, nor is pg-promise's initializer (`pgPromise()`).
  if (kind === 'model' || kind === 'repository' || kind === 'entity-manager' || kind === 'odm' || kind === 'initializer') return undefined;
  return { library: spec.id, kind, node, factory: factoryName };
}

/** `pgp`, `this.pgp`: the callee as written, for messages. */
function shortCallee(callee: ts.Expression): string {
  const access = propertyName(callee);
  return access ? access.name : ts.isIdentifier(callee) ? callee.text : 'call';
}

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);

/**
 * Methods whose argument is a query that will run: Promise combinators (`Promise.all(q)`,
 * `Bluebird.resolve(q)`) and arrays collecting queries for one (`tasks.push(q)`).
 */
const RUNNING_ARGUMENT_METHODS = new Set([...PROMISE_COMBINATORS, 'resolve', 'push', 'unshift']);

/** Libraries whose queries compose: a builder handed to another builder is a subquery. */
const COMPOSABLE: ReadonlySet<DbLibrary> = new Set(['knex', 'drizzle']);

/**
 * True when a builder/lazy query expression is run: awaited, returned, `.then`-ed, passed on
 * (Promise.all, push, a function), yielded. A `composable` expression (a Knex builder or `raw`, a
 * Drizzle query) handed to a method, or to an operator of its own library, is part of that query:
 * a subquery or fragment (`qb.whereNotExists(db('posts')…)`, `.from(sub.as('t'))`,
 * `.unionAll([db('posts')…])`, `col.defaultTo(knex.raw('now()'))`, `inArray(t.id, db.select()…)`),
 * unless that method runs it (`push`, `Promise.all`).
 */
/**
 * A Node-style callback as a query's last argument runs it (Mongoose before 7: `Item.findById(id, (err, item) => …)`,
 * `Item.find(filter, done)`): a function, or a name callbacks go by.
 */
function passesCallback(node: ts.Expression): boolean {
  if (!ts.isCallExpression(node) || node.arguments.length < 2) return false;
  const last = skipOuterExpressions(node.arguments[node.arguments.length - 1]);
  return ts.isArrowFunction(last) || ts.isFunctionExpression(last) || (ts.isIdentifier(last) && /^(?:cb|callback|done|next|fn|cb\d)$/.test(last.text));
}

function isConsumed(node: ts.Expression, composable: DbLibrary | undefined, context: DbContext): boolean {
  const outermost = (n: ts.Node): ts.Node => {
    let current = n;
    while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isSatisfiesExpression(current.parent))) current = current.parent;
    return current;
  };
  const current = outermost(node);
  const parent = current.parent;
  if (!parent) return false;
  if (ts.isAwaitExpression(parent) || ts.isYieldExpression(parent)) return true;
  // returned: run where the function is called, unless every caller goes on building on it
  if (ts.isReturnStatement(parent)) return !(composable === 'knex' && everyCallerBuildsOn(parent, context));
  if (ts.isArrowFunction(parent) && parent.body === current) return !(composable === 'knex' && everyCallerBuildsOn(parent, context));
  if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) return !composable || argumentRuns(parent, composable, context);
  if (ts.isArrayLiteralExpression(parent)) {
    // the array's own use decides: `Promise.all([q])` runs, `qb.unionAll([q])` composes
    const array = outermost(parent);
    const holder = array.parent;
    if (composable && holder && ts.isCallExpression(holder) && holder.arguments.includes(array as ts.Expression)) return argumentRuns(holder, composable, context);
    return true;
  }
  if (ts.isForOfStatement(parent) && parent.expression === current && parent.awaitModifier) return true;
  return false;
}

/** Knex chain steps after which a query is bounded or is no read of rows: the caller of a base-query helper finishing it. */
const KNEX_FINISHING_STEPS = new Set(['limit', 'first', 'count', 'countDistinct', 'sum', 'avg', 'min', 'max', 'del', 'delete', 'update', 'insert', 'increment', 'decrement', 'truncate', 'paginate', 'exists']);

/**
 * A Knex builder returned by a helper (`function activeUsers() { return db('users').where(…) }`)
 * whose every call in this module finishes it (`activeUsers().limit(50)`, `.count()`, `.first()`)
 * or hands it to another builder as a subquery: the helper's own builder is no query. Unknown
 * (false) when the helper is exported, passed around, or called without finishing.
 */
function everyCallerBuildsOn(returning: ts.Node, context: DbContext): boolean {
  let fn: ts.Node | undefined = returning;
  while (fn && !isFunctionNode(fn)) fn = fn.parent;
  if (!fn) return false;
  // once per helper: each builder it returns asks, and a private member's uses are found by a walk of its class
  let answer = builtOnMemo.get(fn);
  if (answer === undefined) builtOnMemo.set(fn, (answer = callersBuildOn(fn, context)));
  return answer;
}

const builtOnMemo = new ContextMemo<ts.Node, boolean>();

function callersBuildOn(fn: ts.Node, context: DbContext): boolean {
  const references = helperReferences(fn);
  return references !== undefined && references.length > 0 && references.every((reference) => {
    const call = reference.parent;
    if (!ts.isCallExpression(call) || call.expression !== reference) return false;
    let top: ts.Node = call;
    let finished = false;
    while (ts.isPropertyAccessExpression(top.parent) && top.parent.expression === top && ts.isCallExpression(top.parent.parent) && top.parent.parent.expression === top.parent) {
      if (KNEX_FINISHING_STEPS.has(top.parent.name.text)) finished = true;
      top = top.parent.parent;
    }
    if (finished) return true;
    // handed to another builder, alone or in an array (`unionAll([helper()])`)
    const handed = top.parent && ts.isArrayLiteralExpression(top.parent) ? top.parent : top;
    const holder = handed.parent;
    return holder !== undefined && ts.isCallExpression(holder) && holder.arguments.includes(handed as ts.Expression) && !argumentRuns(holder, 'knex', context);
  });
}

/**
 * What calls a module's private helper go through: the references of a function declared or bound
 * to a `const`, or `this.name` in its class for a private-by-use class member (a method or an arrow
 * property); undefined when it is exported (callers elsewhere are not looked for).
 */
function helperReferences(fn: ts.Node): ts.Expression[] | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) {
    if (hasExportModifier(fn)) return undefined;
    const binding = resolveIdentifier(fn.name);
    return binding ? referencesOf(binding) : undefined;
  }
  const holder = fn.parent;
  if (ts.isVariableDeclaration(holder) && holder.initializer === fn && ts.isIdentifier(holder.name)) {
    if (hasExportModifier(holder.parent.parent)) return undefined;
    const binding = resolveIdentifier(holder.name);
    return binding ? referencesOf(binding) : undefined;
  }
  const member = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyDeclaration(holder) && holder.initializer === fn ? holder : undefined;
  if (!member || !member.name || !ts.isIdentifier(member.name) || !ts.isClassLike(member.parent)) return undefined;
  // a member other classes may call is not the module's to judge
  const modifiers = ts.getModifiers(member) ?? [];
  if (!modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) return undefined;
  const name = member.name.text;
  const uses: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === name && node.expression.kind === ts.SyntaxKind.ThisKeyword) uses.push(node);
    ts.forEachChild(node, visit);
  };
  visit(member.parent);
  return uses;
}

/** Whether a call runs a query it is given: a Promise combinator or `push` does; a method of a builder or an operator of the query's library composes it. */
function argumentRuns(call: ts.CallExpression, library: DbLibrary, context: DbContext): boolean {
  const method = propertyName(strip(call.expression));
  if (method) return RUNNING_ARGUMENT_METHODS.has(method.name);
  const callee = symOf(strip(call.expression), context);
  return !(callee?.t === 'export' && callee.spec.id === library);
}

/** True when the call is an element of a `$transaction([...])` batch (directly or via `xs.map(x => …)`). */
function isInTransactionBatch(node: ts.Node): boolean {
  let current: ts.Node = node;
  for (let hops = 0; current.parent && hops < 6; hops++) {
    const parent: ts.Node = current.parent;
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
      const callee = propertyName(strip(parent.expression));
      // xs.map((x) => prisma.a.update(…)) inside $transaction(…): the map call is the array
      if (ts.isArrowFunction(current) && (callee?.name === 'map' || callee?.name === 'flatMap')) {
        current = parent;
        continue;
      }
      return callee?.name === '$transaction' && !ts.isFunctionLike(current);
    }
    if (ts.isArrayLiteralExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isArrowFunction(parent) || ts.isSpreadElement(parent)) {
      current = parent;
      continue;
    }
    return false;
  }
  return false;
}

function operationKindOf(spec: LibrarySpec, root: string, chain: ChainStep[], base: OperationKind): OperationKind {
  for (let i = chain.length - 1; i >= 0; i--) {
    const terminal = spec.terminals?.[chain[i].name];
    if (terminal && terminal !== 'same') return terminal;
  }
  if (base !== 'builder') return base;
  const names = [root, ...chain.map((s) => s.name)];
  if (names.some((n) => /^(insert|insertInto|update|updateTable|delete|deleteFrom|del|replaceInto|mergeInto|upsert|increment|decrement|truncate)$/.test(n))) return 'write';
  if (names.some((n) => /^(first|executeTakeFirst|executeTakeFirstOrThrow|getOne|getRawOne)$/.test(n))) return 'read';
  if (names.some((n) => /^(count|countDistinct|sum|avg|min|max|getCount)$/.test(n))) return 'aggregate';
  return 'list';
}

function shortText(node: ts.Node, sourceFile: ts.SourceFile | undefined): string {
  const text = node.getText(sourceFile).replace(/\s+/g, ' ');
  if (text.length <= 40) return text;
  // the last 30 characters, from the start of a name or a call (`…getRepository(this.entity).find`, not `…k().getRepository…`)
  const tail = text.slice(-30);
  const cut = tail.search(/(?<=[.(\s])[\w$]/);
  return `…${cut > 0 && cut < 20 ? tail.slice(cut) : tail}`;
}

function modelOfChain(spec: LibrarySpec, value: DbValue, rootCall: ts.CallExpression, chain: ChainStep[], callable: boolean): string | undefined {
  if (value.model) return value.model;
  if (value.kind === 'entity-manager' || (spec.id === 'typeorm' && value.kind === 'client')) {
    const first = rootCall.arguments[0];
    if (first && ts.isIdentifier(skipOuterExpressions(first))) return (skipOuterExpressions(first) as ts.Identifier).text;
  }
  if (spec.id === 'drizzle') {
    const from = chain.find((s) => s.name === 'from');
    const rootName = propertyName(strip(rootCall.expression))?.name ?? '';
    const arg = from?.call.arguments[0] ?? (/^(insert|update|delete)$/.test(rootName) ? rootCall.arguments[0] : undefined);
    return arg ? modelNameOf(arg) : undefined;
  }
  if (spec.id === 'kysely' || spec.id === 'knex') {
    // The table: `knex('users')`, `db.selectFrom('users')`, or a later `from`/`table`/`into` step;
    // not the root's first argument when that root is a column list (`knex.select('*').from('t')`).
    const rootName = callable ? undefined : propertyName(strip(rootCall.expression))?.name;
    const rootNamesTable = rootName === undefined || /^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|from|table|into)$/.test(rootName);
    const step = [{ name: '', call: rootCall }, ...chain].find((s, i) => i === 0 ? rootNamesTable && ts.isStringLiteralLike(s.call.arguments[0] ?? s.call) : /^(from|table|into)$/.test(s.name));
    const arg = step?.call.arguments[0];
    if (arg && ts.isStringLiteralLike(arg)) return arg.text.split(/\s+/)[0];
  }
  return undefined;
}

/**
 * Classifies a call or tagged template as a database call. For builder chains
 * (`db.select().from(t).where(…)`) only the outermost call of the chain is classified (the inner
 * calls return undefined), so a rule visiting every call sees each query once.
 */
export function classifyDbCall(node: ts.Node, context: DbContext): DbCall | undefined {
  const known = callMemo.get(node);
  if (known !== undefined) return known ?? undefined;
  return entry(() => {
    const before = cutoffs;
    const call = classify(node, context);
    // As `memoized`: an answer reached while a dependency was cut off is not kept.
    if (cutoffs === before) callMemo.set(node, call ?? null);
    return call;
  });
}

/** Several rules ask about the same calls (n-plus-one, unbounded-query, the Prisma query rules): classified once per node. */
const callMemo = new ContextMemo<ts.Node, DbCall | null>();

function classify(node: ts.Node, context: DbContext): DbCall | undefined {
  if (ts.isTaggedTemplateExpression(node)) return classifyTaggedTemplate(node, context);
  if (!ts.isCallExpression(node)) return undefined;
  const steps: ChainStep[] = [];
  let current: ts.CallExpression = node;
  let found: { sym: DbValue; receiver: ts.Expression; callable: boolean } | undefined;
  for (let hops = 0; hops < 30; hops++) {
    const callee = strip(current.expression);
    const access = propertyName(callee);
    if (!access) {
      const sym = symOf(callee, context);
      if (sym?.t === 'value' && librarySpec(sym.value.library).callable) {
        steps.unshift({ name: '()', call: current });
        found = { sym: sym.value, receiver: callee, callable: true };
      }
      break;
    }
    steps.unshift({ name: access.name, call: current });
    const sym = symOf(access.object, context);
    if (sym?.t === 'value') {
      found = { sym: sym.value, receiver: access.object, callable: false };
      break;
    }
    const inner = strip(access.object);
    if (ts.isCallExpression(inner)) {
      current = inner;
      continue;
    }
    // A callable client held in a property: `this.knex('users')`.
    const held = symOf(callee, context);
    if (held?.t === 'value' && librarySpec(held.value.library).callable) {
      steps[0] = { name: '()', call: current };
      found = { sym: held.value, receiver: callee, callable: true };
    }
    break;
  }
  if (!found) {
    // A model known by its name only, at the root of a chain (`SubModel.find(filter).lean().select(…)`):
    // the chain is read as for a model found through bindings.
    const root = steps[0]?.call;
    const guessed = root && root !== node ? heuristicCall(root, context, true) : undefined;
    const kysely = !guessed && root && root !== node ? kyselyRootByName(root, context) : undefined;
    if (guessed && librarySpec(guessed.library).lazyOperations?.includes(guessed.operation)) found = { sym: guessed.receiverValue, receiver: guessed.receiver, callable: false };
    else if (kysely) found = { sym: { library: 'kysely', kind: 'client', confidence: 'heuristic' }, receiver: kysely, callable: false };
    else return heuristicCall(node, context);
  }
  const spec = librarySpec(found.sym.library);
  const rootStep = steps[0];
  const chain = steps.slice(1);
  let operation = rootStep.name;
  let baseKind: OperationKind | undefined;
  if (found.callable) {
    baseKind = spec.callable;
    operation = spec.id === 'knex' ? 'table' : 'query';
  } else {
    baseKind = spec.operations[found.sym.kind]?.[operation];
  }
  if (!baseKind) return undefined;
  const lazy = baseKind === 'builder' || found.callable && spec.id === 'knex' || (spec.lazyOperations?.includes(operation) ?? false);
  if (lazy) {
    // Report the chain once, at its outermost call.
    const parent = skipParentsOf(node);
    if (parent && ts.isPropertyAccessExpression(parent) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) return undefined;
  } else if (chain.length > 0) {
    return undefined;
  }
  const effectiveChain = lazy ? chain : [];
  const terminal = effectiveChain.some((s) => spec.terminals?.[s.name] !== undefined);
  const compiledOnly = effectiveChain.some((s) => spec.compilesOnly?.includes(s.name));
  const executes = !compiledOnly && (!lazy || terminal || (spec.thenable === true && isConsumed(node, COMPOSABLE.has(spec.id) ? spec.id : undefined, context)) || (spec.id === 'mongoose' && passesCallback(node)));
  const kind = operationKindOf(spec, operation, effectiveChain, baseKind);
  const argumentsObject = rootStep.call.arguments.map((a) => skipOuterExpressions(a)).find(ts.isObjectLiteralExpression);
  const deferred = spec.id === 'prisma' && isInTransactionBatch(node);
  const receiverText = shortText(found.receiver, context.sourceFile);
  const label = found.callable
    ? `${receiverText}(…)${effectiveChain.map((s) => `.${s.name}()`).join('')}`
    : lazy
      ? `${receiverText}.${[rootStep, ...effectiveChain].map((s) => `${s.name}()`).join('.')}`
      : `${receiverText}.${operation}`;
  const model = modelOfChain(spec, found.sym, rootStep.call, effectiveChain, found.callable);
  return {
    node,
    library: spec.id,
    operation,
    kind,
    ...(model ? { model } : {}),
    receiver: found.receiver,
    receiverValue: found.sym,
    confidence: found.sym.confidence,
    executes: executes && !deferred,
    deferred,
    batch: spec.batchOperations?.includes(operation) ?? false,
    ...(argumentsObject ? { argumentsObject } : {}),
    rootCall: rootStep.call,
    chain: effectiveChain,
    label,
  };
}

/** `x.find(…).lean()`: the call is the receiver of another method call. */
function chainedFurther(node: ts.Node): boolean {
  const parent = skipParentsOf(node);
  return parent !== undefined && ts.isPropertyAccessExpression(parent) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent;
}

function skipParentsOf(node: ts.Node): ts.Node | undefined {
  let current: ts.Node = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent))) current = current.parent;
  return current.parent;
}

function classifyTaggedTemplate(node: ts.TaggedTemplateExpression, context: DbContext): DbCall | undefined {
  const tag = strip(node.tag);
  const sym = symOf(tag, context);
  const base = (value: DbValue, operation: string, receiver: ts.Expression): DbCall => ({
    node,
    library: value.library,
    operation,
    kind: 'raw',
    receiver,
    receiverValue: value,
    confidence: value.confidence,
    executes: true,
    deferred: value.library === 'prisma' && isInTransactionBatch(node),
    batch: false,
    rootCall: node,
    chain: [],
    label: `${shortText(tag, context.sourceFile)}\`…\``,
  });
  if (sym?.t === 'value' && sym.value.kind === 'sql-tag') return base(sym.value, 'sql', tag);
  const access = propertyName(tag);
  if (access) {
    const receiver = symOf(access.object, context);
    if (receiver?.t === 'value' && librarySpec(receiver.value.library).operations[receiver.value.kind]?.[access.name] === 'raw') {
      const call = base(receiver.value, access.name, access.object);
      return Object.assign({}, call, { executes: !call.deferred });
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Heuristics for unresolvable receivers (only in files that import a database library).

const importMemo = new WeakMap<ts.SourceFile, Set<DbLibrary>>();

/** Libraries the file imports or requires (by module specifier). */
export function fileImportsDbLibrary(context: DbContext): Set<DbLibrary> {
  const sourceFile = context.sourceFile;
  if (!sourceFile) return new Set();
  let libraries = importMemo.get(sourceFile);
  if (libraries) return libraries;
  libraries = dbLibrariesImportedBy(sourceFile);
  if (!libraries.has('prisma') && importsGeneratedPrismaClient(context.project, context.path, sourceFile.text)) libraries.add('prisma');
  importMemo.set(sourceFile, libraries);
  return libraries;
}

/**
 * Prisma clients generated into the workspace (`generator client { output = "../src/generated/prisma" }`,
 * required by Prisma 7's `prisma-client` generator) are imported from there, not from `@prisma/client`:
 * `./generated/prisma/client`, or through a path alias (`@/generated/prisma`). The folder usually does
 * not exist until `prisma generate` runs, so a relative specifier is matched by its path, an alias by
 * resolution or by the output's last two folders.
 */
export function isGeneratedPrismaClient(project: Project, fromFile: string, specifier: string): boolean {
  const outputs = generatedOutputs(project);
  if (outputs.length === 0) return false;
  const inside = (file: string) => outputs.some((out) => file === out.path || file.startsWith(out.path + path.sep));
  if (specifier.startsWith('.') || specifier.startsWith('/')) return inside(path.resolve(path.dirname(project.absolute(fromFile)), specifier).replace(/\.(?:[cm]?[jt]s|d\.ts)$/, ''));
  const resolved = moduleGraph(project).resolve(fromFile, specifier);
  if (resolved) return inside(resolved);
  return outputs.some((out) => specifier.endsWith(`/${out.tail}`) || specifier.includes(`/${out.tail}/`));
}

const outputsMemo = new WeakMap<object, Array<{ path: string; tail: string }>>();

function generatedOutputs(project: Project): Array<{ path: string; tail: string }> {
  const schemas = project.get(prismaSchemasFact);
  let outputs = outputsMemo.get(schemas);
  if (!outputs) {
    outputs = generatedClientPaths(project).map((out) => ({ path: out, tail: out.split(path.sep).slice(-2).join('/') }));
    outputsMemo.set(schemas, outputs);
  }
  return outputs;
}

function importsGeneratedPrismaClient(project: Project, file: string, text: string): boolean {
  return generatedOutputs(project).length > 0 && moduleSpecifiers(text).some((specifier) => isGeneratedPrismaClient(project, file, specifier));
}

/**
 * The database libraries a file imports or requires, read from its syntax tree once its text names
 * one: an import written in a comment (`// import type { PoolClient } from 'pg'`) is none.
 */
function dbLibrariesImportedBy(sourceFile: ts.SourceFile): Set<DbLibrary> {
  const libraries = new Set<DbLibrary>();
  const text = sourceFile.text;
  if (!DB_MODULE_TEXT.test(text)) return libraries;
  const add = (specifier: ts.Expression | undefined) => {
    const spec = specifier && ts.isStringLiteralLike(specifier) ? libraryOfModule(specifier.text) : undefined;
    if (spec) libraries.add(spec.id);
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) add(statement.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) add(statement.moduleReference.expression);
  }
  // `require('pg')`, `import('pg')` anywhere
  if (/\brequire\s*\(|\bimport\s*\(/.test(text)) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.length >= 1 && ((ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === ts.SyntaxKind.ImportKeyword)) add(node.arguments[0]);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return libraries;
}

const BUILTIN_TYPES = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'ReadonlyArray', 'Record', 'Promise', 'string', 'number', 'object', 'URLSearchParams', 'Headers', 'FormData', 'Date', 'RegExp']);

/** True when nothing is known about the root of a receiver chain (so a name heuristic may apply). */
function isOpaque(root: ts.Expression): boolean {
  const inner = strip(root);
  if (inner.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (!ts.isIdentifier(inner)) return false;
  const binding = resolveIdentifier(inner);
  if (!binding) return true;
  const declaration = binding.declaration;
  if (ts.isParameter(declaration)) {
    const type = declaration.type;
    if (!type) return true;
    if (ts.isTypeReferenceNode(type)) return !BUILTIN_TYPES.has(entityNameText(type.typeName));
    return type.kind === ts.SyntaxKind.AnyKeyword;
  }
  if (ts.isVariableDeclaration(declaration)) {
    const init = declaration.initializer && strip(declaration.initializer);
    if (!init) return !declaration.type || (ts.isTypeReferenceNode(declaration.type) && !BUILTIN_TYPES.has(entityNameText(declaration.type.typeName)));
    return ts.isCallExpression(init) || ts.isPropertyAccessExpression(init);
  }
  return binding.kind === 'import' || ts.isBindingElement(declaration);
}

function lastName(expression: ts.Expression): string | undefined {
  const inner = strip(expression);
  if (ts.isIdentifier(inner)) return inner.text;
  const access = propertyName(inner);
  return access?.name;
}

function rootOf(expression: ts.Expression): ts.Expression {
  let current = strip(expression);
  for (;;) {
    const access = propertyName(current);
    if (access) current = strip(access.object);
    else if (ts.isCallExpression(current)) current = strip(current.expression);
    else return current;
  }
}

const PRISMA_HOLDER = /^(prisma|db|tx|trx|prismaClient|prismaService|client|database|transaction)$/i;
const REPOSITORY_NAME = /(Repository|Repo)$/;
const REDIS_SET = new Set(REDIS_COMMANDS);
const SEQUELIZE_DISTINCT = new Set(['findAll', 'findByPk', 'findAndCountAll', 'bulkCreate', 'findOrCreate']);
const MONGOOSE_DISTINCT = new Set(['findById', 'findByIdAndUpdate', 'findByIdAndDelete', 'countDocuments', 'insertMany', 'findOneAndUpdate', 'updateOne', 'deleteOne', 'find', 'findOne']);

/**
 * The receiver of a Kysely query's root known by its name only (`db.insertInto('roles')`, `trx.selectFrom(…)`,
 * `this.db.updateTable(…)` with an untyped `db`: compiled JavaScript, a parameter without a type) in
 * a file that imports Kysely: its builder methods are distinctive, and the chain's `execute()` runs it.
 */
function kyselyRootByName(root: ts.CallExpression, context: DbContext): ts.Expression | undefined {
  if (!fileImportsDbLibrary(context).has('kysely')) return undefined;
  const access = propertyName(strip(root.expression));
  if (!access || !KYSELY_ROOTS.has(access.name) || !isOpaque(rootOf(access.object))) return undefined;
  const name = lastName(access.object);
  return name && /^(db|trx|tx|kysely|database|transaction)$/i.test(name) ? access.object : undefined;
}

const KYSELY_ROOTS = new Set(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto']);

function heuristicCall(node: ts.CallExpression, context: DbContext, asChainRoot = false): DbCall | undefined {
  const libraries = fileImportsDbLibrary(context);
  if (libraries.size === 0) return undefined;
  const access = propertyName(strip(node.expression));
  if (!access) return undefined;
  const method = access.name;
  const receiver = access.object;
  if (!isOpaque(rootOf(receiver))) return undefined;
  const make = (library: DbLibrary, kind: ClientKind, model?: string): DbCall | undefined => {
    const spec = librarySpec(library);
    const operationKind = spec.operations[kind]?.[method];
    if (!operationKind || operationKind === 'builder' || operationKind === 'transaction') return undefined;
    // A lazy query with more steps chained (`.lean().select()`) is read at its outermost call (classify).
    if (!asChainRoot && spec.lazyOperations?.includes(method) && chainedFurther(node)) return undefined;
    const argumentsObject = node.arguments.map((a) => skipOuterExpressions(a)).find(ts.isObjectLiteralExpression);
    const value: DbValue = { library, kind, confidence: 'heuristic', ...(model ? { model } : {}) };
    return {
      node,
      library,
      operation: method,
      kind: operationKind,
      ...(model ? { model } : {}),
      receiver,
      receiverValue: value,
      confidence: 'heuristic',
      executes: true,
      deferred: library === 'prisma' && isInTransactionBatch(node),
      batch: spec.batchOperations?.includes(method) ?? false,
      ...(argumentsObject ? { argumentsObject } : {}),
      rootCall: node,
      chain: [],
      label: `${shortText(receiver, context.sourceFile)}.${method}`,
    };
  };
  // prisma.user.findMany / this.prisma.user.findMany / tx.user.create
  if (libraries.has('prisma')) {
    const delegate = propertyName(strip(receiver));
    if (delegate && /^[a-z][A-Za-z0-9]*$/.test(delegate.name)) {
      const holder = lastName(delegate.object);
      if (holder && (PRISMA_HOLDER.test(holder) || /prisma/i.test(holder))) {
        const call = make('prisma', 'delegate', upperFirst(delegate.name));
        if (call) return call;
      }
    }
  }
  // this.connection.getRepository(ctx, Order).findOne(…): a repository by its factory method's name
  const receiverInner = strip(receiver);
  if ((libraries.has('typeorm') || libraries.has('mikro-orm')) && ts.isCallExpression(receiverInner)) {
    const factory = propertyName(strip(receiverInner.expression));
    if (factory && /^(getRepository|getTreeRepository|getCustomRepository|getMongoRepository|withRepository)$/.test(factory.name) && isOpaque(rootOf(factory.object))) {
      const call = make(libraries.has('typeorm') ? 'typeorm' : 'mikro-orm', 'repository', modelNameOf(receiverInner.arguments[receiverInner.arguments.length - 1]));
      if (call) return call;
    }
    return undefined;
  }
  const receiverName = lastName(receiver);
  if (!receiverName) return undefined;
  if ((libraries.has('typeorm') || libraries.has('mikro-orm')) && REPOSITORY_NAME.test(receiverName)) {
    const call = make(libraries.has('typeorm') ? 'typeorm' : 'mikro-orm', 'repository');
    if (call) return call;
  }
  // (`manager` is TypeORM's when both are imported)
  if (libraries.has('mikro-orm') && (/^(em|entityManager)$/.test(receiverName) || (receiverName === 'manager' && !libraries.has('typeorm')))) return make('mikro-orm', 'entity-manager');
  if (libraries.has('typeorm') && /^(manager|entityManager)$/.test(receiverName)) return make('typeorm', 'entity-manager');
  if (libraries.has('sequelize') && (/^[A-Z]/.test(receiverName) || /Model$/.test(receiverName)) && SEQUELIZE_DISTINCT.has(method)) return make('sequelize', 'model', /^[A-Z]/.test(receiverName) ? receiverName : undefined);
  if (libraries.has('mongoose') && (/^[A-Z]/.test(receiverName) || /Model$/.test(receiverName)) && MONGOOSE_DISTINCT.has(method)) return make('mongoose', 'model', receiverName.replace(/Model$/, '') || receiverName);
  if (libraries.has('redis') && /redis/i.test(receiverName) && REDIS_SET.has(method)) return make('redis', 'client');
  // pg-promise (`db.manyOrNone(…)`, `t.none(…)` in a task) and libSQL (`client.execute(…)`)
  if (libraries.has('pg-promise') && /^(db|database|t|tx|task|conn|connection)$/i.test(receiverName)) {
    const call = make('pg-promise', 'client');
    if (call) return call;
  }
  if (libraries.has('libsql') && /^(db|client|database|turso|libsql|tx|transaction)$/i.test(receiverName)) {
    const call = make('libsql', 'client');
    if (call) return call;
  }
  for (const library of ['pg', 'mysql2', 'neon', 'vercel-postgres'] as const) {
    if (libraries.has(library) && /^(pool|client|db|conn|connection|pgPool|pg)$/i.test(receiverName)) {
      const call = make(library, library === 'mysql2' || library === 'pg' ? 'pool' : 'pool');
      if (call) return call;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Workspace functions (one level of indirection) and project-wide facts.

export interface WorkspaceFunction {
  node: FunctionNode;
  context: DbContext;
  /** The function's name, for messages. */
  name: string;
}

/** The workspace function a call's callee denotes: local/imported functions, `this.method`, methods of workspace class instances. */
export function resolveWorkspaceFunction(callee: ts.Expression, context: DbContext): WorkspaceFunction | undefined {
  return entry(() => resolveFunction(callee, context));
}

function resolveFunction(callee: ts.Expression, context: DbContext): WorkspaceFunction | undefined {
  const sym = symOf(callee, context);
  if (sym?.t !== 'function') return undefined;
  const decl = sym.decl;
  const name = decl.name && ts.isIdentifier(decl.name) ? decl.name.text : lastName(strip(callee)) ?? 'function';
  return { node: decl, context: sym.ctx, name };
}

const callsMemo = new ContextMemo<ts.Node, DbCall[]>();

/** The executed database calls lexically inside a function (nested callbacks included, nested declarations excluded). */
export function dbCallsInFunction(fn: FunctionNode, context: DbContext): DbCall[] {
  const cached = callsMemo.get(fn);
  if (cached) return cached;
  callsMemo.set(fn, []);
  const calls: DbCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) || ts.isClassLike(node) || ts.isMethodDeclaration(node)) return;
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const call = classifyDbCall(node, context);
      if (call && call.executes) calls.push(call);
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  callsMemo.set(fn, calls);
  return calls;
}

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Libraries the workspace depends on (root package.json and workspace package.json files next to sources). */
export const workspaceDbLibrariesFact = defineFact('db/workspace-libraries', (project): DbLibrary[] => {
  const found = new Set<DbLibrary>();
  const manifests = new Set<string>([`${project.root}/package.json`]);
  for (const file of project.sourceFiles()) {
    const dir = file.slice(0, file.lastIndexOf('/'));
    manifests.add(`${dir}/package.json`);
    manifests.add(`${dir.slice(0, dir.lastIndexOf('/'))}/package.json`);
  }
  for (const manifest of manifests) {
    const text = project.readText(manifest);
    if (!text) continue;
    let json: PackageJson;
    try {
      json = JSON.parse(text) as PackageJson;
    } catch {
      continue;
    }
    for (const deps of [json.dependencies, json.devDependencies, json.peerDependencies]) {
      for (const name of Object.keys(deps ?? {})) {
        const spec = libraryOfModule(name);
        if (spec) found.add(spec.id);
      }
    }
  }
  return [...found].sort();
}, { onTrim: 'keep', onEdit: (_libraries, edit) => !edit.path.endsWith('package.json') });

export function workspaceDbLibraries(project: Project): DbLibrary[] {
  return project.get(workspaceDbLibrariesFact);
}

/** True when the workspace depends on a database library or any source file mentions one (cheap gate for rules). */
export const workspaceUsesDatabaseFact = defineFact('db/workspace-uses-database', (project): boolean => {
  if (workspaceDbLibraries(project).length > 0) return true;
  return project.sourceFiles().some((file) => {
    if (file.endsWith('.prisma')) return false;
    // The import index read every workspace file's specifiers: no second pass over the texts.
    const packages = importedPackagesOf(project, file);
    if (packages !== undefined) return packages.some(isDbModuleSpecifier);
    const text = project.scanText(file);
    return text !== undefined && DB_MODULE_TEXT.test(text);
  });
}, { onTrim: 'keep', onEdit: (_uses, edit) => !edit.path.endsWith('package.json') && importsDb(edit.before) === importsDb(edit.after) });

function importsDb(text: string | undefined): boolean {
  return text !== undefined && DB_MODULE_TEXT.test(text);
}

export function workspaceUsesDatabase(project: Project): boolean {
  return project.get(workspaceUsesDatabaseFact);
}

/** True when a workspace module mentions a database module, directly or through its imports (text only, no parsing). */
function reachesDatabase(project: Project, file: string, stack: Set<string>, cycles: { hit: boolean }): boolean {
  const graph = moduleGraph(project);
  const known = graph.reach.get(file);
  if (known !== undefined) return known;
  if (stack.has(file)) {
    cycles.hit = true;
    return false;
  }
  const text = project.readText(file);
  if (text === undefined) return false;
  let result = textImportsModule(project, file, text, DB_MODULE_TEXT, isDbModuleSpecifier) || importsGeneratedPrismaClient(project, file, text);
  if (!result) {
    stack.add(file);
    const inner = { hit: false };
    for (const target of importTargetsOf(project, file) ?? importTargetsInText(project, file, text)) {
      if (reachesDatabase(project, target, stack, inner)) {
        result = true;
        break;
      }
    }
    stack.delete(file);
    // In an import cycle a module still in progress counted as "no": a rare miss, accepted to keep this linear.
    if (inner.hit) cycles.hit = true;
  }
  graph.reach.set(file, result);
  return result;
}

/**
 * Cheap gate for rules: can this file contain a database call at all? It imports a database
 * library, or a workspace module it imports reaches one (re-exports, wrappers, services, any number of
 * hops), or it uses the tRPC `ctx.db`/`ctx.prisma` shape in a workspace that depends on a database
 * library. Reads texts and resolves specifiers; parses nothing; each module is scanned once per project.
 */
export function fileMayUseDatabase(context: DbContext): boolean {
  // Asked by every database rule for the same file: once per tree and project state.
  const tree = context.sourceFile;
  const known = tree ? mayUseDatabaseMemo.get(tree) : undefined;
  if (known && known.project === context.project && known.generation === context.project.generation) return known.value;
  const value = computeMayUseDatabase(context);
  if (tree) mayUseDatabaseMemo.set(tree, { project: context.project, generation: context.project.generation, value });
  return value;
}

const mayUseDatabaseMemo = new WeakMap<ts.SourceFile, { project: Project; generation: number; value: boolean }>();

function computeMayUseDatabase(context: DbContext): boolean {
  if (fileImportsDbLibrary(context).size > 0) return true;
  return reachesDatabaseByText(context.project, context.path, context.sourceFile?.text ?? context.project.readText(context.path) ?? '');
}

/**
 * `fileMayUseDatabase` before the file is parsed (the database rules' text gate): the same test,
 * from the file's text and the workspace's module graph.
 */
export function fileMayUseDatabaseText(project: Project, filePath: string, text: string): boolean {
  // Asked by each database rule's gate for the same file in a row.
  const last = lastTextGate;
  if (last && last.project === project && last.generation === project.generation && last.path === filePath && last.text === text) return last.value;
  const value = textImportsModule(project, filePath, text, DB_MODULE_TEXT, isDbModuleSpecifier) || importsGeneratedPrismaClient(project, filePath, text) || reachesDatabaseByText(project, filePath, text);
  lastTextGate = { project, generation: project.generation, path: filePath, text, value };
  return value;
}

let lastTextGate: { project: Project; generation: number; path: string; text: string; value: boolean } | undefined;

function reachesDatabaseByText(project: Project, filePath: string, text: string): boolean {
  if (workspaceDbLibraries(project).length > 0 && (text.includes('ctx') || text.includes('context')) && /\b(?:ctx|context)\s*\.\s*(?:db|prisma|database)\b/.test(text)) return true;
  const absolute = project.absolute(filePath);
  // (from the import index when `text` is what the project reads for the file: the index read its specifiers)
  const indexed = project.readText(absolute) === text ? importTargetsOf(project, absolute) : undefined;
  for (const target of indexed ?? importTargetsInText(project, absolute, text)) {
    if (target !== absolute && reachesDatabase(project, target, new Set([absolute]), { hit: false })) return true;
  }
  return false;
}

/** The workspace modules `text`'s import specifiers lead to (`importTargetsOf` for a text the index has not read). */
function importTargetsInText(project: Project, file: string, text: string): string[] {
  const graph = moduleGraph(project);
  const targets: string[] = [];
  for (const specifier of moduleSpecifiers(text)) {
    const target = graph.resolve(file, specifier);
    if (target) targets.push(target);
  }
  return targets;
}

export interface ExportedClient {
  path: string;
  exportName: string;
  value: DbValue;
}

/**
 * Every workspace module export that is a database value (clients, pools, models, repositories).
 * Only files whose text mentions a known database module or a workspace import are parsed.
 */
export const exportedClientsFact = defineFact('db/exported-clients', (project): ExportedClient[] => {
  const result: ExportedClient[] = [];
  for (const file of project.sourceFiles()) {
    if (file.endsWith('.prisma')) continue;
    const text = project.readText(file);
    if (text === undefined || !DB_MODULE_TEXT.test(text) || !/\bexport\b|module\.exports|exports\./.test(text)) continue;
    const ctx = ctxFor(project, file);
    if (!ctx?.sourceFile) continue;
    for (const name of exportedNames(ctx.sourceFile)) {
      const sym = exportedSym(project, file, name, 0);
      if (sym?.t === 'value') result.push({ path: file, exportName: name, value: sym.value });
    }
  }
  return result;
}, { onTrim: 'keep' });

export function exportedClients(project: Project): ExportedClient[] {
  return project.get(exportedClientsFact);
}

function exportedNames(sourceFile: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement) && hasExportModifier(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && hasExportModifier(statement)) {
      names.push(hasDefaultModifier(statement) ? 'default' : statement.name?.text ?? 'default');
    } else if (ts.isExportAssignment(statement)) names.push('default');
    else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) names.push(element.name.text);
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
      const left = statement.expression.left.getText(sourceFile);
      const match = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left);
      if (match) names.push(match[1]);
      else if (left === 'module.exports') names.push('module.exports');
    }
  }
  return names;
}
