"""The Danish catalogue is complete: every msgid translated, nothing fuzzy, no format errors,
and every translatable string in the code and templates is in it.

When one of these fails after `make messages`, the failure lists the msgids to translate in
locale/da/LC_MESSAGES/django.po (`.venv/bin/python scripts/translate_check.py --source`
prints the same list). No database needed.
"""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "translate_check", ROOT / "scripts" / "translate_check.py"
)
translate_check = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = translate_check  # dataclasses look the module up there
_spec.loader.exec_module(translate_check)

PO_PATH = translate_check.PO_PATH

GETTEXT_TOOLS = ("msgfmt", "msgattrib", "xgettext", "msguniq", "msgmerge")


@pytest.fixture(autouse=True)
def _gettext_installed():
    """`make test` installs GNU gettext; without it these checks cannot run, which is a
    failure to fix, never a reason to skip."""
    missing = [tool for tool in GETTEXT_TOOLS if not shutil.which(tool)]
    if missing:
        pytest.fail(f"GNU gettext is missing ({', '.join(missing)}): apt-get install gettext")


def _listing(title: str, items: list[str]) -> str:
    return f"{title}:\n" + "\n".join(f"  {item}" for item in items) if items else ""


def test_catalogue_is_fully_translated():
    status, stderr = translate_check.msgfmt_check(PO_PATH)
    untranslated = translate_check.untranslated(PO_PATH)
    fuzzy = translate_check.fuzzy(PO_PATH)
    details = "\n".join(
        part
        for part in (
            f"msgfmt --check --statistics {PO_PATH.relative_to(ROOT)}:\n{stderr}",
            _listing("Untranslated msgids", untranslated),
            _listing("Fuzzy msgids (check them, then remove `#, fuzzy`)", fuzzy),
        )
        if part
    )
    assert status == 0, details
    assert translate_check.statistics_ok(stderr), details
    assert "untranslated" not in stderr and "fuzzy" not in stderr, details
    assert not untranslated and not fuzzy, details


@pytest.fixture
def danish_from_po(tmp_path):
    """The catalogue as it is in the .po now, compiled afresh (a stale .mo cannot hide a
    gap) and made Django's only project locale path for the test."""
    locale_dir = tmp_path / "locale"
    mo_path = locale_dir / "da" / "LC_MESSAGES" / "django.mo"
    mo_path.parent.mkdir(parents=True)
    subprocess.run(["msgfmt", "-o", str(mo_path), str(PO_PATH)], check=True)
    with override_settings(LOCALE_PATHS=[locale_dir]), translation.override("da"):
        yield


@pytest.mark.parametrize(
    ("english", "danish"),
    [
        ("Sign in", "Log ind"),
        ("Sign out", "Log ud"),
        ("Forgot your password?", "Glemt din adgangskode?"),
        ("Forums", "Fora"),
        ("Secretariat", "Sekretariat"),
        ("Substitute", "Suppleant"),
        ("Co-chair", "Medformand"),
        ("Vacant", "Ledigt"),
        ("Appointed by", "Udpeget af"),
        ("To and including", "Til og med"),
        ("Outbox", "Udbakke"),
        ("Accessibility statement", "Tilgængelighedserklæring"),
        ("Agenda due", "Dagsorden senest"),
        ("Proposals close", "Frist for forslag"),
        ("Minutes due", "Referat senest"),
        ("Case presentation", "Sagsfremstilling"),
        ("Recommendation", "Indstilling"),
        ("closed item", "lukket punkt"),
        ("Incorporated", "Indarbejdet"),
        ("Not incorporated", "Ikke indarbejdet"),
        ("Answered", "Besvaret"),
        ("Comment window closes", "Bemærkningsfrist"),
        ("Finally approved", "Endeligt godkendt"),
        ("Follow-up actions", "Opfølgningspunkter"),
        ("Decisions register", "Beslutningsregister"),
        ("Framework agreement", "Hovedaftale"),
        ("Sub-agreements", "Delaftaler"),
        ("Area-based initiatives", "Områdebaserede indsatser"),
    ],
)
def test_key_strings_are_danish(danish_from_po, english, danish):
    assert translation.gettext(english) == danish


def test_plural_forms_and_placeholders_in_danish(danish_from_po):
    one = "%(count)s meeting a year"
    many = "%(count)s meetings a year"
    assert translation.ngettext(one, many, 1) % {"count": 1} == "1 møde om året"
    assert translation.ngettext(one, many, 4) % {"count": 4} == "4 møder om året"
    assert translation.gettext("Signed in as %(name)s.") % {"name": "Anne"} == (
        "Logget ind som Anne."
    )


def test_makemessages_leaves_out_tooling_and_generated_directories():
    """The benchmark harness, local state, collectstatic output and browser-test artefacts
    hold no UI strings; scanning them would add noise (or fail on generated files)."""
    for directory in (".venv", "var", "staticfiles", "bench", "test-results", "playwright-report"):
        assert directory in translate_check.MAKEMESSAGES_IGNORE


def test_every_source_string_is_in_the_catalogue(tmp_path):
    """makemessages in a throwaway copy of the project (the real locale/ is not touched):
    a msgid that comes out untranslated or fuzzy there is missing from the .po."""
    regenerated = translate_check.regenerate_in_copy(tmp_path)
    missing = translate_check.untranslated(regenerated) + [
        msgid for msgid in translate_check.fuzzy(regenerated) if msgid != "(the header entry)"
    ]
    assert not missing, _listing(
        "Strings in the code/templates that locale/da/LC_MESSAGES/django.po does not "
        "translate; run `make messages`, then translate them",
        missing,
    )
