/** `--format stylish`: human output grouped by file, each finding with a code frame. */
import type { AuditResult, Finding } from '../types';
import { plural, relativePath } from './common';

export interface StylishOptions {
  color?: boolean;
  /** Source text of a file, for code frames. */
  readText?: (filePath: string) => string | undefined;
}

const codes = { red: 31, yellow: 33, blue: 34, gray: 90, bold: 1, underline: 4, green: 32 };
type Style = keyof typeof codes;

export function formatStylish(result: AuditResult, options: StylishOptions = {}): string {
  const paint = (style: Style, text: string) => (options.color ? `\u001b[${codes[style]}m${text}\u001b[0m` : text);
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    let list = byFile.get(finding.path);
    if (!list) byFile.set(finding.path, (list = []));
    list.push(finding);
  }
  const counts = { error: 0, warning: 0, info: 0 };
  for (const [file, findings] of byFile) {
    out.push(paint('underline', relativePath(result.root, file)));
    const text = options.readText?.(file);
    const lines = text?.split(/\r\n|\r|\n/);
    for (const f of findings) {
      counts[f.severity]++;
      const severity = f.severity === 'error' ? paint('red', 'error  ') : f.severity === 'warning' ? paint('yellow', 'warning') : paint('blue', 'info   ');
      out.push(`  ${paint('gray', `${f.loc.line}:${f.loc.column}`.padEnd(8))} ${severity}  ${f.message}  ${paint('gray', f.ruleId)}`);
      if (lines) out.push(...codeFrame(lines, f, paint));
      for (const related of f.related) {
        const where = related.path === f.path ? `${related.loc.line}:${related.loc.column}` : `${relativePath(result.root, related.path)}:${related.loc.line}:${related.loc.column}`;
        out.push(`      ${paint('gray', `↳ ${where} ${related.message}`)}`);
      }
      if (f.fixes.length > 0) out.push(`      ${paint('green', `fix available: ${f.fixes.map((x) => x.title).join('; ')}`)}`);
    }
    out.push('');
  }
  const problems = counts.error + counts.warning + counts.info;
  const score = result.score;
  out.push(
    problems === 0
      ? paint('green', `✔ No performance findings in ${plural(result.filesScanned, 'file')} (${result.linesScanned} lines).`)
      : paint('bold', `✖ ${plural(problems, 'finding')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info) in ${plural(result.filesScanned, 'file')} (${result.linesScanned} lines).`),
  );
  const categories = Object.entries(score.categories).map(([c, v]) => `${c} ${v}`).join(' · ');
  out.push(`Performance score: ${paint('bold', `${score.overall}/100 (${score.grade})`)}  ${paint('gray', categories)}`);
  const skipped = result.notes.filter((n) => n.kind !== 'rule-crash');
  const crashes = result.notes.filter((n) => n.kind === 'rule-crash');
  const listed = `${skipped.slice(0, 5).map((n) => `${relativePath(result.root, n.path)} (${n.message})`).join('; ')}${skipped.length > 5 ? '; …' : ''}`;
  // With nothing audited, the notes are the whole answer (a package audited as published keeps its code in dist/).
  if (skipped.length > 0 && result.filesScanned === 0) out.push(paint('yellow', `Nothing was audited: ${listed}`));
  else if (skipped.length > 0) {
    // discovery's notes about folders (a package's code only in its skipped dist/) stand on their own line
    const files = skipped.filter((n) => !n.folder);
    if (files.length > 0) out.push(paint('gray', `${plural(files.length, 'file')} not analysed: ${files.slice(0, 5).map((n) => `${relativePath(result.root, n.path)} (${n.message})`).join('; ')}${files.length > 5 ? '; …' : ''}`));
    for (const note of skipped.filter((n) => n.folder)) out.push(paint('yellow', `Not audited: ${note.message}`));
  }
  for (const crash of crashes) out.push(paint('red', `internal: ${relativePath(result.root, crash.path)}: ${crash.message}`));
  if (result.suppressedCount > 0) out.push(paint('gray', `${plural(result.suppressedCount, 'finding')} suppressed by perflint-disable comments.`));
  return out.join('\n') + '\n';
}

function codeFrame(lines: string[], f: Finding, paint: (style: Style, text: string) => string): string[] {
  const frame: string[] = [];
  const first = Math.max(1, f.loc.line - 1);
  const last = Math.min(lines.length, f.loc.line + 1);
  const width = String(last).length;
  for (let n = first; n <= last; n++) {
    const source = (lines[n - 1] ?? '').replace(/\t/g, '  ');
    const clipped = source.length > 160 ? source.slice(0, 157) + '...' : source;
    const marker = n === f.loc.line ? '>' : ' ';
    frame.push(paint('gray', `    ${marker} ${String(n).padStart(width)} | `) + clipped);
    if (n === f.loc.line) {
      const raw = lines[n - 1] ?? '';
      const prefix = raw.slice(0, f.loc.column - 1).replace(/\t/g, '  ');
      const endColumn = f.loc.endLine === f.loc.line ? f.loc.endColumn : raw.length + 1;
      const length = Math.max(1, Math.min(endColumn - f.loc.column, 160 - prefix.length));
      frame.push(paint('gray', `      ${' '.repeat(width)} | `) + ' '.repeat(Math.min(prefix.length, 160)) + paint(f.severity === 'error' ? 'red' : 'yellow', '^'.repeat(Math.max(1, length))));
    }
  }
  return frame;
}
