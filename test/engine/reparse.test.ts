/**
 * Keystroke re-parses (`reparseTypeScript`) against fresh parses: random edits, with a fixed seed,
 * of real TypeScript (the example back end, the engine's own sources, the parser warm-up module),
 * each re-parsed tree compared node by node with a fresh parse of the same text: kinds, positions,
 * flags, parents, node lists (arguments, members, ...) and the file-level properties the engine or
 * TypeScript reads. Most edits type inside a function or class, which takes the one-statement path
 * (`parseStats.oneStatement`); the others (across statements, syntax errors, top-level `await`,
 * module indicators) go through TypeScript's incremental parser.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { expectEdits, nodesInOrder, parseStats, parseTypeScript, PARSER_WARM_UP, reparseTypeScript } from '../../engine/parse';
import { referencesOf, resolveIdentifier } from '../../engine/ts/scope';
import { random } from '../harness/random';

const repo = [path.resolve(__dirname, '../../..'), process.cwd()].find((dir) => fs.existsSync(path.join(dir, 'rules/index.ts'))) ?? process.cwd();
const SEED = 0x7e9a2026;

interface Internals {
  parseDiagnostics: readonly ts.Diagnostic[];
  externalModuleIndicator?: ts.Node | true;
  flags: number;
}

/**
 * `NodeFlags.ThisNodeOrAnySubNodesHasError | HasAggregatedChildData` (internal): a cache TypeScript
 * fills in on demand (its incremental parser asks it of the nodes it considers reusing).
 */
const AGGREGATED_FLAGS = (1 << 19) | (1 << 21);
/**
 * `NodeFlags.PermanentlySetIncrementalFlags` (internal), "possibly contains import() / import.meta"
 * on a file: TypeScript's incremental parser keeps them once set, so a re-parse may have more.
 */
const PERMANENT_FILE_FLAGS = (1 << 22) | (1 << 23);

/** Everything a fresh parse and a re-parse must agree on, one line per node and node list. */
function signature(tree: ts.SourceFile): string[] {
  const lines: string[] = [];
  const internals = tree as unknown as Internals;
  const indicator = internals.externalModuleIndicator;
  lines.push(
    `file end=${tree.end} text=${tree.text.length} errors=${internals.parseDiagnostics.length} module=${indicator === undefined ? '-' : indicator === true ? 'true' : `${ts.SyntaxKind[indicator.kind]}@${indicator.pos}`}`,
  );
  const visit = (node: ts.Node, parent: ts.Node | undefined): void => {
    const flags = node.flags & ~AGGREGATED_FLAGS & ~(node === tree ? PERMANENT_FILE_FLAGS : 0);
    lines.push(`${ts.SyntaxKind[node.kind]} ${node.pos}-${node.end} flags=${flags} parent=${node.parent === parent ? 'ok' : 'WRONG'}`);
    ts.forEachChild(
      node,
      (child) => visit(child, node),
      (list) => {
        lines.push(`[${list.pos}-${list.end}${list.hasTrailingComma ? ' trailing comma' : ''} ${list.length}]`);
        for (const child of list) visit(child, node);
      },
    );
  };
  visit(tree, undefined);
  return lines;
}

