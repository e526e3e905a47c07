#!/usr/bin/env bash
# Casework at scale on PostgreSQL (issue 15's target: p95 under 50 ms for each read):
#
#     bash bench/casework.sh                  # BENCH_CASES=100000, BENCH_REQUESTS=200
#
# Seeds a fresh database with the sample group and BENCH_CASES more cases through the api's own
# application functions (`caucus-bench casework-seed`; commits unsynchronised while loading),
# then starts `caucus serve` (release, fsync on, nothing else running) and times, one request at
# a time, a councillor's overdue cases and the casework report of the last quarter
# (`caucus-bench casework-read`). Settings: BENCH_CASES, BENCH_REQUESTS, CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
CASES=${BENCH_CASES:-100000}
REQUESTS=${BENCH_REQUESTS:-200}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BENCH=$TARGET_DIR/release/caucus-bench
CAUCUS=$TARGET_DIR/release/caucus

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
command -v curl >/dev/null 2>&1 || die "curl not found"

# shellcheck source=bench/pg.sh
. "$ROOT/bench/pg.sh"
API_PID=""
cleanup() {
    if [ -n "$API_PID" ]; then
        kill "$API_PID" 2>/dev/null || true
        wait "$API_PID" 2>/dev/null || true
    fi
    stop_pg
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_pg
pg_sql postgres "CREATE DATABASE bench_casework"
URL=$(pg_url bench_casework)
log "Seeding $CASES cases"
seeded=$("$BENCH" casework-seed --cases "$CASES" --database-url "$URL?options=-c%20synchronous_commit%3Doff" | tee /dev/stderr)
councillor=$(echo "$seeded" | sed -n 's/.* councillor=\([0-9a-f-]*\).*/\1/p')
[ -n "$councillor" ] || die "the seed named no councillor"

JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
LOG_FILE=$(mktemp)
port=$(free_port 18080)
log "Starting caucus serve on 127.0.0.1:$port"
CAUCUS_DATABASE_URL="$URL" CAUCUS_BIND="127.0.0.1:$port" CAUCUS_JWT_SECRET="$JWT_SECRET" \
    CAUCUS_DATA_DIR="$(mktemp -d)" RUST_LOG=warn "$CAUCUS" serve >"$LOG_FILE" 2>&1 &
API_PID=$!
for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 "$API_PID" 2>/dev/null || { cat "$LOG_FILE" >&2; die "caucus serve stopped"; }
    sleep 0.1
done
token() {
    CAUCUS_DATABASE_URL="$URL" CAUCUS_JWT_SECRET="$JWT_SECRET" RUST_LOG=error \
        "$CAUCUS" token --group newham-labour "$@" 2>/dev/null | tail -n 1
}
assistant=$(token --role assistant)
councillor_token=$(token --role councillor --subject "$councillor")
log "Timing $REQUESTS requests of each read"
CAUCUS_BENCH_TOKEN=$assistant CAUCUS_BENCH_COUNCILLOR_TOKEN=$councillor_token \
    "$BENCH" --api-url "http://127.0.0.1:$port" casework-read --requests "$REQUESTS"
