import { Router } from 'express';
import { prisma } from '../db';
import { loadCustomer } from '../orders/service';

export const usersRouter = Router();

// n-plus-one (concurrent fan-out): one query per user, all at once, competing for the pool.
usersRouter.get('/users/with-orders', async (_req, res) => {
  const users = await prisma.user.findMany({ take: 50, orderBy: { id: 'asc' } });
  const withOrders = await Promise.all(
    users.map(async (user) => ({ ...user, orders: await prisma.order.findMany({ where: { userId: user.id }, take: 10 }) })),
  );
  res.json(withOrders);
});

// n-plus-one (through a workspace function): loadCustomer runs a query, once per order.
usersRouter.get('/orders/recent', async (_req, res) => {
  const orders = await prisma.order.findMany({ take: 20, orderBy: { createdAt: 'desc' } });
  const rows = [];
  for (const order of orders) {
    rows.push({ ...order, customer: await loadCustomer(order.customerId) });
  }
  res.json(rows);
});

// Not flagged: the relation is loaded by the same query.
usersRouter.get('/users/with-orders-included', async (_req, res) => {
  res.json(await prisma.user.findMany({ take: 50, include: { orders: { take: 10 } } }));
});

// Not flagged: a small literal list of statuses, and a loop over rows already in memory.
usersRouter.get('/orders/stats', async (_req, res) => {
  const stats: Record<string, number> = {};
  for (const status of ['pending', 'paid', 'shipped'] as const) {
    stats[status] = await prisma.order.count({ where: { status } });
  }
  const recent = await prisma.order.findMany({ take: 100, orderBy: { createdAt: 'desc' } });
  for (const order of recent) stats[`customer:${order.customerId}`] = (stats[`customer:${order.customerId}`] ?? 0) + 1;
  res.json(stats);
});
