#!/usr/bin/env bash
# The full check, as CI runs it (`make test`). Extra arguments go to pytest:
#
#   scripts/test.sh                 # everything
#   scripts/test.sh -k deadlines -x # pytest arguments
#
# 1. installs missing system packages (root), .venv from requirements-dev.txt and the
#    node packages of package-lock.json (scripts/node-deps.sh)
# 2. starts a throwaway PostgreSQL and Redis on free loopback ports
# 3. compilemessages, ruff check, ruff format --check,
#    makemigrations --check, check --deploy (production settings), pytest
# Stops at the first failure; the services are always stopped again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
cd "$ROOT"

"$ROOT/scripts/system-deps.sh" test
"$ROOT/scripts/venv.sh" requirements-dev.txt
"$ROOT/scripts/node-deps.sh"

trap stop_services EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_services

export DJANGO_SETTINGS_MODULE=config.settings.test
export PYTHONDONTWRITEBYTECODE=1

step() { log "[$1] ${*:2}"; }

step compilemessages "python manage.py compilemessages --ignore=.venv"
"$PY" manage.py compilemessages --ignore=.venv >/dev/null || die "compilemessages failed"

step lint "ruff check ."
"$VENV/bin/ruff" check . || die "ruff check failed (try: .venv/bin/ruff check --fix .)"

step format "ruff format --check ."
"$VENV/bin/ruff" format --check . || die "ruff format --check failed (run: .venv/bin/ruff format .)"

step migrations "python manage.py makemigrations --check --dry-run"
"$PY" manage.py makemigrations --check --dry-run ||
    die "models and migrations differ (run: python manage.py makemigrations)"

step deploy-check "python manage.py check --deploy --fail-level WARNING (production settings)"
(
    export DJANGO_SETTINGS_MODULE=config.settings.production
    export DJANGO_DEBUG=false
    SECRET_KEY="$(random_secret 64)"
    export SECRET_KEY
    export ALLOWED_HOSTS=faellesindgang.example
    export SITE_URL=https://faellesindgang.example
    export CSRF_TRUSTED_ORIGINS=https://faellesindgang.example
    export DEFAULT_FROM_EMAIL=noreply@faellesindgang.example
    export EMAIL_URL=smtp://127.0.0.1:1025
    export DJANGO_SECURE_PROXY_SSL_HEADER=true
    export DATABASE_URL="${DATABASE_URL:-postgres://check@127.0.0.1:1/check}"
    export ACCESSIBILITY_CONTACT_EMAIL=tilgaengelighed@kk.dk
    "$PY" manage.py check --deploy --fail-level WARNING
) || die "manage.py check --deploy failed"

step pytest ".venv/bin/pytest $*"
"$VENV/bin/pytest" "$@" || die "pytest failed (exit $?)"

