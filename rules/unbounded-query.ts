/**
 * unbounded-query: list queries with no upper bound on the rows they return — Prisma `findMany`
 * without `take` (and to-many `include`/`select` without `take`), Drizzle/Kysely/Knex builders
 * without `limit`, TypeORM `find`/query builders without `take`, MikroORM `find` and Sequelize
 * `findAll` without `limit`, Mongoose `find` without `.limit()`, raw `SELECT … FROM` without `LIMIT`.
 *
 * Database calls come from engine/db (`classifyDbCall`: bindings, not names); unique filters from
 * the workspace Prisma schema (engine/prisma `isUniqueFilter`).
 */
import * as ts from 'typescript';
import { classifyDbCall, fileMayUseDatabase, fileMayUseDatabaseText, NAME_ONLY_NOTE, type DbCall } from '../engine/db';
import { appendClauseEdit, endsAtTopLevel, readsSystemCatalog, selectShape, sqlTextOf, sqlTextOfCall } from '../engine/db/sql';
import { drizzleRelations, type DrizzleRelations } from '../engine/db/drizzle-relations';
import { isUniqueFilter, type ModelInfo } from '../engine/prisma/model';
import { schemaForSourceFile } from '../engine/prisma';
import { defineRule, type RuleContext } from '../engine/rule';
import type { Fix, TextEdit } from '../engine/types';
import { isFunctionNode, isInLoopBody, isLoop, objectProperty } from '../engine/ts/ast';
import { appendPropertyEdit, chainCallEdit, isClosed } from '../engine/ts/edits';
import { isOneOffPath } from '../engine/ts/modules';
import { initializerOf, referencesOf, resolveIdentifier, skipOuterExpressions, type Binding } from '../engine/ts/scope';

/** Chain steps that bound the rows of a builder. */
const CHAIN_BOUNDS = new Set(['limit', 'take', 'top', 'first', 'paginate', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'getOne', 'getOneOrFail', 'getRawOne', 'findOne', 'findFirst', 'get', 'pluck', 'countDocuments']);
/** Chain steps that run a builder: a `.limit()` goes before the first of them. */
const CHAIN_TERMINALS = new Set(['execute', 'getMany', 'getRawMany', 'getManyAndCount', 'getRawAndEntities', 'exec', 'toArray', 'then', 'all', 'run', 'values', 'stream', 'cursor', 'getResult', 'getResultList', 'lean']);
/** Steps of a builder that only make sense inside a batching loop. */
const PAGING_STEPS = new Set(['offset', 'skip']);
const PAGING_KEYS = ['skip', 'cursor', 'offset'];
/** `where` calls of a builder that pin an `id` column: `.where('id', x)`, `.where('u.id', '=', x)`, `.where('id', 'in', ids)`, `.where({ id })`, `.where('user.id = :id')`, `.where('o.id IN (:...ids)')`, `.where(eq(users.id, x))`, `.where(inArray(users.id, ids))`. */
const ID_WHERE = /^\s*(['"`](\w+\.)?id['"`]\s*,\s*(['"`](=|in)['"`]\s*,)?|\{\s*id\s*[:,}]|['"`](\w+\.)?id\s*=\s*[:?$@]|['"`](\w+\.)?id\s+[Ii][Nn]\s*\(\s*:\.\.\.|(eq|inArray)\(\s*[\w.]+\.id\s*,)/;


export default defineRule({
  id: 'unbounded-query',
  meta: {
    category: 'pagination',
    defaultSeverity: 'warning',
    description: 'List queries with no upper bound on the rows they return: `findMany` without `take`, builders without `limit`, `SELECT … FROM` without `LIMIT`.',
    fix: 'suggestion',
    languages: ['typescript'],
    // 7: pg-promise and libSQL queries; raw SQL pinned to a list of ids (`id IN (…)`, `= ANY($1)`) is bounded
    // 8: Blitz's enhanced Prisma class, `typeorm/index` imports, Mongoose's destructured `model`
    // 9: a driver callback's result read only as its first row is one row
    // 10: builders reading the catalog are introspection; Kysely chains on an untyped `db`/`trx` (name heuristic)
    // 11: a list read only as its first row in `.then` is one row (as with `await`) only when it has a condition;
    // pg-promise `db.map(sql, values, fn)` reads every row; a generic adapter's computed primary key (`[pk]`) pins ids;
    // a Mongoose query given a Node-style callback runs; `(await q).rows[0]` is one row; a LIMIT in a substitution
    // is optional (reported without a fix) or unknown (not reported); a Prisma client generated into the workspace
    version: 11,
  },
  mayReport: ({ project, path, text }) => !isOneOffPath(project.relative(path)) && fileMayUseDatabaseText(project, path, text),
  create(context) {
    if (isOneOffPath(context.project.relative(context.path))) return {};
    if (!fileMayUseDatabase(context)) return {};
    const visit = (node: ts.CallExpression | ts.TaggedTemplateExpression) => {
      if (ts.isCallExpression(node) && !worthClassifying(node)) return;
      const call = classifyDbCall(node, context);
      if (call && call.executes) check(context, call);
    };
    return { [ts.SyntaxKind.CallExpression]: visit, [ts.SyntaxKind.TaggedTemplateExpression]: visit };
  },
});

/** Operations that can read an unbounded list or run raw SQL when called directly on a database value. */
const DIRECT_OPERATIONS = new Set([
  'findMany', 'find', 'findAll', 'findAndCountAll', 'findAndCount', 'findBy', 'findAndCountBy', 'query', 'execute', 'raw', 'unsafe', 'all', '$queryRaw', '$queryRawUnsafe', 'getMany', 'getRawMany', 'getManyAndCount',
  // pg-promise's list methods (SQL text)
  'any', 'many', 'manyOrNone', 'each', 'result',
]);

/** Array/string/promise-plumbing methods that never end a query chain this rule checks. */
const NEVER_QUERY_STEPS = new Set(['map', 'filter', 'forEach', 'reduce', 'join', 'split', 'replace', 'toString', 'push', 'concat', 'some', 'every', 'includes', 'indexOf', 'slice', 'trim', 'toLowerCase', 'toUpperCase', 'startsWith', 'endsWith', 'entries', 'flat', 'flatMap', 'bind', 'call', 'apply', 'toISOString', 'getTime', 'toFixed', 'test', 'match', 'json', 'send', 'status', 'has', 'add', 'emit', 'log', 'resolve', 'reject', 'catch', 'finally', 'pipe', 'subscribe']);

/**
 * A cheap syntactic filter before `classifyDbCall` (which resolves bindings): chain ends
 * (`….where(…)`, builders are classified at their outermost call), and direct calls of the
 * operations this rule checks. Inner calls of a chain are skipped unless followed by `.then`.
 */
function worthClassifying(node: ts.CallExpression): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
    return /^(then|catch|finally)$/.test(parent.name.text);
  }
  const callee = skipOuterExpressions(node.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    // pg-promise's `db.map(sql, values, (row) => …)` reads every row; an array's `map` takes a function first
    if (callee.name.text === 'map') return node.arguments.length === 3 && !isFunctionNode(skipOuterExpressions(node.arguments[0]));
    if (NEVER_QUERY_STEPS.has(callee.name.text)) return false;
    return ts.isCallExpression(skipOuterExpressions(callee.expression)) || DIRECT_OPERATIONS.has(callee.name.text);
  }
  if (ts.isElementAccessExpression(callee)) return true;
  return false;
}

