/**
 * Recognition of Prisma model queries (`<client>.<delegate>.<method>(args)`) for the schema-aware
 * rules, on top of engine/db's database-call recognition (which follows the client through
 * bindings, imports, `$extends`, `$transaction` callbacks and typed NestJS services). Calls whose
 * client engine/db only recognises by name are marked `heuristic`.
 */
import * as ts from 'typescript';
import { classifyDbCall, type DbContext } from '../db';
import { skipOuterExpressions } from '../ts/scope';

export interface PrismaQuery {
  /** The delegate (`orderLine`). */
  delegate: string;
  /** The method (`findMany`). */
  method: string;
  /** The first argument when it is an object literal. */
  args: ts.ObjectLiteralExpression | undefined;
  /** `prisma.orderLine.findMany`. */
  label: string;
  /** The client was recognised by its name only. */
  heuristic: boolean;
}

/** A Prisma model query, or undefined. */
export function recognizePrismaQuery(node: ts.CallExpression, context: DbContext): PrismaQuery | undefined {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const delegateAccess = skipOuterExpressions(callee.expression);
  if (!ts.isPropertyAccessExpression(delegateAccess) || delegateAccess.name.text.startsWith('$')) return undefined;
  const call = classifyDbCall(node, context);
  if (!call || call.library !== 'prisma' || call.rootCall !== node) return undefined;
  const first = node.arguments[0] ? skipOuterExpressions(node.arguments[0]) : undefined;
  return {
    delegate: delegateAccess.name.text,
    method: callee.name.text,
    args: first && ts.isObjectLiteralExpression(first) ? first : undefined,
    label: `${delegateAccess.expression.getText()}.${delegateAccess.name.text}.${callee.name.text}`,
    heuristic: call.confidence === 'heuristic',
  };
}
