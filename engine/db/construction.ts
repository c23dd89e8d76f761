/**
 * Construction-level facts used by the connection rules: Prisma 7 driver adapters (which own the
 * connection pool when present), the statically known options object of a construction (object
 * literals, `const` objects, resolvable spreads), and workspace classes whose constructor creates a
 * client or pool (one level of indirection).
 */
import * as ts from 'typescript';
import { resolveQualified } from '../ts/imports';
import { initializerOf, resolveExpression, skipOuterExpressions } from '../ts/scope';
import { stringValue } from '../ts/ast';
import { recognizeClientConstruction, type ClientConstruction, type DbContext } from './index';

/** Prisma driver adapters and the driver whose pool options they take. */
export const PRISMA_ADAPTERS: Record<string, { module: string; driver: 'pg' | 'mariadb' | 'neon' | 'planetscale' | 'libsql' | 'd1' | 'mssql' | 'better-sqlite3' }> = {
  PrismaPg: { module: '@prisma/adapter-pg', driver: 'pg' },
  PrismaMariaDb: { module: '@prisma/adapter-mariadb', driver: 'mariadb' },
  PrismaNeon: { module: '@prisma/adapter-neon', driver: 'neon' },
  PrismaPlanetScale: { module: '@prisma/adapter-planetscale', driver: 'planetscale' },
  PrismaLibSQL: { module: '@prisma/adapter-libsql', driver: 'libsql' },
  PrismaD1: { module: '@prisma/adapter-d1', driver: 'd1' },
  PrismaMssql: { module: '@prisma/adapter-mssql', driver: 'mssql' },
  PrismaBetterSqlite3: { module: '@prisma/adapter-better-sqlite3', driver: 'better-sqlite3' },
};

export interface AdapterConstruction {
  adapter: string;
  driver: (typeof PRISMA_ADAPTERS)[string]['driver'];
  node: ts.NewExpression;
}

/** `new PrismaPg({...})` (imported from `@prisma/adapter-pg`), and the other Prisma driver adapters. */
export function recognizeAdapterConstruction(node: ts.Node): AdapterConstruction | undefined {
  if (!ts.isNewExpression(node)) return undefined;
  const qualified = resolveQualified(node.expression);
  if (!qualified) return undefined;
  const name = qualified.path[qualified.path.length - 1];
  const spec = name ? PRISMA_ADAPTERS[name] : undefined;
  if (!spec || qualified.module !== spec.module) return undefined;
  return { adapter: name, driver: spec.driver, node };
}

/** What is statically known about an options argument. */
export interface StaticObject {
  /** The object literal to edit (the argument itself, or the `const` it names). */
  literal: ts.ObjectLiteralExpression;
  /** Known properties by name (later ones win, spreads of known objects included). */
  properties: Map<string, ts.Expression>;
  /** True when a spread or computed key could add properties the analysis cannot see. */
  open: boolean;
}

/** The object an expression denotes when it is an object literal or a `const` bound to one (spreads followed two levels). */
export function staticObject(expression: ts.Expression | undefined, depth = 0): StaticObject | undefined {
  if (!expression || depth > 2) return undefined;
  let inner = skipOuterExpressions(expression);
  if (ts.isIdentifier(inner)) {
    const binding = resolveExpression(inner);
    const init = binding && binding.kind === 'const' ? initializerOf(binding) : undefined;
    if (!init) return undefined;
    inner = skipOuterExpressions(init);
  }
  if (!ts.isObjectLiteralExpression(inner)) return undefined;
  const result: StaticObject = { literal: inner, properties: new Map(), open: false };
  for (const property of inner.properties) {
    if (ts.isSpreadAssignment(property)) {
      const spread = staticObject(property.expression, depth + 1);
      if (!spread) result.open = true;
      else {
        if (spread.open) result.open = true;
        for (const [key, value] of spread.properties) result.properties.set(key, value);
      }
      continue;
    }
    const key = property.name;
    const name = key && (ts.isIdentifier(key) || ts.isStringLiteral(key) || ts.isNumericLiteral(key)) ? key.text : key && ts.isComputedPropertyName(key) ? stringValue(key.expression) : undefined;
    if (name === undefined) {
      result.open = true;
      continue;
    }
    if (ts.isPropertyAssignment(property)) result.properties.set(name, property.initializer);
    else if (ts.isShorthandPropertyAssignment(property)) result.properties.set(name, property.name);
    else result.properties.set(name, property as unknown as ts.Expression);
  }
  return result;
}

/** A string value an expression statically has: a literal, a `const` bound to one, or a template without substitutions. */
export function staticString(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const inner = skipOuterExpressions(expression);
  const direct = stringValue(inner);
  if (direct !== undefined) return direct;
  if (ts.isIdentifier(inner)) {
    const binding = resolveExpression(inner);
    const init = binding && binding.kind === 'const' ? initializerOf(binding) : undefined;
    return init && init !== inner ? stringValue(skipOuterExpressions(init)) : undefined;
  }
  return undefined;
}

/** `process.env.NAME`, `process.env['NAME']`, `import.meta.env.NAME`, `Bun.env.NAME` → NAME (also through `??`/`||` fallbacks: the first). */
export function envVariableName(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  let inner = skipOuterExpressions(expression);
  if (ts.isBinaryExpression(inner) && (inner.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || inner.operatorToken.kind === ts.SyntaxKind.BarBarToken)) inner = skipOuterExpressions(inner.left);
  if (ts.isIdentifier(inner)) {
    const binding = resolveExpression(inner);
    const init = binding && binding.kind === 'const' ? initializerOf(binding) : undefined;
    return init && init !== inner ? envVariableName(init) : undefined;
  }
  let name: string | undefined;
  let object: ts.Expression | undefined;
  if (ts.isPropertyAccessExpression(inner)) [name, object] = [inner.name.text, inner.expression];
  else if (ts.isElementAccessExpression(inner)) [name, object] = [stringValue(inner.argumentExpression), inner.expression];
  if (!name || !object) return undefined;
  const text = skipOuterExpressions(object).getText();
  return /^(process\.env|import\.meta\.env|Bun\.env|Deno\.env)$/.test(text) ? name : undefined;
}

/**
 * A client/pool construction made by a workspace class's constructor (`this.pool = new Pool()`,
 * a field initialiser `db = new PrismaClient()`), or by its base class (`extends PrismaClient`):
 * `new ThatClass()` then creates a connection pool too.
 */
export function constructionInClass(cls: ts.ClassLikeDeclaration, context: DbContext): ClientConstruction | undefined {
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.initializer && !member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
      const found = recognizeClientConstruction(skipOuterExpressions(member.initializer), context);
      if (found && isConnectionKind(found)) return found;
    }
    if (ts.isConstructorDeclaration(member) && member.body) {
      let found: ClientConstruction | undefined;
      const visit = (node: ts.Node): void => {
        if (found || (node !== member.body && ts.isFunctionLike(node))) return;
        if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
          const construction = recognizeClientConstruction(node, context);
          if (construction && isConnectionKind(construction)) {
            found = construction;
            return;
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(member.body);
      if (found) return found;
    }
  }
  return undefined;
}

/** Constructions that open connections (clients, pools, connections, sql tags), not models/repositories. */
export function isConnectionKind(construction: ClientConstruction): boolean {
  return construction.kind === 'client' || construction.kind === 'pool' || construction.kind === 'connection' || construction.kind === 'sql-tag' || construction.kind === 'orm';
}