function check(context: RuleContext, call: DbCall): void {
  if (call.kind === 'raw') return checkRaw(context, call);
  if (call.kind !== 'list' || (reducedToOneRow(call.node) && hasCondition(call))) return;
  switch (call.library) {
    case 'prisma':
      if (call.operation === 'findMany') checkOptions(context, call, { argIndex: 0, bound: 'take' });
      return;
    case 'drizzle':
      if (call.operation === 'findMany') checkOptions(context, call, { argIndex: 0, bound: 'limit' });
      else if (/^select/.test(call.operation)) checkChain(context, call, 'limit');
      return;
    case 'kysely':
    case 'knex':
      return checkChain(context, call, 'limit');
    case 'typeorm': {
      if (call.operation === 'createQueryBuilder') return checkChain(context, call, 'take');
      const managerLike = call.receiverValue.kind === 'entity-manager' || call.receiverValue.kind === 'client';
      const argIndex = managerLike ? 1 : 0;
      if (call.operation === 'find' || call.operation === 'findAndCount') checkOptions(context, call, { argIndex, bound: 'take' });
      else if (call.operation === 'findBy' || call.operation === 'findAndCountBy') checkOptions(context, call, { argIndex, bound: 'take', whereOnly: true });
      return;
    }
    case 'mikro-orm': {
      if (call.operation === 'findByCursor') return;
      const manager = call.receiverValue.kind === 'entity-manager';
      if (call.operation === 'findAll') checkOptions(context, call, { argIndex: manager ? 1 : 0, bound: 'limit' });
      else checkOptions(context, call, { argIndex: manager ? 2 : 1, whereIndex: manager ? 1 : 0, bound: 'limit' });
      return;
    }
    case 'sequelize':
      return checkOptions(context, call, { argIndex: 0, bound: 'limit' });
    case 'mongoose':
    case 'mongodb':
      if (call.operation === 'find') checkMongo(context, call);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------

function pageSize(context: RuleContext): number {
  return context.settings.defaultPageSize;
}

function report(context: RuleContext, call: DbCall, node: ts.Node, message: string, fixes: Fix[]): void {
  const heuristic = call.confidence === 'heuristic';
  context.report({ node, message: heuristic ? message + NAME_ONLY_NOTE : message, demote: heuristic ? 1 : undefined, fixes });
}

function rowsOf(call: DbCall): string {
  return call.model ? `every matching \`${call.model}\` row` : 'every matching row';
}

function unboundedMessage(call: DbCall, bound: string, context: RuleContext): string {
  return `\`${call.label}\` has no ${bound}: it returns ${rowsOf(call)}, however many there are, so memory, serialisation and response time grow with the table. Add ${bound} (e.g. ${pageSize(context)}) and paginate.`;
}

/**
 * The caller only wants one row: `(await q)[0]`, `const [row] = await q`, `q.then((rows) => rows[0])`,
 * `const rows = await q` with `rows` only read as `rows[0]`/`rows.length`, or a driver callback's
 * result read so (`pool.query(sql, values, (err, result) => … result.rows[0])`).
 */
function reducedToOneRow(node: ts.Node): boolean {
  // callback style: `pool.query(sql, values, (err, result) => … result.rows[0] …)` (node-postgres, mysql2)
  if (ts.isCallExpression(node)) {
    const last = node.arguments[node.arguments.length - 1];
    const callback = last && skipOuterExpressions(last);
    if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && callback.parameters.length >= 2 && ts.isIdentifier(callback.parameters[1].name)) {
      const binding = resolveIdentifier(callback.parameters[1].name);
      if (binding && onlyFirstRowRead(binding)) return true;
    }
  }
  // `q.then((rows) => rows[0])`: asked about the `.then(…)` call, or about the query it continues
  const access = node.parent;
  const thenCall = ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'then' ? node : access && ts.isPropertyAccessExpression(access) && access.expression === node && access.name.text === 'then' && ts.isCallExpression(access.parent) && access.parent.expression === access ? access.parent : undefined;
  if (thenCall) {
    const callback = thenCall.arguments[0];
    if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && callback.parameters.length === 1 && ts.isIdentifier(callback.parameters[0].name)) {
      const binding = resolveIdentifier(callback.parameters[0].name);
      if (binding && onlyFirstRowRead(binding)) return true;
    }
  }
  let current: ts.Node = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAwaitExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  if (!parent) return false;
  if (ts.isElementAccessExpression(parent) && parent.expression === current && isZero(parent.argumentExpression)) return true;
  // `(await client.execute(…)).rows[0]`, `….rows?.[0]`
  if (ts.isPropertyAccessExpression(parent) && parent.expression === current && parent.name.text === 'rows' && firstRowAccess(parent)) return true;
  if (ts.isVariableDeclaration(parent) && ts.isArrayBindingPattern(parent.name) && parent.name.elements.length === 1) return true;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const binding = resolveIdentifier(parent.name);
    if (binding && binding.kind === 'const' && onlyFirstRowRead(binding)) return true;
  }
  // const { rows } = await pool.query(…); return rows[0]
  if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name) && parent.name.elements.length > 0) {
    return parent.name.elements.every((element) => {
      if (!ts.isIdentifier(element.name)) return false;
      const binding = resolveIdentifier(element.name);
      return !!binding && onlyFirstRowRead(binding);
    });
  }
  return false;
}

