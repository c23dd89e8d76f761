/**
 * Cross-file helpers over the workspace's own modules, without a type checker: which files import
 * a given export of a module (following import bindings, not names), which names a binding is
 * exported under, and whether a path is a test/script. Module resolution and parsing come from the
 * project's ModuleGraph (engine/db/modules.ts).
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { defineFact, type Project, type TextEdit } from '../project';
import { languageOf } from '../parse';
import { changesModuleResolution, moduleGraph } from '../db/modules';
import { detachedCopy } from '../text';
import { referencesOf, resolveIdentifier, type Binding } from './scope';

/** One import of a module's export in another workspace file. */
export interface ImportUse {
  file: string;
  sourceFile: ts.SourceFile;
  /** The local binding of the import (references are found with `referencesOf`). */
  binding: Binding;
}

export interface ImportersResult {
  uses: ImportUse[];
  /**
   * True when the export may be reached in ways the uses do not show (a namespace import,
   * a re-export, `require`): callers should then treat the export as escaping.
   */
  opaque: boolean;
}

/**
 * Workspace files importing `exportName` (`'default'` for the default export) from `targetFile`,
 * found by resolving every import declaration whose specifier leads to `targetFile`.
 */
/**
 * Answers by target file, then by export name (`name`, `name\u0000opaque`, `name\u0000new…`): the
 * keys are strings the callers already hold, not new ones built per question (a rule asks ~200
 * times per keystroke on the benchmark's document).
 */
const importersMemo = defineFact('ts/importers-memo', () => new Map<string, Map<string, MemoizedImporters>>(), {
  // An edit that keeps the file's import specifiers changes only the answers that read the file as
  // an importer (~0.6 ms per keystroke on the benchmark's document, asking for its 200 exports).
  onEdit: (memo, edit) => {
    if (changesModuleResolution(edit.path) || !sameSpecifiers(edit)) return false;
    for (const answers of memo.values()) for (const [key, entry] of answers) if (entry.importers.includes(edit.path)) answers.delete(key);
    return true;
  },
});

/** An `importersOf` answer with the importing files it read (the import index's list for the target). */
type MemoizedImporters = ImportersResult & { importers: readonly string[] };

/** The memo's answers about one target file. */
function answersAbout(project: Project, target: string): Map<string, MemoizedImporters> {
  const memo = project.get(importersMemo);
  let answers = memo.get(target);
  if (!answers) memo.set(target, (answers = new Map()));
  return answers;
}

export function importersOf(project: Project, targetFile: string, exportName: string): ImportersResult {
  const target = project.absolute(targetFile);
  const answers = answersAbout(project, target);
  const cached = answers.get(exportName);
  if (cached) return cached;
  const computed = computeImporters(project, target, exportName);
  answers.set(exportName, computed);
  return computed;
}

/**
 * `importersOf` for callers that give up on an opaque export (they treat it as escaping): undefined
 * as soon as the export is known to be opaque, without parsing the importers left. A module whose
 * export any file star-imports (effect's LogLevel.ts, imported by 600 KB modules that also spell
 * the name) costs text reads only.
 */
export function importersUnlessOpaque(project: Project, targetFile: string, exportName: string): ImportersResult | undefined {
  const target = project.absolute(targetFile);
  const answers = answersAbout(project, target);
  const full = answers.get(exportName);
  if (full) return full.opaque ? undefined : full;
  const opaqueKey = `${exportName}\u0000opaque`;
  if (answers.has(opaqueKey)) return undefined;
  const computed = computeImporters(project, target, exportName, undefined, true);
  // Not opaque: every importer was read, the result is whole.
  if (!computed.opaque) {
    answers.set(exportName, computed);
    return computed;
  }
  answers.set(opaqueKey, computed);
  return undefined;
}

/**
 * The imports of `exportName` from `targetFile` that may be instantiated (`new Local`): the uses of
 * `importersOf`, but an importer whose text never spells `new` before one of the names the export
 * may be bound to is not parsed (most importers of a class only call or type it). `opaque` is not
 * computed: callers look for `new` expressions among the uses' references, nothing else. A caller
 * that only counts some of those expressions may narrow the filter further (`narrower`, whose `key`
 * names it in the memo: it must say yes wherever such an expression may be).
 */
