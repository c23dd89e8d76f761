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
import type { FileSystemHost } from './host';

const MISSING = '-';

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

  constructor(private readonly source: InputSource) {}

  /** Seeds a value computed elsewhere (a worker hashed the text it analysed). */
  seed(key: string, value: string): void {
    this.memo.set(key, value);
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
  }

  private compute(key: string): string {
    const colon = key.indexOf(':');
    const kind = colon < 0 ? key : key.slice(0, colon);
    const target = colon < 0 ? '' : key.slice(colon + 1);
    switch (kind) {
      case 'text':
        return contentHash(this.source.readText(target));
      case 'files':
        return contentHash(this.source.sourceFiles().join('\n'));
      case 'dir': {
        const entries = this.source.host.readDirectory(target);
        return entries ? contentHash(entries.map((e) => `${e.name}:${e.kind}`).sort().join('\n')) : MISSING;
      }
      case 'size':
        return String(this.source.host.fileSize(target) ?? MISSING);
      case 'real':
        return this.source.host.realPath(target) ?? MISSING;
      default:
        return MISSING;
    }
  }

  /**
   * One hash over the whole workspace as facts see it: the file list, every analysable file's
   * text, and every other input recorded while facts were computed (`extraKeys`: package.json,
   * tsconfig, .env, probes of files that do not exist).
   */
  workspaceDigest(extraKeys: Iterable<string>): string {
    const keys = new Set<string>(['files']);
    for (const file of this.source.sourceFiles()) keys.add(`text:${file}`);
    for (const key of extraKeys) keys.add(key);
    const hash = createHash('sha1');
    for (const key of [...keys].sort()) hash.update(key).update('\u0000').update(this.get(key)).update('\u0001');
    return hash.digest('base64url').slice(0, 16);
  }
}
