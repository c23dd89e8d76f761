import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
import { reportingPool } from '../lib/pg';
import { redis } from '../lib/redis';

export const exportsRouter = Router();

// client-per-request: a new Prisma Client (and connection pool) for every request, although
// src/db.ts exports the shared one. The quick fix imports it instead.
exportsRouter.get('/exports/customers', async (_req, res) => {
  const prisma = new PrismaClient();
  const customers = await prisma.user.findMany({ take: 100, select: { id: true, email: true } });
  await prisma.$disconnect();
  res.json(customers);
});

// Not flagged: the shared pool and the lazily created Redis client are reused.
exportsRouter.get('/exports/daily-totals', async (_req, res) => {
  const cached = await redis().get('daily-totals');
  if (cached) {
    res.type('json').send(cached);
    return;
  }
  const { rows } = await reportingPool.query('select day, total from daily_totals order by day desc limit 30');
  await redis().set('daily-totals', JSON.stringify(rows), 'EX', 300);
  res.json(rows);
});