export function constructingImporters(project: Project, targetFile: string, exportName: string, narrower?: { key: string; test: (file: string, text: string) => boolean }): readonly ImportUse[] {
  const target = project.absolute(targetFile);
  const answers = answersAbout(project, target);
  const full = answers.get(exportName);
  if (full) return full.uses;
  const key = `${exportName}\u0000new${narrower ? `\u0000${narrower.key}` : ''}`;
  const cached = answers.get(key);
  if (cached) return cached.uses;
  const computed = computeImporters(project, target, exportName, (text, file) => mayConstruct(text, exportName) && (!narrower || narrower.test(file, text)));
  answers.set(key, computed);
  return computed.uses;
}

/**
 * Whether `text` may contain `new Local` with `Local` a binding of an import of `exportName`: the
 * name itself or an `exportName as Alias` (a default import may take any name: any `new` counts).
 * Comments between `new` and the name are skipped, as the parser would. (`locals`: the caller's
 * `importedLocals`, when it has them already.)
 */
export function mayConstruct(text: string, exportName: string, locals = importedLocals(text, exportName)): boolean {
  if (!locals) return /\bnew\b/.test(text);
  const NEW = /(?<![\w$.])new(?![\w$])/g;
  for (let match = NEW.exec(text); match; match = NEW.exec(text)) {
    let i = match.index + 3;
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text.startsWith('//', i)) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? text.length : end + 1;
      } else if (text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2);
        i = end === -1 ? text.length : end + 2;
      } else break;
    }
    let end = i;
    while (end < text.length && /[\w$]/.test(text[end])) end++;
    if (end > i && locals.has(text.slice(i, end))) return true;
  }
  return false;
}

/**
 * The names an import of `exportName` may be bound to in `text`, read without parsing: the name
 * itself and each `exportName as Alias`; undefined when it may be any name (a default export, or
 * an `as` followed by something unexpected, such as a comment).
 */
export function importedLocals(text: string, exportName: string): ReadonlySet<string> | undefined {
  if (exportName === 'default' || !/^[A-Za-z_$][\w$]*$/.test(exportName)) return undefined;
  const locals = new Set([exportName]);
  const name = exportName.replace(/\$/g, '\\$');
  for (const match of text.matchAll(new RegExp(`(?<![\\w$])${name}\\s+as\\s+([A-Za-z_$][\\w$]*)`, 'g'))) locals.add(match[1]);
  if (new RegExp(`(?<![\\w$])${name}\\s+as(?![\\w$])(?!\\s+[A-Za-z_$])`).test(text)) return undefined;
  return locals;
}

/**
 * A quoted module specifier, group 1 or 2, as TypeScript reads a string: it may hold the other
 * quote, and a line break ends it, closed or not (`from 'pg` while typing is still `'pg'`).
 */
const QUOTED_SPECIFIER = `(?:'([^'\\n\\r\\u2028\\u2029]+)'?|"([^"\\n\\r\\u2028\\u2029]+)"?)`;

/** Module specifiers in import/export-from/require/import() positions, read from the text without parsing. */
const SPECIFIER = new RegExp(`\\b(?:from|require\\s*\\(|import\\s*\\(?)\\s*${QUOTED_SPECIFIER}`, 'g');

/** What the import index reads of one file: the workspace modules its specifiers lead to, and its bare specifiers. */
export interface FileImports {
  targets: string[];
  packages: readonly string[];
}

/** The files the import index reads (TypeScript and JavaScript sources), in the project's order. */
export function importIndexFiles(project: Project): string[] {
  return project.sourceFiles().filter((file) => languageOf(file) === 'typescript');
}

/**
 * One file's step of the import index: its specifiers read from the text (no parse) and resolved
 * to workspace files; undefined when it cannot be read. An audit's triage thread shares these steps
 * with its workers while they wait for the index (`AuditPool.shareImportScan`).
 */
