/**
 * Text edits that follow the surrounding code's formatting: adding a property to an object
 * literal keeps its single-line or multi-line shape, its indentation and its trailing-comma style.
 */
import * as ts from 'typescript';
import type { TextEdit } from '../types';
import { indentationAt, newlineOf } from './ast';

/** True when a node's text is complete: an object literal closed by `}`, a call closed by `)`, a string/template closed by its quote (half-typed code is not). */
export function isClosed(sourceFile: ts.SourceFile, node: ts.Node): boolean {
  const text = sourceFile.text;
  const first = text[node.getStart(sourceFile)];
  const last = text[node.getEnd() - 1];
  if (node.getEnd() - node.getStart(sourceFile) < 2) return false;
  if (ts.isObjectLiteralExpression(node)) return first === '{' && last === '}';
  if (ts.isCallExpression(node)) return last === ')';
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return last === first;
  return true;
}

/** An edit that appends `name: value` (given as `propertyText`) to an object literal (check `isClosed` first). */
export function appendPropertyEdit(sourceFile: ts.SourceFile, object: ts.ObjectLiteralExpression, propertyText: string): TextEdit {
  const text = sourceFile.text;
  const properties = object.properties;
  const open = object.getStart(sourceFile);
  const close = object.getEnd() - 1;
  if (properties.length === 0) {
    const inner = text.slice(open + 1, close);
    if (inner.includes('\n')) {
      const nl = newlineOf(text);
      const indent = indentationAt(text, open);
      const unit = indentUnit(text);
      return { start: open + 1, end: close, text: `${nl}${indent}${unit}${propertyText},${nl}${indent}` };
    }
    return { start: open + 1, end: close, text: ` ${propertyText} ` };
  }
  const last = properties[properties.length - 1];
  const multiline = text.slice(open, last.getStart(sourceFile)).includes('\n');
  if (multiline) {
    const nl = newlineOf(text);
    const indent = indentationAt(text, last.getStart(sourceFile));
    if (properties.hasTrailingComma) {
      const comma = text.indexOf(',', last.getEnd());
      return { start: comma + 1, end: comma + 1, text: `${nl}${indent}${propertyText},` };
    }
    return { start: last.getEnd(), end: last.getEnd(), text: `,${nl}${indent}${propertyText}` };
  }
  if (properties.hasTrailingComma) {
    const comma = text.indexOf(',', last.getEnd());
    return { start: comma + 1, end: comma + 1, text: ` ${propertyText},` };
  }
  return { start: last.getEnd(), end: last.getEnd(), text: `, ${propertyText}` };
}

/** The indentation step of a file: a tab, or the smallest run of leading spaces (default two). */
export function indentUnit(text: string): string {
  let smallest = 0;
  for (const match of text.matchAll(/\n( +|\t)\S/g)) {
    if (match[1] === '\t') return '\t';
    if (smallest === 0 || match[1].length < smallest) smallest = match[1].length;
  }
  return ' '.repeat(smallest || 2);
}

/**
 * An edit adding `.method(args)` (given as `methodText`, without the dot) right after `call` in a
 * method chain, following the chain's layout: on its own line, indented like `call`'s own `.name`,
 * when the chain puts each step on a line; inline otherwise.
 */
export function chainCallEdit(sourceFile: ts.SourceFile, call: ts.CallExpression, methodText: string): TextEdit {
  const text = sourceFile.text;
  const end = call.getEnd();
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const dot = text.lastIndexOf('.', callee.name.getStart(sourceFile));
    const before = text.slice(callee.expression.getEnd(), dot);
    if (before.includes('\n')) return { start: end, end, text: `${newlineOf(text)}${indentationAt(text, dot)}.${methodText}` };
  }
  return { start: end, end, text: `.${methodText}` };
}
