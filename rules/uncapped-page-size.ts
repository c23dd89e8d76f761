/**
 * uncapped-page-size: page-size inputs (`limit`, `take`, `pageSize`, …) validated as numbers but
 * without a maximum, in zod, valibot, yup, class-validator, TypeBox and JSON-schema (Fastify)
 * request schemas; and raw request input passed straight into a query's `take`/`limit`.
 *
 * Libraries are recognised by import (`z` must come from 'zod', `@IsInt` from 'class-validator'),
 * never by spelling alone.
 */
import * as ts from 'typescript';
import { defineRule, type GateInput, type RuleContext } from '../engine/rule';
import type { Fix, TextEdit } from '../engine/types';
import type { Project } from '../engine/project';
import { indentationAt, isFunctionNode, keyName, memberChain, newlineOf, objectProperty } from '../engine/ts/ast';
import { appendPropertyEdit, isClosed } from '../engine/ts/edits';
import { exportPathFrom, resolveQualified, spellingOfExport } from '../engine/ts/imports';
import { referencesOf, resolveIdentifier, skipOuterExpressions, type Binding } from '../engine/ts/scope';
import { moduleGraph } from '../engine/db/modules';
import { functionOfBinding, importedDeclaration, isTestPath, workspaceReferences } from '../engine/ts/modules';
import { resolverMapField } from '../engine/ts/graphql';
import { matchesInCode } from '../engine/textscan';

/** zod itself, and packages that re-export it under a `zod` subpath (`@medusajs/framework/zod`) or as `z` (`@hono/zod-openapi`). */
const ZOD = (module: string) => /^(zod(\/v[34])?|@hono\/zod-openapi)$|^(@[\w.-]+\/)?[\w.-]+\/zod$/.test(module);
const VALIBOT = ['valibot'];
const YUP = ['yup'];
const TYPEBOX = ['@sinclair/typebox', 'typebox'];
const CLASS_VALIDATOR = 'class-validator';

/** Names that are page sizes only next to other paging inputs (`size` of a shirt, `count` of items…). */
const WEAK_NAMES = new Set(['size', 'count', 'first', 'last']);
/** Siblings that make a weak name a page size. */
const PAGING_SIBLINGS = /^(page|pageNumber|page_number|pageIndex|page_index|offset|skip|cursor|after|before|startAfter|start_after|pageToken|page_token)$/;
/** Siblings of a response envelope (`{ items, total, limit }` echoes the limit; it is not an input). */
const RESPONSE_SIBLINGS = /^(total|totalCount|total_count|totalItems|total_items|totalPages|total_pages|hasMore|has_more|hasNextPage|hasPreviousPage|items|data|results|rows|nodes|edges|records|pageInfo|nextCursor|next_cursor|nextPage|next_page)$/;
/** Siblings of a rate-limit or retry configuration (`{ limit, windowMs }`). */
const NON_PAGING_SIBLINGS = /(window|ttl|interval|duration|timeout|retr(y|ies)|burst|rate|perSecond|perMinute|Ms$)/i;

/** Names of a schema's context that say it describes a list request. */
const LIST_CONTEXT = /(query|querystring|list|params|search|paginat|filter|find|args|page|\binput\b)/i;

/**
 * Names around a schema object: the variable, property or export it is assigned to, the class it
 * belongs to, and the methods it passes through (`z.object(…).extend(…)`, tRPC `.input(…)`).
 */
function contextNames(holder: ts.Node): string[] {
  const names: string[] = [];
  for (let current: ts.Node | undefined = holder; current && names.length < 8; current = current.parent) {
    if (ts.isClassLike(current)) {
      if (current.name) names.push(current.name.text);
      break;
    }
    if (ts.isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      if (ts.isPropertyAccessExpression(callee)) names.push(callee.name.text);
      continue;
    }
    if (ts.isVariableDeclaration(current) && ts.isIdentifier(current.name)) {
      names.push(current.name.text);
      break;
    }
    if (ts.isPropertyAssignment(current) && current !== holder) {
      const key = keyName(current.name);
      if (key === 'properties') continue; // JSON schema: look at what the schema is for (`querystring`)
      if (key) names.push(key);
      break;
    }
    if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = skipOuterExpressions(current.left);
      if (ts.isPropertyAccessExpression(target)) names.push(target.name.text);
      else if (ts.isIdentifier(target)) names.push(target.text);
      break;
    }
    if (isFunctionLikeBoundary(current)) {
      const fn = current as ts.FunctionLikeDeclaration;
      if (fn.name && ts.isIdentifier(fn.name)) names.push(fn.name.text);
      else if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) names.push(fn.parent.name.text);
      break;
    }
  }
  return names;
}

function isFunctionLikeBoundary(node: ts.Node): boolean {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
}

type Analysis =
  | { state: 'uncapped'; schema: string; fix?: Fix }
  | { state: 'capped' }
  | { state: 'other' };

const CAPPED: Analysis = { state: 'capped' };
const OTHER: Analysis = { state: 'other' };

/** Query options whose value bounds the number of rows, per method that reads a list. */
const BOUND_PROPERTIES = new Set(['take', 'limit']);
const LIST_METHODS = new Set(['findMany', 'find', 'findAll', 'findAndCountAll', 'findAndCount', 'findBy', 'findManyAndCount', 'paginate']);
/** Parts of a request object that carry client input. */
const REQUEST_PARTS = new Set(['query', 'body', 'params', 'queryStringParameters', 'searchParams']);

export default defineRule({
  id: 'uncapped-page-size',
  meta: {
    category: 'pagination',
    defaultSeverity: 'warning',
    description: 'Page-size inputs (`limit`, `take`, `pageSize`, …) without a maximum, in request schemas or passed straight from the request into a query.',
    fix: 'suggestion',
    languages: ['typescript'],
    // 2: test files are not reported; 3: schemas used only as types (a client SDK's options) are not reported
    // 4: GraphQL resolver arguments are request input; 5: request input read by a helper from the request it is given
    // 6: a schema's uses through namespace imports and CommonJS requires are followed; an object inside the
    // request body or query (`req.body.pagination`) is request input; so are arithmetic on it and a property of the
    // object a helper returns (`const { take } = pageWindow(req)`), and either branch of a conditional
    version: 6,
  },
  // Tests (`*.test.ts`, `test/`, `__tests__/`, fixtures) serve no requests: a schema there is a test's input, not an endpoint's.
  mayReport: (input) => !isTestPath(input.project.relative(input.path)) && mayHavePageSizeInput(input),
  create(context) {
    if (isTestPath(context.project.relative(context.path))) return {};
    const sourceFile = context.sourceFile!;
    const names = new Set(context.settings.pageSizeNames);
    const pageSize = context.settings.defaultPageSize;

    const reportSchema = (name: ts.Node, propertyName: string, analysis: Analysis & { state: 'uncapped' }) => {
      context.report({
        node: name,
        message: `\`${propertyName}\` is a page size without a maximum: ${analysis.schema} accepts any value, so one request can ask for every row (\`?${propertyName}=1000000\`). Cap it (e.g. at ${pageSize}).`,
        fixes: analysis.fix ? [analysis.fix] : [],
      });
    };

    return {
      [ts.SyntaxKind.PropertyAssignment](node: ts.PropertyAssignment) {
        const propertyName = keyName(node.name);
        if (propertyName === undefined) return;
        if (BOUND_PROPERTIES.has(propertyName)) checkBoundUse(context, node.initializer, propertyName, node.initializer);
        if (!names.has(propertyName) || !ts.isObjectLiteralExpression(node.parent)) return;
        if (!looksLikePageSize(propertyName, siblingNames(node.parent, node), node.parent)) return;
        const analysis = analyzeSchema(context, node.initializer, node.parent);
        if (analysis.state !== 'uncapped' || usedOnlyAsType(context, node.parent)) return;
        // Half-typed code (an unclosed call or object) gets the finding but no edit.
        reportSchema(node.name, propertyName, isClosed(sourceFile, skipOuterExpressions(node.initializer)) ? analysis : { ...analysis, fix: undefined });
      },
      [ts.SyntaxKind.ShorthandPropertyAssignment](node: ts.ShorthandPropertyAssignment) {
        if (BOUND_PROPERTIES.has(node.name.text)) checkBoundUse(context, node.name, node.name.text, node);
      },
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        const callee = skipOuterExpressions(node.expression);
        if (!ts.isPropertyAccessExpression(callee) || !BOUND_PROPERTIES.has(callee.name.text) || node.arguments.length !== 1) return;
        const receiver = skipOuterExpressions(callee.expression);
        if (!ts.isCallExpression(receiver) && !ts.isPropertyAccessExpression(receiver) && !ts.isIdentifier(receiver)) return;
        const source = requestInput(node.arguments[0], 0, context.project);
        if (source) reportUse(context, node.arguments[0], `.${callee.name.text}()`, source, node.arguments[0]);
        else checkSchemaDerived(context, node.arguments[0], `\`.${callee.name.text}()\``, node.arguments[0]);
      },
      [ts.SyntaxKind.PropertyDeclaration](node: ts.PropertyDeclaration) {
        const propertyName = keyName(node.name);
        if (propertyName === undefined || !names.has(propertyName) || !ts.isClassLike(node.parent)) return;
        const siblings = node.parent.members.filter((m) => m !== node && m.name).map((m) => keyName(m.name!)).filter((n): n is string => n !== undefined);
        if (!looksLikePageSize(propertyName, siblings, node.parent)) return;
        const analysis = analyzeClassValidator(context, node);
        if (analysis.state !== 'uncapped') return;
        const closed = (ts.getDecorators(node) ?? []).every((d) => isClosed(sourceFile, skipOuterExpressions(d.expression)));
        reportSchema(node.name, propertyName, closed ? analysis : { ...analysis, fix: undefined });
      },
    };

    function looksLikePageSize(propertyName: string, siblings: string[], holder: ts.Node): boolean {
      if (siblings.some((s) => RESPONSE_SIBLINGS.test(s) || NON_PAGING_SIBLINGS.test(s))) return false;
      const pagingSibling = siblings.some((s) => PAGING_SIBLINGS.test(s) || (names.has(s) && !WEAK_NAMES.has(s) && s !== 'limit'));
      if (WEAK_NAMES.has(propertyName)) return pagingSibling;
      // `limit` is also a usage limit, a budget, a quota: a page size only among paging inputs or
      // in a schema named like a list query (`ListOrdersQuery`, `findParams`, `querystring`, tRPC `.input`).
      if (propertyName === 'limit') return pagingSibling || LIST_CONTEXT.test(contextNames(holder).join(' '));
      return true;
    }
  },
});

