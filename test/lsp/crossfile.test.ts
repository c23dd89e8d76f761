/**
 * Cross-file facts in the server: a document's findings depend on other files (the module that
 * exports the database client, the Prisma schema). Editing those, open or on disk, re-diagnoses
 * the dependent open document. Also rule-level settings (severity overrides, page size).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { allRules } from '../../rules';
import { LspClient, makeWorkspace, PULL_CAPABILITIES, uriOf, writeFile } from '../harness/lspClient';

const RULE = 'unbounded-query';
const registered = allRules.some((rule) => rule.id === RULE);

const NOT_A_CLIENT = `export const prisma = { user: { findMany: async () => [] as string[] } };\n`;
const A_CLIENT = `import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n`;
const USERS = `import { prisma } from './db';\n\nexport async function listUsers() {\n  return prisma.user.findMany({ where: { active: true } });\n}\n`;
const PACKAGE = '{"name":"shop","dependencies":{"@prisma/client":"6.0.0"}}\n';

const own = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === RULE);

describe('language server: cross-file facts', { skip: registered ? false : `${RULE} is not registered yet` }, () => {
  it('editing the (open, unsaved) client module re-diagnoses the dependent open document', async () => {
    const root = makeWorkspace({ 'package.json': PACKAGE, 'src/db.ts': NOT_A_CLIENT, 'src/users.ts': USERS });
    const client = await LspClient.start({ root });
    try {
      const users = client.open(path.join(root, 'src/users.ts'), USERS);
      const db = client.open(path.join(root, 'src/db.ts'), NOT_A_CLIENT);
      assert.deepEqual(own(await client.diagnosticsFor(users)), [], 'not a database client: no finding');
      await client.diagnosticsFor(db);

      let count = client.publicationCount(users);
      client.replace(db, A_CLIENT);
      const flagged = own(await client.diagnosticsFor(users, { after: count }));
      assert.equal(flagged.length, 1, 'the dependent document is re-diagnosed after the client module changed');
      assert.equal(flagged[0].range.start.line, 3);

      count = client.publicationCount(users);
      client.replace(db, NOT_A_CLIENT);
      assert.deepEqual(own(await client.diagnosticsFor(users, { after: count })), [], 'and again when it changes back');

      // Closing the unsaved module falls back to the file on disk (still not a client).
      client.replace(db, A_CLIENT);
      await client.waitFor(() => own(client.published.get(users)!.at(-1)!.diagnostics).length === 1, 10_000, 'finding back');
      count = client.publicationCount(users);
      client.close(db);
      assert.deepEqual(own(await client.diagnosticsFor(users, { after: count })), []);
    } finally {
      await client.stop();
    }
  });

  it('a change on disk (didChangeWatchedFiles) refreshes dependents; pull clients get workspace/diagnostic/refresh', async () => {
    const root = makeWorkspace({ 'package.json': PACKAGE, 'src/db.ts': NOT_A_CLIENT, 'src/users.ts': USERS });
    const client = await LspClient.start({ root, capabilities: PULL_CAPABILITIES });
    try {
      const users = client.open(path.join(root, 'src/users.ts'), USERS);
      const pull = () => client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: users } });
      assert.deepEqual(own((await pull()).items), []);
      const file = writeFile(root, 'src/db.ts', A_CLIENT);
      client.notifyServer('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type: 2 }] });
      await client.waitFor(() => client.refreshRequests > 0, 10_000, 'a diagnostic refresh request');
      assert.equal(own((await pull()).items).length, 1);
    } finally {
      await client.stop();
    }
  });

  it('perflint.rules overrides severity and perflint.fix.defaultPageSize shapes the fix', async () => {
    const root = makeWorkspace({ 'package.json': PACKAGE, 'src/db.ts': A_CLIENT, 'src/users.ts': USERS });
    let settings: Record<string, unknown> = { rules: { [RULE]: 'error' }, fix: { defaultPageSize: 25 } };
    const client = await LspClient.start({ root, settings: () => settings });
    try {
      const users = client.open(path.join(root, 'src/users.ts'), USERS);
      const [finding] = own(await client.diagnosticsFor(users));
      assert.equal(finding.severity, 1, 'error, from perflint.rules');
      const actions: CodeAction[] = await client.codeActions(users, [finding]);
      const fix = actions.find((a) => a.edit && !a.title.startsWith('Disable'));
      assert.ok(fix?.title.includes('25'), `fix uses the page size setting: ${fix?.title}`);

      settings = { rules: { [RULE]: 'off' } };
      const count = client.publicationCount(users);
      client.notifyServer('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(own(await client.diagnosticsFor(users, { after: count })), []);
    } finally {
      await client.stop();
    }
  });
});
