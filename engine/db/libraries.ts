/**
 * What each database library looks like, as data: the modules it is imported from, the
 * constructions that create a client, the types that name one, and which methods execute a query.
 * engine/db/index.ts interprets this table; rules never read it directly except through
 * `librarySpec`/`LIBRARIES` (e.g. to list the libraries a rule supports).
 *
 * Vocabulary:
 * - a *database value* is anything that can issue queries (a client, a pool, a Prisma model
 *   delegate, a TypeORM repository, a Mongoose model, a postgres.js `sql` tag, …), described by
 *   its library and its `ClientKind`;
 * - an *operation* is a method of a database value; its `OperationKind` says what it does.
 */

export type DbLibrary =
  | 'prisma'
  | 'drizzle'
  | 'kysely'
  | 'knex'
  | 'typeorm'
  | 'mikro-orm'
  | 'sequelize'
  | 'mongoose'
  | 'mongodb'
  | 'pg'
  | 'mysql2'
  | 'postgres'
  | 'vercel-postgres'
  | 'neon'
  | 'libsql'
  | 'pg-promise'
  | 'bullmq'
  | 'redis';

/** What a database value is. */
export type ClientKind =
  /** A connection-holding client: PrismaClient, drizzle db, Kysely, knex, Sequelize, DataSource, MongoClient, Redis. */
  | 'client'
  /** A connection pool (pg `Pool`, mysql2 `createPool`, `@vercel/postgres` `db`). */
  | 'pool'
  /** One connection (pg `Client`/`PoolClient`, mysql2 connection, TypeORM `QueryRunner`). */
  | 'connection'
  /** A transaction handle (Prisma `tx`, Drizzle/Kysely/Knex `trx`). */
  | 'transaction'
  /** A tagged-template query function (postgres.js `sql`, `@vercel/postgres` `sql`, neon `sql`). */
  | 'sql-tag'
  /** MikroORM `MikroORM` instance (holds `em`). */
  | 'orm'
  /** A unit of work / entity manager (TypeORM `EntityManager`, MikroORM `em`). */
  | 'entity-manager'
  /** A repository of one entity (TypeORM/MikroORM). */
  | 'repository'
  /** A Prisma model delegate (`prisma.user`). */
  | 'delegate'
  /** A model class with static query methods (Sequelize model, Mongoose model, TypeORM BaseEntity). */
  | 'model'
  /** Drizzle `db.query` (relational query root). */
  | 'relational-root'
  /** Drizzle `db.query.users`. */
  | 'relational'
  /** The mongoose module/connection (`mongoose.model(...)`). */
  | 'odm'
  /** MongoDB `Db`. */
  | 'database'
  /** MongoDB `Collection`. */
  | 'collection'
  /** Redis pipeline/multi: commands are queued, `exec()` sends them in one round trip. */
  | 'pipeline'
  /** pg-promise's `pgp` (what `pgPromise()` returns): calling it with a connection creates a database (`produces`). */
  | 'initializer';

/** What an operation does. */
export type OperationKind =
  /** Reads at most one row/document. */
  | 'read'
  /** Reads a list of rows/documents. */
  | 'list'
  /** Inserts, updates or deletes. */
  | 'write'
  /** count/aggregate/groupBy/sum. */
  | 'aggregate'
  /** Raw SQL or a driver-level `query`/`execute`. */
  | 'raw'
  /** A Redis command. */
  | 'cache'
  /** Starts a transaction (`$transaction`, `transaction`, `begin`). */
  | 'transaction'
  /** Starts a query builder (Drizzle `select`, Kysely `selectFrom`, Knex `table`): executes only when awaited or run by a terminal method. */
  | 'builder';

export interface FactorySpec {
  /** Export of the module: a named export, or `default` for the default/CommonJS export. */
  export: string;
  /** `new X(...)`, `X(...)`, or a static method `X.method(...)`. */
  via: 'new' | 'call' | { static: string };
  kind: ClientKind;
}

