"""The deadlines as the company's procedure states them (seed 000 §6.2-6.3, seed 001 §4.2), counted
in working days where the procedure counts working time, and no clock on an item that has ended.

Every expected moment below is worked out by hand from the State Council's announcements as
chinese-calendar has them (2026 National Day: Oct 1-7 off, Sat Oct 10 worked; Sun Oct 11 off) and a
working day of 08:30-12:00 + 13:00-17:30 (8 working hours). Milestones of A and B complaints count
working time: one stated in hours counts working hours, one stated in days counts working days (the
same clock time N working days later), one stated in months the same date a month later (the next
working day when that is not one). AA complaints count calendar time.
"""
from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlmodel import select

from domain.requirements import item_requirements
from domain.deadlines import compute_deadlines, milestones_for
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from domain.sla import clocks
from domain.sla.calendar import calendar_for, calendar_warnings
from domain.sla.tick import tick
from models import Deadline, FeedbackItem, OutboundMessage
from models.db import Database
from tests.lifecycle_helpers import GROUPS, file_item
from tests.test_sla_clock import run_scheduler

SH = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parent.parent


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def spans(policy: Policy, severity: str, **facts) -> dict[str, tuple]:
    return {m.milestone: (m.hours, m.days, m.months, m.clock)
            for m in milestones_for(policy, "complaint", severity, **facts)}


# ---- the default policy is the procedure -----------------------------------------------------------

def test_the_default_deadlines_are_the_procedures(policy):
    quality_8d = {"category": "quality", "wants_8d": True}
    # AA: calendar time (a stopped line does not wait for a holiday)
    assert spans(policy, "AA", **quality_8d) == {
        "first_contact": (2, None, None, "calendar"),       # seed 000 §6.2: 2 h for every level
        "containment": (None, 1, None, "calendar"),         # §6.3.1: plan, cause and containment in 1 day
        "customer_reply": (24, None, None, "calendar"),     # seed 001 §4.2: AA 24 h
        "report_8d": (72, None, None, "calendar"),          # §6.3.1: 8D in 72 h when asked for
        "customer_closure": (None, 7, None, "calendar"),    # closed on the customer's side in 7 days
        "internal_closure": (None, None, 1, "calendar"),    # closed internally within 1 month
    }
    assert spans(policy, "A", **quality_8d) == {
        "first_contact": (2, None, None, "working"), "containment": (None, 1, None, "working"),
        "customer_reply": (None, 2, None, "working"), "report_8d": (None, 3, None, "working"),
        "customer_closure": (None, 7, None, "working"), "internal_closure": (None, None, 1, "working")}
    assert spans(policy, "B", **quality_8d)["customer_reply"] == (None, 3, None, "working")


def test_milestones_follow_the_category_and_whether_an_8d_is_asked_for(policy):
    everything = ["first_contact", "containment", "customer_reply", "report_8d", "customer_closure", "internal_closure"]
    assert list(spans(policy, "B", category="quality", wants_8d=True)) == everything
    assert list(spans(policy, "B", category="delivery", wants_8d=True)) == everything
    no_8d = ["first_contact", "containment", "customer_reply", "customer_closure", "internal_closure"]
    assert list(spans(policy, "B", category="quality", wants_8d=None)) == no_8d  # not known: no 8D clock
    assert list(spans(policy, "B", category="quality", wants_8d=False)) == no_8d
    # an invoice complaint: no containment and no 8D, even when its customer asks 8Ds of everything
    assert list(spans(policy, "B", category="commercial", wants_8d=True)) == [
        "first_contact", "customer_reply", "customer_closure", "internal_closure"]
    assert [m.milestone for m in milestones_for(policy, "inquiry", "B", category="commercial")] == ["answer"]


@pytest.mark.parametrize("milestone, problem", [
    ({"milestone": "first_contact"}, "exactly one of hours, days or months"),
    ({"milestone": "first_contact", "hours": 2, "days": 1}, "exactly one of hours, days or months"),
    ({"milestone": "containment", "days": 1, "categories": ["invoices"]}, "categories"),
])
def test_the_policy_refuses_a_milestone_it_cannot_count(policy, milestone, problem):
    data = policy.model_dump(mode="json", exclude_none=True)
    data["deadlines"]["complaint"]["B"] = [milestone]
    with pytest.raises(ValueError, match=problem):
        Policy.model_validate(data)


# ---- working days ----------------------------------------------------------------------------------

