#!/usr/bin/env bash
# Provisions what the real-editor tests need, skipping whatever is already there:
#   - Debian packages: chromium, ripgrep, and the toolchain code-server's native modules build with;
#   - code-server@4.100.3 + playwright-core@1.65.1 in a cache folder OUTSIDE the repository
#     (~300 MB; never bundled): ${PERFLINT_E2E_CACHE:-$HOME/.cache/perflint-e2e}.
# Offline-safe: code-server's @vscode/ripgrep postinstall would download `rg`; its download cache is
# seeded with Debian's binary first. See shared/guides/e2e-real-editor.md.
# Prints the cache folder on its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1
CACHE="${PERFLINT_E2E_CACHE:-$HOME/.cache/perflint-e2e}"
mkdir -p "$CACHE"

log() { echo "[provision] $*" >&2; }

# Serialise concurrent provisioning runs (two test runs started at once share the cache).
exec 9>"$CACHE/.lock"
flock 9

# 1. Debian packages.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || missing+=(build-essential)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v krb5-config >/dev/null 2>&1 || dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  log "Debian packages present"
fi

# 2. code-server + playwright-core in the cache folder.
installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch { }' "$CACHE/node_modules/$1/package.json"
}
if [ "$(installed_version code-server)" = "$CODE_SERVER_VERSION" ] \
  && [ "$(installed_version playwright-core)" = "$PLAYWRIGHT_VERSION" ] \
  && [ -x "$CACHE/node_modules/.bin/code-server" ] \
  && [ -f "$CACHE/.installed-$CODE_SERVER_VERSION-$PLAYWRIGHT_VERSION" ]; then
  log "code-server $CODE_SERVER_VERSION + playwright-core $PLAYWRIGHT_VERSION present in $CACHE"
else
  # Seed @vscode/ripgrep's download cache with Debian's rg so its postinstall needs no network.
  tmp="$(node -p 'require("os").tmpdir()')"
  rgcache="$tmp/vscode-ripgrep-cache-1.15.11"
  rgtar="$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -s "$rgtar" ]; then
    log "seeding ripgrep cache at $rgtar"
    mkdir -p "$rgcache"
    stage="$(mktemp -d)"
    cp "$(command -v rg)" "$stage/rg"
    tar -czf "$rgtar" -C "$stage" rg
    rm -rf "$stage"
  fi
  log "installing code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION into $CACHE (2-3 minutes)"
  # Native modules (kerberos, node-pty) build against the local Node headers: node-gyp must not download them.
  if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
  rm -f "$CACHE"/.installed-*
  if [ ! -f "$CACHE/package.json" ]; then
    printf '{ "name": "perflint-e2e-cache", "private": true }\n' > "$CACHE/package.json"
  fi
  (
    cd "$CACHE"
    npm_config_yes=true npm install --no-audit --no-fund --unsafe-perm --no-save \
      "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" >&2
  )
  [ -x "$CACHE/node_modules/.bin/code-server" ] || { log "code-server binary missing after install"; exit 1; }
  touch "$CACHE/.installed-$CODE_SERVER_VERSION-$PLAYWRIGHT_VERSION"
fi

echo "$CACHE"
