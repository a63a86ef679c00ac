"""Template hygiene: Django's `{# … #}` comment ends on its own line; one that spans lines is
printed to the page as text (the QA pass found a developer's note on the public minutes)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "staticfiles", "var"}


def templates() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*.html")
        if not SKIP.intersection(p.relative_to(ROOT).parts) and "templates" in p.parts
    ]


def test_no_template_comment_spans_lines():
    assert len(templates()) > 50
    open_comments = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert open_comments == [], "use {% comment %} for comments over several lines"


@pytest.mark.django_db
def test_the_secretariats_forms_ask_before_typed_values_are_left(secretariat_client):
    """Scheduling a meeting has no free text, but a typed date and place are work too:
    the generic form page asks before leaving (static/js/unsaved.js)."""
    page = secretariat_client.get("/sekretariat/moeder/ny/").content.decode()
    assert "data-unsaved-warning" in page
