/**
 * unbounded-collection: a long-lived Map/Set/array/dictionary object that gains entries at run time
 * and has no removal path anywhere it is visible. Long-lived means module scope, a static field, a
 * field of a singleton (instantiated once at module scope, or a DI singleton provider), or a
 * collection captured by a closure that a module-level call keeps alive (memoize helpers).
 * Every use is found by following bindings (scope.ts, modules.ts), never by names.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { defineFact } from '../engine/project';
import { defineRule, type GateInput, type RuleContext, type RelatedDescriptor } from '../engine/rule';
import { isUnicodeSpace, scanTokens, TOKEN_IDENTIFIER, TOKEN_LITERAL, TOKEN_PUNCTUATOR, type TokenSink } from '../engine/textscan';
import type { Fix, TextEdit } from '../engine/types';
import { containsWord, enclosingFunction, isFunctionNode, isImmediatelyInvoked, isModuleLevel, newlineOf, indentationAt, perItemCallbackOf, type FunctionNode } from '../engine/ts/ast';
import { initializerOf, referencesOf, resolveIdentifier, skipOuterExpressions, type Binding } from '../engine/ts/scope';
import { commonJsFunctionReferences, constructingImporters, exportedNamesOf, filesImporting, functionOfBinding, importedDeclaration, importedLocals, importedTypeDeclaration, importersOf, importersUnlessOpaque, isOneOffPath, isTestPath, mayConstruct, referenceSite, workspaceReferences } from '../engine/ts/modules';
import { hasSyntaxErrors, runsAtModuleLoad } from '../engine/db/construction';
import { recognizeClientConstruction } from '../engine/db';
import { boundedCacheDependency, type BoundedCacheDependency } from '../engine/packages';
import { nodesWhere, perTopLevelChild } from '../engine/parse';
import { resolveQualified } from '../engine/ts/imports';
import { detachedCopy } from '../engine/text';

type CollectionType = 'Map' | 'Set' | 'array' | 'object';

interface Candidate {
  /** How the collection is named in messages (`hits`, `RateLimiter.buckets`, `this.sessions`). */
  label: string;
  /** Plain name used for the MAX_… constant. */
  baseName: string;
  type: CollectionType;
  /** The creating expression (`new Map()`, `[]`, `{}`). */
  initializer: ts.Expression;
  /** The node to point the "declared here" related location at. */
  declaration: ts.Node;
  /** Why the collection lives as long as the process. */
  /** Describes the collection's lifetime around its kind: `a module-level Map`, `a Map in a static field of \`X\``. */
  lifetime: (kind: string) => string;
  /** An instance field only code inside the class can reach (`private`, `#name`). */
  classPrivate?: boolean;
  /** Top-level statement before which a MAX_… constant can be declared. */
  topStatement: ts.Statement;
  /** Expressions (in this file) that denote the collection. */
  uses: ts.Expression[];
  /**
   * The rest of the evidence, which costs parsing other workspace files (importers of an exported
   * collection, instantiations of a class): computed only when the local uses leave the verdict
   * open. Returns the further uses, or undefined when the collection escapes or is not long-lived.
   */
  crossFile?: () => { uses: ts.Expression[]; lifetime?: (kind: string) => string } | undefined;
  /** The names a module-level collection is exported under. */
  exportNames?: string[];
  /** For closure-captured collections: growth counts only inside functions nested in this factory. */
  factory?: FunctionNode;
  /** For instance fields: the class, whose constructor counts as initialisation. */
  ownerClass?: ts.ClassLikeDeclaration;
}

type UseKind = 'growth' | 'removal' | 'read' | 'escape' | 'sizeCheck';

interface ClassifiedUse {
  kind: UseKind;
  use: ts.Expression;
  /** The node that grows/removes (call, assignment, delete expression). */
  site: ts.Node;
  method?: string;
}

const GROWTH_METHODS: Record<CollectionType, string[]> = {
  Map: ['set'],
  Set: ['add'],
  array: ['push', 'unshift'],
  object: [],
};
const REMOVAL_METHODS: Record<CollectionType, string[]> = {
  Map: ['delete', 'clear'],
  Set: ['delete', 'clear'],
  array: ['shift', 'pop', 'splice'],
  object: [],
};
/** Callees that only read a collection passed to them. */
const READER_CALLEES = new Set(['JSON.stringify', 'Array.from', 'Array.isArray', 'Object.keys', 'Object.values', 'Object.entries', 'Object.freeze', 'structuredClone', 'String', 'Boolean', 'Number', 'console.log', 'console.info', 'console.debug', 'console.warn', 'console.error', 'console.dir', 'console.table', 'Promise.all', 'Promise.allSettled', 'Promise.race', 'Promise.any']);
const ASSIGNMENT_OPERATORS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken]);
const COMPARISONS = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken]);

/** DI decorators whose classes are singletons by default, by the module that exports them. */
const SINGLETON_DECORATORS: Record<string, string[]> = {
  '@nestjs/common': ['Injectable', 'Controller'],
  '@nestjs/graphql': ['Resolver'],
  '@nestjs/websockets': ['WebSocketGateway'],
  typedi: ['Service'],
  tsyringe: ['singleton'],
};

export default defineRule({
  id: 'unbounded-collection',
  meta: {
    category: 'memory',
    defaultSeverity: 'warning',
    description: 'Long-lived Map/Set/array/dictionary that gains entries at run time and is never pruned (a memory leak).',
    fix: 'suggestion',
    languages: ['typescript'],
    defaultOptions: { maxEntries: 10000 },
    optionsSchema: {
      type: 'object',
      properties: { maxEntries: { type: 'integer', minimum: 1, description: 'Capacity used by the quick fixes.' } },
      additionalProperties: false,
    },
    // 2: growth through optional calls (`cache.set?.(…)`) counts; 3: instances kept by tests do not make a singleton
    // 12: keys from templates of bounded parts, type-guard helpers, and `check ? key : literal`;
    // 13: lazy expiry of a dictionary object (`delete dict[key]` when `dict[key]` has expired) is no removal
    // 14: `Object.assign` into a settings record (created with named properties, not typed as a dictionary) is no growth
    // 15: growth in a one-shot callback of a module-level call is initialisation; paths built from bounded parts are bounded keys
    // 16: a registry of classes kept once each (`if (!list.includes(cls)) list.push(cls)`, a Set's `add`) is no growth
    // 17: a constant imported from a workspace module is a bounded key
    // 18: callers are followed through CommonJS (`module.exports = { f }`, `exports.f =`, `require`) and namespace imports;
    // start-up hooks (`onModuleInit`, `onApplicationBootstrap`, `serverWillStart`) run once; warn-once records;
    // keys typed by an imported alias of literals or an imported enum are bounded; growth on a connection opening
    // says to delete on close, and offers no eviction; a cache of database pools per target is bounded by the databases
    version: 18,
  },
  mayReport: mayHoldUnboundedCollection,
  costlyGate: true,
  create(context) {
    if (isOneOffPath(context.project.relative(context.path))) return {};
    // Collected during the shared traversal; judged at the end, when every use in the file is known.
    const candidates: Candidate[] = [];
    const add = (candidate: Candidate | undefined) => {
      if (candidate) candidates.push(candidate);
    };
    return {
      [ts.SyntaxKind.VariableDeclaration]: (node: ts.VariableDeclaration) => add(variableDeclarationCandidate(context, node)),
      [ts.SyntaxKind.PropertyDeclaration]: (node: ts.PropertyDeclaration) => add(propertyDeclarationCandidate(context, node)),
      [ts.SyntaxKind.BinaryExpression]: (node: ts.BinaryExpression) => add(constructorAssignmentCandidate(context, node)),
      onFileEnd() {
        for (const candidate of candidates) check(context, candidate);
      },
    };
  },
});


/**
 * Importers outside tests: what a test does with a module (grows an exported collection, keeps an
 * instance of a class at its module level) says nothing about production, and the rule reads neither.
 */
function productionImporters(project: GateInput['project'], filePath: string): string[] {
  return filesImporting(project, filePath).filter((file) => !isTestPath(project.relative(file)));
}

// ---------------------------------------------------------------------------------------------
// Text gate: which files can hold a candidate at all, read without parsing (engine/textscan.ts)

type GateType = CollectionType | 'any';

/**
 * A superset of what `create` reports: a collection created where a candidate can be (a
 * declaration outside functions or in immediately invoked ones, a class field, `this.x = …` in a
 * constructor, a declaration inside a function when the file calls one of its own functions at
 * module level) that this file's text may grow (a declared name: through that name), or that an
 * importer's text may grow when the file exports something.
 */
function mayHoldUnboundedCollection({ project, path: filePath, text }: GateInput): boolean {
  if (isOneOffPath(project.relative(filePath))) return false;
  // No growth shape here and nothing exported: no candidate can grow (and no tokenizing).
  if (!textMayGrow(text, 'any') && !/\bexports?\b/.test(text)) return false;
  // No name that a growth shape here or in an importer may grow is declared here with a collection
  // initialiser: nothing to find, and no tokenizing (most files of a workspace end here).
  if (!grownNameMayBeDeclared(project, filePath, text)) return false;
  const collected = scanOf(project, filePath, text).candidates;
  const singletons = new Map<string, boolean>();
  const candidates = collected.filter((c) => {
    if (c.instanceOf === undefined) return true;
    let singleton = singletons.get(c.instanceOf);
    if (singleton === undefined) singletons.set(c.instanceOf, (singleton = classMayBeSingleton(project, filePath, text, c.instanceOf)));
    return singleton;
  });
  if (candidates.length === 0) return false;
  if (candidates.some((c) => (c.name ? nameMayGrow(text, c.name, c.type, sitesOf(project, filePath, text)) : textMayGrow(text, c.type)))) return true;
  // Otherwise only an exported one (a field: of an exported class), grown by a file that imports it.
  if (!/\bexports?\b/.test(text)) return false;
  const exported = candidates.filter((c) => (c.field ? !c.name.startsWith('#') : !c.name || c.exported || exportsName(text, c.name)));
  if (exported.length === 0) return false;
  // A default export may be imported under any name: then any growth shape of its type counts.
  const anyName = /\bexport\s+default\b|\bmodule\.exports\s*=/.test(text);
  return productionImporters(project, filePath).some((file) => {
    const importer = project.readText(file);
    return importer !== undefined && exported.some((c) => (c.name && !anyName ? importerMayGrow(importer, c.name, c.type, sitesOf(project, file, importer), renamesOf(project, file, importer)) : textMayGrow(importer, c.type)));
  });
}

/**
 * Whether a name some growth shape may grow is declared in `text` with a collection initialiser
 * (`mayDeclareCollection`): a necessary condition for a finding, read without tokenizing. A
 * candidate grows through its own name (`cache.set(`, `this.cache.push(`, `cache[k] =`: the
 * receivers of `growthSites`), here or, when the file exports, in an importer (there also under an
 * alias: `cache as c`, `{ cache: c }`). Any name may grow when a receiver cannot be read back, with
 * `Object.assign`, or in an importer of a default export.
 */
function grownNameMayBeDeclared(project: GateInput['project'], filePath: string, text: string): boolean {
  const own = grownNames(project, filePath, text, false);
  if (!own) return true;
  // this file's own names first: when one is declared here, its importers need not be read
  for (const name of own) if (mayDeclareCollection(text, name)) return true;
  if (!/\bexports?\b/.test(text)) return false;
  const asked = new Set(own);
  const anyName = /\bexport\s+default\b|\bmodule\.exports\s*=/.test(text);
  for (const file of productionImporters(project, filePath)) {
    const importer = project.readText(file);
    if (importer === undefined) continue;
    if (anyName && textMayGrow(importer, 'any')) return true;
    const grown = grownNames(project, file, importer, true);
    if (!grown) return true;
    for (const name of grown) {
      if (asked.has(name)) continue;
      asked.add(name);
      if (mayDeclareCollection(text, name)) return true;
    }
  }
  return false;
}

/**
 * `indexed`: names whose element may be assigned (`x[k] =`); `lengthIndexed`: those of them whose
 * key may be their length (`x[x.length] =`, the only element assignment that grows an array).
 */
type GrowthSites = { calls: Map<string, Set<string>>; indexed: Set<string>; lengthIndexed: Set<string> };

/**
 * Per file: its growth sites, grown names and tokenizer reading (a file imports many modules whose
 * gates ask, and the rule asks importers again); an edit drops the file's entry.
 */
const growthMemoFact = defineFact('unbounded-collection/growth-memo', () => new Map<string, { sites?: GrowthSites; own?: ReadonlySet<string> | null; renamed?: ReadonlySet<string> | null; scan?: TextScan; renames?: RenamePairs | null }>(), {
  onEdit: (memo, edit) => memo.delete(edit.path) || true,
  onTrim: 'keep',
});

function growthMemo(project: GateInput['project'], filePath: string) {
  const memo = project.get(growthMemoFact);
  const key = project.absolute(filePath);
  let entry = memo.get(key);
  if (!entry) memo.set(key, (entry = {}));
  return entry;
}

/** The tokenizer's reading of a workspace file's text (`collectionCandidatesInText`; JSX is not read), remembered per file. */
function scanOf(project: GateInput['project'], filePath: string, text: string): TextScan {
  const entry = growthMemo(project, filePath);
  if (entry.scan) return entry.scan;
  if (!tokenizerWarmedUp) {
    tokenizerWarmedUp = true;
    // Twice: the first call gets V8 to allocate this function's feedback vector, without which
    // each sink closure records its type feedback for itself alone (see the comment below).
    collectionCandidatesInText(TOKENIZER_WARM_UP);
    collectionCandidatesInText(TOKENIZER_WARM_UP);
  }
  return (entry.scan = /\.[jt]sx$/i.test(filePath) ? ANY_SCAN : collectionCandidatesInText(text));
}

/**
 * Read (twice) per thread before the first real file. V8 optimises the tokenizer's ~300-line sink
 * from the type feedback of the files read first; each path it had not seen yet (an arrow's
 * expression body, a ternary, generics, a static member) then deoptimised it and had the whole
 * function recompiled, 8 times per cold audit of the bench corpus (~0.3 s of background compiling
 * each, competing with the audit's own threads on 2 cores). This module takes those paths first
 * (an instance field of a class, an arrow's expression body ended by a line break included: each
 * was found by a deoptimisation in `--trace-deopt`, the sink being named `candidateSink` for it).
 */
let tokenizerWarmedUp = false;
export const TOKENIZER_WARM_UP = `import { a as b, type C } from './c';
import * as d from "d";
export const cache = new Map<string, Array<{ id: number }>>();
export let list: string[] = [], other = new Set<number>();
const re = /[a-z]+\\/(?:x|y)/gi, half = 1 / 2, tpl = \`a\${b ? 'x' : "y"}\${\`n\${1}\`}z\`;
const pick = (x: number) => (x > 1 ? x : -x), twice = <T,>(v: T): T[] => [v, v];
const noop = () => {}, obj = { a: 1, 'b': [2], [\`c\`]: { d: null }, e() { return this.a; }, get f() { return 1; } };
var counter = 0; counter += 25; counter **= 1.5; counter ??= 0x1f;
const handler = async function* gen<T extends object>(this: unknown, ...args: T[]): AsyncGenerator<T> { yield* args; };
const lazy = (() => { const inner = new WeakMap(); return inner; })();
(function init() { const boot = []; boot.push(1); })();
export default class Store<K extends string = string> extends Base implements Api {
  static instance?: Store;
  static readonly registry: Record<string, number> = {};
  #secret = new Map<K, number>();
  private readonly items: Array<[K, number]> = [];
  protected cache!: Map<K, number>;
  declare tag: string;
  public count?: number = 0;
  accessor size = 0;
  static { Store.instance = new Store(); }
  constructor(private readonly db: Db, public name = 'x') { super(); this.seen = new Set(); this.#secret = new Map(); }
  get total(): number { return this.items.length; }
  set total(value) { this.count = value; }
  static create<T>(): Store { return Store.instance ??= new Store(undefined as never); }
  async load(key: K, opts: { force?: boolean } = {}): Promise<number | undefined> {
    if (!opts.force && this.#secret.has(key)) return this.#secret.get(key);
    for (const [k, v] of this.items) if (k === key) { this.#secret.set(k, v); }
    for (let i = 0; i < 3; i++) { label: while (i < 2) { i++; continue label; } }
    switch (key) { case 'a': { break; } default: return key.length > 2 ? 1 : key.length < 1 ? 2 : 3; }
    try { await d.run?.(key)!; } catch (error: unknown) { throw error instanceof Error ? error : new Error(String(error)); } finally { this.count!++; }
    const mapped = this.items.map(([k]) => k).filter((k): k is K => typeof k === 'string' && !!k);
    return mapped.length satisfies number as number;
  }
}
abstract class Base { abstract run(): void; protected seen?: Set<unknown>; loose?; }
class Plain { private readonly byId = new Map<string, Plain>(); }
const ident = (v: number) => v
ident(1);
function optional(a?, b?) { return a ?? b; }
const curry = (a: number) => (b: number) => { return a + b; };
export interface Api { run?(): void; [key: string]: unknown; }
export type Db = { query<T>(sql: string): Promise<T[]> } | null;
enum Level { Low = 1, High = Low << 2 }
namespace Space { export const value = Level.High; }
declare module 'm' { export function f(): void; }
export { Store as Alias, Level };
module.exports = { cache: new Map() };
exports.other = [];
`;

/**
 * Whether an importer of `exportName` ('default': under any name), a class whose static fields are
 * `statics` (undefined: unknown), may instantiate it where `singletonReason` counts an instance:
 * `new Local`, with `Local` a name the import may be bound to, at load, in a static member, or
 * into a property that may be one of those static fields (`instantiationCounts`).
 */
function mayInstantiateAtLoad(project: GateInput['project'], file: string, text: string, exportName: string, statics: ReadonlySet<string> | undefined): boolean {
  const locals = importedLocals(text, exportName);
  if (!mayConstruct(text, exportName, locals)) return false;
  const instantiated = scanOf(project, file, text).instantiated;
  if (!instantiated) return true;
  for (const [name, holders] of instantiated) {
    if ((!locals || locals.has(name)) && instantiationCounts(holders, statics)) return true;
  }
  return false;
}

/**
 * Whether a class's instantiations, held as `holders`, may make it a singleton: one counts
 * anywhere (null), or one is assigned to a property (`x.holder = new C()`) that may be a static
 * field of the class (`statics`, undefined: unknown), as `singletonReason` asks (`isStaticHolder`).
 */
function instantiationCounts(holders: ReadonlySet<string> | null | undefined, statics: ReadonlySet<string> | undefined): boolean {
  if (holders === undefined) return false;
  if (holders === null || statics === undefined) return true;
  for (const holder of holders) if (statics.has(holder)) return true;
  return false;
}

/** `growthSites` of a workspace file's text, remembered per file. */
function sitesOf(project: GateInput['project'], filePath: string, text: string): GrowthSites {
  const entry = growthMemo(project, filePath);
  return (entry.sites ??= growthSites(text));
}

/** The text's renames to names it may grow (`renamePairs`); undefined when it may grow any name. */
function renamesOf(project: GateInput['project'], filePath: string, text: string): RenamePairs | undefined {
  const entry = growthMemo(project, filePath);
  if (entry.renames !== undefined) return entry.renames ?? undefined;
  const sites = (entry.sites ??= growthSites(text));
  const anyName = sites.calls.has(UNKNOWN_RECEIVER) || sites.indexed.has(UNKNOWN_RECEIVER) || text.includes('Object.assign');
  entry.renames = anyName ? null : renamePairs(text, sites);
  return entry.renames ?? undefined;
}

/**
 * The names the text's growth shapes may grow (for an importer, also the names renamed to them:
 * `importerMayGrow`); undefined when any name may grow.
 */
function grownNames(project: GateInput['project'], filePath: string, text: string, renames: boolean): ReadonlySet<string> | undefined {
  const entry = growthMemo(project, filePath);
  const known = renames ? entry.renamed : entry.own;
  if (known !== undefined) return known ?? undefined;
  let names: Set<string> | null = null;
  if (!text.includes('Object.assign')) {
    const sites = (entry.sites ??= growthSites(text));
    if (!sites.calls.has(UNKNOWN_RECEIVER) && !sites.indexed.has(UNKNOWN_RECEIVER)) {
      names = new Set<string>(sites.indexed);
      for (const name of sites.calls.keys()) names.add(name);
      if (renames) {
        const pairs = renamesOf(project, filePath, text)!;
        for (const alias of [...names]) for (const name of pairs.byAlias.get(alias) ?? []) names.add(name);
      }
    }
  }
  if (renames) entry.renamed = names;
  else entry.own = names;
  return names ?? undefined;
}