export interface LibrarySpec {
  id: DbLibrary;
  displayName: string;
  /** Module specifiers; an entry ending in `/` matches every subpath (`drizzle-orm/`). */
  modules: string[];
  /** Constructions that create a database value (clients, pools, connections, sql tags, models). */
  factories: FactorySpec[];
  /** Exports that are database values themselves (`sql` and `db` from `@vercel/postgres`). */
  values?: Record<string, ClientKind>;
  /** Exported type names whose values are database values (annotations, constructor parameters). */
  types: Record<string, ClientKind>;
  /** Exported base classes: a class extending one is itself a database value (`model`), or its instances are (`instance`). */
  baseClasses?: Record<string, { statics?: ClientKind; instance?: ClientKind }>;
  /** Operations per receiver kind: method → what it does. */
  operations: Partial<Record<ClientKind, Record<string, OperationKind>>>;
  /** Methods returning another database value (`getRepository` → repository, `$extends` → client). */
  derive?: Partial<Record<ClientKind, Record<string, ClientKind>>>;
  /** Properties holding another database value (`orm.em`, `dataSource.manager`, `db.query`). */
  members?: Partial<Record<ClientKind, Record<string, ClientKind>>>;
  /** Prisma: any other property of a client/transaction is a model delegate. */
  delegateMembers?: boolean;
  /** Operations that return a lazy builder/cursor: they execute when awaited (if thenable) or run by a terminal method. */
  lazyOperations?: string[];
  /** Builders are thenable (`await builder` runs the query). */
  thenable?: boolean;
  /** Chain methods that run a builder, with what they return. */
  terminals?: Record<string, OperationKind | 'same'>;
  /** Chain methods that compile a builder to SQL text without running it (`toSQL()`, `compile()`): the chain is no query. */
  compilesOnly?: string[];
  /** Operations that write many rows in one statement (`createMany`, `bulkCreate`, `insertMany`). */
  batchOperations?: string[];
  /** Methods whose callback parameter is a transaction handle (`$transaction(async (tx) => …)`). */
  transactionMethods?: string[];
  /** Calling a value of this kind creates a database value of that kind (pg-promise: `pgp(connection)` is a database). */
  produces?: Partial<Record<ClientKind, ClientKind>>;
  /** The value itself can be called to run a query (`neon` sql: `sql('select …', [x])`; knex: `knex('users')` starts a builder). */
  callable?: OperationKind;
}

const PRISMA_DELEGATE_OPS: Record<string, OperationKind> = {
  findUnique: 'read',
  findUniqueOrThrow: 'read',
  findFirst: 'read',
  findFirstOrThrow: 'read',
  findMany: 'list',
  create: 'write',
  createMany: 'write',
  createManyAndReturn: 'write',
  update: 'write',
  updateMany: 'write',
  updateManyAndReturn: 'write',
  upsert: 'write',
  delete: 'write',
  deleteMany: 'write',
  count: 'aggregate',
  aggregate: 'aggregate',
  groupBy: 'aggregate',
  findRaw: 'raw',
  aggregateRaw: 'raw',
};

const PRISMA_CLIENT_OPS: Record<string, OperationKind> = {
  $queryRaw: 'raw',
  $queryRawUnsafe: 'raw',
  $queryRawTyped: 'raw',
  $executeRaw: 'raw',
  $executeRawUnsafe: 'raw',
  $runCommandRaw: 'raw',
  $transaction: 'transaction',
};

const TYPEORM_FINDERS: Record<string, OperationKind> = {
  find: 'list',
  findBy: 'list',
  findAndCount: 'list',
  findAndCountBy: 'list',
  findByIds: 'list',
  findOne: 'read',
  findOneBy: 'read',
  findOneOrFail: 'read',
  findOneByOrFail: 'read',
  count: 'aggregate',
  countBy: 'aggregate',
  sum: 'aggregate',
  average: 'aggregate',
  minimum: 'aggregate',
  maximum: 'aggregate',
  exist: 'aggregate',
  exists: 'aggregate',
  existsBy: 'aggregate',
  save: 'write',
  insert: 'write',
  update: 'write',
  upsert: 'write',
  delete: 'write',
  remove: 'write',
  softDelete: 'write',
  softRemove: 'write',
  restore: 'write',
  recover: 'write',
  increment: 'write',
  decrement: 'write',
  clear: 'write',
  query: 'raw',
  createQueryBuilder: 'builder',
};

