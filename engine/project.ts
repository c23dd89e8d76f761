/**
 * A Project is one workspace root: its file-system host, its configuration, an overlay of unsaved
 * editor text, and lazily computed cross-file facts (which modules export database clients, the
 * Prisma schema model, package.json dependencies). Rules read facts; they never read files
 * directly, so the language server can invalidate facts when files change.
 */
import * as path from 'node:path';
import type { FileSystemHost } from './host';
import { nodeFileSystem } from './host';
import type * as ts from 'typescript';
import { InputValues, recordingHost } from './inputs';
import { LineIndex } from './lines';
import { expectEdits, parseTypeScript, reparseTypeScript } from './parse';
import { dropContextMemos } from './ts/memo';

/** A cross-file fact: computed at most once per project until invalidated. */
export interface Fact<T> {
  readonly id: string;
  compute(project: Project): T;
  /**
   * How the fact survives `trimSyntax` (the project dropping syntax trees to bound memory):
   * `'keep'` when it holds no syntax nodes; a function that releases the nodes it holds and keeps
   * the rest; by default the fact is dropped and recomputed on next use.
   */
  readonly onTrim?: 'keep' | ((value: T) => void);
  /**
   * Whether the fact is still valid after one file's text changed (an editor keystroke): true keeps
   * it (the function may update it in place). By default any edit drops it. Typing in a large
   * workspace must not rebuild workspace-wide facts (the import index reads every file) per keystroke.
   */
  readonly onEdit?: (value: T, edit: TextEdit) => boolean;
}

/** One file's text before and after a change (undefined: unreadable or deleted). */
export interface TextEdit {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

export function defineFact<T>(id: string, compute: (project: Project) => T, options: { onTrim?: Fact<T>['onTrim']; onEdit?: Fact<T>['onEdit'] } = {}): Fact<T> {
  return { id, compute, onTrim: options.onTrim, onEdit: options.onEdit };
}

/**
 * Source text (UTF-16 code units) of the syntax trees a project keeps before `trimSyntax` drops
 * them: about 25 bytes of heap per unit once parsed and bound, so ~100 MB per thread.
 * PERFLINT_SYNTAX_BUDGET_KB overrides it: on the bench corpus 1 MB cuts the CLI's peak RSS by a
 * third and costs ~10 % more time (shared modules are parsed again).
 */
export const DEFAULT_SYNTAX_BUDGET = (Number(typeof process === 'object' ? process.env.PERFLINT_SYNTAX_BUDGET_KB : undefined) || 4096) * 1024;

/** Workspace-relative paths a project remembers (beyond that it starts over: memory stays bounded). */
const MAX_REMEMBERED_PATHS = 200_000;

export class Project {
  readonly root: string;
  readonly host: FileSystemHost;
  private readonly overlay = new Map<string, string>();
  private readonly textCache = new Map<string, string | undefined>();
  private readonly lineIndexes = new Map<string, LineIndex>();
  private readonly facts = new Map<string, { fact: Fact<unknown>; value: unknown }>();
  /** Parsed files shared by the analysed file and the cross-file facts (see `syntaxTree`). */
  private readonly syntaxTrees = new Map<string, ts.SourceFile | null>();
  /** The project generation each tree was parsed in (see `syntaxTree`: when an old tree may be re-parsed incrementally). */
  private readonly treeGenerations = new Map<string, number>();
  private syntaxBytes = 0;
  private sourceFileList: string[] | undefined;
  /** Bumped on every invalidation; results computed under an older generation are stale. */
  generation = 0;

  /**
   * Every input read through this project since the last invalidation (`text:<path>`, `files`,
   * `dir:<path>`, `size:<path>`, `real:<path>`), and whether a fact was used while recording a
   * file: the result cache (engine/cache.ts) keys cross-file results on them.
   */
  private readonly inputKeys = new Set<string>();
  private recordingPaused = 0;
  private activeTrack: { reads: Set<string>; usedFacts: boolean } | undefined;

  /** Current values of input keys (memoized until invalidation), read without being recorded. */
  readonly inputValues: InputValues;

  constructor(root: string, host: FileSystemHost = nodeFileSystem) {
    this.root = path.resolve(root);
    this.host = recordingHost(host, (key) => this.noteInput(key));
    this.inputValues = new InputValues({
      // Hashing every file for the result cache must not keep every text in memory.
      readText: (p) => this.peekText(p),
      sourceFiles: () => this.untracked(() => this.sourceFiles()),
      host,
    });
  }

