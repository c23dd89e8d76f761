import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { defineFact, Linter, memoryFileSystem, Project } from '../../engine';
import { expectEdits, parseStats, nodesInOrder, nodesWhere, parseTypeScript, reparseTypeScript } from '../../engine/parse';
import { constructingImporters, importedLocals, importersOf, importersUnlessOpaque, isOneOffPath, isTestPath, mayConstruct } from '../../engine/ts/modules';
import { referencesOf, resolveIdentifier } from '../../engine/ts/scope';
import { moduleGraph } from '../../engine/db/modules';
import { allRules } from '../../rules';

const root = path.resolve('/virtual/project');

function project(files: Record<string, string>): Project {
  const host = memoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [path.join(root, p), t])));
  const linter = new Linter({ root, rules: [], host });
  return linter.project;
}

const registry = `export const registry = new Map<string, number>();\n`;
const user = `import { registry } from './registry';\nexport function remember(key: string) {\n  registry.set(key, 1);\n}\n`;

describe('project paths', () => {
  it('gives workspace-relative paths with forward slashes, the same on every call (remembered per path)', () => {
    const p = project({ 'src/a.ts': '' });
    for (let i = 0; i < 2; i++) {
      assert.equal(p.relative(path.join(root, 'src/a.ts')), 'src/a.ts');
      assert.equal(p.relative('src/a.ts'), 'src/a.ts');
      assert.equal(p.relative(path.join(root, '..', 'elsewhere', 'b.ts')), '../elsewhere/b.ts');
      assert.equal(p.relative(root), '');
    }
  });

  it('tells tests and one-off code (scripts, seeds, migrations) from the code a server runs', () => {
    const tests = [
      'test/a.ts', 'src/__tests__/a.ts', 'src/__mocks__/db.ts', 'src/a.test.ts', 'src/a.spec.tsx', 'e2e/login.ts', 'fixtures/x.ts', 'src/Users.E2E.ts',
      // test runners' setup and teardown modules
      'jest.setup.ts', 'vitest.setup.mts', 'src/jest.global-setup.ts', 'lib/test-setup.js', 'globalSetup.ts', 'global-teardown.ts', 'src/setupTests.ts', 'e2e-setup.ts', 'testSetup.cjs',
      // test helper modules
      'src/test-util.ts', 'test-utils.ts', 'src/testHelpers.ts', 'lib/test_db.js', 'src/spec-support.ts',
    ];
    const oneOff = [
      'scripts/backfill.ts', 'script/run.mjs', 'prisma/seed.ts', 'seed.ts', 'db/seeds/users.ts', 'src/seeders/users.js', 'src/seed-users.ts', 'prisma/seedData.cts', 'db/migrations/0001_init.ts', 'src/migration/add-index.ts',
      // a migrations or seeds folder with a prefix
      'src/predefinedMigrations/v2-v3.ts', 'db-migrations/001.js', 'src/demo_seeds/users.ts',
    ];
    const production = [
      'src/a.ts', 'src/reseed-cache.ts', 'src/seedling/garden.ts', 'src/scriptures.ts', 'src/migrations.ts', 'src/testimonials/list.ts', 'src/contest.ts', 'src/prisma/client.ts',
      'src/setup.ts', 'src/database-setup.ts', 'src/global-utils.ts', 'src/globalHelpers.ts', 'src/latest-utils.ts', 'src/utils/testing-library.ts', 'src/setup/tests.ts', 'src/migrationRunner/run.ts', 'public/javascripts/app.js', 'src/teardown.ts', 'src/globals.ts',
    ];
    for (const file of tests) assert.ok(isTestPath(file) && isOneOffPath(file), file);
    for (const file of oneOff) assert.ok(!isTestPath(file) && isOneOffPath(file), file);
    for (const file of production) assert.ok(!isTestPath(file) && !isOneOffPath(file), file);
  });
});