/**
 * Whether the query narrows its rows by a condition: read only as its first row, it is then a
 * lookup (by a key, usually). Without one, `find({ order }).then((rows) => rows[0])` reads the whole
 * table to use one row, and is reported.
 */
function hasCondition(call: DbCall): boolean {
  if (call.chain.some((step) => /^(?:where|andWhere|orWhere|whereIn|whereRaw|having|filter|match)/.test(step.name))) return true;
  const root = call.rootCall;
  if (!ts.isCallExpression(root)) return false;
  if (/By$/.test(call.operation)) return root.arguments.length > 0; // TypeORM findBy(where), Mongoose findById
  if (call.argumentsObject && call.argumentsObject.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'where')) return true;
  // Mongo's `find(filter)`, MikroORM's `find(Entity?, where)`: a filter other than `{}`
  if (call.library === 'mongoose' || call.library === 'mongodb' || call.library === 'mikro-orm') {
    const filter = root.arguments[call.library === 'mikro-orm' && call.receiverValue.kind === 'entity-manager' ? 1 : 0];
    const inner = filter && skipOuterExpressions(filter);
    return !!inner && !(ts.isObjectLiteralExpression(inner) && inner.properties.length === 0);
  }
  return false;
}

/**
 * A substitution of a SQL template that adds the LIMIT: `conditional` when it visibly may add none
 * (`${limit}` with `const limit = max ? ' LIMIT ?' : ''`, `${max ? 'LIMIT ?' : ''}`), `other` when it
 * always adds one or cannot be read (`${limitClause}` of `` `LIMIT ${n}` ``, `${paginate(page)}`).
 */
