// Checks a packaged VSIX: at most 4 MB, no node_modules or TypeScript sources inside, and every
// file the extension needs at run time present. Run after `vsce package` (npm run package does).
// Usage: node tools/check-vsix.mjs [file.vsix]
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const file = process.argv[2] ?? path.join(root, `perflint-${version}.vsix`);
const MAX_BYTES = 4 * 1024 * 1024;

/** Entry names from the zip central directory. */
function zipEntries(buffer) {
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file');
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    names.push(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const buffer = fs.readFileSync(file);
const names = zipEntries(buffer);
const problems = [];
if (buffer.length > MAX_BYTES) problems.push(`${(buffer.length / 1048576).toFixed(2)} MB is over the 4 MB budget`);
for (const name of names) {
  if (name.includes('node_modules/')) problems.push(`ships node_modules: ${name}`);
  if (/\.(ts|map)$/.test(name) && !name.endsWith('.d.ts')) problems.push(`ships a source or map file: ${name}`);
}
const required = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/media/icon.png', 'extension/perflintrc.schema.json', 'extension/syntaxes/prisma.tmLanguage.json'];
for (const name of required) if (!names.includes(name)) problems.push(`missing ${name}`);
// The server bundle is its own audit worker script (engine/parallel/worker.ts): no second TypeScript.
if (names.includes('extension/dist/worker.js')) problems.push('ships dist/worker.js (the server bundle is the worker script)');
if (!names.some((name) => name.endsWith('.wasm'))) problems.push('missing the Prisma engine wasm');
if (!names.some((name) => name.startsWith('extension/dist/docs/rules/'))) problems.push('missing bundled rule docs');
if (problems.length > 0) {
  console.error(`${path.basename(file)}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`${path.basename(file)}: ${(buffer.length / 1048576).toFixed(2)} MB, ${names.length} entries, OK`);