  /** Records that an input was read (see `inputKeys`). */
  noteInput(key: string): void {
    if (this.recordingPaused > 0) return;
    this.inputKeys.add(key);
    this.activeTrack?.reads.add(key);
  }

  /** Runs `fn` without recording what it reads (discovery: its result is the `files` input). */
  untracked<T>(fn: () => T): T {
    this.recordingPaused++;
    try {
      return fn();
    } finally {
      this.recordingPaused--;
    }
  }

  /** Runs `fn` and reports the inputs it read and whether it used a cross-file fact. */
  track<T>(fn: () => T): { value: T; reads: Set<string>; usedFacts: boolean } {
    const outer = this.activeTrack;
    const track = { reads: new Set<string>(), usedFacts: false };
    this.activeTrack = track;
    try {
      return { value: fn(), ...track };
    } finally {
      this.activeTrack = outer;
      if (outer) {
        for (const key of track.reads) outer.reads.add(key);
        outer.usedFacts ||= track.usedFacts;
      }
    }
  }

  /** The inputs read since the last invalidation. */
  recordedInputs(): ReadonlySet<string> {
    return this.inputKeys;
  }

  /**
   * `path.resolve(root, filePath)`, remembered: the same few thousand paths (a file's own, its
   * importers') are resolved again and again (~200 times per keystroke on the benchmark's
   * document, ~3 µs each with the string keys built from them).
   */
  absolute(filePath: string): string {
    let resolved = this.resolvedPaths.get(filePath);
    if (resolved === undefined) {
      if (this.resolvedPaths.size >= 100_000) this.resolvedPaths.clear();
      this.resolvedPaths.set(filePath, (resolved = path.resolve(this.root, filePath)));
    }
    return resolved;
  }

  private readonly resolvedPaths = new Map<string, string>();

  /**
   * The input key of a file's text, one string per file: gates read the same importers again and
   * again, and each read built `text:<path>` anew, which V8 then had to flatten and hash for the
   * input sets (in-process triage of the bench corpus: ~0.4 % fewer instructions).
   */
  private textInputKey(absolute: string): string {
    let key = this.textKeys.get(absolute);
    if (key === undefined) {
      if (this.textKeys.size >= 100_000) this.textKeys.clear();
      this.textKeys.set(absolute, (key = `text:${absolute}`));
    }
    return key;
  }

  private readonly textKeys = new Map<string, string>();

  /** Text of a file (unsaved editor text wins over disk), or undefined. Cached. */
  readText(filePath: string): string | undefined {
    const absolute = this.absolute(filePath);
    this.noteInput(this.textInputKey(absolute));
    const open = this.overlay.get(absolute);
    if (open !== undefined) return open;
    if (this.textCache.has(absolute)) return this.textCache.get(absolute);
    const text = this.untracked(() => this.host.readFile(absolute));
    this.textCache.set(absolute, text);
    return text;
  }

  /**
   * Like `readText` (the read is recorded as an input) but the text is not kept: for facts that
   * scan every file once (the import index) and must not hold the whole workspace's text.
   */
  scanText(filePath: string): string | undefined {
    const absolute = this.absolute(filePath);
    if (this.retainedScans?.has(absolute)) return this.readText(absolute);
    this.noteInput(this.textInputKey(absolute));
    return this.peekText(absolute);
  }

  /** Files whose `scanText` reads are kept like `readText`'s (`retainScans`). */
  private retainedScans: ReadonlySet<string> | undefined;

  /**
   * Keeps the texts `scanText` reads of these files: for an audit's triage thread, which reads every
   * audited file for the import index and again for its gates, and whose gates keep most texts
   * anyway (importers are read with `readText`): one read of each file instead of two.
   */
  retainScans(files: Iterable<string>): void {
    this.retainedScans = new Set([...files].map((file) => path.resolve(this.root, file)));
  }

  /**
   * Text of a file like `readText` (unsaved editor text wins), but neither recorded as an input
   * nor cached: for reads outside analysis (hashing for the result cache, rendering an audited
   * file's diagnostics) that should not keep the whole workspace's text in memory.
   */
  peekText(filePath: string): string | undefined {
    const absolute = this.absolute(filePath);
    const open = this.overlay.get(absolute);
    if (open !== undefined) return open;
    if (this.textCache.has(absolute)) return this.textCache.get(absolute);
    return this.untracked(() => this.host.readFile(absolute));
  }

