/**
 * Lightweight binding resolution for one file, without a type checker: which declaration does an
 * identifier refer to? Rules follow bindings (not names) with this: `prisma.user.findMany` is a
 * query because `prisma` is bound to `new PrismaClient()` or imported from a module that exports
 * one, not because it is spelled "prisma".
 */
import * as ts from 'typescript';
import { carriedAlongEdits, nodesInOrder, perTopLevelChild } from '../parse';
import { ContextMemo, kindTable } from './memo';

export type BindingKind = 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'catch' | 'enum' | 'namespace';

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The declaring identifier. */
  identifier: ts.Identifier;
  /** The declaration node: VariableDeclaration, ParameterDeclaration, FunctionDeclaration, ClassDeclaration, ImportSpecifier, ImportClause, NamespaceImport, BindingElement, … */
  declaration: ts.Node;
  /** The node whose subtree the binding is visible in. */
  scope: ts.Node;
}

type ScopeTable = Map<string, Binding>;

/** A scope's table depends only on the scope's own subtree, so it stays valid when an incremental parse reuses the node (ts/memo.ts). */
const tables = new WeakMap<ts.Node, ScopeTable>();
const referenceIndexes = new WeakMap<ts.SourceFile, IdentifierIndex>();

/**
 * A file's identifiers by name (last identifier in the file first); for a tree from an incremental
 * parse, per name the top-level statements that hold it (last first) instead, whose own name tables
 * are kept across keystrokes while the parser reuses the statement (engine/parse.ts perTopLevelChild).
 */
type IdentifierIndex = { byName: Map<string, ts.Identifier[]>; statements?: undefined } | { byName?: undefined; statements: Map<string, StatementName[]> };

/** One name's identifiers in one top-level statement (last first), and, once asked, its references resolved inside the statement. */
interface StatementName {
  ids: ts.Identifier[];
  /** The top-level statement (its position orders the statements of a name). */
  statement: ts.Node;
  /** `binding`: declared inside the statement; null: resolves above it, i.e. to the file's scope or nowhere. */
  references?: Array<{ id: ts.Identifier; binding: Binding | null }>;
}

/** True for nodes that introduce a scope. */
export const isScopeNode: (node: ts.Node) => boolean = kindTable((node) =>
  (
    ts.isSourceFile(node) ||
    ts.isBlock(node) ||
    ts.isModuleBlock(node) ||
    ts.isCaseBlock(node) ||
    ts.isFunctionLike(node) ||
    ts.isForStatement(node) ||
    ts.isForInStatement(node) ||
    ts.isForOfStatement(node) ||
    ts.isCatchClause(node) ||
    ts.isClassLike(node)
  ),
);

/** Resolutions per identifier node: rules resolve the same identifiers many times. They depend on the enclosing scopes, so an incremental parse drops them (ts/memo.ts). */
const resolutions = new ContextMemo<ts.Identifier, Binding | null>();
/** References grouped by binding, per file and name: one pass over the same-named identifiers serves every binding of that name. */
const referenceGroups = new WeakMap<ts.SourceFile, Map<string, Map<Binding, ts.Identifier[]>>>();

/** Resolves an identifier to its binding in this file, or undefined for globals/unknowns. */
export function resolveIdentifier(identifier: ts.Identifier): Binding | undefined {
  const known = resolutions.get(identifier);
  if (known !== undefined) return known ?? undefined;
  const binding = resolveUncached(identifier);
  resolutions.set(identifier, binding ?? null);
  return binding;
}

function resolveUncached(identifier: ts.Identifier): Binding | undefined {
  const name = identifier.text;
  for (let node: ts.Node | undefined = identifier.parent; node; node = node.parent) {
    if (!isScopeNode(node)) continue;
    // A function's own parameters are not visible from its name or decorators; close enough here.
    const binding = tableOf(node).get(name);
    if (binding) return binding;
  }
  return undefined;
}

/** The binding an expression names directly (an identifier, possibly in parentheses/casts). */
export function resolveExpression(expression: ts.Expression): Binding | undefined {
  const inner = skipOuterExpressions(expression);
  return ts.isIdentifier(inner) ? resolveIdentifier(inner) : undefined;
}

/** Strips parentheses, `as`, `!`, `satisfies` and type assertions. */
export function skipOuterExpressions(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (isOuterExpression(current)) current = (current as ts.ParenthesizedExpression).expression;
  return current;
}

const isOuterExpression = kindTable((node) => ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node));

/** The initializer of a variable binding (`const x = <init>`), when it has a simple one. */
export function initializerOf(binding: Binding): ts.Expression | undefined {
  const declaration = binding.declaration;
  if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)) return declaration.initializer;
  return undefined;
}

