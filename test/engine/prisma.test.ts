import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Linter, memoryFileSystem } from '../../engine';
import {
  buildSchema,
  configuredSchemaPaths,
  discoverSchemaGroups,
  generatedClientPaths,
  isCoveredAsPrefix,
  isUniqueFilter,
  modelForDelegate,
  prismaEngine,
  prismaSchemasFact,
  scanSchema,
  schemaForPrismaFile,
  schemaForSourceFile,
  schemaFromPrismaConfig,
  schemaSyntaxErrors,
} from '../../engine/prisma';

const ROOT = path.resolve('/virtual/prisma-ws');

function project(files: Record<string, string>) {
  const absolute = Object.fromEntries(Object.entries(files).map(([p, t]) => [path.join(ROOT, p), t]));
  return new Linter({ root: ROOT, rules: [], host: memoryFileSystem(absolute) }).project;
}

const PRISMA6 = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  directUrl = env("DIRECT_URL")
}

generator client {
  provider = "prisma-client-js"
}

/// A customer.
model User {
  id     Int     @id @default(autoincrement())
  email  String  @unique // login
  orders Order[]
}

model Order {
  id        Int      @id @default(autoincrement())
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
  status    String
  createdAt DateTime @default(now())

  @@index([userId, createdAt(sort: Desc)], map: "order_user_created")
  @@index([status], type: Hash)
  @@unique([userId, id], name: "userOrder")
}
`;

const PRISMA7 = `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

generator client {
  provider = "prisma-client"
  output   = "../src/generated/prisma"
}

model Post {
  id       String @id
  authorId String
  author   Author @relation(fields: [authorId], references: [id])
}

