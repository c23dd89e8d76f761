/**
 * client-per-request: database/Redis clients and pools constructed per request or per call (inside
 * handlers, resolvers, methods), directly or through one level of indirection (a workspace class
 * whose constructor creates one, or that extends PrismaClient), and the same kind of client
 * constructed at module scope in several modules of one application (one pool each).
 * Constructions are recognised through engine/db (bindings, not names).
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { defineRule, type RelatedDescriptor, type RuleContext } from '../engine/rule';
import type { Fix, TextEdit } from '../engine/types';
import { exportedClients, fileMayUseDatabase, fileMayUseDatabaseText, recognizeClientConstruction, type ClientConstruction } from '../engine/db';
import { connectionSignature, constructionInClass, hasSyntaxErrors, mayBeConstruction, mayConstructClients, runsAtModuleLoad, isConnectionKind, isGlobalObjectAccess, isGlobalThisCached, moduleLevelClientsFact, resolveWorkspaceClass } from '../engine/db/construction';
import { enclosingFunction, isImmediatelyInvoked, isModuleLevel, newlineOf, type FunctionNode } from '../engine/ts/ast';
import { importOfBinding } from '../engine/ts/imports';
import { isOneOffPath, isTestPath, exportedNamesOf } from '../engine/ts/modules';
import { initializerOf, referencesOf, resolveIdentifier, skipOuterExpressions, type Binding } from '../engine/ts/scope';
import { nearestPackageJson } from '../engine/packages';

/** Clients that talk HTTP (no connection pool): constructing one per request is cheap and documented. */
const HTTP_CLIENT_MODULES = new Set(['@upstash/redis', '@vercel/kv', '@neondatabase/serverless', '@vercel/postgres', '@libsql/client/web', '@libsql/client/http']);
/** Wrappers that run their function once and cache the result. */
const ONCE_WRAPPERS = /^(once|onetime|memoize|memoizeOne|memoizee|pMemoize|cache|lazy|singleton|createSingleton|lazyInit|memo)$/;
/** Methods that close a client: the hoisting fix removes them from the function. */
const CLOSE_METHODS = new Set(['$disconnect', 'end', 'close', 'quit', 'disconnect', 'destroy', 'release']);

const WHAT: Record<string, string> = {
  prisma: 'a new Prisma Client with its own connection pool (num_cpus × 2 + 1 connections)',
  pg: 'a new node-postgres pool',
  postgres: 'a new postgres.js pool',
  mysql2: 'a new mysql2 pool',
  redis: 'a new Redis connection',
  mongodb: 'a new MongoClient with its own connection pool',
  sequelize: 'a new Sequelize instance with its own pool',
  typeorm: 'a new TypeORM DataSource with its own pool',
  knex: 'a new Knex pool',
  drizzle: 'a new Drizzle client',
  kysely: 'a new Kysely instance and pool',
  'mikro-orm': 'a new MikroORM instance with its own pool',
  'pg-promise': 'a new pg-promise database with its own connection pool',
  libsql: 'a new libSQL client with its own connection',
  bullmq: 'a new BullMQ queue with its own Redis connection',
};

function whatIs(c: ClientConstruction): string {
  if (c.library === 'pg' && c.kind === 'connection') return 'a new PostgreSQL connection (TCP + TLS + authentication handshake)';
  if (c.library === 'mysql2' && c.kind === 'connection') return 'a new MySQL connection (TCP + TLS + authentication handshake)';
  return WHAT[c.library] ?? 'a new database client';
}

