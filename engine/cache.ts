/**
 * Content-hash cache of per-file results, so an audit with nothing changed parses nothing.
 *
 * Key of one file's result:
 *   - the cache's fingerprint: configuration (ResolvedConfig.fingerprint, which carries every
 *     rule's id and version), the engine build, the analysis options; a different fingerprint
 *     starts an empty cache;
 *   - the hash of the file's text;
 *   - when its analysis used a cross-file fact or read anything but its own text: a digest of the
 *     whole workspace as facts see it (file list, every analysable file's text, every other input
 *     recorded since the facts were computed: package.json, tsconfig, .env, probes of missing
 *     files). Coarse but correct: facts memoize lazily (parsed modules, the module graph), so which
 *     file a memoized fact value came from cannot be traced; any change anywhere re-runs the files
 *     that depend on facts, and files that depend on nothing else keep their results.
 *
 * Text hashes are remembered with each file's stamp (size, times, inode; see FileStamps in
 * engine/inputs.ts), so a warm audit stats files instead of reading and hashing them.
 *
 * Stored as one JSON file per workspace root (written atomically); a corrupt or foreign file is
 * ignored. The CLI keeps it under node_modules/.cache/perflint (find-cache-dir convention), the
 * editor under its workspace storage folder.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileStamp, FileStamps, InputValues } from './inputs';
import type { Project } from './project';
import type { FileResult } from './types';
import { PERFLINT_VERSION } from './version';

const FORMAT = 4;

/**
 * One file's cached result: [hash of its text, workspace digest it depends on ('' when it used no
 * facts), result]. The result is stored without its path and, in the common case of a TypeScript
 * file without findings or notes, as just its line count: the file is parsed on every warm audit.
 */
type CachedFile = [hash: string, digest: string, result: StoredResult];
type StoredResult = number | Omit<FileResult, 'path'>;

interface CacheData {
  format: number;
  fingerprint: string;
  /** Per workspace digest: the non-source input keys it covers (the source files are implied). */
  digests: Record<string, string[]>;
  files: Record<string, CachedFile>;
  /** Text hash by file stamp (FileStamps): path → [hash, size, mtimeMs, ctimeMs, ino]. */
  stamps: Record<string, FileStamp>;
}

function storedResult(result: FileResult): StoredResult {
  if (result.language === 'typescript' && result.findings.length === 0 && result.notes.length === 0 && result.suppressedCount === 0) return result.lines;
  const { path: _path, ...rest } = result;
  return rest;
}

function loadedResult(filePath: string, stored: StoredResult): FileResult {
  if (typeof stored === 'number') return { path: filePath, language: 'typescript', lines: stored, findings: [], suppressedCount: 0, notes: [] };
  return { path: filePath, ...stored };
}

export interface CacheStats {
  hits: number;
  misses: number;
}

/** The folder the CLI keeps caches in: node_modules/.cache/perflint of the nearest package.json. */
export function defaultCacheDirectory(root: string): string {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'node_modules', '.cache', 'perflint');
    if (path.dirname(dir) === dir) break;
  }
  return path.join(path.resolve(root), 'node_modules', '.cache', 'perflint');
}

/** Identity of the running engine build (a rebuilt bundle invalidates results), and of the chunks the CLI bundle loads (tools/lazy-chunks.mjs). */
function buildId(): string {
  return [__filename, path.join(path.dirname(__filename), 'typescript.js'), path.join(path.dirname(__filename), 'regex.js')]
    .map((file) => {
      try {
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        return stat ? `${stat.size}:${stat.mtimeMs}` : '-';
      } catch {
        return 'unknown';
      }
    })
    .join(':');
}

export class ResultCache {
  readonly file: string | undefined;
  readonly stats: CacheStats = { hits: 0, misses: 0 };
  private data: CacheData;
  private readonly digestValid = new Map<string, boolean>();
  /** The stamp table, read and written in place in the cache data. */
  private readonly stamps: FileStamps = {
    get: (filePath) => {
      const stamp = Object.hasOwn(this.data.stamps, filePath) ? this.data.stamps[filePath] : undefined;
      return Array.isArray(stamp) && stamp.length === 5 && typeof stamp[0] === 'string' ? stamp : undefined;
    },
    set: (filePath, stamp) => {
      this.data.stamps[filePath] = stamp;
    },
  };
  private stampSource: InputValues | undefined;
  private dirty = false;

