/**
 * Helpers for fixes that hoist an expression to a module-level (or enclosing-block) declaration:
 * where to insert it, how to name it without colliding with any identifier of the file.
 */
import * as ts from 'typescript';
import { indentationAt, newlineOf } from './ast';
import { isNameUsedInFile } from './scope';
import { detachedCopy } from '../text';

/** `emailPattern` / `email-pattern` / `EmailPattern` → `EMAIL_PATTERN`. */
export function upperSnakeCase(name: string): string {
  let snake = snakeNames.get(name);
  if (snake === undefined) {
    snake = name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase();
    // Names recur on every keystroke of an open file; the bound keeps an audit's many names from piling up.
    // The key is a flat copy: an identifier's text may be a slice that keeps its whole file alive.
    if (snakeNames.size >= 4096) snakeNames.clear();
    snakeNames.set(detachedCopy(name), snake);
  }
  return snake;
}

const snakeNames = new Map<string, string>();

/**
 * A name based on `base` that no identifier of the file uses and that `taken` does not hold
 * (`BASE`, `BASE_2`, `BASE_3`, …). The result is added to `taken`.
 */
export function uniqueName(sourceFile: ts.SourceFile, base: string, taken: Set<string>, separator = '_'): string {
  let candidate = /^[A-Za-z_$]/.test(base) ? base : `_${base}`;
  for (let i = 2; isNameUsedInFile(sourceFile, candidate) || taken.has(candidate) || RESERVED.has(candidate); i++) candidate = `${base}${separator}${i}`;
  taken.add(candidate);
  return candidate;
}

const RESERVED = new Set(['RegExp', 'String', 'Object', 'Array', 'Map', 'Set', 'Symbol', 'Number', 'Boolean', 'Date', 'Error', 'JSON', 'Math', 'Promise', 'undefined', 'NaN', 'Infinity', 'globalThis']);

/** A top-level statement that belongs to the module's import prologue (imports, requires, directives). */
function isPrologueStatement(statement: ts.Statement): boolean {
  if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) return true;
  if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) return true; // 'use strict'
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.every((d) => {
      let init = d.initializer;
      while (init && (ts.isPropertyAccessExpression(init) || ts.isCallExpression(init) && !isRequire(init))) init = init.expression;
      return init !== undefined && ts.isCallExpression(init) && isRequire(init);
    });
  }
  return false;
}

function isRequire(call: ts.CallExpression): boolean {
  return ts.isIdentifier(call.expression) && call.expression.text === 'require' && call.arguments.length === 1 && ts.isStringLiteralLike(call.arguments[0]);
}

/** End offset of a statement including a trailing comment on the same line. */
function endWithTrailingComment(text: string, statement: ts.Node): number {
  let end = statement.end;
  for (const range of ts.getTrailingCommentRanges(text, end) ?? []) {
    if (text.slice(end, range.pos).includes('\n')) break;
    end = range.end;
  }
  return end;
}

/**
 * An insertion that declares `declaration` (e.g. `const X = /a/;`) at module level: after the
 * import prologue, or after the latest of `after` (top-level statements the declaration needs).
 * Returns the edit position and text, with the file's newline style and a blank line around it.
 */
export function moduleLevelInsertion(sourceFile: ts.SourceFile, declaration: string, after: readonly ts.Statement[] = []): { start: number; text: string } {
  const text = sourceFile.text;
  const nl = newlineOf(text);
  let anchor: ts.Statement | undefined;
  for (const statement of sourceFile.statements) {
    if (!isPrologueStatement(statement)) break;
    anchor = statement;
  }
  for (const statement of after) if (!anchor || statement.end > anchor.end) anchor = statement;
  if (anchor) {
    const start = endWithTrailingComment(text, anchor);
    return { start, text: `${nl}${nl}${declaration}` };
  }
  const first = sourceFile.statements[0];
  if (!first) return { start: text.length, text: `${declaration}${nl}` };
  return { start: first.getStart(sourceFile), text: `${declaration}${nl}${nl}` };
}

/** An insertion of `declaration` right before `statement`, on its own line with the statement's indentation. */
export function insertionBefore(sourceFile: ts.SourceFile, statement: ts.Statement, declaration: string): { start: number; text: string } {
  const start = statement.getStart(sourceFile);
  const indent = indentationAt(sourceFile.text, start);
  return { start, text: `${declaration}${newlineOf(sourceFile.text)}${indent}` };
}
