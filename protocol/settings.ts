/**
 * Editor settings (`perflint.*` in VS Code), shared by the client and the server.
 * The server reads them per resource through `workspace/configuration` and passes every value
 * through `sanitizeSettings`, so a hand-edited settings.json can never crash it.
 *
 * Adding a setting: schema in package.json `contributes.configuration`, type + default +
 * sanitizer here, use in server/ (the client forwards the whole `perflint` section unchanged).
 */

/** Severity override for one rule (`perflint.rules`). */
export type SeverityOverride = 'off' | 'info' | 'warning' | 'error';

/** When diagnostics are computed. */
export type RunMode = 'onType' | 'onSave';

/** Protocol tracing level (`perflint.trace.server`); read by vscode-languageclient itself. */
export type TraceLevel = 'off' | 'messages' | 'verbose';

/** The `perflint` settings section, after sanitizing. */
export interface PerflintSettings {
  /** Analyse documents at all. */
  enable: boolean;
  /** Re-analyse on every change (debounced) or only when the document is saved. */
  run: RunMode;
  /** Severity overrides by rule id, applied over `.perflintrc.json`. */
  rules: Record<string, SeverityOverride>;
  /** Extra gitignore-style patterns (relative to the workspace folder) that are never analysed. */
  exclude: string[];
  fix: {
    /** Page size inserted by fixes that add a limit (`take: N`, `.limit(N)`). */
    defaultPageSize: number;
  };
  trace: {
    server: TraceLevel;
  };
}

/** Defaults; identical to the defaults declared in package.json. */
export const DEFAULT_EDITOR_SETTINGS: PerflintSettings = {
  enable: true,
  run: 'onType',
  rules: {},
  exclude: [],
  fix: { defaultPageSize: 100 },
  trace: { server: 'off' },
};

const SEVERITY_OVERRIDES: readonly SeverityOverride[] = ['off', 'info', 'warning', 'error'];
const RUN_MODES: readonly RunMode[] = ['onType', 'onSave'];
const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];
const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One of `allowed`, or the fallback. */
export function sanitizeEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Rule severity overrides: unknown severities and malformed ids are dropped. `warn` is accepted for `warning`. */
export function sanitizeRuleOverrides(value: unknown): Record<string, SeverityOverride> {
  const result: Record<string, SeverityOverride> = {};
  if (!isRecord(value)) return result;
  for (const [id, raw] of Object.entries(value)) {
    if (!RULE_ID.test(id)) continue;
    const severity = raw === 'warn' ? 'warning' : raw === 'information' ? 'info' : raw;
    if (typeof severity === 'string' && (SEVERITY_OVERRIDES as readonly string[]).includes(severity)) result[id] = severity as SeverityOverride;
  }
  return result;
}

/** Maps any value (settings are user-edited JSON) to a complete, valid settings object. */
export function sanitizeSettings(value: unknown): PerflintSettings {
  const raw = isRecord(value) ? value : {};
  const fix = isRecord(raw.fix) ? raw.fix : {};
  const trace = isRecord(raw.trace) ? raw.trace : {};
  const pageSize = fix.defaultPageSize;
  return {
    enable: typeof raw.enable === 'boolean' ? raw.enable : DEFAULT_EDITOR_SETTINGS.enable,
    run: sanitizeEnum(raw.run, RUN_MODES, DEFAULT_EDITOR_SETTINGS.run),
    rules: sanitizeRuleOverrides(raw.rules),
    exclude: Array.isArray(raw.exclude) ? raw.exclude.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [],
    fix: {
      defaultPageSize:
        typeof pageSize === 'number' && Number.isInteger(pageSize) && pageSize > 0 && pageSize <= 100_000 ? pageSize : DEFAULT_EDITOR_SETTINGS.fix.defaultPageSize,
    },
    trace: { server: sanitizeEnum(trace.server, TRACE_LEVELS, DEFAULT_EDITOR_SETTINGS.trace.server) },
  };
}
