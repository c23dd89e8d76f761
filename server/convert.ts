/**
 * Engine ↔ LSP conversion: the only place that turns engine offsets, severities, related
 * locations and fix edits into LSP types.
 */
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Position,
  type Range,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { LineIndex, type Finding, type Rule, type Severity, type TextEdit as EngineEdit } from '../engine';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../protocol/protocol';

/** Id the engine gives findings about directives that suppress nothing. */
export const UNUSED_DIRECTIVE_ID = 'unused-disable-directive';

export function toSeverity(severity: Severity): DiagnosticSeverity {
  return severity === 'error' ? DiagnosticSeverity.Error : severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

/** Resolves file paths to URIs (open documents keep the exact URI their client sent). */
export interface UriResolver {
  uriOf(filePath: string): string;
  /** An open document for a path, if any. */
  documentOf(filePath: string): TextDocument | undefined;
  /** Text of a file that is not open (disk, through the project), for positions of cross-file edits. */
  readText(filePath: string): string | undefined;
}

export function fileUri(filePath: string): string {
  return URI.file(filePath).toString();
}

function rangeOf(document: TextDocument, start: number, end: number): Range {
  return { start: document.positionAt(start), end: document.positionAt(end) };
}

/** One finding as an LSP diagnostic. */
export function toDiagnostic(finding: Finding, index: number, document: TextDocument, rules: ReadonlyMap<string, Rule>, resolver: UriResolver): Diagnostic {
  const rule = rules.get(finding.ruleId);
  const related: DiagnosticRelatedInformation[] = finding.related.map((item) => ({
    location: {
      uri: item.path === finding.path ? document.uri : resolver.uriOf(item.path),
      range:
        item.path === finding.path
          ? rangeOf(document, item.range.start, item.range.end)
          : {
              start: { line: item.loc.line - 1, character: item.loc.column - 1 },
              end: { line: item.loc.endLine - 1, character: item.loc.endColumn - 1 },
            },
    },
    message: item.message,
  }));
  const data: DiagnosticData = { ruleId: finding.ruleId, version: document.version, index };
  const diagnostic: Diagnostic = {
    range: rangeOf(document, finding.range.start, finding.range.end),
    severity: toSeverity(finding.severity),
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    message: finding.message,
    data,
  };
  if (rule) diagnostic.codeDescription = { href: rule.docsUrl };
  if (related.length > 0) diagnostic.relatedInformation = related;
  if (finding.ruleId === UNUSED_DIRECTIVE_ID) diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}

/** Positions of `edits` in a file that is not the document being fixed. */
function otherFileEdits(filePath: string, edits: EngineEdit[], resolver: UriResolver): { uri: string; version: number | null; edits: TextEdit[] } | undefined {
  const open = resolver.documentOf(filePath);
  if (open) return { uri: open.uri, version: open.version, edits: edits.map((edit) => ({ range: rangeOf(open, edit.start, edit.end), newText: edit.text })) };
  const text = resolver.readText(filePath);
  if (text === undefined) return undefined;
  const lines = new LineIndex(text);
  const position = (offset: number): Position => lines.position(offset);
  return { uri: resolver.uriOf(filePath), version: null, edits: edits.map((edit) => ({ range: { start: position(edit.start), end: position(edit.end) }, newText: edit.text })) };
}

/**
 * Engine edits (offsets in `document`, or in another file when `edit.path` is set) as a workspace
 * edit: versioned TextDocumentEdits when the client supports them, a `changes` map otherwise.
 * Undefined when an edit targets a file that cannot be read.
 */
export function toWorkspaceEdit(document: TextDocument, documentPath: string, edits: readonly EngineEdit[], resolver: UriResolver, documentChanges: boolean): WorkspaceEdit | undefined {
  const byPath = new Map<string, EngineEdit[]>();
  for (const edit of edits) {
    const target = edit.path === undefined ? documentPath : path.resolve(edit.path);
    let list = byPath.get(target);
    if (!list) byPath.set(target, (list = []));
    list.push(edit);
  }
  const groups: Array<{ uri: string; version: number | null; edits: TextEdit[] }> = [];
  for (const [target, list] of byPath) {
    if (target === documentPath) {
      groups.push({ uri: document.uri, version: document.version, edits: list.map((edit) => ({ range: rangeOf(document, edit.start, edit.end), newText: edit.text })) });
    } else {
      const group = otherFileEdits(target, list, resolver);
      if (!group) return undefined;
      groups.push(group);
    }
  }
  if (documentChanges) {
    const changes: TextDocumentEdit[] = groups.map((group) => ({ textDocument: { uri: group.uri, version: group.version }, edits: group.edits }));
    return { documentChanges: changes };
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const group of groups) changes[group.uri] = [...(changes[group.uri] ?? []), ...group.edits];
  return { changes };
}
