# shellcheck shell=bash
# Shared helpers for the scripts in this directory. Source it, don't run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
# shellcheck disable=SC2034 # used by the scripts that source this file
PY="$VENV/bin/python"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mWARNING:\033[0m %s\n' "$*" >&2; }
die() {
    printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2
    exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Is the Debian package installed (dpkg status "install ok installed")?
pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

_APT_UPDATED=0
apt_install() {
    # apt_install PKG... : install the given packages non-interactively (root only).
    export DEBIAN_FRONTEND=noninteractive
    if [ "$_APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        apt-get update -qq || die "apt-get update failed"
        _APT_UPDATED=1
    fi
    log "apt-get install $*"
    apt-get install -y -qq --no-install-recommends "$@" || die "apt-get install $* failed"
}

# ensure_packages PKG... : install the Debian packages that are not installed yet.
# Fails (never skips) if something is missing and cannot be installed.
ensure_packages() {
    local missing=() p
    if ! command -v dpkg-query >/dev/null 2>&1; then
        die "not a Debian/Ubuntu system (no dpkg); install these yourself: $*"
    fi
    for p in "$@"; do
        pkg_installed "$p" || missing+=("$p")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if ! is_root; then
        die "missing system packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing system packages: ${missing[*]} and apt-get is not available"
    apt_install "${missing[@]}"
    for p in "${missing[@]}"; do
        pkg_installed "$p" || die "package $p is still not installed after apt-get install"
    done
}

# Directory holding the newest PostgreSQL server binaries, or empty.
pg_bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        if [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
        fi
    done | sort -V | tail -n1
}

# Install PostgreSQL server binaries when none exist.
ensure_postgres_server() {
    if [ -n "$(pg_bindir)" ]; then
        return 0
    fi
    is_root || die "PostgreSQL server binaries (/usr/lib/postgresql/*/bin/postgres) are missing; install package postgresql-15 (or postgresql) as root"
    command -v apt-get >/dev/null 2>&1 || die "PostgreSQL server binaries are missing and apt-get is not available"
    local pkg=postgresql-15
    if [ "$_APT_UPDATED" -eq 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        log "apt-get update"
        apt-get update -qq || die "apt-get update failed"
        _APT_UPDATED=1
    fi
    if ! apt-cache show "$pkg" >/dev/null 2>&1; then
        pkg=postgresql # distribution's default major version
    fi
    apt_install "$pkg"
    [ -n "$(pg_bindir)" ] || die "installed $pkg but found no /usr/lib/postgresql/*/bin/postgres"
}

# Print a free TCP port on 127.0.0.1.
free_port() {
    python3 - <<'EOF'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

# Random string of N (default 64) URL-safe characters.
random_secret() {
    python3 -c "import secrets,sys; n=int(sys.argv[1]); print(secrets.token_urlsafe(n)[:n])" "${1:-64}"
}
