/**
 * Protocol tests against the bundled server (dist/server.js over stdio): capabilities,
 * diagnostics, code actions (disable comments, fix-all), hover, settings and .perflintrc.json
 * changes, pull diagnostics, onSave mode. Rule-specific fixes are in rules.test.ts.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, DocumentDiagnosticReport, Hover } from 'vscode-languageserver-protocol';
import { allRules } from '../../rules';
import { editsFor, LspClient, makeWorkspace, PULL_CAPABILITIES, uriOf, writeFile, applyTextEdits } from '../harness/lspClient';
import { invalidExamples } from './examples';

const UNUSED = 'unused-disable-directive';

/** A document whose only finding is an unused directive (engine-generated, no rule needed). */
const UNUSED_DIRECTIVE_CODE = `export function total(values: number[]): number {\n  // perflint-disable-next-line\n  return values.reduce((a, b) => a + b, 0);\n}\n`;

describe('language server: lifecycle and capabilities', () => {
  it('answers initialize with incremental sync, code actions (quickfix + fixAll), hover; push mode without pull support', async () => {
    const client = await LspClient.start({ root: makeWorkspace({}) });
    try {
      const { capabilities, serverInfo } = client.initializeResult;
      assert.equal(serverInfo?.name, 'perflint');
      assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
      assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.perflint'], resolveProvider: false });
      assert.equal(capabilities.hoverProvider, true);
      assert.equal(capabilities.diagnosticProvider, undefined, 'no pull provider for a client without pull support');
      await client.waitFor(() => client.registrations.length > 0, 5000, 'file watcher registration');
      const watchers = (client.registrations[0] as { registerOptions: { watchers: Array<{ globPattern: string }> } }).registerOptions.watchers.map((w) => w.globPattern);
      assert.ok(watchers.includes('**/.perflintrc.json') && watchers.includes('**/*.prisma'), watchers.join(', '));
    } finally {
      await client.stop();
    }
  });

  it('declares a pull diagnostic provider when the client supports it, and answers pulls', async () => {
    const root = makeWorkspace({});
    const client = await LspClient.start({ root, capabilities: PULL_CAPABILITIES });
    try {
      assert.deepEqual(client.initializeResult.capabilities.diagnosticProvider, { identifier: 'perflint', interFileDependencies: true, workspaceDiagnostics: false });
      const uri = client.open(path.join(root, 'src/total.ts'), UNUSED_DIRECTIVE_CODE);
      const first = await client.request<DocumentDiagnosticReport & { items?: Diagnostic[]; resultId?: string }>('textDocument/diagnostic', { textDocument: { uri } });
      assert.equal(first.kind, 'full');
      assert.deepEqual(first.items?.map((d) => d.code), [UNUSED]);
      const second = await client.request<DocumentDiagnosticReport & { resultId?: string }>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
      assert.equal(second.kind, 'unchanged');
      assert.equal(client.published.size, 0, 'never pushes in pull mode');
    } finally {
      await client.stop();
    }
  });
});

describe('language server: start-up warm-up', () => {
  it('analyses a document opened at start-up once the warm-up is over, with requests served meanwhile', async () => {
    const root = makeWorkspace({ 'package.json': '{"name":"fixture"}\n' });
    const client = await LspClient.start({ root, initializationOptions: { warmUp: true } });
    try {
      const uri = client.open(path.join(root, 'src/total.ts'), UNUSED_DIRECTIVE_CODE);
      // A request that needs no analysis is answered in the middle of the warm-up (an export with no audit yet: empty).
      assert.deepEqual(await client.request('perflint/exportReport', { format: 'markdown' }), { content: '' });
      assert.ok(!client.logs.some((l) => l.message.startsWith('Warm-up:')), 'answered before the warm-up ended');
      const diagnostics = await client.diagnosticsFor(uri, { timeoutMs: 20_000 });
      assert.deepEqual(diagnostics.map((d) => d.code), [UNUSED]);
      const warmUpLog = client.logs.findIndex((l) => /^Warm-up: \d+ ms\.$/.test(l.message));
      assert.ok(warmUpLog >= 0, `the warm-up finished: ${client.logs.map((l) => l.message).join(' | ')}`);
    } finally {
      await client.stop();
    }
  });

  it('stops the warm-up when the user types, and analyses the edit', async () => {
    const root = makeWorkspace({ 'package.json': '{"name":"fixture"}\n' });
    const client = await LspClient.start({ root, initializationOptions: { warmUp: true } });
    try {
      const uri = client.open(path.join(root, 'src/total.ts'), 'export const a = 1;\n');
      const version = client.replace(uri, UNUSED_DIRECTIVE_CODE);
      const diagnostics = await client.diagnosticsFor(uri, { version, timeoutMs: 20_000 });
      assert.deepEqual(diagnostics.map((d) => d.code), [UNUSED]);
      await client.waitFor(() => client.logs.some((l) => /^Warm-up: (stopped after \d+ steps \(the user is typing\)|\d+ ms)\.$/.test(l.message)), 5000, 'the warm-up to end');
    } finally {
      await client.stop();
    }
  });
});

