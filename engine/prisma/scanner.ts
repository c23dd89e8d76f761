/**
 * A tolerant scanner of Prisma schema text: blocks (`model`, `view`, `type`, `enum`, `datasource`,
 * `generator`), fields with their types and attributes, block attributes (`@@index([...])`…) with
 * argument spans, and datasource/generator properties. It never throws: half-typed input yields
 * whatever could be recognised, with exact UTF-16 offsets. Semantics (is this schema valid?) come
 * from Prisma's engine (see ./wasm.ts); this scanner only supplies positions and structure.
 */

export interface Span {
  start: number;
  end: number;
}

/** A value in an attribute argument list. */
export interface ArgValue {
  kind: 'identifier' | 'string' | 'number' | 'array' | 'call' | 'other';
  /** Source text (for strings, the unquoted content). */
  text: string;
  span: Span;
  /** Array items. */
  items?: ArgValue[];
  /** Arguments of a call value (`createdAt(sort: Desc)`, `env("X")`). */
  args?: Arg[];
}

export interface Arg {
  /** Name of a named argument (`fields`, `sort`, `map`, `type`…). */
  name?: string;
  value: ArgValue;
  span: Span;
}

export interface ScannedAttribute {
  /** Name without `@`/`@@`, e.g. `index`, `relation`, `db.VarChar`. */
  name: string;
  blockLevel: boolean;
  /** From `@` to the closing parenthesis (or the end of the name). */
  span: Span;
  args: Arg[];
  /** Span inside the parentheses, when present. */
  argsSpan?: Span;
}

export interface ScannedField {
  name: string;
  nameSpan: Span;
  /** Base type name (`User` for `User[]?`), or '' when missing. */
  type: string;
  typeSpan: Span;
  list: boolean;
  optional: boolean;
  attributes: ScannedAttribute[];
  /** The field's text on its line (name to last attribute). */
  span: Span;
}

export interface ScannedProperty {
  key: string;
  keySpan: Span;
  value: ArgValue | undefined;
  /** From the key to the end of the value. */
  span: Span;
}

export type BlockKind = 'model' | 'view' | 'type' | 'enum' | 'datasource' | 'generator';

export interface ScannedBlock {
  kind: BlockKind;
  name: string;
  nameSpan: Span;
  /** From the keyword to the closing brace (or the end of the text when unterminated). */
  span: Span;
  /** Offset just after `{`. */
  bodyStart: number;
  /** Offset of the closing `}`, or -1 when the block is not closed. */
  closeBrace: number;
  fields: ScannedField[];
  attributes: ScannedAttribute[];
  properties: ScannedProperty[];
  /** Leading whitespace of the block's member lines (default two spaces). */
  indent: string;
}

export interface ScannedFile {
  text: string;
  blocks: ScannedBlock[];
  /** The text with comments replaced by spaces (same length), used by the structure scan. */
  masked: string;
}

const BLOCK_START = /(^|\n)[ \t]*(model|view|type|enum|datasource|generator)[ \t]+([A-Za-z_][\w]*)[ \t]*\{/g;

/** Scans one schema file. Never throws. */
export function scanSchema(text: string): ScannedFile {
  const masked = maskComments(text);
  const blocks: ScannedBlock[] = [];
  BLOCK_START.lastIndex = 0;
  let searchFrom = 0;
  for (;;) {
    BLOCK_START.lastIndex = searchFrom;
    const match = BLOCK_START.exec(masked);
    if (!match) break;
    const kind = match[2] as BlockKind;
    const name = match[3];
    const keywordStart = match.index + match[0].indexOf(kind, match[1].length);
    const nameStart = masked.indexOf(name, keywordStart + kind.length);
    const bodyStart = match.index + match[0].length;
    const closeBrace = findBlockEnd(masked, bodyStart);
    const bodyEnd = closeBrace < 0 ? nextBlockStart(masked, bodyStart) : closeBrace;
    const block: ScannedBlock = {
      kind,
      name,
      nameSpan: { start: nameStart, end: nameStart + name.length },
      span: { start: keywordStart, end: closeBrace < 0 ? bodyEnd : closeBrace + 1 },
      bodyStart,
      closeBrace,
      fields: [],
      attributes: [],
      properties: [],
      indent: '  ',
    };
    scanBody(text, masked, block, bodyStart, bodyEnd);
    blocks.push(block);
    searchFrom = closeBrace < 0 ? Math.max(bodyStart, bodyEnd - 1) : bodyEnd;
  }
  return { text, blocks, masked };
}

/** Replaces `//` comments with spaces and structural characters inside strings with `_`, keeping length and newlines. */
function maskComments(text: string): string {
  return text.replace(/"(?:[^"\\\n]|\\.)*"?|\/\/[^\n\r]*/g, (match) => (match.charCodeAt(0) === 34 ? match.replace(/[{}()[\]/@]/g, '_') : ' '.repeat(match.length)));
}