function limitSubstitution(literal: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression): { kind: 'conditional' | 'other'; expression: ts.Expression } | undefined {
  if (!ts.isTemplateExpression(literal)) return undefined;
  const conditional = (e: ts.Node) => ts.isConditionalExpression(e) || (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken));
  for (const span of literal.templateSpans) {
    const e = skipOuterExpressions(span.expression);
    const binding = ts.isIdentifier(e) ? resolveIdentifier(e) : undefined;
    const declaration = binding?.declaration;
    const init = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
    if (init && /\blimit\b/i.test(init.getText())) return { kind: conditional(init) || binding?.kind === 'let' ? 'conditional' : 'other', expression: span.expression };
    if (/limit|paginat|pageSize|perPage/i.test(e.getText())) return { kind: conditional(e) ? 'conditional' : 'other', expression: span.expression };
  }
  return undefined;
}

function abbreviateSql(text: string): string {
  return text.length > 30 ? `${text.slice(0, 29)}…` : text;
}

function isZero(node: ts.Node): boolean {
  return ts.isNumericLiteral(node) && node.text === '0';
}

/** Every use of the rows is `rows[0]`, `rows.at(0)` or `rows.length` (and there is at least one). */
function onlyFirstRowRead(binding: Binding): boolean {
  const references = referencesOf(binding);
  return (
    references.length > 0 &&
    references.every((reference) => {
      const parent = reference.parent;
      if (firstRowAccess(reference)) return true;
      // driver results: result.rows[0], result.rowCount, result.rows.length
      return ts.isPropertyAccessExpression(parent) && parent.expression === reference && parent.name.text === 'rows' && firstRowAccess(parent);
    })
  );
}

/** `x[0]`, `x.at(0)`, `x.length`, `x.rowCount`, `x?.[0]`. */
function firstRowAccess(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isElementAccessExpression(parent) && parent.expression === node) return isZero(parent.argumentExpression);
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    if (parent.name.text === 'length' || parent.name.text === 'rowCount') return true;
    return parent.name.text === 'at' && ts.isCallExpression(parent.parent) && parent.parent.arguments.length === 1 && isZero(parent.parent.arguments[0]);
  }
  return false;
}

/** The loop the call runs in (same function), when there is one. */
function enclosingLoop(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return undefined;
    if (isLoop(current) && isInLoopBody(current, node)) return current;
  }
  return undefined;
}

/** An object literal argument, directly or through a `const` in the same file. */
function objectOf(argument: ts.Expression | undefined): { object: ts.ObjectLiteralExpression; inline: boolean } | undefined {
  if (!argument) return undefined;
  const e = skipOuterExpressions(argument);
  if (ts.isObjectLiteralExpression(e)) return { object: e, inline: true };
  if (ts.isIdentifier(e)) {
    const binding = resolveIdentifier(e);
    const declaration = binding?.declaration;
    if (binding?.kind === 'const' && declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = skipOuterExpressions(declaration.initializer);
      if (ts.isObjectLiteralExpression(init)) return { object: init, inline: false };
    }
  }
  return undefined;
}

function hasSpread(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some((p) => ts.isSpreadAssignment(p));
}

/**
 * Fields a filter pins to one value (`id: 1`, `email`, `id: { equals: x }`) or to a list
 * (`id: { in: ids }`, `_id: { $in: [...] }`, Sequelize `id: { [Op.in]: ids }`). A list pin on a
 * unique field returns at most one row per element of a list the code already holds: the batched
 * load n-plus-one's fix writes, not an unbounded read.
 */
function pinnedFields(where: ts.ObjectLiteralExpression): string[] {
  const pinned: string[] = [];
  for (const property of where.properties) {
    if (ts.isShorthandPropertyAssignment(property)) {
      pinned.push(property.name.text);
      continue;
    }
    if (!ts.isPropertyAssignment(property)) continue;
    const name = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : primaryKeyName(property.name);
    if (!name) continue;
    const value = skipOuterExpressions(property.initializer);
    if (!ts.isObjectLiteralExpression(value)) {
      if (!ts.isArrayLiteralExpression(value)) pinned.push(name);
      continue;
    }
    const equals = objectProperty(value, 'equals') ?? objectProperty(value, '$eq') ?? sequelizeOperator(value, 'eq');
    const inList = objectProperty(value, 'in') ?? objectProperty(value, '$in') ?? sequelizeOperator(value, 'in');
    if (equals && value.properties.length === 1) pinned.push(name);
    else if (inList && ts.isPropertyAssignment(inList)) pinned.push(name);
  }
  return pinned;
}