/**
 * Whether the schema holding `object` (`export const ListOptions = z.object({ … })`) is used only as
 * a type in the workspace (`z.infer<typeof ListOptions>`, here and in its importers): a client SDK
 * describing what it sends validates no request. Unknown uses (a namespace import, a re-export) count
 * as validation, and so does a schema nothing uses.
 */
function usedOnlyAsType(context: RuleContext, object: ts.ObjectLiteralExpression): boolean {
  let declaration: ts.Node | undefined = object;
  while (declaration && !ts.isVariableDeclaration(declaration) && !ts.isStatement(declaration) && !ts.isFunctionLike(declaration) && !ts.isClassLike(declaration)) declaration = declaration.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return false;
  const binding = resolveIdentifier(declaration.name);
  const references = binding?.kind === 'const' ? workspaceReferences(binding, context.project, context.path) : undefined;
  if (!references) return false;
  // (not the declaring names, here and in import lists, nor export lists)
  const declaring = (r: ts.Identifier) => ts.isVariableDeclaration(r.parent) || ts.isImportSpecifier(r.parent) || ts.isImportClause(r.parent) || ts.isExportSpecifier(r.parent) || ts.isExportAssignment(r.parent);
  const typed = references.filter((r) => !declaring(r));
  return typed.length > 0 && typed.every((r) => ts.isTypeQueryNode(r.parent) || ts.isTypeReferenceNode(r.parent) || (ts.isQualifiedName(r.parent) && r.parent.left === r));
}

/**
 * The text gate, a superset of the three shapes: a `.take(…)`/`.limit(…)` call, or `take`/`limit`
 * in a file that calls a list method, where request input or a parsed schema is in sight; a
 * page-size name in a file that imports a schema library (or holds a JSON schema's numeric type).
 */
function mayHavePageSizeInput({ path: filePath, text, settings }: GateInput): boolean {
  if (!pageSizeShapes(text, settings, (pattern) => pattern.test(text))) return false;
  // Again without comments (JSX aside, which the tokenizer does not read): the few files left here
  // are large, and what let most of them through was documentation.
  return /\.[jt]sx$/i.test(filePath) || pageSizeShapes(text, settings, (pattern) => matchesInCode(text, pattern));
}

function pageSizeShapes(text: string, settings: GateInput['settings'], has: (pattern: RegExp) => boolean): boolean {
  // `.take(n)` with a non-literal argument, or `{ take: … }` / `{ limit }` and a list method call
  // (the words first: on the bench corpus `indexOf` takes half the time of these patterns, which start at every `.` or `{`)
  const bound = (text.includes('take') || text.includes('limit')) && (has(BOUND_CALL_TEXT) || (has(BOUND_KEY_TEXT) && has(LIST_METHOD_TEXT)));
  if (bound && mayCarryRequestInput(text, has)) return true;
  if (!has(SCHEMA_MODULE_TEXT) && !(text.includes('properties') && has(JSON_NUMBER_TYPE_TEXT))) return false;
  return has(pageSizeNamePattern(settings.pageSizeNames));
}

/** `.take(n)` / `.limit(n)` with an argument that is not a number literal. */
const BOUND_CALL_TEXT = /\.\s*(?:take|limit)\s*(?:\?\.\s*)?\(\s*[^\s\d)]/;

/**
 * `take`/`limit` as an object key or shorthand property (also next to a stray word, `{ async limit }`,
 * `{ limit é }` or `{ limit for (…` while typing: TypeScript's recovery still reads a `limit` property).
 */
