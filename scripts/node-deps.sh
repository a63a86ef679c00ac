#!/usr/bin/env bash
# Install the node packages the test suite runs (package.json / package-lock.json at the
# repository root, exact versions: ical.js, Thunderbird's iCalendar parser) into
# node_modules/. `npm ci` runs only when package-lock.json changed since the last install
# (a stamp in node_modules/). Fails, naming what is missing; never skips.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

command -v node >/dev/null 2>&1 || die "node is missing (Debian package nodejs: scripts/system-deps.sh test)"
command -v npm >/dev/null 2>&1 || die "npm is missing (Debian package npm: scripts/system-deps.sh test)"
[ -f package-lock.json ] || die "package-lock.json not found in $ROOT"

want="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.stamp-package-lock"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "package-lock.json unchanged since last install (stamp $stamp)"
else
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
    echo "$want" >"$stamp"
fi
[ -d node_modules/ical.js ] || die "node_modules/ical.js is missing after npm ci"
[ -f node_modules/vnu-jar/build/dist/vnu.jar ] || die "node_modules/vnu-jar/build/dist/vnu.jar (the Nu HTML checker) is missing after npm ci"