/** What every identifier resolves to (the declaring identifier's position), as rules see it. */
function resolutions(tree: ts.SourceFile): string[] {
  const lines: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const binding = resolveIdentifier(node);
      lines.push(`${node.text}@${node.pos} -> ${binding ? `${binding.kind} ${binding.identifier.pos}` : '-'}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return lines;
}

/** Every binding's references (positions, in the order rules get them): the file's statement index, carried across keystrokes, included. */
function references(tree: ts.SourceFile): string[] {
  const lines: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const binding = resolveIdentifier(node);
      if (binding?.identifier === node) lines.push(`${node.text}@${node.pos}: ${referencesOf(binding).map((id) => id.pos).join(' ')}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return lines;
}

/** Pre-order by recursion, to check the kept node list. */
function walk(root: ts.Node): ts.Node[] {
  const nodes: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    nodes.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return nodes;
}

function sources(): Array<{ file: string; text: string }> {
  const list = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? list(path.join(dir, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.join(dir, entry.name)] : []))
      : [];
  const files = [...list(path.join(repo, 'examples/shop-api')), path.join(repo, 'engine/parse.ts'), path.join(repo, 'engine/textscan.ts'), path.join(repo, 'rules/unbounded-collection.ts')];
  return [...files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') })), { file: '/virtual/warm-up.ts', text: PARSER_WARM_UP }, { file: '/virtual/script.ts', text: SCRIPT }];
}

/** What a user types: statements, half-typed tokens, brackets, comments, quotes, keywords that change a file's shape. */
const SNIPPETS = [
  '  const typed = 1;\n',
  'x',
  'a.b(c)',
  ';',
  '}',
  '{',
  '(',
  ')',
  '/*',
  '*/',
  '`',
  "'",
  '"',
  '// note\n',
  'await f();',
  'await (g);',
  'export ',
  'if (a) b;',
  ' else ',
  '\n',
  ' ',
  'function g() {}',
  '@dec ',
  'import.meta.url',
  "import('x')",
  '<T>',
  ' => ',
  '// @ts-ignore\n',
  'return;',
  'new RegExp("a+")',
  '\r\n',
  '\u00e9',
];

/** Whole lines typed inside a function or class body. */
const LINES = ['  const Map = 1;\n', '  let RegExp;\n', '  const typed = 1;\n', '  await save(typed);\n', '  items.push({ id, at: Date.now() });\n', '  // a comment\n', '  if (ready) start();\n', '  count++;\n', '\n', '  x = `t${y}`;\n', '  private cache = new Map<string, number>();\n', '  ;\n'];

/** Whole statements typed at top level (some make a script a module, or hold an `await`). */
const TOP_LEVEL_LINES = ['const Map = new WeakMap();\n', 'const typedTop = 2;\n', 'export const flag = true;\n', "import { x } from './x';\n", 'function helper() {}\n', 'await ready;\n', 'await (ready);\n', 'type T = number;\n', 'start()\n', 'let open = {\n'];

/** A script (no import or export): statements typed into it may make it a module. */
const SCRIPT = `if (typeof process !== 'undefined') {\n  var hoisted = 1;\n}\n${Array.from({ length: 12 }, (_, i) => `function step${i}(n) {\n  return n + hoisted + ${i};\n}\nconst value${i} = step${i}(${i});\n`).join('')}`;

describe('keystroke re-parse', () => {
  it('gives the tree of a fresh parse after random edits, mostly through the one-statement path', () => {
    const next = random(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const files = sources();
    const oneStatementBefore = parseStats.oneStatement;
    let edits = 0;
    let insideFunctions = 0;
    for (let round = 0; round < 90; round++) {
      const { file, text: base } = pick(files);
      const fileName = file.replace(/\.ts$/, round % 7 === 0 ? '.tsx' : '.ts');
      let text = base;
      let tree = parseTypeScript(fileName, text);
      expectEdits(tree);
      const steps = 1 + Math.floor(next() * 8);
      for (let step = 0; step < steps; step++) {
        // Half of the edits land inside a function body (where typing happens), the others anywhere.
        let at = Math.floor(next() * (text.length + 1));
        let line = false;
        let topLevel = false;
        const where = next();
        if (where < 0.15 && tree.statements.length > 1) {
          // A new statement typed at top level, before an existing one.
          at = tree.statements[1 + Math.floor(next() * (tree.statements.length - 1))].getStart(tree);
          topLevel = true;
        } else if (where < 0.6) {
          const bodies = tree.statements.filter((statement) => ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement));
          if (bodies.length > 0) {
            const body = pick(bodies);
            const open = text.indexOf('{', body.pos);
            if (open !== -1 && open < body.end - 1) {
              at = open + 1 + Math.floor(next() * (body.end - 1 - open - 1));
              insideFunctions++;
              // Most of those type a whole line at a line start, as a user finishes one.
              const lineStart = text.lastIndexOf('\n', at - 1) + 1;
              if (next() < 0.6 && lineStart > open) {
                at = lineStart;
                line = true;
              }
            }
          }
        }
        const operation = next();
        const removed = line || topLevel || operation < 0.6 ? 0 : Math.min(text.length - at, 1 + Math.floor(next() * 24));
        const inserted = topLevel ? pick(TOP_LEVEL_LINES) : line ? pick(LINES) : operation < 0.85 ? pick(SNIPPETS) : '';
        text = text.slice(0, at) + inserted + text.slice(at + removed);
        tree = reparseTypeScript(tree, text);
        edits++;
        const fresh = parseTypeScript(fileName, text);
        assert.equal(tree.text, text);
        assert.equal(fresh.flags & PERMANENT_FILE_FLAGS & ~tree.flags, 0, 'a flag of the fresh parse is missing');
        assert.deepEqual(signature(tree), signature(fresh), `${path.basename(fileName)}, round ${round}, edit ${step}: ${JSON.stringify(inserted)} at ${at}, ${removed} removed`);
        assert.deepEqual(nodesInOrder(tree), walk(tree), `node list, round ${round}, edit ${step}`);
        // Resolutions kept across keystrokes for unchanged statements (ts/scope.ts) match a fresh tree's.
        assert.deepEqual(resolutions(tree), resolutions(fresh), `resolutions, round ${round}, edit ${step}`);
        // Every other keystroke, so that the carried index also catches up over two edits.
        if ((round + step) % 2 === 0) assert.deepEqual(references(tree), references(fresh), `references, round ${round}, edit ${step}`);
        assert.equal(tree.getLineAndCharacterOfPosition(text.length).line, fresh.getLineAndCharacterOfPosition(text.length).line);
      }
    }
    const oneStatement = parseStats.oneStatement - oneStatementBefore;
    assert.ok(edits > 300, `${edits} edits`);
    // Not every edit inside a function may take it (a syntax error, a statement that would change its end).
    assert.ok(oneStatement > insideFunctions / 5, `${oneStatement} one-statement re-parses of ${edits} edits (${insideFunctions} inside functions)`);
    assert.ok(oneStatement < edits, 'the other edits went through the incremental parser');
  });

  it('types a statement character by character inside a function, each keystroke on the one-statement path once the line parses', () => {
    const body = Array.from({ length: 40 }, (_, i) => `export async function load${i}(ids: string[]) {\n  const rows = await db.find({ ids, take: ${i} });\n  return rows.map((row) => row.id);\n}\n`).join('\n');
    let text = `import { db } from './db';\n\n${body}`;
    let tree = parseTypeScript('/virtual/typing.ts', text);
    expectEdits(tree);
    const line = '  const typed = await db.count({ where: { id: ids[0] } });';
    // Enter first, then the statement on the new line.
    const at = text.indexOf('  return rows', text.indexOf('load20'));
    text = `${text.slice(0, at)}\n${text.slice(at)}`;
    tree = reparseTypeScript(tree, text);
    const before = parseStats.oneStatement;
    for (let typed = 1; typed <= line.length; typed++) {
      text = text.slice(0, at) + line.slice(0, typed) + text.slice(at + typed - 1);
      const previousStatements = new Set(tree.statements);
      const oneStatement = parseStats.oneStatement;
      tree = reparseTypeScript(tree, text);
      assert.deepEqual(signature(tree), signature(parseTypeScript('/virtual/typing.ts', text)), `after ${JSON.stringify(line.slice(0, typed))}`);
      assert.deepEqual(nodesInOrder(tree), walk(tree));
      // On the one-statement path every other top-level statement is the previous tree's node.
      if (parseStats.oneStatement > oneStatement) assert.equal(tree.statements.filter((statement) => previousStatements.has(statement)).length, tree.statements.length - 1);
    }
    assert.ok(parseStats.oneStatement - before > line.length / 3, `${parseStats.oneStatement - before} of ${line.length} keystrokes`);
  });

  it('re-parses a statement typed at top level with the statement after it (even one that makes the file a module), and falls back on a top-level `await` name or an unclosed brace', () => {
    for (const [source, inserted, expectOneStatement] of [
      [SCRIPT, 'const typedTop = 2;\n', true],
      [SCRIPT, 'export const flag = true;\n', true],
      // `await` read as a name: a module would re-parse it as an await expression.
      [SCRIPT, 'await (ready);\n', false],
      [SCRIPT, 'let open = {\n', false],
    ] as const) {
      const tree = parseTypeScript('/virtual/top.ts', source);
      expectEdits(tree);
      const at = tree.statements[5].getStart(tree);
      const text = source.slice(0, at) + inserted + source.slice(at);
      const before = parseStats.oneStatement;
      const reparsed = reparseTypeScript(tree, text);
      assert.deepEqual(signature(reparsed), signature(parseTypeScript('/virtual/top.ts', text)), inserted);
      assert.deepEqual(nodesInOrder(reparsed), walk(reparsed));
      assert.equal(parseStats.oneStatement - before, expectOneStatement ? 1 : 0, inserted);
    }
  });
});
