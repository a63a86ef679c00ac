"""Every form that posts leaves the checking to the server (`novalidate`): its messages are
Danish and gathered in the error summary, where the browser's own bubbles would be in the
browser's language and gone at the next click (WCAG 3.3.1, 3.1.2)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = ("/pdf/", "/email/", "node_modules", ".venv")


def test_every_post_form_is_checked_by_the_server_not_the_browser():
    validated_by_browser = []
    for path in ROOT.rglob("templates/**/*.html"):
        if any(part in str(path) for part in SKIP):
            continue
        for form in re.finditer(r"<form\b[^>]*>", path.read_text()):
            tag = form.group(0)
            if 'method="post"' in tag and "novalidate" not in tag:
                validated_by_browser.append(f"{path.relative_to(ROOT)}: {tag[:80]}")
    assert not validated_by_browser, validated_by_browser
