// Quick-fix safety over real code: audits the corpus as SARIF (which carries every single-file fix
// as offset replacements), applies each offered fix on its own to the original text, and checks that
// the result parses with no syntax error that the original did not have.
// Run by bench/run.mjs; also runnable alone: node bench/fix-safety.mjs <workspace>.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Counts of offered fixes and how many leave code that parses with no new syntax errors. */
export function checkFixSafety({ cli, workspace, ts, outputFile }) {
  // With the result cache the benchmark primed, this run reads every result from the cache.
  const child = spawnSync(process.execPath, [cli, '--root', workspace, '--format', 'sarif', '--output', outputFile], { encoding: 'utf8' });
  if (child.status !== 0 && child.status !== 1) throw new Error(`perflint exited ${child.status}: ${child.stderr}`);
  const sarif = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
  const counts = { fixes: 0, parsedClean: 0, newErrors: 0, skipped: 0, byRule: {}, failures: [] };
  const texts = new Map();
  const errorsOf = (file, text) => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false).parseDiagnostics.length;
  const baseline = new Map();
  for (const result of sarif.runs[0].results) {
    for (const fix of result.fixes ?? []) {
      counts.fixes++;
      const rule = (counts.byRule[result.ruleId] ??= { fixes: 0, parsedClean: 0 });
      rule.fixes++;
      const changes = fix.artifactChanges ?? [];
      if (changes.length !== 1) {
        counts.skipped++;
        continue;
      }
      const file = path.join(workspace, decodeURIComponent(changes[0].artifactLocation.uri));
      if (!/\.(c|m)?tsx?$|\.(c|m)?jsx?$/.test(file)) {
        counts.skipped++;
        continue;
      }
      if (!texts.has(file)) texts.set(file, stripBom(fs.readFileSync(file, 'utf8')));
      const text = texts.get(file);
      if (!baseline.has(file)) baseline.set(file, errorsOf(file, text));
      const edits = changes[0].replacements
        .map((r) => ({ start: r.deletedRegion.charOffset, end: r.deletedRegion.charOffset + (r.deletedRegion.charLength ?? 0), text: r.insertedContent?.text ?? '' }))
        .sort((a, b) => b.start - a.start);
      let fixed = text;
      for (const edit of edits) fixed = fixed.slice(0, edit.start) + edit.text + fixed.slice(edit.end);
      if (errorsOf(file, fixed) <= baseline.get(file)) {
        counts.parsedClean++;
        rule.parsedClean++;
      } else {
        counts.newErrors++;
        if (counts.failures.length < 20) counts.failures.push({ file: path.relative(workspace, file), ruleId: result.ruleId, fix: fix.description?.text });
      }
    }
  }
  return counts;
}

function stripBom(text) {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const workspace = path.resolve(process.argv[2] ?? '.');
  const ts = createRequire(path.join(repo, 'package.json'))('typescript');
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflint-fixes-'));
  const result = checkFixSafety({ cli: path.join(repo, 'dist/cli.js'), workspace, ts, outputFile: path.join(reportDir, 'report.sarif') });
  fs.rmSync(reportDir, { recursive: true, force: true });
  console.log(JSON.stringify(result, null, 2));
  if (result.newErrors > 0) process.exitCode = 1;
}