describe('project syntax trees', () => {
  it('parses a file once for the analysis and every fact that looks into it', () => {
    const p = project({ 'src/registry.ts': registry, 'src/user.ts': user });
    const before = parseStats.count;
    const fromFacts = moduleGraph(p).sourceFile(path.join(root, 'src/user.ts'));
    const forAnalysis = p.syntaxTree(path.join(root, 'src/user.ts'), user);
    assert.equal(fromFacts, forAnalysis);
    assert.equal(parseStats.count - before, 1);
    // Another text for the same path (an unsaved edit) is a new tree.
    const edited = p.syntaxTree(path.join(root, 'src/user.ts'), user + '\n');
    assert.notEqual(edited, forAnalysis);
  });

  it('sets parent pointers on every node and lists nodes in pre-order', () => {
    const p = project({ 'src/a.ts': 'const a = [1, (2 + f(x))];\nfunction g() { return a; }\n' });
    const sourceFile = p.syntaxTree(path.join(root, 'src/a.ts'))!;
    const order = nodesInOrder(sourceFile);
    assert.equal(order[0], sourceFile);
    const expected: ts.Node[] = [];
    const visit = (node: ts.Node): void => {
      expected.push(node);
      ts.forEachChild(node, (child) => {
        assert.equal(child.parent, node, `parent of ${ts.SyntaxKind[child.kind]}`);
        visit(child);
      });
    };
    visit(sourceFile);
    assert.deepEqual(order.map((n) => n.kind), expected.map((n) => n.kind));
    assert.equal(order.length, expected.length);
  });

  it('trimSyntax drops trees and node-holding facts past the budget, keeps facts that say so', () => {
    const p = project({ 'src/registry.ts': registry, 'src/user.ts': user });
    const holdsNodes = defineFact('test/holds-nodes', () => ({ id: Math.random() }));
    const durable = defineFact('test/durable', () => ({ id: Math.random() }), { onTrim: 'keep' });
    const first = p.syntaxTree(path.join(root, 'src/user.ts'));
    const a = p.get(holdsNodes);
    const b = p.get(durable);
    assert.equal(p.trimSyntax(1 << 20), false, 'under budget: nothing dropped');
    assert.equal(p.syntaxTree(path.join(root, 'src/user.ts')), first);
    assert.equal(p.trimSyntax(0), true);
    assert.notEqual(p.syntaxTree(path.join(root, 'src/user.ts')), first);
    assert.notEqual(p.get(holdsNodes), a);
    assert.equal(p.get(durable), b);
  });

  it('trimSyntax also drops cached texts (re-read on demand) but never unsaved editor texts', () => {
    const files = memoryFileSystem({ [path.join(root, 'src/registry.ts')]: registry, [path.join(root, 'src/user.ts')]: user });
    let reads = 0;
    const host = { ...files, readFile: (p: string) => (reads++, files.readFile(p)) };
    const p = new Project(root, host);
    const registryPath = path.join(root, 'src/registry.ts');
    const userPath = path.join(root, 'src/user.ts');
    p.setOverlay(userPath, user + '// unsaved\n');
    p.syntaxTree(registryPath);
    assert.equal(p.readText(registryPath), registry);
    assert.equal(reads, 1, 'cached until trimmed');
    assert.equal(p.trimSyntax(0), true);
    assert.equal(p.readText(registryPath), registry);
    assert.equal(reads, 2, 'read again after the trim');
    assert.equal(p.readText(userPath), user + '// unsaved\n');
  });

  it('keeps the texts scanText reads only for the files an audit retains', () => {
    const files = memoryFileSystem({ [path.join(root, 'src/registry.ts')]: registry, [path.join(root, 'src/user.ts')]: user });
    const reads: string[] = [];
    const host = { ...files, readFile: (p: string) => (reads.push(path.basename(p)), files.readFile(p)) };
    const p = new Project(root, host);
    p.retainScans(['src/registry.ts']);
    for (let i = 0; i < 2; i++) {
      assert.equal(p.scanText(path.join(root, 'src/registry.ts')), registry);
      assert.equal(p.scanText(path.join(root, 'src/user.ts')), user);
    }
    assert.deepEqual(reads.sort(), ['registry.ts', 'user.ts', 'user.ts']);
  });
});

