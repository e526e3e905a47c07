#!/usr/bin/env bash
# The audit operations on a store of N events, on PostgreSQL and on SQLite:
#
#     bash bench/audit.sh                 # BENCH_EVENTS=1000000
#     BENCH_EVENTS=100000 bash bench/audit.sh
#
# For each store `caucus-bench audit` seeds a fresh store (the sample group through the command
# bus, then copies of its events under new record ids, one group), then times extending the hash
# chain over the whole log, `caucus replay` (fold into a fresh read model, swap it in), the JSON
# Lines export and the verification of the chain against its signed checkpoint.
# Settings: BENCH_EVENTS (1000000), CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
EVENTS=${BENCH_EVENTS:-1000000}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BENCH=$TARGET_DIR/release/caucus-bench

log() { echo "==> $*" >&2; }
die() { echo "==> ERROR: $*" >&2; exit 1; }

if ! command -v cargo >/dev/null 2>&1 && [ -f "${HOME:-/root}/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "${HOME:-/root}/.cargo/env"
fi

log "Building release binaries"
# The same packages in every bench script, so one release build (same features) serves all.
cargo build --release -p caucus-api -p caucus-bench -p caucus-publisher
command -v psql >/dev/null 2>&1 || die "psql not found"

# shellcheck source=bench/pg.sh
. "$ROOT/bench/pg.sh"
trap stop_pg EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_pg
pg_sql postgres "CREATE DATABASE bench_audit"
log "PostgreSQL: $EVENTS events"
"$BENCH" audit --events "$EVENTS" --database-url "$(pg_url bench_audit)"
log "SQLite: $EVENTS events"
"$BENCH" audit --events "$EVENTS"
