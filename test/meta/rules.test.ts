/**
 * Every rule is a complete unit: module, docs page and tests, with the description identical in
 * both places, and docs examples that behave as labelled (```ts invalid blocks yield at least one
 * finding of the rule, ```ts valid blocks none). Context blocks (```prisma context, or any block
 * tagged `context` whose first line is `// file: <path>`) are added to the workspace of every
 * example of that page.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { allRules } from '../../rules';
import { lintCase } from '../harness/ruleTester';

const repo = path.resolve(__dirname, '../../..');

interface Block {
  lang: string;
  label: string;
  code: string;
  line: number;
}

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const pattern = /^```(\w+)[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)^```/gm;
  for (let match = pattern.exec(markdown); match; match = pattern.exec(markdown)) {
    blocks.push({ lang: match[1], label: match[2], code: match[3], line: markdown.slice(0, match.index).split('\n').length });
  }
  return blocks;
}

describe('every rule is a complete, documented unit', () => {
  it('rule ids are unique', () => {
    assert.equal(new Set(allRules.map((r) => r.id)).size, allRules.length);
  });

  for (const rule of allRules) {
    describe(rule.id, () => {
      const docPath = path.join(repo, 'rules', `${rule.id}.md`);
      it('has its module, docs page and test file', () => {
        assert.ok(fs.existsSync(path.join(repo, 'rules', `${rule.id}.ts`)), 'rules/<id>.ts');
        assert.ok(fs.existsSync(docPath), 'rules/<id>.md');
        assert.ok(fs.existsSync(path.join(repo, 'test/rules', `${rule.id}.test.ts`)), 'test/rules/<id>.test.ts');
        assert.equal(rule.docsUrl, `https://github.com/perflint/perflint/blob/main/rules/${rule.id}.md`);
      });

      it('docs page: title, description, required sections', () => {
        const doc = fs.readFileSync(docPath, 'utf8');
        assert.match(doc, new RegExp(`^# ${rule.id}\\s*$`, 'm'), 'title is the rule id');
        assert.ok(doc.includes(rule.meta.description), 'the description appears verbatim');
        for (const section of ['## Why', '## Examples', '## How to fix', '## When not to use it']) {
          assert.ok(doc.includes(section), `section "${section}"`);
        }
      });

      it('docs examples behave as labelled', () => {
        const doc = fs.readFileSync(docPath, 'utf8');
        const blocks = codeBlocks(doc);
        const examples = blocks.filter((b) => b.label === 'invalid' || b.label === 'valid');
        assert.ok(examples.some((b) => b.label === 'invalid'), 'at least one invalid example');
        assert.ok(examples.some((b) => b.label === 'valid'), 'at least one valid example');
        const context: Record<string, string> = {};
        for (const block of blocks.filter((b) => b.label === 'context')) {
          const declared = /^\/\/ file: (\S+)/.exec(block.code);
          const file = declared ? declared[1] : block.lang === 'prisma' ? 'prisma/schema.prisma' : `src/context-${block.line}.ts`;
          context[file] = block.code;
        }
        for (const block of examples) {
          const filename = block.lang === 'prisma' ? 'prisma/schema.prisma' : block.lang === 'tsx' ? 'src/example.tsx' : block.lang === 'js' ? 'src/example.js' : 'src/example.ts';
          const files = { ...context };
          delete files[filename];
          const { findings } = lintCase(rule, { code: block.code, filename, files });
          if (block.label === 'invalid') assert.ok(findings.length > 0, `invalid example at line ${block.line} produces no finding`);
          else assert.deepEqual(findings.map((f) => `${f.loc.line}: ${f.message}`), [], `valid example at line ${block.line} produces findings`);
        }
      });
    });
  }
});

describe('architecture invariants', () => {
  function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
    });
  }

  it('engine/ and rules/ never import vscode or an LSP package', () => {
    for (const file of [...sources(path.join(repo, 'engine')), ...sources(path.join(repo, 'rules'))]) {
      const text = fs.readFileSync(file, 'utf8');
      const bad = /(?:from\s+|require\(\s*|import\(\s*)['"](vscode(?:-[a-z-]+)?|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*|vscode-jsonrpc[^'"]*)['"]/.exec(text);
      assert.equal(bad, null, `${path.relative(repo, file)} imports ${bad?.[1]}`);
    }
  });

  it('engine/ and rules/ never import from server/, client/ or cli/', () => {
    for (const file of [...sources(path.join(repo, 'engine')), ...sources(path.join(repo, 'rules'))]) {
      const text = fs.readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /from\s+['"](\.\.\/)+(server|client|cli)\//, path.relative(repo, file));
    }
  });

  it('nothing in engine/ or rules/ executes code (eval, Function, vm, child_process)', () => {
    for (const file of [...sources(path.join(repo, 'engine')), ...sources(path.join(repo, 'rules'))]) {
      const text = fs.readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /\beval\(|new Function\(|from ['"]node:(vm|child_process)['"]|require\(['"](node:)?(vm|child_process)['"]\)/, path.relative(repo, file));
    }
  });
});
