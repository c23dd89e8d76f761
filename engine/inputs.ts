/**
 * Inputs of an analysis, for the result cache: every read a rule or a fact makes goes through the
 * Project, which records a key per input. A key's value is a short hash of what was read, so a
 * cached result can be checked against the workspace without re-running anything.
 *
 *   text:<abs path>   the file's text (unsaved editor text included), or its absence
 *   files             the list of analysable workspace files (discovery)
 *   dir:<abs path>    a folder listing        size:<abs path>  a file's size   real:<abs path>  a realpath
 */
import { createHash } from 'node:crypto';
import type { FileStat, FileSystemHost } from './host';

const MISSING = '-';

/**
 * Text hashes remembered by file stamp (size, mtime, ctime, inode), so that a warm audit stats a
 * file instead of reading and hashing it — the way git's index and make trust file times.
 *
 * A stamp is only remembered when it is safe: the file's ctime (which every write and every
 * utimes call sets to the current time, and which no one can set back) lies more than a margin
 * before the InputValues were created, i.e. before anything in this process read the file. The
 * text that was hashed (read later, or by a worker) is then the text the stamp describes. An equal
 * stamp later means the file was not written since, so the remembered hash still holds.
 */
export interface FileStamps {
  get(filePath: string): FileStamp | undefined;
  set(filePath: string, stamp: FileStamp): void;
}

/** The hash of the text a file had with these stats (stored as is in the cache file). */
export type FileStamp = [hash: string, size: number, mtimeMs: number, ctimeMs: number, ino: number];

/** How long before the process read anything a file must have been last changed to be stamped. */
export const STAMP_MARGIN_MS = 3000;

function sameStamp(stamp: FileStamp, stat: FileStat): boolean {
  return stamp[3] === stat.ctimeMs && stamp[2] === stat.mtimeMs && stamp[1] === stat.size && stamp[4] === stat.ino;
}

/** Short content hash (sha1, base64url, 16 chars: collisions are not a concern for a cache key). */
export function contentHash(text: string | undefined): string {
  if (text === undefined) return MISSING;
  return createHash('sha1').update(text).digest('base64url').slice(0, 16);
}

/** A host that reports each read to `note` before delegating. */
export function recordingHost(host: FileSystemHost, note: (key: string) => void): FileSystemHost {
  return {
    readFile(filePath) {
      note(`text:${filePath}`);
      return host.readFile(filePath);
    },
    readDirectory(dirPath) {
      note(`dir:${dirPath}`);
      return host.readDirectory(dirPath);
    },
    fileSize(filePath) {
      note(`size:${filePath}`);
      return host.fileSize(filePath);
    },
    realPath(filePath) {
      note(`real:${filePath}`);
      return host.realPath(filePath);
    },
  };
}

/** What an input key resolves to now; reads go through `readText`/`host` without being recorded. */
export interface InputSource {
  readText(filePath: string): string | undefined;
  sourceFiles(): string[];
  host: FileSystemHost;
}

/** Computes (and memoizes until `clear`) the current value of input keys. */
export class InputValues {
  private readonly memo = new Map<string, string>();
  /** One stat per path until `clear`: a file's text stamp and its `size:` input share it. */
  private readonly stats = new Map<string, FileStat | null>();
  /** Before this, nothing in this process read a file through `source` (see FileStamps). */
  private readonly since = Date.now();
  private stamps: { table: FileStamps; isOverlaid: (filePath: string) => boolean; trustedBefore: number } | undefined;
  /** True once a stamp was added to the table in use. */
  stampsChanged = false;

  constructor(private readonly source: InputSource) {}

  /**
   * Takes `text:` values from `table` when a file's stamp is unchanged, and adds stamps of files
   * hashed from now on. Files with unsaved editor text (`isOverlaid`) are always hashed. Stays on
   * until `clear()` (an invalidation: overlays may have changed).
   */
  useStamps(table: FileStamps, isOverlaid: (filePath: string) => boolean = () => false, marginMs = STAMP_MARGIN_MS): void {
    if (!this.source.host.stat) return;
    this.stamps = { table, isOverlaid, trustedBefore: this.since - marginMs };
  }