/** Every identifier in the file that refers to `binding` (its declaration excluded), as a fresh array the caller may change. */
export function referencesOf(binding: Binding): ts.Identifier[] {
  const sourceFile = binding.identifier.getSourceFile();
  let byName = referenceGroups.get(sourceFile);
  if (!byName) referenceGroups.set(sourceFile, (byName = new Map()));
  let groups = byName.get(binding.name);
  if (!groups) {
    groups = new Map();
    const add = (id: ts.Identifier, target: Binding | undefined) => {
      if (!target || id === target.identifier) return;
      let list = groups!.get(target);
      if (!list) groups!.set(target, (list = []));
      list.push(id);
    };
    const index = identifierIndex(sourceFile);
    if (index.statements) {
      // Resolution climbs from an identifier to its top-level statement, then to the file's scope:
      // what a statement's subtree declares is kept with the statement, the rest is one lookup here.
      const inFile = tableOf(sourceFile).get(binding.name);
      for (const statement of index.statements.get(binding.name) ?? []) for (const { id, binding: local } of referencesIn(statement)) add(id, local ?? inFile);
    } else {
      for (const id of index.byName.get(binding.name) ?? []) if (isReference(id)) add(id, resolveIdentifier(id));
    }
    byName.set(binding.name, groups);
  }
  return (groups.get(binding) ?? []).slice();
}

function referencesIn(statement: StatementName): Array<{ id: ts.Identifier; binding: Binding | null }> {
  if (statement.references) return statement.references;
  const references: Array<{ id: ts.Identifier; binding: Binding | null }> = [];
  for (const id of statement.ids) if (isReference(id)) references.push({ id, binding: resolveBelowFile(id) ?? null });
  return (statement.references = references);
}

/** The binding an identifier resolves to in the scopes below its file's own scope. */
function resolveBelowFile(identifier: ts.Identifier): Binding | undefined {
  const name = identifier.text;
  for (let node: ts.Node | undefined = identifier.parent; node && node.kind !== ts.SyntaxKind.SourceFile; node = node.parent) {
    if (!isScopeNode(node)) continue;
    const binding = tableOf(node).get(name);
    if (binding) return binding;
  }
  return undefined;
}

/** True when an identifier is used as a value reference (not a property name, key or declaration name). */
export function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  // Most parents (calls, binary expressions, …) are none of the kinds below.
  if (!mayHoldNonReference(parent)) return true;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if (ts.isQualifiedName(parent) && parent.right === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isEnumMember(parent)) && parent.name === identifier) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === identifier) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isClassDeclaration(parent) || ts.isClassExpression(parent) || ts.isBindingElement(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) || ts.isEnumDeclaration(parent) || ts.isModuleDeclaration(parent)) && (parent as ts.NamedDeclaration).name === identifier) return false;
  if (ts.isExportSpecifier(parent) && parent.name === identifier && parent.propertyName) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isExpressionWithTypeArguments(parent) && ts.isHeritageClause(parent.parent) && parent.parent.token === ts.SyntaxKind.ImplementsKeyword) return false;
  if (ts.isJsxAttribute(parent) && parent.name === identifier) return false;
  return true;
}

/** The parent kinds `isReference` looks at. */
const mayHoldNonReference = kindTable(
  (parent) =>
    ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent) ||
    ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isEnumMember(parent) ||
    ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isClassDeclaration(parent) || ts.isClassExpression(parent) || ts.isBindingElement(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) || ts.isEnumDeclaration(parent) || ts.isModuleDeclaration(parent) ||
    ts.isExportSpecifier(parent) || ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent) || ts.isTypeReferenceNode(parent) || ts.isExpressionWithTypeArguments(parent) || ts.isJsxAttribute(parent),
);

/** True when some identifier of the file (declaration, reference or property name) is spelled `name`. */
export function isNameUsedInFile(sourceFile: ts.SourceFile, name: string): boolean {
  const index = identifierIndex(sourceFile);
  return index.byName ? index.byName.has(name) : index.statements.has(name);
}

function identifierIndex(sourceFile: ts.SourceFile): IdentifierIndex {
  let index = referenceIndexes.get(sourceFile);
  if (index) return index;
  const perStatement = perTopLevelChild(sourceFile, statementNames);
  if (perStatement) {
    const carried = carriedAlongEdits<CarriedIndex>(sourceFile, CARRIED_INDEX, () => ({ statements: new Map(), members: new Set() }))!;
    updateIndex(carried, perStatement);
    index = { statements: carried.statements };
  } else {
    const byName = new Map<string, ts.Identifier[]>();
    // The parse's node list instead of a walk of our own; read backwards, so each name's list keeps
    // the order of the walk it replaces (last identifier in the file first), which orders references.
    const nodes = nodesInOrder(sourceFile);
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      if (node.kind !== ts.SyntaxKind.Identifier) continue;
      const name = (node as ts.Identifier).text;
      let list = byName.get(name);
      if (!list) byName.set(name, (list = []));
      list.push(node as ts.Identifier);
    }
    index = { byName };
  }
  referenceIndexes.set(sourceFile, index);
  return index;
}

