#!/usr/bin/env bash
# `npm run test:e2e`: the real-editor tests. Provisions what is missing (Debian Chromium and build
# tools; code-server + playwright-core in a cache folder outside the repository), packages the
# VSIX with `npm run package`, then runs test/e2e/*.e2e.test.mjs (node:test, one file at a time:
# each starts its own code-server on a fresh profile and a copy of the fixture workspace).
# Artifacts (screenshots, code-server logs) go to test-results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)

cache="$(bash test/e2e/provision.sh | tail -n 1)"
export PERFLINT_E2E_CACHE="$cache"

echo "[e2e] packaging the extension"
# Retried: in a shared working tree another build may rewrite dist/ while vsce zips it.
for attempt in 1 2 3; do
  if npm run --silent package >/dev/null; then break; fi
  [ "$attempt" = 3 ] && { echo "[e2e] npm run package failed" >&2; exit 1; }
  echo "[e2e] packaging failed (attempt $attempt); retrying" >&2
done
version="$(node -p 'require("./package.json").version')"
name="$(node -p 'require("./package.json").name')"
export PERFLINT_VSIX="$PWD/$name-$version.vsix"
[ -f "$PERFLINT_VSIX" ] || { echo "[e2e] $PERFLINT_VSIX was not produced" >&2; exit 1; }
# The CLI the tests compare against (npm run package builds the bundles with --production).
[ -x dist/cli.js ] || node esbuild.mjs

mkdir -p test-results
echo "[e2e] running the real-editor tests ($(date -u +%H:%M:%S) UTC)"
status=0
node --test --test-concurrency=1 --test-reporter=spec test/e2e/*.e2e.test.mjs || status=$?
echo "[e2e] finished in $(( $(date +%s) - started )) s (exit $status)"
exit $status
