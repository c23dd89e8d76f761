/**
 * The rule tester: valid cases must produce no finding of the rule; invalid cases must produce
 * exactly the listed findings (message, position, severity) and, for each fix, the listed output.
 * Every fix offered in an invalid case, listed or not, is applied and checked: the result must
 * parse with no new syntax errors and must no longer contain the finding it targets.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import {
  applyFixes,
  Linter,
  memoryFileSystem,
  resolveConfig,
  type Finding,
  type Fix,
  type Rule,
  type RuleSetting,
  type Severity,
} from '../../engine';

/** Workspace root used by every case (an in-memory file system). */
export const CASE_ROOT = path.resolve('/virtual/workspace');

export interface CaseBase {
  code: string;
  /** Path of the case file relative to the workspace root (default src/case.ts). */
  filename?: string;
  /** Other workspace files (relative path → text): imported modules, schema.prisma, package.json… */
  files?: Record<string, string>;
  /** Rule options. */
  options?: Record<string, unknown>;
  /** Shared settings overrides (defaultPageSize…). */
  settings?: Record<string, unknown>;
  name?: string;
  only?: boolean;
}

export interface ExpectedFix {
  title: string | RegExp;
  /**
   * Text of the edited file after applying only this fix; omitted, only the title is checked (every
   * fix is still applied, and must parse and stop its finding, `checkFixResult`).
   */
  output?: string;
  /** The edited file when it is not the case file (relative path). */
  file?: string;
}

export interface ExpectedFinding {
  message?: string | RegExp;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity?: Severity;
  /** Number of related locations. */
  related?: number;
  /** Exactly these fixes, in order (omit to skip checking the list; [] means "no fix"). */
  fixes?: ExpectedFix[];
}

export interface InvalidCase extends CaseBase {
  errors: ExpectedFinding[];
}

export type ValidCase = string | CaseBase;

/** Extra syntax checks per file extension (the Prisma schema support registers one). */
const syntaxCheckers = new Map<string, (text: string, filePath: string) => string[]>();

/** Registers a syntax checker used to validate fix outputs of files with this extension. */
export function registerSyntaxChecker(extension: string, check: (text: string, filePath: string) => string[]): void {
  syntaxCheckers.set(extension, check);
}

