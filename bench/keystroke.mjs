// Keystroke benchmark of the language server: a 3,000-line TypeScript file, open in the editor,
// edited 20 times over LSP. Reports p50/p95 of the time from didChange to the document's
// diagnostics (the debounce is set to 0, so it is excluded), and the server-side analysis time.
//
// Usage: node bench/keystroke.mjs [workspace]   (npm run bench passes its corpus workspace)
// Without a workspace, a small Prisma back end is generated in a temp folder. The document is
// never written to disk: it lives in the editor only, as unsaved text does.
// The last line of stdout is the JSON result. PERFLINT_SERVER_NODE_ARGS passes Node flags to the server.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'package.json'));
const rpc = require('vscode-jsonrpc/node');
const SERVER = path.join(repo, 'dist/server.js');
const LINES = 3000;
const EDITS = 20;

/** About 30 lines of realistic back-end code per block; some of it has findings. */
function block(i) {
  return `
export async function listOrders${i}(userIds: string[]) {
  const users = await prisma.user.findMany({ where: { id: { in: userIds } }, take: 50 });
  const result: Array<{ user: unknown; orders: unknown[] }> = [];
  for (const user of users) {
    const orders = await prisma.order.findMany({ where: { userId: user.id } });
    result.push({ user, orders });
  }
  return result;
}

const cache${i} = new Map<string, number>();
export function remember${i}(key: string, value: number): number | undefined {
  cache${i}.set(key, value);
  return cache${i}.get(key);
}

export function isEmail${i}(input: string): boolean {
  return new RegExp('^[^@]+@[^@]+$').test(input);
}

export function total${i}(values: number[]): number {
  let sum = 0;
  for (const value of values) {
    sum += value * ${i};
  }
  return sum;
}

export const limits${i} = { take: ${i % 50} };
`;
}

export function bigFile() {
  let text = `import { prisma } from './db';\n`;
  for (let i = 0; text.split('\n').length < LINES; i++) text += block(i);
  return text.split('\n').slice(0, LINES).join('\n') + '\n';
}