def test_working_days_are_the_same_clock_time_n_working_days_later(policy):
    cal = calendar_for(policy)
    from domain.deadlines import Span, add_span

    assert add_span(cal, "working", Span(days=3), at(2026, 11, 11, 15, 0)) == at(2026, 11, 16, 15, 0)  # Wed -> Mon
    assert add_span(cal, "working", Span(days=1), at(2026, 11, 11, 19, 0)) == at(2026, 11, 13, 8, 30)  # after hours: from Thu 08:30
    assert add_span(cal, "working", Span(days=1), at(2026, 11, 11, 12, 30)) == at(2026, 11, 12, 13, 0)  # at lunch: from 13:00
    assert add_span(cal, "working", Span(days=1), at(2026, 11, 14, 10, 0)) == at(2026, 11, 17, 8, 30)  # Saturday: from Mon 08:30
    assert add_span(cal, "working", Span(hours=2), at(2026, 11, 11, 17, 0)) == at(2026, 11, 12, 10, 0)  # hours stay hours
    assert add_span(cal, "calendar", Span(days=7), at(2026, 9, 30, 15, 0)) == at(2026, 10, 7, 15, 0)
    # a month: the same date a month later (the month's last day when it has none), then the next working day
    assert add_span(cal, "working", Span(months=1), at(2026, 9, 30, 15, 0)) == at(2026, 10, 30, 15, 0)
    assert add_span(cal, "working", Span(months=1), at(2026, 12, 31, 10, 0)) == at(2027, 2, 1, 10, 0)  # Jan 31 is a Sunday
    assert add_span(cal, "calendar", Span(months=1), at(2027, 1, 31, 10, 0)) == at(2027, 2, 28, 10, 0)


def test_a_b_complaint_filed_before_national_day_2026_waits_for_the_holiday(db_url, policy):
    """The issue's case: filed Wed 30 Sep 2026 15:00, Oct 1-7 off, Sat Oct 10 a make-up working day."""
    received = at(2026, 9, 30, 15, 0)
    due = {d.milestone: d.due_at.astimezone(SH)
           for d in compute_deadlines(policy, "complaint", "B", received, category="quality", wants_8d=True)}
    assert due == {
        "first_contact": at(2026, 9, 30, 17, 0),      # 2 working hours the same afternoon
        "containment": at(2026, 10, 8, 15, 0),        # 1 working day: the next one is Thu Oct 8
        "customer_reply": at(2026, 10, 10, 15, 0),    # 3 working days: Oct 8, 9 and Sat Oct 10
        "report_8d": at(2026, 10, 10, 15, 0),
        "customer_closure": at(2026, 10, 15, 15, 0),  # 7: Oct 8, 9, 10, 12, 13, 14, 15
        "internal_closure": at(2026, 10, 30, 15, 0),  # a month: Fri Oct 30
    }
    db = Database(db_url)
    with db.session() as s:
        item = file_item(s, policy, received, severity="B")
        s.execute(update(FeedbackItem).where(FeedbackItem.id == item).values(wants_8d=True))
        s.commit()
    with db.session() as s:
        row = s.get(FeedbackItem, item)
        rows = list(s.exec(select(Deadline).where(Deadline.item_id == item)).all())
        for new in clocks.sync_clocks(rows, row, policy, calendar_for(policy), received, item_requirements(s, policy, row)):
            s.add(new)
        first = next(d for d in rows if d.milestone == "first_contact")
        clocks.meet(first, at(2026, 9, 30, 16, 0))  # the customer was called within the hour
        s.add(first)
        s.commit()
    sent = run_scheduler(db, policy, at(2026, 10, 12, 12, 0))
    assert sent == [
        (f"remind:{item}:containment:0", at(2026, 10, 8, 13, 0)),     # 6 of 8 working hours end at 12:00: after lunch
        (f"remind:{item}:containment:1", at(2026, 10, 8, 15, 0)),     # overdue: the department manager
        (f"remind:{item}:containment:2", at(2026, 10, 9, 8, 30)),     # +4 h (19:00) waits for working time
        (f"remind:{item}:customer_reply:0", at(2026, 10, 9, 17, 0)),  # 18 of 24 working hours
        (f"remind:{item}:report_8d:0", at(2026, 10, 9, 17, 0)),
        (f"remind:{item}:customer_reply:1", at(2026, 10, 10, 15, 0)),
        (f"remind:{item}:report_8d:1", at(2026, 10, 10, 15, 0)),
        (f"remind:{item}:customer_reply:2", at(2026, 10, 12, 8, 30)),  # Sat 19:00 waits for Monday
        (f"remind:{item}:report_8d:2", at(2026, 10, 12, 8, 30)),
    ]
    with db.session() as s:  # nothing was overdue during the holiday
        overdue = [d.milestone for d in s.exec(select(Deadline).where(Deadline.item_id == item)).all()
                   if as_utc(d.due_at) <= at(2026, 10, 7, 23, 59) and d.state == "open"]
        assert overdue == []