const BOUND_KEY_TEXT = /\b(?:take|limit)['"]?\s*:|[{,][^{}(),;:]{0,40}?\b(?:take|limit)(?:\s*[,}]|\s+(?:[\w$]|[^\x00-\x7f]))/;
/**
 * An import of a schema library the analysis knows (as `ZOD`, `VALIBOT`, … test module names); the
 * string may be unterminated at the end of its line (`from 'zod` while typing), which TypeScript
 * still reads as `'zod'`.
 */
const SCHEMA_MODULE_TEXT = /['"](?:zod(?:\/v[34])?|@hono\/zod-openapi|(?:@[\w.-]+\/)?[\w.-]+\/zod|valibot|yup|@sinclair\/typebox|typebox|class-validator|class-transformer)(?:['"]|(?=[\r\n\u2028\u2029]|$))/;
/**
 * A JSON schema's `type: 'integer'` (or a type list holding it); the string may be unterminated at
 * the end of its line (half-typed), where TypeScript still reads it as `'integer'`.
 */
const JSON_NUMBER_TYPE_TEXT = /\btype['"]?\s*:\s*(?:\[[^\]]*)?['"](?:integer|number)(?:['"]|(?=[\r\n\u2028\u2029]|$))/;

/**
 * What `requestInput` and `checkSchemaDerived` start from: a request part read as a property
 * (`req.query`, `event.queryStringParameters`, `url.searchParams`, `c.req.query(…)`), NestJS's
 * request decorators (imported from `@nestjs/common`, under any name), a schema's `.parse(…)`, a
 * tRPC procedure's `.input(…)`.
 */
const REQUEST_TEXT = /\.\s*(?:query|body|params|param|queryStringParameters|searchParams)\b|['"](?:@nestjs\/common|@nestjs\/graphql|type-graphql)(?:['"]|(?=[\r\n\u2028\u2029]|$))|\b[Rr]esolvers\b|\bresolver\b|\bresolve\s*[(:]/;
const SCHEMA_CALL_TEXT = /\.\s*(?:parse|parseAsync|input)\s*\(/;
/** …not the global JSON's (`JSON.parse(raw)`: no schema bounds its result). */
const NON_JSON_SCHEMA_CALL_TEXT = /(?<!\bJSON\s*)\.\s*(?:parse|parseAsync|input)\s*\(/;
/** `JSON` bound in the file (imported, declared, destructured): then `JSON.parse(…)` may be a schema's. */
const JSON_BINDING_TEXT = /\bJSON\s*(?:[,}:=]|as\b)|\b(?:import|const|let|var|class|function)\s+JSON\b|\bas\s+JSON\b/;

function mayCarryRequestInput(text: string, has: (pattern: RegExp) => boolean): boolean {
  if (mentions(text, REQUEST_WORDS) && has(REQUEST_TEXT)) return true;
  // `.parse(…)` of anything but the global JSON (whose result no schema bounds)
  if (!text.includes('parse') && !text.includes('input')) return false;
  return text.includes('JSON') && JSON_BINDING_TEXT.test(text) ? has(SCHEMA_CALL_TEXT) : has(NON_JSON_SCHEMA_CALL_TEXT);
}

/**
 * Words without which REQUEST_TEXT cannot match, asked first: `includes` scans a text that lacks
 * them faster than the pattern, which starts at every `.` (on the keystroke benchmark's 120 KB
 * document: ~0.12 instead of ~0.21 ms; `JSON` first: ~0.002 instead of ~0.3 ms). For the schema
 * modules' names it was slower than their pattern, which starts at quotes.
 */
const REQUEST_WORDS = ['query', 'body', 'param', 'searchParams', '@nestjs/common', 'esolve', 'type-graphql'];

function mentions(text: string, words: readonly string[]): boolean {
  return words.some((word) => text.includes(word));
}

/** A call of a list method (`.findMany(`, `.findMany<T>(`, `.findMany?.(`). */
const LIST_METHOD_TEXT = new RegExp(`\\.\\s*(?:${[...LIST_METHODS].join('|')})\\s*(?:<|\\(|\\?\\.)`);

let namePattern: { names: string[]; pattern: RegExp } | undefined;

function pageSizeNamePattern(names: string[]): RegExp {
  if (namePattern?.names !== names) {
    const alternatives = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    // as a property key (`limit: …`, `'page_size': …`) or a class field (`limit?: number`, `limit = 20`, `limit;`,
    // `limit!}` closing the class, and `limit?` followed by anything but `.` or `?`: TypeScript ends the
    // member there while its type is being typed)
    // A field's name that starts its line or follows a decorator's `)`, then anything but a call or a
    // list's comma, is a field too: TypeScript ends the member at whatever junk follows while it is
    // being typed (`pageSize '…'`, `take prisma = …`, `perPage!*/`, `perPage.pust`; a member access
    // starting a line of code lets a file through, at worst). (Every match
    // starts at the name, as `matchesInCode` asks, and the line start or decorator is a lookbehind
    // after it: a pattern that starts with a variable-length lookbehind is tried at every position.)
    namePattern = {
      names,
      pattern:
        names.length > 0
          ? new RegExp(`(?<![\\w$])(?:${alternatives})(?:['"]?(?:[?!]?(?:\\s*[:=;]|[ \\t]*$)|!\\s*\\}|\\?(?![.?]))|(?<=(?:^[ \\t]*|\\)[ \\t]+)(?:${alternatives}))(?![\\w$(,]))`, 'm')
          : /(?!)/,
    };
  }
  return namePattern.pattern;
}

function siblingNames(object: ts.ObjectLiteralExpression, self: ts.Node): string[] {
  return object.properties.filter((p) => p !== self && p.name).map((p) => keyName(p.name!)).filter((n): n is string => n !== undefined);
}

function numericLiteral(node: ts.Node | undefined): number | undefined {
  if (!node) return undefined;
  const inner = ts.isExpression(node) ? skipOuterExpressions(node) : node;
  if (ts.isNumericLiteral(inner)) return Number(inner.text);
  if (ts.isStringLiteral(inner) && /^\d+$/.test(inner.text)) return Number(inner.text);
  return undefined;
}

/** The cap a fix inserts: the configured page size, raised to a larger literal default so the default stays valid. */
function capFor(context: RuleContext, defaultValue: number | undefined): number {
  const pageSize = context.settings.defaultPageSize;
  return defaultValue !== undefined && defaultValue > pageSize ? defaultValue : pageSize;
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

function analyzeSchema(context: RuleContext, value: ts.Expression, object: ts.ObjectLiteralExpression): Analysis {
  for (const analyze of [analyzeZod, analyzeValibot, analyzeYup, analyzeTypeBox]) {
    const result = analyze(context, value);
    if (result.state !== 'other') return result;
  }
  return analyzeJsonSchema(context, value, object);
}

// ---------------------------------------------------------------------------------------------
// Method chains (zod, yup)

interface Chain {
  root: ts.CallExpression;
  rootPath: string;
  methods: Array<{ name: string; call: ts.CallExpression }>;
}

function decomposeChain(expression: ts.Expression, modules: readonly string[] | ((module: string) => boolean), namespaceExport?: string): Chain | undefined {
  let current = skipOuterExpressions(expression);
  const methods: Chain['methods'] = [];
  while (ts.isCallExpression(current)) {
    const rootPath = exportPathFrom(current.expression, modules, namespaceExport);
    if (rootPath !== undefined) return { root: current, rootPath, methods };
    const callee = skipOuterExpressions(current.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    methods.unshift({ name: callee.name.text, call: current });
    current = skipOuterExpressions(callee.expression);
  }
  return undefined;
}

/** `Number`, `parseInt`, `(v) => Number(v)`, `(v) => parseInt(v, 10)`, `(v) => +v`. */
function isNumberConversion(fn: ts.Expression | undefined): boolean {
  if (!fn) return false;
  const inner = skipOuterExpressions(fn);
  if (isGlobalNamed(inner, ['Number', 'parseInt', 'parseFloat'])) return true;
  if (ts.isPropertyAccessExpression(inner) && isGlobalNamed(inner.expression, ['Number']) && /^parse(Int|Float)$/.test(inner.name.text)) return true;
  if ((ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) && inner.parameters.length >= 1) {
    let body: ts.Node = inner.body;
    if (ts.isBlock(body)) {
      if (body.statements.length !== 1 || !ts.isReturnStatement(body.statements[0]) || !body.statements[0].expression) return false;
      body = body.statements[0].expression;
    }
    const expression = skipOuterExpressions(body as ts.Expression);
    if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.PlusToken) return true;
    if (ts.isCallExpression(expression)) return isNumberConversion(expression.expression);
  }
  return false;
}

function isGlobalNamed(expression: ts.Expression, globals: string[]): boolean {
  const inner = skipOuterExpressions(expression);
  return ts.isIdentifier(inner) && globals.includes(inner.text) && resolveIdentifier(inner) === undefined;
}

function mentionsClamp(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  return /\bMath\.min\b|\bclamp\w*\(/.test(node.getText(sourceFile));
}

const ZOD_WRAPPERS = new Set(['default', 'optional', 'nullable', 'nullish', 'catch', 'describe', 'openapi', 'meta', 'brand', 'readonly', 'prefault']);
const ZOD_NUMBER_MODIFIERS = new Set(['int', 'positive', 'nonnegative', 'min', 'gte', 'gt', 'finite', 'safe', 'multipleOf', 'step', 'nonpositive', 'negative']);
const ZOD_NUMBER_CAPS = new Set(['max', 'lte', 'lt']);
const ZOD_CUSTOM_CHECKS = new Set(['refine', 'superRefine', 'check', 'overwrite']);
const ZOD_STRING_NEUTRAL = new Set(['trim', 'min', 'nonempty', 'regex', 'toLowerCase', 'toUpperCase']);

function analyzeZod(context: RuleContext, expression: ts.Expression): Analysis {
  const sourceFile = context.sourceFile!;
  const chain = decomposeChain(expression, ZOD, 'z');
  if (!chain) return OTHER;
  const { root, rootPath, methods } = chain;
  let kind: 'number' | 'string' | 'converted';
  let insertAt = root.getEnd();
  let defaultValue: number | undefined;
  if (['number', 'coerce.number', 'int', 'int32', 'uint32'].includes(rootPath)) kind = 'number';
  else if (rootPath === 'string' || rootPath === 'coerce.string') kind = 'string';
  else if (['preprocess', 'optional', 'nullable', 'nullish'].includes(rootPath)) {
    const inner = rootPath === 'preprocess' ? root.arguments[1] : root.arguments[0];
    if (!inner || !methods.every((m) => ZOD_WRAPPERS.has(m.name))) return OTHER;
    return analyzeZod(context, inner);
  } else return OTHER;
  let wrapped = false;
  for (const method of methods) {
    const { name, call } = method;
    if (ZOD_WRAPPERS.has(name)) {
      wrapped = true;
      if (name === 'default') defaultValue = numericLiteral(call.arguments[0]);
      continue;
    }
    if (ZOD_CUSTOM_CHECKS.has(name)) return CAPPED;
    if (name === 'pipe') return call.arguments[0] ? analyzeZod(context, call.arguments[0]) : OTHER;
    if (wrapped) return OTHER;
    if (kind === 'number') {
      if (ZOD_NUMBER_CAPS.has(name)) return CAPPED;
      if (!ZOD_NUMBER_MODIFIERS.has(name)) return OTHER;
      insertAt = call.getEnd();
    } else if (kind === 'string') {
      if (name === 'max' || name === 'length') return CAPPED; // a bounded number of digits
      if (name === 'regex' && /\{\d+(,\d+)?\}/.test(call.arguments[0]?.getText(sourceFile) ?? '')) return CAPPED;
      if (name === 'transform') {
        if (mentionsClamp(call, sourceFile)) return CAPPED;
        if (!isNumberConversion(call.arguments[0])) return OTHER;
        kind = 'converted';
        insertAt = call.getEnd();
      } else if (!ZOD_STRING_NEUTRAL.has(name)) return OTHER;
    } else return OTHER;
  }
  if (kind === 'string') return OTHER;
  const cap = capFor(context, defaultValue);
  const schema = `\`${short(expression.getText(sourceFile))}\``;
  if (kind === 'number') {
    return { state: 'uncapped', schema, fix: { kind: 'suggestion', title: `Add \`.max(${cap})\``, edits: [{ start: insertAt, end: insertAt, text: `.max(${cap})` }] } };
  }
  // z.string().transform(Number): the output is a number that no schema checks; pipe it into one.
  const calleeText = root.expression.getText(sourceFile);
  const suffix = `.${rootPath}`;
  if (!calleeText.endsWith(suffix) || calleeText.includes('(')) return { state: 'uncapped', schema };
  const z = calleeText.slice(0, -suffix.length);
  const text = `.pipe(${z}.number().max(${cap}))`;
  return { state: 'uncapped', schema, fix: { kind: 'suggestion', title: `Add \`${text}\``, edits: [{ start: insertAt, end: insertAt, text }] } };
}

const YUP_CAPS = new Set(['max', 'lessThan', 'oneOf', 'test', 'when']);
const YUP_NEUTRAL = new Set(['integer', 'positive', 'min', 'moreThan', 'required', 'optional', 'nullable', 'notRequired', 'default', 'defined', 'typeError', 'label', 'meta', 'strict', 'truncate', 'round', 'nonNullable', 'describe', 'transform']);

function analyzeYup(context: RuleContext, expression: ts.Expression): Analysis {
  const sourceFile = context.sourceFile!;
  const chain = decomposeChain(expression, YUP);
  if (!chain || chain.rootPath !== 'number') return OTHER;
  let defaultValue: number | undefined;
  for (const { name, call } of chain.methods) {
    if (YUP_CAPS.has(name)) return CAPPED;
    if (!YUP_NEUTRAL.has(name)) return OTHER;
    if (name === 'transform' && mentionsClamp(call, sourceFile)) return CAPPED;
    if (name === 'default') defaultValue = numericLiteral(call.arguments[0]);
  }
  const cap = capFor(context, defaultValue);
  const end = skipOuterExpressions(expression).getEnd();
  return {
    state: 'uncapped',
    schema: `\`${short(expression.getText(sourceFile))}\``,
    fix: { kind: 'suggestion', title: `Add \`.max(${cap})\``, edits: [{ start: end, end, text: `.max(${cap})` }] },
  };
}

// ---------------------------------------------------------------------------------------------
// valibot: v.pipe(v.number(), v.integer(), v.minValue(1)) without v.maxValue

const VALIBOT_WRAPPERS = new Set(['optional', 'nullable', 'nullish', 'exactOptional', 'undefinedable', 'fallback', 'nonOptional', 'nonNullable', 'nonNullish']);
const VALIBOT_CAPS = new Set(['maxValue', 'ltValue', 'value', 'values', 'check', 'rawCheck', 'custom', 'maxLength', 'length', 'picklist']);
const VALIBOT_NEUTRAL = new Set(['integer', 'minValue', 'gtValue', 'safeInteger', 'finite', 'decimal', 'digits', 'regex', 'trim', 'description', 'title', 'metadata', 'brand', 'readonly', 'minLength', 'nonEmpty', 'multipleOf', 'notValue']);

function analyzeValibot(context: RuleContext, expression: ts.Expression, defaultValue?: number): Analysis {
  const sourceFile = context.sourceFile!;
  const call = skipOuterExpressions(expression);
  if (!ts.isCallExpression(call)) return OTHER;
  const name = exportPathFrom(call.expression, VALIBOT);
  if (name === undefined) return OTHER;
  if (VALIBOT_WRAPPERS.has(name)) return call.arguments[0] ? analyzeValibot(context, call.arguments[0], numericLiteral(call.arguments[1]) ?? defaultValue) : OTHER;
  const cap = capFor(context, defaultValue);
  const schema = `\`${short(call.getText(sourceFile))}\``;
  if (name === 'number') {
    const actions = call.arguments[0];
    if (actions && ts.isArrayLiteralExpression(actions)) {
      // valibot < 0.31: v.number([v.minValue(1)])
      for (const element of actions.elements) {
        const action = ts.isCallExpression(element) ? exportPathFrom(element.expression, VALIBOT) : undefined;
        if (action === undefined || VALIBOT_CAPS.has(action)) return CAPPED;
      }
      const maxValue = spellingOfExport(sourceFile, call.expression, 'valibot', 'maxValue');
      if (!maxValue) return { state: 'uncapped', schema };
      const last = actions.elements[actions.elements.length - 1];
      const edit: TextEdit = last ? { start: last.getEnd(), end: last.getEnd(), text: `, ${maxValue.text}(${cap})` } : { start: actions.getStart(sourceFile) + 1, end: actions.getEnd() - 1, text: `${maxValue.text}(${cap})` };
      return { state: 'uncapped', schema, fix: { kind: 'suggestion', title: `Add \`${maxValue.text}(${cap})\``, edits: [edit, ...maxValue.edits] } };
    }
    if (actions && !ts.isStringLiteralLike(actions)) return OTHER;
    const pipe = spellingOfExport(sourceFile, call.expression, 'valibot', 'pipe');
    const maxValue = spellingOfExport(sourceFile, call.expression, 'valibot', 'maxValue');
    if (!pipe || !maxValue) return { state: 'uncapped', schema };
    const text = `${pipe.text}(${call.getText(sourceFile)}, ${maxValue.text}(${cap}))`;
    return {
      state: 'uncapped',
      schema,
      fix: { kind: 'suggestion', title: `Add \`${maxValue.text}(${cap})\``, edits: mergeImportEdits([{ start: call.getStart(sourceFile), end: call.getEnd(), text }], [...pipe.edits, ...maxValue.edits]) },
    };
  }
  if (name !== 'pipe' || call.arguments.length === 0) return OTHER;
  const [first, ...actions] = call.arguments;
  const firstCall = skipOuterExpressions(first);
  if (!ts.isCallExpression(firstCall)) return OTHER;
  const firstName = exportPathFrom(firstCall.expression, VALIBOT);
  let numeric = firstName === 'number';
  if (!numeric && firstName !== 'string' && firstName !== 'unknown') return OTHER;
  for (const action of actions) {
    const actionCall = skipOuterExpressions(action);
    if (!ts.isCallExpression(actionCall)) return OTHER;
    const actionName = exportPathFrom(actionCall.expression, VALIBOT);
    if (actionName === undefined) return OTHER;
    if (VALIBOT_CAPS.has(actionName)) return CAPPED;
    if (actionName === 'transform') {
      if (mentionsClamp(actionCall, sourceFile)) return CAPPED;
      if (!isNumberConversion(actionCall.arguments[0])) return OTHER;
      numeric = true;
    } else if (actionName === 'toNumber' || actionName === 'number') numeric = true;
    else if (!VALIBOT_NEUTRAL.has(actionName)) return OTHER;
  }
  if (!numeric) return OTHER;
  const maxValue = spellingOfExport(sourceFile, call.expression, 'valibot', 'maxValue');
  if (!maxValue) return { state: 'uncapped', schema };
  const last = call.arguments[call.arguments.length - 1];
  return {
    state: 'uncapped',
    schema,
    fix: { kind: 'suggestion', title: `Add \`${maxValue.text}(${cap})\``, edits: mergeImportEdits([{ start: last.getEnd(), end: last.getEnd(), text: `, ${maxValue.text}(${cap})` }], maxValue.edits) },
  };
}

/** Two import additions at the same point (e.g. `pipe` and `maxValue`) become one edit. */
function mergeImportEdits(edits: TextEdit[], imports: TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of imports) {
    const same = merged.find((m) => m.start === edit.start && m.end === edit.end);
    if (same) same.text += edit.text;
    else merged.push({ ...edit });
  }
  return [...edits, ...merged];
}

// ---------------------------------------------------------------------------------------------
// TypeBox and JSON schema

function analyzeTypeBox(context: RuleContext, expression: ts.Expression): Analysis {
  const sourceFile = context.sourceFile!;
  const call = skipOuterExpressions(expression);
  if (!ts.isCallExpression(call)) return OTHER;
  const path = exportPathFrom(call.expression, TYPEBOX)?.replace(/^Type\./, '');
  if (path === undefined) return OTHER;
  if (path === 'Optional' || path === 'Readonly' || path === 'ReadonlyOptional') return call.arguments[0] ? analyzeTypeBox(context, call.arguments[0]) : OTHER;
  if (path !== 'Integer' && path !== 'Number') return OTHER;
  const options = call.arguments[0];
  const schema = `\`${short(call.getText(sourceFile))}\``;
  if (!options) {
    if (!isClosed(sourceFile, call)) return { state: 'uncapped', schema };
    const open = sourceFile.text.indexOf('(', call.expression.getEnd());
    const text = `{ maximum: ${context.settings.defaultPageSize} }`;
    return { state: 'uncapped', schema, fix: { kind: 'suggestion', title: `Add \`maximum: ${context.settings.defaultPageSize}\``, edits: [{ start: open + 1, end: call.getEnd() - 1, text }] } };
  }
  if (!ts.isObjectLiteralExpression(options)) return OTHER;
  return jsonSchemaBounds(context, options, schema);
}

/** `{ type: 'integer', minimum: 1 }` as the value of a page-size key inside `properties: { … }`. */
function analyzeJsonSchema(context: RuleContext, value: ts.Expression, object: ts.ObjectLiteralExpression): Analysis {
  const schemaObject = skipOuterExpressions(value);
  if (!ts.isObjectLiteralExpression(schemaObject)) return OTHER;
  const holder = object.parent;
  if (!ts.isPropertyAssignment(holder) || keyName(holder.name) !== 'properties') return OTHER;
  const type = objectProperty(schemaObject, 'type');
  if (!type || !ts.isPropertyAssignment(type)) return OTHER;
  const typeValue = skipOuterExpressions(type.initializer);
  const types = ts.isArrayLiteralExpression(typeValue) ? typeValue.elements.map((e) => (ts.isStringLiteralLike(e) ? e.text : '')) : ts.isStringLiteralLike(typeValue) ? [typeValue.text] : [];
  if (!types.includes('integer') && !types.includes('number')) return OTHER;
  return jsonSchemaBounds(context, schemaObject, `\`type: '${types.filter((t) => t === 'integer' || t === 'number')[0]}'\``, ts.isStringLiteral(type.name));
}

function jsonSchemaBounds(context: RuleContext, options: ts.ObjectLiteralExpression, schema: string, quotedKeys = false): Analysis {
  for (const key of ['maximum', 'exclusiveMaximum', 'enum', 'const', '$ref', 'oneOf', 'anyOf', 'allOf']) {
    if (objectProperty(options, key)) return key.endsWith('aximum') || key === 'enum' || key === 'const' ? CAPPED : OTHER;
  }
  const defaultProperty = objectProperty(options, 'default');
  const cap = capFor(context, defaultProperty && ts.isPropertyAssignment(defaultProperty) ? numericLiteral(defaultProperty.initializer) : undefined);
  const property = quotedKeys ? `"maximum": ${cap}` : `maximum: ${cap}`;
  if (!isClosed(context.sourceFile!, options)) return { state: 'uncapped', schema };
  return { state: 'uncapped', schema, fix: { kind: 'suggestion', title: `Add \`maximum: ${cap}\``, edits: [appendPropertyEdit(context.sourceFile!, options, property)] } };
}

// ---------------------------------------------------------------------------------------------
// class-validator DTOs

const CV_NUMERIC = new Set(['IsInt', 'IsNumber', 'IsPositive', 'Min', 'IsNumberString', 'IsNegative']);
const CV_CAPS = new Set(['Max', 'IsIn', 'Validate', 'ValidateBy', 'IsEnum', 'Equals', 'MaxLength', 'Length', 'IsDivisibleBy']);
const NEUTRAL_DECORATOR_MODULES = new Set(['@nestjs/swagger', '@nestjs/graphql', 'type-graphql', '@nestjs/common']);

function analyzeClassValidator(context: RuleContext, property: ts.PropertyDeclaration): Analysis {
  const sourceFile = context.sourceFile!;
  const decorators = ts.getDecorators(property) ?? [];
  if (decorators.length === 0) return OTHER;
  let numeric = false;
  let validatorCallee: ts.Expression | undefined;
  for (const decorator of decorators) {
    const expression = skipOuterExpressions(decorator.expression);
    const callee = ts.isCallExpression(expression) ? expression.expression : expression;
    const qualified = resolveQualified(callee);
    if (!qualified) return OTHER;
    const name = qualified.path[qualified.path.length - 1];
    if (qualified.module === CLASS_VALIDATOR) {
      if (CV_CAPS.has(name)) return CAPPED;
      if (CV_NUMERIC.has(name)) numeric = true;
      validatorCallee ??= callee;
    } else if (qualified.module === 'class-transformer') {
      if (name === 'Transform' && mentionsClamp(decorator, sourceFile)) return CAPPED;
      if (name === 'Type' && ts.isCallExpression(expression) && /=>\s*Number\b/.test(expression.arguments[0]?.getText(sourceFile) ?? '')) numeric = true;
    } else if (!NEUTRAL_DECORATOR_MODULES.has(qualified.module)) return OTHER;
  }
  if (!numeric) return OTHER;
  const cap = capFor(context, numericLiteral(property.initializer));
  const schema = `\`${decorators.map((d) => d.getText(sourceFile)).join(' ')}\``;
  const max = validatorCallee ? spellingOfExport(sourceFile, validatorCallee, CLASS_VALIDATOR, 'Max') : undefined;
  if (!max) return { state: 'uncapped', schema: short(schema) };
  const text = sourceFile.text;
  const last = decorators[decorators.length - 1];
  const between = text.slice(last.getEnd(), property.name.getStart(sourceFile));
  const insert = between.includes('\n') ? `${newlineOf(text)}${indentationAt(text, last.getStart(sourceFile))}@${max.text}(${cap})` : ` @${max.text}(${cap})`;
  return {
    state: 'uncapped',
    schema: short(schema),
    fix: { kind: 'suggestion', title: `Add \`@${max.text}(${cap})\``, edits: [{ start: last.getEnd(), end: last.getEnd(), text: insert }, ...max.edits] },
  };
}

// ---------------------------------------------------------------------------------------------
// Request input flowing straight into a query bound

function checkBoundUse(context: RuleContext, value: ts.Expression, bound: string, reportNode: ts.Node): void {
  const object = reportNode.parent && ts.isObjectLiteralExpression(reportNode.parent) ? reportNode.parent : ts.isPropertyAssignment(reportNode.parent) ? reportNode.parent.parent : undefined;
  if (!object || !ts.isObjectLiteralExpression(object)) return;
  const call = object.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(object)) return;
  const callee = skipOuterExpressions(call.expression);
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (!method || !LIST_METHODS.has(method)) return;
  const source = requestInput(value, 0, context.project);
  if (source) reportUse(context, value, `\`${bound}\``, source, reportNode);
  else checkSchemaDerived(context, value, `\`${bound}\``, reportNode);
}

// ---------------------------------------------------------------------------------------------
// Values parsed by a schema declared in another module: tRPC `input.limit`, `schema.parse(req.query)`

interface SchemaField {
  /** A schema object's property, or a DTO class's property. */
  property: ts.PropertyAssignment | ts.PropertyDeclaration;
  sourceFile: ts.SourceFile;
  path: string;
}

/**
 * `take: input.limit` (tRPC `.input(schema).query(({ input }) => …)`), `take: limit` with
 * `const { limit } = schema.parse(req.query)` or `= input`: when the schema is imported from another
 * workspace module and its field has no maximum, report here with the field as related location.
 * (A schema in this file is reported where it is declared.)
 */
function checkSchemaDerived(context: RuleContext, value: ts.Expression, bound: string, replaced: ts.Node): void {
  const field = schemaFieldOf(context, value);
  if (!field || field.sourceFile === context.sourceFile) return;
  const fieldContext: RuleContext = Object.create(context, { sourceFile: { value: field.sourceFile } });
  const property = field.property;
  const analysis = ts.isPropertyDeclaration(property) ? analyzeClassValidator(fieldContext, property) : analyzeSchema(fieldContext, property.initializer, property.parent as ts.ObjectLiteralExpression);
  if (analysis.state !== 'uncapped') return;
  const sourceFile = context.sourceFile!;
  const cap = context.settings.defaultPageSize;
  const valueText = value.getText(sourceFile);
  const name = keyName(field.property.name) ?? 'field';
  const relative = context.project.relative(field.path);
  context.report({
    node: value,
    message: `${bound} is set from \`${short(valueText)}\`, whose schema field \`${name}\` (${relative}) has no maximum: one request can read a whole table (\`${name}=1000000\`). Cap the schema field or the value here (e.g. \`Math.min(…, ${cap})\`).`,
    related: [{ path: field.path, range: { start: field.property.name.getStart(field.sourceFile), end: field.property.name.getEnd() }, message: `\`${name}\` has no maximum` }],
    fixes: [{ kind: 'suggestion', title: `Cap with \`Math.min(…, ${cap})\``, edits: [{ start: replaced.getStart(sourceFile), end: replaced.getEnd(), text: ts.isShorthandPropertyAssignment(replaced) ? `${valueText}: Math.min(${valueText}, ${cap})` : `Math.min(${valueText}, ${cap})` }] }],
  });
}

function schemaFieldOf(context: RuleContext, value: ts.Expression): SchemaField | undefined {
  const e = skipOuterExpressions(value);
  let fieldName: string;
  let holder: ts.Expression;
  if (ts.isPropertyAccessExpression(e)) {
    fieldName = e.name.text;
    holder = e.expression;
    const dto = dtoFieldOf(context, holder, fieldName);
    if (dto) return dto;
  } else if (ts.isIdentifier(e)) {
    const binding = resolveIdentifier(e);
    const declaration = binding?.declaration;
    if (!declaration || !ts.isBindingElement(declaration) || !ts.isObjectBindingPattern(declaration.parent)) return undefined;
    const key = declaration.propertyName ?? declaration.name;
    if (!ts.isIdentifier(key)) return undefined;
    fieldName = key.text;
    const variable = declaration.parent.parent;
    if (ts.isVariableDeclaration(variable) && variable.initializer) holder = variable.initializer;
    else if (ts.isParameter(variable)) return undefined;
    else return undefined;
  } else return undefined;
  const schema = schemaOfParsedValue(holder);
  return schema ? fieldOfSchema(context, schema, fieldName) : undefined;
}

/** NestJS `@Query() query: ListDto` (DTO class imported from another module) → the DTO's property. */
function dtoFieldOf(context: RuleContext, holder: ts.Expression, name: string): SchemaField | undefined {
  const e = skipOuterExpressions(holder);
  if (!ts.isIdentifier(e)) return undefined;
  const parameter = resolveIdentifier(e)?.declaration;
  if (!parameter || !ts.isParameter(parameter) || !parameter.type || !ts.isTypeReferenceNode(parameter.type) || !ts.isIdentifier(parameter.type.typeName)) return undefined;
  const nest = (ts.getDecorators(parameter) ?? []).some((decorator) => {
    const call = skipOuterExpressions(decorator.expression);
    if (!ts.isCallExpression(call) || call.arguments.length > 0 && ts.isStringLiteralLike(call.arguments[0])) return false;
    const qualified = resolveQualified(call.expression);
    return qualified?.module === '@nestjs/common' && /^(Query|Body)$/.test(qualified.path[qualified.path.length - 1]);
  });
  if (!nest) return undefined;
  const typeBinding = resolveIdentifier(parameter.type.typeName);
  const declaration = typeBinding?.declaration;
  if (!declaration || !ts.isImportSpecifier(declaration)) return undefined;
  const module = declaration.parent.parent.parent.moduleSpecifier;
  if (!ts.isStringLiteral(module)) return undefined;
  const graph = moduleGraph(context.project);
  const target = graph.resolve(e.getSourceFile().fileName, module.text);
  const targetFile = target ? graph.sourceFile(target) : undefined;
  if (!targetFile) return undefined;
  const className = (declaration.propertyName ?? declaration.name).text;
  for (const statement of targetFile.statements) {
    if (!ts.isClassDeclaration(statement) || statement.name?.text !== className) continue;
    const member = statement.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && keyName(m.name) === name);
    return member ? { property: member, sourceFile: targetFile, path: targetFile.fileName } : undefined;
  }
  return undefined;
}

/** The schema expression that produced a value: `S.parse(…)`, `await S.parseAsync(…)`, tRPC `input`. */
function schemaOfParsedValue(expression: ts.Expression): ts.Expression | undefined {
  let e = skipOuterExpressions(expression);
  if (ts.isAwaitExpression(e)) e = skipOuterExpressions(e.expression);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(parse|parseAsync)$/.test(e.expression.name.text)) return e.expression.expression;
  if (!ts.isIdentifier(e)) return undefined;
  const binding = resolveIdentifier(e);
  const declaration = binding?.declaration;
  if (!declaration) return undefined;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && binding.kind === 'const') return schemaOfParsedValue(declaration.initializer);
  // ({ input }) => … passed to .query()/.mutation() of a procedure built with .input(S)
  if (!ts.isBindingElement(declaration) || (declaration.propertyName ?? declaration.name).getText() !== 'input') return undefined;
  const parameter = declaration.parent.parent;
  if (!ts.isParameter(parameter)) return undefined;
  const fn = parameter.parent;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  for (let current: ts.Expression = call.expression; ts.isPropertyAccessExpression(current) || ts.isCallExpression(current); ) {
    if (ts.isCallExpression(current)) {
      const callee = current.expression;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'input' && current.arguments[0]) return current.arguments[0];
      current = callee;
    } else current = current.expression;
  }
  return undefined;
}

