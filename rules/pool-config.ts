/**
 * pool-config: connection pools left at unsafe defaults. Constructions are recognised through
 * engine/db (bindings, not names); options are read from the object literal (or the `const` it
 * names); connection URLs from literals or, for `process.env.X`, from the project's `.env` files
 * read as data. URLs shown in messages are always masked.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { defineRule, type RelatedDescriptor, type RuleContext } from '../engine/rule';
import type { Fix, TextEdit } from '../engine/types';
import { recognizeClientConstruction, type ClientConstruction } from '../engine/db';
import { envVariableName, hasSyntaxErrors, mayBeConstruction, mayConstructClients, mayConstructClientsIn, recognizeAdapterConstruction, staticObject, staticString, type StaticObject } from '../engine/db/construction';
import { envVariable, maskUrl, pointsAtPooler, serverlessDeployment, urlParameters, type EnvValue } from '../engine/env';
import { appendPropertyEdit } from '../engine/ts/edits';
import { indentationAt, newlineOf } from '../engine/ts/ast';
import { isOneOffPath } from '../engine/ts/modules';
import { scanSchema } from '../engine/prisma';
import { skipOuterExpressions } from '../engine/ts/scope';
import { resolveQualified } from '../engine/ts/imports';

/** One unsafe default: the setting, what happens without it, and the property a fix inserts. */
interface Missing {
  setting: string;
  consequence: string;
  /** `name: value` to insert; undefined when no additive edit exists. */
  insert?: string;
  /** True when the inserted value equals the library's default (the edit changes nothing at run time). */
  isDefault?: boolean;
  /** Replace this expression instead of inserting (e.g. `queueLimit: 0`). */
  replace?: ts.Expression;
  /** Insert into this nested object literal (`pool: { … }`) instead of the options object. */
  into?: ts.ObjectLiteralExpression;
  /** How the fix's title names the inserted setting (default: `insert`). */
  title?: string;
}

/** Where a connection URL came from. */
interface UrlSource {
  url: string;
  /** The literal in this file (fixable), when the URL is one. */
  literal?: ts.StringLiteralLike;
  env?: EnvValue;
}


export default defineRule({
  id: 'pool-config',
  meta: {
    category: 'connections',
    defaultSeverity: 'warning',
    description: 'Connection pools left at unsafe defaults: no connection/acquire timeout, no statement timeout, unbounded queues, default sizes, Prisma URLs without connection_limit where it matters.',
    fix: 'suggestion',
    languages: ['typescript', 'prisma'],
    // 2: a pool object without `max` (Knex, Sequelize) gets it from the fix, so a fix sets every missing setting
    // 4: conditional spreads of literal objects are read; 5: Drizzle's node-postgres driver makes a pool;
    // 6: NestJS's TypeOrmModule.forRoot/forRootAsync options; 7: Sequelize options that cannot be read are unknown
    version: 7,
  },
  mayReport: ({ project, path, text, language }) => !isOneOffPath(project.relative(path)) && (language === 'prisma' || mayConstructClientsIn(project, path, text)),
  create(context) {
    if (isOneOffPath(context.project.relative(context.path))) return {};
    if (context.language === 'prisma') return { onFileEnd: () => checkSchema(context) };
    if (!mayConstructClients(context.text)) return {};
    const visit = (node: ts.NewExpression | ts.CallExpression) => {
      if (!mayBeConstruction(node)) return;
      const adapter = recognizeAdapterConstruction(node);
      if (adapter) {
        if (adapter.driver === 'pg') checkPg(context, node, `new ${adapter.adapter}(…)`, `Prisma's pg driver adapter`, node.arguments?.[0], true);
        return;
      }
      const nestOptions = ts.isCallExpression(node) ? nestTypeormOptions(node) : undefined;
      if (nestOptions) return checkTypeorm(context, node, [nestOptions]);
      const construction = recognizeClientConstruction(node, context);
      if (construction) checkConstruction(context, construction);
    };
    return {
      [ts.SyntaxKind.NewExpression]: visit,
      [ts.SyntaxKind.CallExpression]: visit,
    };
  },
});

// ---------------------------------------------------------------------------------------------
// Per library

