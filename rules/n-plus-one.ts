/**
 * n-plus-one: a database/ORM/Redis call executed once per element of a collection — in a loop
 * that iterates the collection or in a per-item callback (`map`, `forEach`, `Promise.all(xs.map(…))`,
 * p-map helpers) — directly or through one workspace function. Receivers are recognised by
 * engine/db (bindings, not names).
 */
import * as ts from 'typescript';
import { classifyDbCall, dbCallsInFunction, fileMayUseDatabase, fileMayUseDatabaseText, NAME_ONLY_NOTE, resolveClient, resolveWorkspaceFunction, type DbCall, type DbContext } from '../engine/db';
import { readsSystemCatalog, sqlTextOf, sqlTextOfCall } from '../engine/db/sql';
import { defineRule, type RelatedDescriptor, type RuleContext } from '../engine/rule';
import { containsWord, isFunctionNode, isImmediatelyInvoked, isInLoopBody, isLoop, perItemCallbackOf, indentationAt, newlineOf, type FunctionNode, type LoopNode, type PerItemCallback } from '../engine/ts/ast';
import { initializerOf, referencesOf, resolveIdentifier, skipOuterExpressions, type Binding } from '../engine/ts/scope';
import { ContextMemo } from '../engine/ts/memo';
import { functionOfBinding, importedDeclaration, isOneOffPath } from '../engine/ts/modules';
import { parentParameter, resolverClassField, resolverMapField, ROOT_TYPES, type ResolverField, pothosEntityResolver } from '../engine/ts/graphql';
import type { Fix } from '../engine/types';

/** Helpers whose callback runs the elements one after another. */
const SEQUENTIAL_HELPERS = new Set(['pMapSeries', 'pEachSeries', 'mapSeries', 'eachSeries']);
/** Literal collections up to this size are not worth batching (status lists, retry schedules). */
const SMALL_LITERAL = 10;

type Iteration =
  | { type: 'loop'; loop: LoopNode; collection: string; scope: ts.Node }
  | { type: 'callback'; callback: PerItemCallback; collection: string; scope: ts.Node }
  /** A GraphQL field resolver of an object type: it runs once per object of that type in a result. */
  | { type: 'resolver'; field: ResolverField; collection: string; scope: ts.Node };

interface Candidate {
  /** The reported call (a DbCall node, or the call of a workspace function). */
  node: ts.CallExpression | ts.TaggedTemplateExpression;
  /** The database call (direct), or the first one inside the called function (indirect). */
  db: DbCall;
  indirect?: { name: string; context: DbContext; fn: ts.Node };
}

export default defineRule({
  id: 'n-plus-one',
  meta: {
    category: 'queries',
    defaultSeverity: 'warning',
    description: 'A database, ORM or Redis call runs once per element of a collection (in a loop, a per-item callback or a GraphQL field resolver): 1 + N round trips or N concurrent queries.',
    fix: 'suggestion',
    languages: ['typescript'],
    defaultOptions: { smallLiteralSize: SMALL_LITERAL },
    optionsSchema: {
      type: 'object',
      properties: { smallLiteralSize: { type: 'integer', minimum: 0, description: 'Loops over literal arrays with at most this many elements are not reported.' } },
      additionalProperties: false,
    },
    // 6: pg-promise and libSQL are recognised; 7: Blitz's enhanced Prisma class, `typeorm/index` imports,
    // Mongoose's destructured `model`; 8: catalog reads are schema statements; 9: a filled `const` array is no small literal;
    // 10: concurrent Redis commands (pipelined on one connection) are not reported; node-redis' `json`/`ft` commands count;
    // 11: BullMQ queues (a job added per element: `addBulk`); 12: GraphQL field resolvers of object types run once per parent;
    // 13: a schema statement passed to a helper that runs the SQL it is given is DDL per object; 14: DESCRIBE/SHOW are catalog reads
    // 15: Kysely chains on an untyped `db`/`trx` in a file that imports Kysely (name heuristic)
    // 16: the advice for per-element raw SQL follows the statement (writes: one write statement; DDL: one ALTER);
    // queries at once in a transaction queue on its one connection (not the pool); Mongoose queries given a callback
    // run; a promise's executor runs where the promise is made (`await new Promise((r) => q(id, cb))` in a loop);
    // session commands (LISTEN, SET, RESET) and listed statements (`for (const sql of statements)`) are not per row;
    // queries at once on one connection (`new pg.Client()`, a PoolClient) queue on it; raw SQL that cannot be read gets
    // advice for a read or a write alike; a Prisma client generated into the workspace (generator `output`) is
    // recognised; a Pothos entity's `resolveReference` is an entity resolver
    version: 16,
  },
  // Tests, scripts, seeds and migrations serve no requests: their one-at-a-time writes (fixtures
  // seeded in order, per-row backfills) are deliberate and paid once.
  mayReport: ({ project, path, text }) => !isOneOffPath(project.relative(path)) && fileMayUseDatabaseText(project, path, text),
  create(context) {
    if (isOneOffPath(context.project.relative(context.path))) return {};
    // Nothing to find where no database library is in sight (keeps DB-free workspaces cheap).
    if (!fileMayUseDatabase(context)) return {};
    const smallLiteral = typeof context.options.smallLiteralSize === 'number' ? context.options.smallLiteralSize : SMALL_LITERAL;
    const check = (node: ts.CallExpression | ts.TaggedTemplateExpression) => {
      const iteration = findIteration(node, smallLiteral, context);
      if (!iteration || insideDataLoaderBatch(node)) return;
      const candidate = candidateOf(node, context);
      if (!candidate || isSchemaStatement(candidate.db) || forwardsSchemaStatement(candidate) || runsListedStatement(candidate, iteration)) return;
      // The element picks the table (`getRepository(el.entity)`, `manager.find(el.type, …)`): one query per table, not N+1.
      if (!candidate.indirect && tableDependsOn(tableOf(candidate.db), iteration)) return;
      if (iteration.type === 'loop' && exitsAfter(node, iteration.loop)) return;
      report(context, candidate, iteration);
    };
    return {
      [ts.SyntaxKind.CallExpression]: check,
      [ts.SyntaxKind.TaggedTemplateExpression]: check,
    };
  },
});

function candidateOf(node: ts.CallExpression | ts.TaggedTemplateExpression, context: RuleContext): Candidate | undefined {
  const db = classifyDbCall(node, context);
  if (db) return db.executes ? { node, db } : undefined;
  if (!ts.isCallExpression(node)) return undefined;
  const fn = resolveWorkspaceFunction(node.expression, context);
  if (!fn || containsNode(fn.node, node)) return undefined;
  // A helper whose table comes from its parameters (`count(entity) { return repo(entity).count() }`) is per-table;
  // a client or transaction passed in (`getUser(tx, id) { return tx.user.findUnique(…) }`) picks no table.
  const picksNoTable = (part: ts.Node) => isConnectionHandle(part, fn.context);
  const inner = dbCallsInFunction(fn.node, fn.context).find((call) => !dependsOnParameters(tableOf(call), fn.node, picksNoTable));
  if (!inner) return undefined;
  return { node, db: inner, indirect: { name: fn.name, context: fn.context, fn: fn.node } };
}

/** Database values that hold connections rather than name a table: a client, pool, connection or transaction handle. */
const CONNECTION_HANDLE_KINDS = new Set(['client', 'pool', 'connection', 'transaction', 'sql-tag', 'orm', 'entity-manager', 'odm', 'database']);