describe('language server: keystroke rehearsal', () => {
  it('rehearses a keystroke on a large document after its first analysis; its diagnostics and later edits are those of its own text', async () => {
    const root = makeWorkspace({ 'package.json': '{"name":"fixture"}\n' });
    const client = await LspClient.start({ root });
    try {
      const block = (i: number) => `export function isCode${i}(input: string): boolean {\n  return new RegExp('^C${i}-[0-9]+$').test(input);\n}\n\nexport const value${i} = ${i};\n\n`;
      const text = Array.from({ length: 200 }, (_, i) => block(i)).join('');
      const uri = client.open(path.join(root, 'src/large.ts'), text);
      const diagnostics = await client.diagnosticsFor(uri, { timeoutMs: 20_000 });
      await client.waitFor(() => client.logs.some((l) => /^Keystroke rehearsal on large\.ts: \d+ ms\.$/.test(l.message)), 5000, 'the rehearsal');
      const lines = text.split('\n');
      const flagged = (list: Diagnostic[], of: string[]) => list.map((d) => of[d.range.start.line].slice(d.range.start.character, d.range.end.character));
      assert.equal(diagnostics.length, 200);
      assert.ok(flagged(diagnostics, lines).every((span) => span.startsWith('new RegExp(')), 'positions are those of the document, not of the rehearsed edit');
      // an edit after the rehearsal: analysed from the document's text
      const edited = text.replace('export const value7 = 7;\n', 'export const value7 = 7;\nexport function late(input: string) {\n  return new RegExp("^late-[a-z]+$").test(input);\n}\n');
      const version = client.replace(uri, edited);
      const after = await client.diagnosticsFor(uri, { version });
      assert.equal(after.length, 201);
      assert.ok(flagged(after, edited.split('\n')).every((span) => span.startsWith('new RegExp(')));
      // small documents are not rehearsed
      const small = client.open(path.join(root, 'src/small.ts'), block(0));
      assert.equal((await client.diagnosticsFor(small)).length, 1);
      assert.ok(!client.logs.some((l) => l.message.startsWith('Keystroke rehearsal on small.ts')));
      // nor Prisma schemas, however long
      const models = Array.from({ length: 260 }, (_, i) => `model M${i} {\n  id Int @id\n}\n`).join('\n');
      const schema = client.open(path.join(root, 'prisma/schema.prisma'), `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n\n${models}`);
      await client.diagnosticsFor(schema, { timeoutMs: 20_000 });
      assert.ok(!client.logs.some((l) => l.message.startsWith('Keystroke rehearsal on schema.prisma')));
    } finally {
      await client.stop();
    }
  });
});

