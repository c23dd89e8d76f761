/**
 * Construction-level facts used by the connection rules: Prisma 7 driver adapters (which own the
 * connection pool when present), the statically known options object of a construction (object
 * literals, `const` objects, resolvable spreads), and workspace classes whose constructor creates a
 * client or pool (one level of indirection).
 */
import * as ts from 'typescript';
import { defineFact, type Project } from '../project';
import { languageOf } from '../parse';
import { importOfBinding, resolveQualified } from '../ts/imports';
import { initializerOf, resolveExpression, skipOuterExpressions } from '../ts/scope';
import { isModuleLevel, stringValue } from '../ts/ast';
import { ContextMemo } from '../ts/memo';
import { importedModulesPattern, KNOWN_DB_MODULES, moduleGraph, specifierMatcher, textImportsModule, recognizeClientConstruction, type ClientConstruction, type DbContext } from './index';

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
      // `...(options.stream ? { stream: options.stream } : {})`, `...(ssl && { ssl })`: either branch's keys may be there
      const spread = skipOuterExpressions(property.expression);
      const branches = ts.isConditionalExpression(spread)
        ? [spread.whenTrue, spread.whenFalse]
        : ts.isBinaryExpression(spread) && spread.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken
          ? [spread.right]
          : [property.expression];
      for (const branch of branches) {
        const known = staticObject(branch, depth + 1);
        if (!known) result.open = true;
        else {
          if (known.open) result.open = true;
          for (const [key, value] of known.properties) result.properties.set(key, value);
        }
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
const classConstructions = new ContextMemo<ts.ClassLikeDeclaration, ClientConstruction | null>();

export function constructionInClass(cls: ts.ClassLikeDeclaration, context: DbContext): ClientConstruction | undefined {
  const cached = classConstructions.get(cls);
  if (cached !== undefined) return cached ?? undefined;
  const text = cls.getSourceFile().text;
  const found = mayConstructClients(text) ? findConstructionInClass(cls, context) : undefined;
  classConstructions.set(cls, found ?? null);
  return found;
}

function findConstructionInClass(cls: ts.ClassLikeDeclaration, context: DbContext): ClientConstruction | undefined {
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

/** A workspace class a `new X()` callee names: declared in this file or imported from a workspace module. */
export function resolveWorkspaceClass(callee: ts.Expression, context: DbContext): { decl: ts.ClassLikeDeclaration; context: DbContext } | undefined {
  const inner = skipOuterExpressions(callee);
  if (!ts.isIdentifier(inner)) return undefined;
  const binding = resolveExpression(inner);
  if (!binding) return undefined;
  if (binding.kind === 'class' && ts.isClassLike(binding.declaration)) return { decl: binding.declaration, context };
  const imported = importOfBinding(binding);
  if (!imported || imported.name === '*') return undefined;
  const target = moduleGraph(context.project).resolve(context.path, imported.module);
  const sourceFile = target ? moduleGraph(context.project).sourceFile(target) : undefined;
  if (!target || !sourceFile) return undefined;
  for (const statement of sourceFile.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    const modifiers = ts.getModifiers(statement) ?? [];
    const exported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (exported && ((imported.name === 'default' && isDefault) || (!isDefault && statement.name?.text === imported.name))) {
      return { decl: statement, context: { project: context.project, path: target, sourceFile } };
    }
    if (!exported && statement.name?.text === imported.name && sourceFile.statements.some((s) => ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.some((e) => (e.propertyName ?? e.name).text === imported.name && e.name.text === imported.name))) {
      return { decl: statement, context: { project: context.project, path: target, sourceFile } };
    }
  }
  return undefined;
}

/** A client/pool constructed at module scope of a workspace file (for "one pool per module" checks). */
export interface ModuleLevelClient {
  path: string;
  start: number;
  end: number;
  library: string;
  kind: string;
  /** Library + factory + what the construction connects to (URL/env variable text), to tell apart clients of different databases. */
  signature: string;
  /** Cached on `globalThis` (`globalThis.prisma ??= new PrismaClient()`): one per process whatever the module count. */
  globalCached: boolean;
}

/** What a construction connects to, as comparable text: its URL-ish argument/option, or '' for the default (env) connection. */
export function connectionSignature(construction: ClientConstruction): string {
  const node = construction.node;
  const args = node.arguments ?? [];
  const parts: string[] = [];
  for (const argument of args) {
    const object = staticObject(argument);
    if (object) {
      for (const key of ['connectionString', 'url', 'uri', 'datasourceUrl', 'datasources', 'host', 'database', 'connection', 'port']) {
        const value = object.properties.get(key);
        if (value) parts.push(`${key}=${value.getText().replace(/\s+/g, '')}`);
      }
    } else parts.push(argument.getText().replace(/\s+/g, ''));
  }
  const calleeModule = (() => {
    const callee = skipOuterExpressions(node.expression);
    const root = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
    const binding = ts.isIdentifier(root) ? resolveExpression(root) : undefined;
    return binding ? importOfBinding(binding)?.module ?? '' : '';
  })();
  return `${construction.library}|${construction.factory}|${calleeModule}|${parts.join(';')}`;
}

/** True when a construction's value is stored on `globalThis`/`global` (directly or via a `globalForX` alias): `globalThis.db ??= new Pool()`, `g.prisma ?? new PrismaClient()`. */
export function isGlobalThisCached(node: ts.Node): boolean {
  const caching = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken]);
  let current: ts.Node = node;
  for (let hops = 0; current.parent && hops < 6; hops++) {
    const parent: ts.Node = current.parent;
    if (ts.isBinaryExpression(parent) && parent.right === current) {
      if (caching.has(parent.operatorToken.kind) && isGlobalObjectAccess(parent.left)) return true;
      current = parent;
      continue;
    }
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) {
      current = parent;
      continue;
    }
    break;
  }
  return false;
}