/**
 * A computed key that names a model's primary key (`[pk]`, `[this.primaryKey]`,
 * `[association.targetKey]`, `[Model.primaryKeyAttribute]`): generic adapters' `id` (as `'id'`).
 */
function primaryKeyName(name: ts.PropertyName): string | undefined {
  if (!ts.isComputedPropertyName(name)) return undefined;
  const names = (e: ts.Expression, depth: number): boolean => {
    const key = skipOuterExpressions(e);
    if (ts.isElementAccessExpression(key) && isZero(key.argumentExpression)) return names(key.expression, depth); // `meta.primaryKeys[0]`
    const last = ts.isIdentifier(key) ? key.text : ts.isPropertyAccessExpression(key) ? key.name.text : undefined;
    if (last !== undefined && PRIMARY_KEY_NAME.test(last)) return true;
    // `const key = meta.primaryKeys[0]; … { [key]: … }`
    const binding = ts.isIdentifier(key) && depth < 2 ? resolveIdentifier(key) : undefined;
    const init = binding?.kind === 'const' ? initializerOf(binding) : undefined;
    return init !== undefined && names(init, depth + 1);
  };
  return names(name.expression, 0) ? 'id' : undefined;
}

const PRIMARY_KEY_NAME = /^(?:pk|primaryKeys?(?:Name|Field|Attribute|Column)?|targetKey|idKey|idField|idAttribute)$/i;

/** Sequelize's operator key `[Op.<name>]` (any import name of `Op`) in a filter object. */
function sequelizeOperator(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => p.name !== undefined && ts.isComputedPropertyName(p.name) && ts.isPropertyAccessExpression(p.name.expression) && p.name.expression.name.text === name);
}

function prismaModel(context: RuleContext, call: DbCall): ModelInfo | undefined {
  if (call.library !== 'prisma' || !call.model) return undefined;
  const schema = schemaForSourceFile(context.project, context.path);
  return schema?.models.get(call.model);
}

function pinsUnique(context: RuleContext, call: DbCall, where: ts.Expression | undefined, model: ModelInfo | undefined): boolean {
  if (!where) return false;
  const e = skipOuterExpressions(where);
  if (!ts.isObjectLiteralExpression(e)) return ID_WHERE.test(e.getText(context.sourceFile));
  const pinned = pinnedFields(e);
  if (model) return isUniqueFilter(model, pinned);
  return pinned.includes('id') || pinned.includes('_id');
}

interface OptionsShape {
  /** Which argument holds the options object. */
  argIndex: number;
  /** The option that bounds the rows (`take`, `limit`). */
  bound: string;
  /** The filter is a separate argument (MikroORM `find(Entity, where, options)`). */
  whereIndex?: number;
  /** The argument is the filter itself (TypeORM `findBy(where)`): no options to extend. */
  whereOnly?: boolean;
}

function checkOptions(context: RuleContext, call: DbCall, shape: OptionsShape): void {
  if (!ts.isCallExpression(call.rootCall)) return;
  const sourceFile = context.sourceFile!;
  const rootCall = call.rootCall;
  const args = rootCall.arguments;
  const model = prismaModel(context, call);
  const argument = args[shape.argIndex];
  const options = objectOf(argument);
  const boundText = `${shape.bound}: ${pageSize(context)}`;
  const boundLabel = `\`${shape.bound}\``;
  const fixTitle = `Add \`${boundText}\``;
  if (shape.whereOnly) {
    if (!argument) return;
    if (!options || hasSpread(options.object) || pinsUnique(context, call, options.object, model)) return;
    report(context, call, rootCall, unboundedMessage(call, boundLabel, context) + ` (\`${call.operation}\` takes no options: use \`find({ where, ${shape.bound} })\`.)`, []);
    return;
  }
  if (!argument) {
    // No options at all: `findMany()`, `em.findAll(User)`, `repo.find()`; the filter must be there for positional APIs.
    if (shape.whereIndex !== undefined && !args[shape.whereIndex]) return;
    if (args.length !== shape.argIndex) return;
    if (!isClosed(sourceFile, rootCall)) return report(context, call, rootCall, unboundedMessage(call, boundLabel, context), []);
    const close = rootCall.getEnd() - 1;
    const edit: TextEdit = args.length === 0 ? { start: close, end: close, text: `{ ${boundText} }` } : { start: args[args.length - 1].getEnd(), end: args[args.length - 1].getEnd(), text: `, { ${boundText} }` };
    if (shape.whereIndex !== undefined && pinsUnique(context, call, args[shape.whereIndex], model)) return;
    if (shape.whereIndex !== undefined && enclosingLoop(rootCall)) return;
    report(context, call, rootCall, unboundedMessage(call, boundLabel, context), [{ kind: 'suggestion', title: fixTitle, edits: [edit] }]);
    return;
  }
  if (!options || hasSpread(options.object)) return;
  const object = options.object;
  if (call.library === 'prisma' && model) checkNestedPrisma(context, call, object, model);
  if (call.library === 'drizzle') {
    const receiver = skipOuterExpressions(call.receiver);
    if (ts.isPropertyAccessExpression(receiver)) checkNestedDrizzle(context, call, object, receiver.name.text, drizzleRelations(context.project));
  }
  if (objectProperty(object, shape.bound)) return;
  if (shape.bound === 'limit' && objectProperty(object, 'take')) return;
  const whereProperty = objectProperty(object, 'where');
  const whereNode = shape.whereIndex !== undefined ? args[shape.whereIndex] : whereProperty && ts.isPropertyAssignment(whereProperty) ? whereProperty.initializer : undefined;
  if (pinsUnique(context, call, whereNode, model)) return;
  if (enclosingLoop(rootCall) && PAGING_KEYS.some((key) => objectProperty(object, key))) return;
  const fixes: Fix[] = options.inline && isClosed(sourceFile, object) ? [{ kind: 'suggestion', title: fixTitle, edits: [appendPropertyEdit(sourceFile, object, boundText)] }] : [];
  report(context, call, rootCall, unboundedMessage(call, boundLabel, context), fixes);
}

