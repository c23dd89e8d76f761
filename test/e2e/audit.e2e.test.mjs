// Real-editor tests 4–6 (+ reload): workspace audit with progress, Problems filled from files
// never opened, the score panel matching the CLI, click-through, screenshot, no console errors.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliJson, copyWorkspace, EXTENSION_ID, mkTmp, panelFrame, REPO, runCommand, saveArtifact, showProblems, startEditor, waitUntil, webviewErrors } from './harness.mjs';

/** A file whose name is markup: the panel must show it as text. */
const HOSTILE_NAME = '<img src=x onerror=alert(1)>.ts';
/** Clean modules so the audit runs long enough to be watched (progress "Auditing n / N files"). */
const FILLER_FILES = 400;

function fillerModule(i) {
  const lines = [`// Module ${i}: clean code, nothing to report.`, `export interface Item${i} { id: number; name: string; price: number }`, ''];
  lines.push(`export function total${i}(items: Item${i}[]): number {`, '  let sum = 0;', '  for (const item of items) sum += item.price;', '  return sum;', '}', '');
  lines.push(`export function names${i}(items: Item${i}[]): string[] {`, '  return items.map((item) => item.name.trim()).filter((name) => name.length > 0);', '}', '');
  return lines.join('\n');
}

describe('PerfLint in a real VS Code: workspace audit and score panel', { timeout: 420_000 }, () => {
  let editor;
  let page;
  let workspace;
  let cli;
  const dialogs = [];

  before(async () => {
    const tmp = mkTmp('audit');
    const extraFiles = {
      [`src/${HOSTILE_NAME}`]: "import { z } from 'zod';\n\nexport const search = z.object({ pageSize: z.number().int() });\n",
    };
    for (let i = 0; i < FILLER_FILES; i++) extraFiles[`src/modules/module${String(i).padStart(3, '0')}.ts`] = fillerModule(i);
    workspace = copyWorkspace(tmp, { extraFiles });
    cli = cliJson(workspace);
    editor = await startEditor({ tmp, workspace });
    page = editor.page;
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  after(async () => {
    await editor?.close();
  });

  const scored = () => cli.findings.filter((f) => f.category !== 'meta');
  /** Tests 5–7 need the panel of test 4; without it they are skipped instead of timing out. */
  let audited = false;

  it('4. "Run Workspace Audit" shows progress, fills Problems from files never opened, and opens a panel matching the CLI', async () => {
    assert.ok(scored().length >= 2, `the fixture has findings (CLI: ${scored().length})`);
    // Record every notification text as it appears (the audit may be quicker than any poll).
    await page.evaluate(() => {
      const seen = [];
      window.__perflintNotifications = seen;
      new MutationObserver(() => {
        for (const toast of document.querySelectorAll('.notifications-toasts .notification-toast, .notification-list-item')) {
          const text = toast.textContent ?? '';
          if (text && !seen.includes(text)) seen.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    await runCommand(page, 'PerfLint: Run Workspace Audit');
    const frame = panelFrame(page);
    const overall = frame.locator('[data-testid="overall"]');
    await overall.waitFor({ timeout: 120_000 });

    const notifications = await page.evaluate(() => window.__perflintNotifications);
    assert.ok(
      notifications.some((text) => /Auditing [\d,]+ \/ [\d,]+ files/.test(text)),
      `a progress notification "Auditing n / N files" was shown (saw: ${JSON.stringify(notifications)})`,
    );

    // Score, grade and counts equal the CLI's JSON for the same folder.
    assert.equal(Number(await overall.innerText()), cli.score.overall);
    assert.equal(await frame.locator('[data-testid="grade"]').innerText(), cli.score.grade);
    const count = (severity) => scored().filter((f) => f.severity === severity).length;
    assert.equal(Number(await frame.locator('[data-testid="count-total"]').innerText()), scored().length);
    for (const severity of ['error', 'warning', 'info']) {
      assert.equal(Number((await frame.locator(`[data-testid="count-${severity}"]`).innerText()).replace(/,/g, '')), count(severity), `${severity} count`);
    }
    const byRule = new Map();
    for (const f of scored()) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    for (const [ruleId, n] of byRule) {
      const row = frame.locator('table.rules tr', { has: frame.locator(`button[data-rule="${ruleId}"]`) });
      assert.equal(Number(await row.locator('[data-testid="rule-count"]').innerText()), n, `count of ${ruleId}`);
    }

    // Problems: findings of files that were never opened (no editor tab was ever open).
    assert.equal(await page.locator('.tabs-container .tab', { hasText: /\.ts$|\.prisma$/ }).count(), 0);
    const rows = await showProblems(page);
    const neverOpened = [...new Set(scored().map((f) => path.basename(f.file)))];
    for (const name of neverOpened.slice(0, 4)) await rows.filter({ hasText: name }).first().waitFor();
    // Totals in the status bar equal the CLI's (TypeScript's own validation is off in this profile).
    let label = '';
    await waitUntil(
      async () => {
        label = (await page.locator('[id="status.problems"]').getAttribute('aria-label')) ?? '';
        // "Errors: 1, Warnings: 2"; a zero count is left out ("Warnings: 6", "No Problems").
        const errors = Number(/Errors: (\d+)/i.exec(label)?.[1] ?? 0);
        const warnings = Number(/Warnings: (\d+)/i.exec(label)?.[1] ?? 0);
        return errors === count('error') && warnings === count('warning');
      },
      { message: `status bar problem counts ${count('error')} errors / ${count('warning')} warnings (last: "${label}")` },
    ).catch((error) => {
      throw new Error(`${error.message}; last status: "${label}"`);
    });

    // The status-bar item shows the score.
    await page.locator('#workbench\\.parts\\.statusbar', { hasText: `PerfLint ${cli.score.overall} ${cli.score.grade}` }).waitFor();
    audited = true;
  });

  it('5. clicking a finding in the panel opens that file at that line', async (t) => {
    if (!audited) return t.skip('needs the panel of test 4');
    const frame = panelFrame(page);
    const target = frame.locator('.fix-first button[data-action="reveal"]').first();
    await target.waitFor();
    const label = await target.innerText();
    const match = /^(.*):(\d+)$/.exec(label);
    assert.ok(match, `a file:line label (${label})`);
    const [, file, line] = match;
    const finding = scored().find((f) => f.file === file && f.line === Number(line));
    assert.ok(finding, `the clicked row is a CLI finding (${label})`);
    await target.click();
    await page.locator('.tabs-container .tab.active', { hasText: path.basename(file) }).waitFor();
    await page.locator('[id="status.editor.selection"]', { hasText: `Ln ${finding.line}, Col ${finding.column}` }).waitFor();

    // A rule id opens the rule's documentation (the bundled page, in the Markdown preview).
    await frame.locator(`.fix-first button[data-action="openDocs"][data-rule="${finding.ruleId}"]`).first().click();
    await page.locator('.tabs-container .tab', { hasText: `${finding.ruleId}.md` }).waitFor();
  });

  it('6. the panel is captured as an artifact, escapes workspace strings and logs no console errors', async (t) => {
    if (!audited) return t.skip('needs the panel of test 4');
    const frame = panelFrame(page);
    // Test 5 opened other editors: bring the panel to the front (a hidden webview is not rendered).
    await page.locator('.tabs-container .tab', { hasText: 'PerfLint Score' }).click();
    await frame.locator('[data-testid="overall"]').waitFor();
    // The hostile file name is shown as text, never as markup.
    if (scored().some((f) => f.file.endsWith(HOSTILE_NAME))) {
      await frame.locator('.panel', { hasText: HOSTILE_NAME }).first().waitFor();
    }
    assert.equal(await frame.locator('img').count(), 0);
    assert.deepEqual(dialogs, []);

    await page.locator('.tabs-container .tab', { hasText: 'PerfLint Score' }).click();
    await frame.locator('[data-testid="overall"]').waitFor();
    const iframe = page.locator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`);
    await page.screenshot({ path: saveArtifact('workbench-with-panel.png') });
    // The panel alone, large: no bottom panel, its editor group maximized.
    await runCommand(page, 'View: Hide Panel');
    await page.locator('.markers-panel').waitFor({ state: 'hidden' });
    await page.locator('.tabs-container .tab', { hasText: 'PerfLint Score' }).click();
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    await frame.locator('[data-testid="overall"]').waitFor();
    await page.mouse.move(5, 880); // no tab tooltip over the panel
    await iframe.screenshot({ path: saveArtifact('score-panel.png') });
    fs.mkdirSync(path.join(REPO, 'docs/images'), { recursive: true });
    await iframe.screenshot({ path: path.join(REPO, 'docs/images/score-panel.png') });
    assert.ok(fs.statSync(saveArtifact('score-panel.png')).size > 10_000);

    const errors = webviewErrors(editor.consoleMessages);
    assert.deepEqual(errors, [], `console errors from the panel: ${JSON.stringify(errors, null, 2)}`);
  });

  it('7. the panel restores itself after a window reload', async (t) => {
    if (!audited) return t.skip('needs the panel of test 4');
    await page.reload();
    await page.locator('.monaco-workbench').waitFor();
    const tab = page.locator('.tabs-container .tab', { hasText: 'PerfLint Score' });
    await tab.waitFor();
    await tab.click();
    const frame = panelFrame(page);
    await frame.locator('[data-testid="overall"]').waitFor({ timeout: 90_000 });
    assert.equal(Number(await frame.locator('[data-testid="overall"]').innerText()), cli.score.overall);
    await page.locator('#workbench\\.parts\\.statusbar', { hasText: `PerfLint ${cli.score.overall}` }).waitFor();
  });

  it('8. "Re-run audit" shows the trend against the previous audit; "Export report" writes the HTML report', async (t) => {
    if (!audited) return t.skip('needs the panel of test 4');
    const frame = panelFrame(page);
    const firstTime = await frame.locator('[data-testid="generated-at"]').getAttribute('datetime');
    await frame.locator('button[data-action="rerun"]').click();
    await frame.locator(`[data-testid="generated-at"]:not([datetime="${firstTime}"])`).waitFor({ timeout: 120_000 });
    await frame.locator('.trend.same', { hasText: `No change since the previous audit (${cli.score.overall},` }).waitFor();

    // Export: pick the format, then accept the default path the save dialog (VS Code's simple file
    // dialog in the browser) offers for it.
    const target = path.join(workspace, 'perflint-report.html');
    await frame.locator('button[data-action="export"]').click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('HTML');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'HTML' }).first().waitFor();
    await page.keyboard.press('Enter');
    try {
      await waitUntil(async () => (await input.isVisible()) && (await input.inputValue()).endsWith('perflint-report.html'), { message: 'the save dialog to offer perflint-report.html' });
      await page.keyboard.press('Enter');
      await waitUntil(() => fs.existsSync(target) && fs.statSync(target).size > 0, { message: `${target} to be written` });
    } catch (error) {
      await page.screenshot({ path: saveArtifact('export-failure.png') }).catch(() => {});
      throw new Error(`${error.message}; the quick input shows "${await input.inputValue().catch(() => '?')}"`);
    }
    const html = fs.readFileSync(target, 'utf8');
    assert.match(html, /<h1>Performance audit: workspace<\/h1>/);
    assert.match(html, new RegExp(`Score: ${cli.score.overall}/100 \\(grade ${cli.score.grade}\\)`));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;.ts') && !html.includes('<img'), 'the hostile file name stays text');
    const errors = webviewErrors(editor.consoleMessages);
    assert.deepEqual(errors, [], `console errors from the panel: ${JSON.stringify(errors, null, 2)}`);
  });
});
