import rule from '../../rules/redundant-index';
import { datasource } from '../harness/prisma';
import { ruleTester } from '../harness/ruleTester';

const PG = datasource('postgresql');
const MY = datasource('mysql');
const F = 'prisma/schema.prisma';

ruleTester(rule, {
  valid: [
    { filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId, createdAt])
}
` },
    { name: 'different leading column', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([createdAt])
  @@index([userId, createdAt])
}
` },
    { name: 'longer than the other index (the shorter one would be the redundant one, but it is unique)', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId, createdAt])
  @@unique([userId])
}
` },
    { name: 'sort orders differ', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId(sort: Desc)])
  @@index([userId, createdAt])
}
` },
    { name: 'prefix of a hash index is not served by it', filename: F, code: `${PG}model Order {
  id     Int    @id
  userId Int
  status String

  @@index([userId])
  @@index([userId, status], type: Hash)
}
` },
    { name: 'different index types on the same column', filename: F, code: `${PG}model Doc {
  id   Int  @id
  tags Json

  @@index([tags], type: Gin)
  @@index([tags(ops: JsonbPathOps)], type: Gin)
}
` },
    { name: 'hash index equal in columns to a B-tree unique', filename: F, code: `${PG}model User {
  id    Int    @id
  email String @unique

  @@index([email], type: Hash)
}
` },
    { name: 'unique constraints are never reported (they enforce data rules)', filename: F, code: `${PG}model OrderLine {
  orderId   Int
  productId Int

  @@id([orderId, productId])
  @@unique([orderId, productId])
}
` },
    { name: 'indexes of different models', filename: F, code: `${PG}model A {
  id  Int @id
  key Int

  @@index([key])
}

model B {
  id  Int @id
  key Int

  @@index([key, id])
}
` },
    { name: 'prefix length differs (MySQL)', filename: F, code: `${MY}model Post {
  id    Int    @id
  title String @db.VarChar(300)

  @@index([title(length: 10)])
  @@index([title, id])
}
` },
    { name: 'suppressed', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  // perflint-disable-next-line redundant-index -- kept until the v2 migration lands
  @@index([userId])
  @@index([userId, createdAt])
}
` },
    { name: 'commented-out duplicate', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  // @@index([userId])
  @@index([userId, createdAt])
}
` },
    { name: 'second column of an id', filename: F, code: `${PG}model OrderLine {
  orderId   Int
  productId Int

  @@id([orderId, productId])
  @@index([productId])
}
` },
    { name: 'full-text index does not make a B-tree redundant', filename: F, code: `datasource db {
  provider = "mysql"
}

generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["fullTextIndex"]
}

model Post {
  id    Int    @id
  title String

  @@index([title])
  @@fulltext([title])
}
` },
    { name: 'an argument PerfLint does not model (scanner semantics while typing)', filename: F, code: `${PG}model Order {
  id     Int    @id
  userId Int
  state  String

  @@index([userId], where: raw("state = 'open'"))
  @@index([userId, id])
}
` },
  ],
  invalid: [
    { name: 'leading prefix of a composite index', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId])
  @@index([userId, createdAt])
}
`, errors: [{ line: 10, column: 3, endColumn: 20, severity: 'warning', related: 1, message: '`@@index([userId])` on `Order` is redundant with `@@index([userId, createdAt])`: it starts with the same columns, so it serves every lookup this one serves. Each extra index is written on every insert and update of `Order` and takes disk and cache space.', fixes: [{ title: 'Remove the redundant @@index([userId])', output: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId, createdAt])
}
` }] }] },
    { name: 'prefix declared after the covering index', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId, createdAt])
  @@index([userId])
}
`, errors: [{ line: 11, fixes: [{ title: 'Remove the redundant @@index([userId])', output: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId, createdAt])
}
` }] }] },
    { name: 'equal to @unique on the field', filename: F, code: `${PG}model User {
  id    Int    @id
  email String @unique

  @@index([email])
}
`, errors: [{ message: /redundant with `@unique` on `email`: it indexes exactly the same columns/, fixes: [{ title: 'Remove the redundant @@index([email])', output: `${PG}model User {
  id    Int    @id
  email String @unique

}
` }] }] },
    { name: 'equal to the id', filename: F, code: `${PG}model User {
  id Int @id

  @@index([id])
}
`, errors: [{ message: /redundant with `@id` on `id`/ }] },
    { name: 'prefix of @@id', filename: F, code: `${PG}model OrderLine {
  orderId   Int
  productId Int

  @@id([orderId, productId])
  @@index([orderId])
}
`, errors: [{ message: /redundant with `@@id\(\[orderId, productId\]\)`/, fixes: [{ title: 'Remove the redundant @@index([orderId])', output: `${PG}model OrderLine {
  orderId   Int
  productId Int

  @@id([orderId, productId])
}
` }] }] },
    { name: 'prefix of @@unique', filename: F, code: `${PG}model Membership {
  id     Int @id
  teamId Int
  userId Int

  @@unique([teamId, userId])
  @@index([teamId])
}
`, errors: [{ message: /redundant with `@@unique\(\[teamId, userId\]\)`/ }] },
    { name: 'two-column prefix of a three-column index', filename: F, code: `${PG}model Event {
  id       Int      @id
  tenantId Int
  kind     String
  at       DateTime

  @@index([tenantId, kind])
  @@index([tenantId, kind, at])
}
`, errors: [{ message: /`@@index\(\[tenantId, kind\]\)`/ }] },
    { name: 'same sort orders', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId, createdAt(sort: Desc)])
  @@index([userId, createdAt(sort: Desc), id])
}
`, errors: [{ message: /`@@index\(\[userId, createdAt\(sort: Desc\)\]\)`/ }] },
    { name: 'duplicate hash indexes (equal, same type)', filename: F, code: `${PG}model Session {
  id    Int    @id
  token String

  @@index([token], type: Hash, map: "session_token_a")
  @@index([token], type: Hash, map: "session_token_b")
}
`, errors: [{ line: 10, message: /`@@index\(\[token\], type: Hash\)` on `Session` is redundant with `@@index\(\[token\], type: Hash\)`/ }] },
    { name: 'explicit BTree type equals the default', filename: F, code: `${PG}model Order {
  id     Int @id
  userId Int

  @@index([userId], type: BTree)
  @@index([userId, id])
}
`, errors: [{ line: 9 }] },
    { name: 'two redundant indexes in one model', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  status    String
  createdAt DateTime

  @@index([userId])
  @@index([status])
  @@index([userId, createdAt])
  @@index([status, createdAt])
}
`, errors: [{ line: 11 }, { line: 12 }] },
    { name: 'named arguments and map', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index(fields: [userId], map: "order_user_idx")
  @@index([userId, createdAt])
}
`, errors: [{ fixes: [{ title: 'Remove the redundant @@index([userId])', output: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId, createdAt])
}
` }] }] },
    { name: 'trailing comment is removed with the line', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId]) // old
  @@index([userId, createdAt])
}
`, errors: [{ fixes: [{ title: 'Remove the redundant @@index([userId])', output: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId, createdAt])
}
` }] }] },
    { name: 'multi-line attribute is removed whole', filename: F, code: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index(
    [userId]
  )
  @@index([userId, createdAt])
}
`, errors: [{ line: 10, fixes: [{ title: 'Remove the redundant @@index([userId])', output: `${PG}model Order {
  id        Int      @id
  userId    Int
  createdAt DateTime

  @@index([userId, createdAt])
}
` }] }] },
    { name: 'CRLF', filename: F, code: `${PG}model Order {\n  id     Int @id\n  userId Int\n\n  @@index([userId])\n  @@index([userId, id])\n}\n`.replace(/\n/g, '\r\n'), errors: [{ fixes: [{ title: 'Remove the redundant @@index([userId])', output: `${PG}model Order {\n  id     Int @id\n  userId Int\n\n  @@index([userId, id])\n}\n`.replace(/\n/g, '\r\n') }] }] },
    { name: 'tabs', filename: F, code: `${PG}model Order {\n\tid     Int @id\n\tuserId Int\n\n\t@@index([userId])\n\t@@index([userId, id])\n}\n`, errors: [{ fixes: [{ title: 'Remove the redundant @@index([userId])', output: `${PG}model Order {\n\tid     Int @id\n\tuserId Int\n\n\t@@index([userId, id])\n}\n` }] }] },
    { name: 'MySQL', filename: F, code: `${MY}model Order {
  id     Int @id
  userId Int

  @@index([userId])
  @@unique([userId, id])
}
`, errors: [{ message: /redundant with `@@unique\(\[userId, id\]\)`/ }] },
    { name: 'Prisma 6 datasource with url', filename: F, code: `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Order {
  id     Int @id
  userId Int

  @@index([userId])
  @@index([userId, id])
}
`, errors: [{ line: 10 }] },
    { name: 'multi-file schema', filename: 'prisma/schema/order.prisma', files: { 'prisma/schema/main.prisma': PG }, code: `model Order {
  id     Int @id
  userId Int

  @@index([userId])
  @@index([userId, id])
}
`, errors: [{ line: 5, fixes: [{ title: 'Remove the redundant @@index([userId])', file: 'prisma/schema/order.prisma', output: `model Order {
  id     Int @id
  userId Int

  @@index([userId, id])
}
` }] }] },
    { name: 'relation field index made redundant by a composite', filename: F, code: `${PG}model User {
  id     Int     @id
  orders Order[]
}

model Order {
  id        Int      @id
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
  createdAt DateTime

  @@index([userId])
  @@index([userId, createdAt])
}
`, errors: [{ line: 16 }] },
    { name: 'while the schema is half-typed elsewhere', filename: F, code: `${PG}model Order {
  id     Int @id
  userId Int
  note   Str

  @@index([userId])
  @@index([userId, id])
}
`, errors: [{ line: 10 }] },
    { name: 'sort order asc spelled out equals the default', filename: F, code: `${PG}model Order {
  id     Int @id
  userId Int

  @@index([userId(sort: Asc)])
  @@index([userId, id])
}
`, errors: [{ line: 9 }] },
    { name: 'equal ordinary indexes: the second is reported', filename: F, code: `${PG}model Order {
  id     Int @id
  userId Int

  @@index([userId], map: "a")
  @@index([userId], map: "b")
}
`, errors: [{ line: 10, related: 1 }] },
  ],
});
