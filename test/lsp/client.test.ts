/**
 * The bundled client (dist/extension.js) without an editor: loaded against a recording stub of
 * the `vscode` API, it activates quickly, registers exactly the contributed commands and starts
 * the language client; the bundle holds no TypeScript. The manifest and protocol/settings.ts agree
 * on every setting and default.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_EDITOR_SETTINGS, sanitizeSettings } from '../../protocol/settings';
import { Commands } from '../../protocol/protocol';
import { REPO_ROOT } from '../harness/lspClient';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const bundle = path.join(REPO_ROOT, 'dist', 'extension.js');

/** A callable, constructible stub whose every property is another stub (never thenable). */
function stub(name: string): any {
  const target = function () {};
  return new Proxy(target, {
    get: (_, prop) => (prop === 'then' ? undefined : prop === Symbol.toPrimitive || prop === 'toString' ? () => name : stub(`${name}.${String(prop)}`)),
    set: () => true,
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

function loadWithStub(): { extension: any; registered: string[]; output: string[]; loadMs: number } {
  const registered: string[] = [];
  const output: string[] = [];
  const known: Record<string, unknown> = {
    version: '1.91.0',
    commands: new Proxy(stub('vscode.commands'), {
      get: (t, prop) =>
        prop === 'registerCommand'
          ? (id: string) => {
              registered.push(id);
              return { dispose() {} };
            }
          : t[prop],
    }),
    window: new Proxy(stub('vscode.window'), {
      get: (t, prop) =>
        prop === 'createOutputChannel'
          ? () => new Proxy(stub('channel'), { get: (c, p) => (p === 'appendLine' ? (line: string) => output.push(line) : c[p]) })
          : t[prop],
    }),
  };
  for (const name of ['workspace', 'languages', 'env', 'Uri', 'EventEmitter', 'Disposable', 'Range', 'Position', 'Selection', 'StatusBarAlignment', 'ProgressLocation', 'ViewColumn', 'ThemeColor', 'ThemeIcon', 'MarkdownString', 'TextEditorRevealType', 'ConfigurationTarget', 'CancellationTokenSource']) known[name] = stub(`vscode.${name}`);
  const vscode = new Proxy(known, { get: (t, prop: string) => (prop in t ? t[prop] : stub(`vscode.${prop}`)) });
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? vscode : original.call(this, request, ...rest);
  };
  try {
    delete require.cache[bundle];
    const started = performance.now();
    const extension = require(bundle);
    return { extension, registered, output, loadMs: performance.now() - started };
  } finally {
    loader._load = original;
  }
}

describe('extension client bundle', () => {
  it('holds no TypeScript compiler and stays small', () => {
    const text = fs.readFileSync(bundle, 'utf8');
    assert.ok(!text.includes('createSourceFile'), 'TypeScript must not be bundled into the client');
    assert.ok(!text.includes('prisma_schema_build'), 'nor the Prisma engine');
    assert.ok(text.length < 1.5 * 1024 * 1024, `${(text.length / 1024).toFixed(0)} KB`);
  });

  it('activates quickly, registers exactly the contributed commands and logs its activation time', async () => {
    const { extension, registered, output, loadMs } = loadWithStub();
    const context = new Proxy(
      { subscriptions: [] as unknown[], asAbsolutePath: (p: string) => path.join(REPO_ROOT, p), extensionPath: REPO_ROOT },
      { get: (t: Record<string, unknown>, prop: string) => (prop in t ? t[prop] : stub(`context.${prop}`)) },
    );
    const started = performance.now();
    const api = extension.activate(context);
    const activateMs = performance.now() - started;
    // Dispose at once: the language client starts on the next tick and would spawn a real server
    // (through the stubbed API) that keeps this test process alive.
    for (const disposable of context.subscriptions as Array<{ dispose?: () => unknown }>) disposable.dispose?.();
    console.log(`# client bundle load ${loadMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms`);
    assert.ok(activateMs < 200, `activate() took ${activateMs.toFixed(1)} ms (target < 50 ms on an idle machine)`);
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(output.some((line) => /^PerfLint activated in \d+(\.\d+)? ms\.$/.test(line)), output.join('\n'));
    const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
    const own = [Commands.runWorkspaceAudit, Commands.showOutput, Commands.restartServer, Commands.openRuleDoc];
    for (const id of own) {
      assert.ok(contributed.includes(id), `${id} is contributed in package.json`);
      assert.ok(registered.includes(id), `${id} is registered`);
    }
    for (const id of registered) assert.ok(contributed.includes(id), `registered ${id} is contributed in package.json`);
    assert.equal(new Set(registered).size, registered.length, 'no command registered twice');
    for (const command of manifest.contributes.commands) assert.equal(command.category, 'PerfLint');
  });
});

describe('manifest and settings', () => {
  const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown; description?: string; markdownDescription?: string }>;

  it('declares every setting of protocol/settings.ts with the same default and a description', () => {
    const flat: Record<string, unknown> = {
      'perflint.enable': DEFAULT_EDITOR_SETTINGS.enable,
      'perflint.run': DEFAULT_EDITOR_SETTINGS.run,
      'perflint.rules': DEFAULT_EDITOR_SETTINGS.rules,
      'perflint.exclude': DEFAULT_EDITOR_SETTINGS.exclude,
      'perflint.fix.defaultPageSize': DEFAULT_EDITOR_SETTINGS.fix.defaultPageSize,
      'perflint.trace.server': DEFAULT_EDITOR_SETTINGS.trace.server,
    };
    for (const [key, value] of Object.entries(flat)) {
      assert.deepEqual(properties[key].default, value, key);
      assert.ok((properties[key].description ?? properties[key].markdownDescription ?? '').length > 20, `${key} has a description`);
    }
  });

  it('activates on the analysed languages and on Prisma schemas / .perflintrc.json; runs in untrusted workspaces', () => {
    for (const language of ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'prisma']) assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), language);
    assert.ok(manifest.activationEvents.some((e: string) => e.startsWith('workspaceContains:') && e.endsWith('.prisma')));
    assert.ok(manifest.activationEvents.includes('workspaceContains:.perflintrc.json'));
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '.perflintrc.json', url: './perflintrc.schema.json' }]);
    assert.ok(fs.existsSync(path.join(REPO_ROOT, manifest.icon)));
    assert.equal(manifest.contributes.grammars[0].path, './syntaxes/prisma.tmLanguage.json');
  });

  it('sanitizes any settings value into a complete, valid object', () => {
    assert.deepEqual(sanitizeSettings(undefined), DEFAULT_EDITOR_SETTINGS);
    assert.deepEqual(sanitizeSettings('garbage'), DEFAULT_EDITOR_SETTINGS);
    assert.deepEqual(
      sanitizeSettings({ enable: false, run: 'onSave', rules: { 'n-plus-one': 'warn', 'regex-per-call': 'loud', 'Bad Id': 'error', 'unbounded-query': 'off' }, exclude: ['a/**', 3, ''], fix: { defaultPageSize: 25 }, trace: { server: 'verbose' } }),
      { enable: false, run: 'onSave', rules: { 'n-plus-one': 'warning', 'unbounded-query': 'off' }, exclude: ['a/**'], fix: { defaultPageSize: 25 }, trace: { server: 'verbose' } },
    );
    assert.equal(sanitizeSettings({ fix: { defaultPageSize: 0 } }).fix.defaultPageSize, 100);
    assert.equal(sanitizeSettings({ fix: { defaultPageSize: 2.5 } }).fix.defaultPageSize, 100);
    assert.equal(sanitizeSettings({ run: 'sometimes' }).run, 'onType');
  });
});
