import { Router } from 'express';
import { z } from 'zod';
import { prisma } from '../db';

export const productsRouter = Router();

// uncapped-page-size: `limit` is validated as a positive integer but has no `.max()`,
// so `GET /products?limit=1000000` reads the whole catalogue in one request.
const listProductsQuery = z.object({
  q: z.string().trim().optional(),
  category: z.string().optional(),
  limit: z.coerce.number().int().positive().default(20),
  cursor: z.coerce.number().int().optional(),
});

productsRouter.get('/products', async (req, res) => {
  const { q, category, limit, cursor } = listProductsQuery.parse(req.query);
  const products = await prisma.product.findMany({
    where: { category, name: q ? { contains: q } : undefined },
    orderBy: { id: 'asc' },
    take: limit,
    ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
  });
  res.json(products);
});

// unbounded-query: every product of a category, however many there are.
productsRouter.get('/categories/:slug/products', async (req, res) => {
  const products = await prisma.product.findMany({
    where: { category: req.params.slug },
    orderBy: { name: 'asc' },
  });
  res.json(products);
});

// uncapped-page-size: request input straight into `take`.
productsRouter.get('/products/recent', async (req, res) => {
  const products = await prisma.product.findMany({
    orderBy: { createdAt: 'desc' },
    take: Number(req.query.limit) || 10,
  });
  res.json(products);
});

// Not flagged: a capped schema, a unique lookup, and an aggregate.
const searchQuery = z.object({
  q: z.string().min(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

productsRouter.get('/products/search', async (req, res) => {
  const { q, pageSize } = searchQuery.parse(req.query);
  res.json(await prisma.product.findMany({ where: { name: { contains: q } }, take: pageSize }));
});

productsRouter.get('/products/:id', async (req, res) => {
  const product = await prisma.product.findUnique({ where: { id: Number(req.params.id) } });
  if (!product) return res.status(404).end();
  res.json(product);
});

productsRouter.get('/products-count', async (_req, res) => {
  res.json({ count: await prisma.product.count() });
});
