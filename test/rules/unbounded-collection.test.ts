import assert from 'node:assert/strict';
import * as path from 'node:path';
import { it } from 'node:test';
import { Linter, memoryFileSystem } from '../../engine';
import rule from '../../rules/unbounded-collection';
import { ruleTester } from '../harness/ruleTester';

const LRU_PACKAGE = JSON.stringify({ name: 'app', dependencies: { 'lru-cache': '^11.0.0' } });

/** A singleton its static accessor creates, whose `jobs` field grows (tests of removals through `getInstance()` elsewhere). */
const APP_SERVER = `export class AppServer {
  static instance: AppServer | null = null;
  jobs: Record<string, { id: string }> = {};
  static getInstance(): AppServer {
    if (!AppServer.instance) AppServer.instance = new AppServer();
    return AppServer.instance;
  }
  addJob(job: { id: string }) {
    this.jobs[job.id] = job;
  }
}
`;

/** Two collections keyed by objects and used only by key (the WeakMap / WeakSet fix's case). */
const OBJECT_KEYED = `interface Options { url: string }
class Store {}
const compiled: Map<Options, string> = new Map<Options, string>();
const used = new Set<Store>();
export function compile(options: Options) {
  let c = compiled.get(options);
  if (!c) compiled.set(options, (c = options.url));
  return c;
}
export function claim(store: Store) {
  if (used.has(store)) throw new Error('store reused');
  used.add(store);
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'CommonJS: every caller passes a literal key, through a destructured require, a required namespace, or an ES import of the exports',
      filename: 'src/router.js',
      files: {
        'src/setup.js': `const { addComponent } = require('./router.js');\nexports.init = () => { addComponent('pad', {}); };\n`,
        'src/boot.js': `const router = require('./router');\nexports.boot = () => { router.addComponent('admin', {}); router.dispatch('pad', {}); };\n`,
        'src/compiled.js': `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nconst router_1 = require("./router");\nfunction start() { (0, router_1.addComponent)('stats', {}); }\nexports.start = start;\n`,
        'src/esm.mjs': `import router from './router.js';\nimport { addComponent } from './router.js';\nexport const go = () => { router.addComponent('a', {}); addComponent('b', {}); };\n`,
      },
      code: `const components = {};
function addComponent(moduleName, module) {
  components[moduleName] = module;
}
function dispatch(name, msg) { return components[name] && components[name].handle(msg); }
module.exports = { addComponent, dispatch };
`,
    },
    {
      name: 'CommonJS: a function exported by assignment (exports.add = …), called by the module itself and through require(…).add, with literal keys',
      filename: 'src/router.js',
      files: { 'src/setup.js': `require('./router').addComponent('pad', {});\nconst add = require('./router').addComponent;\nadd('chat', {});\n` },
      code: `const components = {};
exports.addComponent = (moduleName, module) => {
  components[moduleName] = module;
};
module.exports.dispatch = (name, msg) => components[name] && components[name].handle(msg);
exports.addComponent('core', {});
`,
    },
    {
      name: 'filled in start-up hooks: an Apollo plugin\'s serverWillStart, NestJS onModuleInit',
      code: `const started = new Set<string>();
export const connectionsPlugin = (configs: Array<{ id: string }>) => ({
  serverWillStart: async () => {
    for (const c of configs) if (!started.has(c.id)) started.add(c.id);
  },
});
const handlers = new Map<string, () => void>();
export class HandlerRegistry {
  constructor(private readonly found: Array<{ name: string; run: () => void }>) {}
  onModuleInit() {
    for (const h of this.found) handlers.set(h.name, h.run);
  }
}
export const run = (name: string) => handlers.get(name)?.();
`,
    },
    {
      name: 'one database pool per tenant or target: the cache client-per-request asks for, as large as the number of databases',
      code: `import { Pool, type PoolConfig } from 'pg';