/** The property `name` of an object schema (`z.object({...})`, `v.object`, `yup.object`, `Type.Object`), following a `const` or an import. */
function fieldOfSchema(context: RuleContext, schema: ts.Expression, name: string, depth = 0): SchemaField | undefined {
  const e = skipOuterExpressions(schema);
  const sourceFile = e.getSourceFile();
  if (ts.isCallExpression(e)) {
    const object = e.arguments.map((a) => skipOuterExpressions(a)).find(ts.isObjectLiteralExpression);
    const property = object ? objectProperty(object, name) : undefined;
    if (property && ts.isPropertyAssignment(property)) return { property, sourceFile, path: sourceFile.fileName };
    // z.object({...}).strict() / .extend({...}): look at the receiver too
    const callee = skipOuterExpressions(e.expression);
    return ts.isPropertyAccessExpression(callee) && depth < 6 ? fieldOfSchema(context, callee.expression, name, depth + 1) : undefined;
  }
  if (!ts.isIdentifier(e) || depth >= 6) return undefined;
  const binding = resolveIdentifier(e);
  const declaration = binding?.declaration;
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return fieldOfSchema(context, declaration.initializer, name, depth + 1);
  if (declaration && ts.isImportSpecifier(declaration)) {
    const module = declaration.parent.parent.parent.moduleSpecifier;
    if (!ts.isStringLiteral(module)) return undefined;
    const graph = moduleGraph(context.project);
    const target = graph.resolve(sourceFile.fileName, module.text);
    const targetFile = target ? graph.sourceFile(target) : undefined;
    if (!targetFile) return undefined;
    const exported = (declaration.propertyName ?? declaration.name).text;
    for (const statement of targetFile.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const variable of statement.declarationList.declarations) {
        if (ts.isIdentifier(variable.name) && variable.name.text === exported && variable.initializer) return fieldOfSchema(context, variable.initializer, name, depth + 1);
      }
    }
  }
  return undefined;
}

