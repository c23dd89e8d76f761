/**
 * super-linear-regex: a regex whose worst-case matching time is super-linear in the input length
 * (ReDoS), found by analysing the regex AST with scslre (the analysis eslint-plugin-regexp uses):
 * nested or adjacent quantifiers that can match the same characters in many ways backtrack
 * exponentially or polynomially on a crafted input. The message names that input's shape.
 */
import type { AST } from '@eslint-community/regexpp';
import { isDisjointWith, JS, NFA, type CharSet } from 'refa';
import { getFirstConsumedChar, getFirstConsumedCharAfter, isPotentiallyEmpty, toCharSet } from 'regexp-ast-analysis';
import { analyse, type Report } from 'scslre';
import * as ts from 'typescript';
import { defineRule, type RuleContext } from '../engine/rule';
import type { Fix } from '../engine/types';
import { constantRegex, parseRegex, REGEXP_CALL_TEXT, regexConstruction, regexLiteralCandidates, regexLiteralParts, toRegexLiteral, toStringLiteral } from '../engine/regex';
import { isTestPath } from '../engine/ts/modules';
import { skipOuterExpressions } from '../engine/ts/scope';

/** Patterns longer than this are not analysed (the analysis is exponential in the worst case). */
const MAX_PATTERN_LENGTH = 2000;
/** Literal-shaped pieces of one file the gate analyses before it lets the file through unexamined. */
const MAX_GATE_CANDIDATES = 1000;

/**
 * Ambiguous alternatives under an unbounded quantifier, which scslre does not look for:
 * in `(a|aa)+` the text `aa` is one `aa` or two `a`s, so a run of n `a`s has exponentially many
 * parses, and the engine tries them all when the rest of the pattern fails.
 */
interface AlternationReport {
  type: 'Alternation';
  quant: AST.Quantifier;
  /** The alternative whose text the other one can also produce (alone or followed by more iterations). */
  whole: AST.Alternative;
  split: AST.Alternative;
  /** `overlap`: both alternatives match the same text; `split`: `split` repeated matches what `whole` matches. */
  how: 'overlap' | 'split';
  exponential: true;
  character: { pick: string; set: CharSet };
}

type Cause = Report | AlternationReport;

interface Analysis {
  report: Cause;
  /** scslre's rewrite that removes every reported cause, checked to re-analyse clean. */
  fixed: { source: string; flags: string } | undefined;
  flags: AST.Flags;
}

