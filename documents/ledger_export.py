"""The complaint ledger as files: XLSX (openpyxl) and CSV, from the rows domain/reports/ledger.py
assembles. Headers in the company's language."""
from __future__ import annotations

import csv
import io

from domain.policy import Policy
from domain.reports.ledger import columns, header, key


def as_csv(policy: Policy, rows: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese headers as they are."""
    lang, cols = policy.company.language, columns(policy)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header(policy, f, m, lang) for f, m in cols])
    for row in rows:
        writer.writerow([row[key(f, m)] for f, m in cols])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(policy: Policy, rows: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lang, cols = policy.company.language, columns(policy)
    book = Workbook()
    sheet = book.active
    sheet.title = "顾客抱怨信息台帐" if lang == "zh" else "Complaint ledger"
    sheet.append([header(policy, f, m, lang) for f, m in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[key(f, m)] for f, m in cols])
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
