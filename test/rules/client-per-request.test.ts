import rule from '../../rules/client-per-request';
import { ruleTester } from '../harness/ruleTester';

const NEXT_PACKAGE = JSON.stringify({ name: 'web', dependencies: { next: '15.0.0', '@prisma/client': '6.0.0' } });

ruleTester(rule, {
  valid: [
    {
      name: 'a migration helper connecting to the configuration its caller gives (through a const made from it) and closing it; a factory returning a client with a listener attached',
      code: `import { createConnection, type DataSourceOptions } from 'typeorm';
import knex from 'knex';
declare function prepare(config: object): Promise<DataSourceOptions>;
export async function generateMigration(userConfig: object) {
  const config = await prepare(userConfig);
  const connection = await createConnection({ ...config, logging: false });
  const sql = await connection.driver.createSchemaBuilder().log();
  await connection.close();
  return sql;
}
export class Connection {
  createKnexClient(type: string) {
    return knex({ client: type }).on('query', (data: unknown) => data);
  }
}
`,
    },
    {
      name: 'a LISTEN client replaced only when its connection is lost, and a factory called from constructors',
      code: `import pg from 'pg';
import { createClient, type Client } from '@libsql/client';
export class Notifications {
  constructor(private config: pg.ClientConfig) {}
  async subscribe(channel: string, onMessage: (p: string) => void) {
    let current: pg.Client | null = null;
    const open = async () => {
      const fresh = new pg.Client({ ...this.config, keepAlive: true });
      fresh.on('notification', (m) => onMessage(m.payload ?? ''));
      fresh.on('error', () => { void fresh.end(); setTimeout(() => void open(), 1000); });
      current = fresh;
      await fresh.connect();
      await fresh.query(\`LISTEN "\${channel}"\`);
    };
    await open();
    return () => current?.end();
  }
}
class Db { constructor(readonly options: { client: Client }) {} }
function clientFrom(config: { url: string } | { client: Client }) {
  if ('client' in config) return config.client;
  return createClient({ url: config.url });
}
export class SessionsStore {
  #db: Db;
  constructor(config: { url: string }) {
    const client = clientFrom(config);
    this.#db = new Db({ client });
  }
}
`,
    },
    // A factory's client opened by its caller for a target the caller was given, and closed there:
    // an admin connection per database at start-up (the parameter belongs to an enclosing function).
    `import knexFactory, { Knex } from 'knex';
export function createPgClient(config: { url: string }): Knex {
  return knexFactory({ client: 'pg', connection: config.url });
}
export async function ensureDatabases(config: { url: string }, ...databases: string[]) {
  await Promise.all(databases.map(async (database) => {
    const admin = createPgClient(config);
    try {
      await admin.raw('CREATE DATABASE ??', [database]);
    } finally {
      await admin.destroy();
    }
  }));
}`,
    // A factory whose caller is a factory too (it returns the client, alone or in an object), called
    // from nowhere that runs per request here: whoever calls the outer one owns and caches the clients.
    {
      code: `import knexFactory, { Knex } from 'knex';
import Redis from 'ioredis';
export function createPgClient(connection: string): Knex {
  const db = knexFactory({ client: 'pg', connection });
  return db;
}
export class PgConnector {
  async getClient(pluginId: string): Promise<Knex> {
    return createPgClient(\`postgres://db/\${pluginId}\`);
  }
}
async function openConnection(url: string): Promise<Redis> {
  const conn = new Redis(url, { lazyConnect: true });
  await conn.connect();
  return conn;
}
export default async function load(url: string) {
  const publisher = await openConnection(url);
  const subscriber = await openConnection(url);
  return { publisher, subscriber };
}`,
    },
    // Only its settings are read: a pg Client connects on connect(), a PrismaClient on first use.
    `import { Client } from 'pg';
import { PrismaClient } from '@prisma/client';
export async function databaseName(config: { connectionString: string }) {
  const parsed = new Client(config);
  const name = parsed.database;
  if (!name) throw new Error('database name required');
  return [name, new Client(config).host];
}
export function unused() {
  const prisma = new PrismaClient();
  return 1;
}`,
    // module-level singletons
    `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient();
export async function GET() { return prisma.user.findMany({ take: 10 }); }`,
    `import { PrismaClient } from '@prisma/client';
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
export const prisma = globalForPrisma.prisma ?? new PrismaClient();
if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;`,
    // lazily cached inside a function
    `import { PrismaClient } from '@prisma/client';
export function db() { return (globalThis.__prisma ??= new PrismaClient()); }`,
    `import { Pool } from 'pg';
let pool: Pool | undefined;
export function getPool() {
  if (!pool) pool = new Pool({ max: 5 });
  return pool;
}`,
    // a probe of a target the caller gives, closed at once: no shared instance can serve it
    // the same, assigned in one branch to a local the function closes (a schema sync given options or a data source)
    `import { DataSource, InstanceChecker, type DataSourceOptions } from 'typeorm';
export async function syncSchema(input: DataSource | DataSourceOptions) {
  let dataSource: DataSource;
  if (InstanceChecker.isDataSource(input)) dataSource = input;
  else dataSource = new DataSource(input);
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.synchronize(false);
  if (!InstanceChecker.isDataSource(input)) await dataSource.destroy();
}
export async function createAppDatabase(context: { options: DataSourceOptions; synchronize?: boolean }) {
  if (context.synchronize) await syncSchema(context.options);
}`,
    `import { MongoClient } from 'mongodb';
export async function pingMongo(connectionString: string) {
  const client = await MongoClient.connect(connectionString);
  try {
    await client.db().command({ ping: 1 });
  } finally {
    await client.close();
  }
}`,
    `import { Client } from 'pg';
export async function checkCredentials(form: { host: string; user: string; password: string }) {
  const client = new Client({ host: form.host, user: form.user, password: form.password });
  await client.connect();
  await client.end();
  return true;
}`,
    // the promise of a connection, cached: one client
    `import { MongoClient, type Db } from 'mongodb';
let pending: Promise<Db> | undefined;
export function getDb() {
  pending ??= MongoClient.connect(process.env.MONGO_URL!).then((client) => client.db());
  return pending;
}`,
    `import { MongoClient, type Db } from 'mongodb';
export class Files {
  private connecting?: Promise<Db>;
  open() {
    if (!this.connecting) this.connecting = MongoClient.connect(process.env.MONGO_URL!).then((client) => client.db('files'));
    return this.connecting;
  }
}`,
    // cached in a variable of an enclosing factory: one client per factory call (an adapter, a store)
    `import { Pool } from 'pg';
export function makeStore(url: string) {
  let pool: Pool | undefined;
  const getPool = () => {
    if (!pool) pool = new Pool({ connectionString: url, max: 10 });
    return pool;
  };
  return { byId: (id: string) => getPool().query('select * from t where id = $1', [id]) };
}`,
    `import { MikroORM } from '@mikro-orm/postgresql';
export function adapter(config: object) {
  let orm: MikroORM | undefined;
  const getEM = async () => {
    orm ??= await MikroORM.init(config);
    return orm.em.fork();
  };
  return { getUser: async (id: string) => (await getEM()).findOne('User', { id }) };
}`,
    `import Redis from 'ioredis';
let client: Redis | null = null;
export function redis() {
  if (client) return client;
  const created = new Redis(process.env.REDIS_URL!);
  client = created;
  return created;
}`,
    `import { Pool } from 'pg';
const pools = new Map<string, Pool>();
export function poolFor(tenant: string) {
  let pool = pools.get(tenant);
  if (!pool) { pool = new Pool({ database: tenant }); pools.set(tenant, pool); }
  return pool;
}`,
    `import { MongoClient } from 'mongodb';
class Db {
  private client?: MongoClient;
  get() { return (this.client ??= new MongoClient(process.env.MONGO_URL!)); }
}
export const db = new Db();`,
    // factory called only at module scope
    `import { PrismaClient } from '@prisma/client';
function createClient() { return new PrismaClient({ log: ['error'] }); }
export const prisma = createClient();`,
    `import postgres from 'postgres';
async function main() {
  const sql = postgres(process.env.DATABASE_URL!);
  await sql\`select 1\`;
  await sql.end();
}
main().catch(console.error);`,
    // once/memoize wrappers and DI factories
    `import once from 'lodash/once';
import { Pool } from 'pg';
export const getPool = once(() => new Pool());`,
    `import { Module } from '@nestjs/common';
import { Pool } from 'pg';
@Module({ providers: [{ provide: 'PG', useFactory: () => new Pool({ max: 10 }) }] })
export class DbModule {}`,
    `import { Injectable, OnModuleInit } from '@nestjs/common';
import { MongoClient } from 'mongodb';
@Injectable()
export class Mongo implements OnModuleInit {
  client!: MongoClient;
  async onModuleInit() { this.client = await MongoClient.connect(process.env.MONGO_URL!); }
}`,
    // BullMQ queues in several modules are no duplicates (a producer here, the same queue's events elsewhere)
    { files: { 'src/jobs/emails.ts': `import { Queue } from 'bullmq';\nexport const emails = new Queue('emails', { connection: { host: 'redis' } });\n` }, code: `import { Queue } from 'bullmq';\nexport const producer = new Queue('emails', { connection: { host: 'redis' } });\n` },
    // HTTP-based clients are cheap per request
    `import { createClient } from '@libsql/client/web';
export async function GET() { const db = createClient({ url: process.env.TURSO_URL! }); return db.execute('select 1'); }`,
    // pg-promise's initializer is no connection
    `import pgPromise from 'pg-promise';
export function init() { return pgPromise({ capSQL: true }); }`,
    `import { Redis } from '@upstash/redis';
export async function handler() { const redis = Redis.fromEnv(); return redis.get('k'); }`,
    `import { neon } from '@neondatabase/serverless';
export async function GET() { const sql = neon(process.env.DATABASE_URL!); return sql\`select 1\`; }`,
    // models and repositories are not connections
    `import mongoose from 'mongoose';
export function model() { return mongoose.model('User', new mongoose.Schema({})); }`,
    // local class named PrismaClient is not Prisma
    `class PrismaClient { user = { findMany: async () => [] }; }
export async function GET() { const p = new PrismaClient(); return p.user.findMany(); }`,
    // a class whose constructor creates a pool, instantiated once
    `import { Pool } from 'pg';
class Database { pool: Pool; constructor() { this.pool = new Pool(); } }
export const database = new Database();`,
    // test files, seeds and scripts are excluded
    { code: `import { PrismaClient } from '@prisma/client';\nexport async function run() { const prisma = new PrismaClient(); await prisma.$disconnect(); }`, filename: 'prisma/seed.ts' },
    { code: `import { PrismaClient } from '@prisma/client';\nbeforeEach(() => { const prisma = new PrismaClient(); });`, filename: 'src/users.test.ts' },
    { code: `import { Pool } from 'pg';\nexport async function migrate() { const pool = new Pool(); await pool.end(); }`, filename: 'scripts/migrate.ts' },
    { code: `import { Pool } from 'pg';\nexport async function seed() { const pool = new Pool(); await pool.end(); }`, filename: 'src/seeders/users.ts' },
    // two module-level pools to different databases are not duplicates
    {
      code: `import { Pool } from 'pg';\nexport const primary = new Pool({ connectionString: process.env.DATABASE_URL });`,
      filename: 'src/db/primary.ts',
      files: { 'src/db/analytics.ts': `import { Pool } from 'pg';\nexport const analytics = new Pool({ connectionString: process.env.ANALYTICS_URL });\n` },
    },
    // one module-level client, imported elsewhere
    {
      code: `import { prisma } from './db';\nexport const list = () => prisma.user.findMany({ take: 5 });`,
      filename: 'src/users.ts',
      files: { 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` },
    },
    // duplicates in a test file or a seed do not count
    {
      code: `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();`,
      filename: 'src/db.ts',
      files: { 'prisma/seed.ts': `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`, 'test/setup.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` },
    },
    // two app templates of one generator package, each with its own framework configuration (Blitz's app and pages templates)
    {
      code: `import { PrismaClient } from '@prisma/client';\nconst db = new PrismaClient();\nexport default db;\n`,
      filename: 'templates/app/db/index.ts',
      files: {
        'package.json': '{"name":"generator","dependencies":{"@prisma/client":"^5.0.0"}}',
        'templates/app/next.config.js': 'module.exports = {};\n',
        'templates/pages/next.config.js': 'module.exports = {};\n',
        'templates/pages/db/index.ts': `import { PrismaClient } from '@prisma/client';\nconst db = new PrismaClient();\nexport default db;\n`,
      },
    },
    // a starter's TypeScript and JavaScript templates, each a Prisma project with its own prisma.config
    {
      code: `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
      filename: 'templates/ts/src/db.ts',
      files: {
        'package.json': '{"name":"create-starter","dependencies":{"@prisma/client":"^6.0.0"}}',
        'templates/ts/prisma.config.ts': "export default { schema: 'prisma/schema.prisma' };\n",
        'templates/js/prisma.config.js': "module.exports = { schema: 'prisma/schema.prisma' };\n",
        'templates/js/src/db.js': `const { PrismaClient } = require('@prisma/client');\nexports.prisma = new PrismaClient();\n`,
      },
    },
    // separate apps of a monorepo
    {
      code: `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();`,
      filename: 'apps/api/src/db.ts',
      files: { 'apps/api/package.json': '{"name":"api"}', 'apps/worker/package.json': '{"name":"worker"}', 'apps/worker/src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` },
    },
    // Redis connections are often separate on purpose (subscriber, BullMQ)
    {
      code: `import Redis from 'ioredis';\nexport const subscriber = new Redis();`,
      filename: 'src/sub.ts',
      files: { 'src/pub.ts': `import Redis from 'ioredis';\nexport const publisher = new Redis();\n` },
    },
    // drizzle/Kysely wrapping an existing pool open no connection of their own
    `import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
const pool = new Pool();
export function dbFor(schema: Record<string, unknown>) { return drizzle({ client: pool, schema }); }`,
    `import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
const pool = new Pool();
export function scoped() { return new Kysely<any>({ dialect: new PostgresDialect({ pool }) }); }`,
    // factories hand the client to their caller: reported only where called per call
    `import { Client } from 'pg';
export function connect(options: object) { return new Client(options); }`,
    `import { Client } from 'pg';
import { Driver } from './driver';
export class Source { async acquire(options: object) { const c = new Driver(new Client(options)); await c.connect(); return c; } }`,
    `import pg from 'pg';
export function db(url: string) {
  const client = new pg.Client(url);
  const query = async (text: string) => { await client.connect(); return client.query(text); };
  return { query, close: () => client.end() };
}`,
    { code: `import { createClient } from 'redis';
export const make = () => { const c = createClient(); c.connect(); };`, filename: 'src/index_test.ts' },
  ],
  invalid: [
    {
      name: 'a BullMQ queue per request opens a Redis connection each time',
      code: `import { Queue } from 'bullmq';\nexport async function handler(req: { body: { tenant: string } }) {\n  const queue = new Queue(\`tenant-\${req.body.tenant}\`, { connection: { host: 'redis' } });\n  await queue.add('job', {});\n}\n`,
      errors: [{ message: /^`new Queue\(…\)` runs on every call of `handler`: a new BullMQ queue with its own Redis connection per call, .* the Redis server runs out of connections/ }],
    },
    {
      name: 'a client assigned to a local it never closes is no probe',
      code: `import { DataSource, type DataSourceOptions } from 'typeorm';\nexport async function handle(options: DataSourceOptions) {\n  let current: DataSource;\n  current = new DataSource(options);\n  await current.initialize();\n  return current.query('select 1');\n}\nexport async function route(req: { options: DataSourceOptions }) {\n  await handle(req.options);\n}\n`,
      errors: [{ message: /^`new DataSource\(options\)` runs on every call of `handle`/ }],
    },
    {
      name: 'pg-promise: a database per request from the initializer',
      code: `import pgPromise from 'pg-promise';\nconst pgp = pgPromise();\nexport async function handler(req: { tenantUrl: string }) {\n  const db = pgp(req.tenantUrl);\n  return db.one('SELECT 1');\n}\n`,
      errors: [{ message: /^`pgp\(req\.tenantUrl\)` runs on every call of `handler`: a new pg-promise database with its own connection pool per call/ }],
    },
    {
      name: "a factory's client opened and closed per request, to a fixed target: one shared client would do",
      code: `import knexFactory, { Knex } from 'knex';
function createPgClient(): Knex {
  return knexFactory({ client: 'pg', connection: process.env.DATABASE_URL });
}
export async function handler(req: { id: string }) {
  const db = createPgClient();
  try {
    return await db('users').where({ id: req.id }).first();
  } finally {
    await db.destroy();
  }
}`,
      errors: [{ message: /runs on every call of `createPgClient`/ }],
    },
    {
      name: 'a factory called through another factory by a per-request handler',
      code: `import { Pool } from 'pg';
function makePool(url: string) {
  return new Pool({ connectionString: url });
}
function tenantPool(id: string) {
  return makePool(\`postgres://db/\${id}\`);
}
export async function handler(req: { id: string }) {
  const pool = tenantPool(req.id);
  return pool.query('select 1');
}`,
      errors: [{ message: /^`new Pool\(…\)` runs on every call of `makePool`|runs on every call of `makePool`/ }],
    },
    {
      name: 'mysql2 createConnection and ioredis connect as they are made, even when only read',
      code: `import mysql from 'mysql2';
import Redis from 'ioredis';
export function settings() {
  const connection = mysql.createConnection({ host: 'db' });
  const redis = new Redis();
  return [connection.config, redis.options];
}`,
      errors: [{ message: /`mysql\.createConnection\(…\)` runs on every call of `settings`|createConnection/ }, { message: /new Redis\(\)/ }],
    },
    {
      name: 'a pg Client that is connected is a connection',
      code: `import { Client } from 'pg';
export async function version(config: { connectionString: string }) {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client.database;
}`,
      errors: [{ message: /runs on every call of `version`/ }],
    },
    {
      name: 'a pool per call to a caller-given target, never closed',
      code: `import { Pool } from 'pg';
export async function rows(req: { tenantUrl: string }) {
  const pool = new Pool({ connectionString: req.tenantUrl });
  const { rows } = await pool.query('select 1');
  return rows;
}`,
      errors: [{ message: /runs on every call of `rows`/ }],
    },
    {
      name: 'a client per call closed at once, but to a fixed target: one shared client would do',
      code: `import { Client } from 'pg';
export async function ping(label: string) {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query('select $1', [label]);
  await client.end();
}`,
      errors: [{ message: /runs on every call of `ping`/ }],
    },
    {
      name: "TypeScript's compiled CommonJS call form: (0, mysql_1.createPool)(…) per call",
      filename: 'src/rows.js',
      code: `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const mysql_1 = require("mysql2/promise");
async function fetchRows(sqlText) {
    const pool = (0, mysql_1.createPool)({ host: process.env.DB_HOST });
    const [rows] = await pool.query(sqlText);
    return rows;
}
exports.fetchRows = fetchRows;
`,
      errors: [{ message: /^`\(0, mysql_1\.createPool\)\(\{ host: proce…` runs on every call of `fetchRows`: a new mysql2 pool per call/ }],
    },
    {
      name: 'a single connection opened per invocation: reported, with no hoisting fix (its connect() would run again on the shared client)',
      code: `import { Client } from 'pg';
export const handler = async (event: { id: string }) => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query('SELECT id FROM orders WHERE id = $1', [event.id])).rows[0];
  } finally {
    await client.end();
  }
};`,
      errors: [{ message: /^`new Client\(…\)` runs on every call of `handler`/, fixes: [] }],
    },
    {
      name: 'a client replaced on every call of a function handed to callers is per call, even stored in the enclosing variable',
      code: `import pg from 'pg';
export function makeListener(config: pg.ClientConfig) {
  let current: pg.Client | null = null;
  const open = async () => {
    const fresh = new pg.Client(config);
    current = fresh;
    await fresh.connect();
    return current;
  };
  return { query: async (sql: string) => (await open()).query(sql) };
}`,
      errors: [{ message: /runs on every call of `open`/ }],
    },
    {
      name: 'a variable of an enclosing factory assigned on every call is no cache',
      code: `import { Pool } from 'pg';
export function makeStore(url: string) {
  let pool: Pool | undefined;
  const connect = () => {
    pool = new Pool({ connectionString: url });
    return pool;
  };
  return { byId: (id: string) => connect().query('select * from t where id = $1', [id]) };
}`,
      errors: [{ message: /runs on every call of `connect`/ }],
    },
    {
      name: 'Next.js route handler creating a PrismaClient per request',
      code: `import { PrismaClient } from '@prisma/client';

export async function GET() {
  const prisma = new PrismaClient();
  const users = await prisma.user.findMany({ take: 20 });
  await prisma.$disconnect();
  return Response.json(users);
}
`,
      filename: 'app/api/users/route.ts',
      files: { 'package.json': NEXT_PACKAGE },
      errors: [
        {
          message:
            '`new PrismaClient()` runs on every call of `GET`: a new Prisma Client with its own connection pool (num_cpus × 2 + 1 connections) per call, so under load the process opens connections faster than the old clients are closed and the database runs out of connections. Create one instance at module scope and reuse it.',
          line: 4,
          column: 18,
          severity: 'error',
          fixes: [
            {
              title: 'Hoist `prisma` into one module-level client, cached on globalThis across hot reloads',
              output: `import { PrismaClient } from '@prisma/client';

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
const prisma = globalForPrisma.prisma ?? new PrismaClient();
if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;

export async function GET() {
  const users = await prisma.user.findMany({ take: 20 });
  return Response.json(users);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Express handler creating a pg Pool per request: plain hoist',
      code: `import express from 'express';
import { Pool } from 'pg';

const app = express();
app.get('/orders', async (req, res) => {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  try {
    const { rows } = await pool.query('select * from orders limit 50');
    res.json(rows);
  } finally {
    await pool.end();
  }
});
`,
      errors: [
        {
          message: /^`new Pool\(…\)` runs on every call of the enclosing function: a new node-postgres pool per call/,
          fixes: [
            {
              title: 'Hoist `pool` into one module-level instance',
              output: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

const app = express();
app.get('/orders', async (req, res) => {
  try {
    const { rows } = await pool.query('select * from orders limit 50');
    res.json(rows);
  } finally {
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'shared instance exists: import it instead',
      code: `import { PrismaClient } from '@prisma/client';

export async function listUsers() {
  const prisma = new PrismaClient();
  return prisma.user.findMany({ take: 10 });
}
`,
      filename: 'src/routes/users.ts',
      files: { 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` },
      errors: [
        {
          fixes: [
            {
              title: 'Use the shared `prisma` exported by src/db.ts',
              output: `import { PrismaClient } from '@prisma/client';
import { prisma } from '../db';

export async function listUsers() {
  return prisma.user.findMany({ take: 10 });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'pg Client per call: a connection handshake per call',
      code: `import { Client } from 'pg';
export async function count() {
  const client = new Client();
  await client.connect();
  const r = await client.query('select count(*) from users');
  await client.end();
  return r.rows[0];
}
`,
      errors: [{ message: /a new PostgreSQL connection \(TCP \+ TLS \+ authentication handshake\) per call/ }],
    },
    {
      name: 'postgres.js per call, arguments use a parameter: reported without a fix',
      code: `import postgres from 'postgres';
export async function query(url: string) {
  const sql = postgres(url);
  return sql\`select 1\`;
}
`,
      errors: [{ message: /^`postgres\(url\)` runs on every call of `query`: a new postgres\.js pool per call/, fixes: [] }],
    },
    {
      name: 'mysql2 createPool inside a method',
      code: `import mysql from 'mysql2/promise';
export class OrderRepository {
  async find(id: number) {
    const pool = mysql.createPool({ host: 'db', connectionLimit: 5, queueLimit: 10 });
    const [rows] = await pool.query('select * from orders where id = ?', [id]);
    return rows;
  }
}
`,
      errors: [{ message: /runs on every call of `find`: a new mysql2 pool per call/ }],
    },
    {
      name: 'ioredis per request in a GraphQL resolver',
      code: `import Redis from 'ioredis';
export const resolvers = {
  Query: {
    cached: async (_: unknown, args: { key: string }) => {
      const redis = new Redis(process.env.REDIS_URL!);
      return redis.get(args.key);
    },
  },
};
`,
      errors: [{ message: /^`new Redis\(process\.env\.REDIS_URL!\)` runs on every call of `cached`: a new Redis connection per call/ }],
    },
    {
      name: 'node-redis createClient per call',
      code: `import { createClient } from 'redis';
export async function publish(msg: string) {
  const client = createClient();
  await client.connect();
  await client.publish('events', msg);
  await client.quit();
}
`,
      errors: [{ message: /a new Redis connection per call/ }],
    },
    {
      name: 'MongoClient per call',
      code: `import { MongoClient } from 'mongodb';
export async function handler() {
  const client = new MongoClient(process.env.MONGO_URL!);
  const db = client.db('app');
  return db.collection('users').findOne({});
}
`,
      errors: [{ message: /a new MongoClient with its own connection pool per call/ }],
    },
    {
      name: 'Sequelize, TypeORM DataSource and knex per call',
      code: `import { Sequelize } from 'sequelize';
import { DataSource } from 'typeorm';
import knex from 'knex';
export async function a() { const s = new Sequelize(process.env.DATABASE_URL!); await s.authenticate(); }
export async function b() { const d = new DataSource({ type: 'postgres' }); await d.initialize(); }
export async function c() { const k = knex({ client: 'pg' }); return k.raw('select 1'); }
`,
      errors: [{ line: 4, message: /Sequelize instance/ }, { line: 5, message: /TypeORM DataSource/ }, { line: 6, message: /Knex pool/ }],
    },
    {
      name: 'class extending PrismaClient instantiated per call',
      code: `import { PrismaClient } from '@prisma/client';
class AppPrisma extends PrismaClient {}
export async function handler() {
  const db = new AppPrisma();
  return db.user.count();
}
`,
      errors: [{ message: /^`new AppPrisma\(\)` runs on every call of `handler`: a new Prisma Client/ }],
    },
    {
      name: 'one level of indirection: constructor creates a pool (imported class)',
      code: `import { Database } from './database';
export async function handler() {
  const db = new Database();
  return db.pool.query('select 1');
}
`,
      files: { 'src/database.ts': `import { Pool } from 'pg';\nexport class Database {\n  pool: Pool;\n  constructor() {\n    this.pool = new Pool();\n  }\n}\n` },
      errors: [
        {
          message: /^`new Database\(\)` runs on every call of `handler`, and `Database` creates `new Pool\(\)` when constructed: a new node-postgres pool per call/,
          related: 1,
          fixes: [],
        },
      ],
    },
    {
      name: 'field initialiser creates the client; class instantiated per request',
      code: `import { PrismaClient } from '@prisma/client';
class UserService {
  private prisma = new PrismaClient();
  list() { return this.prisma.user.findMany({ take: 10 }); }
}
export async function GET() {
  return new UserService().list();
}
`,
      errors: [{ line: 7, message: /`UserService` creates `new PrismaClient\(\)` when constructed/ }],
    },
    {
      name: 'factory function called from a handler',
      code: `import { Pool } from 'pg';
function makePool() { return new Pool(); }
export async function handler() { const p = makePool(); return p.query('select 1'); }
`,
      errors: [{ line: 2, message: /runs on every call of `makePool`/ }],
    },
    {
      name: 'duplicate module-level PrismaClients across route modules',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const handler = () => prisma.user.count();
`,
      filename: 'src/routes/users.ts',
      files: {
        'src/routes/orders.ts': `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const handler = () => prisma.order.count();\n`,
        'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
      },
      errors: [
        {
          message: /^`new PrismaClient\(\)` is also constructed at module scope in src\/db\.ts, src\/routes\/orders\.ts: each module gets its own Prisma Client with its own connection pool \(num_cpus × 2 \+ 1 connections\), so one process holds 3 of them\./,
          severity: 'warning',
          related: 2,
          fixes: [
            {
              title: 'Import the shared `prisma` from src/db.ts instead of creating another',
              output: `import { PrismaClient } from '@prisma/client';
import { prisma } from '../db';
export const handler = () => prisma.user.count();
`,
            },
          ],
        },
      ],
    },
    {
      name: 'duplicate pg pools: the exporting module is reported without a fix',
      code: `import { Pool } from 'pg';
export const pool = new Pool();
`,
      filename: 'src/db.ts',
      files: { 'src/jobs/worker.ts': `import { Pool } from 'pg';\nconst pool = new Pool();\nexport const run = () => pool.query('select 1');\n` },
      errors: [{ message: /also constructed at module scope in src\/jobs\/worker\.ts/, related: 1, fixes: [] }],
    },
    {
      name: 'drizzle with its own connection URL per call',
      code: `import { drizzle } from 'drizzle-orm/node-postgres';
export async function handler() {
  const db = drizzle(process.env.DATABASE_URL!);
  return db.execute('select 1');
}
`,
      errors: [{ message: /^`drizzle\(process\.env\.DATABASE_URL!\)` runs on every call of `handler`: a new Drizzle client per call/ }],
    },
  ],
});
