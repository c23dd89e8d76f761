/**
 * The rule API: `defineRule` validates a rule's metadata and derives its documentation URL from
 * its id, so no docs link is ever written by hand.
 */
import type * as ts from 'typescript';
import type { Category, Fix, Language, OffsetRange, Severity } from './types';
import type { Project } from './project';

/** Base of every rule's documentation page; the page is `rules/<id>.md` in the repository. */
export const DOCS_BASE_URL = 'https://github.com/perflint/perflint/blob/main/rules/';

/** Documentation URL of a rule, derived from its id. */
export function docsUrlFor(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

export interface RuleMeta {
  /** Score category (never `meta`). */
  category: Exclude<Category, 'meta'>;
  defaultSeverity: Severity;
  /** One line, shown in rule tables and docs headers. */
  description: string;
  /** The strongest kind of fix the rule can offer. */
  fix: 'safe' | 'suggestion' | 'none';
  languages: Language[];
  /** Default option values; configuration is merged over these. */
  defaultOptions?: Record<string, unknown>;
  /** JSON schema (draft-07) of the options object, used by the config schema and validation. */
  optionsSchema?: Record<string, unknown>;
  /** Bump when detection changes, so cached results are recomputed. */
  version?: number;
}

/** A related location as a rule reports it: a node or range in this file, or a range elsewhere. */
export interface RelatedDescriptor {
  node?: ts.Node;
  range?: OffsetRange;
  /** Absolute path when the location is in another file (then `range` is required). */
  path?: string;
  message: string;
}

export interface ReportDescriptor {
  /** Where to report: a node of this file (its trimmed span) or an explicit range. */
  node?: ts.Node;
  range?: OffsetRange;
  message: string;
  /** Lower the configured severity by this many levels (error → warning → info). */
  demote?: 1 | 2;
  related?: RelatedDescriptor[];
  fixes?: Fix[];
}

/** Settings shared by all rules (from `.perflintrc.json#settings` and editor settings). */
export interface SharedSettings {
  /** Page size used by fixes that add a limit. */
  defaultPageSize: number;
  /** Property names treated as page-size inputs. */
  pageSizeNames: string[];
}

export interface RuleContext {
  readonly ruleId: string;
  /** Absolute path of the file being analysed. */
  readonly path: string;
  readonly text: string;
  readonly language: Language;
  /** The parsed file (TypeScript/JavaScript files only). */
  readonly sourceFile: ts.SourceFile | undefined;
  /** Options merged over the rule's defaults. */
  readonly options: Record<string, unknown>;
  readonly settings: SharedSettings;
  /** Cross-file facts (database clients, Prisma schemas, package.json, …). */
  readonly project: Project;
  report(descriptor: ReportDescriptor): void;
}

/**
 * What `create` returns: handlers keyed by `ts.SyntaxKind`, called in one traversal of the file
 * in source order (parents before children), plus optional start/end hooks. Prisma rules only use
 * `onFileStart`/`onFileEnd`.
 */
export type RuleListener = { [kind: number]: ((node: any) => void) | undefined } & {
  onFileStart?: () => void;
  onFileEnd?: () => void;
};

/** What a rule's text gate sees: a file before it is parsed. */
export interface GateInput {
  /** Absolute path of the file. */
  readonly path: string;
  readonly text: string;
  readonly language: Language;
  readonly options: Record<string, unknown>;
  readonly settings: SharedSettings;
  readonly project: Project;
}

export interface RuleDefinition {
  id: string;
  meta: RuleMeta;
  /**
   * Text gate, run before the file is parsed: false only when the rule provably reports nothing in
   * this file (a superset test of what `create` looks for, from the text and cheap cross-file facts).
   * A file no enabled rule's gate accepts is never parsed; a rule without a gate always runs.
   * `test/harness/ruleTester.ts` checks the gate accepts every invalid case, the fuzz test that
   * it never hides a finding.
   */
  mayReport?(input: GateInput): boolean;
  /**
   * The gate reads the whole text token by token, which costs more than running the rule on a file
   * that is parsed anyway: it is asked only when no other rule's gate let the file through and no
   * syntax tree of the file is at hand (an editor's open document is re-parsed incrementally).
   */
  costlyGate?: boolean;
  create(context: RuleContext): RuleListener;
}

export interface Rule extends RuleDefinition {
  readonly docsUrl: string;
}

const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Validates a rule definition and derives its docs URL. */
export function defineRule(definition: RuleDefinition): Rule {
  if (!RULE_ID.test(definition.id)) throw new Error(`Invalid rule id "${definition.id}": use kebab-case.`);
  const { meta } = definition;
  if (!meta.description || meta.description.includes('\n')) {
    throw new Error(`Rule ${definition.id}: description must be one line.`);
  }
  if (meta.languages.length === 0) throw new Error(`Rule ${definition.id}: languages must not be empty.`);
  return { ...definition, docsUrl: docsUrlFor(definition.id) };
}
