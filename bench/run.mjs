// `npm run bench`: PerfLint against the TypeScript parser alone, on a real corpus no one here wrote.
//
// 1. Installs the pinned packages of bench/corpus (npm packages that ship their src/**/*.ts) into a
//    cache folder outside the repository (PERFLINT_BENCH_DIR, default ~/.cache/perflint-bench) and
//    copies their TypeScript sources into a plain workspace folder there (discovery skips node_modules).
// 2. In one run, with medians over PERFLINT_BENCH_REPS repetitions (default 3):
//      parse floor  ts.createSourceFile over the audited files, single thread, texts preloaded: in
//                   this process, whose parser earlier passes have JIT-compiled (its median), and in
//                   a fresh process per repetition (bench/parse-floor.mjs: one pass, the parser's code
//                   compiled as it runs, as in any process that starts and parses the files once);
//      cold audit   `node dist/cli.js` with an empty result cache (all rules, worker threads, the
//                   whole process, including writing the cache);
//      warm audit   the same again, nothing changed (every result from the cache);
//    plus peak RSS of the CLI, and the ratios against the floor.
// 3. Fix safety over the corpus (bench/fix-safety.mjs), the language server's keystroke benchmark
//    (bench/keystroke.mjs), and the server's workspace audit with keystrokes typed during it, its
//    wall time and the server's RSS afterwards (bench/server-audit.mjs).
// Results: a table on stdout and <cache>/results.json.
import { execFileSync, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFixSafety } from './fix-safety.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'package.json'));
const ts = require('typescript');
const cacheRoot = path.resolve(process.env.PERFLINT_BENCH_DIR ?? path.join(os.homedir(), '.cache/perflint-bench'));
const corpusDir = path.join(cacheRoot, 'corpus');
const workspace = path.join(corpusDir, 'workspace');
// The runs use a snapshot of dist/ (other builds replacing dist/ mid-run would change the build id,
// which is part of the result cache's key, and the warm audit would not be warm).
const snapshot = path.join(cacheRoot, 'dist-snapshot');
const cli = path.join(snapshot, 'cli.js');
// The CLI's V8 code cache of its own chunks (cli/compile-cache.ts), kept apart from the user's.
const compileCacheDir = path.join(cacheRoot, 'compile-cache');
const reps = Math.max(1, Number(process.env.PERFLINT_BENCH_REPS ?? 3));
const SOURCE = /\.(ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(ts|mts|cts)$/;

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Installs the corpus (once per lock file) and lays its sources out as a plain workspace. */
function ensureCorpus() {
  const lock = fs.readFileSync(path.join(repo, 'bench/corpus/package-lock.json'));
  const stamp = crypto.createHash('sha256').update(lock).digest('hex').slice(0, 16);
  const stampFile = path.join(corpusDir, '.perflint-corpus-stamp');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp && fs.existsSync(workspace)) return;
  log(`installing the corpus into ${corpusDir} (npm install --ignore-scripts, pinned by bench/corpus/package-lock.json; nothing from it is executed)`);
  fs.mkdirSync(corpusDir, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(repo, 'bench/corpus', file), path.join(corpusDir, file));
  execFileSync('npm', ['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--omit=optional'], { cwd: corpusDir, stdio: ['ignore', 'ignore', 'inherit'] });
  fs.rmSync(workspace, { recursive: true, force: true });
  let copied = 0;
  const nodeModules = path.join(corpusDir, 'node_modules');
  const packages = [];
  for (const name of fs.readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) for (const sub of fs.readdirSync(path.join(nodeModules, name))) packages.push(`${name}/${sub}`);
    else packages.push(name);
  }
  for (const pkg of packages) {
    const from = path.join(nodeModules, pkg);
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules') walk(full);
        } else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) {
          const to = path.join(workspace, pkg.replace('/', '__'), path.relative(from, full));
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.copyFileSync(full, to);
          copied++;
        }
      }
    };
    walk(from);
  }
  fs.writeFileSync(stampFile, stamp);
  log(`corpus: ${copied} TypeScript files from ${packages.length} packages`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs the CLI under /usr/bin/time; returns wall ms, CPU ms (all threads), peak RSS (MB) and the parsed report. */
function runCli(args, env = {}) {
  const output = path.join(cacheRoot, 'last-report.json');
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const command = timeBin ? timeBin : process.execPath;
  const argv = [...(timeBin ? ['-f', 'PERFLINT_RSS_KB=%M PERFLINT_CPU_S=%U+%S', process.execPath] : []), cli, '--root', workspace, '--format', 'json', '--output', output, ...args];
  const started = performance.now();
  const child = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PERFLINT_COMPILE_CACHE: compileCacheDir, ...env } });
  const wallMs = performance.now() - started;
  if (child.status !== 0 && child.status !== 1) throw new Error(`perflint exited ${child.status}: ${child.stderr}`);
  const rss = /PERFLINT_RSS_KB=(\d+)/.exec(child.stderr ?? '');
  const cpu = /PERFLINT_CPU_S=([\d.]+)\+([\d.]+)/.exec(child.stderr ?? '');
  const timings = {};
  for (const match of (child.stderr ?? '').matchAll(/^(\S+)\s+\|\s+(\d+)\s+\|/gm)) timings[match[1]] = Number(match[2]);
  return { wallMs, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined, rssMb: rss ? Number(rss[1]) / 1024 : undefined, report: JSON.parse(fs.readFileSync(output, 'utf8')), timings };
}