model Author {
  id    String @id
  posts Post[]
}
`;

describe('prisma schema engine (wasm)', () => {
  it('loads from node_modules (unbundled) and lints', () => {
    assert.ok(prismaEngine(), 'engine loads');
    assert.deepEqual(schemaSyntaxErrors(PRISMA6), []);
    assert.deepEqual(schemaSyntaxErrors(PRISMA7), []);
    assert.ok(schemaSyntaxErrors('model A {\n  id Int @id\n  b Nope\n}\n').length > 0);
  });
});

describe('prisma scanner', () => {
  it('finds blocks, fields, attributes and argument spans', () => {
    const scan = scanSchema(PRISMA6);
    assert.deepEqual(scan.blocks.map((b) => `${b.kind} ${b.name}`), ['datasource db', 'generator client', 'model User', 'model Order']);
    const order = scan.blocks[3];
    assert.deepEqual(order.fields.map((f) => `${f.name}:${f.type}`), ['id:Int', 'userId:Int', 'user:User', 'status:String', 'createdAt:DateTime']);
    const index = order.attributes[0];
    assert.equal(index.name, 'index');
    assert.equal(PRISMA6.slice(index.span.start, index.span.end), '@@index([userId, createdAt(sort: Desc)], map: "order_user_created")');
    assert.equal(PRISMA6.slice(index.args[0].value.span.start, index.args[0].value.span.end), '[userId, createdAt(sort: Desc)]');
    assert.equal(order.indent, '  ');
    const email = scan.blocks[2].fields[1];
    assert.deepEqual(email.attributes.map((a) => a.name), ['unique']);
  });

  it('ignores comments and braces inside strings', () => {
    const text = 'model A {\n  // id Int @id { not a field }\n  id Int @id\n  note String @default("} { @@index([x])")\n}\n';
    const scan = scanSchema(text);
    assert.equal(scan.blocks.length, 1);
    assert.deepEqual(scan.blocks[0].fields.map((f) => f.name), ['id', 'note']);
    assert.equal(scan.blocks[0].attributes.length, 0);
    assert.equal(scan.blocks[0].closeBrace, text.lastIndexOf('}'));
    assert.equal(scan.blocks[0].fields[1].attributes[0].args[0].value.text, '} { @@index([x])', 'string values keep their original text');
  });

  it('tolerates half-typed input: unterminated blocks, dangling attributes', () => {
    const text = 'model A {\n  id Int @id\n  bId Int\n  @@index([bId\nmodel B {\n  id Int @id\n}\n';
    const scan = scanSchema(text);
    assert.deepEqual(scan.blocks.map((b) => b.name), ['A', 'B']);
    assert.equal(scan.blocks[0].closeBrace, -1);
    assert.equal(scan.blocks[1].fields.length, 1);
  });

  it('multi-line block attributes and tabs', () => {
    const text = 'model A {\n\tid Int @id\n\tx Int\n\t@@index(\n\t\t[x, id],\n\t\tmap: "a_x"\n\t)\n}\n';
    const block = scanSchema(text).blocks[0];
    assert.equal(block.indent, '\t');
    assert.equal(block.attributes[0].args.length, 2);
  });
});

describe('prisma model', () => {
  it('Prisma 6 style (url = env) analyses through the 7.x engine with URLs blanked', () => {
    const schema = buildSchema('/s', [{ path: '/s/schema.prisma', text: PRISMA6 }]);
    assert.equal(schema.semantics, 'engine');
    assert.equal(schema.provider, 'postgresql');
    assert.equal(schema.relationMode, 'foreignKeys');
    const order = schema.models.get('Order')!;
    assert.deepEqual(order.relations.map((r) => `${r.field.name}->${r.target}[${r.fromFields}]`), ['user->User[userId]']);
    assert.deepEqual(
      order.indexes.map((i) => `${i.kind}:${i.fields.map((f) => f.name + (f.sort ? ' ' + f.sort : '')).join(',')}${i.algorithm ? ' ' + i.algorithm : ''}`),
      ['id:id', 'index:userId,createdAt desc', 'index:status Hash', 'unique:userId,id'],
    );
    assert.ok(order.indexes.every((i) => i.span), 'every index has a span');
    assert.equal(order.indexes[3].name, 'userOrder');
  });

  it('Prisma 7 style (no url, relationMode in datasource)', () => {
    const schema = buildSchema('/s', [{ path: '/s/schema.prisma', text: PRISMA7 }]);
    assert.equal(schema.semantics, 'engine');
    assert.equal(schema.provider, 'mysql');
    assert.equal(schema.relationMode, 'prisma');
    assert.deepEqual(schema.models.get('Post')!.relations[0].fromFields, ['authorId']);
  });

  it('multi-file schema: relations across files', () => {
    const schema = buildSchema('/s/schema', [
      { path: '/s/schema/main.prisma', text: 'datasource db {\n  provider = "postgresql"\n  url = env("X")\n}\n' },
      { path: '/s/schema/post.prisma', text: 'model Post {\n  id Int @id\n  authorId Int\n  author Author @relation(fields: [authorId], references: [id])\n}\n' },
      { path: '/s/schema/author.prisma', text: 'model Author {\n  id Int @id\n  posts Post[]\n}\n' },
    ]);
    assert.equal(schema.semantics, 'engine');
    const post = schema.models.get('Post')!;
    assert.equal(post.file, '/s/schema/post.prisma');
    assert.deepEqual(post.relations[0].fromFields, ['authorId']);
  });

  it('keeps the last good model while the schema is invalid', () => {
    const good = buildSchema('/s', [{ path: '/s/schema.prisma', text: PRISMA6 }]);
    const halfTyped = PRISMA6.replace('  status    String\n', '  status    Stri\n  note @\n').replace(/model User \{[\s\S]*?\n\}\n/, '');
    const schema = buildSchema('/s', [{ path: '/s/schema.prisma', text: halfTyped }], good);
    assert.equal(schema.semantics, 'last-good');
    assert.equal(schema.provider, 'postgresql');
    const order = schema.models.get('Order')!;
    assert.equal(order.stale, false);
    assert.deepEqual(order.relations[0].fromFields, ['userId']);
    assert.equal(order.relations[0].field.kind, 'object', 'User is only known from the last good model');
    const user = schema.models.get('User')!;
    assert.equal(user.stale, true, 'a model missing from the current text stays available for lookups');
    assert.equal(user.span, undefined);
  });

  it('invalid schema without a last good model: scanner semantics', () => {
    const schema = buildSchema('/s', [{ path: '/s/schema.prisma', text: 'model A {\n  id Int @id\n  bId Int\n  b B @relation(fields: [bId], references: [id])\n  @@index([\n}\nmodel B {\n  id Int @id\n}\n' }]);
    assert.equal(schema.semantics, 'scanner');
    assert.deepEqual(schema.models.get('A')!.relations[0].fromFields, ['bId']);
  });

  it('coverage and uniqueness queries', () => {
    const schema = buildSchema('/s', [{ path: '/s/schema.prisma', text: PRISMA6 }]);
    const order = schema.models.get('Order')!;
    assert.ok(isCoveredAsPrefix(order, ['userId']));
    assert.ok(!isCoveredAsPrefix(order, ['createdAt']));
    assert.ok(isUniqueFilter(order, ['id']));
    assert.ok(isUniqueFilter(order, ['userId', 'id']));
    assert.ok(isUniqueFilter(order, ['userOrder']));
    assert.ok(!isUniqueFilter(order, ['userId']));
    assert.ok(isUniqueFilter(schema.models.get('User')!, ['email']));
    assert.equal(modelForDelegate(schema, 'order')?.name, 'Order');
    assert.equal(modelForDelegate(schema, 'Order'), undefined);
  });
});

describe('prisma schema discovery', () => {
  it('single schema.prisma; TS files map to it', () => {
    const p = project({ 'prisma/schema.prisma': PRISMA6, 'src/a.ts': 'export {}' });
    const { schemas } = p.get(prismaSchemasFact);
    assert.equal(schemas.length, 1);
    assert.equal(schemaForSourceFile(p, path.join(ROOT, 'src/a.ts')), schemas[0]);
  });

  it('multi-file folder prisma/schema/*.prisma (nested folders too)', () => {
    const p = project({
      'prisma/schema/schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\n',
      'prisma/schema/models/post.prisma': 'model Post {\n  id Int @id\n}\n',
      'prisma/schema/user.prisma': 'model User {\n  id Int @id\n}\n',
    });
    const groups = discoverSchemaGroups(p);
    assert.equal(groups.length, 1);
    assert.equal(groups[0].id, path.join(ROOT, 'prisma/schema'));
    assert.equal(groups[0].paths.length, 3);
    assert.deepEqual([...p.get(prismaSchemasFact).schemas[0].models.keys()].sort(), ['Post', 'User']);
  });

  it('package.json#prisma.schema names a folder', () => {
    const p = project({
      'package.json': JSON.stringify({ prisma: { schema: 'db/models' } }),
      'db/models/a.prisma': 'datasource db {\n  provider = "sqlite"\n}\n',
      'db/models/b.prisma': 'model B {\n  id Int @id\n}\n',
    });
    assert.deepEqual(configuredSchemaPaths(p), [path.join(ROOT, 'db/models')]);
    assert.deepEqual(discoverSchemaGroups(p).map((g) => g.paths.length), [2]);
  });

  it('prisma.config.ts is read statically (never executed)', () => {
    assert.equal(schemaFromPrismaConfig(`import { defineConfig } from 'prisma/config';\nexport default defineConfig({ schema: 'prisma/schema', migrations: { path: 'x' } });`), 'prisma/schema');
    assert.equal(schemaFromPrismaConfig(`import path from 'node:path';\nexport default { schema: path.join(__dirname, 'db', 'schema.prisma') };`), path.join('db', 'schema.prisma'));
    assert.equal(schemaFromPrismaConfig(`export default { schema: process.env.SCHEMA };`), undefined);
    const p = project({
      'prisma.config.ts': `import { defineConfig } from 'prisma/config';\nexport default defineConfig({ schema: 'database' });\n`,
      'database/one.prisma': 'datasource db {\n  provider = "postgresql"\n}\n',
      'database/two.prisma': 'model T {\n  id Int @id\n}\n',
    });
    assert.deepEqual(discoverSchemaGroups(p).map((g) => g.id), [path.join(ROOT, 'database')]);
    // Editing the config re-discovers the schemas (a TS file that schema discovery reads).
    assert.deepEqual(p.get(prismaSchemasFact).schemas.map((s) => s.id), [path.join(ROOT, 'database')]);
    p.setOverlay(path.join(ROOT, 'prisma.config.ts'), `import { defineConfig } from 'prisma/config';\nexport default defineConfig({ schema: 'database/two.prisma' });\n`);
    assert.deepEqual(p.get(prismaSchemasFact).schemas.map((s) => s.id), [path.join(ROOT, 'database/two.prisma'), path.join(ROOT, 'database/one.prisma')].sort((a, b) => a.localeCompare(b)));
  });

  it('generator output folders (Prisma 7 prisma-client generator)', () => {
    const p = project({ 'prisma/schema.prisma': PRISMA7, 'other/schema.prisma': 'generator client {\n  provider = "prisma-client-js"\n}\n' });
    assert.deepEqual(generatedClientPaths(p), [path.join(ROOT, 'src/generated/prisma')]);
  });

  it('two independent schemas (two datasources in one folder) and nearest-schema mapping', () => {
    const p = project({
      'apps/a/prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\nmodel A {\n  id Int @id\n}\n',
      'apps/b/prisma/schema.prisma': 'datasource db {\n  provider = "mysql"\n}\nmodel B {\n  id Int @id\n}\n',
      'apps/a/src/x.ts': 'export {}',
      'apps/b/src/y.ts': 'export {}',
      'tools/one.prisma': 'datasource db {\n  provider = "sqlite"\n}\n',
      'tools/two.prisma': 'datasource db {\n  provider = "sqlite"\n}\n',
    });
    assert.equal(p.get(prismaSchemasFact).schemas.length, 4);
    assert.equal(schemaForSourceFile(p, path.join(ROOT, 'apps/a/src/x.ts'))?.provider, 'postgresql');
    assert.equal(schemaForSourceFile(p, path.join(ROOT, 'apps/b/src/y.ts'))?.provider, 'mysql');
  });

  it('reuses the built schema across invalidations while the texts are unchanged', () => {
    const p = project({ 'prisma/schema.prisma': PRISMA6, 'src/a.ts': 'export {}' });
    const schemas = p.get(prismaSchemasFact);
    const first = schemas.schemas[0];
    // (an edit of a text never read may be a new file: that recomputes every fact)
    p.readText(path.join(ROOT, 'src/a.ts'));
    p.setOverlay(path.join(ROOT, 'src/a.ts'), 'export const x = 1;');
    assert.equal(p.get(prismaSchemasFact), schemas, 'typing in a TS module keeps the schemas (no discovery per keystroke)');
    assert.equal(p.get(prismaSchemasFact).schemas[0], first, 'a TS edit does not rebuild the schema');
    p.setOverlay(path.join(ROOT, 'prisma/schema.prisma'), PRISMA6.replace('status    String', 'status    String?'));
    const second = p.get(prismaSchemasFact).schemas[0];
    assert.notEqual(second, first);
    assert.equal(second.models.get('Order')!.fields.find((f) => f.name === 'status')!.optional, true);
  });

  it('schemaForPrismaFile uses the analysed text and remembers the last good model across invalidations', () => {
    const p = project({ 'prisma/schema.prisma': PRISMA6 });
    const file = path.join(ROOT, 'prisma/schema.prisma');
    assert.equal(schemaForPrismaFile(p, file, PRISMA6).semantics, 'engine');
    p.invalidate();
    const broken = schemaForPrismaFile(p, file, PRISMA6.replace('model Order {', 'model Order {\n  oops'));
    assert.equal(broken.semantics, 'last-good');
  });
});