/**
 * The renames to a name the text may grow (a growth site's receiver), read in one pass: each name
 * followed by `as` or `:` and such an alias (`name as alias` in import and export lists,
 * `{ name: alias }` in destructuring; also `key: value` and `name: Type`, which only makes the
 * gate's answers more conservative), spaces allowed around, by alias and by name. Asking the text
 * once per grown name instead (an `indexOf` loop per name, short names matching everywhere, and a
 * pattern compiled per importer and name) read ~190 MB for the bench corpus's ~31 MB.
 */
interface RenamePairs {
  byAlias: Map<string, string[]>;
  byName: Map<string, string[]>;
}

function renamePairs(text: string, sites: GrowthSites): RenamePairs {
  const pairs: RenamePairs = { byAlias: new Map(), byName: new Map() };
  const add = (map: Map<string, string[]>, key: string, value: string) => {
    const list = map.get(key);
    if (!list) map.set(key, [value]);
    else if (!list.includes(value)) list.push(value);
  };
  const pair = (operator: number, after: number) => {
    let end = after;
    while (end < text.length && isSpace(text.charCodeAt(end))) end++;
    const aliasStart = end;
    while (end < text.length && isNameCharacter(text.charCodeAt(end))) end++;
    if (end === aliasStart) return;
    const alias = text.slice(aliasStart, end);
    if (!sites.calls.has(alias) && !sites.indexed.has(alias)) return;
    let nameEnd = operator;
    while (nameEnd > 0 && isSpace(text.charCodeAt(nameEnd - 1))) nameEnd--;
    let nameStart = nameEnd;
    while (nameStart > 0 && isNameCharacter(text.charCodeAt(nameStart - 1))) nameStart--;
    if (nameStart === nameEnd) return;
    // (flat copies: the memo outlives the text, which a sliced string would keep alive)
    const name = detachedCopy(text.slice(nameStart, nameEnd));
    const kept = detachedCopy(alias);
    add(pairs.byAlias, kept, name);
    add(pairs.byName, name, kept);
  };
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) pair(at, at + 1);
  // `as` as a word, followed by at least one space
  for (let at = text.indexOf('as'); at !== -1; at = text.indexOf('as', at + 1)) {
    if (!isNameCharacter(codeAt(text, at - 1)) && isSpace(codeAt(text, at + 2))) pair(at, at + 2);
  }
  return pairs;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || (c >= 0x80 && isUnicodeSpace(c));
}

/**
 * Whether `name` (a whole word) is followed somewhere by what a declaration with a collection
 * initialiser has after its name: `name = new Map(`, `name!: Map<K, V> = new Map(`, `#name = [`,
 * `name?: Record<string, T> = {`, comments allowed between. An annotation the scan cannot follow (a
 * string or a comment in it, or a long one) counts as one.
 */
function mayDeclareCollection(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    if (at > 0 && isNameCharacter(text.charCodeAt(at - 1))) continue;
    let p = at + name.length;
    if (isNameCharacter(codeAt(text, p))) continue;
    p = skipTrivia(text, p);
    const c = codeAt(text, p);
    if (c === 0x3f || c === 0x21) p = skipTrivia(text, p + 1); // `?`, `!`
    const next = codeAt(text, p);
    if (next === 0x3d) {
      if (isPlainAssignment(text, p) && collectionTypeAt(text, p + 1) !== undefined) return true;
    } else if (next === 0x3a && annotatedCollection(text, p + 1)) return true;
  }
  return false;
}

/** An `=` at `offset` that does not start `==` or `=>` (a `!` before it was read as a non-null assertion: that only widens the answer). */
function isPlainAssignment(text: string, offset: number): boolean {
  const after = text.charCodeAt(offset + 1);
  return after !== 0x3d && after !== 0x3e;
}

/** After a `:`: a type annotation followed by `=` and a collection initialiser (true when unsure). */
function annotatedCollection(text: string, from: number): boolean {
  let depth = 0;
  /** The open brackets (`(`, `[`, `{`, `<`), innermost last. */
  const open: number[] = [];
  const limit = Math.min(text.length, from + 2000);
  for (let q = from; q < limit; q++) {
    const c = text.charCodeAt(q);
    if (c === 0x28 || c === 0x5b || c === 0x7b || c === 0x3c) {
      depth++;
      open.push(c);
    } else if (c === 0x29 || c === 0x5d || c === 0x7d) {
      if (--depth < 0) return false;
      // a bracket closed by another kind (`{ [k: string]: number }` typed as `{k: string]: …`): half-typed, unsure
      if (open.pop() !== (c === 0x29 ? 0x28 : c === 0x5d ? 0x5b : 0x7b)) return true;
    } else if (c === 0x3e) {
      if (text.charCodeAt(q - 1) === 0x3d) continue; // `=>` of a function type
      if (--depth < 0) return true; // an unbalanced `>`: not a type as read
      if (open[open.length - 1] === 0x3c) open.pop();
    } else if (c === 0x3d) {
      const after = text.charCodeAt(q + 1);
      if (after === 0x3e) continue; // `=>` of a function type
      const before = text.charCodeAt(q - 1);
      if (after === 0x3d || before === 0x21 || before === 0x3c) return false; // a comparison: an expression, not an annotation
      if (depth === 0) return collectionTypeAt(text, q + 1) !== undefined;
    } else if (depth === 0 && (c === 0x3b || c === 0x2c)) return false;
    else if (c === 0x22 || c === 0x27 || c === 0x60 || (c === 0x2f && (text.charCodeAt(q + 1) === 0x2f || text.charCodeAt(q + 1) === 0x2a))) return true;
  }
  return true;
}

/** Modules whose decorators make a class a singleton (SINGLETON_DECORATORS), imported by the text. */
const SINGLETON_MODULE_TEXT = new RegExp(`['"](?:${Object.keys(SINGLETON_DECORATORS).map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})(?:['"]|(?=[\\r\\n\\u2028\\u2029]|$))`);

/**
 * Whether class `name`, not instantiated as a singleton in its own file (collectionCandidatesInText),
 * may still be one as `singletonReason` sees it: a DI decorator's module is imported, or the class
 * is exported and an importer may instantiate it where an instance outlives requests
 * (`mayInstantiateAtLoad`). An anonymous class ('') is not ruled out.
 */
function classMayBeSingleton(project: GateInput['project'], filePath: string, text: string, name: string): boolean {
  if (name === '' || SINGLETON_MODULE_TEXT.test(text)) return true;
  const escaped = escapeDollar(name);
  const declaredExported = new RegExp(`\\bexport\\s+(?:default\\s+)?(?:abstract\\s+)?class\\s+${escaped}(?![\\w$])`).test(text);
  if (!declaredExported && !exportsName(text, name)) return false;
  // Imported under its own name (a named import spells it), or under any name: the class is the
  // default export, an export list names it (it may rename it: `{ C as D }`), or CommonJS exports.
  // (Another class's default export or export list says nothing about this one: effect's 220 KB
  // internal/effect.ts was parsed because some importer instantiated something at load.)
  const anyName =
    /\bmodule\.exports\b|\bexports\.|\bexport\s*=|\bexport\s+default\s*@/.test(text) ||
    new RegExp(`\\bexport\\s+default\\s+(?:abstract\\s+)?(?:class\\s+)?${escaped}(?![\\w$])|\\bexport\\s*(?:type\\s*)?\\{[^}]*(?<![\\w$])${escaped}(?![\\w$])`).test(text);
  const exportName = anyName ? 'default' : name;
  const statics = scanOf(project, filePath, text).staticMembers.get(name);
  return productionImporters(project, filePath).some((file) => {
    const importer = project.readText(file);
    return importer !== undefined && mayInstantiateAtLoad(project, file, importer, exportName, statics);
  });
}

/** An importer growing `name`: as itself (`name.push(`, `ns.name.push(`, `instance.name.set(`) or renamed (`name as alias`, `{ name: alias }`). */
function importerMayGrow(importer: string, name: string, type: GateType, sites: GrowthSites, renames: RenamePairs | undefined): boolean {
  const plain = name.replace(/^#/, '');
  // With its renames read (no Object.assign, every receiver named), the importer may grow the name
  // only through a growth site or rename of it: most importers are ruled out here, without reading
  // their text again (that `includes` read 217 MB for the bench corpus's 31 MB).
  if (renames && !sites.calls.has(plain) && !sites.indexed.has(plain) && !renames.byName.has(plain)) return false;
  if (!importer.includes(plain)) return false;
  if (nameMayGrow(importer, plain, type, sites)) return true;
  if (renames) return (renames.byName.get(plain) ?? []).some((alias) => nameMayGrow(importer, alias, type, sites));
  // Any name may grow here (a receiver the scan cannot read back, Object.assign): every rename counts.
  const escaped = escapeDollar(plain);
  for (const match of importer.matchAll(new RegExp(`(?<![\\w$])${escaped}\\s*(?:\\bas\\s+|:\\s*)([^\\s!-#%-/:-@[-^\`{-~]+)`, 'g'))) {
    if (nameMayGrow(importer, match[1], type, sites)) return true;
  }
  return false;
}

interface GateCandidate {
  type: GateType;
  /** The declared name (uses of a declaration are that name); '' for fields and when unsure. */
  name: string;
  /** Declared with `export`. */
  exported?: boolean;
  /** A class field (grown through `this.name` or `instance.name`). */
  field?: boolean;
  /**
   * For an instance field: its class's name ('' for an anonymous class). Such a field lives long
   * only in a singleton (`singletonReason`), which the text must allow (`classMayBeSingleton`).
   */
  instanceOf?: string;
}

/** Whether the text exports `name` other than on its declaration (`export { name }`, `export default name`, CommonJS). */
function exportsName(text: string, name: string): boolean {
  if (/\bmodule\.exports\b|\bexports\.|\bexport\s*=/.test(text)) return true;
  // (most modules export on their declarations: no list or default name to look through, and no pattern to build)
  if (!/\bexport\s*(?:type\s*)?\{|\bexport\s+default\s/.test(text)) return false;
  const escaped = escapeDollar(name);
  return new RegExp(`\\bexport\\s*(?:type\\s*)?\\{[^}]*(?<![\\w$])${escaped}(?![\\w$])|\\bexport\\s+default\\s+${escaped}(?![\\w$])`).test(text);
}

const ANY_CANDIDATE: readonly GateCandidate[] = [{ type: 'any', name: '' }];

/**
 * What the gate's tokenizer reads in a file: the collections created where a candidate can be; the
 * names `new` instantiates where the instance may outlive a request (`singletonReason`), each with
 * null when one may count wherever it is (at load, in a static member, in an unsure place) or the
 * properties it is assigned to in functions (`x.prop = new C()`: counts when `prop` is a static
 * field of C), undefined when any name may be; and the static members of each class declared.
 */
interface TextScan {
  candidates: readonly GateCandidate[];
  instantiated: ReadonlyMap<string, ReadonlySet<string> | null> | undefined;
  staticMembers: ReadonlyMap<string, ReadonlySet<string>>;
}

/** What a file whose text does not tokenize consistently (or JSX) may hold: anything. */
const ANY_SCAN: TextScan = { candidates: ANY_CANDIDATE, instantiated: undefined, staticMembers: new Map() };

/** A growth shape for the type anywhere in the text (what `classify` calls growth has one). */
function textMayGrow(text: string, type: GateType): boolean {
  if (type !== 'object' && GROWTH_CALL_TEXT[type].test(text)) return true;
  if ((type === 'object' || type === 'any') && text.includes('Object.assign')) return true;
  return (type === 'object' || type === 'array' || type === 'any') && ELEMENT_ASSIGNMENT_TEXT.test(text);
}

/**
 * A growth shape on `name` itself: `name.push(`, `name!.set(`, `(name as T).add(`, `name[…]`
 * (with an element assignment somewhere), or `Object.assign` for dictionaries.
 */
function nameMayGrow(text: string, name: string, type: GateType, known?: GrowthSites): boolean {
  if ((type === 'object' || type === 'any') && text.includes('Object.assign')) {
    const escaped = escapeDollar(name);
    if (new RegExp(`Object\\.assign\\s*\\(\\s*(?:\\(\\s*)*${escaped}(?![\\w$])`).test(text)) return true;
  }
  const sites = known ?? growthSites(text);
  const grows = (methods: Set<string> | undefined) =>
    methods !== undefined && (type === 'any' || (type === 'Map' && methods.has('set')) || (type === 'Set' && methods.has('add')) || (type === 'array' && (methods.has('push') || methods.has('unshift'))));
  if (grows(sites.calls.get(name)) || grows(sites.calls.get(UNKNOWN_RECEIVER))) return true;
  if (type === 'array') return sites.lengthIndexed.has(name) || sites.lengthIndexed.has(UNKNOWN_RECEIVER);
  return (type === 'object' || type === 'any') && (sites.indexed.has(name) || sites.indexed.has(UNKNOWN_RECEIVER));
}

/** A name made safe for a RegExp source (`$` is the only special character a name can hold). */
function escapeDollar(name: string): string {
  return name.replace(/\$/g, '\\$');
}

/** Stands for a receiver the backward read cannot name (`(cache as Map<K, V>).set(`): it may be any name. */
const UNKNOWN_RECEIVER = ')';

/** The growth methods a call site may name (`x.set(`, `x?.push(`, `x.add?.(`). */
const GROWTH_CALL_METHODS = ['set', 'add', 'push', 'unshift'];

const growthSitesMemo = new Map<string, GrowthSites>();

/**
 * Every name a text grows by a call, and every name it indexes, each read backwards from the call
 * or bracket (through whitespace and `!`; a `)` makes it UNKNOWN_RECEIVER): one pass per text, a
 * gate asks about many names.
 */
function growthSites(text: string): GrowthSites {
  let sites = growthSitesMemo.get(text);
  if (sites) return sites;
  sites = { calls: new Map(), indexed: new Set(), lengthIndexed: new Set() };
  // Found with `indexOf`, each then checked around: the patterns they replace (`(?:\?\.|\.)\s*(set|…)\s*(?:\?\.\s*)?\(`,
  // `(?:\?\.\s*)?\[`) start at every `.` or at every position, and took ~3 and ~15 times as long.
  for (const method of GROWTH_CALL_METHODS) {
    for (let at = text.indexOf(method); at !== -1; at = text.indexOf(method, at + method.length)) {
      const start = growthCallStart(text, at, method.length);
      if (start === -1) continue;
      const receiver = receiverBefore(text, start);
      if (receiver === undefined) continue;
      let methods = sites.calls.get(receiver);
      if (!methods) sites.calls.set(receiver, (methods = new Set()));
      methods.add(method);
    }
  }
  // Every `[`, assigned ones only: most are types (`string[]`), literals and reads, and the look at
  // what follows the `]` is cheaper than reading the receiver back.
  for (let open = text.indexOf('['); open !== -1; open = text.indexOf('[', open + 1)) {
    const assigned = assignedElement(text, open);
    if (assigned === NOT_ASSIGNED) continue;
    const receiver = receiverBefore(text, optionalChainStart(text, open));
    if (receiver === undefined || sites.lengthIndexed.has(receiver)) continue;
    sites.indexed.add(receiver);
    if (assigned === ASSIGNED_MAYBE_AT_LENGTH) sites.lengthIndexed.add(receiver);
  }
  if (growthSitesMemo.size >= 16) growthSitesMemo.clear();
  growthSitesMemo.set(text, sites);
  return sites;
}

/** White space as a RegExp's `\s` reads it. */
function isPatternSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x80 && isUnicodeSpace(c));
}

/**
 * For a growth method's name at `at`: where its call site starts (the `.`, or the `?` of a `?.`,
 * white space allowed around the name), when a `(` or `?.(` follows it; -1 when it is no call.
 */
function growthCallStart(text: string, at: number, length: number): number {
  let p = at + length;
  while (isPatternSpace(codeAt(text, p))) p++;
  if (codeAt(text, p) === 0x3f && codeAt(text, p + 1) === 0x2e) {
    p += 2;
    while (isPatternSpace(codeAt(text, p))) p++;
  }
  if (codeAt(text, p) !== 0x28) return -1;
  let q = at;
  while (isPatternSpace(codeAt(text, q - 1))) q--;
  if (codeAt(text, q - 1) !== 0x2e) return -1;
  return codeAt(text, q - 2) === 0x3f ? q - 2 : q - 1;
}

/** Where an element access whose `[` is at `open` starts its `?.` (`cache?.[key]`, white space allowed between), if it has one, else `open`. */
function optionalChainStart(text: string, open: number): number {
  let p = open;
  while (isPatternSpace(codeAt(text, p - 1))) p--;
  return codeAt(text, p - 1) === 0x2e && codeAt(text, p - 2) === 0x3f ? p - 2 : open;
}

const NOT_ASSIGNED = 0;
/** Assigned, with a key that cannot be a `.length` (no such word in it). */
const ASSIGNED = 1;
/** Assigned, and the key may be a `.length` (or the scan is unsure). */
const ASSIGNED_MAYBE_AT_LENGTH = 2;

/**
 * Whether the element access whose `[` is at `open` may be assigned (`x[k] =`, `??=`, `||=`, `&&=`:
 * what `classify` calls growth), and whether its key may be a length: its `]` is found by bracket
 * depth, skipping strings; a template, a comment, a slash or an escape in the key, or a key longer
 * than the scan, leaves both possible.
 */
function assignedElement(text: string, open: number): number {
  let depth = 0;
  for (let p = open, limit = Math.min(text.length, open + 400); p < limit; p++) {
    const c = text.charCodeAt(p);
    if (c === 0x5b || c === 0x28 || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x29 || c === 0x7d) {
      if (--depth > 0) continue;
      if (c !== 0x5d) return ASSIGNED_MAYBE_AT_LENGTH;
      const q = skipTrivia(text, p + 1);
      const a = codeAt(text, q);
      const b = codeAt(text, q + 1);
      const assigned = a === 0x3d ? b !== 0x3d && b !== 0x3e : ((a === 0x3f && b === 0x3f) || (a === 0x7c && b === 0x7c) || (a === 0x26 && b === 0x26)) && codeAt(text, q + 2) === 0x3d; // `=`, not `==` or `=>`
      if (!assigned) return NOT_ASSIGNED;
      const key = text.slice(open + 1, p);
      return key.includes('length') || key.includes('\\') ? ASSIGNED_MAYBE_AT_LENGTH : ASSIGNED;
    } else if (c === 0x22 || c === 0x27) {
      // a string key: to its closing quote (a line break first: unsure)
      for (p++; p < limit; p++) {
        const d = text.charCodeAt(p);
        if (d === c) break;
        if (d === 0x5c) p++;
        else if (d === 0x0a || d === 0x0d) return ASSIGNED_MAYBE_AT_LENGTH;
      }
    } else if (c === 0x60 || c === 0x2f) return ASSIGNED_MAYBE_AT_LENGTH;
  }
  return ASSIGNED_MAYBE_AT_LENGTH;
}

/**
 * The name just before `offset` (whitespace and `!` skipped; `#` kept); for a parenthesised
 * receiver (`(cache as Map<K, V>)`, `(cache!)`) the first name inside; undefined for a call's
 * result or anything else; UNKNOWN_RECEIVER when the parentheses are too far to read.
 */
function receiverBefore(text: string, offset: number): string | undefined {
  let end = offset;
  // Back through white space, `!` and comments: a block comment is skipped; a line comment may end
  // the line before (`history // why` then `.push(x)`), and it is not told from code here: any name.
  for (;;) {
    let c = codeAt(text, end - 1);
    while (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x21) {
      if (c === 0x0a && text.slice(text.lastIndexOf('\n', end - 2) + 1, end - 1).includes('//')) return UNKNOWN_RECEIVER;
      c = codeAt(text, --end - 1);
    }
    if (c !== 0x2f || codeAt(text, end - 2) !== 0x2a) break;
    const open = text.lastIndexOf('/*', end - 3);
    if (open < 0) return UNKNOWN_RECEIVER;
    end = open;
  }
  if (codeAt(text, end - 1) === 0x29) {
    let depth = 0;
    let open = end - 1;
    for (const limit = Math.max(0, end - 300); open >= limit; open--) {
      const c = text.charCodeAt(open);
      if (c === 0x29) depth++;
      else if (c === 0x28 && --depth === 0) break;
    }
    if (open < Math.max(0, end - 300)) return UNKNOWN_RECEIVER;
    // `f(x).push(`: a call's result is no binding's use
    let before = open;
    while (before > 0 && /\s/.test(text[before - 1])) before--;
    const c = codeAt(text, before - 1);
    if (isNameCharacter(c) || c === 0x29 || c === 0x5d || c === 0x3e) return undefined;
    let first = open + 1;
    while (first < end && (text.charCodeAt(first) === 0x28 || /\s/.test(text[first]))) first++;
    let last = first;
    if (text.charCodeAt(last) === 0x23) last++;
    while (last < end && isNameCharacter(text.charCodeAt(last))) last++;
    return last > first ? text.slice(first, last) : undefined;
  }
  let start = end;
  while (start > 0 && isNameCharacter(text.charCodeAt(start - 1))) start--;
  if (start === end) return undefined;
  if (codeAt(text, start - 1) === 0x23) start--;
  return text.slice(start, end);
}

