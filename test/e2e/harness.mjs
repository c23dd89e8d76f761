// Real-editor harness: code-server (VS Code 1.100.3 in the browser, real Node extension host)
// driven by playwright-core in Debian's Chromium, all offline. See shared/guides/e2e-real-editor.md.
// Every run gets fresh user-data, extensions and HOME folders and a *copy* of the fixture
// workspace; tests wait on locators, never on fixed sleeps.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const CACHE = process.env.PERFLINT_E2E_CACHE || path.join(os.homedir(), '.cache/perflint-e2e');
export const RESULTS = path.join(REPO, 'test-results');
export const FIXTURE = path.join(REPO, 'test/fixtures/e2e-workspace');
/** The extension id in the webview iframe URL (`<publisher>.<name>`). */
export const EXTENSION_ID = (() => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  return `${manifest.publisher}.${manifest.name}`;
})();

const require = createRequire(path.join(CACHE, 'package.json'));
const { chromium } = require('playwright-core');

/** Long enough for a cold language server on a busy 2-core machine; never a fixed sleep. */
export const TIMEOUT = 60_000;

function vsixPath() {
  const vsix = process.env.PERFLINT_VSIX;
  if (!vsix || !fs.existsSync(vsix)) throw new Error(`PERFLINT_VSIX must name the packaged extension (got ${vsix ?? 'nothing'}); run the suite with npm run test:e2e`);
  return vsix;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A copy of the fixture workspace in `dir` (tests type into it; the fixture stays untouched). */
export function copyWorkspace(dir, { extraFiles = {} } = {}) {
  const workspace = path.join(dir, 'workspace');
  fs.cpSync(FIXTURE, workspace, { recursive: true, filter: (source) => path.basename(source) !== 'node_modules' });
  for (const [relative, text] of Object.entries(extraFiles)) {
    fs.mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
    fs.writeFileSync(path.join(workspace, relative), text);
  }
  return workspace;
}

/**
 * Starts code-server on a fresh profile with the VSIX installed, opens `workspace` in Chromium.
 * Returns { page, tmp, workspace, close, consoleMessages }.
 */
export async function startEditor({ tmp, workspace, viewport = { width: 1440, height: 900 } }) {
  const userData = path.join(tmp, 'user-data');
  const extensions = path.join(tmp, 'extensions');
  const home = path.join(tmp, 'home');
  for (const dir of [path.join(userData, 'User'), extensions, home]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User/settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'files.autoSave': 'off',
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'typescript.disableAutomaticTypeAcquisition': true,
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'editor.quickSuggestions': { other: false, comments: false, strings: false },
        'editor.hover.enabled': false,
        'editor.lightbulb.enabled': 'on',
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        // Only PerfLint's diagnostics in Problems and squiggles (the fixture has no node_modules).
        'typescript.validate.enable': false,
        'javascript.validate.enable': false,
        // Typed text lands exactly as typed.
        'editor.autoClosingBrackets': 'never',
        'editor.autoClosingQuotes': 'never',
        'editor.autoIndent': 'none',
        'editor.acceptSuggestionOnEnter': 'off',
        'editor.suggestOnTriggerCharacters': false,
        'editor.parameterHints.enabled': false,
      },
      null,
      2,
    ),
  );
  const port = await freePort();
  const config = path.join(tmp, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const bin = path.join(CACHE, 'node_modules/.bin/code-server');
  // Its own temporary folder too: VS Code leaves IPC sockets and caches there.
  const editorTmp = path.join(tmp, 'tmp');
  fs.mkdirSync(editorTmp, { recursive: true });
  const env = { ...process.env, HOME: home, TMPDIR: editorTmp, EXTENSIONS_GALLERY: '{"serviceUrl":""}' };
  delete env.VSCODE_IPC_HOOK_CLI;
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];

  const install = spawnSync(bin, [...common, '--install-extension', vsixPath()], { env, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) throw new Error(`installing the VSIX failed (${install.status}): ${install.stdout}\n${install.stderr}`);

  const log = fs.openSync(path.join(tmp, 'code-server.log'), 'a');
  const server = spawn(
    bin,
    [...common, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', workspace],
    { env, stdio: ['ignore', log, log], detached: true },
  );
  const exited = new Promise((resolve) => server.once('exit', resolve));
  await waitForHealth(port, exited);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  /** Every console message of the workbench and its webviews: { type, text, url }. */
  const consoleMessages = [];
  page.on('console', (message) => consoleMessages.push({ type: message.type(), text: message.text(), url: message.location()?.url ?? '' }));
  page.on('pageerror', (error) => consoleMessages.push({ type: 'pageerror', text: String(error?.stack ?? error), url: '' }));

  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT });

  async function close() {
    await browser.close().catch(() => undefined);
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    fs.closeSync(log);
  }

  return { page, port, workspace, tmp, consoleMessages, close };
}

