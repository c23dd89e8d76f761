import rule from '../../rules/uncapped-page-size';
import { ruleTester } from '../harness/ruleTester';

const MSG = /is a page size without a maximum/;
const USE = /is set from request input/;
const SCHEMAS = { 'src/schemas.ts': `import { z } from 'zod';\nexport const listPostsInput = z.object({ cursor: z.string().optional(), limit: z.number().int().default(20) });\nexport const cappedInput = z.object({ cursor: z.string().optional(), limit: z.number().int().max(50).default(20) });\n` };

ruleTester(rule, {
  valid: [
    // a helper that caps what it reads, or that is given no request
    `import type { Request } from 'express';\nfunction getPerPage(req: Request): number {\n  return Math.min(parseInt(req.query.per_page as string) || 15, 100);\n}\nexport async function listArticles(req: Request, repo: any) {\n  return repo.find({ take: getPerPage(req) });\n}\n`,
    `function sizeOf(req: { query: { size?: string } }): number {\n  return Number(req.query.size);\n}\nexport async function preview(repo: any) {\n  return repo.find({ take: sizeOf({ query: { size: '5' } }) });\n}\n`,
    // GraphQL arguments capped, or values that are not the client's arguments
    `export const resolvers = {\n  Query: {\n    posts: (_parent: unknown, args: { first?: number }, ctx: any) => ctx.db.post.findMany({ take: Math.min(args.first ?? 20, 100) }),\n  },\n};\n`,
    `export const resolvers = {\n  Query: {\n    posts: (_parent: unknown, { first = 20 }: { first?: number }, ctx: any) => {\n      if (first > 100) throw new Error('first must be at most 100');\n      return ctx.db.post.findMany({ take: first });\n    },\n  },\n};\n`,
    // the first parameter is the parent object, not input
    `export const resolvers = {\n  Author: {\n    posts: (author: { id: string; pageSize: number }, _args: unknown, ctx: any) => ctx.db.post.findMany({ where: { authorId: author.id }, take: author.pageSize }),\n  },\n};\n`,
    // an object with a Query key that is not held as resolvers
    `export const handlers = {\n  Query: {\n    list: (_: unknown, options: { n: number }, db: any) => db.post.findMany({ take: options.n }),\n  },\n};\n`,
    // Pothos prismaField: the second parameter is the root
    `export const feed = (t: any, prisma: any) => t.prismaField({ type: ['Post'], args: {}, resolve: (query: object, root: { max: number }) => prisma.post.findMany({ ...query, take: root.max }) });\n`,
    // NestJS @Args() typed with an ArgsType class: its fields are validated (or reported) on the class
    `import { Args } from '@nestjs/graphql';\nimport { PaginationArgs } from './pagination.args';\nexport class PostsResolver {\n  constructor(private readonly prisma: any) {}\n  posts(@Args() pagination: PaginationArgs) {\n    return this.prisma.post.findMany({ take: pagination.first });\n  }\n}\n`,
    {
      name: "a client SDK's options schema, used only as a type here and by its importer, validates no request",
      files: {
        'src/client.ts': `import type { ListWidgetsOptions } from './schemas';\nexport async function listWidgets(base: string, options?: ListWidgetsOptions) {\n  const params = new URLSearchParams();\n  if (options?.perPage) params.set('perPage', String(options.perPage));\n  return (await fetch(\`\${base}/widgets?\${params}\`)).json();\n}\n`,
      },
      filename: 'src/schemas.ts',
      code: `import { z } from 'zod';\nexport const ListWidgetsOptions = z.object({ page: z.number().optional(), perPage: z.number().optional() });\nexport type ListWidgetsOptions = z.infer<typeof ListWidgetsOptions>;\n`,
    },
    // zod with a cap
    `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.coerce.number().int().positive().max(100).default(20) });`,
    `import { z } from 'zod';\nexport const q = z.object({ pageSize: z.number().lte(50) });`,
    `import { z } from 'zod';\nexport const q = z.object({ take: z.number().int().lt(101).optional() });`,
    `import * as z from 'zod/v4';\nexport const listQuery = z.object({ limit: z.coerce.number().min(1).max(100) });`,
    // custom refinement may bound the value: not flagged
    `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.number().refine((n) => n <= 100) });`,
    // string transformed then piped into a capped number
    `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.string().transform(Number).pipe(z.number().max(100)) });`,
    // a bounded number of digits is a cap
    `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.string().max(3).transform(Number) });`,
    // `limit` alone in a schema that is not named like a list request (a budget, a quota)
    `import { z } from 'zod';\nexport const UpdateCampaignBudget = z.object({ limit: z.number().nullish() }).strict();`,
    // `limit` as a usage limit / budget in a create body: not a page size
    `import { z } from 'zod';\nexport const CreatePromotion = z.object({ code: z.string(), status: z.string(), limit: z.number().int().min(1).nullable().optional() });`,
    `import { z } from 'zod';\nconst CreateCampaignBudget = z.object({ type: z.string(), limit: z.number().nullish(), currency_code: z.string() });\nexport { CreateCampaignBudget };`,
    // a package whose name merely contains zod is not zod
    `import { z } from 'zod-form-data';\nexport const listQuery = z.object({ limit: z.number() });`,
    // z not from zod: not recognised
    `const z = { object: (x: unknown) => x, number: () => ({ int: () => 1 }) };\nexport const listQuery = z.object({ limit: z.number() });`,
    // not a page-size name
    `import { z } from 'zod';\nexport const q = z.object({ price: z.number(), age: z.coerce.number() });`,
    // weak names without paging siblings (a product's size, a count)
    `import { z } from 'zod';\nexport const product = z.object({ name: z.string(), size: z.number().int(), count: z.number() });`,
    // response envelope echoes the limit
    `import { z } from 'zod';\nexport const page = z.object({ items: z.array(z.string()), total: z.number(), limit: z.number() });`,
    // rate-limit config
    `import { z } from 'zod';\nexport const rate = z.object({ limit: z.number(), windowMs: z.number() });`,
    // enum of allowed sizes
    `import { z } from 'zod';\nexport const q = z.object({ pageSize: z.enum(['10', '20', '50']) });`,
    // valibot capped
    `import * as v from 'valibot';\nexport const listQuery = v.object({ limit: v.pipe(v.number(), v.integer(), v.maxValue(100)) });`,
    `import { object, pipe, string, transform, maxValue } from 'valibot';\nexport const listQuery = object({ limit: pipe(string(), transform(Number), maxValue(50)) });`,
    // yup capped
    `import * as yup from 'yup';\nexport const listQuery = yup.object({ limit: yup.number().integer().min(1).max(100) });`,
    `import { number, object } from 'yup';\nexport const q = object({ perPage: number().lessThan(101) });`,
    // class-validator with @Max
    `import { IsInt, Max, Min } from 'class-validator';\nexport class ListDto {\n  @IsInt() @Min(1) @Max(100)\n  limit = 20;\n}`,
    // class-validator with a custom decorator (unknown: not flagged)
    `import { IsInt } from 'class-validator';\nimport { IsPageSize } from './validators';\nexport class ListDto {\n  @IsInt() @IsPageSize()\n  limit!: number;\n}`,
    // @Transform clamps
    `import { IsInt } from 'class-validator';\nimport { Transform } from 'class-transformer';\nexport class ListDto {\n  @IsInt() @Transform(({ value }) => Math.min(Number(value), 100))\n  take!: number;\n}`,
    // no numeric validator at all
    `import { IsOptional } from 'class-validator';\nexport class ListDto {\n  @IsOptional()\n  limit?: string;\n}`,
    // test files serve no requests: their schemas are test inputs
    { filename: 'src/orders.test.ts', code: `import { z } from 'zod';\nexport const listQuery = z.object({ cursor: z.string(), limit: z.number().int() });` },
    { filename: 'test/routes/list.ts', code: `import { z } from 'zod';\nexport const listQuery = z.object({ cursor: z.string(), limit: z.number().int() });` },
    { filename: 'src/__tests__/handler.ts', code: `export async function handler(req: any, prisma: any) {\n  return prisma.order.findMany({ take: Number(req.query.limit) });\n}` },
    // JSON schema with maximum
    `export const schema = { querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } } } };`,
    // JSON-schema-like object outside "properties"
    `export const config = { limit: { type: 'integer' } };`,
    // TypeBox with maximum
    `import { Type } from '@sinclair/typebox';\nexport const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) });`,
    // request input already capped
    `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(req: { query: { limit?: string } }) {\n  return prisma.user.findMany({ take: Math.min(Number(req.query.limit) || 20, 100) });\n}`,
    `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(req: { query: { limit?: string } }) {\n  return prisma.user.findMany({ take: Math.min(Number(req.query.limit) || 20, 100) + 1 });\n}\nfunction pageWindow(req: { query: { page?: string } }) {\n  return { skip: Number(req.query.page) * 20, take: 20 };\n}\nexport function page(req: { query: { page?: string } }) {\n  const { skip, take } = pageWindow(req);\n  return prisma.user.findMany({ skip, take });\n}`,
    `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(req: { body: { pagination: { perPage: number } } }) {\n  const { perPage } = req.body.pagination;\n  return prisma.user.findMany({ take: Math.min(perPage, 100) });\n}`,
    // checked with a comparison
    `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(req: { query: { limit?: string } }) {\n  const limit = Number(req.query.limit ?? 20);\n  if (limit > 100) throw new Error('too big');\n  return prisma.user.findMany({ take: limit });\n}`,
    // take from a constant
    `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list() {\n  return prisma.user.findMany({ take: 20 });\n}`,
    // limit from a function parameter (not request input)
    `export function list(db: any, limit: number) {\n  return db.select().from('users').limit(limit);\n}`,
    // NestJS DTO-typed @Query: validated by the DTO
    `import { Controller, Get, Query } from '@nestjs/common';\nimport { ListDto } from './list.dto';\n@Controller('users')\nexport class UsersController {\n  constructor(private readonly repo: any) {}\n  @Get()\n  list(@Query() query: ListDto) {\n    return this.repo.find({ take: query.limit });\n  }\n}`,
    // the same DTO with @Max
    { code: `import { Controller, Get, Query } from '@nestjs/common';\nimport { ListOrdersDto } from './list-orders.dto';\n@Controller('orders')\nexport class OrdersController {\n  constructor(private readonly repo: any) {}\n  @Get()\n  list(@Query() query: ListOrdersDto) {\n    return this.repo.find({ take: query.pageSize });\n  }\n}\n`, files: { 'src/list-orders.dto.ts': `import { IsInt, Max, Min } from 'class-validator';\nexport class ListOrdersDto {\n  @IsInt() @Min(1) @Max(100)\n  pageSize = 20;\n}\n` } },
    // request input used for something other than a list bound
    `export function handler(req: { query: { limit: string } }) {\n  return { echo: Number(req.query.limit) };\n}`,
    // cross-file schema with a cap
    { code: `import { PrismaClient } from '@prisma/client';\nimport { cappedInput } from './schemas';\ndeclare const publicProcedure: any;\nconst prisma = new PrismaClient();\nexport const list = publicProcedure.input(cappedInput).query(({ input }: any) => prisma.post.findMany({ take: input.limit }));\n`, files: SCHEMAS },
    // a configured name list that excludes limit
    { code: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.number() });`, settings: { pageSizeNames: ['pageSize'] } },
  ],
  invalid: [
    {
      name: 'a page size read in a conditional: limit ? parseInt(limit, 10) : 20',
      code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(req: { query: { limit?: string } }) {\n  const limit = req.query.limit;\n  return prisma.user.findMany({ take: limit ? parseInt(limit, 10) : 20 });\n}\n`,
      errors: [{ message: /^`take` is set from request input/ }],
    },
    {
      name: 'a page size returned by a helper as a property of an object, and arithmetic on request input',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
type Req = { query: { page?: string; perPage?: string } };
function pageWindow(req: Req) {
  const perPage = Number(req.query.perPage);
  return { skip: 0, take: perPage };
}
export async function list(req: Req) {
  const { skip, take } = pageWindow(req);
  return prisma.order.findMany({ skip, take });
}
export async function range(req: Req) {
  const page = Number(req.query.page);
  const perPage = Number(req.query.perPage);
  const first = (page - 1) * perPage;
  const last = page * perPage - 1;
  return prisma.order.findMany({ skip: first, take: last - first + 1 });
}
`,
      errors: [
        { line: 10, message: /^`take` is set from request input `req\.query\.perPage`/ },
        { line: 17, message: /^`take` is set from request input `req\.query\.perPage`/ },
      ],
    },
    {
      name: 'a page size read from an object inside the request body (react-admin data provider: req.body.pagination)',
      code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function listOrders(req: { body: { pagination: { page: number; perPage: number } } }) {\n  const { page, perPage } = req.body.pagination;\n  return prisma.order.findMany({ skip: (page - 1) * perPage, take: perPage });\n}\n`,
      errors: [{ message: /^`take` is set from request input `req\.body\.pagination` with no upper bound/ }],
    },
    {
      name: 'a schema used as a type and also to parse a request is a validator',
      files: {
        'src/route.ts': `import { ListQuery } from './schemas';\nexport function handler(req: { query: unknown }) {\n  const query: ListQuery = ListQuery.parse(req.query);\n  return query;\n}\n`,
      },
      filename: 'src/schemas.ts',
      code: `import { z } from 'zod';\nexport const ListQuery = z.object({ page: z.number().optional(), perPage: z.number().optional() });\nexport type ListQuery = z.infer<typeof ListQuery>;\n`,
      errors: [{ message: /^`perPage` is a page size without a maximum/ }],
    },
    {
      code: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.coerce.number().int().positive().default(20) });`,
      errors: [{ message: MSG, line: 2, column: 37, endColumn: 42, fixes: [{ title: 'Add `.max(100)`', output: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.coerce.number().int().positive().max(100).default(20) });` }] }],
    },
    {
      name: 'z.number() bare',
      code: `import { z } from 'zod';\nexport const q = z.object({ take: z.number() });`,
      errors: [{ message: /`take` is a page size without a maximum: `z.number\(\)` accepts any value/, fixes: [{ title: 'Add `.max(100)`', output: `import { z } from 'zod';\nexport const q = z.object({ take: z.number().max(100) });` }] }],
    },
    {
      name: 'zod/v4 namespace import, optional wrapper',
      code: `import * as z from 'zod/v4';\nexport const q = z.object({ pageSize: z.int().min(1).optional() });`,
      errors: [{ fixes: [{ title: 'Add `.max(100)`', output: `import * as z from 'zod/v4';\nexport const q = z.object({ pageSize: z.int().min(1).max(100).optional() });` }] }],
    },
    {
      name: 'string transformed to number',
      code: `import { z } from 'zod';\nexport const q = z.object({ per_page: z.string().regex(/^\\d+$/).transform(Number).optional() });`,
      errors: [{ fixes: [{ title: 'Add `.pipe(z.number().max(100))`', output: `import { z } from 'zod';\nexport const q = z.object({ per_page: z.string().regex(/^\\d+$/).transform(Number).pipe(z.number().max(100)).optional() });` }] }],
    },
    {
      name: 'default larger than the page size keeps the default valid',
      code: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.number().default(250) });`,
      errors: [{ fixes: [{ title: 'Add `.max(250)`', output: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.number().max(250).default(250) });` }] }],
    },
    {
      name: 'configured page size',
      code: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.number() });`,
      settings: { defaultPageSize: 50 },
      errors: [{ fixes: [{ title: 'Add `.max(50)`', output: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.number().max(50) });` }] }],
    },
    {
      name: 'preprocess',
      code: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.preprocess((v) => Number(v), z.number().int()) });`,
      errors: [{ fixes: [{ title: 'Add `.max(100)`', output: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.preprocess((v) => Number(v), z.number().int().max(100)) });` }] }],
    },
    {
      name: 'pipe into an uncapped number',
      code: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.string().pipe(z.coerce.number()) });`,
      errors: [{ fixes: [{ title: 'Add `.max(100)`', output: `import { z } from 'zod';\nexport const listQuery = z.object({ limit: z.string().pipe(z.coerce.number().max(100)) });` }] }],
    },
    {
      name: 'weak names with paging siblings; tRPC input',
      code: `import { z } from 'zod';\nexport const input = z.object({ first: z.number().int(), after: z.string().optional() });`,
      errors: [{ message: /`first`/ }],
    },
    {
      name: 'configured name',
      code: `import { z } from 'zod';\nexport const q = z.object({ rows: z.number() });`,
      settings: { pageSizeNames: ['rows'] },
      errors: [{ message: /`rows`/ }],
    },
    {
      name: 'two fields, multi-line object',
      code: `import { z } from 'zod';\nexport const q = z.object({\n  page: z.coerce.number().default(1),\n  pageSize: z.coerce.number().default(20),\n  size: z.coerce.number(),\n});`,
      errors: [{ line: 4 }, { line: 5 }],
    },
    {
      name: '@hono/zod-openapi re-exports z',
      code: `import { z } from '@hono/zod-openapi';\nexport const listQuery = z.object({ limit: z.coerce.number().openapi({ example: 20 }) });`,
      errors: [{ fixes: [{ title: 'Add `.max(100)`', output: `import { z } from '@hono/zod-openapi';\nexport const listQuery = z.object({ limit: z.coerce.number().max(100).openapi({ example: 20 }) });` }] }],
    },
    {
      name: 'CommonJS zod',
      filename: 'src/case.js',
      code: `const zod_1 = require("zod");\nexports.listQuery = zod_1.z.object({ limit: zod_1.z.number().int() });`,
      errors: [{ fixes: [{ title: 'Add `.max(100)`', output: `const zod_1 = require("zod");\nexports.listQuery = zod_1.z.object({ limit: zod_1.z.number().int().max(100) });` }] }],
    },
    {
      name: 'zod re-exported by a framework subpath (CommonJS, preprocess)',
      filename: 'src/case.js',
      code: `const zod_1 = require("@medusajs/framework/zod");\nexports.P = zod_1.z.object({ offset: zod_1.z.preprocess((v) => parseInt(v), zod_1.z.number().optional().default(0)), limit: zod_1.z.preprocess((v) => parseInt(v), zod_1.z.number().optional().default(20)) });`,
      errors: [{ fixes: [{ title: 'Add `.max(100)`', output: `const zod_1 = require("@medusajs/framework/zod");\nexports.P = zod_1.z.object({ offset: zod_1.z.preprocess((v) => parseInt(v), zod_1.z.number().optional().default(0)), limit: zod_1.z.preprocess((v) => parseInt(v), zod_1.z.number().max(100).optional().default(20)) });` }] }],
    },
    {
      name: '`limit` in a schema named like a list query',
      code: `import { z } from 'zod';\nexport const ListOrdersQuery = z.object({ status: z.string().optional(), limit: z.coerce.number().int() });`,
      errors: [{ message: /`limit`/ }],
    },
    {
      name: '`limit` in a tRPC input',
      code: `import { z } from 'zod';\ndeclare const publicProcedure: any;\nexport const byUser = publicProcedure.input(z.object({ userId: z.string(), limit: z.number().int() })).query(() => []);`,
      errors: [{ message: /`limit`/ }],
    },
    {
      name: 'tRPC input from a schema in another module: reported at the use',
      code: `import { PrismaClient } from '@prisma/client';\nimport { listPostsInput } from './schemas';\ndeclare const publicProcedure: any;\nconst prisma = new PrismaClient();\nexport const list = publicProcedure.input(listPostsInput).query(({ input }: any) => prisma.post.findMany({ take: input.limit }));\n`,
      files: SCHEMAS,
      errors: [{ message: /`take` is set from `input.limit`, whose schema field `limit` \(src\/schemas.ts\) has no maximum/, related: 1, fixes: [{ title: 'Cap with `Math.min(…, 100)`', output: `import { PrismaClient } from '@prisma/client';\nimport { listPostsInput } from './schemas';\ndeclare const publicProcedure: any;\nconst prisma = new PrismaClient();\nexport const list = publicProcedure.input(listPostsInput).query(({ input }: any) => prisma.post.findMany({ take: Math.min(input.limit, 100) }));\n` }] }],
    },
    {
      name: 'schema.parse(req.query) with the schema imported; Drizzle .limit()',
      code: `import { listPostsInput } from './schemas';\nexport async function list(req: any, db: any) {\n  const { limit } = listPostsInput.parse(req.query);\n  return db.select().from('posts').limit(limit);\n}\n`,
      files: SCHEMAS,
      errors: [{ message: /`.limit\(\)` is set from `limit`/, related: 1 }],
    },
    {
      name: 'same-file schema: reported once, at the schema field',
      code: `import { z } from 'zod';\nimport { PrismaClient } from '@prisma/client';\ndeclare const publicProcedure: any;\nconst prisma = new PrismaClient();\nconst listInput = z.object({ limit: z.number().int() });\nexport const list = publicProcedure.input(listInput).query(({ input }: any) => prisma.post.findMany({ take: input.limit }));\n`,
      errors: [{ line: 5, message: MSG }],
    },
    {
      name: 'NestJS @Query() DTO imported from another module',
      code: `import { Controller, Get, Query } from '@nestjs/common';\nimport { ListOrdersDto } from './list-orders.dto';\n@Controller('orders')\nexport class OrdersController {\n  constructor(private readonly repo: any) {}\n  @Get()\n  list(@Query() query: ListOrdersDto) {\n    return this.repo.find({ take: query.pageSize });\n  }\n}\n`,
      files: { 'src/list-orders.dto.ts': `import { IsInt, Min } from 'class-validator';\nexport class ListOrdersDto {\n  @IsInt() @Min(1)\n  pageSize = 20;\n}\n` },
      errors: [{ message: /`take` is set from `query.pageSize`, whose schema field `pageSize` \(src\/list-orders.dto.ts\) has no maximum/, related: 1 }],
    },
    {
      name: 'half-typed JSON schema: reported, no edit',
      code: `export const schema = { querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 `,
      errors: [{ message: MSG, fixes: [] }],
    },
    // valibot
    {
      name: 'valibot pipe',
      code: `import * as v from 'valibot';\nexport const listQuery = v.object({ limit: v.pipe(v.number(), v.integer(), v.minValue(1)) });`,
      errors: [{ fixes: [{ title: 'Add `v.maxValue(100)`', output: `import * as v from 'valibot';\nexport const listQuery = v.object({ limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)) });` }] }],
    },
    {
      name: 'valibot bare number in optional',
      code: `import * as v from 'valibot';\nexport const q = v.object({ take: v.optional(v.number(), 20) });`,
      errors: [{ fixes: [{ title: 'Add `v.maxValue(100)`', output: `import * as v from 'valibot';\nexport const q = v.object({ take: v.optional(v.pipe(v.number(), v.maxValue(100)), 20) });` }] }],
    },
    {
      name: 'valibot named imports: import added',
      code: `import { object, pipe, string, transform } from 'valibot';\nexport const listQuery = object({ limit: pipe(string(), transform(Number)) });`,
      errors: [{ fixes: [{ title: 'Add `maxValue(100)`', output: `import { object, pipe, string, transform, maxValue } from 'valibot';\nexport const listQuery = object({ limit: pipe(string(), transform(Number), maxValue(100)) });` }] }],
    },
    {
      name: 'valibot named imports: pipe and maxValue both added',
      code: `import { number, object } from 'valibot';\nexport const q = object({ pageSize: number() });`,
      errors: [{ fixes: [{ title: 'Add `maxValue(100)`', output: `import { number, object, pipe, maxValue } from 'valibot';\nexport const q = object({ pageSize: pipe(number(), maxValue(100)) });` }] }],
    },
    {
      name: 'valibot toNumber',
      code: `import * as v from 'valibot';\nexport const listQuery = v.object({ limit: v.pipe(v.string(), v.toNumber()) });`,
      errors: [{ fixes: [{ title: 'Add `v.maxValue(100)`', output: `import * as v from 'valibot';\nexport const listQuery = v.object({ limit: v.pipe(v.string(), v.toNumber(), v.maxValue(100)) });` }] }],
    },
    // yup
    {
      name: 'yup namespace',
      code: `import * as yup from 'yup';\nexport const listQuery = yup.object({ limit: yup.number().integer().positive().default(20) });`,
      errors: [{ fixes: [{ title: 'Add `.max(100)`', output: `import * as yup from 'yup';\nexport const listQuery = yup.object({ limit: yup.number().integer().positive().default(20).max(100) });` }] }],
    },
    {
      name: 'yup named import',
      code: `import { number, object } from 'yup';\nexport const q = object({ per_page: number().required() });`,
      errors: [{ fixes: [{ title: 'Add `.max(100)`', output: `import { number, object } from 'yup';\nexport const q = object({ per_page: number().required().max(100) });` }] }],
    },
    // class-validator
    {
      name: 'class-validator: decorators on their own lines, import added',
      code: `import { IsInt, IsOptional, Min } from 'class-validator';\nimport { Type } from 'class-transformer';\n\nexport class ListQuery {\n  @IsOptional()\n  @Type(() => Number)\n  @IsInt()\n  @Min(1)\n  limit?: number = 20;\n}\n`,
      errors: [{ line: 9, fixes: [{ title: 'Add `@Max(100)`', output: `import { IsInt, IsOptional, Min, Max } from 'class-validator';\nimport { Type } from 'class-transformer';\n\nexport class ListQuery {\n  @IsOptional()\n  @Type(() => Number)\n  @IsInt()\n  @Min(1)\n  @Max(100)\n  limit?: number = 20;\n}\n` }] }],
    },
    {
      name: 'class-validator: same line, Max already imported',
      code: `import { IsInt, Max } from 'class-validator';\nexport class A {\n  @IsInt() @Max(10) page!: number;\n  @IsInt() pageSize!: number;\n}\n`,
      errors: [{ line: 4, fixes: [{ title: 'Add `@Max(100)`', output: `import { IsInt, Max } from 'class-validator';\nexport class A {\n  @IsInt() @Max(10) page!: number;\n  @IsInt() @Max(100) pageSize!: number;\n}\n` }] }],
    },
    {
      name: 'class-validator: namespace import, multi-line import list',
      code: `import * as cv from 'class-validator';\nimport {\n  ApiPropertyOptional,\n} from '@nestjs/swagger';\nexport class A {\n  @ApiPropertyOptional()\n  @cv.IsPositive()\n  take?: number;\n}\n`,
      errors: [{ fixes: [{ title: 'Add `@cv.Max(100)`', output: `import * as cv from 'class-validator';\nimport {\n  ApiPropertyOptional,\n} from '@nestjs/swagger';\nexport class A {\n  @ApiPropertyOptional()\n  @cv.IsPositive()\n  @cv.Max(100)\n  take?: number;\n}\n` }] }],
    },
    {
      name: 'class-validator: multi-line import gets the name on its own line',
      code: `import {\n  IsInt,\n  Min,\n} from 'class-validator';\nexport class A {\n  @IsInt()\n  @Min(1)\n  perPage!: number;\n}\n`,
      errors: [{ fixes: [{ title: 'Add `@Max(100)`', output: `import {\n  IsInt,\n  Min,\n  Max,\n} from 'class-validator';\nexport class A {\n  @IsInt()\n  @Min(1)\n  @Max(100)\n  perPage!: number;\n}\n` }] }],
    },
    {
      name: 'class-transformer @Type(() => Number) only',
      code: `import { IsOptional } from 'class-validator';\nimport { Type } from 'class-transformer';\nexport class ListParams {\n  @IsOptional()\n  @Type(() => Number)\n  limit?: number;\n}\n`,
      errors: [{ fixes: [{ title: 'Add `@Max(100)`', output: `import { IsOptional, Max } from 'class-validator';\nimport { Type } from 'class-transformer';\nexport class ListParams {\n  @IsOptional()\n  @Type(() => Number)\n  @Max(100)\n  limit?: number;\n}\n` }] }],
    },
    // JSON schema / Fastify / TypeBox
    {
      name: 'Fastify route schema',
      code: `export const schema = {\n  querystring: {\n    type: 'object',\n    properties: {\n      limit: { type: 'integer', minimum: 1, default: 20 },\n    },\n  },\n};\n`,
      errors: [{ line: 5, fixes: [{ title: 'Add `maximum: 100`', output: `export const schema = {\n  querystring: {\n    type: 'object',\n    properties: {\n      limit: { type: 'integer', minimum: 1, default: 20, maximum: 100 },\n    },\n  },\n};\n` }] }],
    },
    {
      name: 'JSON schema multi-line with quoted keys',
      code: `export const schema = {\n  "type": "object",\n  "properties": {\n    "pageSize": {\n      "type": ["integer", "null"],\n      "minimum": 1\n    }\n  }\n};\n`,
      errors: [{ fixes: [{ title: 'Add `maximum: 100`', output: `export const schema = {\n  "type": "object",\n  "properties": {\n    "pageSize": {\n      "type": ["integer", "null"],\n      "minimum": 1,\n      "maximum": 100\n    }\n  }\n};\n` }] }],
    },
    {
      name: 'TypeBox Optional(Integer({...}))',
      code: `import { Type } from '@sinclair/typebox';\nexport const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1 })) });`,
      errors: [{ fixes: [{ title: 'Add `maximum: 100`', output: `import { Type } from '@sinclair/typebox';\nexport const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) });` }] }],
    },
    {
      name: 'TypeBox Number() without options',
      code: `import { Type } from '@sinclair/typebox';\nexport const Q = Type.Object({ take: Type.Number() });`,
      errors: [{ fixes: [{ title: 'Add `maximum: 100`', output: `import { Type } from '@sinclair/typebox';\nexport const Q = Type.Object({ take: Type.Number({ maximum: 100 }) });` }] }],
    },
    // request input into a query bound
    {
      name: 'Express: take: Number(req.query.limit)',
      code: `import { PrismaClient } from '@prisma/client';\nimport type { Request } from 'express';\nconst prisma = new PrismaClient();\nexport async function list(req: Request) {\n  return prisma.product.findMany({ take: Number(req.query.limit) });\n}\n`,
      errors: [{ message: USE, line: 5, fixes: [{ title: 'Cap with `Math.min(…, 100)`', output: `import { PrismaClient } from '@prisma/client';\nimport type { Request } from 'express';\nconst prisma = new PrismaClient();\nexport async function list(req: Request) {\n  return prisma.product.findMany({ take: Math.min(Number(req.query.limit), 100) });\n}\n` }] }],
    },
    {
      name: 'Knex .limit(parseInt(query.pageSize))',
      code: `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport function list(request: { query: { pageSize: string } }) {\n  return db('orders').select('*').limit(parseInt(request.query.pageSize, 10));\n}\n`,
      errors: [{ message: /`.limit\(\)` is set from request input `request.query.pageSize`/, fixes: [{ title: 'Cap with `Math.min(…, 100)`', output: `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport function list(request: { query: { pageSize: string } }) {\n  return db('orders').select('*').limit(Math.min(parseInt(request.query.pageSize, 10), 100));\n}\n` }] }],
    },
    {
      name: 'destructured from req.query, shorthand take',
      code: `export async function list(req: any, prisma: any) {\n  const { take } = req.query;\n  return prisma.user.findMany({ where: { active: true }, take });\n}\n`,
      errors: [{ related: 1, fixes: [{ title: 'Cap with `Math.min(…, 100)`', output: `export async function list(req: any, prisma: any) {\n  const { take } = req.query;\n  return prisma.user.findMany({ where: { active: true }, take: Math.min(take, 100) });\n}\n` }] }],
    },
    {
      name: 'const flows with a fallback',
      code: `export async function list(ctx: any, repo: any) {\n  const limit = Number(ctx.request.query.limit) || 20;\n  return repo.find({ limit });\n}\n`,
      errors: [{ message: /`ctx.request.query.limit`/ }],
    },
    {
      name: 'request input read by a helper of the same module from the request it is given',
      code: `import type { Request } from 'express';\nfunction getPerPage(req: Request, fallback = 15): number {\n  return parseInt(req.query.per_page as string) || fallback;\n}\nexport async function listArticles(req: Request, repo: any) {\n  const perPage = getPerPage(req);\n  return repo.createQueryBuilder('a').take(perPage).getMany();\n}\n`,
      errors: [{ message: /`\.take\(\)` is set from request input `req\.query\.per_page`/, line: 7 }],
    },
    {
      name: 'request input read by an imported helper (an arrow with an expression body)',
      files: { 'src/paging.ts': `import type { Request } from 'express';\nexport const pageSizeOf = (request: Request) => Number(request.query.pageSize ?? 20);\n` },
      code: `import type { Request } from 'express';\nimport { pageSizeOf } from './paging';\nexport async function list(req: Request, db: any) {\n  const page = Number(req.query.page ?? 1);\n  return db.post.findMany({ skip: page, take: pageSizeOf(req) });\n}\n`,
      errors: [{ message: /`take` is set from request input `request\.query\.pageSize`/ }],
    },
    {
      name: 'GraphQL resolver map (Apollo, Yoga): the second parameter is what the client sent',
      code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const resolvers = {\n  Query: {\n    posts: (_parent: unknown, args: { first?: number; skip?: number }) => prisma.post.findMany({ take: args.first ?? 20, skip: args.skip ?? 0 }),\n  },\n};\n`,
      errors: [{ message: /`take` is set from request input `args\.first` with no upper bound: one request can read a whole table \(`first: 1000000`\)/, fixes: [{ title: 'Cap with `Math.min(…, 100)`', output: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const resolvers = {\n  Query: {\n    posts: (_parent: unknown, args: { first?: number; skip?: number }) => prisma.post.findMany({ take: Math.min(args.first ?? 20, 100), skip: args.skip ?? 0 }),\n  },\n};\n` }] }],
    },
    {
      name: 'GraphQL resolver map typed as Resolvers, arguments destructured, a type resolver method',
      code: `import type { Resolvers } from './generated';\nexport const typeResolvers: Resolvers = {\n  User: {\n    async posts(user, { limit }, { db }) {\n      return db.post.findMany({ where: { authorId: user.id }, take: limit });\n    },\n  },\n};\n`,
      errors: [{ message: /`take` is set from request input `limit`/ }],
    },
    {
      name: 'resolvers passed inline to createSchema, Mongoose .limit(args.limit)',
      code: `import { createSchema } from 'graphql-yoga';\nimport { Post } from './models';\nexport const schema = createSchema({\n  typeDefs: 'type Query { posts(limit: Int): [Post] }',\n  resolvers: { Query: { posts: (_: unknown, args: { limit?: number }) => Post.find({}).limit(args.limit ?? 100) } },\n});\n`,
      errors: [{ message: /`\.limit\(\)` is set from request input `args\.limit`/ }],
    },
    {
      name: "NestJS GraphQL @Args('first')",
      code: `import { Args, Int, Query, Resolver } from '@nestjs/graphql';\n@Resolver()\nexport class PostsResolver {\n  constructor(private readonly prisma: any) {}\n  @Query(() => [Object])\n  posts(@Args('first', { type: () => Int, nullable: true }) first = 20) {\n    return this.prisma.post.findMany({ take: first });\n  }\n}\n`,
      errors: [{ message: /`take` is set from request input `first`/ }],
    },
    {
      name: "NestJS GraphQL @Args({ name: 'first' }) and type-graphql @Arg('take')",
      code: `import { Args } from '@nestjs/graphql';\nimport { Arg } from 'type-graphql';\nexport class PostsResolver {\n  constructor(private readonly prisma: any) {}\n  posts(@Args({ name: 'first', nullable: true }) first: number) {\n    return this.prisma.post.findMany({ take: first });\n  }\n  drafts(@Arg('take', { nullable: true }) take: number) {\n    return this.prisma.post.findMany({ where: { draft: true }, take });\n  }\n}\n`,
      errors: [{ message: /`take` is set from request input `first`/ }, { message: /`take` is set from request input `take`/ }],
    },
    {
      name: "a field's resolve next to its args: graphql-js, and Pothos's prismaField (arguments third)",
      code: `import { builder } from './builder';\nimport { prisma } from './db';\nexport const fields = {\n  posts: { type: 'PostList', args: { first: { type: 'Int' } }, resolve: (_root: unknown, args: { first: number }) => prisma.post.findMany({ take: args.first }) },\n};\nbuilder.queryField('feed', (t) => t.prismaField({ type: ['Post'], args: { take: t.arg.int() }, resolve: (query, _root, args) => prisma.post.findMany({ ...query, take: args.take ?? 20 }) }));\n`,
      errors: [{ message: /`take` is set from request input `args\.first`/ }, { message: /`take` is set from request input `args\.take`/ }],
    },
    {
      name: 'NestJS @Query(\'limit\')',
      code: `import { Controller, Get, Query } from '@nestjs/common';\n@Controller('orders')\nexport class OrdersController {\n  constructor(private readonly repo: any) {}\n  @Get()\n  list(@Query('limit') limit: string) {\n    return this.repo.find({ take: +limit });\n  }\n}\n`,
      errors: [{ fixes: [{ title: 'Cap with `Math.min(…, 100)`', output: `import { Controller, Get, Query } from '@nestjs/common';\n@Controller('orders')\nexport class OrdersController {\n  constructor(private readonly repo: any) {}\n  @Get()\n  list(@Query('limit') limit: string) {\n    return this.repo.find({ take: Math.min(+limit, 100) });\n  }\n}\n` }] }],
    },
    {
      name: 'Next.js route: searchParams.get',
      code: `export async function GET(request: Request, db: any) {\n  const url = new URL(request.url);\n  return db.select().from('posts').limit(Number(url.searchParams.get('limit') ?? 20));\n}\n`,
      errors: [{ message: /url.searchParams.get\('limit'\)/ }],
    },
    {
      name: 'Hono c.req.query',
      code: `export function route(c: any, db: any) {\n  const pageSize = Number(c.req.query('pageSize'));\n  return db.query.posts.findMany({ limit: pageSize });\n}\n`,
      errors: [{ message: USE }],
    },
    {
      name: 'Mongoose .limit on a query',
      code: `export async function list(req: any, Post: any) {\n  return Post.find({}).sort({ createdAt: -1 }).limit(req.query.limit);\n}\n`,
      errors: [{ fixes: [{ title: 'Cap with `Math.min(…, 100)`', output: `export async function list(req: any, Post: any) {\n  return Post.find({}).sort({ createdAt: -1 }).limit(Math.min(req.query.limit, 100));\n}\n` }] }],
    },
    {
      name: 'Lambda event.queryStringParameters',
      code: `export async function handler(event: any, sequelize: any) {\n  return sequelize.models.Order.findAll({ limit: parseInt(event.queryStringParameters.limit) });\n}\n`,
      errors: [{ message: USE }],
    },
  ],
});
