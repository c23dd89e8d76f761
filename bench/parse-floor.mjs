// One pass of TypeScript's parser over a list of files, in this fresh process: what parsing the
// corpus costs a tool that starts, reads the files and parses them once (as every audit process
// does), JIT compilation of the parser included. The texts are read before the clock starts.
//
// Usage: node bench/parse-floor.mjs <file listing one absolute path per line>
// Prints one JSON line: { files, wallMs, cpuMs } (CPU: user + system of all of this process's threads).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ts = createRequire(path.join(repo, 'package.json'))('typescript');
const listFile = process.argv[2];
if (!listFile) {
  console.error('usage: node bench/parse-floor.mjs <file list>');
  process.exit(2);
}
const files = fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const texts = files.map((file) => [file, fs.readFileSync(file, 'utf8')]);
const cpuStarted = process.cpuUsage();
const started = performance.now();
for (const [file, text] of texts) ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStarted);
console.log(JSON.stringify({ files: texts.length, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }));
