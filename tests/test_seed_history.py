"""A generated year (domain/reports/history.py, `voc seed`) and the report's numbers on it, every one
counted back here from the rows by plain Python, not by the report's SQL."""
from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from domain.lifecycle.view import as_utc
from domain.reports.history import seed_history
from domain.reports.numbers import period_numbers
from domain.reports.periods import parse
from models.satisfaction import SatisfactionSurvey
from models import Customer, Deadline, FeedbackItem, ItemLink, StatusChange
from models.db import Database

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=SH)


def counted_by_hand(s, period, now):
    """The report's definitions (docs/reports.md), applied row by row."""
    start, end = (datetime.combine(d, datetime.min.time(), SH) for d in (period.first, period.after))
    cut = min(end, now)
    items = [i for i in s.exec(select(FeedbackItem)).all() if i.number is not None and i.status != "withdrawn"]
    closings = {}  # item -> its closing moments
    for c in s.exec(select(StatusChange).where(StatusChange.to_status == "closed")).all():
        closings.setdefault(c.item_id, []).append(as_utc(c.at))
    in_period = {i: max(m for m in ms if start <= m < cut) for i, ms in closings.items() if any(start <= m < cut for m in ms)}
    new = [i for i in items if start <= as_utc(i.received_at) < cut]
    closed = [i for i in items if i.id in in_period]
    open_ = [i for i in items if as_utc(i.received_at) < cut
             and not (i.status == "closed" and any(m <= cut for m in closings.get(i.id, [])))]
    open_ids = {i.id for i in open_}
    filed_ids = {i.id for i in items}
    deadlines = [d for d in s.exec(select(Deadline)).all() if d.item_id in filed_ids and d.state != "cancelled"]
    overdue = {d.item_id for d in deadlines if d.item_id in open_ids and as_utc(d.due_at) < cut
               and (d.met_at is None or as_utc(d.met_at) > cut)}
    repeats = {link.item_id for link in s.exec(select(ItemLink)).all() if link.kind == "repeat_of"} & {i.id for i in new}
    due = [d for d in deadlines if start <= as_utc(d.due_at) < cut]
    on_time = {}
    for milestone in {d.milestone for d in due}:
        mine = [d for d in due if d.milestone == milestone]
        on_time[milestone] = round(sum(1 for d in mine if d.met_at and as_utc(d.met_at) <= as_utc(d.due_at)) / len(mine), 4)
    days = [(in_period[i.id] - as_utc(i.received_at)).total_seconds() / 86400 for i in closed]
    complaints = [i for i in new if i.kind == "complaint"]
    return {"total": len(new), "by_kind": Counter(i.kind for i in new), "by_severity": Counter(i.severity for i in complaints),
            "by_department": Counter(i.department for i in complaints), "by_category": Counter(i.category for i in complaints), "closed": len(closed), "open": len(open_),
            "overdue": len(overdue), "repeats": len(repeats), "on_time": on_time,
            "avg": round(statistics.mean(days), 2) if days else None, "max": round(max(days), 2) if days else None}


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_a_generated_year_and_its_report_agree_with_the_rows(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        done = seed_history(s, policy, NOW, months=12, per_month=60, seed=7)
    assert done.items == 720
    with db.session() as s:
        kinds = Counter(s.exec(select(FeedbackItem.kind)).all())
        severities = Counter(s.exec(select(FeedbackItem.severity)).all())
        departments = set(s.exec(select(FeedbackItem.department)).all())
        late = sum(1 for d in s.exec(select(Deadline)).all() if d.met_at and d.met_at > d.due_at)
        for key in ("2026-11", "2026-06"):
            period = parse("month", key)
            n = period_numbers(s, policy, period, NOW)
            want = counted_by_hand(s, period, NOW)
            assert n["new"]["total"] == want["total"] == 60
            assert {k: v for k, v in n["new"]["by_kind"].items() if v} == dict(want["by_kind"])
            assert {k: v for k, v in n["complaints"]["by_severity"].items() if v} == dict(want["by_severity"])
            assert {k: v for k, v in n["complaints"]["by_department"].items() if v} == dict(want["by_department"])
            assert {k: v for k, v in n["complaints"]["by_category"].items() if v} == dict(want["by_category"])
            assert (n["closed"], n["open"], n["overdue"], n["repeats"]) == \
                (want["closed"], want["open"], want["overdue"], want["repeats"])
            assert n["on_time"] == pytest.approx(want["on_time"])
            assert (n["cycle_days"]["avg"], n["cycle_days"]["max"]) == pytest.approx((want["avg"], want["max"]), abs=0.01)
        year = period_numbers(s, policy, parse("year", "2026"), NOW)
        assert year["new"]["total"] == counted_by_hand(s, parse("year", "2026"), NOW)["total"] == 660  # Jan–Nov
        # a yearly survey for every customer and year of the history (2025 and 2026), each item answered
        surveys = s.exec(select(SatisfactionSurvey)).all()
        customers = s.exec(select(func.count()).select_from(Customer)).one()
        assert Counter(v.year for v in surveys) == {2025: customers, 2026: customers}
        assert all(set(v.answers) == set(policy.satisfaction.items) and all(sum(a.values()) for a in v.answers.values())
                   for v in surveys)
    db.dispose()
    # every kind, severity and department appears; some milestones were late
    assert set(kinds) == {"complaint", "inquiry", "suggestion", "praise"} and set(severities) == {"AA", "A", "B"}
    assert departments >= {"quality", "production", "engineering", "sales"} and late > 0


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_seeded_database_keeps_numbering_and_filing(db_url, policy, clock):
    """After a seed the counter and the id sequence have moved on: the next filing is VOC-n+1."""
    from domain.desk import Desk
    from domain.intake import Submission

    db = Database(db_url)
    with db.session() as s:
        seed_history(s, policy, NOW, months=1, per_month=10, seed=1)
    desk = Desk(db, policy, clock)
    out = desk.submit(Submission(source="slash", key="k1", reporter_id="U1", text="their line stopped, connectors cracked",
                                 customer="Geely", locale="en"))
    assert desk.get(out.item_id).number == 11
    db.dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_one_seeded_customer_in_five_falls_under_the_satisfaction_mark(db_url, policy):
    """docs/reports.md: the history `voc shell --history 12` starts with (300 items a month) leaves
    3 of its 16 customers under 80 % (survey and complaints), not every customer."""
    from domain.satisfaction.score import score

    db = Database(db_url)
    with db.session() as s:
        seed_history(s, policy, NOW, months=12, per_month=300, seed=7)
    with db.session() as s:
        customers = s.exec(select(Customer.id)).all()
        below = [c for c in customers if score(s, policy, c, 2026, NOW).below]
    db.dispose()
    assert (len(below), len(customers)) == (3, 16)