function isConnectionHandle(part: ts.Node, context: DbContext): boolean {
  const expression = skipOuterExpressions(part as ts.Expression);
  if (!ts.isIdentifier(expression)) return false;
  const kind = resolveClient(expression, context)?.kind;
  return kind !== undefined && CONNECTION_HANDLE_KINDS.has(kind);
}

/** Raw DDL/maintenance statements (`DROP DATABASE x`, `CREATE INDEX …`, `VACUUM`) run per object by nature. */
function isSchemaStatement(db: DbCall): boolean {
  return db.kind === 'raw' && isSchemaSql(rawSql(db));
}

/** Names of lists of SQL statements (set-up, migrations, scripts), not of rows. */
const STATEMENT_LIST = /(?:sql|statement|stmt|quer(?:y|ie)|migration|setup|script|ddl|command)s?$/i;

/**
 * A loop that runs a list of statements one by one (`for (const sql of this.setupStatements) await client.query(sql)`,
 * `for (let v = from; v < migrations.length; v++) await client.query(migrations[v])`): the list is named
 * as statements and an element is the whole SQL text of a call in the body, so each element is a
 * different statement (set-up on a new connection, a migration's steps), not a row to batch; the
 * body's other queries (recording the version applied) are per statement too.
 */
function runsListedStatement(candidate: Candidate, iteration: Iteration): boolean {
  if (candidate.indirect || iteration.type === 'resolver') return false;
  if (!STATEMENT_LIST.test(iteration.collection.replace(/\(\)$/, '').split('.').pop() ?? '')) return false;
  let known = statementRunners.get(iteration.scope);
  if (known === undefined) statementRunners.set(iteration.scope, (known = runsElementAsSql(iteration)));
  return known;
}

const statementRunners = new WeakMap<ts.Node, boolean>();

function runsElementAsSql(iteration: Iteration): boolean {
  let element: ts.Node | undefined;
  let index: ts.Node | undefined;
  let collection: ts.Expression | undefined;
  if (iteration.type === 'loop') {
    const loop = iteration.loop;
    if (ts.isForOfStatement(loop) && ts.isVariableDeclarationList(loop.initializer)) [element, collection] = [loop.initializer.declarations[0], loop.expression];
    else if (ts.isForStatement(loop) && loop.initializer && ts.isVariableDeclarationList(loop.initializer)) {
      index = loop.initializer.declarations[0];
      const bound = loop.condition && ts.isBinaryExpression(loop.condition) ? skipOuterExpressions(loop.condition.right) : undefined;
      if (bound && ts.isPropertyAccessExpression(bound) && bound.name.text === 'length') collection = bound.expression;
    }
  } else if (iteration.type === 'callback') {
    [element, collection] = [iteration.callback.callback.parameters[0], iteration.callback.collection];
  }
  // statements made here per element are rows in disguise: `const queries = ids.map((id) => \`UPDATE … ${id}\`)`,
  // or pushed in a loop (`for (const item of items) statements.push({ sql: 'INSERT …', args: [item.id] })`)
  const listBinding = collection && ts.isIdentifier(skipOuterExpressions(collection)) ? resolveIdentifier(skipOuterExpressions(collection) as ts.Identifier) : undefined;
  const made = listBinding ? initializerOf(listBinding) : undefined;
  if (made && ts.isCallExpression(skipOuterExpressions(made)) && /\.(?:map|flatMap)$/.test((skipOuterExpressions(made) as ts.CallExpression).expression.getText())) return false;
  const pushedPerElement = (reference: ts.Identifier) => {
    const access = reference.parent;
    if (!ts.isPropertyAccessExpression(access) || access.name.text !== 'push' || !ts.isCallExpression(access.parent)) return false;
    for (let node: ts.Node | undefined = access.parent.parent; node && node !== listBinding!.scope; node = node.parent) {
      if (isLoop(node) || (isFunctionNode(node) && perItemCallbackOf(node) !== undefined)) return true;
    }
    return false;
  };
  if (listBinding && referencesOf(listBinding).some(pushedPerElement)) return false;
  const isElement = (e: ts.Expression): boolean => {
    const inner = skipOuterExpressions(e);
    if (ts.isIdentifier(inner)) return resolveIdentifier(inner)?.declaration === element && element !== undefined;
    // `migrations[v]`, with `v` the loop's index
    return index !== undefined && ts.isElementAccessExpression(inner) && ts.isIdentifier(inner.argumentExpression) && resolveIdentifier(inner.argumentExpression)?.declaration === index;
  };
  const visit = (node: ts.Node): boolean => (ts.isCallExpression(node) && node.arguments.length > 0 && isElement(node.arguments[0])) || ts.forEachChild(node, visit) === true;
  return visit(iteration.scope);
}

/** The SQL text a raw call runs, when written literally. */
function rawSql(db: DbCall): string | undefined {
  const call = ts.isTaggedTemplateExpression(db.node) ? db.node : ts.isCallExpression(db.rootCall) ? db.rootCall : undefined;
  return call ? sqlTextOfCall(call)?.text : undefined;
}

/** DDL, settings and session commands (`SET`, `RESET`, `LISTEN channel` per channel), and reads of the catalog (schema introspection: one per table or column of a schema sync; MySQL's `DESCRIBE t`, `SHOW COLUMNS`). */
function isSchemaSql(text: string | undefined): boolean {
  return text !== undefined && (/^\s*(drop|create|alter|truncate|vacuum|analyze|reindex|grant|revoke|comment on|set |reset|discard|listen|unlisten|pragma|describe|desc|show|explain)\b/i.test(text) || readsSystemCatalog(text));
}

/**
 * A helper that runs the SQL its caller passes (`const query = (text) => client.query(text)`), called
 * per element with a schema statement (`query(\`CREATE SCHEMA IF NOT EXISTS "${name}"\`)`): DDL per
 * configured object, as when the driver is called directly.
 */
function forwardsSchemaStatement(candidate: Candidate): boolean {
  const { db, indirect, node } = candidate;
  if (!indirect || db.kind !== 'raw' || !ts.isCallExpression(node) || !ts.isCallExpression(db.rootCall)) return false;
  const sql = db.rootCall.arguments[0] && skipOuterExpressions(db.rootCall.arguments[0]);
  const parameter = sql && ts.isIdentifier(sql) ? resolveIdentifier(sql)?.declaration : undefined;
  if (!parameter || !ts.isParameter(parameter) || parameter.parent !== indirect.fn) return false;
  const argument = node.arguments[parameter.parent.parameters.indexOf(parameter)];
  return argument !== undefined && isSchemaSql(sqlTextOf(argument)?.text);
}

