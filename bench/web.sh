#!/usr/bin/env bash
# How fast the staff web client answers every kind of page, its api calls included, on
# PostgreSQL and on SQLite, on the sample store and on a store of BENCH_EVENTS events:
#
#     bash bench/web.sh                           # BENCH_EVENTS=1000000
#     BENCH_EVENTS=100000 BENCH_REQUESTS=20 bash bench/web.sh
#
# For each store and size: `caucus-bench web-seed` fills a fresh store (the sample group, then
# copies of its events under new record ids, as bench/audit.sh does) and builds its read model
# and audit chain; `caucus serve` (release) and `caucus-web` (release) start on loopback; then
# `caucus-bench web` signs in through the development sign-in as the people who use each page
# and requests every page kind of web/tests/pages/accessibility.rs BENCH_REQUESTS times after
# BENCH_WARMUP unmeasured requests, one at a time, asking for gzip. It prints a table per store
# and size: p50/p95/max ms per page kind and overall, whether each came compressed, and each
# asset's name (hashed?) and Cache-Control.
#
# Settings: BENCH_EVENTS (1000000), BENCH_REQUESTS (50), BENCH_WARMUP (5),
# BENCH_STORES (postgres,sqlite), BENCH_SIZES (sample,large), BENCH_RUST_LOG (warn),
# CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
EVENTS=${BENCH_EVENTS:-1000000}
REQUESTS=${BENCH_REQUESTS:-50}
WARMUP=${BENCH_WARMUP:-5}
STORES=${BENCH_STORES:-postgres,sqlite}
SIZES=${BENCH_SIZES:-sample,large}
LOG_LEVEL=${BENCH_RUST_LOG:-warn}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
CAUCUS=$TARGET_DIR/release/caucus
CAUCUS_WEB=$TARGET_DIR/release/caucus-web
BENCH=$TARGET_DIR/release/caucus-bench

log() { echo "==> $*" >&2; }
die() { echo "==> ERROR: $*" >&2; exit 1; }

if ! command -v cargo >/dev/null 2>&1 && [ -f "${HOME:-/root}/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "${HOME:-/root}/.cargo/env"
fi

log "Building release binaries"
cargo build --release -p caucus-api -p caucus-bench -p caucus-web
command -v curl >/dev/null 2>&1 || die "curl not found"

# shellcheck source=bench/pg.sh
. "$ROOT/bench/pg.sh"
BENCH_TMP=$(mktemp -d /tmp/caucus-bench-web.XXXXXX)
API_PID=""
WEB_PID=""
stop_servers() {
    local pid
    for pid in "$WEB_PID" "$API_PID"; do
        if [ -n "$pid" ]; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    API_PID=""
    WEB_PID=""
}
cleanup() {
    # Runs from the EXIT trap: idempotent, never fails.
    stop_servers
    stop_pg
    rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

# wait_for <url> <pid> <log> <what>: until the URL answers 200, or the process dies.
wait_for() {
    local url=$1 pid=$2 file=$3 what=$4
    for _ in $(seq 1 1200); do
        if curl -fsS -o /dev/null "$url" 2>/dev/null; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$file" >&2
    die "$what did not become ready"
}

# measure <store> <size> <events> [env for caucus ...]
measure() {
    local store=$1 size=$2 events=$3
    shift 3
    local name="$store-$size" data="$BENCH_TMP/$store-$size-data"
    log "$name: seeding $events events"
    env "$@" CAUCUS_DATA_DIR="$data" RUST_LOG=warn \
        "$BENCH" web-seed --events "$events" | tee "$BENCH_TMP/$name-seed.txt" >&2
    local api_port web_port
    api_port=$(free_port 18180)
    env -u CAUCUS_DATABASE_URL "$@" \
        CAUCUS_DATA_DIR="$data" \
        CAUCUS_BIND="127.0.0.1:$api_port" \
        CAUCUS_JWT_SECRET="$JWT_SECRET" \
        RUST_LOG="$LOG_LEVEL" \
        "$CAUCUS" serve >"$BENCH_TMP/api-$name.log" 2>&1 &
    API_PID=$!
    wait_for "http://127.0.0.1:$api_port/readyz" "$API_PID" "$BENCH_TMP/api-$name.log" "caucus serve ($name)"
    web_port=$(free_port $((api_port + 1)))
    CAUCUS_WEB_BIND="127.0.0.1:$web_port" \
        CAUCUS_WEB_API_URL="http://127.0.0.1:$api_port" \
        CAUCUS_WEB_GROUP_NAME="Newham Labour Group" \
        CAUCUS_WEB_DEV_SECRET="$JWT_SECRET" \
        RUST_LOG="$LOG_LEVEL" \
        "$CAUCUS_WEB" >"$BENCH_TMP/web-$name.log" 2>&1 &
    WEB_PID=$!
    wait_for "http://127.0.0.1:$web_port/sign-in" "$WEB_PID" "$BENCH_TMP/web-$name.log" "caucus-web ($name)"
    log "$name: $REQUESTS requests per page kind after $WARMUP unmeasured"
    CAUCUS_BENCH_JWT_SECRET=$JWT_SECRET "$BENCH" --api-url "http://127.0.0.1:$api_port" web \
        --web-url "http://127.0.0.1:$web_port" --requests "$REQUESTS" --warmup "$WARMUP" \
        >"$BENCH_TMP/$name.txt"
    stop_servers
    local logs
    for logs in "$BENCH_TMP/api-$name.log" "$BENCH_TMP/web-$name.log"; do
        if grep -qiE '\b(warn|error)\b' "$logs"; then
            log "$(basename "$logs") logged warnings or errors (last lines):"
            grep -iE '\b(warn|error)\b' "$logs" | tail -n 5 >&2
        fi
    done
    {
        echo
        echo "== $store, $size store: $(grep -o 'events=[0-9]*' "$BENCH_TMP/$name-seed.txt") ($(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ))"
        cat "$BENCH_TMP/$name.txt"
    } | tee -a "$BENCH_TMP/results.txt"
}

for store in ${STORES//,/ }; do
    case $store in
        postgres)
            command -v psql >/dev/null 2>&1 || die "psql not found"
            [ -n "$PG_PORT" ] || start_pg
            for size in ${SIZES//,/ }; do
                pg_sql postgres "CREATE DATABASE web_$size"
                events=0
                [ "$size" = sample ] || events=$EVENTS
                measure postgres "$size" "$events" CAUCUS_DATABASE_URL="$(pg_url "web_$size")"
            done
            ;;
        sqlite)
            for size in ${SIZES//,/ }; do
                events=0
                [ "$size" = sample ] || events=$EVENTS
                measure sqlite "$size" "$events"
            done
            ;;
        *) die "unknown store $store (postgres, sqlite)" ;;
    esac
done

echo
echo "Caucus web client: every page kind, $REQUESTS requests each after $WARMUP unmeasured"
cat "$BENCH_TMP/results.txt"