const NEXT_BLOCK_AT = /[ \t]*(model|view|type|enum|datasource|generator)[ \t]+[A-Za-z_]\w*[ \t]*\{/y;

function findBlockEnd(masked: string, from: number): number {
  let depth = 0;
  for (let i = from; i < masked.length; i++) {
    const ch = masked[i];
    if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (ch === '\n' && depth === 0) {
      // A new block keyword at the start of a line means this block was never closed.
      NEXT_BLOCK_AT.lastIndex = i + 1;
      if (NEXT_BLOCK_AT.test(masked)) return -1;
    }
  }
  return -1;
}

function nextBlockStart(masked: string, from: number): number {
  const re = /\n[ \t]*(model|view|type|enum|datasource|generator)[ \t]+[A-Za-z_]\w*[ \t]*\{/g;
  re.lastIndex = from;
  const match = re.exec(masked);
  return match ? match.index + 1 : masked.length;
}

/** Splits a block body into logical lines (joining lines while brackets are open) and scans each. */
function scanBody(text: string, masked: string, block: ScannedBlock, from: number, to: number): void {
  let indentSet = false;
  let lineStart = from;
  let depth = 0;
  for (let i = from; i <= to; i++) {
    const ch = i < to ? masked[i] : '\n';
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === '\n' && depth === 0) {
      let start = lineStart;
      while (start < i && (masked[start] === ' ' || masked[start] === '\t' || masked[start] === '\r')) start++;
      let end = i;
      while (end > start && masked.charCodeAt(end - 1) <= 32) end--;
      if (end > start) {
        if (!indentSet && start > lineStart && text.slice(lineStart, start).trim() === '' && !text.slice(lineStart, start).includes('\n')) {
          block.indent = text.slice(lineStart, start);
          indentSet = true;
        }
        scanStatement(text, masked, block, start, end);
      }
      lineStart = i + 1;
    }
  }
}

function scanStatement(text: string, masked: string, block: ScannedBlock, start: number, end: number): void {
  const cursor = new Cursor(masked, start, end, text);
  if (masked.startsWith('@@', start)) {
    const attribute = parseAttribute(cursor);
    if (attribute) block.attributes.push(attribute);
    return;
  }
  const name = cursor.identifier();
  if (!name) return;
  cursor.skipSpace();
  if (block.kind === 'datasource' || block.kind === 'generator' || cursor.peek() === '=') {
    if (cursor.peek() !== '=') return;
    cursor.pos++;
    cursor.skipSpace();
    const value = parseValue(cursor);
    block.properties.push({ key: name.text, keySpan: name.span, value, span: { start, end: value ? value.span.end : cursor.pos } });
    return;
  }
  if (block.kind === 'enum') {
    const attributes = parseAttributes(cursor);
    block.fields.push({ name: name.text, nameSpan: name.span, type: '', typeSpan: { start: name.span.end, end: name.span.end }, list: false, optional: false, attributes, span: { start, end } });
    return;
  }
  const typeStart = cursor.pos;
  const type = cursor.identifier(true);
  let list = false;
  let optional = false;
  if (type) {
    if (cursor.peek() === '(') skipBalanced(cursor); // Unsupported("...")
    if (masked.startsWith('[]', cursor.pos)) {
      list = true;
      cursor.pos += 2;
    }
    if (cursor.peek() === '?') {
      optional = true;
      cursor.pos++;
    }
  }
  const typeSpan = { start: typeStart, end: cursor.pos };
  const attributes = parseAttributes(cursor);
  block.fields.push({ name: name.text, nameSpan: name.span, type: type?.text ?? '', typeSpan, list, optional, attributes, span: { start, end } });
}

const IDENTIFIER = /[A-Za-z_][\w]*/y;
const DOTTED_IDENTIFIER = /[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;

class Cursor {
  constructor(
    /** The masked text (comments blanked, structural characters in strings replaced). */
    readonly text: string,
    public pos: number,
    readonly end: number,
    /** The original text, for string values. */
    readonly source: string,
  ) {}
  peek(): string {
    return this.pos < this.end ? this.text[this.pos] : '';
  }
  skipSpace(): void {
    while (this.pos < this.end) {
      const code = this.text.charCodeAt(this.pos);
      if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return;
      this.pos++;
    }
  }
  identifier(dotted = false): { text: string; span: Span } | undefined {
    const re = dotted ? DOTTED_IDENTIFIER : IDENTIFIER;
    re.lastIndex = this.pos;
    const match = re.exec(this.text);
    if (!match || match.index + match[0].length > this.end) return undefined;
    const span = { start: this.pos, end: this.pos + match[0].length };
    this.pos = span.end;
    return { text: match[0], span };
  }
}

function skipBalanced(cursor: Cursor): void {
  let depth = 0;
  while (cursor.pos < cursor.end) {
    const ch = cursor.text[cursor.pos++];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') {
      depth--;
      if (depth <= 0) return;
    }
  }
}

function parseAttributes(cursor: Cursor): ScannedAttribute[] {
  const attributes: ScannedAttribute[] = [];
  for (;;) {
    cursor.skipSpace();
    if (cursor.peek() !== '@') {
      if (cursor.pos >= cursor.end) return attributes;
      // Unknown text: skip to the next attribute.
      const next = cursor.text.indexOf('@', cursor.pos);
      if (next < 0 || next >= cursor.end) return attributes;
      cursor.pos = next;
    }
    const attribute = parseAttribute(cursor);
    if (!attribute) {
      cursor.pos++;
      continue;
    }
    attributes.push(attribute);
  }
}

function parseAttribute(cursor: Cursor): ScannedAttribute | undefined {
  const start = cursor.pos;
  let blockLevel = false;
  if (cursor.text.startsWith('@@', cursor.pos)) {
    blockLevel = true;
    cursor.pos += 2;
  } else if (cursor.peek() === '@') cursor.pos++;
  else return undefined;
  const name = cursor.identifier(true);
  if (!name) return undefined;
  const attribute: ScannedAttribute = { name: name.text, blockLevel, span: { start, end: cursor.pos }, args: [] };
  const save = cursor.pos;
  cursor.skipSpace();
  if (cursor.peek() === '(') {
    const open = cursor.pos;
    cursor.pos++;
    attribute.args = parseArgList(cursor, ')');
    const close = cursor.peek() === ')' ? cursor.pos : -1;
    if (close >= 0) cursor.pos++;
    attribute.argsSpan = { start: open + 1, end: close >= 0 ? close : cursor.pos };
    attribute.span.end = cursor.pos;
  } else cursor.pos = save;
  return attribute;
}

/** Parses `a, name: b, …` up to (not including) `closer`. */
function parseArgList(cursor: Cursor, closer: string): Arg[] {
  const args: Arg[] = [];
  for (;;) {
    cursor.skipSpace();
    const ch = cursor.peek();
    if (ch === '' || ch === closer) return args;
    if (ch === ',') {
      cursor.pos++;
      continue;
    }
    const start = cursor.pos;
    let name: string | undefined;
    const save = cursor.pos;
    const id = cursor.identifier();
    if (id) {
      cursor.skipSpace();
      if (cursor.peek() === ':') {
        cursor.pos++;
        name = id.text;
      } else cursor.pos = save;
    }
    cursor.skipSpace();
    const value = parseValue(cursor);
    if (!value) {
      // Skip one character of junk so the loop always progresses.
      if (cursor.pos === start) cursor.pos++;
      continue;
    }
    args.push({ name, value, span: { start, end: value.span.end } });
  }
}

function parseValue(cursor: Cursor): ArgValue | undefined {
  cursor.skipSpace();
  const start = cursor.pos;
  const ch = cursor.peek();
  if (ch === '') return undefined;
  if (ch === '[') {
    cursor.pos++;
    const items: ArgValue[] = [];
    for (;;) {
      cursor.skipSpace();
      const c = cursor.peek();
      if (c === '' || c === ']') break;
      if (c === ',') {
        cursor.pos++;
        continue;
      }
      const item = parseValue(cursor);
      if (!item) {
        cursor.pos++;
        continue;
      }
      items.push(item);
    }
    if (cursor.peek() === ']') cursor.pos++;
    return { kind: 'array', text: cursor.text.slice(start, cursor.pos), span: { start, end: cursor.pos }, items };
  }
  if (ch === '"') {
    let i = cursor.pos + 1;
    while (i < cursor.end && cursor.text[i] !== '"') i += cursor.text[i] === '\\' ? 2 : 1;
    const end = Math.min(cursor.end, i + 1);
    cursor.pos = end;
    return { kind: 'string', text: cursor.source.slice(start + 1, Math.min(i, cursor.end)), span: { start, end } };
  }
  NUMBER.lastIndex = cursor.pos;
  const num = NUMBER.exec(cursor.text);
  if (num && num.index + num[0].length <= cursor.end) {
    cursor.pos += num[0].length;
    return { kind: 'number', text: num[0], span: { start, end: cursor.pos } };
  }
  const id = cursor.identifier(true);
  if (id) {
    if (cursor.peek() === '(') {
      cursor.pos++;
      const args = parseArgList(cursor, ')');
      if (cursor.peek() === ')') cursor.pos++;
      return { kind: 'call', text: id.text, span: { start, end: cursor.pos }, args };
    }
    return { kind: 'identifier', text: id.text, span: id.span };
  }
  return undefined;
}

/** Argument by name, or the positional argument at `position` when it has no name. */
export function argument(attribute: ScannedAttribute, name: string, position?: number): Arg | undefined {
  const named = attribute.args.find((a) => a.name === name);
  if (named) return named;
  if (position === undefined) return undefined;
  const positional = attribute.args.filter((a) => !a.name);
  return positional[position];
}

/** Field names of an array value (`[a, b(sort: Desc)]` → `a`, `b`). */
export function fieldList(value: ArgValue | undefined): Array<{ name: string; span: Span; sort?: 'asc' | 'desc'; length?: number; ops?: string }> {
  if (!value || value.kind !== 'array') return [];
  const out: Array<{ name: string; span: Span; sort?: 'asc' | 'desc'; length?: number; ops?: string }> = [];
  for (const item of value.items ?? []) {
    if (item.kind === 'identifier') out.push({ name: item.text, span: item.span });
    else if (item.kind === 'call') {
      const sort = item.args?.find((a) => a.name === 'sort')?.value.text;
      const length = item.args?.find((a) => a.name === 'length')?.value.text;
      const ops = item.args?.find((a) => a.name === 'ops')?.value;
      out.push({
        name: item.text,
        span: item.span,
        sort: sort ? (sort.toLowerCase() === 'desc' ? 'desc' : 'asc') : undefined,
        length: length ? Number(length) : undefined,
        ops: ops ? ops.text : undefined,
      });
    }
  }
  return out;
}