export default defineRule({
  id: 'super-linear-regex',
  meta: {
    category: 'regex',
    defaultSeverity: 'error',
    description: 'A regex can take exponential or polynomial time on a crafted input (ReDoS).',
    fix: 'safe',
    languages: ['typescript'],
    defaultOptions: { moves: false },
    optionsSchema: {
      type: 'object',
      properties: {
        moves: {
          type: 'boolean',
          description: 'Also report quadratic "moves" (an unanchored quantifier retried from every start position, like /\\s+$/), not only backtracking.',
        },
      },
      additionalProperties: false,
    },
    // 3: causes whose continuation always matches (`[\s\S]*$`, an empty alternative) are not reported
    version: 3,
  },
  // A `RegExp(…)` call, or a literal-shaped piece of text whose pattern analyses as super-linear;
  // not in tests, whose regexes only ever see the tests' own inputs.
  mayReport({ project, path: filePath, text, options }) {
    if (isTestPath(project.relative(filePath))) return false;
    if (REGEXP_CALL_TEXT.test(text)) return true;
    const moves = options.moves === true;
    let analysed = 0;
    for (const { source, flags } of regexLiteralCandidates(text, true, MAX_PATTERN_LENGTH)) {
      // Text made of slashes and quantifiers (crafted or generated) goes to the parse instead,
      // where the per-file time budget applies.
      if (++analysed > MAX_GATE_CANDIDATES) return true;
      if (analyseCached(source, flags, moves)) return true;
    }
    return false;
  },
  create(context) {
    const sourceFile = context.sourceFile;
    if (!sourceFile || isTestPath(context.project.relative(context.path))) return {};
    const moves = context.options.moves === true;
    const onConstruction = (node: ts.NewExpression | ts.CallExpression) => {
      const construction = regexConstruction(node);
      if (!construction?.pattern || ts.isRegularExpressionLiteral(skipOuterExpressions(construction.pattern))) return;
      const constant = constantRegex(construction);
      if (!constant) return;
      const pattern = skipOuterExpressions(construction.pattern);
      // Offsets inside the pattern map 1:1 to the file only for an escape-free string literal.
      const raw = ts.isStringLiteral(pattern) || ts.isNoSubstitutionTemplateLiteral(pattern) ? pattern.getText(sourceFile).slice(1, -1) : undefined;
      const patternStart = raw === constant.source ? pattern.getStart(sourceFile) + 1 : undefined;
      check(context, sourceFile, constant.source, constant.flags, moves, {
        node: pattern,
        patternStart,
        rewrite: ts.isStringLiteral(pattern) ? (source) => toStringLiteral(source, pattern.getText(sourceFile)[0] as "'" | '"') : undefined,
      });
    };
    return {
      [ts.SyntaxKind.RegularExpressionLiteral](node: ts.RegularExpressionLiteral) {
        const { source, flags } = regexLiteralParts(node);
        check(context, sourceFile, source, flags, moves, { node, patternStart: node.getStart(sourceFile) + 1, rewrite: (fixed, fixedFlags) => toRegexLiteral(fixed, fixedFlags) });
      },
      [ts.SyntaxKind.NewExpression]: onConstruction,
      [ts.SyntaxKind.CallExpression]: onConstruction,
    };
  },
});

interface Target {
  node: ts.Node;
  /** File offset of the pattern's first character when offsets map 1:1, else undefined (report the whole node). */
  patternStart: number | undefined;
  /** Prints a fixed pattern in the node's syntax (regex literal or string literal); undefined when not rewritable. */
  rewrite: ((source: string, flags: string) => string) | undefined;
}

function check(context: RuleContext, sourceFile: ts.SourceFile, source: string, flags: string, moves: boolean, target: Target): void {
  if (source.length > MAX_PATTERN_LENGTH) return;
  const result = analyseCached(source, flags, moves);
  if (!result) return;
  const { report, fixed } = result;
  const quantifiers = involvedQuantifiers(report);
  const range =
    target.patternStart !== undefined
      ? { start: target.patternStart + Math.min(...quantifiers.map((q) => q.start)), end: target.patternStart + Math.max(...quantifiers.map((q) => q.end)) }
      : { start: target.node.getStart(sourceFile), end: target.node.end };
  const fixes: Fix[] = [];
  if (fixed && target.rewrite) {
    // For a `new RegExp(string, flags)` call only the pattern string is rewritten; the flags stay.
    const text = ts.isRegularExpressionLiteral(target.node) ? target.rewrite(fixed.source, fixed.flags) : target.rewrite(fixed.source, flags);
    fixes.push({
      kind: 'safe',
      title: 'Rewrite the regex so it cannot backtrack super-linearly (same matches)',
      edits: [{ start: target.node.getStart(sourceFile), end: target.node.end, text }],
    });
  }
  context.report({ range, message: describe(report, result.flags), demote: report.exponential ? undefined : 1, fixes });
}

const cache = new Map<string, Analysis | null>();