export default defineRule({
  id: 'client-per-request',
  meta: {
    category: 'connections',
    defaultSeverity: 'error',
    description: 'Database/Redis clients or pools constructed per request or per call, or once per module in several modules of one app, instead of one shared instance.',
    fix: 'suggestion',
    languages: ['typescript'],
    // 7: pg-promise databases and libSQL clients; 8: a probe assigned to a local `let`; 9: BullMQ queues;
    // 10: a framework configuration (`next.config.js`) below a package.json marks an application of its own
    // 11: a factory called from constructors is not per call; an enclosing variable replaced by a reconnect is a cache;
    // a folder with its own `prisma.config.*` is an application of its own; TypeScript's `(0, m_1.createPool)(…)` is a
    // construction; no hoisting fix for a client whose `connect()` the function calls
    version: 11,
  },
  mayReport: ({ project, path, text }) => !isOneOffPath(project.relative(path)) && fileMayUseDatabaseText(project, path, text),
  create(context) {
    if (isOneOffPath(context.project.relative(context.path))) return {};
    // A client is constructed here or by a workspace class this file imports: either way the file reaches a database module.
    if (!fileMayUseDatabase(context)) return {};
    const mayConstruct = mayConstructClients(context.text);
    const visit = (node: ts.NewExpression | ts.CallExpression) => {
      if (!mayBeConstruction(node)) return;
      const construction = mayConstruct ? recognizeClientConstruction(node, context) : undefined;
      if (construction) {
        if (!isConnectionKind(construction) || httpClient(node) || wrapsExistingClient(construction)) return;
        if (runsAtModuleLoad(node)) checkDuplicates(context, node, construction);
        else checkPerCall(context, node, construction, undefined);
        return;
      }
      if (ts.isNewExpression(node) && !runsAtModuleLoad(node)) {
        const cls = resolveWorkspaceClass(node.expression, context);
        const inner = cls ? constructionInClass(cls.decl, cls.context) : undefined;
        if (cls && inner && !httpClient(inner.node)) checkPerCall(context, node, inner, cls.decl.name?.text ?? 'class');
      }
    };
    return {
      [ts.SyntaxKind.NewExpression]: visit,
      [ts.SyntaxKind.CallExpression]: visit,
    };
  },
});

/**
 * Drizzle, Kysely and MikroORM instances wrap a driver client or pool: `drizzle(pool)`,
 * `drizzle({ client })`, `new Kysely({ dialect })` open no connection of their own (the wrapped
 * pool, constructed elsewhere, is checked itself). `drizzle(url)` / `drizzle({ connection })` do.
 */
function wrapsExistingClient(construction: ClientConstruction): boolean {
  if (construction.library !== 'drizzle' && construction.library !== 'kysely') return false;
  const first = construction.node.arguments?.[0];
  if (!first) return construction.library === 'kysely';
  const inner = skipOuterExpressions(first);
  if (ts.isStringLiteralLike(inner) || ts.isTemplateExpression(inner) || (ts.isPropertyAccessExpression(inner) && /env\./.test(inner.getText()))) return false;
  if (ts.isObjectLiteralExpression(inner)) return !inner.properties.some((p) => p.name !== undefined && p.name.getText() === 'connection');
  return true;
}

function httpClient(node: ts.NewExpression | ts.CallExpression): boolean {
  let callee = skipOuterExpressions(node.expression);
  if (ts.isPropertyAccessExpression(callee)) callee = skipOuterExpressions(callee.expression);
  const binding = ts.isIdentifier(callee) ? resolveIdentifier(callee) : undefined;
  const module = binding ? importOfBinding(binding)?.module : undefined;
  return module !== undefined && HTTP_CLIENT_MODULES.has(module);
}

// ---------------------------------------------------------------------------------------------
// Per request / per call

function checkPerCall(context: RuleContext, node: ts.NewExpression | ts.CallExpression, construction: ClientConstruction, viaClass: string | undefined): void {
  const fn = enclosingFunction(node);
  if (!fn || ts.isConstructorDeclaration(fn)) return;
  if (isCached(node)) return;
  if (runsOnce(fn, 0)) return;
  if (isOneShotToCallerTarget(construction.node, fn)) return;
  if (!viaClass && neverConnects(construction)) return;
  // A factory hands the client to its caller (returned, wrapped, captured by returned closures):
  // the cost is per call only where the factory is called per call.
  if (escapes(node, fn) && !calledPerCall(fn)) return;
  const fnName = functionName(fn);
  const where = fnName ? `every call of \`${fnName}\`` : 'every call of the enclosing function';
  const constructed = viaClass
    ? `\`${shortText(node)}\` runs on ${where}, and \`${viaClass}\` creates \`${shortText(construction.node)}\` when constructed: ${whatIs(construction)} per call`
    : `\`${shortText(node)}\` runs on ${where}: ${whatIs(construction)} per call`;
  const server = construction.library === 'redis' || construction.library === 'bullmq' ? 'the Redis server' : 'the database';
  const message = `${constructed}, so under load the process opens connections faster than the old clients are closed and ${server} runs out of connections. Create one instance at module scope and reuse it.`;
  const related: RelatedDescriptor[] = [];
  if (viaClass) {
    const inner = construction.node;
    const file = inner.getSourceFile();
    related.push(file.fileName === context.path ? { node: inner, message: `\`${viaClass}\` creates the client here` } : { path: file.fileName, range: { start: inner.getStart(file), end: inner.getEnd() }, message: `\`${viaClass}\` creates the client here` });
  }
  context.report({ node, message, related, fixes: viaClass ? [] : perCallFixes(context, node, construction, fn) });
}

