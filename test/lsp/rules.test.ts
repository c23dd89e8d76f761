/**
 * Every registered rule through the bundled server, driven by its docs examples: the server
 * publishes the same findings as the engine (code, docs href, related information), and every
 * fix it offers, applied as an editor would (cross-file edits included), removes its diagnostic.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { Linter } from '../../engine';
import { allRules } from '../../rules';
import { LspClient, makeWorkspace, uriOf, writeFile } from '../harness/lspClient';
import { invalidExamples, type DocExample } from './examples';

const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

/** Restores the example's files on disk and its document text; resolves with the fresh diagnostics. */
async function reset(client: LspClient, root: string, example: DocExample, uri: string): Promise<Diagnostic[]> {
  const changed: string[] = [];
  for (const [relative, text] of Object.entries(example.files)) {
    const full = path.join(root, relative);
    if (fs.readFileSync(full, 'utf8') !== text) {
      writeFile(root, relative, text);
      changed.push(uriOf(full));
    }
  }
  if (changed.length > 0) client.notifyServer('workspace/didChangeWatchedFiles', { changes: changed.map((u) => ({ uri: u, type: 2 })) });
  const count = client.publicationCount(uri);
  const version = client.replace(uri, example.code);
  return client.diagnosticsFor(uri, { version, after: count });
}

for (const rule of allRules) {
  const examples = invalidExamples(rule.id);
  describe(`language server: ${rule.id}`, () => {
    it('has docs examples to drive the protocol tests', () => {
      assert.ok(examples.length > 0, `rules/${rule.id}.md has no invalid example`);
    });

    for (const example of examples) {
      it(`docs example at line ${example.line}: same findings as the engine, and every offered fix removes its diagnostic`, async () => {
        const root = makeWorkspace(example.files);
        const filePath = path.join(root, example.filename);
        const expected = new Linter({ root, rules: allRules }).analyzeText(filePath, example.code).findings;
        assert.ok(expected.some((f) => f.ruleId === rule.id), 'the engine finds the example (see the rules meta-test)');
        const client = await LspClient.start({ root });
        try {
          const uri = client.open(filePath, example.code);
          const diagnostics = await client.diagnosticsFor(uri);
          assert.deepEqual(
            diagnostics.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, d.message, d.severity, d.relatedInformation?.length ?? 0]),
            expected.map((f) => [f.ruleId, f.loc.line, f.loc.column, f.message, SEVERITY[f.severity], f.related.length]),
          );
          const own = diagnostics.filter((d) => d.code === rule.id);
          for (const diagnostic of own) {
            assert.equal(diagnostic.source, 'perflint');
            assert.deepEqual(diagnostic.codeDescription, { href: rule.docsUrl });
            for (const related of diagnostic.relatedInformation ?? []) {
              assert.match(related.location.uri, /^file:\/\//);
              assert.ok(related.message.length > 0);
            }
          }

          const first = expected.findIndex((f) => f.ruleId === rule.id && f.fixes.length > 0);
          // This example's findings of the rule offer no fix (no exactly recognised shape): nothing to apply.
          if (first < 0) return;
          const fixCount = expected[first].fixes.length;
          for (let k = 0; k < fixCount; k++) {
            const current = await reset(client, root, example, uri);
            const target = current[first];
            const actions = await client.codeActions(uri, [target]);
            const fixes = actions.filter((a) => a.edit && !a.title.startsWith('Disable '));
            assert.deepEqual(
              fixes.map((a) => [a.title, a.isPreferred]),
              expected[first].fixes.map((fix) => [fix.title, fix.kind === 'safe']),
              'one action per engine fix; safe fixes preferred',
            );
            const ownBefore = current.filter((d) => d.code === rule.id).length;
            const count = client.publicationCount(uri);
            client.applyWorkspaceEdit(fixes[k].edit!);
            const after = await client.waitFor(
              () => {
                const list = client.published.get(uri)?.slice(count) ?? [];
                const last = list[list.length - 1];
                return last && last.diagnostics.filter((d) => d.code === rule.id).length < ownBefore ? last.diagnostics : undefined;
              },
              10_000,
              `fix "${fixes[k].title}" to remove its ${rule.id} diagnostic`,
            );
            assert.ok(after.filter((d) => d.code === rule.id).length < ownBefore);
          }
        } finally {
          await client.stop();
          fs.rmSync(root, { recursive: true, force: true });
        }
      });
    }
  });
}
