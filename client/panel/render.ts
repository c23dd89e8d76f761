/**
 * Pure HTML rendering of the score panel (no DOM, no vscode): the webview script sets the result
 * as the panel body, the unit tests call it directly. Every string that can come from the
 * workspace (paths, messages, rule ids, URLs) goes through `escapeHtml`; clickable things are
 * <button>s carrying data-* attributes (no inline handlers: the CSP forbids them), so the panel
 * is keyboard navigable. Colours come from classes in media/panel.css (theme variables only);
 * charts are inline SVG with presentation attributes (no style attributes, which the CSP blocks).
 */
import type { AuditReport, CategorySummary, RankedFinding, SeverityCounts } from '../../protocol/auditReport';
import type { ScoreSnapshot } from '../../protocol/webviewMessages';

export interface PanelView {
  report?: AuditReport;
  previous?: ScoreSnapshot;
  /** Set while an audit runs ("Auditing 12 / 40 files"). */
  running?: string;
  error?: string;
}

export interface RenderOptions {
  /** Formats an ISO time for display (default: the browser's locale). */
  formatTime?: (iso: string) => string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for use in HTML content and in double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

/** A finding message: escaped, with its `code spans` (identifiers, calls) shown as code. */
export function renderMessage(message: string): string {
  return message
    .split('`')
    .map((part, i, parts) => (i % 2 === 1 && i < parts.length - 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(i % 2 === 1 ? `\`${part}` : part)))
    .join('');
}

const CATEGORY_LABELS: Record<string, string> = {
  queries: 'Queries',
  pagination: 'Pagination',
  regex: 'Regex',
  memory: 'Memory',
  connections: 'Connections',
  schema: 'Schema',
};

export function categoryLabel(id: string): string {
  return CATEGORY_LABELS[id] ?? id;
}

/** Score band used for colours: good ≥ 90, fair ≥ 70, else poor. */
export function band(score: number): 'good' | 'fair' | 'poor' {
  return score >= 90 ? 'good' : score >= 70 ? 'fair' : 'poor';
}

const number = (n: number) => n.toLocaleString('en-US');

const defaultFormatTime = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
};

/** A data-* attribute list, every value escaped. */
function dataAttributes(data: Record<string, string | number>): string {
  return Object.entries(data)
    .map(([key, value]) => ` data-${key}="${escapeHtml(value)}"`)
    .join('');
}

function revealButton(label: string, uri: string, line0: number, character: number, className = 'link'): string {
  return `<button type="button" class="${className}" data-action="reveal"${dataAttributes({ uri, line: line0, character })} title="Open ${escapeHtml(label)}">${escapeHtml(label)}</button>`;
}

function docsButton(ruleId: string, url: string): string {
  return `<button type="button" class="link rule-id" data-action="openDocs"${dataAttributes({ rule: ruleId, url })} title="Documentation of ${escapeHtml(ruleId)}">${escapeHtml(ruleId)}</button>`;
}

/** The circular score gauge (inline SVG). */
export function renderGauge(overall: number, grade: string): string {
  const radius = 42;
  const circumference = 2 * Math.PI * radius;
  const clamped = Math.max(0, Math.min(100, overall));
  const filled = ((circumference * clamped) / 100).toFixed(2);
  return (
    `<svg class="gauge" viewBox="0 0 100 100" width="112" height="112" role="img" aria-label="Score ${clamped} of 100, grade ${escapeHtml(grade)}">` +
    `<circle class="gauge-track" cx="50" cy="50" r="${radius}" fill="none" stroke-width="9"></circle>` +
    `<circle class="gauge-value ${band(clamped)}" cx="50" cy="50" r="${radius}" fill="none" stroke-width="9" stroke-linecap="round" stroke-dasharray="${filled} ${circumference.toFixed(2)}" transform="rotate(-90 50 50)"></circle>` +
    `<text class="gauge-score" x="50" y="50" text-anchor="middle" dominant-baseline="central">${clamped}</text>` +
    `<text class="gauge-grade" x="50" y="72" text-anchor="middle" dominant-baseline="central">${escapeHtml(grade)}</text>` +
    `</svg>`
  );
}

/** One horizontal bar (inline SVG, scales with the column width). */
export function renderBar(value: number, max: number, className: string): string {
  const width = max <= 0 ? 0 : Math.max(0, Math.min(100, (value / max) * 100));
  return (
    `<svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" width="100%" height="8" aria-hidden="true">` +
    `<rect class="bar-track" x="0" y="0" width="100" height="6" rx="1"></rect>` +
    `<rect class="bar-value ${className}" x="0" y="0" width="${width.toFixed(2)}" height="6" rx="1"></rect>` +
    `</svg>`
  );
}

function countsText(counts: SeverityCounts): string {
  const parts: string[] = [];
  if (counts.error) parts.push(`<span class="sev sev-error">${number(counts.error)} error${counts.error === 1 ? '' : 's'}</span>`);
  if (counts.warning) parts.push(`<span class="sev sev-warning">${number(counts.warning)} warning${counts.warning === 1 ? '' : 's'}</span>`);
  if (counts.info) parts.push(`<span class="sev sev-info">${number(counts.info)} info</span>`);
  return parts.length ? parts.join(' ') : '<span class="muted">none</span>';
}