/**
 * A connection to a target the caller gives (`pingMongo(connectionString)`, a setup form's
 * credentials), closed before the function is done: a probe or a one-off check. No shared instance
 * can serve a target known only per call, so "one instance at module scope" does not apply.
 */
function isOneShotToCallerTarget(node: ts.NewExpression | ts.CallExpression, fn: FunctionNode): boolean {
  const args = ts.isNewExpression(node) || ts.isCallExpression(node) ? (node.arguments ?? []) : [];
  // a parameter of this function or of one it is nested in (`ensureDatabases(config) { … map(async () => connect(config)) }`)
  const givenHere = (binding: Binding | undefined) => binding?.kind === 'param' && binding.scope.getSourceFile() === fn.getSourceFile() && binding.scope.pos <= fn.pos && fn.end <= binding.scope.end;
  // (also through a `const` of this function made from one: `const config = await preBootstrap(userConfig)`)
  const derived = (binding: Binding | undefined, depth: number): boolean => {
    const init = binding?.kind === 'const' && enclosingFunction(binding.declaration) === fn ? initializerOf(binding) : undefined;
    return init !== undefined && depth < 3 && fromParameterAt(init, depth + 1);
  };
  const fromParameterAt = (e: ts.Node, depth: number): boolean => (ts.isIdentifier(e) && (givenHere(resolveIdentifier(e)) || derived(resolveIdentifier(e), depth))) || ts.forEachChild(e, (child) => fromParameterAt(child, depth) || undefined) === true;
  const fromParameter = (e: ts.Node) => fromParameterAt(e, 0);
  if (!args.some((a) => fromParameter(a))) return false;
  // the value, bound to a local (`const client = …`, `await …`, or assigned to a `let` of this
  // function: `dataSource = new DataSource(input)` in one branch), is closed in this function
  let current: ts.Node = node;
  while (current.parent && (ts.isAwaitExpression(current.parent) || ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent))) current = current.parent;
  const holder = current.parent;
  let binding: Binding | undefined;
  if (holder && ts.isVariableDeclaration(holder) && holder.initializer === current && ts.isIdentifier(holder.name)) binding = resolveIdentifier(holder.name);
  else if (holder && ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && holder.right === current && ts.isIdentifier(holder.left)) {
    const assigned = resolveIdentifier(holder.left);
    if (assigned && (assigned.kind === 'let' || assigned.kind === 'var')) binding = assigned;
  }
  if (!binding || enclosingFunction(binding.declaration) !== fn) return false;
  return referencesOf(binding).some((reference) => {
    const access = reference.parent;
    return ts.isPropertyAccessExpression(access) && access.expression === reference && CLOSE_METHODS.has(access.name.text) && ts.isCallExpression(access.parent) && access.parent.expression === access;
  });
}

/**
 * A client whose properties are only read (`const parsed = new Client(config); parsed.database`: its
 * settings parsed) or that is never used: clients that connect on first use open nothing. Not
 * mysql2's `createConnection`, ioredis's `new Redis()` or BullMQ's `new Queue()`, which connect as they are made.
 */
function neverConnects(construction: ClientConstruction): boolean {
  if (construction.library === 'mysql2' && construction.factory === 'createConnection') return false;
  if ((construction.library === 'redis' || construction.library === 'bullmq') && ts.isNewExpression(construction.node)) return false;
  const isRead = (expression: ts.Node): boolean => {
    const parent = expression.parent;
    if (!ts.isPropertyAccessExpression(parent) || parent.expression !== expression) return false;
    const use = parent.parent;
    return !(ts.isCallExpression(use) && use.expression === parent) && !(ts.isBinaryExpression(use) && use.left === parent) && !ts.isPropertyAccessExpression(use) && !ts.isElementAccessExpression(use);
  };
  let current: ts.Node = construction.node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isSatisfiesExpression(current.parent))) current = current.parent;
  if (isRead(current)) return true;
  const declaration = current.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== current || !ts.isIdentifier(declaration.name)) return false;
  const binding = resolveIdentifier(declaration.name);
  return binding !== undefined && binding.kind === 'const' && referencesOf(binding).every(isRead);
}

