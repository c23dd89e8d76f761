/**
 * GraphQL resolvers as code declares them, read from syntax alone (no schema): resolver maps
 * (Apollo, GraphQL Yoga, graphql-tools, Mercurius) and resolver classes (NestJS, type-graphql).
 * A field resolver of an object type runs once per object of that type in a result: what
 * n-plus-one calls per parent. uncapped-page-size reads a resolver's arguments as request input.
 */
import * as ts from 'typescript';
import { keyName } from './ast';
import { resolveQualified } from './imports';
import { resolveIdentifier, skipOuterExpressions } from './scope';

/** The operation types: their fields run once per request, not once per parent object. */
export const ROOT_TYPES: ReadonlySet<string> = new Set(['Query', 'Mutation', 'Subscription']);

export interface ResolverField {
  /** The object type the field belongs to (`User`), or a root type. */
  typeName: string;
  fieldName: string;
  /** Where the field is named (the property or method name), for messages' related locations. */
  nameNode: ts.Node;
}

/**
 * The resolver-map field a function is: `resolvers = { User: { posts: (parent, args) => … } }`
 * (an arrow, a function expression or a method under a type's capitalised name, in an object held
 * as resolvers: `isResolverMap`).
 */
/**
 * A Pothos federation entity's reference resolver: `builder.asEntity(User, { key, resolveReference: (ref) => … })`,
 * which runs once per reference the gateway resolves (as Apollo's `__resolveReference`, whose name it takes).
 */
export function pothosEntityResolver(fn: ts.Node): ResolverField | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !ts.isMethodDeclaration(fn)) return undefined;
  const property = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyAssignment(fn.parent) && fn.parent.initializer === fn ? fn.parent : undefined;
  if (!property || keyName(property.name) !== 'resolveReference' || !ts.isObjectLiteralExpression(property.parent)) return undefined;
  const call = outermost(property.parent).parent;
  if (!call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'asEntity' || call.arguments[1] !== outermost(property.parent)) return undefined;
  const entity = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  // `const AuthorRef = builder.objectRef<…>('Author')…`: the type's name, else the variable's without `Ref`
  const declared = entity && ts.isIdentifier(entity) ? resolveIdentifier(entity)?.declaration : undefined;
  const named = declared && ts.isVariableDeclaration(declared) && declared.initializer ? /\b(?:objectRef|prismaObject|objectType)\s*(?:<[^>]*>)?\(\s*['"]([\w$]+)['"]/.exec(declared.initializer.getText()) : null;
  const typeName = named ? named[1] : entity && ts.isIdentifier(entity) ? entity.text.replace(/(?<=.)Ref$/, '') : 'entity';
  return { typeName, fieldName: '__resolveReference', nameNode: property.name };
}

export function resolverMapField(fn: ts.Node): ResolverField | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !ts.isMethodDeclaration(fn)) return undefined;
  const property = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyAssignment(fn.parent) && fn.parent.initializer === fn ? fn.parent : undefined;
  if (!property || !ts.isObjectLiteralExpression(property.parent)) return undefined;
  const type = outermost(property.parent).parent;
  if (!type || !ts.isPropertyAssignment(type) || !ts.isObjectLiteralExpression(type.parent)) return undefined;
  const typeName = keyName(type.name);
  const fieldName = keyName(property.name);
  if (!typeName || !fieldName || !/^[A-Z]/.test(typeName) || !isResolverMap(type.parent)) return undefined;
  return { typeName, fieldName, nameNode: property.name };
}

/**
 * An object literal held as resolvers: named so (`const resolvers = {…}`, `resolvers: {…}` passed to
 * a server or `createSchema`), typed so (`: Resolvers`, `satisfies IResolvers`, `as Resolvers`), or
 * the default export of a module named as resolvers (`export default {…}` or `module.exports = {…}`
 * in `BlogPost.resolvers.ts`, `graphql/types/…`, `resolvers/…`).
 */
