#!/usr/bin/env bash
# Command throughput and latency of the Caucus API against the raw store ceilings:
#
#     bash bench/run.sh                    # BENCH_SECONDS=10 per client count
#     BENCH_SECONDS=5 bash bench/run.sh    # shorter
#
# 1. PostgreSQL: a private cluster on loopback (fsync ON), `caucus serve` (release) on one
#    database, `caucus-bench` POSTing decisions at 1, 8 and 32 clients; then pgbench running
#    bench/pg_command_shape.sql (the same reads and writes one command does) at the same client
#    counts on a fresh database with Caucus's migrations.
# 2. SQLite: `caucus serve` on a fresh data dir, the same client load; then
#    `caucus-bench sqlite-raw` (the same work straight on a fresh SQLite file).
# Prints one table per store with the ratio api/raw and the api's peak RSS (VmHWM).
#
# Settings: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CLIENTS (1,8,32),
# BENCH_RUST_LOG (the api's RUST_LOG, default warn), CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

SECONDS_PER_RUN=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP_SECONDS:-2}
CLIENTS=${BENCH_CLIENTS:-1,8,32}
API_LOG_LEVEL=${BENCH_RUST_LOG:-warn}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
CAUCUS=$TARGET_DIR/release/caucus
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

command -v pgbench >/dev/null 2>&1 || die "pgbench not found (Debian: apt-get install postgresql-contrib or postgresql)"
command -v psql >/dev/null 2>&1 || die "psql not found"
command -v curl >/dev/null 2>&1 || die "curl not found"

# ---------------------------------------------------------------- private PostgreSQL

# shellcheck source=bench/pg.sh
. "$ROOT/bench/pg.sh"
BENCH_TMP=$(mktemp -d /tmp/caucus-bench.XXXXXX)
API_PID=""
cleanup() {
    # Runs from the EXIT trap: idempotent, never fails.
    if [ -n "$API_PID" ]; then
        kill "$API_PID" 2>/dev/null || true
        wait "$API_PID" 2>/dev/null || true
    fi
    stop_pg
    rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- the api under load

JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
API_RSS_KB=""

# api_bench <name> <output file> [env for caucus serve ...]: starts `caucus serve` with the
# given environment, runs caucus-bench against it, records VmHWM, stops it.
api_bench() {
    local name=$1 out=$2
    shift 2
    local port
    port=$(free_port 18080)
    log "Starting caucus serve ($name) on 127.0.0.1:$port"
    env -u CAUCUS_DATABASE_URL "$@" \
        CAUCUS_BIND="127.0.0.1:$port" \
        CAUCUS_JWT_SECRET="$JWT_SECRET" \
        RUST_LOG="$API_LOG_LEVEL" \
        "$CAUCUS" serve >"$BENCH_TMP/api-$name.log" 2>&1 &
    API_PID=$!
    local ready=""
    for _ in $(seq 1 600); do
        if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
            ready=yes
            break
        fi
        kill -0 "$API_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$ready" ]; then
        cat "$BENCH_TMP/api-$name.log" >&2
        die "caucus serve ($name) did not become ready"
    fi
    local token
    token=$(env "$@" CAUCUS_JWT_SECRET="$JWT_SECRET" RUST_LOG=error \
        "$CAUCUS" token --role assistant --group newham-labour 2>/dev/null | tail -n 1)
    log "Running caucus-bench against the api ($name): clients $CLIENTS, ${SECONDS_PER_RUN}s each"
    CAUCUS_BENCH_TOKEN=$token "$BENCH" --api-url "http://127.0.0.1:$port" \
        --clients "$CLIENTS" --seconds "$SECONDS_PER_RUN" --warmup-seconds "$WARMUP" | tee "$out" >&2
    API_RSS_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$API_PID/status")
    kill "$API_PID"
    wait "$API_PID" || true
    API_PID=""
    if grep -qiE 'warn|error' "$BENCH_TMP/api-$name.log"; then
        log "The api ($name) logged warnings or errors (last lines):"
        grep -iE 'warn|error' "$BENCH_TMP/api-$name.log" | tail -n 5 >&2
    fi
}

# field <line> <key>: the value of key=value in a caucus-bench line.
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'; }