const MIKRO_FINDERS: Record<string, OperationKind> = {
  find: 'list',
  findAll: 'list',
  findAndCount: 'list',
  findByCursor: 'list',
  findOne: 'read',
  findOneOrFail: 'read',
  count: 'aggregate',
  flush: 'write',
  persistAndFlush: 'write',
  removeAndFlush: 'write',
  insert: 'write',
  insertMany: 'write',
  nativeInsert: 'write',
  nativeUpdate: 'write',
  nativeDelete: 'write',
  upsert: 'write',
  upsertMany: 'write',
  populate: 'read',
  refresh: 'read',
  execute: 'raw',
  createQueryBuilder: 'builder',
  qb: 'builder',
};

/** `@libsql/client`: each call is one round trip (a `batch` sends its statements in one). */
const LIBSQL_OPS: Record<string, OperationKind> = { execute: 'raw', batch: 'raw', executeMultiple: 'raw', migrate: 'raw' };

/**
 * pg-promise's query methods: the SQL text says what a query reads (`raw`), except `one` and
 * `oneOrNone`, which reject a result of more than one row (at most one row, by contract).
 */
const PG_PROMISE_OPS: Record<string, OperationKind> = {
  query: 'raw', none: 'raw', many: 'raw', manyOrNone: 'raw', any: 'raw', result: 'raw', multi: 'raw', multiResult: 'raw',
  map: 'raw', each: 'raw', func: 'raw', proc: 'read', stream: 'raw', one: 'read', oneOrNone: 'read',
  tx: 'transaction', task: 'transaction', txIf: 'transaction', taskIf: 'transaction',
};

const SEQUELIZE_MODEL_OPS: Record<string, OperationKind> = {
  findAll: 'list',
  findAndCountAll: 'list',
  findOne: 'read',
  findByPk: 'read',
  findOrCreate: 'write',
  findOrBuild: 'read',
  findCreateFind: 'write',
  count: 'aggregate',
  max: 'aggregate',
  min: 'aggregate',
  sum: 'aggregate',
  aggregate: 'aggregate',
  create: 'write',
  bulkCreate: 'write',
  update: 'write',
  destroy: 'write',
  upsert: 'write',
  increment: 'write',
  decrement: 'write',
  restore: 'write',
  truncate: 'write',
};

const MONGO_COLLECTION_OPS: Record<string, OperationKind> = {
  find: 'list',
  findOne: 'read',
  findById: 'read',
  exists: 'read',
  countDocuments: 'aggregate',
  estimatedDocumentCount: 'aggregate',
  aggregate: 'aggregate',
  distinct: 'aggregate',
  insertOne: 'write',
  insertMany: 'write',
  create: 'write',
  updateOne: 'write',
  updateMany: 'write',
  deleteOne: 'write',
  deleteMany: 'write',
  replaceOne: 'write',
  findOneAndUpdate: 'write',
  findOneAndDelete: 'write',
  findOneAndReplace: 'write',
  findByIdAndUpdate: 'write',
  findByIdAndDelete: 'write',
  findOneAndRemove: 'write',
  findByIdAndRemove: 'write',
  bulkWrite: 'write',
};

