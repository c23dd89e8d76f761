import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { memoryFileSystem, parseTypeScript, Project } from '../../engine';
import { importedPackagesOf, seedImportIndex } from '../../engine/ts/modules';
import { classifyDbCall, exportedClients, fileMayUseDatabaseText, importedModulesPattern, KNOWN_DB_MODULES, specifierMatcher, textImportsModule, recognizeClientConstruction, resolveClient, resolveWorkspaceFunction, dbCallsInFunction, workspaceDbLibraries, type DbCall } from '../../engine/db';

const root = path.resolve('/virtual/db');

function setup(code: string, files: Record<string, string> = {}, file = 'src/case.ts') {
  const all = { ...files, [file]: code };
  const host = memoryFileSystem(Object.fromEntries(Object.entries(all).map(([p, t]) => [path.join(root, p), t])));
  const project = new Project(root, host);
  const absolute = Object.keys(all).map((p) => path.join(root, p));
  project.setFileLister(() => absolute.filter((p) => /\.(ts|tsx|js)$/.test(p)));
  const filePath = path.join(root, file);
  const sourceFile = parseTypeScript(filePath, code);
  return { project, path: filePath, sourceFile };
}

function allCalls(code: string, files: Record<string, string> = {}, file?: string): DbCall[] {
  const context = setup(code, files, file);
  const calls: DbCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const call = classifyDbCall(node, context);
      if (call) calls.push(call);
    }
    ts.forEachChild(node, visit);
  };
  visit(context.sourceFile);
  return calls;
}

function summary(calls: DbCall[]): string[] {
  return calls.map((c) => `${c.library}:${c.operation}:${c.kind}${c.model ? `:${c.model}` : ''}${c.confidence === 'heuristic' ? ':heuristic' : ''}${c.executes ? '' : ':no-exec'}`);
}

