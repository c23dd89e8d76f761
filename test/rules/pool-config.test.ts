import rule from '../../rules/pool-config';
import { ruleTester } from '../harness/ruleTester';

const VERCEL = { 'vercel.json': '{ "framework": "nextjs" }' };
const SCHEMA_ENV = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id Int @id
}
`;

ruleTester(rule, {
  valid: [
    // NestJS TypeOrmModule: complete options, options from a class (unknown), and forFeature
    `import { TypeOrmModule } from '@nestjs/typeorm';
import { DbConfig } from './db-config';
export const modules = [
  TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 10, connectTimeoutMS: 5000 }),
  TypeOrmModule.forRootAsync({ useClass: DbConfig }),
  TypeOrmModule.forFeature([]),
];`,
    // Drizzle: a pool handed in is checked where it is made; complete connection options; an HTTP driver has no pool
    `import { drizzle } from 'drizzle-orm/node-postgres';
import { drizzle as http } from 'drizzle-orm/neon-http';
import { Pool } from 'pg';
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5, connectionTimeoutMillis: 5000, statement_timeout: 30000 });
export const a = drizzle(pool);
export const b = drizzle({ client: pool });
export const c = drizzle({ connection: { connectionString: process.env.DATABASE_URL!, max: 5, connectionTimeoutMillis: 3000, statement_timeout: 10000 } });
export const d = http(process.env.DATABASE_URL!);`,
    // a conditional spread of literal objects: its keys may be there
    `import { Pool } from 'pg';
export const pool = (ssl?: boolean) => new Pool({ max: 20, connectionTimeoutMillis: 5000, ...(ssl ? { ssl: true, statement_timeout: 30000 } : { statement_timeout: 10000 }) });`,
    // node-postgres configured
    `import { Pool } from 'pg';
export const pool = new Pool({ max: 20, connectionTimeoutMillis: 5000, statement_timeout: 30000 });`,
    `import pg from 'pg';
export const pool = new pg.Pool({ max: 20, connectionTimeoutMillis: 2000, query_timeout: 10000 });`,
    `import { Pool } from 'pg';
const config = { max: 5, connectionTimeoutMillis: 3000, options: '-c statement_timeout=5s' };
export const pool = new Pool(config);`,
    // options not statically known: never guessed
    `import { Pool } from 'pg';
import { poolConfig } from './config';
export const pool = new Pool(poolConfig);`,
    `import { Pool } from 'pg';
import { base } from './config';
export const pool = new Pool({ ...base, max: 5 });`,
    // pg Client is one connection, not a pool
    `import { Client } from 'pg';
export const client = new Client({ connectionString: process.env.DATABASE_URL });`,
    // a local class named Pool is not node-postgres
    `class Pool { constructor(readonly size = 1) {} }
export const pool = new Pool();`,
    // postgres.js configured
    `import postgres from 'postgres';
export const sql = postgres(process.env.DATABASE_URL!, { max: 10, idle_timeout: 20, connect_timeout: 10 });`,
    `import postgres from 'postgres';
export const sql = postgres('postgres://u:p@db-pooler.example.com:6543/app', { max: 1, idle_timeout: 20, connect_timeout: 10, prepare: false });`,
    // mysql2 configured
    `import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ host: 'db', connectionLimit: 10, queueLimit: 50 });`,
    `import { createPool } from 'mysql2';
export const pool = createPool({ uri: process.env.DATABASE_URL, connectionLimit: 5, queueLimit: 100 });`,
    // mysql2 single connection: not a pool
    `import mysql from 'mysql2/promise';
export const conn = await mysql.createConnection({ host: 'db' });`,
    // Knex configured, sqlite skipped
    `import knex from 'knex';
export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 10 }, acquireConnectionTimeout: 10000 });`,
    `import knex from 'knex';
export const db = knex({ client: 'better-sqlite3', connection: { filename: './dev.db' } });`,
    // TypeORM configured, sqlite skipped
    `import { DataSource } from 'typeorm';
export const ds = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 10, connectTimeoutMS: 5000 });`,
    `import { DataSource } from 'typeorm';