function checkConstruction(context: RuleContext, c: ClientConstruction): void {
  const node = c.node;
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  switch (c.library) {
    case 'pg':
      if (c.kind === 'pool') checkPg(context, node, label(node, 'new Pool(…)'), 'node-postgres', args[0], false);
      return;
    case 'postgres':
      return checkPostgresJs(context, node, args);
    case 'mysql2':
      if (c.factory === 'createPool') checkMysql(context, node, args);
      return;
    case 'knex':
      return checkKnex(context, node, args);
    case 'typeorm':
      if (c.factory === 'DataSource') checkTypeorm(context, node, args);
      return;
    case 'sequelize':
      return checkSequelize(context, node, args);
    case 'mongodb':
      return checkMongo(context, node, args);
    case 'prisma':
      return checkPrismaClient(context, node, args);
    case 'drizzle':
      return checkDrizzle(context, node, args);
    default:
      return;
  }
}

/**
 * The DataSource options of NestJS's `TypeOrmModule.forRoot({ … })`, or the object literal that
 * `TypeOrmModule.forRootAsync({ useFactory: (config) => ({ … }) })` returns (an expression body or
 * a single `return`).
 */
function nestTypeormOptions(node: ts.CallExpression): ts.Expression | undefined {
  const qualified = resolveQualified(node.expression);
  if (qualified?.module !== '@nestjs/typeorm' || qualified.path.length !== 2 || qualified.path[0] !== 'TypeOrmModule') return undefined;
  const first = node.arguments[0];
  if (qualified.path[1] === 'forRoot') return first;
  if (qualified.path[1] !== 'forRootAsync' || !first) return undefined;
  const factory = staticObject(first)?.properties.get('useFactory');
  const fn = factory && skipOuterExpressions(factory);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  const statements = fn.body.statements;
  const returns = statements.filter(ts.isReturnStatement);
  return returns.length === 1 && statements[statements.length - 1] === returns[0] ? returns[0].expression : undefined;
}

/**
 * `drizzle(process.env.DATABASE_URL)` and `drizzle({ connection: … })` from `drizzle-orm/node-postgres`:
 * the driver creates a node-postgres pool from the URL (its defaults) or from the connection options.
 * A pool handed in (`drizzle(pool)`, `{ client: pool }`) is checked where it is made.
 */
function checkDrizzle(context: RuleContext, node: ts.NewExpression | ts.CallExpression, args: readonly ts.Expression[]): void {
  if (resolveQualified(node.expression)?.module !== 'drizzle-orm/node-postgres') return;
  const first = args[0];
  if (!first) return;
  const what = label(node, 'drizzle(…)');
  const library = "Drizzle's node-postgres driver, which creates the pool";
  // a literal, `process.env.X`, or a value named like a connection string (`env.DATABASE_URL`, `config.dbUrl`)
  const isUrl = (e: ts.Expression) => {
    const inner = skipOuterExpressions(e);
    const name = ts.isIdentifier(inner) ? inner.text : ts.isPropertyAccessExpression(inner) ? inner.name.text : undefined;
    return staticString(e) !== undefined || envVariableName(e) !== undefined || (name !== undefined && /(url|uri|dsn|connectionString)$/i.test(name));
  };
  // (a URL: the pool gets node-postgres' defaults, and there is no options object to edit)
  if (isUrl(first)) return checkPg(context, node, what, library, first, false, true);
  const config = staticObject(first);
  if (!config || config.open || config.properties.has('client')) return;
  const connection = config.properties.get('connection');
  if (!connection) return;
  if (isUrl(connection)) return checkPg(context, node, what, library, connection, false, true);
  checkPg(context, node, what, library, connection, false);
}

function label(node: ts.NewExpression | ts.CallExpression, fallback: string): string {
  const callee = node.expression.getText();
  if (callee.length > 40) return fallback;
  return `${ts.isNewExpression(node) ? 'new ' : ''}${callee}(…)`;
}

/** Reads an options argument: undefined → no argument; 'unknown' → not statically known (never reported). */
function optionsOf(argument: ts.Expression | undefined): StaticObject | undefined | 'unknown' {
  if (!argument) return undefined;
  const object = staticObject(argument);
  if (!object || object.open) return 'unknown';
  return object;
}

function has(object: StaticObject | undefined, name: string): boolean {
  return object !== undefined && object.properties.has(name);
}

function numberValue(expression: ts.Expression | undefined): number | undefined {
  const e = expression && skipOuterExpressions(expression);
  return e && ts.isNumericLiteral(e) ? Number(e.text.replace(/_/g, '')) : undefined;
}

