/** Tolerant parsing of TS/JS files with the TypeScript compiler API (syntax errors never stop analysis). */
import * as ts from 'typescript';
import type { Language } from './types';

const TS_EXTENSIONS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JSX,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

/** Extensions the engine analyses. */
export const SOURCE_EXTENSIONS = [...Object.keys(TS_EXTENSIONS), '.prisma'];

function extensionOf(filePath: string): string {
  const lower = filePath.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return dot < 0 ? '' : lower.slice(dot);
}

/** The language of a file, or undefined when the engine does not analyse it. */
export function languageOf(filePath: string): Language | undefined {
  const ext = extensionOf(filePath);
  if (ext === '.prisma') return 'prisma';
  if (filePath.toLowerCase().endsWith('.d.ts') || filePath.toLowerCase().endsWith('.d.mts') || filePath.toLowerCase().endsWith('.d.cts')) return undefined;
  return ext in TS_EXTENSIONS ? 'typescript' : undefined;
}

/** How many files this thread has parsed (tests assert that a cached audit parses nothing). */
export const parseStats = { count: 0 };

/** Parses a TS/JS file with parent pointers. Throws only on pathological input (stack overflow). */
export function parseTypeScript(filePath: string, text: string): ts.SourceFile {
  parseStats.count++;
  const kind = TS_EXTENSIONS[extensionOf(filePath)] ?? ts.ScriptKind.TS;
  return ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, kind);
}
