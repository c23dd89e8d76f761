/**
 * File-system access is injected, so the language server can overlay unsaved editor text and the
 * tests can run on in-memory workspaces. Every method fails soft: errors become `undefined`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DirEntry {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
}

export interface FileSystemHost {
  /** Text of a file, or undefined when it does not exist or cannot be read. */
  readFile(filePath: string): string | undefined;
  /** Entries of a directory, or undefined when it cannot be read. */
  readDirectory(dirPath: string): DirEntry[] | undefined;
  /** Size in bytes of a file, or undefined (missing, unreadable, or not a file: a folder). */
  fileSize(filePath: string): number | undefined;
  /** Resolves symlinks; undefined for broken links or loops. */
  realPath(filePath: string): string | undefined;
  /**
   * Size, times and inode of a path, or undefined when it does not exist or cannot be read.
   * Optional: the result cache uses it to trust a remembered text hash without reading the file
   * (engine/inputs.ts, FileStamps).
   */
  stat?(filePath: string): FileStat | undefined;
}

export interface FileStat {
  isFile: boolean;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** The real file system. */
export const nodeFileSystem: FileSystemHost = {
  readFile(filePath) {
    try {
      return stripBom(fs.readFileSync(filePath, 'utf8'));
    } catch {
      return undefined;
    }
  },
  readDirectory(dirPath) {
    try {
      return fs.readdirSync(dirPath, { withFileTypes: true }).map((entry) => ({
        name: entry.name,
        kind: entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : entry.isSymbolicLink() ? 'symlink' : 'other',
      }));
    } catch {
      return undefined;
    }
  },
  fileSize(filePath) {
    try {
      // Missing files are common (module resolution probes): no exception for them. A folder has
      // no file size: `perflint src/` asks this to tell a file from a folder.
      const stat = fs.statSync(filePath, { throwIfNoEntry: false });
      return stat?.isFile() ? stat.size : undefined;
    } catch {
      return undefined;
    }
  },
  realPath(filePath) {
    try {
      // One realpath(3) call instead of an lstat per path component (discovery asks per folder).
      return fs.realpathSync.native(filePath);
    } catch {
      return undefined;
    }
  },
  stat(filePath) {
    try {
      const stat = fs.statSync(filePath, { throwIfNoEntry: false });
      return stat && { isFile: stat.isFile(), size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino };
    } catch {
      return undefined;
    }
  },
};

/** An in-memory host for tests: `files` maps absolute paths to contents. */
export function memoryFileSystem(files: Record<string, string>): FileSystemHost {
  const normalized = new Map(Object.entries(files).map(([p, t]) => [path.resolve(p), t]));
  return {
    readFile: (p) => normalized.get(path.resolve(p)),
    readDirectory(dirPath) {
      const dir = path.resolve(dirPath);
      const entries = new Map<string, DirEntry['kind']>();
      for (const filePath of normalized.keys()) {
        if (!filePath.startsWith(dir + path.sep)) continue;
        const [first, ...rest] = filePath.slice(dir.length + 1).split(path.sep);
        entries.set(first, rest.length > 0 ? 'directory' : 'file');
      }
      if (entries.size === 0 && !normalized.has(dir)) return dir === path.parse(dir).root ? [] : undefined;
      return [...entries].map(([name, kind]) => ({ name, kind }));
    },
    fileSize: (p) => {
      const text = normalized.get(path.resolve(p));
      return text === undefined ? undefined : Buffer.byteLength(text);
    },
    realPath: (p) => path.resolve(p),
  };
}

/** Removes a UTF-8 byte-order mark; offsets then match what editors show. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