function reportUse(context: RuleContext, value: ts.Expression, bound: string, source: ts.Node, replaced: ts.Node): void {
  const sourceFile = context.sourceFile!;
  const cap = context.settings.defaultPageSize;
  const valueText = value.getText(sourceFile);
  const text = ts.isShorthandPropertyAssignment(replaced) ? `${valueText}: Math.min(${valueText}, ${cap})` : `Math.min(${valueText}, ${cap})`;
  // (the source may be in another module: a helper that reads the request)
  const sourceText = short(source.getText(source.getSourceFile()));
  context.report({
    node: value,
    message: `${bound.startsWith('.') ? `\`${bound}\`` : bound} is set from request input \`${sourceText}\` with no upper bound: one request can read a whole table (\`${hugeRequest(source)}\`). Cap it (e.g. \`Math.min(…, ${cap})\`) or validate it with a maximum.`,
    related:
      source.getSourceFile() !== sourceFile
        ? [{ path: source.getSourceFile().fileName, range: { start: source.getStart(), end: source.getEnd() }, message: 'the unbounded request input, read by the helper' }]
        : source !== value && !isWithin(source, value)
          ? [{ node: source, message: 'the unbounded request input' }]
          : [],
    fixes: [{ kind: 'suggestion', title: `Cap with \`Math.min(…, ${cap})\``, edits: [{ start: replaced.getStart(sourceFile), end: replaced.getEnd(), text }] }],
  });
}

