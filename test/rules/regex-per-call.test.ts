import rule from '../../rules/regex-per-call';
import { ruleTester } from '../harness/ruleTester';

ruleTester(rule, {
  valid: [
    // Regex literals are compiled once per literal by the engine and cached.
    `export function isSlug(value: string) {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value);
}`,
    // Module level: compiled once when the module loads.
    `const SLUG = new RegExp('^[a-z0-9-]+$', 'i');
export function isSlug(value: string) {
  return SLUG.test(value);
}`,
    // Module-level IIFE runs once.
    `export const WORDS = (() => new RegExp('\\\\w+', 'g'))();`,
    // The pattern is built from the function's parameter: it cannot be hoisted.
    `export function containsWord(text: string, word: string) {
  return new RegExp('\\\\b' + word + '\\\\b', 'i').test(text);
}`,
    // Flags come from a parameter.
    `export function matcher(flags: string) {
  return new RegExp('^order-\\\\d+$', flags);
}`,
    // Loop-variant: the pattern depends on the loop variable.
    `export function findAll(text: string, words: string[]) {
  const hits: string[] = [];
  for (const word of words) {
    if (new RegExp(word, 'i').test(text)) hits.push(word);
  }
  return hits;
}`,
    // Loop-variant through a binding declared inside the loop.
    `export function count(lines: string[], prefix: string) {
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const pattern = prefix + i;
    if (new RegExp(pattern).test(lines[i])) n++;
  }
  return n;
}`,
    // Loop-variant: a variable reassigned inside the loop.
    `export function grow(text: string) {
  let token = 'a';
  while (token.length < 5) {
    if (new RegExp(token).test(text)) return token;
    token += 'a';
  }
  return '';
}`,
    // Per-item callback whose pattern uses the element.
    `export function hits(text: string, terms: string[]) {
  return terms.filter((term) => new RegExp(term, 'i').test(text));
}`,
    // A local RegExp class shadows the global.
    `class RegExp { constructor(public source: string) {} }
export function make() {
  return new RegExp('abc');
}`,
    // Receiver is not known to be a string: router.match / schema.search are APIs.
    `declare const router: { match(path: string): unknown };
export function route() {
  return router.match('/orders/:id');
}`,
    `export function lookup(index: { search(q: string): string[] }) {
  return index.search('shoes');
}`,
    // No evidence that the receiver is a string: untyped parameters, any-typed values, unknown calls.
    `export function route(path, request: any) {
  return [path.match('^/a'), request.url.match('^/b'), request.get('x').search('c')];
}`,
    // str.match with a regex literal builds nothing.
    `export function version(input: string) {
  return input.match(/^v(\\d+)/);
}`,
    // String-method call at module level.
    `const parts = 'v1.2.3'.match('\\\\d+');
export default parts;`,
    // Invalid pattern: throws at run time, not a performance issue (and not a valid literal).
    `export function broken() {
  return new RegExp('(unclosed');
}`,
    // Class field initializer: per instance, not per call; left alone.
    `export class Tokenizer {
  private readonly word = new RegExp('\\\\w+', 'g');
}`,
    // Unknown global pattern in a loop: do not guess.
    `export function scan(lines: string[]) {
  let n = 0;
  for (const line of lines) if (new RegExp(currentPattern).test(line)) n++;
  return n;
}`,
    // Lazily initialised cache: compiled once, then reused.
    `let emojiRegex: RegExp | undefined;
export function isEmoji(input: string) {
  if (!emojiRegex) {
    emojiRegex = new RegExp('^\\p{Extended_Pictographic}+$', 'u');
  }
  return emojiRegex.test(input);
}`,
    `const cache: { digits?: RegExp } = {};
export function digits(input: string) {
  return (cache.digits ??= new RegExp('^\\d+$')).test(input);
}`,
    `export class Matcher {
  private re?: RegExp;
  test(value: string) {
    this.re ??= new RegExp('^[a-z]+$');
    return this.re.test(value);
  }
}`,
    // Middleware factory: the regex is built once per factory call (at setup) and used by the closure.
    `export function bearerAuth(options: { token: string }) {
  const tokenPattern = new RegExp('^[A-Za-z0-9._~+/-]+=*$');
  return async function handler(header: string) {
    return tokenPattern.test(header) && header === options.token;
  };
}`,
    `export const requireSlug = (field: string) => {
  const slug = new RegExp('^[a-z-]+$');
  return (body: Record<string, string>) => slug.test(body[field]);
};`,
    // A parameter reassigned inside the loop is not invariant.
    `export function shrink(text: string, word: string) {
  while (new RegExp(word).test(text)) word = word + '!';
  return word;
}`,
    // A private function only called while the module loads runs once.
    `function buildRoutes(prefix: string) {
  return [new RegExp('^/orders/(\\d+)$'), prefix];
}
export const ROUTES = buildRoutes('/api');`,
    // split/replace with a string argument do not build a RegExp.
    `export function csv(line: string) {
  return line.split(',').map((cell) => cell.replace('"', ''));
}`,
    // Tests and test setup run each call a handful of times.
    {
      filename: 'src/metrics.test.ts',
      code: `const environment = 'production';
export function check(metrics: string) {
  return new RegExp(\`revision_id\\\\{environment="\${environment}"\\\\} 7\`).test(metrics) && metrics.match('revision');
}`,
    },
    { filename: 'jest.setup.ts', code: "export function isSlug(value: string) {\n  return new RegExp('^[a-z]+$').test(value);\n}" },
  ],
  invalid: [
    {
      name: 'in an array callback: compiled once per element, and the message says so',
      code: "export function letters(word: string) {\n  return word.split('').filter((c) => RegExp('\\\\p{L}', 'u').test(c));\n}\n",
      errors: [{ message: /^`RegExp\('\\\\p\{L\}', 'u'\)` is compiled again on every element of `word\.split\(''\)\.filter\(…\)`; hoist it/ }],
    },
    {
      name: 'a script is no test: a regex compiled per call in a script that reads a large file',
      filename: 'scripts/import-users.ts',
      code: "export function isSlug(value: string) {\n  return new RegExp('^[a-z]+$').test(value);\n}\n",
      errors: [{ message: /is compiled again on every call of `isSlug`/ }],
    },
    {
      name: 'in a constructor: compiled on every construction',
      code: `export class Router {
  private readonly prefix: boolean;
  constructor(path: string) {
    this.prefix = new RegExp('^/api/v[0-9]+/').test(path);
  }
}
`,
      errors: [{ line: 4, message: /^`new RegExp\('\^\/api\/v\[0-9\]\+\/'\)` is compiled again on every construction of `Router`; hoist it/ }],
    },
    {
      name: 'constant pattern in a function, hoisted as a literal after the imports',
      code: `import { z } from 'zod';

export function isSku(value: string) {
  const skuPattern = new RegExp('^[A-Z]{3}-\\\\d{4}$');
  return skuPattern.test(value) && z.string().parse(value) !== '';
}
`,
      errors: [
        {
          message: "`new RegExp('^[A-Z]{3}-\\\\d{4}$')` is compiled again on every call of `isSku`; hoist it to a module-level constant so it is compiled once.",
          line: 4,
          column: 22,
          endLine: 4,
          endColumn: 53,
          severity: 'warning',
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `SKU_PATTERN`',
              output: `import { z } from 'zod';

const SKU_PATTERN = /^[A-Z]{3}-\\d{4}$/;

export function isSku(value: string) {
  const skuPattern = SKU_PATTERN;
  return skuPattern.test(value) && z.string().parse(value) !== '';
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'RegExp without new, flags kept, slash escaped, name from the function',
      code: `export function isPath(value: string) {
  return RegExp('^/api/v\\\\d+/', 'i').test(value);
}
`,
      errors: [
        {
          line: 2,
          column: 10,
          endColumn: 37,
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `IS_PATH_RE`',
              output: `const IS_PATH_RE = /^\\/api\\/v\\d+\\//i;

export function isPath(value: string) {
  return IS_PATH_RE.test(value);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'empty pattern becomes (?:), CRLF newlines kept',
      code: `import a from 'a';\r\n\r\nexport function anything(value: string) {\r\n  return new RegExp('').test(value + a);\r\n}\r\n`,
      errors: [
        {
          line: 4,
          column: 10,
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `ANYTHING_RE`',
              output: `import a from 'a';\r\n\r\nconst ANYTHING_RE = /(?:)/;\r\n\r\nexport function anything(value: string) {\r\n  return ANYTHING_RE.test(value + a);\r\n}\r\n`,
            },
          ],
        },
      ],
    },
    {
      name: 'newline in the pattern string is escaped in the literal',
      code: `export function lines(text: string) {
  return text.split(new RegExp('\\r?\\n'));
}
`,
      errors: [
        {
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `LINES_RE`',
              output: `const LINES_RE = /\\r?\\n/;

export function lines(text: string) {
  return text.split(LINES_RE);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'name collision with an existing identifier gets a suffix',
      code: `const SLUG_RE = 1;
export function slug(value: string) {
  const slugRe = new RegExp('[^a-z0-9]+', 'gi');
  return value.toLowerCase().replace(slugRe, '-') + SLUG_RE;
}
`,
      errors: [
        {
          message: /every call of `slug`/,
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `SLUG_RE_2`',
              output: `const SLUG_RE_2 = /[^a-z0-9]+/gi;

const SLUG_RE = 1;
export function slug(value: string) {
  const slugRe = SLUG_RE_2;
  return value.toLowerCase().replace(slugRe, '-') + SLUG_RE;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'g flag used with test: reported, no fix',
      code: `export function hasDigits(value: string) {
  const digits = new RegExp('\\\\d+', 'g');
  return digits.test(value);
}
`,
      errors: [
        {
          message: /No automatic fix: the regex has the `g` flag and is used with `\.test\(\)`, which reads and advances `lastIndex`/,
          line: 2,
          column: 18,
          fixes: [],
        },
      ],
    },
    {
      name: 'y flag used inline with exec: reported, no fix',
      code: `export function token(value: string) {
  return new RegExp('[a-z]+', 'y').exec(value);
}
`,
      errors: [{ message: /`y` flag and is used with `\.exec\(\)`/, fixes: [] }],
    },
    {
      name: 'g flag that escapes the function: reported, no fix',
      code: `export function wordPattern() {
  return new RegExp('\\\\w+', 'g');
}
`,
      errors: [{ message: /escapes this expression/, fixes: [] }],
    },
    {
      name: 'g flag used only with replace/matchAll is safe to hoist',
      code: `export function normalize(value: string) {
  const spaces = new RegExp('\\\\s+', 'g');
  return [...value.replace(spaces, ' ').matchAll(spaces)].length;
}
`,
      errors: [
        {
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `SPACES_RE`',
              output: `const SPACES_RE = /\\s+/g;

export function normalize(value: string) {
  const spaces = SPACES_RE;
  return [...value.replace(spaces, ' ').matchAll(spaces)].length;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'pattern from a module-level constant: moved as is after its declaration',
      code: `import { db } from './db';
const PREFIX = 'ord';
export function isOrderId(value: string) {
  return new RegExp(\`^\${PREFIX}_[0-9a-f]{8}$\`).test(value) && db !== undefined;
}
`,
      errors: [
        {
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `IS_ORDER_ID_RE`',
              output: `import { db } from './db';
const PREFIX = 'ord';

const IS_ORDER_ID_RE = new RegExp(\`^\${PREFIX}_[0-9a-f]{8}$\`);
export function isOrderId(value: string) {
  return IS_ORDER_ID_RE.test(value) && db !== undefined;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'pattern from a local constant: hoisted as the computed literal',
      code: `export function isTicket(value: string) {
  const prefix = 'TCK';
  return new RegExp(prefix + '-\\\\d+').test(value);
}
`,
      errors: [
        {
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `IS_TICKET_RE`',
              output: `const IS_TICKET_RE = /TCK-\\d+/;

export function isTicket(value: string) {
  const prefix = 'TCK';
  return IS_TICKET_RE.test(value);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'String.raw pattern in an arrow function, inserted after a require prologue with a trailing comment',
      code: `'use strict';
const path = require('path'); // node built-in

const isJson = (file) => new RegExp(String.raw\`\\.json$\`).test(path.basename(file));
module.exports = { isJson };
`,
      filename: 'src/case.js',
      errors: [
        {
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `IS_JSON_RE`',
              output: `'use strict';
const path = require('path'); // node built-in

const IS_JSON_RE = /\\.json$/;

const isJson = (file) => IS_JSON_RE.test(path.basename(file));
module.exports = { isJson };
`,
            },
          ],
        },
      ],
    },
    {
      name: 'regex in a method: name from the method',
      code: `export class Sanitizer {
  stripTags(html: string) {
    return html.replace(new RegExp('<[^>]*>', 'g'), '');
  }
}
`,
      errors: [
        {
          message: /every call of `stripTags`/,
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `STRIP_TAGS_RE`',
              output: `const STRIP_TAGS_RE = /<[^>]*>/g;

export class Sanitizer {
  stripTags(html: string) {
    return html.replace(STRIP_TAGS_RE, '');
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'loop-invariant pattern built from a parameter: built once before the loop',
      code: `export function countMatches(lines: string[], term: string) {
  let count = 0;
  for (const line of lines) {
    const matcher = new RegExp(term, 'i');
    if (matcher.test(line)) count++;
  }
  return count;
}
`,
      errors: [
        {
          message: "`new RegExp(term, 'i')` is compiled again on every iteration of this loop although `term` does not change inside it; build it once before the loop.",
          line: 4,
          column: 21,
          endColumn: 42,
          related: 1,
          fixes: [
            {
              title: 'Build the regex once before the loop as `matcherRegex`',
              output: `export function countMatches(lines: string[], term: string) {
  let count = 0;
  const matcherRegex = new RegExp(term, 'i');
  for (const line of lines) {
    const matcher = matcherRegex;
    if (matcher.test(line)) count++;
  }
  return count;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "loop-invariant in a per-item callback, with an escape helper",
      code: `import escapeStringRegexp from 'escape-string-regexp';
export function highlight(rows: string[], query: string) {
  return rows.map((row) => row.replace(new RegExp(escapeStringRegexp(query), 'gi'), (m) => \`<b>\${m}</b>\`));
}
`,
      errors: [
        {
          message: /every element in this `map` callback although `query` does not change inside it/,
          fixes: [
            {
              title: 'Build the regex once before the `map` call as `compiledPattern`',
              output: `import escapeStringRegexp from 'escape-string-regexp';
export function highlight(rows: string[], query: string) {
  const compiledPattern = new RegExp(escapeStringRegexp(query), 'gi');
  return rows.map((row) => row.replace(compiledPattern, (m) => \`<b>\${m}</b>\`));
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'loop-invariant g regex used with test: reported without a fix',
      code: `export function flagged(lines: string[], word: string) {
  const out: string[] = [];
  for (const line of lines) {
    const re = new RegExp(word, 'g');
    if (re.test(line)) out.push(line);
  }
  return out;
}
`,
      errors: [{ message: /No automatic fix: the regex has the `g` flag and is used with `\.test\(\)`/, fixes: [] }],
    },
    {
      name: 'loop-invariant with dynamic flags: no fix (could be stateful)',
      code: `export function any(lines: string[], word: string, flags: string) {
  return lines.some((line) => new RegExp(word, flags).test(line));
}
`,
      errors: [{ message: /flags are not known/, fixes: [] }],
    },
    {
      name: 'nested loops: built before the outermost loop it is invariant in, before its label',
      code: `export function firstHit(batches: string[][], needle: string) {
  outer: for (const batch of batches) {
    for (const item of batch) {
      if (RegExp(needle).test(item)) break outer;
    }
  }
}
`,
      errors: [
        {
          fixes: [
            {
              title: 'Build the regex once before the loop as `compiledPattern`',
              output: `export function firstHit(batches: string[][], needle: string) {
  const compiledPattern = RegExp(needle);
  outer: for (const batch of batches) {
    for (const item of batch) {
      if (compiledPattern.test(item)) break outer;
    }
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'regex inside the closure a factory returns: runs per call of the closure',
      code: `export function guard(realm: string) {
  return (header: string) => new RegExp('^Bearer [\\\\w.-]+$').test(header) && realm !== '';
}
`,
      errors: [
        {
          message: "`new RegExp('^Bearer [\\\\w.-]+$')` is compiled again on every call of this function; hoist it to a module-level constant so it is compiled once.",
          line: 2,
          column: 30,
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `GUARD_RE`',
              output: `const GUARD_RE = /^Bearer [\\w.-]+$/;

export function guard(realm: string) {
  return (header: string) => GUARD_RE.test(header) && realm !== '';
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'globalThis.RegExp with undefined flags, file with a leading comment and no imports',
      code: `// Copyright (c) Shop Inc.
export function isHex(value: string) {
  return new globalThis.RegExp('^[0-9a-f]+$', undefined).test(value);
}
`,
      errors: [
        {
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `IS_HEX_RE`',
              output: `// Copyright (c) Shop Inc.
const IS_HEX_RE = /^[0-9a-f]+$/;

export function isHex(value: string) {
  return IS_HEX_RE.test(value);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'loop-invariant in a while loop with CRLF newlines and tab indentation',
      code: 'export function strip(lines: string[], marker: string) {\r\n\tlet i = 0;\r\n\twhile (i < lines.length) {\r\n\t\tlines[i] = lines[i].replace(new RegExp(marker), \'\');\r\n\t\ti++;\r\n\t}\r\n}\r\n',
      errors: [
        {
          line: 4,
          related: 1,
          fixes: [
            {
              title: 'Build the regex once before the loop as `compiledPattern`',
              output: 'export function strip(lines: string[], marker: string) {\r\n\tlet i = 0;\r\n\tconst compiledPattern = new RegExp(marker);\r\n\twhile (i < lines.length) {\r\n\t\tlines[i] = lines[i].replace(compiledPattern, \'\');\r\n\t\ti++;\r\n\t}\r\n}\r\n',
            },
          ],
        },
      ],
    },
    {
      name: 'string evidence: JSON.stringify, `as string`, process.env, join()',
      code: `export function checks(body: unknown, raw: unknown, parts: string[]) {
  return [
    JSON.stringify(body).search('"admin"'),
    (raw as string).match('^\\d+$'),
    process.env.DATABASE_URL?.match('sslmode=require'),
    parts.join('/').match('^api/'),
  ];
}
`,
      errors: [{ line: 3 }, { line: 4 }, { line: 5 }, { line: 6 }],
    },
    {
      name: 'a private function also called from another function still runs per call',
      code: `function isOrderPath(path: string) {
  return new RegExp('^/orders/\\d+$').test(path);
}
export const ready = isOrderPath('/orders/1');
export function handle(path: string) {
  return isOrderPath(path);
}
`,
      errors: [{ line: 2, message: /every call of `isOrderPath`/ }],
    },
    {
      name: 'str.match with a string literal on a string parameter',
      code: `export function major(version: string) {
  const m = version.match('^v(\\\\d+)\\\\.');
  return m ? Number(m[1]) : 0;
}
`,
      errors: [
        {
          message: "`version.match('^v(\\\\d+)\\\\.')` compiles its string argument into a new RegExp on every call of `major`; pass a module-level regex literal instead.",
          line: 2,
          column: 13,
          endColumn: 41,
          fixes: [
            {
              title: 'Hoist the pattern to the module-level regex `MAJOR_RE`',
              output: `const MAJOR_RE = /^v(\\d+)\\./;

export function major(version: string) {
  const m = version.match(MAJOR_RE);
  return m ? Number(m[1]) : 0;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'search on a toString() result; matchAll on a string-initialised variable',
      code: `export function scan(id: number, text?: string) {
  const body = text ?? '';
  const at = id.toString().search('7');
  return [...body.matchAll('a/b')].length + at;
}
`,
      errors: [
        {
          line: 3,
          fixes: [
            {
              title: 'Hoist the pattern to the module-level regex `SCAN_RE`',
              output: `const SCAN_RE = /7/;

export function scan(id: number, text?: string) {
  const body = text ?? '';
  const at = id.toString().search(SCAN_RE);
  return [...body.matchAll('a/b')].length + at;
}
`,
            },
          ],
        },
        {
          line: 4,
          fixes: [
            {
              title: 'Hoist the pattern to the module-level regex `SCAN_RE_2`',
              output: `const SCAN_RE_2 = /a\\/b/g;

export function scan(id: number, text?: string) {
  const body = text ?? '';
  const at = id.toString().search('7');
  return [...body.matchAll(SCAN_RE_2)].length + at;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'constant regex in a loop inside a function: hoisted to module level',
      code: `export function trimAll(values: string[]) {
  const out: string[] = [];
  for (const value of values) out.push(value.replace(new RegExp('^\\\\s+|\\\\s+$', 'g'), ''));
  return out;
}
`,
      errors: [
        {
          message: /every call of `trimAll`/,
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `TRIM_ALL_RE`',
              output: `const TRIM_ALL_RE = /^\\s+|\\s+$/g;

export function trimAll(values: string[]) {
  const out: string[] = [];
  for (const value of values) out.push(value.replace(TRIM_ALL_RE, ''));
  return out;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'default parameter value is evaluated per call',
      code: `export function tokens(text: string, separator = new RegExp('[,;]')) {
  return text.split(separator);
}
`,
      errors: [
        {
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `SEPARATOR_RE`',
              output: `const SEPARATOR_RE = /[,;]/;

export function tokens(text: string, separator = SEPARATOR_RE) {
  return text.split(separator);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'regex literal as the pattern argument with new flags',
      code: `const BASE = /^[a-z]+$/;
export function insensitive(value: string) {
  return new RegExp(/^[a-z]+$/, 'i').test(value) || BASE.test(value);
}
`,
      errors: [
        {
          fixes: [
            {
              title: 'Hoist the regex to the module-level constant `INSENSITIVE_RE`',
              output: `const INSENSITIVE_RE = /^[a-z]+$/i;

const BASE = /^[a-z]+$/;
export function insensitive(value: string) {
  return INSENSITIVE_RE.test(value) || BASE.test(value);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'two findings in one file get distinct names',
      code: `export function a(value: string) {
  return new RegExp('a+').test(value);
}
export const b = function (value: string) {
  return \`\${value}\`.search('b+');
};
`,
      errors: [
        { fixes: [{ title: 'Hoist the regex to the module-level constant `A_RE`', output: `const A_RE = /a+/;\n\nexport function a(value: string) {\n  return A_RE.test(value);\n}\nexport const b = function (value: string) {\n  return \`\${value}\`.search('b+');\n};\n` }] },
        { fixes: [{ title: 'Hoist the pattern to the module-level regex `B_RE`', output: `const B_RE = /b+/;\n\nexport function a(value: string) {\n  return new RegExp('a+').test(value);\n}\nexport const b = function (value: string) {\n  return \`\${value}\`.search(B_RE);\n};\n` }] },
      ],
    },
  ],
});
