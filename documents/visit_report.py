"""The field-service report (现场服务报告) as PDF, with the 8D's fonts and language rule: the customer's
report language, DejaVu with the CJK fallback so Chinese renders, a bordered form of label and value."""
from __future__ import annotations

from typing import Mapping

from fpdf import FPDF, FontFace

from documents.eightd_export import LABEL
from documents.fonts import cjk_font, latin_font
from domain.i18n import fmt_when, ref, t
from domain.lifecycle.visit_report import VisitReport
from domain.policy import Policy


def visit_pdf(report: VisitReport, lang: str, policy: Policy, names: Mapping[str, str] | None = None) -> bytes:
    names = names or {}
    when = lambda m: fmt_when(m, policy.tz, lang) if m else "—"  # noqa: E731

    def on_time(moment, due, ok) -> str:
        if moment is None:
            return "—"
        return f"{when(moment)} ({t('visit.pdf.on_time' if ok else 'visit.pdf.late', lang)})"

    signed = f"{report.signed_by}, {report.signed_on.isoformat()}" if report.signed_by and report.signed_on else "—"
    rows = [
        ("complaint", f"{ref(report.ref_number)} / {report.number_on_item}"),
        ("customer", report.customer_in(lang) or "—"),
        ("problem", report.problem),
        ("engineers", ", ".join(names.get(u, u) for u in report.engineers)),
        ("site", report.site),
        ("province", report.province or "—"),
        ("requested", when(report.requested_at)),
        ("arrival_due", when(report.arrival_due)),
        ("arrived", on_time(report.arrived_at, report.arrival_due, report.arrived_on_time)),
        ("returned", when(report.returned_at)),
        ("findings", report.findings or "—"),
        ("signed_by", signed),
        ("report_due", when(report.report_due)),
        ("report_at", on_time(report.report_at, report.report_due, report.report_on_time)),
    ]
    title = t("visit.pdf.title", lang)
    pdf = FPDF(format="A4")
    pdf.set_title(f"{title} {ref(report.ref_number)}")
    pdf.add_font("body", fname=str(latin_font()))
    pdf.add_font("cjk", fname=str(cjk_font()))
    pdf.set_fallback_fonts(["cjk"])  # glyphs DejaVu lacks (Chinese) come from the CJK font
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("body", size=14)
    pdf.multi_cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", size=9)
    pdf.multi_cell(0, 5, policy.company.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    label = FontFace(fill_color=LABEL, size_pt=8)
    with pdf.table(col_widths=(1, 3), first_row_as_headings=False, line_height=5, text_align="LEFT", v_align="TOP") as table:
        for key, value in rows:
            row = table.row()
            row.cell(t(f"visit.pdf.{key}", lang), style=label)
            row.cell(value)
    return bytes(pdf.output())
