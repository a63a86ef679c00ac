#!/usr/bin/env bash
# Create .venv (python3 -m venv) and install a pinned requirements file into it.
#
#   scripts/venv.sh requirements.txt        # runtime (make run)
#   scripts/venv.sh requirements-dev.txt    # runtime + test/dev tools (make test)
#
# The install is skipped when the requirements (including requirements.txt,
# which requirements-dev.txt pulls in with -r) are unchanged since the last
# successful install: a stamp file per requirements file lives in .venv/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

req="${1:-requirements.txt}"
cd "$ROOT"
[ -f "$req" ] || die "$req not found in $ROOT"

if [ ! -x "$PY" ] || ! "$PY" -c 'import sys' >/dev/null 2>&1; then
    log "creating virtualenv $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip ||
        warn "could not upgrade pip; continuing with $("$PY" -m pip --version)"
fi

# Hash of everything that decides what gets installed.
hash_inputs=("$req")
[ "$req" != requirements.txt ] && [ -f requirements.txt ] && hash_inputs+=(requirements.txt)
want="$( (
    "$PY" -c 'import sys; print(sys.version)'
    cat "${hash_inputs[@]}"
) | sha256sum | cut -d' ' -f1)"
stamp="$VENV/.stamp-$(basename "$req")"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "$req unchanged since last install (stamp $stamp)"
    exit 0
fi

log "pip install -r $req"
rm -f "$stamp"
"$PY" -m pip install --disable-pip-version-check --quiet -r "$req" || die "pip install -r $req failed"
echo "$want" >"$stamp"
log "installed $req into $VENV"
