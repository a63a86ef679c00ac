"""Labels made of two parts that may already say the same thing.

An agreement titled "Hovedaftale 2025–2028" with the period 2025–2028 must not read
"Hovedaftale 2025–2028 (2025–2028)"; a meeting titled "Partnerskabsforum 2027" must not read
"Partnerskabsforum: Partnerskabsforum 2027". Every label that adds a qualifier (years, a
forum, a date) to what an object's __str__ or title already says goes through `qualified`."""

import re

DASHES = re.compile(r"[\u2010-\u2015\u2212-]")


def _normal(text: str) -> str:
    """Case, dashes (hyphen, en and em dash, minus) and runs of white space ignored."""
    return " ".join(DASHES.sub("-", str(text)).casefold().split())


def qualified(label: str, qualifier: str, pattern: str = "{label} ({qualifier})") -> str:
    """`label` with `qualifier` added by `pattern` (str.format with `label` and
    `qualifier`) — unless one part already contains the other (compared without case,
    kind of dash or spacing), when the longer part alone is the label. An empty part
    gives the other unchanged.

    >>> qualified("Hovedaftale 2025–2028", "2025–2028")
    'Hovedaftale 2025–2028'
    >>> qualified("Hovedaftale", "2025–2028")
    'Hovedaftale (2025–2028)'
    """
    label, qualifier = str(label or ""), str(qualifier or "")
    if not qualifier or _normal(qualifier) in _normal(label):
        return label
    if not label or _normal(label) in _normal(qualifier):
        return qualifier
    return pattern.format(label=label, qualifier=qualifier)


def year_span(start, end) -> str:
    """ "2025–2028" (en dash) for two dates (or anything with .year); one year when both
    fall in it; "2025–" when `end` is None."""
    if end is None:
        return f"{start.year}–"
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
