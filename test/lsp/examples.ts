/**
 * Rule docs examples as LSP test cases: every ```ts invalid / ```prisma invalid block of
 * rules/<id>.md (with the page's `context` blocks as extra workspace files), which the rule
 * meta-test guarantees to produce at least one finding of that rule.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../harness/lspClient';

export interface DocExample {
  ruleId: string;
  /** Line of the block in the docs page. */
  line: number;
  /** Workspace-relative file the example is opened as. */
  filename: string;
  code: string;
  /** Context files (relative path → text). */
  files: Record<string, string>;
}

const FENCE = /^```(\w+)[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)^```/gm;

const FILE_FOR_LANG: Record<string, string> = { prisma: 'prisma/schema.prisma', tsx: 'src/example.tsx', js: 'src/example.js', ts: 'src/example.ts' };

/** The invalid examples of a rule's docs page (empty when the page does not exist yet). */
export function invalidExamples(ruleId: string): DocExample[] {
  const page = path.join(REPO_ROOT, 'rules', `${ruleId}.md`);
  if (!fs.existsSync(page)) return [];
  const markdown = fs.readFileSync(page, 'utf8');
  const context: Record<string, string> = {};
  const invalid: Array<{ lang: string; code: string; line: number }> = [];
  for (const match of markdown.matchAll(FENCE)) {
    const [, lang, label, code] = match;
    const line = markdown.slice(0, match.index).split('\n').length;
    if (label === 'context') {
      const declared = /^\/\/ file: (\S+)/.exec(code);
      context[declared ? declared[1] : lang === 'prisma' ? 'prisma/schema.prisma' : `src/context-${line}.ts`] = code;
    } else if (label === 'invalid') invalid.push({ lang, code, line });
  }
  return invalid.map(({ lang, code, line }) => {
    const filename = FILE_FOR_LANG[lang] ?? 'src/example.ts';
    const files = { ...context };
    delete files[filename];
    return { ruleId, line, filename, code, files };
  });
}
