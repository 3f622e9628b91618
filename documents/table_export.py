"""A table as a file: CSV (UTF-8 with a byte-order mark, so Excel reads Chinese as it is) or XLSX
(openpyxl: bold header, frozen first row and column)."""
from __future__ import annotations

import csv
import io
from typing import Sequence


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def text_stays_text(sheet) -> None:
    """What people typed is data: a cell openpyxl took for a formula ("=HYPERLINK(…)" in a complaint)
    is stored as the text it is, so Excel shows it and never runs it."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def xlsx_bytes(title: str, headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on a sheet's name
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    text_stays_text(sheet)
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
