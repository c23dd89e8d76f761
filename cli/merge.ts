/**
 * `perflint merge a.json b.json …`: combines the reports of sharded runs (`--shard i/n`) into one,
 * as if the whole workspace had been audited at once. All inputs must be of one kind (JSON or
 * SARIF) and share a root; the output has that kind. Files and lines are summed, findings and notes
 * concatenated in order, the duration is the longest shard's (shards run side by side), and the
 * score is recomputed from the merged findings with engine/score.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { computeScore, PERFLINT_VERSION, type Category, type JsonFinding, type JsonReport, type Severity } from '../engine';

export class MergeError extends Error {}

export const MERGE_USAGE = `Usage: perflint merge [--output <file>] <report> <report> [...]

Combines JSON or SARIF reports of sharded runs (perflint --shard i/n) and recomputes the score.
`;

interface MergeIo {
  cwd: string;
  stdout: (text: string) => void;
}

/** Runs `perflint merge`; returns the exit code (1 when the merged report has an error finding). */
export function runMerge(argv: string[], io: MergeIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new MergeError(`merge: ${(error instanceof Error ? error.message.split('\n')[0] : String(error)).replace(/\. To specify.*$/, '')} (see perflint merge --help)`);
  }
  if (parsed.values.help) {
    io.stdout(MERGE_USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new MergeError('merge: give the reports to merge (perflint merge a.json b.json …)');
  const inputs = parsed.positionals.map((file) => readReport(path.resolve(io.cwd, file), file));
  const kinds = new Set(inputs.map((input) => input.kind));
  if (kinds.size > 1) throw new MergeError('merge: all reports must be of one kind (all JSON or all SARIF)');
  let output: string;
  let errors: number;
  if (inputs[0].kind === 'json') {
    const merged = mergeJson(inputs.map((input) => input.value as JsonReport), parsed.positionals);
    errors = merged.findings.filter((f) => f.severity === 'error').length;
    output = JSON.stringify(merged, null, 2) + '\n';
  } else {
    const merged = mergeSarif(inputs.map((input) => input.value as Sarif), parsed.positionals);
    errors = merged.runs[0].results.filter((r) => r.level === 'error').length;
    output = JSON.stringify(merged, null, 2) + '\n';
  }
  if (parsed.values.output) {
    const target = path.resolve(io.cwd, parsed.values.output);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, output);
    } catch (error) {
      throw new MergeError(`merge: cannot write ${parsed.values.output}: ${(error as Error).message}`);
    }
  } else io.stdout(output);
  return errors > 0 ? 1 : 0;
}

function readReport(file: string, shown: string): { kind: 'json' | 'sarif'; value: unknown } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new MergeError(`merge: cannot read ${shown}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MergeError(`merge: ${shown} is not JSON (${(error as Error).message})`);
  }
  const object = value as Record<string, unknown> | null;
  if (object && typeof object === 'object' && object.version === '2.1.0' && Array.isArray(object.runs) && object.runs.length === 1) return { kind: 'sarif', value };
  if (object && typeof object === 'object' && Array.isArray(object.findings) && typeof object.linesScanned === 'number' && typeof object.filesScanned === 'number') {
    return { kind: 'json', value };
  }
  throw new MergeError(`merge: ${shown} is neither a perflint JSON report nor a SARIF 2.1.0 log with one run`);
}

function sameRoot(roots: string[], names: string[]): string {
  const first = roots[0];
  const other = roots.findIndex((root) => root !== first);
  if (other >= 0) throw new MergeError(`merge: ${names[other]} was audited from root ${roots[other]}, ${names[0]} from ${first}`);
  return first;
}

const byLocation = (a: JsonFinding, b: JsonFinding) =>
  (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);

export function mergeJson(reports: JsonReport[], names: string[]): JsonReport {
  const root = sameRoot(reports.map((r) => r.root), names);
  const findings = reports.flatMap((r) => r.findings).sort(byLocation);
  const linesScanned = reports.reduce((sum, r) => sum + r.linesScanned, 0);
  const score = computeScore(findings.map((f) => ({ category: f.category as Category, severity: f.severity as Severity })), linesScanned);
  return {
    version: PERFLINT_VERSION,
    root,
    filesScanned: reports.reduce((sum, r) => sum + r.filesScanned, 0),
    linesScanned,
    durationMs: Math.max(0, ...reports.map((r) => r.durationMs)),
    findings,
    score: { overall: score.overall, grade: score.grade, categories: { ...score.categories } },
    notes: reports.flatMap((r) => r.notes ?? []),
  };
}

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: 'error' | 'warning' | 'note';
  [key: string]: unknown;
}

interface SarifRun {
  tool: { driver: { rules: Array<{ id: string; properties?: { category?: string } }>; [key: string]: unknown } };
  originalUriBaseIds?: { '%SRCROOT%'?: { uri: string } };
  results: SarifResult[];
  invocations?: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: unknown[] }>;
  properties?: { score?: unknown; filesScanned?: number; linesScanned?: number };
  [key: string]: unknown;
}

interface Sarif {
  version: string;
  runs: SarifRun[];
  [key: string]: unknown;
}

const SEVERITY_OF_LEVEL: Record<string, Severity> = { error: 'error', warning: 'warning', note: 'info' };

export function mergeSarif(logs: Sarif[], names: string[]): Sarif {
  const runs = logs.map((log) => log.runs[0]);
  sameRoot(runs.map((run) => run.originalUriBaseIds?.['%SRCROOT%']?.uri ?? ''), names);
  const rules: SarifRun['tool']['driver']['rules'] = [];
  const indexOf = new Map<string, number>();
  for (const run of runs) {
    for (const rule of run.tool.driver.rules ?? []) {
      if (!indexOf.has(rule.id)) {
        indexOf.set(rule.id, rules.length);
        rules.push(rule);
      }
    }
  }
  const results = runs.flatMap((run) => run.results.map((result) => ({ ...result, ruleIndex: indexOf.get(result.ruleId) })));
  const linesScanned = runs.reduce((sum, run) => sum + (run.properties?.linesScanned ?? 0), 0);
  const filesScanned = runs.reduce((sum, run) => sum + (run.properties?.filesScanned ?? 0), 0);
  const categoryOf = (ruleId: string) => (rules[indexOf.get(ruleId) ?? -1]?.properties?.category ?? 'meta') as Category;
  const score = computeScore(results.map((r) => ({ category: categoryOf(r.ruleId), severity: SEVERITY_OF_LEVEL[r.level] ?? 'info' })), linesScanned);
  const first = runs[0];
  return {
    ...logs[0],
    runs: [
      {
        ...first,
        tool: { ...first.tool, driver: { ...first.tool.driver, rules } },
        results,
        invocations: [
          {
            executionSuccessful: runs.every((run) => run.invocations?.every((i) => i.executionSuccessful) ?? true),
            toolExecutionNotifications: runs.flatMap((run) => run.invocations?.flatMap((i) => i.toolExecutionNotifications ?? []) ?? []),
          },
        ],
        properties: { ...first.properties, score, filesScanned, linesScanned },
      },
    ],
  };
}
