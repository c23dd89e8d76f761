import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { band, escapeHtml, renderBar, renderGauge, renderMessage, renderPanel, renderShell, renderTrend } from '../../client/panel/render';
import type { AuditReport, RankedFinding } from '../../protocol/auditReport';

const HOSTILE = '<img src=x onerror=alert(1)>.ts';

function finding(overrides: Partial<RankedFinding> = {}): RankedFinding {
  return {
    ruleId: 'n-plus-one',
    category: 'queries',
    severity: 'warning',
    message: '`prisma.order.findMany` runs once per element of `users`: 1 + N round trips',
    uri: 'file:///work/shop/src/orders.ts',
    file: 'src/orders.ts',
    line: 12,
    column: 5,
    range: { start: { line: 11, character: 4 }, end: { line: 11, character: 30 } },
    fixes: ['Batch with findMany({ where: { id: { in } } })'],
    docsUrl: 'https://github.com/perflint/perflint/blob/main/rules/n-plus-one.md',
    gain: 2.345,
    ...overrides,
  };
}

function report(overrides: Partial<AuditReport> = {}): AuditReport {
  const f = finding();
  return {
    version: 1,
    perflintVersion: '0.1.0',
    generatedAt: '2026-11-22T10:00:00.000Z',
    folders: [{ name: 'shop', uri: 'file:///work/shop' }],
    filesScanned: 12,
    linesScanned: 1834,
    durationMs: 420,
    cancelled: false,
    score: { overall: 83, grade: 'B', categories: { queries: 70, pagination: 90, regex: 100, memory: 100, connections: 95, schema: 60 } },
    formula: 'Each category scores 100 × e^(−d/12)…',
    scoringDocsUrl: 'https://github.com/perflint/perflint/blob/main/docs/scoring.md',
    categories: [
      { id: 'queries', score: 70, weight: 0.3, counts: { error: 1, warning: 2, info: 0 }, findings: 3 },
      { id: 'schema', score: 60, weight: 0.1, counts: { error: 0, warning: 1, info: 0 }, findings: 1 },
    ],
    severityCounts: { error: 1, warning: 3, info: 0 },
    rules: [{ ruleId: 'n-plus-one', category: 'queries', description: 'Database calls once per element', docsUrl: f.docsUrl, counts: { error: 1, warning: 2, info: 0 }, findings: 3 }],
    topFiles: [{ uri: f.uri, file: f.file, weight: 16, counts: { error: 1, warning: 2, info: 0 }, findings: 3, firstLine: 12 }],
    fixFirst: [f],
    findings: [f],
    findingsTotal: 4,
    suppressedCount: 2,
    notesCount: 0,
    ...overrides,
  };
}

const formatTime = (iso: string) => `T(${iso})`;

