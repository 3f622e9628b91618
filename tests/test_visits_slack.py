"""Field service visits over signed HTTP (issue 19): asked for from the complaint's thread (menu →
form), arrival, return and the customer's sign-off recorded by the engineer, each with a note in the
thread and an audit event; the signed report posted in the thread as a PDF in the customer's language;
a person without a role on the item told why, nothing changed."""
from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader
from sqlmodel import select

from models import Deadline, Event, FieldVisit
from tests.test_flows import eph
from tests.test_thread_lifecycle import QE, SALES, do, file_line_stop, menu, press, QUALITY

PROD = "U0PRODZHAO"


def _visit(h):
    with h.rt.db.session() as s:
        return s.exec(select(FieldVisit).order_by(FieldVisit.id.desc())).first()


def test_a_visit_from_the_thread_to_the_signed_report_pdf(harness):
    h = harness
    parent = file_line_stop(h)
    assert "request_visit" in menu(parent)
    do(h, SALES, parent, "request_visit", {"engineers": [QE], "site": "Geely Ningbo plant 2, line 4"})
    visit = _visit(h)
    assert visit.province == "浙江" and visit.in_home_province and visit.engineers == [QE]  # the form's default: the policy
    now = h.rt.clock.now().astimezone(h.rt.policy.tz)
    do(h, QE, parent, "record_visit_arrival", {"arrived_at": now.date().isoformat(), "arrived_at_time": now.strftime("%H:%M")})
    do(h, QE, parent, "record_visit_return", {"returned_at": now.date().isoformat(), "returned_at_time": now.strftime("%H:%M"),
                                              "findings": "Crimp die worn; 1,200 pcs sorted on the line, 37 bad"})
    do(h, QE, parent, "record_visit_signoff", {"signed_by": "徐工 (SQE)", "signed_on": now.date().isoformat()})
    upload = h.ws.wait_for(lambda: [m for m in h.ws.thread(QUALITY, parent.ts) if m.files])[0]
    files = {f["name"]: h.ws.files[f["id"]].data for f in upload.files}
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(BytesIO(files["VOC-1-visit-1.pdf"])).pages)
    for expected in ("现场服务报告", "VOC-1/1", "GeelyNingboplant2,line4", "1,200pcssorted", "徐工(SQE)", "浙江", "按时"):
        assert expected in text, (expected, text)  # Geely's report language is Chinese, as the 8D's
    with h.rt.db.session() as s:
        assert s.get(FieldVisit, visit.id).state == "report_signed"
        clocks = {d.milestone: d.state for d in s.exec(select(Deadline).where(Deadline.milestone.like("visit_%")))}
        events = [e.action for e in s.exec(select(Event).where(Event.action.like("lifecycle.%visit%")).order_by(Event.id))]
    assert clocks == {f"visit_arrival:{visit.id}": "met", f"visit_report:{visit.id}": "met"}
    assert events == ["lifecycle.request_visit", "lifecycle.record_visit_arrival", "lifecycle.record_visit_return",
                      "lifecycle.record_visit_signoff"]
    thread = " ".join(m.text for m in h.ws.thread(QUALITY, parent.ts))
    assert "Geely Ningbo plant 2, line 4" in thread and "徐工 (SQE)" in thread


def test_someone_without_a_role_on_the_complaint_is_refused_a_visit(harness):
    h = harness
    parent = file_line_stop(h)
    press(h, PROD, parent, "request_visit")  # production is not on this quality complaint: no form, a reason
    refusal = eph(h, PROD, "现场服务")
    h.join()
    assert "Traceback" not in refusal.text and _visit(h) is None


def test_visit_command_lists_the_visits_and_its_buttons_open_the_same_forms(harness):
    h = harness
    from bot import action_ids as ids

    file_line_stop(h)
    h.slack.command(SALES, "C0SALESFLOOR", "VOC-1", command=ids.VISIT_COMMAND)
    empty = eph(h, SALES, "No field visit")
    h.slack.click(SALES, empty, ids.step("request_visit"))
    view = h.ws.wait_for(lambda: [v for v, view in h.ws.views.items() if view.user == SALES and view.open])[0]
    sent = h.slack.submit_view(SALES, view, {"engineers": [QE], "site": "BYD Shenzhen plant", "province": "广东"})
    assert sent.status == 200
    h.join()
    visit = _visit(h)
    assert visit.province == "广东" and not visit.in_home_province  # 3 working days elsewhere
    h.slack.command(QE, "C0SALESFLOOR", "VOC-1", command=ids.VISIT_COMMAND)
    listed = eph(h, QE, "BYD Shenzhen plant")
    assert ids.step("record_visit_arrival") in str(listed.blocks) and f"<@{QE}>" in listed.text + str(listed.blocks)
    h.slack.command(QE, "C0SALESFLOOR", "VOC-999", command=ids.VISIT_COMMAND)
    eph(h, QE, "VOC-999")
    h.join()


def test_the_arrival_deadline_is_reminded_then_escalated_in_the_thread(harness):
    from datetime import timedelta

    from tests.conftest import START
    from tests.test_sla_slack import scheduler_at

    h = harness
    parent = file_line_stop(h)  # Friday 10:00 in Shanghai
    do(h, SALES, parent, "request_visit", {"engineers": [QE], "site": "Geely Ningbo plant 2, line 4"})
    visit = _visit(h)
    with h.rt.db.session() as s:
        due = s.exec(select(Deadline).where(Deadline.milestone == f"visit_arrival:{visit.id}")).one().due_at
    assert due.replace(tzinfo=None) == (START + timedelta(days=3)).replace(tzinfo=None)  # 1 working day: Monday 10:00

    def about_the_visit(mark):
        return [m for m in h.ws.thread(QUALITY, parent.ts) if m.text.startswith(mark) and "On site (field visit)" in m.text]

    scheduler_at(h, START + timedelta(hours=7))  # Friday 17:00, past 75 % of the working day
    assert len(about_the_visit(":alarm_clock:")) == 1 and not about_the_visit(":rotating_light:")
    scheduler_at(h, START + timedelta(days=3, minutes=1))  # Monday 10:01: overdue, the department manager is told
    [overdue] = about_the_visit(":rotating_light:")
    assert "VOC-1" in overdue.text
    with h.rt.db.session() as s:
        escalated = [e.detail["milestone"] for e in s.exec(select(Event).where(Event.action == "sla.escalated"))]
    assert f"visit_arrival:{visit.id}" in escalated