export const ds = new DataSource({ type: 'postgres', extra: { max: 10, connectionTimeoutMillis: 5000 } });`,
    `import { DataSource } from 'typeorm';
export const ds = new DataSource({ type: 'sqlite', database: 'db.sqlite' });`,
    // Sequelize configured, sqlite skipped
    // Sequelize options that cannot be read here: a parameter, a field built elsewhere
    `import { Sequelize, type Options } from 'sequelize';
export function connect(url: string, options: Options) { return new Sequelize(url, options); }
export class Source { private config: Options = load(); connect() { return new Sequelize(this.config); } }
export const legacy = (o: Options) => new Sequelize('shop', 'app', process.env.DB_PASSWORD, o);
declare function load(): Options;`,
    `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize(process.env.DATABASE_URL!, { pool: { max: 10, min: 0, acquire: 30000, idle: 10000 } });`,
    `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'db.sqlite' });`,
    // MongoClient configured (options or URL)
    `import { MongoClient } from 'mongodb';
export const client = new MongoClient(process.env.MONGO_URL!, { maxPoolSize: 20, serverSelectionTimeoutMS: 5000 });`,
    `import { MongoClient } from 'mongodb';
export const client = new MongoClient('mongodb://db:27017/?maxPoolSize=20&serverSelectionTimeoutMS=5000');`,
    {
      code: `import { MongoClient } from 'mongodb';
export const client = new MongoClient(process.env.MONGO_URL!);`,
      files: { '.env': 'MONGO_URL=mongodb://user:secret@db:27017/app?maxPoolSize=10&serverSelectionTimeoutMS=3000\n' },
    },
    // Prisma: not serverless and no pgbouncer → defaults are fine
    {
      code: SCHEMA_ENV,
      filename: 'prisma/schema.prisma',
      files: { '.env': 'DATABASE_URL="postgresql://app:secret@db:5432/app"\n' },
    },
    // Prisma serverless with both parameters
    {
      code: SCHEMA_ENV,
      filename: 'prisma/schema.prisma',
      files: { ...VERCEL, '.env': 'DATABASE_URL="postgresql://app:secret@db:5432/app?connection_limit=1&pool_timeout=20"\n' },
    },
    // Prisma Accelerate manages the pool
    {
      code: SCHEMA_ENV,
      filename: 'prisma/schema.prisma',
      files: { ...VERCEL, '.env': 'DATABASE_URL="prisma://accelerate.prisma-data.net/?api_key=abc"\n' },
    },
    // sqlite datasource
    {
      code: `datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n`,
      filename: 'prisma/schema.prisma',
      files: VERCEL,
    },
    // PrismaClient with a driver adapter: the adapter's pool is checked instead
    {
      code: `import { PrismaClient } from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 5, connectionTimeoutMillis: 5000, statement_timeout: 10000 });