/** A character of a name: anything but whitespace and ASCII punctuation other than `$` and `_`. */
function isNameCharacter(c: number): boolean {
  if (c >= 0x80) return !isUnicodeSpace(c);
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x24 || c === 0x5f;
}

/** Stands for an identifier that is not one of the tokenizer's `KEYWORDS` (sliced from the text when needed). */
const NAME = '\u0000';

const FRAME_BLOCK = 0;
const FRAME_FUNCTION = 1;
const FRAME_CLASS = 2;

/** Modifiers before a class member's name. */
const MEMBER_MODIFIERS = new Set(['static', 'readonly', 'private', 'public', 'protected', 'declare', 'override', 'accessor', 'abstract']);
/** Statement keywords whose parenthesised head this reading takes for a block's (`textscan.ts`). */
const STATEMENT_HEADS = new Set(['if', 'for', 'while', 'with', 'switch']);
/**
 * Words (not reported as keywords) another name may follow on a line: `get items()`, `x: unique
 * symbol`, `infer U`, `break outer`, `declare module Foo`, `using file = …`.
 */
const NAME_BEFORE_NAME = new Set(['get', 'set', 'unique', 'infer', 'asserts', 'satisfies', 'out', 'break', 'continue', 'module', 'global', 'using']);
/** Words that may follow another name on a line: `import x from '…'`, `x satisfies T`. */
const NAME_AFTER_NAME = new Set(['from', 'satisfies']);
/** Tokens a class member's type or initializer continues after, across a line break. */
const CONTINUES_MEMBER = new Set([':', '<', ',', '|', '&', '(', '[', '=', '?', '.', '?.', '=>', 'extends', 'keyof', 'typeof', 'new', 'as', 'is', 'in', 'of', '+', '-', '*', '&&', '||', '??']);
/** Keywords that start a statement (after a declaration ended by a line break). */
const STATEMENT_KEYWORDS = new Set(['type', 'interface', 'function', 'class', 'export', 'import', 'return', 'if', 'for', 'while', 'do', 'switch', 'throw', 'try', 'enum', 'namespace', 'declare', 'abstract', 'const', 'let', 'var', 'async']);
/** Keywords whose parenthesised head precedes a block, not a function body. */
const BLOCK_HEADS = new Set(['if', 'for', 'while', 'with', 'switch', 'catch']);
/** Tokens after which a `{` is a type literal (`x: { … }`, `Array<{ … }>`, `A | { … }`), not a body. */
const TYPE_CONTEXT = new Set([':', '<', ',', '|', '&', '?', '(', '[', '=', 'extends', 'implements', 'keyof', 'typeof']);

interface GateFunction {
  /** The name before its parameters (`constructor`, a method's, a function declaration's). */
  name: string;
  /** The declared name it is the initializer of (`const make = () => {…}`), or its function declaration's name. */
  binding: string;
  /** The enclosing function's index, or -1. */
  parent: number;
  iife: boolean;
}

/**
 * The collections created where `create` may find a candidate (`any` behind a type assertion);
 * anything when the text does not tokenize cleanly. When unsure whether a `{` opens a function,
 * it is taken as a block: code in it then counts as module level, which only widens the result.
 */
/**
 * The last sink made, kept alive between calls. V8 keeps a function's optimised code only as long
 * as some closure holds it: each call's sink died with the call, so a full collection between two
 * files dropped the ~300-line sink's optimised code and V8 compiled it again (twice per thread in a
 * cold audit of the bench corpus, ~0.3 s of background compiling each). This holds one file's scan
 * state until the next call.
 */
let latestSink: TokenSink | undefined;

function collectionCandidatesInText(text: string): TextScan {
  const found: GateCandidate[] = [];
  /**
   * Open braces. `fn`: a function body's index in `functions`; for a class body, the function the
   * class is in (-1: none), and `staticMember` says whether the member being declared is static.
   */
  const frames: Array<{ kind: number; fn: number; depth: number; className: string; typeLiteral: boolean; staticMember: boolean }> = [];
  /** The last `}` closed a type literal (`x: { … } = {}`: the member goes on). */
  let closedTypeLiteral = false;
  /** The last `}` closed a function's body (a method's: a member ends). */
  let closedFunctionBody = false;
  const functions: GateFunction[] = [];
  /** Identifiers called, with the function they are called in (-1: none); at load when it is invoked immediately. */
  const calls: Array<{ name: string; fn: number }> = [];
  /** Declarations inside functions: they count when their function may run at module level. */
  const inFunctions: Array<GateCandidate & { factory: string; fn: number }> = [];
  const tokens = ['', '', '', ''];
  let previousKind = -1;
  let previousStart = 0;
  let beforePreviousKind = -1;
  let beforePreviousStart = 0;
  let beforePreviousEnd = 0;
  /** Per class name ('' for anonymous ones), the names of its static members. */
  const staticMembers = new Map<string, Set<string>>();
  let previousEnd = 0;
  let declarationDepth = -1;
  /** The function the current declaration is in (-1: none). */
  let declarationFunction = -1;
  /** The declarator's name: an identifier after `const`/`let`/`var` or a `,`, confirmed by the `=`, `:` or `!` after it. */
  let declarationName = '';
  /** The declarator being read is a destructuring pattern (`const [a, b] = [x, y]`): its literal is taken apart at once, never kept. */
  let declarationPattern = false;
  let declarationExported = false;
  let pendingName = '';
  /** A `name(…)`: a call unless a body or a return type follows (a method declaration). */
  let pendingCall: { name: string; fn: number } | undefined;
  /** An `=` of the current declarator was seen (what opens at its depth now is its initializer). */
  let inInitializer = false;
  let classPendingDepth = -1;
  /** The name after `class` ('' for an anonymous class). */
  let classPendingName = '';
  /** The class member being declared (`#cache`, `cache`), '' when its name is not a plain one. */
  let memberName = '';
  /** Where the token read as `memberName` ends. */
  let memberNameEnd = -1;
  /** `static` among the modifiers before the member being declared (or not sure it is absent). */
  let memberStatic = false;
  let modifiersStatic = false;
  /** The name after the last `function` keyword (`function make<T>(…)` has a `>` before its parameters). */
  let functionKeywordName = '';
  /** Where the name after each `function` keyword ends (`malformedFunctionHead`). */
  const functionNameEnds: number[] = [];
  /** After a `)` not heading a block: 1 = a `{` now opens a body, 2 = in a return type annotation. */
  let bodyExpected = 0;
  let bodyDepth = -1;
  let bodyName = '';
  const parens: Array<{ callee: string; block: boolean; call: boolean; fn: number; inAnnotation: boolean; depth: number; forHead: boolean }> = [];
  let currentFunction = -1;
  /** Depth of a `case` whose `:` is still ahead. */
  let caseDepth = -1;
  /** The first token of the return type being read (bodyExpected 2), '' before it. */
  let annotationStart = '';
  /**
   * `new Name` instantiations that may make `Name` a singleton (`singletonReason`): outside
   * functions (a static field's initializer included), in an immediately invoked function (checked
   * at the end, by `fn`), or anywhere as an assigned value (`C.instance ??= new C()`: `holder`
   * names the property, which must then be a static field of the class); not a returned, thrown,
   * passed or locally declared one in a function.
   */
  const instantiations: Array<{ name: string; end: number; fn: number; holder: string }> = [];
  let newFunction = -2;
  let newHolder = '';
  /**
   * Expression bodies of arrow functions (`(x) => f(x)`), each a function in `functions` that ends
   * with the expression: at a `;`, `,`, `:`, `=` or `{` of its depth, at the bracket closing around
   * it, or at a line break before a new statement. Ending early only widens the result (what
   * follows counts as outside the arrow).
   */
  const arrowBodies: Array<{ depth: number; fn: number }> = [];
  /** Depth of a `=>` just seen, whose body starts with the next token (-1: none). */
  let arrowDepth = -1;
  /** Depths of `?`s whose `:` is still ahead (a ternary's `:` is no annotation: `c ? f(x) : { … }`). */
  const ternaries: number[] = [];

  /** Set on token sequences only half-typed code has: the reading is then unsure (anything may be there). */
  let malformed = false;

  const candidateSink: TokenSink = (kind, start, end, depth, word) => {
    // Punctuators and keywords come as strings; other names are sliced only when needed.
    const token = kind === TOKEN_LITERAL ? '"' : word || NAME;
    while (arrowBodies.length > 0) {
      const body = arrowBodies[arrowBodies.length - 1];
      if (depth > body.depth) break;
      const closes = kind === TOKEN_PUNCTUATOR && (token === ')' || token === ']' || token === '}');
      // (a `{` right after `=>` is the body of an arrow inside this one's expression: `() => (x) => {`)
      const ends = ENDS_ARROW_BODY.has(token) && !(token === '{' && tokens[0] === '=>');
      if (depth === body.depth && !closes && !ends && !(newlineBetween(text, previousEnd, start) && startsStatement(text, kind, token, start, end))) break;
      functions[body.fn].iife = closes && depth === body.depth && invokedAfter(text, start);
      currentFunction = functions[body.fn].parent;
      arrowBodies.pop();
    }
    if (arrowDepth !== -1) {
      if (token !== '{' && depth === arrowDepth) {
        functions.push({ name: '', binding: '', parent: currentFunction, iife: false });
        currentFunction = functions.length - 1;
        arrowBodies.push({ depth, fn: currentFunction });
      }
      arrowDepth = -1;
    }
    const previous = tokens[0];
    const beforePrevious = tokens[1];
    const afterDot = beforePrevious === '.' || beforePrevious === '?.';
    // Only half-typed code reads so (what TypeScript makes of it, this reading cannot follow): `(=>`,
    // a `;` right inside parentheses that are not a `for` head, a function's name followed by
    // anything but its parameters (`function h/x/andle() {`), a `.` where no expression ends
    // (`{ .const cache = new Map()`: TypeScript skips the `.` and reads the declaration), a class's
    // name followed by anything but its body, type parameters or heritage (`class Rep?.ort {`).
    if (token === '=>' && previous === '(') malformed = true;
    else if ((token === '.' || token === '?.') && (previous === '{' || previous === ';' || previous === '(' || previous === ',' || previous === '[')) malformed = true;
    else if (previousKind === TOKEN_IDENTIFIER && beforePrevious === 'class' && previous !== 'extends' && previous !== 'implements' && tokens[2] !== '.' && tokens[2] !== '?.' && token !== '{' && token !== '<' && token !== 'extends' && token !== 'implements') malformed = true;
    else if (token === ';' && parens.length > 0 && parens[parens.length - 1].depth === depth - 1 && !parens[parens.length - 1].forHead) malformed = true;
    // Two plain names in a row on a line (`const h: strionst seen = new Set()`, `(fnew Map()n: A)`, a
    // class member `x: Foo |ivate done = new Set()`) are a syntax error, after which TypeScript's
    // recovery may read declarations, members or blocks where this reading does not (not after a
    // decorator's name: `@computed total()`).
    else if (token === NAME && previous === NAME && !afterDot && beforePrevious !== '@' && !NAME_BEFORE_NAME.has(text.slice(previousStart, previousEnd)) && !NAME_AFTER_NAME.has(text.slice(start, end)) && !newlineBetween(text, previousEnd, start)) malformed = true;
    else if (previousKind === TOKEN_IDENTIFIER && (beforePrevious === 'function' || (beforePrevious === '*' && tokens[2] === 'function')) && !afterDot && tokens[2] !== '.' && token !== '(' && token !== '<') malformed = true;
    if (bodyExpected === 1 && token !== '{' && token !== ':' && token !== '=>') bodyExpected = 0;
    else if (bodyExpected === 2 && annotationStart === '') annotationStart = token;
    if (pendingName) {
      if (token === '=' || token === ':' || token === '!') declarationName = pendingName;
      pendingName = '';
    }
    // (not `frames[-1]`: reading an array out of bounds takes V8's slow path, on every token)
    const frame = frames.length > 0 ? frames[frames.length - 1] : undefined;
    if (frame?.kind === FRAME_CLASS && frame.depth === depth - 1) {
      if (MEMBER_MODIFIERS.has(token)) {
        // (a property named `static` also sets it: that only widens the result)
        if (token === 'static') modifiersStatic = true;
      } else {
        const newline = !CONTINUES_MEMBER.has(previous) && newlineBetween(text, previousEnd, start);
        const afterTypeLiteral = previous === '}' && closedTypeLiteral && token === '=' && !newline;
        // A name right after a member's name on its line (`privatey cache = new Map()` while typing
        // `private`): TypeScript ends the member there and reads a new one; `get items()` too.
        const nameAfterName = kind === TOKEN_IDENTIFIER && previousKind === TOKEN_IDENTIFIER && previousEnd === memberNameEnd;
        // No member starts with a type's `>`, `|` or `&` (`slideValues: Array<{ … }> = []`, a union
        // over lines): the member goes on, with the name it has.
        const continuesType = token === '>' || token === '>>' || token === '>>>' || token === '|' || token === '&';
        if (!continuesType && (previous === ';' || previous === '{' || (previous === '}' && !afterTypeLiteral) || previous === '#' || MEMBER_MODIFIERS.has(previous) || newline || nameAfterName)) {
          memberName = kind === TOKEN_IDENTIFIER ? (previous === '#' ? '#' : '') + (token === NAME ? text.slice(start, end) : token) : '';
          memberNameEnd = end;
          // A statement where a member starts (`for (const x of xs) {` pasted into a class body):
          // TypeScript reads a method named `for`, this reading a block. (A real method of that name is rare.)
          if (previous !== '#' && !afterDot && STATEMENT_HEADS.has(token)) malformed = true;
          if (memberName && (previous === '#' ? frame.staticMember : modifiersStatic || !surelyStartsMember(text, kind, token, start, end, previous, closedFunctionBody, newline))) {
            staticMembers.get(frame.className)?.add(memberName);
          }
          if (previous !== '#') {
            memberStatic = modifiersStatic;
            // For instantiations (`memberHeadAt`): not static only where a member surely starts;
            // unsure (an operator after a line break, the `}` of an object literal, a decorator): static, which counts.
            frame.staticMember = modifiersStatic || !surelyStartsMember(text, kind, token, start, end, previous, closedFunctionBody, newline);
            modifiersStatic = false;
          }
        }
      }
    }
    if (pendingCall) {
      if (token !== '{' && token !== ':' && token !== '=>') calls.push(pendingCall);
      pendingCall = undefined;
    }
    if (newFunction !== -2) {
      if (kind === TOKEN_IDENTIFIER) instantiations.push({ name: token === NAME ? text.slice(start, end) : token, end, fn: newFunction, holder: newHolder });
      newFunction = -2;
      newHolder = '';
    }
    if (token === 'new' && previous !== '.' && previous !== '?.') {
      const passed = previous === 'return' || previous === '=>' || previous === ',' || previous === 'throw' || (previous === '(' && parens.length > 0 && parens[parens.length - 1].callee !== '');
      const declared = previous === '=' && tokens[2] !== '.' && tokens[2] !== '?.' && tokens[2] !== '#';
      // -1: counts wherever it is; otherwise only when its function runs at load. In a class
      // member's own initializer (or a parameter's default, or a decorator): when the member is
      // static (a static holder), never when it is not (that runs per instance: `runsAtModuleLoad`).
      const member = memberHeadAt(frames, currentFunction);
      if (member) newFunction = member.staticMember ? -1 : -2;
      else if (currentFunction === -1) newFunction = -1;
      else if (passed || declared || NOT_HELD_AFTER.has(previous)) newFunction = currentFunction;
      else if (BINARY_TOKENS.has(previous)) {
        // `left <op> new C()` in a function counts only when `left` is a property access
        // (`x.prop = new C()`, `x?.prop || new C()`) whose name is a static field of C
        newFunction = currentFunction;
        if (beforePreviousKind === TOKEN_IDENTIFIER && (tokens[2] === '.' || tokens[2] === '?.')) newHolder = text.slice(beforePreviousStart, beforePreviousEnd);
        else if (beforePreviousKind === TOKEN_IDENTIFIER && tokens[2] === '#' && (tokens[3] === '.' || tokens[3] === '?.')) newHolder = `#${text.slice(beforePreviousStart, beforePreviousEnd)}`;
      } else newFunction = -1; // (after `??` or `(`, the holder is further left: unsure)
    }
    // (only right after the keyword: a `,` may separate type arguments, `Map<string, { … }>`, which do not nest)
    if ((token === '{' || token === '[') && depth === declarationDepth && (previous === 'const' || previous === 'let' || previous === 'var')) {
      declarationPattern = true;
      declarationName = '';
    }
    if (kind === TOKEN_IDENTIFIER) {
      if ((token === 'const' || token === 'let' || token === 'var') && previous !== '.') {
        declarationDepth = depth;
        declarationFunction = currentFunction;
        declarationName = '';
        declarationPattern = false;
        declarationExported = previous === 'export';
        inInitializer = false;
      } else if (depth === declarationDepth && STATEMENT_KEYWORDS.has(token) && previous !== ',' && previous !== '=' && previous !== '.' && newlineBetween(text, previousEnd, start)) {
        declarationDepth = -1; // a new statement after a declaration without `;`
      } else if (depth === declarationDepth && (previous === 'const' || previous === 'let' || previous === 'var' || previous === ',')) {
        pendingName = token === NAME ? text.slice(start, end) : token;
        declarationPattern = false;
      }
      if (token === 'case' && previous !== '.') caseDepth = depth;
      if (token === 'class' && previous !== '.') {
        classPendingDepth = depth;
        classPendingName = '';
      } else if (previous === 'class' && classPendingDepth === depth && token !== 'extends' && token !== 'implements') {
        classPendingName = token === NAME ? text.slice(start, end) : token;
      }
      if ((previous === 'function' || (previous === '*' && beforePrevious === 'function')) && !afterDot) {
        functionKeywordName = token === NAME ? text.slice(start, end) : token;
        functionNameEnds.push(end);
      }
    } else if (kind === TOKEN_PUNCTUATOR) {
      if (token === '<' && previousKind === TOKEN_IDENTIFIER && !afterDot && beforePrevious !== 'function' && !(beforePrevious === '*' && tokens[2] === 'function')) {
        // a generic call (or a comparison, or a generic method declaration: all count; not `function f<T>(`)
        calls.push({ name: previous === NAME ? text.slice(previousStart, previousEnd) : previous, fn: currentFunction });
      }
      switch (token) {
        case '(': {
          const callee = previousKind === TOKEN_IDENTIFIER && !afterDot ? (previous === NAME ? text.slice(previousStart, previousEnd) : previous) : '';
          const forHead = previous === 'for' || (previous === 'await' && beforePrevious === 'for');
          parens.push({ callee, block: BLOCK_HEADS.has(previous) || forHead, call: beforePrevious !== 'function', fn: currentFunction, inAnnotation: bodyExpected === 2, depth, forHead });
          break;
        }
        case ')': {
          while (ternaries.length > 0 && ternaries[ternaries.length - 1] >= depth) ternaries.pop();
          const paren = parens.pop();
          if (paren?.call && paren.callee) pendingCall = { name: paren.callee, fn: paren.fn };
          // a parenthesised part of a return type (`(): (() => T)[] {`) leaves the annotation open
          if (paren?.inAnnotation && bodyExpected === 2) break;
          bodyExpected = paren && !paren.block ? 1 : 0;
          bodyDepth = depth - 1;
          bodyName = paren?.callee ?? '';
          break;
        }
        case '?':
          ternaries.push(depth);
          break;
        case ':': {
          // `case (x): {` and `c ? f(x) : {` go on with an expression or a block; `(x): T {` is a
          // return type before a body (`x?:` is an optional member's annotation)
          const ternary = ternaries.length > 0 && ternaries[ternaries.length - 1] === depth;
          if (ternary) ternaries.pop();
          if (caseDepth === depth) {
            caseDepth = -1;
            bodyExpected = 0;
          } else if (ternary && previous !== '?') bodyExpected = 0;
          else if (bodyExpected === 1 && bodyDepth === depth) {
            bodyExpected = 2;
            annotationStart = '';
          }
          break;
        }
        case '{': {
          let frameKind = FRAME_BLOCK;
          let className = '';
          if (classPendingDepth === depth && !TYPE_CONTEXT.has(previous)) {
            frameKind = FRAME_CLASS;
            className = classPendingName;
            if (!staticMembers.has(className)) staticMembers.set(className, new Set());
            classPendingDepth = -1;
            memberStatic = false;
            modifiersStatic = false;
          } else if (previous === '=>' || (bodyExpected !== 0 && bodyDepth === depth && !TYPE_CONTEXT.has(previous))) {
            frameKind = FRAME_FUNCTION;
          }
          let fn = frameKind === FRAME_CLASS ? currentFunction : -1;
          if (frameKind === FRAME_FUNCTION) {
            fn = functions.length;
            const name = previous === '=>' || bodyName === 'function' ? '' : bodyName;
            // the declarator's own initializer, not a function nested in it (`const f = () => () => {`)
            const initializes = declarationDepth === depth && inInitializer && currentFunction === declarationFunction ? declarationName : '';
            functions.push({ name, binding: initializes || name || functionKeywordName, parent: currentFunction, iife: false });
            functionKeywordName = '';
            currentFunction = fn;
            bodyExpected = 0;
          }
          frames.push({ kind: frameKind, fn, depth, className, typeLiteral: frameKind === FRAME_BLOCK && TYPE_CONTEXT.has(previous), staticMember: false });
          break;
        }
        case '}': {
          while (ternaries.length > 0 && ternaries[ternaries.length - 1] >= depth) ternaries.pop();
          const frame = frames.pop();
          closedTypeLiteral = frame?.typeLiteral === true;
          closedFunctionBody = frame?.kind === FRAME_FUNCTION;
          if (frame && frame.kind === FRAME_FUNCTION) {
            functions[frame.fn].iife = invokedAfter(text, end);
            currentFunction = functions[frame.fn].parent;
          }
          if (declarationDepth > depth) declarationDepth = -1;
          break;
        }
        case ',':
          if (declarationDepth === depth) inInitializer = false;
          break;
        case ';':
          while (ternaries.length > 0 && ternaries[ternaries.length - 1] >= depth) ternaries.pop();
          if (declarationDepth === depth) declarationDepth = -1;
          if (classPendingDepth === depth) classPendingDepth = -1;
          // (one inside a type literal of the return type, `(): Array<{ a: A; b: B }> {`, ends nothing)
          if (depth <= bodyDepth) bodyExpected = 0;
          break;
        case '=>':
          // after a return type: an arrow's `=>` (`(x): T => x`), or a function type as the return type
          // (`(): () => T {`, which starts with `(`, `<` or `new`: unsure, so a block); one nested in
          // the annotation (`(): (() => T)[] {`) is part of it
          if (bodyExpected === 2 && depth === bodyDepth) {
            bodyExpected = 0;
            if (annotationStart !== '(' && annotationStart !== '<' && annotationStart !== 'new') arrowDepth = depth;
          } else arrowDepth = depth;
          break;
        case '=': {
          bodyExpected = 0;
          if (declarationDepth === depth) inInitializer = true;
          const type = collectionTypeAt(text, end);
          if (!type) break;
          const field = previousKind === TOKEN_IDENTIFIER ? (previous === NAME ? text.slice(previousStart, previousEnd) : previous) : '';
          const thisField = (beforePrevious === '.' && tokens[2] === 'this') || (beforePrevious === '#' && tokens[2] === '.' && tokens[3] === 'this');
          if (frame?.kind === FRAME_CLASS && frame.depth === depth - 1) {
            // A member whose name was not read (''), or a static one, lives long without a singleton.
            found.push(memberName && !memberStatic ? { type, name: memberName, field: true, instanceOf: frame.className } : { type, name: memberName, field: true });
          } else if (thisField && field && insideConstructor(functions, currentFunction)) {
            found.push({ type, name: beforePrevious === '#' ? `#${field}` : field, field: true, instanceOf: enclosingClassName(frames) });
          }
          else if (declarationDepth === depth && !(declarationPattern && declarationName === '')) {
            if (currentFunction === -1) found.push({ type, name: declarationName, exported: declarationExported });
            else {
              // a factory's own top-level statement: `function make() { const cache = new Map(); … }`
              const direct = frame?.kind === FRAME_FUNCTION && frame.depth === depth - 1;
              inFunctions.push({ type, name: declarationName, factory: direct ? functions[frame.fn].binding : '', fn: currentFunction });
            }
          }
          break;
        }
      }
    }
    tokens[3] = tokens[2];
    tokens[2] = beforePrevious;
    tokens[1] = previous;
    tokens[0] = token;
    beforePreviousKind = previousKind;
    beforePreviousStart = previousStart;
    beforePreviousEnd = previousEnd;
    previousKind = kind;
    previousStart = start;
    previousEnd = end;
  };
  latestSink = candidateSink;
  const consistent = scanTokens(text, candidateSink);
  if (!consistent || malformed || functionNameEnds.some((at) => malformedFunctionHead(text, at))) return ANY_SCAN;
  // A declaration in a function invoked immediately is at module level; one in a factory counts
  // when the factory is called at module level (`const memo = makeCache()`).
  const calledAtLoad = new Set<string>();
  for (const { name, fn } of calls) if (invokedAtLoad(functions, fn)) calledAtLoad.add(name);
  for (const candidate of inFunctions) {
    if ((candidate.factory && calledAtLoad.has(candidate.factory)) || invokedAtLoad(functions, candidate.fn)) found.push({ type: candidate.type, name: candidate.name });
  }
  // An instance field of a class instantiated here as a singleton may be: no longer ruled out.
  const instantiated = new Map<string, Set<string> | null>();
  for (const { name, end, fn, holder } of instantiations) {
    if (/^\s*\??\./.test(text.slice(end, end + 8))) continue; // `new ns.C()`: not a class named `ns`
    if (fn === -1 || invokedAtLoad(functions, fn)) instantiated.set(name, null);
    else if (holder) {
      const holders = instantiated.get(name);
      if (holders === undefined) instantiated.set(name, new Set([holder]));
      else holders?.add(holder);
    }
  }
  for (const candidate of found) {
    if (candidate.instanceOf && instantiationCounts(instantiated.get(candidate.instanceOf), staticMembers.get(candidate.instanceOf))) candidate.instanceOf = undefined;
  }
  return { candidates: found, instantiated, staticMembers };
}