describe('importers of an export', () => {
  const target = path.join(root, 'src/store.ts');
  const files = {
    'src/store.ts': registry + 'export const other = 1;\n',
    'src/user.ts': user.replace('./registry', './store'),
    // Imports another name of the module: cannot use `registry`, and is not parsed for it.
    'src/other.ts': `import { other } from './store';\nexport const twice = other * 2;\n`,
    // Namespace import that never names `registry` in its text: still makes the export opaque.
    'src/all.ts': `import * as everything from './store';\nexport const pick = (k: keyof typeof everything) => everything[k];\n`,
  };

  it('finds the named import, and a namespace import makes the export opaque even when the name is not in its text', () => {
    const p = project(files);
    const result = importersOf(p, target, 'registry');
    assert.deepEqual(result.uses.map((u) => path.basename(u.file)), ['user.ts']);
    assert.equal(result.opaque, true);
    const onlyNamed = project({ 'src/store.ts': files['src/store.ts'], 'src/user.ts': files['src/user.ts'], 'src/other.ts': files['src/other.ts'] });
    assert.equal(importersOf(onlyNamed, target, 'registry').opaque, false);
  });

  it('does not parse importers whose text cannot use the export', () => {
    const p = project(files);
    const before = parseStats.count;
    importersOf(p, target, 'registry');
    // user.ts only: other.ts imports another name, all.ts is opaque by its text.
    assert.equal(parseStats.count - before, 1);
    // Asking for `other` parses other.ts only (the one importer whose text has the name).
    const beforeOther = parseStats.count;
    assert.deepEqual(importersOf(p, target, 'other').uses.map((u) => path.basename(u.file)), ['other.ts']);
    assert.equal(parseStats.count - beforeOther, 1);
  });

  it('gives up on an opaque export without parsing its importers (importersUnlessOpaque), and keeps whole results', () => {
    const target = path.join(root, 'src/registry.ts');
    const files = {
      'src/registry.ts': registry,
      'src/user.ts': user,
      'src/all.ts': `import * as all from './registry';\nexport const n = all.registry.size;\n`,
    };
    const p = project(files);
    const before = parseStats.count;
    assert.equal(importersUnlessOpaque(p, target, 'registry'), undefined);
    assert.equal(parseStats.count - before, 0, 'user.ts spells the name but is not parsed');
    // The full answer still parses every importer that may use the name (its callers read the uses of an opaque export).
    const full = importersOf(p, target, 'registry');
    assert.equal(full.opaque, true);
    assert.deepEqual(full.uses.map((u) => path.basename(u.file)), ['user.ts']);
    assert.equal(importersUnlessOpaque(p, target, 'registry'), undefined);
    // Not opaque: the same uses as importersOf, remembered for it.
    const clear = project({ 'src/registry.ts': registry, 'src/user.ts': user });
    const whole = importersUnlessOpaque(clear, target, 'registry');
    assert.deepEqual(whole?.uses.map((u) => path.basename(u.file)), ['user.ts']);
    assert.equal(importersOf(clear, target, 'registry'), whole);
  });

  it('stops parsing importers once one shows the export is opaque (a re-export)', () => {
    const target = path.join(root, 'src/registry.ts');
    const p = project({
      'src/registry.ts': registry,
      'src/a-reexport.ts': `export { registry } from './registry';\n`,
      'src/b-user.ts': user,
    });
    const before = parseStats.count;
    assert.equal(importersUnlessOpaque(p, target, 'registry'), undefined);
    assert.equal(parseStats.count - before, 1, 'b-user.ts is not parsed after the re-export');
  });

  it('finds the importers that may instantiate a class without parsing those that only call or type it', () => {
    const cls = path.join(root, 'src/cache.ts');
    const p = project({
      'src/cache.ts': 'export class Cache { items = new Map<string, number>(); }\n',
      'src/typed.ts': `import { Cache } from './cache';\nexport function size(c: Cache) { return new Set([c]).size; }\n`,
      'src/made.ts': `import { Cache } from './cache';\nexport const shared = new Cache();\n`,
      'src/aliased.ts': `import { Cache as Store } from './cache';\nexport const other = new /* the one */ Store();\n`,
    });
    const before = parseStats.count;
    const uses = constructingImporters(p, cls, 'Cache');
    assert.deepEqual(uses.map((u) => path.basename(u.file)).sort(), ['aliased.ts', 'made.ts']);
    assert.equal(parseStats.count - before, 2, 'typed.ts is not parsed');
  });

  it('narrows the importers to parse with a caller\'s own text filter, remembered apart', () => {
    const cls = path.join(root, 'src/cache.ts');
    const p = project({
      'src/cache.ts': 'export class Cache { items = new Map<string, number>(); }\n',
      'src/made.ts': `import { Cache } from './cache';\nexport const shared = new Cache();\n`,
      'src/perCall.ts': `import { Cache } from './cache';\nexport function make() { return new Cache(); }\n`,
    });
    const asked: string[] = [];
    const atLoad = { key: 'test/at-load', test: (file: string, text: string) => (asked.push(path.basename(file)), !text.includes('function')) };
    const before = parseStats.count;
    assert.deepEqual(constructingImporters(p, cls, 'Cache', atLoad).map((u) => path.basename(u.file)), ['made.ts']);
    assert.equal(parseStats.count - before, 1, 'perCall.ts is not parsed');
    assert.deepEqual(asked.sort(), ['made.ts', 'perCall.ts']);
    // the unnarrowed question has its own answer
    assert.deepEqual(constructingImporters(p, cls, 'Cache').map((u) => path.basename(u.file)).sort(), ['made.ts', 'perCall.ts']);
  });

  it('reads the names an import may be bound to (importedLocals)', () => {
    assert.deepEqual([...importedLocals('import { Cache } from "./c";', 'Cache')!], ['Cache']);
    assert.deepEqual([...importedLocals('import { Cache as C, Cache as D } from "./c";', 'Cache')!].sort(), ['C', 'Cache', 'D']);
    assert.equal(importedLocals('import { Cache as /* x */ C } from "./c";', 'Cache'), undefined);
    assert.equal(importedLocals('import Anything from "./c";', 'default'), undefined);
  });

  it('tells from the text whether an import may be instantiated (mayConstruct)', () => {
    assert.equal(mayConstruct('const c = new Cache();', 'Cache'), true);
    assert.equal(mayConstruct('const c = new\n  // why\n  Cache<string>();', 'Cache'), true);
    assert.equal(mayConstruct('import { Cache as C } from "./c";\nconst c = new C();', 'Cache'), true);
    // A comment where the alias should be: any `new` may construct it.
    assert.equal(mayConstruct('import { Cache as /* x */ C } from "./c";\nnew C();', 'Cache'), true);
    assert.equal(mayConstruct('import { Cache } from "./c";\nconst c: Cache = make(); new CacheLike(); x.new Cache;', 'Cache'), false);
    assert.equal(mayConstruct('const renewCache = 1;', 'Cache'), false);
    // A default import takes any name; `$` in a name is not a regex anchor.
    assert.equal(mayConstruct('import Anything from "./c";\nnew Anything();', 'default'), true);
    assert.equal(mayConstruct('const s = new $Store();', '$Store'), true);
    assert.equal(mayConstruct('const s = new Store();', '$Store'), false);
  });
});

