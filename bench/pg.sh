# Sourced by the bench scripts: a private PostgreSQL cluster on loopback, the minimal
# logic of .ci/test with fsync left ON (durable commits are what we measure).
# The caller defines log() and die(), and calls stop_pg from its EXIT trap.

PG_BIN=""
PG_TMP=""
PG_DATA=""
PG_PORT=""

find_pg_bin() {
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$initdb" ] && [ -x "$initdb" ] && [ -x "$(dirname "$initdb")/pg_ctl" ]; then
        PG_BIN=$(dirname "$initdb")
    elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        PG_BIN=$(dirname "$(command -v initdb)")
    else
        die "PostgreSQL server binaries (initdb, pg_ctl) not found; apt-get install postgresql"
    fi
}

# initdb/postgres refuse to run as root, so as root run them as `nobody`.
as_pg_user() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd "$PG_TMP" && runuser -u nobody -- "$@")
        else
            (cd "$PG_TMP" && su nobody -s /bin/bash -c "$(printf '%q ' "$@")")
        fi
    else
        (cd "$PG_TMP" && "$@")
    fi
}


port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
    local port=$1
    while port_in_use "$port"; do
        port=$((port + 1))
    done
    echo "$port"
}

start_pg() {
    find_pg_bin
    log "Using PostgreSQL binaries from $PG_BIN ($("$PG_BIN/initdb" --version))"
    if [ "$(id -u)" -eq 0 ]; then
        PG_TMP=$(mktemp -d /tmp/caucus-pg.XXXXXX)
        chown nobody "$PG_TMP"
    else
        PG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/caucus-pg.XXXXXX")
    fi
    PG_DATA="$PG_TMP/data"
    if ! as_pg_user "$PG_BIN/initdb" -D "$PG_DATA" -U caucus --auth=trust -E UTF8 --locale=C \
            >"$PG_TMP/initdb.log" 2>&1; then
        cat "$PG_TMP/initdb.log" >&2
        die "initdb failed"
    fi
    local port=54329 last=54429 pg_log
    while [ "$port" -le "$last" ]; do
        if port_in_use "$port"; then
            port=$((port + 1))
            continue
        fi
        pg_log="$PG_TMP/postgres-$port.log"
        # fsync stays ON (the default): this measures durable commits.
        if as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$pg_log" \
                -o "-c listen_addresses=127.0.0.1 -p $port -k '$PG_TMP' -c max_connections=300 -c shared_buffers=128MB" \
                -w start >/dev/null; then
            PG_PORT=$port
            log "PostgreSQL ready on 127.0.0.1:$PG_PORT (fsync on)"
            return 0
        fi
        if grep -qiE 'could not (bind|create listen)|address already in use' "$pg_log" 2>/dev/null; then
            port=$((port + 1))
            continue
        fi
        tail -n 50 "$pg_log" >&2 || true
        die "could not start PostgreSQL"
    done
    die "no free port found in 54329..$last"
}

pg_url() { echo "postgres://caucus@127.0.0.1:$PG_PORT/$1"; }
pg_sql() { psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U caucus -d "$1" -c "$2" >/dev/null; }

# Stops and deletes the cluster; idempotent, never fails (runs from EXIT traps).
stop_pg() {
    if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
        log "Stopping private PostgreSQL"
        as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$PG_TMP" ] && [ -d "$PG_TMP" ]; then
        rm -rf "$PG_TMP"
    fi
}
