// Input validation and search helpers used by the routes.

const SKU_PREFIX = 'SKU';

// Compiled once at module load: not flagged.
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const COUPON = new RegExp('^[A-Z0-9]{6,12}$');

export function isSlug(value: string): boolean {
  // A regex literal in a function is compiled once and cached by the engine: not flagged.
  return SLUG.test(value) && /^[a-z]/.test(value);
}

export function isCoupon(code: string): boolean {
  return COUPON.test(code.toUpperCase());
}

// regex-per-call: recompiled on every call; the quick fix hoists it next to SKU_PREFIX.
export function isSku(value: string): boolean {
  return new RegExp(`^${SKU_PREFIX}-\\d{6}$`).test(value);
}

// regex-per-call: `g` regex used with `.test()`, reported without a fix (lastIndex would leak
// between calls if it were shared).
export function hasHtml(text: string): boolean {
  const tag = new RegExp('<[a-z][^>]*>', 'gi');
  return tag.test(text);
}

// regex-per-call: `str.match('…')` builds a RegExp from the string on every call.
export function apiVersion(path: string): number {
  const match = path.match('^/api/v(\\d+)/');
  return match ? Number(match[1]) : 1;
}

// regex-per-call: the search term does not change inside the loop, the regex is rebuilt per product.
export function highlight(names: string[], term: string): string[] {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const out: string[] = [];
  for (const name of names) {
    out.push(name.replace(new RegExp(escaped, 'gi'), (hit) => `<mark>${hit}</mark>`));
  }
  return out;
}

// Built from the caller's input and used once per call: nothing to hoist, not flagged.
export function matchesQuery(name: string, query: string): boolean {
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i').test(name);
}

// super-linear-regex (exponential): "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" blocks the event loop.
const TAG_LIST = /^(\w+\s?)*$/;

// super-linear-regex (polynomial): "a@" followed by thousands of "." characters.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Linear equivalents: not flagged.
const SAFE_TAG_LIST = /^\w+(?:\s\w+)*\s?$/;
const SAFE_EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

export function isTagList(input: string): boolean {
  return TAG_LIST.test(input) || SAFE_TAG_LIST.test(input);
}

export function isEmail(input: string): boolean {
  return EMAIL.test(input) || SAFE_EMAIL.test(input);
}