function urlOf(context: RuleContext, expression: ts.Expression | undefined): UrlSource | undefined {
  if (!expression) return undefined;
  const literal = staticString(expression);
  if (literal !== undefined) {
    const inner = skipOuterExpressions(expression);
    return { url: literal, literal: ts.isStringLiteralLike(inner) ? inner : undefined };
  }
  const name = envVariableName(expression);
  if (!name) return undefined;
  const env = envVariable(context.project, name, context.path);
  return env ? { url: env.value, env } : undefined;
}

function checkPg(context: RuleContext, node: ts.NewExpression | ts.CallExpression, what: string, library: string, argument: ts.Expression | undefined, adapter: boolean, urlOnly = false): void {
  // `urlOnly`: the pool is made from a connection URL alone, with every default
  const options = urlOnly ? undefined : optionsOf(argument);
  if (options === 'unknown') return;
  const missing: Missing[] = [];
  const timeout = options?.properties.get('connectionTimeoutMillis');
  if (!timeout || numberValue(timeout) === 0) {
    missing.push({ setting: 'connectionTimeoutMillis', consequence: 'when every connection is busy a request waits for one forever (the default is 0, no timeout)', insert: timeout ? undefined : 'connectionTimeoutMillis: 5000', replace: timeout });
  }
  const pgOptions = staticString(options?.properties.get('options'));
  if (!has(options, 'statement_timeout') && !has(options, 'query_timeout') && !(pgOptions && /statement_timeout/.test(pgOptions))) {
    missing.push({ setting: 'statement_timeout', consequence: 'a slow query holds its connection with no time limit and starves the pool', insert: 'statement_timeout: 30000' });
  }
  if (!has(options, 'max')) {
    missing.push({ setting: 'max', consequence: 'the pool size stays at the default 10 per process, whatever the database allows across all instances', insert: 'max: 10', isDefault: true });
  }
  report(context, node, `\`${what}\` (${library}${adapter ? ', which owns the connection pool' : ''})`, missing, argument, options);
}

function checkPostgresJs(context: RuleContext, node: ts.NewExpression | ts.CallExpression, args: readonly ts.Expression[]): void {
  const first = args[0];
  const firstIsOptions = first !== undefined && staticString(first) === undefined && staticObject(first) !== undefined;
  const optionsArgument = firstIsOptions ? first : args[1];
  const options = optionsOf(optionsArgument);
  if (options === 'unknown') return;
  const url = firstIsOptions ? undefined : urlOf(context, first);
  const missing: Missing[] = [];
  if (!has(options, 'max')) missing.push({ setting: 'max', consequence: 'each process opens up to 10 connections (the default), whatever the database allows across all instances', insert: 'max: 10', isDefault: true });
  if (!has(options, 'idle_timeout')) missing.push({ setting: 'idle_timeout', consequence: 'idle connections are never closed (the default is 0), so every instance keeps its connections open', insert: 'idle_timeout: 20' });
  if (!has(options, 'connect_timeout')) missing.push({ setting: 'connect_timeout', consequence: 'an unreachable database stalls each request for 30 s (the default) before it fails', insert: 'connect_timeout: 10' });
  const prepare = options?.properties.get('prepare');
  const host = staticString(options?.properties.get('host'));
  const port = numberValue(options?.properties.get('port'));
  const pooled = (url && pointsAtPooler(url.url)) || (host !== undefined && pointsAtPooler(`postgres://${host}${port ? `:${port}` : ''}`));
  if (pooled && (!prepare || prepare.kind !== ts.SyntaxKind.FalseKeyword)) {
    missing.push({
      setting: 'prepare: false',
      consequence: `the connection goes through PgBouncer/a transaction pooler${url?.env ? ` (${url.env.name} in ${path.basename(url.env.file)})` : ''}, where prepared statements fail ("prepared statement … does not exist")`,
      insert: prepare ? undefined : 'prepare: false',
      replace: prepare,
    });
  }
  report(context, node, `\`${label(node, 'postgres(…)')}\` (postgres.js)`, missing, optionsArgument, options, firstIsOptions || !first ? undefined : first, url?.env);
}