# table <title> <api results> <raw results> <rss kB>: raw results are lines
# "clients=N ops_per_s=X" (any other fields ignored).
table() {
    local title=$1 api=$2 raw=$3 rss=$4 line clients
    echo
    echo "$title"
    printf '%-8s %12s %10s %10s %12s %10s\n' clients "api ops/s" "p50 ms" "p99 ms" "raw ops/s" "api/raw"
    while read -r line; do
        clients=$(field "$line" clients)
        local ops p50 p99 errors raw_ops raw_line ratio
        ops=$(field "$line" ops_per_s)
        p50=$(field "$line" p50_ms)
        p99=$(field "$line" p99_ms)
        errors=$(field "$line" errors)
        raw_line=$(grep -E "(^| )clients=$clients( |$)" "$raw" | head -n 1 || true)
        raw_ops=$(field "$raw_line" ops_per_s)
        ratio=$(awk -v a="$ops" -v r="${raw_ops:-0}" 'BEGIN { if (r > 0) printf "%.0f%%", 100 * a / r; else print "n/a" }')
        printf '%-8s %12s %10s %10s %12s %10s' "$clients" "$ops" "$p50" "$p99" "${raw_ops:-n/a}" "$ratio"
        [ "$errors" = "0" ] || printf '   errors=%s' "$errors"
        echo
    done <"$api"
    awk -v kb="$rss" 'BEGIN { printf "api peak RSS (VmHWM): %.1f MiB\n", kb / 1024 }'
}

start_pg

# ---------------------------------------------------------------- PostgreSQL

pg_sql postgres "CREATE DATABASE bench_api"
pg_sql postgres "CREATE DATABASE bench_raw"
api_bench postgres "$BENCH_TMP/pg-api.txt" \
    CAUCUS_DATABASE_URL="$(pg_url bench_api)" \
    CAUCUS_DATABASE_MAX_CONNECTIONS=40 \
    CAUCUS_DATA_DIR="$BENCH_TMP/pg-data"
PG_RSS=$API_RSS_KB

log "Migrating the raw database with caucus migrate"
CAUCUS_DATABASE_URL="$(pg_url bench_raw)" RUST_LOG=warn "$CAUCUS" migrate >/dev/null
: >"$BENCH_TMP/pg-raw.txt"
for clients in ${CLIENTS//,/ }; do
    log "pgbench bench/pg_command_shape.sql: $clients clients, ${SECONDS_PER_RUN}s"
    result=$(pgbench -n -h 127.0.0.1 -p "$PG_PORT" -U caucus -f "$ROOT/bench/pg_command_shape.sql" \
        -c "$clients" -j 2 -T "$SECONDS_PER_RUN" bench_raw 2>&1) || { echo "$result" >&2; die "pgbench failed"; }
    tps=$(awk '/^tps/ {print $3; exit}' <<<"$result")
    lat=$(awk '/latency average/ {print $4; exit}' <<<"$result")
    echo "pg-raw clients=$clients ops_per_s=$tps latency_avg_ms=$lat" | tee -a "$BENCH_TMP/pg-raw.txt" >&2
done

# ---------------------------------------------------------------- SQLite

api_bench sqlite "$BENCH_TMP/sqlite-api.txt" CAUCUS_DATA_DIR="$BENCH_TMP/sqlite-data"
SQLITE_RSS=$API_RSS_KB

log "Running caucus-bench sqlite-raw: clients $CLIENTS, ${SECONDS_PER_RUN}s each"
TMPDIR=$BENCH_TMP "$BENCH" sqlite-raw --clients "$CLIENTS" --seconds "$SECONDS_PER_RUN" \
    --warmup-seconds "$WARMUP" | tee "$BENCH_TMP/sqlite-raw.txt" >&2

# ---------------------------------------------------------------- results

echo
echo "Caucus command benchmark: POST /api/v1/decisions, ${SECONDS_PER_RUN}s per client count" \
    "(warm-up ${WARMUP}s), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ)"
table "PostgreSQL (fsync on): api vs pgbench bench/pg_command_shape.sql" \
    "$BENCH_TMP/pg-api.txt" "$BENCH_TMP/pg-raw.txt" "$PG_RSS"
echo "raw latency (pgbench average):"
sed 's/^/  /' "$BENCH_TMP/pg-raw.txt"
table "SQLite (WAL, synchronous=FULL): api vs caucus-bench sqlite-raw" \
    "$BENCH_TMP/sqlite-api.txt" "$BENCH_TMP/sqlite-raw.txt" "$SQLITE_RSS"
echo "raw (caucus-bench sqlite-raw):"
sed 's/^/  /' "$BENCH_TMP/sqlite-raw.txt"
