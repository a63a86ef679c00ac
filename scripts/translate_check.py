"""Check the Danish catalogue (locale/da/LC_MESSAGES/django.po) and name what needs work.

    .venv/bin/python scripts/translate_check.py           # untranslated / fuzzy / format errors
    .venv/bin/python scripts/translate_check.py --source  # also: source strings missing from it

The workflow when strings are added: `make messages` (makemessages -l da) adds them to the
catalogue untranslated (or fuzzy, when msgmerge guesses from a similar string); this script
and tests/test_translations.py then fail and list those msgids; translate them, drop the
`#, fuzzy` flags, and run `python manage.py compilemessages --ignore=.venv`.

`--source` runs makemessages in a temporary copy of the project, so the real catalogue is
never touched; a msgid that comes out untranslated or fuzzy there is in the code or the
templates but not (or not up to date) in the catalogue: run `make messages`.

Needs GNU gettext (msgfmt, msgattrib; makemessages also needs xgettext, msguniq, msgmerge).
Exit status: 0 when everything is translated, 1 otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"

# The directories the catalogue is built without (as `make messages` should): the venv, local
# state, collectstatic output, the benchmark harness (bench/ has no UI strings) and the browser
# tests' artefacts. Caches, the git/venv trees and test artefacts are never copied.
MAKEMESSAGES_IGNORE = [
    ".venv",
    "var",
    "staticfiles",
    "node_modules",
    "bench",
    "test-results",
    "playwright-report",
    "playwright",
]
_COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "var",
    "staticfiles",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "htmlcov",
    "test-results",
    "playwright-report",
    "*.mo",
    "*.pyc",
)

STATISTICS_OK = re.compile(r"\d+ translated messages?\.")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The msgid as a reader would look for it in the .po (with its context, if any)."""
        text = self.msgid if self.msgid else "(the header entry)"
        return f"[{self.msgctxt}] {text}" if self.msgctxt is not None else text


def _unquote(token: str) -> str:
    body = token.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m[1], m[0]), body)


def parse_po(text: str) -> list[Entry]:
    """A tiny .po reader: every non-obsolete entry with its msgid, msgstr(s) and flags."""
    entries: list[Entry] = []
    entry = Entry()
    seen_msgid = False
    current: str | None = None
    index = 0

    def finish() -> None:
        nonlocal entry, seen_msgid, current
        if seen_msgid:
            entries.append(entry)
        entry, seen_msgid, current = Entry(), False, None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # obsolete entry
        elif line.startswith("#,"):
            if seen_msgid:
                finish()
            entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#"):
            if seen_msgid:
                finish()
        elif line.startswith("msgctxt "):
            if seen_msgid:
                finish()
            entry.msgctxt, current = _unquote(line[8:]), "msgctxt"
        elif line.startswith("msgid_plural "):
            entry.msgid_plural, current = _unquote(line[13:]), "msgid_plural"
        elif line.startswith("msgid "):
            if seen_msgid:
                finish()
            entry.msgid, current, seen_msgid = _unquote(line[6:]), "msgid", True
        elif line.startswith("msgstr"):
            match = re.match(r"msgstr(?:\[(\d+)\])?\s+(\".*\")$", line)
            if not match:
                raise ValueError(f"cannot read the .po line: {raw!r}")
            index = int(match[1] or 0)
            while len(entry.msgstr) <= index:
                entry.msgstr.append("")
            entry.msgstr[index] = _unquote(match[2])
            current = "msgstr"
        elif line.startswith('"') and current:
            part = _unquote(line)
            if current == "msgstr":
                entry.msgstr[index] += part
            elif current == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + part
            elif current == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + part
            else:
                entry.msgid += part
        else:
            raise ValueError(f"cannot read the .po line: {raw!r}")
    finish()
    return entries


def entries(po_path: Path = PO_PATH) -> list[Entry]:
    """Every live entry of the catalogue (obsolete `#~` entries left out)."""
    result = subprocess.run(
        ["msgattrib", "--no-obsolete", "--no-wrap", str(po_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return parse_po(result.stdout)


def _nplurals(catalogue: list[Entry]) -> int:
    header = next((e.msgstr[0] for e in catalogue if not e.msgid and e.msgstr), "")
    match = re.search(r"nplurals\s*=\s*(\d+)", header)
    return int(match[1]) if match else 2


def untranslated(po_path: Path = PO_PATH) -> list[str]:
    """The msgids with an empty msgstr, or an empty or missing plural form."""
    catalogue = entries(po_path)
    nplurals = _nplurals(catalogue)
    return [
        e.label
        for e in catalogue
        if e.msgid
        and (
            not e.msgstr
            or not all(e.msgstr)
            or (e.msgid_plural is not None and len(e.msgstr) < nplurals)
        )
    ]


def fuzzy(po_path: Path = PO_PATH) -> list[str]:
    """The msgids flagged `#, fuzzy` (the header too: a fuzzy header is not compiled)."""
    return [e.label for e in entries(po_path) if "fuzzy" in e.flags]


def msgfmt_check(po_path: Path = PO_PATH) -> tuple[int, str]:
    """Run `msgfmt --check --statistics` into a throwaway .mo: (exit status, stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", str(Path(tmp) / "django.mo"), str(po_path)],
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
    return result.returncode, result.stderr.strip()


def statistics_ok(stderr: str) -> bool:
    """True when msgfmt's statistics line says only "N translated messages."."""
    lines = stderr.strip().splitlines()
    return bool(lines) and STATISTICS_OK.fullmatch(lines[-1].strip()) is not None


def catalogue_report(po_path: Path = PO_PATH) -> list[str]:
    """What is wrong with the catalogue, one line per problem; empty when it is complete."""
    problems: list[str] = []
    status, stderr = msgfmt_check(po_path)
    if status != 0:
        problems.append(f"msgfmt --check failed:\n{stderr}")
    elif not statistics_ok(stderr):
        problems.append(f"msgfmt statistics: {stderr.splitlines()[-1] if stderr else '(none)'}")
    problems += [f"untranslated: {msgid!r}" for msgid in untranslated(po_path)]
    problems += [f"fuzzy: {msgid!r}" for msgid in fuzzy(po_path)]
    return problems


def regenerate_in_copy(workdir: Path) -> Path:
    """Copy the project into `workdir` and run makemessages there; return the new .po.

    The copied settings put BASE_DIR (so LOCALE_PATHS) inside the copy, and makemessages
    writes its temporary `*.html.py` files next to the copied templates, so nothing in the
    real tree changes.
    """
    copy = workdir / "project"
    shutil.copytree(ROOT, copy, ignore=_COPY_IGNORE, symlinks=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    command = [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-obsolete"]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORE]
    result = subprocess.run(
        command, cwd=copy, env=env, capture_output=True, text=True, encoding="utf-8"
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"makemessages failed in the copy (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return copy / PO_PATH.relative_to(ROOT)


def source_report() -> list[str]:
    """Source strings that the real catalogue does not translate (yet)."""
    with tempfile.TemporaryDirectory(prefix="translate-check-") as tmp:
        po = regenerate_in_copy(Path(tmp))
        missing = untranslated(po) + [m for m in fuzzy(po) if m != "(the header entry)"]
    return [f"not in the catalogue: {msgid!r}" for msgid in missing]


def main(argv: list[str]) -> int:
    problems = catalogue_report()
    if "--source" in argv:
        problems += source_report()
    if problems:
        print(f"{PO_PATH.relative_to(ROOT)} needs work:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    status, stderr = msgfmt_check()
    print(f"{PO_PATH.relative_to(ROOT)}: {stderr.splitlines()[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