  /** Seeds a value computed elsewhere (a worker hashed the text it analysed). */
  seed(key: string, value: string): void {
    // Seeded already (AuditRun.finishAsync, then finish): its stamp was handled then.
    if (this.memo.get(key) === value) return;
    this.memo.set(key, value);
    if (this.stamps && key.startsWith('text:')) {
      const filePath = key.slice(5);
      const stat = this.statForStamp(filePath);
      if (stat) this.remember(filePath, stat, value);
    }
  }

  get(key: string): string {
    let value = this.memo.get(key);
    if (value === undefined) {
      value = this.compute(key);
      this.memo.set(key, value);
    }
    return value;
  }

  clear(): void {
    this.memo.clear();
    this.stats.clear();
    this.stamps = undefined;
  }

  /** The host's stat of a path (null: none), once per path until `clear`; undefined without host support. */
  private statOf(filePath: string): FileStat | null | undefined {
    const host = this.source.host;
    if (!host.stat) return undefined;
    let stat = this.stats.get(filePath);
    if (stat === undefined) {
      stat = host.stat(filePath) ?? null;
      this.stats.set(filePath, stat);
    }
    return stat;
  }

  /**
   * The stat of a file whose text hash may be taken from or added to the stamp table: undefined
   * when stamps do not apply, null when there is no such file on disk.
   */
  private statForStamp(filePath: string): FileStat | null | undefined {
    if (!this.stamps || this.stamps.isOverlaid(filePath)) return undefined;
    const stat = this.statOf(filePath);
    return stat === undefined ? undefined : stat?.isFile ? stat : null;
  }

  private remember(filePath: string, stat: FileStat, hash: string): void {
    const stamps = this.stamps;
    if (!stamps || hash === MISSING || stat.ctimeMs >= stamps.trustedBefore || stat.mtimeMs >= stamps.trustedBefore) return;
    const known = stamps.table.get(filePath);
    if (known && known[0] === hash && sameStamp(known, stat)) return;
    stamps.table.set(filePath, [hash, stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino]);
    this.stampsChanged = true;
  }

  /** Hash of a file's text: remembered under an unchanged stamp, or read and hashed. */
  private textHash(filePath: string): string {
    const stat = this.statForStamp(filePath);
    // Not a file (module resolution probes most often): nothing to read.
    if (stat === null) return MISSING;
    if (stat) {
      const known = this.stamps!.table.get(filePath);
      if (known && sameStamp(known, stat)) return known[0];
    }
    const hash = contentHash(this.source.readText(filePath));
    if (stat) this.remember(filePath, stat, hash);
    return hash;
  }

  private compute(key: string): string {
    const colon = key.indexOf(':');
    const kind = colon < 0 ? key : key.slice(0, colon);
    const target = colon < 0 ? '' : key.slice(colon + 1);
    switch (kind) {
      case 'text':
        return this.textHash(target);
      case 'files':
        return contentHash(this.source.sourceFiles().join('\n'));
      case 'dir': {
        const entries = this.source.host.readDirectory(target);
        return entries ? contentHash(entries.map((e) => `${e.name}:${e.kind}`).sort().join('\n')) : MISSING;
      }
      case 'size': {
        const stat = this.statOf(target);
        if (stat !== undefined) return stat ? String(stat.size) : MISSING;
        return String(this.source.host.fileSize(target) ?? MISSING);
      }
      case 'real':
        return this.source.host.realPath(target) ?? MISSING;
      default:
        return MISSING;
    }
  }

  /**
   * One hash over the whole workspace as facts see it: the file list, every analysable file's
   * text, and every other input recorded while facts were computed (`extraKeys`, in a stable
   * order: package.json, tsconfig, .env, probes of files that do not exist).
   */
  workspaceDigest(extraKeys: Iterable<string>): string {
    // No de-duplication or sorting needed: the file list is part of the hash, so the same
    // workspace always yields the same sequence of keys.
    const parts: string[] = [];
    const add = (key: string) => parts.push(key, '\u0000', this.get(key), '\u0001');
    add('files');
    for (const file of this.source.sourceFiles()) add(`text:${file}`);
    for (const key of extraKeys) add(key);
    return createHash('sha1').update(parts.join('')).digest('base64url').slice(0, 16);
  }
}
