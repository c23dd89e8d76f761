/**
 * Regex recognition shared by the regex rules: `new RegExp(…)`/`RegExp(…)` calls on the global
 * constructor, constant folding of their pattern and flags (literals, templates, `+`, `String.raw`
 * and `const` bindings), validation with regexpp, and printing a pattern as a regex literal.
 */
import { RegExpParser, RegExpValidator, type AST } from '@eslint-community/regexpp';
import * as ts from 'typescript';
import { resolveIdentifier, skipOuterExpressions, type Binding } from './ts/scope';
import { detachedCopy } from './text';
import { regexBodyEnd } from './textscan';

/**
 * Every regex literal a text may hold, read without parsing: each `/` that is not a comment start
 * is taken as a literal's start and scanned as TypeScript's scanner scans a regex body (to the next
 * `/` outside a character class and escapes, not past the line's end), followed by its flags.
 * A superset: it also yields divisions, comments and strings cut at slashes; the caller
 * analyses them all, so a file whose candidates are all harmless has no harmful literal.
 * `quantified`: only bodies with an unbounded quantifier character (`*`, `+`, `{`); bodies longer
 * than `maxLength` are not yielded (so a long line full of slashes costs linear time).
 */
export function* regexLiteralCandidates(text: string, quantified = false, maxLength = Infinity): Generator<{ start: number; source: string; flags: string }> {
  for (let start = text.indexOf('/'); start !== -1; start = text.indexOf('/', start + 1)) {
    const first = text.charCodeAt(start + 1);
    if (first === 0x2f || first === 0x2a) continue; // `//`, `/*`: not a regex start
    // Unterminated: TypeScript's literal then has no closing slash and an empty pattern.
    const close = regexBodyEnd(text, start, Math.min(text.length, start + 2 + maxLength));
    if (close === -1) continue;
    const source = text.slice(start + 1, close);
    if (quantified && !/[*+{]/.test(source)) continue;
    let end = close + 1;
    while (end < text.length && isFlagCharacter(text.charCodeAt(end))) end++;
    yield { start, source, flags: text.slice(close + 1, end) };
  }
}

/** ASCII identifier characters (a flag run ending at any other character is a prefix of the real one). */
function isFlagCharacter(ch: number): boolean {
  return (ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x30 && ch <= 0x39) || ch === 0x5f || ch === 0x24;
}

/** White space and comments between two tokens (a line comment too: `new RegExp // why` then the arguments on the next line). */
const GAP = String.raw`(?:\s|\/\/[^\n\r\u2028\u2029]*|\/\*(?:[^*]|\*(?!\/))*\*\/)*`;

/**
 * For gates, a superset of `regexConstruction`'s text: `RegExp` as a callee, either right before
 * the call's parenthesis (`new RegExp(`, `RegExp?.(`, `new RegExp<any>(`, `RegExp!(`, comments or
 * line breaks between) or wrapped, after a `(`, `.` or `>` (`(RegExp as any)(`,
 * `new (globalThis.RegExp)(`, `(<any>RegExp)(`), with an opening parenthesis later on its line.
 * `RegExp` as a type (`(re: RegExp) => f(`, `Map<string, RegExp>(`), after `instanceof`, or in
 * prose before a parenthesis is not matched: the pattern this replaced (any `RegExp` followed by a
 * `(` on its line) let 12 files of the bench corpus through that way. The lookbehind is asked only
 * where `RegExp` matched. A digit may come right before it: TypeScript reads `10RegExp(` as a number
 * and a call (an error, while typing).
 */
export const REGEXP_CALL_TEXT = new RegExp(String.raw`(?<![A-Za-z_$])RegExp(?:${GAP}(?:\?\.${GAP})?(?:<[^;\n(]{0,60}>${GAP})?(?:!${GAP})?\(|\b(?<=[(.>]\s*RegExp)[^;\n(]{0,60}\()`);

/** A call of the global `RegExp` constructor, with or without `new`. */
export interface RegexConstruction {
  node: ts.NewExpression | ts.CallExpression;
  pattern: ts.Expression | undefined;
  flags: ts.Expression | undefined;
}

/** Recognises `new RegExp(p, f)` / `RegExp(p, f)` / `new globalThis.RegExp(p)` when `RegExp` is not shadowed. */
export function regexConstruction(node: ts.Node): RegexConstruction | undefined {
  if (!ts.isNewExpression(node) && !ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  let global = false;
  if (ts.isIdentifier(callee)) global = callee.text === 'RegExp' && resolveIdentifier(callee) === undefined;
  else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'RegExp' && ts.isIdentifier(callee.expression)) {
    global = (callee.expression.text === 'globalThis' || callee.expression.text === 'window') && resolveIdentifier(callee.expression) === undefined;
  }
  if (!global) return undefined;
  const args = node.arguments ?? ts.factory.createNodeArray();
  if (args.some((a) => ts.isSpreadElement(a))) return undefined;
  return { node, pattern: args[0], flags: args[1] };
}

/** A string known at lint time, with the bindings it was read through. */
export interface ConstantString {
  value: string;
  /** `const` bindings whose initializers contributed to the value. */
  bindings: Binding[];
}

const MAX_DEPTH = 6;

/**
 * The value of an expression that is a compile-time constant string: string literals, templates
 * whose parts are constant, `String.raw` templates, `+` concatenation, and identifiers bound to a
 * `const` with such an initializer. Undefined for anything else.
 */
export function constantString(expression: ts.Expression, depth = 0): ConstantString | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const node = skipOuterExpressions(expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { value: node.text, bindings: [] };
  if (ts.isNumericLiteral(node)) return { value: String(Number(node.text)), bindings: [] };
  if (ts.isTemplateExpression(node)) {
    let value = node.head.text;
    const bindings: Binding[] = [];
    for (const span of node.templateSpans) {
      const part = constantString(span.expression, depth + 1);
      if (!part) return undefined;
      value += part.value + span.literal.text;
      bindings.push(...part.bindings);
    }
    return { value, bindings };
  }
  if (ts.isTaggedTemplateExpression(node) && isStringRaw(node.tag)) {
    const template = node.template;
    if (ts.isNoSubstitutionTemplateLiteral(template)) return template.rawText === undefined ? undefined : { value: template.rawText, bindings: [] };
    let value = template.head.rawText ?? '';
    const bindings: Binding[] = [];
    for (const span of template.templateSpans) {
      const part = constantString(span.expression, depth + 1);
      if (!part || span.literal.rawText === undefined) return undefined;
      value += part.value + span.literal.rawText;
      bindings.push(...part.bindings);
    }
    return { value, bindings };
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = constantString(node.left, depth + 1);
    const right = left && constantString(node.right, depth + 1);
    if (!left || !right) return undefined;
    return { value: left.value + right.value, bindings: [...left.bindings, ...right.bindings] };
  }
  if (ts.isIdentifier(node)) {
    const binding = resolveIdentifier(node);
    if (!binding || binding.kind !== 'const') return undefined;
    const declaration = binding.declaration;
    if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
    const inner = constantString(declaration.initializer, depth + 1);
    return inner && { value: inner.value, bindings: [binding, ...inner.bindings] };
  }
  return undefined;
}

function isStringRaw(tag: ts.Expression): boolean {
  const inner = skipOuterExpressions(tag);
  return ts.isPropertyAccessExpression(inner) && inner.name.text === 'raw' && ts.isIdentifier(inner.expression) && inner.expression.text === 'String' && resolveIdentifier(inner.expression) === undefined;
}

/** The source and flags of a regex literal. */
export function regexLiteralParts(node: ts.RegularExpressionLiteral): { source: string; flags: string } {
  const text = node.text;
  const slash = text.lastIndexOf('/');
  return { source: text.slice(1, slash), flags: text.slice(slash + 1) };
}

/** A regex whose pattern and flags are known at lint time. */
export interface ConstantRegex {
  source: string;
  flags: string;
  /** `const` bindings the pattern or flags were read through. */
  bindings: Binding[];
  /** The pattern is written inline as a string literal (offsets map 1:1 when it has no escapes). */
  patternNode: ts.Expression;
}

/** The pattern and flags of `new RegExp(p, f)` when both are constant (a regex literal pattern counts). */
export function constantRegex(construction: RegexConstruction): ConstantRegex | undefined {
  const { pattern, flags } = construction;
  if (!pattern) return undefined;
  const inner = skipOuterExpressions(pattern);
  let source: string;
  let literalFlags = '';
  const bindings: Binding[] = [];
  if (ts.isRegularExpressionLiteral(inner)) {
    ({ source, flags: literalFlags } = regexLiteralParts(inner));
  } else {
    const value = constantString(pattern);
    if (!value) return undefined;
    source = value.value;
    bindings.push(...value.bindings);
  }
  let flagValue = literalFlags;
  if (flags && !isUndefined(flags)) {
    const value = constantString(flags);
    if (!value) return undefined;
    flagValue = value.value;
    bindings.push(...value.bindings);
  }
  return { source, flags: flagValue, bindings, patternNode: pattern };
}

function isUndefined(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  return ts.isIdentifier(inner) && inner.text === 'undefined' && resolveIdentifier(inner) === undefined;
}

const validator = new RegExpValidator({ ecmaVersion: 2025 });
const parser = new RegExpParser({ ecmaVersion: 2025 });

/** True when `flags` are valid RegExp flags (known, no duplicates, not both `u` and `v`). */
export function validFlags(flags: string): boolean {
  if (!/^[dgimsuvy]*$/.test(flags)) return false;
  if (new Set(flags).size !== flags.length) return false;
  return !(flags.includes('u') && flags.includes('v'));
}

/** True when `new RegExp(source, flags)` would not throw. */
export function isValidRegex(source: string, flags: string): boolean {
  if (!validFlags(flags)) return false;
  // The same patterns come back on every keystroke of an open file: validated once.
  const key = `${flags}/${source}`;
  const known = validity.get(key);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    validator.validatePattern(source, undefined, undefined, { unicode: flags.includes('u'), unicodeSets: flags.includes('v') });
    valid = true;
  } catch {
    valid = false;
  }
  if (validity.size >= 4096) validity.clear();
  // A flat key: the pattern may be a slice that keeps its whole file's text alive.
  validity.set(detachedCopy(key), valid);
  return valid;
}

