/**
 * The PerfLint language server: thin LSP glue over the engine. Capabilities are chosen from the
 * client's (pull diagnostics when supported, push otherwise); each feature module registers its
 * own handlers on a shared ServerContext. Extra features (the workspace audit) are passed to
 * `startServer` or appended to `FEATURES`.
 */
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type ClientCapabilities,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { PERFLINT_VERSION, type Rule } from '../engine';
import { lowerInterruptBudget } from '../engine/v8-budget';
import { warmUpSteps } from '../engine/warmup';
import { allRules } from '../rules';
import { FIX_ALL_KIND, type InitializationOptions } from '../protocol/protocol';
import { registerCodeActions } from './codeActions';
import type { ClientFlags, Feature, ServerContext, ServerOptions } from './context';
import { fileUri, toDiagnostic, type UriResolver } from './convert';
import { DiagnosticsService } from './diagnostics';
import { registerHover } from './hover';
import { describeError, type Logger } from './logger';
import { SettingsStore } from './settings';
import { pathOfUri, Workspace, type Folder } from './workspace';

/** Features every server has; the audit work adds its own through `startServer(…, extra)`. */
export const FEATURES: Feature[] = [registerCodeActions, registerHover];

/** Files whose changes may alter findings of open documents (facts, configuration, discovery). */
const WATCHED_GLOBS = ['**/.perflintrc.json', '**/*.prisma', '**/package.json', '**/.env*', '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}', '**/.gitignore'];

function clientFlags(capabilities: ClientCapabilities): ClientFlags {
  return {
    pullDiagnostics: capabilities.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: capabilities.workspace?.diagnostics?.refreshSupport === true,
    configuration: capabilities.workspace?.configuration === true,
    documentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
    watchedFilesRegistration: capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    workspaceFolders: capabilities.workspace?.workspaceFolders === true,
    hoverMarkdown: capabilities.textDocument?.hover?.contentFormat?.includes('markdown') ?? true,
    workDoneProgress: capabilities.window?.workDoneProgress === true,
  };
}

function serverOptions(raw: unknown): ServerOptions {
  const options = (typeof raw === 'object' && raw !== null ? raw : {}) as InitializationOptions;
  const ms = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 10_000 ? value : fallback);
  return {
    debounceMs: ms(options.debounceMs, 150),
    dependentsDebounceMs: ms(options.dependentsDebounceMs, 400),
    docsFolder: typeof options.docsFolder === 'string' ? options.docsFolder : path.join(__dirname, 'docs', 'rules'),
    timeBudgetMs: 3000,
    storagePath: typeof options.storagePath === 'string' && path.isAbsolute(options.storagePath) ? options.storagePath : undefined,
    auditParallelMinBytes:
      typeof options.auditParallelMinBytes === 'number' && Number.isFinite(options.auditParallelMinBytes) && options.auditParallelMinBytes >= 0 ? options.auditParallelMinBytes : 256 * 1024,
    warmUp: options.warmUp !== false,
  };
}

