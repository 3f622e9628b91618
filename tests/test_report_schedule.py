"""When reports are due and that each is queued once (domain/reports/schedule.py), on PostgreSQL and
SQLite: the weekly digest on Monday 09:00 for the week before (managers' channel and one per
department), the monthly report on the 1st, the annual analysis on 2 January; two schedulers racing
queue each once; a report missed while the scheduler was down is queued late, once, marked late;
nothing from before the first sweep this database saw."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from domain.reports.schedule import due, next_moment, queue_due_reports
from models import OutboundMessage
from models.db import Database

SH = ZoneInfo("Asia/Shanghai")
LONG_AGO = datetime(2020, 1, 1, tzinfo=SH)
DEPARTMENT_CHANNELS = {"C0QUALITY", "C0PRODUCTION", "C0ENGINEERING", "C0PURCHASING", "C0SALES"}


def sh(*args):
    return datetime(*args, tzinfo=SH)


def keys(found):
    return sorted(d.key for d in found)


def test_the_weekly_digest_is_due_on_monday_at_nine_for_the_week_before(policy):
    assert due(policy, sh(2026, 11, 23, 8, 59), sh(2026, 11, 20)) == []
    found = due(policy, sh(2026, 11, 23, 9, 0), sh(2026, 11, 20))
    assert keys(found) == sorted(["report:2026-W47:C0MANAGERS"] + [f"report:2026-W47:dept:{d}" for d in policy.departments])
    assert {d.channel for d in found} == {"C0MANAGERS"} | DEPARTMENT_CHANNELS
    assert {d.department for d in found if d.channel in DEPARTMENT_CHANNELS} == set(policy.departments)


def test_the_monthly_report_on_the_first_and_the_annual_one_on_the_second_of_january(policy):
    # Tuesday 1 December 2026, 09:00: November's report to the managers' channel and the GM's DM
    assert keys(due(policy, sh(2026, 12, 1, 9, 0), sh(2026, 11, 30, 10, 0))) == ["report:2026-11:C0MANAGERS", "report:2026-11:U0GMHUANG"]
    found = due(policy, sh(2027, 1, 2, 9, 0), sh(2027, 1, 1, 12, 0))
    assert keys(found) == ["report:2026:C0MANAGERS", "report:2026:U0GMHUANG"]  # 1 Jan's December report: before `since`
    gm = next(d for d in found if d.user)
    assert gm.channel == "U0GMHUANG" and gm.language is None  # the GM's own Slack language decides


def test_the_shell_clock_stops_at_the_next_report_moment(policy):
    assert next_moment(policy, sh(2026, 11, 20, 10, 0)) == sh(2026, 11, 23, 9, 0)
    assert next_moment(policy, sh(2026, 11, 30, 9, 0)) == sh(2026, 12, 1, 9, 0)
    assert next_moment(policy, sh(2026, 12, 31, 9, 0)) == sh(2027, 1, 1, 9, 0)  # December's report
    assert next_moment(policy, sh(2027, 1, 1, 9, 0)) == sh(2027, 1, 2, 9, 0)  # 2026's analysis


def test_catch_up_reaches_back_only_so_far(policy):
    # the scheduler down for 70 days: the weekly digests of the last 62 days are still due, older ones not
    found = due(policy, sh(2026, 11, 23, 10, 0), LONG_AGO)
    weeks = sorted({d.period.key for d in found if d.period.kind == "week"})
    assert weeks[0] == "2026-W39" and weeks[-1] == "2026-W47"  # W38's digest (Monday 21 Sep) is 63 days back: too old
    assert sorted({d.period.key for d in found if d.period.kind == "month"}) == ["2026-09", "2026-10"]


def _rows(db):
    with db.session() as s:
        return list(s.exec(select(OutboundMessage).where(OutboundMessage.intent == "report").order_by(OutboundMessage.key)))


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_each_report_is_queued_once_and_a_missed_one_late_saying_so(db_url, policy):
    db = Database(db_url)
    with db.session() as s:  # the first sweep ever: Friday; it starts the reports' watermark
        assert queue_due_reports(s, policy, sh(2026, 11, 20, 10, 0)) == []
    with db.session() as s:  # the scheduler was down all Monday; Tuesday 10:00 it runs again
        late = queue_due_reports(s, policy, sh(2026, 11, 24, 10, 0))
    assert len(late) == 6
    with db.session() as s:  # a minute later, and once more: nothing new
        assert queue_due_reports(s, policy, sh(2026, 11, 24, 10, 1)) == []
    rows = _rows(db)
    assert len(rows) == 6 and all(r.data["late"] and r.data["period"] == "2026-W47" for r in rows)
    assert {r.data["due_at"] for r in rows} == {sh(2026, 11, 23, 9, 0).astimezone(ZoneInfo("UTC")).isoformat()}
    with db.session() as s:  # on time: the 1 December report is queued at its moment, not late
        on_time = queue_due_reports(s, policy, sh(2026, 12, 1, 9, 0, 30))
    assert keys(d for d in on_time if d.period.kind == "month") == ["report:2026-11:C0MANAGERS", "report:2026-11:U0GMHUANG"]
    late_flags = {r.data["period"]: r.data["late"] for r in _rows(db)}
    assert late_flags == {"2026-W47": True, "2026-W48": True, "2026-11": False}  # Monday 30 Nov was missed too
    db.dispose()


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_nothing_due_before_the_first_sweep_is_sent(db_url, policy):
    db = Database(db_url)
    with db.session() as s:  # installed on Wednesday: Monday's digest and November's report are history
        assert queue_due_reports(s, policy, sh(2026, 12, 2, 10, 0)) == []
    assert _rows(db) == []
    db.dispose()


def test_two_schedulers_racing_queue_each_report_once(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        queue_due_reports(s, policy, sh(2026, 11, 20, 10, 0))
    start, results = threading.Barrier(4), []

    def scheduler():
        start.wait()
        with db.session() as s:
            results.append(len(queue_due_reports(s, policy, sh(2026, 12, 1, 9, 0) + timedelta(seconds=1))))

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = _rows(db)
    # W47 and W48 (managers + 5 departments each), November's report twice: each queued once
    assert len(rows) == 6 + 6 + 2 and len({r.key for r in rows}) == len(rows)
    assert sum(results) == len(rows)
    db.dispose()


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_a_recipient_added_later_is_not_sent_the_reports_before_it(db_url, policy):
    from domain.policy import Recipient

    db = Database(db_url)
    with db.session() as s:
        queue_due_reports(s, policy, sh(2026, 11, 20, 10, 0))
    with db.session() as s:
        queue_due_reports(s, policy, sh(2026, 12, 1, 9, 0))  # W48 and November's report
    monthly = policy.reports.monthly.model_copy(update={"to": policy.reports.monthly.to + (Recipient(user="U0QMWANG"),)})
    wider = policy.model_copy(update={"reports": policy.reports.model_copy(update={"monthly": monthly})})
    with db.session() as s:  # the QM added the next morning: from January's report on, not November's
        assert queue_due_reports(s, wider, sh(2026, 12, 2, 9, 0)) == []
    with db.session() as s:
        january = queue_due_reports(s, wider, sh(2027, 1, 1, 9, 0))  # (December's weekly digests too)
        assert keys(d for d in january if d.period.kind == "month") == [
            "report:2026-12:C0MANAGERS", "report:2026-12:U0GMHUANG", "report:2026-12:U0QMWANG"]
    db.dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_first_sweep_at_the_very_moment_sends_that_report(db_url, policy):
    db = Database(db_url)
    with db.session() as s:  # installed and first swept at exactly Monday 09:00
        assert len(queue_due_reports(s, policy, sh(2026, 11, 23, 9, 0))) == 6
    with db.session() as s:
        assert queue_due_reports(s, policy, sh(2026, 11, 23, 9, 1)) == []
    db.dispose()
