"""Danish messages quote with »…«, never with “…”, „…“ or straight double quotes (which
stay only inside HTML tags, as attribute quotes)."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "da" / "LC_MESSAGES" / "django.po"
TAG = re.compile(r"<[^>]*>")


def danish_messages() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry, the msgstr with its continuation lines joined."""
    entries = []
    for block in PO.read_text().split("\n\n"):
        strings: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                strings[current] = match.group(2)
            elif line.startswith('"') and current:
                strings[current] += line[1:-1]
        for key, text in strings.items():
            if key.startswith("msgstr") and strings.get("msgid"):
                entries.append((strings["msgid"], text.replace('\\"', '"')))
    return entries


def test_danish_messages_use_guillemets_for_quotations():
    wrong = [
        (msgid, text)
        for msgid, text in danish_messages()
        if re.search(r'[“”„"]', TAG.sub("", text))
    ]
    assert wrong == []


def test_the_check_sees_the_messages_that_quote():
    quoting = [text for _, text in danish_messages() if "»" in text]
    assert len(quoting) >= 10
