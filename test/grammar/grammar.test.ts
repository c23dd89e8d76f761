/**
 * The TextMate grammar for `.prisma` files (syntaxes/prisma.tmLanguage.json), checked with
 * vscode-tmgrammar-test against the scope assertions in test/grammar/*.test.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const repo = path.resolve(__dirname, '../../..');
const tool = path.join(repo, 'node_modules/vscode-tmgrammar-test/dist/unit.js');
const config = path.join(repo, 'test/grammar/grammars.json');

function runGrammarTests(pattern: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [tool, '--config', config, '--compact', pattern], { cwd: repo, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('prisma TextMate grammar', () => {
  it('is valid JSON with the scope the extension contributes', () => {
    const grammar = JSON.parse(fs.readFileSync(path.join(repo, 'syntaxes/prisma.tmLanguage.json'), 'utf8')) as { scopeName: string; fileTypes: string[] };
    assert.equal(grammar.scopeName, 'source.prisma');
    assert.deepEqual(grammar.fileTypes, ['prisma']);
  });

  it('the extension manifest contributes it for the `prisma` language (`.prisma` files)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
      contributes?: { languages?: Array<{ id: string; extensions?: string[] }>; grammars?: Array<{ language?: string; scopeName: string; path: string }> };
    };
    const language = manifest.contributes?.languages?.find((l) => l.id === 'prisma');
    assert.ok(language?.extensions?.includes('.prisma'), 'language prisma with extension .prisma');
    const grammar = manifest.contributes?.grammars?.find((g) => g.language === 'prisma');
    assert.equal(grammar?.scopeName, 'source.prisma');
    assert.ok(fs.existsSync(path.join(repo, grammar!.path)), grammar!.path);
  });

  for (const file of fs.readdirSync(path.join(repo, 'test/grammar')).filter((f) => f.endsWith('.test'))) {
    it(`scope assertions hold: ${file}`, () => {
      const { status, output } = runGrammarTests(path.join('test/grammar', file));
      assert.equal(status, 0, output);
      assert.match(output, /run successfuly|run successfully/);
    });
  }

  it('a wrong scope assertion fails (the check can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-grammar-'));
    const file = path.join(dir, 'wrong.prisma.test');
    fs.writeFileSync(file, '// SYNTAX TEST "source.prisma"\nmodel User {\n// <----- entity.name.type.model.prisma\n}\n');
    try {
      const { status, output } = runGrammarTests(file);
      assert.notEqual(status, 0, output);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
