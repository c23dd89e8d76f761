/**
 * Prisma's own schema engine, `@prisma/prisma-schema-wasm` (pinned exactly in package.json).
 *
 * Loading: the package reads `${__dirname}/prisma_schema_build_bg.wasm` when it is first required.
 * Unbundled (tests) `__dirname` is the package's own folder; in the esbuild bundles
 * (dist/cli.js, dist/server.js) it is dist/, where esbuild.mjs copies the `.wasm`. The module is
 * required lazily, so nothing is read until a schema is analysed, and a missing engine degrades to
 * scanner-only analysis instead of crashing.
 *
 * Prisma 7 rejects `url`/`directUrl`/`shadowDatabaseUrl` in a datasource while Prisma 6 requires
 * them: those properties are blanked with spaces (same length, offsets unchanged) before any call.
 */
import type { ScannedFile } from './scanner';

interface PrismaSchemaWasm {
  lint(input: string): string;
  get_datamodel(params: string): string;
  get_config(params: string): string;
}

/** One diagnostic of Prisma's linter (offsets are UTF-16 code units into the file text). */
export interface EngineDiagnostic {
  file: string;
  start: number;
  end: number;
  message: string;
  isWarning: boolean;
}

/** The parts of Prisma's datamodel (get_datamodel) PerfLint reads. */
export interface EngineDatamodel {
  models: Array<{
    name: string;
    fields: Array<{ name: string; kind: 'scalar' | 'object' | 'enum' | 'unsupported'; type: string; isList: boolean; relationFromFields?: string[]; relationToFields?: string[] }>;
  }>;
  indexes: Array<{
    model: string;
    type: 'id' | 'unique' | 'normal' | 'fulltext';
    isDefinedOnField: boolean;
    algorithm?: string;
    name?: string;
    dbName?: string;
    fields: Array<{ name: string; sortOrder?: 'asc' | 'desc'; length?: number; operatorClass?: string }>;
  }>;
}

export interface EngineConfig {
  datasources: Array<{ name: string; provider: string; activeProvider: string }>;
}

/** Last panic message reported by the engine (for notes and tests). */
export let lastPanicMessage: string | undefined;

let loaded: PrismaSchemaWasm | null | undefined;
/** Why the engine could not be loaded, when it could not. */
export let engineLoadError: string | undefined;

/** The engine, or undefined when it cannot be loaded (the scanner then works alone). */
export function prismaEngine(): PrismaSchemaWasm | undefined {
  if (loaded === undefined) {
    const registry = globalThis as unknown as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
    if (!registry.PRISMA_WASM_PANIC_REGISTRY) {
      registry.PRISMA_WASM_PANIC_REGISTRY = {
        set_message(message: string) {
          lastPanicMessage = message;
        },
      };
    }
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require('@prisma/prisma-schema-wasm') as PrismaSchemaWasm;
    } catch (error) {
      engineLoadError = error instanceof Error ? error.message : String(error);
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

const URL_PROPERTIES = new Set(['url', 'directUrl', 'shadowDatabaseUrl']);

/** The text with datasource `url`/`directUrl`/`shadowDatabaseUrl` properties replaced by spaces. */
export function blankConnectionUrls(scan: ScannedFile): string {
  let text = scan.text;
  for (const block of scan.blocks) {
    if (block.kind !== 'datasource') continue;
    for (const property of block.properties) {
      if (!URL_PROPERTIES.has(property.key)) continue;
      const { start, end } = property.span;
      text = text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
    }
  }
  return text;
}

/** Calls the engine; undefined when it is unavailable or the call fails (invalid schema, panic). */
function callEngine<T>(call: (engine: PrismaSchemaWasm) => T): T | undefined {
  const engine = prismaEngine();
  if (!engine) return undefined;
  try {
    return call(engine);
  } catch {
    return undefined;
  }
}

/** Prisma's diagnostics for a set of files ([path, text] with URLs already blanked). */
export function engineLint(files: Array<[string, string]>): EngineDiagnostic[] | undefined {
  return callEngine((engine) => {
    const raw = JSON.parse(engine.lint(JSON.stringify(files))) as Array<{ file_name: string; start: number; end: number; text: string; is_warning: boolean }>;
    return raw.map((d) => ({ file: d.file_name, start: d.start, end: d.end, message: d.text, isWarning: d.is_warning }));
  });
}

/** Prisma's datamodel, or undefined when the schema is invalid (or the engine failed). */
export function engineDatamodel(files: Array<[string, string]>): EngineDatamodel | undefined {
  return callEngine((engine) => JSON.parse(engine.get_datamodel(JSON.stringify({ prismaSchema: files }))) as EngineDatamodel);
}

/** Prisma's view of the datasource (provider), or undefined. */
export function engineConfig(files: Array<[string, string]>): EngineConfig | undefined {
  return callEngine((engine) => {
    const params = { prismaSchema: files, datasourceOverrides: {}, ignoreEnvVarErrors: true, env: {} };
    return (JSON.parse(engine.get_config(JSON.stringify(params))) as { config?: EngineConfig }).config;
  });
}
