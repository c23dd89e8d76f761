// Real-editor tests 1–3: squiggle + Problems row, quick fix from the light bulb, typing.
// Run with `npm run test:e2e` (provisions code-server + Chromium, packages the VSIX).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliJson, copyWorkspace, goToPosition, mkTmp, openFile, REPO, saveArtifact, showProblems, startEditor, waitUntil } from './harness.mjs';

const N_PLUS_ONE_FILE = 'src/orders.ts';

describe('PerfLint in a real VS Code: the editor', { timeout: 300_000 }, () => {
  let editor;
  let page;
  let expected;

  before(async () => {
    const tmp = mkTmp('editor');
    const workspace = copyWorkspace(tmp);
    // What the engine finds in this workspace, to name the rows and fixes the editor must show.
    expected = cliJson(workspace);
    editor = await startEditor({ tmp, workspace });
    page = editor.page;
  });

  after(async () => {
    await editor?.close();
  });

  const squiggles = () => page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info');
  const problemRows = (rows, text) => rows.filter({ hasText: text });

  it('1. opening a file with an N+1 shows a perflint squiggle and a Problems row with the rule id and line', async () => {
    const finding = expected.findings.find((f) => f.file === N_PLUS_ONE_FILE && f.ruleId === 'n-plus-one');
    assert.ok(finding, `the engine reports n-plus-one in ${N_PLUS_ONE_FILE} (CLI findings: ${expected.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).join(', ')})`);
    await openFile(page, N_PLUS_ONE_FILE);
    await squiggles().first().waitFor();
    const rows = await showProblems(page);
    const row = problemRows(rows, 'n-plus-one').first();
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /perflint/);
    assert.match(text, new RegExp(`\\[Ln ${finding.line}, Col ${finding.column}\\]`));
  });

  it('2. the quick fix from the light bulb rewrites the code and the squiggle disappears', async () => {
    // A finding whose fix edits its own file: the per-call regex in the open file (hoisted by the fix).
    const fixable = expected.findings.filter((f) => f.fixes.length > 0 && f.file.endsWith('.ts'));
    const finding = fixable.find((f) => f.file === N_PLUS_ONE_FILE && f.ruleId === 'regex-per-call') ?? fixable.find((f) => f.ruleId !== 'unindexed-query');
    assert.ok(finding, 'the engine offers at least one quick fix in the fixture');
    await openFile(page, finding.file);
    const rows = await showProblems(page);
    const ruleRows = problemRows(rows, finding.ruleId);
    await ruleRows.first().waitFor();
    const rowsBefore = await ruleRows.count();
    const squigglesBefore = await waitUntil(async () => squiggles().count(), { message: 'squiggles' });

    // Cursor onto the finding (Go to Line/Column), then Ctrl+. opens the light-bulb menu.
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await goToPosition(page, finding.line, finding.column + 1);
    const action = page.locator('.action-widget .monaco-list-row', { hasText: finding.fixes[0].title }).first();
    // The light bulb may open before the server's actions for this version are in: reopen until they are.
    await waitUntil(
      async () => {
        await page.keyboard.press('Control+.');
        if (await action.waitFor({ timeout: 5000 }).then(() => true, () => false)) return true;
        await page.keyboard.press('Escape');
        return false;
      },
      { interval: 500, message: `the quick fix "${finding.fixes[0].title}" in the light-bulb menu` },
    );
    await page.screenshot({ path: saveArtifact('quick-fix.png') });
    fs.mkdirSync(path.join(REPO, 'docs/images'), { recursive: true });
    await page.locator('.editor-instance').first().screenshot({ path: path.join(REPO, 'docs/images/quick-fix.png') });
    // Keyboard, as a user would: move the focus to the fix (the preferred fix is focused first), Enter.
    // (A mouse click is swallowed by the context view's pointer block in this build.)
    for (let i = 0; i < 10 && !/\bfocused\b/.test((await action.getAttribute('class')) ?? ''); i++) await page.keyboard.press('ArrowDown');
    assert.match((await action.getAttribute('class')) ?? '', /\bfocused\b/);
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').waitFor({ state: 'hidden' });

    // The rule's row for this position goes away and the editor shows one squiggle fewer.
    await waitUntil(async () => (await ruleRows.count()) < rowsBefore, { message: `${finding.ruleId} row to disappear` });
    await waitUntil(async () => (await squiggles().count()) < squigglesBefore, { message: 'squiggle to disappear' });
    const dirty = page.locator('.tabs-container .tab.active.dirty');
    await dirty.waitFor();
  });

  it('3. editing the file (typing) updates diagnostics', async () => {
    await openFile(page, N_PLUS_ONE_FILE);
    const rows = await showProblems(page);
    const nPlusOne = problemRows(rows, 'n-plus-one');
    await nPlusOne.first().waitFor();
    const before = await nPlusOne.count();

    // Type a second N+1 at the end of the file.
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(
      'export async function totals(ids: number[]) {\n  for (const id of ids) {\n    await prisma.order.findMany({ where: { customerId: id }, take: 10 });\n  }\n}\n',
    );
    await waitUntil(async () => (await nPlusOne.count()) === before + 1, { message: 'a new n-plus-one row after typing' });

    // Select exactly the five typed lines and delete them: the new finding goes away again.
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowUp');
    await page.keyboard.press('Backspace');
    await waitUntil(async () => (await nPlusOne.count()) === before, { message: 'the typed n-plus-one to disappear after deleting it' });
  });
});
