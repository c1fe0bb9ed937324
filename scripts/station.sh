#!/usr/bin/env bash
# The project's one entry point for people and CI: `npm start`, `npm test`, `npm run sim`, `npm run bench`.
# It runs with whatever Node the machine has (20 on a fresh Debian), sets the machine up (scripts/bootstrap.sh),
# then runs the command under Node >= 22.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

usage() {
  cat <<'USAGE'
用法 / usage: npm COMMAND [-- ARGS]   (every command takes --help)
  npm start                 培训模式 the station with simulators (npm start -- --help: --live, --reset-training, …)
  npm test                  type-check, lint, format, build, every test, then the chaos runs (one station, three)
  npm run station -- AREA   IT commands: outbox, audit, support, operators, backup, training, shifts, ledger, keys, service
  npm run service           结算服务 the settlement service's HTTP API for the hospital's apps (-- --help)
  npm run ledger -- CMD     医院总账 the hospital ledger: status | init | add-station | add-office | server-status
  npm run sim               the simulated NHSA centre on its own
  npm run bench -- NAME     a benchmark (npm run bench -- --help lists them)
  npm run chaos             settlements with faults and SIGKILLs, then every book reconciled (-- --service: the
                            settlement service's phones, the service SIGKILLed)
  npm run mutants           planted money bugs the chaos run must catch
  npm run dist -- --win | --linux | --dir   installers (docs/operations.md)
USAGE
}

# --help anywhere: the command's usage, without building or starting anything.
wants_help() {
  local a
  for a in "$@"; do [ "$a" = --help ] || [ "$a" = -h ] && return 0; done
  return 1
}

cmd=${1:-help}
shift || true
case "$cmd" in
  help | --help | -h)
    usage
    ;;
  test)
    if wants_help "$@"; then
      echo "用法 / usage: npm test [-- VITEST ARGS]   the full check; arguments go to vitest (e.g. a test file)"
      exit 0
    fi
    echo "[test] type-check: Node (no DOM), browser (DOM, no Node), Node driving a page" >&2
    for project in tsconfig.node.json tsconfig.web.json tsconfig.node-dom.json; do tsc -p "$project"; done
    echo "[test] lint (incl. layering)" >&2
    eslint --max-warnings 0 .
    echo "[test] format (prettier --check; \`npm run format\` rewrites)" >&2
    prettier --check . --log-level warn
    echo "[test] docs/requirements.md: every named test file and test name exists" >&2
    tsx scripts/check-requirements.ts
    echo "[test] build (renderer, the patient's phone page, Electron shell bundles)" >&2
    vite build --config vite.config.ts --logLevel warn
    vite build --config vite.phone.config.ts --logLevel warn
    node scripts/build-main.mjs
    echo "[test] unit, integration and e2e tests" >&2
    vitest run "$@"
    echo "[test] chaos: 200 outpatient settlements with faults and SIGKILLs, then reconciliation" >&2
    tsx test/chaos/run.ts --sessions 200 --seed 7
    echo "[test] chaos, three stations: 45 settlements, one PostgreSQL hospital ledger restarted mid-run, every event once, 3201 balanced" >&2
    tsx test/chaos/run.ts --stations 3 --sessions 45 --seed 7
    echo "[test] chaos, the settlement service: 20 phones settling discharges, the service SIGKILLed, callbacks lost/duplicated/late, every book zero" >&2
    tsx test/chaos/service-run.ts --phones 20 --seed 7
    ;;
  chaos)
    # --service: the settlement service's chaos (phones over HTTP, the service killed); otherwise the stations'.
    for a in "$@"; do [ "$a" = --service ] && exec tsx test/chaos/service-run.ts "$@"; done
    exec tsx test/chaos/run.ts "$@"
    ;;
  mutants)
    exec tsx scripts/mutants.ts "$@"
    ;;
  start)
    wants_help "$@" && exec tsx src/host/start.ts --help
    vite build --config vite.config.ts --logLevel warn
    vite build --config vite.phone.config.ts --logLevel warn
    node scripts/build-main.mjs
    exec tsx src/host/start.ts "$@"
    ;;
  sim)
    exec tsx src/simulators/nhsa/standalone.ts "$@"
    ;;
  cli)
    exec tsx src/host/cli/index.ts "$@"
    ;;
  service)
    # the patient's page it serves under /m/
    wants_help "$@" || vite build --config vite.phone.config.ts --logLevel warn
    exec tsx src/service/main.ts "$@"
    ;;
  ledger)
    exec tsx src/host/cli/index.ts ledger "$@"
    ;;
  bench)
    wants_help "$@" && exec tsx bench/run.ts --help
    # the identify benchmark drives the built UI
    vite build --config vite.config.ts --logLevel warn
    exec tsx bench/run.ts "$@"
    ;;
  *)
    usage >&2
    exit 2
    ;;
esac
