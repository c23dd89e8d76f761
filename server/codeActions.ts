/**
 * Code actions: each fix of a finding (safe fixes preferred), "Disable <rule> for this line",
 * "Disable <rule> for this file", "Show documentation for <rule>", and `source.fixAll.perflint`
 * (safe fixes only, merged without overlaps). Every action carries its edit directly, versioned
 * against the document it was computed for; the disable edits are generated here, not by rules.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import { applyFixes, LineIndex, type Finding, type Fix, type TextEdit as EngineEdit } from '../engine';
import { Commands, DIAGNOSTIC_SOURCE, FIX_ALL_KIND } from '../protocol/protocol';
import type { ServerContext } from './context';
import { toWorkspaceEdit, UNUSED_DIRECTIVE_ID } from './convert';
import type { Analysis } from './diagnostics';
import { describeError } from './logger';

/** Placeholder the user replaces with the reason (suppressions should say why). */
export const REASON_PLACEHOLDER = 'reason';

export function registerCodeActions(context: ServerContext): void {
  context.connection.onCodeAction(async (params) => {
    try {
      return await codeActions(context, params);
    } catch (error) {
      context.logger.error(`Code actions for ${params.textDocument.uri} failed: ${describeError(error)}`);
      return [];
    }
  });
}

function wants(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return kind.startsWith(CodeActionKind.QuickFix);
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

async function codeActions(context: ServerContext, params: CodeActionParams): Promise<CodeAction[]> {
  const document = context.documents.get(params.textDocument.uri);
  if (!document) return [];
  const analysis = await context.diagnostics.analysisFor(document);
  // The document moved on while we were analysing: the client will ask again.
  if (context.documents.get(document.uri)?.version !== analysis.version || analysis.skipped) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];

  if (wants(only, CodeActionKind.QuickFix)) {
    const seenRules = new Set<string>();
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const finding = findingFor(analysis, diagnostic, document);
      if (!finding) continue;
      actions.push(...fixActions(context, document, analysis, finding, diagnostic));
      if (finding.ruleId === UNUSED_DIRECTIVE_ID) continue;
      actions.push(disableLineAction(context, document, analysis, finding, diagnostic));
      // One file-level and documentation action per rule, however many findings are selected.
      if (seenRules.has(finding.ruleId)) continue;
      seenRules.add(finding.ruleId);
      actions.push(disableFileAction(context, document, analysis, finding));
      if (context.rules.has(finding.ruleId)) {
        actions.push({
          title: `Show documentation for ${finding.ruleId}`,
          kind: CodeActionKind.QuickFix,
          command: { title: `Show documentation for ${finding.ruleId}`, command: Commands.openRuleDoc, arguments: [finding.ruleId] },
        });
      }
    }
  }

  if (wants(only, FIX_ALL_KIND)) {
    const fixAll = fixAllAction(context, document, analysis);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

/** The finding a client diagnostic stands for: same rule and range (and message when possible). */
function findingFor(analysis: Analysis, diagnostic: Diagnostic, document: TextDocument): Finding | undefined {
  const start = document.offsetAt(diagnostic.range.start);
  const end = document.offsetAt(diagnostic.range.end);
  const candidates = analysis.findings.filter((finding) => finding.ruleId === diagnostic.code && finding.range.start === start && finding.range.end === end);
  return candidates.find((finding) => finding.message === diagnostic.message) ?? candidates[0];
}

function fixActions(context: ServerContext, document: TextDocument, analysis: Analysis, finding: Finding, diagnostic: Diagnostic): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const fix of finding.fixes) {
    const edit = toWorkspaceEdit(document, analysis.path, fix.edits, context.resolver, context.client.documentChanges);
    if (!edit) {
      context.logger.warn(`Fix "${fix.title}" of ${finding.ruleId} in ${analysis.path} edits a file that cannot be read; not offered.`);
      continue;
    }
    actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.kind === 'safe', edit });
  }
  return actions;
}

function eolOf(text: string): string {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

/** Next-line directive with the line's indentation; extends an existing directive on the line above. */
function disableLineAction(context: ServerContext, document: TextDocument, analysis: Analysis, finding: Finding, diagnostic: Diagnostic): CodeAction {
  const text = analysis.text;
  const lines = new LineIndex(text);
  const line = finding.loc.line - 1;
  const lineStart = lines.lineStart(line);
  const indentation = /^[ \t]*/.exec(text.slice(lineStart, lineStart + 200))![0];
  let edit: EngineEdit = { start: lineStart, end: lineStart, text: `${indentation}// perflint-disable-next-line ${finding.ruleId} -- ${REASON_PLACEHOLDER}${eolOf(text)}` };
  if (line > 0) {
    const previousStart = lines.lineStart(line - 1);
    const previous = text.slice(previousStart, lineStart).replace(/\r?\n$|\r$/, '');
    const existing = /^(\s*\/\/\s*perflint-disable-next-line\s+)([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/.exec(previous);
    if (existing && !existing[2].split(/\s*,\s*/).includes(finding.ruleId)) {
      const at = previousStart + existing[1].length + existing[2].length;
      edit = { start: at, end: at, text: `, ${finding.ruleId}` };
    }
  }
  return {
    title: `Disable ${finding.ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: toWorkspaceEdit(document, analysis.path, [edit], context.resolver, context.client.documentChanges),
  };
}

/** File directive at the top (after a shebang). Prisma gets `//` (never `///`, which is documentation). */
function disableFileAction(context: ServerContext, document: TextDocument, analysis: Analysis, finding: Finding): CodeAction {
  const text = analysis.text;
  const eol = eolOf(text);
  let at = 0;
  if (text.startsWith('#!')) {
    const newline = text.indexOf('\n');
    at = newline < 0 ? text.length : newline + 1;
  }
  const prefix = at === text.length && at > 0 ? eol : '';
  const directive = analysis.path.toLowerCase().endsWith('.prisma')
    ? `// perflint-disable ${finding.ruleId} -- ${REASON_PLACEHOLDER}`
    : `/* perflint-disable ${finding.ruleId} -- ${REASON_PLACEHOLDER} */`;
  return {
    title: `Disable ${finding.ruleId} for this file`,
    kind: CodeActionKind.QuickFix,
    edit: toWorkspaceEdit(document, analysis.path, [{ start: at, end: at, text: `${prefix}${directive}${eol}` }], context.resolver, context.client.documentChanges),
  };
}

/** Safe fixes of every finding in the document, merged (overlapping later ones dropped). */
function fixAllAction(context: ServerContext, document: TextDocument, analysis: Analysis): CodeAction | undefined {
  const safe: Fix[] = [];
  for (const finding of analysis.findings) {
    for (const fix of finding.fixes) {
      // Fix-all stays inside the document: cross-file edits are offered one by one only.
      if (fix.kind === 'safe' && fix.edits.every((edit) => edit.path === undefined || edit.path === analysis.path)) safe.push(fix);
    }
  }
  if (safe.length === 0) return undefined;
  const { applied } = applyFixes(analysis.text, safe, analysis.path);
  if (applied.length === 0) return undefined;
  const edits = applied.flatMap((fix) => fix.edits.map((edit) => ({ start: edit.start, end: edit.end, text: edit.text })));
  return {
    title: `Fix all safe PerfLint problems (${applied.length})`,
    kind: FIX_ALL_KIND,
    edit: toWorkspaceEdit(document, analysis.path, edits, context.resolver, context.client.documentChanges),
  };
}
