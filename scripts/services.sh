# shellcheck shell=bash
# Throwaway PostgreSQL + Redis for tests and benchmarks. Source it, don't run it:
#
#   source scripts/services.sh
#   trap stop_services EXIT
#   start_services          # exports DATABASE_URL, REDIS_URL, CELERY_BROKER_URL, ...
#
# Both servers listen on 127.0.0.1 only, on free ports, with all their files in
# one temporary directory that stop_services removes again.
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SVC_TMP=""
SVC_PGDATA=""
SVC_PGBIN=""
SVC_REDIS_PIDFILE=""

# Run a command as the PostgreSQL owner (postgres when we are root, else ourselves).
_as_pg() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_services() {
    SVC_PGBIN="$(pg_bindir)"
    [ -n "$SVC_PGBIN" ] || die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (run scripts/system-deps.sh test)"
    command -v redis-server >/dev/null 2>&1 || die "redis-server is missing (run scripts/system-deps.sh test)"

    # As root the postgres user must be able to reach the directory: use /tmp.
    local base="${TMPDIR:-/tmp}"
    is_root && base=/tmp
    SVC_TMP="$(mktemp -d "$base/faellesindgang-services.XXXXXX")"
    if is_root; then
        chown postgres: "$SVC_TMP" || die "cannot chown $SVC_TMP to postgres"
    fi
    chmod 700 "$SVC_TMP"
    SVC_PGDATA="$SVC_TMP/pgdata"

    # --- PostgreSQL ---------------------------------------------------------
    PGPORT="$(free_port)"
    log "starting PostgreSQL ($SVC_PGBIN) on 127.0.0.1:$PGPORT"
    _as_pg "$SVC_PGBIN/initdb" -D "$SVC_PGDATA" --auth=trust --username=postgres \
        -E UTF8 --locale=C.UTF-8 --no-sync >"$SVC_TMP/initdb.log" 2>&1 || {
        cat "$SVC_TMP/initdb.log" >&2
        die "initdb failed"
    }
    # fsync & co. off: the data is thrown away anyway, and tests run faster.
    _as_pg "$SVC_PGBIN/pg_ctl" -D "$SVC_PGDATA" -l "$SVC_TMP/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$PGPORT -c unix_socket_directories=$SVC_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >/dev/null || {
        cat "$SVC_TMP/postgres.log" >&2 || true
        die "PostgreSQL did not start"
    }
    local i
    for i in $(seq 1 60); do
        "$SVC_PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -U postgres && break
        [ "$i" -eq 60 ] && {
            cat "$SVC_TMP/postgres.log" >&2
            die "PostgreSQL on port $PGPORT is not ready"
        }
        sleep 0.5
    done
    "$SVC_PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres faellesindgang ||
        die "createdb faellesindgang failed"

    # --- Redis --------------------------------------------------------------
    REDIS_PORT="$(free_port)"
    SVC_REDIS_PIDFILE="$SVC_TMP/redis.pid"
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --dir "$SVC_TMP" --pidfile "$SVC_REDIS_PIDFILE" \
        --logfile "$SVC_TMP/redis.log" || die "redis-server failed to start"
    for i in $(seq 1 60); do
        [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
        [ "$i" -eq 60 ] && {
            cat "$SVC_TMP/redis.log" >&2 || true
            die "Redis on port $REDIS_PORT is not ready"
        }
        sleep 0.25
    done

    export PGPORT REDIS_PORT
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/faellesindgang"
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
    export CELERY_BROKER_URL="$REDIS_URL"
    export PLAYWRIGHT_CHROMIUM_EXECUTABLE="${PLAYWRIGHT_CHROMIUM_EXECUTABLE:-/usr/bin/chromium}"
    log "DATABASE_URL=$DATABASE_URL"
    log "REDIS_URL=$REDIS_URL"
}

# Idempotent and quiet (so a test runner's summary stays the last line printed);
# safe to call from an EXIT trap even if start_services failed half way.
stop_services() {
    local pid i
    if [ -n "$SVC_REDIS_PIDFILE" ] && [ -f "$SVC_REDIS_PIDFILE" ]; then
        pid="$(cat "$SVC_REDIS_PIDFILE" 2>/dev/null || true)"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for i in $(seq 1 40); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.25
            done
            if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
        fi
    fi
    if [ -n "$SVC_PGDATA" ] && [ -f "$SVC_PGDATA/postmaster.pid" ]; then
        pid="$(head -n1 "$SVC_PGDATA/postmaster.pid" 2>/dev/null || true)"
        _as_pg "$SVC_PGBIN/pg_ctl" -D "$SVC_PGDATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true # postmaster; its children exit with it
            sleep 1
        fi
    fi
    if [ -n "$SVC_TMP" ] && [ -d "$SVC_TMP" ]; then
        rm -rf "$SVC_TMP"
    fi
    SVC_TMP="" SVC_PGDATA="" SVC_REDIS_PIDFILE=""
}