export function fileImports(project: Project, file: string, interned = new Map<string, string>()): FileImports | undefined {
  const text = project.scanText(file);
  if (text === undefined) return undefined;
  const graph = moduleGraph(project);
  const targets = new Set<string>();
  let bare: Set<string> | undefined;
  SPECIFIER.lastIndex = 0;
  for (let match = SPECIFIER.exec(text); match; match = SPECIFIER.exec(text)) {
    const specifier = match[1] ?? match[2];
    const resolved = graph.resolve(file, specifier);
    if (resolved) targets.add(resolved);
    if (specifier.charCodeAt(0) !== 46 /* . */ && specifier.charCodeAt(0) !== 47 /* / */) {
      let shared = interned.get(specifier);
      // A flat copy: a sliced specifier would keep the whole text alive.
      if (shared === undefined) interned.set(shared = detachedCopy(specifier), shared);
      (bare ??= new Set()).add(shared);
    }
  }
  return { targets: [...targets], packages: bare ? [...bare] : NO_PACKAGES };
}

/** The index (target → importing files, in file order) from each file's step, `scanOf(i)` for `files[i]`. */
function assembleImportIndex(files: readonly string[], scanOf: (i: number) => FileImports | undefined): Map<string, string[]> {
  const index = new Map<string, string[]>();
  const packages = new Map<string, readonly string[]>();
  for (let i = 0; i < files.length; i++) {
    const scan = scanOf(i);
    if (!scan) continue;
    packages.set(files[i], scan.packages);
    for (const target of scan.targets) {
      let list = index.get(target);
      if (!list) index.set(target, (list = []));
      list.push(files[i]);
    }
  }
  packagesByIndex.set(index, packages);
  return index;
}

/**
 * Which workspace files mention each workspace module as an import target: one regex pass over
 * every file's text per project, instead of scanning the whole workspace once per question.
 */
const importIndexFact = defineFact(
  'ts/import-index',
  (project: Project) => {
    const files = importIndexFiles(project);
    const interned = new Map<string, string>();
    return assembleImportIndex(files, (i) => fileImports(project, files[i], interned));
  },
  // Typing that leaves a file's import specifiers alone leaves the index alone.
  { onTrim: 'keep', onEdit: (_index, edit) => sameSpecifiers(edit) },
);

/**
 * Gives a project its import index from steps computed elsewhere too (`scans[i]` for
 * `importIndexFiles(project)[i]`): the same index as its own pass would build.
 */
export function seedImportIndexScans(project: Project, scans: ReadonlyArray<FileImports | undefined>): void {
  const files = importIndexFiles(project);
  if (scans.length !== files.length) throw new Error(`import index: ${scans.length} file steps for ${files.length} files`);
  const interned = new Map<string, string>();
  const intern = (name: string): string => {
    let shared = interned.get(name);
    if (shared === undefined) interned.set((shared = name), shared);
    return shared;
  };
  project.seed(
    importIndexFact,
    assembleImportIndex(files, (i) => {
      const scan = scans[i];
      // Steps from another thread arrive as copies: one string per package name, as a pass here keeps.
      return scan && { targets: scan.targets, packages: scan.packages.length === 0 ? NO_PACKAGES : scan.packages.map(intern) };
    }),
  );
}

/** The module specifiers a text imports, re-exports or requires, read without parsing (`SPECIFIER`). */
export function moduleSpecifiers(text: string | undefined): string[] {
  return text === undefined ? [] : [...text.matchAll(SPECIFIER)].map((match) => match[1] ?? match[2]);
}

/** Per edit: three facts ask (each scan of a 120 KB document's two texts costs ~0.2 ms). */
const sameSpecifiersMemo = new WeakMap<TextEdit, boolean>();

function sameSpecifiers(edit: TextEdit): boolean {
  let same = sameSpecifiersMemo.get(edit);
  if (same === undefined) {
    const a = moduleSpecifiers(edit.before);
    const b = moduleSpecifiers(edit.after);
    same = a.length === b.length && a.every((specifier, i) => specifier === b[i]);
    sameSpecifiersMemo.set(edit, same);
  }
  return same;
}

const NO_PACKAGES: readonly string[] = [];

/**
 * The bare specifiers (`pg`, `@prisma/client/edge`, not `./db`) of each file an import index read
 * itself, by index (an index seeded from another thread has none). Kept and dropped with the index:
 * an edit that keeps a file's specifiers keeps both.
 */
const packagesByIndex = new WeakMap<Map<string, string[]>, Map<string, readonly string[]>>();