/**
 * Binary and assignment operators (not `??`, which `singletonReason` looks through, nor `,`):
 * after one, `new C()` is held by the binary expression, which counts when its left operand is a
 * property access naming a static field of C (`isStaticHolder`).
 */
const BINARY_TOKENS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '>>>=', '&=', '|=', '^=', '&&=', '||=', '??=', '||', '&&', '|', '&', '^', '==', '!=', '===', '!==', '<', '>', '<=', '>=', '<<', '>>', '>>>', '+', '-', '*', '/', '%', '**', 'in', 'instanceof']);
/**
 * Tokens after which `new C()` in a function is held by something that never makes C a singleton:
 * a conditional (`c ? new C() : d`), an object or array literal, a unary operator, a statement.
 */
const NOT_HELD_AFTER = new Set([':', '?', '[', '!', '~', 'await', 'typeof', 'void', 'delete', 'yield', '...', ';', '{', '}']);

/** Tokens that end an arrow function's expression body at its own depth (or come after it). */
const ENDS_ARROW_BODY = new Set([';', ',', ':', '{', '=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '>>>=', '&=', '|=', '^=', '&&=', '||=', '??=']);
/** Names that continue an expression across a line break. */
const CONTINUES_EXPRESSION = new Set(['as', 'in', 'instanceof', 'satisfies']);

/**
 * Whether a class member surely starts with this token: a name, `#`, `[`, `*` or a string after a
 * `;`, the class's `{`, a modifier or a method's `}`, or a name or `#` after a line break (ASI).
 */
function surelyStartsMember(text: string, kind: number, token: string, start: number, end: number, previous: string, closedFunctionBody: boolean, newline: boolean): boolean {
  const name = kind === TOKEN_IDENTIFIER && !CONTINUES_EXPRESSION.has(token === NAME ? text.slice(start, end) : token);
  if (previous === ';' || previous === '{' || MEMBER_MODIFIERS.has(previous) || (previous === '}' && closedFunctionBody)) {
    return name || token === '#' || token === '[' || token === '*' || (kind === TOKEN_LITERAL && text.charCodeAt(start) !== 0x60);
  }
  return newline && (name || token === '#');
}

/** After a line break: a token that cannot continue an expression, so a new statement starts (ASI). */
function startsStatement(text: string, kind: number, token: string, start: number, end: number): boolean {
  if (kind === TOKEN_IDENTIFIER) return !CONTINUES_EXPRESSION.has(token === NAME ? text.slice(start, end) : token);
  if (kind === TOKEN_LITERAL) return text.charCodeAt(start) !== 0x60; // not a tagged template's
  return token === '!' || token === '++' || token === '--' || token === '@' || token === '#';
}

/** A line break between two tokens (only whitespace and comments lie between them: linear over a file). */
function newlineBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 0x0a || text.charCodeAt(i) === 0x0d) return true;
  return false;
}

/**
 * The class body whose member's own code the tokens read now belong to (its initializer, a
 * parameter's default, a decorator; not a method's body nor an arrow function in it), if any.
 */
function memberHeadAt<Frame extends { kind: number; fn: number }>(frames: readonly Frame[], currentFunction: number): Frame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i];
    if (frame.kind === FRAME_FUNCTION) return undefined;
    if (frame.kind === FRAME_CLASS) return frame.fn === currentFunction ? frame : undefined;
  }
  return undefined;
}

/** The innermost class body's name ('' when anonymous or not inside one: not ruled out as a singleton). */
function enclosingClassName(frames: ReadonlyArray<{ kind: number; className: string }>): string {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i].kind === FRAME_CLASS) return frames[i].className;
  return '';
}

/** Whether function `fn` and every function around it are invoked immediately (`isModuleLevel`). */
function invokedAtLoad(functions: GateFunction[], fn: number): boolean {
  for (let current = fn; current !== -1; current = functions[current].parent) if (!functions[current].iife) return false;
  return true;
}

function insideConstructor(functions: GateFunction[], fn: number): boolean {
  for (let current = fn; current !== -1; current = functions[current].parent) if (functions[current].name === 'constructor') return true;
  return false;
}

/** Whether a `}` ending at `offset` may be followed by a call: `}(…)`, `})(…)`, `}))(…)`, `})?.(…)`, `})<T>(…)`. */
function invokedAfter(text: string, offset: number): boolean {
  let p = skipTrivia(text, offset);
  while (codeAt(text, p) === 0x29) p = skipTrivia(text, p + 1);
  const c = codeAt(text, p);
  return c === 0x28 || c === 0x3c || (c === 0x3f && codeAt(text, p + 1) === 0x2e);
}

/** The collection type created by the expression starting at `offset` (after `=`), through parentheses; `any` behind `<T>`. */
function collectionTypeAt(text: string, offset: number): GateType | undefined {
  let p = skipTrivia(text, offset);
  while (codeAt(text, p) === 0x28) p = skipTrivia(text, p + 1);
  const c = codeAt(text, p);
  if (c === 0x5b) return 'array';
  if (c === 0x7b) return 'object';
  if (c === 0x3c) {
    // `<T>expr`: a type assertion of what follows, or a generic arrow function `<T>(x) => …`
    const close = angleEnd(text, p);
    return close === -1 ? 'any' : collectionTypeAt(text, close);
  }
  // `new Map(`, `Object.create(`: comments may stand between the words (`new /* … */ Map`, `new // …` then
  // `Map` on the next line), and `?.` for the `.` (`Object?.create(`), as TypeScript reads them
  if (wordAt(text, p, 'new')) {
    const q = skipTrivia(text, p + 3);
    return wordAt(text, q, 'Map') ? 'Map' : wordAt(text, q, 'Set') ? 'Set' : wordAt(text, q, 'Array') ? 'array' : undefined;
  }
  if (!wordAt(text, p, 'Object')) return undefined;
  let q = skipTrivia(text, p + 6);
  if (codeAt(text, q) === 0x3f && codeAt(text, q + 1) === 0x2e) q++;
  return codeAt(text, q) === 0x2e && wordAt(text, skipTrivia(text, q + 1), 'create') ? 'object' : undefined;
}

/** Whether the text spells the whole name `word` at `offset`. */
function wordAt(text: string, offset: number, word: string): boolean {
  return text.startsWith(word, offset) && !isNameCharacter(codeAt(text, offset + word.length));
}

function isLineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

/**
 * Whether the head of a named function whose name ends at `at` goes on with a name right after its
 * type parameters or its parameters, on their line (half-typed: `function memoize<A, R>oize<A, R>(…) {`,
 * `function memoize(…)ize<A, R>(…) {`). TypeScript's recovery ends the function there and reads its
 * body as a module-level block, which the tokenizer's reading does not follow. Checked after the
 * scan, not by the sink: one more check in the sink cost ~4% of the triage's instructions (V8
 * compiles the ~300-line function whole).
 */
function malformedFunctionHead(text: string, at: number): boolean {
  let p = skipTrivia(text, at);
  if (codeAt(text, p) === 0x3c) {
    p = angleEnd(text, p);
    if (p === -1) return false;
    if (nameFollowsOnLine(text, p)) return true;
    p = skipTrivia(text, p);
  }
  if (codeAt(text, p) !== 0x28) return false;
  p = parenthesesEnd(text, p);
  return p !== -1 && nameFollowsOnLine(text, p);
}

/** Whether a name starts at `offset`, after spaces and tabs only. */
function nameFollowsOnLine(text: string, offset: number): boolean {
  let p = offset;
  while (codeAt(text, p) === 0x20 || codeAt(text, p) === 0x09) p++;
  return isNameCharacter(codeAt(text, p));
}

/** The offset after the `)` closing the `(` at `offset` (nested), or -1 when not found nearby. */
function parenthesesEnd(text: string, offset: number): number {
  let depth = 0;
  const limit = Math.min(text.length, offset + 4000);
  for (let p = offset; p < limit; p++) {
    const c = text.charCodeAt(p);
    if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return p + 1;
  }
  return -1;
}

/** The offset after the `>` closing the `<` at `offset` (nested, `=>` skipped), or -1 when not found nearby. */
function angleEnd(text: string, offset: number): number {
  let depth = 0;
  const limit = Math.min(text.length, offset + 500);
  for (let p = offset; p < limit; p++) {
    const c = text.charCodeAt(p);
    if (c === 0x3c) depth++;
    else if (c === 0x3e && text.charCodeAt(p - 1) !== 0x3d && --depth === 0) return p + 1;
    else if (c === 0x3b || c === 0x7d) return -1;
  }
  return -1;
}

/**
 * `text.charCodeAt(offset)`, or -1 outside the text. A read past either end gives NaN, which every
 * test here treats as -1, but in optimised code it deoptimises the function the first time, and
 * these helpers read at the ends of every file (8 deoptimisations per cold audit of the bench corpus).
 */
function codeAt(text: string, offset: number): number {
  return offset >= 0 && offset < text.length ? text.charCodeAt(offset) : -1;
}

/** Skips white space (as TypeScript reads it: a RegExp's `\s`) and comments (a line comment ends at any line break). */
function skipTrivia(text: string, offset: number): number {
  let p = offset;
  // (bounded: reading past the end gives NaN, but in optimised code it deoptimises the function)
  while (p < text.length) {
    const c = text.charCodeAt(p);
    if (isPatternSpace(c)) p++;
    else if (c === 0x2f && text.charCodeAt(p + 1) === 0x2f) {
      p += 2;
      while (p < text.length && !isLineBreak(text.charCodeAt(p))) p++;
    } else if (c === 0x2f && text.charCodeAt(p + 1) === 0x2a) {
      const end = text.indexOf('*/', p + 2);
      p = end === -1 ? text.length : end + 2;
    } else return p;
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Candidates

function collectionTypeOf(expression: ts.Expression | undefined): CollectionType | undefined {
  if (!expression) return undefined;
  const e = skipOuterExpressions(expression);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && !resolveIdentifier(e.expression)) {
    if (e.expression.text === 'Map') return 'Map';
    if (e.expression.text === 'Set') return 'Set';
    if (e.expression.text === 'Array') return 'array';
  }
  if (ts.isArrayLiteralExpression(e)) return 'array';
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) ? 'object' : undefined;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.expression) && e.expression.expression.text === 'Object' && e.expression.name.text === 'create' && !resolveIdentifier(e.expression.expression)) {
    const arg = e.arguments[0];
    if (arg && arg.kind === ts.SyntaxKind.NullKeyword) return 'object';
  }
  return undefined;
}

function topLevelStatement(node: ts.Node): ts.Statement {
  let current = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current as ts.Statement;
}

function variableDeclarationCandidate(context: RuleContext, node: ts.VariableDeclaration): Candidate | undefined {
  if (!ts.isIdentifier(node.name)) return undefined;
  const type = collectionTypeOf(node.initializer);
  return type ? variableCandidate(context, node, type) : undefined;
}

function propertyDeclarationCandidate(context: RuleContext, node: ts.PropertyDeclaration): Candidate | undefined {
  if (!ts.isIdentifier(node.name) && !ts.isPrivateIdentifier(node.name)) return undefined;
  const type = collectionTypeOf(node.initializer);
  return type && ts.isClassLike(node.parent) ? fieldCandidate(context, node.parent, node.name.text, node, node.initializer!, type, isStatic(node)) : undefined;
}

