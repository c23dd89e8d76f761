/**
 * JIT warm-up for editors. A language server's first keystrokes run TypeScript's incremental
 * parser and the rules on code V8 has not optimised yet: measured on the 3,000-line keystroke
 * benchmark, the first 2-3 edits of a session cost several times a steady-state edit (the first
 * incremental re-parse alone 60-160 ms instead of ~10 ms). `warmUpSteps` analyses a small built-in
 * back-end module in a throw-away in-memory workspace and edits it a few times, so the code paths a
 * keystroke takes are compiled before the user types. Nothing from the user's workspace is read,
 * and there is no Prisma schema (loading Prisma's schema engine would cost memory for nothing).
 *
 * It is a generator: each step is one analysis (a few ms), and the caller yields to its event loop
 * between steps, so requests are never kept waiting for the whole warm-up.
 */
import * as path from 'node:path';
import type * as ts from 'typescript';
import { memoryFileSystem } from './host';
import { Linter } from './linter';
import type { Rule } from './rule';
import type { FileResult } from './types';

const ROOT = path.resolve('/perflint-warmup');
const SERVICE = path.join(ROOT, 'src/orders/service.ts');

const CLIENT_MODULE = `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient();
`;

/** One block of a service module with the shapes the rules look at (loops over queries, regexes, caches, list endpoints). */
function serviceBlock(i: number): string {
  return `
const seen${i} = new Map<string, number>();

export async function totals${i}(customerIds: number[]) {
  const result: Record<number, number> = {};
  for (const id of customerIds) {
    const orders = await prisma.order.findMany({ where: { customerId: id, status: 'paid' } });
    result[id] = orders.reduce((sum, order) => sum + order.total, 0);
  }
  return result;
}

export function isOrderCode${i}(code: string): boolean {
  const pattern = new RegExp('^ORD-[0-9]{' + ${4 + (i % 3)} + '}$');
  return pattern.test(code) && /^[A-Z]+(-[A-Z0-9]+)*$/.test(code.toUpperCase());
}

export function remember${i}(key: string, value: number) {
  seen${i}.set(key, value);
  return seen${i}.size;
}

export async function list${i}(request: { query: { limit?: string; status?: string } }) {
  const limit = Number(request.query.limit ?? 20);
  const rows = await prisma.order.findMany({ where: { status: request.query.status }, orderBy: { createdAt: 'desc' }, take: limit });
  return Promise.all(rows.map(async (row) => ({ ...row, customer: await prisma.customer.findUnique({ where: { id: row.customerId } }) })));
}
`;
}

/**
 * Size of the warm-up: a ~1,000-line module edited 30 times (~0.9 s at start-up, in slices). V8
 * optimises a function once it has run enough and on enough input: with 8 blocks and 12 edits
 * (~0.3 s) the first two keystrokes on the 3,000-line benchmark file still took 60-107 ms; with
 * these, 41-56 ms (4 runs each; steady state ~25-35 ms).
 */
const WARM_UP_BLOCKS = 24;
const WARM_UP_EDITS = 30;

const SERVICE_TEXT = `import { prisma } from '../db';\n${Array.from({ length: WARM_UP_BLOCKS }, (_, i) => serviceBlock(i)).join('')}`;

/** One step of the warm-up: the module's text as analysed, and the analysis' result. */
export interface WarmUpStep {
  path: string;
  text: string;
  result: FileResult;
}

/**
 * Analyses the built-in module once, then `edits` times with one character typed in its middle
 * (the editor's path: unsaved text, incremental re-parse). Yields each step.
 */
export function* warmUpSteps(rules: readonly Rule[], edits = WARM_UP_EDITS): Generator<WarmUpStep, void, void> {
  const host = memoryFileSystem({
    [path.join(ROOT, 'package.json')]: '{ "name": "warmup", "dependencies": { "@prisma/client": "6.0.0" } }\n',
    [path.join(ROOT, 'src/db.ts')]: CLIENT_MODULE,
    [SERVICE]: SERVICE_TEXT,
  });
  const linter = new Linter({ root: ROOT, rules, host });
  yield { path: SERVICE, text: SERVICE_TEXT, result: linter.analyzeText(SERVICE, SERVICE_TEXT) };
  let text = SERVICE_TEXT;
  const at = text.indexOf('export function remember3');
  for (let i = 0; i < edits; i++) {
    text = `${text.slice(0, at)}${i % 2 === 0 ? '\n' : ''}${text.slice(at + (i % 2 === 0 ? 0 : 1))}`;
    linter.project.setOverlay(SERVICE, text);
    yield { path: SERVICE, text, result: linter.analyzeText(SERVICE, text) };
  }
}

/**
 * A syntax-neutral edit of an editor document for a rehearsal of its first keystroke: a blank line
 * inserted after a line break inside a top-level statement near the middle of the file (the path
 * typing in a function body takes: that statement is re-parsed alone, the others shift). The
 * warm-up module teaches V8 the code paths, but the user's own file brings its own object shapes,
 * and the first keystrokes then paid for V8 recompiling ~40 functions (see server/diagnostics.ts).
 * Undefined when no statement spans two lines.
 */
export function rehearsalText(sourceFile: ts.SourceFile): string | undefined {
  const { statements, text } = sourceFile;
  for (let step = 0; step < statements.length; step++) {
    // from the middle outwards: the statements after the edit are the ones a keystroke shifts
    const index = (statements.length >> 1) + (step % 2 === 0 ? step >> 1 : -((step + 1) >> 1));
    const statement = statements[index];
    if (!statement) continue;
    const lineBreak = text.indexOf('\n', statement.getStart(sourceFile));
    if (lineBreak !== -1 && lineBreak + 1 < statement.end - 1) return `${text.slice(0, lineBreak + 1)}\n${text.slice(lineBreak + 1)}`;
  }
  return undefined;
}
