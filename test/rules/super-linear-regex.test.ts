import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyse } from 'scslre';
import { parseRegex } from '../../engine/regex';
import rule, { mayBacktrackSuperLinearly } from '../../rules/super-linear-regex';
import { ruleTester } from '../harness/ruleTester';

ruleTester(rule, {
  valid: [
    {
      name: 'what follows the quantifiers always matches, so the engine never backtracks into them',
      code: [
        'export const ORIGIN = /^([a-z]+:\\/*[^/]*)[\\s\\S]*$/;',
        'export const FENCE = /^(~{3,})([^\\n]*)(?:\\n|$)(?:|([\\s\\S]*?)(?:\\n|$))(?:\\1|$)/;',
        'export const TEXT = /^(~+|[^~])(?:(?=[a-z~]+@)|[\\s\\S]*)/;',
        'export const PROP = /\\s*:(?:"(?:\\\\.|[^"])*"|\\(.*?\\)|[^;])*/g;',
        'export const INLINE = /^([`~]+|[^`~])(?:(?=[a-z~]+@)|[\\s\\S]*?(?:(?=[<*_]|$)|[^ ](?= {2,}\\n)))/;',
      ].join('\n') + '\n',
    },
    // Linear patterns: no two quantifiers can share characters.
    'export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;',
    'export const DIGITS = /\\d+/;',
    'export const BLANK = /^\\s*$/;',
    'export const EMAIL = /^[\\w.+-]+@[a-z\\d-]+(?:\\.[a-z\\d-]+)*\\.[a-z]{2,}$/i;',
    'export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;',
    'export const ISO_DATE = /^(\\d{4})-(\\d{2})-(\\d{2})(?:T(\\d{2}):(\\d{2}))?$/;',
    'export const DOTTED = /^(\\w+\\.)*\\w+$/;',
    'export const TEMPLATE = /\\$\\{([^}]+)\\}/g;',
    'export const TRIM = /^\\s+|\\s+$/g;',
    // Quadratic "moves" are only reported with the `moves` option.
    'export const TRAILING_COMMA = /\\s*,\\s*$/;',
    // new RegExp with a linear constant pattern.
    "export const semver = new RegExp('^v?(\\\\d+)\\\\.(\\\\d+)\\\\.(\\\\d+)$');",
    // Dynamic pattern: not known at lint time.
    'export function build(part: string) { return new RegExp(`^(${part})+$`); }',
    // Invalid pattern: not analysed (it throws when constructed).
    "export const broken = new RegExp('(a+');",
    // A shadowed RegExp is not the global constructor.
    "class RegExp { constructor(public p: string) {} }\nexport const notRegex = new RegExp('^(a+)+$');",
    // Strings that are not used as patterns.
    "export const text = '^(a+)+$';",
    // Unambiguous alternatives: `ab` cannot be split into `a` + more repetitions.
    'export const PAIRS = /^(a|ab)+$/;',
    // Ambiguous alternatives but nothing after the quantifier can fail: the first attempt succeeds.
    'export const PREFIX = /(a|aa)+/;',
    // Bounded repetition cannot blow up.
    'export const BOUNDED = /^(a{1,3}){1,3}$/;',
    // Tests and test setup: their regexes only see the tests' own inputs.
    { filename: 'src/parse.test.ts', code: "export const RE = /^(a+)+$/;\nexport const built = new RegExp('^(\\\\d+)*$');" },
    { filename: 'test/helpers/match.ts', code: 'export const RE = /^(a+)+$/;' },
    { filename: 'vitest.setup.ts', code: 'export const RE = /^(a+)+$/;' },
  ],
  invalid: [
    {
      name: 'a quantifier inside a negative lookahead: no concrete suffix is named (failing and matching swap there)',
      code: 'export const LG = /\\blg[-e;\\/ ]+(?!.*(?:browser|netcast))(\\w+)/i;\n',
      errors: [{ message: /followed by a suffix that makes the match fail/ }],
    },
    {
      name: 'the same shapes with a suffix that can fail are still reported',
      code: [
        'export const ORIGIN = /^([a-z]+:\\/*[^/]*)[\\s\\S]*x$/;',
        'export const TEXT = /^(~+|[^~])(?:(?=[a-z~]+@)|b)/;',
        'export const LINE = /^(~{3,})(.*)(?:\\n|$)x/;',
        'export const AHEAD = /^([`~]+|[^`~])(?:[\\s\\S]*?(?=[<*_])|(?=[a-z~]+@))/;',
      ].join('\n') + '\n',
      errors: [{ line: 1, message: /polynomial/ }, { line: 2, message: /polynomial/ }, { line: 3, message: /polynomial/ }, { line: 4, message: /polynomial/ }],
    },
    {
      name: 'a script is no test: it may read large inputs',
      filename: 'scripts/import-users.ts',
      code: 'export const RE = /^(a+)+$/;\n',
      errors: [{ message: /exponential \(2\^n\) backtracking/, line: 1, column: 21, endColumn: 26, severity: 'error' }],
    },
    {
      name: 'nested quantifier: exponential, error, attack shape named',
      code: 'export const RE = /^(a+)+$/;\n',
      errors: [
        {
          message:
            "Super-linear regex (exponential (2^n) backtracking): `a+` is repeated by `(a+)+`, so a run of 'a' characters can be split in many ways; an input with many 'a' characters followed by '!' makes it try them all before failing.",
          line: 1,
          column: 21,
          endLine: 1,
          endColumn: 26,
          severity: 'error',
          fixes: [],
        },
      ],
    },
    {
      name: 'word groups with optional separator',
      code: 'export function words(text: string) {\n  return /(\\w+\\s?)*$/.test(text);\n}\n',
      errors: [{ message: /exponential \(2\^n\) backtracking\): `\\w\+` is repeated by `\(\\w\+\\s\?\)\*`.*many 'A' characters followed by '!'/, line: 2, column: 11, endColumn: 20, severity: 'error' }],
    },
    {
      name: 'digits repeated',
      code: 'const NUMBER_LIST = /^(\\d+)*$/;\nexport default NUMBER_LIST;\n',
      errors: [{ message: /`\\d\+` is repeated by `\(\\d\+\)\*`.*many '0' characters/, column: 23, endColumn: 29, severity: 'error' }],
    },
    {
      name: 'polynomial trade in an email regex: warning with a checked rewrite',
      code: 'export const EMAIL = /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/;\n',
      errors: [
        {
          message:
            "Super-linear regex (polynomial (O(n²) or worse) backtracking): `[^\\s@]+` and `[^\\s@]+` can both match '.' characters and trade them between each other; an input that reaches them with many '.' characters followed by '@' makes it try every split before failing.",
          column: 32,
          endColumn: 48,
          severity: 'warning',
          fixes: [
            {
              title: 'Rewrite the regex so it cannot backtrack super-linearly (same matches)',
              output: 'export const EMAIL = /^[^\\s@]+@[^\\s@][^\\s.@]*\\.[^\\s@]+$/;\n',
            },
          ],
        },
      ],
    },
    {
      name: 'new RegExp with a constant string: reported on the pattern',
      code: "export function isBlob(value: string) {\n  return new RegExp('^(a+)+$', 'i').test(value);\n}\n",
      errors: [{ message: /many 'A' characters followed by '!'/, line: 2, column: 23, endColumn: 28, severity: 'error' }],
    },
    {
      name: 'RegExp() through a const binding: whole argument reported',
      code: "const PATTERN = '^(\\\\d+\\\\s?)+$';\nexport const NUMBERS = RegExp(PATTERN);\n",
      errors: [{ message: /`\\d\+` is repeated by `\(\\d\+\\s\?\)\+`/, line: 2, column: 31, endColumn: 38, severity: 'error' }],
    },
    {
      name: 'escaped string pattern: whole argument reported',
      code: "export const PATH = new RegExp('^(\\\\/\\\\w+)*\\\\/(\\\\w+\\\\/?)*$');\n",
      errors: [{ line: 1, column: 32, endColumn: 60, severity: 'error' }],
    },
    {
      name: 'polynomial string pattern with a checked rewrite keeps quotes and flags',
      code: 'export const MAIL = new RegExp("^[^\\\\s@]+@[^\\\\s@]+\\\\.[^\\\\s@]+$", "i");\n',
      errors: [
        {
          severity: 'warning',
          fixes: [
            {
              title: 'Rewrite the regex so it cannot backtrack super-linearly (same matches)',
              output: 'export const MAIL = new RegExp("^[^\\\\s@]+@[^\\\\s@][^\\\\s.@]*\\\\.[^\\\\s@]+$", "i");\n',
            },
          ],
        },
      ],
    },
    {
      name: 'two adjacent quantifiers over the same characters',
      code: 'export const SPACES = /^\\s*\\s+x$/;\n',
      errors: [{ message: /`\\s\*` and `\\s\+` can both match ' ' \(space\) characters/, severity: 'warning' }],
    },
    {
      name: 'quantified group with overlapping alternatives',
      code: 'export const TOKENS = /^(?:\\w+|\\d+)+!$/;\n',
      // scslre's rewrite `(?:\w|\d)+` is still exponential (ambiguous alternatives): no fix is offered.
      errors: [{ message: /exponential/, severity: 'error', fixes: [] }],
    },
    {
      name: 'case-insensitive flag changes the attack characters',
      code: 'export const NAMES = /^([a-z]+\\s?)+!$/i;\n',
      errors: [{ message: /many 'A' characters followed by '@'/, severity: 'error' }],
    },
    {
      name: 'HTML-ish tag matcher with nested quantifiers',
      code: 'export const TAG = /<([a-z]+)([^<]+)*(?:>(.*)<\\/\\1>|\\s+\\/>)/;\n',
      errors: [{ message: /`\[\^<\]\+` is repeated by `\(\[\^<\]\+\)\*`/, severity: 'error' }],
    },
    {
      name: 'moves option reports quadratic matching of an unanchored quantifier',
      code: 'export const TRAILING_COMMA = /\\s*,\\s*$/;\n',
      options: { moves: true },
      errors: [
        {
          message: "Super-linear regex (quadratic matching): `\\s*` is retried from every start position; an input with many ' ' (space) characters followed by '!' takes O(n²) steps to reject. Anchor the pattern or bound the quantifier.",
          column: 32,
          endColumn: 35,
          severity: 'warning',
        },
      ],
    },
    {
      name: 'header parser: optional spaces trade with the rest-of-line capture',
      code: 'export const HEADER = /^([^:]+):\\s*(.*)$/;\n',
      errors: [{ message: /`\\s\*` and `\.\*` can both match ' ' \(space\) characters.*followed by a suffix that makes the match fail/, column: 33, endColumn: 39, severity: 'warning' }],
    },
    {
      name: 'ambiguous alternatives under a quantifier (not found by scslre): exponential',
      code: 'export const RUN = /(a|aa)+$/;\n',
      errors: [
        {
          message:
            "Super-linear regex (exponential (2^n) backtracking): in `(a|aa)+` what `aa` matches can also be matched as `a` followed by more repetitions, so a run of 'a' characters can be split in many ways; an input with many 'a' characters followed by '!' makes it try them all before failing.",
          column: 21,
          endColumn: 28,
          severity: 'error',
        },
      ],
    },
    {
      name: 'overlapping alternatives',
      code: "export const IDS = new RegExp('^(?:[a-z]|[a-f0-9])+-x$');\n",
      errors: [{ message: /the alternatives `\[a-z\]` and `\[a-f0-9\]` can match the same text.*many 'a' characters followed by '!'/, severity: 'error' }],
    },
    {
      name: 'one finding per regex even with several causes',
      code: 'export const MANY = /(\\w+\\s?)*$/;\n',
      options: { moves: true },
      errors: [{ message: /exponential/, severity: 'error' }],
    },
  ],
});