/** `include`/`select` of to-many relations without `take` load every related row of every parent row. */
function checkNestedPrisma(context: RuleContext, call: DbCall, args: ts.ObjectLiteralExpression, model: ModelInfo): void {
  const schema = schemaForSourceFile(context.project, context.path);
  if (!schema) return;
  for (const key of ['include', 'select']) {
    const holder = objectProperty(args, key);
    if (!holder || !ts.isPropertyAssignment(holder)) continue;
    const relations = skipOuterExpressions(holder.initializer);
    if (!ts.isObjectLiteralExpression(relations)) continue;
    for (const property of relations.properties) {
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
      const field = model.fields.find((f) => f.name === (property.name as ts.Identifier).text);
      if (!field || field.kind !== 'object') continue;
      const target = schema.models.get(field.type);
      const value = skipOuterExpressions(property.initializer);
      if (ts.isObjectLiteralExpression(value) && target) checkNestedPrisma(context, call, value, target);
      if (!field.list) continue;
      const boundText = `take: ${pageSize(context)}`;
      const message = `\`${key}.${field.name}\` of \`${call.label}\` loads every \`${field.type}\` of each \`${model.name}\` (a to-many relation without \`take\`): rows returned = parents × children, unbounded. Add \`take\` (e.g. ${pageSize(context)}) or load the relation separately with pagination.`;
      if (value.kind === ts.SyntaxKind.TrueKeyword) {
        report(context, call, property, message, [{ kind: 'suggestion', title: `Add \`${boundText}\``, edits: [{ start: value.getStart(context.sourceFile), end: value.getEnd(), text: `{ ${boundText} }` }] }]);
      } else if (ts.isObjectLiteralExpression(value) && !hasSpread(value) && !objectProperty(value, 'take')) {
        const where = objectProperty(value, 'where');
        if (where && ts.isPropertyAssignment(where) && target && pinsUnique(context, call, where.initializer, target)) continue;
        report(context, call, property, message, isClosed(context.sourceFile!, value) ? [{ kind: 'suggestion', title: `Add \`${boundText}\``, edits: [appendPropertyEdit(context.sourceFile!, value, boundText)] }] : []);
      }
    }
  }
}

