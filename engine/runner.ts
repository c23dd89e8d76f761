/**
 * Analyses one file: skip checks, tolerant parse, one traversal dispatching nodes to every enabled
 * rule, per-rule crash isolation, a per-file time budget, suppression directives.
 */
import * as ts from 'typescript';
import type { EnabledRule, ResolvedConfig } from './config';
import { LineIndex, lineCountOf } from './lines';
import { languageOf, nodesWhere } from './parse';
import type { Project } from './project';
import type { RelatedDescriptor, ReportDescriptor, RuleContext, RuleListener } from './rule';
import { applyDirectives, directiveRemovalRange, parseDirectives, unusedDirectives } from './suppressions';
import type { FileNote, FileResult, Finding, Language, LineColumnRange, OffsetRange, RelatedLocation, Severity } from './types';

/** Files larger than this are skipped with a note (1 MB). */
export const MAX_FILE_BYTES = 1024 * 1024;
/**
 * Time spent in each rule (ms, this thread), collected only when PERFLINT_TIMING is set: the CLI
 * then prints the slowest rules, as ESLint's TIMING=1 does.
 */
export const ruleTimings: Map<string, number> | undefined = typeof process !== 'undefined' && process.env.PERFLINT_TIMING ? new Map() : undefined;

/** Default wall-clock budget for analysing one file. */
export const DEFAULT_TIME_BUDGET_MS = 5000;

export interface AnalyzeOptions {
  /** Per-file time budget in ms (the traversal stops and a note names the rule). */
  timeBudgetMs?: number;
  /** Restrict to these rule ids (tests). */
  onlyRules?: ReadonlySet<string>;
  /** Run every enabled rule whatever its text gate says (tests compare both ways). */
  ignoreGates?: boolean;
  /**
   * The rules whose gates already let them run on this exact text (`rulesPassingGates`, asked by the
   * audit's triage before it hands the file to a worker): the gates are not asked again.
   */
  enabledRules?: ReadonlySet<string>;
  /** Called before each rule callback (a worker publishes the running rule for its watchdog). */
  onRuleStart?: (ruleId: string) => void;
}

const SEVERITY_ORDER: Severity[] = ['info', 'warning', 'error'];

function demote(severity: Severity, levels: number): Severity {
  return SEVERITY_ORDER[Math.max(0, SEVERITY_ORDER.indexOf(severity) - levels)];
}

/** Why a text should not be analysed, or undefined when it should (`lineCount`: lineCountOf(text), when known). */
export function skipReason(text: string, lineCount?: number): string | undefined {
  if (text.length > MAX_FILE_BYTES) return `larger than 1 MB (${(text.length / 1048576).toFixed(1)} MB); not analysed`;
  const head = text.length > 8192 ? text.slice(0, 8192) : text;
  if (head.includes('\u0000')) return 'binary content (NUL bytes); not analysed';
  // Minified: long average line length over a sizeable file (not counting an inline source map,
  // one long comment line that transpilers append to readable output).
  if (text.length >= 4096) {
    const lines = lineCount ?? lineCountOf(text);
    if (text.length / lines > 300 && (text.length - inlineSourceMapLength(text)) / lines > 300) return 'minified code; not analysed';
  }
  return undefined;
}

/** Length of a trailing `//# sourceMappingURL=data:…` comment line, or 0. */
function inlineSourceMapLength(text: string): number {
  const at = text.lastIndexOf('\n//# sourceMappingURL=data:');
  if (at < 0) return 0;
  const end = text.indexOf('\n', at + 1);
  return (end < 0 ? text.length : end) - at;
}