/** `this.cache = new Map()` in a constructor, for a field declared without an initialiser. */
function constructorAssignmentCandidate(context: RuleContext, node: ts.BinaryExpression): Candidate | undefined {
  if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(node.left) || node.left.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const type = collectionTypeOf(node.right);
  const fn = type ? enclosingFunction(node) : undefined;
  if (!type || !fn || !ts.isConstructorDeclaration(fn) || !ts.isClassLike(fn.parent)) return undefined;
  const name = node.left.name.text;
  const declared = fn.parent.members.some((m) => ts.isPropertyDeclaration(m) && m.name.getText() === name && m.initializer);
  return declared ? undefined : fieldCandidate(context, fn.parent, name, node, node.right, type, false);
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function isStatic(node: ts.Node): boolean {
  return (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) ?? false;
}

function variableCandidate(context: RuleContext, declaration: ts.VariableDeclaration, type: CollectionType): Candidate | undefined {
  const name = declaration.name as ts.Identifier;
  const growsHere = mayGrowInFile(declaration.getSourceFile(), name.text, type);
  const moduleLevel = isModuleLevel(declaration) && !insideLoop(declaration);
  if (!moduleLevel && !growsHere) return undefined;
  const binding = resolveIdentifier(name);
  if (!binding || binding.identifier !== name) return undefined;
  const base = { label: name.text, baseName: name.text, type, initializer: declaration.initializer!, declaration: name, topStatement: topLevelStatement(declaration) };
  if (moduleLevel) {
    const exported = exportedNamesOf(binding);
    // Every use of an unexported collection is in this file: no growth shape in the text, no finding.
    if (exported.length === 0 && !growsHere) return undefined;
    const crossFile = (): { uses: ts.Expression[] } | undefined => {
      const uses: ts.Expression[] = [];
      for (const exportName of exported) {
        const importers = importersUnlessOpaque(context.project, context.path, exportName);
        // Exported but imported nowhere in the workspace: a library API whose users may prune it.
        if (!importers || importers.uses.length === 0) return undefined;
        for (const use of importers.uses) {
          // Tests reset shared state between cases; what they do says nothing about production.
          if (!isTestPath(context.project.relative(use.file))) uses.push(...referencesOf(use.binding));
        }
      }
      return { uses };
    };
    // Object.assign into the fresh `base`, not `{ ...base, … }`: on Node 20 a spread followed by new keys costs ~1.5 µs per key, per candidate and keystroke.
    return Object.assign(base, { lifetime: (kind: string) => (exported.length > 0 ? `an exported module-level ${kind}` : `a module-level ${kind}`), uses: referencesOf(binding), crossFile: exported.length > 0 ? crossFile : undefined, exportNames: exported });
  }
  // Captured by a closure that a module-level call keeps alive: `const memo = memoize(fn)`.
  const factory = enclosingFunction(declaration);
  if (!factory || !factory.body || !ts.isBlock(factory.body) || declaration.parent?.parent?.parent !== factory.body) return undefined;
  const keeper = moduleLevelCallOf(factory);
  if (!keeper) return undefined;
  return Object.assign(base, { lifetime: (kind: string) => `${article(kind)} ${kind} captured by the function that \`${keeper.name}(…)\` returns, kept alive at module scope`, uses: referencesOf(binding), factory });
}

/**
 * Pre-filter, a superset of what `classify` calls growth: `.set(`/`.add(`/`.push(`/`.unshift(`
 * somewhere in the file's text, `X[…]` (through parentheses, `!`, `as`) somewhere in its tree, or
 * `Object.assign`. Most object and array literals (option bags, lookup tables) fail it and are
 * never resolved.
 */
function mayGrowInFile(sourceFile: ts.SourceFile, name: string, type: CollectionType): boolean {
  if (textHasGrowthShape(sourceFile, type)) return true;
  if (type === 'Map' || type === 'Set') return false;
  return indexedNames(sourceFile).has(name);
}

const textGrowthMemo = new WeakMap<ts.SourceFile, Partial<Record<CollectionType, boolean>>>();

/** Whether the file's text has a growth call for the type (`object`: `Object.assign`): one scan per tree and type, not per candidate. */
function textHasGrowthShape(sourceFile: ts.SourceFile, type: CollectionType): boolean {
  let shapes = textGrowthMemo.get(sourceFile);
  if (!shapes) textGrowthMemo.set(sourceFile, (shapes = {}));
  return (shapes[type] ??= type === 'object' ? sourceFile.text.includes('Object.assign') : GROWTH_CALL_TEXT[type].test(sourceFile.text));
}

/** Growth calls by type, optional ones too (`x?.push(y)`, `x.push?.(y)`). */
const GROWTH_CALL_TEXT: Record<Exclude<GateType, 'object'>, RegExp> = {
  Map: /\.\s*set\s*(?:\?\.\s*)?\(/,
  Set: /\.\s*add\s*(?:\?\.\s*)?\(/,
  array: /\.\s*(?:push|unshift)\s*(?:\?\.\s*)?\(/,
  any: /\.\s*(?:set|add|push|unshift)\s*(?:\?\.\s*)?\(/,
};

/** `x[k] = …`, `??=`, `||=`, `&&=`: an element assignment, whatever `x` is. */
const ELEMENT_ASSIGNMENT_TEXT = /\]\s*(?:=(?!=)|\?\?=|\|\|=|&&=)/;

/** Any growth shape in a file's text, whatever the name (files that import a collection may rename it). */
function importersMayGrow(context: RuleContext, type: CollectionType, exportNames: string[] | undefined): boolean {
  // Named exports grow under their name or an alias of it (a default import may take any name).
  const names = exportNames && !exportNames.includes('default') ? exportNames : undefined;
  return filesImporting(context.project, context.path).some((file) => {
    const text = context.project.readText(file);
    if (text === undefined) return false;
    if (names) return names.some((name) => importerMayGrow(text, name, type, sitesOf(context.project, file, text), renamesOf(context.project, file, text)));
    if (type !== 'object' && GROWTH_CALL_TEXT[type].test(text)) return true;
    if (type === 'object' && text.includes('Object.assign')) return true;
    return (type === 'object' || type === 'array') && ELEMENT_ASSIGNMENT_TEXT.test(text);
  });
}

const indexedNamesMemo = new WeakMap<ts.SourceFile, Set<string>>();
const isElementAccess = (node: ts.Node): boolean => node.kind === ts.SyntaxKind.ElementAccessExpression;

/** Names of the identifiers indexed somewhere in the file (`x[k]`, `(x as T)[k]`, `x![k]`): one pass per tree. */
function indexedNames(sourceFile: ts.SourceFile): Set<string> {
  let names = indexedNamesMemo.get(sourceFile);
  if (names) return names;
  names = new Set();
  for (const node of nodesWhere(sourceFile, isElementAccess) as ts.ElementAccessExpression[]) {
    const object = skipOuterExpressions(node.expression);
    if (ts.isIdentifier(object)) names.add(object.text);
  }
  indexedNamesMemo.set(sourceFile, names);
  return names;
}

function insideLoop(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current)) return true;
  }
  return false;
}

/** When `fn` is a named module-level function called at module scope (its result kept), that call. */
function moduleLevelCallOf(fn: FunctionNode): { name: string; call: ts.CallExpression } | undefined {
  const name = functionNameText(fn);
  if (name === undefined || !calledAtModuleLevel(fn.getSourceFile()).has(name)) return undefined;
  const binding = functionBinding(fn);
  if (!binding) return undefined;
  for (const reference of referencesOf(binding)) {
    const call = reference.parent;
    if (ts.isCallExpression(call) && call.expression === reference && isModuleLevel(call) && !ts.isExpressionStatement(call.parent)) {
      return { name: binding.name, call };
    }
  }
  return undefined;
}

/** The name `functionBinding` would resolve, read from the syntax alone. */
function functionNameText(fn: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  return outer.parent && ts.isVariableDeclaration(outer.parent) && ts.isIdentifier(outer.parent.name) ? outer.parent.name.text : undefined;
}

const moduleLevelCallees = new WeakMap<ts.SourceFile, Set<string>>();

/**
 * Names of the identifiers a file calls at module level with the result kept (`const memo =
 * memoize(fn)`, not a bare `init()` statement): one walk per file that skips function bodies
 * (immediately invoked ones aside, as `isModuleLevel` does), instead of resolving references per
 * candidate. On a keystroke's tree, the statements the re-parse kept keep their names.
 */
function calledAtModuleLevel(sourceFile: ts.SourceFile): Set<string> {
  let names = moduleLevelCallees.get(sourceFile);
  if (names) return names;
  const perStatement = perTopLevelChild(sourceFile, moduleLevelCalleesIn);
  names = new Set();
  if (perStatement) {
    for (const calleeNames of perStatement) for (const name of calleeNames) names.add(name);
  } else {
    for (const statement of sourceFile.statements) for (const name of moduleLevelCalleesIn(statement)) names.add(name);
  }
  moduleLevelCallees.set(sourceFile, names);
  return names;
}

/** `calledAtModuleLevel`'s names in one top-level statement (read from its subtree only). */
function moduleLevelCalleesIn(statement: ts.Node): string[] {
  const names: string[] = [];
  const stack: ts.Node[] = [statement];
  const push = (child: ts.Node) => {
    stack.push(child);
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionNode(node) && !isImmediatelyInvoked(node)) continue;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && !ts.isExpressionStatement(node.parent)) names.push(node.expression.text);
    ts.forEachChild(node, push);
  }
  return names;
}

/** The binding naming a function: `function f(){}`, `const f = () => …`, `const f = function(){}`. */
function functionBinding(fn: ts.Node): Binding | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return resolveIdentifier(fn.name);
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && outer.parent && ts.isVariableDeclaration(outer.parent) && outer.parent.initializer === outer && ts.isIdentifier(outer.parent.name)) {
    return resolveIdentifier(outer.parent.name);
  }
  return undefined;
}

function fieldCandidate(context: RuleContext, cls: ts.ClassLikeDeclaration, name: string, declaration: ts.Node, initializer: ts.Expression, type: CollectionType, statics: boolean): Candidate | undefined {
  const className = cls.name?.text ?? 'anonymous class';
  const classBinding = cls.name ? resolveIdentifier(cls.name) : undefined;
  const base = { baseName: name.replace(/^#/, ''), type, initializer, declaration: ts.isPropertyDeclaration(declaration) ? declaration.name : declaration, topStatement: topLevelStatement(cls) };
  if (statics) {
    const uses: ts.Expression[] = thisUses(cls, name, true);
    if (classBinding) {
      for (const reference of referencesOf(classBinding)) {
        const parent = reference.parent;
        if (ts.isPropertyAccessExpression(parent) && parent.expression === reference && parent.name.text === name) uses.push(parent);
      }
    }
    return Object.assign(base, { label: `${className}.${name}`, lifetime: (kind: string) => `${article(kind)} ${kind} in a static field of \`${className}\``, uses });
  }
  // Whether instances outlive requests is decided last (it reads the class's importers).
  const crossFile = (): { uses: ts.Expression[]; lifetime: (kind: string) => string } | undefined => {
    const singleton = singletonReason(context, cls, classBinding);
    if (!singleton) return undefined;
    const uses: ts.Expression[] = [];
    const fieldOf = (reference: ts.Node): void => {
      const parent = reference.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === reference && parent.name.text === name) uses.push(parent);
    };
    for (const instance of singleton.instances) for (const reference of referencesOf(instance)) fieldOf(reference);
    if (classBinding) for (const reference of staticAccessorResults(context, classBinding)) fieldOf(reference);
    return { uses, lifetime: (kind) => `${article(kind)} ${kind} in a field of \`${className}\`, ${singleton.reason}` };
  };
  const classPrivate = name.startsWith('#') || (ts.isPropertyDeclaration(declaration) && ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Private) !== 0;
  return Object.assign(base, { label: `this.${name}`, lifetime: () => '', uses: thisUses(cls, name, false), ownerClass: cls, crossFile, classPrivate });
}

/**
 * Where the instance a static accessor of the class returns is used, here and in the class's
 * importers: `C.getInstance()` itself (read as `C.getInstance().field`), and the references of a
 * variable it initialises (`const server = C.getInstance(); … server.field`). So a removal made
 * through the singleton in another module (`delete server.jobs[id]`) is seen.
 */
function staticAccessorResults(context: RuleContext, classBinding: Binding): ts.Node[] {
  // (uses it cannot see only hide removals: what it sees is enough)
  const references = workspaceReferences(classBinding, context.project, context.path, 'what-can-be-seen')!;
  const results: ts.Node[] = [];
  for (const reference of references) {
    const site = referenceSite(reference);
    const access = site.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== site) continue;
    const call = access.parent;
    const result = ts.isCallExpression(call) && call.expression === access ? call : access; // `C.getInstance()` or a `static get instance()`
    let outer: ts.Node = result;
    while (outer.parent && (ts.isAwaitExpression(outer.parent) || ts.isParenthesizedExpression(outer.parent) || ts.isNonNullExpression(outer.parent) || ts.isAsExpression(outer.parent))) outer = outer.parent;
    results.push(outer);
    const declaration = outer.parent;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer === outer && ts.isIdentifier(declaration.name)) {
      const variable = resolveIdentifier(declaration.name);
      if (variable) results.push(...referencesOf(variable));
    }
  }
  return results;
}

/** Per class: `this.<name>` expressions of its static and instance members, by name (one walk per class). */
const thisUseIndex = new WeakMap<ts.ClassLikeDeclaration, { statics: Map<string, ts.Expression[]>; instance: Map<string, ts.Expression[]> }>();

/** `this.<name>` expressions inside the class's (static or instance) members, `this` not rebound. */
function thisUses(cls: ts.ClassLikeDeclaration, name: string, statics: boolean): ts.Expression[] {
  let index = thisUseIndex.get(cls);
  if (!index) {
    index = { statics: new Map(), instance: new Map() };
    for (const member of cls.members) {
      const byName = isStatic(member) ? index.statics : index.instance;
      const visit = (node: ts.Node): void => {
        if (node !== member && (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassLike(node))) return;
        if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
          const list = byName.get(node.name.text);
          if (list) list.push(node);
          else byName.set(node.name.text, [node]);
        }
        ts.forEachChild(node, visit);
      };
      visit(member);
    }
    thisUseIndex.set(cls, index);
  }
  return [...((statics ? index.statics : index.instance).get(name) ?? [])];
}

/** Why a class's instance outlives requests: a DI singleton, or instantiated at module scope. */
function singletonReason(context: RuleContext, cls: ts.ClassLikeDeclaration, classBinding: Binding | undefined): { reason: string; instances: Binding[] } | undefined {
  const decorators = ts.canHaveDecorators(cls) ? ts.getDecorators(cls) ?? [] : [];
  for (const decorator of decorators) {
    const expression = decorator.expression;
    const callee = ts.isCallExpression(expression) ? expression.expression : expression;
    const id = ts.isIdentifier(callee) ? callee : undefined;
    const binding = id ? resolveIdentifier(id) : undefined;
    const module = binding ? importModuleOf(binding) : undefined;
    if (!binding || !module || !SINGLETON_DECORATORS[module]) continue;
    const imported = ts.isImportSpecifier(binding.declaration) ? (binding.declaration.propertyName ?? binding.declaration.name).text : binding.name;
    if (!SINGLETON_DECORATORS[module].includes(imported)) continue;
    const options = ts.isCallExpression(expression) ? expression.arguments[0] : undefined;
    if (options && /\bscope\s*:\s*Scope\.(REQUEST|TRANSIENT)\b|\btransient\s*:\s*true\b/.test(options.getText())) return undefined;
    return { reason: `a singleton provider (\`@${imported}()\`)`, instances: [] };
  }
  if (!classBinding) return undefined;
  const instances: Binding[] = [];
  let moduleLevel = false;
  /** Some instance is created while a module loads (not only by the class's own static holder). */
  let atLoad = false;
  const considerNew = (reference: ts.Identifier): void => {
    const parent = reference.parent;
    if (!ts.isNewExpression(parent) || parent.expression !== reference) return;
    if (runsAtModuleLoad(parent) && !insideLoop(parent)) {
      moduleLevel = true;
      atLoad = true;
      const holder = skipToHolder(parent);
      if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
        const binding = resolveIdentifier(holder.name);
        if (binding) instances.push(binding);
      }
    } else {
      // `static instance = new C()` / `C.instance ??= new C()` inside the class: the singleton pattern.
      const holder = skipToHolder(parent);
      if (holder && ((ts.isPropertyDeclaration(holder) && isStatic(holder)) || (ts.isBinaryExpression(holder) && ts.isPropertyAccessExpression(holder.left) && isStaticHolder(holder.left, cls)))) moduleLevel = true;
    }
  };
  for (const reference of referencesOf(classBinding)) considerNew(reference);
  // (what `isStaticHolder` accepts)
  const statics = new Set(cls.members.flatMap((m) => (ts.isPropertyDeclaration(m) && isStatic(m) ? [m.name.getText()] : [])));
  for (const exportName of exportedNamesOf(classBinding)) {
    // (an instance a test keeps at its module level lives for that test run: not a singleton)
    const isProduction = (file: string) => !isTestPath(context.project.relative(file));
    const narrower = { key: 'unbounded-collection/at-load-outside-tests', test: (file: string, text: string) => isProduction(file) && mayInstantiateAtLoad(context.project, file, text, exportName, statics) };
    for (const use of constructingImporters(context.project, context.path, exportName, narrower)) {
      if (!isProduction(use.file)) continue;
      for (const reference of referencesOf(use.binding)) considerNew(reference);
    }
  }
  if (!moduleLevel) return undefined;
  return { reason: atLoad ? 'instantiated once at module scope' : 'a singleton kept in a static field', instances };
}

function isStaticHolder(access: ts.PropertyAccessExpression, cls: ts.ClassLikeDeclaration): boolean {
  return cls.members.some((m) => ts.isPropertyDeclaration(m) && isStatic(m) && m.name.getText() === access.name.text);
}

function skipToHolder(expression: ts.Expression): ts.Node | undefined {
  let current: ts.Node = expression;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent) || (ts.isBinaryExpression(current.parent) && current.parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken))) current = current.parent;
  return current.parent;
}

function importModuleOf(binding: Binding): string | undefined {
  let node: ts.Node | undefined = binding.declaration;
  while (node && !ts.isImportDeclaration(node)) node = node.parent;
  return node && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
}

// ---------------------------------------------------------------------------------------------
// Uses

function classify(candidate: Candidate, use: ts.Expression): ClassifiedUse {
  let current: ts.Expression = use;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isSatisfiesExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  const type = candidate.type;
  const result = (kind: UseKind, site: ts.Node = current, method?: string): ClassifiedUse => ({ kind, use, site, method });
  if (!parent) return result('read');
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === current) {
    const name = ts.isPropertyAccessExpression(parent) ? parent.name.text : stringKey(parent.argumentExpression);
    const call = parent.parent;
    if (ts.isPropertyAccessExpression(parent) && ts.isCallExpression(call) && call.expression === parent) {
      if (GROWTH_METHODS[type].includes(name!)) {
        if ((type === 'Map' || type === 'Set') && call.arguments[0] && isBoundedKey(call.arguments[0])) return result('read', call, name);
        return result('growth', call, name);
      }
      if (REMOVAL_METHODS[type].includes(name!)) return result('removal', call, name);
      return result('read', call, name);
    }
    if (isAssignmentTarget(parent)) {
      if (ts.isPropertyAccessExpression(parent)) return name === 'length' ? result('removal', parent.parent, 'length') : result('read');
      const key = parent.argumentExpression;
      if (type === 'object' && !isBoundedKey(key)) return result('growth', parent.parent, '[]=');
      if (type === 'array' && isLengthOf(key, current)) return result('growth', parent.parent, '[]=');
      return result('read');
    }
    if (ts.isElementAccessExpression(parent) && ts.isDeleteExpression(parent.parent)) return result('removal', parent.parent, 'delete');
    if (ts.isPropertyAccessExpression(parent) && (name === 'size' || name === 'length') && isGuardComparison(parent)) return result('sizeCheck', parent, name);
    return result('read');
  }
  if (ts.isBinaryExpression(parent) && parent.left === current && ASSIGNMENT_OPERATORS.has(parent.operatorToken.kind)) {
    if (candidate.ownerClass && isInConstructorOf(parent, candidate.ownerClass)) return result('read');
    return result('removal', parent, 'reassignment');
  }
  if (ts.isCallExpression(parent) && parent.arguments.includes(current)) {
    const callee = calleeName(parent.expression);
    if (callee === 'Object.assign') {
      if (parent.arguments[0] !== current) return result('read');
      // `module.exports = Object.assign(registry, { register })`: the result is the collection itself
      if (!ts.isExpressionStatement(parent.parent)) return result('escape', parent);
      const sources = parent.arguments.slice(1);
      if (type === 'object' && !sources.every((s) => ts.isObjectLiteralExpression(s) && s.properties.every((p) => !ts.isSpreadAssignment(p) && p.name !== undefined && !ts.isComputedPropertyName(p.name))) && !hasFixedShape(candidate)) return result('growth', parent, 'Object.assign');
      return result('read');
    }
    if (callee && READER_CALLEES.has(callee)) return result('read');
    return result('escape', parent);
  }
  if (ts.isNewExpression(parent)) return result('read');
  if (ts.isForOfStatement(parent) || ts.isForInStatement(parent) || ts.isSpreadElement(parent) || ts.isTypeOfExpression(parent) || ts.isTemplateSpan(parent)) return result('read');
  if (ts.isBinaryExpression(parent) || ts.isPrefixUnaryExpression(parent) || ts.isIfStatement(parent) || ts.isConditionalExpression(parent) && parent.condition === current) return result('read');
  if (ts.isExpressionStatement(parent) || ts.isVoidExpression(parent) || ts.isAwaitExpression(parent)) return result('read');
  // returned, stored elsewhere, exported, put into another structure: someone else may prune it
  return result('escape', parent);
}

function stringKey(node: ts.Expression): string | undefined {
  return ts.isStringLiteralLike(node) ? node.text : undefined;
}

/**
 * A dictionary created with named properties and not typed as a dictionary (`const settings = {
 * defaultLimit: 20, maxLimit: 100 }`): a record whose keys are its shape. `Object.assign(settings,
 * patch)` updates those keys (a settings setter), it does not add one per request; an element
 * assignment with an open key still counts as growth.
 */
function hasFixedShape(candidate: Candidate): boolean {
  const literal = skipOuterExpressions(candidate.initializer);
  if (!ts.isObjectLiteralExpression(literal) || literal.properties.length === 0) return false;
  if (!literal.properties.every((p) => !ts.isSpreadAssignment(p) && p.name !== undefined && !ts.isComputedPropertyName(p.name))) return false;
  const declared = candidate.declaration.parent && (ts.isVariableDeclaration(candidate.declaration.parent) || ts.isPropertyDeclaration(candidate.declaration.parent)) ? candidate.declaration.parent.type : ts.isPropertyDeclaration(candidate.declaration) ? candidate.declaration.type : undefined;
  const asserted = ts.isAsExpression(candidate.initializer) || ts.isSatisfiesExpression(candidate.initializer) ? candidate.initializer.type : undefined;
  return !typedAsDictionary(declared) && !typedAsDictionary(asserted);
}

/** `Record<…>`, `Partial<Record<…>>`, `{ [key: string]: T }`, `Dictionary<T>`-like names: a type with open keys. */
function typedAsDictionary(type: ts.TypeNode | undefined): boolean {
  if (!type) return false;
  if (ts.isTypeLiteralNode(type)) return type.members.some((m) => ts.isIndexSignatureDeclaration(m) || ts.isMappedTypeNode(m as ts.Node));
  if (ts.isMappedTypeNode(type)) return true;
  if (ts.isParenthesizedTypeNode(type)) return typedAsDictionary(type.type);
  if (ts.isIntersectionTypeNode(type) || ts.isUnionTypeNode(type)) return type.types.some(typedAsDictionary);
  if (ts.isTypeReferenceNode(type)) {
    const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
    return /^(?:Record|Dictionary|Dict|Map|Hash|Index)|(?:Map|Dict|Dictionary|Record|Registry|Cache|Index|Lookup|Table)$/.test(name) || (type.typeArguments ?? []).some(typedAsDictionary);
  }
  return false;
}

