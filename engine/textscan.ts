/**
 * A tokenizer for rules' text gates (`Rule.mayReport`): it reads TypeScript/JavaScript text as a
 * stream of identifiers, punctuators and opaque literals, with the bracket nesting known, at a
 * fraction of a parse's cost. It is not a parser: a `/` is taken as a regex or a division from the
 * previous token (as syntax highlighters do), and JSX text is not understood. Whenever the text
 * does not read consistently (an unterminated literal or comment, brackets that do not match), it
 * says so, and gates then assume anything may be there.
 */

export const TOKEN_IDENTIFIER = 0;
export const TOKEN_PUNCTUATOR = 1;
/** Strings, templates (each chunk), numbers and regex literals. */
export const TOKEN_LITERAL = 2;

/**
 * Called for every token; `start`/`end` are UTF-16 offsets; `depth` is the bracket depth before the
 * token; `word` is the punctuator, the keyword (one of `KEYWORDS`) for an identifier that is one,
 * else '' (other names are sliced by the caller only when it needs them: no string per token).
 */
export type TokenSink = (kind: number, start: number, end: number, depth: number, word: string) => void;

/** The identifiers reported as `word`: JavaScript/TypeScript keywords and contextual words gates read. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'abstract', 'accessor', 'as', 'async', 'await', 'case', 'catch', 'class', 'const', 'constructor', 'declare', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'is', 'keyof', 'let', 'namespace',
  'new', 'of', 'override', 'private', 'protected', 'public', 'readonly', 'return', 'static', 'switch', 'this', 'throw', 'try', 'type', 'typeof',
  'var', 'void', 'while', 'with', 'yield',
]);

/**
 * Keywords by first character (all are lower-case ASCII) and length, to recognise one without
 * slicing the text: an array indexed by `code * 16 + length` (a Map lookup per identifier cost
 * several times as much in a profile of the gates).
 */
const KEYWORDS_BY_START: Array<string[] | undefined> = new Array(128 * 16).fill(undefined);
for (const keyword of KEYWORDS) {
  const key = keyword.charCodeAt(0) * 16 + keyword.length;
  KEYWORDS_BY_START[key] = [...(KEYWORDS_BY_START[key] ?? []), keyword];
}

/** The keyword spelled by `text[start, end)`, or ''. */
function keywordAt(text: string, start: number, end: number): string {
  const length = end - start;
  const first = text.charCodeAt(start);
  if (length < 2 || length > 11 || first < 0x61 || first > 0x7a) return '';
  const candidates = KEYWORDS_BY_START[first * 16 + length];
  if (candidates) for (const keyword of candidates) if (text.startsWith(keyword, start)) return keyword;
  return '';
}

/** Single-character punctuators as strings, by character code. */
const PUNCTUATOR_STRINGS: string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

/** Keywords after which a `/` starts a regex literal. */
const REGEX_AFTER_KEYWORD = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await', 'extends']);
/** Statement keywords whose parenthesised head is followed by a statement, which may start with a regex. */
const CONTROL_HEADS = new Set(['if', 'while', 'for', 'with']);


const OPEN_BRACE = 1;
const OPEN_PAREN = 2;
const OPEN_BRACKET = 3;
const TEMPLATE = 4;

/** Global copies of gate patterns (`matchesInCode` walks every match). */
const GLOBAL_PATTERNS = new WeakMap<RegExp, RegExp>();

/**
 * Whether `pattern` matches `text` at a position inside a token (an identifier, a punctuator, a
 * literal): a gate's question without what comments say (documentation mentions `req.query` and
 * `limit` far more often than code near a list query does). It tokenizes the text, so a gate asks
 * it only after the plain `pattern.test(text)` said yes. True when the text does not tokenize
 * consistently (unsure); not for JSX, whose text the tokenizer does not read.
 */