function generatedWorkspace() {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-keystroke-')));
  const write = (relative, text) => {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  };
  write('package.json', '{"name":"keystroke-bench","dependencies":{"@prisma/client":"6.0.0"}}\n');
  write('src/db.ts', `import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n`);
  write(
    'prisma/schema.prisma',
    `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id     String  @id\n  email  String  @unique\n  orders Order[]\n}\n\nmodel Order {\n  id     String @id\n  userId String\n  user   User   @relation(fields: [userId], references: [id])\n\n  @@index([userId])\n}\n`,
  );
  return root;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const round = (n) => Math.round(n * 10) / 10;

/**
 * A language server over stdio with the keystroke document's bookkeeping: `open()` opens the
 * 3,000-line document (never on disk) and waits for its first diagnostics, `edit(n)` types one
 * line and resolves with the didChange → diagnostics latency. Used here and by server-audit.mjs.
 */
export async function startSession(root, { server = SERVER, initializationOptions = {} } = {}) {
  const filePath = path.join(root, 'src', '__perflint_keystroke_bench__.ts');
  const uri = pathToFileURL(filePath).href;
  // PERFLINT_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/x" profiles the server.
  const nodeArgs = (process.env.PERFLINT_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const waiting = new Map();
  const received = new Map();
  const serverMs = new Map();
  const serverCpuMs = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    if (params.uri !== uri) return;
    const now = performance.now();
    received.set(params.version, { at: now, count: params.diagnostics.length });
    waiting.get(params.version)?.();
  });
  connection.onNotification('perflint/status', (params) => {
    if (params.uri !== uri) return;
    serverMs.set(params.version, params.elapsedMs);
    serverCpuMs.set(params.version, params.cpuMs);
  });
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  const folderUri = pathToFileURL(root).href;
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: folderUri,
    workspaceFolders: [{ uri: folderUri, name: path.basename(root) }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true },
      textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      window: { workDoneProgress: true },
    },
    initializationOptions: { debounceMs: 0, dependentsDebounceMs: 10_000, ...initializationOptions },
  });
  connection.sendNotification('initialized', {});

  const waitFor = (version) =>
    received.has(version)
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version} within 60 s`)), 60_000);
          waiting.set(version, () => {
            clearTimeout(timer);
            resolve();
          });
        });

  let text = bigFile();
  const lines = text.split('\n');
  const lineCount = lines.length - 1;
  let version = 1;
  const session = {
    child,
    connection,
    root,
    lineCount,
    async open() {
      const openedAt = performance.now();
      connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
      await waitFor(1);
      return received.get(1).at - openedAt;
    },
    /** Types the `edit`-th statement inside a function body, spread over the file, as a user would. */
    async edit(edit) {
      const line = 5 + Math.floor(((edit * 7919) % 97) / 97 * (lineCount - 10));
      const insert = `  const typed${edit} = ${edit};\n`;
      lines.splice(line, 0, insert.slice(0, -1));
      text = lines.join('\n');
      version++;
      const sentAt = performance.now();
      connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: insert }],
      });
      await waitFor(version);
      return received.get(version).at - sentAt;
    },
    /** Latencies and server-side times of `count` edits (edit numbers from `from`: each types a new line). */
    async edits(count = EDITS, from = 0) {
      const latencies = [];
      const first = version + 1;
      for (let edit = from; edit < from + count; edit++) latencies.push(await session.edit(edit));
      const sorted = [...latencies].sort((a, b) => a - b);
      const since = (map) => [...map.entries()].filter(([v]) => v >= first).map(([, ms]) => ms).sort((a, b) => a - b);
      const server = since(serverMs);
      const serverCpu = since(serverCpuMs);
      return {
        edits: count,
        diagnostics: received.get(version)?.count,
        // The first keystrokes of a session pay for V8 optimising the keystroke path: shown apart.
        firstEditMs: round(latencies[0]),
        p50Ms: round(percentile(sorted, 50)),
        p95Ms: round(percentile(sorted, 95)),
        maxMs: round(sorted[sorted.length - 1]),
        serverAnalysisP50Ms: round(percentile(server, 50)),
        serverAnalysisP95Ms: round(percentile(server, 95)),
        serverCpuP50Ms: round(percentile(serverCpu, 50)),
        serverCpuP95Ms: round(percentile(serverCpu, 95)),
      };
    },
    async stop() {
      await Promise.race([connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      connection.sendNotification('exit');
      setTimeout(() => child.kill(), 1000).unref();
    },
  };
  return session;
}

export async function runKeystrokeBench(workspaceArg) {
  const root = workspaceArg ? fs.realpathSync(workspaceArg) : generatedWorkspace();
  const session = await startSession(root);
  const firstMs = await session.open();
  const edits = await session.edits(EDITS);
  await session.stop();
  if (!workspaceArg) fs.rmSync(root, { recursive: true, force: true });
  return {
    lines: session.lineCount,
    workspace: workspaceArg ? root : 'generated',
    firstAnalysisMs: round(firstMs),
    ...edits,
    loadAverage: os.loadavg().map(round),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!fs.existsSync(SERVER)) {
    console.error('dist/server.js is missing: run `node esbuild.mjs` first.');
    process.exit(2);
  }
  const result = await runKeystrokeBench(process.argv[2] ?? process.env.PERFLINT_BENCH_WORKSPACE);
  console.log(
    `keystroke: ${result.lines}-line file, ${result.edits} edits over LSP (debounce excluded): p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, first ${result.firstEditMs} ms ` +
      `(server analysis p50 ${result.serverAnalysisP50Ms} ms, p95 ${result.serverAnalysisP95Ms} ms, CPU p50 ${result.serverCpuP50Ms} ms, p95 ${result.serverCpuP95Ms} ms; first analysis ${result.firstAnalysisMs} ms; ${result.diagnostics} diagnostics; load ${result.loadAverage.join(' ')})`,
  );
  console.log(JSON.stringify(result));
  process.exit(0);
}