function isAssignmentTarget(node: ts.Expression): boolean {
  const parent = node.parent;
  return ts.isBinaryExpression(parent) && parent.left === node && ASSIGNMENT_OPERATORS.has(parent.operatorToken.kind);
}

function isLengthOf(key: ts.Expression, collection: ts.Expression): boolean {
  const k = skipOuterExpressions(key);
  return ts.isPropertyAccessExpression(k) && k.name.text === 'length' && sameExpression(k.expression, collection);
}

/** `X.size >= MAX` used as the condition of an `if`, a loop or a conditional: a size guard. */
function isGuardComparison(access: ts.PropertyAccessExpression): boolean {
  let node: ts.Node = access;
  const comparison = node.parent;
  if (!ts.isBinaryExpression(comparison) || !COMPARISONS.has(comparison.operatorToken.kind)) return false;
  const other = comparison.left === access ? comparison.right : comparison.left;
  if (ts.isNumericLiteral(other) && Number(other.text) === 0) return false;
  node = comparison;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isPrefixUnaryExpression(node.parent) || (ts.isBinaryExpression(node.parent) && (node.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || node.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)))) node = node.parent;
  const holder = node.parent;
  return (ts.isIfStatement(holder) && holder.expression === node) || (ts.isWhileStatement(holder) && holder.expression === node) || (ts.isConditionalExpression(holder) && holder.condition === node) || (ts.isDoStatement(holder) && holder.expression === node) || (ts.isForStatement(holder) && holder.condition === node);
}

function calleeName(expression: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expression);
  if (ts.isIdentifier(e)) return resolveIdentifier(e) ? undefined : e.text;
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && !resolveIdentifier(e.expression)) return `${e.expression.text}.${e.name.text}`;
  return undefined;
}

function sameExpression(a: ts.Expression, b: ts.Expression): boolean {
  const x = skipOuterExpressions(a);
  const y = skipOuterExpressions(b);
  if (ts.isIdentifier(x) && ts.isIdentifier(y)) {
    const bx = resolveIdentifier(x);
    return x.text === y.text && bx === resolveIdentifier(y);
  }
  if (ts.isPropertyAccessExpression(x) && ts.isPropertyAccessExpression(y)) return x.name.text === y.name.text && sameExpression(x.expression, y.expression);
  if (x.kind === ts.SyntaxKind.ThisKeyword && y.kind === ts.SyntaxKind.ThisKeyword) return true;
  return x.getText() === y.getText();
}

/** Keys bounded by construction: literals, enum members, `as const` object members, literal-typed constants and parameters. */
function isBoundedKey(key: ts.Expression, depth = 0): boolean {
  const k = skipOuterExpressions(key);
  if (ts.isStringLiteralLike(k) || ts.isNumericLiteral(k) || k.kind === ts.SyntaxKind.TrueKeyword || k.kind === ts.SyntaxKind.FalseKeyword || k.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isConditionalExpression(k)) {
    if (!isBoundedKey(k.whenFalse, depth)) return false;
    if (isBoundedKey(k.whenTrue, depth)) return true;
    // `isKnownOp(op) ? op : 'unknown'`, `op in POLICY ? op : 'other'`: the kept key is one of a constant table's
    const kept = skipOuterExpressions(k.whenTrue);
    const binding = ts.isIdentifier(kept) ? resolveIdentifier(kept) : undefined;
    return binding !== undefined && (tableHas(skipOuterExpressions(k.condition), binding) || equalsLiterals(k.condition, binding));
  }
  // `${kind}:${reason}`: one key per combination of bounded parts
  if (ts.isTemplateExpression(k)) return depth < 3 && k.templateSpans.every((span) => isBoundedKey(span.expression, depth + 1));
  // `path.join(__dirname, 'templates', name)` alike, and the module's own location
  if (ts.isCallExpression(k) && isPathBuilder(k.expression)) return depth < 3 && k.arguments.every((argument) => isBoundedKey(argument, depth + 1));
  if (isModuleLocation(k)) return true;
  // `PERIODS[param] || 'alltime'`: a lookup in a constant table of literals, with a literal fallback
  if (ts.isBinaryExpression(k) && (k.operatorToken.kind === ts.SyntaxKind.BarBarToken || k.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    return isBoundedKey(k.right, depth) && (isBoundedKey(k.left, depth) || isConstantTableLookup(k.left));
  }
  if (ts.isPropertyAccessExpression(k) && ts.isIdentifier(k.expression)) {
    const binding = resolveIdentifier(k.expression);
    if (binding?.kind === 'enum') return true;
    const init = binding && binding.kind === 'const' ? initializerOf(binding) : undefined;
    if (init && ts.isAsExpression(init) && ts.isObjectLiteralExpression(init.expression)) return true;
    return false;
  }
  if (ts.isIdentifier(k)) {
    const binding = resolveIdentifier(k);
    if (!binding) return k.text === 'undefined';
    if (guardedByConstantTable(k, binding)) return true;
    // a constant imported from a workspace module (`import { DEFAULT_PROVIDER } from './constants'`)
    if (binding.kind === 'import' && ts.isImportSpecifier(binding.declaration) && currentContext && depth < 2) {
      const exported = importedDeclaration(currentContext.project, binding.declaration, k.getSourceFile().fileName);
      const init = exported?.kind === 'const' ? initializerOf(exported) : undefined;
      if (init && isBoundedKey(init, depth + 1) && !ts.isIdentifier(skipOuterExpressions(init))) return true;
    }
    if (binding.kind === 'const') {
      const init = initializerOf(binding);
      if (init && init !== k && isBoundedKey(init) && !ts.isIdentifier(skipOuterExpressions(init))) return true;
    }
    if (binding.kind === 'param' && ts.isParameter(binding.declaration)) {
      if (binding.declaration.type && isBoundedType(binding.declaration.type)) return true;
      return depth < 2 && everyCallPassesBoundedKey(binding.declaration, depth);
    }
  }
  return false;
}

/** `path.join`, `path.resolve`, … (of `node:path`, also `path.posix`): a path built from its arguments alone. */
function isPathBuilder(callee: ts.Expression): boolean {
  const qualified = resolveQualified(callee);
  if (!qualified || qualified.module.replace(/^node:/, '') !== 'path') return false;
  const name = qualified.path[qualified.path.length - 1];
  return ['join', 'resolve', 'normalize', 'basename', 'dirname', 'extname'].includes(name) && qualified.path.slice(0, -1).every((part) => part === 'default' || part === 'posix' || part === 'win32');
}

/** `__dirname`, `__filename` (the globals), `import.meta.dirname`, `.filename`, `.url`: fixed per module. */
function isModuleLocation(e: ts.Expression): boolean {
  if (ts.isIdentifier(e)) return (e.text === '__dirname' || e.text === '__filename') && !resolveIdentifier(e);
  return ts.isPropertyAccessExpression(e) && ts.isMetaProperty(e.expression) && ['dirname', 'filename', 'url'].includes(e.name.text);
}

/**
 * `TABLE[x]` where `TABLE` is a `const` object literal whose every value is a literal (and that
 * nothing writes to): the result is one of those values, or undefined.
 */
function isConstantTableLookup(e: ts.Expression): boolean {
  const access = skipOuterExpressions(e);
  if (!ts.isElementAccessExpression(access)) return false;
  const table = constantTable(access.expression);
  return table !== undefined && table.properties.every((p) => ts.isPropertyAssignment(p) && (ts.isStringLiteralLike(skipOuterExpressions(p.initializer)) || ts.isNumericLiteral(skipOuterExpressions(p.initializer))));
}

/**
 * The key of a growth checked against a constant table first, the check leaving the function when
 * the key is not one of the table's (`if (!(type in FIELDS)) throw …`, `Object.hasOwn(FIELDS, type)`,
 * `FIELDS.hasOwnProperty(type)`, `if (!FIELDS[type]) return`, `const Field = FIELDS[type]; if (!Field)
 * throw …`): the collection holds at most one entry per key of the table.
 */
function guardedByConstantTable(key: ts.Identifier, binding: Binding): boolean {
  const fn = enclosingFunction(key);
  if (!fn) return false;
  for (let node: ts.Node = key; node.parent && node !== fn; node = node.parent) {
    const block = node.parent;
    if (!ts.isBlock(block)) continue;
    let previous: ts.Statement | undefined;
    for (const statement of block.statements) {
      if (statement === node) break;
      if (ts.isIfStatement(statement) && !statement.elseStatement && leavesFunction(statement.thenStatement) && isNotInTable(statement.expression, binding, previous)) return true;
      previous = statement;
    }
  }
  return false;
}

function leavesFunction(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last !== undefined && (ts.isThrowStatement(last) || ts.isReturnStatement(last));
}

/**
 * A condition true when the key is not one of a constant table's keys (the negation of `tableHas`);
 * `previous` is the statement before the `if` (`sql = STATEMENTS[name]; if (sql === undefined) throw …`).
 */
function isNotInTable(condition: ts.Expression, binding: Binding, previous: ts.Statement | undefined): boolean {
  const c = skipOuterExpressions(condition);
  let tested: ts.Expression | undefined;
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) tested = skipOuterExpressions(c.operand);
  // FIELDS[type] === undefined, FIELDS[type] == null
  else if (ts.isBinaryExpression(c) && (c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)) {
    const other = skipOuterExpressions(c.right);
    const empty = other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined' && !resolveIdentifier(other));
    if (empty) tested = skipOuterExpressions(c.left);
  }
  if (!tested) return false;
  if (tableHas(tested, binding)) return true;
  // a variable assigned the lookup by the statement right before
  const assignment = previous && ts.isExpressionStatement(previous) ? skipOuterExpressions(previous.expression) : undefined;
  return (
    ts.isIdentifier(tested) && assignment !== undefined && ts.isBinaryExpression(assignment) && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(assignment.left) && resolveIdentifier(assignment.left) !== undefined && resolveIdentifier(assignment.left) === resolveIdentifier(tested) && tableHas(skipOuterExpressions(assignment.right), binding)
  );
}

/**
 * `type in FIELDS`, `Object.hasOwn(FIELDS, type)`, `Object.prototype.hasOwnProperty.call(FIELDS, type)`, `FIELDS.hasOwnProperty(type)`,
 * `FIELDS[type]` (also `FIELDS[\`${type}.sql\`]`: one table key per key), or a `const` holding `FIELDS[type]`.
 */
function tableHas(e: ts.Expression, binding: Binding): boolean {
  const isKey = (node: ts.Expression | undefined) => node !== undefined && keyDetermines(skipOuterExpressions(node), binding);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.InKeyword) return isKey(e.left) && constantTable(e.right) !== undefined;
  if (ts.isElementAccessExpression(e)) return isKey(e.argumentExpression) && constantTable(e.expression) !== undefined;
  if (ts.isCallExpression(e)) {
    const callee = skipOuterExpressions(e.expression);
    const [first, second] = e.arguments;
    const text = ts.isPropertyAccessExpression(callee) ? callee.getText() : '';
    if ((text === 'Object.hasOwn' || text === 'Object.prototype.hasOwnProperty.call' || text === '{}.hasOwnProperty.call') && first && isKey(second)) return constantTable(first) !== undefined;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'hasOwnProperty' && isKey(first)) return constantTable(callee.expression) !== undefined;
    return guardHas(e, binding);
  }
  if (ts.isIdentifier(e)) {
    const held = resolveIdentifier(e);
    const init = held?.kind === 'const' ? initializerOf(held) : undefined;
    return init !== undefined && init !== e && tableHas(skipOuterExpressions(init), binding);
  }
  return false;
}

/** `op === 'a'`, `op === 'a' || op === 'b'`: true only when the key is one of a few literals. */
function equalsLiterals(condition: ts.Expression, binding: Binding): boolean {
  const c = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(c)) return false;
  if (c.operatorToken.kind === ts.SyntaxKind.BarBarToken) return equalsLiterals(c.left, binding) && equalsLiterals(c.right, binding);
  if (c.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken && c.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsToken) return false;
  const [left, right] = [skipOuterExpressions(c.left), skipOuterExpressions(c.right)];
  const isKey = (e: ts.Expression) => ts.isIdentifier(e) && resolveIdentifier(e) === binding;
  const isLiteral = (e: ts.Expression) => ts.isStringLiteralLike(e) || ts.isNumericLiteral(e);
  return (isKey(left) && isLiteral(right)) || (isLiteral(left) && isKey(right));
}

/**
 * `isKnownOp(op)` with `function isKnownOp(op: string): op is keyof typeof POLICY { return Object.hasOwn(POLICY, op) }`
 * (declared in this module, its body one `return` of a table test, `tableHas`, of its parameter).
 */
function guardHas(call: ts.CallExpression, binding: Binding): boolean {
  const callee = skipOuterExpressions(call.expression);
  let guardBinding = ts.isIdentifier(callee) ? resolveIdentifier(callee) : undefined;
  // (or exported by the workspace module it is imported from)
  if (guardBinding && ts.isImportSpecifier(guardBinding.declaration) && currentContext) guardBinding = importedDeclaration(currentContext.project, guardBinding.declaration, call.getSourceFile().fileName);
  const guard = guardBinding ? functionOfBinding(guardBinding) : undefined;
  if (!guard?.body) return false;
  const index = call.arguments.findIndex((argument) => {
    const a = skipOuterExpressions(argument);
    return ts.isIdentifier(a) && resolveIdentifier(a) === binding;
  });
  const parameter = index >= 0 ? guard.parameters[index] : undefined;
  const parameterBinding = parameter && ts.isIdentifier(parameter.name) && !parameter.dotDotDotToken ? resolveIdentifier(parameter.name) : undefined;
  if (!parameterBinding) return false;
  const returned = ts.isBlock(guard.body) ? (guard.body.statements.length === 1 && ts.isReturnStatement(guard.body.statements[0]) ? guard.body.statements[0].expression : undefined) : guard.body;
  return returned !== undefined && tableHas(skipOuterExpressions(returned), parameterBinding);
}

/** The key itself, or a template or concatenation of it with literals only (`${type}.sql`, `'cmd:' + type`), which tells the key apart. */
function keyDetermines(node: ts.Expression, binding: Binding): boolean {
  if (ts.isIdentifier(node)) return resolveIdentifier(node) === binding;
  if (ts.isTemplateExpression(node)) return node.templateSpans.length === 1 && keyDetermines(skipOuterExpressions(node.templateSpans[0].expression), binding);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [left, right] = [skipOuterExpressions(node.left), skipOuterExpressions(node.right)];
    return (ts.isStringLiteralLike(left) && keyDetermines(right, binding)) || (ts.isStringLiteralLike(right) && keyDetermines(left, binding));
  }
  return false;
}

/**
 * A `const` object literal that nothing writes to (every use reads an element or a property), in
 * this module or exported by a workspace module this one imports it from: its keys are fixed.
 */
function constantTable(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const name = skipOuterExpressions(e);
  if (!ts.isIdentifier(name)) return undefined;
  let binding = resolveIdentifier(name);
  if (binding && ts.isImportSpecifier(binding.declaration)) binding = importedConst(binding.declaration, name.getSourceFile().fileName);
  const init = binding?.kind === 'const' ? initializerOf(binding) : undefined;
  const table = init ? skipOuterExpressions(init) : undefined;
  if (!binding || !table || !ts.isObjectLiteralExpression(table) || !currentContext) return undefined;
  const references = workspaceReferences(binding, currentContext.project, binding.identifier.getSourceFile().fileName);
  return references && references.every((reference) => isRead(referenceSite(reference))) ? table : undefined;
}

/** The `const` an import names, declared and exported by the workspace module it imports (`export const STATEMENTS = {…}`). */
function importedConst(specifier: ts.ImportSpecifier, file: string): Binding | undefined {
  const binding = currentContext ? importedDeclaration(currentContext.project, specifier, file) : undefined;
  return binding?.kind === 'const' ? binding : undefined;
}

/** Calls that read an object they are given: key tests and listings. */
const READING_CALLS = new Set(['Object.hasOwn', 'Object.prototype.hasOwnProperty.call', '{}.hasOwnProperty.call', 'Object.keys', 'Object.values', 'Object.entries']);

/** A use of an object that reads it: an element or property read, a key test, a listing, its type (`typeof`). */
function isRead(reference: ts.Expression): boolean {
  const parent = reference.parent;
  if (ts.isTypeQueryNode(parent)) return true; // `keyof typeof TABLE`
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.InKeyword && parent.right === reference) return true;
  if (ts.isCallExpression(parent) && parent.arguments[0] === reference && ts.isPropertyAccessExpression(parent.expression) && READING_CALLS.has(parent.expression.getText())) return true;
  const read = (ts.isElementAccessExpression(parent) || ts.isPropertyAccessExpression(parent)) && parent.expression === reference;
  if (!read) return false;
  const outer = parent.parent;
  return !(ts.isBinaryExpression(outer) && outer.left === parent && outer.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && outer.operatorToken.kind <= ts.SyntaxKind.LastAssignment) && !ts.isDeleteExpression(outer);
}

/**
 * `function notify(kind: string) { sent[kind] = true }` called only as `notify('started')` and
 * `notify('ready')`: the parameter is typed `string`, but every call in the workspace (this file, and
 * the importers of an exported function) passes a bounded key. Unknown when the function is passed
 * around, re-exported or reached through a namespace: not bounded.
 */
function everyCallPassesBoundedKey(parameter: ts.ParameterDeclaration, depth: number): boolean {
  const fn = parameter.parent;
  if (parameter.dotDotDotToken || !isFunctionNode(fn)) return false;
  const index = (fn.parameters as ts.NodeArray<ts.ParameterDeclaration>).indexOf(parameter);
  const binding = functionBinding(fn);
  const references = index < 0 || !currentContext ? undefined : binding ? workspaceReferences(binding, currentContext.project, fn.getSourceFile().fileName) : commonJsFunctionReferences(fn, currentContext.project, fn.getSourceFile().fileName);
  return references !== undefined && references.length > 0 && references.every((reference) => {
    const site = referenceSite(reference);
    const call = site.parent;
    if (!ts.isCallExpression(call) || call.expression !== site) return false;
    const argument = call.arguments[index];
    return argument !== undefined && call.arguments.slice(0, index + 1).every((a) => !ts.isSpreadElement(a)) && isBoundedKey(argument, depth + 1);
  });
}

function isBoundedType(type: ts.TypeNode, depth = 0): boolean {
  if (ts.isLiteralTypeNode(type)) return true;
  if (type.kind === ts.SyntaxKind.BooleanKeyword) return true;
  if (ts.isUnionTypeNode(type)) return type.types.every((t) => isBoundedType(t, depth));
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.KeyOfKeyword) return true;
  if (ts.isParenthesizedTypeNode(type)) return isBoundedType(type.type, depth);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && depth < 4) {
    const target = resolveIdentifier(type.typeName);
    if (target?.kind === 'enum') return true;
    if (!target) {
      // a type alias of literals declared in this file
      const alias = type.getSourceFile().statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === (type.typeName as ts.Identifier).text);
      if (alias) return isBoundedType(alias.type, depth + 1);
    } else if (ts.isImportSpecifier(target.declaration) && currentContext) {
      // `import type { Direction } from './kinds'`, with `export type Direction = 'inbound' | 'outbound'` there
      const declaration = importedTypeDeclaration(currentContext.project, target.declaration, type.getSourceFile().fileName);
      if (declaration && ts.isEnumDeclaration(declaration)) return true;
      if (declaration) return isBoundedType(declaration.type, depth + 1);
    }
  }
  return false;
}

function isInConstructorOf(node: ts.Node, cls: ts.ClassLikeDeclaration): boolean {
  const fn = enclosingFunction(node);
  return fn !== undefined && ts.isConstructorDeclaration(fn) && fn.parent === cls;
}

// ---------------------------------------------------------------------------------------------
// Run time vs. initialisation

