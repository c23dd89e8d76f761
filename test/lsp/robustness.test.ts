/**
 * Bad input never takes the server down: half-typed code, pathological nesting and length,
 * binary garbage. After each, the server still answers requests and diagnoses a normal file.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient, makeWorkspace, writeFile } from '../harness/lspClient';

const PROBE = `export function f(xs: number[]) {\n  // perflint-disable-next-line\n  return xs.length;\n}\n`;

describe('language server: bad input', () => {
  let client: LspClient;
  let root: string;
  let probes = 0;
  before(async () => {
    root = makeWorkspace({});
    client = await LspClient.start({ root });
  });
  after(() => client.stop());

  /** The server still answers: a fresh document gets its (engine-generated) diagnostic. */
  async function stillAnswers(): Promise<void> {
    const uri = client.open(path.join(root, `src/probe-${probes++}.ts`), PROBE);
    const diagnostics = await client.diagnosticsFor(uri, { timeoutMs: 30_000 });
    assert.deepEqual(diagnostics.map((d) => d.code), ['unused-disable-directive']);
    assert.equal(client.process.exitCode, null, 'server process alive');
  }

  it('half-typed code while typing', async () => {
    const text = `import { prisma } from './db';\nexport async function list(ids: string[]) {\n  for (const id of ids) {\n    await prisma.user.findMany({ where: { id`;
    const uri = client.open(path.join(root, 'src/half.ts'), text);
    await client.diagnosticsFor(uri);
    let current = text;
    for (const piece of [' }', ' })', ';\n  }', '\n}', '\n']) {
      current += piece;
      client.replace(uri, current);
    }
    await client.diagnosticsFor(uri, { version: client.version(uri) });
    await stillAnswers();
  });

  it('20,000-deep parentheses', async () => {
    const uri = client.open(path.join(root, 'src/deep.ts'), `export const x = ${'('.repeat(20_000)}1${')'.repeat(20_000)};\n`);
    await client.diagnosticsFor(uri, { timeoutMs: 30_000 });
    await stillAnswers();
  });

  it('a 300,000-term expression', async () => {
    // One term per line keeps it under the 1 MB cap and away from the minified-file heuristic, so it is really analysed.
    const text = `const a = 1;\nexport const x =\n${'a+\n'.repeat(299_999)}a;\n`;
    assert.ok(text.length < 1024 * 1024);
    const uri = client.open(path.join(root, 'src/long.ts'), text);
    await client.diagnosticsFor(uri, { timeoutMs: 60_000 });
    await stillAnswers();
  });

  it('binary garbage in a .ts file (open and on disk)', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const file = writeFile(root, 'src/garbage.ts', bytes);
    const uri = client.open(file, bytes.toString('latin1'));
    assert.deepEqual(await client.diagnosticsFor(uri), []);
    client.notifyServer('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    await stillAnswers();
  });

  it('malformed requests and notifications', async () => {
    client.notifyServer('textDocument/didChange', { textDocument: { uri: 'file:///nowhere.ts', version: 3 }, contentChanges: [{ text: 'x' }] });
    client.notifyServer('workspace/didChangeWatchedFiles', { changes: [{ uri: 'not a uri', type: 2 }] });
    client.notifyServer('workspace/didChangeConfiguration', { settings: { perflint: { rules: 42, exclude: 'nope', fix: { defaultPageSize: -1 } } } });
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri: 'file:///nowhere.ts' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
    assert.deepEqual(actions, []);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere.ts' }, position: { line: 0, character: 0 } }), null);
    await stillAnswers();
  });
});
