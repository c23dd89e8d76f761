/**
 * Raw SQL inside code: the SQL text of a raw database call (`pool.query('…')`, sql`…`,
 * `$queryRaw`…`, `db.execute(sql`…`)`, `{ text: '…' }` query configs, a `const` holding the text),
 * with substitutions replaced by `?`, plus a light reading of a SELECT: does it read rows from a
 * table, is it bounded (LIMIT / FETCH FIRST / TOP), aggregate-only, pinned to one id?
 * Not a SQL parser: top-level keyword scanning that skips strings, comments and parentheses.
 */
import * as ts from 'typescript';
import { resolveIdentifier, skipOuterExpressions } from '../ts/scope';

/** The SQL text of a raw call, with the literal pieces it was built from (for edits). */
export interface SqlText {
  /** The SQL with each `${…}` substitution replaced by `?`. */
  text: string;
  /** The string literal or template holding the SQL (where an edit can insert text). */
  literal: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;
}

/** The SQL a raw call runs, when it is written literally (directly, through one `const`, or a property of a `const` object). */
export function sqlTextOfCall(node: ts.CallExpression | ts.TaggedTemplateExpression): SqlText | undefined {
  if (ts.isTaggedTemplateExpression(node)) return sqlTextOfExpression(node.template, 0);
  const first = node.arguments[0];
  return first ? sqlTextOfExpression(first, 0) : undefined;
}

/** The SQL an expression holds when it is written literally (as `sqlTextOfCall` reads a call's first argument). */
export function sqlTextOf(expression: ts.Expression): SqlText | undefined {
  return sqlTextOfExpression(expression, 0);
}

function sqlTextOfExpression(expression: ts.Expression, depth: number): SqlText | undefined {
  const e = skipOuterExpressions(expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { text: e.text, literal: e };
  if (ts.isTemplateExpression(e)) return { text: e.head.text + e.templateSpans.map((s) => `?${s.literal.text}`).join(''), literal: e };
  if (ts.isTaggedTemplateExpression(e)) return sqlTextOfExpression(e.template, depth);
  // `\`ALTER TABLE … ${nullable}\`.trim()`: the same statement
  if (ts.isCallExpression(e) && e.arguments.length === 0 && ts.isPropertyAccessExpression(e.expression) && /^(trim|trimEnd|trimStart)$/.test(e.expression.name.text)) {
    return sqlTextOfExpression(e.expression.expression, depth);
  }
  if (ts.isObjectLiteralExpression(e)) {
    // node-postgres query config: { text: '…', values: [...] }, mysql2: { sql: '…' }
    for (const property of e.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && (property.name.text === 'text' || property.name.text === 'sql')) {
        return sqlTextOfExpression(property.initializer, depth);
      }
    }
    return undefined;
  }
  if (ts.isIdentifier(e) && depth < 2) {
    const initializer = constInitializer(e);
    if (initializer) return sqlTextOfExpression(initializer, depth + 1);
  }
  // A property of a `const` object of statements: `SQL.TABLE_INFO` with `const SQL = { TABLE_INFO: 'pragma …' }`.
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && depth < 2) {
    const holder = constInitializer(e.expression);
    const object = holder && skipOuterExpressions(holder);
    if (object && ts.isObjectLiteralExpression(object)) {
      for (const property of object.properties) {
        if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === e.name.text) return sqlTextOfExpression(property.initializer, depth + 1);
      }
    }
  }
  return undefined;
}

function constInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  const binding = resolveIdentifier(identifier);
  const declaration = binding?.declaration;
  return binding?.kind === 'const' && declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
}

export interface SelectShape {
  /** A SELECT (or WITH … SELECT) reading FROM a table. */
  readsTable: boolean;
  /** LIMIT, FETCH FIRST/NEXT, TOP, or OFFSET … ROWS FETCH. */
  bounded: boolean;
  /** Every selected expression is an aggregate (`count(*)`, `sum(x)`, `exists(…)`) and there is no GROUP BY. */
  aggregateOnly: boolean;
  /** The WHERE clause pins an `id` column by equality (`id = $1`, `u.id = ?`) or to a list the caller passes (`id IN (?, ?)`, `id = ANY($1)`). */
  pinsId: boolean;
}

/** Blanks string literals, quoted identifiers (but `"id"`) and comments, so keyword scans never match inside them. */
function blankNoise(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    // a quoted `id` column is that column (`"id" = $1`, `"m"."id" = ANY($1)`); other quoted text is blanked
    .replace(/"(_?id)"/gi, '$1')
    .replace(/"(?:[^"]|"")*"/g, '""');
}

/** Text at parenthesis depth 0 only (sub-queries and function arguments blanked). */
function topLevel(sql: string): string {
  let depth = 0;
  let out = '';
  for (const ch of sql) {
    if (ch === '(') {
      depth++;
      out += depth === 1 ? '(' : ' ';
    } else if (ch === ')') {
      out += depth === 1 ? ')' : ' ';
      depth = Math.max(0, depth - 1);
    } else out += depth === 0 ? ch : ' ';
  }
  return out;
}

/** A FROM of the database's catalog: SQLite's `sqlite_master`, `information_schema.*`, PostgreSQL's `pg_catalog.*` and `pg_*` views, MySQL's `mysql.*`, SQL Server's `sys.*`. */
const SYSTEM_CATALOG = /^\s+(?:sqlite_master|sqlite_schema|sqlite_temp_master|sqlite_sequence|information_schema\s*\.\s*\w+|pg_catalog\s*\.\s*\w+|pg_[a-z_]+|mysql\s*\.\s*\w+|sys\s*\.\s*\w+)\b/i;

