"""The 8D report: assembled from the record (missing disciplines shown missing), exported as
PDF and XLSX in English and Chinese. Runs on PostgreSQL and SQLite."""
from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from documents.eightd_export import eightd_pdf, eightd_xlsx
from domain.lifecycle.apply import perform
from domain.lifecycle.eightd import assemble_8d, lines
from models.db import Database
from tests.conftest import START
from tests.lifecycle_helpers import GM, QE, QM, RD, SALES, file_item, later, who
from tests.test_lifecycle_apply import CONTAINMENT, ROOT, work_to_verified

both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
NAMES = {QE: "周敏 Zhou Min", QM: "王军 Wang Jun", SALES: "李娜 Li Na"}


@both
def test_a_fresh_complaint_has_only_its_problem_description(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        report = assemble_8d(s, file_item(s, policy, START))
    assert [d.code for d in report.disciplines if not d.missing] == ["D2"]
    d2 = {r.label: r.value for r in report.discipline("D2").rows}
    assert d2["customer"] == "Geely Auto" and d2["lot_numbers"] == ("23-1107",) and d2["quantity"] == "1200 pcs"
    assert d2["received"] == START and d2["line_stopped"] is True
    rendered = lines(report, "zh", policy)
    assert rendered[0] == ("D1 成立小组", None) and rendered[7] == ("D8 关闭与小组表彰", None)
    db.dispose()


@both
def test_a_closed_complaint_fills_every_discipline_from_the_record(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START)
        perform(s, item_id, "take_ownership", who(policy, QE), policy, later(START, 1))
        partial = assemble_8d(s, item_id)
        assert [d.code for d in partial.disciplines if not d.missing] == ["D1", "D2"]
        s.rollback()
    with db.session() as s:
        item_id = file_item(s, policy, START)
        work_to_verified(s, policy, item_id)
        perform(s, item_id, "request_closure", who(policy, QE), policy, later(START, 102))
        perform(s, item_id, "approve_closure", who(policy, QM), policy, later(START, 104))
        report = assemble_8d(s, item_id)
    assert not [d.code for d in report.disciplines if d.missing]
    rows = {d.code: {r.label: r.value for r in d.rows} for d in report.disciplines}
    assert rows["D1"]["owner"] == QE and rows["D1"]["members"] == (QE, RD, GM, SALES, QM)  # RD, GM: the AA actions' approvers
    assert rows["D3"]["checked_customer"] == "1200 / 37" and "checked_transit" not in rows["D3"]
    assert rows["D4"]["category_4m1e"] == "rootcause.machine" and rows["D4"]["escape"] == ROOT["escape"]
    assert rows["D5"]["action"] == ("replace crimping die", QE, "2026-11-25")
    assert rows["D6"]["clean_lots"] == ("24-0101", "24-0102")
    assert rows["D7"]["documents"] == ("doc.pfmea", "doc.control_plan")
    assert rows["D8"]["closed"] == later(START, 104) and rows["D8"]["closed_by"] == QM
    assert CONTAINMENT["countermeasure"] == rows["D3"]["countermeasure"]
    db.dispose()


def _verified_report(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START)
        work_to_verified(s, policy, item_id, acceptance=False)  # not closed, not accepted: D8 is missing
        report = assemble_8d(s, item_id)
    db.dispose()
    return report


def test_the_pdf_carries_chinese_text(clean_pg, policy, tmp_path):
    report = _verified_report(clean_pg, policy)
    data = eightd_pdf(report, "zh", policy, NAMES)
    (tmp_path / "8d.pdf").write_bytes(data)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    flat = "".join(text.split())
    for expected in ("8D报告VOC-1—吉利汽车", "D4根本原因（发生与流出）", "机", "控制计划", "24-0101",
                     "replacecrimpingdie—周敏ZhouMin—2026-11-25",
                     "D8关闭与小组表彰", "缺失—尚未记录"):
        assert expected in flat, expected


def test_the_pdf_in_english_marks_what_is_missing(clean_pg, policy):
    report = _verified_report(clean_pg, policy)
    flat = "".join("".join(p.extract_text() for p in PdfReader(BytesIO(eightd_pdf(report, "en", policy))).pages).split())
    assert "D8Closureandteamrecognition" + "Missing—notrecordedyet" in flat
    assert "D7Preventionofrecurrence" + "Action—owner—due" in flat


def test_the_xlsx_opens_with_every_discipline(clean_pg, policy):
    report = _verified_report(clean_pg, policy)
    ws = load_workbook(BytesIO(eightd_xlsx(report, "zh", policy, NAMES)))["8D"]
    cells = [tuple(c for c in row) for row in ws.iter_rows(values_only=True)]
    assert cells[0][0] == "8D报告 VOC-1 — 吉利汽车"
    headings = [r[0] for r in cells if r and r[0] and r[0][:1] == "D" and r[0][1:2].isdigit()]
    assert headings == ["D1 成立小组", "D2 问题描述", "D3 临时围堵措施", "D4 根本原因（发生与流出）", "D5 选定的永久纠正措施",
                        "D6 纠正措施实施与验证", "D7 预防再发生", "D8 关闭与小组表彰"]
    assert ("4M1E 类别", "机") in cells and ("已更新文件", "PFMEA、控制计划") in cells
    assert cells[-1] == (None, "缺失 — 尚未记录")


def _text_without_font(data: bytes) -> list[int]:
    """Pages that show text while no font is selected (a `Q` restores the state before its `q`,
    font included); viewers drop such text."""
    from pypdf.generic import ContentStream

    reader = PdfReader(BytesIO(data))
    bad = []
    for number, page in enumerate(reader.pages, 1):
        stack, font = [], False
        for _, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append(font)
            elif op == b"Q":
                font = stack.pop()
            elif op == b"Tf":
                font = True
            elif op in (b"Tj", b"TJ", b"'", b'"') and not font:
                bad.append(number)
                break
    return bad


def test_every_page_selects_a_font_before_its_text(clean_pg, policy):
    report = _verified_report(clean_pg, policy)
    for lang in ("zh", "en"):
        data = eightd_pdf(report, lang, policy, NAMES)
        assert len(PdfReader(BytesIO(data)).pages) >= 2  # the report runs over a page break
        assert _text_without_font(data) == [], lang