/** Analyses one file's text with the rules the configuration enables for it. */
export function analyzeFile(project: Project, config: ResolvedConfig, filePath: string, text: string, options: AnalyzeOptions = {}): FileResult {
  const language = languageOf(filePath);
  const result: FileResult = { path: filePath, language: language ?? 'typescript', lines: 0, findings: [], suppressedCount: 0, notes: [] };
  if (!language) {
    result.notes.push({ path: filePath, kind: 'skipped', message: 'not a TypeScript, JavaScript or Prisma file' });
    return result;
  }
  const lineCount = text.length <= MAX_FILE_BYTES ? lineCountOf(text) : 0;
  const reason = skipReason(text, lineCount);
  if (reason) {
    result.notes.push({ path: filePath, kind: 'skipped', message: reason });
    return result;
  }
  const lines = new LineIndex(text);
  result.lines = countLines(text, lineCount);

  const configured = configuredRules(config, project, filePath, language, options);
  // Text gates first: a rule that provably reports nothing here is not run, and a file no rule
  // needs is never parsed (most of a workspace, measured on the bench corpus).
  const enabled = options.enabledRules
    ? configured.filter((entry) => options.enabledRules!.has(entry.rule.id))
    : options.ignoreGates
      ? configured
      : gatedRules(configured, project, filePath, text, language, config, editorGatePasses(project, filePath, text));

  let sourceFile: ts.SourceFile | undefined;
  if (language === 'typescript' && enabled.length > 0) {
    try {
      // Between two analyses: an editor's previous tree of this file may be re-parsed incrementally.
      sourceFile = project.syntaxTree(filePath, text, { incremental: true });
    } catch (error) {
      result.notes.push({ path: filePath, kind: 'parse-error', message: `could not be parsed (${errorMessage(error)}); not analysed` });
      return result;
    }
  }

  const findings: Finding[] = [];
  const crashed = new Set<string>();
  const ruleFindings = new Map<string, Finding[]>();
  const listeners: Array<{ entry: EnabledRule; listener: RuleListener }> = [];

  const locOf = (range: OffsetRange): LineColumnRange => lines.loc(range);
  const rangeOfNode = (node: ts.Node): OffsetRange => ({ start: node.getStart(sourceFile), end: node.getEnd() });

  for (const entry of enabled) {
    const { rule } = entry;
    const own: Finding[] = [];
    ruleFindings.set(rule.id, own);
    const toRelated = (related: RelatedDescriptor): RelatedLocation => {
      const otherPath = related.path ?? filePath;
      const range = related.node ? rangeOfNode(related.node) : (related.range ?? { start: 0, end: 0 });
      const loc = otherPath === filePath ? locOf(range) : project.lineIndex(otherPath).loc(range);
      return { path: otherPath, range, loc, message: related.message };
    };
    const context: RuleContext = {
      ruleId: rule.id,
      path: filePath,
      text,
      language,
      sourceFile,
      options: entry.options,
      settings: config.settings,
      project,
      report(descriptor: ReportDescriptor) {
        const range = descriptor.node ? rangeOfNode(descriptor.node) : descriptor.range;
        if (!range) throw new Error('report() needs a node or a range');
        own.push({
          ruleId: rule.id,
          category: rule.meta.category,
          severity: descriptor.demote ? demote(entry.severity, descriptor.demote) : entry.severity,
          path: filePath,
          range: { start: range.start, end: Math.max(range.start, range.end) },
          loc: locOf(range),
          message: descriptor.message,
          related: (descriptor.related ?? []).map(toRelated),
          fixes: descriptor.fixes ?? [],
        });
      },
    };
    const createStarted = ruleTimings ? performance.now() : 0;
    try {
      listeners.push({ entry, listener: rule.create(context) });
      if (ruleTimings) ruleTimings.set(rule.id, (ruleTimings.get(rule.id) ?? 0) + performance.now() - createStarted);
    } catch (error) {
      recordCrash(rule.id, error);
    }
  }

  function recordCrash(ruleId: string, error: unknown): void {
    if (crashed.has(ruleId)) return;
    crashed.add(ruleId);
    result.notes.push({ path: filePath, kind: 'rule-crash', ruleId, message: `rule ${ruleId} crashed: ${errorMessage(error)}` });
  }

  const onRuleStart = options.onRuleStart;
  // `node` is passed through rather than bound in a closure per call: a keystroke in a 3,000-line
  // file makes ~10,000 handler calls, and their closures were ~0.4 MB of its garbage.
  const call = (ruleId: string, fn: (node: ts.Node) => void, node?: ts.Node) => {
    if (crashed.has(ruleId)) return;
    onRuleStart?.(ruleId);
    const started = ruleTimings ? performance.now() : 0;
    try {
      fn(node!);
    } catch (error) {
      recordCrash(ruleId, error);
    }
    if (ruleTimings) ruleTimings.set(ruleId, (ruleTimings.get(ruleId) ?? 0) + performance.now() - started);
  };

  for (const { entry, listener } of listeners) if (listener.onFileStart) call(entry.rule.id, listener.onFileStart);

  if (sourceFile) traverse(sourceFile, listeners, call, options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS, (ruleId) => {
    result.notes.push({ path: filePath, kind: 'time-budget', ruleId, message: `analysis stopped after the ${options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS} ms per-file time budget (slowest rule: ${ruleId}); findings may be incomplete` });
  });

  for (const { entry, listener } of listeners) if (listener.onFileEnd) call(entry.rule.id, listener.onFileEnd);

  for (const [ruleId, own] of ruleFindings) if (!crashed.has(ruleId)) findings.push(...own);

  const directives = parseDirectives(text, lines, language, {
    tree: sourceFile,
    jsx: !/\.[mc]?ts$/i.test(filePath),
    parse: () => {
      try {
        return project.syntaxTree(filePath, text);
      } catch {
        return undefined;
      }
    },
  });
  const { kept, suppressed } = applyDirectives(findings, directives);
  result.suppressedCount = suppressed;
  if (config.reportUnusedDisableDirectives !== 'off' && directives.length > 0) {
    const enabledIds = new Set(configured.map((entry) => entry.rule.id));
    for (const { directive, ruleId } of unusedDirectives(directives, enabledIds)) {
      const removal = directiveRemovalRange(text, directive, lines);
      kept.push({
        ruleId: 'unused-disable-directive',
        category: 'meta',
        severity: config.reportUnusedDisableDirectives,
        path: filePath,
        range: directive.range,
        loc: locOf(directive.range),
        message: ruleId
          ? `Unused perflint-disable directive: no ${ruleId} finding here to suppress.`
          : 'Unused perflint-disable directive: no finding here to suppress.',
        related: [],
        fixes: directive.ruleIds.length <= 1 ? [{ kind: 'safe', title: 'Remove unused perflint-disable directive', edits: [{ ...removal, text: '' }] }] : [],
      });
    }
  }
  kept.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.ruleId.localeCompare(b.ruleId));
  result.findings = kept;
  return result;
}