async function waitForHealth(port, exited) {
  const deadline = Date.now() + TIMEOUT;
  let dead = false;
  void exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error('code-server exited during start-up (see code-server.log)');
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('code-server did not answer /healthz in time');
}

// ---- Workbench helpers ----------------------------------------------------------------------

const quickInput = (page) => page.locator('.quick-input-widget input');

/** Quick Open (Ctrl+P) a file by name and wait for its editor tab to be active. */
export async function openFile(page, relativePath) {
  const name = path.basename(relativePath);
  await page.keyboard.press('Control+P');
  await quickInput(page).fill(relativePath);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/** Moves the cursor of the active editor to a 1-based line and column (Go to Line/Column). */
export async function goToPosition(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = quickInput(page);
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.locator('.quick-input-widget', { hasText: new RegExp(`line ${line}`, 'i') }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('[id="status.editor.selection"]', { hasText: `Ln ${line}, Col ${column}` }).waitFor();
}

/** Runs a command by its palette title ("PerfLint: Run Workspace Audit"). */
export async function runCommand(page, title) {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  // Right after start-up the palette may not list contributed commands yet: reopen until it does.
  await waitUntil(
    async () => {
      await page.keyboard.press('F1');
      if (!(await quickInput(page).waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false))) {
        // Focus inside a webview (the score panel's iframe) can swallow F1: hand focus back to the workbench and retry.
        await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
        return false;
      }
      // The palette can close again right after it opened (a webview taking focus back after a tab
      // click): a short fill, and on failure the next attempt opens it anew.
      if (!(await quickInput(page).fill(`>${title}`, { timeout: 3000 }).then(() => true, () => false))) {
        await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
        return false;
      }
      if (await row.waitFor({ timeout: 3000 }).then(() => true, () => false)) return true;
      await page.keyboard.press('Escape');
      return false;
    },
    { interval: 500, message: `command "${title}" in the palette` },
  );
  await page.keyboard.press('Enter');
}

/** Opens the Problems panel and returns its rows locator. */
export async function showProblems(page) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible().catch(() => false))) {
    await page.keyboard.press('Control+Shift+M');
    await panel.waitFor();
  }
  return page.locator('.markers-panel .monaco-list-row');
}

/** The score panel's webview document. */
export function panelFrame(page) {
  return page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('#active-frame');
}

/** Console errors that come from our webview (its frames' URLs carry the extension id or the webview host). */
export function webviewErrors(consoleMessages) {
  return consoleMessages.filter(
    (m) =>
      (m.type === 'error' || m.type === 'pageerror') &&
      /webview|vscode-cdn|vscode-resource|panel\.js/i.test(`${m.url} ${m.text}`) &&
      // VS Code's own built-in extensions restoring their webviews after a reload (seen once: the
      // markdown preview's deserializer threw on a fresh machine) say nothing about PerfLint's panel.
      !/lib\/vscode\/extensions\/(?!perflint)/.test(m.text),
  );
}

/** Runs the CLI of this repository over a folder and returns its JSON report. */
export function cliJson(folder) {
  const run = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), '--root', folder, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`perflint CLI failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Polls `condition` until it returns a truthy value (a condition wait, not a fixed sleep). */
export async function waitUntil(condition, { timeout = TIMEOUT, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await condition();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${message}`);
}

const madeTmp = [];

/**
 * A temporary folder for one test file's editor (its workspace, user data, extensions), removed when
 * the test process exits; PERFLINT_E2E_KEEP=1 keeps it for a look after a failure (screenshots and
 * logs go to the results folder either way).
 */
export function mkTmp(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `perflint-e2e-${prefix}-`));
  if (madeTmp.length === 0 && process.env.PERFLINT_E2E_KEEP !== '1') {
    process.on('exit', () => {
      for (const made of madeTmp) {
        try {
          fs.rmSync(made, { recursive: true, force: true, maxRetries: 2 });
        } catch {
          // best effort: a file the editor still holds stays behind
        }
      }
    });
  }
  madeTmp.push(dir);
  return dir;
}

export function saveArtifact(name) {
  fs.mkdirSync(RESULTS, { recursive: true });
  return path.join(RESULTS, name);
}