export function isResolverMap(object: ts.ObjectLiteralExpression): boolean {
  let node: ts.Node = object;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent))) {
    if ((ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) && RESOLVERS_TYPE.test(node.parent.type.getText())) return true;
    node = node.parent;
  }
  const holder = node.parent;
  if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return /resolvers$/i.test(holder.name.text) || (holder.type !== undefined && RESOLVERS_TYPE.test(holder.type.getText()));
  if (holder && ts.isPropertyAssignment(holder)) return keyName(holder.name) === 'resolvers';
  const exported = holder && (ts.isExportAssignment(holder) || (ts.isBinaryExpression(holder) && holder.right === node && holder.left.getText() === 'module.exports'));
  return !!exported && isResolverModule(object.getSourceFile().fileName);
}

/** A module named as resolvers: its file (`Post.resolvers.ts`, `resolvers.js`) or one of its three nearest folders (`graphql/`, `resolvers/`). */
function isResolverModule(fileName: string): boolean {
  const parts = fileName.split(/[\\/]/);
  if (/(?:^|\.)resolvers?(?:\.|$)/i.test(parts[parts.length - 1])) return true;
  return parts.slice(-4, -1).some((folder) => /^(?:resolvers?|graphql)$/i.test(folder));
}

const RESOLVERS_TYPE = /Resolvers\b/;

/**
 * The field a resolver class's method resolves: NestJS's `@ResolveField()` (from `@nestjs/graphql`)
 * or type-graphql's `@FieldResolver()`, in a class whose `@Resolver(() => User)` names the type
 * (a string or a class name; without one, the class's name less `Resolver`).
 */
export function resolverClassField(fn: ts.Node): ResolverField | undefined {
  if (!ts.isMethodDeclaration(fn) || !ts.isClassLike(fn.parent)) return undefined;
  const field = decoratorCall(fn, (module, name) => (module === '@nestjs/graphql' && name === 'ResolveField') || (module === 'type-graphql' && name === 'FieldResolver'));
  if (!field) return undefined;
  const fieldName = stringArgument(field) ?? keyName(fn.name);
  const resolver = decoratorCall(fn.parent, (module, name) => (module === '@nestjs/graphql' || module === 'type-graphql') && name === 'Resolver');
  const typeName = (resolver && typeArgument(resolver)) ?? fn.parent.name?.text.replace(/Resolver$/, '');
  if (!fieldName || !typeName) return undefined;
  return { typeName, fieldName, nameNode: fn.name };
}

/**
 * A field resolver's parent object: the parameter decorated `@Parent()` (NestJS) or `@Root()`
 * (type-graphql), else the first (resolver maps, and methods without those decorators).
 */
export function parentParameter(fn: ts.SignatureDeclaration): ts.ParameterDeclaration | undefined {
  const decorated = fn.parameters.find((p) => decoratorCall(p, (module, name) => (module === '@nestjs/graphql' && name === 'Parent') || (module === 'type-graphql' && name === 'Root')) !== undefined);
  return decorated ?? fn.parameters[0];
}

/** The first decorator call of `node` whose callee is imported as `accept(module, name)`. */
function decoratorCall(node: ts.Node, accept: (module: string, name: string) => boolean): ts.CallExpression | undefined {
  for (const decorator of (ts.canHaveDecorators(node) && ts.getDecorators(node)) || []) {
    const call = skipOuterExpressions(decorator.expression);
    if (!ts.isCallExpression(call)) continue;
    const qualified = resolveQualified(call.expression);
    if (qualified && accept(qualified.module, qualified.path[qualified.path.length - 1])) return call;
  }
  return undefined;
}

/** `@Resolver(() => User)`, `@Resolver(of => User)`, `@Resolver('User')`, `@Resolver(User)`: the type's name. */
function typeArgument(call: ts.CallExpression): string | undefined {
  const first = call.arguments[0];
  if (!first) return undefined;
  if (ts.isStringLiteralLike(first)) return first.text;
  if (ts.isIdentifier(first)) return first.text;
  if (ts.isArrowFunction(first) && ts.isIdentifier(first.body)) return first.body.text;
  return undefined;
}

function stringArgument(call: ts.CallExpression): string | undefined {
  const first = call.arguments[0];
  return first && ts.isStringLiteralLike(first) ? first.text : undefined;
}

/** The expression around `node` through parentheses, `as` and `satisfies`. */
function outermost(node: ts.Expression): ts.Expression {
  let e = node;
  while (e.parent && (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isSatisfiesExpression(e.parent))) e = e.parent;
  return e;
}