describe('engine/db classifyDbCall', () => {
  it('Prisma: delegates, model names, raw queries, $extends, extends PrismaClient', () => {
    const calls = allCalls(`
      import { PrismaClient } from '@prisma/client';
      const prisma = new PrismaClient();
      const xprisma = prisma.$extends({});
      class Db extends PrismaClient {}
      const db = new Db();
      async function f() {
        await prisma.orderLine.findMany({ take: 10 });
        await xprisma.user.count();
        await db.post.create({ data: {} });
        await prisma.$queryRaw\`SELECT 1\`;
        await prisma.$transaction([prisma.user.update({ where: { id: 1 }, data: {} })]);
        new Map().delete('x');
      }
    `);
    assert.deepEqual(summary(calls), [
      'prisma:findMany:list:OrderLine',
      'prisma:count:aggregate:User',
      'prisma:create:write:Post',
      'prisma:$queryRaw:raw',
      'prisma:$transaction:transaction',
      'prisma:update:write:User:no-exec',
    ]);
    assert.equal(calls[0].label, 'prisma.orderLine.findMany');
    assert.ok(calls[0].argumentsObject);
  });

  it('follows clients across files: named, default, namespace, re-exports, tsconfig paths, workspace packages, CommonJS', () => {
    const files = {
      'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }',
      'src/lib/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\nexport default prisma;\n`,
      'src/lib/index.ts': `export * from './db';\nexport { prisma as client } from './db';\n`,
      'packages/data/package.json': '{ "name": "@acme/data", "main": "dist/index.js" }',
      'packages/data/src/index.ts': `import { Pool } from 'pg';\nexport const pool = new Pool();\n`,
      'src/legacy.js': `const { PrismaClient } = require('@prisma/client');\nmodule.exports = { prisma: new PrismaClient() };\n`,
    };
    const calls = allCalls(`
      import { prisma } from '@/lib/db';
      import client from './lib/db';
      import * as lib from './lib';
      import { client as c2 } from './lib';
      import { pool } from '@acme/data';
      const { prisma: legacy } = require('./legacy');
      async function f() {
        await prisma.user.findMany();
        await client.user.findFirst();
        await lib.prisma.user.delete({ where: { id: 1 } });
        await c2.user.upsert({});
        await pool.query('select 1');
        await legacy.user.count();
      }
    `, files);
    assert.deepEqual(summary(calls), ['prisma:findMany:list:User', 'prisma:findFirst:read:User', 'prisma:delete:write:User', 'prisma:upsert:write:User', 'pg:query:raw', 'prisma:count:aggregate:User']);
  });

  it('NestJS services: this.prisma typed by a workspace PrismaService, @InjectRepository, constructor assignment', () => {
    const files = {
      'src/prisma.service.ts': `import { Injectable } from '@nestjs/common';\nimport { PrismaClient } from '@prisma/client';\n@Injectable()\nexport class PrismaService extends PrismaClient {}\n`,
    };
    const calls = allCalls(`
      import { PrismaService } from './prisma.service';
      import { InjectRepository } from '@nestjs/typeorm';
      import { Repository } from 'typeorm';
      import { User } from './user.entity';
      export class UsersService {
        private cache: any;
        constructor(private readonly prisma: PrismaService, @InjectRepository(User) private readonly users: Repository<User>) {}
        async f() {
          await this.prisma.order.findMany();
          await this.users.findOneBy({ id: 1 });
          await this.users.createQueryBuilder('u').where('u.id = 1').getMany();
        }
      }
    `, files);
    assert.deepEqual(summary(calls), ['prisma:findMany:list:Order', 'typeorm:findOneBy:read:User', 'typeorm:createQueryBuilder:list:User']);
  });

  it('transactions: Prisma tx, Drizzle tx, Knex trx, TypeORM manager, postgres.js begin, Kysely trx', () => {
    const calls = allCalls(`
      import { PrismaClient } from '@prisma/client';
      import { drizzle } from 'drizzle-orm/node-postgres';
      import { DataSource } from 'typeorm';
      import postgres from 'postgres';
      import { Kysely } from 'kysely';
      const prisma = new PrismaClient();
      const db = drizzle(process.env.URL!);
      const ds = new DataSource({} as any);
      const sql = postgres(process.env.URL!);
      const k = new Kysely<any>({} as any);
      async function f() {
        await prisma.$transaction(async (tx) => { await tx.user.update({ where: { id: 1 }, data: {} }); });
        await db.transaction(async (tx) => { await tx.select().from(users); });
        await ds.transaction(async (manager) => { await manager.save(User, {}); });
        await sql.begin(async (sql) => { await sql\`select 1\`; });
        await k.transaction().execute(async (trx) => { await trx.selectFrom('person').selectAll().execute(); });
      }
    `);
    assert.deepEqual(summary(calls), [
      'prisma:$transaction:transaction', 'prisma:update:write:User',
      'drizzle:transaction:transaction', 'drizzle:select:list:users',
      'typeorm:transaction:transaction', 'typeorm:save:write:User',
      'postgres:begin:transaction', 'postgres:sql:raw',
      'kysely:selectFrom:list:person',
    ]);
  });

  it('builders: one DbCall per chain at its outermost call; executes only when awaited or run', () => {
    const calls = allCalls(`
      import { drizzle } from 'drizzle-orm/postgres-js';
      import knex from 'knex';
      const db = drizzle(client);
      const kx = knex({ client: 'pg' });
      async function f() {
        const rows = await db.select().from(posts).where(eq(posts.userId, 1)).limit(10);
        let q = db.select().from(posts);
        await db.query.users.findMany({ with: { posts: true } });
        await kx('users').where({ id: 1 }).first();
        await kx.insert({ a: 1 }).into('logs');
      }
    `);
    assert.deepEqual(summary(calls), ['drizzle:select:list:posts', 'drizzle:select:list:posts:no-exec', 'drizzle:findMany:list:users', 'knex:table:read:users', 'knex:insert:write:logs']);
    assert.equal(calls[0].chain.map((s) => s.name).join(','), 'from,where,limit');
  });

  it("Knex raw: a fragment when passed to another method, a query when awaited, returned, run by Promise.all or collected", () => {
    const calls = allCalls(`
      import knex from 'knex';
      const kx = knex({ client: 'pg' });
      async function f(t: any, email: string, tasks: Promise<unknown>[]) {
        t.integer('n').defaultTo(kx.raw('0'));
        await kx('users').where(kx.raw('lower(email) = ?', [email])).first();
        await kx.raw('select 1');
        tasks.push(kx.raw('select 2'));
        await Promise.all([kx.raw('select 3')]);
        await runLater(kx.raw('select 4'));
        return kx.raw('select 5');
      }
    `);
    assert.deepEqual(summary(calls), [
      'knex:raw:raw:no-exec', 'knex:table:read:users', 'knex:raw:raw:no-exec', 'knex:raw:raw', 'knex:raw:raw', 'knex:raw:raw', 'knex:raw:raw', 'knex:raw:raw',
    ]);
  });

  it('Knex: a callable client held in a property, clients typed by a workspace type alias (here or imported)', () => {
    const calls = allCalls(
      `
      import type { Knex } from 'knex';
      import type { Db } from './db';
      type Local = Knex;
      export class TagStore {
        constructor(private knex: Knex, private db: Db) {}
        all() { return this.knex('tags').select(['type', 'value']); }
        also() { return this.db.select('*').from('tags'); }
      }
      export function one(k: Local, id: number) { return k('users').where({ id }).first(); }
    `,
      { 'src/db.ts': `import type { Knex } from 'knex';\nexport type Db = Knex | Knex.Transaction;\n` },
    );
    assert.deepEqual(summary(calls), ['knex:table:list:tags', 'knex:select:list:tags', 'knex:table:read:users']);
  });

  it('a builder compiled to SQL text without running it is no query (Knex toSQL, Kysely compile, Drizzle toSQL, TypeORM getQuery)', () => {
    const calls = allCalls(`
      import knex from 'knex';
      import { Kysely } from 'kysely';
      import { drizzle } from 'drizzle-orm/node-postgres';
      import { DataSource } from 'typeorm';
      const kx = knex({ client: 'pg' });
      const ky = new Kysely<any>({} as any);
      const dz = drizzle(pool);
      const ds = new DataSource({ type: 'postgres' });
      const sqlOf = (table: string) => kx(table).select('id').where({ a: 1 }).toSQL();
      async function f() {
        const compiled = ky.selectFrom('person').selectAll().compile();
        const text = dz.select().from(users).toSQL();
        const q = ds.createQueryBuilder().select('u').from('users', 'u').getQuery();
        return [compiled, text, q, await kx('users').select('id')];
      }
    `);
    assert.deepEqual(summary(calls), [
      'knex:table:list:no-exec', 'kysely:selectFrom:list:person:no-exec', 'drizzle:select:list:users:no-exec', 'typeorm:createQueryBuilder:list:no-exec', 'knex:table:list:users',
    ]);
  });

  it('a Mongoose model known by its name only reads its whole chain, once, at the outermost call', () => {
    const calls = allCalls(`
      import type { Model } from 'mongoose';
      declare function getCollection(slug: string): { Model: Model<any> };
      async function f(slug: string, filter: object) {
        const { Model: SubModel } = getCollection(slug);
        const ids = await SubModel.find(filter).lean().select({ _id: 1 });
        const page = await SubModel.find(filter).sort({ _id: 1 }).limit(10).exec();
        const one = await SubModel.find(filter, {}, { lean: true });
        return [ids, page, one];
      }
    `);
    assert.deepEqual(summary(calls), ['mongoose:find:list:Sub:heuristic', 'mongoose:find:list:Sub:heuristic', 'mongoose:find:list:Sub:heuristic']);
    assert.deepEqual(calls.map((c) => c.chain.map((s) => s.name).join(',')), ['lean,select', 'sort,limit,exec', '']);
  });

  it('a field declared bare (or with a type that tells nothing) is what a method assigns to it', () => {
    const calls = allCalls(`
      import { MongoClient } from 'mongodb';
      type Opaque = unknown;
      export class JobRepository {
        collection;
        other: Opaque;
        constructor(private url: string) {}
        async connect() {
          this.client = await MongoClient.connect(this.url);
          this.collection = this.client.db().collection('jobs');
          this.other = this.client.db().collection('locks');
        }
        all(query: object) { return this.collection.find(query).toArray(); }
        locks() { return this.other.find({}).toArray(); }
      }
    `);
    assert.deepEqual(summary(calls), ['mongodb:find:list', 'mongodb:find:list']);
  });

  it('Sequelize by name only: a capitalised receiver or one named …Model, with a method only Sequelize has', () => {
    const calls = allCalls(`
      import { Op } from 'sequelize';
      export class Repo {
        constructor(association) { this.targetModel = association.target; this.cache = new Map(); }
        async f(id, ids) {
          await this.targetModel.findByPk(id);
          await User.findAll({ where: { id: { [Op.in]: ids } } });
          await this.cache.get(id);
          await this.targetModel.get(id);
        }
      }
    `);
    assert.deepEqual(summary(calls), ['sequelize:findByPk:read:heuristic', 'sequelize:findAll:list:User:heuristic']);
  });

  it('Knex and Drizzle subqueries: a builder handed to another builder, or to an operator of its library, is part of that query', () => {
    const calls = allCalls(`
      import knex from 'knex';
      import { drizzle } from 'drizzle-orm/node-postgres';
      import { inArray } from 'drizzle-orm';
      const db = knex({ client: 'pg' });
      const dz = drizzle(pool);
      async function f(id: string) {
        await db('comments').whereNotExists(db('posts').select(db.raw('1')).whereRaw('posts.id = comments.post_id')).delete();
        await db.select('*').from(db('notes').select('id').unionAll([db('posts').select('id')]).as('items')).where('id', id).limit(1);
        await dz.select().from(users).where(inArray(users.id, dz.select({ id: bans.userId }).from(bans)));
        await Promise.all([db('a').select('id'), db('b').select('id')]);
      }
    `);
    assert.deepEqual(summary(calls), [
      'knex:table:write:comments', 'knex:table:list:posts:no-exec', 'knex:raw:raw:no-exec',
      'knex:select:list', 'knex:table:list:notes:no-exec', 'knex:table:list:posts:no-exec',
      'drizzle:select:list:users', 'drizzle:select:list:bans:no-exec',
      'knex:table:list:a', 'knex:table:list:b',
    ]);
  });

  it('a Knex base-query helper is no query when every caller in its module finishes it or composes it; a caller that runs it as it is makes it one', () => {
    const calls = allCalls(`
      import knex from 'knex';
      const db = knex({ client: 'pg' });
      function activeUsers() {
        return db('users').where({ active: true });
      }
      const recentPosts = () => db('posts').where('created_at', '>', db.raw("now() - interval '1 day'"));
      function allTags() {
        return db('tags').select('name');
      }
      export async function page(offset: number) {
        const rows = await activeUsers().orderBy('id').limit(50).offset(offset);
        const n = await activeUsers().count('* as n').first();
        const posts = await db('feed').whereIn('post_id', recentPosts().select('id')).limit(20);
        return [rows, n, posts, await allTags()];
      }
    `);
    assert.deepEqual(summary(calls), ['knex:table:list:users:no-exec', 'knex:table:list:posts:no-exec', 'knex:raw:raw:no-exec', 'knex:table:list:tags', 'knex:table:list:feed']);
  });

  it("a class's private base-query helpers (arrow properties, methods) are no queries when the class only finishes or composes them; public ones may be run elsewhere", () => {
    const calls = allCalls(`
      import { Knex } from 'knex';
      export class Store {
        constructor(private readonly db: Knex) {}
        private broadcasts = (user: string) => this.db('broadcast').where('user', user).select('id');
        private active() { return this.db('notification').where({ read: false }); }
        latest() { return this.db('notification').orderBy('id', 'desc'); }
        async page(user: string, limit: number) {
          const sub = this.db('notification').select('id').unionAll([this.broadcasts(user)]).as('n');
          const unread = await this.active().count('* as n').first();
          return [await this.db.from(sub).orderBy('id').limit(Math.min(limit, 100)), unread, await this.latest().limit(5)];
        }
      }
    `);
    assert.deepEqual(summary(calls), [
      'knex:table:list:broadcast:no-exec', 'knex:table:list:notification:no-exec', 'knex:table:list:notification',
      'knex:table:list:notification:no-exec', 'knex:from:list',
    ]);
  });

  it('Sequelize, Mongoose, MongoDB, MikroORM, mysql2, Redis, @vercel/postgres', () => {
    const calls = allCalls(`
      import { Model, Sequelize } from 'sequelize';
      import mongoose from 'mongoose';
      import { MongoClient } from 'mongodb';
      import { MikroORM } from '@mikro-orm/postgresql';
      import mysql from 'mysql2/promise';
      import Redis from 'ioredis';
      import { sql } from '@vercel/postgres';
      class User extends Model {}
      const sequelize = new Sequelize('x');
      const Post = sequelize.define('Post', {});
      const Cat = mongoose.model('Cat', new mongoose.Schema({}));
      const mongo = new MongoClient('x');
      const redis = new Redis();
      const pool = mysql.createPool({});
      async function f() {
        const orm = await MikroORM.init({});
        await User.findAll();
        await Post.findByPk(1);
        await Cat.find({}).lean();
        await mongo.db('app').collection('events').find({}).toArray();
        await orm.em.fork().find(Book, {});
        await pool.execute('select 1');
        await redis.get('k');
        await sql\`select 1\`;
      }
    `);
    assert.deepEqual(summary(calls), [
      'sequelize:findAll:list:User', 'sequelize:findByPk:read:Post', 'mongoose:find:list:Cat', 'mongodb:find:list',
      'mikro-orm:find:list:Book', 'mysql2:execute:raw', 'redis:get:cache', 'vercel-postgres:sql:raw',
    ]);
  });

  it('does not mistake Map/axios/service calls for queries; heuristics only where the file imports an ORM', () => {
    assert.deepEqual(summary(allCalls(`
      import axios from 'axios';
      const cache = new Map();
      async function f(userService: UserService, prisma: any) {
        cache.delete('a');
        await axios.delete('/x');
        await userService.delete(1);
        await prisma.user.findMany();
      }
    `)), []);
    assert.deepEqual(summary(allCalls(`
      import type { User } from '@prisma/client';
      import { Repository } from 'typeorm';
      export class S {
        constructor(private prisma, private userRepository) {}
        async f() {
          await this.prisma.user.findMany();
          const cache = new Map();
          cache.delete('x');
        }
      }
    `)), ['prisma:findMany:list:User:heuristic']);
  });

  it('tRPC ctx.db follows the workspace library; ctx.prisma is Prisma', () => {
    const calls = allCalls(`
      export const r = router({ list: publicProcedure.query(async ({ ctx }) => {
        await ctx.prisma.post.findMany();
        await ctx.db.user.findMany();
      }) });
    `, { 'package.json': '{ "dependencies": { "@prisma/client": "6.0.0" } }' });
    assert.deepEqual(summary(calls), ['prisma:findMany:list:Post', 'prisma:findMany:list:User']);
  });
});

