/**
 * Entry point of dist/server.js. The transport comes from the command line, as
 * vscode-languageserver reads it: `--stdio`, `--node-ipc` (what the VS Code client uses) or
 * `--socket=<port>`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { auditFeature } from './audit';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all), [auditFeature]);