  /** Line index of a file, for converting offsets of related locations in other files. */
  lineIndex(filePath: string): LineIndex {
    const absolute = this.absolute(filePath);
    this.noteInput(this.textInputKey(absolute));
    let index = this.lineIndexes.get(absolute);
    if (!index) {
      index = new LineIndex(this.readText(absolute) ?? '');
      this.lineIndexes.set(absolute, index);
    }
    return index;
  }

  /** Sets (or clears, with undefined) the unsaved text of an open editor. Invalidates facts. */
  setOverlay(filePath: string, text: string | undefined): void {
    const absolute = this.absolute(filePath);
    const before = this.overlay.get(absolute) ?? this.textCache.get(absolute);
    if (text === undefined) this.overlay.delete(absolute);
    else this.overlay.set(absolute, text);
    this.invalidate(absolute, { text: before });
  }

  /** Whether `text` is the unsaved text of an open editor for the file (keystrokes will follow). */
  isEditorText(filePath: string, text: string): boolean {
    return this.overlay.get(this.absolute(filePath)) === text;
  }

  /** Unsaved editor texts, as [absolute path, text] (handed to audit workers). */
  overlayEntries(): Array<[string, string]> {
    return [...this.overlay];
  }

  /** The value of a fact, computed on first use. */
  /** Sets a fact's value computed elsewhere (see `seedImportIndex`); an invalidation drops it as any other. */
  seed<T>(fact: Fact<T>, value: T): void {
    this.facts.set(fact.id, { fact: fact as Fact<unknown>, value });
  }

  get<T>(fact: Fact<T>): T {
    if (this.activeTrack) this.activeTrack.usedFacts = true;
    const known = this.facts.get(fact.id);
    if (known) return known.value as T;
    const value = fact.compute(this);
    this.facts.set(fact.id, { fact: fact as Fact<unknown>, value });
    return value;
  }

  /**
   * The syntax tree of `filePath` for `text` (default: its current text), parsed once and shared:
   * the file being analysed and every fact that looks into it get the same tree, so per-node
   * memos (scopes, bindings, database symbols) are computed once. Undefined when unreadable;
   * throws on pathological input (as `parseTypeScript`). The trees stay until `trimSyntax` finds
   * them over budget. `incremental`: the caller is about to analyse this file and nothing else is
   * running, so an older tree may be re-parsed incrementally (which drops context-dependent memos).
   */
  /** Whether a syntax tree of the file is kept (from an earlier analysis or a cross-file fact). */
  hasSyntaxTree(filePath: string): boolean {
    return Boolean(this.syntaxTrees.get(this.absolute(filePath)));
  }

  syntaxTree(filePath: string, text?: string, options?: { incremental?: boolean }): ts.SourceFile | undefined {
    const absolute = this.absolute(filePath);
    const source = text ?? this.readText(absolute);
    const cached = this.syntaxTrees.get(absolute);
    if (cached !== undefined && (cached === null ? source === undefined : cached.text === source)) return cached ?? undefined;
    if (cached) this.syntaxBytes -= cached.text.length;
    let tree: ts.SourceFile | null = null;
    if (source !== undefined) {
      // An editor keystroke: the previous tree is re-parsed incrementally, which moves its unchanged
      // nodes into the new tree. Only when an invalidation came in between (it dropped every fact
      // that could still hold the old tree's nodes), and for a small edit of a large file.
      const incremental = cached && options?.incremental && (this.treeGenerations.get(absolute) ?? this.generation) < this.generation && source.length > 4096 && Math.abs(source.length - cached.text.length) < source.length / 8;
      // Throws on pathological input (stack overflow): the caller decides what that means.
      tree = incremental ? reparseTypeScript(cached, source) : parseTypeScript(absolute, source);
      // Unsaved editor text: keystrokes will follow.
      if (!incremental && options?.incremental && this.overlay.get(absolute) === source) expectEdits(tree);
      this.syntaxBytes += source.length;
    }
    this.syntaxTrees.set(absolute, tree);
    this.treeGenerations.set(absolute, this.generation);
    return tree ?? undefined;
  }