/** True when the construction's value leaves the function: returned, passed on, stored, or captured by a nested function. */
function escapes(node: ts.Node, fn: FunctionNode): boolean {
  let current: ts.Node = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isAwaitExpression(current.parent) || ts.isSatisfiesExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === current) {
    // `return knex(options).on('query', log)`: a listener registered on the client, which is handed on
    const call = parent.parent;
    if (/^(?:on|once|addListener|prependListener)$/.test(parent.name.text) && ts.isCallExpression(call) && call.expression === parent) return escapes(call, fn);
    return false; // new PrismaClient().user.findMany()
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === current && ts.isIdentifier(parent.name)) {
    const binding = resolveIdentifier(parent.name);
    if (!binding) return true;
    return referencesOf(binding).some((reference) => {
      if (enclosingFunction(reference) !== fn) return true; // captured by a nested function
      const use = reference.parent;
      const localUse = (ts.isPropertyAccessExpression(use) && use.expression === reference) || (ts.isTaggedTemplateExpression(use) && use.tag === reference) || (ts.isCallExpression(use) && use.expression === reference);
      return !localUse;
    });
  }
  return true;
}

/** True when some call of `fn` (found through its binding in this file) runs per call. */
function calledPerCall(fn: FunctionNode, depth = 0): boolean {
  const binding = bindingOf(fn);
  if (!binding) return false;
  return referencesOf(binding).some((reference) => {
    const call = reference.parent;
    if (!ts.isCallExpression(call) || call.expression !== reference) return false;
    const caller = enclosingFunction(call);
    // a constructor's client lives with its object, as one made in the constructor itself does
    if (caller === undefined || caller === fn || ts.isConstructorDeclaration(caller) || isCached(call) || runsOnce(caller, 1)) return false;
    // the caller's own probe: the factory's client, to a target the caller was given, closed there
    if (isOneShotToCallerTarget(call, caller)) return false;
    // a factory returning what a factory made (`getClient(id) { return createPgClient(url(id)) }`):
    // per call only where that one is called per call
    if (depth < 3 && returnedBy(call, caller)) return calledPerCall(caller, depth + 1);
    return true;
  });
}

/**
 * The call's value is what `fn` returns: `return make()`, an arrow's body, or a local `const` that is
 * returned, alone or in a returned object or array (`return { publisher, subscriber }`).
 */
function returnedBy(call: ts.CallExpression, fn: FunctionNode): boolean {
  const outermost = (node: ts.Node): ts.Node => {
    let current = node;
    while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isAwaitExpression(current.parent))) current = current.parent;
    return current;
  };
  const isReturned = (node: ts.Node): boolean => {
    const current = outermost(node);
    const parent = current.parent;
    if (ts.isShorthandPropertyAssignment(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === current) || ts.isArrayLiteralExpression(parent)) {
      return isReturned(ts.isArrayLiteralExpression(parent) ? parent : parent.parent);
    }
    return (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === current)) && enclosingFunction(current) === fn;
  };
  if (isReturned(call)) return true;
  const current = outermost(call);
  const declaration = current.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== current || !ts.isIdentifier(declaration.name)) return false;
  const binding = resolveIdentifier(declaration.name);
  return binding !== undefined && binding.kind === 'const' && referencesOf(binding).some(isReturned);
}

/** The construction's value ends up in module-level or global state (`globalThis.x ??= …`, `if (!client) client = …`, `this.pool ??= …`). */
function isCached(node: ts.Node): boolean {
  if (isGlobalThisCached(node)) return true;
  let current: ts.Node = node;
  for (let hops = 0; current.parent && hops < 8; hops++) {
    const parent: ts.Node = current.parent;
    if (ts.isBinaryExpression(parent) && parent.right === current) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
        if (isLongLivedTarget(parent.left) || isClosureCache(parent)) return true;
        // pool = new Pool(); pools.set(key, pool): a local variable that is then stored away
        const left = skipOuterExpressions(parent.left);
        const local = op === ts.SyntaxKind.EqualsToken && ts.isIdentifier(left) ? resolveIdentifier(left) : undefined;
        if (local && referencesOf(local).some((reference) => storesIntoLongLived(reference))) return true;
      }
      current = parent;
      continue;
    }
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isAwaitExpression(parent) || ts.isConditionalExpression(parent)) {
      current = parent;
      continue;
    }
    // `MongoClient.connect(url).then((c) => c.db())`: the promise of the client is what gets cached
    if (ts.isPropertyAccessExpression(parent) && parent.expression === current && /^(then|catch|finally)$/.test(parent.name.text) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      current = parent.parent;
      continue;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === current && ts.isIdentifier(parent.name)) {
      // const p = new Pool(); … cache = p / globalThis.x = p / pools.set(key, p) / this.pool = p
      const binding = resolveIdentifier(parent.name);
      return binding !== undefined && referencesOf(binding).some((reference) => storesIntoLongLived(reference));
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) return storesIntoLongLived(current);
    break;
  }
  return false;
}