/** The request that reads a whole table through `source`: `limit=1000000` (a query string), or a GraphQL argument `first: 1000000`. */
function hugeRequest(source: ts.Node): string {
  let root: ts.Node = source;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuterExpressions(root.expression);
  const binding = ts.isIdentifier(root) ? resolveIdentifier(root) : undefined;
  const declaration = binding?.declaration;
  const parameter = declaration && ts.isParameter(declaration) ? declaration : declaration && ts.isBindingElement(declaration) && ts.isParameter(declaration.parent.parent) ? declaration.parent.parent : undefined;
  const graphql =
    parameter !== undefined &&
    (isGraphqlArguments(parameter) ||
      (ts.getDecorators(parameter) ?? []).some((d) => {
        const call = skipOuterExpressions(d.expression);
        return ts.isCallExpression(call) && requestDecoratorKind(call) === 'graphql';
      }));
  if (!graphql) return 'limit=1000000';
  const name = ts.isPropertyAccessExpression(source) ? source.name.text : ts.isIdentifier(source) ? source.text : 'first';
  return `${name}: 1000000`;
}

function isWithin(inner: ts.Node, outer: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/**
 * The request input an expression carries without a cap: `Number(req.query.limit)`,
 * `parseInt(query.pageSize) || 20`, a `const` initialised from one, a binding destructured from
 * `req.query`, a NestJS `@Query('limit')` parameter. Undefined when capped or not request input.
 */
function requestInput(expression: ts.Expression, depth: number, project: Project): ts.Expression | undefined {
  const e = skipOuterExpressions(expression);
  if (ts.isCallExpression(e)) {
    if (isGlobalNamed(e.expression, ['Number', 'parseInt', 'parseFloat'])) return e.arguments[0] ? requestInput(e.arguments[0], depth, project) : undefined;
    const callee = skipOuterExpressions(e.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const receiverChain = memberChain(callee.expression);
      if (isGlobalNamed(callee.expression, ['Number', 'Math']) && /^(parseInt|parseFloat|trunc|floor|ceil|round|abs)$/.test(callee.name.text)) {
        return e.arguments[0] ? requestInput(e.arguments[0], depth, project) : undefined;
      }
      // url.searchParams.get('limit'), c.req.query('limit'), c.req.param('limit')
      if (callee.name.text === 'get' && receiverChain && receiverChain[receiverChain.length - 1] === 'searchParams') return e;
      if ((callee.name.text === 'query' || callee.name.text === 'param') && e.arguments.length === 1 && receiverChain && receiverChain[receiverChain.length - 1] === 'req') return e;
    }
    return ts.isIdentifier(callee) && depth < 3 ? helperRequestInput(e, callee, depth, project) : undefined;
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.PlusToken) return requestInput(e.operand, depth, project);
  // `limit ? parseInt(limit, 10) : 20`
  if (ts.isConditionalExpression(e)) return requestInput(e.whenTrue, depth, project) ?? requestInput(e.whenFalse, depth, project);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return requestInput(e.left, depth, project);
  // arithmetic on request input is request input: `last - first + 1` with `last = page * perPage - 1`
  if (ts.isBinaryExpression(e) && ARITHMETIC.has(e.operatorToken.kind)) {
    const left = requestInput(e.left, depth, project);
    const right = requestInput(e.right, depth, project);
    // name the page size, not the page number, when both take part (`page * perPage`)
    return left && right && PAGE_SIZE_WORD.test(right.getText()) && !PAGE_SIZE_WORD.test(left.getText()) ? right : left ?? right;
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return isRequestObject(e.expression) ? e : undefined;
  if (ts.isIdentifier(e)) {
    const binding = resolveIdentifier(e);
    if (!binding || isCheckedSomewhere(binding)) return undefined;
    const declaration = binding.declaration;
    if (ts.isParameter(declaration)) return hasRequestDecorator(declaration, true) ? e : undefined;
    if (ts.isBindingElement(declaration)) {
      const pattern = declaration.parent;
      const holder = pattern.parent;
      if (ts.isObjectBindingPattern(pattern) && ts.isVariableDeclaration(holder) && holder.initializer && isRequestObject(holder.initializer)) return holder.initializer;
      // `const { skip, take } = pageWindow(req)`: the property of the object a helper returns
      const init = ts.isVariableDeclaration(holder) && holder.initializer ? skipOuterExpressions(holder.initializer) : undefined;
      const key = declaration.propertyName ?? declaration.name;
      if (init && ts.isCallExpression(init) && ts.isIdentifier(skipOuterExpressions(init.expression)) && ts.isIdentifier(key) && depth < 3) {
        return helperRequestInput(init, skipOuterExpressions(init.expression) as ts.Identifier, depth, project, key.text);
      }
      // `(parent, { first }) => …` in a GraphQL resolver
      if (ts.isObjectBindingPattern(pattern) && ts.isParameter(holder) && isGraphqlArguments(holder)) return e;
      return undefined;
    }
    if (ts.isVariableDeclaration(declaration) && declaration.initializer && depth < 3 && (binding.kind === 'const' || binding.kind === 'let')) {
      return requestInput(declaration.initializer, depth + 1, project);
    }
  }
  return undefined;
}

/**
 * A helper of this module or an imported one that returns request input read from the request its
 * caller passes (`getPerPage(req)`, with `function getPerPage(req) { return parseInt(req.query.per_page) || 15 }`):
 * the input it reads. A helper that caps it (`Math.min(…)`) returns no request input.
 */
function helperRequestInput(call: ts.CallExpression, callee: ts.Identifier, depth: number, project: Project, property?: string): ts.Expression | undefined {
  let binding = resolveIdentifier(callee);
  if (binding && ts.isImportSpecifier(binding.declaration)) binding = importedDeclaration(project, binding.declaration, callee.getSourceFile().fileName);
  const fn = binding ? functionOfBinding(binding) : undefined;
  if (!fn || !fn.body) return undefined;
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(fn.body)) returned.push(fn.body);
  else {
    const visit = (node: ts.Node): void => {
      if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
      else if (!isFunctionNode(node) && !ts.isClassLike(node)) ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn.body, visit);
  }
  for (const returnedExpression of returned) {
    // a property of a returned object (`return { skip, take: perPage }`), when the caller destructures it
    const expression = property === undefined ? returnedExpression : propertyOfReturned(returnedExpression, property);
    if (!expression) continue;
    const source = requestInput(expression, depth + 1, project);
    if (!source) continue;
    // read from one of the helper's parameters, which the caller fills with something (not a literal)
    let root: ts.Node = source;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root)) root = skipOuterExpressions(ts.isCallExpression(root) ? root.expression : root.expression);
    const parameter = ts.isIdentifier(root) ? resolveIdentifier(root)?.declaration : undefined;
    const index = parameter && ts.isParameter(parameter) && parameter.parent === fn ? fn.parameters.indexOf(parameter) : -1;
    const argument = index >= 0 ? call.arguments[index] : undefined;
    if (argument && !ts.isObjectLiteralExpression(skipOuterExpressions(argument))) return source;
  }
  return undefined;
}

