/**
 * Workspace module resolution without a type checker or a file-system walk per import: relative
 * specifiers, `tsconfig.json` `paths`/`baseUrl` (with `extends`), and workspace packages of a
 * monorepo (`@acme/db` → packages/db/src/index.ts). Parsed files are cached per project (the cache
 * is a Project fact, so it is dropped when the project is invalidated).
 */
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type * as ts from 'typescript';
import { defineFact, type Project } from '../project';
import { detachedCopy } from '../text';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

interface TsconfigPaths {
  dir: string;
  baseUrl: string | undefined;
  paths: Array<{ pattern: string; targets: string[] }>;
}

/** Per-project caches: parsed modules, tsconfig lookups, workspace packages. */
export class ModuleGraph {
  private readonly tsconfigs = new Map<string, TsconfigPaths | null>();
  /** Resolutions by importing directory, then specifier (resolution depends on the directory only). */
  private readonly resolutions = new Map<string, Map<string, string | null>>();
  private packages: Map<string, string> | undefined;
  /** Free-form per-project memo used by engine/db (export summaries, function summaries). */
  readonly memo = new Map<string, unknown>();
  /** Whether a module reaches a database module through its imports (text only: survives syntax trims). */
  readonly reach = new Map<string, boolean>();

  constructor(readonly project: Project) {}

  /** The parsed module at an absolute path (shared with the project's analysis), or undefined when it cannot be read. */
  sourceFile(filePath: string): ts.SourceFile | undefined {
    const text = this.project.readText(filePath);
    if (text === undefined || text.length > 1024 * 1024) return undefined;
    try {
      return this.project.syntaxTree(filePath, text);
    } catch {
      return undefined;
    }
  }

  /** Resolves a module specifier imported from `fromFile` to a workspace file, or undefined (packages, missing files). */
  resolve(fromFile: string, specifier: string): string | undefined {
    const fromDir = path.dirname(fromFile);
    let inDir = this.resolutions.get(fromDir);
    if (!inDir) this.resolutions.set(fromDir, (inDir = new Map()));
    const cached = inDir.get(specifier);
    if (cached !== undefined) return cached ?? undefined;
    const result = this.resolveUncached(fromDir, specifier);
    inDir.set(detachedCopy(specifier), result ?? null);
    return result;
  }