/** Redis commands that reach the server (a representative set; unknown names are not treated as commands). */
export const REDIS_COMMANDS = [
  'get', 'set', 'setex', 'setnx', 'getset', 'getdel', 'mget', 'mset', 'del', 'unlink', 'exists', 'expire', 'pexpire', 'expireat', 'ttl', 'pttl', 'persist',
  'incr', 'incrby', 'incrbyfloat', 'decr', 'decrby', 'append', 'strlen',
  'hget', 'hset', 'hsetnx', 'hmget', 'hmset', 'hgetall', 'hdel', 'hexists', 'hincrby', 'hkeys', 'hvals', 'hlen',
  'lpush', 'rpush', 'lpop', 'rpop', 'lrange', 'llen', 'lrem', 'ltrim', 'lindex', 'blpop', 'brpop',
  'sadd', 'srem', 'smembers', 'sismember', 'scard', 'spop', 'srandmember',
  'zadd', 'zrem', 'zrange', 'zrevrange', 'zrangebyscore', 'zrevrangebyscore', 'zscore', 'zincrby', 'zcard', 'zcount', 'zrank', 'zrevrank',
  'xadd', 'xread', 'xrange', 'xlen', 'publish', 'eval', 'evalsha', 'scan', 'keys', 'type', 'rename', 'json.get', 'json.set',
  // node-redis v4 camelCase spellings
  'setEx', 'setNX', 'getSet', 'getDel', 'mGet', 'mSet', 'pExpire', 'expireAt', 'incrBy', 'incrByFloat', 'decrBy',
  'hGet', 'hSet', 'hSetNX', 'hmGet', 'hGetAll', 'hDel', 'hExists', 'hIncrBy', 'hKeys', 'hVals', 'hLen',
  'lPush', 'rPush', 'lPop', 'rPop', 'lRange', 'lLen', 'lRem', 'lTrim', 'lIndex',
  'sAdd', 'sRem', 'sMembers', 'sIsMember', 'sCard', 'sPop',
  'zAdd', 'zRem', 'zRange', 'zRangeByScore', 'zScore', 'zIncrBy', 'zCard', 'zCount', 'zRank',
  'xAdd', 'xRead', 'xRange', 'xLen', 'evalSha',
  // RediSearch and RedisJSON through node-redis' `client.ft` and `client.json`
  'search', 'aggregate', 'arrAppend', 'numIncrBy', 'objKeys', 'strAppend',
];

const REDIS_OPS: Record<string, OperationKind> = Object.fromEntries(REDIS_COMMANDS.map((c) => [c, 'cache' as OperationKind]));

const DRIZZLE_DB_OPS: Record<string, OperationKind> = {
  select: 'builder',
  selectDistinct: 'builder',
  selectDistinctOn: 'builder',
  insert: 'builder',
  update: 'builder',
  delete: 'builder',
  with: 'builder',
  $count: 'aggregate',
  execute: 'raw',
  run: 'raw',
  all: 'raw',
  get: 'raw',
  values: 'raw',
  batch: 'raw',
  transaction: 'transaction',
};

const KYSELY_OPS: Record<string, OperationKind> = {
  selectFrom: 'builder',
  insertInto: 'builder',
  updateTable: 'builder',
  deleteFrom: 'builder',
  replaceInto: 'builder',
  mergeInto: 'builder',
  with: 'builder',
  selectNoFrom: 'builder',
};

const KNEX_OPS: Record<string, OperationKind> = {
  select: 'builder',
  from: 'builder',
  table: 'builder',
  into: 'builder',
  insert: 'builder',
  update: 'builder',
  del: 'builder',
  delete: 'builder',
  where: 'builder',
  first: 'builder',
  count: 'builder',
  raw: 'raw',
  transaction: 'transaction',
};

