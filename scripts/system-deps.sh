#!/usr/bin/env bash
# Install the Debian packages the project needs, only the missing ones.
#
#   scripts/system-deps.sh run    # gettext, WeasyPrint libraries and fonts, python3-venv
#   scripts/system-deps.sh test   # the above + redis-server, chromium, PostgreSQL server,
#                                 # nodejs, npm and a Java runtime (the HTML checker)
#
# Needs root (apt-get) only when something is missing; otherwise it fails with a
# message naming what is missing. It never silently skips a dependency.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

profile="${1:-run}"

# WeasyPrint (PDF) needs Pango; DejaVu gives it a font to render with. python-magic
# (attachments: the type read from the first bytes) needs libmagic1.
base_pkgs=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core libmagic1)
# The agenda pack converts DOCX/ODT, XLSX and PPTX attachments to PDF with LibreOffice in
# headless mode (meetings/conversion.py): Debian's GUI-less builds.
base_pkgs+=(libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)

# `python3 -m venv` needs ensurepip, which Debian ships separately.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    if [ "$(command -v python3)" = /usr/bin/python3 ]; then
        base_pkgs+=(python3-venv)
    else
        die "$(command -v python3) cannot create virtual environments (no ensurepip/venv module)"
    fi
fi

# compilemessages needs msgfmt.
command -v msgfmt >/dev/null 2>&1 || base_pkgs+=(gettext)

case "$profile" in
run)
    ensure_packages "${base_pkgs[@]}"
    ;;
test)
    test_pkgs=("${base_pkgs[@]}")
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 ||
        test_pkgs+=(redis-server redis-tools)
    [ -x /usr/bin/chromium ] || test_pkgs+=(chromium)
    # node and npm run the real clients of the suite (ical.js; scripts/node-deps.sh).
    command -v node >/dev/null 2>&1 || test_pkgs+=(nodejs)
    command -v npm >/dev/null 2>&1 || test_pkgs+=(npm)
    # java runs the Nu HTML checker (vnu.jar from the npm package vnu-jar) on every page
    # the browser tests visit (tests/browser/audit.py).
    command -v java >/dev/null 2>&1 || test_pkgs+=(default-jre-headless)
    ensure_packages "${test_pkgs[@]}"
    ensure_postgres_server
    id -u postgres >/dev/null 2>&1 ||
        die "system user 'postgres' does not exist (it comes with the postgresql-common package)"
    command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) is missing"
    ;;
*)
    die "usage: $0 run|test"
    ;;
esac

command -v msgfmt >/dev/null 2>&1 || die "msgfmt (package gettext) is still missing"
command -v soffice >/dev/null 2>&1 ||
    die "soffice (packages libreoffice-writer-nogui, libreoffice-calc-nogui, libreoffice-impress-nogui) is still missing"
