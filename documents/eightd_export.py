"""The 8D report as PDF (fpdf2) and XLSX (openpyxl), in English or Chinese, laid out as a form:
a bordered header block, D1–D8 each a section under a title bar with its fields and tables, and
(PDF) the report number, revision and "page x / y" in every page's footer."""
from __future__ import annotations

from io import BytesIO
from typing import Mapping

from fpdf import FPDF, FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from documents.fonts import cjk_font, latin_font
from documents.table_export import text_stays_text
from domain.lifecycle.eightd import EightD
from domain.lifecycle.eightd_form import Form, Section, Table, form
from domain.policy import Policy
from domain.roles import GroupMembers

BAR = (214, 226, 240)  # a section's title bar
LABEL = (242, 242, 242)  # a label cell
MISSING = (180, 30, 30)


class _FormPdf(FPDF):
    def __init__(self, sheet: Form):
        super().__init__(format="A4")
        self.sheet = sheet

    def footer(self) -> None:
        # The font is set here too: the footer is drawn during a page break, whatever font was set.
        self.set_y(-12)
        self.set_font("body", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.sheet.footer, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, self.sheet.page_label(self.page_no(), "{nb}"), align="R")
        self.set_text_color(0, 0, 0)


def eightd_pdf(report: EightD, lang: str, policy: Policy, names: Mapping[str, str] | None = None,
               groups: GroupMembers | None = None) -> bytes:
    sheet = form(report, lang, policy, names, groups)
    pdf = _FormPdf(sheet)
    pdf.set_title(sheet.title)
    pdf.add_font("body", fname=str(latin_font()))
    pdf.add_font("cjk", fname=str(cjk_font()))
    pdf.set_fallback_fonts(["cjk"])  # glyphs DejaVu lacks (Chinese) come from the CJK font
    pdf.set_auto_page_break(True, margin=18)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("body", size=14)
    pdf.multi_cell(0, 8, sheet.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", size=9)
    pdf.multi_cell(0, 5, sheet.company, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _pdf_header(pdf, sheet)
    for section in sheet.sections:
        _pdf_section(pdf, sheet, section)
    return bytes(pdf.output())


def _pdf_header(pdf: FPDF, sheet: Form) -> None:
    label = FontFace(fill_color=LABEL, size_pt=8)
    pdf.set_font("body", size=9)
    with pdf.table(col_widths=(3, 4.5, 3, 5.5), first_row_as_headings=False, line_height=5, text_align="LEFT", v_align="TOP") as table:
        pairs = list(sheet.header)
        for start in range(0, len(pairs), 2):
            row = table.row()
            for name, value in pairs[start:start + 2]:
                row.cell(name, style=label)
                row.cell(value)


def _pdf_section(pdf: FPDF, sheet: Form, section: Section) -> None:
    if pdf.get_y() > pdf.h - 45:  # a title bar never stands alone at the foot of a page
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("body", size=11)
    pdf.set_fill_color(*BAR)
    top = pdf.get_y()
    pdf.cell(0, 7, section.heading, fill=True, border=1)
    if section.date:
        pdf.set_xy(pdf.l_margin, top)
        pdf.set_font("body", size=8)
        pdf.cell(0, 7, section.date + "  ", align="R")
    pdf.set_xy(pdf.l_margin, top + 7)
    pdf.set_fill_color(255, 255, 255)  # tables fill their cells with the current colour: not the bar's
    if section.missing:
        pdf.set_font("body", size=9)
        pdf.set_text_color(*MISSING)
        pdf.multi_cell(0, 6, sheet.missing_text, border=1, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        return
    for table in section.tables:
        _pdf_table(pdf, table)
    if section.fields:
        label = FontFace(fill_color=LABEL, size_pt=8)
        pdf.set_font("body", size=9)
        with pdf.table(col_widths=(1, 3), first_row_as_headings=False, line_height=5, text_align="LEFT", v_align="TOP") as fields:
            for name, value in section.fields:
                row = fields.row()
                row.cell(name, style=label)
                row.cell(value)


def _pdf_table(pdf: FPDF, table: Table) -> None:
    pdf.set_font("body", size=8.5)
    with pdf.table(col_widths=table.widths, line_height=4.8, text_align="LEFT", v_align="TOP", repeat_headings=1,
                   headings_style=FontFace(fill_color=LABEL, size_pt=8)) as drawn:
        drawn.row([str(h) for h in table.headers])
        for cells in table.rows:
            drawn.row([str(c) for c in cells])
        if table.more:
            drawn.row().cell(table.more, colspan=len(table.headers))


# --- XLSX: the same form on one sheet, columns A–G -------------------------------------------------

COLUMNS = 7
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILL_BAR = PatternFill("solid", fgColor="D6E2F0")
FILL_LABEL = PatternFill("solid", fgColor="F2F2F2")
FILL_MISSING = PatternFill("solid", fgColor="FDE2E1")
WRAP = Alignment(wrap_text=True, vertical="top")


def eightd_xlsx(report: EightD, lang: str, policy: Policy, names: Mapping[str, str] | None = None,
                groups: GroupMembers | None = None) -> bytes:
    sheet = form(report, lang, policy, names, groups)
    wb = Workbook()
    ws = wb.active
    ws.title = "8D"
    ws.append([sheet.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([sheet.company])
    ws.append([])
    pairs = list(sheet.header)
    for start in range(0, len(pairs), 2):
        ws.append([cell for pair in pairs[start:start + 2] for cell in pair])
        _box(ws, ws.max_row, 4, labels=(1, 3))
    for section in sheet.sections:
        ws.append([])
        ws.append([section.heading] + [None] * (COLUMNS - 2) + [section.date])
        for col in range(1, COLUMNS + 1):
            ws.cell(ws.max_row, col).fill = FILL_BAR
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        if section.missing:
            ws.append([sheet.missing_text])
            ws.cell(ws.max_row, 1).fill = FILL_MISSING
            continue
        for table in section.tables:
            ws.append(list(table.headers))
            _box(ws, ws.max_row, len(table.headers), labels=tuple(range(1, len(table.headers) + 1)))
            for cells in table.rows:
                ws.append(list(cells))
                _box(ws, ws.max_row, len(cells))
            if table.more:
                ws.append([table.more])
        for name, value in section.fields:
            ws.append([name, value])
            ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=COLUMNS)
            _box(ws, ws.max_row, 2, labels=(1,))
    text_stays_text(ws)  # what people typed stays text, never a formula
    for col, width in zip("ABCDEFG", (26, 34, 22, 34, 14, 14, 20)):
        ws.column_dimensions[col].width = width
    # Printed, it is the same form: one page wide, the report number and "page x / y" in the footer.
    ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = "portrait", 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.left.text = sheet.footer
    ws.oddFooter.right.text = sheet.page_label("&P", "&N")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _box(ws, row: int, width: int, labels: tuple[int, ...] = ()) -> None:
    for col in range(1, width + 1):
        cell = ws.cell(row, col)
        cell.border, cell.alignment = BOX, WRAP
        if col in labels:
            cell.fill = FILL_LABEL