function configuredRules(config: ResolvedConfig, project: Project, filePath: string, language: Language, options: AnalyzeOptions): EnabledRule[] {
  const configured = config.rulesFor(project.relative(filePath)).filter((entry) => entry.rule.meta.languages.includes(language));
  return options.onlyRules ? configured.filter((entry) => options.onlyRules!.has(entry.rule.id)) : configured;
}

/**
 * The ids of the rules that would run on this text (their gates let them), without parsing:
 * undefined when the file is not analysed at all (not a source file, skipped). `analyzeFile` with
 * these as `enabledRules` gives the same result as without.
 */
export function rulesPassingGates(project: Project, config: ResolvedConfig, filePath: string, text: string, options: AnalyzeOptions = {}): string[] | undefined {
  const language = languageOf(filePath);
  if (!language || skipReason(text) !== undefined) return undefined;
  const configured = configuredRules(config, project, filePath, language, options);
  const enabled = options.ignoreGates ? configured : gatedRules(configured, project, filePath, text, language, config);
  return enabled.map((entry) => entry.rule.id);
}

/**
 * The rules whose gates let them run on this file. Costly gates come last, and only while the file
 * is not going to be parsed anyway (the rule then just runs, which costs less than the scan).
 * `passedBefore` (an editor document): rules whose gates let them run on an earlier text of it run
 * without asking again, and the rules that run now are added to it.
 */
function gatedRules(configured: EnabledRule[], project: Project, filePath: string, text: string, language: Language, config: ResolvedConfig, passedBefore?: Set<string>): EnabledRule[] {
  const passes = (entry: EnabledRule): boolean => passedBefore?.has(entry.rule.id) === true || passesGate(entry, project, filePath, text, language, config);
  const passing = new Set<EnabledRule>();
  let deferred = false;
  for (const entry of configured) {
    if (entry.rule.costlyGate) deferred = true;
    else if (passes(entry)) passing.add(entry);
  }
  const parsedAnyway = deferred && language === 'typescript' && (passing.size > 0 || project.hasSyntaxTree(filePath));
  const enabled = configured.filter((entry) => passing.has(entry) || (entry.rule.costlyGate === true && (parsedAnyway || passes(entry))));
  for (const entry of enabled) passedBefore?.add(entry.rule.id);
  return enabled;
}

/**
 * Per project and open editor document, the rules whose gates let them run on one of its texts.
 * On a keystroke, asking those gates again costs more than it can save: a gate is a superset of
 * its rule (a rule that runs where its gate would say no reports nothing, which the fuzz test
 * checks with `ignoreGates`), and an edit rarely takes away what made it say yes. On the keystroke
 * benchmark's document the gates cost ~2 ms per keystroke, scanning the whole text with regexes.
 * Rules whose gates said no are asked again on every text. Forgotten once the file is analysed
 * with a text that is not its editor text (closed, or an audit's read of the saved file).
 */