describe('language server: diagnostics and code actions (engine findings, any rule set)', () => {
  let client: LspClient;
  let root: string;
  before(async () => {
    root = makeWorkspace({ 'package.json': '{"name":"fixture"}\n' });
    client = await LspClient.start({ root });
  });
  after(() => client.stop());

  it('publishes an unused directive as a perflint diagnostic with the Unnecessary tag and data', async () => {
    const uri = client.open(path.join(root, 'src/a.ts'), UNUSED_DIRECTIVE_CODE);
    const diagnostics = await client.diagnosticsFor(uri);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic.source, 'perflint');
    assert.equal(diagnostic.code, UNUSED);
    assert.equal(diagnostic.severity, 3, 'information');
    assert.deepEqual(diagnostic.tags, [1]);
    assert.deepEqual(diagnostic.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 31 } });
    assert.deepEqual(diagnostic.data, { ruleId: UNUSED, version: 1, index: 0 });
  });

  it('offers its removal as a preferred quick fix, versioned, and the diagnostic goes away once applied', async () => {
    const uri = client.open(path.join(root, 'src/b.ts'), UNUSED_DIRECTIVE_CODE);
    const diagnostics = await client.diagnosticsFor(uri);
    const actions = await client.codeActions(uri, diagnostics);
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, ['Remove unused perflint-disable directive'], 'no disable/docs actions for directive findings');
    const [fix] = actions;
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    const change = fix.edit?.documentChanges?.[0] as { textDocument: { uri: string; version: number } };
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    const count = client.publicationCount(uri);
    client.applyWorkspaceEdit(fix.edit!);
    assert.equal(client.text(uri), 'export function total(values: number[]): number {\n  return values.reduce((a, b) => a + b, 0);\n}\n');
    assert.deepEqual(await client.diagnosticsFor(uri, { after: count }), []);
  });

  it('source.fixAll.perflint applies every safe fix at once and nothing else', async () => {
    const code = `// perflint-disable-next-line\nconst a = 1;\n// perflint-disable-next-line\nconst b = 2;\nexport { a, b };\n`;
    const uri = client.open(path.join(root, 'src/c.ts'), code);
    assert.equal((await client.diagnosticsFor(uri)).length, 2);
    const actions = await client.codeActions(uri, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.perflint');
    assert.equal(actions[0].title, 'Fix all safe PerfLint problems (2)');
    const quickFixesOnly = await client.codeActions(uri, [], ['quickfix']);
    assert.deepEqual(quickFixesOnly, [], 'no fix-all action when only quick fixes are asked for');
    const count = client.publicationCount(uri);
    client.applyWorkspaceEdit(actions[0].edit!);
    assert.equal(client.text(uri), 'const a = 1;\nconst b = 2;\nexport { a, b };\n');
    assert.deepEqual(await client.diagnosticsFor(uri, { after: count }), []);
  });

  it('refuses nothing on a stale version: actions carry the version they were computed for', async () => {
    const uri = client.open(path.join(root, 'src/d.ts'), UNUSED_DIRECTIVE_CODE);
    const diagnostics = await client.diagnosticsFor(uri);
    client.replace(uri, `\n${UNUSED_DIRECTIVE_CODE}`);
    const moved = await client.diagnosticsFor(uri, { version: 2 });
    assert.equal(moved[0].range.start.line, 2);
    const actions = await client.codeActions(uri, moved);
    const change = actions[0].edit?.documentChanges?.[0] as { textDocument: { version: number } };
    assert.equal(change.textDocument.version, 2);
    // The old diagnostic (line 1) no longer matches a finding at version 2: no action for it.
    assert.deepEqual(await client.codeActions(uri, diagnostics), []);
  });

  it('never publishes for excluded folders (node_modules, build output) or non-source files', async () => {
    const uri = client.open(path.join(root, 'node_modules/pkg/index.ts'), UNUSED_DIRECTIVE_CODE);
    const declarations = client.open(path.join(root, 'src/types.d.ts'), UNUSED_DIRECTIVE_CODE);
    assert.deepEqual(await client.diagnosticsFor(uri), []);
    assert.deepEqual(await client.diagnosticsFor(declarations), []);
  });
});