/** The part of a database call that names the table: its receiver, plus the entity argument of entity-manager calls and `from(t)`. */
function tableOf(db: DbCall): ts.Node[] {
  const parts: ts.Node[] = tableParts(db.receiver);
  if (db.receiverValue.kind === 'entity-manager' || (db.library === 'typeorm' && db.receiverValue.kind === 'client')) {
    const first = ts.isCallExpression(db.rootCall) ? db.rootCall.arguments[0] : undefined;
    if (first && !ts.isObjectLiteralExpression(skipOuterExpressions(first))) parts.push(first);
  }
  for (const step of db.chain) if (/^(from|into|table|innerJoin|leftJoin)$/.test(step.name) && step.call.arguments[0]) parts.push(step.call.arguments[0]);
  // A root call that names the table: `knex(table)`, `db.selectFrom(table)`, `knex.into(table)`.
  const rootTable = ts.isCallExpression(db.rootCall) ? db.rootCall.arguments[0] : undefined;
  if (rootTable && (db.library === 'knex' || db.library === 'kysely') && /^(table|from|into|selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/.test(db.operation)) parts.push(rootTable);
  return parts;
}

/** In a receiver chain, what selects the table: the root, element-access keys, and the entity (last) argument of calls such as `getRepository(ctx, Order)`. */
function tableParts(expression: ts.Expression): ts.Node[] {
  const parts: ts.Node[] = [];
  let current = skipOuterExpressions(expression);
  for (let hops = 0; hops < 20; hops++) {
    if (ts.isPropertyAccessExpression(current)) current = skipOuterExpressions(current.expression);
    else if (ts.isElementAccessExpression(current)) {
      parts.push(current.argumentExpression);
      current = skipOuterExpressions(current.expression);
    } else if (ts.isCallExpression(current)) {
      const last = current.arguments[current.arguments.length - 1];
      if (last) parts.push(last);
      current = skipOuterExpressions(current.expression);
    } else break;
  }
  parts.push(current);
  return parts;
}

/**
 * True when the table parts use a binding of the iteration; of a field resolver, only its parent
 * object (its other parameters, such as the context holding the client, are the same for every parent).
 */
function tableDependsOn(parts: ts.Node[], iteration: Iteration): boolean {
  if (iteration.type !== 'resolver') return tableUses(parts, iteration.scope, () => true);
  const parent = parentParameter(iteration.scope as FunctionNode);
  return parent !== undefined && tableUses(parts, iteration.scope, (root) => root === parent);
}


/**
 * True when what names the table comes from `fn`'s parameters: a parameter, a name destructured
 * from one (`function clear({ attribute })`), or a local `const` whose initialiser names its table
 * with one (`const { joinTable } = attribute`, `const repo = ds.getRepository(entity)`; not
 * `getRepository(ctx, Order)`, where the table is `Order`).
 */
function dependsOnParameters(parts: ts.Node[], fn: ts.Node, picksNoTable: (part: ts.Node) => boolean): boolean {
  return tableUses(parts, fn, (root) => ts.isParameter(root) && root.parent === fn, picksNoTable);
}

/**
 * True when the table parts use a binding declared in `scope` whose declaration (the parameter or
 * variable declaration, for a destructured name) `counts`; a local `const` is followed to the table
 * parts of its initialiser (`const repo = …`, `const { joinTable } = attribute`).
 */
function tableUses(parts: ts.Node[], scope: ts.Node, counts: (root: ts.Node) => boolean, picksNoTable: (part: ts.Node) => boolean = () => false, depth = 0): boolean {
  let dependent = false;
  const visit = (n: ts.Node): void => {
    if (dependent) return;
    if (ts.isIdentifier(n)) {
      if (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) return;
      const binding = resolveIdentifier(n);
      if (!binding || !containsNode(scope, binding.declaration)) return;
      const root = declarationRoot(binding.declaration);
      const local = ts.isVariableDeclaration(root) && root.initializer && binding.kind === 'const' && !isLoop(root.parent.parent);
      if (local && depth < 4) dependent = tableUses(tableParts(root.initializer!), scope, counts, picksNoTable, depth + 1);
      else dependent = counts(root);
      return;
    }
    ts.forEachChild(n, visit);
  };
  for (const part of parts) if (!picksNoTable(part)) visit(part);
  return dependent;
}

/** The parameter or variable declaration a destructured name (a binding element) belongs to. */
function declarationRoot(declaration: ts.Node): ts.Node {
  let current = declaration;
  while (ts.isBindingElement(current) || ts.isObjectBindingPattern(current) || ts.isArrayBindingPattern(current)) current = current.parent;
  return current;
}

function containsNode(outer: ts.Node, inner: ts.Node): boolean {
  return inner.getSourceFile() === outer.getSourceFile() && inner.pos >= outer.pos && inner.end <= outer.end;
}

// ---------------------------------------------------------------------------------------------
// Where does a call run once per element?

function shortText(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length <= 40 ? text : `${text.slice(0, 37)}…`;
}

/** The innermost loop or per-item callback that runs `node` once per element, or undefined. */
function findIteration(node: ts.Node, smallLiteral: number, context: DbContext): Iteration | undefined {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent: ts.Node = current.parent;
    if (isFunctionNode(parent)) {
      if (isDataLoaderBatch(parent)) return undefined;
      const callback = perItemCallbackOf(parent);
      if (callback) {
        if (callback.collection && isSmallLiteral(callback.collection, smallLiteral, context)) return undefined;
        if (isBatchIteration(callback.collection, callback.callback.parameters[0]?.name)) return undefined;
        return { type: 'callback', callback, collection: callback.collection ? label(callback.collection) : 'the collection', scope: parent };
      }
      if (isImmediatelyInvoked(parent)) continue;
      const field = perParentField(parent);
      return field ? { type: 'resolver', field, collection: field.typeName, scope: parent } : undefined;
    }
    if (isLoop(parent) && isInLoopBody(parent, node)) {
      const collection = iteratedCollectionOf(parent, smallLiteral, context);
      if (collection) return { type: 'loop', loop: parent, collection, scope: parent };
      // Retry, polling and pagination loops are not per-element; an enclosing collection loop still is.
    }
  }
  return undefined;
}

/**
 * The GraphQL field a function resolves when it runs once per parent object: a field of an object
 * type (not `Query`, `Mutation`, `Subscription`, nor `Viewer`-like types resolved once per request)
 * in a resolver map or a resolver class, or an
 * Apollo Federation entity's `__resolveReference`, which runs once per reference a gateway resolves
 * (other `__`-named entries such as `__resolveType` read no data).
 */
function perParentField(fn: ts.Node): ResolverField | undefined {
  const field = resolverMapField(fn) ?? resolverClassField(fn) ?? pothosEntityResolver(fn);
  if (!field || ROOT_TYPES.has(field.typeName) || PER_REQUEST_TYPES.has(field.typeName)) return undefined;
  return !field.fieldName.startsWith('__') || field.fieldName === ENTITY_RESOLVER ? field : undefined;
}

/** Types conventionally resolved once per request (the signed-in user's entry point), never in a list. */
const PER_REQUEST_TYPES = new Set(['Viewer', 'Me', 'CurrentUser']);

const ENTITY_RESOLVER = '__resolveReference';

function insideDataLoaderBatch(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current) && isDataLoaderBatch(current)) return true;
  return false;
}