/** `x = ref`, `globalThis.x = ref`, `cache.set(k, ref)` where the target lives beyond the call. */
function storesIntoLongLived(reference: ts.Node): boolean {
  let current: ts.Node = reference;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  if (ts.isBinaryExpression(parent) && parent.right === current && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return isLongLivedTarget(parent.left) || isClosureCache(parent);
  if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression) && ts.isPropertyAccessExpression(parent.expression) && /^(set|push|add)$/.test(parent.expression.name.text)) {
    return isLongLivedTarget(parent.expression.expression);
  }
  if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) {
    // { pool } stored into a module-level object/map
    const object = parent.parent;
    return ts.isObjectLiteralExpression(object) && storesIntoLongLived(object);
  }
  return false;
}

/**
 * `let pool; const getPool = () => { if (!pool) pool = new Pool(); return pool; }` inside a factory:
 * a variable of an enclosing function, assigned only while it is empty (`??=`, `||=`, or `=` under
 * a condition that reads it), holds one client per call of that enclosing function, however often
 * the inner function runs.
 */
function isClosureCache(assignment: ts.BinaryExpression): boolean {
  const left = skipOuterExpressions(assignment.left);
  if (!ts.isIdentifier(left)) return false;
  const binding = resolveIdentifier(left);
  const fn = enclosingFunction(assignment);
  const owner = binding ? enclosingFunction(binding.declaration) : undefined;
  if (!binding || !fn || !owner || owner === fn) return false;
  let nested = false;
  for (let node: ts.Node | undefined = fn.parent; node && !nested; node = node.parent) nested = node === owner;
  if (!nested) return false;
  const op = assignment.operatorToken.kind;
  if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) return true;
  if (op !== ts.SyntaxKind.EqualsToken) return false;
  for (let node: ts.Node = assignment.parent; node !== fn; node = node.parent) {
    const condition = ts.isIfStatement(node) ? node.expression : ts.isConditionalExpression(node) ? node.condition : undefined;
    if (condition && readsBinding(condition, binding)) return true;
  }
  return reconnectsOnly(fn, owner);
}

/**
 * An inner function that replaces the enclosing function's client (`current = fresh`) and that only
 * the enclosing function calls, or it itself again (on a connection error, after a delay): one client
 * per call of the enclosing function, replaced when its connection is lost (a LISTEN subscription).
 */
function reconnectsOnly(fn: FunctionNode, owner: FunctionNode): boolean {
  const binding = bindingOf(fn);
  if (!binding) return false;
  const references = referencesOf(binding);
  return references.length > 0 && references.every((reference) => {
    const call = reference.parent;
    if (!ts.isCallExpression(call) || call.expression !== reference) return false;
    // called by the enclosing function itself, or again from inside (its error handler's retry)
    if (enclosingFunction(call) === owner) return true;
    for (let node: ts.Node | undefined = call.parent; node; node = node.parent) if (node === fn) return true;
    return false;
  });
}

function readsBinding(node: ts.Node, binding: Binding): boolean {
  if (ts.isIdentifier(node)) return resolveIdentifier(node) === binding;
  return ts.forEachChild(node, (child) => readsBinding(child, binding) || undefined) === true;
}

function isLongLivedTarget(target: ts.Expression): boolean {
  const inner = skipOuterExpressions(target);
  if (isGlobalObjectAccess(inner)) return true;
  if (ts.isIdentifier(inner)) {
    const binding = resolveIdentifier(inner);
    return binding !== undefined && (ts.isSourceFile(binding.scope) || ts.isModuleBlock(binding.scope));
  }
  if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) {
    const object = skipOuterExpressions(inner.expression);
    if (object.kind === ts.SyntaxKind.ThisKeyword) return true;
    return isLongLivedTarget(object);
  }
  return false;
}

/** True when `fn` runs once: module-level IIFE, only called from module-level code, wrapped in once/memoize, a DI factory or lifecycle hook. */
function runsOnce(fn: FunctionNode, depth: number): boolean {
  if (depth > 3) return false;
  if (isImmediatelyInvoked(fn)) return isModuleLevel(fn) || runsOnceNode(fn, depth);
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  // once(() => new Pool()), memoize(async () => …), React cache(() => …)
  if (parent && ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression)) {
    const callee = skipOuterExpressions(parent.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (ONCE_WRAPPERS.test(name)) return true;
  }
  // NestJS { provide, useFactory: () => new Pool() }, lifecycle hooks
  if (parent && ts.isPropertyAssignment(parent) && /^(useFactory|factory)$/.test(parent.name.getText())) return true;
  if (ts.isMethodDeclaration(fn) && /^(onModuleInit|onApplicationBootstrap|onModuleDestroy|init|initialize|connect|bootstrap|setup|start)$/.test(fn.name.getText())) return true;
  const binding = bindingOf(fn);
  if (!binding) return false;
  const references = referencesOf(binding);
  if (references.length === 0 || exportedNamesOf(binding).length > 0) return false;
  return references.every((reference) => {
    const call = reference.parent;
    return ts.isCallExpression(call) && call.expression === reference && runsOnceNode(call, depth);
  });
}

