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
  '.angular', '.docusaurus', '.wrangler', '.vite', '.expo',
  // editors' and coding agents' state: local-history copies of source files, agents' worktrees
  '.history', '.lh', '.idea', '.claude', '.cursor',
]);

/**
 * Of SKIPPED_DIRECTORIES, those that hold someone else's code or version-control data: never worth
 * naming when a walk finds nothing (the others are build output, caches, generated code: a package
 * as published keeps its code in `dist/`, and its audit would otherwise end with 0 files unexplained).
 */
const NEVER_NAMED = new Set(['node_modules', '.git', '.hg', '.svn', 'bower_components', '.yarn', '.pnpm-store', 'vendor', '.history', '.lh', '.idea', '.claude', '.cursor']);
/** How many skipped folders a note names. */
const NAMED_SKIPPED_FOLDERS = 5;
/** Build-output folders (of SKIPPED_DIRECTORIES) whose code a package may ship alone (`dist/` as published). */
const BUILD_OUTPUT = new Set(['dist', 'build', 'out']);
/** How many skipped folders a walk remembers, and how many entries it peeks at in one (bounds on huge trees). */
const REMEMBERED_SKIPPED_FOLDERS = 2000;
const PEEKED_ENTRIES = 400;

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
  // No matcher at all without patterns: asking an empty one costs ~20 µs per path.
  const extra = options.ignorePatterns && options.ignorePatterns.length > 0 ? ignore().add(options.ignorePatterns) : undefined;
  let truncated = false;
  /** Build-output and cache folders skipped by default (bounded), named when nothing else holds code. */
  const skippedFolders: string[] = [];

  // `real` is the folder's real path: a plain subfolder's is its parent's plus its name, so only
  // the root and symlinks cost a realpath call.
  const walk = (dir: string, real: string, ignores: Array<{ base: string; matcher: Ignore }>): void => {
    if (truncated) return;
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
      const full = childPath(dir, entry.name);
      let kind = entry.kind;
      let target: string | undefined;
      if (kind === 'symlink') {
        target = host.realPath(full);
        if (!target) continue;
        const targetEntries = host.readDirectory(target);
        kind = targetEntries ? 'directory' : 'file';
      }
      if (kind === 'directory') {
        if (SKIPPED_DIRECTORIES.has(entry.name)) {
          if (skippedFolders.length < REMEMBERED_SKIPPED_FOLDERS && !NEVER_NAMED.has(entry.name)) skippedFolders.push(full);
          continue;
        }
        if (isIgnored(full, true, absoluteRoot, scoped, extra)) continue;
        walk(full, target ?? childPath(real, entry.name), scoped);
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
  walk(absoluteRoot, host.realPath(absoluteRoot) ?? absoluteRoot, []);
  files.sort();
  if (files.length === 0 && skippedFolders.length > 0) notes.push(nothingOutsideSkippedFolders(absoluteRoot, skippedFolders.slice(0, NAMED_SKIPPED_FOLDERS)));
  else if (files.length > 0) {
    const alone = skippedFolders.filter((folder) => BUILD_OUTPUT.has(path.basename(folder)) && !holdsFilesBelow(files, path.dirname(folder)) && holdsSource(folder, host));
    if (alone.length > 0) notes.push(onlySourceInBuildOutput(absoluteRoot, alone));
  }
  return { files, notes };
}

/** Whether a sorted list of files has one below `folder`. */
function holdsFilesBelow(sortedFiles: readonly string[], folder: string): boolean {
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  let low = 0;
  let high = sortedFiles.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sortedFiles[middle] < prefix) low = middle + 1;
    else high = middle;
  }
  return low < sortedFiles.length && sortedFiles[low].startsWith(prefix);
}

