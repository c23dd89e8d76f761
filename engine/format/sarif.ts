/** `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it. */
import type { Rule } from '../rule';
import type { AuditResult, Severity } from '../types';
import { PERFLINT_VERSION } from '../version';
import { relativePath } from './common';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarif(result: AuditResult, rules: readonly Rule[], readText?: (filePath: string) => string | undefined): Record<string, unknown> {
  const ruleIds = [...rules.map((r) => r.id)];
  const extraIds = [...new Set(result.findings.map((f) => f.ruleId))].filter((id) => !ruleIds.includes(id));
  const descriptors = [
    ...rules.map((rule) => ({
      id: rule.id,
      name: rule.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: rule.meta.description },
      fullDescription: { text: rule.meta.description },
      helpUri: rule.docsUrl,
      help: { text: `${rule.meta.description} See ${rule.docsUrl}` },
      defaultConfiguration: { level: LEVEL[rule.meta.defaultSeverity] },
      properties: { category: rule.meta.category, tags: ['performance', rule.meta.category] },
    })),
    ...extraIds.map((id) => ({ id, shortDescription: { text: id }, defaultConfiguration: { level: 'note' } })),
  ];
  const indexOf = new Map(descriptors.map((d, i) => [d.id, i]));
  const uri = (filePath: string) => relativePath(result.root, filePath).split('/').map(encodeURIComponent).join('/');
  const region = (loc: { line: number; column: number; endLine: number; endColumn: number }) => ({
    startLine: loc.line,
    startColumn: loc.column,
    endLine: loc.endLine,
    endColumn: loc.endColumn,
  });
  const results = result.findings.map((f) => {
    const text = readText?.(f.path);
    // one artifact change per edited file (a fix may edit the Prisma schema next to the code)
    const fixes = f.fixes
      .filter((fix) => text !== undefined && fix.edits.every((e) => e.path === undefined || e.path === f.path || readText?.(e.path) !== undefined))
      .map((fix) => {
        const byFile = new Map<string, typeof fix.edits>();
        for (const edit of fix.edits) {
          const file = edit.path ?? f.path;
          byFile.set(file, [...(byFile.get(file) ?? []), edit]);
        }
        return {
          description: { text: fix.title },
          artifactChanges: [...byFile].map(([file, edits]) => ({
            artifactLocation: { uri: uri(file), uriBaseId: '%SRCROOT%' },
            replacements: edits.map((edit) => ({
              deletedRegion: { charOffset: edit.start, charLength: edit.end - edit.start },
              insertedContent: { text: edit.text },
            })),
          })),
        };
      });
    return {
      ruleId: f.ruleId,
      ruleIndex: indexOf.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: uri(f.path), uriBaseId: '%SRCROOT%' }, region: region(f.loc) } }],
      ...(f.related.length > 0
        ? {
            relatedLocations: f.related.map((r, i) => ({
              id: i + 1,
              message: { text: r.message },
              physicalLocation: { artifactLocation: { uri: uri(r.path), uriBaseId: '%SRCROOT%' }, region: region(r.loc) },
            })),
          }
        : {}),
      ...(fixes.length > 0 ? { fixes } : {}),
      partialFingerprints: { 'perflint/v1': `${f.ruleId}:${relativePath(result.root, f.path)}:${f.message}` },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'PerfLint', version: PERFLINT_VERSION, semanticVersion: PERFLINT_VERSION, informationUri: 'https://github.com/perflint/perflint', rules: descriptors } },
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file://' + result.root.split('\\').join('/').replace(/\/?$/, '/') } },
        results,
        invocations: [
          {
            executionSuccessful: !result.notes.some((n) => n.kind === 'rule-crash'),
            toolExecutionNotifications: result.notes.map((n) => ({
              level: n.kind === 'rule-crash' ? 'error' : 'note',
              message: { text: `${relativePath(result.root, n.path)}: ${n.message}` },
            })),
          },
        ],
        properties: { score: result.score, filesScanned: result.filesScanned, linesScanned: result.linesScanned },
      },
    ],
  };
}

export function formatSarif(result: AuditResult, rules: readonly Rule[], readText?: (filePath: string) => string | undefined): string {
  return JSON.stringify(toSarif(result, rules, readText), null, 2) + '\n';
}