/** `globalThis.x`, `global.x`, `globalForPrisma.x` where `globalForPrisma` is bound to `globalThis` (cast). */
export function isGlobalObjectAccess(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  if (!ts.isPropertyAccessExpression(inner) && !ts.isElementAccessExpression(inner)) return false;
  const object = skipOuterExpressions(inner.expression);
  if (ts.isIdentifier(object)) {
    if ((object.text === 'globalThis' || object.text === 'global' || object.text === 'window') && !resolveExpression(object)) return true;
    const binding = resolveExpression(object);
    const init = binding ? initializerOf(binding) : undefined;
    if (init) {
      const value = skipOuterExpressions(init);
      return ts.isIdentifier(value) && (value.text === 'globalThis' || value.text === 'global') && !resolveExpression(value);
    }
  }
  return false;
}

/** Every module-level client/pool construction of the workspace's non-test files (a project fact). */
export const moduleLevelClientsFact = defineFact('db/module-level-clients', (project): ModuleLevelClient[] => {
  const result: ModuleLevelClient[] = [];
  const graph = moduleGraph(project);
  for (const file of project.sourceFiles()) {
    if (languageOf(file) !== 'typescript') continue;
    const text = project.readText(file);
    if (text === undefined || !mayConstructClientsIn(project, file, text)) continue;
    const sourceFile = graph.sourceFile(file);
    if (!sourceFile) continue;
    const context: DbContext = { project, path: file, sourceFile };
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && mayBeConstruction(node)) {
        const construction = recognizeClientConstruction(node, context);
        if (construction && isConnectionKind(construction) && runsAtModuleLoad(node)) {
          result.push({ path: file, start: node.getStart(sourceFile), end: node.getEnd(), library: construction.library, kind: construction.kind, signature: connectionSignature(construction), globalCached: isGlobalThisCached(node) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return result;
}, { onTrim: 'keep' });

/**
 * True when `node` runs once while the module loads: module level (engine/ts/ast `isModuleLevel`)
 * and not inside an instance field initialiser (`class A { pool = new Pool() }` runs per instance).
 */
export function runsAtModuleLoad(node: ts.Node): boolean {
  if (!isModuleLevel(node)) return false;
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isPropertyDeclaration(current) && !current.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return false;
  }
  return true;
}

/** True when the parser recovered from syntax errors: fixes are then not offered (spans may be incomplete). */
export function hasSyntaxErrors(sourceFile: ts.SourceFile): boolean {
  return ((sourceFile as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0) > 0;
}

const DB_IMPORT_MODULES = [...KNOWN_DB_MODULES, ...Object.values(PRISMA_ADAPTERS).map((a) => a.module)];
const DB_IMPORT_TEXT = importedModulesPattern(DB_IMPORT_MODULES);
const isDbImportSpecifier = specifierMatcher(DB_IMPORT_MODULES);

const namesPrismaClient = (text: string): boolean => text.includes('PrismaClient') || text.includes('generated/prisma');

/** Cheap pre-filter: could this file construct a database client at all (imports a database module, or names PrismaClient)? */
export function mayConstructClients(text: string): boolean {
  return namesPrismaClient(text) || DB_IMPORT_TEXT.test(text);
}

/** `mayConstructClients` for a workspace file's current text: its imports from the import index when it read them. */
export function mayConstructClientsIn(project: Project, file: string, text: string): boolean {
  return namesPrismaClient(text) || textImportsModule(project, file, text, DB_IMPORT_TEXT, isDbImportSpecifier);
}

/**
 * Cheap pre-filter for one call: construction callees are an imported/required name, a class, or
 * one property of one (`new Pool`, `pg.Pool`, `mysql.createPool`, `MongoClient.connect`).
 */
export function mayBeConstruction(node: ts.NewExpression | ts.CallExpression): boolean {
  let callee = skipOuterExpressions(node.expression);
  // TypeScript's CommonJS call form: `(0, mysql_1.createPool)(…)`
  if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken && ts.isNumericLiteral(skipOuterExpressions(callee.left))) callee = skipOuterExpressions(callee.right);
  if (ts.isPropertyAccessExpression(callee)) callee = skipOuterExpressions(callee.expression);
  if (ts.isPropertyAccessExpression(callee)) callee = skipOuterExpressions(callee.expression); // pg.default.Pool in compiled code
  if (!ts.isIdentifier(callee)) return false;
  const binding = resolveExpression(callee);
  if (!binding) return false;
  return binding.kind === 'import' || binding.kind === 'class' || ((binding.kind === 'const' || binding.kind === 'var' || binding.kind === 'let') && ts.isSourceFile(binding.scope));
}