def test_an_aa_complaint_counts_calendar_time_through_the_holiday(policy):
    due = {d.milestone: d.due_at.astimezone(SH)
           for d in compute_deadlines(policy, "complaint", "AA", at(2026, 9, 30, 15, 0), category="quality", wants_8d=True)}
    assert due == {"first_contact": at(2026, 9, 30, 17, 0), "containment": at(2026, 10, 1, 15, 0),
                   "customer_reply": at(2026, 10, 1, 15, 0), "report_8d": at(2026, 10, 3, 15, 0),
                   "customer_closure": at(2026, 10, 7, 15, 0), "internal_closure": at(2026, 10, 30, 15, 0)}


def test_no_b_escalation_on_new_years_day_2027(db_url, policy):
    """chinese-calendar does not know 2027 yet: the default policy lists the days the law fixes."""
    db = Database(db_url)
    received = at(2026, 12, 31, 16, 0)
    with db.session() as s:
        item = file_item(s, policy, received, severity="B")
        s.commit()
    sent = run_scheduler(db, policy, at(2027, 1, 4, 18, 0))
    assert [moment.date() for _, moment in sent if moment.date() == date(2027, 1, 1)] == []
    assert sent == [
        (f"remind:{item}:first_contact:0", at(2027, 1, 4, 8, 30)),  # 1.5 of 2 working hours end at 17:30 on Dec 31
        (f"remind:{item}:first_contact:1", at(2027, 1, 4, 9, 0)),   # Jan 1 off, Jan 2-3 a weekend
        (f"remind:{item}:first_contact:2", at(2027, 1, 4, 13, 0)),
        (f"remind:{item}:containment:0", at(2027, 1, 4, 14, 0)),    # 6 of 8: 1.5 on Dec 31, 3.5 + 1 on Jan 4
        (f"remind:{item}:containment:1", at(2027, 1, 4, 16, 0)),
    ]


def test_a_year_listed_only_in_part_is_still_warned_about(policy):
    warnings = calendar_warnings(policy, date(2026, 12, 5))
    assert len(warnings) == 1 and "2027" in warnings[0] and "working_time.years.2027" in warnings[0]
    data = policy.model_dump(mode="json", exclude_none=True)
    data["working_time"]["years"]["2027"]["complete"] = True
    assert calendar_warnings(Policy.model_validate(data), date(2026, 12, 5)) == []
    assert calendar_warnings(policy, date(2026, 12, 5), lang="zh")[0].startswith("工作时间")


# ---- the clocks follow the item's facts, and stop when it ends -------------------------------------

def _milestones(s, item_id) -> dict[str, str]:
    return {d.milestone: d.state for d in s.exec(select(Deadline).where(Deadline.item_id == item_id)).all()}


def _sync(s, policy, item_id, now, **facts):
    item = s.get(FeedbackItem, item_id)
    for name, value in facts.items():
        setattr(item, name, value)
    s.add(item)
    rows = list(s.exec(select(Deadline).where(Deadline.item_id == item_id)).all())
    for new in clocks.sync_clocks(rows, item, policy, calendar_for(policy), now, item_requirements(s, policy, item)):
        s.add(new)
    for d in rows:
        s.add(d)
    s.flush()


