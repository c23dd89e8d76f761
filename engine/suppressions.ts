/**
 * Inline suppression directives, the same in TS/JS and Prisma files:
 *   // perflint-disable-next-line <rule-id>[, <rule-id>…] -- <reason>
 *   code(); // perflint-disable-line <rule-id> -- <reason>
 *   /* perflint-disable <rule-id> *\/   (file level; `//` form too, for Prisma)
 * Without rule ids a directive applies to every rule. Directives that silence nothing are reported.
 */
import * as ts from 'typescript';
import type { LineIndex } from './lines';
import { scanTokens } from './textscan';
import type { Finding, Language, OffsetRange } from './types';

export type DirectiveKind = 'next-line' | 'line' | 'file';

export interface Directive {
  kind: DirectiveKind;
  /** Rule ids; empty means every rule. */
  ruleIds: string[];
  reason: string | undefined;
  /** The whole comment. */
  range: OffsetRange;
  /** 0-based line the directive applies to (-1 for file directives). */
  targetLine: number;
  /** Rule ids (or '*') that silenced at least one finding. */
  used: Set<string>;
}

const DIRECTIVE = /perflint-disable(-next-line|-line)?(?=[\s*]|$)/g;

/** What `parseDirectives` may use to tell comments from literal text in a TS/JS file. */
export interface DirectiveSyntax {
  /** The file's syntax tree, when it has one already. */
  tree?: ts.SourceFile;
  /** The text may hold JSX (the gates' tokenizer does not read JSX text). */
  jsx?: boolean;
  /** Parses the file: asked only when the tokenizer cannot tell. */
  parse?: () => ts.SourceFile | undefined;
}

/**
 * Finds every directive in a file's comments. A `//` or `/*` that opens no comment (inside a
 * string, a template, a regular expression, JSX text) is no directive: it would silence findings
 * by accident, and removing it as unused would change or break the code. TS/JS files ask their
 * syntax tree when they have one, else the gates' tokenizer (a file no rule needs stays unparsed),
 * and parse only when that cannot tell; Prisma strings end on their line.
 */
export function parseDirectives(text: string, lines: LineIndex, language: Language = 'typescript', syntax: DirectiveSyntax = {}): Directive[] {
  if (!text.includes('perflint-disable')) return [];
  const found: Array<{ match: RegExpExecArray; line: number; commentStart: number; isBlock: boolean }> = [];
  DIRECTIVE.lastIndex = 0;
  for (let match = DIRECTIVE.exec(text); match; match = DIRECTIVE.exec(text)) {
    const { line } = lines.position(match.index);
    const lineStart = lines.lineStart(line);
    const before = text.slice(lineStart, match.index);
    const opener = /(\/\/|\/\*)\s*$/.exec(before);
    if (!opener) continue;
    if (language === 'prisma' && insidePrismaString(before.slice(0, opener.index))) continue;
    found.push({ match, line, commentStart: lineStart + opener.index, isBlock: opener[1] === '/*' });
  }
  if (found.length === 0) return [];
  const opensComment = language === 'prisma' ? undefined : commentOpeners(text, found.map((f) => f.commentStart), syntax);
  const directives: Directive[] = [];
  found.forEach(({ match, line, commentStart, isBlock }, i) => {
    if (opensComment && !opensComment[i]) return;
    const lineEnd = findLineEnd(text, match.index);
    let bodyEnd = lineEnd;
    let commentEnd = lineEnd;
    if (isBlock) {
      const close = text.indexOf('*/', match.index);
      if (close < 0) return;
      bodyEnd = close;
      commentEnd = close + 2;
    }
    const body = text.slice(match.index + match[0].length, bodyEnd);
    const [idsPart, ...reasonParts] = body.split(/\s--\s?|\s--$/);
    const ruleIds = idsPart
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter((id) => /^[a-z][a-z0-9-]*$/.test(id));
    const reason = reasonParts.length > 0 ? reasonParts.join(' -- ').trim() || undefined : undefined;
    const suffix = match[1];
    const kind: DirectiveKind = suffix === '-next-line' ? 'next-line' : suffix === '-line' ? 'line' : 'file';
    directives.push({
      kind,
      ruleIds,
      reason,
      range: { start: commentStart, end: commentEnd },
      targetLine: kind === 'next-line' ? line + 1 : kind === 'line' ? line : -1,
      used: new Set(),
    });
  });
  return directives;
}