/** Wires the server onto a connection and starts listening. */
export function startServer(connection: Connection, extraFeatures: Feature[] = [], rules: readonly Rule[] = allRules): void {
  const documents = new TextDocuments(TextDocument);
  const logger: Logger = {
    info: (message) => connection.console.info(message),
    warn: (message) => connection.console.warn(message),
    error: (message) => connection.console.error(message),
  };
  let context: ServerContext | undefined;
  /** The user has edited a document (the warm-up's cue to stop). */
  let typed = false;
  /** The start-up warm-up (set when it starts, in onInitialized). */
  let warmUpOver: Promise<void> | undefined;
  const warmedUp = (): Promise<void> => warmUpOver ?? Promise.resolve();

  // Last-resort guards: a bug must end up in the output channel, never kill the server.
  process.on('uncaughtException', (error) => logger.error(`Uncaught exception: ${describeError(error)}`));
  process.on('unhandledRejection', (error) => logger.error(`Unhandled rejection: ${describeError(error)}`));

  connection.onInitialize((params): InitializeResult => {
    const client = clientFlags(params.capabilities);
    const options = serverOptions(params.initializationOptions);
    const workspace = new Workspace(rules, logger);
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    for (const folder of folders) workspace.addFolder(folder.uri);
    const settings = new SettingsStore(connection, client.configuration, logger);
    const diagnostics = new DiagnosticsService();
    const ruleMap = new Map(rules.map((rule) => [rule.id, rule]));
    const uriByPath = new Map<string, string>();
    const resolver: UriResolver = {
      uriOf: (filePath) => uriByPath.get(filePath) ?? fileUri(filePath),
      documentOf: (filePath) => {
        const uri = uriByPath.get(filePath);
        return uri ? documents.get(uri) : undefined;
      },
      readText: (filePath) => workspace.folderFor(filePath).linter.project.readText(filePath),
    };
    const folderSettings = new Map<Folder, Promise<void>>();
    const folderReady = (folder: Folder): Promise<void> => {
      let ready = folderSettings.get(folder);
      if (!ready) {
        ready = settings.get(folder.uri).then((values) => {
          workspace.applySettings(folder, values);
        });
        folderSettings.set(folder, ready);
      }
      return ready;
    };
    context = { connection, documents, workspace, settings, diagnostics, rules: ruleMap, logger, client, options, resolver, folderReady, warmedUp };
    diagnostics.attach(context);

    documents.onDidOpen(({ document }) => {
      uriByPath.set(pathOfUri(document.uri, document.languageId), document.uri);
      diagnostics.opened(document);
    });
    documents.onDidChangeContent(({ document }) => {
      // onDidChangeContent also fires on open; `opened` already handled that version.
      if (document.version !== openedVersions.get(document.uri)) {
        typed = true;
        diagnostics.changed(document);
      }
      openedVersions.delete(document.uri);
    });
    const openedVersions = new Map<string, number>();
    documents.onDidOpen(({ document }) => openedVersions.set(document.uri, document.version));
    documents.onDidSave(({ document }) => diagnostics.saved(document));
    documents.onDidClose(({ document }) => {
      uriByPath.delete(pathOfUri(document.uri, document.languageId));
      diagnostics.closed(document);
    });

    connection.onDidChangeConfiguration((change) => {
      settings.changed(change.settings);
      folderSettings.clear();
      for (const folder of workspace.all()) folder.epoch++;
      diagnostics.scheduleRefresh(undefined, undefined, 0);
    });

    connection.onDidChangeWatchedFiles(({ changes }) => {
      const touched = new Set<Folder>();
      for (const change of changes) {
        try {
          const filePath = pathOfUri(change.uri);
          const folder = workspace.folderFor(filePath);
          if (Workspace.isConfigFile(filePath) && !folder.loose) {
            // Re-applies the editor overlay on top of the new file; a bad file keeps the last good config.
            workspace.reloadConfig(folder);
            folderSettings.delete(folder);
            folder.overlayKey = '';
          } else if (change.type === FileChangeType.Changed) {
            folder.linter.project.invalidate(filePath);
          } else {
            folder.linter.invalidateFiles();
          }
          folder.factsEpoch++;
          touched.add(folder);
        } catch (error) {
          logger.error(`Handling the change of ${change.uri} failed: ${describeError(error)}`);
        }
      }
      if (touched.size > 0) diagnostics.scheduleRefresh([...touched], undefined, 0);
    });

    if (client.pullDiagnostics) {
      connection.languages.diagnostics.on(async (params, token) => {
        try {
          return await diagnostics.pull(params.textDocument.uri, params.previousResultId, () => token.isCancellationRequested);
        } catch (error) {
          if (error instanceof Error && error.name === 'ResponseError') throw error;
          logger.error(`Diagnostics for ${params.textDocument.uri} failed: ${describeError(error)}`);
          return { kind: 'full', items: [] };
        }
      });
    }

    for (const feature of [...FEATURES, ...extraFeatures]) {
      try {
        feature(context);
      } catch (error) {
        logger.error(`A server feature failed to start: ${describeError(error)}`);
      }
    }

    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'perflint', version: PERFLINT_VERSION },
    };
    if (client.pullDiagnostics) {
      result.capabilities.diagnosticProvider = { identifier: 'perflint', interFileDependencies: true, workspaceDiagnostics: false };
    }
    return result;
  });

  connection.onInitialized(() => {
    if (!context) return;
    const { client } = context;
    if (client.watchedFilesRegistration) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern, kind: WatchKind.Create | WatchKind.Change | WatchKind.Delete })),
        })
        .catch((error: unknown) => logger.warn(`Could not register file watchers: ${describeError(error)}`));
    }
    if (client.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const removed of event.removed) context!.workspace.removeFolder(removed.uri);
        for (const added of event.added) context!.workspace.addFolder(added.uri);
        context!.diagnostics.scheduleRefresh(undefined, undefined, 0);
      });
    }
    logger.info(`PerfLint ${PERFLINT_VERSION} language server started (${context.rules.size} rules, ${client.pullDiagnostics ? 'pull' : 'push'} diagnostics).`);
    if (context.options.warmUp) warmUpOver = warmUp(context, () => typed);
  });

  documents.listen(connection);
  connection.listen();
}

