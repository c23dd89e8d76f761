/**
 * Hover on a finding's range: the message (which names the concrete thing and its cost), why the
 * pattern is slow (from the rule's bundled docs page), the fixes on offer, and the docs link.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { Finding } from '../engine';
import type { ServerContext } from './context';
import { describeError } from './logger';

export function registerHover(context: ServerContext): void {
  const docs = new RuleDocs(context.options.docsFolder);
  context.connection.onHover(async (params) => {
    try {
      const document = context.documents.get(params.textDocument.uri);
      if (!document) return null;
      const analysis = await context.diagnostics.analysisFor(document);
      if (analysis.version !== document.version) return null;
      const offset = document.offsetAt(params.position);
      const hits = analysis.findings.filter((finding) => finding.range.start <= offset && offset <= finding.range.end);
      if (hits.length === 0) return null;
      const markdown = hits.map((finding) => describe(context, docs, finding)).join('\n\n---\n\n');
      const first = hits[0];
      const hover: Hover = {
        contents: { kind: context.client.hoverMarkdown ? MarkupKind.Markdown : MarkupKind.PlainText, value: markdown },
        range: { start: document.positionAt(first.range.start), end: document.positionAt(first.range.end) },
      };
      return hover;
    } catch (error) {
      context.logger.error(`Hover in ${params.textDocument.uri} failed: ${describeError(error)}`);
      return null;
    }
  });
}

function describe(context: ServerContext, docs: RuleDocs, finding: Finding): string {
  const rule = context.rules.get(finding.ruleId);
  const parts = [`**PerfLint** \`${finding.ruleId}\` (${finding.severity}${rule ? `, ${rule.meta.category}` : ''})`, `**Cost:** ${finding.message}`];
  const why = docs.why(finding.ruleId) ?? rule?.meta.description;
  if (why) parts.push(`**Why:** ${why}`);
  if (finding.related.length > 0) {
    parts.push(finding.related.map((item) => `- ${item.message} (${path.basename(item.path)}:${item.loc.line})`).join('\n'));
  }
  if (finding.fixes.length > 0) {
    parts.push(`**Quick fix${finding.fixes.length > 1 ? 'es' : ''}:** ${finding.fixes.map((fix) => `${fix.title}${fix.kind === 'suggestion' ? ' (changes behaviour: review it)' : ''}`).join('; ')}`);
  }
  if (rule) parts.push(`[Documentation for ${finding.ruleId}](${rule.docsUrl})`);
  return parts.join('\n\n');
}

/** First paragraph of each rule's "Why this is slow" section, read lazily from the bundled docs. */
export class RuleDocs {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly folder: string) {}

  why(ruleId: string): string | undefined {
    if (this.cache.has(ruleId)) return this.cache.get(ruleId);
    let paragraph: string | undefined;
    try {
      const text = fs.readFileSync(path.join(this.folder, `${ruleId}.md`), 'utf8');
      paragraph = whyParagraph(text);
    } catch {
      paragraph = undefined;
    }
    this.cache.set(ruleId, paragraph);
    return paragraph;
  }
}

/** The first prose paragraph under a "Why…" heading, joined onto one line. */
export function whyParagraph(markdown: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const heading = lines.findIndex((line) => /^#{2,3}\s+why\b/i.test(line));
  if (heading < 0) return undefined;
  const paragraph: string[] = [];
  for (const line of lines.slice(heading + 1)) {
    if (/^#{1,6}\s/.test(line) || line.startsWith('```')) break;
    if (line.trim() === '') {
      if (paragraph.length > 0) break;
      continue;
    }
    paragraph.push(line.trim());
  }
  return paragraph.length > 0 ? paragraph.join(' ') : undefined;
}