describe('engine/db constructions, functions and facts', () => {
  it('recognizes client constructions of every library', () => {
    const context = setup(`
      import { PrismaClient } from '@prisma/client';
      import { Pool } from 'pg';
      import postgres from 'postgres';
      import mysql from 'mysql2';
      import { createClient } from 'redis';
      import { MongoClient } from 'mongodb';
      import { MikroORM } from '@mikro-orm/core';
      import knex from 'knex';
      import { drizzle } from 'drizzle-orm/node-postgres';
      const a = new PrismaClient();
      const b = new Pool({ max: 10 });
      const c = postgres(url);
      const d = mysql.createPool({});
      const e = createClient();
      const f = new MongoClient(url);
      const g = MikroORM.init({});
      const h = knex({});
      const i = drizzle(b);
      const j = new Map();
      const k = require('pg');
      const l = new k.Pool();
    `);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      const construction = recognizeClientConstruction(node, context);
      if (construction) found.push(`${construction.library}:${construction.kind}:${construction.factory}`);
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
    assert.deepEqual(found, ['prisma:client:PrismaClient', 'pg:pool:Pool', 'postgres:sql-tag:default', 'mysql2:pool:createPool', 'redis:client:createClient', 'mongodb:client:MongoClient', 'mikro-orm:orm:MikroORM.init', 'knex:client:default', 'drizzle:client:drizzle', 'pg:pool:Pool']);
  });

  it('resolveClient, workspace functions with their queries, exported clients, workspace libraries', () => {
    const files = {
      'package.json': '{ "dependencies": { "@prisma/client": "6.0.0", "ioredis": "5.0.0" } }',
      'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
      'src/orders.ts': `import { prisma } from './db';\nexport async function loadOrders(userId: number) {\n  return prisma.order.findMany({ where: { userId } });\n}\n`,
    };
    const context = setup(`import { loadOrders } from './orders';\nimport { prisma } from './db';\nloadOrders(1);\n`, files);
    const statement = context.sourceFile.statements[2] as ts.ExpressionStatement;
    const call = statement.expression as ts.CallExpression;
    const fn = resolveWorkspaceFunction(call.expression, context);
    assert.equal(fn?.name, 'loadOrders');
    assert.deepEqual(dbCallsInFunction(fn!.node, fn!.context).map((c) => c.label), ['prisma.order.findMany']);
    const importDecl = context.sourceFile.statements[1] as ts.ImportDeclaration;
    const id = (importDecl.importClause!.namedBindings as ts.NamedImports).elements[0].name;
    assert.equal(resolveClient(id, context)?.library, 'prisma');
    assert.deepEqual(exportedClients(context.project).map((e) => `${path.relative(root, e.path)}#${e.exportName}:${e.value.library}`), ['src/db.ts#prisma:prisma']);
    assert.deepEqual(workspaceDbLibraries(context.project), ['prisma', 'redis']);
  });
});

