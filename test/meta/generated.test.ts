import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PERFLINT_VERSION } from '../../engine';
import { allRules } from '../../rules';
import { configSchema, rulesTable } from '../../tools/generated';

const repo = path.resolve(__dirname, '../../..');
const update = process.env.UPDATE_GENERATED === '1';

describe('generated files are up to date (UPDATE_GENERATED=1 npm test rewrites them)', () => {
  it('perflintrc.schema.json', () => {
    const file = path.join(repo, 'perflintrc.schema.json');
    const expected = JSON.stringify(configSchema(allRules), null, 2) + '\n';
    if (update) fs.writeFileSync(file, expected);
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
  });

  it('README rules table', () => {
    const file = path.join(repo, 'README.md');
    const readme = fs.readFileSync(file, 'utf8');
    const start = '<!-- rules-table:start -->\n';
    const end = '<!-- rules-table:end -->';
    const expected = readme.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => `${start}${rulesTable(allRules)}\n${end}`);
    if (update) fs.writeFileSync(file, expected);
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
  });

  it('package.json version matches the engine version', () => {
    assert.equal(JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).version, PERFLINT_VERSION);
  });
});
