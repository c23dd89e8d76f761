/**
 * Project configuration: `.perflintrc.json` at the workspace root (JSON only: nothing in the
 * workspace is ever executed), overlaid by CLI flags or editor settings.
 */
import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import picomatch from 'picomatch';
import type { Rule, SharedSettings } from './rule';
import type { Severity, SeverityOrOff } from './types';
import type { FileSystemHost } from './host';
import { LineIndex } from './lines';

export const CONFIG_FILE_NAME = '.perflintrc.json';

export type RuleSetting = SeverityOrOff | [SeverityOrOff] | [SeverityOrOff, Record<string, unknown>];

/** The file format (see perflintrc.schema.json). */
export interface ConfigFile {
  $schema?: string;
  rules?: Record<string, RuleSetting>;
  ignorePatterns?: string[];
  overrides?: Array<{ files: string | string[]; rules?: Record<string, RuleSetting> }>;
  settings?: Partial<SharedSettings>;
  reportUnusedDisableDirectives?: SeverityOrOff;
}

/** Raised for invalid configuration; carries the file and 1-based position when known. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(file ? `${file}${line ? `:${line}:${column}` : ''}: ${message}` : message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_SETTINGS: SharedSettings = {
  defaultPageSize: 100,
  pageSizeNames: ['limit', 'take', 'first', 'last', 'pageSize', 'page_size', 'perPage', 'per_page', 'size', 'count'],
};

export interface EnabledRule {
  rule: Rule;
  severity: Severity;
  options: Record<string, unknown>;
}

/** Configuration resolved against the rule registry. */
export interface ResolvedConfig {
  /** Absolute path of the config file, when one was found. */
  file?: string;
  settings: SharedSettings;
  ignorePatterns: string[];
  reportUnusedDisableDirectives: SeverityOrOff;
  /** Rules enabled for a file (relative overrides applied), in registry order. */
  rulesFor(relativePath: string): EnabledRule[];
  /** A stable string that changes whenever the effective configuration changes (cache keys). */
  fingerprint: string;
}

export interface ConfigOverlay {
  /** Severity overrides from the CLI (`--rule id=sev`) or the editor (`perflint.rules`). */
  rules?: Record<string, SeverityOrOff>;
  settings?: Partial<SharedSettings>;
  ignorePatterns?: string[];
}

const SEVERITIES = new Set(['off', 'info', 'warning', 'error']);