function checkMysql(context: RuleContext, node: ts.NewExpression | ts.CallExpression, args: readonly ts.Expression[]): void {
  const argument = args[0];
  if (argument && staticString(argument) !== undefined) {
    // createPool('mysql://…'): options cannot be added to a URL string
    report(context, node, `\`${label(node, 'createPool(…)')}\` (mysql2)`, [
      { setting: 'connectionLimit', consequence: 'the pool size stays at the default 10' },
      { setting: 'queueLimit', consequence: 'the wait queue is unlimited (the default 0): when every connection is busy, requests pile up in memory without bound' },
    ], undefined, undefined);
    return;
  }
  const options = optionsOf(argument);
  if (options === 'unknown') return;
  const missing: Missing[] = [];
  const queue = options?.properties.get('queueLimit');
  if (!queue || numberValue(queue) === 0) {
    missing.push({
      setting: queue ? 'queueLimit: 0' : 'queueLimit',
      consequence: 'the wait queue is unlimited (0 means no limit, the default): when every connection is busy, requests pile up in memory without bound instead of failing fast',
      insert: queue ? undefined : 'queueLimit: 100',
      replace: queue,
    });
  }
  if (!has(options, 'connectionLimit')) missing.push({ setting: 'connectionLimit', consequence: 'the pool size stays at the default 10, whatever the database allows across all instances', insert: 'connectionLimit: 10', isDefault: true });
  report(context, node, `\`${label(node, 'createPool(…)')}\` (mysql2)`, missing, argument, options);
}

function checkKnex(context: RuleContext, node: ts.NewExpression | ts.CallExpression, args: readonly ts.Expression[]): void {
  const options = optionsOf(args[0]);
  if (options === 'unknown' || options === undefined) return;
  const client = staticString(options.properties.get('client')) ?? '';
  if (/sqlite/.test(client)) return;
  const missing: Missing[] = [];
  const pool = options.properties.get('pool');
  if (!pool) missing.push({ setting: 'pool', consequence: 'the default pool keeps 2 connections open per process even when idle and caps it at 10', insert: 'pool: { min: 0, max: 10 }' });
  else {
    const poolObject = staticObject(pool);
    if (poolObject && !poolObject.open && !poolObject.properties.has('max')) missing.push({ setting: 'pool.max', consequence: 'the pool size stays at the default 10', insert: 'max: 10', isDefault: true, into: poolObject.literal, title: 'pool.max: 10' });
  }
  if (!options.properties.has('acquireConnectionTimeout')) {
    missing.push({ setting: 'acquireConnectionTimeout', consequence: 'with the pool exhausted, a request waits 60 s (the default) for a connection before it fails', insert: 'acquireConnectionTimeout: 10000' });
  }
  report(context, node, `\`${label(node, 'knex(…)')}\` (Knex)`, missing, args[0], options);
}

function checkTypeorm(context: RuleContext, node: ts.NewExpression | ts.CallExpression, args: readonly ts.Expression[]): void {
  const options = optionsOf(args[0]);
  if (options === 'unknown' || options === undefined) return;
  const type = staticString(options.properties.get('type')) ?? '';
  if (!/^(postgres|cockroachdb|mysql|mariadb|aurora-postgres|aurora-mysql|mssql|oracle)$/.test(type)) return;
  const extraExpression = options.properties.get('extra');
  const extra = extraExpression ? staticObject(extraExpression) : undefined;
  if (extraExpression && (!extra || extra.open)) return;
  const missing: Missing[] = [];
  if (!options.properties.has('poolSize') && !extra?.properties.has('max') && !extra?.properties.has('connectionLimit')) {
    missing.push({ setting: 'poolSize', consequence: 'the driver keeps its default pool of 10 connections, whatever the database allows across all instances', insert: 'poolSize: 10', isDefault: true });
  }
  if (/postgres|cockroach/.test(type) && !options.properties.has('connectTimeoutMS') && !extra?.properties.has('connectionTimeoutMillis')) {
    missing.push({ setting: 'connectTimeoutMS', consequence: 'node-postgres waits forever for a free connection (its default timeout is 0)', insert: 'connectTimeoutMS: 5000' });
  }
  report(context, node, `\`${label(node, 'new DataSource(…)')}\` (TypeORM, ${type})`, missing, args[0], options);
}

