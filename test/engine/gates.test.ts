import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { defineRule, Linter, memoryFileSystem } from '../../engine';
import * as ts from 'typescript';
import { PARSER_WARM_UP, PARSER_WARM_UP_JSX, parseStats } from '../../engine/parse';
import { regexLiteralCandidates } from '../../engine/regex';
import { matchesInCode, scanTokens, TOKEN_LITERAL } from '../../engine/textscan';
import { allRules } from '../../rules';
import { TOKENIZER_WARM_UP } from '../../rules/unbounded-collection';

/** The tokens of `text` as strings, or undefined when the tokenizer reports an inconsistency. */
function tokens(text: string): string[] | undefined {
  const out: string[] = [];
  const consistent = scanTokens(text, (kind, start, end) => {
    out.push(kind === TOKEN_LITERAL ? `«${text.slice(start, end)}»` : text.slice(start, end));
  });
  return consistent ? out : undefined;
}

describe('text tokenizer (rules’ gates)', () => {
  it('tells regex literals from divisions by the previous token', () => {
    assert.deepEqual(tokens('const re = /a+b/g; x = a / b / c;'), ['const', 're', '=', '«/a+b/g»', ';', 'x', '=', 'a', '/', 'b', '/', 'c', ';']);
    assert.deepEqual(tokens('y = (a + b) / 2; z = arr[0] / 2; w = i++ / 2'), ['y', '=', '(', 'a', '+', 'b', ')', '/', '«2»', ';', 'z', '=', 'arr', '[', '«0»', ']', '/', '«2»', ';', 'w', '=', 'i', '++', '/', '«2»']);
    // after a control statement's head a statement, so a regex, may start
    assert.deepEqual(tokens('if (ok) /x/.test(s)'), ['if', '(', 'ok', ')', '«/x/»', '.', 'test', '(', 's', ')']);
    // keywords that take an expression, but not as property names
    assert.deepEqual(tokens('return /[/]"/.test(s)'), ['return', '«/[/]"/»', '.', 'test', '(', 's', ')']);
    assert.deepEqual(tokens('a.return / 2'), ['a', '.', 'return', '/', '«2»']);
    // TypeScript's non-null assertion before a division
    assert.deepEqual(tokens('const t = ttl! / 1000'), ['const', 't', '=', 'ttl', '!', '/', '«1000»']);
  });

  it('reads strings, templates with nested substitutions, comments and a hashbang as opaque', () => {
    assert.deepEqual(tokens('#!/usr/bin/env node\nlet s = `a${ {b: "}"}.b }c${d}` // tail { (\n/* { */ f()'), [
      'let', 's', '=', '«`a${»', '{', 'b', ':', '«"}"»', '}', '.', 'b', '«}c${»', 'd', '«}`»', 'f', '(', ')',
    ]);
    assert.deepEqual(tokens("x = 'it\\'s'"), ['x', '=', "«'it\\'s'»"]);
  });

  it('reads the JIT warm-up modules consistently, and TypeScript parses them without errors (they must take real paths)', () => {
    assert.equal(scanTokens(TOKENIZER_WARM_UP, () => {}), true);
    for (const [text, kind] of [[TOKENIZER_WARM_UP, ts.ScriptKind.TS], [PARSER_WARM_UP, ts.ScriptKind.TS], [PARSER_WARM_UP_JSX, ts.ScriptKind.TSX]] as const) {
      const sourceFile = ts.createSourceFile('/warm-up.ts', text, ts.ScriptTarget.Latest, false, kind);
      assert.deepEqual((sourceFile as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')), []);
    }
  });

  it('reports text it cannot read consistently', () => {
    assert.equal(tokens('const s = "unterminated\nnext'), undefined);
    assert.equal(tokens('const t = `open ${x'), undefined);
    assert.equal(tokens('/* never closed'), undefined);
    assert.equal(tokens('function f() { if (x) { }'), undefined);
    assert.equal(tokens('a = (b]'), undefined);
    // a division misread as a regex runs to the end of its line
    assert.equal(tokens('x = {} / 2\n'), undefined);
  });

  it('finds a pattern in code only: not in comments (matchesInCode)', () => {
    const text = "/** Reads req.query.limit. */\n// see `.take(n)`\nconst q = '.query';\nfetch(url).then((r) => r.body);\n";
    assert.equal(matchesInCode(text, /\.\s*take\s*\(/), false, 'only in a line comment');
    assert.equal(matchesInCode(text, /\.query\b/), true, 'in a string literal: a token');
    assert.equal(matchesInCode(text, /\.\s*body\b/), true);
    assert.equal(matchesInCode('/** req.query */\nconst a = `${req.query.x}`;\n', /\.query\b/g), true, 'in a template substitution');
    assert.equal(matchesInCode('/** req.query */ const s = "unterminated\n', /\.query\b/), true, 'unsure when the text does not tokenize');
    assert.equal(matchesInCode('const limit = 1; /* limit */', /\blimit\b/), true);
    assert.equal(matchesInCode('x(); /* limit */', /\blimit\b/), false);
  });

  it('yields every possible regex literal, and only quantified ones on request', () => {
    const text = 'const a = x / y; const re = /^(a+)+$/u; // see https://example.com/x*y/\nconst b = "/[/]/"';
    const all = [...regexLiteralCandidates(text)].map((c) => `${c.source}|${c.flags}`);
    assert.ok(all.includes('^(a+)+$|u'), all.join(' ; '));
    assert.ok(all.includes('[/]|'), 'a class holds its slash');
    const quantified = [...regexLiteralCandidates(text, true)].map((c) => c.source);
    assert.ok(quantified.every((source) => /[*+{]/.test(source)), quantified.join(' ; '));
    assert.ok(!quantified.includes('[/]'));
    assert.deepEqual([...regexLiteralCandidates('/abc\ndef/')].map((c) => c.source), [], 'a literal never spans lines');
    assert.deepEqual([...regexLiteralCandidates(`/${'a+'.repeat(50)}/`, true, 20)], [], 'longer than maxLength');
  });
});

const ROOT = path.resolve('/virtual/gates');

function linterFor(files: Record<string, string>): Linter {
  const host = memoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [path.join(ROOT, p), t])));
  return new Linter({ root: ROOT, rules: allRules, host });
}

/** What a rule's text gate is asked with, for `file` (relative to ROOT) in `project`. */
function gateInput(file: string, text: string, project = linterFor({}).project, pageSizeNames: string[] = []) {
  return { path: path.join(ROOT, file), text, language: 'typescript' as const, options: {}, settings: { defaultPageSize: 100, pageSizeNames }, project };
}

/** A factory whose Map lives as long as what it returns (unbounded-collection reports it when that is kept at module level). */
const FACTORY = 'function makeCache() {\n  const entries = new Map<string, number>();\n  return (k: string) => { entries.set(k, 1); };\n}\n';

describe('rules’ text gates', () => {
  it('leave a file no rule can report in unparsed, with its lines counted and its directives checked', () => {
    const text = [
      'export function total(items: Array<{ price: number }>): number {',
      '  const seen: number[] = [];',
      '  for (const item of items) seen.push(item.price / 100);',
      '  // perflint-disable-next-line n-plus-one -- nothing to suppress here',
      '  return seen.reduce((a, b) => a + b, 0);',
      '}',
      '',
    ].join('\n');
    const linter = linterFor({ 'src/total.ts': text });
    const before = parseStats.count;
    const result = linter.analyzeText(path.join(ROOT, 'src/total.ts'), text);
    assert.equal(parseStats.count, before, 'not parsed');
    assert.equal(result.lines, 6);
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['unused-disable-directive']);
    // Directive words inside literals are no directive: the gates' tokenizer tells, without a parse.
    const literals = "export const a = '// perflint-disable-next-line';\nexport const b = total*/E_URL=\"post// perflint-disable-next-line\n;\n";
    const other = linterFor({ 'src/literals.ts': literals });
    const beforeLiterals = parseStats.count;
    assert.deepEqual(other.analyzeText(path.join(ROOT, 'src/literals.ts'), literals).findings, []);
    assert.equal(parseStats.count, beforeLiterals, 'not parsed');
    // When the tokenizer cannot read the text consistently (an unclosed template here), the parse tells.
    const unsure = "export const a = '// perflint-disable-next-line';\nexport const b = `${'x'";
    const third = linterFor({ 'src/unsure.ts': unsure });
    assert.deepEqual(third.analyzeText(path.join(ROOT, 'src/unsure.ts'), unsure).findings, []);
  });

  it('let a file through when a rule may report, and a gate never hides what the rule finds', () => {
    const cases: Record<string, string> = {
      // module-level Map grown by a function
      'src/cache.ts': 'const cache = new Map<string, number>();\nexport function remember(k: string, v: number) {\n  cache.set(k, v);\n}\n',
      // a super-linear regex literal
      'src/slug.ts': 'export const isSlug = (s: string) => /^(a|a)*$/.test(s);\n',
      // a RegExp compiled per call
      'src/match.ts': "export function has(s: string, word: string) {\n  return new RegExp('\\\\bfoo\\\\b').test(s);\n}\n",
      // a dictionary grown through an alias-free element assignment in a class field
      'src/visits.ts': 'export class Visits {\n  private lastSeen: Record<string, number> = {};\n  hit(ip: string) { this.lastSeen[ip] = Date.now(); }\n}\nexport const visits = new Visits();\n',
      // shapes the unbounded-collection gate's tokenizer must read through
      'src/asi.ts': 'const a = 1\nconst hits = new Map<string, number>()\nexport function hit(k: string) {\n  hits.set(k, (hits.get(k) ?? 0) + a)\n}\n',
      'src/genericClass.ts': 'class Store<T extends { id: string }> {\n  private items = new Map<string, T>();\n  put(item: T) { this.items.set(item.id, item); }\n}\nexport const store = new Store<{ id: string }>();\n',
      'src/defaultClass.ts': 'export default class Sessions {\n  static byId = new Map<string, object>();\n  static open(id: string) { Sessions.byId.set(id, {}); }\n}\n',
      'src/multilineField.ts': 'export class Tracker {\n  private readonly seen: Map<\n    string,\n    number\n  > = new Map();\n  track(k: string) { this.seen.set(k, Date.now()); }\n}\nexport const tracker = new Tracker();\n',
      'src/regexBefore.ts': "const quote = /[{'\"`]/;\nconst log: string[] = [];\nexport function record(line: string) {\n  if (quote.test(line)) log.push(line);\n}\n",
      'src/divisionBefore.ts': 'const half = (a: number) => (a + 1) / 2;\nconst samples: number[] = [];\nexport function sample(v: number) { samples.push(half(v)); }\n',
      'src/templateBefore.ts': "const t = (x: string) => `a${ { b: '}' }.b }${x}`;\nconst seen = new Set<string>();\nexport function mark(x: string) { seen.add(t(x)); }\n",
      'src/iife.ts': 'const api = (() => {\n  const cache = new Map<string, string>();\n  return { put(k: string, v: string) { cache.set(k, v); } };\n})();\nexport default api;\n',
      'src/arrowFactory.ts': 'const makeCache = () => {\n  const entries = new Map<string, number>();\n  return (k: string) => { entries.set(k, 1); return entries.get(k); };\n};\nexport const cached = makeCache();\n',
      // Unicode white space between tokens (an ideographic space after `const`)
      'src/unicodeSpace.ts': 'const\u3000seen = new Set<string>();\nexport function mark(x: string) { seen.add(x); }\n',
      'src/typeLiteralField.ts': 'export class Registry {\n  private byId: {\n    [id: string]: number;\n  } = {};\n  see(id: string) { this.byId[id] = Date.now(); }\n}\nexport const registry = new Registry();\n',
      'src/ctor.ts': 'export class Registry {\n  private byIp: Record<string, number>;\n  constructor() { this.byIp = {}; }\n  see(ip: string) { this.byIp[ip] = Date.now(); }\n}\nexport const registry = new Registry();\n',
      // declarations the gate's search for names declared with a collection (before tokenizing) must see
      'src/commentBeforeInit.ts': 'const seen /* ids */ = new Set<string>();\nexport function mark(x: string) { seen.add(x); }\n',
      'src/annotatedWithFunctionType.ts': 'const byName: Map<string, { at: number; run: () => void }> = new Map();\nexport function see(name: string) {\n  byName.set(name, { at: Date.now(), run: () => {} });\n}\n',
      'src/tightGenericClose.ts': 'const seen: Map<string, number>= new Map();\nexport function see(k: string) { seen.set(k, 1); }\n',
      // comments between the words of a creation, and an optional chain's `?.` (found by fuzzing: \`new // …\` then \`Map\`)
      'src/commentInNew.ts': 'export function put(k: string, v: string) { cache.set(k, v); }\nconst cache = new // the cache\n  Map<string, string>();\n',
      'src/blockCommentInNew.ts': 'const seen = new/* ids */Set<string>();\nexport function mark(x: string) { seen.add(x); }\n',
      'src/optionalObjectCreate.ts': 'const byKey = Object?.create(null) as Record<string, number>;\nexport function see(k: string) { byKey[k] = 1; }\n',
      'src/unicodeSpaceInNew.ts': 'const seen = new\u00a0Set<string>();\nexport function mark(x: string) { seen.add(x); }\n',
      'src/unicodeSpaceBeforeInit.ts': 'const seen\u00a0= new Set<string>();\nexport function mark(x: string) { seen.add(x); }\n',
      // an array grown by writing at its length (the only element assignment that grows an array)
      'src/atLength.ts': 'const log: string[] = [];\nexport function record(line: string) {\n  log[log.length] = line;\n}\n',
      'src/atLengthField.ts': 'export class Log {\n  private lines: string[] = [];\n  add(line: string) { this.lines[this.lines.length] = line; }\n}\nexport const log = new Log();\n',
      'src/atLengthDict.ts': 'const seen = {} as Record<string, number>;\nexport function see(k: string, i: number) {\n  seen[k] = i;\n}\n',
      'src/privateNameField.ts': 'export class Tracker {\n  #seen = new Set<string>();\n  see(k: string) { this.#seen.add(k); }\n}\nexport const tracker = new Tracker();\n',
      // half-typed code whose reading by TypeScript's error recovery the gate cannot follow (found by fuzzing): unsure, so let through
      'src/nameAfterType.ts': 'export class JobQueue {\n  private static instance: JobQueue |ivate done = new Set<string>();\n  static get(): JobQueue {\n    return (JobQueue.instance ??= new JobQueue());\n  }\n  complete(id: string) {\n    this.done.add(id);\n  }\n}\n',
      'src/statementInClass.ts': 'export class JobQueue {\n  private static instance: JobQueue | undefined;\n  private done = new Set<string>();\nfor (const item of items) {\n    return (JobQueue.instance ??= new JobQueue());\n}\n  static get(): JobQueue {\n  }\n  complete(id: string) {\nfor (const item of items) {\n    this.done.add(id);\n}\n  }\n}\n',
      'src/semicolonInParams.ts': 'function memoize<A, R>(fn:; (a: A) => R) {\n  const cache = new Map<A, R>();\n  return (a: A) => { if (!cache.has(a)) cache.set(a, fn(a)); return cache.get(a)!; };\n}\nexport function handle(n: number) { const f = memoize((x: number) => x + 1); return f(n); }',
      'src/functionNameCutByRegex.ts': "class RequestContext {\n  private readonly values = new Map<string, unknown>();\n  set(k: string, v: unknown) { this.values.set(k, v); }\n}\nexport function h/(x+x+)+y/andle() { const ctx = new RequestContext(); ctx.set('user', 1); return ctx; }",
      'src/mismatchedAnnotation.ts': 'const attempts: {mail: string]: number } = {};\nexport function failedLogin(email: string) {\n  attempts[email] = (attempts[email] || 0) + 1;\n}\n',
      'src/arrowBeforeString.ts': "const A_RE = /a+/;\n\nexport function a(value: string) {\n  return A_RE.test(value);\n}\nexport const b = function (Promise.all(value: string) {\nfor (const item of items) {\n  return `${value}`.search(=>'b+');\n}\n};\n",
      'src/arrowAfterParen.ts': 'function memoize<A, R>(fn: (=>a: A) => R) {\n  const cache = new Map<A, R>();\nfor (const item of items) {\n  return (a: A) => { if (!cache.has(a)) cache.set(a, fn(a)); returnturn cache.get(a)!; };\n}\n}\nexport function handle(n: number) { const f = memoize((x: number) => x + 1); return f(n); }',
      'src/dotBeforeStatement.ts': 'function memoize<A, R>(fn: (arg: A) => R): (arg: A) => R {\n  .const cache = new Map<A, R>();\n  return (arg: A) => {\n    if (!cache.has(arg)) cache.set(arg, fn(arg));\n    return cache.get(arg)!;\n  };\n}\nexport const priceFor = memoize((sku: string) => sku.length * 100);\n',
      // a name typed into a parameter list (TypeScript's recovery reads the body as a module-level block)
      'src/nameNameInParams.ts': 'function memoize<A, R>(fnew Map()n: (a: A) => R) {\n  const cache = new Map<A, R>();\n  return (a: A) => { if (!cache.has(a)) cache.set(a, fn(a)); return cache.get(a)!; };\n}\nexport function handle(n: number) { const f = memoize((x: number) => x + 1); return f(n); }\n',
      // a name right after a function's type parameters or parameters (TypeScript's recovery reads the body as a module-level block)
      'src/nameAfterTypeParams.ts': 'function memoize<A, R>oize<A, R>(fn: (a: A) => R) {\n  const cache = new Map<A, R>();\n  return (a: A) => { if (!cache.has(a)) cache.set(a, fn(a)); return cache.get(a)!; };\n}\nexport function handle(n: number) { const f = memoize((x: number) => x + 1); return f(n); }',
      'src/nameAfterParams.ts': 'function memoize<A, R>(fn: (a: A) => R)ize<A, R>(fn: (a: A) => R) {\n  const cache = new Map<A, R>();\n  return (a: A) => { if (!cache.has(a)) cache.set(a, fn(a)); return cache.get(a)!; };\n}\nexport function handle(n: number) { const f = memoize((x: number) => x + 1); return f(n); }',
      // a comment between a growing collection and its method (`history // why` then `.unshift(…)`)
      'src/commentBeforeGrowth.ts': 'const history: string[] = [];\nexport function visit(url: string) {\n  history // newest first\n    .unshift(url);\n}\n',
      'src/blockCommentBeforeGrowth.ts': 'const history: string[] = [];\nexport function visit(url: string) {\n  history /* newest first */.unshift(url);\n}\n',
      // a line comment between `RegExp` and its arguments
      'src/lineCommentInConstruction.ts': "export function isSku(value: string) {\n  const sku = new RegExp // the SKU format\n  ('^[A-Z]{3}-\\\\d{4}$');\n  return sku.test(value);\n}\n",
      // a schema library's import still being typed (TypeScript reads the unterminated string as 'zod')
      'src/unterminatedImport.ts': "import { z } from 'zod\n';\nexport const listQuery = z.object({ limit: z.string().pipe(z.coerce.number()) });\n",
      // a class's name cut by a typo: TypeScript's recovery reads the instantiation at module scope
      'src/cutClassName.ts': 'class StatsByContext {\n  readonly map: Record<string, number> = Object.create(null);\n  add(key: string) { this.map[key] = (this.map[key] ?? 0) + 1; }\n}\nclass Rep?.ort { readonly stats = new StatsByContext(); }\nexport function makeReport() { return new Report(); }\n',
      // two names in a row in a declaration (TypeScript reads `seen = new Set()` as a new declarator)
      'src/nameAfterNameInDeclaration.ts': 'const history: strionst seen = new Set<string>();\nexport function ingest(ids: string[]) { ids.forEach((id) => seen.add(id)); }\n',
      // a page-size field whose type is being typed (`take?mber`: TypeScript ends the member `take?` there)
      'src/optionalFieldCut.ts': "import * as cv from 'class-validator';\nimport { ApiPropertyOptional } from '@nestjs/swagger';\nexport class A {\n  @ApiPropertyOptional()\n  @cv.IsPositive()\n  take?mber;\n}\n",
      // a digit typed right before `RegExp` (TypeScript reads a number, then the construction)
      'src/digitBeforeRegExp.ts': "export function wordPattern() {\n  return new take: 10RegExp('\\\\w+', 'g');\n}\n",
      // an import whose string is not closed yet (TypeScript ends it at the line break: found by fuzzing)
      'src/unterminatedDbImport.ts': "import mysql from 'mysql2/promise\n;\nexport const pool = mysql.createPool({ host: 'db', user: 'app', database: 'shop' });\n",
      // a module specifier holding the other quote (TypeScript reads the whole string)
      'src/otherQuoteInSpecifier.ts': "import { drizzle } from 'drizzle-orm/\"x\"node-postgres';\nexport async function handler() {\n  const db = drizzle(process.env.DATABASE_URL!);\n  return db.execute('select 1');\n}\n",
      // a stray word before a shorthand `limit` (TypeScript's recovery reads the property)
      'src/strayWordBeforeLimit.ts': 'export async function list(ctx: any, repo: any) {\n  const limit = Number(ctx.request.query.limit) || 20;\n  return repo.find({ async limit });\n}\n',
      'src/strayWordAfterLimit.ts': 'export async function list(ctx: any, repo: any) {\n  const limit = Number(ctx.request.query.limit) || 20;\n  return repo.find({ limit \u00e9});\n}\n',
      'src/statementAfterLimit.ts': 'export async function list(ctx: any, repo: any) {\n  const limit = Number(ctx.request.query.limit) || 20;\n  return repo.find({ limit    for (const id of ids) {}\n  });\n}\n',
      // a page-size field closed by the class's brace while typing (`pageSize!}`)
      'src/fieldClosedByBrace.ts': "import { IsInt } from 'class-validator';\nexport class A {\n  @IsInt() pageSize!}\n",
      // a decorated page-size field followed by junk while typing (TypeScript ends the member at the junk)
      'src/fieldThenJunk.ts': "import { IsInt, Min } from 'class-validator';\nexport class A {\n  @IsInt()\n  @Min(1)\n  pageSize '@/lib/db';\n}\n",
      'src/fieldThenName.ts': "import * as cv from 'class-validator';\nexport class A {\n  @cv.IsPositive() take prisma = 1;\n}\n",
      'src/fieldThenDot.ts': "import { IsInt, Min } from 'class-validator';\nexport class A {\n  @IsInt()\n  @Min(1)\n  perPage.pust { x } from 'y';\n}\n",
      // a JSON schema cut off inside its type string (TypeScript still reads 'integer')
      'src/halfTypedSchema.ts': "export const schema = {\n  querystring: {\n    type: 'object',\n    properties: {\n      limit: { type: 'integer",
      // a field after a half-typed modifier on its line (TypeScript reads `seen` as a new member)
      'src/typoBeforeField.ts': 'export class Tracker {\n  privatey seen = new Map<string, number>();\n  see(k: string) { this.seen.set(k, 1); }\n}\nexport const tracker = new Tracker();\n',
      'src/optionalField.ts': 'export class Tracker {\n  private seen?: Map<string, number> = new Map();\n  see(k: string) { this.seen!.set(k, 1); }\n}\nexport const tracker = new Tracker();\n',
      'src/stringInAnnotation.ts': "const byKind: Record<'a' | 'b', string[]> & Record<string, string[]> = {};\nexport function put(kind: string, x: string) { byKind[kind] = [x]; }\n",
      // a factory called at module level (memoize pattern), generic function declaration
      'src/memo.ts': 'function makeMemo<T>(fn: (k: string) => T) {\n  const memo = new Map<string, T>();\n  return (k: string) => { if (!memo.has(k)) memo.set(k, fn(k)); return memo.get(k)!; };\n}\nexport const lookup = makeMemo((k) => k.length);\n',
      // a factory called in an immediately invoked function (block body, expression body), or after a typed declarator
      'src/iifeCallsFactory.ts': `${FACTORY}export const api = (() => {\n  const remember = makeCache();\n  return { remember };\n})();\n`,
      'src/arrowIifeCallsFactory.ts': `${FACTORY}export const remember = (() => makeCache())();\n`,
      'src/typedDeclarator.ts': `${FACTORY}export const remember: (k: string) => void = makeCache();\n`,
      'src/afterExpressionArrow.ts': `${FACTORY}const id = (x: string) => x\nexport const remember = makeCache()\nexport { id }\n`,
      'src/afterTypedArrow.ts': `${FACTORY}const id = (x: string): string => x\nexport const remember = makeCache()\nexport { id }\n`,
      'src/typeLiteralReturn.ts': 'function makeCache(): { put: (k: string) => void; n: number } {\n  const entries = new Map<string, number>();\n  return { put: (k: string) => { entries.set(k, 1); }, n: 0 };\n}\nexport const kept = makeCache();\n',
      'src/functionTypeReturn.ts': `${FACTORY}export function wrap(): () => void {\n  const remember = makeCache();\n  return () => remember('k');\n}\nexport const kept = makeCache();\n`,
      // a singleton kept in a static field by a static method
      'src/staticHolder.ts': 'export class Registry {\n  private static instance?: Registry;\n  private seen = new Map<string, number>();\n  static get(): Registry { return (Registry.instance ??= new Registry()); }\n  see(k: string) { this.seen.set(k, 1); }\n}\n',
      // instantiated in a static member's initializer that goes on after a line break, after an object literal's `}`, in a static block
      'src/staticTernary.ts': 'export class Registry {\n  static instance = process.env.X\n    ? new Registry()\n    : undefined;\n  private seen = new Map<string, number>();\n  see(k: string) { this.seen.set(k, 1); }\n}\n',
      'src/afterObjectLiteral.ts': 'export class Registry {\n  static defaults = process.env.X ? {} : new Registry();\n  private seen = new Map<string, number>();\n  see(k: string) { this.seen.set(k, 1); }\n}\n',
      'src/objectLiteralLines.ts': 'export class Registry {\n  static instance = {\n    a: 1 }\n    && new Registry();\n  private seen = new Map<string, number>();\n  see(k: string) { this.seen.set(k, 1); }\n}\n',
      'src/staticBlock.ts': 'export class Registry {\n  private seen = new Map<string, number>();\n  static { Registry.shared = new Registry(); }\n  static shared: Registry;\n  see(k: string) { this.seen.set(k, 1); }\n}\n',
      // a module-level block after a parenthesised case label, and an IIFE in an object after a ternary's call
      'src/caseBlock.ts': "switch (process.env.MODE) {\n  case ('dev'): {\n    const seen = new Set<string>();\n    (globalThis as any).track = (x: string) => { seen.add(x); };\n    break;\n  }\n}\n",
      'src/ternaryObject.ts': 'const wrap = (x: unknown) => x;\nexport const api = process.env.X ? wrap(null) : { store: (() => {\n  const cache = new Map<string, number>();\n  return (k: string) => { cache.set(k, 1); };\n})() };\n',
    };
    for (const [file, text] of Object.entries(cases)) {
      const linter = linterFor({ [file]: text });
      const gated = linter.analyzeText(path.join(ROOT, file), text).findings.map((f) => f.ruleId);
      const ungated = linter.analyzeText(path.join(ROOT, file), text, { ignoreGates: true }).findings.map((f) => f.ruleId);
      assert.ok(ungated.length > 0, `${file}: the case reports something`);
      assert.deepEqual(gated, ungated, file);
    }
  });

  it('let every spelling of a RegExp construction through, and keep out RegExp as a type (regex rules)', () => {
    // Each constructs a super-linear regex per call: both regex rules report it.
    const constructions = [
      'new RegExp(PATTERN)',
      'RegExp(PATTERN)',
      'RegExp?.(PATTERN)',
      'new RegExp<any>(PATTERN)',
      'new RegExp!(PATTERN)',
      'new (RegExp as any)(PATTERN)',
      'new (globalThis.RegExp)(PATTERN)',
      'new (<any>RegExp)(PATTERN)',
      'new RegExp /* the pattern */ (PATTERN)',
      'new RegExp\n    (PATTERN)',
      'new ( RegExp satisfies RegExpConstructor )(PATTERN)',
    ];
    for (const construction of constructions) {
      const text = `const PATTERN = '^(a+)+$';\nexport function check(s: string) {\n  return ${construction}.test(s);\n}\n`;
      const linter = linterFor({ 'src/check.ts': text });
      const gated = linter.analyzeText(path.join(ROOT, 'src/check.ts'), text).findings.map((f) => f.ruleId);
      const ungated = linter.analyzeText(path.join(ROOT, 'src/check.ts'), text, { ignoreGates: true }).findings.map((f) => f.ruleId);
      assert.deepEqual(ungated, ['regex-per-call', 'super-linear-regex'], construction);
      assert.deepEqual(gated, ungated, construction);
    }
    const types = [
      'export const match = (re: RegExp) => (s: string) => re.test(s);',
      'export type Matcher = RegExp | ((s: string) => boolean);',
      'export const isRegex = (x: unknown) => x instanceof RegExp && String(x) !== "";',
      'export const byName: Map<string, RegExp> = new Map();',
      '/** A RegExp to match (anything). */\nexport const any = (s: string) => s.length >= 0;',
      'const $RegExp = (s: string) => s;\nexport const f = () => $RegExp("x");',
    ];
    for (const text of types) {
      const linter = linterFor({ 'src/types.ts': text });
      const before = parseStats.count;
      assert.deepEqual(linter.analyzeText(path.join(ROOT, 'src/types.ts'), text).findings, [], text);
      assert.equal(parseStats.count, before, `not parsed: ${text}`);
    }
  });

  it('keep out files whose growing collections cannot live long (unbounded-collection)', () => {
    const cases: Record<string, string> = {
      // an instance field of a class that is neither exported nor instantiated as a singleton
      'src/batch.ts': "class Batch {\n  private items: string[] = [];\n  add(x: string) { this.items.push(x); }\n}\nexport function run() {\n  const b = new Batch();\n  b.add('x');\n  return b;\n}\n",
      // …also when another class keeps an instance in an instance field, or a function returns one
      'src/heldElsewhere.ts': "class Batch {\n  private items: string[] = [];\n  add(x: string) { this.items.push(x); }\n}\nexport class Job {\n  private batch: Batch;\n  constructor() {\n    this.batch = new Batch();\n  }\n}\nexport const make = (flag: boolean) => (flag ? new Batch() : { batch: new Batch() });\n",
      // a function called only from an arrow function's expression body
      'src/collect.ts': 'function collect(xs: number[]) {\n  const out: number[] = [];\n  for (const x of xs) out.push(x);\n  return out;\n}\nexport const all = (xs: number[]) => collect(xs);\n',
      // …also when the arrow has a return type
      'src/collectTyped.ts': 'function collect(xs: number[]) {\n  const out: number[] = [];\n  for (const x of xs) out.push(x);\n  return out;\n}\nexport const all = (xs: number[]): number[] =>\n  collect(xs);\n',
      // a generic function's declaration is no call
      'src/generic.ts': 'export function gather<T>(xs: T[]) {\n  const out: T[] = [];\n  for (const x of xs) out.push(x);\n  return out;\n}\n',
      // a curried arrow: the inner function is no factory the module-level call keeps (its result is)
      'src/curried.ts': 'const make = (n: number) => (xs: number[]) => {\n  const out: number[] = [];\n  for (const x of xs) out.push(x * n);\n  return out;\n};\nexport const double = make(2);\n',
      // a function whose return type holds a type literal with semicolons has a body, not a module-level block
      'src/ranges.ts': 'export function ranges(xs: number[]): Array<{ from: number; to: number }> {\n  const out: Array<{ from: number; to: number }> = [];\n  for (const x of xs) out.push({ from: x, to: x + 1 });\n  return out;\n}\n',
      // a method with a parenthesised return type has a body, not a module-level block
      'src/handlers.ts': 'export class Hooks {\n  list(): (() => void)[] {\n    const hooks: (() => void)[] = [];\n    hooks.push(() => {});\n    return hooks;\n  }\n}\n',
      // growth only of parameters and of names declared without a collection (the gate stops before tokenizing)
      'src/params.ts': 'export function add(list: string[], seen: Set<string>, x: string) {\n  list.push(x);\n  seen.add(x);\n}\nexport const buffer = { size: 0 };\n',
      'src/notCollections.ts': 'const emitter = makeEmitter();\nexport const headers = new Headers();\nexport function on(x: string) {\n  emitter.add(x);\n  headers.set(x, x);\n}\n',
      // a dictionary only read by key
      'src/table.ts': "const names: Record<number, string> = { 1: 'one' };\nexport function name(n: number) {\n  const parts: string[] = [];\n  parts.push(names[n]);\n  return parts;\n}\n",
      // a destructuring declaration takes its literal apart at once (nothing keeps the array)
      'src/destructured.ts': "const [first, second] = ['a', 'b'];\nexport function add(list: string[] = [], x: string) {\n  list.push(x, first, second);\n  return list;\n}\n",
      // a field whose type goes on after a type literal (`Array<{ … }>`): the field keeps its name, and its class makes instances per call
      'src/typeAfterLiteral.ts': 'class Batch {\n  readonly items: Array<{\n    readonly value: string\n  }> = []\n  add(value: string) { this.items.push({ value }); }\n}\nexport function run() {\n  const b = new Batch();\n  b.add("x");\n  return b;\n}\n',
      // valid code with two names in a row (a default import, labels, `satisfies`, `declare module`): read, not taken for half-typed code
      'src/nameNameValid.ts': "import Foo from './foo';\nimport type Bar from './bar';\ndeclare module Legacy { }\nexport const limits = { a: 1 } satisfies Record<string, number>;\nexport function pairs(xs: number[]) {\n  const out: number[] = [];\n  outer: for (const x of xs) {\n    for (const y of xs) {\n      if (y > x) continue outer;\n      if (y < 0) break outer;\n      out.push(x * y);\n    }\n  }\n  return { out, foo: Foo as unknown as Bar };\n}\n",
      // a module-level array written by index, not at its length (a reused scratch buffer: it never grows)
      'src/scratch.ts': 'const path: Array<string> = [];\nlet depth = 0;\nexport function enter(key: string) {\n  path[depth++] = key;\n  return path.slice(0, depth);\n}\n',
    };
    for (const [file, text] of Object.entries(cases)) {
      const linter = linterFor({ [file]: text });
      const before = parseStats.count;
      assert.deepEqual(linter.analyzeText(path.join(ROOT, file), text).findings, [], file);
      assert.equal(parseStats.count, before, `${file}: not parsed`);
      assert.deepEqual(linter.analyzeText(path.join(ROOT, file), text, { ignoreGates: true }).findings, [], `${file}: the rule agrees`);
    }
  });

  it('keep out a bound fed by JSON.parse, and let one through when JSON is a local binding (uncapped-page-size)', () => {
    const text = 'export function page(rows: { take(n: number): unknown }, raw: string) {\n  const { size } = JSON.parse(raw);\n  return rows.take(size);\n}\n';
    const file = path.join(ROOT, 'src/page.ts');
    const before = parseStats.count;
    assert.deepEqual(linterFor({ 'src/page.ts': text }).analyzeText(file, text).findings, []);
    assert.equal(parseStats.count, before, 'not parsed');
    const gate = allRules.find((rule) => rule.id === 'uncapped-page-size')!.mayReport!;
    const input = (source: string) => gateInput('src/page.ts', source);
    assert.equal(gate(input(`import { ListQuery as JSON } from './schemas';\n${text}`)), true);
    assert.equal(gate(input(text.replace('JSON.parse(raw)', 'ListQuery.parse(raw)'))), true);
  });

  it('keep out files whose request input and page-size names are only in comments, and let JSX through (uncapped-page-size)', () => {
    const documented = "import { z } from 'zod';\n/**\n * Streams rows: `db.rows.take(req.query.limit)` would read them all.\n * The label limit\n */\nexport const firstRows = (rows: { take(n: number): unknown }, n: number) => rows.take(n);\nexport const Name = z.string();\n";
    const file = path.join(ROOT, 'src/rows.ts');
    const before = parseStats.count;
    assert.deepEqual(linterFor({ 'src/rows.ts': documented }).analyzeText(file, documented).findings, []);
    assert.equal(parseStats.count, before, 'not parsed');
    const gate = allRules.find((rule) => rule.id === 'uncapped-page-size')!.mayReport!;
    const input = (source: string, name = 'src/rows.ts') => gateInput(name, source, undefined, ['limit']);
    assert.equal(gate(input(documented)), false);
    assert.equal(gate(input(documented.replace('export const firstRows', 'export const input = (req: any) => req.query;\nexport const other'))), true, 'request input in code');
    assert.equal(gate(input(documented, 'src/rows.tsx')), true, 'JSX text is not read: unsure');
  });

  it('follow imports to a database module through the import index, and an edited text\'s own imports (n-plus-one)', () => {
    const files = {
      'src/db.ts': "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n",
      'src/repo.ts': "import { prisma } from './db';\nexport const findUser = (id: string) => prisma.user.findUnique({ where: { id } });\n",
      'src/report.ts': "import { findUser } from './repo';\nexport async function names(ids: string[]) {\n  const out = [];\n  for (const id of ids) out.push(await findUser(id));\n  return out;\n}\n",
      'src/plain.ts': 'export async function names(ids: string[]) {\n  return ids;\n}\n',
    };
    const linter = linterFor(files);
    const gate = allRules.find((rule) => rule.id === 'n-plus-one')!.mayReport!;
    const input = (file: string, text: string) => gateInput(file, text, linter.project);
    assert.equal(gate(input('src/report.ts', files['src/report.ts'])), true, 'two hops through the index');
    assert.equal(gate(input('src/plain.ts', files['src/plain.ts'])), false);
    // an unsaved text with an import the index has not seen
    assert.equal(gate(input('src/plain.ts', files['src/report.ts'])), true, 'the edited text is read');
    assert.deepEqual(linter.analyzeText(path.join(ROOT, 'src/report.ts'), files['src/report.ts']).findings.map((f) => f.ruleId), ['n-plus-one']);
  });

  it('let an exported collection through when an importer grows it under an alias', () => {
    const files = {
      'src/store.ts': 'export const queue: string[] = [];\n',
      'src/use.ts': "import { queue as pending } from './store';\nexport function enqueue(x: string) {\n  pending.push(x);\n}\n",
      'src/read.ts': "import { queue } from './store';\nexport const size = () => queue.length;\n",
    };
    const linter = linterFor(files);
    const file = path.join(ROOT, 'src/store.ts');
    const ungated = linter.analyzeText(file, files['src/store.ts'], { ignoreGates: true }).findings.map((f) => f.ruleId);
    assert.deepEqual(ungated, ['unbounded-collection']);
    assert.deepEqual(linter.analyzeText(file, files['src/store.ts']).findings.map((f) => f.ruleId), ungated);
    // other spellings of a rename, and an importer where any name may grow (a receiver the scan cannot read back)
    const importers = {
      'line breaks around as': "import {\n  queue\n    as\n  pending,\n} from './store';\nexport function enqueue(x: string) {\n  pending.push(x);\n}\n",
      'beside other specifiers': "import { type Queue, queue as pending, other } from './store';\nexport function enqueue(x: Queue) {\n  other(x);\n  pending.push(x);\n}\n",
      'unreadable receiver': "import { queue as pending } from './store';\nexport function enqueue(x: string, other?: string[]) {\n  (other ?? pending).push(x);\n  pending.push(x);\n}\n",
    };
    for (const [spelling, text] of Object.entries(importers)) {
      const variant = linterFor({ 'src/store.ts': files['src/store.ts'], 'src/use.ts': text });
      const expected = variant.analyzeText(file, files['src/store.ts'], { ignoreGates: true }).findings.map((f) => f.ruleId);
      assert.deepEqual(expected, ['unbounded-collection'], `${spelling}: the rule`);
      assert.deepEqual(variant.analyzeText(file, files['src/store.ts']).findings.map((f) => f.ruleId), expected, `${spelling}: the gate agrees`);
    }
    // without the growing importer, nothing to report and nothing parsed
    const quiet = linterFor({ 'src/store.ts': files['src/store.ts'], 'src/read.ts': files['src/read.ts'] });
    const before = parseStats.count;
    assert.deepEqual(quiet.analyzeText(file, files['src/store.ts']).findings, []);
    assert.equal(parseStats.count, before);
  });

  it('let an exported class through when an importer may keep an instance, and keep it out when importers only make instances per call (unbounded-collection)', () => {
    const batch = "export class Batch {\n  private items: string[] = [];\n  add(x: string) { this.items.push(x); }\n}\n";
    const keeps: Record<string, string> = {
      // at module level, aliased, in a static field, in an immediately invoked function, as a static holder
      'src/shared.ts': "import { Batch } from './batch';\nexport const shared = new Batch();\n",
      'src/aliased.ts': "import { Batch as B } from './batch';\nexport const shared = new B();\n",
      'src/staticField.ts': "import { Batch } from './batch';\nexport class Holder {\n  static shared = new Batch();\n}\n",
      'src/iife.ts': "import { Batch } from './batch';\nexport const api = (() => {\n  const b = new Batch();\n  return b;\n})();\n",
      'src/staticHolder.ts': "import { Batch } from './batch';\nexport class Holder {\n  static shared?: Batch;\n  static get() { return (Holder.shared ??= new Batch()); }\n}\nexport { Batch };\n",
    };
    const file = path.join(ROOT, 'src/batch.ts');
    for (const [importer, text] of Object.entries(keeps)) {
      // the static holder counts only when the holder is a static field of the instantiated class
      const expected = importer === 'src/staticHolder.ts' ? [] : ['unbounded-collection'];
      const linter = linterFor({ 'src/batch.ts': batch, [importer]: text });
      const ungated = linter.analyzeText(file, batch, { ignoreGates: true }).findings.map((f) => f.ruleId);
      assert.deepEqual(ungated, expected, `${importer}: the rule`);
      assert.deepEqual(linter.analyzeText(file, batch).findings.map((f) => f.ruleId), ungated, `${importer}: the gate agrees`);
    }
    const perCall: Record<string, string> = {
      'src/factory.ts': "import { Batch } from './batch';\nexport function make() {\n  const b = new Batch();\n  return b;\n}\nexport const build = () => new Batch();\n",
      'src/field.ts': "import { Batch } from './batch';\nexport class Job {\n  private batch = new Batch();\n  constructor(private other = new Batch()) {}\n}\n",
      'src/arrowField.ts': "import { Batch } from './batch';\nexport class Job {\n  make = () => new Batch();\n}\n",
      // into properties that are no static fields of Batch, or held by a conditional, an object literal, a binary expression
      'src/holders.ts': "import { Batch } from './batch';\nexport class Job {\n  batch: Batch;\n  constructor(config: { batch?: Batch }) {\n    this.batch = config.batch || new Batch();\n  }\n}\nexport function make(flag: boolean) {\n  const parts = { batch: new Batch() };\n  return flag ? new Batch() : parts.batch;\n}\n",
    };
    const linter = linterFor({ 'src/batch.ts': batch, ...perCall });
    const before = parseStats.count;
    assert.deepEqual(linter.analyzeText(file, batch).findings, []);
    assert.equal(parseStats.count, before, 'neither batch.ts nor its importers are parsed');
    assert.deepEqual(linter.analyzeText(file, batch, { ignoreGates: true }).findings, [], 'the rule agrees');

    // into a static field of the class: a singleton, wherever the function runs
    const withStatic = "export class Batch {\n  static current?: Batch;\n  private items: string[] = [];\n  add(x: string) { this.items.push(x); }\n}\n";
    const holders: Record<string, string> = {
      'src/assigned.ts': "import { Batch } from './batch';\nexport function init() {\n  Batch.current = new Batch();\n}\n",
      'src/fallback.ts': "import { Batch } from './batch';\nexport function init(config?: { current?: Batch }) {\n  return config?.current || new Batch();\n}\n",
    };
    for (const [importer, text] of Object.entries(holders)) {
      const held = linterFor({ 'src/batch.ts': withStatic, [importer]: text });
      const ungated = held.analyzeText(file, withStatic, { ignoreGates: true }).findings.map((f) => f.ruleId);
      assert.deepEqual(ungated, ['unbounded-collection'], `${importer}: the rule`);
      assert.deepEqual(held.analyzeText(file, withStatic).findings.map((f) => f.ruleId), ungated, `${importer}: the gate agrees`);
    }

    // exported under another name (an export list's alias, the default export): any name the importer gives it counts
    const renamed: Array<[string, string]> = [
      ["class Batch {\n  private items: string[] = [];\n  add(x: string) { this.items.push(x); }\n}\nexport { Batch as Queue };\n", "import { Queue } from './batch';\nexport const shared = new Queue();\n"],
      ["export default class Batch {\n  private items: string[] = [];\n  add(x: string) { this.items.push(x); }\n}\n", "import Q from './batch';\nexport const shared = new Q();\n"],
      ["class Batch {\n  private items: string[] = [];\n  add(x: string) { this.items.push(x); }\n}\nexport default Batch;\n", "import Q from './batch';\nexport const shared = new Q();\n"],
    ];
    for (const [source, importer] of renamed) {
      const linter = linterFor({ 'src/batch.ts': source, 'src/shared.ts': importer });
      const ungated = linter.analyzeText(file, source, { ignoreGates: true }).findings.map((f) => f.ruleId);
      assert.deepEqual(ungated, ['unbounded-collection'], `the rule: ${source}`);
      assert.deepEqual(linter.analyzeText(file, source).findings.map((f) => f.ruleId), ungated, `the gate agrees: ${source}`);
    }
    // another export's list or default says nothing about Batch: an importer keeping some other instance does not count
    const others = "export class Batch {\n  private items: string[] = [];\n  add(x: string) { this.items.push(x); }\n}\nconst version = 1;\nexport { version };\nexport default function make() { return new Batch(); }\n";
    const other = linterFor({ 'src/batch.ts': others, 'src/app.ts': "import make, { Batch } from './batch';\nexport const cache = new Map<string, Batch>();\nexport const run = () => make();\n" });
    const beforeOthers = parseStats.count;
    assert.deepEqual(other.analyzeText(file, others).findings, []);
    assert.equal(parseStats.count, beforeOthers, 'not parsed: only a Map is made at load in the importer');
    assert.deepEqual(other.analyzeText(file, others, { ignoreGates: true }).findings, [], 'the rule agrees');
  });

  it('hand text full of literal-shaped pieces to the parse (and its time budget) instead of analysing them all', () => {
    const gate = allRules.find((rule) => rule.id === 'super-linear-regex')!.mayReport!;
    const input = (pieces: number) => {
      let text = 'let x = 0;\n';
      for (let i = 0; i < pieces; i++) text += `x = a${i} / b+c${i} / d;\n`;
      return gateInput('src/divisions.ts', text);
    };
    assert.equal(gate(input(10)), false, 'a few harmless pieces are analysed');
    assert.equal(gate(input(5000)), true, 'too many: the file is parsed and the rule decides');
  });

  it('ask a costly gate only for a file that is not parsed anyway', () => {
    const asked: string[] = [];
    const ran: string[] = [];
    const gatedRule = (id: string, pass: boolean, costlyGate: boolean) =>
      defineRule({
        id,
        meta: { category: 'regex', defaultSeverity: 'warning', description: 'Test gate.', fix: 'none', languages: ['typescript'] },
        mayReport() {
          asked.push(id);
          return pass;
        },
        costlyGate,
        create() {
          ran.push(id);
          return {};
        },
      });
    const file = path.join(ROOT, 'a.ts');
    const run = (cheapPasses: boolean) => {
      asked.length = 0;
      ran.length = 0;
      const host = memoryFileSystem({ [file]: 'const x = 1;\n' });
      const linter = new Linter({ root: ROOT, rules: [gatedRule('test-cheap', cheapPasses, false), gatedRule('test-costly', false, true)], host });
      linter.analyzeText(file, 'const x = 1;\n');
      return linter;
    };
    // another rule needs the parse: the costly gate is not asked, its rule runs
    run(true);
    assert.deepEqual(asked, ['test-cheap']);
    assert.deepEqual(ran, ['test-cheap', 'test-costly']);
    // nobody else needs it: the costly gate decides (here: no parse, no rule)
    const before = parseStats.count;
    const linter = run(false);
    assert.deepEqual(asked, ['test-cheap', 'test-costly']);
    assert.deepEqual(ran, []);
    assert.equal(parseStats.count, before);
    // a tree of the file is held (an editor's document re-parsed incrementally): the rule just runs
    linter.project.syntaxTree(file, 'const x = 1;\n');
    asked.length = 0;
    linter.analyzeText(file, 'const x = 2;\n');
    assert.deepEqual(asked, ['test-cheap']);
    assert.deepEqual(ran, ['test-costly']);
  });

  it('are not asked again on an editor document for rules they let run on an earlier text of it (the rule runs and decides)', () => {
    const asked: string[] = [];
    const reported: string[] = [];
    // Gate: the text mentions `needle`. Rule: reports each `needle` identifier (so it finds nothing where the gate would say no).
    const needleRule = (id: string, needle: string) =>
      defineRule({
        id,
        meta: { category: 'regex', defaultSeverity: 'warning', description: 'Test gate.', fix: 'none', languages: ['typescript'] },
        mayReport({ text }) {
          asked.push(id);
          return text.includes(needle);
        },
        create(context) {
          return {
            [ts.SyntaxKind.Identifier](node: ts.Identifier) {
              if (node.text === needle) context.report({ node, message: `${needle} here` });
            },
          };
        },
      });
    const file = path.join(ROOT, 'doc.ts');
    const host = memoryFileSystem({ [file]: '' });
    const linter = new Linter({ root: ROOT, rules: [needleRule('test-alpha', 'alpha'), needleRule('test-beta', 'beta')], host });
    const type = (text: string) => {
      asked.length = 0;
      linter.project.setOverlay(file, text);
      const result = linter.analyzeText(file, text);
      reported.push(result.findings.map((f) => f.ruleId).join(','));
      return [...asked];
    };
    assert.deepEqual(type('const alpha = 1;\n'), ['test-alpha', 'test-beta']);
    // alpha's gate said yes on this document: only beta's is asked, both rules' results stay exact
    assert.deepEqual(type('const alpha = 1;\nconst beta = 2;\n'), ['test-beta']);
    assert.deepEqual(type('const gamma = 1;\n'), [], 'neither gate asked; both rules ran and found nothing');
    assert.deepEqual(reported, ['test-alpha', 'test-alpha,test-beta', '']);
    // the saved file analysed (not the editor text): forgotten, every gate asked again
    linter.project.setOverlay(file, undefined);
    asked.length = 0;
    linter.analyzeText(file, 'const gamma = 1;\n');
    assert.deepEqual(asked, ['test-alpha', 'test-beta']);
    linter.project.setOverlay(file, 'const gamma = 2;\n');
    assert.deepEqual(type('const gamma = 2;\n'), ['test-alpha', 'test-beta']);
  });

  it('run a rule whose gate throws (the rule decides)', () => {
    let created = 0;
    const rule = defineRule({
      id: 'test-gate-throws',
      meta: { category: 'regex', defaultSeverity: 'warning', description: 'Gate throws.', fix: 'none', languages: ['typescript'] },
      mayReport() {
        throw new Error('gate bug');
      },
      create() {
        created++;
        return {};
      },
    });
    const host = memoryFileSystem({ [path.join(ROOT, 'a.ts')]: 'x' });
    new Linter({ root: ROOT, rules: [rule], host }).analyzeText(path.join(ROOT, 'a.ts'), 'const x = 1;\n');
    assert.equal(created, 1);
  });
});
