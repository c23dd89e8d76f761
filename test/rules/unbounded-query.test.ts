import rule from '../../rules/unbounded-query';
import { ruleTester } from '../harness/ruleTester';

const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const SCHEMA = `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id     Int     @id @default(autoincrement())\n  email  String  @unique\n  name   String\n  orders Order[]\n  posts  Post[]\n}\n\nmodel Order {\n  id     Int    @id @default(autoincrement())\n  userId Int\n  user   User   @relation(fields: [userId], references: [id])\n  lines  Line[]\n}\n\nmodel Line {\n  id      Int   @id @default(autoincrement())\n  orderId Int\n  order   Order @relation(fields: [orderId], references: [id])\n}\n\nmodel Post {\n  id       Int    @id @default(autoincrement())\n  authorId Int\n  author   User   @relation(fields: [authorId], references: [id])\n}\n`;
const withSchema = { 'prisma/schema.prisma': SCHEMA };
const DRIZZLE = `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq, count } from 'drizzle-orm';\nimport { users } from './schema';\nconst db = drizzle(process.env.DATABASE_URL!);\n`;
const KYSELY = `import { Kysely, PostgresDialect } from 'kysely';\nconst db = new Kysely<any>({ dialect: new PostgresDialect({} as any) });\n`;
const KNEX = `import knex from 'knex';\nconst db = knex({ client: 'pg' });\n`;
const TYPEORM = `import { DataSource } from 'typeorm';\nimport { User } from './user.entity';\nconst dataSource = new DataSource({ type: 'postgres' });\nconst users = dataSource.getRepository(User);\n`;
const SEQUELIZE = `import { Sequelize, Model } from 'sequelize';\nconst sequelize = new Sequelize('postgres://x');\nclass Order extends Model {}\n`;
const MONGOOSE = `import mongoose from 'mongoose';\nconst Post = mongoose.model('Post', new mongoose.Schema({ title: String }));\n`;
const PG = `import { Pool } from 'pg';\nconst pool = new Pool();\n`;
const MIKRO = `import { MikroORM } from '@mikro-orm/postgresql';\nimport { Book } from './book.entity';\nconst orm = await MikroORM.init();\nconst em = orm.em.fork();\n`;

const MSG = /has no/;
const DRIZZLE_SCHEMA = { 'src/schema.ts': `import { relations } from 'drizzle-orm';\nimport { pgTable, serial, integer } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: serial('id').primaryKey() });\nexport const posts = pgTable('posts', { id: serial('id').primaryKey(), authorId: integer('author_id') });\nexport const comments = pgTable('comments', { id: serial('id').primaryKey(), postId: integer('post_id') });\nexport const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));\nexport const postsRelations = relations(posts, ({ one, many }) => ({\n  author: one(users, { fields: [posts.authorId], references: [users.id] }),\n  comments: many(comments),\n}));\n` };