function syntaxErrors(filePath: string, text: string): string[] {
  const ext = path.extname(filePath);
  const checker = syntaxCheckers.get(ext);
  if (checker) return checker(text, filePath);
  if (ext === '.prisma') return [];
  const sourceFile = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, filePath.endsWith('x') || ext === '.js' ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  return ((sourceFile as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

interface RunResult {
  findings: Finding[];
  linter: Linter;
  filePath: string;
  files: Record<string, string>;
}

/** Lints a case with only `rule` enabled and returns its findings. */
export function lintCase(rule: Rule, testCase: CaseBase, extraFiles: Record<string, string> = {}): RunResult {
  const filename = testCase.filename ?? 'src/case.ts';
  const files: Record<string, string> = { ...testCase.files, ...extraFiles };
  if (!(filename in extraFiles)) files[filename] = testCase.code;
  const absolute = Object.fromEntries(Object.entries(files).map(([p, t]) => [path.join(CASE_ROOT, p), t]));
  const rules: Record<string, RuleSetting> = { [rule.id]: testCase.options ? [rule.meta.defaultSeverity, testCase.options] : rule.meta.defaultSeverity };
  const config = resolveConfig({ rules, settings: testCase.settings as never, reportUnusedDisableDirectives: 'off' }, [rule]);
  const linter = new Linter({ root: CASE_ROOT, rules: [rule], host: memoryFileSystem(absolute), config });
  const filePath = path.join(CASE_ROOT, filename);
  const result = linter.analyzeText(filePath, files[filename]);
  const crash = result.notes.find((n) => n.kind === 'rule-crash' || n.kind === 'parse-error');
  if (crash) throw new Error(`${crash.kind}: ${crash.message}`);
  return { findings: result.findings.filter((f) => f.ruleId === rule.id), linter, filePath, files };
}

function matches(expected: string | RegExp, actual: string): boolean {
  return typeof expected === 'string' ? expected === actual : expected.test(actual);
}

function describeFinding(f: Finding): string {
  return `${f.loc.line}:${f.loc.column}-${f.loc.endLine}:${f.loc.endColumn} [${f.severity}] ${f.message}`;
}

/** Applies one fix to the case and returns the edited file's relative path and new text. */
function applyOne(run: RunResult, fix: Fix): { file: string; text: string } {
  const target = fix.edits[0]?.path ?? run.filePath;
  for (const edit of fix.edits) {
    assert.equal(path.resolve(edit.path ?? run.filePath), path.resolve(target), `fix "${fix.title}" edits more than one file`);
  }
  const relative = path.relative(CASE_ROOT, target).split(path.sep).join('/');
  const before = run.files[relative];
  assert.notEqual(before, undefined, `fix "${fix.title}" edits a file that is not part of the case: ${relative}`);
  const { text, applied } = applyFixes(before, [{ ...fix, edits: fix.edits.map((e) => ({ ...e, path: undefined })) }]);
  assert.equal(applied.length, 1, `fix "${fix.title}" has overlapping or out-of-range edits`);
  return { file: relative, text };
}

/** Checks that a fix output parses and no longer triggers the finding it targets. */
function checkFixResult(rule: Rule, testCase: CaseBase, run: RunResult, finding: Finding, fix: Fix): { file: string; text: string } {
  const applied = applyOne(run, fix);
  const errorsBefore = syntaxErrors(applied.file, run.files[applied.file]).length;
  const errorsAfter = syntaxErrors(applied.file, applied.text);
  assert.ok(errorsAfter.length <= errorsBefore, `fix "${fix.title}" produced code that does not parse:\n${errorsAfter.join('\n')}\n---\n${applied.text}`);
  const rerun = lintCase(rule, testCase, { [applied.file]: applied.text });
  const before = run.findings.length;
  const sameStillThere = rerun.findings.some((f) => f.message === finding.message && applied.file !== (testCase.filename ?? 'src/case.ts') && f.range.start === finding.range.start);
  assert.ok(
    rerun.findings.length < before && !sameStillThere,
    `fix "${fix.title}" did not remove its finding (${before} → ${rerun.findings.length}):\n${rerun.findings.map(describeFinding).join('\n')}\n---\n${applied.text}`,
  );
  return applied;
}

/** Registers node:test cases for a rule. */
export function ruleTester(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    describe('valid', () => {
      for (const [i, raw] of cases.valid.entries()) {
        const testCase = typeof raw === 'string' ? { code: raw } : raw;
        it(testCase.name ?? `valid #${i + 1}: ${firstLine(testCase.code)}`, { only: testCase.only }, () => {
          const { findings } = lintCase(rule, testCase);
          assert.deepEqual(findings.map(describeFinding), [], 'expected no findings');
        });
      }
    });
    describe('invalid', () => {
      for (const [i, testCase] of cases.invalid.entries()) {
        it(testCase.name ?? `invalid #${i + 1}: ${firstLine(testCase.code)}`, { only: testCase.only }, () => {
          assert.ok(testCase.errors.length > 0, 'an invalid case must expect at least one finding');
          const run = lintCase(rule, testCase);
          assert.equal(run.findings.length, testCase.errors.length, `expected ${testCase.errors.length} finding(s), got:\n${run.findings.map(describeFinding).join('\n')}`);
          testCase.errors.forEach((expected, j) => {
            const actual = run.findings[j];
            const label = `finding ${j + 1} (${describeFinding(actual)})`;
            if (expected.message !== undefined) assert.ok(matches(expected.message, actual.message), `${label}: message mismatch, expected ${expected.message}`);
            if (expected.line !== undefined) assert.equal(actual.loc.line, expected.line, `${label}: line`);
            if (expected.column !== undefined) assert.equal(actual.loc.column, expected.column, `${label}: column`);
            if (expected.endLine !== undefined) assert.equal(actual.loc.endLine, expected.endLine, `${label}: endLine`);
            if (expected.endColumn !== undefined) assert.equal(actual.loc.endColumn, expected.endColumn, `${label}: endColumn`);
            if (expected.severity !== undefined) assert.equal(actual.severity, expected.severity, `${label}: severity`);
            if (expected.related !== undefined) assert.equal(actual.related.length, expected.related, `${label}: related locations`);
            if (expected.fixes !== undefined) {
              assert.deepEqual(actual.fixes.map((f) => f.title).length, expected.fixes.length, `${label}: fixes offered: ${actual.fixes.map((f) => f.title).join(' | ')}`);
            }
            for (const [k, fix] of actual.fixes.entries()) {
              const applied = checkFixResult(rule, testCase, run, actual, fix);
              const wanted = expected.fixes?.[k];
              if (wanted) {
                assert.ok(matches(wanted.title, fix.title), `${label}: fix ${k + 1} title "${fix.title}" does not match ${wanted.title}`);
                if (wanted.file) assert.equal(applied.file, wanted.file, `${label}: fix ${k + 1} edits ${applied.file}`);
                if (wanted.output !== undefined) assert.equal(applied.text, wanted.output, `${label}: fix ${k + 1} output`);
              }
            }
          });
        });
      }
    });
  });
}

function firstLine(code: string): string {
  const line = code.trim().split('\n').find((l) => l.trim() && !l.trim().startsWith('declare') && !l.trim().startsWith('import')) ?? code.trim().split('\n')[0];
  return line.trim().slice(0, 70);
}