  /**
   * @param directory where to keep the cache file; undefined keeps results in memory only.
   * @param root the workspace root (one cache file per root).
   * @param fingerprint ResolvedConfig.fingerprint plus anything else that changes results.
   * @param options.stampMarginMs how long before the audit's project was created a file must have
   *   last changed for its stamp to be trusted (default STAMP_MARGIN_MS; tests lower it).
   */
  constructor(
    directory: string | undefined,
    root: string,
    fingerprint: string,
    private readonly options: { stampMarginMs?: number } = {},
  ) {
    const rootKey = createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 12);
    this.file = directory ? path.join(directory, `audit-${rootKey}.json`) : undefined;
    const full = createHash('sha1').update(`${PERFLINT_VERSION}\u0000${buildId()}\u0000${fingerprint}`).digest('base64url');
    this.data = { format: FORMAT, fingerprint: full, digests: {}, files: {}, stamps: {} };
    this.load();
  }

  private load(): void {
    if (!this.file) return;
    let parsed: CacheData;
    try {
      parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as CacheData;
    } catch {
      return;
    }
    if (parsed && parsed.format === FORMAT && parsed.fingerprint === this.data.fingerprint && typeof parsed.files === 'object' && typeof parsed.digests === 'object' && typeof parsed.stamps === 'object') this.data = parsed;
  }

  /**
   * Starts a new audit: digest validity is re-checked against the workspace as it is now. With
   * `project`, its text hashes come from remembered file stamps where the file is unchanged on
   * disk (files with unsaved editor text are always hashed).
   */
  beginAudit(project?: Project): void {
    this.digestValid.clear();
    if (!project) return;
    const overlays = new Set(project.overlayEntries().map(([filePath]) => filePath));
    project.inputValues.useStamps(this.stamps, (filePath) => overlays.has(filePath), this.options.stampMarginMs);
    this.stampSource = project.inputValues;
  }

  /** The cached result of a file, when its text and (if it used facts) the workspace are unchanged. */
  lookup(filePath: string, values: InputValues): FileResult | undefined {
    const entry = Object.hasOwn(this.data.files, filePath) ? this.data.files[filePath] : undefined;
    if (!Array.isArray(entry) || entry[0] !== values.get(`text:${filePath}`) || (entry[1] !== '' && !this.isDigestValid(entry[1], values))) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return loadedResult(filePath, entry[2]);
  }

  private isDigestValid(digest: string, values: InputValues): boolean {
    let valid = this.digestValid.get(digest);
    if (valid === undefined) {
      const keys = this.data.digests[digest];
      valid = keys !== undefined && values.workspaceDigest(keys) === digest;
      this.digestValid.set(digest, valid);
    }
    return valid;
  }

  /**
   * Stores a fresh result. `digest` is set when the analysis used facts (see `digestFor`).
   * Results stopped by the time budget or with an unreadable file are not cached.
   */
  store(filePath: string, hash: string, result: FileResult, digest?: string): void {
    if (result.notes.some((n) => n.kind === 'time-budget' || n.kind === 'unreadable')) {
      delete this.data.files[filePath];
      return;
    }
    this.data.files[filePath] = [hash, digest ?? '', storedResult(result)];
    this.dirty = true;
  }

  /** Computes and registers the workspace digest over `inputKeys` (all keys recorded by the audit). */
  digestFor(inputKeys: Iterable<string>, values: InputValues, sourceFiles: readonly string[]): string {
    const sources = new Set(sourceFiles.map((f) => `text:${f}`));
    const extra = [...new Set(inputKeys)].filter((key) => key !== 'files' && !sources.has(key)).sort();
    const digest = values.workspaceDigest(extra);
    this.data.digests[digest] = extra;
    this.digestValid.set(digest, true);
    this.dirty = true;
    return digest;
  }

  /** Drops entries of files that no longer exist and unused digests, then writes the file. */
  save(existingFiles?: readonly string[]): void {
    if (this.stampSource?.stampsChanged) {
      this.dirty = true;
      this.stampSource.stampsChanged = false;
    }
    if (!this.file || !this.dirty) return;
    if (existingFiles) {
      const keep = new Set(existingFiles);
      for (const filePath of Object.keys(this.data.files)) if (!keep.has(filePath)) delete this.data.files[filePath];
    }
    const used = new Set(Object.values(this.data.files).map((entry) => entry[1]));
    for (const digest of Object.keys(this.data.digests)) if (!used.has(digest)) delete this.data.digests[digest];
    // Stamps of cached files and of the other files their digests cover; no others.
    const stamped = new Set(Object.keys(this.data.files));
    for (const keys of Object.values(this.data.digests)) for (const key of keys) if (key.startsWith('text:')) stamped.add(key.slice(5));
    for (const filePath of Object.keys(this.data.stamps)) if (!stamped.has(filePath)) delete this.data.stamps[filePath];
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(this.data));
      fs.renameSync(temp, this.file);
      this.dirty = false;
    } catch {
      // A cache that cannot be written only costs time.
    }
  }

  /** Forgets every entry (the editor calls this when it cannot tell what changed). */
  clear(): void {
    this.data = { ...this.data, digests: {}, files: {}, stamps: {} };
    this.digestValid.clear();
    this.dirty = true;
  }
}
