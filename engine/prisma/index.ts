/**
 * Prisma schemas of a workspace, as a Project fact.
 *
 * Discovery: every `.prisma` file the workspace discovery finds, grouped into schemas — one
 * `schema.prisma`, or a multi-file folder (`prisma/schema/*.prisma`, or any folder named by
 * `package.json#prisma.schema` or `schema:` in `prisma.config.ts`, both read statically: the
 * config file is parsed, never executed). A TS file uses the schema closest to it in the tree.
 *
 * The last valid engine model of each schema is kept per project, across fact invalidations,
 * so a half-typed schema keeps its semantics (see model.ts).
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { defineFact, type Project } from '../project';
import { buildSchema, type PrismaSchema } from './model';
import { scanSchema } from './scanner';
import { blankConnectionUrls, engineLint } from './wasm';

export * from './model';
export { addBlockAttributeEdit, removeAttributeLineEdit, indexAttributeText, describeIndex } from './edits';
export { scanSchema, argument, fieldList } from './scanner';
export type { Span, ScannedFile, ScannedBlock, ScannedField, ScannedAttribute, Arg, ArgValue } from './scanner';
export { prismaEngine, engineLint, blankConnectionUrls } from './wasm';
export type { EngineDiagnostic } from './wasm';

export interface SchemaGroup {
  /** The schema's identity: its file, or its folder for multi-file schemas. */
  id: string;
  paths: string[];
}

export interface PrismaSchemas {
  schemas: PrismaSchema[];
}

const lastGoodByProject = new WeakMap<Project, Map<string, PrismaSchema>>();

function lastGoodOf(project: Project): Map<string, PrismaSchema> {
  let map = lastGoodByProject.get(project);
  if (!map) lastGoodByProject.set(project, (map = new Map()));
  return map;
}

/** The most recent build of each schema, reused while its files' texts are unchanged (facts are dropped on every edit). */
const builtByProject = new WeakMap<Project, Map<string, { key: string; schema: PrismaSchema }>>();

function build(project: Project, group: SchemaGroup, override?: { path: string; text: string }): PrismaSchema {
  const inputs = group.paths.map((p) => ({ path: p, text: override && override.path === p ? override.text : (project.readText(p) ?? '') }));
  const key = inputs.map((i) => `${i.path}\u0000${i.text}`).join('\u0001');
  let built = builtByProject.get(project);
  if (!built) builtByProject.set(project, (built = new Map()));
  const cached = built.get(group.id);
  if (cached && cached.key === key) return cached.schema;
  const lastGood = lastGoodOf(project);
  const schema = buildSchema(group.id, inputs, lastGood.get(group.id));
  if (schema.semantics === 'engine') lastGood.set(group.id, schema);
  built.set(group.id, { key, schema });
  return schema;
}

/** Every schema of the workspace. */
export const prismaSchemasFact = defineFact<PrismaSchemas>(
  'prisma.schemas',
  (project) => ({
    schemas: discoverSchemaGroups(project).map((group) => build(project, group)),
  }),
  // Typing in a TS/JS module leaves the schemas alone: they are read from `.prisma` files,
  // `package.json#prisma` and `prisma.config.*` (discovery cost ~0.8 ms per keystroke on the
  // benchmark's workspace). Created and deleted files come with an invalidation of everything.
  { onTrim: 'keep', onEdit: (_schemas, edit) => !mayConfigureSchemas(edit.path) },
);

/** Whether a file's text may be read by schema discovery or a schema's build. */
function mayConfigureSchemas(file: string): boolean {
  const name = path.basename(file);
  return name.endsWith('.prisma') || name === 'package.json' || /^prisma\.config\.[mc]?[tj]s$/.test(name) || (name === 'prisma.ts' && path.basename(path.dirname(file)) === '.config');
}

/**
 * The schema containing a `.prisma` file, built with `text` as that file's content (the text the
 * rule is analysing). Files outside every discovered group form a schema with their folder's
 * other `.prisma` files.
 */
