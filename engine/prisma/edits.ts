/**
 * Schema edits shared by the Prisma rules: add a block attribute (`@@index([...])`) to a model,
 * formatted like the block, and remove an attribute's line.
 */
import type { TextEdit } from '../types';
import type { IndexField, IndexInfo, ModelInfo } from './model';
import type { Span } from './scanner';

/** `@@index([a, b(sort: Desc)])` text for a list of fields. */
export function indexAttributeText(fields: ReadonlyArray<string | IndexField>): string {
  const parts = fields.map((f) => (typeof f === 'string' ? f : f.sort === 'desc' ? `${f.name}(sort: Desc)` : f.name));
  return `@@index([${parts.join(', ')}])`;
}

/**
 * The edit that adds `attributeText` as a block attribute of `model` (in `text`, the model's file):
 * after the last existing block attribute, or after the last field behind a blank line (the layout
 * `prisma format` produces). Undefined when the block has no closing brace on its own line.
 */
export function addBlockAttributeEdit(model: ModelInfo, text: string, attributeText: string): TextEdit | undefined {
  if (model.closeBrace < 0 || !model.span) return undefined;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const closeLineStart = lineStartOf(text, model.closeBrace);
  if (text.slice(closeLineStart, model.closeBrace).trim() !== '') return undefined;
  const blockAttributes = model.indexes.filter((i) => !i.fieldLevel && i.span && i.file === model.file && i.span.start > model.span!.start && i.span.end <= model.closeBrace);
  const lastAttributeEnd = Math.max(-1, ...blockAttributes.map((i) => i.span!.end), ...blockAttributeEnds(text, model));
  const line = `${model.indent}${attributeText}${newline}`;
  if (lastAttributeEnd >= 0) {
    const at = nextLineStart(text, lastAttributeEnd);
    if (at <= model.closeBrace) return { start: at, end: at, text: line };
  }
  // No block attribute yet: a blank line after the fields, then the attribute.
  const bodyIsEmpty = model.fields.length === 0;
  const hasBlankLine = /\n[ \t]*\r?\n$/.test(text.slice(0, closeLineStart));
  return { start: closeLineStart, end: closeLineStart, text: `${bodyIsEmpty || hasBlankLine ? '' : newline}${line}` };
}

/** Ends of other block attributes (`@@map`, `@@schema`…) that the model's index list does not carry. */
function blockAttributeEnds(text: string, model: ModelInfo): number[] {
  const ends: number[] = [];
  const body = text.slice(model.span!.start, model.closeBrace);
  const re = /^[ \t]*@@\w+[^\n]*$/gm;
  for (let match = re.exec(body); match; match = re.exec(body)) ends.push(model.span!.start + match.index + match[0].length);
  return ends;
}

/** The edit that removes a block attribute's lines (including trailing comment and line break). */
export function removeAttributeLineEdit(text: string, span: Span): TextEdit | undefined {
  const start = lineStartOf(text, span.start);
  if (text.slice(start, span.start).trim() !== '') return undefined;
  let end = span.end;
  const lineEnd = text.indexOf('\n', end);
  const rest = text.slice(end, lineEnd < 0 ? text.length : lineEnd).trim();
  if (rest !== '' && !rest.startsWith('//')) return undefined;
  end = lineEnd < 0 ? text.length : lineEnd + 1;
  return { start, end, text: '' };
}

/** A short human form of an index (`@@index([userId, createdAt])`, `@unique` on `email`). */
export function describeIndex(index: IndexInfo): string {
  if (index.fieldLevel) return `\`@${index.kind}\` on \`${index.fields[0]?.name}\``;
  const fields = index.fields.map((f) => (f.sort === 'desc' ? `${f.name}(sort: Desc)` : f.name)).join(', ');
  const type = index.algorithm ? `, type: ${index.algorithm}` : '';
  return `\`@@${index.kind}([${fields}]${type})\``;
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

function nextLineStart(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
}