export function matchesInCode(text: string, pattern: RegExp): boolean {
  let global = GLOBAL_PATTERNS.get(pattern);
  if (!global) GLOBAL_PATTERNS.set(pattern, (global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`)));
  const starts: number[] = [];
  for (const match of text.matchAll(global)) starts.push(match.index);
  if (starts.length === 0) return false;
  let next = 0;
  let found = false;
  const consistent = scanTokens(text, (_kind, start, end) => {
    if (found) return;
    // matches starting before this token lie in a comment (or whitespace) before it
    while (next < starts.length && starts[next] < start) next++;
    if (next < starts.length && starts[next] < end) found = true;
  });
  return found || !consistent;
}

/**
 * `scanTokens` has sinks of different shapes (unbounded-collection's candidate reader,
 * `matchesInCode`). V8 optimised it for the sink it saw first and deoptimised it when the other one
 * came ("wrong feedback cell"), to compile it again (~70 ms of background compiling each time, twice
 * per thread in a cold audit). Two tiny sinks first make its sink calls polymorphic from the start:
 * it is then compiled once. Neither sink of real use is small enough to be inlined anyway.
 */
let sinkCallsWarmedUp = false;

function warmUpSinkCalls(): void {
  sinkCallsWarmedUp = true;
  // Every kind of token, so that every call of the sink sees both. V8 gives a function its feedback
  // vector (where call targets are recorded) only from its next call once it has run a little: the
  // first call is not recorded.
  const text = "a = 'b\\n' + \"\\\"\" + `c${d}\\`e` / 2 - /f\\//g.h(1.5, [#i], 0x1f) /* j */ >>>= k ?? l; // m\n";
  const first = (): void => undefined;
  scanTokens(text, first);
  scanTokens(text, first);
  scanTokens(text, (kind) => void kind);
}

/**
 * Tokenizes `text`, calling `sink` for each token. Returns false when the text did not read
 * consistently (the tokens seen may then be wrong).
 */
export function scanTokens(text: string, sink: TokenSink): boolean {
  if (!sinkCallsWarmedUp) warmUpSinkCalls();
  const n = text.length;
  const stack: number[] = [];
  /** For each open parenthesis: whether it is the head of `if`/`while`/`for`/`with`. */
  const parenIsControl: boolean[] = [];
  // What the previous significant token lets a `/` be.
  let slashIsRegex = true;
  let previousIdentifier = '';
  let previousWasDot = false;
  let i = 0;
  if (text.startsWith('#!')) {
    // a hashbang line is not code
    const end = text.indexOf('\n');
    i = end === -1 ? n : end + 1;
  }

  const scanTemplateChunk = (from: number): number => {
    // From just after a backtick or a substitution's closing brace: returns the offset just after
    // the closing backtick, or -(offset after `${`) - 1 (and pushes TEMPLATE), or less than -n - 1
    // when the template is unterminated.
    for (let p = from; p < n; p++) {
      const c = text.charCodeAt(p);
      if (c === 0x5c) {
        p++;
        continue;
      }
      if (c === 0x60) return p + 1;
      if (c === 0x24 && text.charCodeAt(p + 1) === 0x7b) {
        stack.push(TEMPLATE);
        return -(p + 2) - 1;
      }
    }
    return -1 - n - 1; // unterminated
  };

  /** Reports a string, number or regex literal: a value, after which a `/` divides. */
  const literal = (start: number, end: number, depth: number): number => {
    sink(TOKEN_LITERAL, start, end, depth, '');
    slashIsRegex = false;
    previousIdentifier = '';
    previousWasDot = false;
    return end;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace (control characters included)
    if (c <= 0x20 || (c >= 0x80 && isUnicodeSpace(c))) {
      i++;
      continue;
    }
    if (c === 0x2f) {
      const d = text.charCodeAt(i + 1);
      if (d === 0x2f) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? n : end + 1;
        continue;
      }
      if (d === 0x2a) {
        const end = text.indexOf('*/', i + 2);
        if (end === -1) return false;
        i = end + 2;
        continue;
      }
      if (slashIsRegex) {
        const end = regexEnd(text, i);
        if (end === -1) return false;
        i = literal(i, end, stack.length);
        continue;
      }
    }
    if (c === 0x27 || c === 0x22) {
      let p = i + 1;
      for (; p < n; p++) {
        const e = text.charCodeAt(p);
        if (e === 0x5c) {
          p++;
          continue;
        }
        if (e === c) break;
        if (e === 0x0a || e === 0x0d) return false;
      }
      if (p >= n) return false;
      i = literal(i, p + 1, stack.length);
      continue;
    }
    if (c === 0x60 || (c === 0x7d && stack[stack.length - 1] === TEMPLATE)) {
      if (c === 0x7d) stack.pop();
      const depth = stack.length;
      const next = scanTemplateChunk(i + 1);
      if (next < -n - 1) return false;
      const end = next >= 0 ? next : -(next + 1);
      sink(TOKEN_LITERAL, i, end, depth, '');
      i = end;
      // After a whole template a `/` divides; after `${` an expression starts.
      slashIsRegex = next < 0;
      previousIdentifier = '';
      previousWasDot = false;
      continue;
    }
    if (isIdentifierStart(c)) {
      let p = i + 1;
      while (p < n && isIdentifierPart(text.charCodeAt(p))) p++;
      const word = keywordAt(text, i, p);
      sink(TOKEN_IDENTIFIER, i, p, stack.length, word);
      slashIsRegex = !previousWasDot && REGEX_AFTER_KEYWORD.has(word);
      previousIdentifier = previousWasDot ? '' : word;
      previousWasDot = false;
      i = p;
      continue;
    }
    if (c >= 0x30 && c <= 0x39) {
      let p = i + 1;
      while (p < n && (isIdentifierPart(text.charCodeAt(p)) || text.charCodeAt(p) === 0x2e)) p++;
      i = literal(i, p, stack.length);
      continue;
    }
    // punctuators
    const depth = stack.length;
    let length = 1;
    if (c === 0x7b) stack.push(OPEN_BRACE);
    else if (c === 0x28) {
      stack.push(OPEN_PAREN);
      parenIsControl.push(CONTROL_HEADS.has(previousIdentifier));
    } else if (c === 0x5b) stack.push(OPEN_BRACKET);
    else if (c === 0x7d || c === 0x29 || c === 0x5d) {
      const open = c === 0x7d ? OPEN_BRACE : c === 0x29 ? OPEN_PAREN : OPEN_BRACKET;
      if (stack.pop() !== open) return false;
    } else if (c === 0x2e && text.charCodeAt(i + 1) >= 0x30 && text.charCodeAt(i + 1) <= 0x39) {
      // `.5`: a number
      let p = i + 1;
      while (p < n && isIdentifierPart(text.charCodeAt(p))) p++;
      i = literal(i, p, depth);
      continue;
    } else if (c !== 0x3e) {
      length = punctuatorLength(text, i, c);
    }
    sink(TOKEN_PUNCTUATOR, i, i + length, depth, length === 1 && c < 128 ? PUNCTUATOR_STRINGS[c] : multiCharacterPunctuator(text.slice(i, i + length)));
    if (c === 0x29) slashIsRegex = parenIsControl.pop() === true;
    else if (c === 0x5d) slashIsRegex = false;
    else if (c === 0x7d) slashIsRegex = true; // a block's end: a statement may follow
    else if (length === 2 && (c === 0x2b || c === 0x2d) && text.charCodeAt(i + 1) === c) slashIsRegex = false; // `x++ / 2`
    else if (!(length === 1 && c === 0x21 && !slashIsRegex)) slashIsRegex = true; // after a value, `!` is TypeScript's non-null assertion: `x! / 2`
    previousWasDot = length === 1 && c === 0x2e;
    if (!(length === 2 && c === 0x3f && text.charCodeAt(i + 1) === 0x2e)) previousIdentifier = '';
    else previousWasDot = true; // `a?.b`
    i += length;
  }
  return stack.length === 0;
}

/** The punctuators `punctuatorLength` reads with more than one character, each its own interned string. */
const MULTI_CHARACTER_PUNCTUATORS = new Map(
  ['...', '=>', '==', '===', '!=', '!==', '?.', '??', '??=', '&&', '&&=', '||', '||=', '**', '**=', '<<', '<<=', '<=', '++', '--', '+=', '-=', '*=', '/=', '%=', '^=', '&=', '|='].map((p) => [p, p]),
);

/**
 * A multi-character punctuator as the interned string literal: sinks compare tokens with literals
 * (`token === '=>'`), and optimized code that met only interned strings deoptimizes on a sliced one
 * ("wrong instance type"): each such deoptimization costs a recompile of a sink's whole function.
 */
function multiCharacterPunctuator(sliced: string): string {
  return MULTI_CHARACTER_PUNCTUATORS.get(sliced) ?? sliced;
}

/**
 * Length of the punctuator starting with `c` at `i`: `...`, `=>`, `==`, `===`, `!=`, `!==`, `<=`,
 * `<<`, `<<=`, `&&`, `&&=`, `||`, `||=`, `??`, `??=`, `?.`, `++`, `--`, `**`, `**=` and the
 * compound assignments; 1 for the rest (`>` is always scanned alone, as TypeScript does).
 */
function punctuatorLength(text: string, i: number, c: number): number {
  const d = text.charCodeAt(i + 1);
  switch (c) {
    case 0x2e: // .
      return d === 0x2e && text.charCodeAt(i + 2) === 0x2e ? 3 : 1;
    case 0x3d: // =
      if (d === 0x3e) return 2;
      return d === 0x3d ? (text.charCodeAt(i + 2) === 0x3d ? 3 : 2) : 1;
    case 0x21: // !
      return d === 0x3d ? (text.charCodeAt(i + 2) === 0x3d ? 3 : 2) : 1;
    case 0x3f: // ?
      if (d === 0x2e && !(text.charCodeAt(i + 2) >= 0x30 && text.charCodeAt(i + 2) <= 0x39)) return 2;
      return d === 0x3f ? (text.charCodeAt(i + 2) === 0x3d ? 3 : 2) : 1;
    case 0x26: // &
    case 0x7c: // |
    case 0x2a: // *
    case 0x3c: // <
      if (d === c) return text.charCodeAt(i + 2) === 0x3d ? 3 : 2;
      return d === 0x3d ? 2 : 1;
    case 0x2b: // +
    case 0x2d: // -
      return d === c || d === 0x3d ? 2 : 1;
    case 0x2f: // /
    case 0x25: // %
    case 0x5e: // ^
      return d === 0x3d ? 2 : 1;
    default:
      return 1;
  }
}

/** End of the regex literal starting at `start` (its body and flags), or -1 when unterminated. */
function regexEnd(text: string, start: number): number {
  let p = regexBodyEnd(text, start);
  if (p === -1) return -1;
  p++;
  while (p < text.length && isIdentifierPart(text.charCodeAt(p))) p++;
  return p;
}

/**
 * The offset of the slash closing the regex body that starts with the `/` at `start`, scanned as
 * TypeScript's scanner does (escapes, character classes, never past a line break), or -1 when it is
 * unterminated before `limit`.
 */
export function regexBodyEnd(text: string, start: number, limit = text.length): number {
  let inClass = false;
  let escaped = false;
  for (let p = start + 1; p < limit; p++) {
    const ch = text.charCodeAt(p);
    if (ch === 0x0a || ch === 0x0d || ch === 0x2028 || ch === 0x2029) return -1;
    if (escaped) escaped = false;
    else if (ch === 0x5c) escaped = true;
    else if (ch === 0x2f && !inClass) return p;
    else if (ch === 0x5b) inClass = true;
    else if (ch === 0x5d) inClass = false;
  }
  return -1;
}

/** ASCII characters by class: 1 may start an identifier (letters, `$`, `_`, `\\` of an escape), 2 may continue one (those and digits). */
const ASCII_IDENTIFIER = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x24 || c === 0x5f || c === 0x5c;
  ASCII_IDENTIFIER[c] = start ? 3 : c >= 0x30 && c <= 0x39 ? 2 : 0;
}

function isIdentifierStart(c: number): boolean {
  return c < 0x80 ? (ASCII_IDENTIFIER[c] & 1) !== 0 : !isUnicodeSpace(c);
}

/** Non-ASCII white space and line terminators (JavaScript's WhiteSpace and LineTerminator beyond ASCII). */
export function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function isIdentifierPart(c: number): boolean {
  return c < 0x80 ? (ASCII_IDENTIFIER[c] & 2) !== 0 : !isUnicodeSpace(c);
}