const validity = new Map<string, boolean>();

/** Parses a regex (undefined when invalid). */
export function parseRegex(source: string, flags: string): { pattern: AST.Pattern; flags: AST.Flags } | undefined {
  if (!validFlags(flags)) return undefined;
  try {
    const pattern = parser.parsePattern(source, undefined, undefined, { unicode: flags.includes('u'), unicodeSets: flags.includes('v') });
    const parsedFlags = parser.parseFlags(flags);
    return { pattern, flags: parsedFlags };
  } catch {
    return undefined;
  }
}

/**
 * Prints `new RegExp(source, flags)` as an equivalent regex literal: unescaped `/` and line
 * terminators are escaped, and the empty pattern becomes `(?:)`. The caller checks validity first.
 */
export function toRegexLiteral(source: string, flags: string): string {
  if (source === '') return `/(?:)/${flags}`;
  let out = '';
  let escaped = false;
  // `/` may stay unescaped inside a character class (as V8 prints `source`); classes nest with `v`.
  let classDepth = 0;
  const nested = flags.includes('v');
  for (const ch of source) {
    if (escaped) {
      escaped = false;
      out += LINE_TERMINATOR_ESCAPES[ch] ?? ch;
      continue;
    }
    if (ch === '[' && (classDepth === 0 || nested)) classDepth++;
    else if (ch === ']' && classDepth > 0) classDepth--;
    if (ch === '\\') {
      escaped = true;
      out += ch;
    } else if (ch === '/' && classDepth === 0) out += '\\/';
    else if (LINE_TERMINATOR_ESCAPES[ch]) out += '\\' + LINE_TERMINATOR_ESCAPES[ch];
    else out += ch;
  }
  return `/${out}/${flags}`;
}

const LINE_TERMINATOR_ESCAPES: Record<string, string> = { '\n': 'n', '\r': 'r', '\u2028': 'u2028', '\u2029': 'u2029' };

/** Prints a string as a single-quoted (or the given quote) JS string literal. */
export function toStringLiteral(value: string, quote: "'" | '"' | '`' = "'"): string {
  let out = '';
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + ch;
    else if (quote === '`' && ch === '$') out += '\\$';
    else if (LINE_TERMINATOR_ESCAPES[ch]) out += '\\' + LINE_TERMINATOR_ESCAPES[ch];
    else out += ch;
  }
  return quote + out + quote;
}