function runsOnceNode(node: ts.Node, depth: number): boolean {
  if (isModuleLevel(node) && !insideLoop(node)) return true;
  if (isCached(node)) return true;
  const fn = enclosingFunction(node);
  return fn !== undefined && runsOnce(fn, depth + 1);
}

function insideLoop(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionLike(current)) return false;
    if (ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current)) return true;
  }
  return false;
}

function bindingOf(fn: ts.Node): Binding | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return resolveIdentifier(fn.name);
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  if (outer.parent && ts.isVariableDeclaration(outer.parent) && outer.parent.initializer === outer && ts.isIdentifier(outer.parent.name)) return resolveIdentifier(outer.parent.name);
  return undefined;
}

function functionName(fn: FunctionNode): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const binding = bindingOf(fn);
  if (binding) return binding.name;
  if (fn.parent && (ts.isPropertyAssignment(fn.parent) || ts.isPropertyDeclaration(fn.parent))) return fn.parent.name.getText();
  return undefined;
}

function shortText(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  if (text.length <= 40) return text;
  const open = text.indexOf('(');
  return open > 0 && open < 36 ? `${text.slice(0, open)}(…)` : `${text.slice(0, 37)}…`;
}

// ---------------------------------------------------------------------------------------------
// Duplicate module-level clients

/**
 * The application a module belongs to, whose modules share one process: the folder of its nearest
 * package.json, or a folder below it with an application framework's configuration (two app
 * templates of one generator package, each with its own `next.config.js`, never share a process).
 */
function appRoot(context: RuleContext, file: string): string {
  const pkg = nearestPackageJson(context.project, file);
  const packageRoot = pkg ? path.dirname(pkg.path) : context.project.root;
  for (let dir = path.dirname(context.project.absolute(file)); dir !== packageRoot && dir.startsWith(packageRoot + path.sep); dir = path.dirname(dir)) {
    if (APP_CONFIGS.some((name) => context.project.readText(path.join(dir, name)) !== undefined)) return dir;
  }
  return packageRoot;
}

// (a Prisma project's own `prisma.config.*` too: a starter's TypeScript and JavaScript templates are two apps)
const APP_CONFIGS = ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs', 'nuxt.config.ts', 'nuxt.config.js', 'remix.config.js', 'svelte.config.js', 'astro.config.mjs', 'astro.config.ts', 'nest-cli.json', 'prisma.config.ts', 'prisma.config.js', 'prisma.config.mjs', 'prisma.config.mts', 'prisma.config.cjs'];

function checkDuplicates(context: RuleContext, node: ts.NewExpression | ts.CallExpression, construction: ClientConstruction): void {
  // (Redis connections and BullMQ queues are not duplicates: a subscriber, a queue per job type)
  if (construction.library === 'redis' || construction.library === 'bullmq' || isGlobalThisCached(node)) return;
  const signature = connectionSignature(construction);
  const root = appRoot(context, context.path);
  const others = context.project
    .get(moduleLevelClientsFact)
    .filter((c) => c.path !== context.path && c.signature === signature && !c.globalCached)
    .filter((c) => {
      const rel = context.project.relative(c.path);
      return !isOneOffPath(rel) && appRoot(context, c.path) === root;
    });
  if (others.length === 0) return;
  const files = [...new Set(others.map((o) => context.project.relative(o.path)))];
  const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
  const message = `\`${shortText(node)}\` is also constructed at module scope in ${shown}: each module gets ${whatIs(construction).replace(/^a new /, 'its own ')}, so one process holds ${files.length + 1} of them. Export one instance from a shared module and import it everywhere.`;
  const related: RelatedDescriptor[] = others.map((o) => ({ path: o.path, range: { start: o.start, end: o.end }, message: 'another module-level instance' }));
  context.report({ node, message, demote: 1, related, fixes: importSharedFixes(context, node, construction) });
}

// ---------------------------------------------------------------------------------------------
// Fixes