export function renderTrend(report: AuditReport, previous: ScoreSnapshot | undefined, formatTime: (iso: string) => string): string {
  if (!previous) return `<p class="trend none">First audit of this workspace: no trend yet.</p>`;
  const delta = report.score.overall - previous.overall;
  const when = `<time datetime="${escapeHtml(previous.generatedAt)}">${escapeHtml(formatTime(previous.generatedAt))}</time>`;
  if (delta === 0) return `<p class="trend same">No change since the previous audit (${previous.overall}, ${when}).</p>`;
  const direction = delta > 0 ? 'up' : 'down';
  const arrow = delta > 0 ? '▲' : '▼';
  const sign = delta > 0 ? '+' : '−';
  return `<p class="trend ${direction}"><span aria-hidden="true">${arrow}</span> ${sign}${Math.abs(delta)} since the previous audit (${previous.overall}, ${when}).</p>`;
}

function renderHeader(report: AuditReport, previous: ScoreSnapshot | undefined, formatTime: (iso: string) => string): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  const folders = report.folders.map((f) => escapeHtml(f.name)).join(', ');
  return (
    `<header class="summary">` +
    renderGauge(report.score.overall, report.score.grade) +
    `<div class="headline">` +
    `<h1>PerfLint score${folders ? `: ${folders}` : ''}</h1>` +
    `<p class="score-line"><span class="overall" data-testid="overall">${report.score.overall}</span>/100 · grade <span class="grade" data-testid="grade">${escapeHtml(report.score.grade)}</span></p>` +
    renderTrend(report, previous, formatTime) +
    `<p class="meta">Last audit <time datetime="${escapeHtml(report.generatedAt)}" data-testid="generated-at">${escapeHtml(formatTime(report.generatedAt))}</time> · ${number(report.filesScanned)} files · ${number(report.linesScanned)} lines · ${seconds} s</p>` +
    (report.cancelled ? `<p class="warning-note" role="status">The audit was cancelled: these numbers cover only the files analysed before that.</p>` : '') +
    `<div class="actions"><button type="button" class="primary" data-action="rerun">Re-run audit</button><button type="button" class="secondary" data-action="export">Export report</button></div>` +
    `</div></header>`
  );
}

function renderCategories(categories: CategorySummary[]): string {
  const rows = categories
    .map(
      (c) =>
        `<li class="category" data-category="${escapeHtml(c.id)}">` +
        `<span class="category-name">${escapeHtml(categoryLabel(c.id))} <span class="muted">${Math.round(c.weight * 100)}%</span></span>` +
        renderBar(c.score, 100, band(c.score)) +
        `<span class="category-score" data-testid="category-score">${c.score}</span>` +
        `<span class="category-count muted">${c.findings === 0 ? 'no findings' : `${number(c.findings)} finding${c.findings === 1 ? '' : 's'}`}</span>` +
        `</li>`,
    )
    .join('');
  return `<section aria-labelledby="h-categories"><h2 id="h-categories">Categories</h2><ul class="categories">${rows}</ul></section>`;
}

function renderSeverityCounts(report: AuditReport): string {
  const c = report.severityCounts;
  const item = (key: keyof SeverityCounts, label: string) =>
    `<li class="count sev-${key}"><span class="count-value" data-testid="count-${key}">${number(c[key])}</span> <span class="count-label">${label}</span></li>`;
  const total = c.error + c.warning + c.info;
  return (
    `<section aria-labelledby="h-counts"><h2 id="h-counts">Findings</h2>` +
    `<ul class="counts">` +
    `<li class="count total"><span class="count-value" data-testid="count-total">${number(total)}</span> <span class="count-label">total</span></li>` +
    item('error', 'errors') +
    item('warning', 'warnings') +
    item('info', 'info') +
    `</ul>` +
    (report.suppressedCount > 0 ? `<p class="muted">${number(report.suppressedCount)} suppressed by perflint-disable comments.</p>` : '') +
    `</section>`
  );
}

function renderFixFirst(fixFirst: RankedFinding[]): string {
  if (fixFirst.length === 0) return `<section aria-labelledby="h-fix"><h2 id="h-fix">Fix first</h2><p class="muted">Nothing to fix: no performance findings.</p></section>`;
  const rows = fixFirst
    .map(
      (f, i) =>
        `<li class="finding sev-${escapeHtml(f.severity)}">` +
        `<span class="rank muted">${i + 1}</span>` +
        `<span class="gain" title="Estimated gain of the overall score">+${f.gain.toFixed(1)}</span>` +
        `<span class="finding-body">` +
        `<span class="finding-where">${revealButton(`${f.file}:${f.line}`, f.uri, f.range.start.line, f.range.start.character)} ${docsButton(f.ruleId, f.docsUrl)} <span class="sev-label">${escapeHtml(f.severity)}</span></span>` +
        `<span class="finding-message">${renderMessage(f.message)}</span>` +
        (f.fixes.length ? `<span class="finding-fix muted">Quick fix: ${renderMessage(f.fixes.join('; '))}</span>` : '') +
        `</span></li>`,
    )
    .join('');
  return (
    `<section aria-labelledby="h-fix"><h2 id="h-fix">Fix first</h2>` +
    `<p class="muted">Ranked by how much fixing each finding would raise the overall score.</p>` +
    `<ol class="fix-first">${rows}</ol></section>`
  );
}

