/**
 * The `perflint` command: the same engine as the editor, for CI.
 * Exit codes: 0 clean, 1 error-severity findings (or warnings over --max-warnings), 2 usage or
 * internal error (always with a one-line message on stderr).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  applyFixes,
  ConfigError,
  formatJson,
  formatMarkdown,
  formatSarif,
  formatStylish,
  Linter,
  PERFLINT_VERSION,
  ResultCache,
  defaultCacheDirectory,
  ruleTimings,
  shardFiles,
  type AuditOptions,
  type AuditResult,
  type Finding,
  type SeverityOrOff,
} from '../engine';
import { allRules } from '../rules';
import { MergeError, runMerge } from './merge';

const FORMATS = ['stylish', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: perflint [options] [paths...]
       perflint merge [--output <file>] <report.json|report.sarif> ...

Audits TypeScript/JavaScript files and Prisma schemas for performance defects.
Paths default to the whole root; facts (database clients, schemas) always span the root.

Options:
  --format <name>        stylish (default), json, sarif, markdown
  --output, -o <file>    write the report to a file instead of stdout
  --root <dir>           workspace root (default: current directory)
  --config, -c <file>    configuration file (default: <root>/.perflintrc.json)
  --rule <id=severity>   override a rule's severity (off|info|warning|error); repeatable
  --max-warnings <n>     exit 1 when there are more than n warnings
  --fix                  apply safe fixes to the files, then report what remains
  --quiet                report errors only
  --no-cache             analyse every file (default: reuse unchanged results from
                         node_modules/.cache/perflint)
  --shard <i/n>          audit only part i of n of the files (deterministic split;
                         combine the reports with perflint merge)
  --list-files           print the files an audit would cover, then exit
  --no-color             plain stylish output
  --help, -h             show this help
  --version, -v          print the version
`;

export class UsageError extends Error {}

export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTty?: boolean;
}

/** Runs the CLI and returns the exit code (never throws). */
export function runCli(argv: string[], io: CliIo): number {
  try {
    return run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof MergeError) {
      io.stderr(`perflint: ${error.message}\n`);
      return 2;
    }
    io.stderr(`perflint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

function run(argv: string[], io: CliIo): number {
  if (argv[0] === 'merge') return runMerge(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        root: { type: 'string' },
        config: { type: 'string', short: 'c' },
        rule: { type: 'string', multiple: true },
        'max-warnings': { type: 'string' },
        fix: { type: 'boolean' },
        quiet: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        shard: { type: 'string' },
        'list-files': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${message.replace(/\. To specify.*$/, '')} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout(`${PERFLINT_VERSION}\n`);
    return 0;
  }
  const format = (values.format ?? 'stylish') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format "${values.format}" (use ${FORMATS.join(', ')})`);
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError(`--max-warnings needs a non-negative integer, got "${values['max-warnings']}"`);
  }
  const ruleOverrides: Record<string, SeverityOrOff> = {};
  const knownRules = new Set(allRules.map((r) => r.id));
  for (const spec of values.rule ?? []) {
    const match = /^([a-z0-9-]+)=(off|info|warning|error)$/.exec(spec);
    if (!match) throw new UsageError(`--rule expects id=off|info|warning|error, got "${spec}"`);
    if (!knownRules.has(match[1])) throw new UsageError(`--rule: unknown rule "${match[1]}"`);
    ruleOverrides[match[1]] = match[2] as SeverityOrOff;
  }
  let shard: AuditOptions['shard'];
  if (values.shard !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!match || Number(match[2]) < 1 || Number(match[1]) < 1 || Number(match[1]) > Number(match[2])) {
      throw new UsageError(`--shard expects i/n with 1 ≤ i ≤ n, got "${values.shard}"`);
    }
    shard = { index: Number(match[1]), count: Number(match[2]) };
  }
  const root = path.resolve(io.cwd, values.root ?? '.');
  if (!isDirectory(root)) throw new UsageError(`--root: "${values.root ?? '.'}" is not a readable folder`);
  const paths = positionals.map((p) => path.resolve(io.cwd, p));
  for (const [i, p] of paths.entries()) {
    if (!fs.existsSync(p)) throw new UsageError(`path not found: ${positionals[i]}`);
    try {
      fs.accessSync(p, fs.constants.R_OK);
    } catch {
      throw new UsageError(`path not readable: ${positionals[i]}`);
    }
  }
  if (values.config !== undefined) {
    const configPath = path.resolve(io.cwd, values.config);
    if (!fs.existsSync(configPath)) throw new UsageError(`config file not found: ${values.config}`);
  }

  const linter = new Linter({
    root,
    rules: allRules,
    configFile: values.config !== undefined ? path.resolve(io.cwd, values.config) : undefined,
    overlay: { rules: ruleOverrides },
  });

  if (values['list-files']) {
    const { files } = linter.filesFor(paths);
    const listed = shard ? shardFiles(files, (f) => linter.project.relative(f), shard.index, shard.count) : files;
    io.stdout(listed.map((f) => linter.project.relative(f) + '\n').join(''));
    return 0;
  }
  const cache = values['no-cache'] ? undefined : new ResultCache(defaultCacheDirectory(root), root, linter.config.fingerprint);
  const auditOptions: AuditOptions = { paths, cache, parallel: {}, shard };
  let result = linter.audit(auditOptions);
  if (values.fix) {
    result = fixAll(linter, result, auditOptions);
  }
  if (ruleTimings) io.stderr(formatTimings(ruleTimings));
  if (values.quiet) result = { ...result, findings: result.findings.filter((f) => f.severity === 'error') };

  const readText = (filePath: string) => linter.project.readText(filePath);
  let output: string;
  switch (format) {
    case 'json':
      output = formatJson(result);
      break;
    case 'sarif':
      output = formatSarif(result, allRules, readText);
      break;
    case 'markdown':
      output = formatMarkdown(result, allRules, { readText });
      break;
    default:
      output = formatStylish(result, { color: !values['no-color'] && !values.output && Boolean(io.isTty), readText });
  }
  if (values.output) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(io.cwd, values.output)), { recursive: true });
      fs.writeFileSync(path.resolve(io.cwd, values.output), output);
    } catch (error) {
      throw new UsageError(`cannot write ${values.output}: ${(error as Error).message}`);
    }
  } else io.stdout(output);

  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  if (errors > 0) return 1;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr(`perflint: ${warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

/** Applies safe fixes until none apply (at most 10 passes), writing files, then re-audits. */
function fixAll(linter: Linter, first: AuditResult, auditOptions: AuditOptions): AuditResult {
  let result = first;
  for (let pass = 0; pass < 10; pass++) {
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      if (!f.fixes.some((fix) => fix.kind === 'safe')) continue;
      let list = byFile.get(f.path);
      if (!list) byFile.set(f.path, (list = []));
      list.push(f);
    }
    if (byFile.size === 0) break;
    let changed = false;
    for (const [file, findings] of byFile) {
      const text = linter.project.readText(file);
      if (text === undefined) continue;
      const fixes = findings.flatMap((f) => f.fixes.filter((fix) => fix.kind === 'safe').slice(0, 1));
      const { text: fixed, applied } = applyFixes(text, fixes, file);
      if (applied.length > 0 && fixed !== text) {
        fs.writeFileSync(file, fixed);
        linter.project.invalidate(file);
        changed = true;
      }
    }
    if (!changed) break;
    result = linter.audit(auditOptions);
  }
  return result;
}

/** PERFLINT_TIMING=1: time per rule over all threads, slowest first (stderr). */
function formatTimings(timings: ReadonlyMap<string, number>): string {
  const total = [...timings.values()].reduce((sum, ms) => sum + ms, 0) || 1;
  const rows = [...timings].sort((a, b) => b[1] - a[1]);
  const width = Math.max(4, ...rows.map(([id]) => id.length));
  return [`${'Rule'.padEnd(width)} | Time (ms) | Relative`, ...rows.map(([id, ms]) => `${id.padEnd(width)} | ${ms.toFixed(0).padStart(9)} | ${((100 * ms) / total).toFixed(1).padStart(7)}%`)].join('\n') + '\n';
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
