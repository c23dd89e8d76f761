/**
 * Workspace folders → one engine Linter each. Files outside every folder (and untitled buffers)
 * get a "loose" Linter whose cross-file facts only see open documents, so opening a stray file
 * never walks a home directory. Configuration errors keep the last good configuration.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { URI } from 'vscode-uri';
import { CONFIG_FILE_NAME, ConfigError, Linter, resolveConfig, SKIPPED_DIRECTORIES, type ConfigOverlay, type Rule } from '../engine';
import type { PerflintSettings } from '../protocol/settings';
import type { Logger } from './logger';

export interface Folder {
  /** Absolute path of the folder. */
  readonly root: string;
  /** Folder URI as the client sent it (undefined for loose folders). */
  readonly uri: string | undefined;
  readonly linter: Linter;
  /** Bumped when the configuration or settings change: every document's findings may change. */
  epoch: number;
  /** Bumped when a file changes (open text or disk): findings that used other files may change. */
  factsEpoch: number;
  /** Key of the settings overlay the linter was configured with. */
  overlayKey: string;
  /** Matcher for `perflint.exclude` + config `ignorePatterns` (paths relative to root). */
  excluded: Ignore;
  loose: boolean;
}

/** Language id → extension, for untitled buffers (the engine picks the language by extension). */
const UNTITLED_EXTENSIONS: Record<string, string> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
  prisma: '.prisma',
};

const UNTITLED_ROOT = path.join(os.tmpdir(), 'perflint-untitled');

/** File-system path of a document URI (untitled buffers get a stable synthetic path). */
export function pathOfUri(uri: string, languageId?: string): string {
  const parsed = URI.parse(uri);
  if (parsed.scheme === 'file') return path.resolve(parsed.fsPath);
  const name = (parsed.path.split('/').pop() || 'untitled').replace(/[^\w.-]/g, '_');
  const ext = UNTITLED_EXTENSIONS[languageId ?? ''] ?? '';
  return path.join(UNTITLED_ROOT, parsed.scheme, name.endsWith(ext) ? name : name + ext);
}

/** The overlay an editor-settings object puts over `.perflintrc.json`. */
export function overlayOf(settings: PerflintSettings): ConfigOverlay {
  return { rules: settings.rules, settings: { defaultPageSize: settings.fix.defaultPageSize }, ignorePatterns: settings.exclude };
}

export class Workspace {
  private readonly folders = new Map<string, Folder>();
  private readonly looseFolders = new Map<string, Folder>();
  /** Open documents outside every folder, by loose root (their facts see only these). */
  private readonly looseFiles = new Map<string, Set<string>>();

  constructor(
    readonly rules: readonly Rule[],
    private readonly logger: Logger,
  ) {}

  /** Every real (non-loose) folder. */
  all(): Folder[] {
    return [...this.folders.values()];
  }

  addFolder(uri: string): Folder {
    const root = pathOfUri(uri);
    const existing = this.folders.get(root);
    if (existing) return existing;
    const folder: Folder = { root, uri, linter: this.createLinter(root, {}), epoch: 0, factsEpoch: 0, overlayKey: '{}', excluded: ignore(), loose: false };
    folder.excluded = this.excludeMatcher(folder, []);
    this.folders.set(root, folder);
    return folder;
  }

  removeFolder(uri: string): void {
    this.folders.delete(pathOfUri(uri));
  }

  /** The innermost folder containing a file, or a loose folder for files outside all of them. */
  folderFor(filePath: string): Folder {
    let best: Folder | undefined;
    for (const folder of this.folders.values()) {
      if (filePath === folder.root || filePath.startsWith(folder.root + path.sep)) {
        if (!best || folder.root.length > best.root.length) best = folder;
      }
    }
    return best ?? this.looseFolderFor(filePath);
  }

  /** Records that a loose file is open (or closed), so loose facts see exactly the open files. */
  trackLoose(filePath: string, open: boolean): void {
    const folder = this.folderFor(filePath);
    if (!folder.loose) return;
    let files = this.looseFiles.get(folder.root);
    if (!files) this.looseFiles.set(folder.root, (files = new Set()));
    if (open) files.add(filePath);
    else files.delete(filePath);
    folder.linter.project.invalidateFileList();
  }

