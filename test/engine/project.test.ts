import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { defineFact, Linter, memoryFileSystem, Project } from '../../engine';
import { parseStats, nodesInOrder } from '../../engine/parse';
import { importersOf } from '../../engine/ts/modules';
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
    assert.equal(importersOf(p, target, 'registry').uses.length, 1);
    const graph = moduleGraph(p);
    // Typing in a function body: the module graph object (and its resolutions) survive.
    p.setOverlay(path.join(root, 'src/user.ts'), user.replace('registry.set(key, 1);', 'registry.set(key, 2);'));
    assert.equal(moduleGraph(p), graph);
    assert.equal(importersOf(p, target, 'registry').uses.length, 1);
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
});
