"""A form sent back with errors starts with a summary that takes the focus and links each
error to its field (WCAG 3.3.1); messages sit in a live region (WCAG 4.1.3); the
accessibility statement follows the Danish model."""

import re

import pytest
from django.test import override_settings

from forums.models import Organisation


def summary_of(html: str) -> str:
    found = re.search(r'<div class="error-summary[^>]*>.*?</div>', html, re.S)
    return found.group(0) if found else ""


def test_a_field_error_is_summarised_first_focused_and_linked_to_its_field(
    anonymous_client, forums
):
    response = anonymous_client.post("/konto/nulstil-adgangskode/", {"email": "ikke-en-adresse"})
    html = response.content.decode()
    summary = summary_of(html)
    assert "Formularen har en fejl" in summary
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    assert re.search(r'<a href="#id_email">E-mail[^<]*: [^<]+</a>', summary), summary
    # It comes before the page's own heading, first in the main content.
    assert html.index("error-summary") < html.index("<h1")
    assert 'id="id_email"' in html


def test_a_domain_error_of_the_service_is_summarised_without_a_link(secretariat_client, forums):
    Organisation.objects.create(
        name="Boligselskabet Øst", short_name="BØ", kind="housing_organisation"
    )
    count = Organisation.objects.count()
    response = secretariat_client.post(
        "/sekretariat/organisationer/ny/",
        {"name": "", "short_name": "", "kind": "housing_organisation"},
    )
    summary = summary_of(response.content.decode())
    assert "Formularen har" in summary and 'href="#id_name"' in summary
    assert Organisation.objects.count() == count


def test_a_page_without_errors_has_no_summary_but_an_empty_live_region(anonymous_client, forums):
    html = anonymous_client.get("/konto/nulstil-adgangskode/").content.decode()
    assert "error-summary" not in html
    assert re.search(
        r'<div id="messages" class="messages" role="status" aria-live="polite">\s*</div>', html
    )


def test_the_signed_in_pages_load_the_script_that_announces_messages(
    secretariat_client, anonymous_client, forums
):
    assert "js/live-messages.js" in secretariat_client.get("/sekretariat/").content.decode()
    assert "<script" not in anonymous_client.get("/fora/").content.decode()


@override_settings(
    ACCESSIBILITY_CONTACT_EMAIL="tilgaengelighed@kk.dk",
    ACCESSIBILITY_CONTACT_PHONE="33 66 33 66",
    ACCESSIBILITY_WAS_URL="https://www.was.digst.dk/app-faellesindgang-dk",
)
def test_the_statement_follows_the_danish_model(anonymous_client, forums):
    html = anonymous_client.get("/tilgaengelighed/").content.decode()
    assert "delvist i overensstemmelse" in html and "EN 301 549" in html
    assert "WCAG 2.4.3" in html  # an inaccessible item names its criterion
    assert "udarbejdet den 27. november 2026" in html and "gennemgået den 30. november 2026" in html
    assert 'href="mailto:tilgaengelighed@kk.dk"' in html
    assert 'href="tel:33663366"' in html
    assert 'href="https://www.was.digst.dk/app-faellesindgang-dk"' in html
    assert "klage" in html and "Digitaliseringsstyrelsen" in html


@override_settings(ACCESSIBILITY_WAS_URL="")
def test_the_statement_has_no_was_tool_link_until_one_is_set(anonymous_client, forums):
    html = anonymous_client.get("/tilgaengelighed/").content.decode()
    assert "WAS-Tool" not in html


@pytest.fixture(autouse=True)
def _no_kept_copy_of_the_statement():
    """The statement is a cached public page (core/cache_stamps.py keeps a copy in the
    process too); these tests change its settings, so none may see another's copy."""
    from core import cache_stamps

    cache_stamps._local.clear()
    yield
    cache_stamps._local.clear()


def test_a_form_with_required_fields_says_what_the_asterisk_means(secretariat_client, forums):
    html = secretariat_client.get("/sekretariat/organisationer/ny/").content.decode()
    assert "* betyder obligatorisk felt" in html
    assert html.index("* betyder obligatorisk felt") < html.index('id="id_name"')


def test_a_form_without_required_fields_has_no_asterisk_legend():
    from django import forms

    from core.templatetags.error_summary import has_required_fields

    class Optional(forms.Form):
        note = forms.CharField(required=False)

    class Required(forms.Form):
        note = forms.CharField()

    assert not has_required_fields(Optional())
    assert has_required_fields(Required())
