import rule from '../../rules/unindexed-query';
import '../harness/prisma';
import { ruleTester } from '../harness/ruleTester';

const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

enum Role {
  ADMIN
  MEMBER
}

model User {
  id     Int     @id @default(autoincrement())
  email  String  @unique
  name   String
  role   Role
  orders Order[]
}

model Order {
  id        Int      @id @default(autoincrement())
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
  status    String
  total     Int
  createdAt DateTime @default(now())

  @@index([userId, createdAt])
}

model OrderLine {
  id        Int    @id
  orderId   Int
  productId Int
  sku       String

  @@unique([orderId, productId])
}
`;
const S = 'prisma/schema.prisma';
const MEMBERS = `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel Member {\n  id       Int     @id\n  teamId   Int\n  active   Boolean\n  verified Boolean @default(false)\n}\n`;
const files = { [S]: SCHEMA };
const CLIENT = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

/** The schema with one more block attribute in a model (the expected fix output). */
function withIndex(model: 'Order' | 'User' | 'OrderLine', attribute: string): string {
  if (model === 'Order') return SCHEMA.replace('  @@index([userId, createdAt])\n', `  @@index([userId, createdAt])\n  ${attribute}\n`);
  if (model === 'OrderLine') return SCHEMA.replace('  @@unique([orderId, productId])\n', `  @@unique([orderId, productId])\n  ${attribute}\n`);
  return SCHEMA.replace('  orders Order[]\n}', `  orders Order[]\n\n  ${attribute}\n}`);
}

ruleTester(rule, {
  valid: [
    { name: 'a Boolean alone: two values, each shared by many rows, no index would be used', files: { [S]: MEMBERS }, code: `${CLIENT}export const x = () => prisma.member.findMany({ where: { active: true, verified: true }, take: 50 });\n` },
    { files, code: `${CLIENT}export const byUser = (userId: number) => prisma.order.findMany({ where: { userId }, take: 20 });\n` },
    { name: 'id', files, code: `${CLIENT}export const one = (id: number) => prisma.order.findFirst({ where: { id } });\n` },
    { name: 'unique email', files, code: `${CLIENT}export const byEmail = (email: string) => prisma.user.findFirst({ where: { email } });\n` },
    { name: 'range filter only (no equality)', files, code: `${CLIENT}export const big = () => prisma.order.findMany({ where: { total: { gt: 100 } }, take: 10 });\n` },
    { name: 'spread: the filter may carry an indexed field', files, code: `${CLIENT}export const search = (extra: object) => prisma.order.findMany({ where: { status: 'open', ...extra }, take: 10 });\n` },
    { name: 'OR branches are not equality prefixes', files, code: `${CLIENT}export const any = () => prisma.order.findMany({ where: { OR: [{ status: 'open' }, { status: 'new' }] }, take: 10 });\n` },
    { name: 'findUnique is always indexed', files, code: `${CLIENT}export const one = (id: number) => prisma.order.findUnique({ where: { id } });\n` },
    { name: 'not a Prisma client', files, code: `const repo = { order: { findMany: (args: unknown) => [args] } };\nexport const x = () => repo.order.findMany({ where: { status: 'open' } });\n` },
    { name: 'model not in the schema', files, code: `${CLIENT}export const x = () => (prisma as any).invoice.findMany({ where: { status: 'open' } });\n` },
    { name: 'AND with an indexed field', files, code: `${CLIENT}export const x = (userId: number) => prisma.order.findMany({ where: { AND: [{ userId }, { status: 'open' }] }, take: 5 });\n` },
    { name: 'relation filter', files, code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { user: { email: 'a@b.c' } }, take: 5 });\n` },
    { name: 'leading field of a compound unique', files, code: `${CLIENT}export const x = (orderId: number) => prisma.orderLine.findMany({ where: { orderId } });\n` },
    { name: 'undefined filter value is ignored by Prisma', files, code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { status: undefined }, take: 5 });\n` },
    { name: 'no schema in the workspace', code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { status: 'open' }, take: 5 });\n` },
    { name: 'where is a parameter (unknown shape)', files, code: `${CLIENT}export const x = (where: { status: string }) => prisma.order.findMany({ where, take: 5 });\n` },
    { name: 'suppressed', files, code: `${CLIENT}export const x = () => prisma.order.findMany({\n  // perflint-disable-next-line unindexed-query -- admin report, 200 rows\n  where: { status: 'open' },\n  take: 5,\n});\n` },
    { name: 'create is not a filter', files, code: `${CLIENT}export const x = () => prisma.order.create({ data: { status: 'open', total: 1, userId: 1 } });\n` },
    { name: 'a Map named like a delegate', files, code: `const cache = new Map<string, unknown>();\nexport const x = () => (cache as any).order.findMany({ where: { status: 'open' } });\n` },
    { name: 'compound unique selector', files, code: `${CLIENT}export const x = () => prisma.orderLine.findFirst({ where: { orderId_productId: { orderId: 1, productId: 2 }, sku: 'x' } });\n` },
    { name: 'conditional operator object', files, code: `${CLIENT}export const x = (q?: string) => prisma.order.findMany({ where: { status: q ? { contains: q } : undefined }, take: 5 });\n` },
    { name: 'optional value with a fallback to undefined', files, code: `${CLIENT}export const x = (s?: string) => prisma.order.findMany({ where: { status: s ?? undefined }, take: 5 });\n` },
    { name: 'soft-delete filter alone (`null` matches most rows)', files, code: `${CLIENT}export const x = () => prisma.order.count({ where: { status: null as any } });\n` },
    { name: 'seed script next to the schema', files, filename: 'prisma/seed.ts', code: `${CLIENT}export const x = () => prisma.order.findFirst({ where: { status: 'open' } });\n` },
    { name: 'one-off script', files, filename: 'scripts/backfill.ts', code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { status: 'open' }, take: 5 });\n` },
    { name: 'test file', files, filename: 'src/orders.test.ts', code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { status: 'open' }, take: 5 });\n` },
    { name: 'computed key', files, code: `${CLIENT}const key = 'status';\nexport const x = () => prisma.order.findMany({ where: { [key]: 'open' }, take: 5 });\n` },
  ],
  invalid: [
    { name: 'a Boolean next to a selective field: the index is on the selective one', files: { [S]: MEMBERS }, code: `${CLIENT}export const x = (teamId: number) => prisma.member.findMany({ where: { teamId, active: true }, take: 50 });\n`, errors: [{ message: /filters `Member` by `teamId`, but/ }] },
    { files, code: `${CLIENT}export const open = () => prisma.order.findMany({ where: { status: 'open' }, take: 20 });\n`, errors: [{
      line: 3, column: 51, endColumn: 76, severity: 'warning', related: 1,
      message: '`prisma.order.findMany` filters `Order` by `status`, but no index, unique or id of `Order` starts with it: the database reads every `Order` row to answer it (@@index([status]) in prisma/schema.prisma would make it an index lookup).',
      fixes: [{ title: 'Add @@index([status]) to model Order in prisma/schema.prisma', file: S, output: withIndex('Order', '@@index([status])') }],
    }] },
    { name: 'equality then order-by field', files, code: `${CLIENT}export const open = () =>\n  prisma.order.findMany({ where: { status: 'open' }, orderBy: { createdAt: 'desc' }, take: 20 });\n`, errors: [{
      message: /filters `Order` by `status` and sorts by `createdAt`/,
      fixes: [{ title: 'Add @@index([status, createdAt]) to model Order in prisma/schema.prisma', file: S, output: withIndex('Order', '@@index([status, createdAt])') }],
    }] },
    { name: 'equals operator', files, code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { status: { equals: 'open' } }, take: 5 });\n`, errors: [{ fixes: [{ title: /@@index\(\[status\]\)/, file: S, output: withIndex('Order', '@@index([status])') }] }] },
    { name: 'in operator', files, code: `${CLIENT}export const x = (s: string[]) => prisma.order.findMany({ where: { status: { in: s } }, take: 5 });\n`, errors: [{ message: /by `status`/ }] },
    { name: 'count', files, code: `${CLIENT}export const x = () => prisma.order.count({ where: { status: 'open' } });\n`, errors: [{ message: /^`prisma.order.count` filters/ }] },
    { name: 'deleteMany', files, code: `${CLIENT}export const x = () => prisma.order.deleteMany({ where: { status: 'cancelled' } });\n`, errors: [{ message: /^`prisma.order.deleteMany`/ }] },
    { name: 'updateMany', files, code: `${CLIENT}export const x = () => prisma.order.updateMany({ where: { status: 'new' }, data: { status: 'open' } });\n`, errors: [{ message: /^`prisma.order.updateMany`/ }] },
    { name: 'groupBy', files, code: `${CLIENT}export const x = () => prisma.order.groupBy({ by: ['userId'], where: { status: 'open' }, _sum: { total: true } });\n`, errors: [{ message: /^`prisma.order.groupBy`/ }] },
    { name: 'aggregate', files, code: `${CLIENT}export const x = () => prisma.order.aggregate({ where: { status: 'open' }, _sum: { total: true } });\n`, errors: [{ message: /^`prisma.order.aggregate`/ }] },
    { name: 'findFirst', files, code: `${CLIENT}export const x = () => prisma.order.findFirst({ where: { status: 'open' } });\n`, errors: [{ message: /^`prisma.order.findFirst`/ }] },
    { name: 'findFirstOrThrow', files, code: `${CLIENT}export const x = () => prisma.order.findFirstOrThrow({ where: { status: 'open' } });\n`, errors: [{ message: /^`prisma.order.findFirstOrThrow`/ }] },
    { name: 'client imported from a workspace module', files: { ...files, 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` }, code: `import { prisma } from './db';\nexport const x = () => prisma.order.findMany({ where: { status: 'open' }, take: 5 });\n`, errors: [{ severity: 'warning', fixes: [{ title: /@@index\(\[status\]\)/, file: S, output: withIndex('Order', '@@index([status])') }] }] },
    { name: 'default-exported client', files: { ...files, 'src/lib/prisma.ts': `import { PrismaClient } from '@prisma/client';\nconst client = new PrismaClient();\nexport default client;\n` }, code: `import db from './lib/prisma';\nexport const x = () => db.order.findMany({ where: { status: 'open' }, take: 5 });\n`, errors: [{ severity: 'warning', message: /^`db.order.findMany`/ }] },
    { name: 'globalThis-cached client', files: { ...files, 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nconst globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };\nexport const prisma = globalForPrisma.prisma ?? new PrismaClient();\nif (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;\n` }, code: `import { prisma } from './db';\nexport const x = () => prisma.order.findMany({ where: { status: 'open' }, take: 5 });\n`, errors: [{ severity: 'warning' }] },
    { name: '$extends client', files, code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient().$extends({});\nexport const x = () => prisma.order.findMany({ where: { status: 'open' }, take: 5 });\n`, errors: [{ severity: 'warning' }] },
    { name: 'tx in $transaction', files, code: `${CLIENT}export const x = () => prisma.$transaction(async (tx) => tx.order.findMany({ where: { status: 'open' }, take: 5 }));\n`, errors: [{ message: /^`tx.order.findMany`/, severity: 'warning' }] },
    { name: 'NestJS service with a typed constructor parameter', files: { ...files, 'src/prisma.service.ts': `import { PrismaClient } from '@prisma/client';\nexport class PrismaService extends PrismaClient {}\n` }, code: `import { PrismaService } from './prisma.service';\nexport class OrdersService {\n  constructor(private readonly prisma: PrismaService) {}\n  open() {\n    return this.prisma.order.findMany({ where: { status: 'open' }, take: 5 });\n  }\n}\n`, errors: [{ line: 5, severity: 'warning', message: /^`this.prisma.order.findMany`/ }] },
    { name: 'tRPC-style context client', files, code: `export const x = (ctx: any) => ctx.prisma.order.findMany({ where: { status: 'open' }, take: 5 });\n`, errors: [{ severity: 'warning' }] },
    { name: 'client recognised by name only: demoted', files, code: `import type { PrismaClient } from '@prisma/client';\nexport class Orders {\n  declare client: PrismaClient;\n  open(this: any) {\n    return this.prisma.order.findMany({ where: { status: 'open' }, take: 5 });\n  }\n}\n`, errors: [{ severity: 'info', message: /\(The receiver is recognised by its name only\.\)$/ }] },
    { name: 'where from a const in the same file', files, code: `${CLIENT}const openOrders = { status: 'open' };\nexport const x = () => prisma.order.findMany({ where: openOrders, take: 5 });\n`, errors: [{ line: 4, message: /by `status`/ }] },
    { name: 'AND list without an indexed field', files, code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { AND: [{ status: 'open' }, { total: 5 }] }, take: 5 });\n`, errors: [{ message: /by `status`, `total`, but no index, unique or id of `Order` starts with any of them/, fixes: [{ title: /@@index\(\[status, total\]\)/, file: S, output: withIndex('Order', '@@index([status, total])') }] }] },
    { name: 'second field of a compound unique', files, code: `${CLIENT}export const x = (productId: number) => prisma.orderLine.findMany({ where: { productId }, take: 5 });\n`, errors: [{ fixes: [{ title: 'Add @@index([productId]) to model OrderLine in prisma/schema.prisma', file: S, output: withIndex('OrderLine', '@@index([productId])') }] }] },
    { name: 'model without block attributes: blank line then the index', files, code: `${CLIENT}export const x = (name: string) => prisma.user.findMany({ where: { name }, take: 5 });\n`, errors: [{ fixes: [{ title: 'Add @@index([name]) to model User in prisma/schema.prisma', file: S, output: withIndex('User', '@@index([name])') }] }] },
    { name: 'enum field', files, code: `${CLIENT}export const admins = () => prisma.user.findMany({ where: { role: 'ADMIN' }, take: 50 });\n`, errors: [{ fixes: [{ title: /@@index\(\[role\]\)/, file: S, output: withIndex('User', '@@index([role])') }] }] },
    { name: 'two equality fields and a multi-key orderBy', files, code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { status: 'open', total: 0 }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: 5 });\n`, errors: [{ fixes: [{ title: /@@index\(\[status, total, createdAt, id\]\)/, file: S, output: withIndex('Order', '@@index([status, total, createdAt, id])') }] }] },
    { name: 'a foreign key without an index of its own goes first, so the one index also serves the relation', files: {
      [S]: 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id     Int     @id\n  tokens Token[]\n}\n\nmodel Token {\n  id     Int    @id\n  type   String\n  userId Int\n  user   User   @relation(fields: [userId], references: [id])\n}\n',
    }, code: `${CLIENT}export const x = (userId: number) => prisma.token.findMany({ where: { type: 'reset', userId }, take: 5 });\n`, errors: [{ message: /filters `Token` by `type`, `userId`/, fixes: [{ title: /@@index\(\[userId, type\]\)/, file: S }] }] },
    { name: 'null equality next to a real filter', files, code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { status: 'open', total: null } as any, take: 5 });\n`, errors: [{ message: /by `status`, but/ }] },
    { name: 'conditional between two values', files, code: `${CLIENT}export const x = (paid: boolean) => prisma.order.findMany({ where: { status: paid ? 'paid' : 'open' }, take: 5 });\n`, errors: [{ message: /by `status`/ }] },
    { name: 'string-literal key', files, code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { 'status': 'open' }, take: 5 });\n`, errors: [{ message: /by `status`/ }] },
    { name: 'equality and a range', files, code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { status: 'open', total: { gte: 100 } }, take: 5 });\n`, errors: [{ message: /by `status`, but/ }] },
    { name: 'multi-file schema: the fix edits the model\'s file', files: {
      'prisma/schema/main.prisma': 'datasource db {\n  provider = "postgresql"\n}\n',
      'prisma/schema/order.prisma': 'model Order {\n  id     Int    @id\n  status String\n}\n',
    }, code: `${CLIENT}export const x = () => prisma.order.findMany({ where: { status: 'open' }, take: 5 });\n`, errors: [{ related: 1, fixes: [{ title: 'Add @@index([status]) to model Order in prisma/schema/order.prisma', file: 'prisma/schema/order.prisma', output: 'model Order {\n  id     Int    @id\n  status String\n\n  @@index([status])\n}\n' }] }] },
    { name: 'Prisma 7 schema (no url, prisma-client generator)', files: {
      [S]: 'datasource db {\n  provider = "postgresql"\n}\n\ngenerator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\n\nmodel Ticket {\n  id    Int    @id\n  state String\n}\n',
    }, code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient({} as any);\nexport const x = () => prisma.ticket.findMany({ where: { state: 'open' }, take: 5 });\n`, errors: [{ fixes: [{ title: /@@index\(\[state\]\)/, file: S, output: 'datasource db {\n  provider = "postgresql"\n}\n\ngenerator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\n\nmodel Ticket {\n  id    Int    @id\n  state String\n\n  @@index([state])\n}\n' }] }] },
    { name: 'schema folder named by prisma.config.ts (read statically)', files: {
      'prisma.config.ts': `import { defineConfig } from 'prisma/config';\nexport default defineConfig({ schema: 'db/models' });\n`,
      'db/models/main.prisma': 'datasource db {\n  provider = "postgresql"\n}\n',
      'db/models/ticket.prisma': 'model Ticket {\n  id    Int    @id\n  state String\n}\n',
    }, code: `${CLIENT}export const x = () => prisma.ticket.count({ where: { state: 'open' } });\n`, errors: [{ fixes: [{ title: 'Add @@index([state]) to model Ticket in db/models/ticket.prisma', file: 'db/models/ticket.prisma', output: 'model Ticket {\n  id    Int    @id\n  state String\n\n  @@index([state])\n}\n' }] }] },
    { name: 'two queries, two findings', files, code: `${CLIENT}export const a = () => prisma.order.findMany({ where: { status: 'open' }, take: 5 });\nexport const b = () => prisma.order.count({ where: { total: 0 } });\n`, errors: [{ line: 3 }, { line: 4, message: /by `total`/ }] },
    { name: 'inside a loop body', files, code: `${CLIENT}export async function x(states: string[]) {\n  for (const s of states) {\n    await prisma.order.findMany({ where: { status: s }, take: 5 });\n  }\n}\n`, errors: [{ line: 5 }] },
  ],
});