ruleTester(rule, {
  valid: [
    {
      name: 'raw SQL pinned to the ids the caller passes: id IN (…) and id = ANY($1)',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function byIds(ids: string[]) {\n  const placeholders = ids.map((_, i) => '$' + (i + 1)).join(',');\n  const a = await pool.query(\`SELECT * FROM messages WHERE id IN (\${placeholders})\`, ids);\n  const b = await pool.query('SELECT * FROM messages WHERE "id" = ANY($1)', [ids]);\n  return [a, b];\n}\n`,
    },
    {
      name: 'pg-promise: a list read only as its first row in .then (checked to be one row, or not)',
      code: `const pgp = require('pg-promise')();\nconst db = pgp(process.env.DATABASE_URL);\nexports.get = (name) => db.any('SELECT * FROM classes WHERE name = $<name>', { name }).then((rows) => { if (rows.length !== 1) throw new Error('not found'); return rows[0]; });\nexports.first = (kind) => db.any('SELECT * FROM events WHERE kind = $1', [kind]).then((rows) => rows[0]);\n`,
      filename: 'src/schema.js',
    },
    {
      name: 'an array mapped with a function and its this argument is no pg-promise map',
      code: `import pgPromise from 'pg-promise';\nconst db = pgPromise()(process.env.DATABASE_URL!);\nexport const labels = (rows: string[], fmt: object, extra: number) => rows.map((r) => r.trim(), fmt, extra);\nexport const one = (id: string) => db.one('SELECT * FROM t WHERE id = $1', [id]);\n`,
    },
    {
      name: 'generic adapters load the rows of the primary keys they are given: [pk], [meta.primaryKeys[0]], [association.targetKey]',
      code: `import { MikroORM, EntityName } from '@mikro-orm/core';
import { ModelStatic, Model, BelongsToMany } from 'sequelize';
export class Resource {
  constructor(private readonly orm: MikroORM, private readonly entity: EntityName<object>) {}
  async loadByIds(ids: string[]) {
    const key = this.orm.getMetadata().get(this.entity as string).primaryKeys[0];
    return this.orm.em.fork().getRepository(this.entity).find({ [key]: { $in: ids } });
  }
}
export const linked = (target: ModelStatic<Model>, assoc: BelongsToMany, keys: string[]) => target.findAll({ where: { [assoc.targetKey]: keys } });
`,
    },
    {
      name: 'libSQL: the first row of a lookup read through .rows, and a LIMIT added by a constant clause or a helper',
      code: `import { createClient } from '@libsql/client';
const client = createClient({ url: 'file:x.db' });
const PAGE = \` LIMIT \${50}\`;
declare function paginate(page: number): string;
export const config = async (platform: string) => (await client.execute({ sql: 'SELECT * FROM channel_config WHERE platform = ?', args: [platform] })).rows[0];
export const version = async (doc: string) => (await client.execute({ sql: 'SELECT * FROM versions WHERE doc = ?', args: [doc] })).rows?.[0] ?? null;
export const recent = () => client.execute(\`SELECT * FROM events ORDER BY at DESC\${PAGE}\`);
export const page = (n: number) => client.execute(\`SELECT * FROM events ORDER BY at DESC \${paginate(n)}\`);
`,
    },
    {
      name: 'pg-promise one/oneOrNone (at most one row by contract) and a LIMIT',
      code: `import pgPromise from 'pg-promise';\nconst db = pgPromise()(process.env.DATABASE_URL!);\nexport const one = (kind: string) => db.oneOrNone('SELECT * FROM events WHERE kind = $1', [kind]);\nexport const page = () => db.any('SELECT * FROM events ORDER BY id LIMIT 50');\n`,
    },
    // Prisma: bounded, aggregate, single-row, unique filters
    `${PRISMA}export const list = () => prisma.user.findMany({ take: 20, orderBy: { id: 'desc' } });`,
    `${PRISMA}export const n = () => prisma.user.count();`,
    `${PRISMA}export const agg = () => prisma.order.aggregate({ _count: true });`,
    `${PRISMA}export const one = () => prisma.user.findFirst({ where: { name: 'a' } });`,
    `${PRISMA}export const one = (id: number) => prisma.user.findUnique({ where: { id } });`,
    `${PRISMA}export const byId = (id: number) => prisma.user.findMany({ where: { id } });`,
    `${PRISMA}export const byIds = () => prisma.user.findMany({ where: { id: { in: [1, 2, 3] } } });`,
    // a unique field in a list the code holds: at most one row per element (n-plus-one's batched fix)
    `${PRISMA}export const byIds = (ids: number[]) => prisma.user.findMany({ where: { id: { in: ids } } });`,
    `${PRISMA}export async function withCustomers(orders: Array<{ customerId: number }>) {\n  return prisma.user.findMany({ where: { id: { in: orders.map((o) => o.customerId) } } });\n}`,
    { code: `${PRISMA}export const byEmails = (emails: string[]) => prisma.user.findMany({ where: { email: { in: emails } } });`, files: withSchema },
    `${SEQUELIZE}import { Op } from 'sequelize';\nexport const byIds = (ids: number[]) => Order.findAll({ where: { id: { [Op.in]: ids } } });`,
    `${KNEX}export const byIds = (ids: number[]) => db('users').whereIn('id', ids);`,
    // grouped or distinct on the listed column: one row per element of the list
    `${KNEX}export const counts = (ids: number[]) => db('post_tags').select('post_id', db.raw('count(*) as n')).whereIn('post_id', ids).groupBy('post_id');`,
    `${KNEX}export const tagged = (ids: number[]) => db('post_tags').distinct('post_id').whereIn('post_tags.post_id', ids);`,
    `${DRIZZLE}import { inArray } from 'drizzle-orm';\nexport const byIds = (ids: number[]) => db.select().from(users).where(inArray(users.id, ids));`,
    { code: `${PRISMA}export const byEmail = (email: string) => prisma.user.findMany({ where: { email } });`, files: withSchema },
    { code: `${PRISMA}export const withTake = () => prisma.user.findMany({ take: 10, include: { orders: { take: 5 } } });`, files: withSchema },
    { code: `${PRISMA}export const toOne = () => prisma.order.findMany({ take: 10, include: { user: true } });`, files: withSchema },
    // batching loop that pages with skip/cursor
    `${PRISMA}export async function all() {\n  let skip = 0;\n  for (;;) {\n    const page = await prisma.user.findMany({ skip, orderBy: { id: 'asc' } });\n    if (page.length === 0) break;\n    skip += page.length;\n  }\n}`,
    // reduced to one row
    `${PRISMA}export async function first() {\n  const [user] = await prisma.user.findMany({ where: { name: 'x' } });\n  return user;\n}`,
    // spread options: unknown
    `${PRISMA}export const list = (page: object) => prisma.user.findMany({ ...page });`,
    // not a Prisma client
    `const prisma = { user: { findMany: (a?: unknown) => [] } };\nexport const list = () => prisma.user.findMany();`,
    // tests and seeds read whole tables
    { code: `${PRISMA}export const all = () => prisma.user.findMany();`, filename: 'test/users.test.ts' },
    { code: `${PRISMA}export const all = () => prisma.user.findMany();`, filename: 'prisma/seed.ts' },
    { code: `${PRISMA}export const all = () => prisma.user.findMany();`, filename: 'db/migrations/0003_backfill.ts' },
    { code: `${PRISMA}export const all = () => prisma.user.findMany();`, filename: 'script/export-users.ts' },
    // writes
    `${PRISMA}export const del = () => prisma.user.deleteMany({ where: { name: 'x' } });`,
    // Drizzle
    `${DRIZZLE}export const list = () => db.select().from(users).limit(50);`,
    `${DRIZZLE}export const total = () => db.select({ n: count() }).from(users);`,
    `${DRIZZLE}export const one = (id: number) => db.select().from(users).where(eq(users.id, id));`,
    `${DRIZZLE}export const rel = () => db.query.users.findMany({ limit: 10 });`,
    // reduced to the first row
    `${DRIZZLE}export const byEmail = (email: string) => db.select().from(users).where(eq(users.email, email)).then((res) => (res.length > 0 ? res[0] : null));`,
    `${DRIZZLE}export async function byName(name: string) {\n  const rows = await db.select().from(users).where(eq(users.name, name));\n  return rows.length ? rows[0] : undefined;\n}`,
    `${DRIZZLE}export const rel = () => db.query.users.findFirst();`,
    `${DRIZZLE}export const sub = db.select().from(users).as('sub');`,
    // Drizzle relational: to-one relation and bounded many relation
    { code: `${DRIZZLE}export const list = () => db.query.posts.findMany({ limit: 10, with: { author: true, comments: { limit: 5 } } });`, files: DRIZZLE_SCHEMA },
    // Kysely
    `${KYSELY}export const list = () => db.selectFrom('person').selectAll().limit(10).execute();`,
    `${KYSELY}export const one = () => db.selectFrom('person').selectAll().executeTakeFirst();`,
    `${KYSELY}export const one = (id: number) => db.selectFrom('person').selectAll().where('id', '=', id).execute();`,
    `${KYSELY}export const n = () => db.selectFrom('person').select((eb) => eb.fn.countAll().as('n')).execute();`,
    // Knex
    `${KNEX}export const list = () => db('users').where({ active: true }).limit(10);`,
    `${KNEX}export const one = () => db('users').where({ active: true }).first();`,
    `${KNEX}export const one = (id: number) => db('users').where('id', id);`,
    `${KNEX}export const n = () => db('users').count('id');`,
    // TypeORM
    `${TYPEORM}export const list = () => users.find({ take: 20 });`,
    `${TYPEORM}export const one = (id: number) => users.findOneBy({ id });`,
    `${TYPEORM}export const byId = (id: number) => users.findBy({ id });`,
    `${TYPEORM}export const n = () => users.count();`,
    `${TYPEORM}export const qb = () => users.createQueryBuilder('u').where('u.active = true').take(10).getMany();`,
    `${TYPEORM}export const byIds = (ids: number[]) => users.createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany();`,
    // MikroORM
    `${MIKRO}export const list = () => em.find(Book, { published: true }, { limit: 10 });`,
    `${MIKRO}export const one = () => em.findOne(Book, { id: 1 });`,
    // Sequelize
    `${SEQUELIZE}export const list = () => Order.findAll({ limit: 20 });`,
    `${SEQUELIZE}export const n = () => Order.count();`,
    // Mongoose
    `${MONGOOSE}export const list = () => Post.find({ published: true }).sort({ _id: -1 }).limit(20);`,
    `${MONGOOSE}export const one = (id: string) => Post.find({ _id: id });`,
    `${MONGOOSE}export const n = () => Post.countDocuments();`,
    // raw SQL
    `${PG}export const list = () => pool.query('SELECT * FROM users ORDER BY id LIMIT 50');`,
    `${PG}export const n = () => pool.query('SELECT count(*) FROM users');`,
    `${PG}export const one = (id: number) => pool.query('SELECT * FROM users WHERE id = $1', [id]);`,
    `${PG}export const now = () => pool.query('SELECT now()');`,
    `${PG}export async function byEmail(email: string) {\n  const result = await pool.query('select * from users where email = $1', [email]);\n  return result.rowCount !== 0 ? result.rows[0] : null;\n}`,
    `${PG}export async function bySession(token: string) {\n  const { rows } = await pool.query('SELECT * FROM sessions WHERE token = $1', [token]);\n  return rows[0];\n}`,
    // a builder reading the catalog: schema introspection (Kysely's sqlite introspector)
    `import { sql } from 'kysely';\n${KYSELY}export async function columnsOf(tables: string[]) {\n  const names = await db.selectFrom('sqlite_master').select('name').execute();\n  const info = await db.selectFrom(sql\`pragma_table_info(\${tables[0]})\`.as('t')).select(['name', 'type']).execute();\n  const cols = await db.selectFrom('information_schema.columns').select('column_name').execute();\n  return { names, info, cols };\n}`,
    // callback style, the result read only as its first row
    `${PG}export function get(key: string, done: (err: Error | null, value?: string | null) => void) {\n  pool.query('SELECT value FROM store WHERE key = $1', [key], (err, results) => {\n    done(err, !err && results.rows.length === 1 ? results.rows[0].value : null);\n  });\n}`,
    `${PG}export const ins = () => pool.query('INSERT INTO users (name) SELECT name FROM staging');`,
    `${PG}export const f = () => pool.query('SELECT * FROM users FETCH FIRST 10 ROWS ONLY');`,
    `${PRISMA}export const top = () => prisma.$queryRaw\`SELECT id FROM "User" WHERE email = \${'a'} LIMIT 1\`;`,
    // The database's catalog is as large as the schema.
    `${PG}export const tables = () => pool.query("select name from sqlite_master where type = 'table'");`,
    `${PG}export const columns = (t: string) => pool.query('SELECT column_name FROM information_schema.columns WHERE table_name = $1', [t]);`,
    `${PG}export const indexes = () => pool.query('SELECT indexname FROM pg_indexes WHERE schemaname = $1', ['public']);`,
  ],
  invalid: [
    {
      name: 'Kysely through an untyped handle in a file that imports Kysely: a name heuristic, one level lower',
      filename: 'src/store.js',
      code: `import { sql } from 'kysely';\nexport const listAll = (db) => db.selectFrom('sessions').selectAll().execute();\nexport const ping = (db) => sql\`select 1\`.execute(db);\n`,
      errors: [{ message: /`db\.selectFrom\(\)\.selectAll\(\)\.execute\(\)` has no `\.limit\(\)`/, severity: 'info' }],
    },
    {
      name: 'callback style, every row of the result read',
      code: `${PG}export function all(done: (rows: unknown[]) => void) {\n  pool.query('SELECT value FROM store', [], (err, results) => done(results.rows));\n}`,
      errors: [{ message: /runs a SELECT without LIMIT/ }],
    },
    {
      name: 'a Mongoose model made with `model` destructured from mongoose, used in another module',
      files: { 'src/models/comment.ts': `import mongoose from 'mongoose';\nconst { Schema, model } = mongoose;\nexport const Comment = model('Comment', new Schema({ postId: String, body: String }));\n` },
      code: `import { Comment } from './models/comment';\nexport const allComments = () => Comment.find().lean();\n`,
      errors: [{ message: /^`Comment\.find\(\)\.lean\(\)` has no `\.limit\(\)`/ }],
    },
    {
      name: "Blitz's enhanced client class: new (enhancePrisma(PrismaClient))(), inline or through a const",
      code: `import { enhancePrisma } from 'blitz';\nimport { PrismaClient } from '@prisma/client';\nconst EnhancedPrisma = enhancePrisma(PrismaClient);\nconst db = new EnhancedPrisma();\nconst other = new (enhancePrisma(PrismaClient))();\nexport const events = () => db.auditEvent.findMany({ orderBy: { id: 'desc' } });\nexport const logs = () => other.log.findMany();\n`,
      errors: [{ message: /^`db\.auditEvent\.findMany` has no `take`/, line: 6 }, { message: /^`other\.log\.findMany` has no `take`/, line: 7 }],
    },
    {
      name: "TypeORM's Repository imported from a deep path (typeorm/index, an editor's auto-import)",
      code: `import { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm/index';\nimport { Invoice } from './invoice.entity';\nexport class Invoices {\n  constructor(@InjectRepository(Invoice) private readonly invoices: Repository<Invoice>) {}\n  unpaid() {\n    return this.invoices.find({ where: { paid: false } });\n  }\n}\n`,
      errors: [{ message: /^`this\.invoices\.find` has no `take`/ }],
    },
    {
      name: 'raw SQL whose id list is a sub-query is not pinned',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport const recent = () => pool.query('SELECT * FROM messages WHERE id IN (SELECT message_id FROM flags)');\n`,
      errors: [{ message: /^`pool\.query` runs a SELECT without LIMIT/ }],
    },
    {
      name: 'the first row of an unfiltered list is still every row read (await, destructuring, .then, raw SQL)',
      code: `${PRISMA}export async function newest() {\n  const [user] = await prisma.user.findMany({ orderBy: { id: 'desc' } });\n  return user;\n}\nexport const oldest = () => prisma.user.findMany({ orderBy: { id: 'asc' } }).then((rows) => rows[0]);\n`,
      errors: [{ message: /^`prisma\.user\.findMany` has no `take`/, line: 4 }, { message: /^`prisma\.user\.findMany` has no `take`/, line: 7 }],
    },
    {
      name: 'raw SQL without WHERE read only as its first row',
      code: `${PG}export async function latest() {\n  const { rows } = await pool.query('SELECT * FROM events ORDER BY created_at DESC');\n  return rows[0];\n}\n`,
      errors: [{ message: /^`pool\.query` runs a SELECT without LIMIT/ }],
    },
    {
      name: 'a computed key that names no primary key is no pin, and a long label starts at a name',
      code: `import { MikroORM, EntityName } from '@mikro-orm/core';
export class Resource {
  constructor(private readonly orm: MikroORM, private readonly entity: EntityName<object>) {}
  async byField(field: string, values: string[]) {
    return this.orm.em.fork().getRepository(this.entity).find({ [field]: { $in: values } });
  }
}
`,
      errors: [{ message: /^\`…getRepository\(this\.entity\)\.find\` has no \`limit\`/ }],
    },
    {
      name: 'a LIMIT added only when the caller asks: reported as optional, with no fix (appending one would give LIMIT ? LIMIT 100)',
      code: `import { createClient } from '@libsql/client';
const client = createClient({ url: 'file:x.db' });
export async function list(userId: string, max?: number) {
  const limit = max ? ' LIMIT ?' : '';
  return (await client.execute({ sql: \`SELECT * FROM notifications WHERE user_id = ? ORDER BY at DESC\${limit}\`, args: max ? [userId, max] : [userId] })).rows;
}
`,
      errors: [{ message: /^`client\.execute` runs a SELECT whose LIMIT is optional: when `\$\{limit\}` adds none/, fixes: [] }],
    },
    {
      name: "Prisma 7: a client generated into the workspace (generator output), imported by relative path, through a module, or by a path alias",
      filename: 'src/routes.ts',
      files: {
        'prisma/schema.prisma': `generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n\nmodel Book {\n  id    Int    @id\n  shelf String\n}\n`,
        'src/db.ts': `import { PrismaClient } from './generated/prisma/client';\nexport const prisma = new PrismaClient();\n`,
        'src/other.ts': `import { PrismaClient } from '@/generated/prisma';\nconst client = new PrismaClient();\nexport const all = () => client.book.findMany();\n`,
      },
      code: `import { prisma } from './db';
import { PrismaClient } from './generated/prisma/client';
const direct = new PrismaClient();
export const books = () => prisma.book.findMany();
export const shelves = () => direct.book.findMany({ where: { shelf: 'a' } });
`,
      errors: [{ message: /^`prisma\.book\.findMany` has no `take`: it returns every matching `Book` row/, line: 4 }, { message: /^`direct\.book\.findMany` has no `take`/, line: 5 }],
    },
    {
      name: 'pg-promise map: every row, mapped',
      code: `import pgPromise from 'pg-promise';\nconst db = pgPromise()(process.env.DATABASE_URL!);\nexport const ids = (status: string) => db.map('SELECT id FROM orders WHERE status = $1', [status], (row) => row.id);\nexport const all = () => db.any('SELECT id FROM orders').then((rows) => rows.map((r) => r.id));\n`,
      errors: [{ message: /^`db\.map` runs a SELECT without LIMIT/, line: 3 }, { message: /^`db\.any` runs a SELECT without LIMIT/, line: 4 }],
    },
    {
      name: 'pg-promise manyOrNone and libSQL execute without LIMIT',
      code: `import pgPromise from 'pg-promise';\nimport { createClient } from '@libsql/client';\nconst db = pgPromise()(process.env.DATABASE_URL!);\nconst client = createClient({ url: 'file:x.db' });\nexport const evals = (agent: string) => db.manyOrNone('SELECT * FROM evals WHERE agent_name = $1', [agent]);\nexport const messages = () => client.execute('SELECT * FROM messages');\n`,
      errors: [{ message: /^`db\.manyOrNone` runs a SELECT without LIMIT/, line: 5 }, { message: /^`client\.execute` runs a SELECT without LIMIT/, line: 6 }],
    },
    // Prisma
    {
      code: `${PRISMA}export const list = () => prisma.user.findMany();`,
      errors: [{ message: /`prisma.user.findMany` has no `take`: it returns every matching `User` row/, line: 3, fixes: [{ title: 'Add `take: 100`', output: `${PRISMA}export const list = () => prisma.user.findMany({ take: 100 });` }] }],
    },
    {
      name: 'Prisma findMany with where, single line',
      code: `${PRISMA}export const list = () => prisma.user.findMany({ where: { name: 'x' } });`,
      errors: [{ fixes: [{ title: 'Add `take: 100`', output: `${PRISMA}export const list = () => prisma.user.findMany({ where: { name: 'x' }, take: 100 });` }] }],
    },
    {
      name: 'Prisma multi-line with trailing comma',
      code: `${PRISMA}export async function list() {\n  return prisma.user.findMany({\n    where: { name: 'x' },\n    orderBy: { id: 'desc' },\n  });\n}\n`,
      errors: [{ fixes: [{ title: 'Add `take: 100`', output: `${PRISMA}export async function list() {\n  return prisma.user.findMany({\n    where: { name: 'x' },\n    orderBy: { id: 'desc' },\n    take: 100,\n  });\n}\n` }] }],
    },
    {
      name: 'Prisma multi-line without trailing comma, configured page size',
      code: `${PRISMA}export async function list() {\n  return prisma.user.findMany({\n    where: { name: 'x' }\n  });\n}\n`,
      settings: { defaultPageSize: 25 },
      errors: [{ fixes: [{ title: 'Add `take: 25`', output: `${PRISMA}export async function list() {\n  return prisma.user.findMany({\n    where: { name: 'x' },\n    take: 25\n  });\n}\n` }] }],
    },
    {
      name: 'Prisma: non-unique field is not a pin (schema known)',
      code: `${PRISMA}export const list = (name: string) => prisma.user.findMany({ where: { name } });`,
      files: withSchema,
      errors: [{ message: MSG }],
    },
    {
      name: 'Prisma: foreign key filter without schema is not a pin',
      code: `${PRISMA}export const list = (userId: number) => prisma.order.findMany({ where: { userId } });`,
      errors: [{ message: MSG }],
    },
    {
      name: 'heuristic receiver (untyped this.prisma in a file importing @prisma/client): lower severity, and says why',
      code: `import type { User } from '@prisma/client';\nexport class UserService {\n  constructor(private prisma) {}\n  list(): Promise<User[]> {\n    return this.prisma.user.findMany({ where: { name: 'x' } });\n  }\n}\n`,
      errors: [{ message: /has no `take`.*\(The receiver is recognised by its name only\.\)$/, severity: 'info' }],
    },
    {
      name: 'TypeORM query builder: a non-id column in a list is not bounded',
      code: `${TYPEORM}export const byState = (states: string[]) => users.createQueryBuilder('u').where('u.state IN (:...states)', { states }).getMany();`,
      errors: [{ message: MSG }],
    },
    {
      name: 'Knex whereIn grouped by another column is not bounded by the list',
      code: `${KNEX}export const byTag = (ids: number[]) => db('post_tags').select('tag_id').whereIn('post_id', ids).groupBy('tag_id');`,
      errors: [{ message: MSG }],
    },
    {
      name: 'Knex select(…).from(table): the message names the table, not the column list',
      code: `${KNEX}export const hooks = (id: string) => db.select('*').from('webhooks').where('integration_id', id);`,
      errors: [{ message: /returns every matching `webhooks` row/ }],
    },
    {
      name: 'Prisma: a non-unique field in a list is not bounded (many rows per element)',
      code: `${PRISMA}export const list = (userIds: number[]) => prisma.order.findMany({ where: { userId: { in: userIds } } });`,
      files: withSchema,
      errors: [{ message: MSG }],
    },
    {
      name: 'Sequelize: a non-id field in a list is not bounded',
      code: `${SEQUELIZE}import { Op } from 'sequelize';\nexport const list = (states: string[]) => Order.findAll({ where: { state: { [Op.in]: states } } });`,
      errors: [{ message: MSG }],
    },
    {
      name: 'Prisma nested include of a to-many relation',
      code: `${PRISMA}export const list = () => prisma.user.findMany({ take: 20, include: { orders: true, posts: { take: 5 } } });`,
      files: withSchema,
      errors: [{ message: /`include.orders` of `prisma.user.findMany` loads every `Order` of each `User`/, fixes: [{ title: 'Add `take: 100`', output: `${PRISMA}export const list = () => prisma.user.findMany({ take: 20, include: { orders: { take: 100 }, posts: { take: 5 } } });` }] }],
    },
    {
      name: 'Prisma nested select, two levels, plus the top level',
      code: `${PRISMA}export const list = (id: number) => prisma.user.findMany({\n  where: { id },\n  select: { orders: { select: { lines: true } } },\n});\n`,
      files: withSchema,
      errors: [
        { message: /`select.orders`/, fixes: [{ title: 'Add `take: 100`', output: `${PRISMA}export const list = (id: number) => prisma.user.findMany({\n  where: { id },\n  select: { orders: { select: { lines: true }, take: 100 } },\n});\n` }] },
        { message: /`select.lines`/, fixes: [{ title: 'Add `take: 100`', output: `${PRISMA}export const list = (id: number) => prisma.user.findMany({\n  where: { id },\n  select: { orders: { select: { lines: { take: 100 } } } },\n});\n` }] },
      ],
    },
    {
      name: 'Prisma via transaction client',
      code: `${PRISMA}export const run = () => prisma.$transaction(async (tx) => {\n  return tx.order.findMany({ where: { userId: 1 } });\n});\n`,
      errors: [{ message: /`Order`/ }],
    },
    {
      name: 'Prisma client imported from another module',
      code: `import { prisma } from './db';\nexport const list = () => prisma.post.findMany({ orderBy: { id: 'desc' } });\n`,
      files: { 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` },
      errors: [{ message: /`Post`/ }],
    },
    {
      name: 'Prisma options in a const: reported without an edit',
      code: `${PRISMA}const args = { where: { name: 'x' } };\nexport const list = () => prisma.user.findMany(args);\n`,
      errors: [{ fixes: [] }],
    },
    {
      name: 'Prisma: loop that does not page',
      code: `${PRISMA}export async function each(names: string[]) {\n  for (const name of names) await prisma.user.findMany({ where: { name } });\n}\n`,
      errors: [{ message: MSG }],
    },
    {
      name: 'raw SQL whose parentheses do not balance: reported, no edit (LIMIT would land inside them)',
      code: `${PG}export async function list() {\n  const { rows } = await pool.query('select * from orders where status in (1, 2');\n  return rows;\n}\n`,
      errors: [{ message: /without LIMIT/, fixes: [] }],
    },
    {
      name: 'half-typed options object: reported, no edit',
      code: `${PRISMA}export async function list() {\n  return prisma.order.findMany({ `,
      errors: [{ message: MSG, fixes: [] }],
    },
    // Drizzle
    {
      name: 'Drizzle select().from()',
      code: `${DRIZZLE}export const list = () => db.select().from(users).where(eq(users.name, 'x'));`,
      errors: [{ message: /has no `.limit\(\)`/, fixes: [{ title: 'Add `.limit(100)`', output: `${DRIZZLE}export const list = () => db.select().from(users).where(eq(users.name, 'x')).limit(100);` }] }],
    },
    {
      name: 'Drizzle multi-line chain',
      code: `${DRIZZLE}export async function list() {\n  return await db\n    .select()\n    .from(users)\n    .orderBy(users.name);\n}\n`,
      errors: [{ fixes: [{ title: 'Add `.limit(100)`', output: `${DRIZZLE}export async function list() {\n  return await db\n    .select()\n    .from(users)\n    .orderBy(users.name)\n    .limit(100);\n}\n` }] }],
    },
    {
      name: 'Drizzle relational findMany',
      code: `${DRIZZLE}export const list = () => db.query.users.findMany({ orderBy: (u, { desc }) => [desc(u.id)] });`,
      errors: [{ fixes: [{ title: 'Add `limit: 100`', output: `${DRIZZLE}export const list = () => db.query.users.findMany({ orderBy: (u, { desc }) => [desc(u.id)], limit: 100 });` }] }],
    },
    {
      name: 'Drizzle relational findMany without arguments',
      code: `${DRIZZLE}export const list = () => db.query.users.findMany();`,
      errors: [{ fixes: [{ title: 'Add `limit: 100`', output: `${DRIZZLE}export const list = () => db.query.users.findMany({ limit: 100 });` }] }],
    },
    {
      name: 'Drizzle .then that keeps every row',
      code: `${DRIZZLE}export const all = (name: string) => db.select().from(users).where(eq(users.name, name)).then((res) => res);`,
      errors: [{ fixes: [{ title: 'Add `.limit(100)`', output: `${DRIZZLE}export const all = (name: string) => db.select().from(users).where(eq(users.name, name)).limit(100).then((res) => res);` }] }],
    },
    {
      name: 'Drizzle relational with: a many relation without limit, nested',
      code: `${DRIZZLE}export const list = () => db.query.users.findMany({ limit: 10, with: { posts: { with: { comments: true } } } });`,
      files: DRIZZLE_SCHEMA,
      errors: [
        { message: /`with.posts` of `.*` loads every related `posts` row of each `users` row/, fixes: [{ title: 'Add `limit: 100`', output: `${DRIZZLE}export const list = () => db.query.users.findMany({ limit: 10, with: { posts: { with: { comments: true }, limit: 100 } } });` }] },
        { message: /`with.comments`/, fixes: [{ title: 'Add `limit: 100`', output: `${DRIZZLE}export const list = () => db.query.users.findMany({ limit: 10, with: { posts: { with: { comments: { limit: 100 } } } } });` }] },
      ],
    },
    // Kysely
    {
      name: 'Kysely: limit goes before execute()',
      code: `${KYSELY}export const list = () => db.selectFrom('person').selectAll().where('age', '>', 18).execute();`,
      errors: [{ fixes: [{ title: 'Add `.limit(100)`', output: `${KYSELY}export const list = () => db.selectFrom('person').selectAll().where('age', '>', 18).limit(100).execute();` }] }],
    },
    // Knex
    {
      name: 'Knex table query awaited',
      code: `${KNEX}export async function list() {\n  return await db('users').select('*').where({ active: true });\n}\n`,
      errors: [{ fixes: [{ title: 'Add `.limit(100)`', output: `${KNEX}export async function list() {\n  return await db('users').select('*').where({ active: true }).limit(100);\n}\n` }] }],
    },
    // TypeORM
    {
      name: 'TypeORM repository find',
      code: `${TYPEORM}export const list = () => users.find({ where: { active: true } });`,
      errors: [{ fixes: [{ title: 'Add `take: 100`', output: `${TYPEORM}export const list = () => users.find({ where: { active: true }, take: 100 });` }] }],
    },
    {
      name: 'TypeORM find without options',
      code: `${TYPEORM}export const list = () => users.find();`,
      errors: [{ fixes: [{ title: 'Add `take: 100`', output: `${TYPEORM}export const list = () => users.find({ take: 100 });` }] }],
    },
    {
      name: 'TypeORM findBy: no options to extend, no edit',
      code: `${TYPEORM}export const list = () => users.findBy({ active: true });`,
      errors: [{ message: /takes no options/, fixes: [] }],
    },
    {
      name: 'TypeORM query builder getMany',
      code: `${TYPEORM}export const list = () => users.createQueryBuilder('u').where('u.active = :a', { a: true }).getMany();`,
      errors: [{ fixes: [{ title: 'Add `.take(100)`', output: `${TYPEORM}export const list = () => users.createQueryBuilder('u').where('u.active = :a', { a: true }).take(100).getMany();` }] }],
    },
    // MikroORM
    {
      name: 'MikroORM em.find without options',
      code: `${MIKRO}export const list = () => em.find(Book, { published: true });`,
      errors: [{ fixes: [{ title: 'Add `limit: 100`', output: `${MIKRO}export const list = () => em.find(Book, { published: true }, { limit: 100 });` }] }],
    },
    {
      name: 'MikroORM em.find with options',
      code: `${MIKRO}export const list = () => em.find(Book, {}, { orderBy: { id: 'desc' } });`,
      errors: [{ fixes: [{ title: 'Add `limit: 100`', output: `${MIKRO}export const list = () => em.find(Book, {}, { orderBy: { id: 'desc' }, limit: 100 });` }] }],
    },
    // Sequelize
    {
      name: 'Sequelize findAll',
      code: `${SEQUELIZE}export const list = () => Order.findAll({ where: { status: 'open' } });`,
      errors: [{ fixes: [{ title: 'Add `limit: 100`', output: `${SEQUELIZE}export const list = () => Order.findAll({ where: { status: 'open' }, limit: 100 });` }] }],
    },
    {
      name: 'Sequelize findAll without options',
      code: `${SEQUELIZE}export const list = () => Order.findAll();`,
      errors: [{ fixes: [{ title: 'Add `limit: 100`', output: `${SEQUELIZE}export const list = () => Order.findAll({ limit: 100 });` }] }],
    },
    // Mongoose
    {
      name: 'Mongoose find with sort and lean',
      code: `${MONGOOSE}export const list = () => Post.find({ published: true }).sort({ _id: -1 }).lean();`,
      errors: [{ fixes: [{ title: 'Add `.limit(100)`', output: `${MONGOOSE}export const list = () => Post.find({ published: true }).sort({ _id: -1 }).lean().limit(100);` }] }],
    },
    {
      name: 'Mongoose find().exec(): limit before exec',
      code: `${MONGOOSE}export const list = () => Post.find({}).exec();`,
      errors: [{ fixes: [{ title: 'Add `.limit(100)`', output: `${MONGOOSE}export const list = () => Post.find({}).limit(100).exec();` }] }],
    },
    // raw SQL
    {
      name: 'pg pool.query',
      code: `${PG}export const list = () => pool.query('SELECT id, name FROM users WHERE active = true');`,
      errors: [{ message: /runs a SELECT without LIMIT/, fixes: [{ title: 'Add `LIMIT 100`', output: `${PG}export const list = () => pool.query('SELECT id, name FROM users WHERE active = true LIMIT 100');` }] }],
    },
    {
      name: 'pg with a trailing semicolon and parameters',
      code: `${PG}export const list = (a: boolean) => pool.query('SELECT * FROM users WHERE active = $1;', [a]);`,
      errors: [{ fixes: [{ title: 'Add `LIMIT 100`', output: `${PG}export const list = (a: boolean) => pool.query('SELECT * FROM users WHERE active = $1 LIMIT 100;', [a]);` }] }],
    },
    {
      name: 'Prisma $queryRaw multi-line template',
      code: `${PRISMA}export const list = (org: string) => prisma.$queryRaw\`\n  SELECT u.id, u.email\n  FROM "User" u\n  WHERE u.org = \${org}\n\`;\n`,
      errors: [{ fixes: [{ title: 'Add `LIMIT 100`', output: `${PRISMA}export const list = (org: string) => prisma.$queryRaw\`\n  SELECT u.id, u.email\n  FROM "User" u\n  WHERE u.org = \${org}\n  LIMIT 100\n\`;\n` }] }],
    },
    {
      name: 'postgres.js sql tag, GROUP BY is not aggregate-only',
      code: `import postgres from 'postgres';\nconst sql = postgres();\nexport const counts = () => sql\`SELECT status, count(*) FROM orders GROUP BY status\`;\n`,
      errors: [{ message: /without LIMIT/ }],
    },
    {
      name: 'pg result rows used as a list',
      code: `${PG}export async function all() {\n  const result = await pool.query('SELECT * FROM sessions');\n  return result.rows.map((r: any) => r.id);\n}\n`,
      errors: [{ fixes: [{ title: 'Add `LIMIT 100`', output: `${PG}export async function all() {\n  const result = await pool.query('SELECT * FROM sessions LIMIT 100');\n  return result.rows.map((r: any) => r.id);\n}\n` }] }],
    },
    {
      name: 'SQL held in a const object of statements',
      code: `${PG}const SQL = { ALL_ORDERS: 'SELECT * FROM orders' };\nexport const list = () => pool.query(SQL.ALL_ORDERS);`,
      errors: [{ message: /runs a SELECT without LIMIT/, fixes: [{ title: 'Add `LIMIT 100`', output: `${PG}const SQL = { ALL_ORDERS: 'SELECT * FROM orders LIMIT 100' };\nexport const list = () => pool.query(SQL.ALL_ORDERS);` }] }],
    },
    {
      name: 'pg query config object',
      code: `${PG}export const list = () => pool.query({ text: 'SELECT * FROM orders', values: [] });`,
      errors: [{ fixes: [{ title: 'Add `LIMIT 100`', output: `${PG}export const list = () => pool.query({ text: 'SELECT * FROM orders LIMIT 100', values: [] });` }] }],
    },
  ],
});