  private looseFolderFor(filePath: string): Folder {
    const root = path.dirname(filePath);
    let folder = this.looseFolders.get(root);
    if (!folder) {
      // Loose files never read a config file: the folder may be anything (a home directory, /tmp).
      const linter = new Linter({ root, rules: this.rules, config: resolveConfig({}, this.rules) });
      linter.project.setFileLister(() => [...(this.looseFiles.get(root) ?? [])].sort());
      folder = { root, uri: undefined, linter, epoch: 0, factsEpoch: 0, overlayKey: '{}', excluded: ignore(), loose: true };
      this.looseFolders.set(root, folder);
    }
    return folder;
  }

  private createLinter(root: string, overlay: ConfigOverlay): Linter {
    try {
      return new Linter({ root, rules: this.rules, overlay });
    } catch (error) {
      this.logConfigError(root, error);
      // Defaults until the file is fixed (the next change reloads it).
      return new Linter({ root, rules: this.rules, overlay, config: resolveConfig({}, this.rules, overlay) });
    }
  }

  /**
   * Applies editor settings (severity overrides, exclusions, page size) to a folder's linter.
   * Returns true when the effective configuration changed.
   */
  applySettings(folder: Folder, settings: PerflintSettings): boolean {
    const overlay = overlayOf(settings);
    const key = JSON.stringify(overlay);
    if (key === folder.overlayKey) return false;
    folder.overlayKey = key;
    if (folder.loose) {
      folder.linter.config = resolveConfig({}, this.rules, overlay);
    } else {
      this.reload(folder, overlay);
    }
    folder.excluded = this.excludeMatcher(folder, settings.exclude);
    folder.epoch++;
    return true;
  }

  /** Re-reads `.perflintrc.json`; on error logs it and keeps the last good configuration. */
  reloadConfig(folder: Folder): boolean {
    if (folder.loose) return false;
    const changed = this.reload(folder, JSON.parse(folder.overlayKey) as ConfigOverlay);
    folder.epoch++;
    return changed;
  }

  private reload(folder: Folder, overlay: ConfigOverlay): boolean {
    try {
      folder.linter.reloadConfig(overlay);
      this.logger.info(`Configuration loaded for ${folder.root}${folder.linter.config.file ? ` (${path.basename(folder.linter.config.file)})` : ' (defaults)'}.`);
      return true;
    } catch (error) {
      this.logConfigError(folder.root, error);
      return false;
    }
  }

  private logConfigError(root: string, error: unknown): void {
    if (error instanceof ConfigError) {
      this.logger.error(`Invalid configuration in ${root}: ${error.message}. Keeping the last valid configuration.`);
    } else {
      this.logger.error(`Could not load the configuration of ${root}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  private excludeMatcher(folder: Folder, exclude: string[]): Ignore {
    return ignore().add([...folder.linter.config.ignorePatterns, ...exclude]);
  }

  /**
   * Why an open document is not analysed: outside analysable folders (node_modules, build
   * output…) or excluded by `ignorePatterns` / `perflint.exclude`. Undefined when it is analysed.
   */
  exclusionReason(folder: Folder, filePath: string): string | undefined {
    if (folder.loose) return undefined;
    const relative = path.relative(folder.root, filePath);
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    const segments = relative.split(path.sep);
    const skipped = segments.slice(0, -1).find((segment) => SKIPPED_DIRECTORIES.has(segment));
    if (skipped) return `inside a "${skipped}" folder`;
    const posix = segments.join('/');
    try {
      if (folder.excluded.ignores(posix)) return 'excluded by ignorePatterns or perflint.exclude';
    } catch {
      // `ignore` rejects unusual relative paths; analyse them.
    }
    return undefined;
  }

  /** True when a path is a configuration file the folder's linter reads. */
  static isConfigFile(filePath: string): boolean {
    return path.basename(filePath) === CONFIG_FILE_NAME;
  }
}