  /**
   * Bounds memory between two files of an audit: past `budget` units of parsed source, drops every
   * syntax tree and the facts that hold nodes of them (facts without nodes, texts and recorded
   * inputs stay). Later files re-parse what they need, with the same results. Never call it while a
   * file is being analysed: its rules hold nodes whose identity the caches rely on.
   */
  trimSyntax(budget = DEFAULT_SYNTAX_BUDGET): boolean {
    if (this.syntaxBytes <= budget) return false;
    this.syntaxTrees.clear();
    this.treeGenerations.clear();
    this.syntaxBytes = 0;
    // Texts go with their trees (they are re-read on demand; unsaved editor texts stay in the
    // overlay): kept, every text an audit read stays in the heap to its end.
    this.textCache.clear();
    this.lineIndexes.clear();
    for (const [id, { fact, value }] of this.facts) {
      if (fact.onTrim === 'keep') continue;
      if (typeof fact.onTrim === 'function') fact.onTrim(value);
      else this.facts.delete(id);
    }
    return true;
  }

  /**
   * Forgets cached text and facts. With a path, only that file's text is dropped, and facts that
   * declare they survive the edit (Fact.onEdit) stay; `previous` is the text before the change when
   * the caller knows it (an editor overlay), else the cached one.
   */
  invalidate(filePath?: string, previous?: { text: string | undefined }): void {
    this.generation++;
    // Memos of what a node denotes may have followed an import into the changed file.
    dropContextMemos();
    if (filePath === undefined) {
      this.facts.clear();
      this.syntaxTrees.clear();
      this.treeGenerations.clear();
      this.syntaxBytes = 0;
    } else {
      // Facts that say they survive this edit stay (see Fact.onEdit); the rest are recomputed.
      const absolute = this.absolute(filePath);
      const before = previous ? previous.text : (this.overlay.get(absolute) ?? this.textCache.get(absolute));
      this.textCache.delete(absolute);
      let edit: TextEdit | undefined;
      for (const [id, { fact, value }] of this.facts) {
        let keep = false;
        try {
          // A text never read before: no fact looked at it, but the edit may be a new file; recompute.
          if (fact.onEdit && before !== undefined) {
            edit ??= { path: absolute, before, after: this.untracked(() => this.readText(absolute)) };
            keep = fact.onEdit(value, edit);
          }
        } catch {
          keep = false;
        }
        if (!keep) this.facts.delete(id);
      }
    }
    this.inputKeys.clear();
    this.inputValues.clear();
    if (filePath === undefined) {
      this.textCache.clear();
      this.lineIndexes.clear();
      this.sourceFileList = undefined;
    } else {
      const absolute = this.absolute(filePath);
      this.textCache.delete(absolute);
      this.lineIndexes.delete(absolute);
    }
  }

  /** Forgets the list of discovered files (files were created or deleted). */
  invalidateFileList(): void {
    this.sourceFileList = undefined;
    this.invalidate();
  }

  private fileLister: () => string[] = () => [];

  /** Installs the discovery function (the Linter does this; facts then call `sourceFiles`). */
  setFileLister(lister: () => string[]): void {
    this.fileLister = lister;
    this.sourceFileList = undefined;
  }

  /** Gives the project the file list another project of the same workspace discovered (an audit's main thread, for its workers). */
  seedSourceFiles(files: string[]): void {
    this.sourceFileList = files;
  }

  /** Absolute paths of every analysable file of the workspace (discovery rules apply). Cached. */
  sourceFiles(): string[] {
    this.noteInput('files');
    if (!this.sourceFileList) this.sourceFileList = this.untracked(() => this.fileLister());
    return this.sourceFileList;
  }

  /** Path relative to the root with forward slashes (the form every report uses). */
  relative(filePath: string): string {
    // Asked for the same file by several gates and by the config's overrides: path.relative
    // resolves both paths each time (~0.3 s of an audit's triage thread on the bench corpus).
    let relative = this.relativePaths.get(filePath);
    if (relative === undefined) {
      if (this.relativePaths.size >= MAX_REMEMBERED_PATHS) this.relativePaths.clear();
      relative = path.relative(this.root, this.absolute(filePath)).split(path.sep).join('/');
      this.relativePaths.set(filePath, relative);
    }
    return relative;
  }

  private readonly relativePaths = new Map<string, string>();
}