interface DeclarationShape {
  statement: ts.VariableStatement;
  name: ts.Identifier;
  binding: Binding;
}

/** `const NAME = <construction>;` as the whole statement (one declaration, nothing else). */
function declarationShape(node: ts.Node): DeclarationShape | undefined {
  const declaration = node.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== node || !ts.isIdentifier(declaration.name)) return undefined;
  const list = declaration.parent;
  const statement = list?.parent;
  if (!list || !ts.isVariableDeclarationList(list) || !statement || !ts.isVariableStatement(statement) || list.declarations.length !== 1) return undefined;
  const binding = resolveIdentifier(declaration.name);
  return binding ? { statement, name: declaration.name, binding } : undefined;
}

/** Range of a whole statement line (indentation and newline included) when it sits alone on its line(s). */
function statementLineRange(text: string, statement: ts.Node): { start: number; end: number } {
  let start = statement.getStart();
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = statement.getEnd();
  if (start === 0 || text[start - 1] === '\n') {
    while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
    return { start, end };
  }
  return { start: statement.getStart(), end: statement.getEnd() };
}

/** Statements in `fn` that close the client (`await prisma.$disconnect()`). */
function closeStatements(binding: Binding, fn: ts.Node): ts.ExpressionStatement[] | undefined {
  const result: ts.ExpressionStatement[] = [];
  for (const reference of referencesOf(binding)) {
    const access = reference.parent;
    if (!ts.isPropertyAccessExpression(access) || !CLOSE_METHODS.has(access.name.text) || !ts.isCallExpression(access.parent)) continue;
    let current: ts.Node = access.parent;
    if (ts.isAwaitExpression(current.parent)) current = current.parent;
    if (!ts.isExpressionStatement(current.parent)) return undefined; // used as a value: no clean edit
    if (!fn || current.pos < fn.pos || current.end > fn.end) return undefined;
    result.push(current.parent);
  }
  return result;
}

/** True when every identifier the expression uses is module-level or global (so it can move to module scope). */
function movableToModule(expression: ts.Node): boolean {
  let ok = true;
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)) {
      const binding = resolveIdentifier(node);
      if (binding && !ts.isSourceFile(binding.scope)) ok = false;
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword || ts.isAwaitExpression(node)) ok = false;
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return ok;
}

function moduleScopeHas(sourceFile: ts.SourceFile, name: string): boolean {
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) return true;
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name) return true;
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name?.text === name) return true;
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named) && named.name.text === name) return true;
      if (named && ts.isNamedImports(named) && named.elements.some((e) => e.name.text === name)) return true;
    }
  }
  return false;
}

/** Offset after the import prologue (imports and `require`s), where module-level declarations go. */
function afterImports(sourceFile: ts.SourceFile): { at: number; prefix: string; suffix: string } {
  const nl = newlineOf(sourceFile.text);
  let last: ts.Statement | undefined;
  for (const statement of sourceFile.statements) {
    const isRequire = ts.isVariableStatement(statement) && statement.declarationList.declarations.every((d) => d.initializer && /^require\(/.test(d.initializer.getText()));
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || isRequire || (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression))) last = statement;
    else break;
  }
  if (last) return { at: last.getEnd(), prefix: `${nl}${nl}`, suffix: '' };
  const first = sourceFile.statements[0];
  return { at: first ? first.getStart() : 0, prefix: '', suffix: `${nl}${nl}` };
}