/** For each offset of a `//` or `/*` (ascending): whether it opens a comment. */
function commentOpeners(text: string, offsets: number[], syntax: DirectiveSyntax): boolean[] {
  let tree = syntax.tree;
  if (!tree && !syntax.jsx) {
    const inToken = offsets.map(() => false);
    let next = 0;
    const consistent = scanTokens(text, (_kind, start, end) => {
      while (next < offsets.length && offsets[next] < start) next++;
      for (; next < offsets.length && offsets[next] < end; next++) inToken[next] = true;
    });
    if (consistent) return inToken.map((inside) => !inside);
  }
  tree ??= syntax.parse?.();
  // (no tree: the text as it reads)
  return offsets.map((offset) => !tree || !insideLiteralToken(tree, offset));
}

/** Whether `offset` lies inside a literal token (string, template part, regular expression, JSX text). */
export function insideLiteralToken(sourceFile: ts.SourceFile, offset: number): boolean {
  let node: ts.Node = sourceFile;
  // Iterative descent: trees may be thousands of levels deep.
  for (;;) {
    const child: ts.Node | undefined = ts.forEachChild(node, (c) => (c.pos <= offset && offset < c.end ? c : undefined));
    if (!child) break;
    node = child;
  }
  const isLiteral = (node.kind >= ts.SyntaxKind.FirstLiteralToken && node.kind <= ts.SyntaxKind.LastLiteralToken) || (node.kind >= ts.SyntaxKind.FirstTemplateToken && node.kind <= ts.SyntaxKind.LastTemplateToken);
  return isLiteral && offset >= node.getStart(sourceFile);
}

/** Whether a Prisma line's text up to a point leaves a string open (Prisma strings end on their line). */
function insidePrismaString(lineBefore: string): boolean {
  let open = false;
  for (let i = 0; i < lineBefore.length; i++) {
    const c = lineBefore[i];
    if (open && c === '\\') i++;
    else if (c === '"') open = !open;
    else if (!open && c === '/' && lineBefore[i + 1] === '/') return false;
  }
  return open;
}

function findLineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) return i;
  }
  return text.length;
}

/**
 * Splits findings into reported and suppressed, marking which directives were used.
 * A finding is matched by the line it starts on.
 */
export function applyDirectives(findings: Finding[], directives: Directive[]): { kept: Finding[]; suppressed: number } {
  if (directives.length === 0) return { kept: findings, suppressed: 0 };
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const finding of findings) {
    const line = finding.loc.line - 1;
    const directive = directives.find(
      (d) => (d.kind === 'file' || d.targetLine === line) && (d.ruleIds.length === 0 || d.ruleIds.includes(finding.ruleId)),
    );
    if (directive) {
      directive.used.add(directive.ruleIds.length === 0 ? '*' : finding.ruleId);
      suppressed++;
    } else kept.push(finding);
  }
  return { kept, suppressed };
}

/**
 * Directive rule ids (or whole directives) that silenced nothing. Ids of rules that are not
 * enabled for the file are not reported: the directive may matter under another configuration.
 */
export function unusedDirectives(directives: Directive[], enabledRuleIds: ReadonlySet<string>): Array<{ directive: Directive; ruleId?: string }> {
  const unused: Array<{ directive: Directive; ruleId?: string }> = [];
  for (const directive of directives) {
    if (directive.ruleIds.length === 0) {
      if (directive.used.size === 0) unused.push({ directive });
      continue;
    }
    for (const ruleId of directive.ruleIds) {
      if (enabledRuleIds.has(ruleId) && !directive.used.has(ruleId)) unused.push({ directive, ruleId });
    }
  }
  return unused;
}

/** The edit that removes a directive: its whole line when the comment stands alone on it. */
export function directiveRemovalRange(text: string, directive: Directive, lines: LineIndex): OffsetRange {
  const { line } = lines.position(directive.range.start);
  const lineStart = lines.lineStart(line);
  const lineEnd = findLineEnd(text, directive.range.end);
  const aloneOnLine = text.slice(lineStart, directive.range.start).trim() === '' && text.slice(directive.range.end, lineEnd).trim() === '';
  if (aloneOnLine) {
    const next = lineEnd < text.length ? lineEnd + (text.startsWith('\r\n', lineEnd) ? 2 : 1) : lineEnd;
    return { start: lineStart, end: next };
  }
  let start = directive.range.start;
  while (start > lineStart && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { start, end: directive.range.end };
}
