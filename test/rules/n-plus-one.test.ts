import rule from '../../rules/n-plus-one';
import { ruleTester } from '../harness/ruleTester';

const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const SEQUENTIAL = /awaited one after another: 1 \+ N round trips/;
const CONCURRENT = /concurrently: N queries at once compete for the connection pool/;

ruleTester(rule, {
  valid: [
    {
      name: 'session commands and listed statements: LISTEN per channel after a reconnect, set-up statements run on a new connection',
      code: `import pg from 'pg';
const client = new pg.Client();
const channels = new Set<string>();
export const relisten = () => Promise.all([...channels].map((name) => client.query(\`LISTEN \${pg.escapeIdentifier(name)}\`)));
export class Database {
  setupStatements: string[] = [];
  constructor(private readonly pool: pg.Pool) {
    pool.on('connect', (c: pg.PoolClient) => { for (const sql of this.setupStatements) void c.query(sql); });
  }
  async migrate(migrations: string[]) {
    const c = await this.pool.connect();
    for (const migration of migrations) await c.query(migration);
    for (let v = 0; v < migrations.length; v += 1) {
      await c.query(migrations[v]);
      await c.query('INSERT INTO versions (v) VALUES ($1)', [v]);
    }
    c.release();
  }
}
`,
    },
    {
      name: 'Mongoose: a query given a projection (no callback) and never run is no query per element',
      filename: 'src/items.js',
      code: `const mongoose = require('mongoose');
const Item = mongoose.model('Item', new mongoose.Schema({ name: String }));
exports.queries = (ids, projection) => ids.map((id) => { const q = Item.findById(id, projection); q.lean(); return id; });
`,
    },
    {
      name: 'a builder named like Kysely\'s in a file that does not import Kysely',
      filename: 'src/perms.js',
      code: `export function assign(db) {\n  return async (names) => {\n    for (const name of names) await db.insertInto('role_permissions').values({ name }).execute();\n  };\n}\n`,
    },
    {
      name: "MySQL's DESCRIBE and SHOW COLUMNS per table of a schema read are catalog reads",
      code: `import mysql from 'mysql2/promise';\nconst pool = mysql.createPool({ uri: process.env.DATABASE_URL });\nexport async function columns(tables: string[]) {\n  const result: Record<string, unknown> = {};\n  for (const table of tables) {\n    result[table] = await pool.query(\`DESCRIBE \\\`\${table}\\\`\`);\n    await pool.query(\`SHOW INDEX FROM \\\`\${table}\\\`\`);\n  }\n  return result;\n}\n`,
    },
    {
      name: 'a default-exported object keyed by type names in a module not named as resolvers',
      filename: 'src/config/handlers.ts',
      code: `import pg from 'pg';\nconst pool = new pg.Pool();\nexport default {\n  Post: { comments: (post: { id: number }) => pool.query('SELECT * FROM comments WHERE post_id = $1 LIMIT 20', [post.id]) },\n};\n`,
    },
    {
      name: 'a schema statement per configured schema through a query helper of another module (the SQL is the caller\'s)',
      files: {
        'lib/db.ts': `import pg from 'pg';\nexport function makeDb(url: string) {\n  const client = new pg.Client(url);\n  const query = async (text: string) => client.query(text);\n  return { query, connect: () => client.connect(), close: () => client.end() };\n}\n`,
      },
      filename: 'lib/runner.ts',
      code: `import { makeDb } from './db';\nexport async function migrate(url: string, schemas: string[]) {\n  const db = makeDb(url);\n  await db.connect();\n  await Promise.all(schemas.map((s) => db.query(\`CREATE SCHEMA IF NOT EXISTS "\${s}"\`)));\n  await db.close();\n}\n`,
    },
    {
      name: 'GraphQL: root fields run once per request; Prisma findUnique (fluent or not) per parent is batched; a DataLoader per parent; no field resolvers',
      code: `${PRISMA}export const resolvers = {\n  Query: { users: () => prisma.user.findMany({ take: 50 }), user: (_: unknown, args: { id: string }) => prisma.user.findUnique({ where: { id: args.id } }) },\n  Mutation: { rename: (_: unknown, args: { id: string; name: string }) => prisma.user.update({ where: { id: args.id }, data: { name: args.name } }) },\n  User: {\n    posts: (user: { id: string }) => prisma.user.findUnique({ where: { id: user.id } }).posts(),\n    profile: (user: { id: string }) => prisma.profile.findUnique({ where: { userId: user.id } }),\n    followers: (user: { id: string }, _args: unknown, ctx: { loaders: { followers: { load(id: string): Promise<unknown> } } }) => ctx.loaders.followers.load(user.id),\n    __resolveType: () => 'User',\n  },\n  Viewer: { notifications: (viewer: { id: string }) => prisma.notification.findMany({ where: { userId: viewer.id }, take: 20 }) },\n};\n`,
    },
    {
      name: 'an object keyed by a type name that is not held as resolvers',
      code: `${PRISMA}export const handlers = {\n  User: { posts: (user: { id: string }) => prisma.post.findMany({ where: { authorId: user.id }, take: 20 }) },\n};\n`,
    },
    {
      name: 'NestJS: a @Query method of a resolver class runs once per request',
      code: `import { Args, Query, Resolver } from '@nestjs/graphql';\n${PRISMA}@Resolver(() => Object)\nexport class UsersResolver {\n  @Query(() => [Object])\n  users(@Args('team') team: string) {\n    return prisma.user.findMany({ where: { team }, take: 50 });\n  }\n}\n`,
    },
    {
      name: 'BullMQ: addBulk, and queue reads sent at once (pipelined on one connection)',
      code: `import { Queue } from 'bullmq';\nconst emails = new Queue('emails', { connection: { host: 'redis' } });\nexport async function notify(users: { email: string }[], ids: string[]) {\n  await emails.addBulk(users.map((u) => ({ name: 'welcome', data: { to: u.email } })));\n  return Promise.all(ids.map((id) => emails.getJobState(id)));\n}\n`,
    },
    {
      name: 'Redis commands sent at once are pipelined on one connection (ioredis, node-redis)',
      code: `import Redis from 'ioredis';\nimport { createClient } from 'redis';\nconst redis = new Redis();\nconst client = createClient();\nexport async function touch(ids: string[]) {\n  await Promise.all(ids.map((id) => redis.expire(\`s:\${id}\`, 60)));\n  return Promise.all(ids.map((id) => client.hGetAll(\`u:\${id}\`)));\n}\n`,
    },
    {
      name: 'an import written in a comment imports nothing (no name heuristics)',
      code: `// usage: import type { PoolClient } from 'pg'; pass a pooled client\ninterface Queryable { query(sql: string, params?: unknown[]): Promise<unknown> }\nexport async function insertAll(client: Queryable, texts: string[]) {\n  for (const text of texts) await client.query('INSERT INTO t (text) VALUES ($1)', [text]);\n}\n`,
    },
    {
      name: "a read of the database's catalog per column of a schema sync, through a helper",
      code: `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nconst columnType = async (table: string, column: string) => {\n  const result = await db.raw('SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = ? LIMIT 1', [table, column]);\n  return result.rows[0]?.data_type;\n};\nexport async function sync(tables: { name: string; columns: string[] }[]) {\n  for (const table of tables) for (const column of table.columns) await columnType(table.name, column);\n  for (const table of tables) await db.raw('SELECT indexname FROM pg_indexes WHERE tablename = ?', [table.name]);\n}\n`,
    },
    {
      name: 'a schema statement per missing column, its SQL trimmed',
      code: `import { createClient } from '@libsql/client';\nconst client = createClient({ url: 'file:x.db' });\nexport async function addColumns(table: string, columns: { name: string; type: string; nullable: boolean }[]) {\n  for (const c of columns) {\n    const sql = \`ALTER TABLE \${table} ADD COLUMN "\${c.name}" \${c.type} \${c.nullable ? '' : 'NOT NULL'}\`.trim();\n    await client.execute(sql);\n  }\n}\n`,
    },
    {
      name: 'an index loop over a small constant list of migrations, here or returned by a helper in another module',
      files: {
        'src/migrations.ts': `export const getMigrations = (schema: string) => [\n  \`CREATE TABLE IF NOT EXISTS \${schema}.migrations (v int)\`,\n  \`CREATE TABLE IF NOT EXISTS \${schema}.checkpoints (id text)\`,\n  \`ALTER TABLE \${schema}.checkpoints ADD COLUMN ts timestamptz\`,\n];\n`,
      },
      code: `import { Pool } from 'pg';\nimport { getMigrations } from './migrations';\nconst STEPS = ['CREATE TABLE a (id int primary key)', 'ALTER TABLE a ADD COLUMN b text'];\nexport async function setup(pool: Pool, current: number) {\n  const MIGRATIONS = getMigrations('app');\n  for (let v = current + 1; v < MIGRATIONS.length; v += 1) {\n    await pool.query(MIGRATIONS[v]);\n    await pool.query('INSERT INTO migrations (v) VALUES ($1)', [v]);\n  }\n  for (let i = 0; i < STEPS.length; i++) await pool.query('INSERT INTO applied (step) VALUES ($1)', [i]);\n}\n`,
    },
    {
      name: 'pg-promise: one batched statement, formatting helpers per row, a libSQL batch',
      code: `import pgPromise from 'pg-promise';\nimport { createClient } from '@libsql/client';\nconst pgp = pgPromise();\nconst db = pgp(process.env.DATABASE_URL!);\nconst client = createClient({ url: 'file:x.db' });\nconst cs = new pgp.helpers.ColumnSet(['id', 'v'], { table: 'items' });\nexport async function save(rows: { id: number; v: string }[]) {\n  const values = rows.map((r) => pgp.as.format('($1, $2)', [r.id, r.v]));\n  await db.none(pgp.helpers.insert(rows, cs));\n  await client.batch(rows.map((r) => ({ sql: 'INSERT INTO v (id) VALUES (?)', args: [r.id] })), 'write');\n  return values;\n}\n`,
    },
    // A Knex raw fragment handed to a schema builder per column: nothing runs per column.
    `import knex, { type Knex } from 'knex';
const db = knex({ client: 'pg' });
function addColumn(t: Knex.CreateTableBuilder, c: { name: string; defaultSql?: string }) {
  const col = t.integer(c.name);
  if (c.defaultSql) col.defaultTo(db.raw(c.defaultSql));
  return col;
}
export async function createTable(name: string, columns: { name: string; defaultSql?: string }[]) {
  await db.schema.createTable(name, (t) => {
    columns.forEach((c) => addColumn(t, c));
  });
}`,
    // Non-database awaits in loops are a different concern.
    {
      name: 'fetch and fs in a loop',
      code: `import { readFile } from 'node:fs/promises';\nexport async function f(urls: string[], paths: string[]) {\n  for (const url of urls) await fetch(url);\n  for (const p of paths) await readFile(p, 'utf8');\n}\n`,
    },
    {
      name: 'Map.delete / axios.delete / service.delete are not queries',
      code: `import axios from 'axios';\nconst cache = new Map<string, number>();\nexport async function f(ids: string[], userService: { delete(id: string): Promise<void> }) {\n  for (const id of ids) {\n    cache.delete(id);\n    await axios.delete('/users/' + id);\n    await userService.delete(id);\n  }\n}\n`,
    },
    {
      name: 'createMany / findMany outside loops',
      code: `${PRISMA}export async function f(rows: { sku: string }[]) {\n  await prisma.orderLine.createMany({ data: rows });\n  const ids = rows.map((r) => r.sku);\n  return prisma.product.findMany({ where: { sku: { in: ids } } });\n}\n`,
    },
    {
      name: 'batched pagination loop with take/skip',
      code: `${PRISMA}export async function exportAll() {\n  const BATCH = 500;\n  let skip = 0;\n  let page = await prisma.user.findMany({ take: BATCH, skip });\n  while (page.length === BATCH) {\n    skip += BATCH;\n    page = await prisma.user.findMany({ take: BATCH, skip });\n  }\n}\n`,
    },
    {
      name: 'cursor pagination do/while',
      code: `${PRISMA}export async function all() {\n  let cursor: number | undefined;\n  do {\n    const page = await prisma.event.findMany({ take: 100, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });\n    cursor = page.at(-1)?.id;\n  } while (cursor);\n}\n`,
    },
    {
      name: 'retry loop with a literal bound',
      code: `${PRISMA}export async function f(id: number) {\n  for (let attempt = 0; attempt < 3; attempt++) {\n    try {\n      return await prisma.user.update({ where: { id }, data: { seen: true } });\n    } catch {\n      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));\n    }\n  }\n}\n`,
    },
    {
      name: 'polling loop',
      code: `${PRISMA}export async function waitFor(id: number) {\n  let done = false;\n  while (!done) {\n    const job = await prisma.job.findUnique({ where: { id } });\n    done = job?.status === 'done';\n    await new Promise((r) => setTimeout(r, 1000));\n  }\n}\n`,
    },
    {
      name: 'loop over a small literal array',
      code: `${PRISMA}export async function f() {\n  for (const status of ['open', 'paid', 'shipped']) {\n    await prisma.order.count({ where: { status } });\n  }\n}\n`,
    },
    {
      name: 'loop over a const small literal array and Object.entries of a small literal',
      code: `${PRISMA}const STATUSES = ['open', 'paid'] as const;\nconst LIMITS = { free: 1, pro: 10 };\nexport async function f() {\n  for (const s of STATUSES) await prisma.order.count({ where: { status: s } });\n  await Promise.all(Object.entries(LIMITS).map(([plan, n]) => prisma.plan.update({ where: { plan }, data: { n } })));\n}\n`,
    },
    {
      name: 'query followed by an unconditional break',
      code: `${PRISMA}export async function f(ids: number[]) {\n  for (const id of ids) {\n    const user = await prisma.user.findUnique({ where: { id } });\n    console.log(user);\n    break;\n  }\n}\n`,
    },
    {
      name: 'query followed by return inside the branch',
      code: `${PRISMA}export async function f(items: { id: number; ok: boolean }[]) {\n  for (const item of items) {\n    if (item.ok) {\n      const row = await prisma.item.findUnique({ where: { id: item.id } });\n      return row;\n    }\n  }\n}\n`,
    },
    {
      name: 'return await query in a loop',
      code: `${PRISMA}export async function first(ids: number[]) {\n  for (const id of ids) {\n    return await prisma.user.findUnique({ where: { id } });\n  }\n}\n`,
    },
    {
      name: 'DataLoader batch function',
      code: `import DataLoader from 'dataloader';\n${PRISMA}export const userLoader = new DataLoader(async (ids: readonly number[]) => {\n  return Promise.all(ids.map((id) => prisma.user.findFirst({ where: { id } })));\n});\n`,
    },
    {
      name: 'suppressed with a reason',
      code: `${PRISMA}export async function f(steps: { id: number }[]) {\n  for (const step of steps) {\n    // perflint-disable-next-line n-plus-one -- order matters\n    await prisma.step.update({ where: { id: step.id }, data: { done: true } });\n  }\n}\n`,
    },
    {
      name: 'handlers registered in a loop are not per-element calls',
      code: `import express from 'express';\n${PRISMA}const app = express();\nfor (const path of ['/a', '/b', '/c', '/d', '/e', '/f', '/g', '/h', '/i', '/j', '/k'].filter(Boolean)) {\n  app.get(path, async (_req, res) => { res.json(await prisma.user.findMany({ take: 10 })); });\n}\n`,
    },
    {
      name: 'a Drizzle builder composed in a loop is not executed there',
      code: `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { and, eq } from 'drizzle-orm';\nconst db = drizzle(process.env.DATABASE_URL!);\nexport async function f(filters: { col: any; value: string }[]) {\n  let conditions = [] as any[];\n  for (const filter of filters) conditions.push(eq(filter.col, filter.value));\n  return db.select().from(users).where(and(...conditions)).limit(10);\n}\n`,
    },
    {
      name: 'updates batched in one $transaction([...])',
      code: `${PRISMA}export async function f(rows: { id: number; rank: number }[]) {\n  await prisma.$transaction(rows.map((row) => prisma.item.update({ where: { id: row.id }, data: { rank: row.rank } })));\n}\n`,
    },
    {
      name: 'Redis pipeline commands are queued, exec runs once',
      code: `import Redis from 'ioredis';\nconst redis = new Redis();\nexport async function f(keys: string[]) {\n  const pipeline = redis.pipeline();\n  for (const key of keys) pipeline.set(key, '1');\n  await pipeline.exec();\n}\n`,
    },
    {
      name: 'no ORM import: untyped db is not guessed',
      code: `export async function f(db: any, ids: number[]) {\n  for (const id of ids) await db.user.findUnique({ where: { id } });\n}\n`,
    },
    {
      name: 'array methods inside a loop are not queries',
      code: `${PRISMA}export async function f(orders: { userId: number }[]) {\n  const users = await prisma.user.findMany({ where: { id: { in: orders.map((o) => o.userId) } } });\n  for (const order of orders) {\n    const user = users.find((u) => u.id === order.userId);\n    console.log(user);\n  }\n}\n`,
    },
    {
      name: 'fixtures seeded in order in a test file',
      code: `${PRISMA}const ROWS = Array.from({ length: 40 }, (_, i) => ({ name: \`n\${i}\` }));\nbeforeAll(async () => {\n  for (const row of ROWS) await prisma.todo.create({ data: row });\n});\n`,
      filename: 'tests/todos.spec.ts',
    },
    {
      name: 'a per-row backfill in a migration',
      code: `${PRISMA}export async function up() {\n  const users = await prisma.user.findMany({ select: { id: true, name: true } });\n  for (const user of users) await prisma.user.update({ where: { id: user.id }, data: { slug: user.name.toLowerCase() } });\n}\n`,
      filename: 'db/migrations/0004_slugs.ts',
    },
    {
      name: 'a one-off script',
      code: `${PRISMA}const users = await prisma.user.findMany({ take: 1000 });\nfor (const user of users) await prisma.audit.create({ data: { userId: user.id } });\n`,
      filename: 'scripts/backfill-audit.ts',
    },
    {
      name: 'index loop with a literal bound',
      code: `${PRISMA}export async function seed() {\n  for (let i = 0; i < 5; i++) await prisma.slot.create({ data: { n: i } });\n}\n`,
    },
    {
      name: 'drizzle sql template is a fragment, not a query',
      code: `import { sql } from 'drizzle-orm';\nexport function f(cols: string[]) {\n  return cols.map((c) => sql\`\${c} desc\`);\n}\n`,
    },
    {
      name: 'for-in over a small object literal',
      code: `${PRISMA}export async function f() {\n  const plans = { free: 1, pro: 2 };\n  for (const plan in plans) await prisma.plan.count({ where: { plan } });\n}\n`,
    },
    {
      name: 'while (true) batch loop with break',
      code: `${PRISMA}export async function purge() {\n  while (true) {\n    const { count } = await prisma.session.deleteMany({ where: { expired: true } });\n    if (count === 0) break;\n  }\n}\n`,
    },
    {
      name: 'query in the iterated expression runs once',
      code: `${PRISMA}export async function f() {\n  for (const user of await prisma.user.findMany({ take: 100 })) console.log(user.id);\n}\n`,
    },
    {
      name: 'calls inside a transaction callback in a loop are reported at the transaction, not inside',
      code: `${PRISMA}export async function f() {\n  await prisma.$transaction(async (tx) => {\n    const a = await tx.account.findUnique({ where: { id: 1 } });\n    await tx.account.update({ where: { id: 2 }, data: { balance: a!.balance } });\n  });\n}\n`,
    },
    {
      name: 'chunked batch loop (i += chunkSize with slice)',
      code: `import { DataSource } from 'typeorm';\nconst ds = new DataSource({ type: 'postgres' });\nexport async function save(items: object[]) {\n  const repo = ds.getRepository('SearchItem');\n  for (let i = 0; i < items.length; i += 500) {\n    await repo.upsert(items.slice(i, i + 500), ['id']);\n  }\n}\n`,
    },
    {
      name: 'the element picks the table: one query per entity type, not N+1',
      code: `import { DataSource } from 'typeorm';\nconst ds = new DataSource({ type: 'postgres' });\nexport async function counts(entities: Function[], fields: { entity: Function; id: number }[]) {\n  const out = await Promise.all(entities.map((entity) => ds.getRepository(entity).count()));\n  for (const field of fields) {\n    await ds.manager.findOne(field.entity, { where: { id: field.id } });\n  }\n  return out;\n}\n`,
    },
    {
      name: 'a helper whose table comes from its parameter is per-table',
      code: `import { DataSource } from 'typeorm';\nconst ds = new DataSource({ type: 'postgres' });\nasync function safeCount(entity: Function) {\n  return ds.getRepository(entity).count();\n}\nexport async function all(entities: Function[]) {\n  return Promise.all(entities.map((e) => safeCount(e)));\n}\n`,
    },
    {
      name: 'a helper whose table comes from a name destructured from its parameter is per-table',
      code: `import knex from 'knex';
const db = knex({ client: 'pg' });
type Relation = { type: 'relation'; joinTable: { name: string; joinColumn: string } };
async function clearLinks({ attribute, id }: { attribute: Relation; id: number }) {
  const { joinTable } = attribute;
  await db.delete().from(joinTable.name).where(joinTable.joinColumn, id);
}
export async function deleteRelations(attributes: Record<string, Relation>, id: number) {
  for (const name of Object.keys(attributes)) await clearLinks({ attribute: attributes[name], id });
}
`,
    },
    {
      name: 'the element names the table of a Knex call (the callable form): one query per table',
      code: `import knex from 'knex';
const db = knex({ client: 'pg' });
export async function morphTypes(attributes: { joinTable: { name: string } }[], pivot: string) {
  const out: string[][] = [];
  for (const attribute of attributes) {
    const joinTableName = attribute.joinTable.name;
    out.push(await db(joinTableName).distinct(pivot).pluck(pivot));
  }
  return out;
}
`,
    },
    {
      name: 'a schema statement per table, its SQL held in a const object (SQLite has no multi-table pragma)',
      code: `import knex from 'knex';
const db = knex({ client: 'sqlite3' });
const SQL = { TABLE_INFO: 'pragma table_info(??)' };
async function columnsOf(table: string) {
  return db.raw(SQL.TABLE_INFO, [table]);
}
export async function schema(tables: { name: string }[]) {
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t.name] = await columnsOf(t.name);
  return out;
}
`,
    },
    {
      name: 'no database library in the file or the workspace: nothing is resolved at all',
      files: { 'src/store.ts': `export const store = { user: { findMany: async (_: unknown) => [] } };\n` },
      code: `import { store } from './store';\nexport async function f(ids: number[]) {\n  for (const id of ids) await store.user.findMany({ where: { id } });\n}\n`,
    },
    {
      name: 'loops over chunks of ids are batching',
      code: `import { In, Repository } from 'typeorm';\nimport { chunk } from 'lodash';\nexport class ProjectRepository extends Repository<Project> {\n  async types(ids: string[]) {\n    const rows = [];\n    for (const batch of chunk(ids, 500)) rows.push(...(await this.find({ where: { id: In(batch) } })));\n    for (const idsOfPage of chunkIds(ids)) rows.push(...(await this.find({ where: { id: In(idsOfPage) } })));\n    await Promise.all(batches.map((b) => this.delete({ id: In(b) })));\n    return rows;\n  }\n}\n`,
    },
    {
      name: 'DDL per object (DROP DATABASE per test database)',
      code: `import { Client } from 'pg';\nexport async function reset(client: Client) {\n  const result = await client.query('select datname from pg_database');\n  await Promise.all(result.rows.map((row) => client.query(\`DROP DATABASE \${row.datname}\`)));\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'Kysely through an untyped handle in a file that imports Kysely (compiled JavaScript): a name heuristic, one level lower',
      filename: 'src/perms.js',
      code: `import { sql } from 'kysely';\nexport function assign(db) {\n  return async (roleId, permissions) => {\n    for (const p of permissions) {\n      await db.insertInto('role_permissions').values({ role_id: roleId, name: p.name }).execute();\n    }\n    await Promise.all(permissions.map((p) => db.deleteFrom('grants').where('name', '=', p.name).execute()));\n    return sql\`select 1\`;\n  };\n}\n`,
      errors: [
        { message: /`db\.insertInto\(\)\.values\(\)\.execute\(\)` runs once per element of `permissions`, awaited one after another/, severity: 'info' },
        { message: /`db\.deleteFrom\(\)\.where\(\)\.execute\(\)` runs once per element of `permissions` \(in `map`\) concurrently/, severity: 'info' },
      ],
    },
    {
      name: 'GraphQL: the default export of a module named as resolvers (evershop), raw SQL per parent and the same SELECT for every parent',
      filename: 'src/modules/blog/graphql/types/BlogPost/BlogPost.resolvers.ts',
      code: `import pg from 'pg';\nconst pool = new pg.Pool();\nexport default {\n  BlogPost: {\n    comments: async (post: { id: number }) => (await pool.query('SELECT * FROM blog_comment WHERE post_id = $1 LIMIT 50', [post.id])).rows,\n    siteName: async () => (await pool.query('SELECT name FROM site LIMIT 1')).rows[0]?.name,\n  },\n};\n`,
      errors: [
        { message: /`pool\.query` runs once per `BlogPost` in a result \(the field resolver `BlogPost\.comments`\): resolving a list of N BlogPost objects costs 1 \+ N queries/, line: 5 },
        { message: /`pool\.query` runs with the same arguments once per `BlogPost` in a result \(the field resolver `BlogPost\.siteName`\)/, line: 6 },
      ],
    },
    {
      name: "Pothos federation: an entity's resolveReference (builder.asEntity) runs once per reference, named by its objectRef",
      code: `${PRISMA}declare const builder: any;
const AuthorRef = builder.objectRef<{ id: number }>('Author').implement({ fields: () => ({}) });
builder.asEntity(AuthorRef, {
  key: builder.selection('id'),
  resolveReference: ({ id }: { id: string }) => prisma.author.findFirst({ where: { id: Number(id) } }),
});
builder.asEntity(AuthorRef, { key: builder.selection('id'), resolveReference: ({ id }: { id: string }) => prisma.author.findUnique({ where: { id: Number(id) } }) });
`,
      errors: [{ message: /^`prisma\.author\.findFirst` runs once per `Author` reference a gateway resolves \(the entity resolver `Author\.__resolveReference`\)/, line: 7 }],
    },
    {
      name: "GraphQL Federation: an entity's __resolveReference runs once per reference a gateway resolves",
      code: `${PRISMA}export const resolvers = {\n  User: {\n    __resolveReference: (reference: { id: string }) => prisma.user.findFirst({ where: { id: reference.id } }),\n  },\n};\n`,
      errors: [{ message: /`prisma\.user\.findFirst` runs once per `User` reference a gateway resolves \(the entity resolver `User\.__resolveReference`\): resolving a list of N User objects costs 1 \+ N queries\. Batch it with a DataLoader created per request and keyed by the reference's id, or look it up with `findUnique`/, line: 5 }],
    },
    {
      name: 'a row read per element through the same query helper of another module is still an N+1',
      files: {
        'lib/db.ts': `import pg from 'pg';\nexport function makeDb(url: string) {\n  const client = new pg.Client(url);\n  const query = async (text: string, values?: unknown[]) => client.query(text, values);\n  return { query };\n}\n`,
      },
      filename: 'lib/report.ts',
      code: `import { makeDb } from './db';\nconst db = makeDb(process.env.DATABASE_URL!);\nexport async function owners(ids: string[]) {\n  const rows = [];\n  for (const id of ids) rows.push(await db.query('SELECT * FROM owners WHERE id = $1', [id]));\n  return rows;\n}\n`,
      errors: [{ message: /`query\(…\)`, which runs `client\.query`, is called once per element of `ids`, awaited one after another/ }],
    },
    {
      name: 'GraphQL: a query per parent in a field resolver of a resolver map (1 + N queries for a list of users)',
      code: `${PRISMA}export const resolvers = {\n  Query: { users: () => prisma.user.findMany({ take: 100 }) },\n  User: {\n    posts: (user: { id: string }) => prisma.post.findMany({ where: { authorId: user.id }, take: 20 }),\n  },\n};\n`,
      errors: [{ message: /`prisma\.post\.findMany` runs once per `User` in a result \(the field resolver `User\.posts`\): resolving a list of N User objects costs 1 \+ N queries\. Batch it with a DataLoader created per request and keyed by the parent's id, or read it through the parent \(`prisma\.user\.findUnique\(\{ where: \{ id: parent\.id \} \}\)\.posts\(\)`/, line: 6 }],
    },
    {
      name: 'GraphQL: a Resolvers-typed map with a method resolver using the context client; the same query for every parent',
      code: `import type { Resolvers } from './generated/graphql';\nimport type { PrismaClient } from '@prisma/client';\ntype Context = { prisma: PrismaClient };\nexport const postResolvers: Resolvers<Context> = {\n  Post: {\n    async author(post, _args, { prisma }) {\n      return prisma.user.findFirst({ where: { id: post.authorId } });\n    },\n    async settings(_post, _args, { prisma }) {\n      return prisma.setting.findFirst({ where: { key: 'site' } });\n    },\n  },\n};\n`,
      errors: [
        { message: /`prisma\.user\.findFirst` runs once per `Post` in a result \(the field resolver `Post\.author`\)/, line: 7 },
        { message: /`prisma\.setting\.findFirst` runs with the same arguments once per `Post` in a result \(the field resolver `Post\.settings`\): a list of N Post objects repeats it N times/, line: 10 },
      ],
    },
    {
      name: 'NestJS: a @ResolveField method of a @Resolver(() => User) class',
      code: `import { Parent, ResolveField, Resolver } from '@nestjs/graphql';\n${PRISMA}class User { id!: string }\n@Resolver(() => User)\nexport class UserResolver {\n  @ResolveField('posts')\n  posts(@Parent() user: User) {\n    return prisma.post.findMany({ where: { authorId: user.id }, take: 20 });\n  }\n}\n`,
      errors: [{ message: /runs once per `User` in a result \(the field resolver `User\.posts`\)/, line: 9 }],
    },
    {
      name: 'type-graphql: a @FieldResolver with a TypeORM repository',
      code: `import { FieldResolver, Resolver, Root } from 'type-graphql';\nimport { DataSource } from 'typeorm';\nconst dataSource = new DataSource({ type: 'postgres' });\nclass Recipe { id!: number }\n@Resolver(() => Recipe)\nexport class RecipeResolver {\n  @FieldResolver()\n  async ratings(@Root() recipe: Recipe) {\n    return dataSource.getRepository('Rating').find({ where: { recipeId: recipe.id }, take: 50 });\n  }\n}\n`,
      errors: [{ message: /runs once per `Recipe` in a result \(the field resolver `Recipe\.ratings`\): resolving a list of N Recipe objects costs 1 \+ N queries\. Batch it with a DataLoader created per request and keyed by the parent's id\./, line: 9 }],
    },
    {
      name: 'BullMQ: a job added per element, awaited one after another',
      code: `import { Queue } from 'bullmq';\nconst emails = new Queue('emails', { connection: { host: 'redis' } });\nexport async function notify(users: { email: string }[]) {\n  for (const user of users) await emails.add('welcome', { to: user.email });\n}\n`,
      errors: [{ message: /^`emails\.add` runs once per element of `users`, awaited one after another: 1 \+ N round trips\. Add all jobs with one `addBulk` call before the loop\./ }],
    },
    {
      name: "node-redis' RedisJSON and RediSearch commands awaited one after another",
      code: `import { createClient } from 'redis';\nconst client = createClient();\nexport async function load(ids: string[], queries: string[]) {\n  for (const id of ids) await client.json.get(\`doc:\${id}\`);\n  for (const q of queries) await client.ft.search('idx:docs', q);\n}\n`,
      errors: [{ message: /^`client\.json\.get` runs once per element of `ids`, awaited one after another/ }, { message: /^`client\.ft\.search` runs once per element of `queries`/ }],
    },
    {
      name: 'a const array that starts empty and is filled before the loop is no small literal',
      code: `${PRISMA}export async function relink(chats: { id: string; lid?: string }[]) {\n  const mappings: { id: string; lid: string }[] = [];\n  for (const chat of chats) if (chat.lid) mappings.push({ id: chat.id, lid: chat.lid });\n  for (const m of mappings) await prisma.contact.update({ where: { id: m.id }, data: { lid: m.lid } });\n  const byIndex = [];\n  byIndex[0] = chats[0];\n  for (const c of byIndex) await prisma.chat.delete({ where: { id: c.id } });\n}\n`,
      errors: [{ message: /^`prisma\.contact\.update` runs once per element of `mappings`/ }, { message: /^`prisma\.chat\.delete` runs once per element of `byIndex`/ }],
    },
    {
      name: 'the same with the import written: the name heuristic applies, one level lower',
      code: `import type { PoolClient } from 'pg';\ninterface Queryable { query(sql: string, params?: unknown[]): Promise<unknown> }\nexport async function insertAll(client: Queryable, texts: string[], pooled?: PoolClient) {\n  for (const text of texts) await client.query('INSERT INTO t (text) VALUES ($1)', [text]);\n  return pooled;\n}\n`,
      errors: [{ message: /^`client\.query` runs once per element of `texts`.*recognised by its name only/, severity: 'info' }],
    },
    {
      name: 'a read of user tables that joins the catalog is still a query per element',
      code: `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport async function load(ids: number[]) {\n  for (const id of ids) await db.raw('SELECT * FROM orders o JOIN information_schema.tables t ON t.table_name = o.kind WHERE o.id = ?', [id]);\n}\n`,
      errors: [{ message: /^`db\.raw\(\)` runs once per element of `ids`/ }],
    },
    {
      name: 'collections handed out in an object literal by a helper with a block body',
      code: `import type { MongoClient } from 'mongodb';\nexport function sessionStore(client: MongoClient) {\n  const getDb = async () => {\n    const db = client.db();\n    return { sessions: db.collection('sessions') };\n  };\n  return {\n    async touchAll(tokens: string[]) {\n      const db = await getDb();\n      for (const token of tokens) await db.sessions.updateOne({ token }, { $set: { seen: new Date() } });\n    },\n  };\n}\n`,
      errors: [{ message: /^`db\.sessions\.updateOne` runs once per element of `tokens`/ }],
    },
    {
      name: 'an index loop over a list a helper builds from its input is still per element',
      files: {
        'src/rows.ts': `export function pending(rows: number[]) {\n  if (rows.length === 0) return [];\n  return rows.filter((r) => r > 0);\n}\n`,
      },
      code: `import { Pool } from 'pg';\nimport { pending } from './rows';\nexport async function apply(pool: Pool, rows: number[]) {\n  const todo = pending(rows);\n  for (let i = 0; i < todo.length; i++) await pool.query('INSERT INTO done (v) VALUES ($1)', [todo[i]]);\n}\n`,
      errors: [{ message: /^`pool\.query` runs once per element of `todo`/ }],
    },
    {
      name: 'pg-promise: a query per element, on the database pgp(connection) creates and in a task',
      code: `import pgPromise from 'pg-promise';\nconst pgp = pgPromise();\nconst db = pgp(process.env.DATABASE_URL!);\nexport async function save(rows: { id: number }[]) {\n  for (const row of rows) await db.none('INSERT INTO items (id) VALUES ($1)', [row.id]);\n  await db.tx('mark', async (t) => {\n    for (const row of rows) await t.none('UPDATE items SET seen = true WHERE id = $1', [row.id]);\n  });\n}\n`,
      errors: [{ message: /^`db\.none` runs once per element of `rows`, awaited one after another/, line: 5 }, { message: /^`t\.none` runs once per element of `rows`/, line: 7 }],
    },
    {
      name: 'Mongoose before 7: a Node-style callback runs the query (async.mapLimit with done, a promise wrapped around it in a loop)',
      filename: 'src/items.js',
      code: `const async = require('async');
const mongoose = require('mongoose');
const Item = mongoose.model('Item', new mongoose.Schema({ name: String }));
exports.rename = (req, res) => {
  async.mapLimit(req.body.items, 5, function (data, done) {
    Item.findById(data.id, done);
  }, (err, items) => res.json(items));
};
exports.load = async (ids) => {
  const out = [];
  for (const id of ids) out.push(await new Promise((resolve, reject) => Item.findById(id, (err, item) => (err ? reject(err) : resolve(item)))));
  return out;
};
`,
      errors: [
        { message: /^`Item\.findById\(\)` runs once per element of `req\.body\.items` \(in `mapLimit`\)/, line: 6 },
        { message: /^`Item\.findById\(\)` runs once per element of `ids`, awaited one after another/, line: 11 },
      ],
    },
    {
      name: 'statements made per element are rows in disguise: a list of queries mapped from ids',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function touch(ids: string[]) {
  const queries = ids.map((id) => \`UPDATE items SET seen = now() WHERE id = '\${id}'\`);
  for (const query of queries) await pool.query(query);
}
`,
      errors: [{ message: /^`pool\.query` runs once per element of `queries`, awaited one after another/ }],
    },
    {
      name: 'raw SQL held where it cannot be read: the advice fits a read and a write alike',
      code: `import { Pool } from 'pg';
export class Saver {
  constructor(private readonly pool: Pool, private readonly sql: Record<string, string>) {}
  async save(blobs: Array<{ id: string; body: string }>) {
    for (const blob of blobs) await this.pool.query(this.sql.UPSERT_BLOB, [blob.id, blob.body]);
  }
}
`,
      errors: [{ message: /^`this\.pool\.query` runs once per element of `blobs`, awaited one after another: 1 \+ N round trips\. Run one statement for all elements \(one read with `IN`\/`ANY`, or a multi-row write\) before the loop\.$/ }],
    },
    {
      name: 'a helper that already batches the keys it is given: the advice is to call it once',
      code: `import Redis from 'ioredis';
const redis = new Redis();
async function readMany(keys: string[]) {
  return redis.mget(keys);
}
export async function readAll(groups: string[][]) {
  const out = [];
  for (const keys of groups) out.push(await readMany(keys));
  return out;
}
`,
      errors: [{ message: /^`readMany\(…\)`, which runs `redis\.mget`, is called once per element of `groups`, awaited one after another: 1 \+ N round trips\. Collect the keys of all elements and call `readMany` once \(it already batches the keys it is given\) before the loop\.$/ }],
    },
    {
      name: 'statements pushed per item are rows in disguise',
      code: `import { createClient } from '@libsql/client';
const client = createClient({ url: 'file:x.db' });
export async function addItems(items: Array<{ id: string }>) {
  const tx = await client.transaction('write');
  const statements: Array<{ sql: string; args: string[] }> = [];
  for (const item of items) statements.push({ sql: 'INSERT INTO items (id) VALUES (?)', args: [item.id] });
  for (const statement of statements) await tx.execute(statement);
  await tx.commit();
}
`,
      errors: [{ message: /^`tx\.execute` runs once per element of `statements`, awaited one after another/ }],
    },
    {
      name: 'one connection runs one query at a time; a list of rows is no list of statements',
      code: `import pg from 'pg';
const client = new pg.Client();
export const load = (ids: string[]) => Promise.all(ids.map((id) => client.query('SELECT * FROM items WHERE owner = $1', [id])));
export async function apply(inserts: string[]) {
  for (const row of inserts) await client.query(row);
}
`,
      errors: [
        { message: /^`client\.query` runs once per element of `ids` \(in `map`\) concurrently: N queries at once queue on its one connection\./, line: 3 },
        { message: /^`client\.query` runs once per element of `inserts`, awaited one after another/, line: 5 },
      ],
    },
    {
      name: 'raw writes at once: a transaction queues them on its one connection, and the advice is one write statement',
      code: `import pgPromise from 'pg-promise';\nconst db = pgPromise()(process.env.DATABASE_URL!);\nexport const markInTx = (ids: string[]) => db.tx((t) => Promise.all(ids.map((id) => t.none('UPDATE items SET seen = true WHERE id = $1', [id]))));\nexport const mark = (ids: string[]) => Promise.all(ids.map((id) => db.none('UPDATE items SET seen = true WHERE id = $1', [id])));\nexport const load = (ids: string[]) => Promise.all(ids.map((id) => db.any('SELECT * FROM items WHERE owner = $1', [id])));\n`,
      errors: [
        { message: "`t.none` runs once per element of `ids` (in `map`) concurrently: N queries at once queue on the transaction's one connection. Write all elements with one statement (a multi-row `INSERT`, `UPDATE … WHERE id = ANY($1)`).", line: 3 },
        { message: /^`db\.none` runs once per element of `ids` \(in `map`\) concurrently: N queries at once compete for the connection pool\. Write all elements with one statement/, line: 4 },
        { message: /^`db\.any` runs once per element of `ids` \(in `map`\) concurrently: N queries at once compete for the connection pool\. Load the rows for all elements with one query\.$/, line: 5 },
      ],
    },
    {
      name: 'pg-promise: the initializer kept in a field of a plain JavaScript class',
      filename: 'src/store.js',
      code: `import pgPromise from 'pg-promise';\nexport class Store {\n  constructor(config) {\n    this.pgp = pgPromise();\n    this.db = this.pgp(config);\n  }\n  async insertAll(records) {\n    for (const r of records) await this.db.none('INSERT INTO spans (id) VALUES ($1)', [r.id]);\n  }\n}\n`,
      errors: [{ message: /^`this\.db\.none` runs once per element of `records`/, line: 8 }],
    },
    {
      name: 'libSQL: execute per element, on the client and in an interactive transaction',
      code: `import { createClient, type Client } from '@libsql/client';\nconst client = createClient({ url: 'file:local.db' });\nexport async function upsert(vectors: { id: string }[]) {\n  for (const v of vectors) await client.execute({ sql: 'INSERT INTO v (id) VALUES (?)', args: [v.id] });\n}\nexport async function remove(db: Client, ids: string[]) {\n  const tx = await db.transaction('write');\n  for (const id of ids) await tx.execute({ sql: 'DELETE FROM v WHERE id = ?', args: [id] });\n  await tx.commit();\n}\n`,
      errors: [{ message: /^`client\.execute` runs once per element of `vectors`/, line: 4 }, { message: /^`tx\.execute` runs once per element of `ids`/, line: 8 }],
    },
    {
      name: 'MikroORM: an untyped manager in a file that imports @mikro-orm (name heuristic)',
      code: `import { wrap } from '@mikro-orm/core';\nexport async function softDelete(manager: any, ids: string[]) {\n  await Promise.all(ids.map((id) => manager.findOne('Category', { id })));\n  return wrap;\n}\n`,
      errors: [{ message: /^`manager\.findOne` runs once per element of `ids` \(in `map`\) concurrently: .*\(The receiver is recognised by its name only\.\)$/ }],
    },
    {
      name: 'the per-row backfill shape in request-serving code is still reported',
      code: `${PRISMA}export async function renameAll() {\n  const users = await prisma.user.findMany({ select: { id: true, name: true } });\n  for (const user of users) await prisma.user.update({ where: { id: user.id }, data: { slug: user.name.toLowerCase() } });\n}\n`,
      filename: 'src/users/service.ts',
      errors: [{ message: /`prisma.user.update` runs once per element of `users`/ }],
    },
    {
      name: 'Prisma findUnique in for…of: sequential, with the findMany + Map fix',
      code: `${PRISMA}export async function f(orders: { userId: number }[]) {\n  for (const order of orders) {\n    const user = await prisma.user.findUnique({ where: { id: order.userId } });\n    console.log(user?.name);\n  }\n}\n`,
      errors: [
        {
          message: '`prisma.user.findUnique` runs once per element of `orders`, awaited one after another: 1 + N round trips. Load the rows for all elements with one query before the loop.',
          line: 5,
          column: 24,
          severity: 'warning',
          related: 1,
          fixes: [
            {
              title: 'Load every User with one findMany before the loop and look it up in a Map',
              output: `${PRISMA}export async function f(orders: { userId: number }[]) {\n  const userById = new Map((await prisma.user.findMany({ where: { id: { in: orders.map((order) => order.userId) } } })).map((row) => [row.id, row]));\n  for (const order of orders) {\n    const user = userById.get(order.userId) ?? null;\n    console.log(user?.name);\n  }\n}\n`,
            },
          ],
        },
      ],
    },
    {
      name: 'findFirst with include and shorthand id: fix keeps include and uses the ids directly',
      code: `${PRISMA}export async function f(ids: number[]) {\n  const out = [];\n  for (const id of ids) {\n    out.push(await prisma.post.findFirst({ where: { id }, include: { author: true } }));\n  }\n  return out;\n}\n`,
      errors: [
        {
          message: SEQUENTIAL,
          fixes: [
            {
              title: /findMany before the loop/,
              output: `${PRISMA}export async function f(ids: number[]) {\n  const out = [];\n  const postById = new Map((await prisma.post.findMany({ where: { id: { in: ids } }, include: { author: true } })).map((row) => [row.id, row]));\n  for (const id of ids) {\n    out.push(postById.get(id) ?? null);\n  }\n  return out;\n}\n`,
            },
          ],
        },
      ],
    },
    {
      name: 'no rewrite when findUnique has select (the key may not be selected)',
      code: `${PRISMA}export async function f(orders: { userId: number }[]) {\n  for (const order of orders) {\n    await prisma.user.findUnique({ where: { id: order.userId }, select: { name: true } });\n  }\n}\n`,
      errors: [{ message: SEQUENTIAL, fixes: [] }],
    },
    {
      name: 'no rewrite when the collection is not known to be an array',
      code: `${PRISMA}export async function f(orders: Iterable<{ userId: number }>) {\n  for (const order of orders) {\n    await prisma.user.findUnique({ where: { id: order.userId } });\n  }\n}\n`,
      errors: [{ message: SEQUENTIAL, fixes: [] }],
    },
    {
      name: 'per-item create → createMany',
      code: `${PRISMA}export async function save(orderId: number, lines: { sku: string; qty: number }[]) {\n  for (const line of lines) {\n    await prisma.orderLine.create({ data: { orderId, sku: line.sku, qty: line.qty } });\n  }\n}\n`,
      errors: [
        {
          message: /awaited one after another: 1 \+ N round trips\. Write all elements with one batched statement \(createMany, insert of many rows, updateMany with `in`\) before the loop\.$/,
          line: 5,
          fixes: [
            {
              title: 'Insert all rows with one createMany (returns a count, not the created rows)',
              output: `${PRISMA}export async function save(orderId: number, lines: { sku: string; qty: number }[]) {\n  await prisma.orderLine.createMany({ data: lines.map((line) => ({ orderId, sku: line.sku, qty: line.qty })) });\n}\n`,
            },
          ],
        },
      ],
    },
    {
      name: 'no createMany when the result is used',
      code: `${PRISMA}export async function save(lines: { sku: string }[]) {\n  const created = [];\n  for (const line of lines) {\n    created.push(await prisma.orderLine.create({ data: { sku: line.sku } }));\n  }\n  return created;\n}\n`,
      errors: [{ message: SEQUENTIAL, fixes: [] }],
    },
    {
      name: 'no createMany with nested writes',
      code: `${PRISMA}export async function save(lines: { sku: string }[]) {\n  for (const line of lines) {\n    await prisma.orderLine.create({ data: { product: { connect: { sku: line.sku } } } });\n  }\n}\n`,
      errors: [{ message: SEQUENTIAL, fixes: [] }],
    },
    {
      name: 'Drizzle eq in a loop → inArray',
      code: `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq } from 'drizzle-orm';\nimport { posts } from './schema';\nconst db = drizzle(process.env.DATABASE_URL!);\nexport async function f(users: { id: number }[]) {\n  for (const user of users) {\n    const rows = await db.select().from(posts).where(eq(posts.userId, user.id));\n    console.log(rows.length);\n  }\n}\n`,
      errors: [
        {
          message: /^`db\.select\(\)\.from\(\)\.where\(\)` runs once per element of `users`, awaited one after another/,
          fixes: [
            {
              title: 'Load the rows of every element with one inArray query before the loop and filter them in memory',
              output: `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq, inArray } from 'drizzle-orm';\nimport { posts } from './schema';\nconst db = drizzle(process.env.DATABASE_URL!);\nexport async function f(users: { id: number }[]) {\n  const postsRows = await db.select().from(posts).where(inArray(posts.userId, users.map((user) => user.id)));\n  for (const user of users) {\n    const rows = postsRows.filter((row) => row.userId === user.id);\n    console.log(rows.length);\n  }\n}\n`,
            },
          ],
        },
      ],
    },
    {
      name: 'Promise.all(xs.map(findMany)): concurrent fan-out',
      code: `${PRISMA}export async function f(users: { id: number }[]) {\n  return Promise.all(users.map((u) => prisma.order.findMany({ where: { userId: u.id }, take: 10 })));\n}\n`,
      errors: [{ message: '`prisma.order.findMany` runs once per element of `users` (in `map`) concurrently: N queries at once compete for the connection pool. Load the rows for all elements with one query.', severity: 'warning', related: 1, fixes: [] }],
    },
    {
      name: 'Promise.all(ids.map(findUnique)): Prisma batches in one tick, lower severity',
      code: `${PRISMA}export async function f(ids: number[]) {\n  return Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } })));\n}\n`,
      errors: [{ message: /in the same tick; Prisma batches these findUnique calls into one query/, severity: 'info' }],
    },
    {
      name: 'findUnique after another await in an async callback is not batched',
      code: `${PRISMA}export async function f(ids: number[]) {\n  return Promise.all(ids.map(async (id) => {\n    await new Promise((r) => setTimeout(r, 1));\n    return prisma.user.findUnique({ where: { id } });\n  }));\n}\n`,
      errors: [{ message: CONCURRENT, severity: 'warning' }],
    },
    {
      name: 'forEach(async) create: concurrent fire-and-forget',
      code: `${PRISMA}export function f(events: { type: string }[]) {\n  events.forEach(async (event) => {\n    await prisma.auditLog.create({ data: { type: event.type } });\n  });\n}\n`,
      errors: [{ message: /\(in `forEach`\) concurrently/ }],
    },
    {
      name: 'loop-invariant query: the same query N times, hoist it',
      code: `${PRISMA}export async function f(users: { id: number }[]) {\n  for (const user of users) {\n    const settings = await prisma.setting.findFirst({ where: { key: 'currency' } });\n    console.log(user.id, settings);\n  }\n}\n`,
      errors: [{ message: '`prisma.setting.findFirst` runs with the same arguments once per element of `users`: nothing in it depends on the element, so hoist it out of the loop and run it once.', fixes: [] }],
    },
    {
      name: 'a variable assigned in the loop makes the query depend on it',
      code: `${PRISMA}export async function f(users: { id: number }[]) {\n  let last = 0;\n  for (const user of users) {\n    last = user.id;\n    await prisma.visit.findMany({ where: { userId: last } });\n  }\n}\n`,
      errors: [{ message: SEQUENTIAL }],
    },
    {
      name: 'indirection: a local function that queries, called per element',
      code: `${PRISMA}async function loadOrders(userId: number) {\n  return prisma.order.findMany({ where: { userId } });\n}\nexport async function f(users: { id: number }[]) {\n  for (const user of users) {\n    await loadOrders(user.id);\n  }\n}\n`,
      errors: [{ message: '`loadOrders(…)`, which runs `prisma.order.findMany`, is called once per element of `users`, awaited one after another: 1 + N round trips. Load the rows for all elements with one query before the loop.', line: 8, related: 2 }],
    },
    {
      name: 'a read with the same arguments each time, of a row the body writes: no advice to hoist it',
      code: `${PRISMA}export async function addAll(userId: number, items: { n: number }[]) {\n  for (const item of items) {\n    const user = await prisma.user.findUnique({ where: { id: userId } });\n    await prisma.user.update({ where: { id: userId }, data: { total: (user?.total ?? 0) + item.n } });\n  }\n}\n`,
      errors: [
        { message: /^`prisma\.user\.findUnique` runs once per element of `items`, awaited one after another/, line: 5 },
        { message: /^`prisma\.user\.update` runs once per element of `items`/, line: 6 },
      ],
    },
    {
      name: 'indirection to a write: the advice is a batched write, through a batched form of the function',
      code: `${PRISMA}async function archive(id: number) {\n  return prisma.order.update({ where: { id }, data: { archived: true } });\n}\nexport async function f(orders: { id: number }[]) {\n  for (const order of orders) {\n    await archive(order.id);\n  }\n}\n`,
      errors: [{ message: '`archive(…)`, which runs `prisma.order.update`, is called once per element of `orders`, awaited one after another: 1 + N round trips. Write all elements with one batched statement (a batched form of `archive`) before the loop.', line: 8 }],
    },
    {
      name: 'indirection across files, client through a tsconfig path alias',
      files: {
        'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }',
        'src/lib/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
        'src/orders/repo.ts': `import { prisma } from '@/lib/db';\nexport const countOrders = (userId: number) => prisma.order.count({ where: { userId } });\n`,
      },
      code: `import { countOrders } from '@/orders/repo';\nexport async function f(users: { id: number }[]) {\n  return Promise.all(users.map((u) => countOrders(u.id)));\n}\n`,
      errors: [{ message: /^`countOrders\(…\)`, which runs `prisma\.order\.count`, is called once per element of `users` \(in `map`\) concurrently/, related: 2 }],
    },
    {
      name: 'indirection through this.method in a class',
      code: `${PRISMA}export class Reports {\n  async totals(accountId: number) {\n    return prisma.invoice.aggregate({ where: { accountId }, _sum: { total: true } });\n  }\n  async all(accounts: { id: number }[]) {\n    const out = [];\n    for (const a of accounts) out.push(await this.totals(a.id));\n    return out;\n  }\n}\n`,
      errors: [{ message: /^`totals\(…\)`, which runs `prisma\.invoice\.aggregate`/ }],
    },
    {
      name: 'NestJS: this.usersService.findOne per element, the service injects PrismaService',
      files: {
        'src/prisma.service.ts': `import { Injectable } from '@nestjs/common';\nimport { PrismaClient } from '@prisma/client';\n@Injectable()\nexport class PrismaService extends PrismaClient {}\n`,
        'src/users.service.ts': `import { Injectable } from '@nestjs/common';\nimport { PrismaService } from './prisma.service';\n@Injectable()\nexport class UsersService {\n  constructor(private readonly prisma: PrismaService) {}\n  findOne(id: number) {\n    return this.prisma.user.findUnique({ where: { id } });\n  }\n}\n`,
      },
      code: `import { Injectable } from '@nestjs/common';\nimport { UsersService } from './users.service';\n@Injectable()\nexport class TeamsService {\n  constructor(private readonly usersService: UsersService) {}\n  async members(ids: number[]) {\n    const out = [];\n    for (const id of ids) out.push(await this.usersService.findOne(id));\n    return out;\n  }\n}\n`,
      errors: [{ message: /^`findOne\(…\)`, which runs `this\.prisma\.user\.findUnique`, is called once per element of `ids`, awaited/, related: 2 }],
    },
    {
      name: 'index loop over .length',
      code: `${PRISMA}export async function f(users: { id: number }[]) {\n  for (let i = 0; i < users.length; i++) {\n    await prisma.profile.findUnique({ where: { userId: users[i].id } });\n  }\n}\n`,
      errors: [{ message: /once per element of `users`, awaited/ }],
    },
    {
      name: 'for…in loop',
      code: `${PRISMA}export async function f(byId: Record<string, number>) {\n  for (const id in byId) {\n    await prisma.counter.update({ where: { id }, data: { value: byId[id] } });\n  }\n}\n`,
      errors: [{ message: /once per element of `byId`, awaited/ }],
    },
    {
      name: 'for await…of body',
      code: `${PRISMA}export async function f(stream: AsyncIterable<{ id: number }>) {\n  for await (const row of stream) {\n    await prisma.archive.create({ data: { rowId: row.id } });\n  }\n}\n`,
      errors: [{ message: /once per element of `stream`, awaited/, fixes: [] }],
    },
    {
      name: 'while loop draining a queue',
      code: `${PRISMA}export async function drain(queue: number[]) {\n  while (queue.length > 0) {\n    const id = queue.shift()!;\n    await prisma.task.delete({ where: { id } });\n  }\n}\n`,
      errors: [{ message: /once per element of `queue`, awaited/ }],
    },
    {
      name: 'while ((job = jobs.pop()))',
      code: `${PRISMA}export async function drain(jobs: number[]) {\n  let job: number | undefined;\n  while ((job = jobs.pop()) !== undefined) {\n    await prisma.job.update({ where: { id: job }, data: { done: true } });\n  }\n}\n`,
      errors: [{ message: /once per element of `jobs`, awaited/ }],
    },
    {
      name: 'reduce chaining the accumulator: sequential',
      code: `${PRISMA}export async function f(ids: number[]) {\n  await ids.reduce(async (prev, id) => {\n    await prev;\n    await prisma.step.update({ where: { id }, data: { done: true } });\n  }, Promise.resolve());\n}\n`,
      errors: [{ message: /\(in `reduce`\), awaited one after another/ }],
    },
    {
      name: 'pMap: concurrent; pMapSeries: sequential',
      code: `import pMap from 'p-map';\nimport pMapSeries from 'p-map-series';\n${PRISMA}export async function f(ids: number[]) {\n  await pMap(ids, (id) => prisma.user.update({ where: { id }, data: { a: 1 } }), { concurrency: 5 });\n  await pMapSeries(ids, (id) => prisma.user.update({ where: { id }, data: { b: 1 } }));\n}\n`,
      errors: [{ message: /\(in `pMap`\) concurrently/ }, { message: /\(in `pMapSeries`\), awaited one after another/ }],
    },
    {
      name: 'flatMap, filter, some, every, find callbacks',
      code: `${PRISMA}export async function f(ids: number[]) {\n  ids.flatMap((id) => [prisma.a.findMany({ where: { id } })]);\n  ids.filter(async (id) => (await prisma.b.count({ where: { id } })) > 0);\n  ids.some((id) => prisma.c.findFirst({ where: { id } }));\n  ids.every((id) => prisma.d.findFirst({ where: { id } }));\n  ids.find((id) => prisma.e.findFirst({ where: { id } }));\n}\n`,
      errors: [{ message: /in `flatMap`/ }, { message: /in `filter`/ }, { message: /in `some`/ }, { message: /in `every`/ }, { message: /in `find`/ }],
    },
    {
      name: 'un-awaited push into an array: concurrent',
      code: `${PRISMA}export async function f(users: { id: number }[]) {\n  const pending = [];\n  for (const user of users) pending.push(prisma.notification.create({ data: { userId: user.id } }));\n  await Promise.all(pending);\n}\n`,
      errors: [{ message: /once per element of `users` concurrently/ }],
    },
    {
      name: 'a conditional return after the query does not exempt the loop',
      code: `${PRISMA}export async function f(ids: number[]) {\n  for (const id of ids) {\n    const user = await prisma.user.findUnique({ where: { id } });\n    if (user) return user;\n  }\n}\n`,
      errors: [{ message: SEQUENTIAL }],
    },
    {
      name: 'a callback inside a loop: reported once, at the innermost iteration',
      code: `${PRISMA}export async function f(groups: { ids: number[] }[]) {\n  for (const group of groups) {\n    await Promise.all(group.ids.map((id) => prisma.member.findFirst({ where: { id } })));\n  }\n}\n`,
      errors: [{ message: /once per element of `group\.ids` \(in `map`\)/ }],
    },
    {
      name: 'a transaction per element',
      code: `${PRISMA}export async function f(transfers: { from: number; to: number }[]) {\n  for (const t of transfers) {\n    await prisma.$transaction(async (tx) => {\n      await tx.account.update({ where: { id: t.from }, data: { balance: { decrement: 1 } } });\n    });\n  }\n}\n`,
      errors: [{ message: /^`prisma\.\$transaction` runs once per element of `transfers`/ }],
    },
    {
      name: 'tx inside $transaction, loop inside the callback',
      code: `${PRISMA}export async function f(ids: number[]) {\n  await prisma.$transaction(async (tx) => {\n    for (const id of ids) await tx.item.delete({ where: { id } });\n  });\n}\n`,
      errors: [{ message: /^`tx\.item\.delete` runs once per element of `ids`/ }],
    },
    {
      name: '$extends client',
      code: `${PRISMA}const xprisma = prisma.$extends({});\nexport async function f(ids: number[]) {\n  for (const id of ids) await xprisma.user.update({ where: { id }, data: { n: 1 } });\n}\n`,
      errors: [{ message: /^`xprisma\.user\.update`/ }],
    },
    {
      name: 'tRPC ctx.db in map',
      files: { 'package.json': '{ "dependencies": { "@prisma/client": "6.0.0", "@trpc/server": "11.0.0" } }' },
      code: `import { publicProcedure } from './trpc';\nexport const list = publicProcedure.query(async ({ ctx }) => {\n  const posts = await ctx.db.post.findMany({ take: 20 });\n  return Promise.all(posts.map((p) => ctx.db.user.findFirst({ where: { id: p.authorId } })));\n});\n`,
      errors: [{ message: /^`ctx\.db\.user\.findFirst` runs once per element of `posts` \(in `map`\) concurrently/ }],
    },
    {
      name: 'heuristic receiver (untyped this.prisma in a file importing @prisma/client): lower severity',
      code: `import type { User } from '@prisma/client';\nexport class UserService {\n  constructor(private prisma) {}\n  async touch(users: User[]) {\n    for (const u of users) await this.prisma.user.update({ where: { id: u.id }, data: { seen: true } });\n  }\n}\n`,
      errors: [{ message: /recognised by its name only/, severity: 'info', fixes: [] }],
    },
    {
      name: 'Drizzle relational query in a loop',
      code: `import { drizzle } from 'drizzle-orm/postgres-js';\nimport * as schema from './schema';\nconst db = drizzle(process.env.URL!, { schema });\nexport async function f(ids: number[]) {\n  for (const id of ids) await db.query.posts.findMany({ where: (p, { eq }) => eq(p.authorId, id) });\n}\n`,
      errors: [{ message: /^`db\.query\.posts\.findMany\(\)` runs once per element of `ids`/ }],
    },
    {
      name: 'TypeORM @InjectRepository repository in a NestJS service',
      code: `import { Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\nimport { Photo } from './photo.entity';\n@Injectable()\nexport class PhotoService {\n  constructor(@InjectRepository(Photo) private readonly photos: Repository<Photo>) {}\n  async load(ids: number[]) {\n    const out = [];\n    for (const id of ids) out.push(await this.photos.findOneBy({ id }));\n    return out;\n  }\n}\n`,
      errors: [{ message: /^`this\.photos\.findOneBy` runs once per element of `ids`, awaited/ }],
    },
    {
      name: 'TypeORM dataSource.getRepository(User)',
      code: `import { DataSource } from 'typeorm';\nimport { User } from './user';\nconst ds = new DataSource({ type: 'postgres' });\nconst users = ds.getRepository(User);\nexport async function f(ids: number[]) {\n  return Promise.all(ids.map((id) => users.findOne({ where: { id } })));\n}\n`,
      errors: [{ message: /^`users\.findOne` runs once per element of `ids` \(in `map`\) concurrently/ }],
    },
    {
      name: 'MikroORM em.findOne in a loop',
      code: `import { MikroORM } from '@mikro-orm/postgresql';\nimport { Book } from './book';\nexport async function f(ids: number[]) {\n  const orm = await MikroORM.init({});\n  const em = orm.em.fork();\n  for (const id of ids) await em.findOne(Book, { id });\n}\n`,
      errors: [{ message: /^`em\.findOne` runs once per element of `ids`, awaited/ }],
    },
    {
      name: 'Sequelize model class findByPk',
      code: `import { Model } from 'sequelize';\nclass User extends Model {}\nexport async function f(ids: number[]) {\n  for (const id of ids) await User.findByPk(id);\n}\n`,
      errors: [{ message: /^`User\.findByPk` runs once per element of `ids`/ }],
    },
    {
      name: 'Mongoose model findById in map, and a lean() chain in a loop',
      code: `import mongoose from 'mongoose';\nconst Cat = mongoose.model('Cat', new mongoose.Schema({ name: String }));\nexport async function f(ids: string[]) {\n  await Promise.all(ids.map((id) => Cat.findById(id)));\n  for (const id of ids) await Cat.find({ owner: id }).lean();\n}\n`,
      errors: [{ message: /^`Cat\.findById\(\)` runs once per element of `ids` \(in `map`\)/ }, { message: /^`Cat\.find\(\)\.lean\(\)` runs once per element of `ids`, awaited/ }],
    },
    {
      name: 'node-postgres pool.query in a loop',
      code: `import { Pool } from 'pg';\nconst pool = new Pool({ max: 10 });\nexport async function f(ids: number[]) {\n  for (const id of ids) await pool.query('SELECT * FROM users WHERE id = $1', [id]);\n}\n`,
      errors: [{ message: /^`pool\.query` runs once per element of `ids`, awaited/ }],
    },
    {
      name: 'mysql2 pool.execute in a loop',
      code: `import mysql from 'mysql2/promise';\nconst pool = mysql.createPool({ uri: process.env.URL });\nexport async function f(ids: number[]) {\n  for (const id of ids) await pool.execute('SELECT 1 FROM t WHERE id = ?', [id]);\n}\n`,
      errors: [{ message: /^`pool\.execute` runs once per element of `ids`/ }],
    },
    {
      name: 'postgres.js sql tagged template in a loop',
      code: `import postgres from 'postgres';\nconst sql = postgres(process.env.URL!);\nexport async function f(ids: number[]) {\n  for (const id of ids) await sql\`select * from users where id = \${id}\`;\n}\n`,
      errors: [{ message: /^`sql`…`` runs once per element of `ids`, awaited/ }],
    },
    {
      name: '@vercel/postgres sql in map',
      code: `import { sql } from '@vercel/postgres';\nexport async function f(ids: number[]) {\n  return Promise.all(ids.map((id) => sql\`select * from users where id = \${id}\`));\n}\n`,
      errors: [{ message: /concurrently/ }],
    },
    {
      name: 'Redis get per element',
      code: `import Redis from 'ioredis';\nconst redis = new Redis();\nexport async function f(keys: string[]) {\n  const out = [];\n  for (const key of keys) out.push(await redis.get(key));\n  return out;\n}\n`,
      errors: [{ message: /^`redis\.get` runs once per element of `keys`, awaited one after another: 1 \+ N round trips\. Fetch all keys with one command \(MGET, HMGET, a pipeline\)/ }],
    },
    {
      name: 'Kysely executeTakeFirst in a loop',
      code: `import { Kysely } from 'kysely';\nconst db = new Kysely<any>({} as any);\nexport async function f(ids: number[]) {\n  for (const id of ids) await db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();\n}\n`,
      errors: [{ message: /^`db\.selectFrom\(\)\.selectAll\(\)\.where\(\)\.executeTakeFirst\(\)` runs once per element of `ids`/ }],
    },
    {
      name: 'a helper given the transaction: the client passed in picks no table (Prisma tx, Knex trx)',
      code: `import { PrismaClient, Prisma } from '@prisma/client';
import knex, { type Knex } from 'knex';
const prisma = new PrismaClient();
const db = knex({ client: 'pg' });
async function getUser(tx: Prisma.TransactionClient, id: number) {
  return tx.user.findUnique({ where: { id } });
}
async function deleteLinks(trx: Knex.Transaction, id: number) {
  await trx('links').where({ id }).del();
}
async function getPost({ tx, id }: { tx: Prisma.TransactionClient; id: number }) {
  const { post } = tx;
  return post.findUnique({ where: { id } });
}
export async function run(ids: number[]) {
  await prisma.$transaction(async (tx) => {
    for (const id of ids) await getUser(tx, id);
    for (const id of ids) await getPost({ tx, id });
  });
  await db.transaction(async (trx) => {
    for (const id of ids) await deleteLinks(trx, id);
  });
}
`,
      errors: [
        { message: /^`getUser\(…\)`, which runs `tx\.user\.findUnique`/, line: 17 },
        { message: /^`getPost\(…\)`, which runs `post\.findUnique`/, line: 18 },
        { message: /^`deleteLinks\(…\)`, which runs `trx\(…\)\.where\(\)\.del\(\)`/, line: 21 },
      ],
    },
    {
      name: "TypeScript's down-levelled async (__awaiter and a generator): each yield is an await, so the loop runs one after another",
      code: `import { __awaiter } from 'tslib';
import { DataSource } from 'typeorm';
const ds = new DataSource({ type: 'postgres' });
const repo = ds.getRepository('item');
export function touchAll(keys: string[]) {
  return __awaiter(this, void 0, void 0, function* () {
    for (const key of keys) {
      yield repo.update({ key }, { touchedAt: new Date() });
    }
  });
}
`,
      errors: [{ message: /^`repo\.update` runs once per element of `keys`, awaited one after another: 1 \+ N round trips/ }],
    },
    {
      name: 'Knex raw awaited in a loop (a query, not a fragment)',
      code: `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport async function f(ids: number[]) {\n  for (const id of ids) await db.raw('select * from users where id = ?', [id]);\n}\n`,
      errors: [{ message: /^`db\.raw\(\)` runs once per element of `ids`|^`db\.raw` runs once per element of `ids`/ }],
    },
    {
      name: 'Knex builder awaited in a loop',
      code: `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport async function f(ids: number[]) {\n  for (const id of ids) await db('users').where({ id }).first();\n}\n`,
      errors: [{ message: /^`db\(…\)\.where\(\)\.first\(\)` runs once per element of `ids`/ }],
    },
    {
      name: 'MongoDB collection.findOne in a loop',
      code: `import { MongoClient } from 'mongodb';\nconst client = new MongoClient(process.env.URL!);\nconst events = client.db('app').collection('events');\nexport async function f(ids: string[]) {\n  for (const id of ids) await events.findOne({ id });\n}\n`,
      errors: [{ message: /^`events\.findOne` runs once per element of `ids`/ }],
    },
    {
      name: 'client imported from another module (default export, re-exported)',
      files: {
        'src/db/client.ts': `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport default prisma;\n`,
        'src/db/index.ts': `export { default as db } from './client';\n`,
      },
      code: `import { db } from './db';\nexport async function f(ids: number[]) {\n  for (const id of ids) await db.user.delete({ where: { id } });\n}\n`,
      errors: [{ message: /^`db\.user\.delete` runs once per element of `ids`/ }],
    },
    {
      name: 'monorepo workspace package exporting the client',
      files: {
        'packages/db/package.json': '{ "name": "@acme/db", "main": "./dist/index.js" }',
        'packages/db/src/index.ts': `import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.URL!);\n`,
      },
      filename: 'apps/api/src/case.ts',
      code: `import { db } from '@acme/db';\nimport { eq } from 'drizzle-orm';\nimport { users } from './schema';\nexport async function f(ids: number[]) {\n  return Promise.all(ids.map((id) => db.update(users).set({ seen: true }).where(eq(users.id, id))));\n}\n`,
      errors: [{ message: /^`db\.update\(\)\.set\(\)\.where\(\)` runs once per element of `ids` \(in `map`\)/ }],
    },
    {
      name: 'CommonJS compiled output',
      filename: 'src/case.js',
      code: `"use strict";\nconst client_1 = require("@prisma/client");\nconst prisma = new client_1.PrismaClient();\nasync function f(ids) {\n  for (const id of ids) await prisma.user.findUnique({ where: { id } });\n}\nexports.f = f;\n`,
      errors: [{ message: /^`prisma\.user\.findUnique` runs once per element of `ids`/ }],
    },
    {
      name: 'Array.from(xs, fn)',
      code: `${PRISMA}export function f(ids: Set<number>) {\n  return Promise.all(Array.from(ids, (id) => prisma.user.findMany({ where: { managerId: id } })));\n}\n`,
      errors: [{ message: /in `Array\.from`\) concurrently/ }],
    },
    {
      name: 'a directive for another rule does not suppress',
      code: `${PRISMA}export async function f(ids: number[]) {\n  for (const id of ids) {\n    // perflint-disable-next-line unbounded-query -- not this one\n    await prisma.user.findMany({ where: { teamId: id } });\n  }\n}\n`,
      errors: [{ message: SEQUENTIAL }],
    },
    {
      name: 'a client derived inside the loop from an outer one is still the same table',
      code: `import { MikroORM } from '@mikro-orm/postgresql';\nimport { Book } from './book';\nexport async function f(orm: MikroORM, ids: number[]) {\n  for (const id of ids) {\n    const em = orm.em.fork();\n    await em.findOne(Book, { id });\n  }\n}\n`,
      errors: [{ message: /^`em\.findOne` runs once per element of `ids`, awaited/ }],
    },
    {
      name: 'compiled optional chaining: the collection label reads as the source',
      filename: 'src/case.js',
      code: `"use strict";\nconst client_1 = require("@prisma/client");\nconst prisma = new client_1.PrismaClient();\nasync function f(input) {\n  var _a;\n  for (const line of (_a = input.lines) !== null && _a !== void 0 ? _a : []) {\n    await prisma.line.create({ data: { sku: line.sku } });\n  }\n}\nexports.f = f;\n`,
      errors: [{ message: /^`prisma\.line\.create` runs once per element of `input\.lines`, awaited/ }],
    },
    {
      name: 'TypeORM custom repository (class extends Repository): this.findOneBy per element',
      code: `import { Repository } from 'typeorm';\nexport class UserRepository extends Repository<User> {\n  async byIds(ids: string[]) {\n    const out = [];\n    for (const id of ids) out.push(await this.findOneBy({ id }));\n    return out;\n  }\n}\n`,
      errors: [{ message: /^`this\.findOneBy` runs once per element of `ids`, awaited/ }],
    },
    {
      name: 'Sequelize instance model via sequelize.define, inside forEach',
      code: `import { Sequelize, DataTypes } from 'sequelize';\nconst sequelize = new Sequelize('sqlite::memory:');\nconst Post = sequelize.define('Post', { title: DataTypes.STRING });\nexport function f(titles: string[]) {\n  titles.forEach((title) => Post.create({ title }));\n}\n`,
      errors: [{ message: /^`Post\.create` runs once per element of `titles` \(in `forEach`\) concurrently/ }],
    },
  ],
});