export const prisma = new PrismaClient({ adapter });`,
      files: VERCEL,
    },
    // test files and scripts are not production pools
    { code: `import { Pool } from 'pg';\nexport const pool = new Pool();`, filename: 'test/helpers/db.ts' },
    { code: `import { Pool } from 'pg';\nconst pool = new Pool();\nawait pool.query('select 1');`, filename: 'scripts/migrate.ts' },
    // migrations and seeds are one-off too (the same paths as every rule that skips short-lived code)
    { code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function up() { await pool.query('alter table users add column age int'); }`, filename: 'db/migrations/0002_add_age.ts' },
    { code: `import { Pool } from 'pg';\nconst pool = new Pool();\nawait pool.query('insert into users default values');`, filename: 'src/seed-users.ts' },
    { code: `import { Pool } from 'pg';\nexport const pool = new Pool();`, filename: 'src/db.test.ts' },
    // env variable not defined anywhere: nothing to read
    {
      code: `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient({ datasourceUrl: process.env.MISSING_URL });`,
      files: VERCEL,
    },
  ],
  invalid: [
    {
      name: 'Sequelize with a URL alone, or database, user and password: every default',
      code: `import { Sequelize } from 'sequelize';\nexport const a = new Sequelize(process.env.DATABASE_URL!);\nexport const b = new Sequelize('shop', 'app', process.env.DB_PASSWORD);\n`,
      errors: [{ message: /^`new Sequelize\(…\)` \(Sequelize\) is missing `pool`/, line: 2 }, { message: /^`new Sequelize\(…\)` \(Sequelize\) is missing `pool`/, line: 3 }],
    },
    {
      name: "NestJS's TypeOrmModule.forRoot and forRootAsync take DataSource options",
      code: `import { TypeOrmModule } from '@nestjs/typeorm';\nexport const a = TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL });\nexport const b = TypeOrmModule.forRootAsync({ useFactory: () => ({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 5 }) });\n`,
      errors: [
        { message: /^`TypeOrmModule\.forRoot\(…\)` \(TypeORM, postgres\) is missing `poolSize` and `connectTimeoutMS`/, line: 2, fixes: [{ title: 'Set poolSize: 10, connectTimeoutMS: 5000', output: `import { TypeOrmModule } from '@nestjs/typeorm';\nexport const a = TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 10, connectTimeoutMS: 5000 });\nexport const b = TypeOrmModule.forRootAsync({ useFactory: () => ({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 5 }) });\n` }] },
        { message: /^`TypeOrmModule\.forRootAsync\(…\)` \(TypeORM, postgres\) is missing `connectTimeoutMS`/, line: 3, fixes: [{ title: 'Set connectTimeoutMS: 5000', output: `import { TypeOrmModule } from '@nestjs/typeorm';\nexport const a = TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL });\nexport const b = TypeOrmModule.forRootAsync({ useFactory: () => ({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 5, connectTimeoutMS: 5000 }) });\n` }] },
      ],
    },
    {
      name: "Drizzle's node-postgres driver given a URL makes a pool with every default (no options object to edit)",
      code: `import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL!);\nexport const other = drizzle({ connection: process.env.DATABASE_URL!, casing: 'snake_case' });\nexport const createDb = (env: { DATABASE_URL: string }) => drizzle(env.DATABASE_URL, { casing: 'snake_case' });\n`,
      errors: [
        { message: /^`drizzle\(…\)` \(Drizzle's node-postgres driver, which creates the pool\) is missing `connectionTimeoutMillis`, `statement_timeout` and `max`/, line: 2, fixes: [] },
        { message: /is missing `connectionTimeoutMillis`, `statement_timeout` and `max`/, line: 3, fixes: [] },
        { message: /is missing `connectionTimeoutMillis`, `statement_timeout` and `max`/, line: 4, fixes: [] },
      ],
    },
    {
      name: "Drizzle's node-postgres driver given connection options: the fix completes them",
      code: `import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle({ connection: { connectionString: process.env.DATABASE_URL!, max: 5 } });\n`,
      errors: [{
        message: /is missing `connectionTimeoutMillis` and `statement_timeout`/,
        fixes: [{ title: 'Set connectionTimeoutMillis: 5000, statement_timeout: 30000', output: `import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle({ connection: { connectionString: process.env.DATABASE_URL!, max: 5, connectionTimeoutMillis: 5000, statement_timeout: 30000 } });\n` }],
      }],
    },
    {
      name: 'a conditional spread of literal objects is read, not taken for an unknown spread',
      code: `import { Pool } from 'pg';\nexport function openPool(url: string, stream?: () => unknown) {\n  return new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, ...(stream ? { stream } : {}), ...(url.startsWith('postgres:') && { ssl: false }) });\n}\n`,
      errors: [{ message: /^`new Pool\(…\)` \(node-postgres\) is missing `statement_timeout`/ }],
    },
    {
      name: 'node-postgres Pool with no options',
      code: `import { Pool } from 'pg';
export const pool = new Pool();
`,
      errors: [
        {
          message:
            '`new Pool(…)` (node-postgres) is missing `connectionTimeoutMillis`, `statement_timeout` and `max`: without `connectionTimeoutMillis`, when every connection is busy a request waits for one forever (the default is 0, no timeout); without `statement_timeout`, a slow query holds its connection with no time limit and starves the pool; without `max`, the pool size stays at the default 10 per process, whatever the database allows across all instances.',
          line: 2,
          column: 21,
          fixes: [
            {
              title: 'Set connectionTimeoutMillis: 5000, statement_timeout: 30000, max: 10',
              output: `import { Pool } from 'pg';
export const pool = new Pool({ connectionTimeoutMillis: 5000, statement_timeout: 30000, max: 10 });
`,
            },
          ],
        },
      ],
    },
    {
      name: 'node-postgres Pool, multi-line options, trailing comma',
      code: `import pg from 'pg';

export const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
});
`,
      errors: [
        {
          message: /^`new pg\.Pool\(…\)` \(node-postgres\) is missing `connectionTimeoutMillis` and `statement_timeout`:/,
          fixes: [
            {
              title: 'Set connectionTimeoutMillis: 5000, statement_timeout: 30000',
              output: `import pg from 'pg';

export const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  connectionTimeoutMillis: 5000,
  statement_timeout: 30000,
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'node-postgres: connectionTimeoutMillis: 0 is the unsafe default spelled out',
      code: `import { Pool } from 'pg';
export const pool = new Pool({ max: 10, connectionTimeoutMillis: 0, statement_timeout: 5000 });
`,
      errors: [
        {
          message: /is missing `connectionTimeoutMillis`: without `connectionTimeoutMillis`, when every connection is busy/,
          fixes: [{ title: 'Set connectionTimeoutMillis: 5000', output: `import { Pool } from 'pg';
export const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000, statement_timeout: 5000 });
` }],
        },
      ],
    },
    {
      name: 'only max missing: the fix inserts the default and is safe',
      code: `import { Pool } from 'pg';
export const pool = new Pool({ connectionTimeoutMillis: 5000, statement_timeout: 5000 });
`,
      errors: [{ message: /is missing `max`:/, fixes: [{ title: 'Set max: 10', output: `import { Pool } from 'pg';
export const pool = new Pool({ connectionTimeoutMillis: 5000, statement_timeout: 5000, max: 10 });
` }] }],
    },
    {
      name: 'options from a const object in the same file',
      code: `import { Pool } from 'pg';
const config = {
  connectionString: process.env.DATABASE_URL,
};
export const pool = new Pool(config);
`,
      errors: [
        {
          line: 5,
          fixes: [
            {
              title: 'Set connectionTimeoutMillis: 5000, statement_timeout: 30000, max: 10',
              output: `import { Pool } from 'pg';
const config = {
  connectionString: process.env.DATABASE_URL,
  connectionTimeoutMillis: 5000,
  statement_timeout: 30000,
  max: 10,
};
export const pool = new Pool(config);
`,
            },
          ],
        },
      ],
    },
    {
      name: 'CommonJS require of pg',
      code: `const { Pool } = require('pg');
const pool = new Pool({ max: 5 });
module.exports = pool;
`,
      filename: 'src/db.js',
      errors: [{ message: /is missing `connectionTimeoutMillis` and `statement_timeout`/ }],
    },
    {
      name: 'postgres.js with no options',
      code: `import postgres from 'postgres';
export const sql = postgres(process.env.DATABASE_URL!);
`,
      errors: [
        {
          message:
            '`postgres(…)` (postgres.js) is missing `max`, `idle_timeout` and `connect_timeout`: without `max`, each process opens up to 10 connections (the default), whatever the database allows across all instances; without `idle_timeout`, idle connections are never closed (the default is 0), so every instance keeps its connections open; without `connect_timeout`, an unreachable database stalls each request for 30 s (the default) before it fails.',
          fixes: [
            {
              title: 'Set max: 10, idle_timeout: 20, connect_timeout: 10',
              output: `import postgres from 'postgres';
export const sql = postgres(process.env.DATABASE_URL!, { max: 10, idle_timeout: 20, connect_timeout: 10 });
`,
            },
          ],
        },
      ],
    },
    {
      name: 'postgres.js behind PgBouncer (.env) without prepare: false; message masks the URL',
      code: `import postgres from 'postgres';
export const sql = postgres(process.env.DATABASE_URL!, { max: 10, idle_timeout: 20, connect_timeout: 10 });
`,
      files: { '.env': '# pooled\nDATABASE_URL=postgres://app:hunter2@aws-0-eu.pooler.supabase.com:6543/postgres?pgbouncer=true\n' },
      errors: [
        {
          message: /^`postgres\(…\)` \(postgres\.js\) is missing `prepare: false`: without `prepare: false`, the connection goes through PgBouncer\/a transaction pooler \(DATABASE_URL in \.env\), where prepared statements fail/,
          related: 1,
          fixes: [
            {
              title: 'Set prepare: false',
              output: `import postgres from 'postgres';
export const sql = postgres(process.env.DATABASE_URL!, { max: 10, idle_timeout: 20, connect_timeout: 10, prepare: false });
`,
            },
          ],
        },
      ],
    },
    {
      name: 'postgres.js options object only, pooler host',
      code: `import postgres from 'postgres';
export const sql = postgres({ host: 'ep-cool-123-pooler.eu-central-1.aws.neon.tech', max: 5, idle_timeout: 20, connect_timeout: 10, prepare: true });
`,
      errors: [{ message: /is missing `prepare: false`/, fixes: [{ title: 'Set prepare: false', output: `import postgres from 'postgres';
export const sql = postgres({ host: 'ep-cool-123-pooler.eu-central-1.aws.neon.tech', max: 5, idle_timeout: 20, connect_timeout: 10, prepare: false });
` }] }],
    },
    {
      name: 'mysql2 createPool with defaults',
      code: `import mysql from 'mysql2/promise';

export const pool = mysql.createPool({
  host: process.env.DB_HOST,
  user: 'app',
  database: 'shop'
});
`,
      errors: [
        {
          message: /^`mysql\.createPool\(…\)` \(mysql2\) is missing `queueLimit` and `connectionLimit`: without `queueLimit`, the wait queue is unlimited/,
          fixes: [
            {
              title: 'Set queueLimit: 100, connectionLimit: 10',
              output: `import mysql from 'mysql2/promise';

export const pool = mysql.createPool({
  host: process.env.DB_HOST,
  user: 'app',
  database: 'shop',
  queueLimit: 100,
  connectionLimit: 10
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'mysql2 explicit queueLimit: 0',
      code: `import { createPool } from 'mysql2';
export const pool = createPool({ connectionLimit: 20, queueLimit: 0 });
`,
      errors: [{ message: /is missing `queueLimit: 0`: without `queueLimit: 0`, the wait queue is unlimited/, fixes: [{ title: 'Set queueLimit: 100', output: `import { createPool } from 'mysql2';
export const pool = createPool({ connectionLimit: 20, queueLimit: 100 });
` }] }],
    },
    {
      name: 'mysql2 with a URL string: reported, no edit',
      code: `import mysql from 'mysql2';
export const pool = mysql.createPool('mysql://app:pw@db/shop');
`,
      errors: [{ message: /is missing `connectionLimit` and `queueLimit`/, fixes: [] }],
    },
    {
      name: 'Knex without pool settings',
      code: `import knex from 'knex';
export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
`,
      errors: [
        {
          message: /^`knex\(…\)` \(Knex\) is missing `pool` and `acquireConnectionTimeout`:/,
          fixes: [{ title: 'Set pool: { … }, acquireConnectionTimeout: 10000', output: `import knex from 'knex';
export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 10 }, acquireConnectionTimeout: 10000 });
` }],
        },
      ],
    },
    {
      name: 'Knex pool without max',
      code: `import { knex } from 'knex';
export const db = knex({ client: 'mysql2', connection: {}, pool: { min: 0 }, acquireConnectionTimeout: 5000 });
`,
      errors: [
        {
          message: /is missing `pool\.max`/,
          fixes: [{ title: 'Set pool.max: 10', output: `import { knex } from 'knex';
export const db = knex({ client: 'mysql2', connection: {}, pool: { min: 0, max: 10 }, acquireConnectionTimeout: 5000 });
` }],
        },
      ],
    },
    {
      // One finding for both settings, so its fix sets both (found by fuzzing: a fix for the timeout alone left the finding).
      name: 'Knex pool without max and no acquireConnectionTimeout',
      code: `import { knex } from 'knex';
export const db = knex({
  client: 'pg',
  pool: { min: 0 },
});
`,
      errors: [
        {
          message: /is missing `pool\.max` and `acquireConnectionTimeout`/,
          fixes: [{ title: 'Set pool.max: 10, acquireConnectionTimeout: 10000', output: `import { knex } from 'knex';
export const db = knex({
  client: 'pg',
  pool: { min: 0, max: 10 },
  acquireConnectionTimeout: 10000,
});
` }],
        },
      ],
    },
    {
      name: 'Sequelize pool without max',
      code: `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize(process.env.DATABASE_URL!, { pool: { min: 0, idle: 10000 } });
`,
      errors: [
        {
          message: /is missing `pool\.max`: without `pool\.max`, the pool size stays at the default 5/,
          fixes: [{ title: 'Set pool.max: 5', output: `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize(process.env.DATABASE_URL!, { pool: { min: 0, idle: 10000, max: 5 } });
` }],
        },
      ],
    },
    {
      name: 'TypeORM DataSource for Postgres',
      code: `import { DataSource } from 'typeorm';
export const AppDataSource = new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  entities: [],
});
`,
      errors: [
        {
          message: /^`new DataSource\(…\)` \(TypeORM, postgres\) is missing `poolSize` and `connectTimeoutMS`/,
          fixes: [{ title: 'Set poolSize: 10, connectTimeoutMS: 5000', output: `import { DataSource } from 'typeorm';
export const AppDataSource = new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  entities: [],
  poolSize: 10,
  connectTimeoutMS: 5000,
});
` }],
        },
      ],
    },
    {
      name: 'TypeORM MySQL only needs a pool size',
      code: `import { DataSource } from 'typeorm';
export const ds = new DataSource({ type: 'mysql', host: 'db' });
`,
      errors: [{ message: /is missing `poolSize`:/, fixes: [{ title: 'Set poolSize: 10', output: `import { DataSource } from 'typeorm';
export const ds = new DataSource({ type: 'mysql', host: 'db', poolSize: 10 });
` }] }],
    },
    {
      name: 'Sequelize with a URL and no options',
      code: `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize(process.env.DATABASE_URL!);
`,
      errors: [
        {
          message: /^`new Sequelize\(…\)` \(Sequelize\) is missing `pool`: without `pool`, the defaults apply: at most 5 connections per process/,
          fixes: [{ title: 'Set pool: { … }', output: `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize(process.env.DATABASE_URL!, { pool: { max: 5, min: 0, acquire: 30000, idle: 10000 } });
` }],
        },
      ],
    },
    {
      name: 'Sequelize with database/user/password/options',
      code: `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize('shop', 'app', process.env.DB_PASSWORD, { host: 'db', dialect: 'postgres' });
`,
      errors: [{ message: /is missing `pool`/, fixes: [{ title: 'Set pool: { … }', output: `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize('shop', 'app', process.env.DB_PASSWORD, { host: 'db', dialect: 'postgres', pool: { max: 5, min: 0, acquire: 30000, idle: 10000 } });
` }] }],
    },
    {
      name: 'MongoClient without pool options',
      code: `import { MongoClient } from 'mongodb';
export const client = new MongoClient(process.env.MONGO_URL!);
`,
      files: { '.env': 'MONGO_URL=mongodb+srv://user:secret@cluster0.mongodb.net/app\n' },
      errors: [
        {
          message: /^`new MongoClient\(…\)` \(MongoDB driver\) is missing `maxPoolSize` and `serverSelectionTimeoutMS`/,
          related: 1,
          fixes: [{ title: 'Set maxPoolSize: 100, serverSelectionTimeoutMS: 5000', output: `import { MongoClient } from 'mongodb';
export const client = new MongoClient(process.env.MONGO_URL!, { maxPoolSize: 100, serverSelectionTimeoutMS: 5000 });
` }],
        },
      ],
    },
    {
      name: 'MongoClient.connect static with partial options',
      code: `import { MongoClient } from 'mongodb';
export const client = await MongoClient.connect('mongodb://db:27017', { maxPoolSize: 10 });
`,
      errors: [{ message: /is missing `serverSelectionTimeoutMS`/ }],
    },
    {
      name: 'Prisma schema URL from .env in a Vercel project',
      code: SCHEMA_ENV,
      filename: 'prisma/schema.prisma',
      files: { ...VERCEL, '.env': 'DATABASE_URL="postgresql://app:s3cr3t@db.example.com:5432/shop?schema=public"\n' },
      errors: [
        {
          message:
            "Datasource URL `DATABASE_URL` in .env (postgresql://***@db.example.com:5432/shop?schema=public) has no `connection_limit` or `pool_timeout` although the project deploys to Vercel (vercel.json), where every concurrent instance has its own pool: without `connection_limit`, each Prisma Client opens num_cpus × 2 + 1 connections (the default), which multiplied by the instances exhausts the database's max_connections; without `pool_timeout`, queries queued behind a busy pool fail after the default 10 s (P2024) with no explicit budget.",
          line: 3,
          related: 1,
          fixes: [],
        },
      ],
    },
    {
      name: 'Prisma schema URL with pgbouncer=true (not serverless), only pool_timeout missing',
      code: SCHEMA_ENV,
      filename: 'prisma/schema.prisma',
      files: { '.env.production': 'DATABASE_URL=postgresql://app:pw@bouncer:6432/shop?pgbouncer=true&connection_limit=5\n' },
      errors: [{ message: /^Datasource URL `DATABASE_URL` in \.env\.production \(postgresql:\/\/\*\*\*@bouncer:6432\/shop\?pgbouncer=true&connection_limit=5\) has no `pool_timeout` although the URL goes through PgBouncer/ }],
    },
    {
      name: 'Prisma schema with a literal URL on Netlify: fix appends the parameters',
      code: `datasource db {
  provider = "postgresql"
  url      = "postgresql://app:pw@db:5432/shop"
}
`,
      filename: 'prisma/schema.prisma',
      files: { 'netlify.toml': '[build]\ncommand = "npm run build"\n' },
      errors: [
        {
          message: /^Datasource URL `postgresql:\/\/\*\*\*@db:5432\/shop` has no/,
          fixes: [{ title: 'Add connection_limit=1&pool_timeout=20 to the connection URL', output: `datasource db {
  provider = "postgresql"
  url      = "postgresql://app:pw@db:5432/shop?connection_limit=1&pool_timeout=20"
}
` }],
        },
      ],
    },
    {
      name: 'PrismaClient with datasourceUrl from .env on Lambda',
      code: `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient({ datasourceUrl: process.env.DATABASE_URL });
`,
      files: { 'serverless.yml': 'service: shop\nprovider:\n  name: aws\n', '.env': 'DATABASE_URL=postgresql://u:p@db/shop?connection_limit=1\n' },
      errors: [{ message: /^Prisma datasource URL `DATABASE_URL` in \.env \(postgresql:\/\/\*\*\*@db\/shop\?connection_limit=1\) has no `pool_timeout` although the project deploys to AWS Lambda \(Serverless Framework\) \(serverless\.yml\)/, line: 2, related: 1, fixes: [] }],
    },
    {
      name: 'PrismaClient with a literal URL in datasources on Vercel',
      code: `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient({ datasources: { db: { url: 'postgresql://u:p@db:5432/shop?schema=app' } } });
`,
      files: VERCEL,
      errors: [{ fixes: [{ title: 'Add connection_limit=1&pool_timeout=20 to the connection URL', output: `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient({ datasources: { db: { url: 'postgresql://u:p@db:5432/shop?schema=app&connection_limit=1&pool_timeout=20' } } });
` }] }],
    },
    {
      name: 'Prisma 7 pg driver adapter inherits pg defaults',
      code: `import { PrismaClient } from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';

const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });
export const prisma = new PrismaClient({ adapter });
`,
      errors: [
        {
          message: /^`new PrismaPg\(…\)` \(Prisma's pg driver adapter, which owns the connection pool\) is missing `connectionTimeoutMillis`, `statement_timeout` and `max`/,
          line: 4,
          fixes: [{ title: 'Set connectionTimeoutMillis: 5000, statement_timeout: 30000, max: 10', output: `import { PrismaClient } from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';

const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000, statement_timeout: 30000, max: 10 });
export const prisma = new PrismaClient({ adapter });
` }],
        },
      ],
    },
  ],
});
