/**
 * Recognition of Prisma model queries (`<client>.<delegate>.<method>(args)`) for the schema-aware
 * rules. The client is followed through bindings: a `new PrismaClient()` (possibly `$extends`-ed or
 * behind a `globalThis` cache) in this file or exported by the workspace module it is imported from,
 * a parameter or property typed as a Prisma client/service, or `tx` of `$transaction(async (tx) => …)`.
 * Receivers recognised by name only (`this.prisma`, `ctx.db`) are marked `heuristic`.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { parseTypeScript } from '../parse';
import type { Project } from '../project';
import { importOfBinding } from '../ts/imports';
import { initializerOf, resolveIdentifier, skipOuterExpressions, type Binding } from '../ts/scope';

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

interface QueryContext {
  readonly project: Project;
  readonly path: string;
}

const CLIENT_TYPE = /\b(PrismaClient|PrismaService|TransactionClient|ExtendedPrismaClient|PrismaTransactionClient)\b/;
const CLIENT_NAME = /^(prisma|db|client|prismaClient|tx|database)$/i;

/** A Prisma model query, or undefined. */
export function recognizePrismaQuery(node: ts.CallExpression, context: QueryContext): PrismaQuery | undefined {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const delegateAccess = skipOuterExpressions(callee.expression);
  if (!ts.isPropertyAccessExpression(delegateAccess)) return undefined;
  const delegate = delegateAccess.name.text;
  if (delegate.startsWith('$')) return undefined;
  const client = skipOuterExpressions(delegateAccess.expression);
  const verdict = clientVerdict(client, context, 0);
  if (!verdict) return undefined;
  const first = node.arguments[0] ? skipOuterExpressions(node.arguments[0]) : undefined;
  return {
    delegate,
    method: callee.name.text,
    args: first && ts.isObjectLiteralExpression(first) ? first : undefined,
    label: `${client.getText()}.${delegate}.${callee.name.text}`,
    heuristic: verdict === 'heuristic',
  };
}

type Verdict = 'binding' | 'heuristic' | undefined;

function clientVerdict(expression: ts.Expression, context: QueryContext, depth: number): Verdict {
  if (depth > 4) return undefined;
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) {
    const binding = resolveIdentifier(node);
    if (!binding) return undefined;
    return bindingVerdict(binding, context, depth);
  }
  if (ts.isPropertyAccessExpression(node)) {
    const owner = skipOuterExpressions(node.expression);
    if (owner.kind === ts.SyntaxKind.ThisKeyword) return thisPropertyVerdict(node);
    // ctx.prisma / ctx.db (tRPC, GraphQL contexts), globalForPrisma.prisma.
    return CLIENT_NAME.test(node.name.text) ? 'heuristic' : undefined;
  }
  return undefined;
}

function bindingVerdict(binding: Binding, context: QueryContext, depth: number): Verdict {
  const declaration = binding.declaration;
  const typed = typeTextOf(declaration);
  if (typed && CLIENT_TYPE.test(typed)) return 'binding';
  if (binding.kind === 'import') return importedVerdict(binding, context, depth);
  if (binding.kind === 'param') {
    if (isTransactionCallbackParam(declaration, context, depth)) return 'binding';
    return undefined;
  }
  const initializer = initializerOf(binding);
  return initializer && isClientConstruction(initializer, context, depth) ? 'binding' : undefined;
}

function typeTextOf(declaration: ts.Node): string | undefined {
  if ((ts.isVariableDeclaration(declaration) || ts.isParameter(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.type) return declaration.type.getText();
  return undefined;
}

/** `new PrismaClient(...)`, `x.$extends(...)` of a client, `globalThis.prisma ?? new PrismaClient()`. */
function isClientConstruction(expression: ts.Expression, context: QueryContext, depth: number): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isNewExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    return name === 'PrismaClient' || CLIENT_TYPE.test(name);
  }
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return isClientConstruction(node.left, context, depth) || isClientConstruction(node.right, context, depth);
  }
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === '$extends') return clientVerdict(callee.expression, context, depth + 1) !== undefined || isClientConstruction(callee.expression, context, depth + 1);
    // A local factory: `const prisma = createClient()` where createClient returns `new PrismaClient()`.
    if (ts.isIdentifier(callee)) {
      const fn = resolveIdentifier(callee);
      if (fn && ts.isFunctionDeclaration(fn.declaration) && fn.declaration.body) {
        return fn.declaration.body.statements.some((s) => ts.isReturnStatement(s) && s.expression !== undefined && isClientConstruction(s.expression, context, depth + 1));
      }
    }
  }
  if (ts.isIdentifier(node)) return clientVerdict(node, context, depth + 1) === 'binding';
  return false;
}