describe('module graph memory', () => {
  it('does not keep the texts that specifiers were matched out of', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const p = project({ 'src/a.ts': 'export const a = 1;\n' });
    const graph = moduleGraph(p);
    const heapAfterGc = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heapAfterGc();
    for (let i = 0; i < 20; i++) {
      // A 1 MB file text each; the specifier is a V8 slice of it.
      const text = `${String(i).repeat(1 << 20)}\nimport { a } from './specifier-long-enough-to-be-sliced-${i}';\n`;
      const specifier = /from '([^']+)'/.exec(text)![1];
      graph.resolve(path.join(root, 'src/b.ts'), specifier);
    }
    const grown = heapAfterGc() - before;
    assert.ok(grown < 5 * (1 << 20), `the resolution cache kept ${Math.round(grown / (1 << 20))} MB of file text`);
  });
});

describe('project invalidation on edits', () => {
  it('keeps the import index while typing leaves import specifiers alone, and rebuilds it when they change', () => {
    const p = project({ 'src/registry.ts': registry, 'src/user.ts': user, 'src/other.ts': 'export const x = 1;\n' });
    const target = path.join(root, 'src/registry.ts');
    const answer = importersOf(p, target, 'registry');
    assert.equal(answer.uses.length, 1);
    const graph = moduleGraph(p);
    // Typing in a file that is not an importer (the target itself here) keeps the answer.
    p.readText(target);
    p.setOverlay(target, registry + 'export const other = 1;\n');
    assert.equal(importersOf(p, target, 'registry'), answer);
    // Typing in a function body: the module graph object (and its resolutions) survive.
    p.setOverlay(path.join(root, 'src/user.ts'), user.replace('registry.set(key, 1);', 'registry.set(key, 2);'));
    assert.equal(moduleGraph(p), graph);
    const afterImporterEdit = importersOf(p, target, 'registry');
    assert.notEqual(afterImporterEdit, answer, 'an edit of an importer drops the answers that read it');
    assert.equal(afterImporterEdit.uses.length, 1);
    assert.equal(afterImporterEdit.uses[0].sourceFile.text, p.readText(path.join(root, 'src/user.ts')), 'the uses are nodes of the importer\'s current tree');
    // A new import of the registry in another file must be seen.
    p.setOverlay(path.join(root, 'src/other.ts'), `import { registry } from './registry';\nexport const x = registry.size;\n`);
    assert.equal(importersOf(p, target, 'registry').uses.length, 2);
    // And removing it again.
    p.setOverlay(path.join(root, 'src/other.ts'), 'export const x = 1;\n');
    assert.equal(importersOf(p, target, 'registry').uses.length, 1);
  });

  it('drops the module graph when a tsconfig changes', () => {
    const p = project({ 'tsconfig.json': '{}', 'src/user.ts': user });
    const graph = moduleGraph(p);
    // Edits of a text no fact has read yet recompute everything (it may be a new file); this one was read.
    p.readText(path.join(root, 'src/user.ts'));
    p.setOverlay(path.join(root, 'src/user.ts'), user + '\n');
    assert.equal(moduleGraph(p), graph);
    p.readText(path.join(root, 'tsconfig.json'));
    p.setOverlay(path.join(root, 'tsconfig.json'), '{ "compilerOptions": { "baseUrl": "." } }');
    assert.notEqual(moduleGraph(p), graph);
  });

  it('gives the same findings after edits as a fresh project (unbounded-collection across files)', () => {
    const files = { 'src/registry.ts': registry, 'src/user.ts': user };
    const host = memoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [path.join(root, p), t])));
    const rules = allRules.filter((rule) => rule.id === 'unbounded-collection');
    const linter = new Linter({ root, rules, host });
    const registryPath = path.join(root, 'src/registry.ts');
    assert.equal(linter.analyzePath(registryPath).findings.length, 1);
    // The importer gains a removal path: the finding must go, though no import specifier changed.
    linter.project.setOverlay(path.join(root, 'src/user.ts'), user.replace('}\n', '}\nexport function forget(key: string) {\n  registry.delete(key);\n}\n'));
    assert.equal(linter.analyzePath(registryPath).findings.length, 0);
    linter.project.setOverlay(path.join(root, 'src/user.ts'), user);
    assert.equal(linter.analyzePath(registryPath).findings.length, 1);
  });

  it('re-derives what an unchanged file imports after the imported module changed (no stale database symbols)', () => {
    const db = `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`;
    const notDb = `import type { PrismaClient } from '@prisma/client';\nexport const prisma = { user: { findUnique: async (_: unknown) => null } };\nexport type Client = PrismaClient;\n`;
    const user = `import { prisma } from './db';\nexport async function load(ids: string[]) {\n  for (const id of ids) {\n    await prisma.user.findUnique({ where: { id } });\n  }\n}\n`;
    const files = { 'package.json': '{"dependencies":{"@prisma/client":"6.0.0"}}', 'src/db.ts': db, 'src/user.ts': user };
    const host = memoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [path.join(root, p), t])));
    const linter = new Linter({ root, rules: allRules.filter((rule) => rule.id === 'n-plus-one'), host });
    const userPath = path.join(root, 'src/user.ts');
    assert.equal(linter.analyzePath(userPath).findings.length, 1);
    linter.project.setOverlay(path.join(root, 'src/db.ts'), notDb);
    const fresh = new Linter({ root, rules: allRules.filter((rule) => rule.id === 'n-plus-one'), host });
    fresh.project.setOverlay(path.join(root, 'src/db.ts'), notDb);
    assert.equal(fresh.analyzePath(userPath).findings.length, 0);
    assert.equal(linter.analyzePath(userPath).findings.length, 0);
    linter.project.setOverlay(path.join(root, 'src/db.ts'), db);
    assert.equal(linter.analyzePath(userPath).findings.length, 1);
  });

  it('lists the nodes of an incrementally re-parsed tree in pre-order, whatever the edit (reused top-level statements are copied from the previous list)', () => {
    const blocks = Array.from({ length: 40 }, (_, i) => `export async function f${i}(ids: string[]) {\n  for (const id of ids) {\n    await db.find({ id, n: ${i} });\n  }\n}\nconst cache${i} = new Map<string, number>();\n;\n`).join('');
    const walk = (root: ts.Node): ts.Node[] => {
      const expected: ts.Node[] = [];
      const visit = (node: ts.Node): void => {
        expected.push(node);
        ts.forEachChild(node, visit);
      };
      visit(root);
      return expected;
    };
    // Typing inside a function, at top level, deleting across statements, wrapping statements in a block, empty statements, a syntax error.
    const edits: Array<(text: string) => string> = [
      (t) => t.replace('await db.find({ id, n: 7 });', 'await db.find({ id, n: 7 });\n    const typed = 1;'),
      (t) => t.replace('const cache3 =', 'const typedTop = 2;\nconst cache3 ='),
      (t) => t.slice(0, t.indexOf('export async function f5')) + t.slice(t.indexOf('export async function f7')),
      (t) => t.replace('export async function f10', 'if (ready) {\nexport async function f10').replace('const cache11 =', '}\nconst cache11 ='),
      (t) => t.replace(';\nconst cache20', ';\n;\n;\nconst cache20'),
      (t) => t.replace('const cache30 = new Map<string, number>();', 'const cache30 = new Map<string, number>(;'),
      (t) => t.replace('const cache30 = new Map<string, number>(;', 'const cache30 = new Map<string, number>();'),
      (t) => `// header\n${t}`,
      (t) => `${t}export const tail = 1;\n`,
    ];
    // Filtered lists (kept per top-level statement across re-parses) equal filtering the whole tree.
    const filters = [(node: ts.Node) => ts.isIdentifier(node), (node: ts.Node) => ts.isCallExpression(node) || ts.isNewExpression(node), (node: ts.Node) => ts.isSourceFile(node) || ts.isEmptyStatement(node)];
    // An editor's document keeps its lists from the first analysis on (expectEdits) or from the first re-parse.
    for (const prepared of [false, true]) {
      let text = blocks;
      let tree = parseTypeScript('/virtual/a.ts', text);
      if (prepared) expectEdits(tree);
      for (const filter of filters) assert.deepEqual(nodesWhere(tree, filter), walk(tree).filter(filter));
      for (const [index, edit] of edits.entries()) {
        text = edit(text);
        const previousStatements = new Set<ts.Node>(tree.statements);
        tree = reparseTypeScript(tree, text);
        assert.deepEqual(nodesInOrder(tree), walk(tree), `pre-order after edit ${index}`);
        // Every other edit skips a filter, so some lists come from a tree two edits back.
        filters.forEach((filter, f) => {
          if ((index + f) % 2 === 0) assert.deepEqual(nodesWhere(tree, filter), walk(tree).filter(filter), `filter ${f} after edit ${index}`);
        });
        if (index === 0) assert.ok(tree.statements.filter((s) => previousStatements.has(s)).length > 70, 'most statements are reused');
      }
    }
  });

  it('re-parses as a fresh parse whatever the edit (chunk boundaries, repeated text, deletions, whole-text changes)', () => {
    const shape = (tree: ts.SourceFile): string[] => {
      const nodes: string[] = [];
      const visit = (node: ts.Node): void => {
        nodes.push(`${ts.SyntaxKind[node.kind]}@${node.pos}-${node.end}`);
        ts.forEachChild(node, visit);
      };
      visit(tree);
      return nodes;
    };
    const line = 'x = x + 1;\n';
    const base = `let x = 0;\n${line.repeat(200)}`;
    const variants: string[] = [
      `${base}${line}`, // appended: every chunk of the prefix matches
      `${line}${base}`, // prepended: every chunk of the suffix matches, repeated text shifts by one line
      base.slice(0, 256) + 'y' + base.slice(256), // at a chunk boundary
      base.slice(0, 255) + base.slice(256), // a deletion just before it
      base.slice(0, 512) + base.slice(1024), // a deletion of two chunks
      'const y = 2;\n', // everything replaced
      '',
    ];
    for (const [index, next] of variants.entries()) {
      const tree = parseTypeScript('/virtual/diff.ts', base);
      expectEdits(tree);
      const reparsed = reparseTypeScript(tree, next);
      assert.equal(reparsed.text, next);
      assert.deepEqual(shape(reparsed), shape(parseTypeScript('/virtual/diff.ts', next)), `variant ${index}`);
    }
  });

  it('finds the references of every binding after keystrokes as in a fresh parse (statement name tables kept across re-parses, file-scope bindings looked up again)', () => {
    const block = (i: number) => `export function f${i}(items: string[]) {\n  const seen = new Set<string>();\n  for (const item of items) seen.add(item + shared + String(counter));\n  counter++;\n  return seen;\n}\n`;
    const start = `let counter = 0;\nconst shared = 'x';\n${Array.from({ length: 30 }, (_, i) => block(i)).join('')}`;
    const steps: Array<(text: string) => string> = [
      // Inside f3, a local \`counter\` now shadows the module-level one (f3 is re-parsed; the other functions are reused).
      (t) => t.replace('export function f3(items: string[]) {\n', 'export function f3(items: string[]) {\n  let counter = 1;\n'),
      // A module-level \`seen\` appears: the locals of the reused functions still win.
      (t) => t.replace(`const shared = 'x';\n`, `const shared = 'x';\nconst seen = new Map();\n`),
      // The module-level \`shared\` disappears, then \`counter\` is declared again further down: reused statements' references move with it.
      (t) => t.replace(`const shared = 'x';\n`, ''),
      (t) => t.replace('let counter = 0;\n', ''),
      (t) => `${t}var counter = 2;\n`,
      // Typing inside a reused function's loop.
      (t) => t.replace('  counter++;\n  return seen;\n}\nexport function f20', '  counter++;\n  const typed = seen;\n  return seen;\n}\nexport function f20'),
    ];
    const signature = (tree: ts.SourceFile): Record<string, number[]> => {
      const result: Record<string, number[]> = {};
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node)) {
          const binding = resolveIdentifier(node);
          if (binding && binding.identifier === node) result[`${node.text}@${node.getStart(tree)}`] = referencesOf(binding).map((id) => id.getStart(tree));
        }
        ts.forEachChild(node, visit);
      };
      visit(tree);
      return result;
    };
    let text = start;
    let tree = parseTypeScript('/virtual/refs.ts', text);
    expectEdits(tree);
    assert.deepEqual(signature(tree), signature(parseTypeScript('/virtual/refs.ts', text)));
    for (const [index, step] of steps.entries()) {
      const next = step(text);
      assert.notEqual(next, text, `step ${index} changes the text`);
      text = next;
      tree = reparseTypeScript(tree, text);
      assert.deepEqual(signature(tree), signature(parseTypeScript('/virtual/refs.ts', text)), `step ${index}`);
    }
  });

  it('analyses random keystrokes (syntax errors, comments, imports, shadowing, deletions) as a fresh linter does', () => {
    const files = { 'package.json': '{"dependencies":{"@prisma/client":"6.0.0"}}', 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` };
    const host = memoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [path.join(root, p), t])));
    const file = path.join(root, 'src/random.ts');
    const block = (i: number) =>
      `export async function load${i}(ids: string[]) {\n  const rows = [];\n  for (const id of ids) rows.push(await prisma.order.findMany({ where: { id } }));\n  return rows;\n}\nconst cache${i} = new Map<string, number>();\nexport function remember${i}(key: string) {\n  cache${i}.set(key, ${i});\n  return new RegExp('^(a+)+$').test(key);\n}\n`;
    let text = `import { prisma } from './db';\n${Array.from({ length: 25 }, (_, i) => block(i)).join('')}`;
    const snippets = ['const x = 1;\n', '}', '{', 'for (const a of b) {', 'await prisma.order.findMany({ where: { id } });\n', 'let cache0 = new Map();\n', '(', ';', 'var rows = [];\n', 'import { prisma as p } from "./db";\n', '/*', '*/', '"', 'x[k] = 1;\n', 'cache1.clear();\n', 'function f() {', 'export const prisma = {};\n'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const linter = new Linter({ root, rules: allRules, host });
    for (let i = 0; i < 40; i++) {
      const at = Math.floor(random() * text.length);
      text = random() < 0.3 ? text.slice(0, at) + text.slice(at + Math.floor(random() * 40)) : text.slice(0, at) + snippets[Math.floor(random() * snippets.length)] + text.slice(at);
      linter.project.setOverlay(file, text);
      const other = new Linter({ root, rules: allRules, host });
      other.project.setOverlay(file, text);
      assert.deepEqual(linter.analyzeText(file, text), other.analyzeText(file, text), `keystroke ${i}`);
    }
  });

  it('analyses a sequence of editor keystrokes as a fresh linter does (bindings change meaning, loops come and go, inside and outside functions)', () => {
    const files = { 'package.json': '{"dependencies":{"@prisma/client":"6.0.0"}}', 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` };
    const host = memoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [path.join(root, p), t])));
    const file = path.join(root, 'src/orders.ts');
    const block = (i: number) =>
      `export async function load${i}(ids: string[]) {\n  const rows = [];\n  for (const id of ids) {\n    rows.push(await prisma.order.findUnique({ where: { id } }));\n  }\n  return rows;\n}\nconst seen${i} = new Map<string, number>();\nexport function remember${i}(key: string) {\n  seen${i}.set(key, ${i});\n  return new RegExp('^a+$').test(key);\n}\n`;
    const start = `import { prisma } from './db';\n${Array.from({ length: 30 }, (_, i) => block(i)).join('')}`;
    const steps: Array<(text: string) => string> = [
      // A local shadows the client inside one function: its loop's query is no longer a database call.
      (t) => t.replace('export async function load3(ids: string[]) {\n', 'export async function load3(ids: string[]) {\n  const prisma = { order: { findUnique: async (_: unknown) => null } };\n'),
      // Typing outside any function, then a module-level binding that every function now sees.
      (t) => t.replace('const seen7 =', 'export const typed = 1;\nconst seen7 ='),
      (t) => t.replace(`import { prisma } from './db';\n`, `import { prisma as client } from './db';\nconst prisma = { order: { findUnique: async (_: unknown) => null } };\n`),
      (t) => t.replace(`import { prisma as client } from './db';\nconst prisma = { order: { findUnique: async (_: unknown) => null } };\n`, `import { prisma } from './db';\n`),
      // The loop around a query goes away, then comes back.
      (t) => t.replace('  for (const id of ids) {\n    rows.push(await prisma.order.findUnique({ where: { id } }));\n  }\n  return rows;\n}\nconst seen12', '  rows.push(await prisma.order.findUnique({ where: { id: ids[0] } }));\n  return rows;\n}\nconst seen12'),
      (t) => t.replace('  rows.push(await prisma.order.findUnique({ where: { id: ids[0] } }));\n  return rows;\n}\nconst seen12', '  for (const id of ids) {\n    rows.push(await prisma.order.findUnique({ where: { id } }));\n  }\n  return rows;\n}\nconst seen12'),
      // A collection gains a removal path in one function and an indexed write in another.
      (t) => t.replace('  seen20.set(key, 20);\n', '  seen20.set(key, 20);\n  if (seen20.size > 10) seen20.clear();\n'),
      (t) => t.replace('  return new RegExp(\'^a+$\').test(key);\n}\nexport async function load25', () => '  const table: Record<string, number> = {};\n  table[key] = 1;\n  return new RegExp(\'^a+$\').test(key);\n}\nexport async function load25'),
      (t) => t.replace('  const prisma = { order: { findUnique: async (_: unknown) => null } };\n', ''),
    ];
    const linter = new Linter({ root, rules: allRules, host });
    const fresh = (text: string) => {
      const other = new Linter({ root, rules: allRules, host });
      other.project.setOverlay(file, text);
      return other.analyzeText(file, text);
    };
    let text = start;
    linter.project.setOverlay(file, text);
    assert.deepEqual(linter.analyzeText(file, text), fresh(text));
    for (const [index, step] of steps.entries()) {
      const next = step(text);
      assert.notEqual(next, text, `step ${index} changes the text`);
      text = next;
      linter.project.setOverlay(file, text);
      assert.deepEqual(linter.analyzeText(file, text), fresh(text), `step ${index}`);
    }
  });

  it('re-parses an edited editor text incrementally, with the findings of a fresh parse (no stale bindings in moved subtrees)', () => {
    const padding = Array.from({ length: 100 }, (_, i) => `export function pad${i}(x: number) {\n  return x + ${i};\n}\n`).join('');
    const client = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
    const notClient = `import { PrismaClient } from '@prisma/client';\nconst prisma = { user: { findUnique: async (_: unknown) => null } };\n`;
    const loop = `export async function load(ids: string[]) {\n  for (const id of ids) {\n    await prisma.user.findUnique({ where: { id } });\n  }\n}\n`;
    const files = { 'package.json': '{"dependencies":{"@prisma/client":"6.0.0"}}' };
    const host = memoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [path.join(root, p), t])));
    const linter = new Linter({ root, rules: allRules, host });
    const file = path.join(root, 'src/load.ts');
    const analyze = (text: string) => {
      linter.project.setOverlay(file, text);
      return linter.analyzeText(file, text);
    };
    const fresh = (text: string) => {
      const other = new Linter({ root, rules: allRules, host });
      other.project.setOverlay(file, text);
      return other.analyzeText(file, text);
    };
    const ruleIds = (text: string) => analyze(text).findings.map((f) => f.ruleId);
    assert.deepEqual(ruleIds(client + padding + loop), ['n-plus-one']);
    const before = linter.project.syntaxTree(file)!;
    const unchanged = before.statements[before.statements.length - 1];
    // The client becomes a plain object: the loop function is moved into the new tree unchanged, but its `prisma` now means something else.
    const edited = analyze(notClient + padding + loop);
    const after = linter.project.syntaxTree(file)!;
    assert.notEqual(after, before);
    assert.equal(after.statements[after.statements.length - 1], unchanged, 'the untouched function is reused, not parsed again');
    const expected: ts.Node[] = [];
    const visit = (node: ts.Node): void => {
      expected.push(node);
      ts.forEachChild(node, (child) => {
        assert.equal(child.parent, node, `parent of ${ts.SyntaxKind[child.kind]} after an incremental parse`);
        visit(child);
      });
    };
    visit(after);
    assert.deepEqual(nodesInOrder(after), expected);
    assert.deepEqual(edited, fresh(notClient + padding + loop));
    assert.deepEqual(edited.findings, []);
    // Typing inside the loop, then undoing the client change.
    const typed = client + padding + loop.replace('  }\n}', '    const typed = 1;\n  }\n}');
    analyze(notClient + padding + loop.replace('  }\n}', '    const typed = 1;\n  }\n}'));
    assert.deepEqual(analyze(typed), fresh(typed));
    assert.deepEqual(analyze(typed).findings.map((f) => f.ruleId), ['n-plus-one']);
  });
});