def test_an_8d_asked_for_starts_its_clock_and_a_new_category_cancels_what_no_longer_applies(db_url, policy):
    db = Database(db_url)
    received = at(2026, 11, 11, 15, 0)
    with db.session() as s:
        item = file_item(s, policy, received, severity="B")
        assert _milestones(s, item) == dict.fromkeys(
            ["first_contact", "containment", "customer_reply", "customer_closure", "internal_closure"], "open")
        _sync(s, policy, item, received + timedelta(hours=1), wants_8d=True)
        [report] = s.exec(select(Deadline).where(Deadline.item_id == item, Deadline.milestone == "report_8d")).all()
        assert as_utc(report.due_at) == at(2026, 11, 16, 15, 0)  # 3 working days from receipt: Mon 15:00
        _sync(s, policy, item, received + timedelta(hours=2), category="commercial")
        assert _milestones(s, item) == {"first_contact": "open", "containment": "cancelled", "customer_reply": "open",
                                        "customer_closure": "open", "internal_closure": "open", "report_8d": "cancelled"}


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_filing_an_invoice_complaint_starts_no_containment_and_no_8d(db_url, policy, clock):
    from domain.desk import Desk
    from domain.intake import Submission

    desk = Desk(Database(db_url), policy, clock)
    out = desk.submit(Submission(source="slash", key="inv", reporter_id="U1", channel_id="C1", customer="SVW",
                                 text="SVW: invoice INV-2026-1187 has the wrong price, we are unhappy, please send a red invoice"))
    with desk.db.session() as s:
        item = s.get(FeedbackItem, out.item_id)
        assert (item.kind, item.category, item.severity) == ("complaint", "commercial", "B")
        assert _milestones(s, item.id) == dict.fromkeys(
            ["first_contact", "customer_reply", "customer_closure", "internal_closure"], "open")
    desk.db.dispose()


@pytest.mark.parametrize("ended", ["closed", "withdrawn"])
def test_no_clock_starts_or_runs_on_an_item_that_ended(db_url, policy, ended):
    db = Database(db_url)
    received = at(2026, 11, 11, 15, 0)
    with db.session() as s:
        item = file_item(s, policy, received, severity="B")
        # a change of facts after the item ended (a correction, an 8D asked for late): nothing restarts
        _sync(s, policy, item, received + timedelta(hours=1), status=ended, wants_8d=True, severity="AA")
        assert set(_milestones(s, item).values()) == {"cancelled"} and "report_8d" not in _milestones(s, item)
        s.commit()


def test_the_tick_drops_the_clocks_of_an_item_that_ended(db_url, policy):
    """Clocks an older release left running on a closed item: the tick stops them, says nothing."""
    db = Database(db_url)
    received = at(2026, 11, 11, 15, 0)
    with db.session() as s:
        item = file_item(s, policy, received, severity="B")
        s.execute(update(FeedbackItem).where(FeedbackItem.id == item).values(status="closed"))
        s.commit()
    with db.session() as s:
        report = tick(s, policy, at(2026, 11, 20, 9, 0), GROUPS)
        s.commit()
        assert report.reminders == report.escalations == 0
        assert s.exec(select(OutboundMessage).where(OutboundMessage.key.like("remind:%"))).all() == []
        # every clock the tick looked at is stopped; internal closure (a month) was not due to be looked at yet
        assert _milestones(s, item) == {"first_contact": "cancelled", "containment": "cancelled",
                                        "customer_reply": "cancelled", "customer_closure": "cancelled",
                                        "internal_closure": "open"}


# ---- start-up says which year it does not know --------------------------------------------------------

VOC = str(ROOT / ".venv" / "bin" / "voc") if (ROOT / ".venv" / "bin" / "voc").exists() else "/work/main/.venv/bin/voc"


def _voc(*args, stdin="", tmp_path=None, **env):
    import os

    environ = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{tmp_path}/voc.db", **env}
    return subprocess.run([VOC, *args], input=stdin, capture_output=True, text=True, cwd=tmp_path or ROOT,
                          env=environ, timeout=120)


def test_voc_tick_warns_about_a_year_without_holiday_data(tmp_path):
    assert _voc("db", "upgrade", tmp_path=tmp_path).returncode == 0
    # the moment the command works at decides which years matter: that one and the next
    proc = _voc("tick", "--at", "2027-06-01T09:00", "--no-send", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    warned = [line for line in proc.stderr.splitlines() if line.startswith("warning: working_time")]
    assert len(warned) == 2 and "working_time.years.2027" in warned[0] and "working_time.years.2028" in warned[1]


def test_the_shells_first_screen_warns_about_a_year_without_holiday_data(tmp_path):
    proc = _voc("shell", "--plain", "--at", "2026-12-31T16:00", stdin="/quit\n", tmp_path=tmp_path,
                VOC_SHELL_HISTORY=str(tmp_path / "history"))
    assert proc.returncode == 0, proc.stderr
    head = proc.stdout.splitlines()[:6]
    assert any("2027" in line and "working_time.years.2027" in line for line in head), proc.stdout[:2000]
