#!/usr/bin/env bash
# Install the pinned node packages of package-lock.json into node_modules (npm ci), only
# when package-lock.json changed since the last install (a stamp in node_modules/).
# Used by `make css` (Bootstrap's Sass sources and the sass compiler); node 20 and npm come
# from Debian (scripts/system-deps.sh) or the machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

command -v npm >/dev/null || die "npm is missing (on Debian: apt-get install nodejs npm)"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.stamp-package-lock"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "package-lock.json unchanged since last install (stamp $stamp)"
    exit 0
fi
log "npm ci"
npm ci --no-audit --no-fund --ignore-scripts || die "npm ci failed"
echo "$want" >"$stamp"