const AGGREGATE = /^(count|sum|avg|min|max|bool_and|bool_or|every|exists|array_agg|json_agg|jsonb_agg|string_agg|group_concat|coalesce)\s*\(/i;

/**
 * A SELECT from the database's own catalog (`information_schema.columns`, `pg_indexes`,
 * `sqlite_master`): schema introspection, as large as the schema, not the data.
 */
export function readsSystemCatalog(sql: string): boolean {
  const trimmed = blankNoise(sql).trim().replace(/^\(+/, '');
  if (!/^select\b/i.test(trimmed)) return false;
  const top = topLevel(trimmed);
  const from = /\bfrom\b/i.exec(top);
  return from !== null && SYSTEM_CATALOG.test(top.slice(from.index + 4));
}

/** Reads the shape of the main statement of a SQL text. */
export function selectShape(sql: string): SelectShape {
  const clean = blankNoise(sql);
  const none: SelectShape = { readsTable: false, bounded: false, aggregateOnly: false, pinsId: false };
  const trimmed = clean.trim().replace(/^\(+/, '');
  if (!/^(select|with)\b/i.test(trimmed)) return none;
  // For WITH … the main statement is the last top-level SELECT.
  const top = topLevel(trimmed);
  const selectAt = /^with\b/i.test(trimmed) ? lastMatch(top, /\bselect\b/gi) : 0;
  if (selectAt < 0) return none;
  const main = trimmed.slice(selectAt);
  const mainTop = topLevel(main);
  const fromMatch = /\bfrom\b/i.exec(mainTop);
  if (!fromMatch) return none;
  // The database's own catalog (its tables, columns, indexes): as large as the schema, not the data.
  if (SYSTEM_CATALOG.test(mainTop.slice(fromMatch.index + 4))) return none;
  const bounded = /\blimit\b|\bfetch\s+(first|next)\b|^select\s+(distinct\s+)?top\b|\brownum\b/i.test(mainTop) || /^select\s+top\b/i.test(main);
  const list = main.slice(6, fromMatch.index).trim().replace(/^distinct\s+/i, '');
  const items = splitTopLevel(list);
  const grouped = /\bgroup\s+by\b/i.test(mainTop);
  const aggregateOnly = !grouped && items.length > 0 && items.every((item) => AGGREGATE.test(item.trim()) || /^\d+$/.test(item.trim()));
  const where = /\bwhere\b([\s\S]*)$/i.exec(mainTop)?.[1] ?? '';
  // `id IN (?, ?)`, `id = ANY($1)`: at most as many rows as the ids the caller passes (not a sub-query's)
  const whereWithSubqueries = /\bwhere\b([\s\S]*)$/i.exec(main)?.[1] ?? '';
  const pinsId =
    (/(^|[\s.(])"?id"?\s*=\s*(\?|\$\d+|:\w+|@\w+|''|\d+)/i.test(where) || /(^|[\s.(])"?id"?\s*(?:\bin\s*|=\s*any\s*)\((?!\s*(?:select|with|array\s*\(\s*select)\b)/i.test(whereWithSubqueries)) &&
    !/\bor\b/i.test(where);
  return { readsTable: true, bounded, aggregateOnly, pinsId };
}

function lastMatch(text: string, pattern: RegExp): number {
  let last = -1;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) last = m.index;
  return last;
}

function splitTopLevel(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) items.push(current);
  return items;
}

/**
 * Whether the end of a SQL text is outside every parenthesis (comments and quoted text aside), so a
 * clause appended there applies to the main statement: not in half-typed or garbled SQL such as
 * `select * from users where id in (1, 2`, where ` LIMIT 100` would land inside the parenthesis.
 */
export function endsAtTopLevel(sql: string): boolean {
  let depth = 0;
  for (const ch of blankNoise(sql)) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Where to append a clause (` LIMIT 100`) to the SQL held by `literal`: after the last
 * non-blank character, before a trailing `;`. Multi-line SQL gets the clause on its own line with
 * the indentation of the last line. Returns the offset and the text to insert.
 */
export function appendClauseEdit(sourceFile: ts.SourceFile, literal: SqlText['literal'], clause: string): { start: number; end: number; text: string } {
  const file = sourceFile.text;
  // The last literal piece: from its start (after `}` or the opening quote) to its closing quote/backtick.
  const piece = ts.isTemplateExpression(literal) ? literal.templateSpans[literal.templateSpans.length - 1].literal : literal;
  const pieceStart = piece.getStart(sourceFile) + 1;
  const pieceEnd = piece.getEnd() - 1;
  let at = pieceEnd;
  while (at > pieceStart && /[\s;]/.test(file[at - 1])) at--;
  const sqlText = file.slice(literal.getStart(sourceFile) + 1, literal.getEnd() - 1);
  if (sqlText.includes('\n') && !ts.isStringLiteral(literal)) {
    const lineStart = file.lastIndexOf('\n', at - 1) + 1;
    const indent = /^[ \t]*/.exec(file.slice(lineStart))![0];
    const nl = file.includes('\r\n') ? '\r\n' : '\n';
    return { start: at, end: at, text: `${nl}${indent}${clause}` };
  }
  return { start: at, end: at, text: ` ${clause}` };
}
