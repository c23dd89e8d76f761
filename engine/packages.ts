/**
 * What a workspace's package.json files declare: read as data (JSON.parse, never executed) through
 * the Project, so editor overlays and invalidation apply.
 */
import * as path from 'node:path';
import type { Project } from './project';

export interface PackageJson {
  path: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** The nearest package.json from `filePath`'s folder up to the project root (inclusive). */
export function nearestPackageJson(project: Project, filePath: string): PackageJson | undefined {
  let dir = path.dirname(path.resolve(project.root, filePath));
  const root = project.root;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    const text = project.readText(candidate);
    if (text !== undefined) {
      try {
        const json = JSON.parse(text) as Record<string, unknown>;
        const record = (value: unknown): Record<string, string> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {});
        return { path: candidate, dependencies: { ...record(json.optionalDependencies), ...record(json.dependencies) }, devDependencies: record(json.devDependencies) };
      } catch {
        return undefined;
      }
    }
    if (dir === root || !dir.startsWith(root)) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Major version of a semver range such as `^10.2.0`, `~7.1`, `11`, or undefined. */
export function majorOf(range: string): number | undefined {
  const match = /(\d+)/.exec(range.replace(/^(npm:[^@]+@)/, ''));
  return match ? Number(match[1]) : undefined;
}

/** A bounded cache library the project already depends on at run time, with how to import it. */
export interface BoundedCacheDependency {
  name: string;
  exportName: string;
  importStyle: 'named' | 'default';
  /** The constructor option that caps the number of entries. */
  maxOption: string;
  esmOnly: boolean;
}

/**
 * The bounded Map-compatible cache the nearest package.json lists under `dependencies`
 * (never devDependencies: production code must not import a dev-only package), or undefined.
 */
export function boundedCacheDependency(project: Project, filePath: string): BoundedCacheDependency | undefined {
  const pkg = nearestPackageJson(project, filePath);
  if (!pkg) return undefined;
  const lru = pkg.dependencies['lru-cache'];
  if (lru !== undefined) {
    const major = majorOf(lru);
    if (major !== undefined && major < 7) return undefined;
    // lru-cache 10+ exports the named class LRUCache; 7–9 export it as the default.
    return major !== undefined && major < 10
      ? { name: 'lru-cache', exportName: 'LRUCache', importStyle: 'default', maxOption: 'max', esmOnly: false }
      : { name: 'lru-cache', exportName: 'LRUCache', importStyle: 'named', maxOption: 'max', esmOnly: false };
  }
  if (pkg.dependencies['quick-lru'] !== undefined) return { name: 'quick-lru', exportName: 'QuickLRU', importStyle: 'default', maxOption: 'maxSize', esmOnly: true };
  return undefined;
}