const byTarget: Record<string, Pool> = {};
const tenants = new Map<string, Pool>();
export function poolFor(cfg: PoolConfig & { host: string; database: string }) {
  const key = \`\${cfg.host}/\${cfg.database}\`;
  if (!byTarget[key]) byTarget[key] = new Pool(cfg);
  return byTarget[key];
}
export function tenantPool(tenant: string) {
  let pool = tenants.get(tenant);
  if (!pool) {
    const created = new Pool({ connectionString: process.env[\`DB_\${tenant}\`] });
    tenants.set(tenant, created);
    pool = created;
  }
  return pool;
}
`,
    },
    {
      name: 'a warn-once record: each deprecation warning is written once (a guard block, or an early return)',
      filename: 'src/deprecate.js',
      code: `const deprecateList = [];
const warned = new Set();
function deprecate(prop, msg) {
  if (deprecateList.indexOf(prop) === -1) {
    console.warn('DeprecationWarning: ' + msg);
    deprecateList.push(prop);
  }
}
function warnOnce(code, message) {
  if (warned.has(code)) return;
  warned.add(code);
  process.emitWarning(message, 'DeprecationWarning', code);
}
module.exports = { deprecate, warnOnce };
`,
    },
    {
      name: 'importers that never spell the export and use the namespace only by member (other members, a type query)',
      filename: 'src/router.ts',
      files: {
        'src/setup.ts': `import { addComponent } from './router';\naddComponent('pad', {});\n`,
        'src/read.ts': `import * as router from './router';\nexport const lookup = (name: string): ReturnType<typeof router.get> => router.get(name);\n`,
        'src/legacy.js': `const r = require('./router');\nmodule.exports = (name) => r.get(name);\n`,
        'src/multi.js': `var path = require('path'),\n  r2 = require('./router');\nmodule.exports = () => r2.get(path.sep);\n`,
        'src/setup2.js': `const {\n  addComponent,\n  get,\n} = require('./router');\naddComponent('chat', {});\nget('chat');\n`,
      },
      code: `const components: Record<string, unknown> = {};
export function addComponent(moduleName: string, handler: unknown) {
  components[moduleName] = handler;
}
export const get = (name: string) => components[name];
`,
    },
    {
      name: 'keys typed by a union of literals or an enum imported from another module',
      filename: 'src/poll.ts',
      files: { 'src/kinds.ts': `export type Direction = 'inbound' | 'outbound';\nexport enum Channel { Email = 'email', Sms = 'sms' }\ntype Local = 'a' | 'b';\nexport { Local as Slot };\n` },
      code: `import type { Direction, Slot } from './kinds';
import { Channel } from './kinds';
const lastSeen: Record<string, number> = {};
const sent = new Map<string, number>();
const slots = new Set<string>();
export function markPolled(direction: Direction) { lastSeen[direction] = Date.now(); }
export function count(channel: Channel) { sent.set(channel, (sent.get(channel) ?? 0) + 1); }
export function take(slot: Slot) { slots.add(slot); }
`,
    },
    {
      name: 'an ES namespace import whose every call passes a literal key',
      filename: 'src/router.ts',
      files: { 'src/setup.ts': `import * as router from './router';\nimport type * as types from './router';\nexport function init(): types.Handler { router.addComponent('pad', {}); return router.get('pad'); }\n` },
      code: `export type Handler = unknown;
const components: Record<string, Handler> = {};
export function addComponent(moduleName: string, handler: Handler) {
  components[moduleName] = handler;
}
export const get = (name: string) => components[name];
`,
    },
    {
      name: 'keyed by a constant imported from a workspace module',
      filename: 'src/auth.ts',
      files: { 'src/constants.ts': `export const DEFAULT_PROVIDER = 'default';\n`, 'src/app.ts': `import { registerProviders } from './auth';\nexport async function createApp() { await registerProviders(); }\n` },
      code: `import { DEFAULT_PROVIDER } from './constants';
const providers = new Map<string, object>();
export const getProvider = (name: string) => providers.get(name);
export async function registerProviders() {
  providers.set(DEFAULT_PROVIDER, { kind: 'local' });
}
`,
    },    {
      name: 'a registry of classes kept once each: typed as constructors, or given declared classes by every caller',
      filename: 'src/runtime.ts',
      files: { 'src/render.js': `import { registerHelper } from './helpers.js';\nfunction upper(s) { return s.toUpperCase(); }\nexport function init() { registerHelper(upper); }\n`, 'src/helpers.js': `const helpers = [];\nexport function registerHelper(fn) {\n  if (helpers.indexOf(fn) === -1) helpers.push(fn);\n}\nexport const run = (s) => helpers.reduce((v, h) => h(v), s);\n` },
      code: `type Ctor = new (...args: any[]) => unknown;
const safeClasses: Ctor[] = [];
const entities = new Set<typeof Base>();
class Base {}
export function registerSafeClass(cls: Ctor) {
  if (!safeClasses.includes(cls)) safeClasses.push(cls);
}
export function registerEntity(entity: typeof Base) {
  entities.add(entity);
}
export const isSafe = (v: unknown) => safeClasses.some((c) => v instanceof c);
export const count = () => entities.size;
`,
    },    {
      name: 'a template cache keyed by a path built from the module location, literals and a name every caller passes as a literal',
      filename: 'src/templates.ts',
      files: { 'src/routes.ts': `import { render } from './templates';\nexport const home = () => render('index.html');\nexport const pad = () => render('pad.html');\n` },
      code: `import * as path from 'node:path';
import { readFileSync } from 'node:fs';
const compiled = new Map<string, string>();
export function render(name: string): string {
  const file = path.join(import.meta.dirname, 'templates', name);
  let template = compiled.get(file);
  if (!template) {
    template = readFileSync(file, 'utf8');
    compiled.set(file, template);
  }
  return template;
}
`,
    },    {
      name: 'filled once at module load in a one-shot callback: fs.readdir, a promise continuation, setTimeout',
      filename: 'lib/themes.js',
      code: `const fs = require('fs');
const path = require('path');
const themes = new Map();
const plugins = new Set();
const fonts = [];
fs.readdir(path.join(__dirname, 'themes'), (err, files) => {
  if (err) return;
  files.filter((f) => f.endsWith('.css')).forEach((f) => themes.set(f.slice(0, -4), f));
});
fs.promises.readdir(__dirname).then((names) => { for (const n of names) plugins.add(n); });
setTimeout(() => fonts.push('default'), 0);
module.exports = { theme: (name) => themes.get(name), plugins, fonts };
`,
    },    {
      name: 'a settings record with named keys, patched by Object.assign in a setter (its keys are its shape)',
      code: `interface PaginateSettings {
  defaultLimit: number;
  maxLimit: number;
}
const settings: PaginateSettings = { defaultLimit: 20, maxLimit: 100 };
export function updateSettings(patch: Partial<PaginateSettings>): void {
  Object.assign(settings, patch);
}
export function defaultLimit(): number {
  return settings.defaultLimit;
}
`,
    },
    {
      name: 'the same settings record in compiled CommonJS, exported through exports.default',
      filename: 'lib/global-config.js',
      code: `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.updateGlobalConfig = updateGlobalConfig;
const globalConfig = {
    defaultLimit: 20,
    defaultMaxLimit: 100,
};
function updateGlobalConfig(newConfig) {
    Object.assign(globalConfig, newConfig);
}
exports.default = globalConfig;
`,
    },
    {
      name: 'a key kept by a type-guard helper imported from another module',
      files: {
        'src/operations.ts': `export const POLICY = { createThing: true, listThings: false } as const;\nexport function isKnownOp(op: string): op is keyof typeof POLICY {\n  return Object.hasOwn(POLICY, op);\n}\n`,
      },
      code: `import { isKnownOp } from './operations';\nconst reported = new Set<string>();\nexport function reportFallback(op: string, reason: 'expired' | 'malformed') {\n  const key = \`\${isKnownOp(op) ? op : 'unknown'}:\${reason}\`;\n  if (reported.has(key)) return;\n  reported.add(key);\n}\n`,
    },
    {
      name: 'keys made of bounded parts: a template of literal-typed parts, a key narrowed by a table guard, an equality or a type-guard helper',
      code: `const POLICY = { createThing: true, listThings: true } as const;
type Reason = 'expired' | 'malformed';
function isKnownOp(op: string): op is keyof typeof POLICY {
  return Object.hasOwn(POLICY, op);
}
const isKnown = (op: string) => op in POLICY;
const reported = new Set<string>();
const seen = new Set<string>();
const warned = new Set<string>();
const kinds = new Set<string>();
export function reportFallback(op: string, reason: Reason, kind: 'a' | 'b') {
  const bounded = isKnownOp(op) ? op : 'unknown';
  reported.add(\`\${bounded}:\${reason}\`);
  kinds.add(\`\${kind}-\${reason}\`);
  seen.add(op === 'x' || op === 'y' ? op : 'other');
  if (!isKnown(op)) return;
  warned.add(op);
}
`,
    },
    // a class only a test keeps an instance of at its module level: not a production singleton
    {
      code: `export class Tracker {\n  private seen = new Map<string, number>();\n  see(k: string) { this.seen.set(k, Date.now()); }\n}\n`,
      filename: 'src/tracker.ts',
      files: { 'src/tracker.test.ts': `import { Tracker } from './tracker';\nconst tracker = new Tracker();\nit('sees', () => tracker.see('a'));\n` },
    },
    // bounded libraries and weak references
    `import { LRUCache } from 'lru-cache';
const cache = new LRUCache<string, string>({ max: 500 });
export function remember(key: string, value: string) { cache.set(key, value); }`,
    `import QuickLRU from 'quick-lru';
const cache = new QuickLRU<string, number>({ maxSize: 1000 });
export function hit(key: string) { cache.set(key, (cache.get(key) ?? 0) + 1); }`,
    `import { TTLCache } from '@isaacs/ttlcache';
const seen = new TTLCache<string, boolean>({ max: 1000, ttl: 60_000 });
export function mark(id: string) { seen.set(id, true); }`,
    `const metadata = new WeakMap<object, string>();
export function tag(target: object, label: string) { metadata.set(target, label); }`,
    `const visited = new WeakSet<object>();
export function visit(node: object) { visited.add(node); }`,
    // a locally bound Map is not the global Map
    `import { Map } from 'immutable';
const state = new Map<string, number>();
export function put(k: string) { state.set(k, 1); }`,
    // removal paths
    `const sessions = new Map<string, { expires: number }>();
export function open(id: string) { sessions.set(id, { expires: Date.now() + 60_000 }); }
export function close(id: string) { sessions.delete(id); }`,
    `const hits = new Map<string, number>();
export function hit(ip: string) { hits.set(ip, (hits.get(ip) ?? 0) + 1); }
setInterval(() => hits.clear(), 60_000);`,
    `const hits = new Map<string, { count: number; reset: number }>();
export function hit(ip: string) {
  const now = Date.now();
  hits.set(ip, { count: 1, reset: now + 1000 });
}
setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of hits) if (entry.reset < now) hits.delete(key);
}, 10_000);`,
    `const queue: string[] = [];
export function enqueue(job: string) { queue.push(job); }
export function next() { return queue.shift(); }`,
    `const events: string[] = [];
export function record(e: string) { events.push(e); if (events.length > 1000) events.splice(0, events.length - 1000); }`,
    `let buffer: string[] = [];
export function log(line: string) { buffer.push(line); }
export function flush() { const out = buffer; buffer = []; return out.join('\\n'); }`,
    `const recent: number[] = [];
export function add(n: number) { recent.push(n); }
export function reset() { recent.length = 0; }`,
    `const byId: Record<string, string> = {};
export function set(id: string, v: string) { byId[id] = v; }
export function unset(id: string) { delete byId[id]; }`,
    // size guard that refuses or evicts
    `const MAX = 1000;
const seen = new Set<string>();
export function remember(id: string) { if (seen.size >= MAX) return; seen.add(id); }`,
    `const cache = new Map<string, string>();
export function put(k: string, v: string) {
  if (cache.size >= 500) cache.delete(cache.keys().next().value!);
  cache.set(k, v);
}`,
    // filled only at module initialisation
    `const handlers = new Map<string, () => void>();
handlers.set('a', () => {});
handlers.set('b', () => {});
export function run(name: string) { handlers.get(name)?.(); }`,
    `const registry = new Map<string, number>();
function register(name: string, value: number) { registry.set(name, value); }
register('one', 1);
register('two', 2);
export const lookup = (n: string) => registry.get(n);`,
    // a singleton's field emptied through its static accessor in another module
    {
      code: APP_SERVER,
      filename: 'src/server.ts',
      files: { 'src/jobs.ts': `import { AppServer } from './server';\nconst server = AppServer.getInstance();\nexport function removeJob(id: string) { delete server.jobs[id]; }\nexport function clearAll() { AppServer.getInstance().jobs = {}; }\n` },
    },
    // a key checked against a constant table first, the check leaving the function otherwise
    `class StringField {}
class NumberField {}
const FIELDS: Record<string, new () => object> = { string: StringField, text: StringField, integer: NumberField };
const instances = new Map<string, object>();
const byIn = new Map<string, object>();
const byIndex: Record<string, object> = {};
const byConst = new Map<string, object>();
export function fieldFor(type: string) {
  const cached = instances.get(type);
  if (cached) return cached;
  if (!Object.prototype.hasOwnProperty.call(FIELDS, type)) throw new Error(\`unknown type \${type}\`);
  const field = new FIELDS[type]();
  instances.set(type, field);
  return field;
}
export function viaIn(type: string) {
  if (!(type in FIELDS)) throw new Error('unknown');
  byIn.set(type, {});
}
export function viaIndex(type: string) {
  if (FIELDS[type] === undefined) return undefined;
  byIndex[type] = {};
  return byIndex[type];
}
export function viaConst(type: string) {
  const Field = FIELDS[type];
  if (!Field) {
    throw new Error('unknown');
  }
  byConst.set(type, new Field());
}
export const kinds = Object.keys(FIELDS);`,
    // the same with a table another module exports, looked up by a name built from the key, the result checked right after
    {
      code: `import { STATEMENTS } from './statements';
const cache = new Map<string, string>();
export function loadStatement(name: string): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = STATEMENTS[\`\${name}.sql\`];
    if (sql === undefined) throw new Error(\`unknown statement \${name}\`);
    cache.set(name, sql);
  }
  return sql;
}`,
      filename: 'src/loader.ts',
      files: { 'src/statements.ts': `export const STATEMENTS: Record<string, string> = {\n  'add_job.sql': 'SELECT add_job($1)',\n  'get_job.sql': 'SELECT * FROM jobs WHERE id = $1',\n};\n` },
    },
    // a key looked up in a constant table of literals, with a literal fallback
    `const cache: Record<string, string[]> = {};
const PERIODS: Record<string, string> = { daily: 'day', weekly: 'week', monthly: 'month' };
export function popular(param: string | undefined) {
  const period = PERIODS[param ?? ''] || 'alltime';
  if (!cache[period]) cache[period] = [period];
  return cache[period];
}`,
    // a key parameter typed string, but every call passes a literal: bounded keys
    `const sent: Record<string, boolean> = {};
function notify(kind: string) {
  if (sent[kind]) return;
  sent[kind] = true;
}
export const started = () => notify('started');
export const ready = () => notify('ready');`,
    {
      code: `const compiled: Record<string, RegExp> = {};
export function matchesRoute(path: string, route: string) {
  const re = compiled[route] ?? (compiled[route] = new RegExp('^' + route + '$'));
  return re.test(path);
}
`,
      filename: 'src/routes.ts',
      files: { 'src/handlers.ts': `import { matchesRoute } from './routes';\nexport const isLogin = (p: string) => matchesRoute(p, '/login');\nexport const isMe = (p: string) => matchesRoute(p, '/me');\n` },
    },
    // a static registration method called only while modules load (here and in an importer)
    {
      code: `export class Units {
  static readonly byName: Record<string, number> = {};
  static define(name: string, factor: number) { Units.byName[name] = factor; }
  static convert(value: number, unit: string) { return value * (Units.byName[unit] ?? 1); }
}
Units.define('km', 1000);
`,
      filename: 'src/units.ts',
      files: { 'src/imperial.ts': `import { Units } from './units';\nUnits.define('mile', 1609.34);\nexport const feet = (m: number) => m / 0.3048;\n` },
    },
    `const byCode = new Map<string, { code: string }>();
const countries = [{ code: 'FR' }, { code: 'DE' }];
countries.forEach((c) => byCode.set(c.code, c));
export const find = (code: string) => byCode.get(code);`,
    `const table: Record<string, number> = {};
for (const [k, v] of Object.entries({ a: 1, b: 2 })) table[k] = v;
export const get = (k: string) => table[k];`,
    `const lookup = (() => {
  const m = new Map<string, number>();
  for (const w of ['a', 'b']) m.set(w, w.length);
  return m;
})();
export const len = (w: string) => lookup.get(w);`,
    // keys bounded by construction
    `const stats = new Map<string, number>();
export function count(ok: boolean) { stats.set(ok ? 'ok' : 'fail', (stats.get('ok') ?? 0) + 1); stats.set('total', 1); }`,
    `enum Kind { A = 'a', B = 'b' }
const counters = new Map<Kind, number>();
export function bump() { counters.set(Kind.A, 1); counters.set(Kind.B, 2); }`,
    `const counters = new Map<string, number>();
export function bump(kind: 'read' | 'write') { counters.set(kind, (counters.get(kind) ?? 0) + 1); }`,
    `type Level = 'debug' | 'info' | 'error';
const lastByLevel: Record<string, number> = {};
export function note(level: Level) { lastByLevel[level] = Date.now(); }`,
    `const flags: Record<string, boolean> = {};
export function enable() { flags['beta'] = true; flags.alpha = true; }`,
    // per-request / local collections
    `export function handler(items: string[]) {
  const seen = new Set<string>();
  for (const i of items) seen.add(i);
  return seen.size;
}`,
    `class RequestContext {
  private readonly values = new Map<string, unknown>();
  set(k: string, v: unknown) { this.values.set(k, v); }
}
export function handle() { const ctx = new RequestContext(); ctx.set('user', 1); return ctx; }`,
    // collection escapes: someone else may prune it
    `const cache = new Map<string, string>();
export function put(k: string, v: string) { cache.set(k, v); }
export function getCache() { return cache; }`,
    `import { startSweeper } from './sweeper';
const cache = new Map<string, string>();
startSweeper(cache);
export function put(k: string, v: string) { cache.set(k, v); }`,
    // exported and imported nowhere in the workspace: library API
    `export const registry = new Map<string, unknown>();
export function add(k: string, v: unknown) { registry.set(k, v); }`,
    // exported; another module prunes it
    {
      code: `export const cache = new Map<string, string>();
export function put(k: string, v: string) { cache.set(k, v); }`,
      filename: 'src/cache.ts',
      files: { 'src/evict.ts': `import { cache } from './cache';\nexport function evict(k: string) { cache.delete(k); }\n` },
    },
    // memoize helper with a bounded cache
    `function memoize<A, R>(fn: (a: A) => R) {
  const cache = new Map<A, R>();
  return (a: A) => {
    if (cache.size > 100) cache.clear();
    if (!cache.has(a)) cache.set(a, fn(a));
    return cache.get(a)!;
  };
}
export const slow = memoize((n: number) => n * 2);`,
    // memoize defined but the factory result is per call
    `function memoize<A, R>(fn: (a: A) => R) {
  const cache = new Map<A, R>();
  return (a: A) => { if (!cache.has(a)) cache.set(a, fn(a)); return cache.get(a)!; };
}
export function handle(n: number) { const f = memoize((x: number) => x + 1); return f(n); }`,
    // NestJS request-scoped provider is per request
    `import { Injectable, Scope } from '@nestjs/common';
@Injectable({ scope: Scope.REQUEST })
export class RequestCache {
  private readonly seen = new Set<string>();
  mark(id: string) { this.seen.add(id); }
}`,
    // singleton with eviction
    `import { Injectable } from '@nestjs/common';
@Injectable()
export class SessionStore {
  private sessions = new Map<string, number>();
  open(id: string) { this.sessions.set(id, Date.now()); }
  close(id: string) { this.sessions.delete(id); }
}`,
    // in-flight request de-duplication removes in finally
    `const inflight = new Map<string, Promise<string>>();
export function load(key: string, fetcher: () => Promise<string>) {
  const pending = inflight.get(key);
  if (pending) return pending;
  const p = fetcher().finally(() => inflight.delete(key));
  inflight.set(key, p);
  return p;
}`,
    // explicit invalidation is a real removal even when it checks has() first
    `const users = new Map<string, string>();
export function cacheUser(id: string, name: string) { users.set(id, name); }
export function invalidate(id: string) { if (users.has(id)) users.delete(id); }`,
    // removal in a helper that production code calls
    {
      code: `const hits = new Map<string, number>();
export function hit(ip: string) { hits.set(ip, 1); }
export function resetHits() { hits.clear(); }`,
      filename: 'src/limiter.ts',
      files: { 'src/cron.ts': `import { resetHits } from './limiter';\nsetInterval(resetHits, 60_000);\n` },
    },
    // request/response correlation: the entry is deleted when its response arrives (not a clock-based lazy expiry)
    `const pending = new Map<string, { resolve: (v: string) => void; left: number }>();
export function send(id: string, resolve: (v: string) => void) { pending.set(id, { resolve, left: 2 }); }
export function onReply(id: string, value: string) {
  const request = pending.get(id);
  if (!request) return;
  request.left--;
  if (request.left === 0) { pending.delete(id); request.resolve(value); }
}`,
    // registry exported through module.exports = Object.assign(registry, { register })
    {
      code: `const Loggers = { Console: class {} };
function register(name, value) { Loggers[name] = value; }
module.exports = Object.assign(Loggers, { register });`,
      filename: 'src/loggers.js',
    },
    // a class instantiated in another class's field initialiser lives as long as that instance
    `class StatsByContext {
  readonly map: Record<string, number> = Object.create(null);
  add(key: string) { this.map[key] = (this.map[key] ?? 0) + 1; }
}
class Report { readonly stats = new StatsByContext(); }
export function makeReport() { return new Report(); }`,
    // scripts are short-lived processes
    { code: `const loaded = {};
export function load(name: string) { loaded[name] = true; }`, filename: 'scripts/assemble.ts' },
    // so are seeds and migrations
    { code: `const created = new Map<string, number>();
export function remember(email: string, id: number) { created.set(email, id); }`, filename: 'prisma/seed.ts' },
    { code: `const applied = new Set<string>();
export function markApplied(name: string) { applied.add(name); }`, filename: 'db/migrations/helpers.ts' },
    // a library's registration API: key and value come from the caller, no workspace code calls it per call
    `const registeredResolvers: Record<string, new () => unknown> = {};
export function registerResolver(scheme: string, resolverClass: new () => unknown) {
  registeredResolvers[scheme] = resolverClass;
}
export function resolverFor(scheme: string) { return registeredResolvers[scheme]; }`,
    `const types = new Map<string, { ctor: unknown; config: unknown }>();
export function registerType(name: string, ctor: new () => unknown, config: () => object) { types.set(name, { ctor, config }); }`,
    // a registry that decorators fill: they run once, when their class is defined
    {
      code: `const moneyColumns = new Map<object, string[]>();
export function Money() {
  return (target: object, propertyName: string) => {
    const cols = moneyColumns.get(target);
    if (cols) cols.push(propertyName);
    else moneyColumns.set(target, [propertyName]);
  };
}
export const moneyColumnsFor = (target: object) => moneyColumns.get(target) ?? [];
`,
      filename: 'src/money.ts',
      files: { 'src/price.ts': `import { Money } from './money';\nexport class Price {\n  @Money() amount = 0;\n  @Money() tax = 0;\n}\n` },
    },
    `const entities = new Set<Function>();
function Entity(target: Function) { entities.add(target); }
@Entity
export class User {}
@Entity
export class Order {}
export const isEntity = (c: Function) => entities.has(c);`,
    // keyed by the name of the class passed in
    `type ClassConstructor<T> = new (...args: any[]) => T;
const overridden = new Map<string, ClassConstructor<unknown>>();
export function registerOverriddenValidator(validator: ClassConstructor<unknown>): void {
  overridden.set(validator.name, validator);
}
export function validatorFor(name: string) { return overridden.get(name); }`,
    // registration whose every caller passes a literal key: bounded by construction
    {
      code: `const resolvers: Record<string, new () => unknown> = {};
export function registerResolver(scheme: string, cls: new () => unknown) { resolvers[scheme] = cls; }`,
      filename: 'src/registry.ts',
      files: { 'src/dns.ts': `import { registerResolver } from './registry';\nclass Dns {}\nexport function setup() { registerResolver('dns', Dns); }\n` },
    },
  ],
  invalid: [
    {
      name: 'CommonJS: a required namespace whose caller passes request input',
      filename: 'src/router.js',
      files: { 'src/setup.js': `const router = require('./router');\nexports.init = (req) => { router.addComponent(req.query.name, {}); };\n` },
      code: `const components = {};
exports.addComponent = (moduleName, module) => {
  components[moduleName] = module;
};
`,
      errors: [{ message: /^`components`, a module-level dictionary object, gains an entry at run time/ }],
    },
    {
      name: 'CommonJS: the module itself calls its export with an open key (module.exports.add(name))',
      filename: 'src/router.js',
      files: { 'src/setup.js': `const { addComponent } = require('./router.js');\naddComponent('pad', {});\n` },
      code: `const components = {};
function addComponent(moduleName, module) {
  components[moduleName] = module;
}
module.exports = { addComponent };
module.exports.register = (name) => module.exports.addComponent(name, {});
`,
      errors: [{ message: /^`components`/ }],
    },
    {
      name: 'CommonJS: not every call can be seen, the required namespace is passed on',
      filename: 'src/router.js',
      files: { 'src/a.js': `const router = require('./router');\nrouter.addComponent('pad', {});\nmodule.exports = { plugins: [router] };\n` },
      code: `const components = {};
function addComponent(moduleName, module) {
  components[moduleName] = module;
}
module.exports = { addComponent };
`,
      errors: [{ message: /^`components`/ }],
    },
    {
      name: 'CommonJS: not every call can be seen, a rest element of a destructured require holds the export',
      filename: 'src/registry.js',
      files: { 'src/b.js': `const { dispatch, ...rest } = require('./registry');\nrest.add('x', 1);\n` },
      code: `const entries = {};
function add(key, value) { entries[key] = value; }
module.exports = { add, dispatch: (k) => entries[k] };
`,
      errors: [{ message: /^`entries`/ }],
    },
    {
      name: 'CommonJS: not every call can be seen, a dynamic import() of the module',
      filename: 'src/store.js',
      files: { 'src/c.mjs': `export const load = async () => (await import('./store.js')).put('x', 1);\n` },
      code: `const rows = {};
function put(key, value) { rows[key] = value; }
exports.put = put;
put('seed', 0);
`,
      errors: [{ message: /^`rows`/ }],
    },
    {
      name: 'CommonJS: not every call can be seen, a method of the exported object reaches the export through this',
      filename: 'src/methods.js',
      code: `const seen = {};
function mark(key) { seen[key] = true; }
module.exports = { mark, markAll(keys) { keys.forEach((k) => this.mark(k)); } };
mark('boot');
`,
      errors: [{ message: /^`seen`/ }],
    },
    {
      name: 'CommonJS: not every call can be seen, the exports object is aliased',
      filename: 'src/alias.js',
      code: `const seen = {};
function mark(key) { seen[key] = true; }
exports.mark = mark;
const self = exports;
exports.handle = (req) => self.mark(req.url);
mark('boot');
`,
      errors: [{ message: /^`seen`/ }],
    },
    {
      name: 'not a warn-once record: each new client logged once is per-client state, and a guard that also does other work',
      code: `const seen = new Set<string>();
const warned = new Set<string>();
export function track(ip: string) {
  if (!seen.has(ip)) {
    seen.add(ip);
    console.info('new client', ip);
  }
}
export function note(key: string, value: number) {
  if (!warned.has(key)) {
    warned.add(key);
    console.warn('first value for', key);
    store(key, value);
  }
}
declare function store(key: string, value: number): void;
`,
      errors: [{ message: /^`seen`/ }, { message: /^`warned`/ }],
    },
    {
      name: 'a namespace passed on by an importer that never spells the export (read from its text): not every call is seen',
      filename: 'src/router.ts',
      files: {
        'src/setup.ts': `import { addComponent } from './router';\naddComponent('pad', {});\n`,
        'src/plugins.ts': `import * as router from './router';\nimport { register } from './registry';\nregister(router);\n`,
        'src/registry.ts': `export const register = (m: object) => m;\n`,
      },
      code: `const components: Record<string, unknown> = {};
export function addComponent(moduleName: string, handler: unknown) {
  components[moduleName] = handler;
}
export const get = (name: string) => components[name];
`,
      errors: [{ message: /^`components`/ }],
    },
    {
      name: 'a key typed by an imported alias of string is open',
      filename: 'src/poll.ts',
      files: { 'src/kinds.ts': `export type Direction = string;\n` },
      code: `import type { Direction } from './kinds';
const lastSeen: Record<string, number> = {};
export function markPolled(direction: Direction) { lastSeen[direction] = Date.now(); }
`,
      errors: [{ message: /^`lastSeen`/ }],
    },
    {
      name: 'an ES namespace import whose caller passes request input',
      filename: 'src/router.ts',
      files: { 'src/setup.ts': `import * as router from './router';\nexport function init(req: { params: { name: string } }) { router.addComponent(req.params.name, {}); }\n` },
      code: `const components: Record<string, unknown> = {};
export function addComponent(moduleName: string, handler: unknown) {
  components[moduleName] = handler;
}
`,
      errors: [{ message: /^`components`/ }],
    },
    {
      name: 'a list of classes pushed without a membership check, and a Set of strings',
      code: `type Ctor = new () => unknown;
const seen: Ctor[] = [];
const names = new Set<string>();
export function track(cls: Ctor) {
  seen.push(cls);
}
export function remember(name: string) {
  if (!names.has(name)) names.add(name);
}
`,
      errors: [
        { message: /`seen`, a module-level array, gains an element at run time/, line: 5 },
        { message: /`names`, a module-level Set, gains an entry at run time/, line: 8 },
      ],
    },
    {
      name: 'a cache keyed by a path built from request input',
      code: `import { join } from 'path';
import { readFileSync } from 'fs';
const files = new Map<string, string>();
export function serve(req: { params: { name: string } }) {
  const file = join(__dirname, 'public', req.params.name);
  if (!files.has(file)) files.set(file, readFileSync(file, 'utf8'));
  return files.get(file);
}
`,
      errors: [{ message: /`files`, a module-level Map, gains an entry at run time/, line: 6 }],
    },
    {
      name: 'grown in a timer that repeats, and in a promise continuation of a request handler',
      code: `import { readFile } from 'node:fs/promises';
const samples: number[] = [];
const bodies = new Map<string, string>();
setInterval(() => samples.push(process.memoryUsage().rss), 1000);
export function handle(url: string) {
  return readFile(url, 'utf8').then((body) => bodies.set(url, body));
}
`,
      errors: [
        { message: /`samples`, a module-level array, gains an element at run time/, line: 4 },
        { message: /`bodies`, a module-level Map, gains an entry at run time/, line: 6 },
      ],
    },
    {
      name: 'a template with one unbounded part, a guard that is no table test, a narrowed key with an unbounded fallback',
      code: `const POLICY = { a: true } as const;
function isShort(op: string) {
  return op.length < 10;
}
function isKnown(op: string) {
  return Object.hasOwn(POLICY, op);
}
const a = new Set<string>();
const b = new Set<string>();
const c = new Set<string>();
export function track(op: string, user: string, reason: 'x' | 'y') {
  a.add(\`\${reason}:\${user}\`);
  b.add(isShort(op) ? op : 'long');
  c.add(isKnown(op) ? op : user);
}
`,
      errors: [{ message: /^`a`, a module-level Set, gains an entry/ }, { message: /^`b`, a module-level Set, gains an entry/ }, { message: /^`c`, a module-level Set, gains an entry/ }],
    },
    {
      name: 'a singleton reached through its static accessor in another module, only ever grown there',
      code: APP_SERVER,
      filename: 'src/server.ts',
      files: { 'src/jobs.ts': `import { AppServer } from './server';\nconst server = AppServer.getInstance();\nexport function countJobs() { return Object.keys(server.jobs).length; }\n` },
      errors: [{ message: /^`this\.jobs`, a dictionary object in a field of `AppServer`, a singleton kept in a static field, gains an entry/ }],
    },
    {
      name: 'a decorator factory that code also calls at run time',
      code: `const moneyColumns = new Map<object, string[]>();
export function Money() {
  return (target: object, propertyName: string) => {
    moneyColumns.set(target, [propertyName]);
  };
}
`,
      filename: 'src/money.ts',
      files: { 'src/price.ts': `import { Money } from './money';\nexport class Price {\n  @Money() amount = 0;\n}\nexport function track(row: object, column: string) { Money()(row, column); }\n` },
      errors: [{ message: /^`moneyColumns`, a module-level Map, gains an entry at run time/ }],
    },
    {
      name: 'a decorator on a class defined per call',
      code: `const entities = new Set<Function>();
function Entity(target: Function) { entities.add(target); }
export function makeModel() {
  @Entity
  class Model {}
  return Model;
}`,
      errors: [{ message: /^`entities`, a module-level Set, gains an entry at run time/ }],
    },
    {
      name: 'keyed by the name of a data object passed in: no registration',
      code: `const lastSeen = new Map<string, number>();
export function touch(user: { name: string; id: number }) {
  lastSeen.set(user.name, user.id);
}`,
      errors: [{ message: /^`lastSeen`, a module-level Map, gains an entry at run time/ }],
    },
    {
      name: 'a table check that does not leave the function, or a table code writes to, bounds nothing',
      code: `const FIELDS: Record<string, object> = { string: {}, text: {} };
const TYPES: Record<string, object> = { a: {} };
const warned = new Map<string, object>();
const open = new Map<string, object>();
export function register(name: string) { TYPES[name] = {}; }
export function viaWarning(type: string) {
  if (!(type in FIELDS)) console.warn('unknown type', type);
  warned.set(type, {});
}
export function viaWritable(type: string) {
  if (!(type in TYPES)) throw new Error('unknown');
  open.set(type, {});
}`,
      errors: [{ message: /^`TYPES`/ }, { message: /^`warned`/ }, { message: /^`open`/ }],
    },
    {
      name: 'a table lookup by a part of the key, or in a table another module writes to, bounds nothing',
      code: `import { STATEMENTS } from './statements';
const byPrefix = new Map<string, string>();
const byName = new Map<string, string>();
export function viaPrefix(name: string) {
  const sql = STATEMENTS[name.slice(0, 3)];
  if (!sql) throw new Error('unknown');
  byPrefix.set(name, sql);
}
export function viaName(name: string) {
  if (!(name in STATEMENTS)) throw new Error('unknown');
  byName.set(name, STATEMENTS[name]);
}`,
      filename: 'src/loader.ts',
      files: {
        'src/statements.ts': `export const STATEMENTS: Record<string, string> = { add: 'SELECT 1' };\n`,
        'src/admin.ts': `import { STATEMENTS } from './statements';\nexport function define(name: string, sql: string) { STATEMENTS[name] = sql; }\n`,
      },
      errors: [{ message: /^`byPrefix`/ }, { message: /^`byName`/ }],
    },
    {
      name: 'a lookup table that code writes to is no constant table',
      code: `const cache: Record<string, string[]> = {};
const PERIODS: Record<string, string> = { daily: 'day' };
export function define(name: string, value: string) { PERIODS[name] = value; }
export function popular(param: string) {
  const period = PERIODS[param] || 'alltime';
  cache[period] = [period];
  return cache[period];
}`,
      errors: [{ message: /^`PERIODS`/ }, { message: /^`cache`/ }],
    },
    {
      name: 'a key parameter one of whose callers passes request data',
      code: `const compiled: Record<string, RegExp> = {};
export function matchesRoute(path: string, route: string) {
  const re = compiled[route] ?? (compiled[route] = new RegExp('^' + route + '$'));
  return re.test(path);
}
`,
      filename: 'src/routes.ts',
      files: { 'src/handlers.ts': `import { matchesRoute } from './routes';\nexport const isLogin = (p: string) => matchesRoute(p, '/login');\nexport const matches = (req: { path: string; query: { route: string } }) => matchesRoute(req.path, req.query.route);\n` },
      errors: [{ message: /^`compiled`, a module-level dictionary object, gains an entry at run time/ }],
    },
    {
      name: 'a key function passed around: its calls cannot all be seen',
      code: `const sent: Record<string, boolean> = {};
function notify(kind: string) { sent[kind] = true; }
notify('started');
export const handlers = { notify };`,
      errors: [{ message: /^`sent`/ }],
    },
    {
      name: 'a static registration method called per request is run-time growth',
      code: `export class Units {
  static readonly byName: Record<string, number> = {};
  static define(name: string, factor: number) { Units.byName[name] = factor; }
}
Units.define('km', 1000);
`,
      filename: 'src/units.ts',
      files: { 'src/routes.ts': `import { Units } from './units';\nexport function addUnit(req: { body: { name: string; factor: number } }) { Units.define(req.body.name, req.body.factor); }\n` },
      errors: [{ message: /^`Units.byName`, a dictionary object in a static field of `Units`, gains an entry at run time/ }],
    },
    {
      name: 'a static registration method reached through an alias of the class: not every call is seen',
      code: `export class Units {
  static readonly byName: Record<string, number> = {};
  static define(name: string, factor: number) { Units.byName[name] = factor; }
}
const U = Units;
U.define('km', 1000);
`,
      filename: 'src/units.ts',
      errors: [{ message: /^`Units.byName`/ }],
    },
    {
      name: 'growth through an optional chain, white space around (`seen ?.\n  add (…)`)',
      code: `const seen = new Set<string>();

export function remember(key: string) {
  seen ?.
    add (key);
}
`,
      errors: [{ message: /^`seen`, a module-level Set, gains an entry at run time/, line: 4, column: 3 }],
    },
    {
      name: 'growth through an optional call (`cache.set?.(…)`)',
      code: `const seen = new Map<string, number>();

export function remember(key: string) {
  seen.set?.(key, Date.now());
}
`,
      errors: [{ message: /^`seen`, a module-level Map, gains an entry at run time/, line: 4, column: 3 }],
    },
    {
      name: 'rate limiter Map that only grows',
      code: `const hits = new Map<string, { count: number; reset: number }>();

export function rateLimit(ip: string): boolean {
  const now = Date.now();
  const entry = hits.get(ip);
  if (!entry || entry.reset < now) {
    hits.set(ip, { count: 1, reset: now + 60_000 });
    return true;
  }
  entry.count++;
  return entry.count <= 100;
}
`,
      errors: [
        {
          message:
            '`hits`, a module-level Map, gains an entry at run time (`hits.set(…)` in `rateLimit`) and nothing bounds its size: it keeps one entry per distinct key for the life of the process.',
          line: 7,
          column: 5,
          related: 1,
          fixes: [
            {
              title: 'Evict the oldest entry of `hits` once it holds MAX_HITS_SIZE (10000)',
              output: `const MAX_HITS_SIZE = 10000;
const hits = new Map<string, { count: number; reset: number }>();

export function rateLimit(ip: string): boolean {
  const now = Date.now();
  const entry = hits.get(ip);
  if (!entry || entry.reset < now) {
    if (hits.size >= MAX_HITS_SIZE) hits.delete(hits.keys().next().value!);
    hits.set(ip, { count: 1, reset: now + 60_000 });
    return true;
  }
  entry.count++;
  return entry.count <= 100;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'lazy expiry of a dictionary object: delete only when the same key is read again',
      code: `const sessions: Record<string, { expires: number }> = {};
export function touch(id: string) {
  const entry = sessions[id];
  if (entry && entry.expires <= Date.now()) delete sessions[id];
  if (!sessions[id]) sessions[id] = { expires: Date.now() + 86_400_000 };
  return sessions[id];
}
`,
      errors: [{ message: /^`sessions`, a module-level dictionary object.*Its only `delete` runs when the same key is read again/, line: 5 }],
    },
    {
      name: 'lazy expiry: delete only when the same key is read again',
      code: `const windows = new Map<string, { count: number; resetAt: number }>();
export function allow(key: string): boolean {
  const now = Date.now();
  const entry = windows.get(key);
  if (entry && entry.resetAt <= now) {
    windows.delete(key);
  }
  const current = windows.get(key) ?? { count: 0, resetAt: now + 1000 };
  current.count++;
  windows.set(key, current);
  return current.count <= 10;
}
`,
      errors: [{ message: /Its only `delete` runs when the same key is read again/, line: 10, related: 2 }],
    },
    {
      name: 'clear() only reachable from a reset helper that only tests call',
      code: `const seen = new Set<string>();
export function markSeen(id: string) { seen.add(id); }
export function __resetForTests() { seen.clear(); }
`,
      filename: 'src/dedupe.ts',
      files: {
        'src/dedupe.test.ts': `import { markSeen, __resetForTests } from './dedupe';\nbeforeEach(() => __resetForTests());\nit('marks', () => markSeen('a'));\n`,
        'src/app.ts': `import { markSeen } from './dedupe';\nexport function onMessage(id: string) { markSeen(id); }\n`,
      },
      errors: [
        {
          message: /^`seen`, a module-level Set, gains an entry at run time \(`seen\.add\(…\)` in `markSeen`\).*Its only removal is in `__resetForTests`, which only tests call\.$/,
          line: 2,
          related: 2,
          fixes: [
            {
              title: 'Evict the oldest entry of `seen` once it holds MAX_SEEN_SIZE (10000)',
              output: `const MAX_SEEN_SIZE = 10000;
const seen = new Set<string>();
export function markSeen(id: string) { if (seen.size >= MAX_SEEN_SIZE) seen.delete(seen.values().next().value!); seen.add(id); }
export function __resetForTests() { seen.clear(); }
`,
            },
          ],
        },
      ],
    },
    {
      name: 'session timestamps array on a module-level instance',
      code: `class SessionTracker {
  private _session_timestamps: number[] = [];

  track(): void {
    this._session_timestamps.push(Date.now());
  }

  count(): number {
    return this._session_timestamps.length;
  }
}

export const tracker = new SessionTracker();
`,
      errors: [
        {
          message:
            '`this._session_timestamps`, an array in a field of `SessionTracker`, instantiated once at module scope, gains an element at run time (`this._session_timestamps.push(…)` in `track`) and nothing bounds its size: it keeps every element for the life of the process.',
          line: 5,
          fixes: [
            {
              title: 'Evict the oldest element of `this._session_timestamps` once it holds MAX_SESSION_TIMESTAMPS_SIZE (10000)',
              output: `const MAX_SESSION_TIMESTAMPS_SIZE = 10000;
class SessionTracker {
  private _session_timestamps: number[] = [];

  track(): void {
    if (this._session_timestamps.length >= MAX_SESSION_TIMESTAMPS_SIZE) this._session_timestamps.shift();
    this._session_timestamps.push(Date.now());
  }

  count(): number {
    return this._session_timestamps.length;
  }
}

export const tracker = new SessionTracker();
`,
            },
          ],
        },
      ],
    },
    {
      name: 'circuit breaker per session in a NestJS provider',
      code: `import { Injectable } from '@nestjs/common';

interface Breaker { failures: number; open: boolean }

@Injectable()
export class Orchestrator {
  private readonly breakers = new Map<string, Breaker>();

  recordFailure(sessionId: string) {
    const breaker = this.breakers.get(sessionId) ?? { failures: 0, open: false };
    breaker.failures++;
    this.breakers.set(sessionId, breaker);
  }
}
`,
      errors: [
        {
          message: /^`this\.breakers`, a Map in a field of `Orchestrator`, a singleton provider \(`@Injectable\(\)`\), gains an entry/,
          line: 12,
          related: 1,
        },
      ],
    },
    {
      name: 'static field',
      code: `export class Metrics {
  static readonly byRoute: Record<string, number> = {};
  static hit(route: string) {
    Metrics.byRoute[route] = (Metrics.byRoute[route] ?? 0) + 1;
  }
}
`,
      errors: [{ message: /^`Metrics\.byRoute`, a dictionary object in a static field of `Metrics`, gains an entry at run time \(`Metrics\.byRoute\[…\] = …` in `hit`\)/, line: 4, fixes: [] }],
    },
    {
      name: 'static field grown through this in a static method',
      code: `export class Registry {
  private static listeners = new Set<() => void>();
  static subscribe(listener: () => void) {
    this.listeners.add(listener);
  }
}
`,
      errors: [{ message: /^`Registry\.listeners`, a Set in a static field of `Registry`,/, line: 4 }],
    },
    {
      name: 'memoize helper whose returned function is stored at module scope',
      code: `function memoize<A, R>(fn: (arg: A) => R): (arg: A) => R {
  const cache = new Map<A, R>();
  return (arg: A) => {
    if (!cache.has(arg)) cache.set(arg, fn(arg));
    return cache.get(arg)!;
  };
}

export const priceFor = memoize((sku: string) => sku.length * 100);
`,
      errors: [
        {
          message: /^`cache`, a Map captured by the function that `memoize\(…\)` returns, kept alive at module scope, gains an entry at run time \(`cache\.set\(…\)`\)/,
          line: 4,
          fixes: [
            {
              title: 'Evict the oldest entry of `cache` once it holds MAX_CACHE_SIZE (10000)',
              output: `const MAX_CACHE_SIZE = 10000;
function memoize<A, R>(fn: (arg: A) => R): (arg: A) => R {
  const cache = new Map<A, R>();
  return (arg: A) => {
    if (cache.size >= MAX_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    if (!cache.has(arg)) cache.set(arg, fn(arg));
    return cache.get(arg)!;
  };
}

export const priceFor = memoize((sku: string) => sku.length * 100);
`,
            },
          ],
        },
      ],
    },
    {
      name: 'the size constant takes a name no whole word of the file has (words inside longer ones do not count)',
      code: `// MAX_HITS_SIZE is the dashboard's; LEGACY_MAX_HITS_SIZE_2 and MAX_HITS_SIZE_20 are other words
export const MAX_HITS_SIZE = 5;
const hits = new Map<string, number>();
export function hit(key: string) {
  hits.set(key, (hits.get(key) ?? 0) + 1);
}
`,
      errors: [
        {
          message: /^`hits`, a module-level Map, gains an entry at run time/,
          line: 5,
          fixes: [
            {
              title: 'Evict the oldest entry of `hits` once it holds MAX_HITS_SIZE_2 (10000)',
              output: `// MAX_HITS_SIZE is the dashboard's; LEGACY_MAX_HITS_SIZE_2 and MAX_HITS_SIZE_20 are other words
export const MAX_HITS_SIZE = 5;
const MAX_HITS_SIZE_2 = 10000;
const hits = new Map<string, number>();
export function hit(key: string) {
  if (hits.size >= MAX_HITS_SIZE_2) hits.delete(hits.keys().next().value!);
  hits.set(key, (hits.get(key) ?? 0) + 1);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'lru-cache dependency: offer the bounded cache',
      code: `import express from 'express';

const profiles = new Map<string, { name: string }>();

export const router = express.Router();
router.get('/profile/:id', (req, res) => {
  profiles.set(req.params.id, { name: 'x' });
  res.json(profiles.get(req.params.id));
});
`,
      files: { 'package.json': LRU_PACKAGE },
      errors: [
        {
          line: 7,
          fixes: [
            {
              title: 'Evict the oldest entry of `profiles` once it holds MAX_PROFILES_SIZE (10000)',
              output: `import express from 'express';

const MAX_PROFILES_SIZE = 10000;
const profiles = new Map<string, { name: string }>();

export const router = express.Router();
router.get('/profile/:id', (req, res) => {
  if (profiles.size >= MAX_PROFILES_SIZE) profiles.delete(profiles.keys().next().value!);
  profiles.set(req.params.id, { name: 'x' });
  res.json(profiles.get(req.params.id));
});
`,
            },
            {
              title: 'Replace `profiles` with a bounded LRUCache (max 10000) from lru-cache, already a dependency',
              output: `import express from 'express';
import { LRUCache } from 'lru-cache';

const profiles = new LRUCache<string, { name: string }>({ max: 10000 });

export const router = express.Router();
router.get('/profile/:id', (req, res) => {
  profiles.set(req.params.id, { name: 'x' });
  res.json(profiles.get(req.params.id));
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'lru-cache 7 in a CommonJS file: default export through require',
      code: `const cache = new Map();
function remember(key, value) {
  cache.set(key, value);
}
module.exports = { remember };
`,
      filename: 'src/cache.js',
      files: { 'package.json': JSON.stringify({ dependencies: { 'lru-cache': '7.18.3' } }) },
      options: { maxEntries: 500 },
      errors: [
        {
          line: 3,
          fixes: [
            {
              title: 'Evict the oldest entry of `cache` once it holds MAX_CACHE_SIZE (500)',
              output: `const MAX_CACHE_SIZE = 500;
const cache = new Map();
function remember(key, value) {
  if (cache.size >= MAX_CACHE_SIZE) cache.delete(cache.keys().next().value);
  cache.set(key, value);
}
module.exports = { remember };
`,
            },
            {
              title: 'Replace `cache` with a bounded LRUCache (max 500) from lru-cache, already a dependency',
              output: `const LRUCache = require('lru-cache');
const cache = new LRUCache({ max: 500 });
function remember(key, value) {
  cache.set(key, value);
}
module.exports = { remember };
`,
            },
          ],
        },
      ],
    },
    {
      name: 'quick-lru dependency reuses an existing import',
      code: `import QuickLRU from 'quick-lru';

const small = new QuickLRU<string, string>({ maxSize: 10 });
const tokens = new Map<string, string>();
export function save(user: string, token: string) {
  small.set(user, token);
  tokens.set(user, token);
}
`,
      files: { 'package.json': JSON.stringify({ dependencies: { 'quick-lru': '^7.0.0' } }) },
      errors: [
        {
          line: 7,
          fixes: [
            { title: /^Evict the oldest entry of `tokens`/, output: `import QuickLRU from 'quick-lru';

const small = new QuickLRU<string, string>({ maxSize: 10 });
const MAX_TOKENS_SIZE = 10000;
const tokens = new Map<string, string>();
export function save(user: string, token: string) {
  small.set(user, token);
  if (tokens.size >= MAX_TOKENS_SIZE) tokens.delete(tokens.keys().next().value!);
  tokens.set(user, token);
}
` },
            {
              title: 'Replace `tokens` with a bounded QuickLRU (maxSize 10000) from quick-lru, already a dependency',
              output: `import QuickLRU from 'quick-lru';

const small = new QuickLRU<string, string>({ maxSize: 10 });
const tokens = new QuickLRU<string, string>({ maxSize: 10000 });
export function save(user: string, token: string) {
  small.set(user, token);
  tokens.set(user, token);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'keyed by objects and used only by key: a WeakMap or WeakSet is offered first',
      code: OBJECT_KEYED,
      errors: [
        { line: 7, fixes: [{ title: /^Make `compiled` a WeakMap: its keys are objects/, output: OBJECT_KEYED.replace('const compiled: Map<Options, string> = new Map<', 'const compiled: WeakMap<Options, string> = new WeakMap<') }, { title: /^Evict the oldest entry/ }] },
        { line: 12, fixes: [{ title: /^Make `used` a WeakSet/, output: OBJECT_KEYED.replace('new Set<Store>()', 'new WeakSet<Store>()') }, { title: /^Evict the oldest entry/ }] },
      ],
    },
    {
      name: 'grown when a connection opens: the message says to delete on close, and no eviction is offered',
      code: `import { WebSocketServer, type WebSocket } from 'ws';
const clients = new Map<string, WebSocket>();
const wss = new WebSocketServer({ port: 8080 });
wss.on('connection', (socket, request) => {
  clients.set(request.headers['sec-websocket-key'] as string, socket);
  socket.on('message', (data) => socket.send(data));
});
export const broadcast = (text: string) => { for (const socket of clients.values()) socket.send(text); };
`,
      errors: [{ line: 5, message: /It grows when a connection opens \(`wss\.on\('connection'\)`\): delete the entry when that connection closes/, fixes: [] }],
    },
    {
      name: 'no WeakMap for string keys, for a map that is iterated or counted',
      code: `class Job {}
const byName = new Map<string, Job>();
const running = new Map<Job, number>();
export function add(name: string, job: Job) { byName.set(name, job); running.set(job, Date.now()); }
export const count = () => running.size;
`,
      errors: [{ line: 4, fixes: [{ title: /^Evict the oldest entry/ }] }, { line: 4, fixes: [{ title: /^Evict the oldest entry/ }] }],
    },
    {
      name: 'lru-cache only in devDependencies: no replacement offered',
      code: `const cache = new Map<string, number>();
export function put(k: string) { cache.set(k, 1); }
`,
      files: { 'package.json': JSON.stringify({ devDependencies: { 'lru-cache': '^11.0.0' } }) },
      errors: [{ line: 2, fixes: [{ title: /^Evict the oldest entry/, output: `const MAX_CACHE_SIZE = 10000;
const cache = new Map<string, number>();
export function put(k: string) { if (cache.size >= MAX_CACHE_SIZE) cache.delete(cache.keys().next().value!); cache.set(k, 1); }
` }] }],
    },
    {
      name: 'array unshift evicts from the end',
      code: `const history: string[] = [];
export function visit(url: string) {
  history.unshift(url);
}
`,
      errors: [
        {
          message: /`history`, a module-level array, gains an element at run time \(`history\.unshift\(…\)` in `visit`\)/,
          fixes: [
            {
              title: 'Evict the oldest element (at the end) of `history` once it holds MAX_HISTORY_SIZE (10000)',
              output: `const MAX_HISTORY_SIZE = 10000;
const history: string[] = [];
export function visit(url: string) {
  if (history.length >= MAX_HISTORY_SIZE) history.pop();
  history.unshift(url);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'dictionary object keyed by user input',
      code: `const attempts: { [email: string]: number } = {};
export function failedLogin(email: string) {
  attempts[email] = (attempts[email] || 0) + 1;
}
`,
      errors: [{ message: /`attempts`, a module-level dictionary object, gains an entry at run time \(`attempts\[…\] = …` in `failedLogin`\)/, line: 3, fixes: [] }],
    },
    {
      name: 'a dictionary typed as a Record, created with entries and grown with Object.assign',
      code: `const handlers: Record<string, () => void> = { ping: () => undefined };
export function register(extra: Record<string, () => void>) {
  Object.assign(handlers, extra);
}
`,
      errors: [{ message: /`Object\.assign\(handlers, …\)`/, line: 3 }],
    },
    {
      name: 'an empty dictionary object grown with Object.assign from a parameter',
      code: `const seen = {};
export function remember(batch: object) {
  Object.assign(seen, batch);
}
`,
      errors: [{ message: /`Object\.assign\(seen, …\)`/, line: 3 }],
    },
    {
      name: 'a settings record still grows through an element assignment with an open key',
      code: `const settings = { defaultLimit: 20 };
export function setOption(key: string, value: number) {
  (settings as Record<string, number>)[key] = value;
}
`,
      errors: [{ message: /`settings`, a module-level dictionary object, gains an entry/, line: 3 }],
    },
    {
      name: 'Object.create(null) dictionary grown with Object.assign',
      code: `const flagsByTenant = Object.create(null);
export function configure(tenant: string, flags: Record<string, boolean>) {
  Object.assign(flagsByTenant, { [tenant]: flags });
}
`,
      errors: [{ message: /`Object\.assign\(flagsByTenant, …\)`/, line: 3 }],
    },
    {
      name: 'exported Map grown in another module',
      code: `export const sockets = new Map<string, WebSocket>();
`,
      filename: 'src/sockets.ts',
      files: { 'src/server.ts': `import { sockets } from './sockets';\nexport function onConnect(id: string, ws: WebSocket) { sockets.set(id, ws); }\n` },
      errors: [{ message: /^`sockets`, an exported module-level Map, gains an entry at run time \(`sockets\.set\(…\)` in src\/server\.ts\)/, line: 1, column: 14, fixes: [] }],
    },
    {
      name: 'exported dictionary grown under another name in an importing module',
      code: `export const lastSeen: Record<string, number> = {};
`,
      filename: 'src/presence.ts',
      files: { 'src/routes.ts': `import { lastSeen as seen } from './presence';\nexport function touch(userId: string) { seen[userId] = Date.now(); }\n` },
      errors: [{ message: /^`lastSeen`, an exported module-level dictionary object, gains an entry at run time \(`seen\[…\] = …` in src\/routes\.ts\)/, line: 1 }],
    },
    {
      name: 'growth in a setInterval callback at module scope is run time',
      code: `const samples: number[] = [];
setInterval(() => {
  samples.push(process.memoryUsage().heapUsed);
}, 1000);
export const latest = () => samples[samples.length - 1];
`,
      errors: [{ line: 3 }],
    },
    {
      name: 'key from a parameter without a literal type',
      code: `const counters = new Map<string, number>();
export function bump(kind: string) { counters.set(kind, (counters.get(kind) ?? 0) + 1); }
`,
      errors: [{ line: 2 }],
    },
    {
      name: 'class kept at module scope by a production importer',
      code: `export class Tracker {\n  private seen = new Map<string, number>();\n  see(k: string) { this.seen.set(k, Date.now()); }\n}\n`,
      filename: 'src/tracker.ts',
      files: {
        'src/app.ts': `import { Tracker } from './tracker';\nexport const tracker = new Tracker();\n`,
        'src/tracker.test.ts': `import { Tracker } from './tracker';\nconst tracker = new Tracker();\nit('sees', () => tracker.see('a'));\n`,
      },
      errors: [{ message: /^`this\.seen`, a Map in a field of `Tracker`, instantiated once at module scope,/, line: 3 }],
    },
    {
      name: 'class held for the process via a static instance (created lazily, so not "at module scope")',
      code: `export class JobQueue {
  private static instance: JobQueue | undefined;
  private done = new Set<string>();
  static get(): JobQueue {
    return (JobQueue.instance ??= new JobQueue());
  }
  complete(id: string) {
    this.done.add(id);
  }
}
`,
      errors: [{ message: /^`this\.done`, a Set in a field of `JobQueue`, a singleton kept in a static field, gains an entry/, line: 8 }],
    },
    {
      name: 'typedi service, collection created in the constructor',
      code: `import { Service } from 'typedi';
@Service()
export class Presence {
  private online: Map<string, number>;
  constructor() {
    this.online = new Map();
  }
  join(user: string) {
    this.online.set(user, Date.now());
  }
}
`,
      errors: [{ line: 9 }],
    },
    {
      name: 'reassignment inside the constructor does not count as removal',
      code: `class Audit {
  private entries: string[] = [];
  constructor() { this.entries = []; }
  add(e: string) { this.entries.push(e); }
}
export default new Audit();
`,
      errors: [{ line: 4 }],
    },
    {
      name: 'growth in a registration function called per request',
      code: `const registry = new Map<string, number>();
function register(name: string) { registry.set(name, 1); }
register('boot');
export function handle(req: { name: string }) { register(req.name); }
`,
      errors: [{ line: 2 }],
    },
    {
      name: 'growth in a forEach inside a handler',
      code: `const seen = new Set<string>();
export function ingest(ids: string[]) { ids.forEach((id) => seen.add(id)); }
`,
      errors: [{ line: 2, fixes: [] }],
    },
    {
      name: 'size read without a guard is not a bound',
      code: `const cache = new Map<string, string>();
export function put(k: string, v: string) { cache.set(k, v); console.log(cache.size); }
`,
      errors: [{ line: 2 }],
    },
    {
      name: 'two growth sites: one finding with the other as related information',
      code: `const seen = new Set<string>();
export function a(id: string) { seen.add(id); }
export function b(id: string) { seen.add(id + '!'); }
`,
      errors: [{ line: 2, related: 2 }],
    },
    {
      name: 'registration called per request is growth',
      code: `const handlers = new Map<string, () => void>();
export function register(name: string, handler: () => void) { handlers.set(name, handler); }
export function onRequest(req: { path: string }) { register(req.path, () => {}); }
`,
      errors: [{ line: 2, message: /`handlers\.set\(…\)` in `register`/ }],
    },
  ],
});

it('does not take an instance a test keeps at its module level for a singleton (the rule itself, gates off)', () => {
  const root = path.resolve('/virtual/unbounded-collection');
  const tracker = 'export class Tracker {\n  private seen = new Map<string, number>();\n  see(k: string) { this.seen.set(k, Date.now()); }\n}\n';
  const inTest = `import { Tracker } from './tracker';\nconst tracker = new Tracker();\nit('sees', () => tracker.see('a'));\n`;
  const run = (files: Record<string, string>) => {
    const host = memoryFileSystem(Object.fromEntries(Object.entries({ 'src/tracker.ts': tracker, ...files }).map(([p, t]) => [path.join(root, p), t])));
    const linter = new Linter({ root, rules: [rule], host });
    return linter.analyzeText(path.join(root, 'src/tracker.ts'), tracker, { ignoreGates: true }).findings.map((f) => f.ruleId);
  };
  assert.deepEqual(run({ 'src/tracker.test.ts': inTest }), []);
  assert.deepEqual(run({ 'test/tracker.ts': inTest }), []);
  assert.deepEqual(run({ 'src/app.ts': `import { Tracker } from './tracker';\nexport const tracker = new Tracker();\n` }), ['unbounded-collection']);
});