function isDataLoaderBatch(fn: ts.Node): boolean {
  const parent = skipParens(fn).parent;
  if (!parent || !ts.isNewExpression(parent)) return false;
  const callee = skipOuterExpressions(parent.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return /^data-?loader$/i.test(name);
}

const BATCH_WORD = /chunk|batch/i;

/** Iterating chunks of a collection (`for (const batch of chunk(ids, 500))`): each query already covers many elements. */
function isBatchIteration(collection: ts.Expression | undefined, element: ts.BindingName | undefined): boolean {
  if (element && ts.isIdentifier(element) && BATCH_WORD.test(element.text)) return true;
  if (!collection) return false;
  const inner = skipOuterExpressions(collection);
  if (ts.isCallExpression(inner)) {
    const callee = skipOuterExpressions(inner.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isBinaryExpression(callee) && ts.isPropertyAccessExpression(skipOuterExpressions(callee.right)) ? (skipOuterExpressions(callee.right) as ts.PropertyAccessExpression).name.text : '';
    if (BATCH_WORD.test(name)) return true;
  }
  return ts.isIdentifier(inner) && BATCH_WORD.test(inner.text);
}

/**
 * A literal array (or a const bound to one, or to a call of a workspace function that returns one:
 * `const MIGRATIONS = getMigrations(schema)`) with at most `limit` elements and no spread.
 */
function isSmallLiteral(expression: ts.Expression, limit: number, context: DbContext): boolean {
  let inner = skipOuterExpressions(expression);
  if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && ts.isIdentifier(inner.expression.expression) && inner.expression.expression.text === 'Object' && inner.arguments.length === 1) {
    inner = skipOuterExpressions(inner.arguments[0]);
  }
  if (ts.isIdentifier(inner)) {
    const binding = resolveIdentifier(inner);
    if (binding?.kind !== 'const' || !ts.isVariableDeclaration(binding.declaration) || !binding.declaration.initializer) return false;
    // `const items = []; … items.push(row)`: filled later, its literal says nothing about its size
    if (mayBeFilled(binding)) return false;
    inner = skipOuterExpressions(binding.declaration.initializer);
  }
  if (ts.isCallExpression(inner)) {
    const fn = resolveWorkspaceFunction(inner.expression, context)?.node ?? calledFunction(inner.expression, context);
    return fn !== undefined && returnsSmallLiteral(fn, limit);
  }
  return isSmallLiteralNode(inner, limit);
}

const FILLING_METHODS = new Set(['push', 'unshift', 'splice', 'set', 'add', 'fill', 'copyWithin']);
const NON_FILLING_CALLS = new Set(['Object.keys', 'Object.values', 'Object.entries', 'Array.from', 'Array.isArray', 'JSON.stringify', 'Promise.all', 'Promise.allSettled']);

/**
 * Whether a `const` collection may gain elements after its initialiser: a filling method
 * (`push`, `set`…), an element written (`xs[i] = …`), `Object.assign(xs, …)`, or the collection
 * handed to a function (which may fill it).
 */
function mayBeFilled(binding: Binding): boolean {
  return referencesOf(binding).some((reference) => {
    if (reference === binding.identifier) return false;
    const parent = reference.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === reference) {
      return FILLING_METHODS.has(parent.name.text) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent;
    }
    if (ts.isElementAccessExpression(parent) && parent.expression === reference) {
      const outer = parent.parent;
      return ts.isBinaryExpression(outer) && outer.left === parent && outer.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && outer.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
    }
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.some((a) => skipOuterExpressions(a) === reference)) {
      return !NON_FILLING_CALLS.has(parent.expression.getText());
    }
    return false;
  });
}

/**
 * The function a plain name calls, declared here or exported by another workspace module (engine/db
 * follows only modules that may hold a database value; a list of migrations does not).
 */
function calledFunction(callee: ts.Expression, context: DbContext): ts.SignatureDeclaration | undefined {
  const inner = skipOuterExpressions(callee);
  let binding = ts.isIdentifier(inner) ? resolveIdentifier(inner) : undefined;
  if (binding && ts.isImportSpecifier(binding.declaration)) binding = importedDeclaration(context.project, binding.declaration, context.path);
  return binding ? functionOfBinding(binding) : undefined;
}

/** Whether every value a function returns is a small literal (at least one; an arrow's expression body counts). */
function returnsSmallLiteral(fn: ts.SignatureDeclaration, limit: number): boolean {
  const body = (fn as { body?: ts.Node }).body;
  if (!body) return false;
  if (!ts.isBlock(body)) return isSmallLiteralNode(skipOuterExpressions(body as ts.Expression), limit);
  let returns = 0;
  let small = true;
  const visit = (node: ts.Node): void => {
    if (!small || isFunctionNode(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) {
      returns++;
      if (!node.expression || !isSmallLiteralNode(skipOuterExpressions(node.expression), limit)) small = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return small && returns > 0;
}

function isSmallLiteralNode(inner: ts.Expression, limit: number): boolean {
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.length <= limit && !inner.elements.some(ts.isSpreadElement);
  if (ts.isObjectLiteralExpression(inner)) return inner.properties.length <= limit && !inner.properties.some(ts.isSpreadAssignment);
  return false;
}

const iterated = new ContextMemo<LoopNode, { smallLiteral: number; collection: string | undefined }>();

/** `iteratedCollection`, once per loop: every call inside a loop asks about it. */
function iteratedCollectionOf(loop: LoopNode, smallLiteral: number, context: DbContext): string | undefined {
  const known = iterated.get(loop);
  if (known && known.smallLiteral === smallLiteral) return known.collection;
  const collection = iteratedCollection(loop, smallLiteral, context);
  iterated.set(loop, { smallLiteral, collection });
  return collection;
}

/** The collection a loop iterates, or undefined for loops that do not iterate one (retry, polling, pagination). */
function iteratedCollection(loop: LoopNode, smallLiteral: number, context: DbContext): string | undefined {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) {
    if (isSmallLiteral(loop.expression, smallLiteral, context)) return undefined;
    const init = loop.initializer;
    const element = ts.isVariableDeclarationList(init) && init.declarations.length === 1 ? init.declarations[0].name : undefined;
    if (isBatchIteration(loop.expression, element)) return undefined;
    return label(loop.expression);
  }
  if (ts.isForStatement(loop)) {
    const bound = loop.condition && lengthBound(loop.condition);
    // `i += chunkSize` walks the collection in batches: that is the fix, not the defect.
    if (!bound || !isUnitStep(loop.incrementor) || isSmallLiteral(bound, smallLiteral, context)) return undefined;
    return label(bound);
  }
  // while/do: only loops that drain a collection (`while (queue.length) { const x = queue.shift(); … }`).
  const condition = skipOuterExpressions(loop.expression);
  const drained = drainedCollection(condition, loop.statement);
  return drained ? label(drained) : undefined;
}

/** `i++`, `++i`, `i--`, `i += 1`, `i -= 1`. */
function isUnitStep(incrementor: ts.Expression | undefined): boolean {
  if (!incrementor) return false;
  const inner = skipOuterExpressions(incrementor);
  if (ts.isPostfixUnaryExpression(inner) || ts.isPrefixUnaryExpression(inner)) return true;
  if (ts.isBinaryExpression(inner) && (inner.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken || inner.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken)) {
    const step = skipOuterExpressions(inner.right);
    return ts.isNumericLiteral(step) && step.text === '1';
  }
  return false;
}

/** A short label for a collection; compiled `(_a = x) !== null && _a !== void 0 ? _a : []` reads as `x`. */
function label(expression: ts.Expression): string {
  const inner = skipOuterExpressions(expression);
  if (ts.isConditionalExpression(inner)) {
    const condition = skipOuterExpressions(inner.condition);
    if (ts.isBinaryExpression(condition) && condition.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
      const left = skipOuterExpressions(condition.left);
      if (ts.isBinaryExpression(left)) {
        const assigned = skipOuterExpressions(left.left);
        if (ts.isBinaryExpression(assigned) && assigned.operatorToken.kind === ts.SyntaxKind.EqualsToken) return shortText(assigned.right);
      }
    }
  }
  if (ts.isBinaryExpression(inner) && (inner.operatorToken.kind === ts.SyntaxKind.BarBarToken || inner.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) return shortText(inner.left);
  return shortText(inner);
}

/** `i < xs.length` → `xs` (also `.size`, `>`/`<=`/`!==`). */
function lengthBound(condition: ts.Expression): ts.Expression | undefined {
  const inner = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(inner)) return undefined;
  const op = inner.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return lengthBound(inner.left) ?? lengthBound(inner.right);
  if (![ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(op)) return undefined;
  for (const side of [inner.right, inner.left]) {
    const s = skipOuterExpressions(side);
    if (ts.isPropertyAccessExpression(s) && (s.name.text === 'length' || s.name.text === 'size')) return s.expression;
  }
  return undefined;
}

/** The collection a while/do loop drains with shift/pop (named in the condition and consumed in the loop). */
function drainedCollection(condition: ts.Expression, body: ts.Statement): ts.Expression | undefined {
  let candidate: ts.Expression | undefined;
  const visitCondition = (node: ts.Node): void => {
    if (candidate) return;
    if (ts.isPropertyAccessExpression(node) && (node.name.text === 'length' || node.name.text === 'size')) candidate = node.expression;
    else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(shift|pop)$/.test(node.expression.name.text)) candidate = node.expression.expression;
    else ts.forEachChild(node, visitCondition);
  };
  visitCondition(condition);
  if (!candidate) return undefined;
  const name = candidate.getText();
  if (/(shift|pop)\(\)/.test(condition.getText()) && condition.getText().includes(name)) return candidate;
  let consumed = false;
  const visitBody = (node: ts.Node): void => {
    if (consumed) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(shift|pop|splice)$/.test(node.expression.name.text) && node.expression.expression.getText() === name) consumed = true;
    else ts.forEachChild(node, visitBody);
  };
  visitBody(body);
  return consumed ? candidate : undefined;
}

/** True when the loop ends right after the call: it is returned/thrown, or an unconditional return/break/throw follows it. */
function exitsAfter(node: ts.Node, loop: LoopNode): boolean {
  let crossedBreakTarget = false;
  for (let current: ts.Node = node; current.parent && current !== loop; current = current.parent) {
    const parent: ts.Node = current.parent;
    if (isFunctionNode(parent)) return false;
    if (ts.isReturnStatement(parent) || ts.isThrowStatement(parent)) return true;
    if (ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      const statements = parent.statements;
      const index = statements.indexOf(current as ts.Statement);
      for (let i = index + 1; i < statements.length; i++) {
        const statement = statements[i];
        if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
        if (ts.isBreakStatement(statement) && !statement.label && !crossedBreakTarget) return true;
      }
    }
    if (parent !== loop && (isLoop(parent) || ts.isSwitchStatement(parent) || ts.isCaseBlock(parent))) crossedBreakTarget = true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Sequential or concurrent, loop-invariant, and the report.

/** True when `node` is awaited before the iteration moves on. */
function awaitedInIteration(node: ts.Node, scope: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current && current !== scope; current = current.parent) {
    if (ts.isAwaitExpression(current) || (ts.isYieldExpression(current) && isAwaiterYield(current))) return true;
    if (ts.isForOfStatement(current) && current.awaitModifier) return true;
    // `await new Promise((resolve) => q(…, callback))`: the promise's executor runs the query, the loop awaits it
    if (isFunctionNode(current) && !(isImmediatelyInvoked(current) && ts.isNewExpression(skipParens(current).parent))) return false;
  }
  return false;
}

/**
 * The concurrency a p-map-like helper is given, when it is a literal: `async.mapLimit(items, 5, fn)`,
 * `pMap(items, fn, { concurrency: 5 })`, Bluebird's `Promise.map(items, fn, { concurrency: 5 })`,
 * tiny-async-pool's `asyncPool(5, items, fn)`.
 */
function concurrencyLimit(callback: PerItemCallback): number | undefined {
  const args = callback.call.arguments;
  const literal = (e: ts.Expression | undefined) => {
    const inner = e && skipOuterExpressions(e);
    return inner && ts.isNumericLiteral(inner) ? Number(inner.text) : undefined;
  };
  if (/Limit$/.test(callback.method)) return literal(args[1]);
  if (callback.method === 'asyncPool') return literal(args[0]);
  const options = args[args.indexOf(callback.callback as ts.Expression) + 1];
  const object = options && skipOuterExpressions(options);
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  const property = object.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'concurrency');
  return property ? literal(property.initializer) : undefined;
}

function skipParens(node: ts.Node): ts.Node {
  let outer = node;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  return outer;
}

/** A `yield` in the generator TypeScript's down-levelled `async` hands to `__awaiter` (tslib's or its inlined helper): an `await`. */
function isAwaiterYield(expression: ts.YieldExpression): boolean {
  let fn: ts.Node | undefined = expression.parent;
  while (fn && !isFunctionNode(fn)) fn = fn.parent;
  if (!fn || !ts.isFunctionExpression(fn) || !fn.asteriskToken || !ts.isCallExpression(fn.parent)) return false;
  let callee = skipOuterExpressions(fn.parent.expression);
  if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken) callee = skipOuterExpressions(callee.right);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return name === '__awaiter';
}