/** The statement index of an edited document, carried from one keystroke's tree to the next. */
interface CarriedIndex {
  /** Per name, the top-level statements that hold it, last first. */
  statements: Map<string, StatementName[]>;
  /** The statements' own tables the index holds (`statementNames` values). */
  members: Set<Map<string, StatementName>>;
}

const CARRIED_INDEX = {};

/**
 * Brings a carried index up to date with a tree's statements: the tables of statements no longer
 * there leave it, new ones are put in their place by position. A keystroke re-parses one statement,
 * so this replaces merging all of them again (~1 ms per keystroke on the 3,000-line benchmark
 * document, and as much garbage); many new statements (the first tree, a large edit) are merged anew.
 */
function updateIndex(carried: CarriedIndex, perStatement: Array<Map<string, StatementName>>): void {
  const added: Array<Map<string, StatementName>> = [];
  for (const names of perStatement) if (!carried.members.has(names)) added.push(names);
  if (added.length > 32) {
    // Statements last to first, each one's names already last to first: the order of a backward walk.
    const statements = new Map<string, StatementName[]>();
    for (let i = perStatement.length - 1; i >= 0; i--) {
      for (const [name, entry] of perStatement[i]) {
        const holders = statements.get(name);
        if (holders) holders.push(entry);
        else statements.set(name, [entry]);
      }
    }
    carried.statements = statements;
    carried.members = new Set(perStatement);
    return;
  }
  const { statements, members } = carried;
  if (members.size + added.length > perStatement.length) {
    const current = new Set(perStatement);
    for (const names of members) {
      if (current.has(names)) continue;
      members.delete(names);
      for (const [name, entry] of names) {
        const holders = statements.get(name)!;
        holders.splice(holders.indexOf(entry), 1);
        if (holders.length === 0) statements.delete(name);
      }
    }
  }
  for (const names of added) {
    members.add(names);
    for (const [name, entry] of names) {
      const holders = statements.get(name);
      if (!holders) {
        statements.set(name, [entry]);
        continue;
      }
      const pos = entry.statement.pos;
      let at = 0;
      while (at < holders.length && holders[at].statement.pos > pos) at++;
      holders.splice(at, 0, entry);
    }
  }
}

/** A top-level statement's identifiers by name, last first (read from its subtree only: kept while the statement is reused). */
function statementNames(statement: ts.Node, stretch: readonly ts.Node[]): Map<string, StatementName> {
  const names = new Map<string, StatementName>();
  for (let i = stretch.length - 1; i >= 0; i--) {
    const node = stretch[i];
    if (node.kind !== ts.SyntaxKind.Identifier) continue;
    const name = (node as ts.Identifier).text;
    const entry = names.get(name);
    if (entry) entry.ids.push(node as ts.Identifier);
    else names.set(name, { ids: [node as ts.Identifier], statement });
  }
  return names;
}

function tableOf(scope: ts.Node): ScopeTable {
  let table = tables.get(scope);
  if (table) return table;
  table = new Map();
  buildTable(scope, table);
  tables.set(scope, table);
  return table;
}

function add(table: ScopeTable, scope: ts.Node, name: ts.BindingName | ts.Identifier, kind: BindingKind, declaration: ts.Node): void {
  if (ts.isIdentifier(name)) {
    if (!table.has(name.text)) table.set(name.text, { name: name.text, kind, identifier: name, declaration, scope });
    return;
  }
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (ts.isIdentifier(element.name)) {
      if (!table.has(element.name.text)) table.set(element.name.text, { name: element.name.text, kind, identifier: element.name, declaration: element, scope });
    } else add(table, scope, element.name, kind, declaration);
  }
}

function variableKind(list: ts.VariableDeclarationList): BindingKind {
  if (list.flags & ts.NodeFlags.Const) return 'const';
  if (list.flags & ts.NodeFlags.Let) return 'let';
  if (list.flags & (ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) return 'const';
  return 'var';
}

/** Where a scope's declarations go: straight into its table, or into a list kept per top-level statement (`fileDeclarations`). */
type Declare = (name: ts.BindingName | ts.Identifier, kind: BindingKind, declaration: ts.Node) => void;

function addStatements(declare: Declare, statements: readonly ts.Statement[]): void {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      const kind = variableKind(statement.declarationList);
      for (const declaration of statement.declarationList.declarations) declare(declaration.name, kind, declaration);
    } else if (ts.isFunctionDeclaration(statement) && statement.name) declare(statement.name, 'function', statement);
    else if (ts.isClassDeclaration(statement) && statement.name) declare(statement.name, 'class', statement);
    else if (ts.isEnumDeclaration(statement)) declare(statement.name, 'enum', statement);
    else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) declare(statement.name, 'namespace', statement);
    else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) declare(clause.name, 'import', clause);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) declare(bindings.name, 'import', bindings);
      else if (bindings) for (const specifier of bindings.elements) declare(specifier.name, 'import', specifier);
    } else if (ts.isImportEqualsDeclaration(statement)) declare(statement.name, 'import', statement);
  }
}