const gatePassesByProject = new WeakMap<Project, Map<string, Set<string>>>();

function editorGatePasses(project: Project, filePath: string, text: string): Set<string> | undefined {
  let byFile = gatePassesByProject.get(project);
  if (!project.isEditorText(filePath, text)) {
    byFile?.delete(filePath);
    return undefined;
  }
  if (!byFile) gatePassesByProject.set(project, (byFile = new Map()));
  let passed = byFile.get(filePath);
  if (!passed) byFile.set(filePath, (passed = new Set()));
  return passed;
}

/** Whether the rule's text gate lets it run on this file (no gate, or a crashing one: it runs). */
function passesGate(entry: EnabledRule, project: Project, filePath: string, text: string, language: Language, config: ResolvedConfig): boolean {
  const gate = entry.rule.mayReport;
  if (!gate) return true;
  const started = ruleTimings ? performance.now() : 0;
  let pass = true;
  try {
    pass = gate.call(entry.rule, { path: filePath, text, language, options: entry.options, settings: config.settings, project });
  } catch {
    // the rule itself runs and records its crash, if it has one
  }
  if (ruleTimings) ruleTimings.set(entry.rule.id, (ruleTimings.get(entry.rule.id) ?? 0) + performance.now() - started);
  return pass;
}

/**
 * Pre-order traversal (the node list recorded while parsing: deeply nested input cannot overflow
 * the stack here), dispatching each node to the handlers registered for its kind.
 */
function traverse(
  sourceFile: ts.SourceFile,
  listeners: Array<{ entry: EnabledRule; listener: RuleListener }>,
  call: (ruleId: string, fn: (node: ts.Node) => void, node?: ts.Node) => void,
  budgetMs: number,
  onBudgetExceeded: (ruleId: string) => void,
): void {
  const byKind = new Map<number, Array<{ ruleId: string; handler: (node: ts.Node) => void }>>();
  for (const { entry, listener } of listeners) {
    for (const key of Object.keys(listener)) {
      const kind = Number(key);
      if (!Number.isInteger(kind)) continue;
      const handler = listener[kind];
      if (!handler) continue;
      let list = byKind.get(kind);
      if (!list) byKind.set(kind, (list = []));
      list.push({ ruleId: entry.rule.id, handler });
    }
  }
  if (byKind.size === 0) return;
  const started = performance.now();
  // The clock is read every 16 callbacks; the time since the previous reading is charged to the
  // rule that ran last, so the rule named when the budget runs out is the one that used it.
  let lastCheck = started;
  const charged = new Map<string, number>();
  let calls = 0;
  // Only the nodes some rule handles (a keystroke then revisits just the re-parsed statements' nodes, see nodesWhere).
  const nodes = nodesWhere(sourceFile, kindFilter([...byKind.keys()]));
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index];
    const handlers = byKind.get(node.kind);
    if (handlers) {
      for (const { ruleId, handler } of handlers) {
        call(ruleId, handler, node);
        if ((++calls & 15) === 0) {
          const now = performance.now();
          charged.set(ruleId, (charged.get(ruleId) ?? 0) + (now - lastCheck));
          lastCheck = now;
          if (now - started > budgetMs) {
            let heaviest = ruleId;
            for (const [id, ms] of charged) if (ms > (charged.get(heaviest) ?? 0)) heaviest = id;
            onBudgetExceeded(heaviest);
            return;
          }
        }
      }
    }
  }
}

/** One filter object per set of handled kinds (nodesWhere keeps its lists per filter). */
const kindFilters = new Map<string, (node: ts.Node) => boolean>();

function kindFilter(kinds: number[]): (node: ts.Node) => boolean {
  const key = kinds.sort((a, b) => a - b).join(',');
  let filter = kindFilters.get(key);
  if (!filter) {
    const handled = new Uint8Array(Math.max(0, ...kinds) + 1);
    for (const kind of kinds) handled[kind] = 1;
    filter = (node) => handled[node.kind] === 1;
    kindFilters.set(key, filter);
  }
  return filter;
}

function errorMessage(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'nesting too deep';
  return error instanceof Error ? error.message : String(error);
}

/** Lines of a text, not counting the empty line after a final newline. */
export function countLines(text: string, lineCount: number): number {
  if (text.length === 0) return 0;
  const last = text.charCodeAt(text.length - 1);
  return lineCount - (last === 10 || last === 13 ? 1 : 0);
}