export const LIBRARIES: readonly LibrarySpec[] = [
  {
    id: 'prisma',
    displayName: 'Prisma',
    modules: ['@prisma/client', '@prisma/client/edge', '.prisma/client', '@prisma/client/'],
    factories: [{ export: 'PrismaClient', via: 'new', kind: 'client' }],
    types: { PrismaClient: 'client', TransactionClient: 'transaction', DefaultPrismaClient: 'client' },
    baseClasses: { PrismaClient: { instance: 'client' } },
    operations: { client: PRISMA_CLIENT_OPS, transaction: PRISMA_CLIENT_OPS, delegate: PRISMA_DELEGATE_OPS },
    derive: { client: { $extends: 'client' }, transaction: {} },
    delegateMembers: true,
    batchOperations: ['createMany', 'createManyAndReturn', 'updateMany', 'updateManyAndReturn', 'deleteMany'],
    transactionMethods: ['$transaction'],
  },
  {
    id: 'drizzle',
    displayName: 'Drizzle',
    modules: ['drizzle-orm', 'drizzle-orm/'],
    factories: [{ export: 'drizzle', via: 'call', kind: 'client' }],
    types: {
      NodePgDatabase: 'client', PostgresJsDatabase: 'client', MySql2Database: 'client', BetterSQLite3Database: 'client', LibSQLDatabase: 'client',
      PgDatabase: 'client', MySqlDatabase: 'client', BaseSQLiteDatabase: 'client', SQLiteDatabase: 'client', NeonHttpDatabase: 'client',
      NeonDatabase: 'client', VercelPgDatabase: 'client', DrizzleD1Database: 'client', PlanetScaleDatabase: 'client', BunSQLiteDatabase: 'client',
      ExpoSQLiteDatabase: 'client', PgliteDatabase: 'client', PgTransaction: 'transaction', MySqlTransaction: 'transaction', SQLiteTransaction: 'transaction',
    },
    operations: {
      client: DRIZZLE_DB_OPS,
      transaction: DRIZZLE_DB_OPS,
      relational: { findMany: 'list', findFirst: 'read' },
    },
    members: { client: { query: 'relational-root' }, transaction: { query: 'relational-root' } },
    lazyOperations: ['select', 'selectDistinct', 'selectDistinctOn', 'insert', 'update', 'delete', 'with', 'findMany', 'findFirst', '$count'],
    thenable: true,
    terminals: { execute: 'same', all: 'same', get: 'read', run: 'same', values: 'same', then: 'same' },
    compilesOnly: ['toSQL', 'getSQL'],
    transactionMethods: ['transaction'],
  },
  {
    id: 'kysely',
    displayName: 'Kysely',
    modules: ['kysely'],
    factories: [{ export: 'Kysely', via: 'new', kind: 'client' }],
    types: { Kysely: 'client', Transaction: 'transaction' },
    operations: { client: KYSELY_OPS, transaction: KYSELY_OPS },
    lazyOperations: Object.keys(KYSELY_OPS),
    thenable: false,
    terminals: { execute: 'same', executeTakeFirst: 'read', executeTakeFirstOrThrow: 'read', stream: 'same' },
    compilesOnly: ['compile'],
    transactionMethods: ['transaction'],
  },
  {
    id: 'knex',
    displayName: 'Knex',
    modules: ['knex'],
    factories: [
      { export: 'default', via: 'call', kind: 'client' },
      { export: 'knex', via: 'call', kind: 'client' },
    ],
    types: { Knex: 'client', Transaction: 'transaction' },
    operations: { client: KNEX_OPS, transaction: KNEX_OPS },
    lazyOperations: Object.keys(KNEX_OPS).filter((k) => k !== 'transaction'),
    thenable: true,
    terminals: { then: 'same', first: 'read', pluck: 'list', stream: 'list' },
    compilesOnly: ['toSQL', 'toQuery', 'toString'],
    transactionMethods: ['transaction'],
    callable: 'builder',
  },
  {
    id: 'typeorm',
    displayName: 'TypeORM',
    // (`typeorm/index`: an editor's auto-import; `typeorm/repository/Repository`)
    modules: ['typeorm', 'typeorm/', '@nestjs/typeorm'],
    factories: [
      { export: 'DataSource', via: 'new', kind: 'client' },
      { export: 'createConnection', via: 'call', kind: 'client' },
      { export: 'getConnection', via: 'call', kind: 'client' },
      { export: 'getRepository', via: 'call', kind: 'repository' },
      { export: 'getManager', via: 'call', kind: 'entity-manager' },
    ],
    types: {
      DataSource: 'client', Connection: 'client', EntityManager: 'entity-manager', Repository: 'repository', TreeRepository: 'repository',
      MongoRepository: 'repository', QueryRunner: 'connection', MongoEntityManager: 'entity-manager',
    },
    baseClasses: { BaseEntity: { statics: 'model' }, Repository: { instance: 'repository' }, TreeRepository: { instance: 'repository' } },
    operations: {
      client: { ...TYPEORM_FINDERS, transaction: 'transaction' },
      'entity-manager': { ...TYPEORM_FINDERS, transaction: 'transaction' },
      repository: TYPEORM_FINDERS,
      model: TYPEORM_FINDERS,
      connection: { query: 'raw', manager: 'raw' },
    },
    derive: {
      client: { getRepository: 'repository', getTreeRepository: 'repository', getMongoRepository: 'repository', createQueryRunner: 'connection' },
      'entity-manager': { getRepository: 'repository', getTreeRepository: 'repository', withRepository: 'repository', getCustomRepository: 'repository' },
      repository: {},
    },
    members: { client: { manager: 'entity-manager' }, repository: { manager: 'entity-manager' }, connection: { manager: 'entity-manager' } },
    lazyOperations: ['createQueryBuilder'],
    thenable: false,
    terminals: {
      getMany: 'list', getOne: 'read', getOneOrFail: 'read', getRawMany: 'list', getRawOne: 'read', getManyAndCount: 'list', getCount: 'aggregate',
      getExists: 'aggregate', execute: 'same', stream: 'list',
    },
    compilesOnly: ['getQuery', 'getSql', 'getQueryAndParameters'],
    transactionMethods: ['transaction'],
  },
  {
    id: 'mikro-orm',
    displayName: 'MikroORM',
    modules: ['@mikro-orm/'],
    factories: [
      { export: 'MikroORM', via: { static: 'init' }, kind: 'orm' },
      { export: 'MikroORM', via: 'new', kind: 'orm' },
    ],
    types: { MikroORM: 'orm', EntityManager: 'entity-manager', SqlEntityManager: 'entity-manager', EntityRepository: 'repository', SqlEntityRepository: 'repository' },
    baseClasses: { EntityRepository: { instance: 'repository' }, SqlEntityRepository: { instance: 'repository' } },
    operations: { 'entity-manager': { ...MIKRO_FINDERS, transactional: 'transaction' }, repository: MIKRO_FINDERS },
    derive: { 'entity-manager': { fork: 'entity-manager', getRepository: 'repository' } },
    members: { orm: { em: 'entity-manager' } },
    lazyOperations: ['createQueryBuilder', 'qb'],
    thenable: true,
    terminals: { execute: 'same', getResult: 'list', getResultList: 'list', getSingleResult: 'read', getCount: 'aggregate', then: 'same' },
    compilesOnly: ['getQuery', 'getFormattedQuery', 'getKnexQuery'],
    transactionMethods: ['transactional'],
  },
  {
    id: 'sequelize',
    displayName: 'Sequelize',
    modules: ['sequelize', 'sequelize-typescript', '@sequelize/core'],
    factories: [{ export: 'Sequelize', via: 'new', kind: 'client' }],
    types: { Sequelize: 'client', ModelStatic: 'model', ModelCtor: 'model', ModelDefined: 'model' },
    baseClasses: { Model: { statics: 'model' } },
    operations: { client: { query: 'raw', transaction: 'transaction' }, model: SEQUELIZE_MODEL_OPS },
    derive: { client: { define: 'model', model: 'model' } },
    batchOperations: ['bulkCreate', 'update', 'destroy'],
    transactionMethods: ['transaction'],
  },
  {
    id: 'mongoose',
    displayName: 'Mongoose',
    modules: ['mongoose'],
    factories: [
      { export: 'model', via: 'call', kind: 'model' },
      { export: 'createConnection', via: 'call', kind: 'odm' },
    ],
    values: { default: 'odm', connection: 'odm' },
    types: { Model: 'model', Connection: 'odm' },
    operations: { model: MONGO_COLLECTION_OPS },
    derive: { odm: { model: 'model' } },
    members: { odm: { connection: 'odm' } },
    lazyOperations: Object.keys(MONGO_COLLECTION_OPS),
    thenable: true,
    terminals: { exec: 'same', then: 'same', cursor: 'same' },
    batchOperations: ['insertMany', 'updateMany', 'deleteMany', 'bulkWrite'],
  },
  {
    id: 'mongodb',
    displayName: 'MongoDB driver',
    modules: ['mongodb'],
    factories: [
      { export: 'MongoClient', via: 'new', kind: 'client' },
      { export: 'MongoClient', via: { static: 'connect' }, kind: 'client' },
    ],
    types: { MongoClient: 'client', Db: 'database', Collection: 'collection' },
    operations: { collection: MONGO_COLLECTION_OPS },
    derive: { client: { db: 'database' }, database: { collection: 'collection' } },
    lazyOperations: ['find', 'aggregate'],
    thenable: false,
    terminals: { toArray: 'same', next: 'read', forEach: 'same', hasNext: 'read', tryNext: 'read' },
    batchOperations: ['insertMany', 'updateMany', 'deleteMany', 'bulkWrite'],
  },
  {
    id: 'pg',
    displayName: 'node-postgres',
    modules: ['pg', 'pg-pool'],
    factories: [
      { export: 'Pool', via: 'new', kind: 'pool' },
      { export: 'Client', via: 'new', kind: 'connection' },
      { export: 'default', via: 'new', kind: 'pool' },
    ],
    types: { Pool: 'pool', Client: 'connection', PoolClient: 'connection' },
    operations: { pool: { query: 'raw' }, connection: { query: 'raw' } },
    derive: { pool: { connect: 'connection' } },
  },
  {
    id: 'mysql2',
    displayName: 'mysql2',
    modules: ['mysql2', 'mysql2/promise', 'mysql'],
    factories: [
      { export: 'createPool', via: 'call', kind: 'pool' },
      { export: 'createPoolCluster', via: 'call', kind: 'pool' },
      { export: 'createConnection', via: 'call', kind: 'connection' },
    ],
    types: { Pool: 'pool', Connection: 'connection', PoolConnection: 'connection' },
    operations: { pool: { query: 'raw', execute: 'raw' }, connection: { query: 'raw', execute: 'raw' } },
    derive: { pool: { getConnection: 'connection', promise: 'pool' }, connection: { promise: 'connection' } },
  },
  {
    id: 'postgres',
    displayName: 'postgres.js',
    modules: ['postgres'],
    factories: [{ export: 'default', via: 'call', kind: 'sql-tag' }],
    types: { Sql: 'sql-tag', TransactionSql: 'sql-tag' },
    operations: { 'sql-tag': { unsafe: 'raw', file: 'raw', begin: 'transaction' } },
    transactionMethods: ['begin'],
  },
  {
    id: 'vercel-postgres',
    displayName: '@vercel/postgres',
    modules: ['@vercel/postgres'],
    factories: [
      { export: 'createPool', via: 'call', kind: 'pool' },
      { export: 'createClient', via: 'call', kind: 'connection' },
    ],
    values: { sql: 'sql-tag', db: 'pool' },
    types: { VercelPool: 'pool', VercelClient: 'connection' },
    operations: { 'sql-tag': { query: 'raw' }, pool: { query: 'raw' }, connection: { query: 'raw' } },
    derive: { pool: { connect: 'connection' } },
    members: { pool: { sql: 'sql-tag' }, connection: { sql: 'sql-tag' } },
  },
  {
    id: 'neon',
    displayName: '@neondatabase/serverless',
    modules: ['@neondatabase/serverless'],
    factories: [
      { export: 'neon', via: 'call', kind: 'sql-tag' },
      { export: 'Pool', via: 'new', kind: 'pool' },
      { export: 'Client', via: 'new', kind: 'connection' },
    ],
    types: { Pool: 'pool', Client: 'connection', NeonQueryFunction: 'sql-tag' },
    operations: { 'sql-tag': { query: 'raw', transaction: 'transaction' }, pool: { query: 'raw' }, connection: { query: 'raw' } },
    derive: { pool: { connect: 'connection' } },
    callable: 'raw',
  },
  {
    id: 'libsql',
    displayName: 'libSQL (@libsql/client)',
    modules: ['@libsql/client', '@libsql/client/'],
    factories: [{ export: 'createClient', via: 'call', kind: 'client' }],
    types: { Client: 'client', Transaction: 'transaction' },
    operations: { client: LIBSQL_OPS, transaction: LIBSQL_OPS },
    // `await client.transaction('write')`: an interactive transaction, whose statements are round trips of their own
    derive: { client: { transaction: 'transaction' } },
  },
  {
    id: 'pg-promise',
    displayName: 'pg-promise',
    modules: ['pg-promise'],
    // `const pgp = pgPromise(); const db = pgp(connection)`
    factories: [{ export: 'default', via: 'call', kind: 'initializer' }],
    types: { IMain: 'initializer', IDatabase: 'client', IBaseProtocol: 'client', ITask: 'transaction', IConnected: 'connection' },
    operations: { client: PG_PROMISE_OPS, transaction: PG_PROMISE_OPS, connection: PG_PROMISE_OPS },
    produces: { initializer: 'client' },
    derive: { client: { connect: 'connection' } },
    transactionMethods: ['tx', 'task', 'txIf', 'taskIf'],
  },
  {
    // A queue stores its jobs in Redis: each call is a round trip, and a queue holds a connection.
    id: 'bullmq',
    displayName: 'BullMQ',
    modules: ['bullmq'],
    factories: [
      { export: 'Queue', via: 'new', kind: 'client' },
      { export: 'FlowProducer', via: 'new', kind: 'client' },
    ],
    types: { Queue: 'client', FlowProducer: 'client' },
    operations: {
      client: {
        add: 'write', addBulk: 'write', getJob: 'read', getJobs: 'list', getJobState: 'read', getJobCounts: 'aggregate', getJobCountByTypes: 'aggregate',
        getWaiting: 'list', getActive: 'list', getCompleted: 'list', getFailed: 'list', getDelayed: 'list', remove: 'write', removeJobScheduler: 'write',
        upsertJobScheduler: 'write', clean: 'write', drain: 'write', pause: 'write', resume: 'write', obliterate: 'write',
      },
    },
    batchOperations: ['addBulk'],
  },
  {
    id: 'redis',
    displayName: 'Redis',
    modules: ['ioredis', 'redis', '@redis/client', '@upstash/redis', '@vercel/kv'],
    factories: [
      { export: 'default', via: 'new', kind: 'client' },
      { export: 'Redis', via: 'new', kind: 'client' },
      { export: 'Cluster', via: 'new', kind: 'client' },
      { export: 'createClient', via: 'call', kind: 'client' },
      { export: 'createCluster', via: 'call', kind: 'client' },
      { export: 'Redis', via: { static: 'fromEnv' }, kind: 'client' },
    ],
    values: { kv: 'client' },
    types: { Redis: 'client', Cluster: 'client', RedisClientType: 'client', RedisClusterType: 'client', VercelKV: 'client' },
    operations: { client: REDIS_OPS, pipeline: { exec: 'cache' } },
    // node-redis' module commands: `client.json.get(key)`, `client.ft.search(index, query)`
    members: { client: { json: 'client', ft: 'client' } },
    derive: { client: { duplicate: 'client', connect: 'client', pipeline: 'pipeline', multi: 'pipeline' } },
  },
];

const BY_ID = new Map(LIBRARIES.map((spec) => [spec.id, spec]));

/** The table entry of a library. */
export function librarySpec(id: DbLibrary): LibrarySpec {
  return BY_ID.get(id)!;
}

/** The library a module specifier belongs to (`drizzle-orm/node-postgres` → drizzle), or undefined. */
export function libraryOfModule(specifier: string): LibrarySpec | undefined {
  for (const spec of LIBRARIES) {
    for (const module of spec.modules) {
      if (module.endsWith('/') ? specifier.startsWith(module) : specifier === module) return spec;
    }
  }
  return undefined;
}

/** Every module specifier (and prefix) the table knows, for cheap text pre-filters. */
export const KNOWN_DB_MODULES: readonly string[] = LIBRARIES.flatMap((spec) => spec.modules);

/** `user` → `User`: the Prisma model name of a delegate property. */
export function upperFirst(name: string): string {
  return name.length === 0 ? name : name[0].toUpperCase() + name.slice(1);
}