const PAGE_SIZE_WORD = /limit|size|per_?page|take|count|first/i;
const ARITHMETIC = new Set([ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken]);

function propertyOfReturned(returned: ts.Expression, name: string): ts.Expression | undefined {
  const object = skipOuterExpressions(returned);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const p of object.properties) {
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
    if (ts.isPropertyAssignment(p) && keyName(p.name) === name) return p.initializer;
  }
  return undefined;
}

/** A binding compared with something (`if (limit > 100)`) or clamped (`Math.min(limit, …)`) anywhere counts as checked. */
function isCheckedSomewhere(binding: Binding): boolean {
  return referencesOf(binding).some((reference) => {
    let node: ts.Node = reference;
    while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
    const parent = node.parent;
    if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      return op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken || op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken;
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) return /(^|\.)(min|clamp\w*)$/.test(parent.expression.getText());
    return false;
  });
}

/** `req.query`, `request.body`, `ctx.request.query`, `event.queryStringParameters`, `c.req.query()`, a NestJS `@Query()` parameter. */
function isRequestObject(expression: ts.Expression): boolean {
  const e = skipOuterExpressions(expression);
  if (ts.isCallExpression(e)) {
    const callee = skipOuterExpressions(e.expression);
    if (!ts.isPropertyAccessExpression(callee) || e.arguments.length > 1) return false;
    const chain = memberChain(callee.expression);
    return !!chain && chain[chain.length - 1] === 'req' && (callee.name.text === 'query' || (callee.name.text === 'valid' && stringArg(e) === 'query'));
  }
  if (ts.isIdentifier(e)) {
    const binding = resolveIdentifier(e);
    return !!binding && ts.isParameter(binding.declaration) && (hasRequestDecorator(binding.declaration, false) || isGraphqlArguments(binding.declaration));
  }
  const chain = memberChain(e);
  // `req.query`, `ctx.request.body`, and an object inside one (`req.body.pagination`: react-admin's data provider)
  const part = chain ? chain.findIndex((name, i) => i > 0 && REQUEST_PARTS.has(name)) : -1;
  if (!chain || part < 1 || chain.length - 1 > part + 1) return false;
  if (!chain.slice(1, part).every((name) => name === 'request' || name === 'req')) return false;
  let root: ts.Expression = e;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root)) return false;
  const binding = resolveIdentifier(root);
  if (!binding) return false;
  return ts.isParameter(binding.declaration) || (ts.isBindingElement(binding.declaration) && ts.isParameter(binding.declaration.parent.parent));
}