describe('engine/db compiled code', () => {
  it('reads constructor parameter types from __metadata("design:paramtypes") and recognises getRepository receivers by name', () => {
    const files = {
      'src/prisma.service.js': `"use strict";\nconst client_1 = require("@prisma/client");\nclass PrismaService extends client_1.PrismaClient {}\nexports.PrismaService = PrismaService;\n`,
    };
    const calls = allCalls(`"use strict";
const typeorm_1 = require("typeorm");
const prisma_service_1 = require("./prisma.service");
let UsersService = class UsersService {
    constructor(prisma, connection) {
        this.prisma = prisma;
        this.connection = connection;
    }
    async f(ctx) {
        await this.prisma.user.findMany();
        await this.connection.getRepository(ctx, Order).findOne({ where: { id: 1 } });
        await this.cache.get('x');
    }
};
exports.UsersService = UsersService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [prisma_service_1.PrismaService, Object])
], UsersService);
`, files, 'src/users.service.js');
    assert.deepEqual(summary(calls), ['prisma:findMany:list:User', 'typeorm:findOne:read:Order:heuristic']);
  });
});

describe('engine/db text gates from the import index', () => {
  it('specifierMatcher: a module or a subpath of one, as importedModulesPattern finds in a text', () => {
    const matches = specifierMatcher(KNOWN_DB_MODULES);
    const pattern = importedModulesPattern(KNOWN_DB_MODULES);
    for (const specifier of ['pg', 'pg/lib/client', '@prisma/client', '@prisma/client/edge', '.prisma/client', '@mikro-orm/core', 'mysql2/promise', 'pgx', 'pg-format', '@prisma/clientele', 'my-redis', 'lodash', '@mikro-orm']) {
      assert.equal(matches(specifier), pattern.test(`import x from '${specifier}';`), specifier);
    }
    assert.equal(matches('pg'), true);
    assert.equal(matches('pgx'), false);
    assert.equal(matches('@mikro-orm/core'), true);
  });

  it('importedPackagesOf: the bare specifiers the index read, in every import position; none for a seeded index', () => {
    const service = `import { Pool } from 'pg';\nimport type { X } from './types';\nexport * from '@prisma/client/edge';\nconst redis = require('ioredis');\nconst lazy = () => import('kysely');\n// mentions 'mongodb' in a comment only\n`;
    const { project } = setup('export const x = 1;\n', { 'src/service.ts': service, 'src/types.ts': 'export type X = 1;\n' });
    const file = path.join(root, 'src/service.ts');
    assert.deepEqual([...(importedPackagesOf(project, file) ?? [])].sort(), ['@prisma/client/edge', 'ioredis', 'kysely', 'pg']);
    assert.deepEqual(importedPackagesOf(project, path.join(root, 'src/types.ts')), []);
    assert.equal(importedPackagesOf(project, path.join(root, 'elsewhere.ts')), undefined, 'a file the index did not read');

    const seeded = setup('export const x = 1;\n', { 'src/service.ts': service }).project;
    seedImportIndex(seeded, []);
    assert.equal(importedPackagesOf(seeded, file), undefined, 'an index from another thread carries no specifiers');

    // An edit that changes the specifiers rebuilds the index, and the packages with it.
    project.setOverlay(file, service.replace("'pg'", "'mysql2/promise'"));
    assert.deepEqual([...(importedPackagesOf(project, file) ?? [])].sort(), ['@prisma/client/edge', 'ioredis', 'kysely', 'mysql2/promise']);
  });

  it('textImportsModule answers from the index for the project text, from the text otherwise; the gate sees both', () => {
    const { project } = setup('export const x = 1;\n', { 'src/plain.ts': 'export const y = 2;\n', 'src/uses.ts': "import { y } from './plain';\nexport const z = y;\n" });
    const plain = path.join(root, 'src/plain.ts');
    const matches = specifierMatcher(KNOWN_DB_MODULES);
    const pattern = importedModulesPattern(KNOWN_DB_MODULES);
    assert.equal(textImportsModule(project, plain, 'export const y = 2;\n', pattern, matches), false);
    // A text the project does not hold for the file (a gate asked about other text): read from that text.
    assert.equal(textImportsModule(project, plain, "import { Pool } from 'pg';\n", pattern, matches), true);
    assert.equal(fileMayUseDatabaseText(project, path.join(root, 'src/uses.ts'), "import { y } from './plain';\nexport const z = y;\n"), false);
    // Typing an import of a database module into the imported file: the importer's gate opens.
    project.setOverlay(plain, "import { Pool } from 'pg';\nexport const y = new Pool();\n");
    assert.equal(fileMayUseDatabaseText(project, path.join(root, 'src/uses.ts'), "import { y } from './plain';\nexport const z = y;\n"), true);
  });
});