/** The most severe report for a regex (exponential, then backtracking, then moves), cached by pattern. */
function analyseCached(source: string, flags: string, moves: boolean): Analysis | undefined {
  const key = `${moves ? 'm' : '-'}${flags}/${source}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const value = analyseRegex(source, flags, moves);
  if (cache.size > 5000) cache.clear();
  cache.set(key, value ?? null);
  return value;
}

function analyseRegex(source: string, flags: string, moves: boolean): Analysis | undefined {
  const parsed = parseRegex(source, flags);
  if (!parsed || !mayBacktrackSuperLinearly(parsed.pattern, moves)) return undefined;
  const reports = relevantReports(parsed, moves);
  const rank = (r: Report) => (r.exponential ? 0 : r.type === 'Move' ? 2 : 1);
  const report = [...reports].sort((a, b) => rank(a) - rank(b))[0];
  if (!report || !report.exponential) {
    const alternation = alternationAmbiguity(parsed);
    if (alternation) return { report: alternation, fixed: undefined, flags: parsed.flags };
  }
  if (!report) return undefined;
  return { report, fixed: checkedFix(reports, moves), flags: parsed.flags };
}

/**
 * A necessary condition for any report, read from the AST before the costly analyses (most regexes
 * of a workspace have at most one unbounded quantifier and fail it). scslre only looks at unbounded
 * quantifiers (`max === Infinity`): a Trade needs two, a Self one inside another quantifier, a Move
 * one (when moves are reported); the alternation check needs one over a group of alternatives.
 */
export function mayBacktrackSuperLinearly(pattern: AST.Pattern, moves: boolean): boolean {
  let unbounded = 0;
  let risky = false;
  const visit = (node: AST.Node, insideQuantifier: boolean): void => {
    if (risky) return;
    if (node.type === 'Quantifier' && node.max === Infinity) {
      unbounded++;
      const element = node.element;
      const alternatives = (element.type === 'Group' || element.type === 'CapturingGroup') && element.alternatives.length >= 2;
      if (unbounded >= 2 || moves || insideQuantifier || alternatives) risky = true;
    }
    for (const child of childrenOf(node)) visit(child, insideQuantifier || node.type === 'Quantifier');
  };
  visit(pattern, false);
  return risky;
}

function relevantReports(parsed: { pattern: AST.Pattern; flags: AST.Flags }, moves: boolean): Report[] {
  try {
    return analyse(parsed, { reportTypes: { Move: moves } }).reports.filter((report) => !alwaysMatchesAfter(involvedQuantifiers(report)[report.type === 'Self' ? 1 : 0], parsed.flags));
  } catch {
    return [];
  }
}

/**
 * Positions the rest of a pattern can reach for every input: `any` (wherever the last element
 * stopped), `lineEnd` (before the next `\n`, or at the end of the input) and `end` (the end of the input).
 */
type Reach = 'any' | 'lineEnd' | 'end';

/**
 * Whether everything after `quantifier` matches, whatever the input: then the engine never comes
 * back into the quantifier, and the backtracking a report describes cannot happen. `[\s\S]*$` after
 * it (the rest of the input, then its end), an alternative that matches the empty string
 * (`(?:(?=…)|[\s\S]*)`), or `[^\n]*(?:\n|$)`. Conservative: lookbehinds, negative lookaheads, anchors
 * other than `$`, backreferences and characters are taken to fail, and so is a quantifier inside a
 * repeated element or a lookaround.
 */
function alwaysMatchesAfter(quantifier: AST.Quantifier | undefined, flags: AST.Flags): boolean {
  if (!quantifier) return false;
  let reach: Set<Reach> | undefined = new Set(['any']);
  let current: AST.Node = quantifier;
  for (;;) {
    const parent: AST.Node | null = current.parent;
    if (!parent || parent.type === 'Pattern') return true;
    if (parent.type === 'Alternative') {
      reach = sequenceReach(parent.elements.slice(parent.elements.indexOf(current as AST.Element) + 1), reach, flags);
      if (!reach) return false;
      current = parent;
    } else if (parent.type === 'Group' || parent.type === 'CapturingGroup') current = parent;
    else return false; // inside a quantifier or a lookaround
  }
}

function sequenceReach(elements: readonly AST.Element[], from: Set<Reach>, flags: AST.Flags): Set<Reach> | undefined {
  let reach: Set<Reach> | undefined = from;
  for (const element of elements) {
    reach = elementReach(element, reach, flags);
    if (!reach) return undefined;
  }
  return reach;
}

function elementReach(element: AST.Element, from: Set<Reach>, flags: AST.Flags): Set<Reach> | undefined {
  const next = new Set<Reach>();
  if (element.type === 'Quantifier') {
    if (element.min !== 0) return undefined;
    for (const r of from) next.add(r);
    const consumes = element.max === Infinity ? consumedCharacters(element.element, flags) : undefined;
    if (consumes === 'all') next.add('end');
    if (consumes === 'line') next.add('lineEnd');
    return next;
  }
  if (element.type === 'Assertion' && element.kind === 'end') {
    if (from.has('end')) next.add('end');
    if (flags.multiline && from.has('lineEnd')) next.add('lineEnd');
    return next.size > 0 ? next : undefined;
  }
  // `(?=[<*_]|$)`: a lookahead keeps the positions from which one of its alternatives always matches
  if (element.type === 'Assertion' && element.kind === 'lookahead' && !element.negate) {
    for (const r of from) if (element.alternatives.some((alternative) => sequenceReach(alternative.elements, new Set([r]), flags) !== undefined)) next.add(r);
    return next.size > 0 ? next : undefined;
  }
  if (element.type === 'Group' || element.type === 'CapturingGroup') {
    for (const alternative of element.alternatives) for (const r of sequenceReach(alternative.elements, from, flags) ?? []) next.add(r);
    // `(?:\n|$)` at the end of a line: one of the two matches, whichever the input
    if (from.has('lineEnd') && element.alternatives.some((a) => isLineBreak(a, flags)) && element.alternatives.some((a) => a.elements.length === 1 && a.elements[0].type === 'Assertion' && a.elements[0].kind === 'end')) next.add('any');
    return next.size > 0 ? next : undefined;
  }
  return undefined;
}

/** What an unbounded repetition of `element` can always consume: the whole input, the rest of the line, or less. */
function consumedCharacters(element: AST.QuantifiableElement, flags: AST.Flags): 'all' | 'line' | undefined {
  if (element.type !== 'Character' && element.type !== 'CharacterClass' && element.type !== 'CharacterSet') return undefined;
  try {
    const set = toCharSet(element as AST.Character, flags);
    if (set.isAll) return 'all';
    // everything but `\n` (`[^\n]`): it runs to the next `\n` or the end (`.` also stops at `\r`: not this)
    const missing = set.negate().ranges;
    return missing.length === 1 && missing[0].min === 0x0a && missing[0].max === 0x0a ? 'line' : undefined;
  } catch {
    return undefined;
  }
}

/** An alternative that is one line terminator (`\n`, `\r?\n` read as `\n` alone is not). */
function isLineBreak(alternative: AST.Alternative, flags: AST.Flags): boolean {
  const only = alternative.elements.length === 1 ? alternative.elements[0] : undefined;
  if (!only || (only.type !== 'Character' && only.type !== 'CharacterClass')) return false;
  try {
    return toCharSet(only as AST.Character, flags).has(0x0a);
  } catch {
    return false;
  }
}

/**
 * Applies scslre's fixes one report at a time (each fix re-parses and re-analyses), and returns
 * the result only when nothing is reported any more.
 */
function checkedFix(reports: Report[], moves: boolean): { source: string; flags: string } | undefined {
  let current = reports;
  let literal: { source: string; flags: string } | undefined;
  for (let round = 0; round < 5 && current.length > 0; round++) {
    const next = current[0].fix();
    if (!next) return undefined;
    literal = { source: next.source, flags: next.flags };
    const reparsed = parseRegex(next.source, next.flags);
    if (!reparsed || alternationAmbiguity(reparsed)) return undefined;
    current = relevantReports(reparsed, moves);
  }
  return current.length === 0 ? literal : undefined;
}

/** Limit on automaton sizes for the alternation check (bigger patterns are skipped). */
const MAX_NODES = 5000;

function alternationAmbiguity(parsed: { pattern: AST.Pattern; flags: AST.Flags }): AlternationReport | undefined {
  let found: AlternationReport | undefined;
  let parser: JS.Parser | undefined;
  const visit = (node: AST.Node): void => {
    if (found) return;
    if (node.type === 'Quantifier' && node.max === Infinity && (node.element.type === 'Group' || node.element.type === 'CapturingGroup') && node.element.alternatives.length >= 2 && node.element.alternatives.length <= 12) {
      parser ??= JS.Parser.fromAst(parsed);
      found = ambiguousAlternatives(parser, node, node.element.alternatives, parsed.flags);
      if (found) return;
    }
    for (const child of childrenOf(node)) visit(child);
  };
  visit(parsed.pattern);
  return found;
}

function ambiguousAlternatives(parser: JS.Parser, quant: AST.Quantifier, alternatives: AST.Alternative[], flags: AST.Flags): AlternationReport | undefined {
  if (alternatives.some((alternative) => isPotentiallyEmpty(alternative, flags))) return undefined;
  try {
    const options = { maxCharacter: parser.maxCharacter };
    const parseOptions = { backreferences: 'throw', assertions: 'throw' } as const;
    const automata = alternatives.map((alternative) => NFA.fromRegex(parser.parseElement(alternative, parseOptions).expression, options));
    const repeated = NFA.fromRegex(parser.parseElement(quant.element, parseOptions).expression, options);
    repeated.quantify(1, Infinity);
    for (let i = 0; i < automata.length; i++) {
      for (let j = 0; j < automata.length; j++) {
        if (i === j) continue;
        const continued = automata[j].copy();
        continued.append(repeated);
        const overlap = !isDisjointWith(automata[i], automata[j], MAX_NODES);
        if (overlap || !isDisjointWith(automata[i], continued, MAX_NODES)) {
          const first = getFirstConsumedChar(alternatives[i], 'ltr', flags).char;
          const pick = pickChar(first);
          if (pick === undefined) return undefined;
          const report: AlternationReport = { type: 'Alternation', quant, whole: alternatives[i], split: alternatives[j], how: overlap ? 'overlap' : 'split', exponential: true, character: { pick, set: first } };
          // Only exploitable when something after the quantifier can make the match fail.
          return rejectingSuffix(report, flags) ? report : undefined;
        }
      }
    }
  } catch {
    // assertions, backreferences or automata too large: not analysed
  }
  return undefined;
}

/** A readable character of a set (letters, digits, then anything printable). */
function pickChar(set: CharSet): string | undefined {
  for (const candidate of 'aA0 _-.!@#'.split('')) if (set.has(candidate.codePointAt(0)!)) return candidate;
  for (const range of set.ranges) {
    for (let code = range.min; code <= range.max && code < 0x10000; code++) if (code >= 0x20 && code !== 0x7f) return String.fromCodePoint(code);
  }
  return undefined;
}

function involvedQuantifiers(report: Cause): AST.Quantifier[] {
  if (report.type === 'Alternation') return [report.quant];
  if (report.type === 'Trade') return [report.startQuant, report.endQuant];
  if (report.type === 'Self') return [report.quant, report.parentQuant];
  return [report.quant];
}

/** The message: kind and cost of the backtracking, the quantifiers involved, and the attack string. */
function describe(report: Cause, flags: AST.Flags): string {
  const char = describeChar(report.character.pick);
  // Inside a negative lookaround, failing and matching swap: no concrete suffix is named there.
  const suffix = involvedQuantifiers(report).some(insideNegativeLookaround) ? undefined : rejectingSuffix(report, flags);
  const attack = `many ${char} characters${suffix ? ` followed by ${describeChar(suffix)}` : ' followed by a suffix that makes the match fail'}`;
  if (report.type === 'Alternation') {
    return `Super-linear regex (exponential (2^n) backtracking): in \`${report.quant.raw}\` ${report.how === 'overlap' ? `the alternatives \`${report.whole.raw}\` and \`${report.split.raw}\` can match the same text` : `what \`${report.whole.raw}\` matches can also be matched as \`${report.split.raw}\` followed by more repetitions`}, so a run of ${char} characters can be split in many ways; an input with ${attack} makes it try them all before failing.`;
  }
  if (report.type === 'Self') {
    const cost = report.exponential ? 'exponential (2^n)' : 'polynomial';
    return `Super-linear regex (${cost} backtracking): \`${report.quant.raw}\` is repeated by \`${report.parentQuant.raw}\`, so a run of ${char} characters can be split in many ways; an input with ${attack} makes it try them all before failing.`;
  }
  if (report.type === 'Trade') {
    const cost = report.exponential ? 'exponential (2^n)' : 'polynomial (O(n²) or worse)';
    const pair = report.startQuant === report.endQuant ? `\`${report.startQuant.raw}\`` : `\`${report.startQuant.raw}\` and \`${report.endQuant.raw}\``;
    return `Super-linear regex (${cost} backtracking): ${pair} can both match ${char} characters and trade them between each other; an input that reaches them with ${attack} makes it try every split before failing.`;
  }
  return `Super-linear regex (quadratic matching): \`${report.quant.raw}\` is retried from every start position; an input with ${attack} takes O(n²) steps to reject. Anchor the pattern or bound the quantifier.`;
}

