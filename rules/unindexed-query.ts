/**
 * unindexed-query: a Prisma query in TS/JS whose equality filters have no index, unique or id of
 * the model starting with one of the filtered fields (read from the workspace's Prisma schema).
 * The quick fix edits the schema: `@@index([<equality fields>, <order-by fields>])`.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { objectProperty } from '../engine/ts/ast';
import { NAME_ONLY_NOTE } from '../engine/db';
import { isOneOffPath } from '../engine/ts/modules';
import { initializerOf, resolveIdentifier, skipOuterExpressions } from '../engine/ts/scope';
import { defineRule, type GateInput, type RuleContext } from '../engine/rule';
import { addBlockAttributeEdit, indexAttributeText, indexStartingWithAny, isCoveredAsPrefix, modelForDelegate, schemaForSourceFile, type ModelInfo } from '../engine/prisma';
import { recognizePrismaQuery } from '../engine/prisma/queries';

/** Methods whose filter can match many rows (unique lookups go through findUnique and are always indexed). */
const FILTERING_METHODS = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'count', 'aggregate', 'groupBy', 'updateMany', 'updateManyAndReturn', 'deleteMany']);

/** Prisma filter operators that an index answers like an equality (a point or a set of points). */
const EQUALITY_OPERATORS = new Set(['equals', 'in']);

interface FilterShape {
  /** Scalar fields compared by equality, in source order. */
  equality: string[];
  /** False when the filter cannot be read completely (a spread, a computed key). */
  complete: boolean;
}

function readWhere(where: ts.ObjectLiteralExpression, model: ModelInfo, shape: FilterShape): void {
  for (const property of where.properties) {
    if (ts.isSpreadAssignment(property) || !property.name || ts.isComputedPropertyName(property.name)) {
      shape.complete = false;
      continue;
    }
    const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
    if (key === undefined) continue;
    const value = ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (!value) continue;
    if (key === 'AND') {
      const items = ts.isArrayLiteralExpression(value) ? value.elements : [value];
      for (const item of items) {
        const inner = skipOuterExpressions(item as ts.Expression);
        if (ts.isObjectLiteralExpression(inner)) readWhere(inner, model, shape);
        else shape.complete = false;
      }
      continue;
    }
    if (key === 'OR' || key === 'NOT') continue;
    const field = model.fields.find((f) => f.name === key);
    if (!field) {
      // A compound unique selector (`userId_productId: {…}`) or something the schema does not know.
      shape.complete = false;
      continue;
    }
    if (field.kind !== 'scalar' && field.kind !== 'enum') continue;
    if (value.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(value) && value.text === 'undefined')) continue;
    // `deletedAt: null` (soft delete) matches most rows: an index on it alone would not be used.
    if (value.kind === ts.SyntaxKind.NullKeyword) continue;
    // Nor on a Boolean (`verified: true`): two values, each shared by many rows.
    if (field.type === 'Boolean') continue;
    if (ts.isObjectLiteralExpression(value)) {
      const operators = value.properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : '…'));
      if (operators.some((op) => EQUALITY_OPERATORS.has(op))) shape.equality.push(key);
      continue;
    }
    if (!isPlainValue(value)) continue;
    if (!shape.equality.includes(key)) shape.equality.push(key);
  }
}

/** A value compared by equality: not an operator object, not possibly `undefined`/an object (`q ? { contains: q } : undefined`). */
function isPlainValue(value: ts.Expression): boolean {
  const node = skipOuterExpressions(value);
  if (ts.isConditionalExpression(node)) return isPlainValue(node.whenTrue) && isPlainValue(node.whenFalse);
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return isPlainValue(node.left) && isPlainValue(node.right);
  if (ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node)) return false;
  if (node.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(node) && node.text === 'undefined') || ts.isVoidExpression(node)) return false;
  return true;
}

/** Scalar fields of `orderBy` (`{ createdAt: 'desc' }` or `[{ a: 'asc' }, { b: 'desc' }]`), in order. */
function orderByFields(orderBy: ts.Expression | undefined, model: ModelInfo): string[] {
  if (!orderBy) return [];
  const value = skipOuterExpressions(orderBy);
  const objects = ts.isArrayLiteralExpression(value) ? value.elements.map((e) => skipOuterExpressions(e as ts.Expression)) : [value];
  const fields: string[] = [];
  for (const object of objects) {
    if (!ts.isObjectLiteralExpression(object)) break;
    for (const property of object.properties) {
      if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
      const field = model.fields.find((f) => f.name === (property.name as ts.Identifier).text);
      if (field && (field.kind === 'scalar' || field.kind === 'enum')) fields.push(field.name);
    }
  }
  return fields;
}

/** The object literal a `where:` value stands for (inline, or a `const` in the same file). */
function objectLiteralOf(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isObjectLiteralExpression(value)) return value;
  if (ts.isIdentifier(value)) {
    const binding = resolveIdentifier(value);
    if (binding?.kind !== 'const') return undefined;
    const initializer = initializerOf(binding);
    if (initializer && ts.isObjectLiteralExpression(skipOuterExpressions(initializer))) return skipOuterExpressions(initializer) as ts.ObjectLiteralExpression;
  }
  return undefined;
}

