// Not flagged by unbounded-collection: each of these collections is bounded.

// A size guard that evicts the oldest entry (Maps iterate in insertion order).
const MAX_PRODUCT_ENTRIES = 5_000;
const productNames = new Map<number, string>();

export function rememberProductName(id: number, name: string): void {
  if (productNames.size >= MAX_PRODUCT_ENTRIES) productNames.delete(productNames.keys().next().value!);
  productNames.set(id, name);
}

export function productName(id: number): string | undefined {
  return productNames.get(id);
}

// Keyed by request objects: entries go away with the request.
const startedAt = new WeakMap<object, number>();

export function markStart(req: object): void {
  startedAt.set(req, Date.now());
}

// Filled once while the module loads.
const currencySymbols = new Map<string, string>();
for (const [code, symbol] of [['EUR', '€'], ['USD', '$'], ['GBP', '£']]) currencySymbols.set(code, symbol);

export const symbolFor = (code: string) => currencySymbols.get(code) ?? code;

// In-flight de-duplication: every entry is removed when its promise settles.
const inflight = new Map<string, Promise<unknown>>();

export function dedupe<T>(key: string, load: () => Promise<T>): Promise<T> {
  const pending = inflight.get(key) as Promise<T> | undefined;
  if (pending) return pending;
  const promise = load().finally(() => inflight.delete(key));
  inflight.set(key, promise);
  return promise;
}