function insideNegativeLookaround(node: AST.Node): boolean {
  for (let current: AST.Node | null = node.parent; current; current = current.parent) {
    if (current.type === 'Assertion' && (current.kind === 'lookahead' || current.kind === 'lookbehind') && current.negate) return true;
  }
  return false;
}

const SUFFIX_CANDIDATES = ['!', '@', '#', '~', ' ', '\n', '_', '-', '.', '0', 'A', 'a', '\u0000'];

/** A character that ends the repeated run and makes the match fail: outside every quantifier involved and what may follow them. */
function rejectingSuffix(report: Cause, parsedFlags: AST.Flags): string | undefined {
  const quantifiers = involvedQuantifiers(report);
  const forbidden: CharSet[] = [report.character.set];
  try {
    for (const quantifier of quantifiers) {
      forbidden.push(...charSetsIn(quantifier, parsedFlags));
      const after = getFirstConsumedCharAfter(quantifier, 'ltr', parsedFlags);
      forbidden.push(after.char);
      if (after.empty && after.look) forbidden.push(after.look.char);
    }
  } catch {
    return undefined;
  }
  return SUFFIX_CANDIDATES.find((candidate) => {
    const code = candidate.codePointAt(0)!;
    return !forbidden.some((set) => set.has(code));
  });
}

/** The character sets of every character element inside `node`. */
function charSetsIn(node: AST.Node, flags: AST.Flags): CharSet[] {
  const sets: CharSet[] = [];
  const visit = (n: AST.Node): void => {
    if (n.type === 'Character' || n.type === 'CharacterClass' || n.type === 'CharacterSet') {
      try {
        sets.push(toCharSet(n as AST.Character, flags));
      } catch {
        // string-valued class members (v flag): ignore
      }
      return;
    }
    for (const child of childrenOf(n)) visit(child);
  };
  visit(node);
  return sets;
}

function childrenOf(node: AST.Node): AST.Node[] {
  switch (node.type) {
    case 'Quantifier':
      return [node.element];
    case 'Group':
    case 'CapturingGroup':
    case 'Pattern':
      return node.alternatives;
    case 'Alternative':
      return node.elements;
    case 'Assertion':
      return node.kind === 'lookahead' || node.kind === 'lookbehind' ? node.alternatives : [];
    default:
      return [];
  }
}

function describeChar(ch: string): string {
  if (ch === ' ') return "' ' (space)";
  if (ch === '\t') return "'\\t'";
  if (ch === '\n') return "'\\n'";
  if (ch === '\r') return "'\\r'";
  const code = ch.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}