/** What a parameter decorator call reads: a REST request part (`@nestjs/common`'s `Query`, `Body`, `Param`) or GraphQL arguments (`@nestjs/graphql`'s `Args`, type-graphql's `Arg`/`Args`). */
function requestDecoratorKind(call: ts.CallExpression): 'request' | 'graphql' | undefined {
  const qualified = resolveQualified(call.expression);
  if (!qualified) return undefined;
  const name = qualified.path[qualified.path.length - 1];
  if (qualified.module === '@nestjs/common' && (name === 'Query' || name === 'Body' || name === 'Param')) return 'request';
  if ((qualified.module === '@nestjs/graphql' && name === 'Args') || (qualified.module === 'type-graphql' && (name === 'Arg' || name === 'Args'))) return 'graphql';
  return undefined;
}

/** `@Args({ name: 'first', type: () => Int })`: the argument's name. */
function argumentNameOption(call: ts.CallExpression): string | undefined {
  const options = call.arguments[0];
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const name = options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && keyName(p.name) === 'name');
  return name && ts.isStringLiteralLike(name.initializer) ? name.initializer.text : undefined;
}

/**
 * A GraphQL resolver's arguments, what the client sent: the second parameter of a function in a
 * resolver map (`resolvers = { Query: { posts: (parent, args) => … } }`, under `Query`, `Mutation`
 * or a type's name), or of a field's `resolve` next to its `args` (graphql-js, Nexus, Pothos's
 * `t.field`; the third in Pothos's `t.prismaField`/`t.prismaConnection`, after the query).
 */
function isGraphqlArguments(parameter: ts.ParameterDeclaration): boolean {
  const fn = parameter.parent;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !ts.isMethodDeclaration(fn)) return false;
  const index = fn.parameters.indexOf(parameter);
  const property = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyAssignment(fn.parent) && fn.parent.initializer === fn ? fn.parent : undefined;
  if (!property || !ts.isObjectLiteralExpression(property.parent)) return false;
  const fields = property.parent;
  const name = keyName(property.name);
  if (name === 'resolve' && fields.properties.some((p) => p.name !== undefined && keyName(p.name) === 'args')) {
    const call = fields.parent;
    const callee = ts.isCallExpression(call) ? skipOuterExpressions(call.expression) : undefined;
    const method = callee && ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    return index === (method && /^prisma(?:Field|Connection)$/.test(method) ? 2 : 1);
  }
  return index === 1 && resolverMapField(fn) !== undefined;
}

function stringArg(call: ts.CallExpression): string | undefined {
  const first = call.arguments[0];
  return first && ts.isStringLiteralLike(first) ? first.text : undefined;
}

/**
 * NestJS: `@Query('limit') limit` (withKey: the parameter is the value) or an untyped/loosely typed
 * `@Query() query` (the parameter is the request's query object; a DTO class type is validated elsewhere).
 * GraphQL arguments alike: NestJS's `@Args('first')` (also `@Args({ name: 'first' })`), type-graphql's
 * `@Arg('take')`, and an untyped `@Args() args`.
 */
function hasRequestDecorator(parameter: ts.ParameterDeclaration, withKey: boolean): boolean {
  for (const decorator of ts.getDecorators(parameter) ?? []) {
    const expression = skipOuterExpressions(decorator.expression);
    const kind = ts.isCallExpression(expression) ? requestDecoratorKind(expression) : undefined;
    if (!kind || !ts.isCallExpression(expression)) continue;
    const key = stringArg(expression) ?? (kind === 'graphql' ? argumentNameOption(expression) : undefined);
    if (withKey) return key !== undefined;
    if (key !== undefined) return false;
    const type = parameter.type;
    return !type || type.kind === ts.SyntaxKind.AnyKeyword || (ts.isTypeReferenceNode(type) && /^(Record|Partial)$/.test(type.typeName.getText())) || ts.isTypeLiteralNode(type);
  }
  return false;
}
