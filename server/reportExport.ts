/**
 * "Export report": the last audit as the CLI's Markdown report (engine/format/markdown.ts), or that
 * same Markdown rendered as a standalone HTML page. Raw HTML in the Markdown is never passed
 * through (markdown-it `html: false`), so workspace strings stay text; the page loads nothing.
 */
import MarkdownIt from 'markdown-it';
import { formatMarkdown, type AuditResult, type Rule } from '../engine';

export interface ExportOptions {
  rules: readonly Rule[];
  readText: (filePath: string) => string | undefined;
  title?: string;
  /** Date line printed under the title. */
  date?: string;
}

export function exportMarkdown(result: AuditResult, options: ExportOptions): string {
  return formatMarkdown(result, options.rules, { readText: options.readText, title: options.title, date: options.date });
}

const PAGE_STYLE = `
  body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; max-width: 960px; margin: 2em auto; padding: 0 1em; color: #1f2328; background: #fff; }
  h1, h2, h3 { line-height: 1.25; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }
  table { border-collapse: collapse; margin: 1em 0; display: block; overflow-x: auto; }
  th, td { border: 1px solid #d0d7de; padding: 4px 10px; vertical-align: top; }
  code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 90%; }
  code { background: #f6f8fa; padding: .1em .3em; border-radius: 4px; }
  pre { background: #f6f8fa; padding: .6em 1em; overflow-x: auto; } pre code { padding: 0; }
  @media (prefers-color-scheme: dark) { body { color: #e6edf3; background: #0d1117; } th, td, h2 { border-color: #30363d; } code, pre { background: #161b22; } a { color: #4493f8; } }
`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Markdown → a standalone HTML document (no scripts; a CSP forbids everything but its own style). */
export function markdownToHtml(markdown: string, title: string): string {
  const body = new MarkdownIt({ html: false, linkify: false, typographer: false }).render(markdown);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function exportHtml(result: AuditResult, options: ExportOptions): string {
  const title = `Performance audit: ${options.title ?? (result.root.split(/[\\/]/).pop() || result.root)}`;
  return markdownToHtml(exportMarkdown(result, options), title);
}