/** True when `node` only runs while the module (or a singleton) initialises. */
function runsOnlyAtInit(node: ts.Node, candidate: Candidate, depth = 0): boolean {
  if (depth > 3) return false;
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (candidate.factory && fn === candidate.factory) return true;
    if (isImmediatelyInvoked(fn)) continue;
    const perItem = perItemCallbackOf(fn);
    if (perItem && ['forEach', 'map', 'flatMap', 'reduce', 'filter', 'some', 'every', 'Array.from'].includes(perItem.method)) {
      return runsOnlyAtInit(perItem.call, candidate, depth + 1) || false;
    }
    if (ts.isConstructorDeclaration(fn) && candidate.ownerClass && fn.parent === candidate.ownerClass) return true;
    if (isStartupHook(fn)) return true;
    // a callback of a one-shot call runs once, when that call does (`fs.readdir(dir, (err, files) => …)` at module level)
    const once = oneShotCallOf(fn);
    if (once) return runsOnlyAtInit(once, candidate, depth + 1);
    const staticCalls = staticMethodCalls(fn, candidate);
    if (staticCalls) return staticCalls.length > 0 && staticCalls.every((call) => runsOnlyAtInit(call, candidate, depth + 1));
    const decorators = decoratorApplications(fn, candidate);
    if (decorators) return decorators.length > 0 && decorators.every((decorator) => runsOnlyAtInit(decorator, candidate, depth + 1));
    const binding = functionBinding(fn);
    if (!binding) return false;
    if (!isModuleLevel(fn) && !(ts.isFunctionDeclaration(fn) && isModuleLevel(fn.parent))) return false;
    const references = referencesOf(binding);
    for (const exportName of exportedNamesOf(binding)) {
      const importers = importersUnlessOpaque(projectOf(candidate), fileOf(candidate), exportName);
      if (!importers || importers.uses.length === 0) return false;
      for (const use of importers.uses) references.push(...referencesOf(use.binding));
    }
    if (references.length === 0) return false;
    return references.every((reference) => {
      const call = reference.parent;
      return ts.isCallExpression(call) && call.expression === reference && runsOnlyAtInit(call, candidate, depth + 1);
    });
  }
  return true;
}

/** Lifecycle hooks a framework runs once, at start-up: NestJS's `onModuleInit`, `onApplicationBootstrap`, an Apollo plugin's `serverWillStart`. */
const STARTUP_HOOKS = new Set(['onModuleInit', 'onApplicationBootstrap', 'serverWillStart']);

function isStartupHook(fn: FunctionNode): boolean {
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const named = ts.isMethodDeclaration(fn) ? fn.name : ts.isPropertyAssignment(outer.parent) && outer.parent.initializer === outer ? outer.parent.name : ts.isPropertyDeclaration(outer.parent) && outer.parent.initializer === outer ? outer.parent.name : undefined;
  return named !== undefined && ts.isIdentifier(named) && STARTUP_HOOKS.has(named.text);
}

/**
 * The call `fn` is a callback of when that call runs it once: a promise continuation (`.then`,
 * `.catch`, `.finally`), a one-shot `fs` function (`readdir`, `readFile`, `stat`, …, not `watch`),
 * or a one-shot timer (`setTimeout`, `setImmediate`, `process.nextTick`, `queueMicrotask`; not
 * `setInterval`).
 */
function oneShotCallOf(fn: FunctionNode): ts.CallExpression | undefined {
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const call = outer.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(outer as ts.Expression)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && ['then', 'catch', 'finally'].includes(callee.name.text)) return call;
  if (ts.isIdentifier(callee) && ['setTimeout', 'setImmediate', 'queueMicrotask'].includes(callee.text) && !resolveIdentifier(callee)) return call;
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'nextTick' && ts.isIdentifier(callee.expression) && callee.expression.text === 'process') return call;
  const qualified = resolveQualified(callee);
  const module = qualified?.module.replace(/^node:/, '');
  if ((module === 'fs' || module === 'fs/promises') && ONE_SHOT_FS.has(qualified!.path[qualified!.path.length - 1])) return call;
  return undefined;
}

const ONE_SHOT_FS = new Set(['readdir', 'readFile', 'stat', 'lstat', 'access', 'exists', 'realpath', 'mkdir', 'open', 'opendir', 'readlink']);

/**
 * Where a decorator runs: `fn` used only as `@fn`, or returned by a factory used only as
 * `@Factory(…)` (`export function Money() { return (target, key) => { columns.set(target, …) } }`).
 * A decorator runs once, when its class is defined; undefined when `fn` is not only that (or some
 * use cannot be seen: passed on, re-exported, reached through a namespace).
 */
function decoratorApplications(fn: FunctionNode, candidate: Candidate): ts.Decorator[] | undefined {
  let outer: ts.Node = fn;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const returnedBy = ts.isReturnStatement(outer.parent) ? enclosingFunction(outer.parent) : ts.isArrowFunction(outer.parent) && outer.parent.body === outer ? outer.parent : undefined;
  const decorator = returnedBy ?? fn;
  const binding = functionBinding(decorator);
  const references = binding ? workspaceReferences(binding, projectOf(candidate), fileOf(candidate)) : undefined;
  if (!references) return undefined;
  const applications: ts.Decorator[] = [];
  for (const reference of references) {
    const parent = reference.parent;
    // `@Entity` runs `fn` itself; `@Money()` runs the factory, and the decorator it returns
    const application = !returnedBy && ts.isDecorator(parent) ? parent : returnedBy && ts.isCallExpression(parent) && parent.expression === reference && ts.isDecorator(parent.parent) ? parent.parent : undefined;
    if (!application) return undefined;
    applications.push(application);
  }
  return applications;
}

/**
 * The calls of a static method of a module-level class (`Builder.register(…)`, here or in the
 * class's importers), or undefined when not every call can be seen: the class is used otherwise than
 * through its static members, `new`, types or `instanceof` (aliased, passed on, extended, indexed:
 * `Builder[name]`), or the method is reached through `this`/`super`.
 */
function staticMethodCalls(fn: FunctionNode, candidate: Candidate): ts.CallExpression[] | undefined {
  if (!ts.isMethodDeclaration(fn) || !ts.isIdentifier(fn.name) || !fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return undefined;
  const cls = fn.parent;
  if (!ts.isClassDeclaration(cls) || !cls.name || !isModuleLevel(cls)) return undefined;
  const method = fn.name.text;
  const reachedThroughSelf = (node: ts.Node): boolean =>
    (ts.isPropertyAccessExpression(node) && node.name.text === method && (node.expression.kind === ts.SyntaxKind.ThisKeyword || node.expression.kind === ts.SyntaxKind.SuperKeyword)) ||
    ts.forEachChild(node, reachedThroughSelf) === true;
  if (ts.forEachChild(cls, reachedThroughSelf) === true) return undefined;
  const classBinding = resolveIdentifier(cls.name);
  const references = classBinding ? workspaceReferences(classBinding, projectOf(candidate), fileOf(candidate)) : undefined;
  if (!references) return undefined;
  const calls: ts.CallExpression[] = [];
  for (const reference of references) {
    const site = referenceSite(reference);
    const parent = site.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === site) {
      if (parent.name.text !== method) continue; // another static member
      if (!ts.isCallExpression(parent.parent) || parent.parent.expression !== parent) return undefined; // `const r = Builder.register`
      calls.push(parent.parent);
    } else if (ts.isNewExpression(parent) && parent.expression === site) continue;
    else if (ts.isBinaryExpression(parent) && parent.right === site && parent.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) continue;
    else if (ts.isTypeReferenceNode(parent) || ts.isTypeQueryNode(parent) || (ts.isExpressionWithTypeArguments(parent) && ts.isHeritageClause(parent.parent) && parent.parent.token === ts.SyntaxKind.ImplementsKeyword)) continue;
    else if (ts.isClassDeclaration(parent) && parent.name === reference) continue;
    else if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isExportSpecifier(parent)) continue;
    else return undefined;
  }
  return calls;
}

// The project and file are needed deep in the init analysis; they are stashed per check.
let currentContext: RuleContext | undefined;
function projectOf(_candidate: Candidate) {
  return currentContext!.project;
}
function fileOf(_candidate: Candidate) {
  return currentContext!.path;
}

/**
 * A registration API: `registerResolver(scheme, cls) { resolvers[scheme] = cls }` stores a key and a
 * value that are both the caller's arguments, and no workspace code calls it per call (a library's
 * plugin registry, called by its users while they initialise). Its size is decided by the callers'
 * code, not by traffic.
 */
/**
 * A cache of database clients or pools, one per database or tenant (`pools.set(tenantId, new Pool(…))`):
 * the way client-per-request asks to keep per-target clients; its size is the number of databases.
 */
function isConnectionRegistry(context: RuleContext, growth: ClassifiedUse): boolean {
  const site = growth.site;
  let value: ts.Expression | undefined;
  if (growth.method === 'set' && ts.isCallExpression(site) && site.arguments.length === 2) value = site.arguments[1];
  else if (growth.method === '[]=' && ts.isBinaryExpression(site)) value = site.right;
  if (!value) return false;
  let inner = skipOuterExpressions(value);
  if (ts.isIdentifier(inner)) {
    const binding = resolveIdentifier(inner);
    const init = binding && (binding.kind === 'const' || binding.kind === 'let') ? initializerOf(binding) : undefined;
    if (!init) return false;
    inner = skipOuterExpressions(init);
  }
  if (ts.isAwaitExpression(inner)) inner = skipOuterExpressions(inner.expression);
  return (ts.isNewExpression(inner) || ts.isCallExpression(inner)) && recognizeClientConstruction(inner, context) !== undefined;
}

/**
 * A call that writes a warning: `console.warn(…)`, `process.emitWarning(…)`, `logger.warn(…)`,
 * `util.deprecate(…)`. Not `log`/`info`: "log each new client once" (`seen.add(ip)`) is per-client state.
 */
const WARNING_CALL = /(?:^|\.)(?:warn|warning|emitWarning|deprecate|deprecated)$/;

/**
 * A warn-once record: the collection only remembers which warnings were written, so each is written
 * once (`if (!warned.has(key)) { warned.add(key); console.warn(…) }`, or the guard returning early).
 * Its keys are the warnings the code can write, and evicting one would write it again.
 */
function isWarnOnceRecord(growth: ClassifiedUse): boolean {
  const statement = growth.site.parent;
  if (!statement || !ts.isExpressionStatement(statement) || statement.expression !== growth.site) return false;
  const collection = skipOuterExpressions(growth.use).getText();
  const testsCollection = (condition: ts.Expression) => condition.getText().includes(collection);
  const onlyWarnings = (statements: readonly ts.Statement[]) => {
    let warns = false;
    for (const other of statements) {
      if (other === statement) continue;
      const call = ts.isExpressionStatement(other) ? skipOuterExpressions(other.expression) : undefined;
      if (!call || !ts.isCallExpression(call) || !WARNING_CALL.test(call.expression.getText())) return false;
      warns = true;
    }
    return warns;
  };
  const block = statement.parent;
  const body = ts.isBlock(block) ? block.statements : [statement];
  const guard = ts.isBlock(block) ? block.parent : block;
  // `if (!warned.has(key)) { warned.add(key); console.warn(…) }`
  if (ts.isIfStatement(guard) && guard.thenStatement === (ts.isBlock(block) ? block : statement) && !guard.elseStatement && testsCollection(guard.expression)) return onlyWarnings(body);
  // `if (warned.has(key)) return; warned.add(key); console.warn(…)` in a function's body
  if (ts.isBlock(block) && isFunctionNode(block.parent)) {
    const index = block.statements.indexOf(statement);
    const before = block.statements.slice(0, index);
    const early = before.find((s): s is ts.IfStatement => ts.isIfStatement(s) && testsCollection(s.expression) && (ts.isReturnStatement(s.thenStatement) || (ts.isBlock(s.thenStatement) && s.thenStatement.statements.length === 1 && ts.isReturnStatement(s.thenStatement.statements[0]))));
    return early !== undefined && onlyWarnings(block.statements.filter((s) => s !== early && !(ts.isIfStatement(s) && before.includes(s) && testsCollection(s.expression))));
  }
  return false;
}

function isCallerKeyedRegistration(growth: ClassifiedUse, candidate: Candidate): boolean {
  const site = growth.site;
  if (growth.method === 'push' || growth.method === 'unshift' || growth.method === 'add') return isCodeListRegistration(growth, candidate);
  let key: ts.Expression | undefined;
  let value: ts.Expression | undefined;
  if (growth.method === 'set' && ts.isCallExpression(site) && site.arguments.length === 2) [key, value] = [site.arguments[0], site.arguments[1]];
  else if (growth.method === '[]=' && ts.isBinaryExpression(site) && ts.isElementAccessExpression(site.left)) [key, value] = [site.left.argumentExpression, site.right];
  if (!key || !value) return false;
  const fn = enclosingFunction(site);
  if (!fn) return false;
  const parameterOf = (e: ts.Expression): ts.ParameterDeclaration | undefined => {
    const inner = skipOuterExpressions(e);
    const binding = ts.isIdentifier(inner) ? resolveIdentifier(inner) : undefined;
    return binding?.kind === 'param' && binding.scope === fn && ts.isParameter(binding.declaration) ? binding.declaration : undefined;
  };
  // Values are code, not data: parameters typed as functions or constructors.
  const codeValued = (e: ts.Expression): boolean => {
    const inner = skipOuterExpressions(e);
    const parameter = parameterOf(inner);
    if (parameter) return parameter.type !== undefined && isCodeType(parameter.type);
    if (ts.isObjectLiteralExpression(inner)) return inner.properties.length > 0 && inner.properties.every((p) => (ts.isPropertyAssignment(p) && codeValued(p.initializer)) || (ts.isShorthandPropertyAssignment(p) && codeValued(p.name)));
    return false;
  };
  // the key is the argument itself, or the name of a class or function passed in (`validator.name`)
  const namedBy = (e: ts.Expression): ts.ParameterDeclaration | undefined => {
    const inner = skipOuterExpressions(e);
    if (!ts.isPropertyAccessExpression(inner) || inner.name.text !== 'name') return undefined;
    const owner = parameterOf(inner.expression);
    return owner?.type !== undefined && isCodeType(owner.type) ? owner : undefined;
  };
  const keyParameter = parameterOf(key) ?? namedBy(key);
  if (!keyParameter || !codeValued(value)) return false;
  const keyIndex = fn.parameters.indexOf(keyParameter);
  // No workspace caller runs it per call (callers are unknown, or only initialise).
  const binding = functionBinding(fn);
  if (!binding) return true;
  const references = referencesOf(binding);
  for (const exportName of exportedNamesOf(binding)) {
    const importers = importersOf(currentContext!.project, fn.getSourceFile().fileName, exportName);
    for (const use of importers.uses) references.push(...referencesOf(use.binding));
  }
  // Every caller initialises, or passes a key bounded by construction (`registerResolver('dns', …)`).
  return references.every((reference) => {
    const call = reference.parent;
    const keyArgument = ts.isCallExpression(call) && call.expression === reference ? call.arguments[keyIndex] : undefined;
    return runsOnlyAtInit(reference, candidate) || (keyArgument !== undefined && isBoundedKey(keyArgument));
  });
}

/**
 * A registry of code kept once each: `registerSafeClass(cls) { if (!safeClasses.includes(cls))
 * safeClasses.push(cls) }` (or a Set's `add`): the value is the function's parameter, typed as a
 * constructor or, untyped, given a class or function declared in the workspace by every caller;
 * each is kept once, so the registry holds at most one entry per such declaration. (A function type
 * is not enough: listeners are closures, a new one per subscription.)
 */
function isCodeListRegistration(growth: ClassifiedUse, candidate: Candidate): boolean {
  const site = growth.site;
  if (!ts.isCallExpression(site) || site.arguments.length !== 1 || !ts.isPropertyAccessExpression(site.expression)) return false;
  const fn = enclosingFunction(site);
  const value = skipOuterExpressions(site.arguments[0]);
  const binding = fn && ts.isIdentifier(value) ? resolveIdentifier(value) : undefined;
  if (!fn || !binding || binding.kind !== 'param' || binding.scope !== fn || !ts.isParameter(binding.declaration)) return false;
  const parameter = binding.declaration;
  // kept once: a Set, or an array push guarded by `!list.includes(value)` / `list.indexOf(value) === -1`
  const list = site.expression.expression.getText();
  if (growth.method !== 'add' && !guardedByMembership(site, fn, list, binding)) return false;
  // classes, not functions: a listener list takes a fresh closure per subscription
  if (parameter.type) return isConstructorType(parameter.type);
  const registrar = functionBinding(fn);
  const references = registrar ? workspaceReferences(registrar, currentContext!.project, fn.getSourceFile().fileName) : undefined;
  if (!references) return false;
  const index = fn.parameters.indexOf(parameter);
  return references.length > 0 && references.every((reference) => {
    const call = reference.parent;
    const argument = ts.isCallExpression(call) && call.expression === reference ? call.arguments[index] : undefined;
    const declared = argument && ts.isIdentifier(skipOuterExpressions(argument)) ? resolveIdentifier(skipOuterExpressions(argument) as ts.Identifier)?.declaration : undefined;
    return declared !== undefined && (ts.isClassDeclaration(declared) || ts.isFunctionDeclaration(declared));
  });
}

/** Whether `site` runs only when `list` does not hold the parameter yet (an enclosing `if` of `fn` tests `list.includes(value)` or `list.indexOf(value)`). */
function guardedByMembership(site: ts.Node, fn: ts.Node, list: string, value: Binding): boolean {
  for (let node = site.parent; node && node !== fn; node = node.parent) {
    if (!ts.isIfStatement(node) || site.pos < node.thenStatement.pos || site.end > node.thenStatement.end) continue;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(includes|indexOf)$/.test(n.expression.name.text) && n.expression.expression.getText() === list) {
        const argument = n.arguments[0] && skipOuterExpressions(n.arguments[0]);
        if (argument && ts.isIdentifier(argument) && resolveIdentifier(argument) === value) found = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(node.expression);
    if (found) return true;
  }
  return false;
}


/** A constructor type: `new (…) => T`, `typeof X`, or an object type, interface or alias (same file) with a construct signature. */
function isConstructorType(type: ts.TypeNode, depth = 0): boolean {
  if (ts.isConstructorTypeNode(type) || ts.isTypeQueryNode(type)) return true;
  if (ts.isParenthesizedTypeNode(type)) return isConstructorType(type.type, depth);
  if (ts.isTypeLiteralNode(type)) return type.members.some(ts.isConstructSignatureDeclaration);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && depth < 2) {
    const name = type.typeName.text;
    for (const statement of type.getSourceFile().statements) {
      if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) return statement.members.some(ts.isConstructSignatureDeclaration);
      if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name) return isConstructorType(statement.type, depth + 1);
    }
  }
  return false;
}

/** Function, constructor, `typeof X`, or an object type with call/construct/method signatures (also through a same-file interface or alias). */
function isCodeType(type: ts.TypeNode, depth = 0): boolean {
  if (ts.isFunctionTypeNode(type) || ts.isConstructorTypeNode(type) || ts.isTypeQueryNode(type)) return true;
  if (ts.isParenthesizedTypeNode(type)) return isCodeType(type.type, depth);
  if (ts.isTypeLiteralNode(type)) return type.members.some((m) => ts.isConstructSignatureDeclaration(m) || ts.isCallSignatureDeclaration(m) || ts.isMethodSignature(m) || (ts.isPropertySignature(m) && m.type !== undefined && (ts.isFunctionTypeNode(m.type) || ts.isConstructorTypeNode(m.type))));
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && depth < 2) {
    const name = type.typeName.text;
    for (const statement of type.getSourceFile().statements) {
      if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) return statement.members.some((m) => ts.isConstructSignatureDeclaration(m) || ts.isCallSignatureDeclaration(m));
      if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name) return isCodeType(statement.type, depth + 1);
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Removal that cannot bound growth

/** `const e = X.get(k); if (e.expires < now) X.delete(k)`: deletes a key only when that key is read again. */
function isLazyExpiry(removal: ClassifiedUse): boolean {
  if (removal.method !== 'delete') return false;
  // `map.delete(key)`, or `delete dict[key]` on a dictionary object
  const deleted = ts.isDeleteExpression(removal.site) ? skipOuterExpressions(removal.site.expression) : undefined;
  const key = ts.isCallExpression(removal.site) ? removal.site.arguments[0] : deleted && ts.isElementAccessExpression(deleted) ? deleted.argumentExpression : undefined;
  const fn = enclosingFunction(removal.site);
  if (!key || !fn) return false;
  const collection = removal.use;
  const isReadOfSameKey = (node: ts.Node): boolean =>
    (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'get' && sameExpression(node.expression.expression, collection) && node.arguments[0] !== undefined && sameExpression(node.arguments[0], key)) ||
    (ts.isElementAccessExpression(node) && !ts.isDeleteExpression(node.parent) && sameExpression(node.expression, collection) && sameExpression(node.argumentExpression, key));
  const conditionDependsOnEntry = (condition: ts.Node): boolean => {
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (isReadOfSameKey(node)) found = true;
      else if (ts.isIdentifier(node)) {
        const binding = resolveIdentifier(node);
        const init = binding ? initializerOf(binding) : undefined;
        if (init && containsNode(init, isReadOfSameKey)) found = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(condition);
    return found;
  };
  // Expiry compares the entry with the clock: `entry.resetAt <= now` where `now = Date.now()`.
  const isExpiryCheck = (condition: ts.Node): boolean => conditionDependsOnEntry(condition) && containsNode(condition, isClockReading);
  for (let node: ts.Node = removal.site; node.parent && node !== fn; node = node.parent) {
    const parent = node.parent;
    if (ts.isIfStatement(parent) && parent.expression !== node && isExpiryCheck(parent.expression)) return true;
    if (ts.isConditionalExpression(parent) && parent.condition !== node && isExpiryCheck(parent.condition)) return true;
    if (ts.isBinaryExpression(parent) && parent.right === node && isExpiryCheck(parent.left)) return true;
  }
  return false;
}

/** `Date.now()`, `new Date()`, `performance.now()`, `process.hrtime…`, or a `const` bound to one. */
function isClockReading(node: ts.Node): boolean {
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const text = node.expression.getText();
    if (/^(Date\.now|Date|performance\.now|process\.hrtime(\.bigint)?)$/.test(text)) return true;
  }
  if (ts.isIdentifier(node)) {
    const binding = resolveIdentifier(node);
    const init = binding && binding.kind === 'const' ? initializerOf(binding) : undefined;
    if (init && init !== node && !ts.isIdentifier(init)) return isClockReading(skipOuterExpressions(init)) || (ts.isBinaryExpression(init) && containsNode(init, isClockReading));
  }
  return false;
}