/** Reads and validates a config file's text. Throws ConfigError with a position on bad input. */
export function parseConfigText(text: string, file: string, rules: readonly Rule[]): ConfigFile {
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const lines = new LineIndex(text);
  const at = (offset: number) => lines.position(offset);
  if (errors.length > 0) {
    const first = errors[0];
    const position = at(first.offset);
    throw new ConfigError(`invalid JSON (${describeJsonError(printParseErrorCode(first.error))})`, file, position.line + 1, position.character + 1);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('the configuration must be a JSON object', file);
  }
  const config = value as ConfigFile;
  const known = new Set(rules.map((rule) => rule.id));
  const checkRules = (ruleMap: unknown, where: string) => {
    if (ruleMap === undefined) return;
    if (ruleMap === null || typeof ruleMap !== 'object' || Array.isArray(ruleMap)) throw new ConfigError(`"${where}" must be an object`, file);
    for (const [id, setting] of Object.entries(ruleMap)) {
      if (!known.has(id)) throw new ConfigError(`unknown rule "${id}" in "${where}" (known: ${[...known].join(', ')})`, file);
      const severity = Array.isArray(setting) ? setting[0] : setting;
      if (typeof severity !== 'string' || !SEVERITIES.has(severity)) {
        throw new ConfigError(`rule "${id}": severity must be one of off, info, warning, error`, file);
      }
      if (Array.isArray(setting) && setting.length > 1 && (typeof setting[1] !== 'object' || setting[1] === null || Array.isArray(setting[1]))) {
        throw new ConfigError(`rule "${id}": options must be an object`, file);
      }
    }
  };
  checkRules(config.rules, 'rules');
  if (config.ignorePatterns !== undefined && (!Array.isArray(config.ignorePatterns) || config.ignorePatterns.some((p) => typeof p !== 'string'))) {
    throw new ConfigError('"ignorePatterns" must be an array of strings', file);
  }
  if (config.overrides !== undefined) {
    if (!Array.isArray(config.overrides)) throw new ConfigError('"overrides" must be an array', file);
    config.overrides.forEach((override, i) => {
      const files = override?.files;
      if (!(typeof files === 'string' || (Array.isArray(files) && files.every((f) => typeof f === 'string')))) {
        throw new ConfigError(`"overrides[${i}].files" must be a glob or an array of globs`, file);
      }
      checkRules(override.rules, `overrides[${i}].rules`);
    });
  }
  if (config.settings !== undefined) {
    const settings = config.settings as Record<string, unknown>;
    if (settings.defaultPageSize !== undefined && !(Number.isInteger(settings.defaultPageSize) && (settings.defaultPageSize as number) > 0)) {
      throw new ConfigError('"settings.defaultPageSize" must be a positive integer', file);
    }
    if (settings.pageSizeNames !== undefined && !(Array.isArray(settings.pageSizeNames) && settings.pageSizeNames.every((n) => typeof n === 'string'))) {
      throw new ConfigError('"settings.pageSizeNames" must be an array of strings', file);
    }
  }
  const unused = config.reportUnusedDisableDirectives;
  if (unused !== undefined && !SEVERITIES.has(unused)) {
    throw new ConfigError('"reportUnusedDisableDirectives" must be one of off, info, warning, error', file);
  }
  return config;
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Loads `<root>/.perflintrc.json` (or an explicit file) and resolves it. A missing default file
 * means "defaults"; a missing explicit file is an error.
 */
export function loadConfig(
  root: string,
  host: FileSystemHost,
  rules: readonly Rule[],
  options: { configFile?: string; overlay?: ConfigOverlay } = {},
): ResolvedConfig {
  const file = options.configFile ? path.resolve(root, options.configFile) : path.join(root, CONFIG_FILE_NAME);
  const text = host.readFile(file);
  if (text === undefined && options.configFile) throw new ConfigError('config file not found or unreadable', file);
  const config = text === undefined ? {} : parseConfigText(text, file, rules);
  return resolveConfig(config, rules, options.overlay, text === undefined ? undefined : file);
}

/** Resolves a parsed config against the rule registry and an overlay. */
export function resolveConfig(config: ConfigFile, rules: readonly Rule[], overlay: ConfigOverlay = {}, file?: string): ResolvedConfig {
  const settings: SharedSettings = { ...DEFAULT_SETTINGS, ...config.settings, ...overlay.settings };
  const overrides = (config.overrides ?? []).map((override) => ({
    match: picomatch(override.files, { dot: true }),
    rules: override.rules ?? {},
  }));
  const cache = new Map<string, EnabledRule[]>();
  const keyOf = (relativePath: string) => overrides.map((o) => (o.match(relativePath) ? '1' : '0')).join('');

  const rulesFor = (relativePath: string): EnabledRule[] => {
    const key = keyOf(relativePath);
    const cached = cache.get(key);
    if (cached) return cached;
    const enabled: EnabledRule[] = [];
    for (const rule of rules) {
      const state: { severity: SeverityOrOff; options: Record<string, unknown> } = { severity: rule.meta.defaultSeverity, options: { ...rule.meta.defaultOptions } };
      const apply = (setting: RuleSetting | undefined) => {
        if (setting === undefined) return;
        if (Array.isArray(setting)) {
          state.severity = setting[0];
          if (setting[1]) state.options = { ...state.options, ...setting[1] };
        } else state.severity = setting;
      };
      apply(config.rules?.[rule.id]);
      overrides.forEach((override, i) => {
        if (key[i] === '1') apply(override.rules[rule.id]);
      });
      apply(overlay.rules?.[rule.id]);
      if (state.severity !== 'off') enabled.push({ rule, severity: state.severity, options: state.options });
    }
    cache.set(key, enabled);
    return enabled;
  };

  return {
    file,
    settings,
    ignorePatterns: [...(config.ignorePatterns ?? []), ...(overlay.ignorePatterns ?? [])],
    reportUnusedDisableDirectives: config.reportUnusedDisableDirectives ?? 'info',
    rulesFor,
    fingerprint: JSON.stringify([config, overlay, rules.map((r) => `${r.id}@${r.meta.version ?? 1}`)]),
  };
}