function propertyValue(object: ts.ObjectLiteralExpression, name: string): { node: ts.ObjectLiteralElementLike; value: ts.Expression } | undefined {
  const property = objectProperty(object, name);
  if (!property) return undefined;
  if (ts.isPropertyAssignment(property)) return { node: property, value: property.initializer };
  if (ts.isShorthandPropertyAssignment(property)) return { node: property, value: property.name };
  return undefined;
}

function check(node: ts.CallExpression, context: RuleContext): void {
  const query = recognizePrismaQuery(node, context);
  if (!query || !FILTERING_METHODS.has(query.method) || !query.args) return;
  const schema = schemaForSourceFile(context.project, context.path);
  if (!schema) return;
  const model = modelForDelegate(schema, query.delegate);
  if (!model || model.kind !== 'model' || model.stale) return;
  const where = propertyValue(query.args, 'where');
  if (!where) return;
  const whereObject = objectLiteralOf(where.value);
  if (!whereObject) return;
  const shape: FilterShape = { equality: [], complete: true };
  readWhere(whereObject, model, shape);
  if (!shape.complete || shape.equality.length === 0) return;
  if (indexStartingWithAny(model, shape.equality)) return;
  const order = orderByFields(propertyValue(query.args, 'orderBy')?.value, model).filter((f) => !shape.equality.includes(f));
  // a foreign key without an index of its own first: the one index then also serves the relation
  // (missing-relation-index asks for `@@index([userId])`; `@@index([userId, type])` satisfies both)
  const unindexedForeignKeys = new Set(model.relations.filter((r) => r.fromFields.length > 0 && !isCoveredAsPrefix(model, r.fromFields)).flatMap((r) => r.fromFields));
  const equality = [...shape.equality.filter((f) => unindexedForeignKeys.has(f)), ...shape.equality.filter((f) => !unindexedForeignKeys.has(f))];
  const indexFields = [...equality, ...order];
  const attribute = indexAttributeText(indexFields);
  const schemaText = context.project.readText(model.file);
  const edit = schemaText === undefined ? undefined : addBlockAttributeEdit(model, schemaText, attribute);
  const filtered = shape.equality.map((f) => `\`${f}\``).join(', ');
  const sorted = order.length > 0 ? ` and sorts by ${order.map((f) => `\`${f}\``).join(', ')}` : '';
  const schemaPath = context.project.relative(model.file);
  context.report({
    node: where.node,
    message: `\`${query.label}\` filters \`${model.name}\` by ${filtered}${sorted}, but no index, unique or id of \`${model.name}\` starts with ${shape.equality.length > 1 ? 'any of them' : 'it'}: the database reads every \`${model.name}\` row to answer it (${attribute} in ${schemaPath} would make it an index lookup).${query.heuristic ? NAME_ONLY_NOTE : ''}`,
    demote: query.heuristic ? 1 : undefined,
    related: model.nameSpan ? [{ path: model.file, range: model.nameSpan, message: `model \`${model.name}\` (${path.basename(model.file)})` }] : [],
    fixes: edit ? [{ kind: 'suggestion', title: `Add ${attribute} to model ${model.name} in ${schemaPath}`, edits: [{ ...edit, path: model.file }] }] : [],
  });
}

/** Tests, seeds, migrations and one-off scripts (and code kept in the `prisma/` folder): their queries run once, on small or throwaway data. */
function isOneOffScript(relativePath: string): boolean {
  return isOneOffPath(relativePath) || /(^|\/)prisma\//i.test(relativePath.split(path.sep).join('/'));
}

/** A non-script file with query words, covered by a Prisma schema (the rule's gate, also checked by `create`). */
function mayQueryPrisma({ project, path, text }: GateInput): boolean {
  if (isOneOffScript(project.relative(path))) return false;
  // the schema first: most workspaces have none, and its answer is remembered (the text is not)
  if (schemaForSourceFile(project, path) === undefined) return false;
  return text.includes('.') && /find|count|aggregate|groupBy|Many/.test(text);
}

export default defineRule({
  id: 'unindexed-query',
  meta: {
    category: 'queries',
    defaultSeverity: 'warning',
    description: 'A Prisma query whose equality filters have no index, unique or id of the model starting with one of the filtered fields.',
    fix: 'suggestion',
    languages: ['typescript'],
    // 4: Boolean fields are not index candidates (two values, each shared by many rows)
    // 5: an unindexed foreign key leads the suggested index (it then serves the relation too)
    version: 5,
  },
  mayReport: mayQueryPrisma,
  create(context) {
    if (!mayQueryPrisma(context)) return {};
    return {
      [ts.SyntaxKind.CallExpression]: (node: ts.CallExpression) => check(node, context),
    };
  },
});
