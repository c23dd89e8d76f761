/**
 * Which package export does an expression name? `z.coerce.number` → zod's `coerce.number`,
 * `(0, class_validator_1.IsInt)` → class-validator's `IsInt`, `number` (imported from 'yup') →
 * yup's `number`. Follows ES imports, `require()` bindings and TypeScript's CommonJS output, so
 * rules recognise library calls by where they come from, not by how they are spelled.
 */
import * as ts from 'typescript';
import { resolveIdentifier, skipOuterExpressions, type Binding } from './scope';
import type { TextEdit } from '../types';
import { accessPath, newlineOf } from './ast';

export interface QualifiedImport {
  /** The module specifier (`zod`, `class-validator`, `./db`). */
  module: string;
  /** Export path below the module: `['coerce', 'number']`; `[]` for the module namespace itself. `default` is kept. */
  path: string[];
  /** The node that names the module namespace (the identifier of `import * as z`), when the path starts at one. */
  namespace?: ts.Expression;
}

/** The module and imported name of an import binding (`*` for namespaces and `require()` results). */
export function importOfBinding(binding: Binding): { module: string; name: string } | undefined {
  const declaration = binding.declaration;
  if (ts.isImportSpecifier(declaration)) {
    const module = moduleOf(declaration.parent.parent.parent);
    return module === undefined ? undefined : { module, name: (declaration.propertyName ?? declaration.name).text };
  }
  if (ts.isImportClause(declaration)) {
    const module = moduleOf(declaration.parent);
    return module === undefined ? undefined : { module, name: 'default' };
  }
  if (ts.isNamespaceImport(declaration)) {
    const module = moduleOf(declaration.parent.parent);
    return module === undefined ? undefined : { module, name: '*' };
  }
  if (ts.isImportEqualsDeclaration(declaration)) {
    const reference = declaration.moduleReference;
    if (ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression)) return { module: reference.expression.text, name: '*' };
    return undefined;
  }
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const module = requiredModule(declaration.initializer);
    return module === undefined ? undefined : { module, name: '*' };
  }
  if (ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent)) {
    const variable = declaration.parent.parent;
    if (ts.isVariableDeclaration(variable) && variable.initializer) {
      const module = requiredModule(variable.initializer);
      const key = declaration.propertyName ?? declaration.name;
      if (module !== undefined && ts.isIdentifier(key)) return { module, name: key.text };
    }
  }
  return undefined;
}

function moduleOf(declaration: ts.Node): string | undefined {
  if (ts.isImportDeclaration(declaration) && ts.isStringLiteral(declaration.moduleSpecifier)) return declaration.moduleSpecifier.text;
  return undefined;
}

/** `require('m')`, `__importStar(require('m'))`, `__importDefault(require('m'))` → 'm'. */
export function requiredModule(expression: ts.Expression): string | undefined {
  const inner = skipOuterExpressions(expression);
  if (!ts.isCallExpression(inner)) return undefined;
  if (ts.isIdentifier(inner.expression) && inner.expression.text === 'require' && inner.arguments.length === 1 && ts.isStringLiteral(inner.arguments[0])) {
    return inner.arguments[0].text;
  }
  if (ts.isIdentifier(inner.expression) && /^__import(Star|Default)$/.test(inner.expression.text) && inner.arguments.length === 1) return requiredModule(inner.arguments[0]);
  return undefined;
}

/**
 * Resolves an expression to a package export: `z.number` with `import { z } from 'zod'` →
 * `{ module: 'zod', path: ['z', 'number'] }`; with `import * as z from 'zod'` → `path: ['number']`.
 * `(0, ns.name)` (TypeScript's CommonJS call form) is unwrapped.
 */
export function resolveQualified(expression: ts.Expression): QualifiedImport | undefined {
  let inner = skipOuterExpressions(expression);
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.CommaToken) inner = inner.right;
  const { root: current, path } = accessPath(inner);
  if (!ts.isIdentifier(current)) return undefined;
  const binding = resolveIdentifier(current);
  if (!binding) return undefined;
  const imported = importOfBinding(binding);
  if (!imported) return undefined;
  if (imported.name === '*') return { module: imported.module, path, namespace: current };
  return { module: imported.module, path: [imported.name, ...path] };
}

/**
 * Resolves `expression` against one of `modules` and returns its export path with a leading
 * `default` and any leading `namespaceExport` (e.g. zod's `z`) removed: `z.coerce.number` → `coerce.number`.
 */
export function exportPathFrom(expression: ts.Expression, modules: readonly string[] | ((module: string) => boolean), namespaceExport?: string): string | undefined {
  const qualified = resolveQualified(expression);
  if (!qualified || !(typeof modules === 'function' ? modules(qualified.module) : modules.includes(qualified.module))) return undefined;
  const path = [...qualified.path];
  if (path[0] === 'default') path.shift();
  if (namespaceExport !== undefined && path[0] === namespaceExport) path.shift();
  return path.join('.');
}

/**
 * The text to call export `name` of a module that `reference` (an expression resolving into that
 * module, like the `z.number` of a call) already uses, plus the import edit when a named import
 * has to be added. Undefined when no clean spelling exists (e.g. compiled CommonJS code).
 */
export function spellingOfExport(sourceFile: ts.SourceFile, reference: ts.Expression, module: string, name: string): { text: string; edits: TextEdit[] } | undefined {
  const qualified = resolveQualified(reference);
  if (!qualified || qualified.module !== module) return undefined;
  if (qualified.namespace) return { text: `${qualified.namespace.getText(sourceFile)}.${name}`, edits: [] };
  // Named imports: reuse an existing local name, else add one to the import of that module.
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const bindings = statement.importClause?.namedBindings;
    if (statement.importClause?.isTypeOnly || !bindings || !ts.isNamedImports(bindings)) continue;
    const existing = bindings.elements.find((e) => (e.propertyName ?? e.name).text === name && !e.isTypeOnly);
    if (existing) return { text: existing.name.text, edits: [] };
  }
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const bindings = statement.importClause?.namedBindings;
    if (statement.importClause?.isTypeOnly || !bindings || !ts.isNamedImports(bindings)) continue;
    const edit = addNamedImportEdit(sourceFile, bindings, name);
    return edit ? { text: name, edits: [edit] } : undefined;
  }
  return undefined;
}

/** An edit adding `name` to `{ a, b }` in the formatting the import already uses. */
export function addNamedImportEdit(sourceFile: ts.SourceFile, bindings: ts.NamedImports, name: string): TextEdit | undefined {
  const text = sourceFile.text;
  const elements = bindings.elements;
  if (elements.length === 0) {
    const open = bindings.getStart(sourceFile) + 1;
    return { start: open, end: bindings.getEnd() - 1, text: ` ${name} ` };
  }
  const last = elements[elements.length - 1];
  const nl = newlineOf(text);
  const multiline = text.slice(bindings.getStart(sourceFile), bindings.getEnd()).includes('\n');
  const hasTrailingComma = elements.hasTrailingComma;
  if (multiline) {
    const lineStart = text.lastIndexOf('\n', last.getStart(sourceFile) - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    if (hasTrailingComma) {
      const comma = text.indexOf(',', last.getEnd());
      return { start: comma + 1, end: comma + 1, text: `${nl}${indent}${name},` };
    }
    return { start: last.getEnd(), end: last.getEnd(), text: `,${nl}${indent}${name}` };
  }
  return { start: last.getEnd(), end: last.getEnd(), text: `, ${name}` };
}