describe('language server: settings and configuration files', () => {
  it('perflint.enable=false clears diagnostics after didChangeConfiguration; true brings them back', async () => {
    const root = makeWorkspace({});
    let settings: Record<string, unknown> = {};
    const client = await LspClient.start({ root, settings: () => settings });
    try {
      const uri = client.open(path.join(root, 'src/a.ts'), UNUSED_DIRECTIVE_CODE);
      assert.equal((await client.diagnosticsFor(uri)).length, 1);
      settings = { enable: false };
      let count = client.publicationCount(uri);
      client.notifyServer('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(await client.diagnosticsFor(uri, { after: count }), []);
      settings = { enable: 'yes please' }; // Invalid values fall back to the default (enabled).
      count = client.publicationCount(uri);
      client.notifyServer('workspace/didChangeConfiguration', { settings: null });
      assert.equal((await client.diagnosticsFor(uri, { after: count })).length, 1);
    } finally {
      await client.stop();
    }
  });

  it('perflint.exclude hides matching files', async () => {
    const root = makeWorkspace({});
    const client = await LspClient.start({ root, settings: { exclude: ['legacy/**'] } });
    try {
      const excluded = client.open(path.join(root, 'legacy/old.ts'), UNUSED_DIRECTIVE_CODE);
      const included = client.open(path.join(root, 'src/new.ts'), UNUSED_DIRECTIVE_CODE);
      assert.deepEqual(await client.diagnosticsFor(excluded), []);
      assert.equal((await client.diagnosticsFor(included)).length, 1);
    } finally {
      await client.stop();
    }
  });

  it('.perflintrc.json changes apply without a restart; an invalid file is reported and the last good config kept', async () => {
    const root = makeWorkspace({});
    const client = await LspClient.start({ root });
    try {
      const uri = client.open(path.join(root, 'src/a.ts'), UNUSED_DIRECTIVE_CODE);
      assert.equal((await client.diagnosticsFor(uri)).length, 1);
      const config = writeFile(root, '.perflintrc.json', JSON.stringify({ reportUnusedDisableDirectives: 'off' }));
      let count = client.publicationCount(uri);
      client.notifyServer('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 1 }] });
      assert.deepEqual(await client.diagnosticsFor(uri, { after: count }), []);

      writeFile(root, '.perflintrc.json', '{ "reportUnusedDisableDirectives": "loud", }');
      client.notifyServer('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 2 }] });
      const logged = await client.waitFor(() => client.logs.find((l) => l.message.includes('Invalid configuration')), 5000, 'config error log');
      assert.equal(logged.type, 1, 'logged as an error in the output channel');
      assert.match(logged.message, /\.perflintrc\.json/);
      // Still the last good configuration (directives not reported); a real edit proves the server analyses with it.
      count = client.publicationCount(uri);
      client.replace(uri, `${UNUSED_DIRECTIVE_CODE}\n`);
      assert.deepEqual(await client.diagnosticsFor(uri, { after: count, version: 2 }), []);

      writeFile(root, '.perflintrc.json', JSON.stringify({ reportUnusedDisableDirectives: 'error' }));
      count = client.publicationCount(uri);
      client.notifyServer('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 2 }] });
      const diagnostics = await client.diagnosticsFor(uri, { after: count });
      assert.equal(diagnostics[0]?.severity, 1, 'error severity from the new file');
    } finally {
      await client.stop();
    }
  });

  it('perflint.run=onSave analyses on save, not on every change', async () => {
    const root = makeWorkspace({});
    const client = await LspClient.start({ root, settings: { run: 'onSave' } });
    try {
      const uri = client.open(path.join(root, 'src/a.ts'), 'export const a = 1;\n');
      assert.deepEqual(await client.diagnosticsFor(uri), []);
      client.replace(uri, UNUSED_DIRECTIVE_CODE);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(client.publicationCount(uri), 1, 'no publication for an unsaved change');
      client.save(uri);
      assert.equal((await client.diagnosticsFor(uri, { after: 1 })).length, 1);
    } finally {
      await client.stop();
    }
  });
});

describe('language server: disable comments and hover for rule findings', () => {
  it('inserts a next-line directive with the indentation and a reason placeholder, and a file directive after a shebang', async (t) => {
    const example = allRules.flatMap((rule) => invalidExamples(rule.id)).find((e) => e.filename.endsWith('.ts'));
    if (!example) return t.skip('no TypeScript rule with docs examples is registered yet');
    const root = makeWorkspace(example.files);
    const client = await LspClient.start({ root });
    try {
      const code = `#!/usr/bin/env node\n${example.code}`;
      const uri = client.open(path.join(root, example.filename), code);
      const diagnostics = (await client.diagnosticsFor(uri)).filter((d) => d.code === example.ruleId);
      assert.ok(diagnostics.length > 0, `${example.ruleId} docs example (line ${example.line}) produces a diagnostic`);
      const target = diagnostics[0];
      const actions = await client.codeActions(uri, [target]);
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes(`Disable ${example.ruleId} for this line`), titles.join(' | '));
      assert.ok(titles.includes(`Disable ${example.ruleId} for this file`), titles.join(' | '));
      const docs = actions.find((a) => a.title === `Show documentation for ${example.ruleId}`);
      assert.deepEqual(docs?.command, { title: `Show documentation for ${example.ruleId}`, command: 'perflint.openRuleDoc', arguments: [example.ruleId] });
      const fixes = actions.filter((a) => a.edit && !a.title.startsWith('Disable'));
      for (const fix of fixes) assert.equal(fix.kind, 'quickfix');

      const lineAction = actions.find((a) => a.title === `Disable ${example.ruleId} for this line`)!;
      const [lineEdit] = editsFor(lineAction, uri);
      const lineText = code.split('\n')[target.range.start.line];
      const indentation = /^\s*/.exec(lineText)![0];
      assert.equal(lineEdit.newText, `${indentation}// perflint-disable-next-line ${example.ruleId} -- reason\n`);
      assert.deepEqual(lineEdit.range.start, { line: target.range.start.line, character: 0 });
      const count = client.publicationCount(uri);
      client.applyWorkspaceEdit(lineAction.edit!);
      const afterLine = await client.diagnosticsFor(uri, { after: count });
      assert.ok(!afterLine.some((d) => d.range.start.line === target.range.start.line + 1 && d.code === example.ruleId && d.message === target.message), 'the finding is suppressed');
      assert.ok(!afterLine.some((d) => d.code === UNUSED), 'and the directive counts as used');

      client.replace(uri, code);
      const again = (await client.diagnosticsFor(uri, { version: client.version(uri) })).filter((d) => d.code === example.ruleId);
      const fileAction = (await client.codeActions(uri, [again[0]])).find((a) => a.title === `Disable ${example.ruleId} for this file`)!;
      const [fileEdit] = editsFor(fileAction, uri);
      assert.deepEqual(fileEdit.range.start, { line: 1, character: 0 }, 'after the shebang');
      assert.equal(fileEdit.newText, `/* perflint-disable ${example.ruleId} -- reason */\n`);
      const before = client.publicationCount(uri);
      client.applyWorkspaceEdit(fileAction.edit!);
      const afterFile = await client.diagnosticsFor(uri, { after: before });
      assert.deepEqual(afterFile.filter((d) => d.code === example.ruleId || d.code === UNUSED), []);
      assert.ok(client.text(uri).startsWith('#!/usr/bin/env node\n/* perflint-disable'));

      // Hover on the finding: cost (the message), why, docs link.
      client.replace(uri, code);
      const fresh = (await client.diagnosticsFor(uri, { version: client.version(uri) })).filter((d) => d.code === example.ruleId);
      const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: fresh[0].range.start });
      const contents = hover?.contents as { kind: string; value: string };
      const value = contents.value;
      assert.equal(contents.kind, 'markdown');
      assert.ok(value.includes(String(fresh[0].message)), value);
      assert.match(value, /\*\*Why:\*\* \S/);
      assert.ok(value.includes(`(https://github.com/perflint/perflint/blob/main/rules/${example.ruleId}.md)`), value);
      const nowhere = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
      assert.equal(nowhere, null);
    } finally {
      await client.stop();
    }
  });

  it('Prisma files get `//` directives, never `///`', async (t) => {
    const example = allRules.flatMap((rule) => invalidExamples(rule.id)).find((e) => e.filename.endsWith('.prisma'));
    if (!example) return t.skip('no Prisma rule with docs examples is registered yet');
    const root = makeWorkspace(example.files);
    const client = await LspClient.start({ root });
    try {
      const uri = client.open(path.join(root, example.filename), example.code);
      const target = (await client.diagnosticsFor(uri)).find((d) => d.code === example.ruleId);
      assert.ok(target, `${example.ruleId} docs example (line ${example.line}) produces a diagnostic`);
      const actions = await client.codeActions(uri, [target]);
      const line = editsFor(actions.find((a) => a.title === `Disable ${example.ruleId} for this line`)!, uri)[0];
      const file = editsFor(actions.find((a) => a.title === `Disable ${example.ruleId} for this file`)!, uri)[0];
      assert.match(line.newText, new RegExp(`^\\s*// perflint-disable-next-line ${example.ruleId} -- reason\\n$`));
      assert.equal(file.newText, `// perflint-disable ${example.ruleId} -- reason\n`);
      const suppressed = applyTextEdits(example.code, [line]);
      assert.ok(!suppressed.includes('///'));
      const count = client.publicationCount(uri);
      client.applyEdits(uri, [line]);
      const after = await client.diagnosticsFor(uri, { after: count });
      assert.ok(!after.some((d) => d.code === example.ruleId && d.message === target.message), 'suppressed');
    } finally {
      await client.stop();
    }
  });
});