describe('score panel rendering', () => {
  it('escapes every HTML-significant character', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&\``), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;');
  });

  it('shows code spans of messages as code, escaped, and leaves an unpaired backtick as text', () => {
    assert.equal(renderMessage('`prisma.order.findMany` runs once per element of `users`'), '<code>prisma.order.findMany</code> runs once per element of <code>users</code>');
    assert.equal(renderMessage('`<img src=x>` & `a'), '<code>&lt;img src=x&gt;</code> &amp; &#96;a');
    assert.equal(renderMessage('no code'), 'no code');
  });

  it('shows the score, grade, severity counts, categories, fix-first gains, top files and rules', () => {
    const html = renderPanel({ report: report() }, { formatTime });
    assert.match(html, /<span class="overall" data-testid="overall">83<\/span>\/100 · grade <span class="grade" data-testid="grade">B<\/span>/);
    assert.match(html, /data-testid="count-error">1</);
    assert.match(html, /data-testid="count-warning">3</);
    assert.match(html, /data-testid="count-total">4</);
    assert.match(html, /data-category="queries"/);
    assert.match(html, /data-category="schema"/);
    assert.match(html, /class="gain"[^>]*>\+2\.3</);
    assert.match(html, /src\/orders\.ts:12/);
    assert.match(html, /data-testid="rule-count">3</);
    assert.match(html, /Last audit <time datetime="2026-11-22T10:00:00.000Z" data-testid="generated-at">T\(2026-11-22T10:00:00.000Z\)<\/time> · 12 files · 1,834 lines · 0\.4 s/);
    assert.match(html, /2 suppressed by perflint-disable comments/);
    assert.match(html, /docs\/scoring\.md/);
    assert.match(html, /4 findings in total are in the Problems panel/);
  });

  it('makes findings, files and rules clickable buttons carrying their target', () => {
    const html = renderPanel({ report: report() }, { formatTime });
    assert.match(html, /<button type="button" class="link" data-action="reveal" data-uri="file:\/\/\/work\/shop\/src\/orders\.ts" data-line="11" data-character="4"/);
    assert.match(html, /data-action="openDocs" data-rule="n-plus-one" data-url="https:\/\/github\.com\/perflint\/perflint\/blob\/main\/rules\/n-plus-one\.md"/);
    assert.match(html, /data-action="rerun"/);
    assert.match(html, /data-action="export"/);
    assert.match(html, /data-action="openScoringDocs"/);
    // Every actionable element is a native button (keyboard focus and Enter/Space for free).
    const actionable = html.match(/<(\w+)[^>]*data-action=/g) ?? [];
    assert.ok(actionable.length >= 7);
    for (const tag of actionable) assert.match(tag, /^<button /);
  });

  it('escapes hostile file names, messages and rule ids (no markup, no handlers, no style attributes)', () => {
    const hostile = finding({
      file: HOSTILE,
      uri: `file:///work/shop/${encodeURIComponent(HOSTILE)}`,
      message: `<script>alert("x")</script> in ${HOSTILE}`,
      ruleId: '"><svg onload=alert(1)>',
      fixes: ['<b onclick=x>fix</b>'],
    });
    const html = renderPanel(
      {
        report: report({
          folders: [{ name: '<iframe src=javascript:alert(1)>', uri: 'file:///x' }],
          fixFirst: [hostile],
          topFiles: [{ uri: hostile.uri, file: HOSTILE, weight: 3, counts: { error: 0, warning: 1, info: 0 }, findings: 1, firstLine: 1 }],
          rules: [{ ruleId: hostile.ruleId, category: '<i>', description: '<u>desc</u>', docsUrl: 'javascript:alert(1)"', counts: { error: 0, warning: 1, info: 0 }, findings: 1 }],
        }),
        error: '<img src=y onerror=alert(2)>',
      },
      { formatTime },
    );
    for (const raw of ['<img', '<script', '<svg onload', '<iframe', '<b onclick', '<u>', '<i>']) assert.ok(!html.includes(raw), `raw ${raw} in output`);
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;.ts'));
    // Tags with their (always double-quoted, escaped) attribute values blanked: only names remain.
    const tags = (html.match(/<[a-zA-Z][^>]*>/g) ?? []).map((tag) => tag.replace(/"[^"]*"/g, '""'));
    assert.ok(tags.length > 50);
    for (const tag of tags) {
      assert.doesNotMatch(tag, /\son[a-z]+=/i, `an inline event handler attribute in ${tag}`);
      assert.doesNotMatch(tag, /\sstyle=/i, `a style attribute (blocked by the CSP) in ${tag}`);
      assert.match(tag, /^<(main|div|header|section|h1|h2|p|span|time|button|ul|ol|li|svg|circle|text|rect|table|thead|tbody|tr|th|td|footer|code)[\s>]/, `unexpected element ${tag}`);
    }
    assert.doesNotMatch(html, /javascript:alert\(1\)"/);
  });

  it('shows the trend against the previous audit', () => {
    const r = report();
    assert.match(renderTrend(r, undefined, formatTime), /First audit/);
    assert.match(renderTrend(r, { overall: 80, grade: 'B', generatedAt: 'then', findings: 9 }, formatTime), /class="trend up".*\+3 since the previous audit \(80, <time datetime="then">T\(then\)<\/time>\)/);
    assert.match(renderTrend(r, { overall: 90, grade: 'A', generatedAt: 'then', findings: 1 }, formatTime), /class="trend down".*−7 since/);
    assert.match(renderTrend(r, { overall: 83, grade: 'B', generatedAt: 'then', findings: 4 }, formatTime), /No change since the previous audit/);
  });

  it('renders the empty, running, error and cancelled states', () => {
    const empty = renderPanel({});
    assert.match(empty, /No audit yet/);
    assert.match(empty, /data-action="rerun"/);
    assert.match(renderPanel({ running: 'Auditing 1,240 / 4,210 files' }), /role="status" aria-live="polite">.*Auditing 1,240 \/ 4,210 files/);
    assert.match(renderPanel({ running: 'x' }), /data-action="rerun" disabled/);
    assert.match(renderPanel({ report: report(), error: 'Audit cancelled.' }, { formatTime }), /role="alert">Audit cancelled\.</);
    assert.match(renderPanel({ report: report({ cancelled: true }) }, { formatTime }), /The audit was cancelled/);
    assert.match(renderPanel({ report: report({ fixFirst: [], rules: [], topFiles: [], findingsTotal: 0 }) }, { formatTime }), /Nothing to fix/);
  });

  it('draws the gauge and bars as inline SVG proportional to the values', () => {
    const gauge = renderGauge(50, 'F');
    const circumference = 2 * Math.PI * 42;
    assert.match(gauge, new RegExp(`stroke-dasharray="${(circumference / 2).toFixed(2)} ${circumference.toFixed(2)}"`));
    assert.match(gauge, /aria-label="Score 50 of 100, grade F"/);
    assert.match(renderGauge(140, 'A'), /Score 100 of 100/);
    assert.match(renderBar(25, 50, 'fair'), /class="bar-value fair" x="0" y="0" width="50\.00"/);
    assert.match(renderBar(3, 0, 'x'), /width="0\.00"/);
    assert.deepEqual([band(95), band(75), band(40)], ['good', 'fair', 'poor']);
  });

  it('builds a shell with a strict nonce-based CSP and no inline script', () => {
    const html = renderShell({ cspSource: 'https://webview.test', nonce: 'abc123', scriptUri: 'https://webview.test/dist/panel.js', styleUri: 'https://webview.test/media/panel.css' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.match(csp, /style-src https:\/\/webview\.test(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.match(html, /<script nonce="abc123" src="https:\/\/webview\.test\/dist\/panel\.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });
});
