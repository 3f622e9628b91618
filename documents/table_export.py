"""A table as a file: CSV (UTF-8 with a byte-order mark, so Excel reads Chinese as it is) or XLSX
(openpyxl: bold header, frozen first row and column). What people typed is data in both: one test,
`formula_like`, finds the text a spreadsheet would run (OWASP's CSV injection: a cell starting with
= + - @ TAB or CR), and each format neutralises it its own way — the CSV with a leading quote (a CSV
cannot say "this is text" otherwise), the XLSX by storing it as a string cell. Moments are data too:
a datetime or date value is a real date cell in the XLSX (sortable, filterable, with a date number
format) and `2026-11-03 09:30` in the CSV; None is an empty cell."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Sequence


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MOMENT_FORMAT, DAY_FORMAT = "yyyy-mm-dd hh:mm", "yyyy-mm-dd"  # Excel's number formats: ISO order, unambiguous


def formula_like(value) -> bool:
    """Text a spreadsheet would take for a formula (numbers are numbers: -5 stays -5)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "'" + value if formula_like(value) else value


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def text_stays_text(sheet) -> None:
    """What people typed is data: a cell openpyxl took for a formula ("=HYPERLINK(…)" in a complaint),
    or any text `formula_like`, is stored as the string it is, so Excel shows it and never runs it."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" or formula_like(cell.value):
                cell.data_type = "s"


def xlsx_bytes(title: str, headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on a sheet's name
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    dated = set()
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, (date, datetime)):  # openpyxl stores it as a date serial; say how to show it
                cell.number_format = MOMENT_FORMAT if isinstance(cell.value, datetime) else DAY_FORMAT
                dated.add(cell.column)
    text_stays_text(sheet)
    for column, head in enumerate(headers, 1):  # wide enough for its header (a CJK glyph is two columns), within reason
        width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(head)) + 2
        sheet.column_dimensions[get_column_letter(column)].width = max(18 if column in dated else 10, min(width, 40))
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