/** `tx` in `client.$transaction(async (tx) => …)`. */
function isTransactionCallbackParam(declaration: ts.Node, context: QueryContext, depth: number): boolean {
  if (!ts.isParameter(declaration)) return false;
  const fn = declaration.parent;
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters[0] !== declaration) return false;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== fn) return false;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === '$transaction' && clientVerdict(callee.expression, context, depth + 1) !== undefined;
}

/** `this.prisma` where the class declares `prisma` with a Prisma client type (else a name-only guess). */
function thisPropertyVerdict(access: ts.PropertyAccessExpression): Verdict {
  const name = access.name.text;
  for (let node: ts.Node | undefined = access.parent; node; node = node.parent) {
    if (!ts.isClassLike(node)) continue;
    for (const member of node.members) {
      if (ts.isPropertyDeclaration(member) && member.name.getText() === name) {
        if (member.type && CLIENT_TYPE.test(member.type.getText())) return 'binding';
        if (member.initializer && ts.isNewExpression(skipOuterExpressions(member.initializer)) && /PrismaClient/.test(member.initializer.getText())) return 'binding';
      }
      if (ts.isConstructorDeclaration(member)) {
        for (const param of member.parameters) {
          if (param.name.getText() === name && param.type && CLIENT_TYPE.test(param.type.getText())) return 'binding';
        }
      }
    }
    // NestJS services extending PrismaClient are injected under any name; fall back to the name.
    break;
  }
  return CLIENT_NAME.test(name) ? 'heuristic' : undefined;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

/** An imported client: follows the import to the workspace module and checks the exported binding. */
function importedVerdict(binding: Binding, context: QueryContext, depth: number): Verdict {
  const imported = importOfBinding(binding);
  if (!imported) return undefined;
  if (imported.module === '@prisma/client' || imported.module.endsWith('/prisma/client')) return undefined;
  const file = resolveModule(context.project, context.path, imported.module);
  if (!file) return CLIENT_NAME.test(binding.name) ? 'heuristic' : undefined;
  const text = context.project.readText(file);
  if (text === undefined) return undefined;
  const sourceFile = parseTypeScript(file, text);
  const exported = findExport(sourceFile, imported.name);
  if (!exported) return CLIENT_NAME.test(binding.name) && /PrismaClient/.test(text) ? 'heuristic' : undefined;
  if (ts.isIdentifier(exported)) {
    const target = resolveIdentifier(exported);
    if (!target) return undefined;
    if (target.kind === 'import') return importedVerdict(target, { project: context.project, path: file }, depth + 1);
    return bindingVerdict(target, { project: context.project, path: file }, depth + 1);
  }
  return isClientConstruction(exported, { project: context.project, path: file }, depth + 1) ? 'binding' : undefined;
}

/** The expression or identifier an export name stands for in a module. */
function findExport(sourceFile: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.name;
      }
    }
    if (name === 'default' && ts.isExportAssignment(statement)) return statement.expression;
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        if (element.name.text === name) return element.propertyName ?? element.name;
      }
    }
  }
  return undefined;
}

function resolveModule(project: Project, fromFile: string, specifier: string): string | undefined {
  let base: string | undefined;
  if (specifier.startsWith('.')) base = path.resolve(path.dirname(fromFile), specifier);
  else if (specifier.startsWith('@/') || specifier.startsWith('~/')) base = path.join(project.root, 'src', specifier.slice(2));
  if (!base) return undefined;
  const stripped = base.replace(/\.(js|mjs|cjs)$/, '');
  for (const candidate of [base, ...EXTENSIONS.map((ext) => stripped + ext)]) {
    if (/\.[cm]?[jt]sx?$/.test(candidate) && project.readText(candidate) !== undefined) return candidate;
  }
  return undefined;
}
