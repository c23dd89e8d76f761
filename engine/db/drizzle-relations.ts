/**
 * Drizzle relations declared in the workspace (`relations(users, ({ many, one }) => ({ posts:
 * many(posts), … }))`), as a project fact: for each table variable, its relations with their
 * cardinality and target table. Lets rules tell a to-many `with: { posts: true }` from a to-one.
 */
import * as ts from 'typescript';
import { defineFact, type Project } from '../project';
import { exportPathFrom } from '../ts/imports';
import { skipOuterExpressions } from '../ts/scope';
import { moduleGraph } from './modules';

export interface DrizzleRelation {
  kind: 'one' | 'many';
  /** Target table variable (`posts` in `many(posts)`). */
  target?: string;
}

/** Table variable name → relation name → relation. */
export type DrizzleRelations = Map<string, Map<string, DrizzleRelation>>;

export const drizzleRelationsFact = defineFact('db/drizzle-relations', (project: Project): DrizzleRelations => {
  const result: DrizzleRelations = new Map();
  const graph = moduleGraph(project);
  for (const file of project.sourceFiles()) {
    const text = project.readText(file);
    if (!text || !text.includes('relations(') || !text.includes('drizzle-orm')) continue;
    const sourceFile = graph.sourceFile(file);
    if (sourceFile) collect(sourceFile, result);
  }
  return result;
}, { onTrim: 'keep', onEdit: (_relations, edit) => !edit.before?.includes('relations(') && !edit.after?.includes('relations(') });

/** The relations of the workspace's Drizzle schema. */
export function drizzleRelations(project: Project): DrizzleRelations {
  return project.get(drizzleRelationsFact);
}

function collect(sourceFile: ts.SourceFile, result: DrizzleRelations): void {
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length >= 2 && exportPathFrom(node.expression, (m) => m === 'drizzle-orm' || m.startsWith('drizzle-orm/')) === 'relations') {
      const table = skipOuterExpressions(node.arguments[0]);
      const callback = skipOuterExpressions(node.arguments[1]);
      if (ts.isIdentifier(table) && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
        const object = returnedObject(callback);
        if (object) {
          let relations = result.get(table.text);
          if (!relations) result.set(table.text, (relations = new Map()));
          for (const property of object.properties) {
            if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
            const value = skipOuterExpressions(property.initializer);
            if (!ts.isCallExpression(value) || !ts.isIdentifier(value.expression)) continue;
            const kind = value.expression.text;
            if (kind !== 'many' && kind !== 'one') continue;
            const target = value.arguments[0] && ts.isIdentifier(value.arguments[0]) ? value.arguments[0].text : undefined;
            relations.set(property.name.text, { kind, ...(target ? { target } : {}) });
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
}

function returnedObject(fn: ts.ArrowFunction | ts.FunctionExpression): ts.ObjectLiteralExpression | undefined {
  if (!ts.isBlock(fn.body)) {
    const body = skipOuterExpressions(fn.body);
    return ts.isObjectLiteralExpression(body) ? body : undefined;
  }
  for (const statement of fn.body.statements) {
    if (ts.isReturnStatement(statement) && statement.expression) {
      const value = skipOuterExpressions(statement.expression);
      if (ts.isObjectLiteralExpression(value)) return value;
    }
  }
  return undefined;
}