function checkSequelize(context: RuleContext, node: ts.NewExpression | ts.CallExpression, args: readonly ts.Expression[]): void {
  const last = args[args.length - 1];
  const lastIsObject = last !== undefined && staticObject(last) !== undefined;
  if (last && !lastIsObject) {
    // Options that cannot be read here (a parameter, a field, a call: `new Sequelize(url, options)`,
    // `new Sequelize(this.config)`) are unknown. The last argument is options in `(url, options)` and
    // `(database, user, password, options)`, a password in `(database, user, password)`, and either a
    // URL or options when it is alone.
    const text = staticString(last) !== undefined || envVariableName(last) !== undefined;
    if (args.length === 2 || args.length >= 4 || (args.length === 1 && !text)) return;
  }
  const options = lastIsObject ? optionsOf(last) : undefined;
  if (options === 'unknown') return;
  const dialect = staticString(options?.properties.get('dialect')) ?? '';
  if (dialect === 'sqlite') return;
  const url = args.length >= 1 && !lastIsObject ? staticString(args[0]) : args.length === 2 ? staticString(args[0]) : undefined;
  if (url && /^sqlite:/.test(url)) return;
  const missing: Missing[] = [];
  const pool = options?.properties.get('pool');
  if (!pool) missing.push({ setting: 'pool', consequence: 'the defaults apply: at most 5 connections per process, and a request waits 60 s for one before it fails', insert: 'pool: { max: 5, min: 0, acquire: 30000, idle: 10000 }' });
  else {
    const poolObject = staticObject(pool);
    if (poolObject && !poolObject.open && !poolObject.properties.has('max')) missing.push({ setting: 'pool.max', consequence: 'the pool size stays at the default 5', insert: 'max: 5', isDefault: true, into: poolObject.literal, title: 'pool.max: 5' });
  }
  report(context, node, `\`${label(node, 'new Sequelize(…)')}\` (Sequelize)`, missing, lastIsObject ? last : undefined, options, args.length > 0 && !lastIsObject ? args[args.length - 1] : undefined);
}

function checkMongo(context: RuleContext, node: ts.NewExpression | ts.CallExpression, args: readonly ts.Expression[]): void {
  const options = optionsOf(args[1]);
  if (options === 'unknown') return;
  const url = urlOf(context, args[0]);
  if (args[0] && !url && !staticString(args[0])) {
    // URL not statically known: its query string may set the options.
    if (!envVariableName(args[0])) return;
  }
  const params = url ? urlParameters(url.url) : new Map<string, string>();
  const missing: Missing[] = [];
  if (!has(options, 'maxPoolSize') && !params.has('maxpoolsize')) {
    missing.push({ setting: 'maxPoolSize', consequence: 'each client may open up to 100 connections per server (the default)', insert: 'maxPoolSize: 100', isDefault: true });
  }
  if (!has(options, 'serverSelectionTimeoutMS') && !params.has('serverselectiontimeoutms')) {
    missing.push({ setting: 'serverSelectionTimeoutMS', consequence: 'when no server is reachable every operation hangs 30 s (the default) before it fails', insert: 'serverSelectionTimeoutMS: 5000' });
  }
  report(context, node, `\`${label(node, 'new MongoClient(…)')}\` (MongoDB driver)`, missing, args[1], options, args[0], url?.env);
}

// ---------------------------------------------------------------------------------------------
// Prisma URLs

function prismaUrlMissing(context: RuleContext, url: UrlSource): { missing: Missing[]; why: string } | undefined {
  if (!/^(postgres|postgresql|mysql|sqlserver|cockroachdb):/i.test(url.url) && !/^prisma(\+postgres)?:/i.test(url.url)) return undefined;
  if (/^prisma(\+postgres)?:/i.test(url.url)) return undefined; // Accelerate / Prisma Postgres manage the pool
  const params = urlParameters(url.url);
  const serverless = serverlessDeployment(context.project);
  const pgbouncer = params.get('pgbouncer') === 'true';
  if (!serverless && !pgbouncer) return undefined;
  const why = serverless ? `the project deploys to ${serverless.platform} (${serverless.file}), where every concurrent instance has its own pool` : 'the URL goes through PgBouncer (pgbouncer=true)';
  const missing: Missing[] = [];
  if (!params.has('connection_limit')) missing.push({ setting: 'connection_limit', consequence: 'each Prisma Client opens num_cpus × 2 + 1 connections (the default), which multiplied by the instances exhausts the database\'s max_connections', insert: 'connection_limit=1' });
  if (!params.has('pool_timeout')) missing.push({ setting: 'pool_timeout', consequence: 'queries queued behind a busy pool fail after the default 10 s (P2024) with no explicit budget', insert: 'pool_timeout=20' });
  return missing.length > 0 ? { missing, why } : undefined;
}