function isAsyncFunction(fn: ts.Node): boolean {
  return (ts.getModifiers(fn as ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** `reduce(async (prev, x) => { await prev; … })`: each element waits for the previous one. */
function chainsAccumulator(callback: PerItemCallback): boolean {
  if (callback.method !== 'reduce' && callback.method !== 'reduceRight') return false;
  const first = callback.callback.parameters[0];
  if (!first || !ts.isIdentifier(first.name)) return false;
  const binding = resolveIdentifier(first.name);
  return !!binding && referencesOf(binding).some((ref) => ts.isAwaitExpression(skipParents(ref)));
}

function skipParents(node: ts.Node): ts.Node {
  let current = node.parent;
  while (current && (ts.isParenthesizedExpression(current) || ts.isAsExpression(current))) current = current.parent;
  return current;
}

function isSequential(node: ts.Node, iteration: Iteration): boolean {
  if (iteration.type === 'loop') return awaitedInIteration(node, iteration.loop);
  if (iteration.type === 'resolver') return false;
  const { callback } = iteration;
  if (SEQUENTIAL_HELPERS.has(callback.method)) return true;
  if (chainsAccumulator(callback)) return true;
  return false;
}

/** True when nothing in the call depends on the element: no binding declared in the iteration, no variable assigned in it. */
function isLoopInvariant(node: ts.Node | ts.Node[], scope: ts.Node, counts: (binding: Binding) => boolean = () => true): boolean {
  if (Array.isArray(node)) return node.every((part) => isLoopInvariant(part, scope, counts));
  let dependent = false;
  const inScope = (n: ts.Node) => n.pos >= scope.pos && n.end <= scope.end;
  const assignedInScope = (binding: Binding): boolean => binding.kind !== 'const' && writesOf(binding).some(inScope);
  const visit = (n: ts.Node): void => {
    if (dependent) return;
    if (ts.isIdentifier(n)) {
      const parent = n.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.name === n) return;
      if ((ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) && parent.name === n && ts.isPropertyAssignment(parent)) return;
      const binding = resolveIdentifier(n);
      if (binding && counts(binding) && (inScope(binding.declaration) || assignedInScope(binding))) dependent = true;
      return;
    }
    if (n.kind === ts.SyntaxKind.ThisKeyword) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return !dependent;
}

const writes = new ContextMemo<Binding, ts.Identifier[]>();

/** The references that assign or increment the binding: once per binding, not per reported call (a client is referenced hundreds of times). */
function writesOf(binding: Binding): ts.Identifier[] {
  let found = writes.get(binding);
  if (!found) {
    found = referencesOf(binding).filter((ref) => {
      const parent = skipParents(ref);
      return (ts.isBinaryExpression(parent) && parent.left === ref && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) || ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent);
    });
    writes.set(binding, found);
  }
  return found;
}

function isSameTickPrismaFindUnique(db: DbCall, node: ts.Node, iteration: Iteration): boolean {
  if (db.library !== 'prisma' || db.operation !== 'findUnique' || iteration.type !== 'callback') return false;
  const fn = iteration.callback.callback;
  if (!isAsyncFunction(fn)) return true;
  // Batched only when issued in the same tick: nothing awaited before it in the callback.
  let awaitedBefore = false;
  const visit = (n: ts.Node): void => {
    if (awaitedBefore || isFunctionNode(n)) return;
    if (ts.isAwaitExpression(n) && n.end <= node.getStart()) awaitedBefore = true;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return !awaitedBefore;
}

const READ_KINDS = new Set(['read', 'list', 'aggregate']);

/** Whether `scope` (a loop's or callback's body) runs a database write of its own. */
function writesIn(scope: ts.Node, context: RuleContext): boolean {
  const visit = (node: ts.Node): boolean => {
    if ((ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) && classifyDbCall(node, context)?.kind === 'write') return true;
    return ts.forEachChild(node, visit) === true;
  };
  return visit(scope);
}

/** What to do instead; a write or cache call through a workspace function (`indirect`, its name) needs a batched form of that function. */
function advice(db: DbCall, indirect: string | undefined): string {
  // a helper that already sends one batched command for the keys it is given (`mGet(keys)`, `WHERE id = ANY($1)`)
  if (indirect && (/^(?:mget|hmget|mGet|hmGet)$/.test(db.operation) || (db.kind === 'raw' && /\bin\s*\(|=\s*any\s*\(/i.test(sqlTextOfCall(db.node)?.text ?? '')))) {
    return `Collect the keys of all elements and call \`${indirect}\` once (it already batches the keys it is given)`;
  }
  const through = indirect ? ` (a batched form of \`${indirect}\`)` : '';
  if (db.library === 'bullmq' && db.operation === 'add' && !indirect) return 'Add all jobs with one `addBulk` call';
  if (db.kind === 'write') return `Write all elements with one batched statement${through || ' (createMany, insert of many rows, updateMany with `in`)'}`;
  if (db.kind === 'cache') return `Fetch all keys with one command${through || ' (MGET, HMGET, a pipeline)'}`;
  // raw SQL: what the statement does decides the batched form
  const statement = !indirect && db.kind === 'raw' ? sqlTextOfCall(db.node)?.text.trimStart() : undefined;
  if (statement && /^(?:insert|update|delete|upsert|merge|replace)\b/i.test(statement)) return 'Write all elements with one statement (a multi-row `INSERT`, `UPDATE … WHERE id = ANY($1)`)';
  if (statement && /^(?:alter|create|drop)\b/i.test(statement)) return 'Make the schema changes in one statement (one `ALTER TABLE` with several clauses) or one transaction';
  // raw SQL held where it cannot be read (`this.SQL.UPSERT_BLOBS`): a read or a write alike
  if (!indirect && db.kind === 'raw' && statement === undefined) return 'Run one statement for all elements (one read with `IN`/`ANY`, or a multi-row write)';
  return 'Load the rows for all elements with one query';
}

function report(context: RuleContext, candidate: Candidate, iteration: Iteration): void {
  if (iteration.type === 'resolver') return reportPerParent(context, candidate, iteration);
  const { node, db, indirect } = candidate;
  const sequential = isSequential(node, iteration);
  // Redis commands sent at once share one connection and are pipelined on it (ioredis and
  // node-redis write each command without waiting for the previous reply): one round trip, no pool.
  if (!sequential && (db.library === 'redis' || db.library === 'bullmq')) return;
  const where = iteration.type === 'loop' ? `once per element of \`${iteration.collection}\`` : `once per element of \`${iteration.collection}\` (in \`${iteration.callback.method}\`)`;
  const subject = indirect ? `\`${indirect.name}(…)\`, which runs \`${db.label}\`,` : `\`${db.label}\``;
  const verb = indirect ? 'is called' : 'runs';
  // (a read the same body writes to between iterations is not the same read each time: no hoisting)
  const invariant = isLoopInvariant(node, iteration.scope) && (READ_KINDS.has(db.kind) || indirect !== undefined) && !writesIn(iteration.scope, context);
  const batchedFindUnique = !indirect && !sequential && isSameTickPrismaFindUnique(db, node, iteration);
  let message: string;
  if (invariant) {
    message = `${subject} ${verb} with the same arguments ${where}: nothing in it depends on the element, so hoist it out of the ${iteration.type === 'loop' ? 'loop' : 'callback'} and run it once.`;
  } else if (batchedFindUnique) {
    message = `${subject} runs ${where} in the same tick; Prisma batches these findUnique calls into one query, so the cost is lower, but one \`findMany\` with \`in\` says so explicitly.`;
  } else if (sequential) {
    message = `${subject} ${verb} ${where}, awaited one after another: 1 + N round trips. ${advice(db, indirect?.name)} before the loop.`;
  } else {
    // a transaction (or a pg-promise task) holds one connection: its queries wait for each other there
    const limit = iteration.type === 'callback' ? concurrencyLimit(iteration.callback) : undefined;
    const atOnce = limit !== undefined ? `N queries, ${limit} at a time,` : 'N queries at once';
    // a transaction, a pg-promise task or a single connection (`new pg.Client()`, a checked-out `PoolClient`) runs one query at a time
    const oneConnection = !indirect && (db.receiverValue.kind === 'transaction' || db.receiverValue.kind === 'connection');
    const contention = oneConnection ? `${atOnce} queue on ${db.receiverValue.kind === 'transaction' ? "the transaction's" : 'its'} one connection` : `${atOnce} compete for the connection pool`;
    message = `${subject} ${verb} ${where} concurrently: ${contention}. ${advice(db, indirect?.name)}.`;
  }
  if (db.confidence === 'heuristic') message += NAME_ONLY_NOTE;
  const related: RelatedDescriptor[] = [];
  related.push(
    iteration.type === 'loop'
      ? { node: loopHeader(iteration.loop), message: `the loop over \`${iteration.collection}\`` }
      : { node: iteration.callback.call.expression, message: `the per-element callback of \`${iteration.callback.method}\`` },
  );
  if (indirect) {
    const sourceFile = indirect.context.sourceFile!;
    related.push({ path: indirect.context.path, range: { start: db.node.getStart(sourceFile), end: db.node.getEnd() }, message: `the query inside \`${indirect.name}\`` });
  }
  let demote = 0;
  if (db.confidence === 'heuristic') demote++;
  if (batchedFindUnique) demote++;
  const fixes = !indirect && !invariant && iteration.type === 'loop' && sequential && db.confidence === 'binding' ? fixesFor(context, db, iteration) : [];
  context.report({ node, message, related, fixes, ...(demote > 0 ? { demote: Math.min(demote, 2) as 1 | 2 } : {}) });
}

/**
 * A query in a field resolver of an object type: GraphQL runs it once per object of that type in a
 * result, all at once (a list of N users: 1 + N queries). Not reported: Prisma's `findUnique` (and
 * its fluent relation reads, `findUnique(…).posts()`), which Prisma batches when issued in the same
 * tick, as GraphQL issues sibling resolvers; Redis commands, pipelined on one connection.
 */
function reportPerParent(context: RuleContext, candidate: Candidate, iteration: Extract<Iteration, { type: 'resolver' }>): void {
  const { node, db, indirect } = candidate;
  if (db.library === 'redis' || db.library === 'bullmq') return;
  if (db.library === 'prisma' && /^findUnique(?:OrThrow)?$/.test(db.operation)) return;
  const { typeName, fieldName } = iteration.field;
  const subject = indirect ? `\`${indirect.name}(…)\`, which runs \`${db.label}\`,` : `\`${db.label}\``;
  const verb = indirect ? 'is called' : 'runs';
  const where = fieldName === ENTITY_RESOLVER ? `once per \`${typeName}\` reference a gateway resolves (the entity resolver \`${typeName}.${fieldName}\`)` : `once per \`${typeName}\` in a result (the field resolver \`${typeName}.${fieldName}\`)`;
  // Only the parent object differs between the calls: the arguments and the context are the same for every parent.
  const fn = iteration.scope as FunctionNode;
  const parent = parentParameter(fn);
  const varies = (binding: Binding) => {
    const root = declarationRoot(binding.declaration);
    return !(ts.isParameter(root) && root.parent === fn && root !== parent);
  };
  const reads = READ_KINDS.has(db.kind) || indirect !== undefined || (db.kind === 'raw' && /^\s*(?:select|with)\b/i.test(rawSql(db) ?? ''));
  const invariant = isLoopInvariant(node, iteration.scope, varies) && reads;
  const entity = fieldName === ENTITY_RESOLVER;
  const parentModel = typeName.charAt(0).toLowerCase() + typeName.slice(1);
  const batch =
    db.library !== 'prisma' || indirect
      ? ''
      : entity
        ? ', or look it up with `findUnique` (Prisma batches the findUnique calls of one tick into one query)'
        : `, or read it through the parent (\`prisma.${parentModel}.findUnique({ where: { id: parent.id } }).${fieldName}()\`: Prisma batches the findUnique calls of one tick into one query)`;
  let message = invariant
    ? `${subject} ${verb} with the same arguments ${where}: a list of N ${typeName} objects repeats it N times. Load it once per request (a DataLoader or the request context).`
    : `${subject} ${verb} ${where}: resolving a list of N ${typeName} objects costs 1 + N queries. Batch it with a DataLoader created per request and keyed by the ${entity ? "reference's" : "parent's"} id${batch}.`;
  if (db.confidence === 'heuristic') message += NAME_ONLY_NOTE;
  const related: RelatedDescriptor[] = [{ node: iteration.field.nameNode, message: `the ${fieldName === ENTITY_RESOLVER ? 'entity' : 'field'} resolver \`${typeName}.${fieldName}\`, run once per \`${typeName}\`` }];
  if (indirect) {
    const sourceFile = indirect.context.sourceFile!;
    related.push({ path: indirect.context.path, range: { start: db.node.getStart(sourceFile), end: db.node.getEnd() }, message: `the query inside \`${indirect.name}\`` });
  }
  context.report({ node, message, related, fixes: [], ...(db.confidence === 'heuristic' ? { demote: 1 as const } : {}) });
}

/** The loop keyword through the closing parenthesis of its header (`for (const x of xs)`). */
function loopHeader(loop: LoopNode): ts.Node {
  return ts.isDoStatement(loop) ? loop.expression : 'expression' in loop && loop.expression ? loop.expression : loop;
}

// ---------------------------------------------------------------------------------------------
// Fixes: exactly recognised shapes only.

interface LoopShape {
  loop: ts.ForOfStatement;
  element: ts.Identifier;
  items: ts.Expression;
  indent: string;
  newline: string;
}

function fixesFor(context: RuleContext, db: DbCall, iteration: Extract<Iteration, { type: 'loop' }>): Fix[] {
  const shape = loopShape(context, iteration.loop);
  if (!shape || enclosedByIteration(shape.loop, context)) return [];
  const fix = prismaLookupFix(context, db, shape) ?? prismaCreateManyFix(db, shape) ?? drizzleInArrayFix(context, db, shape);
  return fix ? [fix] : [];
}

function enclosedByIteration(loop: ts.Node, context: DbContext): boolean {
  return findIteration(loop, 0, context) !== undefined;
}

/** `for (const el of items)` over an array (known from its declaration), as a statement of a block. */
function loopShape(context: RuleContext, loop: LoopNode): LoopShape | undefined {
  if (!ts.isForOfStatement(loop) || loop.awaitModifier) return undefined;
  const init = loop.initializer;
  if (!ts.isVariableDeclarationList(init) || !(init.flags & ts.NodeFlags.Const) || init.declarations.length !== 1) return undefined;
  const element = init.declarations[0].name;
  if (!ts.isIdentifier(element)) return undefined;
  if (!ts.isBlock(loop.parent) && !ts.isSourceFile(loop.parent) && !ts.isCaseClause(loop.parent)) return undefined;
  const items = skipOuterExpressions(loop.expression);
  if (!ts.isIdentifier(items) && !ts.isPropertyAccessExpression(items)) return undefined;
  if (!isKnownArray(items, context)) return undefined;
  return { loop, element, items, indent: indentationAt(context.text, loop.getStart()), newline: newlineOf(context.text) };
}

/** The expression is an array: declared with an array type, an array literal, `.map/.filter` result, or a list query result. */
function isKnownArray(expression: ts.Expression, context: RuleContext): boolean {
  const inner = skipOuterExpressions(expression);
  if (!ts.isIdentifier(inner)) return false;
  const binding = resolveIdentifier(inner);
  if (!binding) return false;
  const declaration = binding.declaration;
  const type = (ts.isVariableDeclaration(declaration) || ts.isParameter(declaration)) ? declaration.type : undefined;
  if (type && (ts.isArrayTypeNode(type) || (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && /^(Array|ReadonlyArray)$/.test(type.typeName.text)) || (ts.isTypeOperatorNode(type) && ts.isArrayTypeNode(type.type)))) return true;
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const init = skipOuterExpressions(declaration.initializer);
  if (ts.isArrayLiteralExpression(init)) return true;
  const value = ts.isAwaitExpression(init) ? skipOuterExpressions(init.expression) : init;
  if (ts.isCallExpression(value)) {
    if (ts.isPropertyAccessExpression(value.expression) && /^(map|filter|flatMap|slice|concat)$/.test(value.expression.name.text) && !ts.isAwaitExpression(init)) return true;
    const call = classifyDbCall(value, context);
    if (call && call.kind === 'list' && call.library === 'prisma' && ts.isAwaitExpression(init)) return true;
  }
  return false;
}

function freshName(text: string, base: string): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}${i}`;
    if (!containsWord(text, name)) return name;
  }
}

function lowerFirst(name: string): string {
  return name ? name[0].toLowerCase() + name.slice(1) : name;
}

function upperFirst(name: string): string {
  return name ? name[0].toUpperCase() + name.slice(1) : name;
}

/** `el` or `el.a.b` (no calls, no optional chaining). */
function isElementPath(expression: ts.Expression, element: ts.Identifier): boolean {
  const inner = skipOuterExpressions(expression);
  if (ts.isIdentifier(inner)) return inner.text === element.text && resolveIdentifier(inner)?.identifier === element;
  return ts.isPropertyAccessExpression(inner) && !inner.questionDotToken && ts.isIdentifier(inner.name) && isElementPath(inner.expression, element);
}

function mapOver(shape: LoopShape, value: ts.Expression): string {
  const valueText = skipOuterExpressions(value).getText();
  const itemsText = shape.items.getText();
  return valueText === shape.element.text ? itemsText : `${itemsText}.map((${shape.element.text}) => ${valueText})`;
}

function awaitOf(node: ts.Node): ts.AwaitExpression | undefined {
  let current = node.parent;
  while (current && ts.isParenthesizedExpression(current)) current = current.parent;
  return current && ts.isAwaitExpression(current) ? current : undefined;
}

/** The properties of an object literal (plain `key: value` and shorthand only), when all keys are allowed. */
function simpleProperty(object: ts.ObjectLiteralExpression, allowed?: Set<string>): Map<string, ts.Expression> | undefined {
  const result = new Map<string, ts.Expression>();
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name)) result.set(property.name.text, property.initializer);
    else if (ts.isShorthandPropertyAssignment(property)) result.set(property.name.text, property.name);
    else return undefined;
  }
  if (allowed) for (const key of result.keys()) if (!allowed.has(key)) return undefined;
  return result;
}

/** `await prisma.user.findUnique({ where: { id: el.userId } })` → one findMany before the loop + a Map lookup. */
function prismaLookupFix(context: RuleContext, db: DbCall, shape: LoopShape): Fix | undefined {
  if (db.library !== 'prisma' || db.receiverValue.kind !== 'delegate' || (db.operation !== 'findUnique' && db.operation !== 'findFirst')) return undefined;
  const call = db.node;
  if (!ts.isCallExpression(call) || call.arguments.length !== 1 || !db.argumentsObject || skipOuterExpressions(call.arguments[0]) !== db.argumentsObject) return undefined;
  const awaited = awaitOf(call);
  if (!awaited) return undefined;
  const args = simpleProperty(db.argumentsObject, new Set(['where', 'include']));
  const where = args?.get('where');
  if (!args || !where || !ts.isObjectLiteralExpression(skipOuterExpressions(where))) return undefined;
  const whereProps = simpleProperty(skipOuterExpressions(where) as ts.ObjectLiteralExpression);
  if (!whereProps || whereProps.size !== 1) return undefined;
  const [[field, value]] = [...whereProps];
  if (field.includes('_') || !isElementPath(value, shape.element)) return undefined;
  const model = db.model ?? 'Row';
  const mapName = freshName(context.text, `${lowerFirst(model)}By${upperFirst(field)}`);
  const receiver = db.receiver.getText();
  const include = args.get('include');
  const includeText = include ? `, include: ${include.getText()}` : '';
  const hoisted = `const ${mapName} = new Map((await ${receiver}.findMany({ where: { ${field}: { in: ${mapOver(shape, value)} } }${includeText} })).map((row) => [row.${field}, row]));${shape.newline}${shape.indent}`;
  const lookup = `${mapName}.get(${skipOuterExpressions(value).getText()}) ?? null`;
  const parent = awaited.parent;
  const bare = ts.isVariableDeclaration(parent) || ts.isReturnStatement(parent) || (ts.isCallExpression(parent) && parent.arguments.includes(awaited)) || ts.isPropertyAssignment(parent);
  const start = shape.loop.getStart();
  return {
    kind: 'suggestion',
    title: `Load every ${model} with one findMany before the loop and look it up in a Map`,
    edits: [
      { start, end: start, text: hoisted },
      { start: awaited.getStart(), end: awaited.getEnd(), text: bare ? lookup : `(${lookup})` },
    ],
  };
}

function containsObjectOrArray(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isObjectLiteralExpression(n) || ts.isArrayLiteralExpression(n) || ts.isSpreadAssignment(n) || isFunctionNode(n) || ts.isAwaitExpression(n)) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** A loop whose whole body is `await prisma.x.create({ data: {…} })` → one createMany. */
function prismaCreateManyFix(db: DbCall, shape: LoopShape): Fix | undefined {
  if (db.library !== 'prisma' || db.receiverValue.kind !== 'delegate' || db.operation !== 'create') return undefined;
  const call = db.node;
  if (!ts.isCallExpression(call) || call.arguments.length !== 1 || !db.argumentsObject) return undefined;
  const awaited = awaitOf(call);
  if (!awaited || !ts.isExpressionStatement(awaited.parent)) return undefined;
  const statement = awaited.parent;
  const body = shape.loop.statement;
  if (!(body === statement || (ts.isBlock(body) && body.statements.length === 1 && body.statements[0] === statement))) return undefined;
  const args = simpleProperty(db.argumentsObject, new Set(['data']));
  const data = args?.get('data');
  if (!data) return undefined;
  const dataObject = skipOuterExpressions(data);
  if (!ts.isObjectLiteralExpression(dataObject) || containsObjectOrArray(dataObject)) return undefined;
  const receiver = db.receiver.getText();
  const text = `await ${receiver}.createMany({ data: ${shape.items.getText()}.map((${shape.element.text}) => (${dataObject.getText()})) });`;
  return {
    kind: 'suggestion',
    title: `Insert all rows with one createMany (returns a count, not the created rows)`,
    edits: [{ start: shape.loop.getStart(), end: shape.loop.getEnd(), text }],
  };
}

function importedFrom(identifier: ts.Identifier, module: string, name: string): boolean {
  const binding = resolveIdentifier(identifier);
  if (!binding || !ts.isImportSpecifier(binding.declaration)) return false;
  const declaration = binding.declaration.parent.parent.parent;
  return ts.isStringLiteralLike(declaration.moduleSpecifier) && declaration.moduleSpecifier.text === module && (binding.declaration.propertyName ?? binding.declaration.name).text === name;
}

/** `await db.select().from(t).where(eq(t.col, el.x))` → one `inArray` query before the loop + an in-memory filter. */
function drizzleInArrayFix(context: RuleContext, db: DbCall, shape: LoopShape): Fix | undefined {
  if (db.library !== 'drizzle' || db.operation !== 'select' || !ts.isCallExpression(db.node)) return undefined;
  const root = db.rootCall as ts.CallExpression;
  if (root.arguments.length !== 0 || db.chain.length !== 2 || db.chain[0].name !== 'from' || db.chain[1].name !== 'where') return undefined;
  const table = db.chain[0].call.arguments[0];
  const condition = db.chain[1].call.arguments[0];
  if (db.chain[0].call.arguments.length !== 1 || db.chain[1].call.arguments.length !== 1 || !table || !ts.isIdentifier(table) || !condition) return undefined;
  const eqCall = skipOuterExpressions(condition);
  if (!ts.isCallExpression(eqCall) || !ts.isIdentifier(eqCall.expression) || !importedFrom(eqCall.expression, 'drizzle-orm', 'eq') || eqCall.arguments.length !== 2) return undefined;
  const [column, value] = eqCall.arguments;
  if (!ts.isPropertyAccessExpression(column) || !ts.isIdentifier(column.expression) || column.expression.text !== table.text || !isElementPath(value, shape.element)) return undefined;
  const awaited = awaitOf(db.node);
  if (!awaited) return undefined;
  // The inArray import: reuse one, or add it to the import that brings `eq`.
  const eqBinding = resolveIdentifier(eqCall.expression)!;
  const namedImports = (eqBinding.declaration as ts.ImportSpecifier).parent;
  const existing = namedImports.elements.find((e) => (e.propertyName ?? e.name).text === 'inArray');
  let inArrayName = existing?.name.text;
  const edits: Fix['edits'] = [];
  if (!inArrayName) {
    if (/\binArray\b/.test(context.text)) return undefined;
    inArrayName = 'inArray';
    const last = namedImports.elements[namedImports.elements.length - 1];
    edits.push({ start: last.getEnd(), end: last.getEnd(), text: `, inArray` });
  }
  const rowsName = freshName(context.text, `${lowerFirst(table.text)}Rows`);
  const valueText = skipOuterExpressions(value).getText();
  const hoisted = `const ${rowsName} = await ${db.receiver.getText()}.select().from(${table.text}).where(${inArrayName}(${column.getText()}, ${mapOver(shape, value)}));${shape.newline}${shape.indent}`;
  const start = shape.loop.getStart();
  edits.push({ start, end: start, text: hoisted });
  edits.push({ start: awaited.getStart(), end: awaited.getEnd(), text: `${rowsName}.filter((row) => row.${column.name.text} === ${valueText})` });
  edits.sort((a, b) => a.start - b.start);
  return {
    kind: 'suggestion',
    title: `Load the rows of every element with one inArray query before the loop and filter them in memory`,
    edits,
  };
}
