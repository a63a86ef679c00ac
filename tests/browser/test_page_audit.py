"""The checks every visited page goes through (tests/browser/audit.py) catch what they are
for: each is shown a page with exactly that fault, and one without it."""

import pytest

from tests.browser.audit import PageAudit, validate_html
from tests.browser.conftest import AXE_OPTIONS

pytestmark = pytest.mark.browser

STYLE = "button:focus-visible { outline: 3px solid #111; outline-offset: 2px; }"


def html(title="Prøve – Fællesindgang", style=STYLE, body="<p>Tekst.</p>") -> str:
    return (
        '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{style}</style></head>"
        f"<body><main><h1>Prøve</h1><button type=button>Gem</button>{body}</main></body></html>"
    )


@pytest.fixture
def audit(axe):
    return PageAudit(axe=axe, axe_options=AXE_OPTIONS)


def check(audit, page, content: str, where: str = "/proeve/") -> list[str]:
    page.set_content(content)
    return audit.check_rendered(page, where)


def test_a_well_made_page_passes_every_check(audit, page):
    assert check(audit, page, html()) == []
    assert validate_html([("/proeve/", html())]) == []


def test_a_title_run_into_the_site_name_is_reported(audit, page):
    problems = check(audit, page, html(title="ForsideFællesindgang"))
    assert problems == ["/proeve/: title 'ForsideFællesindgang' is not »Page – Fællesindgang«"]


def test_two_addresses_with_the_same_title_are_reported(audit, page):
    assert check(audit, page, html(), "/a/") == []
    assert check(audit, page, html(), "/a/") == []  # the same address again is fine
    assert check(audit, page, html(), "/a/?forum=x") == []  # and the same list filtered
    assert check(audit, page, html(), "/b/") == [
        "/b/: title 'Prøve – Fællesindgang' is also the title of /a/"
    ]


def test_a_faint_focus_ring_is_reported(audit, page):
    # Bootstrap's own button ring: no outline, a pale blue shadow (1.4:1 on white).
    faint = "button:focus-visible { outline: 0; box-shadow: 0 0 0 .25rem rgba(13,110,253,.25); }"
    problems = check(audit, page, html(style=faint))
    assert len(problems) == 1 and "focus ring of button »Gem« has contrast 1." in problems[0]


def test_a_page_wider_than_320px_is_reported(audit, page):
    problems = check(audit, page, html(body='<p style="width: 500px">bred</p>'))
    assert len(problems) == 1 and "scrolls sideways at 320px" in problems[0]


def test_an_axe_violation_is_reported(audit, page):
    problems = check(audit, page, html(body='<img src="data:,">'))
    assert len(problems) == 1 and "axe" in problems[0] and "image-alt" in problems[0]


def test_a_time_with_six_fraction_digits_is_invalid_html():
    page = html(body='<time datetime="2026-01-01T23:59:59.999999+01:00">1. januar</time>')
    problems = validate_html([("/proeve/", page)])
    assert len(problems) == 1
    assert problems[0].startswith("/proeve/: HTML line 1:") and "fraction" in problems[0]
