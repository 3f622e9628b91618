"""The 8D report: assembled from the record (missing disciplines shown missing), exported as
PDF and XLSX in English and Chinese. Runs on PostgreSQL and SQLite."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bot import action_ids as ids
from bot.views.complaint import eightd_blocks
from documents.eightd_export import eightd_pdf, eightd_xlsx
from domain.lifecycle.apply import perform
from domain.lifecycle.eightd import DISCIPLINES, Discipline, EightD, Row, Step, assemble_8d, people
from domain.lifecycle.eightd_form import form, lines
from models import Approval, FeedbackItem
from models.db import Database
from tests.conftest import START
from tests.lifecycle_helpers import GM, QE, QM, RD, SALES, file_item, later, who
from tests.test_lifecycle_apply import CONTAINMENT, ROOT, work_to_verified
from tests.test_thread_lifecycle import asked, do, file_line_stop
from tests.test_flows import QUALITY

both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
NAMES = {QE: "周敏 Zhou Min", QM: "王军 Wang Jun", SALES: "李娜 Li Na", RD: "陈涛 Chen Tao", GM: "黄伟 Huang Wei"}


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
    tables = {d.code: d.table for d in report.disciplines}
    assert report.leader == QE == tables["D1"][0] and set(tables["D1"]) == {QE, RD, GM, SALES, QM}  # RD, GM: approvers
    assert [(q.where, q.checked, q.bad) for q in tables["D3"]] == [("stock", 5000, 12), ("wip", 800, 0), ("transit", None, None),
                                                                   ("customer", 1200, 37)]
    assert rows["D4"]["category_4m1e"] == "rootcause.machine" and rows["D4"]["escape"] == ROOT["escape"]
    fix, = tables["D5"]
    assert (fix.what, fix.owner, fix.due.isoformat(), fix.done_at, fix.verified_at) == (
        "replace crimping die", QE, "2026-11-25", later(START, 30), None)
    assert [(c.clean_lots, c.evidence, c.by) for c in tables["D6"]] == [(("24-0101", "24-0102"), "two lots 0 ppm", QE)]
    assert tables["D7"][0].documents == ("pfmea", "control_plan")
    assert rows["D8"]["closed"] == later(START, 104) and rows["D8"]["closed_by"] == QM
    dates = {d.code: d.date for d in report.disciplines}
    assert dates == {"D1": later(START, 1), "D2": START, "D3": later(START, 5), "D4": later(START, 20), "D5": later(START, 21),
                     "D6": later(START, 100), "D7": later(START, 22), "D8": later(START, 104)}
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
                     "replacecrimpingdie周敏ZhouMin2026-11-25",
                     "D8关闭与小组表彰", "缺失—尚未记录"):
        assert expected in flat, expected


def test_the_pdf_in_english_marks_what_is_missing(clean_pg, policy):
    report = _verified_report(clean_pg, policy)
    flat = "".join("".join(p.extract_text() for p in PdfReader(BytesIO(eightd_pdf(report, "en", policy))).pages).split())
    assert "D8Closureandteamrecognition" + "Missing—notrecordedyet" in flat
    assert "D7Preventionofrecurrence" in flat and "#ActionOwnerDueDoneVerifiedDocumentsupdated" in flat


def test_the_xlsx_opens_with_every_discipline(clean_pg, policy):
    report = _verified_report(clean_pg, policy)
    ws = load_workbook(BytesIO(eightd_xlsx(report, "zh", policy, NAMES)))["8D"]
    cells = [tuple(c for c in row if c is not None) for row in ws.iter_rows(values_only=True)]
    assert cells[0][0] == "8D报告 VOC-1 — 吉利汽车"
    headings = [r[0] for r in cells if r and isinstance(r[0], str) and r[0][:1] == "D" and r[0][1:2].isdigit()]
    assert headings == ["D1 成立小组", "D2 问题描述", "D3 临时围堵措施", "D4 根本原因（发生与流出）", "D5 选定的永久纠正措施",
                        "D6 纠正措施实施与验证", "D7 预防再发生", "D8 关闭与小组表彰"]
    assert ("4M1E 类别", "机") in cells
    assert (1, "die life limit in PM plan", "周敏 Zhou Min", "2026-11-30", "2026-11-21", "—", "PFMEA、控制计划") in cells
    assert cells[-1] == ("缺失 — 尚未记录",)


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


# --- the form a customer's SQE expects: numbers, revision, approval, people by name and role ---

APPROVED_AT = later(START, 120)  # 2026-11-25 10:00 in Shanghai
SENT_AT = later(START, 121)


def _closed(s, policy) -> int:
    item_id = file_item(s, policy, START)
    work_to_verified(s, policy, item_id)
    perform(s, item_id, "request_closure", who(policy, QE), policy, later(START, 102))
    perform(s, item_id, "approve_closure", who(policy, QM), policy, later(START, 104))
    return item_id


def _approval(s, item_id, decision, revision, by, at, stage="approve", reason=None):
    s.add(Approval(item_id=item_id, subject="8d", stage=stage, decision=decision, revision=revision, by=by, at=at,
                   reason=reason))
    s.flush()


def _rejected_then_approved(s, policy) -> int:
    """Submitted by the engineer, rejected by the QM, re-worked, approved, sent."""
    item_id = _closed(s, policy)
    _approval(s, item_id, "requested", 1, QE, later(START, 105))
    _approval(s, item_id, "rejected", 1, QM, later(START, 106), reason="D4 names no escape point")
    _approval(s, item_id, "requested", 2, QE, later(START, 110))
    _approval(s, item_id, "approved", 2, QM, APPROVED_AT)
    perform(s, item_id, "send_8d", who(policy, QE), policy, SENT_AT)
    return item_id


@both
def test_the_8d_carries_its_number_revision_and_who_approved_it(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        fresh = assemble_8d(s, _closed(s, policy))
        assert (fresh.report_no, fresh.revision, fresh.approved, fresh.issued) == ("8D-VOC-1", 1, None, None)
        item_id = _closed(s, policy)
        _approval(s, item_id, "requested", 1, QE, later(START, 105))
        _approval(s, item_id, "rejected", 1, QM, later(START, 106), reason="D4 names no escape point")
        reworking = assemble_8d(s, item_id)  # rejected: the next one sent is revision 2, nobody approved it
        assert (reworking.revision, reworking.approved, reworking.prepared_by) == (2, None, QE)
        s.rollback()
    with db.session() as s:
        report = assemble_8d(s, _rejected_then_approved(s, policy))
    assert (report.report_no, report.revision) == ("8D-VOC-1", 2)
    assert (report.approved.by, report.approved.at) == (QM, APPROVED_AT)
    assert (report.prepared_by, report.issued) == (QE, SENT_AT)
    assert report.leader == QE and report.team == (QE, SALES, RD, GM, QM)  # in the order they acted
    assert people(report) == {QE, RD, GM, SALES, QM}
    with db.session() as s:
        item_id = _rejected_then_approved(s, policy)
        _approval(s, item_id, "requested", 3, QE, later(START, 200))  # re-worked after it was sent (reopened)
        again = assemble_8d(s, item_id)
    assert (again.revision, again.approved, again.issued, again.prepared_by) == (3, None, None, QE)  # a draft again
    db.dispose()


def test_the_team_is_named_with_department_and_role(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        report = assemble_8d(s, _rejected_then_approved(s, policy))
    db.dispose()
    en, zh = form(report, "en", policy, NAMES), form(report, "zh", policy, NAMES)
    assert en.sections[0].tables[0].headers == ("Name", "Department", "Role", "In this 8D")
    assert en.sections[0].tables[0].rows == (("周敏 Zhou Min", "Quality", "Member", "Team leader"),
                                             ("李娜 Li Na", "Sales", "Sales", "Member"),
                                             ("陈涛 Chen Tao", "Engineering", "Manager", "Member"),
                                             ("黄伟 Huang Wei", "—", "General manager", "Member"),
                                             ("王军 Wang Jun", "Quality", "Quality manager", "Member"))
    assert zh.sections[0].tables[0].rows[4] == ("王军 Wang Jun", "品质部", "品质经理", "组员")
    header = dict(en.header)
    assert header == {"Customer": "Geely Auto", "Customer's complaint no.": "—",
                      "Part no.": "CN-4410", "Lot no.": "23-1107",
                      "Complaint no.": "VOC-1", "8D report no.": "8D-VOC-1",
                      "Revision": "2", "Report date": "2026-11-25",
                      "Complaint received": "2026-11-20 10:00", "Severity": "AA",
                      "Prepared by": "周敏 Zhou Min", "Approved by": "王军 Wang Jun, 2026-11-25 10:00"}


def test_an_8d_nobody_approved_says_so(clean_pg, policy):
    report = _verified_report(clean_pg, policy)
    assert dict(form(report, "en", policy, NAMES).header)["Approved by"] == "not approved"
    assert dict(form(report, "zh", policy, NAMES).header)["批准"] == "未批准"
    assert dict(form(report, "en", policy, NAMES).header)["Report date"] == "draft, not sent"


def test_the_pdf_is_a_form_with_header_tables_and_page_numbers(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        report = assemble_8d(s, _rejected_then_approved(s, policy))
    db.dispose()
    data = eightd_pdf(report, "en", policy, NAMES)
    pages = [page.extract_text() for page in PdfReader(BytesIO(data)).pages]
    flat = ["".join(p.split()) for p in pages]
    assert all(f"Page{n}/{len(pages)}" in p for n, p in enumerate(flat, 1)) and len(pages) >= 2
    whole = "".join(flat)
    for expected in ("8Dreportno.8D-VOC-1", "Revision2", "Approvedby王军WangJun,2026-11-2510:00",
                     "Preparedby周敏ZhouMin", "Complaintno.VOC-1", "Customer'scomplaintno.—",
                     "周敏ZhouMinQualityMemberTeamleader",
                     "Atthecustomer120037", "Stock500012", "Intransit——",
                     "ActionOwnerDueDoneVerified", "replacecrimpingdie周敏ZhouMin2026-11-252026-11-21—"):
        assert expected in whole, expected


def test_the_pdf_in_chinese_has_the_same_form(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        report = assemble_8d(s, _rejected_then_approved(s, policy))
    db.dispose()
    pages = ["".join(p.extract_text().split()) for p in PdfReader(BytesIO(eightd_pdf(report, "zh", policy, NAMES))).pages]
    assert all(f"第{n}/{len(pages)}页" in p for n, p in enumerate(pages, 1))
    whole = "".join(pages)
    for expected in ("8D报告编号8D-VOC-1", "版本2", "批准王军WangJun,2026-11-2510:00", "客户处120037",
                     "措施负责人期限完成验证"):
        assert expected in whole, expected


def test_the_xlsx_has_the_same_form(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        report = assemble_8d(s, _rejected_then_approved(s, policy))
    db.dispose()
    ws = load_workbook(BytesIO(eightd_xlsx(report, "en", policy, NAMES)))["8D"]
    cells = [tuple(v for v in row if v is not None) for row in ws.iter_rows(values_only=True)]
    assert ("8D report no.", "8D-VOC-1", "Revision", "2") in cells or ("Complaint no.", "VOC-1", "8D report no.", "8D-VOC-1") in cells
    assert ("Prepared by", "周敏 Zhou Min", "Approved by", "王军 Wang Jun, 2026-11-25 10:00") in cells
    assert ("Where", "Checked", "Bad") in cells and ("At the customer", 1200, 37) in cells
    assert ("#", "Action", "Owner", "Due", "Done", "Verified") in cells
    assert (1, "replace crimping die", "周敏 Zhou Min", "2026-11-25", "2026-11-21", "—") in cells
    assert ("周敏 Zhou Min", "Quality", "Member", "Team leader") in cells


def test_very_long_text_is_capped_and_points_to_the_audit_trail(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        item_id = file_item(s, policy, START)
        s.get(FeedbackItem, item_id).text = "连接器无法插入。" * 2000  # 16,000 characters
        report = assemble_8d(s, item_id)
    db.dispose()
    data = eightd_pdf(report, "en", policy, NAMES)
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) <= 2
    flat = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "…(continuedintheaudittrail)" in flat
    said = dict(form(report, "en", policy, NAMES).sections[1].fields)["What the customer said"]
    assert said == "连接器无法插入。" * 150 + " … (continued in the audit trail)"


def _bare(*disciplines: Discipline, number=7) -> EightD:
    """A report built in memory: the form is pure, no database needed."""
    given = {d.code: d for d in disciplines}
    return EightD(1, "Geely Auto", tuple(given.get(code, Discipline(code, ())) for code in DISCIPLINES), number=number)


def test_a_member_known_only_through_a_user_group_gets_its_department(policy):
    newcomer = "U0PRODNEW"
    report = _bare(Discipline("D1", (Row("departments", ("production",), dept=True),), (newcomer,)))
    team = lambda groups: form(report, "en", policy, {newcomer: "赵新 Zhao Xin"}, groups).sections[0].tables[0].rows  # noqa: E731
    assert team({"S0PRODUCTION": {newcomer}}) == (("赵新 Zhao Xin", "Production & Logistics", "Member", "Member"),)
    assert team(None) == (("赵新 Zhao Xin", "—", "—", "Member"),)  # not in the policy: no role invented


def test_a_long_table_is_capped_and_points_to_the_audit_trail(policy):
    steps = tuple(Step(f"action {n} " + "x" * 5000, QE, date(2026, 12, 1)) for n in range(1, 46))
    report = _bare(Discipline("D5", (), steps))
    table = form(report, "en", policy, NAMES).sections[4].tables[0]
    rows = table.rows
    assert len(rows) == 40 and table.more == "… 5 more (continued in the audit trail)"
    assert rows[0][1] == "action 1 " + "x" * 391 + " … (continued in the audit trail)"  # 400 characters of it
    data = eightd_pdf(report, "zh", policy, NAMES)
    assert len(PdfReader(BytesIO(data)).pages) <= 12


def test_the_form_names_the_procedures_form_number(clean_pg, policy):
    report = _verified_report(clean_pg, policy)
    flat = "".join(PdfReader(BytesIO(eightd_pdf(report, "zh", policy, NAMES))).pages[0].extract_text().split())
    assert "DemoAutoPartsCo.·表单编号ULMT-QR-QC-008" in flat
    unset = policy.model_copy(update={"eightd": policy.eightd.model_copy(update={"form_number": None})})
    assert form(report, "en", unset).company == "Demo Auto Parts Co."


def test_the_8d_in_slack_opens_with_its_header_and_stays_within_slacks_limits(clean_pg, policy):
    report = _verified_report(clean_pg, policy)
    blocks = eightd_blocks(report, policy, "en", NAMES)
    assert blocks[1]["text"]["text"].splitlines()[2:4] == ["*Complaint no.*: VOC-1 · *8D report no.*: 8D-VOC-1",
                                                          "*Revision*: 1 · *Report date*: draft, not sent"]
    assert "*Approved by*: not approved" in blocks[1]["text"]["text"]
    steps = tuple(Step(f"action {n} " + "x" * 5000, QE, date(2026, 12, 1)) for n in range(1, 46))
    long = eightd_blocks(_bare(Discipline("D5", (), steps), Discipline("D7", (), steps)), policy, "zh", NAMES)
    assert len(long) <= 50 and max(len(b["text"]["text"]) for b in long) <= 3000
    assert "…另有 5 条（见审核记录）" in "".join(b["text"]["text"] for b in long)


def test_the_8d_sent_from_slack_is_the_form_with_people_as_slack_names_them(harness):
    """Over signed HTTP: the owner works the thread to a root cause and an action, sends the 8D; the
    uploaded PDF (Geely's language, Chinese) is the form, people named by users.info and the policy."""
    h = harness
    parent = file_line_stop(h)
    do(h, QE, parent, "take_ownership")
    do(h, QE, parent, "record_containment", {"stock_checked": "1200", "stock_bad": "0", "customer_checked": "400",
                                             "customer_bad": "37", "sorting_method": "100% gauge check",
                                             "countermeasure": "Sorted stock shipped with a green dot", "customer_informed": ["yes"]})
    do(h, QE, parent, "record_root_cause", {"category": "machine", "occurrence": "Crimp die worn past its limit",
                                            "escape": "Pull test sampled 1 in 500", "evidence": "Die wear 0.12 mm"})
    do(h, QE, parent, "add_corrective_action", {"what": "Replace the crimp die", "owner": QE, "due": "2026-11-27"})
    do(h, QE, parent, "submit_8d")  # the quality manager approves it in his DM before it may be sent
    h.slack.click(QM, asked(h, QM, "8D"), ids.step("approve_8d"))
    h.join()
    do(h, QE, parent, "send_8d")
    upload = h.ws.wait_for(lambda: [m for m in h.ws.thread(QUALITY, parent.ts) if m.files])[0]
    files = {f["name"]: h.ws.files[f["id"]].data for f in upload.files}
    pages = ["".join(p.extract_text().split()) for p in PdfReader(BytesIO(files["VOC-1-8D.pdf"])).pages]
    assert all(f"第{n}/{len(pages)}页" in p and "8D-VOC-1·第1版" in p for n, p in enumerate(pages, 1))
    whole = "".join(pages)
    sent = h.rt.clock.now().astimezone(policy_tz(h)).date().isoformat()
    for expected in ("8D报告编号8D-VOC-1", "版本1", f"报告日期{sent}", "编制ZhouMin(Qualityengineer)", "批准WangJun(Qualitymanager)",
                     "ZhouMin(Qualityengineer)品质部部门成员组长", "客户处40037",
                     "1ReplacethecrimpdieZhouMin(Qualityengineer)2026-11-27——", "D6纠正措施实施与验证缺失—尚未记录"):
        assert expected in whole, expected
    sheet = load_workbook(BytesIO(files["VOC-1-8D.xlsx"]))["8D"]
    cells = [tuple(v for v in row if v is not None) for row in sheet.iter_rows(values_only=True)]
    assert any(c[:3] == ("编制", "Zhou Min (Quality engineer)", "批准") and c[3].startswith("Wang Jun (Quality manager)")
               for c in cells if len(c) >= 4)


def policy_tz(h):
    return h.rt.policy.tz
