"""Cells for spreadsheet exports (CSV, XLSX) that a spreadsheet opens as text, never as a
formula (OWASP, "CSV Injection"): a value that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return gets a leading `'`. Every export writes its rows through `safe_row`,
`csv_writer` or `xlsx_bytes`, so that none can forget it."""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import xlsxwriter
from django.utils import timezone

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


def xlsx_bytes(*, sheet: str, header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """An Office Open XML workbook (ECMA-376; what Excel and LibreOffice open) with one sheet:
    a bold, frozen header row, then `rows`. Every cell passes through safe_cell; strings are
    written as text, never as formulas, URLs or numbers; `date`/`datetime` values become real
    date cells shown as dd-mm-yyyy (datetimes as local time, without a time zone, which XLSX
    has no place for). `sheet` is cut to Excel's 31 characters. Returns the file's bytes."""

    output = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "remove_timezone": True,
    }
    with xlsxwriter.Workbook(output, options) as workbook:
        worksheet = workbook.add_worksheet(sheet[:31])
        bold = workbook.add_format({"bold": True})
        day = workbook.add_format({"num_format": "dd-mm-yyyy"})
        moment = workbook.add_format({"num_format": "dd-mm-yyyy hh:mm"})
        widths = [len(str(title)) for title in header]
        worksheet.write_row(0, 0, safe_row(header), bold)
        worksheet.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(safe_row(row)):
                if isinstance(value, datetime):
                    value = timezone.localtime(value) if timezone.is_aware(value) else value
                    worksheet.write_datetime(r, c, value, moment)
                elif isinstance(value, date):
                    worksheet.write_datetime(r, c, value, day)
                elif isinstance(value, bool | int | float):
                    worksheet.write_number(r, c, value)
                else:
                    worksheet.write_string(r, c, str(value))
                if c < len(widths):
                    widths[c] = max(widths[c], min(len(str(value)), 60))
        for c, width in enumerate(widths):
            worksheet.set_column(c, c, width + 2)
    return output.getvalue()
