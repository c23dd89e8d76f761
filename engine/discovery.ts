/**
 * Workspace discovery: every analysable file under a root, `.gitignore`-aware (nested ignore files
 * too), skipping dependencies, build output and generated code. Bounded: symlink loops are
 * detected and the walk stops with a note past `maxFiles`.
 */
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { FileSystemHost } from './host';
import { languageOf } from './parse';
import type { FileNote } from './types';

/** Folders never descended into. */
export const SKIPPED_DIRECTORIES = new Set([
  'node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', '.next', '.nuxt', '.svelte-kit', '.output',
  '.turbo', '.vercel', '.netlify', 'coverage', '.nyc_output', '.cache', '.parcel-cache', 'generated',
  '__generated__', '.yarn', '.pnpm-store', 'bower_components', 'vendor', '.serverless', '.aws-sam', 'cdk.out', 'tmp', '.perflint-cache',
]);

/** Default cap on the number of files one walk returns. */
export const DEFAULT_MAX_FILES = 50_000;

export interface DiscoveryOptions {
  /** Extra gitignore-style patterns (config `ignorePatterns`, editor `perflint.exclude`). */
  ignorePatterns?: string[];
  maxFiles?: number;
}

export interface DiscoveryResult {
  files: string[];
  notes: FileNote[];
}

/** Walks `root` and returns absolute paths of analysable files, sorted. */
export function discoverFiles(root: string, host: FileSystemHost, options: DiscoveryOptions = {}): DiscoveryResult {
  const absoluteRoot = path.resolve(root);
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const files: string[] = [];
  const notes: FileNote[] = [];
  const visited = new Set<string>();
  const extra = ignore().add(options.ignorePatterns ?? []);
  let truncated = false;

  const walk = (dir: string, ignores: Array<{ base: string; matcher: Ignore }>): void => {
    if (truncated) return;
    const real = host.realPath(dir) ?? dir;
    if (visited.has(real)) return;
    visited.add(real);
    const entries = host.readDirectory(dir);
    if (!entries) {
      notes.push({ path: dir, kind: 'unreadable', message: 'folder could not be read; skipped' });
      return;
    }
    const gitignoreText = entries.some((e) => e.name === '.gitignore') ? host.readFile(path.join(dir, '.gitignore')) : undefined;
    const scoped = gitignoreText ? [...ignores, { base: dir, matcher: ignore().add(gitignoreText) }] : ignores;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (truncated) return;
      const full = path.join(dir, entry.name);
      let kind = entry.kind;
      if (kind === 'symlink') {
        const target = host.realPath(full);
        if (!target) continue;
        const targetEntries = host.readDirectory(target);
        kind = targetEntries ? 'directory' : 'file';
      }
      if (kind === 'directory') {
        if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
        if (isIgnored(full, true, absoluteRoot, scoped, extra)) continue;
        walk(full, scoped);
      } else if (kind === 'file') {
        if (!languageOf(entry.name)) continue;
        if (/\.min\.(c|m)?js$/i.test(entry.name) || /\.(bundle|chunk)\.(c|m)?js$/i.test(entry.name)) continue;
        if (isIgnored(full, false, absoluteRoot, scoped, extra)) continue;
        if (files.length >= maxFiles) {
          truncated = true;
          notes.push({ path: absoluteRoot, kind: 'skipped', message: `more than ${maxFiles} source files: discovery stopped there; narrow the paths or add ignorePatterns` });
          return;
        }
        files.push(full);
      }
    }
  };
  walk(absoluteRoot, []);
  files.sort();
  return { files, notes };
}

function isIgnored(full: string, isDirectory: boolean, root: string, scoped: Array<{ base: string; matcher: Ignore }>, extra: Ignore): boolean {
  const suffix = isDirectory ? '/' : '';
  const fromRoot = toPosix(path.relative(root, full)) + suffix;
  if (fromRoot && !fromRoot.startsWith('..') && extra.ignores(fromRoot)) return true;
  for (const { base, matcher } of scoped) {
    const relative = toPosix(path.relative(base, full)) + suffix;
    if (relative && !relative.startsWith('..') && matcher.ignores(relative)) return true;
  }
  return false;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** True when a file's first bytes say it is generated (`@generated`, "DO NOT EDIT"). */
export function looksGenerated(text: string): boolean {
  const head = text.slice(0, 600);
  return /@generated\b|\bDO NOT EDIT\b|\bauto-?generated\b|\bThis file was automatically generated\b/i.test(head);
}
