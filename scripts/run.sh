#!/usr/bin/env bash
# Local development server with demo data (`make run`).
#
# Installs what is missing (system packages as root, .venv from requirements.txt),
# prepares the SQLite database in var/ (kept between runs), then starts a Celery
# worker and Celery beat in the background (logs in var/log/) and Django's
# runserver on 127.0.0.1:${PORT:-8000} in the foreground. Ctrl-C stops everything.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
export PYTHONUNBUFFERED=1
# Links in e-mails (var/mail/) and the passkey origin follow the port actually used.
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"

port_free() {
    python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}
port_free "$PORT" || die "port $PORT on 127.0.0.1 is in use; try: make run PORT=8001"

"$ROOT/scripts/system-deps.sh" run
"$ROOT/scripts/venv.sh" requirements.txt

mkdir -p var var/log var/media var/private var/broker

log "compilemessages"
"$PY" manage.py compilemessages --ignore=.venv >/dev/null
log "migrate"
"$PY" manage.py migrate --noinput
log "seed_demo"
"$PY" manage.py seed_demo
log "run_deadlines (one sweep now)"
"$PY" manage.py run_deadlines

# --- background services -----------------------------------------------------
BG_PIDS=()
stop_all() {
    local pid alive
    trap - EXIT INT TERM
    [ "${#BG_PIDS[@]}" -eq 0 ] && return 0
    log "stopping Celery worker and beat"
    for pid in "${BG_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for _ in $(seq 1 40); do
        alive=0
        for pid in "${BG_PIDS[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ "$alive" -eq 0 ] && break
        sleep 0.25
    done
    for pid in "${BG_PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    BG_PIDS=()
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting Celery worker (log: var/log/celery-worker.log)"
"$VENV/bin/celery" -A config worker --pool=solo --concurrency=1 --loglevel=INFO \
    >>var/log/celery-worker.log 2>&1 &
BG_PIDS+=("$!")

log "starting Celery beat (log: var/log/celery-beat.log)"
rm -f var/celerybeat.pid
"$VENV/bin/celery" -A config beat --loglevel=INFO \
    --schedule var/celerybeat-schedule --pidfile var/celerybeat.pid \
    >>var/log/celery-beat.log 2>&1 &
BG_PIDS+=("$!")

sleep 2
for pid in "${BG_PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
        tail -n 30 var/log/celery-worker.log var/log/celery-beat.log >&2 || true
        die "a Celery process exited right after starting (see var/log/)"
    fi
done

cat <<EOF

  ──────────────────────────────────────────────────────────────
   Fællesindgang is running:  http://127.0.0.1:${PORT}/

   Demo logins (email / password):
     Sekretariat:  sekretariat@example.org  /  demo-sekretariat
     Medlem:       medlem@example.org       /  demo-medlem
                   (member of Samarbejdsforum)
     Admin:        admin@example.org        /  demo-admin
                   (superuser, also /admin/)

   Celery logs: var/log/celery-worker.log, var/log/celery-beat.log
   Data is kept in var/ between runs (make clean removes it).
   Press Ctrl-C to stop the web server, worker and beat.
  ──────────────────────────────────────────────────────────────

EOF

"$PY" manage.py runserver "127.0.0.1:${PORT}"
