/**
 * Deployment facts read as data, never executed: variables of `.env` files (parsed line by line;
 * values never leave the engine except masked), serverless deployment config files, and URL
 * masking so no credential ever appears in a message.
 */
import * as path from 'node:path';
import type { Project } from './project';

/** `.env` files in precedence order (the first that defines a variable wins), relative to a folder. */
export const ENV_FILES = ['.env.production.local', '.env.local', '.env.production', '.env'];

export interface EnvValue {
  /** Absolute path of the `.env` file. */
  file: string;
  name: string;
  value: string;
  /** Offsets of the variable's name in the `.env` file (for a related location; never the value). */
  nameStart: number;
  nameEnd: number;
}

/** Parses dotenv text into variables: `KEY=value`, `export KEY="value"`, comments, single/double quotes. */
export function parseEnvText(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.indexOf(quote, 1) > 0) value = value.slice(1, value.indexOf(quote, 1));
    else value = value.replace(/\s+#.*$/, '').trim();
    if (!variables.has(match[1])) variables.set(match[1], value);
  }
  return variables;
}

/**
 * The value of an environment variable as the project's `.env` files define it, looked up from the
 * folder of `fromFile` up to the project root (nearest folder first, then file precedence).
 */
export function envVariable(project: Project, name: string, fromFile?: string): EnvValue | undefined {
  let dir = fromFile ? path.dirname(path.resolve(project.root, fromFile)) : project.root;
  for (;;) {
    for (const file of ENV_FILES) {
      const absolute = path.join(dir, file);
      const text = project.readText(absolute);
      if (text === undefined) continue;
      const value = parseEnvText(text).get(name);
      if (value !== undefined) {
        const at = new RegExp(`^[ \\t]*(?:export[ \\t]+)?(${name.replace(/[.]/g, '\\.')})[ \\t]*=`, 'm').exec(text);
        const nameStart = at ? at.index + at[0].indexOf(name) : 0;
        return { file: absolute, name, value, nameStart, nameEnd: nameStart + name.length };
      }
    }
    if (dir === project.root || !dir.startsWith(project.root)) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A URL with its credentials replaced (`postgres://***@host:5432/db?x=1`); non-URLs are fully masked. */
export function maskUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*@)?(.*)$/i.exec(url);
  if (!match) return '***';
  const rest = match[3].replace(/([?&](?:password|pass|pwd|secret|token|api_key|apikey|key)=)[^&#]*/gi, '$1***');
  return `${match[1]}${match[2] ? '***@' : ''}${rest}`;
}

/** Query parameters of a connection URL (lower-cased names), or an empty map. */
export function urlParameters(url: string): Map<string, string> {
  const params = new Map<string, string>();
  const query = url.split('#')[0].split('?')[1];
  if (!query) return params;
  for (const pair of query.split('&')) {
    const [key, value = ''] = pair.split('=');
    if (key) params.set(decodeURIComponentSafe(key).toLowerCase(), decodeURIComponentSafe(value));
  }
  return params;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** True when a connection URL goes through PgBouncer or a transaction-mode pooler (Supabase, Neon). */
export function pointsAtPooler(url: string): boolean {
  const params = urlParameters(url);
  if (params.get('pgbouncer') === 'true') return true;
  const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url)?.[1] ?? '';
  return /(^|[.-])pooler\./i.test(host) || /:6543$/.test(host);
}

/** Serverless deployment config files, by the platform they name. */
const SERVERLESS_FILES: Array<{ file: string; platform: string; contains?: RegExp }> = [
  { file: 'vercel.json', platform: 'Vercel' },
  { file: '.vercel/project.json', platform: 'Vercel' },
  { file: 'netlify.toml', platform: 'Netlify' },
  { file: 'serverless.yml', platform: 'AWS Lambda (Serverless Framework)' },
  { file: 'serverless.yaml', platform: 'AWS Lambda (Serverless Framework)' },
  { file: 'serverless.ts', platform: 'AWS Lambda (Serverless Framework)' },
  { file: 'serverless.json', platform: 'AWS Lambda (Serverless Framework)' },
  { file: 'sst.config.ts', platform: 'AWS Lambda (SST)' },
  { file: 'template.yaml', platform: 'AWS Lambda (SAM)', contains: /AWS::Serverless/ },
  { file: 'template.yml', platform: 'AWS Lambda (SAM)', contains: /AWS::Serverless/ },
];

/** The serverless deployment config the project has at its root, if any (`{ file, platform }`). */
export function serverlessDeployment(project: Project): { file: string; platform: string } | undefined {
  for (const entry of SERVERLESS_FILES) {
    const text = project.readText(path.join(project.root, entry.file));
    if (text !== undefined && (!entry.contains || entry.contains.test(text))) return { file: entry.file, platform: entry.platform };
  }
  return undefined;
}