/**
 * The bare import specifiers of `file`'s current text, from the import index's pass over it (no text
 * read); undefined when this project's index did not read the file (seeded index, non-workspace file).
 */
export function importedPackagesOf(project: Project, file: string): readonly string[] | undefined {
  return packagesByIndex.get(project.get(importIndexFact))?.get(project.absolute(file));
}

/**
 * The same edges forward: for each workspace file the index read, the workspace modules its import
 * specifiers lead to. Kept and dropped with the index (the same edit test).
 */
const importTargetsFact = defineFact(
  'ts/import-targets',
  (project: Project) => {
    const targets = new Map<string, string[]>();
    for (const file of project.sourceFiles()) if (languageOf(file) === 'typescript') targets.set(file, []);
    for (const [target, importers] of project.get(importIndexFact)) {
      for (const importer of importers) targets.get(importer)?.push(target);
    }
    return targets;
  },
  { onTrim: 'keep', onEdit: (_targets, edit) => sameSpecifiers(edit) },
);

/**
 * The workspace modules the import specifiers of `file`'s current text lead to, from the import
 * index (no text read); undefined for a file the index did not read (not a workspace source file).
 */
export function importTargetsOf(project: Project, file: string): readonly string[] | undefined {
  return project.get(importTargetsFact).get(project.absolute(file));
}

/** The import index as plain data (target file, importing files), computed if need be: for `seedImportIndex` in another thread. */
export function importIndexEntries(project: Project): Array<[string, string[]]> {
  return [...project.get(importIndexFact)];
}

/**
 * Gives a project the import index another project of the same workspace computed (an audit's main
 * thread, for its workers: the index reads every file of the workspace once).
 */
export function seedImportIndex(project: Project, entries: Array<[string, string[]]>): void {
  project.seed(importIndexFact, new Map(entries));
}

/** Workspace files whose import specifiers lead to `targetFile` (from the import index: nothing is parsed). */
export function filesImporting(project: Project, targetFile: string): readonly string[] {
  return project.get(importIndexFact).get(project.absolute(targetFile)) ?? [];
}

const NO_IMPORTERS: readonly string[] = [];

function computeImporters(project: Project, target: string, exportName: string, textFilter?: (text: string, file: string) => boolean, stopWhenOpaque = false): MemoizedImporters {
  const graph = moduleGraph(project);
  const importers = project.get(importIndexFact).get(target) ?? NO_IMPORTERS;
  const result: MemoizedImporters = { uses: [], opaque: false, importers };
  // Text first, for every importer: a namespace import or a star re-export, seen in any of them,
  // makes the export opaque before a single importer is parsed.
  const toParse: Array<{ file: string; text: string }> = [];
  for (const file of importers) {
    if (file === target) continue;
    const text = project.readText(file);
    if (text === undefined) continue;
    const reach = reachByText(graph, file, text, target, exportName);
    if (reach.starImport) result.opaque = true;
    if (reach.mayUse && (!textFilter || textFilter(text, file))) toParse.push({ file, text });
  }
  for (const { file, text } of toParse) {
    if (stopWhenOpaque && result.opaque) break;
    const sourceFile = graph.sourceFile(file);
    if (!sourceFile) continue;
    for (const statement of sourceFile.statements) {
      const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      if (specifier === undefined || graph.resolve(file, specifier) !== target) continue;
      if (ts.isExportDeclaration(statement)) {
        const clause = statement.exportClause;
        if (!clause || ts.isNamespaceExport(clause) || clause.elements.some((e) => (e.propertyName ?? e.name).text === exportName)) result.opaque = true;
        continue;
      }
      const clause = (statement as ts.ImportDeclaration).importClause;
      if (!clause) continue;
      if (exportName === 'default' && clause.name) pushUse(result, file, sourceFile, clause.name);
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) result.opaque = true;
      else if (named) {
        for (const element of named.elements) {
          if ((element.propertyName ?? element.name).text === exportName) pushUse(result, file, sourceFile, element.name);
        }
      }
    }
    if (/\brequire\s*\(/.test(text) && requiresTarget(project, file, sourceFile, target)) result.opaque = true;
  }
  return result;
}