/** Drizzle `with: { posts: true }` where `posts` is a `many(...)` relation (from the workspace's `relations(...)`). */
function checkNestedDrizzle(context: RuleContext, call: DbCall, args: ts.ObjectLiteralExpression, table: string, relations: DrizzleRelations): void {
  const holder = objectProperty(args, 'with');
  if (!holder || !ts.isPropertyAssignment(holder)) return;
  const nested = skipOuterExpressions(holder.initializer);
  if (!ts.isObjectLiteralExpression(nested)) return;
  for (const property of nested.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
    const relation = relations.get(table)?.get(property.name.text);
    if (!relation) continue;
    const value = skipOuterExpressions(property.initializer);
    if (ts.isObjectLiteralExpression(value) && relation.target) checkNestedDrizzle(context, call, value, relation.target, relations);
    if (relation.kind !== 'many') continue;
    const boundText = `limit: ${pageSize(context)}`;
    const message = `\`with.${property.name.text}\` of \`${call.label}\` loads every related \`${relation.target ?? property.name.text}\` row of each \`${table}\` row (a many relation without \`limit\`): rows returned = parents × children, unbounded. Add \`limit\` (e.g. ${pageSize(context)}) or load the relation separately with pagination.`;
    if (value.kind === ts.SyntaxKind.TrueKeyword) {
      report(context, call, property, message, [{ kind: 'suggestion', title: `Add \`${boundText}\``, edits: [{ start: value.getStart(context.sourceFile), end: value.getEnd(), text: `{ ${boundText} }` }] }]);
    } else if (ts.isObjectLiteralExpression(value) && !hasSpread(value) && !objectProperty(value, 'limit')) {
      report(context, call, property, message, isClosed(context.sourceFile!, value) ? [{ kind: 'suggestion', title: `Add \`${boundText}\``, edits: [appendPropertyEdit(context.sourceFile!, value, boundText)] }] : []);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Builders (Drizzle select, Kysely, Knex, TypeORM query builder) and Mongoose/MongoDB cursors

function stepNames(call: DbCall): string[] {
  return [call.operation, ...call.chain.map((s) => s.name)];
}

/** The column a literal first argument names (`'post_id'`, `'t.post_id'` → `post_id`). */
function literalColumn(call: ts.CallExpression): string | undefined {
  const first = call.arguments[0];
  return first && ts.isStringLiteralLike(first) ? first.text.split('.').pop() : undefined;
}

function chainPinsId(context: RuleContext, call: DbCall): boolean {
  // `whereIn('post_id', ids)` with `groupBy('post_id')` or `distinct('post_id')`: one row per element of the list
  const listed = new Set(call.chain.filter((s) => s.name === 'whereIn').map((s) => literalColumn(s.call)).filter((c) => c !== undefined));
  const steps = [{ name: call.operation, call: ts.isCallExpression(call.rootCall) ? call.rootCall : undefined }, ...call.chain];
  for (const step of steps) {
    if (!step.call || !/^(groupBy|distinct)$/.test(step.name) || step.call.arguments.length !== 1) continue;
    const column = literalColumn(step.call);
    if (column && listed.has(column)) return true;
  }
  for (const step of call.chain) {
    if (!/^(where|andWhere|whereIn)$/.test(step.name)) continue;
    const text = step.call.arguments.map((a) => a.getText(context.sourceFile)).join(', ');
    if (step.name === 'whereIn' ? /^\s*['"`](\w+\.)?id['"`]\s*,/.test(text) : ID_WHERE.test(text)) return true;
  }
  return false;
}

/** Drizzle `select({ n: count() })`, Kysely `select((eb) => eb.fn.countAll().as('n'))`: one row, no GROUP BY. */
function aggregateOnlySelect(context: RuleContext, call: DbCall): boolean {
  const names = stepNames(call);
  if (names.includes('groupBy')) return false;
  const selectCall = /^select(Distinct)?$/.test(call.operation) && ts.isCallExpression(call.rootCall) ? call.rootCall : call.chain.find((s) => s.name === 'select')?.call;
  if (!selectCall) return false;
  const first = selectCall.arguments[0];
  if (!first) return false;
  const e = skipOuterExpressions(first);
  const aggregate = /^(count|countDistinct|sum|sumDistinct|avg|avgDistinct|min|max)\s*\(|\bfn\.(count|countAll|sum|avg|min|max)\b|sql\s*(<[^>]*>)?\s*`\s*(count|sum|avg|min|max)\s*\(/i;
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.length > 0 && e.properties.every((p) => ts.isPropertyAssignment(p) && aggregate.test(p.initializer.getText(context.sourceFile)));
  }
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    const body = e.body.getText(context.sourceFile);
    return aggregate.test(body) && !/\bref\(|['"`]\w+(\.\w+)?['"`]/.test(body.replace(/\.as\(\s*['"`]\w+['"`]\s*\)/g, ''));
  }
  return false;
}

function checkChain(context: RuleContext, call: DbCall, bound: 'limit' | 'take'): void {
  if (!ts.isCallExpression(call.node)) return;
  const names = stepNames(call);
  if (names.some((n) => CHAIN_BOUNDS.has(n))) return;
  if (call.library === 'drizzle' && !names.includes('from')) return;
  if (call.library === 'typeorm' && !names.some((n) => /^(getMany|getRawMany|getManyAndCount|getRawAndEntities|stream)$/.test(n))) return;
  if (aggregateOnlySelect(context, call) || chainPinsId(context, call) || readsCatalogTable(call)) return;
  if (enclosingLoop(call.node) && names.some((n) => PAGING_STEPS.has(n))) return;
  const terminalIndex = call.chain.findIndex((s) => CHAIN_TERMINALS.has(s.name));
  const after = terminalIndex === -1 ? call.node : terminalIndex === 0 ? call.rootCall : call.chain[terminalIndex - 1].call;
  const method = `${bound}(${pageSize(context)})`;
  const fixes: Fix[] = ts.isCallExpression(after) && isClosed(context.sourceFile!, after) ? [{ kind: 'suggestion', title: `Add \`.${method}\``, edits: [chainCallEdit(context.sourceFile!, after, method)] }] : [];
  report(context, call, call.node, unboundedMessage(call, `\`.${bound}()\``, context), fixes);
}

function checkMongo(context: RuleContext, call: DbCall): void {
  if (!ts.isCallExpression(call.rootCall) || !ts.isCallExpression(call.node)) return;
  const names = stepNames(call);
  if (names.some((n) => n === 'limit' || n === 'countDocuments' || n === 'count' || n === 'next' || n === 'hasNext')) return;
  const args = call.rootCall.arguments;
  const options = objectOf(args[2]);
  if (options && (objectProperty(options.object, 'limit') || hasSpread(options.object))) return;
  if (args[0] && pinsUnique(context, call, args[0], undefined)) return;
  if (enclosingLoop(call.node) && names.includes('skip')) return;
  const terminalIndex = call.chain.findIndex((s) => CHAIN_TERMINALS.has(s.name) && s.name !== 'lean');
  const after = terminalIndex === -1 ? call.node : terminalIndex === 0 ? call.rootCall : call.chain[terminalIndex - 1].call;
  const method = `limit(${pageSize(context)})`;
  const fixes: Fix[] = isClosed(context.sourceFile!, after) ? [{ kind: 'suggestion', title: `Add \`.${method}\``, edits: [chainCallEdit(context.sourceFile!, after as ts.CallExpression, method)] }] : [];
  report(context, call, call.node, unboundedMessage(call, '`.limit()`', context), fixes);
}

// ---------------------------------------------------------------------------------------------
// Raw SQL

/**
 * A builder reading the database's catalog (`selectFrom('sqlite_master')`, `.from('information_schema.columns')`,
 * ``selectFrom(sql`pragma_table_info(${name})`.as('t'))``): schema introspection, as large as the schema.
 */
function readsCatalogTable(call: DbCall): boolean {
  const source = call.operation === 'selectFrom' && ts.isCallExpression(call.rootCall) ? call.rootCall.arguments[0] : call.chain.find((step) => step.name === 'from')?.call.arguments[0];
  if (!source) return false;
  let table = skipOuterExpressions(source);
  // `sql\`…\`.as('t')`
  if (ts.isCallExpression(table) && ts.isPropertyAccessExpression(table.expression) && table.expression.name.text === 'as') table = skipOuterExpressions(table.expression.expression);
  const text = sqlTextOf(table)?.text;
  return text !== undefined && (readsSystemCatalog(`SELECT * FROM ${text}`) || /^\s*pragma_\w+\s*\(/i.test(text));
}

function checkRaw(context: RuleContext, call: DbCall): void {
  // A fragment interpolated into another template (`sql`… ${sql`SELECT id FROM b`}`) is a sub-query.
  if (call.node.parent && ts.isTemplateSpan(call.node.parent)) return;
  const sql = sqlTextOfCall(call.node);
  if (!sql) return;
  const shape = selectShape(sql.text);
  if (!shape.readsTable || shape.bounded || shape.aggregateOnly || shape.pinsId) return;
  if (reducedToOneRow(call.node) && /\bwhere\b/i.test(sql.text)) return;
  const cap = pageSize(context);
  // `… ORDER BY updated_at DESC${limit}` with `limit = max ? ' LIMIT ?' : ''`: bounded only when the caller asks
  const limitSpan = limitSubstitution(sql.literal);
  if (limitSpan?.kind === 'conditional') {
    report(context, call, call.node, `\`${call.label}\` runs a SELECT whose LIMIT is optional: when \`\${${abbreviateSql(limitSpan.expression.getText())}}\` adds none, it returns every matching row, however many there are. Make the bound unconditional (a default page size, e.g. ${cap}, capped).`, []);
    return;
  }
  // a LIMIT added unconditionally, or by code that cannot be read here (`${paginate(page)}`): not reported
  if (limitSpan) return;
  // (no edit for SQL whose parentheses do not balance: the clause would not end the statement)
  const sameStatement = sql.literal.getSourceFile() === context.sourceFile && isClosed(context.sourceFile!, sql.literal) && endsAtTopLevel(sql.text);
  const fixes: Fix[] = sameStatement ? [{ kind: 'suggestion', title: `Add \`LIMIT ${cap}\``, edits: [appendClauseEdit(context.sourceFile!, sql.literal, `LIMIT ${cap}`)] }] : [];
  report(context, call, call.node, `\`${call.label}\` runs a SELECT without LIMIT: it returns every matching row, however many there are, so memory, serialisation and response time grow with the table. Add \`LIMIT\` (e.g. ${cap}) and paginate.`, fixes);
}

