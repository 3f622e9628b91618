"""The 8D report as PDF (fpdf2) and XLSX (openpyxl), in English or Chinese."""
from __future__ import annotations

from io import BytesIO
from typing import Mapping

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from documents.table_export import text_stays_text

from documents.fonts import cjk_font, latin_font
from domain.i18n import t
from domain.lifecycle.eightd import EightD, lines, title
from domain.policy import Policy

MISSING_FILL = PatternFill("solid", fgColor="FDE2E1")


def eightd_pdf(report: EightD, lang: str, policy: Policy, names: Mapping[str, str] | None = None) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(title(report, lang))
    pdf.add_font("body", fname=str(latin_font()))
    pdf.add_font("cjk", fname=str(cjk_font()))
    pdf.set_fallback_fonts(["cjk"])  # glyphs DejaVu lacks (Chinese) come from the CJK font
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("body", size=15)
    pdf.multi_cell(0, 9, title(report, lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", size=9)
    pdf.multi_cell(0, 6, policy.company.name, new_x="LMARGIN", new_y="NEXT")
    for heading, rows in lines(report, lang, policy, names):
        pdf.ln(3)
        pdf.set_font("body", size=12)
        pdf.set_fill_color(230, 236, 245)
        pdf.multi_cell(0, 8, heading, fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", size=10)
        if rows is None:
            pdf.set_text_color(180, 30, 30)
            pdf.multi_cell(0, 6, t("eightd.missing", lang), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            continue
        for label, value in rows:
            # The font is set before every cell, in a different size each time: after a page break
            # with the CJK fallback in play fpdf2 would otherwise show text without a font.
            pdf.set_font("body", size=8)
            pdf.set_text_color(90, 90, 90)
            pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("body", size=10)
            pdf.set_text_color(0, 0, 0)
            pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def eightd_xlsx(report: EightD, lang: str, policy: Policy, names: Mapping[str, str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "8D"
    ws.append([title(report, lang)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([policy.company.name])
    for heading, rows in lines(report, lang, policy, names):
        ws.append([])
        ws.append([heading])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        if rows is None:
            ws.append(["", t("eightd.missing", lang)])
            ws.cell(ws.max_row, 2).fill = MISSING_FILL
            continue
        for label, value in rows:
            ws.append([label, value])
            ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    text_stays_text(ws)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 80
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