function renderTopFiles(report: AuditReport): string {
  if (report.topFiles.length === 0) return '';
  const max = report.topFiles[0].weight;
  const rows = report.topFiles
    .map(
      (f) =>
        `<tr><td class="file-cell">${revealButton(f.file, f.uri, Math.max(0, f.firstLine - 1), 0)}</td>` +
        `<td class="weight-cell">${renderBar(f.weight, max, 'weight')}<span class="weight">${number(f.weight)}</span></td>` +
        `<td>${countsText(f.counts)}</td></tr>`,
    )
    .join('');
  return (
    `<section aria-labelledby="h-files"><h2 id="h-files">Top files</h2>` +
    `<table class="files"><thead><tr><th scope="col">File</th><th scope="col">Weight</th><th scope="col">Findings</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

function renderRules(report: AuditReport): string {
  if (report.rules.length === 0) return '';
  const rows = report.rules
    .map(
      (r) =>
        `<tr><td>${docsButton(r.ruleId, r.docsUrl)}<div class="muted rule-description">${escapeHtml(r.description)}</div></td>` +
        `<td>${escapeHtml(categoryLabel(r.category))}</td>` +
        `<td class="num" data-testid="rule-count">${number(r.findings)}</td>` +
        `<td>${countsText(r.counts)}</td></tr>`,
    )
    .join('');
  return (
    `<section aria-labelledby="h-rules"><h2 id="h-rules">By rule</h2>` +
    `<table class="rules"><thead><tr><th scope="col">Rule</th><th scope="col">Category</th><th scope="col" class="num">Count</th><th scope="col">Severity</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

function renderFooter(report: AuditReport): string {
  return (
    `<footer class="formula"><p>${escapeHtml(report.formula)} ` +
    `<button type="button" class="link" data-action="openScoringDocs"${dataAttributes({ url: report.scoringDocsUrl })}>How the score works (docs/scoring.md)</button></p>` +
    (report.findingsTotal > report.fixFirst.length ? `<p class="muted">${number(report.findingsTotal)} findings in total are in the Problems panel; Export report lists them all.</p>` : '') +
    (report.notesCount > 0 ? `<p class="muted">${number(report.notesCount)} file notes (skipped, unreadable or not parsed): see the exported report.</p>` : '') +
    `</footer>`
  );
}

/** The whole panel body for a state (empty, running, error, report). */
export function renderPanel(view: PanelView, options: RenderOptions = {}): string {
  const formatTime = options.formatTime ?? defaultFormatTime;
  const banner =
    (view.running ? `<div class="banner running" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>${escapeHtml(view.running)}</div>` : '') +
    (view.error ? `<div class="banner error" role="alert">${escapeHtml(view.error)}</div>` : '');
  if (!view.report) {
    return (
      `<main class="panel">${banner}` +
      `<section class="empty"><h1>PerfLint score</h1>` +
      `<p>No audit yet. The workspace audit analyses every source file and Prisma schema and scores the workspace.</p>` +
      `<div class="actions"><button type="button" class="primary" data-action="rerun"${view.running ? ' disabled' : ''}>Run workspace audit</button></div>` +
      `</section></main>`
    );
  }
  const report = view.report;
  return (
    `<main class="panel${view.running ? ' is-running' : ''}">${banner}` +
    renderHeader(report, view.previous, formatTime) +
    `<div class="columns">` +
    `<div class="column">${renderCategories(report.categories)}${renderSeverityCounts(report)}</div>` +
    `<div class="column wide">${renderFixFirst(report.fixFirst)}</div>` +
    `</div>` +
    renderTopFiles(report) +
    renderRules(report) +
    renderFooter(report) +
    `</main>`
  );
}

/** The panel's HTML document shell (the host sets it once; the script fills the body). */
export function renderShell(params: { cspSource: string; nonce: string; scriptUri: string; styleUri: string }): string {
  const csp = [
    `default-src 'none'`,
    `img-src ${params.cspSource} data:`,
    `style-src ${params.cspSource}`,
    `font-src ${params.cspSource}`,
    `script-src 'nonce-${params.nonce}'`,
  ].join('; ');
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp.replace(/[&"<>]/g, escapeHtml)}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1.0">` +
    `<link rel="stylesheet" href="${escapeHtml(params.styleUri)}">` +
    `<title>PerfLint score</title></head>` +
    `<body><div id="root" aria-busy="true"><main class="panel"><p class="muted">Loading…</p></main></div>` +
    `<script nonce="${escapeHtml(params.nonce)}" src="${escapeHtml(params.scriptUri)}"></script></body></html>`
  );
}