/** Whether a skipped folder holds a source file (not a declaration file), looking at a bounded number of entries, breadth first. */
function holdsSource(folder: string, host: FileSystemHost): boolean {
  const queue = [folder];
  let seen = 0;
  for (let next = 0; next < queue.length; next++) {
    const dir = queue[next];
    for (const entry of host.readDirectory(dir) ?? []) {
      if (++seen > PEEKED_ENTRIES) return false;
      if (entry.kind === 'file' && languageOf(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) return true;
      if (entry.kind === 'directory' && !SKIPPED_DIRECTORIES.has(entry.name)) queue.push(childPath(dir, entry.name));
    }
  }
  return false;
}

/**
 * The note of a walk that found source files, but also build output folders (`pkg/dist/`) that
 * hold the only code of their package (nothing outside them in its folder): a package as published.
 */
function onlySourceInBuildOutput(root: string, folders: readonly string[]): FileNote {
  const shown = folders.slice(0, NAMED_SKIPPED_FOLDERS).map((folder) => toPosix(path.relative(root, folder)) + '/');
  const more = folders.length > NAMED_SKIPPED_FOLDERS ? ` and ${folders.length - NAMED_SKIPPED_FOLDERS} more` : '';
  return {
    path: folders[0],
    kind: 'skipped',
    folder: true,
    message: `build output skipped by default holds the only code of its package: ${shown.join(', ')}${more}; to audit one, make it the root (perflint --root ${shown[0]})`,
  };
}

/**
 * The note of a walk that found source files only in folders skipped by default (`dist/`,
 * `build/`, …): which ones, and how to audit one (as the root, whose own name is never skipped).
 */
function nothingOutsideSkippedFolders(root: string, folders: readonly string[]): FileNote {
  const shown = folders.map((folder) => toPosix(path.relative(root, folder)) + '/');
  return {
    path: folders[0],
    kind: 'skipped',
    folder: true,
    message: `no source files outside folders skipped by default as build output or caches (${shown.join(', ')}${folders.length >= NAMED_SKIPPED_FOLDERS ? ', …' : ''}); to audit one, make it the root (perflint --root ${shown[0]})`,
  };
}

/** `path.join(dir, name)` for a normalized folder and a directory entry's name, without re-normalizing. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

function isIgnored(full: string, isDirectory: boolean, root: string, scoped: Array<{ base: string; matcher: Ignore }>, extra: Ignore | undefined): boolean {
  if (!extra && scoped.length === 0) return false;
  const suffix = isDirectory ? '/' : '';
  if (extra) {
    const fromRoot = relativeBelow(root, full);
    if (fromRoot && extra.ignores(fromRoot + suffix)) return true;
  }
  for (const { base, matcher } of scoped) {
    const relative = relativeBelow(base, full);
    if (relative && matcher.ignores(relative + suffix)) return true;
  }
  return false;
}

/** `full` relative to `base` with forward slashes, or undefined when it is not below `base`. */
function relativeBelow(base: string, full: string): string | undefined {
  // The walk builds every path by joining names onto the root, so a prefix test is exact.
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  if (!full.startsWith(prefix)) {
    const relative = toPosix(path.relative(base, full));
    return relative && !relative.startsWith('..') ? relative : undefined;
  }
  const relative = full.slice(prefix.length);
  return path.sep === '/' ? relative : toPosix(relative);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * True when a file's leading comments say it is generated (`@generated`, "DO NOT EDIT",
 * "auto-generated"), or its first bytes are a bundler's runtime (webpack's or rspack's module table
 * and loader, which cache every module of the bundle as it loads): build output published under
 * `lib/`, whose findings belong to its sources. Only the comments before the first statement count:
 * "rows include auto-generated ids" in a class's doc comment says nothing about the file.
 */
export function looksGenerated(text: string): boolean {
  if (/\bwebpackBootstrap\b|\b__webpack_require__\b|\b__webpack_modules__\b/.test(text.slice(0, 600))) return true;
  return GENERATED_MARKER.test(leadingComments(text));
}

/**
 * What a generator writes at the top of its output: `@generated`, `DO NOT EDIT`, "This file/code is
 * (auto-/automatically) generated", or a comment line that starts with "Auto-generated",
 * "Generated by", "Generated code"… The word inside a sentence is prose ("the warning, which is
 * auto-generated"), and hand-written files say it too.
 */
const GENERATED_MARKER = /@generated\b|\bDO NOT EDIT\b|\b(?:this|the) (?:file|code|module|source)(?: \w+)? (?:is|was|has been) (?:auto-?(?:matically )?)?generated\b|^[\s/*#=!-]*(?:auto-?generated|generated (?:code|file|by)|code generated by)\b/im;

/** The comments before a file's first statement (after a BOM, a shebang and `'use strict'`-like directives), from its first 4 KB. */
function leadingComments(text: string): string {
  const head = text.slice(0, 4096);
  const comments: string[] = [];
  let p = head.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (head.startsWith('#!', p)) p = lineEnd(head, p);
  for (;;) {
    while (p < head.length && /\s/.test(head[p])) p++;
    if (head.startsWith('//', p)) {
      const end = lineEnd(head, p);
      comments.push(head.slice(p, end));
      p = end;
    } else if (head.startsWith('/*', p)) {
      const close = head.indexOf('*/', p + 2);
      const end = close === -1 ? head.length : close + 2;
      comments.push(head.slice(p, end));
      p = end;
    } else {
      const directive = /^(['"])use [\w ]+\1;?/.exec(head.slice(p, p + 40));
      if (!directive) return comments.join('\n');
      p += directive[0].length;
    }
  }
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}