/**
 * JIT warm-up (engine/warmup.ts) right after start-up: the user's first keystrokes then run on
 * compiled code. Document analyses wait for it (`warmedUp`): measured on the keystroke benchmark
 * (3,000-line file, typing as soon as its diagnostics show), a warm-up that ran in the gaps
 * between analyses had only done a few steps by the first keystrokes, which took 70-140 ms; the
 * price is the first diagnostics of a session coming later (by the warm-up, ~1 s). Requests are
 * served between steps; the warm-up ends early once the user types (real keystrokes warm the same
 * code), and analyses stop waiting for it after WARM_UP_WAIT_MS whatever it is doing.
 */
function warmUp(context: ServerContext, typed: () => boolean): Promise<void> {
  const { logger, rules, resolver } = context;
  return new Promise((resolve) => {
    const steps = warmUpSteps([...rules.values()]);
    const started = performance.now();
    const restoreBudget = lowerInterruptBudget(WARM_UP_INTERRUPT_BUDGET);
    const giveUp = setTimeout(resolve, WARM_UP_WAIT_MS);
    const end = (message: string, level: 'info' | 'warn' = 'info'): void => {
      restoreBudget();
      clearTimeout(giveUp);
      logger[level](message);
      resolve();
    };
    let count = 0;
    const next = (): void => {
      if (typed()) return end(`Warm-up: stopped after ${count} steps (the user is typing).`);
      try {
        count++;
        const step = steps.next();
        if (step.done) return end(`Warm-up: ${Math.round(performance.now() - started)} ms.`);
        // A keystroke also turns the findings into diagnostics (positions, related locations).
        const { path: stepPath, text, result } = step.value;
        const document = TextDocument.create(fileUri(stepPath), 'typescript', count, text);
        result.findings.forEach((finding, index) => toDiagnostic(finding, index, document, rules, resolver));
      } catch (error) {
        return end(`Warm-up stopped: ${describeError(error)}`, 'warn');
      }
      yieldToMessages(next);
    };
    setImmediate(next);
  });
}

/**
 * V8's interrupt budget while the warm-up runs (engine/v8-budget.ts; V8's default is 66 KB, and
 * PERFLINT_WARM_UP_INTERRUPT_BUDGET=0 keeps it). With the default, much of a keystroke's code
 * was still unoptimised after the warm-up and got optimised during the user's first keystrokes.
 * Keystroke benchmark (3,000-line file, typing as soon as its diagnostics show), 8 interleaved
 * runs each, medians: first keystroke 97 -> 74 ms over LSP (server CPU 106 -> 68 ms), p95 of 20
 * keystrokes 70 -> 60 ms, first diagnostics 2.5 -> 3.0 s. A warm-up of 80 edits at the default
 * budget did about as well on the first keystroke but delayed the first diagnostics by ~1.2 s.
 */
const WARM_UP_INTERRUPT_BUDGET = Number(process.env.PERFLINT_WARM_UP_INTERRUPT_BUDGET ?? 8 * 1024);

/** How long document analyses wait for the start-up warm-up at most (a slow, busy machine). */
const WARM_UP_WAIT_MS = 10_000;

/**
 * Runs `fn` after the event loop has gone round three times: vscode-jsonrpc hands an incoming
 * message through two `setImmediate` hops (its read semaphore, then its message queue) before a
 * handler sees it, so steps chained with one `setImmediate` each let 2-3 of them run ahead of a
 * message that had already arrived.
 */
function yieldToMessages(fn: () => void): void {
  setImmediate(() => setImmediate(() => setImmediate(fn)));
}
