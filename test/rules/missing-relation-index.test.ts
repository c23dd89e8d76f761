import rule from '../../rules/missing-relation-index';
import { datasource } from '../harness/prisma';
import { ruleTester } from '../harness/ruleTester';

const PG = datasource('postgresql');
const F = 'prisma/schema.prisma';

const USER = `model User {
  id     Int     @id @default(autoincrement())
  orders Order[]
}
`;

ruleTester(rule, {
  valid: [
    { filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@index([userId])
}
` },
    { name: 'covered as the leading field of a composite index', filename: F, code: `${PG}${USER}
model Order {
  id        Int      @id
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
  createdAt DateTime

  @@index([userId, createdAt(sort: Desc)])
}
` },
    { name: 'covered by @@unique', filename: F, code: `${PG}${USER}
model Order {
  id        Int    @id
  userId    Int
  user      User   @relation(fields: [userId], references: [id])
  reference String

  @@unique([userId, reference])
}
` },
    { name: 'one-to-one: @unique on the foreign key', filename: F, code: `${PG}model User {
  id      Int      @id
  profile Profile?
}

model Profile {
  id     Int  @id
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
}
` },
    { name: 'the foreign key is the id', filename: F, code: `${PG}model User {
  id      Int      @id
  profile Profile?
}

model Profile {
  userId Int  @id
  user   User @relation(fields: [userId], references: [id])
}
` },
    { name: 'covered by the leading field of @@id', filename: F, code: `${PG}model Order {
  id    Int         @id
  lines OrderLine[]
}

model OrderLine {
  orderId   Int
  productId Int
  order     Order @relation(fields: [orderId], references: [id])

  @@id([orderId, productId])
}
` },
    { name: 'composite foreign key covered in another order', filename: F, code: `${PG}model Tenant {
  orgId  Int
  id     Int
  orders Order[]

  @@id([orgId, id])
}

model Order {
  id       Int    @id
  orgId    Int
  tenantId Int
  tenant   Tenant @relation(fields: [orgId, tenantId], references: [orgId, id])

  @@index([tenantId, orgId, id])
}
` },
    { name: 'back-relation side has no foreign key', filename: F, code: `${PG}model User {
  id     Int     @id
  orders Order[]
}

model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@index([userId])
}
` },
    { name: 'ignored model', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@ignore
}
` },
    { name: 'suppressed with // perflint-disable-next-line in the schema', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  // perflint-disable-next-line missing-relation-index -- tiny lookup table, never joined
  user   User @relation(fields: [userId], references: [id])
}
` },
    { name: 'file-level suppression', filename: F, code: `// perflint-disable missing-relation-index
${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
` },
    { name: 'relation in another file of a multi-file schema is reported there, not here', filename: 'prisma/schema/user.prisma', code: `model User {
  id    Int    @id
  posts Post[]
}
`, files: {
      'prisma/schema/main.prisma': PG,
      'prisma/schema/post.prisma': `model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
`,
    } },
    { name: 'commented-out relation', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  // user User @relation(fields: [userId], references: [id])
}
` },
    { name: 'named fields argument and multi-line @@index', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@index(
    fields: [userId],
    map: "order_user_idx"
  )
}
` },
    { name: 'covered by a hash index', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@index([userId], type: Hash)
}
` },
    { name: 'self relation covered', filename: F, code: `${PG}model Category {
  id       Int        @id
  parentId Int?
  parent   Category?  @relation("Tree", fields: [parentId], references: [id])
  children Category[] @relation("Tree")

  @@index([parentId])
}
` },
    { name: 'not a schema: TS file mentioning @relation', code: `const doc = "user User @relation(fields: [userId], references: [id])";\nexport default doc;\n` },
  ],
  invalid: [
    { name: 'PostgreSQL: warning, fix adds @@index after a blank line', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
`, errors: [{ message: 'Relation `Order.user` has no index on `userId`: PostgreSQL does not index foreign keys, so loading the `User`\'s `Order` rows, joins and cascading deletes scan the whole `Order` table.', line: 13, column: 33, endColumn: 41, severity: 'warning', related: 1, fixes: [{ title: 'Add @@index([userId]) to model Order', file: F, output: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@index([userId])
}
` }] }] },
    { name: 'after existing block attributes', filename: F, code: `${PG}${USER}
model Order {
  id        Int      @id
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
  createdAt DateTime

  @@index([createdAt])
}
`, errors: [{ fixes: [{ title: 'Add @@index([userId]) to model Order', output: `${PG}${USER}
model Order {
  id        Int      @id
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
  createdAt DateTime

  @@index([createdAt])
  @@index([userId])
}
` }] }] },
    { name: 'MySQL with foreign keys: info (InnoDB indexes them)', filename: F, code: `${datasource('mysql')}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
`, errors: [{ severity: 'info', message: /InnoDB indexes the foreign key implicitly today, but the schema does not declare it: .*, and then loading the `User`'s `Order` rows/ }] },
    { name: 'MySQL with relationMode = "prisma": warning', filename: F, code: `${datasource('mysql', 'prisma')}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
`, errors: [{ severity: 'warning', message: /with `relationMode = "prisma"` the database has no foreign key/, line: 14 }] },
    { name: 'explicit relationMode = "foreignKeys" on MySQL: info', filename: F, code: `${datasource('mysql', 'foreignKeys')}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
`, errors: [{ severity: 'info' }] },
    { name: 'SQLite', filename: F, code: `${datasource('sqlite')}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
`, errors: [{ severity: 'warning', message: /SQLite does not index foreign keys/ }] },
    { name: 'SQL Server', filename: F, code: `${datasource('sqlserver')}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id], onDelete: NoAction, onUpdate: NoAction)
}
`, errors: [{ severity: 'warning', message: /SQL Server does not index foreign keys/ }] },
    { name: 'CockroachDB', filename: F, code: `${datasource('cockroachdb')}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
`, errors: [{ severity: 'warning', message: /CockroachDB does not index foreign keys/ }] },
    { name: 'PostgreSQL with relationMode = "prisma"', filename: F, code: `${datasource('postgresql', 'prisma')}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
`, errors: [{ severity: 'warning', message: /relationMode = "prisma"/ }] },
    { name: 'foreign key only as a non-leading field', filename: F, code: `${PG}${USER}
model Order {
  id        Int      @id
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
  createdAt DateTime

  @@index([createdAt, userId])
}
`, errors: [{ fixes: [{ title: 'Add @@index([userId]) to model Order', output: `${PG}${USER}
model Order {
  id        Int      @id
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
  createdAt DateTime

  @@index([createdAt, userId])
  @@index([userId])
}
` }] }] },
    { name: 'composite foreign key only partly covered', filename: F, code: `${PG}model Tenant {
  orgId  Int
  id     Int
  orders Order[]

  @@id([orgId, id])
}

model Order {
  id       Int    @id
  orgId    Int
  tenantId Int
  tenant   Tenant @relation(fields: [orgId, tenantId], references: [orgId, id])

  @@index([orgId])
}
`, errors: [{ message: /has no index on `orgId`, `tenantId`/, fixes: [{ title: 'Add @@index([orgId, tenantId]) to model Order', output: `${PG}model Tenant {
  orgId  Int
  id     Int
  orders Order[]

  @@id([orgId, id])
}

model Order {
  id       Int    @id
  orgId    Int
  tenantId Int
  tenant   Tenant @relation(fields: [orgId, tenantId], references: [orgId, id])

  @@index([orgId])
  @@index([orgId, tenantId])
}
` }] }] },
    { name: 'two unindexed relations in one model', filename: F, code: `${PG}model Order {
  id    Int         @id
  lines OrderLine[]
}

model Product {
  id    Int         @id
  lines OrderLine[]
}

model OrderLine {
  id        Int     @id
  orderId   Int
  productId Int
  order     Order   @relation(fields: [orderId], references: [id])
  product   Product @relation(fields: [productId], references: [id])
}
`, errors: [
      { line: 19, message: /`OrderLine.order`/, fixes: [{ title: 'Add @@index([orderId]) to model OrderLine', output: `${PG}model Order {
  id    Int         @id
  lines OrderLine[]
}

model Product {
  id    Int         @id
  lines OrderLine[]
}

model OrderLine {
  id        Int     @id
  orderId   Int
  productId Int
  order     Order   @relation(fields: [orderId], references: [id])
  product   Product @relation(fields: [productId], references: [id])

  @@index([orderId])
}
` }] },
      { line: 20, message: /`OrderLine.product`/, fixes: [{ title: 'Add @@index([productId]) to model OrderLine', output: `${PG}model Order {
  id    Int         @id
  lines OrderLine[]
}

model Product {
  id    Int         @id
  lines OrderLine[]
}

model OrderLine {
  id        Int     @id
  orderId   Int
  productId Int
  order     Order   @relation(fields: [orderId], references: [id])
  product   Product @relation(fields: [productId], references: [id])

  @@index([productId])
}
` }] },
    ] },
    { name: 'tab-indented block', filename: F, code: `${PG}model User {
\tid     Int     @id
\torders Order[]
}

model Order {
\tid     Int  @id
\tuserId Int
\tuser   User @relation(fields: [userId], references: [id])
}
`, errors: [{ fixes: [{ title: 'Add @@index([userId]) to model Order', output: `${PG}model User {
\tid     Int     @id
\torders Order[]
}

model Order {
\tid     Int  @id
\tuserId Int
\tuser   User @relation(fields: [userId], references: [id])

\t@@index([userId])
}
` }] }] },
    { name: 'blank line before the closing brace is reused', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

}
`, errors: [{ fixes: [{ title: 'Add @@index([userId]) to model Order', output: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@index([userId])
}
` }] }] },
    { name: 'after @@map', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int  @map("user_id")
  user   User @relation(fields: [userId], references: [id])

  @@map("orders")
}
`, errors: [{ fixes: [{ title: 'Add @@index([userId]) to model Order', output: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int  @map("user_id")
  user   User @relation(fields: [userId], references: [id])

  @@map("orders")
  @@index([userId])
}
` }] }] },
    { name: 'CRLF line endings', filename: F, code: `${PG}${USER}\nmodel Order {\n  id     Int  @id\n  userId Int\n  user   User @relation(fields: [userId], references: [id])\n}\n`.replace(/\n/g, '\r\n'), errors: [{ fixes: [{ title: 'Add @@index([userId]) to model Order', output: `${PG}${USER}\nmodel Order {\n  id     Int  @id\n  userId Int\n  user   User @relation(fields: [userId], references: [id])\n\n  @@index([userId])\n}\n`.replace(/\n/g, '\r\n') }] }] },
    { name: 'multi-file schema: provider from another file', filename: 'prisma/schema/post.prisma', files: {
      'prisma/schema/main.prisma': datasource('sqlite'),
      'prisma/schema/user.prisma': 'model User {\n  id    Int    @id\n  posts Post[]\n}\n',
    }, code: `model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
`, errors: [{ line: 4, severity: 'warning', message: /SQLite/, related: 1, fixes: [{ title: 'Add @@index([authorId]) to model Post', file: 'prisma/schema/post.prisma', output: `model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
` }] }] },
    { name: 'Prisma 6 datasource with url = env(...)', filename: F, code: `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
`, errors: [{ severity: 'warning', message: /PostgreSQL/, fixes: [{ title: 'Add @@index([userId]) to model Order', output: `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@index([userId])
}
` }] }] },
    { name: 'self relation', filename: F, code: `${PG}model Category {
  id       Int        @id
  parentId Int?
  parent   Category?  @relation("Tree", fields: [parentId], references: [id])
  children Category[] @relation("Tree")
}
`, errors: [{ message: /`Category.parent` has no index on `parentId`/, fixes: [{ title: 'Add @@index([parentId]) to model Category', output: `${PG}model Category {
  id       Int        @id
  parentId Int?
  parent   Category?  @relation("Tree", fields: [parentId], references: [id])
  children Category[] @relation("Tree")

  @@index([parentId])
}
` }] }] },
    { name: 'optional relation with referential actions', filename: F, code: `${PG}model User {
  id     Int     @id
  orders Order[]
}

model Order {
  id     Int   @id
  userId Int?
  user   User? @relation(fields: [userId], references: [id], onDelete: SetNull)
}
`, errors: [{ line: 13 }] },
    { name: '@@unique covers another field only', filename: F, code: `${PG}model Order {
  id    Int         @id
  lines OrderLine[]
}

model OrderLine {
  id        Int   @id
  orderId   Int
  productId Int
  order     Order @relation(fields: [orderId], references: [id])

  @@unique([productId, orderId])
}
`, errors: [{ message: /`orderId`/ }] },
    { name: 'suppression for another rule does not apply', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  // perflint-disable-next-line redundant-index
  user   User @relation(fields: [userId], references: [id])
}
`, errors: [{ line: 14 }] },
    { name: 'no datasource yet', filename: F, code: `${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
`, errors: [{ message: /the database does not index foreign keys/ }] },
    { name: 'named relation before fields', filename: F, code: `${PG}model User {
  id      Int    @id
  written Post[] @relation("Author")
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation("Author", fields: [authorId], references: [id])
}
`, errors: [{ column: 45, endColumn: 55 }] },
    { name: 'one relation covered, one not', filename: F, code: `${PG}model Order {
  id    Int         @id
  lines OrderLine[]
}

model Product {
  id    Int         @id
  lines OrderLine[]
}

model OrderLine {
  id        Int     @id
  orderId   Int
  productId Int
  order     Order   @relation(fields: [orderId], references: [id])
  product   Product @relation(fields: [productId], references: [id])

  @@index([orderId])
}
`, errors: [{ message: /`OrderLine.product`/ }] },
    { name: 'unterminated model while typing: reported without a fix', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
`, errors: [{ line: 13, fixes: [] }] },
    { name: 'half-typed field elsewhere in the schema', filename: F, code: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
  note   Stri
}
`, errors: [{ line: 13, fixes: [{ title: 'Add @@index([userId]) to model Order', output: `${PG}${USER}
model Order {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
  note   Stri

  @@index([userId])
}
` }] }] },
    { name: 'MongoDB defaults to relationMode prisma', filename: F, code: `${datasource('mongodb')}model User {
  id     String  @id @default(auto()) @map("_id") @db.ObjectId
  orders Order[]
}

model Order {
  id     String @id @default(auto()) @map("_id") @db.ObjectId
  userId String @db.ObjectId
  user   User   @relation(fields: [userId], references: [id])
}
`, errors: [{ severity: 'warning', message: /relationMode = "prisma"/ }] },
    { name: 'trailing comment on the last attribute line', filename: F, code: `${PG}${USER}
model Order {
  id        Int      @id
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
  createdAt DateTime

  @@index([createdAt]) // reports by day
}
`, errors: [{ fixes: [{ title: 'Add @@index([userId]) to model Order', output: `${PG}${USER}
model Order {
  id        Int      @id
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
  createdAt DateTime

  @@index([createdAt]) // reports by day
  @@index([userId])
}
` }] }] },
  ],
});
