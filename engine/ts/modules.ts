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
    if (stopWhenOpaque && result.opaque) return result;
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

/**
 * A test runner's setup or teardown module (`jest.setup.ts`, `jest.global-setup.ts`, `test-setup.js`,
 * `globalSetup.ts`, `setupTests.ts`) or a test helper module (`test-util.ts`, `test-utils.ts`,
 * `testHelpers.ts`, `test-db.ts`).
 */
const TEST_SETUP_FILE = /(^|\/)(?:(?:jest|vitest|playwright|mocha)\.[^/]*(?:setup|teardown)|(?:test|tests|spec|e2e|global)[._-]?(?:setup|teardown)|(?:test|tests|spec)[._-]?(?:utils?|helpers?|support|db|database|fixtures?)|setup[._-]?tests?)[^/]*\.[cm]?[jt]sx?$/i;

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

/** The type alias or enum an import names, declared and exported by the workspace module it imports (`export type Kind = 'a' | 'b'`). */
export function importedTypeDeclaration(project: Project, specifier: ts.ImportSpecifier, fromFile: string): ts.TypeAliasDeclaration | ts.EnumDeclaration | undefined {
  const module = specifier.parent.parent.parent.moduleSpecifier;
  if (!ts.isStringLiteral(module)) return undefined;
  const graph = moduleGraph(project);
  const target = graph.resolve(fromFile, module.text);
  const sourceFile = target ? graph.sourceFile(target) : undefined;
  if (!sourceFile) return undefined;
  const exported = (specifier.propertyName ?? specifier.name).text;
  const local = localExports(sourceFile);
  for (const statement of sourceFile.statements) {
    if (!ts.isTypeAliasDeclaration(statement) && !ts.isEnumDeclaration(statement)) continue;
    const name = statement.name.text;
    if ((name === exported && hasExportModifier(statement)) || (local.get(name) ?? []).some((entry) => entry.exportName === exported && entry.assignment === undefined)) return statement;
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
 * some cannot be seen (the export is re-exported, a namespace holding it is passed on or indexed,
 * it is loaded with a dynamic `import()`), unless `what-can-be-seen` is asked for. Imports are
 * followed in every form (`moduleReferences`), and CommonJS exports count as exports: the export
 * site itself (`module.exports = { f }`, `exports.f = f`) is no reference. A reference through a
 * namespace is the name of its property access (`router.f`, `(0, router_1.f)`): `referenceSite`
 * gives the expression that stands for the binding there.
 */
export function workspaceReferences(binding: Binding, project: Project, file: string, opaque: 'unknown' | 'what-can-be-seen' = 'unknown'): ts.Identifier[] | undefined {
  // `export { f }` and `export default f` export it (`exportedNamesOf`): their importers hold the uses.
  let references = referencesOf(binding).filter((reference) => !isLocalExportSite(reference));
  const exports: Array<{ name: string; commonJs: boolean }> = exportedNamesOf(binding).map((name) => ({ name, commonJs: false }));
  const commonJs = commonJsExportsOf(binding, references);
  if (commonJs === 'opaque') {
    if (opaque === 'unknown') return undefined;
  } else if (commonJs) {
    references = references.filter((reference) => !commonJs.sites.has(reference));
    references.push(...commonJs.memberUses);
    for (const name of commonJs.names) exports.push({ name, commonJs: true });
  }
  for (const { name, commonJs: fromCommonJs } of exports) {
    const found = moduleReferences(project, file, name, fromCommonJs, opaque === 'unknown');
    if (found.opaque && opaque === 'unknown') return undefined;
    references.push(...found.references);
  }
  return references;
}

function isLocalExportSite(reference: ts.Identifier): boolean {
  const parent = reference.parent;
  return (ts.isExportSpecifier(parent) && !parent.parent.parent.moduleSpecifier) || (ts.isExportAssignment(parent) && parent.expression === reference);
}

/**
 * The references of a function that has no name of its own but a CommonJS export's
 * (`exports.add = (key, value) => …`, `module.exports = { add(key, value) { … } }`, `add: function …`):
 * its uses in the module (`exports.add(…)`, `module.exports.add(…)`) and in the files that import
 * it; undefined when some cannot be seen, or when it is no such function.
 */
export function commonJsFunctionReferences(fn: ts.Node, project: Project, file: string): ts.Identifier[] | undefined {
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  let name: string | undefined;
  let objectLiteral: ts.ObjectLiteralExpression | undefined;
  if (parent && ts.isBinaryExpression(parent) && parent.right === outer && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    name = commonJsMemberName(parent.left);
  } else if (ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(fn.parent)) {
    objectLiteral = fn.parent;
    name = propertyNameText(fn.name);
  } else if (parent && ts.isPropertyAssignment(parent) && parent.initializer === outer && ts.isObjectLiteralExpression(parent.parent)) {
    objectLiteral = parent.parent;
    name = propertyNameText(parent.name);
  }
  if (name === undefined) return undefined;
  if (objectLiteral && !isModuleExportsObject(objectLiteral)) return undefined;
  const sourceFile = fn.getSourceFile();
  const module = commonJsModule(sourceFile);
  if (module.opaque || (objectLiteral && usesThisMember(objectLiteral, name))) return undefined;
  const found = moduleReferences(project, file, name, true);
  if (found.opaque) return undefined;
  return [...(module.memberUses.get(name) ?? []), ...found.references];
}

/**
 * The expression that stands for a binding at one of its `workspaceReferences`: the reference
 * itself, or for a use through a namespace the property access (`router.add`), unwrapped from
 * TypeScript's CommonJS call form (`(0, router_1.add)(…)`).
 */
export function referenceSite(reference: ts.Identifier): ts.Expression {
  let site: ts.Expression = reference;
  const parent = reference.parent;
  if (parent && ts.isPropertyAccessExpression(parent) && parent.name === reference) {
    site = parent;
    const comma = parent.parent;
    if (comma && ts.isBinaryExpression(comma) && comma.operatorToken.kind === ts.SyntaxKind.CommaToken && comma.right === parent && comma.parent && ts.isParenthesizedExpression(comma.parent)) site = comma.parent;
  }
  return site;
}

/** `exports.name`, `module.exports.name`, `exports['name']`: the name, when `node` is such an access. */
function commonJsMemberName(node: ts.Node): string | undefined {
  if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return undefined;
  if (!isExportsObject(node.expression)) return undefined;
  if (ts.isPropertyAccessExpression(node)) return ts.isIdentifier(node.name) ? node.name.text : undefined;
  return ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
}

/** `exports` or `module.exports`, neither declared in the file. */
function isExportsObject(node: ts.Node): boolean {
  if (ts.isIdentifier(node)) return node.text === 'exports' && !resolveIdentifier(node);
  return ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'module' && node.name.text === 'exports' && !resolveIdentifier(node.expression);
}

/** The object literal assigned to `module.exports` (`module.exports = { … }`). */
function isModuleExportsObject(object: ts.ObjectLiteralExpression): boolean {
  let outer: ts.Node = object;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const assignment = outer.parent;
  return !!assignment && ts.isBinaryExpression(assignment) && assignment.right === outer && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(assignment.left) && isExportsObject(assignment.left) && ts.isExpressionStatement(assignment.parent);
}

function propertyNameText(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

/** `this.name` inside an exported object literal: its methods reach the export through `this`. */
function usesThisMember(object: ts.ObjectLiteralExpression, name: string): boolean {
  const visit = (node: ts.Node): boolean => (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword && node.name.text === name) || ts.forEachChild(node, visit) === true;
  return visit(object);
}

/**
 * A module's CommonJS exports object as its own code uses it: uses of its members by name
 * (`exports.add(…)`, `module.exports.add`, not the assignments that export them), and whether it is
 * used otherwise (passed on, aliased, indexed by a computed key, `Object.assign(module.exports, …)`),
 * after which members may be reached in ways the module does not show.
 */
interface CommonJsModule {
  memberUses: Map<string, ts.Identifier[]>;
  opaque: boolean;
}

const commonJsModules = new WeakMap<ts.SourceFile, CommonJsModule>();

function commonJsModule(sourceFile: ts.SourceFile): CommonJsModule {
  let module = commonJsModules.get(sourceFile);
  if (module) return module;
  module = { memberUses: new Map(), opaque: false };
  const text = sourceFile.text;
  if (text.includes('exports')) {
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && node.text === 'exports') {
        const parent = node.parent;
        // `module.exports`: the object is the property access, `exports` alone is the identifier.
        const object: ts.Expression | undefined = ts.isPropertyAccessExpression(parent) && parent.name === node ? (isExportsObject(parent) ? parent : undefined) : isExportsObject(node) ? node : undefined;
        if (object) noteExportsObjectUse(object, module!);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  commonJsModules.set(sourceFile, module);
  return module;
}

function noteExportsObjectUse(object: ts.Expression, module: CommonJsModule): void {
  const parent = object.parent;
  // `module.exports = …`: the object replaced, not used
  if (ts.isBinaryExpression(parent) && parent.left === object && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return;
  // `module.exports.x`: part of the member access noted for `x`
  if (ts.isPropertyAccessExpression(parent) && parent.expression === object) {
    const outer = parent.parent;
    const assigned = ts.isBinaryExpression(outer) && outer.left === parent && outer.operatorToken.kind === ts.SyntaxKind.EqualsToken;
    if (!assigned && ts.isIdentifier(parent.name)) {
      const list = module.memberUses.get(parent.name.text);
      if (list) list.push(parent.name);
      else module.memberUses.set(parent.name.text, [parent.name]);
    }
    return;
  }
  if (ts.isElementAccessExpression(parent) && parent.expression === object && ts.isStringLiteralLike(parent.argumentExpression)) {
    const outer = parent.parent;
    if (ts.isBinaryExpression(outer) && outer.left === parent && outer.operatorToken.kind === ts.SyntaxKind.EqualsToken) return;
  }
  // `Object.defineProperty(exports, '__esModule', …)`: TypeScript's and Babel's marker
  if (ts.isCallExpression(parent) && parent.arguments[0] === object && parent.arguments[1] && ts.isStringLiteralLike(parent.arguments[1]) && parent.arguments[1].text === '__esModule') return;
  // `typeof exports`, `exports === undefined`: a module-system test
  if (ts.isTypeOfExpression(parent) || (ts.isBinaryExpression(parent) && parent.operatorToken.kind >= ts.SyntaxKind.EqualsEqualsToken && parent.operatorToken.kind <= ts.SyntaxKind.ExclamationEqualsEqualsToken)) return;
  module.opaque = true;
}

/**
 * The CommonJS names `binding` is exported under (`module.exports = { add, put: add }`,
 * `exports.add = add`, `module.exports.add = add`; `module.exports = add` is `module.exports`), the
 * references that export it (no uses), and the module's own uses of those names
 * (`exports.add(…)`); `opaque` when the exports object is used in ways that hide some, or the
 * binding is exported under a computed key or through an object whose methods reach it with `this`.
 */
function commonJsExportsOf(binding: Binding, references: readonly ts.Identifier[]): { names: string[]; sites: Set<ts.Identifier>; memberUses: ts.Identifier[] } | 'opaque' | undefined {
  let result: { names: string[]; sites: Set<ts.Identifier>; memberUses: ts.Identifier[] } | undefined;
  const add = (name: string, site: ts.Identifier) => {
    result ??= { names: [], sites: new Set(), memberUses: [] };
    if (!result.names.includes(name)) result.names.push(name);
    result.sites.add(site);
  };
  for (const reference of references) {
    let outer: ts.Node = reference;
    while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    const parent = outer.parent;
    if (!parent) continue;
    if (ts.isShorthandPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent) && isModuleExportsObject(parent.parent)) {
      if (usesThisMember(parent.parent, reference.text)) return 'opaque';
      add(reference.text, reference);
    } else if (ts.isPropertyAssignment(parent) && parent.initializer === outer && ts.isObjectLiteralExpression(parent.parent) && isModuleExportsObject(parent.parent)) {
      const name = propertyNameText(parent.name);
      if (name === undefined || usesThisMember(parent.parent, name)) return 'opaque';
      add(name, reference);
    } else if (ts.isBinaryExpression(parent) && parent.right === outer && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (ts.isPropertyAccessExpression(parent.left) && isExportsObject(parent.left)) add('module.exports', reference);
      else {
        const name = commonJsMemberName(parent.left);
        if (name !== undefined) add(name, reference);
        else if ((ts.isElementAccessExpression(parent.left) || ts.isPropertyAccessExpression(parent.left)) && isExportsObject(parent.left.expression)) return 'opaque';
      }
    }
  }
  if (!result) return undefined;
  const module = commonJsModule(binding.identifier.getSourceFile());
  if (module.opaque) return 'opaque';
  for (const name of result.names) result.memberUses.push(...(module.memberUses.get(name) ?? []));
  return result;
}

/** The uses of one export found in its importers: references (see `workspaceReferences`), and whether some cannot be seen. */
interface ModuleReferences {
  references: ts.Identifier[];
  opaque: boolean;
  /** The importing files read (the import index's list for the target), for the memo's edits. */
  importers: readonly string[];
}

/** Answers of `moduleReferences` by target file, then `name` or `name\u0000cjs` (a CommonJS export). */
const moduleReferencesMemo = defineFact('ts/module-references', () => new Map<string, Map<string, ModuleReferences>>(), {
  onEdit: (memo, edit) => {
    if (changesModuleResolution(edit.path) || !sameSpecifiers(edit)) return false;
    for (const answers of memo.values()) for (const [key, entry] of answers) if (entry.importers.includes(edit.path)) answers.delete(key);
    return true;
  },
});

/**
 * The references of `exportName` of `targetFile` in the workspace files that import it, in every
 * form: named and default imports; namespace imports (`import * as ns`), `import ns = require(…)`,
 * `const ns = require(…)` (also through `__importStar`), whose uses count by member (`ns.name`);
 * `const { name } = require(…)` and `require(…).name`; of a CommonJS export (`commonJs`), a default
 * import is the exports object. Opaque: a re-export of it, a namespace used otherwise than by
 * member (passed on, indexed, spread), a dynamic `import()` of the module, a `require` whose value
 * goes anywhere else.
 */
export function moduleReferences(project: Project, targetFile: string, exportName: string, commonJs = false, stopWhenOpaque = false): ModuleReferences {
  const target = project.absolute(targetFile);
  const memo = project.get(moduleReferencesMemo);
  let answers = memo.get(target);
  if (!answers) memo.set(target, (answers = new Map()));
  const key = commonJs ? `${exportName}\u0000cjs` : exportName;
  const whole = answers.get(key);
  if (whole) return whole;
  // A caller that gives up on an opaque export: an answer that stopped at the first opaque importer serves it.
  const opaqueKey = `${key}\u0000opaque`;
  const stopped = stopWhenOpaque ? answers.get(opaqueKey) : undefined;
  if (stopped) return stopped;
  const computed = computeModuleReferences(project, target, exportName, commonJs, stopWhenOpaque);
  answers.set(computed.opaque && stopWhenOpaque ? opaqueKey : key, computed);
  return computed;
}

function computeModuleReferences(project: Project, target: string, exportName: string, commonJs: boolean, stopWhenOpaque: boolean): ModuleReferences {
  const graph = moduleGraph(project);
  const importers = project.get(importIndexFact).get(target) ?? NO_IMPORTERS;
  const result: ModuleReferences = { references: [], opaque: false, importers };
  const spelledAlways = exportName === 'default' || exportName === 'module.exports';
  const toParse: Array<{ file: string; text: string }> = [];
  // Text first, for every importer: a file that never spells the name can only make the export opaque
  // (a star re-export, a namespace passed on); that is read from its text, and it is not parsed. A
  // caller that gives up on an opaque export has every importer's text asked before any is parsed.
  for (const file of importers) {
    if (file === target) continue;
    const text = project.readText(file);
    if (text === undefined) continue;
    const spelled = spelledAlways || text.includes(exportName);
    if (spelled) toParse.push({ file, text });
    if ((!spelled || stopWhenOpaque) && NAMESPACE_LIKE.test(text) && namespaceMayEscape(text, (specifier) => graph.resolve(file, specifier) === target, commonJs)) {
      result.opaque = true;
      if (stopWhenOpaque) return result;
    }
  }
  for (const { file, text } of toParse) {
    if (stopWhenOpaque && result.opaque) return result;
    const sourceFile = graph.sourceFile(file);
    if (!sourceFile) {
      result.opaque = true;
      continue;
    }
    importerReferences(sourceFile, text, (specifier) => graph.resolve(file, specifier) === target, exportName, commonJs, result);
  }
  return result;
}

/** Imports that bind a module's namespace or exports object: `* as`, `export *`, `require(`, `import(`, `import x =`, a default import. */
const NAMESPACE_LIKE = /\*\s*(?:as\b|from\b)|\b(?:require|import)\s*\(|\bimport\s+[\w$]+\s*(?:=|,|from\b)/;

/**
 * For an importer that never spells the export's name: whether one of its imports of the target may
 * still hand the export on, read from its text. A star re-export, `import()`, a rest element of a
 * destructured `require`, a `require` whose value goes elsewhere, or a namespace (`import * as ns`,
 * `const ns = require(…)`, of a CommonJS module a default import) used otherwise than by member
 * (`ns.other`) may; named imports of other names and side-effect imports do not. Unsure is yes.
 */
function namespaceMayEscape(text: string, isTarget: (specifier: string) => boolean, commonJs: boolean): boolean {
  SPECIFIER.lastIndex = 0;
  for (let match = SPECIFIER.exec(text); match; match = SPECIFIER.exec(text)) {
    if (!isTarget(match[1] ?? match[2])) continue;
    const head = match[0];
    if (/^import\s*\(/.test(head)) return true;
    let local: string | undefined;
    if (/^require/.test(head)) {
      let before = text.slice(Math.max(0, text.lastIndexOf('\n', match.index) + 1), match.index);
      // `const {\n  a,\n  b\n} = require('./x')`: the destructuring from its `{`
      if (/^\s*\}\s*=\s*$/.test(before)) {
        const open = text.lastIndexOf('{', match.index);
        const lineStart = text.lastIndexOf('\n', open) + 1;
        if (open >= 0 && !text.slice(open + 1, match.index).includes('{')) before = text.slice(lineStart, match.index).replace(/\s+/g, ' ');
      }
      const bound = /(?:\b(?:const|let|var)\s+|^\s*|\bimport\s+)([\w$]+)\s*=\s*(?:(?:__importStar|__toESM|_interopRequireWildcard)\s*\(\s*)?$/.exec(before);
      if (bound) local = bound[1];
      else if (/^\s*(?:(?:const|let|var)\s+\{[^}]*\}\s*=\s*)?$/.test(before) && !before.includes('...')) continue; // `require('./x');`, `const { a } = require('./x')`
      else return true;
    } else {
      // `… from './x'`: the statement from its `import`/`export`
      const start = Math.max(text.lastIndexOf('import', match.index), text.lastIndexOf('export', match.index));
      const statement = start < 0 ? '' : text.slice(start, match.index);
      if (/^export\s*\*/.test(statement)) return true;
      if (/^export\s*(?:type\s*)?\{[^}]*\}\s*$/.test(statement)) continue;
      const parts = /^import\s+(?:type\s+)?(?:([\w$]+)\s*,?\s*)?(?:\*\s*as\s+([\w$]+)\s*|\{[^}]*\}\s*)?$/.exec(statement);
      if (!parts) return true;
      local = parts[2] ?? (commonJs ? parts[1] : undefined);
      if (parts[2] && parts[1] && commonJs && memberOnly(text, parts[1]) === false) return true;
    }
    if (local !== undefined && !memberOnly(text, local)) return true;
  }
  return false;
}

/** Whether every use of `local` in the text (its declaration aside) is a member access (`local.x`, `local?.x`) or a type query. */
function memberOnly(text: string, local: string): boolean {
  const uses = new RegExp(`(?<![\\w$])${local.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  for (let use = uses.exec(text); use; use = uses.exec(text)) {
    const end = use.index + local.length;
    const after = text.slice(end, end + 8);
    if (/^\s*\??\.(?!\.)/.test(after)) continue; // `ns.x`, `ns?.x`
    if (/^\s*=(?![=>])/.test(after)) continue; // assigned (`var a = …, ns = require(…)`): the value is replaced, not handed on
    if (/['"`/@-]/.test(text[use.index - 1] ?? '') || /['"`/-]/.test(text[end] ?? '')) continue; // in a module specifier: `'./router'`
    const before = text.slice(Math.max(0, use.index - 12), use.index);
    if (/(?:^|[^.])\.\s*$/.test(before)) continue; // a property named like it: `other.ns`
    if (/\b(?:as|typeof|const|let|var|import)\s+$/.test(before)) continue; // its declaration, `typeof ns`
    return false; // passed on, spread, indexed, assigned, exported
  }
  return true;
}

const INTEROP_NAMESPACE = new Set(['__importStar', '__toESM', '_interopRequireWildcard']);

/** One importer's references to the export (see `moduleReferences`), added to `result`. */
function importerReferences(sourceFile: ts.SourceFile, text: string, isTarget: (specifier: string) => boolean, exportName: string, commonJs: boolean, result: ModuleReferences): void {
  const whole = exportName === 'module.exports';
  const bound = (name: ts.BindingName) => {
    const binding = ts.isIdentifier(name) ? resolveIdentifier(name) : undefined;
    if (binding) result.references.push(...referencesOf(binding));
    else result.opaque = true;
  };
  // A local holding the module's namespace (or a CommonJS module's exports object).
  const namespace = (name: ts.BindingName) => {
    if (whole) return bound(name);
    const binding = ts.isIdentifier(name) ? resolveIdentifier(name) : undefined;
    if (!binding) {
      result.opaque = true;
      return;
    }
    for (const reference of referencesOf(binding)) {
      const parent = reference.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === reference && ts.isIdentifier(parent.name)) {
        if (parent.name.text === exportName) result.references.push(parent.name);
      } else if (!(ts.isQualifiedName(parent) && parent.left === reference) && !ts.isTypeQueryNode(parent)) {
        result.opaque = true; // passed on, indexed, spread, re-exported
      }
    }
  };
  const destructured = (pattern: ts.ObjectBindingPattern) => {
    if (whole) {
      result.opaque = true;
      return;
    }
    for (const element of pattern.elements) {
      const key = element.propertyName ?? element.name;
      const keyText = element.dotDotDotToken ? undefined : ts.isIdentifier(key) || ts.isStringLiteralLike(key) ? key.text : undefined;
      if (keyText === undefined) result.opaque = true;
      else if (keyText === exportName) bound(element.name);
    }
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportEqualsDeclaration(statement)) {
      const reference = statement.moduleReference;
      if (ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression) && isTarget(reference.expression.text)) namespace(statement.name);
      continue;
    }
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
    if (specifier === undefined || !isTarget(specifier)) continue;
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (!clause || ts.isNamespaceExport(clause) || clause.elements.some((e) => (e.propertyName ?? e.name).text === (whole ? 'default' : exportName))) result.opaque = true;
      continue;
    }
    const clause = statement.importClause;
    if (!clause) continue;
    // A default import of a CommonJS module is its exports object; of an ES module, its default export.
    if (clause.name) {
      if (commonJs) namespace(clause.name);
      else if (exportName === 'default') bound(clause.name);
    }
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) {
      if (whole) result.opaque = true;
      else namespace(named.name);
    } else if (named) {
      for (const element of named.elements) if ((element.propertyName ?? element.name).text === exportName) bound(element.name);
    }
  }
  if (!/\b(?:require|import)\s*\(/.test(text)) return;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0]) && isTarget(node.arguments[0].text)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) result.opaque = true; // `await import(…)`: a namespace we do not follow
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') requireUse(node);
    }
    ts.forEachChild(node, visit);
  };
  const requireUse = (call: ts.CallExpression) => {
    let outer: ts.Expression = call;
    for (;;) {
      const parent = outer.parent;
      if (ts.isParenthesizedExpression(parent)) outer = parent;
      else if (ts.isCallExpression(parent) && parent.arguments[0] === outer && ts.isIdentifier(parent.expression) && INTEROP_NAMESPACE.has(parent.expression.text)) outer = parent;
      else break;
    }
    const parent = outer.parent;
    if (ts.isVariableDeclaration(parent) && parent.initializer === outer) {
      if (ts.isObjectBindingPattern(parent.name)) destructured(parent.name);
      else if (ts.isIdentifier(parent.name)) namespace(parent.name);
      else result.opaque = true;
    } else if (ts.isPropertyAccessExpression(parent) && parent.expression === outer && !whole) {
      if (parent.name.text !== exportName) return;
      const declaration = parent.parent;
      if (ts.isVariableDeclaration(declaration) && declaration.initializer === parent && ts.isIdentifier(declaration.name)) bound(declaration.name);
      else if (ts.isIdentifier(parent.name)) result.references.push(parent.name);
    } else if (!ts.isExpressionStatement(parent)) {
      result.opaque = true;
    }
  };
  visit(sourceFile);
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