export function schemaForPrismaFile(project: Project, filePath: string, text: string): PrismaSchema {
  const absolute = project.absolute(filePath);
  const { schemas } = project.get(prismaSchemasFact);
  const existing = schemas.find((s) => s.files.some((f) => f.path === absolute));
  if (existing) {
    if (existing.files.find((f) => f.path === absolute)!.text === text) return existing;
    return build(project, { id: existing.id, paths: existing.files.map((f) => f.path) }, { path: absolute, text });
  }
  const dir = path.dirname(absolute);
  const siblings = (project.host.readDirectory(dir) ?? []).filter((e) => e.kind === 'file' && e.name.endsWith('.prisma')).map((e) => path.join(dir, e.name));
  const paths = siblings.includes(absolute) ? siblings.sort() : [absolute];
  return build(project, { id: paths.length > 1 ? dir : absolute, paths }, { path: absolute, text });
}

/** The schema whose client a TS/JS file most likely uses: the only one, or the nearest in the tree. */
export function schemaForSourceFile(project: Project, filePath: string): PrismaSchema | undefined {
  const { schemas } = project.get(prismaSchemasFact);
  if (schemas.length <= 1) return schemas[0];
  const absolute = project.absolute(filePath);
  let best: PrismaSchema | undefined;
  let bestScore = -1;
  for (const schema of schemas) {
    const score = commonPrefixLength(path.dirname(absolute), path.dirname(schema.files[0]?.path ?? schema.id));
    if (score > bestScore) {
      best = schema;
      bestScore = score;
    }
  }
  return best;
}

function commonPrefixLength(a: string, b: string): number {
  const pa = a.split(path.sep);
  const pb = b.split(path.sep);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return i;
}

/**
 * Absolute folders the workspace's Prisma generators write their client to (`output = "..."`,
 * resolved from the schema file): with Prisma 7's `prisma-client` generator the client is imported
 * from there (`./generated/prisma/client`) rather than from `@prisma/client`. For engine/db's
 * module matching.
 */
export function generatedClientPaths(project: Project): string[] {
  const out = new Set<string>();
  for (const schema of project.get(prismaSchemasFact).schemas) {
    for (const file of schema.files) {
      for (const block of file.scan.blocks) {
        if (block.kind !== 'generator') continue;
        const provider = block.properties.find((p) => p.key === 'provider')?.value;
        const output = block.properties.find((p) => p.key === 'output')?.value;
        if (provider?.kind !== 'string' || !/^prisma-client(-js)?$/.test(provider.text) || output?.kind !== 'string') continue;
        out.add(path.resolve(path.dirname(file.path), output.text));
      }
    }
  }
  return [...out].sort();
}

/** Groups the workspace's `.prisma` files into schemas. */
export function discoverSchemaGroups(project: Project): SchemaGroup[] {
  const prismaFiles = project.sourceFiles().filter((p) => p.endsWith('.prisma'));
  const groups: SchemaGroup[] = [];
  const assigned = new Set<string>();
  for (const target of configuredSchemaPaths(project, prismaFiles)) {
    if (target.endsWith('.prisma') && project.readText(target) !== undefined) {
      if (assigned.has(target)) continue;
      assigned.add(target);
      groups.push({ id: target, paths: [target] });
      continue;
    }
    const inside = prismaFiles.filter((p) => p.startsWith(target + path.sep) && !assigned.has(p));
    if (inside.length === 0) continue;
    inside.forEach((p) => assigned.add(p));
    groups.push({ id: target, paths: inside.sort() });
  }
  const byFolder = new Map<string, string[]>();
  for (const file of prismaFiles) {
    if (assigned.has(file)) continue;
    const folder = schemaFolderOf(file, project.root);
    let list = byFolder.get(folder);
    if (!list) byFolder.set(folder, (list = []));
    list.push(file);
  }
  for (const [folder, files] of byFolder) {
    files.sort();
    if (files.length === 1) {
      groups.push({ id: files[0], paths: files });
      continue;
    }
    const withDatasource = files.filter((f) => scanSchema(project.readText(f) ?? '').blocks.some((b) => b.kind === 'datasource'));
    if (withDatasource.length > 1) for (const file of files) groups.push({ id: file, paths: [file] });
    else groups.push({ id: folder, paths: files });
  }
  return groups.sort((a, b) => a.id.localeCompare(b.id));
}

