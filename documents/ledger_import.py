"""A ledger file as a table for domain/reports/ledger_import.py: an XLSX (the first sheet, openpyxl,
values as Excel holds them: dates are dates) or a CSV (UTF-8, with or without Excel's byte-order mark;
GB18030, what Excel in China saves, when it is not UTF-8). Line numbers are the file's own: the
header is line 1, as a spreadsheet numbers its rows."""
from __future__ import annotations

import csv
import io

from documents.table_export import FORMULA_STARTS
from domain.reports.ledger_import import Table


def read_table(name: str, data: bytes) -> Table:
    if name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = [(n, list(cells)) for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        # csv reads a quoted cell with a line break as one row: the line a row starts on is counted
        reader, rows, line = csv.reader(io.StringIO(text, newline="")), [], 1
        for cells in reader:
            rows.append((line, [_as_typed(c) for c in cells]))
            line = reader.line_num + 1
    if not rows:
        return Table([], [])
    return Table([str(h or "") for h in rows[0][1]], rows[1:])


def _as_typed(cell: str) -> str:
    """The export's CSV puts a quote before text a spreadsheet would run (documents/table_export.py):
    the text is what follows it."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell
