/**
 * Editor settings per resource, read through `workspace/configuration` and cached per scope URI
 * until `workspace/didChangeConfiguration` (never held as one global: folders may differ).
 */
import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_EDITOR_SETTINGS, sanitizeSettings, type PerflintSettings } from '../protocol/settings';
import { describeError, type Logger } from './logger';

export class SettingsStore {
  private readonly cache = new Map<string, Promise<PerflintSettings>>();
  /** Settings pushed with didChangeConfiguration, for clients without `workspace/configuration`. */
  private pushed: PerflintSettings = DEFAULT_EDITOR_SETTINGS;

  constructor(
    private readonly connection: Connection,
    private readonly pullSupported: boolean,
    private readonly logger: Logger,
  ) {}

  /** Settings for a document or folder URI (`undefined`: window-level settings). */
  get(scopeUri: string | undefined): Promise<PerflintSettings> {
    if (!this.pullSupported) return Promise.resolve(this.pushed);
    const key = scopeUri ?? '';
    let cached = this.cache.get(key);
    if (!cached) {
      cached = this.connection.workspace.getConfiguration({ scopeUri, section: 'perflint' }).then(
        (raw: unknown) => sanitizeSettings(raw),
        (error: unknown) => {
          this.logger.warn(`Could not read settings for ${scopeUri ?? 'the window'}; using defaults. ${describeError(error)}`);
          return DEFAULT_EDITOR_SETTINGS;
        },
      );
      this.cache.set(key, cached);
    }
    return cached;
  }

  /** Forgets cached settings; `pushedSettings` is the didChangeConfiguration payload. */
  changed(pushedSettings: unknown): void {
    this.cache.clear();
    const section = typeof pushedSettings === 'object' && pushedSettings !== null ? (pushedSettings as Record<string, unknown>).perflint : undefined;
    if (section !== undefined) this.pushed = sanitizeSettings(section);
  }

  /** Drops one document's entry (closed documents). */
  forget(scopeUri: string): void {
    this.cache.delete(scopeUri);
  }
}