function listFiles() {
  const out = execFileSync(process.execPath, [cli, '--root', workspace, '--list-files'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\n').filter(Boolean).map((line) => path.resolve(workspace, line));
}

/** One pass in a fresh process (bench/parse-floor.mjs): wall and CPU ms of the parse alone. */
function freshParseFloor(listFile) {
  const out = execFileSync(process.execPath, [path.join(repo, 'bench/parse-floor.mjs'), listFile], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

/** Wall and CPU ms (this process: the parse, plus V8's GC and compiler threads) of one pass. */
function parseFloor(texts) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  for (const [file, text] of texts) ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const cpu = process.cpuUsage(cpuStarted);
  return { wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function fmt(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function main() {
  if (!fs.existsSync(path.join(repo, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first (npm run bench does)');
  fs.rmSync(snapshot, { recursive: true, force: true });
  fs.cpSync(path.join(repo, 'dist'), snapshot, { recursive: true, filter: (source) => !source.endsWith('.map') });
  ensureCorpus();
  const cacheDir = path.join(corpusDir, 'node_modules/.cache/perflint');

  const listed = listFiles();
  let first;
  let texts;
  let audited;
  let skipped;
  const floor = [];
  const floorCpu = [];
  const freshFloor = [];
  const freshFloorCpu = [];
  const auditedList = path.join(cacheRoot, 'audited-files.txt');
  const coldCpu = [];
  const cold = [];
  const coldAudit = [];
  const coldRss = [];
  const warm = [];
  const warmRss = [];
  // The first audit after an install or an upgrade compiles TypeScript without a code cache; every
  // later one (the repetitions) finds the cache that run left.
  log('cold audit with an empty compile cache (first run after install)');
  fs.rmSync(compileCacheDir, { recursive: true, force: true });
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const firstRun = runCli([]);
  for (let rep = 0; rep < reps; rep++) {
    log(`repetition ${rep + 1}/${reps}: cold audit`);
    fs.rmSync(cacheDir, { recursive: true, force: true });
    // PERFLINT_BENCH_TIMING=1: the first cold run also reports time per rule (a few % of overhead).
    const c = runCli([], rep === 0 && process.env.PERFLINT_BENCH_TIMING ? { PERFLINT_TIMING: '1' } : {});
    cold.push(c.wallMs);
    if (c.cpuMs !== undefined) coldCpu.push(c.cpuMs);
    coldAudit.push(c.report.durationMs);
    if (c.rssMb !== undefined) coldRss.push(c.rssMb);
    if (!first) {
      first = c;
      skipped = new Set(first.report.notes.filter((n) => n.kind === 'skipped' || n.kind === 'unreadable').map((n) => path.resolve(workspace, n.file)));
      audited = listed.filter((file) => !skipped.has(file));
      texts = audited.map((file) => [file, fs.readFileSync(file, 'utf8')]);
      fs.writeFileSync(auditedList, audited.join('\n') + '\n');
    }
    log(`repetition ${rep + 1}/${reps}: parse floor in a fresh process`);
    const fresh = freshParseFloor(auditedList);
    freshFloor.push(fresh.wallMs);
    freshFloorCpu.push(fresh.cpuMs);
    log(`repetition ${rep + 1}/${reps}: parse floor`);
    const pass = parseFloor(texts);
    floor.push(pass.wallMs);
    floorCpu.push(pass.cpuMs);
    log(`repetition ${rep + 1}/${reps}: warm audit`);
    const w = runCli([]);
    warm.push(w.wallMs);
    if (w.rssMb !== undefined) warmRss.push(w.rssMb);
    if (w.report.findings.length !== c.report.findings.length) {
      throw new Error(`warm audit disagrees with the cold audit: ${w.report.findings.length} vs ${c.report.findings.length} findings`);
    }
  }

  const lines = first.report.linesScanned;
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.availableParallelism(), model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
    corpus: {
      packages: Object.keys(JSON.parse(fs.readFileSync(path.join(repo, 'bench/corpus/package.json'), 'utf8')).dependencies).length,
      workspace,
      filesListed: listed.length,
      filesAudited: audited.length,
      filesScanned: first.report.filesScanned,
      skipped: skipped.size,
      lines,
      findings: first.report.findings.length,
      findingsByRule: countBy(first.report.findings, (f) => f.ruleId),
      crashes: first.report.notes.filter((n) => n.kind === 'rule-crash').length,
      ruleTimeMs: Object.keys(first.timings).length ? first.timings : undefined,
      timeBudgetStopsByRule: countBy(first.report.notes.filter((n) => n.kind === 'time-budget'), (n) => n.ruleId ?? '?'),
      timeBudgetStops: first.report.notes.filter((n) => n.kind === 'time-budget').length,
    },
    repetitions: reps,
    // The first pass runs on a cold parser (JIT, heap sizing), as every audit process and worker does.
    parseFloorMs: { median: median(floor), all: floor, firstPass: floor[0] },
    freshProcessParseFloorMs: { median: median(freshFloor), all: freshFloor, cpuMedian: median(freshFloorCpu), cpuAll: freshFloorCpu },
    coldAuditMs: { median: median(cold), all: cold, engineOnlyMedian: median(coldAudit), withoutCompileCache: firstRun.wallMs },
    warmAuditMs: { median: median(warm), all: warm },
    // CPU time (user + system) beside the wall times: on a shared machine other tenants stretch the
    // wall times (the single-threaded floor's wall far above its CPU says so) much more than the CPU.
    cpuMs: { parseFloorMedian: median(floorCpu), parseFloorAll: floorCpu, coldAuditMedian: coldCpu.length ? median(coldCpu) : undefined, coldAuditAll: coldCpu },
    ratios: {
      coldToFloor: median(cold) / median(floor),
      coldToFirstPassFloor: median(cold) / floor[0],
      coldToFreshProcessFloor: median(cold) / median(freshFloor),
      coldWithoutCompileCacheToFloor: firstRun.wallMs / median(floor),
      coldEngineOnlyToFloor: median(coldAudit) / median(floor),
      warmToCold: median(warm) / median(cold),
    },
    peakRssMb: { cold: coldRss.length ? Math.max(...coldRss) : undefined, warm: warmRss.length ? Math.max(...warmRss) : undefined },
  };

  log('fix safety over the corpus');
  results.fixSafety = checkFixSafety({ cli, workspace, ts, outputFile: path.join(cacheRoot, 'fix-safety-report.sarif') });

  const keystroke = path.join(repo, 'bench/keystroke.mjs');
  if (fs.existsSync(keystroke)) {
    log('language-server keystroke benchmark (bench/keystroke.mjs)');
    const child = spawnSync(process.execPath, [keystroke, workspace], {
      encoding: 'utf8',
      env: { ...process.env, PERFLINT_BENCH_WORKSPACE: workspace, PERFLINT_BENCH_DIR: cacheRoot },
      maxBuffer: 16 * 1024 * 1024,
    });
    results.keystroke = { exitCode: child.status, output: (child.stdout ?? '').trim() };
    const json = (child.stdout ?? '').split('\n').reverse().find((line) => line.trim().startsWith('{'));
    if (json) {
      try {
        results.keystroke.result = JSON.parse(json);
      } catch {}
    }
  } else results.keystroke = { missing: 'bench/keystroke.mjs does not exist yet' };

  // The language server's workspace audit (worker threads, cold result cache in a fresh storage
  // folder) with the keystroke benchmark typed during it, and the server's RSS afterwards.
  log('language-server workspace audit with keystrokes during it (bench/server-audit.mjs)');
  const serverAudit = spawnSync(process.execPath, [path.join(repo, 'bench/server-audit.mjs'), workspace, path.join(snapshot, 'server.js')], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const serverJson = (serverAudit.stdout ?? '').split('\n').reverse().find((line) => line.trim().startsWith('{'));
  if (serverAudit.status === 0 && serverJson) {
    const r = JSON.parse(serverJson);
    results.serverAuditMs = { cold: r.coldAuditMs, warm: r.warmAuditMs, files: r.filesScanned, log: r.coldLog };
    // RSS 3 s after the audit answered (the workers have exited); right after and peak alongside.
    results.serverRssAfterAuditMb = r.memory.settled?.rssMb;
    results.serverMemoryMb = r.memory;
    results.keystrokeDuringAudit = { ...r.keystrokeDuringAudit, withoutAudit: r.keystrokeWithoutAudit, requestLatencyDuringAudit: r.requestLatencyDuringAudit, loadAverage: r.loadAverage };
  } else results.serverAudit = { exitCode: serverAudit.status, output: `${serverAudit.stdout ?? ''}${serverAudit.stderr ?? ''}`.trim().split('\n').slice(-5).join(' | ') };

  fs.writeFileSync(path.join(cacheRoot, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  printTable(results);
  console.log(`\nresults written to ${path.join(cacheRoot, 'results.json')}`);
}

function countBy(items, key) {
  const counts = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function printTable(r) {
  const rows = [
    ['corpus', `${r.corpus.packages} npm packages' TypeScript sources (bench/corpus)`],
    ['files', `${r.corpus.filesAudited} audited (${r.corpus.filesListed} discovered, ${r.corpus.skipped} skipped with a note)`],
    ['lines', r.corpus.lines.toLocaleString('en-US')],
    ['machine', `${r.machine.cpus} cores, load ${r.machine.loadavg.map((l) => l.toFixed(1)).join('/')}, node ${r.machine.node}`],
    ['repetitions', String(r.repetitions)],
    ['parse floor (median)', `${fmt(r.parseFloorMs.median)}  (ts.createSourceFile, 1 thread, texts preloaded; first, cold pass ${fmt(r.parseFloorMs.firstPass)})`],
    ['fresh-process floor', `${fmt(r.freshProcessParseFloorMs.median)}  (median; one pass of ts.createSourceFile in a new process, texts preloaded, the parser compiled as it runs; CPU ${fmt(r.freshProcessParseFloorMs.cpuMedian)})`],
    ['cold audit (median)', `${fmt(r.coldAuditMs.median)}  (whole CLI process, empty result cache; engine alone ${fmt(r.coldAuditMs.engineOnlyMedian)})`],
    ['first run ever', `${fmt(r.coldAuditMs.withoutCompileCache)} = ${r.ratios.coldWithoutCompileCacheToFloor.toFixed(2)}× the floor  (one run, no V8 code cache of TypeScript yet: after an install or upgrade)`],
    [
      'CPU time (median)',
      `cold audit ${r.cpuMs.coldAuditMedian !== undefined ? fmt(r.cpuMs.coldAuditMedian) : '?'} (all threads), parse floor ${fmt(r.cpuMs.parseFloorMedian)} (its wall ${fmt(r.parseFloorMs.median)}; a wall far above the CPU: other processes held the cores)`,
    ],
    ['warm audit (median)', `${fmt(r.warmAuditMs.median)}  (result cache, nothing changed)`],
    ['cold / floor', `${r.ratios.coldToFloor.toFixed(2)}×  (engine alone ${r.ratios.coldEngineOnlyToFloor.toFixed(2)}×; targets ≤ 1.5×, ≤ 1.0× on 2 cores; against the cold first pass ${r.ratios.coldToFirstPassFloor.toFixed(2)}×)`],
    ['cold / fresh floor', `${r.ratios.coldToFreshProcessFloor.toFixed(2)}×  (both new processes: the audit's threads against the parser alone in one thread)`],
    ['warm / cold', `${r.ratios.warmToCold.toFixed(2)}×  (target ≤ 0.15×)`],
    ['CLI peak RSS', `cold ${r.peakRssMb.cold?.toFixed(0) ?? '?'} MB, warm ${r.peakRssMb.warm?.toFixed(0) ?? '?'} MB  (target ≤ 400 MB)`],
    ['findings', `${r.corpus.findings} (${Object.entries(r.corpus.findingsByRule).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}); rule crashes ${r.corpus.crashes}; time-budget stops ${r.corpus.timeBudgetStops}`],
    ['rule time (1st cold)', r.corpus.ruleTimeMs ? Object.entries(r.corpus.ruleTimeMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ') : 'set PERFLINT_BENCH_TIMING=1'],
    ['budget stops by rule', Object.entries(r.corpus.timeBudgetStopsByRule).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'],
    ['fix safety', `${r.fixSafety.fixes} fixes offered, ${r.fixSafety.parsedClean} parse with no new syntax errors, ${r.fixSafety.newErrors} introduce errors, ${r.fixSafety.skipped} not applicable`],
    ['keystroke', r.keystroke.missing ?? (r.keystroke.result ? JSON.stringify(r.keystroke.result) : `exit ${r.keystroke.exitCode}: ${r.keystroke.output.split('\n').slice(-5).join(' | ')}`)],
    ...(r.serverAuditMs
      ? [
          ['server audit', `cold ${fmt(r.serverAuditMs.cold)}, warm ${fmt(r.serverAuditMs.warm)}  (${r.serverAuditMs.files} files over LSP, worker threads, result cache in a fresh storage folder)`],
          ['server RSS', `${r.serverRssAfterAuditMb} MB 3 s after the audit (right after ${r.serverMemoryMb.afterAudit?.rssMb} MB, before ${r.serverMemoryMb.beforeAudit?.rssMb} MB, peak ${r.serverMemoryMb.settled?.peakRssMb} MB; target ≤ 300 MB)`],
          [
            'keystroke in audit',
            `p50 ${r.keystrokeDuringAudit.p50Ms} ms, p95 ${r.keystrokeDuringAudit.p95Ms} ms during the audit (without: p50 ${r.keystrokeDuringAudit.withoutAudit.p50Ms} ms, p95 ${r.keystrokeDuringAudit.withoutAudit.p95Ms} ms; target p95 ≤ 50 ms); ` +
              `requests wait p95 ${r.keystrokeDuringAudit.requestLatencyDuringAudit.p95Ms} ms, max ${r.keystrokeDuringAudit.requestLatencyDuringAudit.maxMs} ms; load ${r.keystrokeDuringAudit.loadAverage.join('/')}`,
          ],
        ]
      : [['server audit', r.serverAudit ? `exit ${r.serverAudit.exitCode}: ${r.serverAudit.output}` : 'not run']]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\nPerfLint benchmark');
  console.log('-'.repeat(width + 60));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  console.log('-'.repeat(width + 60));
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exitCode = 1;
});