function perCallFixes(context: RuleContext, node: ts.NewExpression | ts.CallExpression, construction: ClientConstruction, fn: FunctionNode): Fix[] {
  const sourceFile = context.sourceFile!;
  const shape = declarationShape(node);
  if (hasSyntaxErrors(sourceFile)) return [];
  if (!shape || !shape.statement.parent || !fn.body || !ts.isBlock(fn.body) || enclosingFunction(shape.statement) !== fn) return [];
  const closes = closeStatements(shape.binding, fn);
  if (!closes) return [];
  // `await client.connect()` left in the function would run again on the hoisted client, and node-postgres
  // throws "Client has already been connected" from the second call on (a Lambda's warm invocations)
  const connects = referencesOf(shape.binding).some((r) => ts.isPropertyAccessExpression(r.parent) && r.parent.expression === r && r.parent.name.text === 'connect' && ts.isCallExpression(r.parent.parent));
  if (connects) return [];
  const text = context.text;
  const name = shape.name.text;
  const removals: TextEdit[] = [shape.statement, ...closes].map((s) => ({ ...statementLineRange(text, s), text: '' }));
  const shared = sharedInstance(context, construction);
  if (shared && !moduleScopeHas(sourceFile, name)) {
    return [{ kind: 'suggestion', title: `Use the shared \`${shared.exportName === 'default' ? name : shared.exportName}\` exported by ${context.project.relative(shared.path)}`, edits: [importEdit(context, shared, name), ...removals] }];
  }
  if (moduleScopeHas(sourceFile, name) || !movableToModule(node)) return [];
  const nl = newlineOf(text);
  const init = node.getText();
  const isTs = /\.[cm]?tsx?$/.test(context.path);
  let declaration: string;
  let title: string;
  if (construction.library === 'prisma' && isTs && dependsOnNext(context)) {
    const holder = `globalFor${name[0].toUpperCase()}${name.slice(1)}`;
    if (moduleScopeHas(sourceFile, holder)) return [];
    const typeName = skipOuterExpressions(node.expression).getText();
    declaration = `const ${holder} = globalThis as unknown as { ${name}?: ${typeName} };${nl}const ${name} = ${holder}.${name} ?? ${init};${nl}if (process.env.NODE_ENV !== 'production') ${holder}.${name} = ${name};`;
    title = `Hoist \`${name}\` into one module-level client, cached on globalThis across hot reloads`;
  } else {
    declaration = `const ${name} = ${init};`;
    title = `Hoist \`${name}\` into one module-level instance`;
  }
  const insertion = afterImports(sourceFile);
  const edits: TextEdit[] = [{ start: insertion.at, end: insertion.at, text: `${insertion.prefix}${declaration}${insertion.suffix}` }, ...removals];
  return [{ kind: 'suggestion', title, edits }];
}

function dependsOnNext(context: RuleContext): boolean {
  const pkg = nearestPackageJson(context.project, context.path);
  return pkg !== undefined && (pkg.dependencies.next !== undefined || pkg.devDependencies.next !== undefined);
}

/** A client of the same library and kind exported by another (non-test) workspace module. */
function sharedInstance(context: RuleContext, construction: ClientConstruction): { path: string; exportName: string } | undefined {
  const candidates = exportedClients(context.project).filter(
    (e) => e.path !== context.path && e.value.library === construction.library && e.value.kind === construction.kind && e.exportName !== 'module.exports' && !isTestPath(context.project.relative(e.path)),
  );
  return candidates.length === 1 ? { path: candidates[0].path, exportName: candidates[0].exportName } : undefined;
}

function importEdit(context: RuleContext, shared: { path: string; exportName: string }, localName: string): TextEdit {
  const sourceFile = context.sourceFile!;
  let specifier = path.relative(path.dirname(context.path), shared.path).split(path.sep).join('/');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  const usesJsExtension = sourceFile.statements.some((s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && /^\.\.?\/.*\.js$/.test(s.moduleSpecifier.text));
  specifier = specifier.replace(/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, usesJsExtension ? '.js' : '').replace(/\/index$/, '');
  const quote = /from\s+"/.test(context.text) && !/from\s+'/.test(context.text) ? '"' : "'";
  const clause = shared.exportName === 'default' ? localName : shared.exportName === localName ? `{ ${localName} }` : `{ ${shared.exportName} as ${localName} }`;
  const statement = `import ${clause} from ${quote}${specifier}${quote};`;
  const insertion = afterImports(sourceFile);
  return { start: insertion.at, end: insertion.at, text: insertion.prefix === '' ? `${statement}${newlineOf(context.text)}${newlineOf(context.text)}` : `${newlineOf(context.text)}${statement}` };
}

function importSharedFixes(context: RuleContext, node: ts.NewExpression | ts.CallExpression, construction: ClientConstruction): Fix[] {
  const shape = declarationShape(node);
  if (!shape || !ts.isSourceFile(shape.statement.parent) || hasSyntaxErrors(context.sourceFile!)) return [];
  if (exportedNamesOf(shape.binding).length > 0) return [];
  const shared = sharedInstance(context, construction);
  if (!shared) return [];
  const edits: TextEdit[] = [{ ...statementLineRange(context.text, shape.statement), text: '' }, importEdit(context, shared, shape.name.text)];
  // The import goes where the prologue ends; when the removed statement is right there, merge the edits' order.
  edits.sort((a, b) => a.start - b.start);
  if (edits[0].end > edits[1].start) return [];
  return [{ kind: 'suggestion', title: `Import the shared \`${shared.exportName === 'default' ? shape.name.text : shared.exportName}\` from ${context.project.relative(shared.path)} instead of creating another`, edits }];
}

