import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, defineRule, loadConfig, memoryFileSystem, parseConfigText, resolveConfig } from '../../engine';

const ruleA = defineRule({
  id: 'rule-a',
  meta: { category: 'queries', defaultSeverity: 'warning', description: 'A.', fix: 'none', languages: ['typescript'], defaultOptions: { limit: 5, mode: 'x' } },
  create: () => ({}),
});
const ruleB = defineRule({
  id: 'rule-b',
  meta: { category: 'regex', defaultSeverity: 'error', description: 'B.', fix: 'none', languages: ['typescript'] },
  create: () => ({}),
});
const rules = [ruleA, ruleB];
const severities = (config: ReturnType<typeof resolveConfig>, file: string) => Object.fromEntries(config.rulesFor(file).map((r) => [r.rule.id, r.severity]));

describe('config', () => {
  it('uses rule defaults without a config file', () => {
    const config = loadConfig('/ws', memoryFileSystem({}), rules);
    assert.deepEqual(severities(config, 'src/a.ts'), { 'rule-a': 'warning', 'rule-b': 'error' });
    assert.equal(config.settings.defaultPageSize, 100);
    assert.equal(config.file, undefined);
  });

  it('applies rules, options, overrides by glob, then the overlay', () => {
    const config = resolveConfig(
      {
        rules: { 'rule-a': ['error', { limit: 9 }], 'rule-b': 'info' },
        overrides: [{ files: ['scripts/**', '**/*.test.ts'], rules: { 'rule-a': 'off' } }],
      },
      rules,
      { rules: { 'rule-b': 'warning' } },
    );
    assert.deepEqual(severities(config, 'src/a.ts'), { 'rule-a': 'error', 'rule-b': 'warning' });
    assert.deepEqual(config.rulesFor('src/a.ts')[0].options, { limit: 9, mode: 'x' });
    assert.deepEqual(severities(config, 'scripts/seed.ts'), { 'rule-b': 'warning' });
    assert.deepEqual(severities(config, 'src/deep/a.test.ts'), { 'rule-b': 'warning' });
  });

  it('reads settings and ignore patterns from the file', () => {
    const files = { [path.resolve('/ws/.perflintrc.json')]: JSON.stringify({ settings: { defaultPageSize: 50 }, ignorePatterns: ['legacy/**'] }) };
    const config = loadConfig('/ws', memoryFileSystem(files), rules);
    assert.equal(config.settings.defaultPageSize, 50);
    assert.deepEqual(config.ignorePatterns, ['legacy/**']);
    assert.equal(config.file, path.resolve('/ws/.perflintrc.json'));
  });

  it('reports invalid JSON with file, line and column', () => {
    assert.throws(
      () => parseConfigText('{\n  "rules": {\n    "rule-a": "error",\n  }\n}', '/ws/.perflintrc.json', rules),
      (error: unknown) => error instanceof ConfigError && error.line === 4 && error.column === 3 && /\/ws\/\.perflintrc\.json:4:3: invalid JSON/.test(error.message),
    );
    assert.throws(() => parseConfigText('', 'c.json', rules), ConfigError);
    assert.throws(() => parseConfigText('// comment\n{}', 'c.json', rules), ConfigError);
  });

  it('rejects unknown rules, bad severities and malformed sections with a clear message', () => {
    const bad: Array<[unknown, RegExp]> = [
      [[], /must be a JSON object/],
      [{ rules: { nope: 'error' } }, /unknown rule "nope"/],
      [{ rules: { 'rule-a': 'fatal' } }, /severity must be one of off, info, warning, error/],
      [{ rules: { 'rule-a': ['error', 3] } }, /options must be an object/],
      [{ ignorePatterns: 'x' }, /"ignorePatterns" must be an array of strings/],
      [{ overrides: [{ rules: {} }] }, /overrides\[0\]\.files/],
      [{ settings: { defaultPageSize: 0 } }, /defaultPageSize" must be a positive integer/],
      [{ reportUnusedDisableDirectives: 'loud' }, /reportUnusedDisableDirectives/],
    ];
    for (const [value, message] of bad) assert.throws(() => parseConfigText(JSON.stringify(value), 'c.json', rules), message);
  });

  it('a missing explicit config file is an error, a missing default one is not', () => {
    assert.throws(() => loadConfig('/ws', memoryFileSystem({}), rules, { configFile: 'custom.json' }), /config file not found/);
  });

  it('fingerprint changes with the configuration', () => {
    const a = resolveConfig({}, rules).fingerprint;
    const b = resolveConfig({ rules: { 'rule-a': 'off' } }, rules).fingerprint;
    assert.notEqual(a, b);
    assert.equal(a, resolveConfig({}, rules).fingerprint);
  });
});
