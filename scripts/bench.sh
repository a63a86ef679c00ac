#!/usr/bin/env bash
# Run bench/run.py against the same throwaway PostgreSQL + Redis as the tests
# (`make bench`). Extra arguments go to bench/run.py.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
cd "$ROOT"

[ -f bench/run.py ] || die "bench/run.py does not exist (yet); nothing to benchmark"

"$ROOT/scripts/system-deps.sh" test
"$ROOT/scripts/venv.sh" requirements-dev.txt

trap stop_services EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_services

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.test}"
"$PY" manage.py compilemessages --ignore=.venv >/dev/null || die "compilemessages failed"

# bench/run.py runs Django itself (migrate, gunicorn, the workers in bench/worker.py) with
# config.settings.production against databases it creates: on the PostgreSQL server above
# (DATABASE_URL) and in SQLite files in a temporary directory; it never touches var/,
# and writes only the git-ignored staticfiles/ (collectstatic) inside the tree.
log "python bench/run.py $*"
"$PY" bench/run.py "$@" || die "bench/run.py failed (exit $?)"
