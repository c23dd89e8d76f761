import { prisma } from '../db';

export interface CartLine {
  productId: number;
  quantity: number;
}

// Used per element by the routes below: one level of indirection, still one query per call.
export async function loadCustomer(customerId: number) {
  return prisma.customer.findUnique({ where: { id: customerId } });
}

// n-plus-one (sequential): one product lookup per cart line, awaited one after another.
// Quick fix: one findMany with `in` before the loop and a Map lookup inside it.
export async function priceCart(lines: CartLine[]) {
  let total = 0;
  for (const line of lines) {
    const product = await prisma.product.findUnique({ where: { id: line.productId } });
    total += (product?.priceCents ?? 0) * line.quantity;
  }
  return total;
}

// n-plus-one (sequential): one INSERT per line. Quick fix: one createMany.
export async function saveOrderLines(orderId: number, lines: CartLine[]) {
  for (const line of lines) {
    await prisma.orderLine.create({ data: { orderId, productId: line.productId, quantity: line.quantity } });
  }
}

// Not flagged: the batched versions of the two functions above.
export async function priceCartBatched(lines: CartLine[]) {
  const products = await prisma.product.findMany({ where: { id: { in: lines.map((l) => l.productId) } }, take: lines.length });
  const byId = new Map(products.map((p) => [p.id, p]));
  return lines.reduce((sum, line) => sum + (byId.get(line.productId)?.priceCents ?? 0) * line.quantity, 0);
}

export async function saveOrderLinesBatched(orderId: number, lines: CartLine[]) {
  await prisma.orderLine.createMany({ data: lines.map((line) => ({ orderId, ...line })) });
}

// Not flagged: stock must be reserved in order and stop at the first failure; the
// suppression says why.
export async function reserveStock(lines: CartLine[]) {
  for (const line of lines) {
    // perflint-disable-next-line n-plus-one -- reservations must run in order and stop at the first shortage
    const { count } = await prisma.product.updateMany({ where: { id: line.productId, stock: { gte: line.quantity } }, data: { stock: { decrement: line.quantity } } });
    if (count === 0) throw new Error(`out of stock: ${line.productId}`);
  }
}

// Not flagged: a cursor-paginated export reads 500 rows per query, not one query per row.
export async function exportOrders(onPage: (rows: { id: number }[]) => Promise<void>) {
  let cursor: number | undefined;
  for (;;) {
    const page = await prisma.order.findMany({ take: 500, orderBy: { id: 'asc' }, ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}) });
    await onPage(page);
    if (page.length < 500) break;
    cursor = page[page.length - 1].id;
  }
}