function containsNode(root: ts.Node, predicate: (node: ts.Node) => boolean): boolean {
  if (predicate(root)) return true;
  return ts.forEachChild(root, (child) => (containsNode(child, predicate) ? true : undefined)) ?? false;
}

/** The removal runs only inside an exported reset helper that only test files import. */
function testOnlyHelper(context: RuleContext, removal: ClassifiedUse): string | undefined {
  const fn = enclosingFunction(removal.site);
  if (!fn) return undefined;
  const binding = functionBinding(fn);
  if (!binding || !isModuleLevel(fn)) return undefined;
  if (referencesOf(binding).length > 0) return undefined;
  const file = removal.site.getSourceFile().fileName;
  const importerFiles: string[] = [];
  for (const exportName of exportedNamesOf(binding)) {
    const importers = importersUnlessOpaque(context.project, file, exportName);
    if (!importers) return undefined;
    for (const use of importers.uses) if (referencesOf(use.binding).length > 0) importerFiles.push(use.file);
  }
  if (importerFiles.length === 0) return undefined;
  return importerFiles.every((f) => isTestPath(context.project.relative(f))) ? binding.name : undefined;
}

// ---------------------------------------------------------------------------------------------
// Check and report

function check(context: RuleContext, candidate: Candidate): void {
  currentContext = context;
  const classified = candidate.uses.map((use) => classify(candidate, use));
  const settled = (uses: ClassifiedUse[]) => uses.some((c) => c.kind === 'escape' || c.kind === 'sizeCheck');
  if (settled(classified)) return;
  if (candidate.crossFile) {
    const growsLocally = classified.some((c) => c.kind === 'growth');
    // A private field that never grows inside its class cannot grow anywhere.
    if (candidate.classPrivate && !growsLocally) return;
    // An exported collection that does not grow here can only grow in a file that imports it, and
    // only through a growth shape in that file's text (most exported literals are constant tables).
    if (!candidate.ownerClass && !growsLocally && !importersMayGrow(context, candidate.type, candidate.exportNames)) return;
    const more = candidate.crossFile();
    if (!more) return;
    const further = more.uses.map((use) => classify(candidate, use));
    if (settled(further)) return;
    classified.push(...further);
    if (more.lifetime) candidate.lifetime = more.lifetime;
  }
  const growth = classified.filter((c) => c.kind === 'growth' && (!candidate.factory || enclosingFunction(c.site) !== candidate.factory) && !runsOnlyAtInit(c.site, candidate) && !isCallerKeyedRegistration(c, candidate) && !isWarnOnceRecord(c) && !isConnectionRegistry(context, c));
  if (growth.length === 0) return;
  const discounted: Array<{ removal: ClassifiedUse; why: string }> = [];
  for (const removal of classified.filter((c) => c.kind === 'removal')) {
    if (removal.method === 'reassignment' && runsOnlyAtInit(removal.site, candidate)) {
      discounted.push({ removal, why: 'runs only at initialisation' });
      continue;
    }
    if (isLazyExpiry(removal)) {
      discounted.push({ removal, why: 'lazy' });
      continue;
    }
    const helper = testOnlyHelper(context, removal);
    if (helper) {
      discounted.push({ removal, why: `test:${helper}` });
      continue;
    }
    return; // a real removal path exists
  }
  // Report at the first growth site in this file, or at the declaration when growth is elsewhere.
  const local = growth.filter((g) => g.site.getSourceFile() === context.sourceFile).sort((a, b) => a.site.getStart() - b.site.getStart());
  const first = local[0];
  const reportNode = first ? first.site : candidate.declaration;
  const where = first ? describeGrowth(first) : `${describeGrowth(growth[0])} in ${context.project.relative(growth[0].site.getSourceFile().fileName)}`;
  const fnName = first ? enclosingFunctionName(first.site) : undefined;
  const kindLabel = candidate.type === 'object' ? 'dictionary object' : candidate.type === 'array' ? 'array' : candidate.type;
  const unit = candidate.type === 'array' ? 'element' : 'entry';
  let reason = '';
  const lazy = discounted.find((d) => d.why === 'lazy');
  const testOnly = discounted.find((d) => d.why.startsWith('test:'));
  if (lazy) reason = ` Its only \`delete\` runs when the same key is read again, so keys that are never read again stay forever.`;
  else if (testOnly) reason = ` Its only removal is in \`${testOnly.why.slice(5)}\`, which only tests call.`;
  // grown when a connection opens: its entries belong to live connections, which evicting would drop
  const connection = first ? connectionEvent(first.site) : undefined;
  if (connection) reason += ` It grows when a connection opens (\`${connection}\`): delete the entry when that connection closes (\`'close'\`/\`'disconnect'\`), since evicting the oldest would drop a live one.`;
  const message =
    `\`${candidate.label}\`, ${candidate.lifetime(kindLabel)}, gains an ${unit} at run time (${where}${fnName ? ` in \`${fnName}\`` : ''}) and nothing bounds its size: it keeps ${candidate.type === 'array' ? 'every element' : 'one entry per distinct key'} for the life of the process.` +
    reason;
  const related: RelatedDescriptor[] = [];
  if (reportNode !== candidate.declaration) related.push({ node: candidate.declaration, message: `\`${candidate.label}\` is created here` });
  for (const g of growth) {
    if (g === first) continue;
    const file = g.site.getSourceFile();
    if (file === context.sourceFile) related.push({ node: g.site, message: `also grows here` });
    else related.push({ path: file.fileName, range: { start: g.site.getStart(file), end: g.site.getEnd() }, message: 'also grows here' });
  }
  for (const d of discounted) {
    if (d.removal.site.getSourceFile() !== context.sourceFile) continue;
    related.push({ node: d.removal.site, message: d.why === 'lazy' ? 'removes only the key being read (lazy expiry)' : d.why.startsWith('test:') ? 'only reachable from a test-only helper' : 'runs only at initialisation' });
  }
  context.report({ node: reportNode, message, related, fixes: buildFixes(context, candidate, first, connection !== undefined) });
}

/** Events that open a connection or a subscription: growth in their handlers is per live connection. */
const CONNECTION_EVENTS = /^(?:connection|connect|open|join|subscribe|upgrade|session)$/;

/** The `.on('connection', …)`-style registration whose handler (at any depth) grows the collection: `wss.on('connection')`. */
function connectionEvent(site: ts.Node): string | undefined {
  for (let fn = enclosingFunction(site); fn; fn = enclosingFunction(fn)) {
    let outer: ts.Node = fn;
    while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    const call = outer.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(outer as ts.Expression) || !ts.isPropertyAccessExpression(call.expression)) continue;
    const event = call.arguments[0];
    if (/^(?:on|once|addListener|addEventListener)$/.test(call.expression.name.text) && event && ts.isStringLiteralLike(event) && CONNECTION_EVENTS.test(event.text)) {
      return `${call.expression.expression.getText().slice(-30)}.${call.expression.name.text}('${event.text}')`;
    }
  }
  return undefined;
}

function describeGrowth(g: ClassifiedUse): string {
  const use = g.use.getText();
  switch (g.method) {
    case '[]=':
      return `\`${use}[…] = …\``;
    case 'Object.assign':
      return `\`Object.assign(${use}, …)\``;
    default:
      return `\`${use}.${g.method}(…)\``;
  }
}

function enclosingFunctionName(node: ts.Node): string | undefined {
  const fn = enclosingFunction(node);
  if (!fn) return undefined;
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const binding = functionBinding(fn);
  if (binding) return binding.name;
  if (ts.isPropertyAssignment(fn.parent) || ts.isPropertyDeclaration(fn.parent)) return fn.parent.name.getText();
  // `exports.add = (…) => …` (`add`), `descriptor.value = function (…) {…}` (`descriptor.value`)
  const assignment = fn.parent;
  if (ts.isBinaryExpression(assignment) && assignment.right === fn && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(assignment.left)) {
    const target = assignment.left.getText();
    if (/^(?:module\.)?exports\.[\w$]+$/.test(target)) return assignment.left.name.text;
    return target.length <= 40 && !/\s/.test(target) ? target : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Fixes

function buildFixes(context: RuleContext, candidate: Candidate, growth: ClassifiedUse | undefined, perConnection = false): Fix[] {
  const fixes: Fix[] = [];
  if (hasSyntaxErrors(context.sourceFile!)) return fixes;
  const max = Number(context.options.maxEntries ?? 10000);
  // (entries of live connections: evicting one would drop a connection still open)
  const guard = growth && !perConnection ? sizeGuardFix(context, candidate, growth, max) : undefined;
  if (guard) fixes.push(guard);
  const lru = perConnection ? undefined : boundedCacheFix(context, candidate, max);
  if (lru) fixes.push(lru);
  const weak = weakCollectionFix(context, candidate);
  if (weak) fixes.unshift(weak);
  return fixes;
}

const WEAK_METHODS: Partial<Record<CollectionType, ReadonlySet<string>>> = { Map: new Set(['get', 'set', 'has', 'delete']), Set: new Set(['add', 'has', 'delete']) };
/** Key types that are no objects: a WeakMap or WeakSet cannot hold them. */
const PRIMITIVE_TYPE_NAMES = new Set(['String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'PropertyKey']);

/**
 * A Map or Set keyed by objects and used only by key (`get`/`set`/`has`/`delete`, `add`/`has`/`delete`:
 * never iterated, counted or cleared): a WeakMap or WeakSet holds the same entries without keeping
 * their keys alive, so an entry goes with its key object (evicting the oldest instead would forget
 * keys still in use: a reuse check would accept a reused object again).
 */
function weakCollectionFix(context: RuleContext, candidate: Candidate): Fix | undefined {
  const methods = WEAK_METHODS[candidate.type];
  if (!methods || candidate.exportNames?.length || candidate.initializer.getSourceFile() !== context.sourceFile) return undefined;
  const init = skipOuterExpressions(candidate.initializer);
  if (!ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== candidate.type || (init.arguments && init.arguments.length > 0)) return undefined;
  const holder = candidate.initializer.parent;
  const annotation = holder && (ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) ? holder.type : undefined;
  const annotated = annotation && ts.isTypeReferenceNode(annotation) && ts.isIdentifier(annotation.typeName) && annotation.typeName.text === candidate.type ? annotation : undefined;
  if (annotation && !annotated) return undefined;
  const key = init.typeArguments?.[0] ?? annotated?.typeArguments?.[0];
  if (!key || !isObjectType(key)) return undefined;
  const byKeyOnly = candidate.uses.every((use) => {
    const access = use.parent;
    return ts.isPropertyAccessExpression(access) && access.expression === use && methods.has(access.name.text) && ts.isCallExpression(access.parent) && access.parent.expression === access;
  });
  if (!byKeyOnly) return undefined;
  const weak = `Weak${candidate.type}`;
  const edits: TextEdit[] = [{ start: init.expression.getStart(), end: init.expression.getEnd(), text: weak }];
  if (annotated) edits.unshift({ start: annotated.typeName.getStart(), end: annotated.typeName.getEnd(), text: weak });
  return { kind: 'suggestion', title: `Make \`${candidate.label}\` a ${weak}: its keys are objects, and an entry goes when its key is garbage-collected`, edits };
}

/** A type whose values are objects: a type literal, `object`, a class or interface (not a primitive, a literal, or an alias of one). */
function isObjectType(type: ts.TypeNode): boolean {
  if (ts.isTypeLiteralNode(type) || type.kind === ts.SyntaxKind.ObjectKeyword || ts.isFunctionTypeNode(type)) return true;
  if (!ts.isTypeReferenceNode(type)) return false;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  if (PRIMITIVE_TYPE_NAMES.has(name) || !/^[A-Z]/.test(name)) return false;
  if (!ts.isIdentifier(type.typeName)) return true; // `pg.PoolConfig`, `express.Request`
  // declared here: a class or an interface; an alias only of an object type
  const local = type.getSourceFile().statements.find((s): s is ts.ClassDeclaration | ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.EnumDeclaration => (ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) && s.name?.text === name);
  if (local) return ts.isTypeAliasDeclaration(local) ? isObjectType(local.type) : !ts.isEnumDeclaration(local);
  const binding = resolveIdentifier(type.typeName);
  if (binding && ts.isImportSpecifier(binding.declaration) && currentContext) {
    const imported = importedTypeDeclaration(currentContext.project, binding.declaration, type.getSourceFile().fileName);
    if (imported) return ts.isTypeAliasDeclaration(imported) && isObjectType(imported.type);
  }
  return binding !== undefined && (binding.kind === 'import' || binding.kind === 'class');
}

function constantName(sourceFile: ts.SourceFile, base: string): string {
  const snake = base.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase() || 'COLLECTION';
  // `\bMAX_…\b` somewhere in the text, i.e. a whole word of it: one scan per tree, not per finding.
  const taken = (name: string) => maxWords(sourceFile).has(name);
  let name = `MAX_${snake}_SIZE`;
  for (let i = 2; taken(name); i++) name = `MAX_${snake}_SIZE_${i}`;
  return name;
}

const maxWordsMemo = new WeakMap<ts.SourceFile, Set<string>>();

/** The words of a file's text (comments and strings included) that start with `MAX_`. */
function maxWords(sourceFile: ts.SourceFile): Set<string> {
  let words = maxWordsMemo.get(sourceFile);
  if (!words) {
    words = new Set(sourceFile.text.match(/\bMAX_\w*/g));
    maxWordsMemo.set(sourceFile, words);
  }
  return words;
}

/** Offset at which a line-level insertion before `statement` (and its leading comments) goes. */
function lineStartBefore(text: string, statement: ts.Node): number {
  const comments = ts.getLeadingCommentRanges(text, statement.getFullStart());
  let offset = comments && comments.length > 0 ? comments[0].pos : statement.getStart();
  while (offset > 0 && text[offset - 1] !== '\n') offset--;
  return offset;
}

function sizeGuardFix(context: RuleContext, candidate: Candidate, growth: ClassifiedUse, max: number): Fix | undefined {
  if (candidate.type === 'object' || growth.site.getSourceFile() !== context.sourceFile) return undefined;
  const text = context.text;
  const fn = enclosingFunction(growth.site);
  // the statement holding the growth, directly inside a block of the same function
  let statement: ts.Node | undefined;
  for (let node: ts.Node = growth.site; node.parent; node = node.parent) {
    if (node !== growth.site && isFunctionNode(node)) return undefined;
    if ((ts.isBlock(node.parent) || ts.isCaseClause(node.parent) || ts.isDefaultClause(node.parent)) && ts.isStatement(node)) {
      statement = node;
      break;
    }
  }
  if (!statement || enclosingFunction(statement) !== fn) return undefined;
  const use = growth.use.getText();
  const bang = /\.[cm]?tsx?$/.test(context.path) ? '!' : '';
  let eviction: string;
  if (candidate.type === 'Map') eviction = `${use}.delete(${use}.keys().next().value${bang})`;
  else if (candidate.type === 'Set') eviction = `${use}.delete(${use}.values().next().value${bang})`;
  else if (growth.method === 'push' || growth.method === '[]=') eviction = `${use}.shift()`;
  else if (growth.method === 'unshift') eviction = `${use}.pop()`;
  else return undefined;
  const sizeProperty = candidate.type === 'array' ? 'length' : 'size';
  const constant = constantName(growth.site.getSourceFile(), candidate.baseName);
  const nl = newlineOf(text);
  const statementStart = statement.getStart();
  const indent = indentationAt(text, statementStart);
  const guardText = `if (${use}.${sizeProperty} >= ${constant}) ${eviction};`;
  const atLineStart = text.slice(statementStart - indent.length, statementStart) === indent && (statementStart - indent.length === 0 || text[statementStart - indent.length - 1] === '\n');
  const declAt = lineStartBefore(text, candidate.topStatement);
  const edits: TextEdit[] = [
    { start: declAt, end: declAt, text: `const ${constant} = ${max};${nl}` },
    atLineStart
      ? { start: statementStart - indent.length, end: statementStart - indent.length, text: `${indent}${guardText}${nl}` }
      : { start: statementStart, end: statementStart, text: `${guardText} ` },
  ];
  const oldest = candidate.type === 'array' && growth.method === 'unshift' ? 'the oldest element (at the end)' : candidate.type === 'array' ? 'the oldest element' : 'the oldest entry';
  return { kind: 'suggestion', title: `Evict ${oldest} of \`${candidate.label}\` once it holds ${constant} (${max})`, edits };
}

function boundedCacheFix(context: RuleContext, candidate: Candidate, max: number): Fix | undefined {
  if (candidate.type !== 'Map' || candidate.initializer.getSourceFile() !== context.sourceFile) return undefined;
  const init = skipOuterExpressions(candidate.initializer);
  if (!ts.isNewExpression(init) || (init.arguments && init.arguments.length > 0)) return undefined;
  const dependency = fileCacheDependency(context);
  if (!dependency) return undefined;
  const sourceFile = context.sourceFile!;
  const text = context.text;
  const nl = newlineOf(text);
  const existing = existingImport(sourceFile, dependency);
  const localName = existing ?? dependency.exportName;
  if (!existing && containsWord(text, localName)) return undefined;
  const usesRequire = !sourceFile.statements.some(ts.isImportDeclaration) && (/\.cjs$/.test(context.path) || /\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w+\s*=/.test(text));
  if (usesRequire && dependency.esmOnly) return undefined;
  const typeArgs = init.typeArguments ? `<${init.typeArguments.map((t) => t.getText()).join(', ')}>` : '';
  const edits: TextEdit[] = [{ start: init.getStart(), end: init.getEnd(), text: `new ${localName}${typeArgs}({ ${dependency.maxOption}: ${max} })` }];
  if (!existing) {
    const importText = usesRequire
      ? dependency.importStyle === 'named' ? `const { ${localName} } = require('${dependency.name}');` : `const ${localName} = require('${dependency.name}');`
      : dependency.importStyle === 'named' ? `import { ${localName} } from '${dependency.name}';` : `import ${localName} from '${dependency.name}';`;
    const imports = sourceFile.statements.filter(ts.isImportDeclaration);
    if (imports.length > 0) {
      const last = imports[imports.length - 1];
      edits.unshift({ start: last.getEnd(), end: last.getEnd(), text: `${nl}${importText}` });
    } else {
      const first = sourceFile.statements.find((s) => !(ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)));
      const at = first ? lineStartBefore(text, first) : text.length;
      edits.unshift({ start: at, end: at, text: `${importText}${nl}` });
    }
  }
  return {
    kind: 'suggestion',
    title: `Replace \`${candidate.label}\` with a bounded ${localName} (${dependency.maxOption} ${max}) from ${dependency.name}, already a dependency`,
    edits,
  };
}

const cacheDependencies = new WeakMap<RuleContext, BoundedCacheDependency | null>();

/** `boundedCacheDependency` once per analysed file (the rule context), not once per finding. */
function fileCacheDependency(context: RuleContext): BoundedCacheDependency | undefined {
  let dependency = cacheDependencies.get(context);
  if (dependency === undefined) cacheDependencies.set(context, (dependency = boundedCacheDependency(context.project, context.path) ?? null));
  return dependency ?? undefined;
}

function existingImport(sourceFile: ts.SourceFile, dependency: BoundedCacheDependency): string | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== dependency.name) continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    if (dependency.importStyle === 'default' && clause.name) return clause.name.text;
    if (dependency.importStyle === 'named' && clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      const element = clause.namedBindings.elements.find((e) => (e.propertyName ?? e.name).text === dependency.exportName && !e.isTypeOnly);
      if (element) return element.name.text;
    }
  }
  return undefined;
}