// The shape check that spares most patterns scslre's analysis (mayBacktrackSuperLinearly): it may
// let a linear pattern through to the analysis, never hold back one the analysis would report.
describe('super-linear-regex: quantifier shapes checked before the analysis', () => {
  const shape = (source: string, moves = false) => mayBacktrackSuperLinearly(parseRegex(source, '')!.pattern, moves);
  it('lets through every shape a report needs', () => {
    for (const source of ['(a+)+$', 'a+a+$', '\\s*\\s*$', '(?:a+){2}$', '(?:a+)?b', '(a|aa)+$', '(?:x|y+)*z', '(?=a+)a*b', '^[a-z0-9]+(?:-[a-z0-9]+)*$']) assert.equal(shape(source), true, source);
    assert.equal(shape('\\s+$', true), true, 'a move, when moves are reported');
  });
  it('spares patterns with no unbounded quantifier, or one alone outside any other quantifier and alternation', () => {
    for (const source of ['^\\d+$', '^[*+]{2,5}$', 'a?b?c?', '^(?:ab|cd)$', '^(a|b){1,3}$', '\\*+', '^[^@]+@example\\.com$', 'a{2,}']) assert.equal(shape(source), false, source);
  });
  it('agrees with scslre on these patterns: nothing it reports is spared', () => {
    let reported = 0;
    for (const source of ['(a+)+$', 'a+a+$', '(\\w+\\s?)*$', '^(\\d+)*$', '\\s*\\s*$', '(?:a+){2}$', '^\\d+$', 'a{2,}b', '^[a-z]+$']) {
      for (const moves of [false, true]) {
        const parsed = parseRegex(source, '')!;
        if (analyse(parsed, { reportTypes: { Move: moves } }).reports.length === 0) continue;
        reported++;
        assert.equal(mayBacktrackSuperLinearly(parsed.pattern, moves), true, `${source} (moves: ${moves})`);
      }
    }
    assert.ok(reported >= 8, `scslre reported ${reported} of them`);
  });
});