  private resolveUncached(fromDir: string, specifier: string): string | undefined {
    if (specifier.startsWith('.') || specifier.startsWith('/')) return this.tryFile(path.resolve(fromDir, specifier));
    const config = this.tsconfigFor(fromDir);
    if (config) {
      for (const { pattern, targets } of config.paths) {
        const star = pattern.indexOf('*');
        let matched: string | undefined;
        if (star < 0) matched = pattern === specifier ? '' : undefined;
        else if (specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1)) && specifier.length >= pattern.length - 1) {
          matched = specifier.slice(star, specifier.length - (pattern.length - star - 1));
        }
        if (matched === undefined) continue;
        for (const target of targets) {
          const base = config.baseUrl ?? config.dir;
          const found = this.tryFile(path.resolve(base, target.replace('*', matched)));
          if (found) return found;
        }
      }
      if (config.baseUrl) {
        const found = this.tryFile(path.resolve(config.baseUrl, specifier));
        if (found) return found;
      }
    }
    return this.resolveWorkspacePackage(specifier);
  }

  private readonly existence = new Map<string, boolean>();

  private exists(filePath: string): boolean {
    let known = this.existence.get(filePath);
    if (known === undefined) this.existence.set(filePath, (known = this.project.host.fileSize(filePath) !== undefined));
    return known;
  }

  private tryFile(base: string): string | undefined {
    const exists = (p: string) => this.exists(p);
    const ext = path.extname(base);
    if (EXTENSIONS.includes(ext) && exists(base) && !base.endsWith('.d.ts')) {
      // Compiled output imported with `.js` next to a `.ts` source: prefer the source.
      if (ext === '.js' || ext === '.mjs' || ext === '.cjs') {
        const stem = base.slice(0, -ext.length);
        for (const alt of ['.ts', '.tsx', '.mts', '.cts']) if (exists(stem + alt)) return stem + alt;
      }
      return base;
    }
    if (ext === '.js' || ext === '.mjs' || ext === '.cjs' || ext === '.jsx') {
      const stem = base.slice(0, -ext.length);
      for (const alt of ['.ts', '.tsx', '.mts', '.cts']) if (exists(stem + alt)) return stem + alt;
    }
    for (const candidate of EXTENSIONS) if (exists(base + candidate)) return base + candidate;
    for (const candidate of EXTENSIONS) if (exists(path.join(base, 'index' + candidate))) return path.join(base, 'index' + candidate);
    return undefined;
  }

  /** The nearest tsconfig.json (or jsconfig.json) with `paths`/`baseUrl` between `dir` and the root. */
  private tsconfigFor(dir: string): TsconfigPaths | undefined {
    const cached = this.tsconfigs.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let result: TsconfigPaths | undefined;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = path.join(dir, name);
      if (this.exists(file)) {
        result = this.readTsconfig(file, 0);
        if (result) break;
      }
    }
    const root = this.project.root;
    if (!result && dir !== root && dir.startsWith(root) && path.dirname(dir) !== dir) result = this.tsconfigFor(path.dirname(dir));
    this.tsconfigs.set(dir, result ?? null);
    return result;
  }

  private readTsconfig(file: string, depth: number): TsconfigPaths | undefined {
    if (depth > 4) return undefined;
    const text = this.project.readText(file);
    if (text === undefined) return undefined;
    let json: { extends?: string | string[]; compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } };
    try {
      json = parseJsonc(text) ?? {};
    } catch {
      return undefined;
    }
    const dir = path.dirname(file);
    let inherited: TsconfigPaths | undefined;
    const parents = typeof json.extends === 'string' ? [json.extends] : Array.isArray(json.extends) ? json.extends : [];
    for (const parent of parents) {
      if (!parent.startsWith('.')) continue;
      const parentFile = path.resolve(dir, parent.endsWith('.json') ? parent : parent + '.json');
      inherited = this.readTsconfig(parentFile, depth + 1) ?? inherited;
    }
    const options = json.compilerOptions ?? {};
    const baseUrl = options.baseUrl !== undefined ? path.resolve(dir, options.baseUrl) : inherited?.baseUrl;
    const paths = options.paths
      ? Object.entries(options.paths).filter(([, v]) => Array.isArray(v)).map(([pattern, targets]) => ({ pattern, targets }))
      : inherited?.paths ?? [];
    if (!baseUrl && paths.length === 0) return inherited;
    return { dir: options.paths ? dir : inherited?.dir ?? dir, baseUrl, paths };
  }

  /** `@acme/db` or `@acme/db/client` → a file of a workspace package (monorepos). */
  private resolveWorkspacePackage(specifier: string): string | undefined {
    const packages = this.workspacePackages();
    if (packages.size === 0) return undefined;
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    const dir = packages.get(name);
    if (!dir) return undefined;
    const subpath = specifier.slice(name.length + 1);
    if (subpath) return this.tryFile(path.join(dir, subpath)) ?? this.tryFile(path.join(dir, 'src', subpath));
    const manifest = this.readJson(path.join(dir, 'package.json')) as Record<string, unknown> | undefined;
    const candidates: string[] = [];
    const exportsField = manifest?.exports as unknown;
    const dot = exportsField && typeof exportsField === 'object' ? ((exportsField as Record<string, unknown>)['.'] ?? exportsField) : exportsField;
    const collect = (value: unknown): void => {
      if (typeof value === 'string') candidates.push(value);
      else if (value && typeof value === 'object') for (const key of ['types', 'import', 'default', 'require', 'node']) collect((value as Record<string, unknown>)[key]);
    };
    collect(dot);
    for (const key of ['source', 'types', 'typings', 'module', 'main']) if (typeof manifest?.[key] === 'string') candidates.push(manifest[key] as string);
    candidates.push('src/index', 'index');
    for (const candidate of candidates) {
      const cleaned = candidate.replace(/\.d\.(m|c)?ts$/, '');
      const found = this.tryFile(path.resolve(dir, cleaned));
      if (found) return found;
      // dist/index.js → src/index.ts (build output is not analysed)
      const fromSource = cleaned.replace(/^\.?\/?(dist|build|lib|out)\//, 'src/').replace(/\.(m|c)?js$/, '');
      if (fromSource !== cleaned) {
        const src = this.tryFile(path.resolve(dir, fromSource));
        if (src) return src;
      }
    }
    return undefined;
  }

  private workspacePackages(): Map<string, string> {
    if (this.packages) return this.packages;
    const packages = new Map<string, string>();
    const seen = new Set<string>();
    const root = this.project.root;
    for (const file of this.project.sourceFiles()) {
      for (let dir = path.dirname(file); dir.startsWith(root) && !seen.has(dir); dir = path.dirname(dir)) {
        seen.add(dir);
        const manifest = this.readJson(path.join(dir, 'package.json')) as { name?: unknown } | undefined;
        if (manifest && typeof manifest.name === 'string' && !packages.has(manifest.name)) packages.set(manifest.name, dir);
        if (dir === root) break;
      }
    }
    this.packages = packages;
    return packages;
  }

  private readJson(file: string): unknown {
    const text = this.project.readText(file);
    if (text === undefined) return undefined;
    try {
      return parseJsonc(text);
    } catch {
      return undefined;
    }
  }
}

/** Whether an edit of this file may change how module specifiers resolve (a manifest, a tsconfig/jsconfig). */
export function changesModuleResolution(file: string): boolean {
  return /(^|[\\/])(package\.json|[tj]sconfig[^\\/]*\.json)$/.test(file);
}

/** The project's module graph (a fact: recomputed after invalidation). */
export const moduleGraphFact = defineFact('db/module-graph', (project) => new ModuleGraph(project), {
  onTrim: (graph) => graph.memo.clear(),
  // Resolution depends on which files exist and on manifests/tsconfigs, not on source text; the memo does.
  onEdit: (graph, edit) => {
    if (changesModuleResolution(edit.path)) return false;
    graph.memo.clear();
    graph.reach.clear();
    return true;
  },
});

/** Shortcut: the module graph of a project. */
export function moduleGraph(project: Project): ModuleGraph {
  return project.get(moduleGraphFact);
}
