/**
 * Generated artefacts derived from the rule registry: the JSON schema of `.perflintrc.json` and the
 * README rules table. `test/meta/generated.test.ts` fails when the committed files are stale;
 * `UPDATE_GENERATED=1 npm test` rewrites them.
 */
import type { Rule } from '../engine/rule';

const severity = { enum: ['off', 'info', 'warning', 'error'] };

export function configSchema(rules: readonly Rule[]): Record<string, unknown> {
  const ruleProperties = Object.fromEntries(
    rules.map((rule) => [
      rule.id,
      {
        description: `${rule.meta.description} (default: ${rule.meta.defaultSeverity}) ${rule.docsUrl}`,
        oneOf: [
          { $ref: '#/definitions/severity' },
          { type: 'array', prefixItems: [{ $ref: '#/definitions/severity' }], items: [{ $ref: '#/definitions/severity' }, rule.meta.optionsSchema ?? { type: 'object' }], minItems: 1, maxItems: 2 },
        ],
      },
    ]),
  );
  const rulesObject = { type: 'object', additionalProperties: false, properties: ruleProperties };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/perflint/perflint/blob/main/perflintrc.schema.json',
    title: 'PerfLint configuration (.perflintrc.json)',
    type: 'object',
    additionalProperties: false,
    definitions: { severity: { ...severity, description: 'off disables the rule; info, warning and error set its severity.' } },
    properties: {
      $schema: { type: 'string' },
      rules: { ...rulesObject, description: 'Severity (and options) per rule id.' },
      ignorePatterns: { type: 'array', items: { type: 'string' }, description: 'gitignore-style patterns of files not to analyse.' },
      overrides: {
        type: 'array',
        description: 'Rule settings for files matching globs (relative to the workspace root); later entries win.',
        items: {
          type: 'object',
          required: ['files'],
          additionalProperties: false,
          properties: {
            files: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
            rules: rulesObject,
          },
        },
      },
      settings: {
        type: 'object',
        additionalProperties: false,
        properties: {
          defaultPageSize: { type: 'integer', minimum: 1, default: 100, description: 'Page size inserted by fixes that add a limit.' },
          pageSizeNames: { type: 'array', items: { type: 'string' }, description: 'Property names treated as page-size inputs.' },
        },
      },
      reportUnusedDisableDirectives: { ...severity, default: 'info', description: 'Severity of perflint-disable comments that suppress nothing.' },
    },
  };
}

export function rulesTable(rules: readonly Rule[]): string {
  const lines = ['| Rule | Category | Default | Fix | Description |', '|---|---|---|---|---|'];
  for (const rule of rules) {
    lines.push(`| [\`${rule.id}\`](rules/${rule.id}.md) | ${rule.meta.category} | ${rule.meta.defaultSeverity} | ${rule.meta.fix === 'none' ? '—' : rule.meta.fix} | ${rule.meta.description} |`);
  }
  return lines.join('\n');
}
