#!/usr/bin/env bash
# The project's one entry point for people and CI: `npm start`, `npm test`, `npm run sim`, `npm run bench`.
# It runs with whatever Node the machine has (20 on a fresh Debian), sets the machine up (scripts/bootstrap.sh),
# then runs the command under Node >= 22.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

cmd=${1:-help}
shift || true
case "$cmd" in
  test)
    echo "[test] type-check: Node (no DOM), browser (DOM, no Node), Node driving a page" >&2
    for project in tsconfig.node.json tsconfig.web.json tsconfig.node-dom.json; do tsc -p "$project"; done
    echo "[test] lint (incl. layering)" >&2
    eslint --max-warnings 0 .
    echo "[test] format (prettier --check; \`npm run format\` rewrites)" >&2
    prettier --check . --log-level warn
    echo "[test] docs/requirements.md: every named test file and test name exists" >&2
    tsx scripts/check-requirements.ts
    echo "[test] build (renderer + Electron shell bundles)" >&2
    vite build --config vite.config.ts --logLevel warn
    node scripts/build-main.mjs
    echo "[test] unit, integration and e2e tests" >&2
    vitest run "$@"
    echo "[test] chaos: 200 outpatient settlements with faults and SIGKILLs, then reconciliation" >&2
    tsx test/chaos/run.ts --sessions 200 --seed 7
    ;;
  chaos)
    exec tsx test/chaos/run.ts "$@"
    ;;
  mutants)
    exec tsx scripts/mutants.ts "$@"
    ;;
  start)
    vite build --config vite.config.ts --logLevel warn
    node scripts/build-main.mjs
    exec tsx src/host/start.ts "$@"
    ;;
  sim)
    exec tsx src/simulators/nhsa/standalone.ts "$@"
    ;;
  cli)
    exec tsx src/host/cli/index.ts "$@"
    ;;
  bench)
    # the identify benchmark drives the built UI
    vite build --config vite.config.ts --logLevel warn
    exec tsx bench/run.ts "$@"
    ;;
  *)
    echo "usage: npm start | npm test | npm run sim | npm run bench -- NAME | npm run station -- outbox status" >&2
    exit 2
    ;;
esac