function describeUrl(context: RuleContext, url: UrlSource): string {
  return url.env ? `\`${url.env.name}\` in ${context.project.relative(url.env.file)} (${maskUrl(url.url)})` : `\`${maskUrl(url.url)}\``;
}

function urlFix(context: RuleContext, url: UrlSource, missing: Missing[], literalStart?: number): Fix[] {
  if (!url.literal && literalStart === undefined) return [];
  const additions = missing.map((m) => m.insert!).join('&');
  const hasQuery = url.url.includes('?');
  const start = literalStart ?? url.literal!.getStart();
  const end = start + 1 + url.url.length;
  const hash = url.url.indexOf('#');
  if (hash >= 0 || (url.literal && url.literal.getText().length !== url.url.length + 2)) return [];
  return [{ kind: 'suggestion', title: `Add ${additions} to the connection URL`, edits: [{ start: end, end, text: `${hasQuery ? '&' : '?'}${additions}` }] }];
}

function checkPrismaClient(context: RuleContext, node: ts.NewExpression | ts.CallExpression, args: readonly ts.Expression[]): void {
  const options = optionsOf(args[0]);
  if (options === 'unknown' || options === undefined || options.properties.has('adapter')) return;
  let urlExpression = options.properties.get('datasourceUrl');
  const datasources = staticObject(options.properties.get('datasources'));
  if (!urlExpression && datasources && datasources.properties.size === 1) {
    const db = staticObject([...datasources.properties.values()][0]);
    urlExpression = db?.properties.get('url');
  }
  const url = urlOf(context, urlExpression);
  if (!url) return;
  const result = prismaUrlMissing(context, url);
  if (!result) return;
  const related: RelatedDescriptor[] = url.env ? [{ path: url.env.file, range: { start: url.env.nameStart, end: url.env.nameEnd }, message: `\`${url.env.name}\` is defined here` }] : [];
  context.report({
    node,
    message: `Prisma datasource URL ${describeUrl(context, url)} has no ${result.missing.map((m) => `\`${m.setting}\``).join(' or ')} although ${result.why}: ${result.missing.map((m) => `without \`${m.setting}\`, ${m.consequence}`).join('; ')}.`,
    related,
    fixes: urlFix(context, url, result.missing),
  });
}

function checkSchema(context: RuleContext): void {
  const scanned = scanSchema(context.text);
  for (const block of scanned.blocks) {
    if (block.kind !== 'datasource') continue;
    const provider = block.properties.find((p) => p.key === 'provider')?.value?.text ?? '';
    if (/sqlite|mongodb/.test(provider)) continue;
    const urlProperty = block.properties.find((p) => p.key === 'url');
    const value = urlProperty?.value;
    if (!urlProperty || !value) continue;
    let url: UrlSource | undefined;
    // the scanner normalises string text; read the literal's raw content
    if (value.kind === 'string') url = { url: context.text.slice(value.span.start + 1, value.span.end - 1) };
    else if (value.kind === 'call' && value.text.startsWith('env')) {
      const name = value.args?.[0]?.value;
      if (name?.kind === 'string') {
        const env = envVariable(context.project, name.text, context.path);
        if (env) url = { url: env.value, env };
      }
    }
    if (!url) continue;
    const result = prismaUrlMissing(context, url);
    if (!result) continue;
    const related: RelatedDescriptor[] = url.env ? [{ path: url.env.file, range: { start: url.env.nameStart, end: url.env.nameEnd }, message: `\`${url.env.name}\` is defined here` }] : [];
    context.report({
      range: urlProperty.span,
      message: `Datasource URL ${describeUrl(context, url)} has no ${result.missing.map((m) => `\`${m.setting}\``).join(' or ')} although ${result.why}: ${result.missing.map((m) => `without \`${m.setting}\`, ${m.consequence}`).join('; ')}.`,
      related,
      fixes: value.kind === 'string' && context.text[value.span.start] === '"' && context.text[value.span.end - 1] === '"' ? urlFix(context, url, result.missing, value.span.start) : [],
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting and fixes

function report(
  context: RuleContext,
  node: ts.NewExpression | ts.CallExpression,
  what: string,
  missing: Missing[],
  optionsArgument: ts.Expression | undefined,
  options: StaticObject | undefined,
  /** The argument after which a new options object goes when there is none. */
  insertAfter?: ts.Expression,
  env?: EnvValue,
): void {
  if (missing.length === 0) return;
  const settings = missing.map((m) => `\`${m.setting}\``);
  const list = settings.length === 1 ? settings[0] : `${settings.slice(0, -1).join(', ')} and ${settings[settings.length - 1]}`;
  const message = `${what} is missing ${list}: ${missing.map((m) => `without \`${m.setting}\`, ${m.consequence}`).join('; ')}.`;
  const related: RelatedDescriptor[] = env ? [{ path: env.file, range: { start: env.nameStart, end: env.nameEnd }, message: `\`${env.name}\` is defined here` }] : [];
  context.report({ node, message, related, fixes: optionsFix(context, node, missing, optionsArgument, options, insertAfter) });
}