/** `import * as X from '…'`, `export * from '…'`, `export * as X from '…'` (the specifier is group 1 or 2). */
const STAR_SPECIFIER = new RegExp(`\\*\\s*(?:as\\s+[\\w$]+\\s*)?from\\s*${QUOTED_SPECIFIER}`, 'g');

/**
 * What the text of an importer shows without parsing it: whether it has a namespace import or a
 * star re-export of `target` (the export is then opaque, as the parsed statement would say; a
 * comment that looks like one only makes the answer more conservative), and whether it may use
 * `exportName` at all (the name appears in it, a default import, or `require`). A module with an
 * exported collection is often imported by large files for other names (effect's Schema.ts, 600
 * KB, imports most modules as namespaces): those are not parsed.
 */
function reachByText(graph: ReturnType<typeof moduleGraph>, file: string, text: string, target: string, exportName: string): { starImport: boolean; mayUse: boolean } {
  let starImport = false;
  STAR_SPECIFIER.lastIndex = 0;
  for (let match = STAR_SPECIFIER.exec(text); match && !starImport; match = STAR_SPECIFIER.exec(text)) {
    if (graph.resolve(file, match[1] ?? match[2]) === target) starImport = true;
  }
  const mayUse = exportName === 'default' || !/^[A-Za-z_$][\w$]*$/.test(exportName) || text.includes(exportName) || /\brequire\s*\(/.test(text);
  return { starImport, mayUse };
}

function pushUse(result: ImportersResult, file: string, sourceFile: ts.SourceFile, name: ts.Identifier): void {
  const binding = resolveIdentifier(name);
  if (binding) result.uses.push({ file, sourceFile, binding });
  else result.opaque = true;
}

function requiresTarget(project: Project, file: string, sourceFile: ts.SourceFile, target: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      if (moduleGraph(project).resolve(file, node.arguments[0].text) === target) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/**
 * True when a workspace-relative path is a test, a mock or a fixture (a folder of that name, or
 * `*.test.ts`, `*.spec.ts`, `*.e2e.ts`), or a test runner's setup or teardown file (`jest.setup.ts`,
 * `vitest.setup.ts`, `test-setup.js`, `globalSetup.ts`, `global-teardown.ts`, `setupTests.ts`).
 */
export function isTestPath(relativePath: string): boolean {
  let answer = testPaths.get(relativePath);
  if (answer === undefined) {
    const p = relativePath.split(path.sep).join('/');
    answer = /(^|\/)(test|tests|__tests__|__mocks__|spec|e2e|fixtures?)\//i.test(p) || /[._-](test|spec|e2e)\.[cm]?[jt]sx?$/i.test(p) || TEST_SETUP_FILE.test(p);
    if (testPaths.size >= 50_000) testPaths.clear();
    testPaths.set(relativePath, answer);
  }
  return answer;
}

/** A test runner's setup or teardown module: `jest.setup.ts`, `jest.global-setup.ts`, `test-setup.js`, `globalSetup.ts`, `setupTests.ts`. */
const TEST_SETUP_FILE = /(^|\/)(?:(?:jest|vitest|playwright|mocha)\.[^/]*(?:setup|teardown)|(?:test|tests|spec|e2e|global)[._-]?(?:setup|teardown)|setup[._-]?tests?)[^/]*\.[cm]?[jt]sx?$/i;

/** Answers of `isTestPath` (gates ask it about every importer of every file: ~32,000 times per audit of the bench corpus). */
const testPaths = new Map<string, boolean>();

/**
 * Folders of code that runs once and exits (a migrations or seeds folder may have a prefix:
 * `predefinedMigrations/`, `db-migrations/`, `demo-seeds/`), and seed files (`seed.ts`,
 * `seed-users.ts`, `seedData.ts`).
 */
const ONE_OFF_PATH = /(^|\/)(scripts?|[\w-]*(?:seeds?|seeders|migrations?))\/|(^|\/)seed[^/]*\.[cm]?[jt]sx?$/i;

/**
 * True for short-lived code: tests (`isTestPath`), and scripts, seeds and migrations (`scripts/`,
 * `prisma/seed.ts`, `db/migrations/`), which run once and exit. The rules whose cost builds up over
 * a process's life (connections, caches, whole-table reads) do not report there; one definition,
 * so that they agree on what is one-off.
 */
export function isOneOffPath(relativePath: string): boolean {
  return isTestPath(relativePath) || ONE_OFF_PATH.test(relativePath.split(path.sep).join('/'));
}

/** True when a statement or declaration carries the `export` keyword. */
export function hasExportModifier(node: ts.Node): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

/** The names under which a module-level binding is exported from its file (`export const x`, `export { x as y }`, `export default x`). */
/**
 * The binding an import names in the workspace module it imports: that module's exported variable
 * or function declaration (`export const STATEMENTS = {…}`, `export function isKnown(…)`), or
 * undefined (a package, a re-export, an export list).
 */
export function importedDeclaration(project: Project, specifier: ts.ImportSpecifier, fromFile: string): Binding | undefined {
  const module = specifier.parent.parent.parent.moduleSpecifier;
  if (!ts.isStringLiteral(module)) return undefined;
  const graph = moduleGraph(project);
  const target = graph.resolve(fromFile, module.text);
  const sourceFile = target ? graph.sourceFile(target) : undefined;
  const exported = (specifier.propertyName ?? specifier.name).text;
  for (const statement of sourceFile?.statements ?? []) {
    if (!hasExportModifier(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === exported) return resolveIdentifier(statement.name);
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === exported) return resolveIdentifier(declaration.name);
    }
  }
  return undefined;
}

/** The function a binding names: a function declaration, or a `const` bound to an arrow or function expression. */
export function functionOfBinding(binding: Binding): ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | undefined {
  const declaration = binding.declaration;
  if (ts.isFunctionDeclaration(declaration)) return declaration;
  if (binding.kind !== 'const' || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  let init: ts.Expression = declaration.initializer;
  while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
  return ts.isArrowFunction(init) || ts.isFunctionExpression(init) ? init : undefined;
}

/**
 * The references of a binding of `file` here and in the files that import it, or undefined when
 * some cannot be seen (the export is reached through a namespace, a re-export or `require`), unless
 * `what-can-be-seen` is asked for.
 */
export function workspaceReferences(binding: Binding, project: Project, file: string, opaque: 'unknown' | 'what-can-be-seen' = 'unknown'): ts.Identifier[] | undefined {
  const references = referencesOf(binding);
  for (const exportName of exportedNamesOf(binding)) {
    const importers = opaque === 'unknown' ? importersUnlessOpaque(project, file, exportName) : importersOf(project, file, exportName);
    if (!importers) return undefined;
    for (const use of importers.uses) references.push(...referencesOf(use.binding));
  }
  return references;
}

export function exportedNamesOf(binding: Binding): string[] {
  const names: string[] = [];
  const declaration = binding.declaration;
  const statement = ts.isVariableDeclaration(declaration) ? declaration.parent?.parent : declaration;
  if (statement && hasExportModifier(statement)) {
    const isDefault = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    names.push(isDefault ? 'default' : binding.name);
  }
  for (const entry of localExports(binding.identifier.getSourceFile()).get(binding.name) ?? []) {
    if (entry.assignment === undefined) names.push(entry.exportName);
    else if (resolveIdentifier(entry.assignment) === binding) names.push('default');
  }
  return names;
}

type LocalExport = { exportName: string; assignment?: ts.Identifier };
const localExportMemo = new WeakMap<ts.SourceFile, Map<string, LocalExport[]>>();

/** `export { a as b }` and `export default a` of a file, by local name (one pass over its statements). */
function localExports(sourceFile: ts.SourceFile): Map<string, LocalExport[]> {
  let byName = localExportMemo.get(sourceFile);
  if (byName) return byName;
  byName = new Map();
  const add = (local: string, entry: LocalExport) => {
    const list = byName!.get(local);
    if (list) list.push(entry);
    else byName!.set(local, [entry]);
  };
  for (const statement of sourceFile.statements) {
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        const local = element.propertyName ?? element.name;
        if (ts.isIdentifier(local)) add(local.text, { exportName: element.name.text });
      }
    } else if (ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression)) {
      add(statement.expression.text, { exportName: 'default', assignment: statement.expression });
    }
  }
  localExportMemo.set(sourceFile, byName);
  return byName;
}
