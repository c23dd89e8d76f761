import { prisma } from '../db';

// unindexed-query: no index of Order starts with `couponCode`, so every call reads the whole
// orders table. Quick fix (in prisma/schema.prisma): @@index([couponCode, createdAt]).
export async function ordersWithCoupon(couponCode: string) {
  return prisma.order.findMany({
    where: { couponCode },
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
}

// Not flagged: @@index([customerId, createdAt(sort: Desc)]) serves this filter and its order.
export async function recentOrdersOf(customerId: number) {
  return prisma.order.findMany({
    where: { customerId },
    orderBy: { createdAt: 'desc' },
    take: 20,
  });
}

// Not flagged: `sku` is unique, and a `contains` search is not an equality filter.
export async function productBySku(sku: string) {
  return prisma.product.findFirst({ where: { sku } });
}

export async function searchProducts(q: string) {
  return prisma.product.findMany({ where: { name: { contains: q } }, take: 20 });
}
