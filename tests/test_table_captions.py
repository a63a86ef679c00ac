"""Every table on a page says what it lists (a caption, WCAG 1.3.1), and every box in which
a wide table scrolls sideways can be reached and scrolled with the keyboard and has a name
(tabindex="0", role="region", aria-label; WCAG 2.1.1, 4.1.2)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = ("/pdf/", "/email/", "node_modules", ".venv")


def page_templates():
    for path in ROOT.rglob("templates/**/*.html"):
        if not any(part in str(path) for part in SKIP):
            yield path


def test_every_table_on_a_page_has_a_caption():
    missing = []
    for path in page_templates():
        text = path.read_text()
        for table in re.finditer(r"<table\b[^>]*>", text):
            if not re.match(r"\s*<caption\b", text[table.end() :]):
                missing.append(
                    f"{path.relative_to(ROOT)}:{text[: table.start()].count(chr(10)) + 1}"
                )
    assert not missing, f"tables without a caption: {missing}"


def test_every_scrolling_table_box_is_focusable_and_named():
    unnamed = []
    for path in page_templates():
        for box in re.finditer(r'<div class="table-responsive"[^>]*>', path.read_text()):
            tag = box.group(0)
            if not ('tabindex="0"' in tag and 'role="region"' in tag and "aria-label=" in tag):
                unnamed.append(f"{path.relative_to(ROOT)}: {tag}")
    assert not unnamed, f"scrolling table boxes without keyboard access or a name: {unnamed}"
