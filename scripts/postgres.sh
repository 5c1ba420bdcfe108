#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster:
#
#   scripts/postgres.sh make test-postgres
#
# Installs PostgreSQL with apt-get when initdb/pg_ctl are missing, creates a fresh cluster in a
# temporary directory listening only on 127.0.0.1 (a free port), with a superuser role and a database
# both named "pmo" (trust authentication: the cluster is private and short-lived), exports
# DATABASE_URL=postgres://pmo@127.0.0.1:PORT/pmo, runs the command, then always stops the server and
# removes the directory. Exits with the command's exit code.
#
# As root the server runs as the "postgres" system user (PostgreSQL refuses to run as root).
set -euo pipefail

DB_NAME="${PMO_PG_DB:-pmo}"
DB_USER="${PMO_PG_USER:-pmo}"
PG_SYSTEM_USER=postgres

log() { echo "postgres.sh: $*" >&2; }
die() {
    log "$*"
    exit 2
}

if [ "$#" -eq 0 ]; then
    echo "usage: scripts/postgres.sh COMMAND [ARGS...]" >&2
    exit 2
fi

is_root() { [ "$(id -u)" -eq 0 ]; }

# --- find (or install) the PostgreSQL server binaries ---------------------------------------------

find_pg_bin() {
    local dir
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        # Follow symlinks (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb): psql and
        # postgres live beside the real file.
        dirname "$(readlink -f "$(command -v initdb)")"
        return 0
    fi
    # Debian keeps the server binaries out of PATH; take the newest version installed.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if ! PG_BIN="$(find_pg_bin)"; then
    is_root || die "initdb/pg_ctl not found and not root: install PostgreSQL (apt-get install postgresql)"
    log "PostgreSQL not found: installing it with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    PG_BIN="$(find_pg_bin)" || die "PostgreSQL installed but initdb/pg_ctl still not found"
fi

# --- a private cluster in a temporary directory ---------------------------------------------------

if is_root; then
    command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) is needed to run PostgreSQL as root"
    if ! id -u "$PG_SYSTEM_USER" >/dev/null 2>&1; then
        log "creating the system user $PG_SYSTEM_USER"
        useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$PG_SYSTEM_USER"
    fi
    # /tmp rather than $TMPDIR: the postgres user must be able to reach the directory.
    TMP_ROOT=/tmp
else
    TMP_ROOT="${TMPDIR:-/tmp}"
fi

WORK_DIR="$(mktemp -d "$TMP_ROOT/pmo-postgres.XXXXXX")"
DATA_DIR="$WORK_DIR/data"
SOCKET_DIR="$WORK_DIR/socket"
LOG_FILE="$WORK_DIR/server.log"
mkdir -p "$SOCKET_DIR"
if is_root; then
    chown -R "$PG_SYSTEM_USER:" "$WORK_DIR"
fi

# Run a PostgreSQL tool (as the postgres user when root) from inside the work directory, so that it
# never trips over a current directory it cannot read.
as_pg() {
    if is_root; then
        (cd "$WORK_DIR" && runuser -u "$PG_SYSTEM_USER" -- "$@")
    else
        (cd "$WORK_DIR" && "$@")
    fi
}

server_pid() {
    [ -f "$DATA_DIR/postmaster.pid" ] && head -n 1 "$DATA_DIR/postmaster.pid" 2>/dev/null
}

stop_server() {
    local pid i
    pid="$(server_pid || true)"
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        return 0
    fi
    log "stopping the server (pid $pid)"
    kill -INT "$pid" 2>/dev/null || true # fast shutdown: roll back open sessions, then exit
    for i in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    log "the server did not stop within 30 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
}

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM HUP
    stop_server
    rm -rf "$WORK_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM
trap 'exit 129' HUP

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

log "creating a cluster in $WORK_DIR ($PG_BIN)"
as_pg "$PG_BIN/initdb" --pgdata="$DATA_DIR" --username="$DB_USER" --auth=trust --encoding=UTF8 \
    --no-locale --no-sync >"$WORK_DIR/initdb.log" 2>&1 || {
    cat "$WORK_DIR/initdb.log" >&2
    die "initdb failed"
}

# A throwaway cluster needs no durability: skip fsync for speed.
SERVER_OPTIONS="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$SOCKET_DIR -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"

PORT=""
for attempt in 1 2 3; do
    candidate="$(free_port)"
    if as_pg "$PG_BIN/pg_ctl" --pgdata="$DATA_DIR" --log="$LOG_FILE" --wait --timeout=60 --silent \
        -o "$SERVER_OPTIONS -p $candidate" start; then
        PORT="$candidate"
        break
    fi
    log "the server did not start on port $candidate (attempt $attempt):"
    tail -n 20 "$LOG_FILE" >&2 || true
    stop_server
done
[ -n "$PORT" ] || die "could not start PostgreSQL"

PSQL="$PG_BIN/psql"
[ -x "$PSQL" ] || PSQL="$(command -v psql)" || die "psql not found"
as_pg "$PSQL" --no-psqlrc --quiet --host=127.0.0.1 --port="$PORT" --username="$DB_USER" \
    --dbname=postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$DB_NAME\"" >/dev/null

export DATABASE_URL="postgres://$DB_USER@127.0.0.1:$PORT/$DB_NAME"
log "PostgreSQL $("$PSQL" --version | awk '{print $3}') on $DATABASE_URL (pid $(server_pid))"

set +e
"$@"
status=$?
set -e
log "command exited with $status"
exit "$status"