function optionsFix(context: RuleContext, node: ts.NewExpression | ts.CallExpression, missing: Missing[], optionsArgument: ts.Expression | undefined, options: StaticObject | undefined, insertAfter?: ts.Expression): Fix[] {
  const fixable = missing.filter((m) => m.insert || m.replace);
  if (fixable.length === 0 || hasSyntaxErrors(context.sourceFile!)) return [];
  const sourceFile = context.sourceFile!;
  const text = context.text;
  const edits: TextEdit[] = [];
  const inserts = fixable.filter((m) => m.insert && !m.into).map((m) => m.insert!);
  for (const m of fixable) {
    if (!m.into) continue;
    // A nested literal written elsewhere (a `const pool = { … }` in another module) is not ours to edit.
    if (m.into.getSourceFile() !== sourceFile) return [];
    edits.push(appendPropertyEdit(sourceFile, m.into, m.insert!));
  }
  for (const m of fixable) {
    if (!m.replace || m.insert) continue;
    const value = m.setting.startsWith('prepare') ? 'false' : m.setting.startsWith('queueLimit') ? '100' : m.setting === 'connectionTimeoutMillis' ? '5000' : undefined;
    if (!value) return [];
    // only when the value is written in this file, in the literal we edit
    if (m.replace.getSourceFile() !== sourceFile) return [];
    edits.push({ start: m.replace.getStart(), end: m.replace.getEnd(), text: value });
  }
  if (inserts.length > 0) {
    if (options) {
      const literal = options.literal;
      if (literal.getSourceFile() !== sourceFile) return [];
      // the literal we edit must be the one holding the properties (not a spread source)
      const multiline = literal.properties.length > 0 && text.slice(literal.getStart(), literal.properties[literal.properties.length - 1].getStart()).includes('\n');
      const separator = multiline ? `,${newlineOf(text)}${indentationAt(text, literal.properties[literal.properties.length - 1].getStart())}` : ', ';
      const emptyMultiline = literal.properties.length === 0 && text.slice(literal.getStart(), literal.getEnd()).includes('\n');
      edits.push(appendPropertyEdit(sourceFile, literal, inserts.join(emptyMultiline ? `,${newlineOf(text)}${indentationAt(text, literal.getStart())}  ` : separator)));
    } else if (optionsArgument === undefined) {
      const objectText = `{ ${inserts.join(', ')} }`;
      if (insertAfter) edits.push({ start: insertAfter.getEnd(), end: insertAfter.getEnd(), text: `, ${objectText}` });
      else {
        if (!node.arguments) return [];
        const open = text.indexOf('(', node.expression.getEnd());
        if (open < 0 || node.arguments.length > 0) return [];
        edits.push({ start: open + 1, end: open + 1, text: objectText });
      }
    } else return [];
  }
  const safe = fixable.every((m) => m.isDefault && m.insert);
  const titles = fixable.map((m) => (m.title ?? m.insert ?? `${m.setting.split(':')[0]}: ${edits.find((e) => e.start === m.replace?.getStart())?.text}`).replace(/^pool: \{.*\}$/, 'pool: { … }'));
  return [{ kind: safe ? 'safe' : 'suggestion', title: `Set ${titles.join(', ')}`, edits }];
}