/** A file's schema folder: the nearest ancestor named `schema` (multi-file layout), else its own folder. */
function schemaFolderOf(file: string, root: string): string {
  for (let dir = path.dirname(file); dir.length >= root.length && dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (path.basename(dir) === 'schema') return dir;
    if (dir === root) break;
  }
  return path.dirname(file);
}

/** Schema paths named by `package.json#prisma.schema` and `prisma.config.ts` (read statically). */
export function configuredSchemaPaths(project: Project, prismaFiles: readonly string[] = []): string[] {
  const found: string[] = [];
  const packageDirs = new Set<string>([project.root]);
  for (const file of prismaFiles) {
    for (let dir = path.dirname(file); dir.startsWith(project.root) && dir !== path.dirname(dir); dir = path.dirname(dir)) packageDirs.add(dir);
  }
  for (const dir of packageDirs) {
    const text = project.readText(path.join(dir, 'package.json'));
    if (!text) continue;
    try {
      const schema = (JSON.parse(text) as { prisma?: { schema?: unknown } }).prisma?.schema;
      if (typeof schema === 'string') found.push(path.resolve(dir, schema));
    } catch {
      // Not valid JSON: ignore.
    }
  }
  const configFiles = new Set<string>();
  for (const dir of packageDirs) for (const name of ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.js', '.config/prisma.ts']) configFiles.add(path.join(dir, name));
  for (const file of project.sourceFiles()) if (/(^|[\\/])prisma\.config\.[mc]?[tj]s$/.test(file)) configFiles.add(file);
  for (const file of configFiles) {
    const text = project.readText(file);
    if (!text) continue;
    const schema = schemaFromPrismaConfig(text);
    if (schema) found.push(path.resolve(file.includes(`${path.sep}.config${path.sep}`) ? path.dirname(path.dirname(file)) : path.dirname(file), schema));
  }
  return [...new Set(found)];
}

/**
 * The `schema` property of a `prisma.config.ts` (`defineConfig({ schema: 'prisma/schema' })`),
 * when it is a string literal or `path.join`/`resolve` of string literals (a leading `__dirname`
 * or `import.meta.dirname` argument is the config folder). Parsed, never executed.
 */
export function schemaFromPrismaConfig(text: string): string | undefined {
  const sourceFile = ts.createSourceFile('prisma.config.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let result: string | undefined;
  const visit = (node: ts.Node): void => {
    if (result !== undefined) return;
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && node.name.text === 'schema' && ts.isObjectLiteralExpression(node.parent)) {
      result = staticPath(node.initializer);
      if (result !== undefined) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return result;
}

function staticPath(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (name !== 'join' && name !== 'resolve') return undefined;
    const parts: string[] = [];
    for (const [i, arg] of node.arguments.entries()) {
      if (i === 0 && (ts.isIdentifier(arg) && arg.text === '__dirname' || arg.getText() === 'import.meta.dirname' || arg.getText() === 'process.cwd()')) continue;
      const value = staticPath(arg);
      if (value === undefined) return undefined;
      parts.push(value);
    }
    return parts.length > 0 ? path.join(...parts) : undefined;
  }
  return undefined;
}

/** Prisma's own error diagnostics for one schema file's text (URLs blanked); [] when the engine is unavailable. */
export function schemaSyntaxErrors(text: string, filePath = 'schema.prisma'): string[] {
  const diagnostics = engineLint([[filePath, blankConnectionUrls(scanSchema(text))]]);
  return (diagnostics ?? []).filter((d) => !d.isWarning).map((d) => d.message);
}
export { recognizePrismaQuery } from './queries';
export type { PrismaQuery } from './queries';
