"""Cells for spreadsheet exports (CSV, XLSX) that a spreadsheet opens as text, never as a
formula (OWASP, "CSV Injection"): a value that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return gets a leading `'`. Every export writes its rows through `safe_row` or
`csv_writer`, so that none can forget it."""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` unchanged unless it is a string a spreadsheet would read as a formula; then
    the same string with a leading `'`. None becomes ""; numbers, dates stay as they are."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class SafeCSVWriter:
    """csv.writer whose rows pass through safe_row."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, *, delimiter: str = ";") -> SafeCSVWriter:
    """A CSV writer for an export: semicolon-separated (what Danish Excel expects), every
    cell neutralised by safe_cell."""
    return SafeCSVWriter(stream, delimiter=delimiter)