/** `var` declarations hoisted to a function (or file) scope from `node` and below, without entering nested functions. */
function addHoistedVars(declare: Declare, node: ts.Node): void {
  const visit = (child: ts.Node): void => {
    if (ts.isFunctionLike(child) || ts.isClassLike(child)) return;
    if (ts.isVariableDeclarationList(child) && variableKind(child) === 'var') {
      for (const declaration of child.declarations) declare(declaration.name, 'var', declaration);
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
}

/** One declaration of a scope, before it is bound to the scope's node; `text`: an identifier name's (read once, not per keystroke). */
interface Declaration {
  name: ts.BindingName | ts.Identifier;
  text: string | undefined;
  kind: BindingKind;
  declaration: ts.Node;
}

function declaration(name: ts.BindingName | ts.Identifier, kind: BindingKind, node: ts.Node): Declaration {
  return { name, text: ts.isIdentifier(name) ? name.text : undefined, kind, declaration: node };
}

function addDeclaration(table: ScopeTable, scope: ts.Node, d: Declaration): void {
  if (d.text === undefined) add(table, scope, d.name, d.kind, d.declaration);
  else if (!table.has(d.text)) table.set(d.text, { name: d.text, kind: d.kind, identifier: d.name as ts.Identifier, declaration: d.declaration, scope });
}

/**
 * What a top-level statement declares in its file's scope: as a statement, and as `var`s hoisted
 * from inside it. Kept while an incremental parse reuses the statement (`perTopLevelChild`): a
 * keystroke's new tree then builds its file table from these lists, not from a walk of every
 * statement (~1 ms per keystroke on the 3,000-line benchmark document).
 */
function fileDeclarations(statement: ts.Node): { declared: Declaration[]; hoisted: Declaration[] } {
  const declared: Declaration[] = [];
  const hoisted: Declaration[] = [];
  if (statement.kind !== ts.SyntaxKind.EndOfFileToken) addStatements((name, kind, node) => declared.push(declaration(name, kind, node)), [statement as ts.Statement]);
  addHoistedVars((name, kind, node) => hoisted.push(declaration(name, kind, node)), statement);
  return { declared, hoisted };
}

function buildTable(scope: ts.Node, table: ScopeTable): void {
  const declare: Declare = (name, kind, declaration) => add(table, scope, name, kind, declaration);
  if (ts.isSourceFile(scope)) {
    const perStatement = perTopLevelChild(scope, fileDeclarations);
    if (perStatement) {
      // The order of the walk below: every statement's declarations, then the hoisted `var`s (the first binding of a name wins).
      for (const { declared } of perStatement) for (const d of declared) addDeclaration(table, scope, d);
      for (const { hoisted } of perStatement) for (const d of hoisted) addDeclaration(table, scope, d);
      return;
    }
  }
  if (ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
    addStatements(declare, scope.statements);
    if (ts.isSourceFile(scope)) for (const child of scope.statements) addHoistedVars(declare, child);
  } else if (ts.isBlock(scope)) {
    addStatements(declare, scope.statements);
  } else if (ts.isCaseBlock(scope)) {
    for (const clause of scope.clauses) addStatements(declare, clause.statements);
  } else if (ts.isFunctionLike(scope)) {
    const fn = scope as ts.SignatureDeclaration;
    for (const parameter of fn.parameters) declare(parameter.name, 'param', parameter);
    // A function expression's name is visible only inside it; a declaration's name belongs to the enclosing scope.
    if (ts.isFunctionExpression(scope) && scope.name) declare(scope.name, 'function', scope);
    const body = (scope as ts.FunctionLikeDeclaration).body;
    if (body && ts.isBlock(body)) for (const statement of body.statements) addHoistedVars(declare, statement);
  } else if (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) {
    const initializer = scope.initializer;
    if (initializer && ts.isVariableDeclarationList(initializer)) {
      const kind = variableKind(initializer);
      for (const declaration of initializer.declarations) add(table, scope, declaration.name, kind, declaration);
    }
  } else if (ts.isCatchClause(scope)) {
    if (scope.variableDeclaration) add(table, scope, scope.variableDeclaration.name, 'catch', scope.variableDeclaration);
  } else if (ts.isClassExpression(scope) && scope.name) {
    add(table, scope, scope.name, 'class', scope);
  }
}
