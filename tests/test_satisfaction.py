"""Customer satisfaction (domain/satisfaction/, docs/satisfaction.md) on histories written row by row
here, on PostgreSQL and SQLite. Every expected figure is worked out by hand in the test, with the
default policy's table: late_delivery −5/−10, late_delivery_line_stop −10/−20, quality_complaint
−5/−10, production_stop −10/−20, late_handling −5/−10, quiet_months +5 per two months,
proactive_visit +3, customer_award +5; A × 0.4 + B × 0.6; threshold 80 %.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.views.satisfaction import SURVEY_MODAL, improvement_text, read_survey, score_blocks, score_text, survey_modal
from domain.clock import VirtualClock
from domain.customers import seed_customers
from domain.satisfaction import (MayNotRecord, SatisfactionRefused, UnknownCustomer, add_entry, enqueue_improvement,
                                 improvement_due, record_survey, score)
from domain.satisfaction.work import SatisfactionWork
from domain.text import normalize_name
from models import Customer, Deadline, Event, FeedbackItem, ItemLink, OutboundMessage, SatisfactionEntry
from models.db import Database

SH = ZoneInfo("Asia/Shanghai")
BOTH = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def customer(s, name="Geely Auto") -> int:
    row = Customer(name=name, name_key=normalize_name(name), verified=True, created_at=at(2025, 1, 1),
                   updated_at=at(2025, 1, 1))
    s.add(row)
    s.flush()
    return row.id


def item(s, customer_id, number, category, received, *, kind="complaint", status="received", line_stopped=False,
         repeat_of=None):
    row = FeedbackItem(source_key=f"t:{uuid.uuid4().hex}", source="slash", status=status, kind=kind, category=category,
                       severity="A", department="quality", text="x", summary="x", reporter_id="U1",
                       customer_id=customer_id, line_stopped=line_stopped, received_at=received,
                       filed_at=received if number else None, number=number, created_at=received, updated_at=received)
    s.add(row)
    s.flush()
    if repeat_of is not None:
        s.add(ItemLink(item_id=row.id, other_id=repeat_of.id, kind="repeat_of", at=received))
    return row


def deadline(s, row, milestone, due, met=None, state=None):
    s.add(Deadline(item_id=row.id, milestone=milestone, due_at=due, met_at=met, state=state or ("met" if met else "open")))


def entry(s, customer_id, rule, on, key=None):
    s.add(SatisfactionEntry(customer_id=customer_id, rule=rule, on=on, note="", recorded_by="U0SALESLI",
                            recorded_at=at(on.year, on.month, on.day), source_key=key or uuid.uuid4().hex,
                            state="confirmed", decided_by="U0QMWANG"))


def lines(result):
    return [(e.rule, e.points, e.repeat, e.ref, e.on) for e in result.events]


def counts(vs, s, n, d, vd):
    return {"very_satisfied": vs, "satisfied": s, "neutral": n, "dissatisfied": d, "very_dissatisfied": vd}


# docs/satisfaction.md, "A worked example": Geely Auto's 2026, looked at on 15 Jan 2027.
EXAMPLE_SURVEY = {"service": counts(4, 5, 1, 0, 0),  # 9 of 10 satisfied: 90 %
                  "complaint_handling": counts(2, 5, 2, 1, 0),  # 7 of 10: 70 %
                  "quality": counts(5, 3, 2, 0, 0),  # 8 of 10: 80 %
                  "delivery": counts(2, 4, 4, 1, 1)}  # 6 of 12: 50 %
EXAMPLE_NOW = at(2027, 1, 15)


def worked_example(db_url, policy) -> tuple[Database, int]:
    db = Database(db_url)
    with db.session() as s:
        geely = customer(s)
        voc2 = item(s, geely, 2, "delivery", at(2025, 11, 20))  # last year: counts only as what VOC-7 repeats
        voc3 = item(s, geely, 3, "quality", at(2026, 3, 10))
        deadline(s, voc3, "first_contact", at(2026, 3, 10, 12), met=at(2026, 3, 10, 11))
        item(s, geely, 7, "delivery", at(2026, 5, 20), line_stopped=True, repeat_of=voc2)
        voc9 = item(s, geely, 9, "service", at(2026, 8, 3))
        deadline(s, voc9, "first_contact", at(2026, 8, 3, 14), met=at(2026, 8, 3, 13))
        deadline(s, voc9, "internal_closure", at(2026, 8, 10), met=at(2026, 8, 14))  # four days late
        entry(s, geely, "proactive_visit", date(2026, 9, 15))
        record_survey(s, policy, geely, 2026, EXAMPLE_SURVEY, "U0SALESLI", EXAMPLE_NOW)
    return db, geely


@BOTH
def test_the_worked_example_of_the_docs(db_url, policy):
    db, geely = worked_example(db_url, policy)
    with db.session() as s:
        result = score(s, policy, geely, 2026, EXAMPLE_NOW)
    db.dispose()
    assert [(r.item, r.answers, r.satisfied, r.rate) for r in result.items] == [
        ("service", 10, 9, 0.9), ("complaint_handling", 10, 7, 0.7), ("quality", 10, 8, 0.8), ("delivery", 12, 6, 0.5)]
    assert result.a == 72.5  # (90 + 70 + 80 + 50) / 4
    assert lines(result) == [
        ("quiet_months", 5, False, None, date(2026, 2, 28)),  # Jan–Feb: VOC-2 was last November
        ("quality_complaint", -5, False, "VOC-3", date(2026, 3, 10)),
        ("late_delivery_line_stop", -20, True, "VOC-7", date(2026, 5, 20)),  # not late_delivery's −10 as well
        ("late_handling", -5, False, "VOC-9", date(2026, 8, 3)),  # a service complaint: no category rule
        ("proactive_visit", 3, False, None, date(2026, 9, 15)),
        ("quiet_months", 5, False, None, date(2026, 10, 31)),
        ("quiet_months", 5, False, None, date(2026, 12, 31))]
    assert result.b == 88  # 100 − 5 − 20 − 5 + 3 + 3 × 5
    assert result.composite == 81.8  # 72.5 × 0.4 + 88 × 0.6 = 29 + 52.8
    assert result.below == ("complaint_handling", "delivery")  # 80 % is not under 80 %; nor is 81.8
    assert improvement_due(result, policy) == ["complaint_handling", "delivery"]


@BOTH
def test_one_line_per_complaint_by_its_strictest_rule(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        c = customer(s)
        item(s, c, 1, "delivery", at(2026, 1, 5), line_stopped=True)  # late_delivery −5 and line stop −10: −10
        item(s, c, 2, "quality", at(2026, 1, 6), line_stopped=True)  # quality_complaint −5, production_stop −10
        late = item(s, c, 3, "quality", at(2026, 1, 7))  # quality_complaint −5 = late_handling −5: the first
        deadline(s, late, "internal_closure", at(2026, 1, 8), met=at(2026, 1, 9))
        item(s, c, 4, "commercial", at(2026, 1, 8))  # no rule charges it
        result = score(s, policy, c, 2026, at(2026, 1, 20))
    db.dispose()
    assert [(e.ref, e.rule, e.points) for e in result.events] == [
        ("VOC-1", "late_delivery_line_stop", -10), ("VOC-2", "production_stop", -10),
        ("VOC-3", "quality_complaint", -5)]
    assert result.b == 75  # 100 − 10 − 10 − 5
    assert result.a is None and result.composite is None and result.below == ()  # no survey: nothing invented


@BOTH
def test_a_repeat_costs_its_repeat_points_or_its_points_when_the_rule_has_none(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        c = customer(s)
        first = item(s, c, 1, "quality", at(2026, 2, 1))
        item(s, c, 2, "quality", at(2026, 2, 20), repeat_of=first)
        result = score(s, policy, c, 2026, at(2026, 3, 1))
        rules = tuple(r.model_copy(update={"repeat_points": None}) if r.id == "quality_complaint" else r
                      for r in policy.satisfaction.rules)
        lenient = policy.model_copy(update={"satisfaction": policy.satisfaction.model_copy(update={"rules": rules})})
        without_repeat_points = score(s, lenient, c, 2026, at(2026, 3, 1))
    db.dispose()
    assert [(e.ref, e.points, e.repeat) for e in result.events] == [("VOC-1", -5, False), ("VOC-2", -10, True)]
    assert result.b == 85
    assert [e.points for e in without_repeat_points.events] == [-5, -5] and without_repeat_points.b == 90


@BOTH
def test_late_handling_is_a_deadline_met_after_it_was_due_or_still_open_past_it(db_url, policy):
    db = Database(db_url)
    now = at(2026, 4, 1)
    with db.session() as s:
        c = customer(s)
        met_late = item(s, c, 1, "service", at(2026, 3, 2))
        deadline(s, met_late, "first_contact", at(2026, 3, 2, 12), met=at(2026, 3, 2, 12, 1))
        open_late = item(s, c, 2, "commercial", at(2026, 3, 3))
        deadline(s, open_late, "internal_closure", at(2026, 3, 31))  # open, due yesterday
        on_time = item(s, c, 3, "service", at(2026, 3, 4))
        deadline(s, on_time, "first_contact", at(2026, 3, 4, 12), met=at(2026, 3, 4, 12))  # met at the due minute
        not_due = item(s, c, 4, "service", at(2026, 3, 5))
        deadline(s, not_due, "internal_closure", at(2026, 4, 2))
        cancelled = item(s, c, 5, "service", at(2026, 3, 6))
        deadline(s, cancelled, "internal_closure", at(2026, 3, 7), state="cancelled")
        repeat_late = item(s, c, 6, "service", at(2026, 3, 9), repeat_of=met_late)
        deadline(s, repeat_late, "first_contact", at(2026, 3, 9, 12), met=at(2026, 3, 10))
        result = score(s, policy, c, 2026, now)
    db.dispose()
    assert [(e.ref, e.rule, e.points) for e in result.events if e.ref] == [
        ("VOC-1", "late_handling", -5), ("VOC-2", "late_handling", -5), ("VOC-6", "late_handling", -10)]
    assert [e.rule for e in result.events if not e.ref] == ["quiet_months"]  # Jan–Feb, over before 1 April
    assert result.b == 85  # 100 − 5 − 5 − 10 + 5


@BOTH
def test_quiet_months_count_only_blocks_over_by_now_in_company_time(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        c = customer(s)
        item(s, c, 1, "quality", at(2026, 1, 10))  # −5, Jan–Feb not quiet
        item(s, c, 2, "delivery", at(2026, 2, 10))  # −5
        before_end = score(s, policy, c, 2026, at(2026, 4, 30, 23, 30))  # Mar–Apr not over yet
        after_end = score(s, policy, c, 2026, at(2026, 5, 1, 0, 30))  # over at local midnight (still 30 Apr in UTC)
    db.dispose()
    assert before_end.b == 90 and [e.rule for e in before_end.events].count("quiet_months") == 0
    assert after_end.b == 95  # 100 − 5 − 5 + 5
    quiet = [e for e in after_end.events if e.rule == "quiet_months"]
    assert [(e.since, e.on) for e in quiet] == [(date(2026, 3, 1), date(2026, 4, 30))]


@BOTH
def test_manual_entries_count_their_points_and_unknown_rules_are_left_out(db_url, policy):
    db = Database(db_url)
    now = at(2026, 1, 31)  # no two-month block over yet
    with db.session() as s:
        c = customer(s)
        entry(s, c, "proactive_visit", date(2026, 1, 12))
        entry(s, c, "customer_award", date(2026, 1, 20))
        entry(s, c, "golf_day", date(2026, 1, 21))  # a rule no longer in the policy
        entry(s, c, "proactive_visit", date(2025, 12, 31))  # last year
        item(s, c, 1, "quality", at(2026, 1, 5))
        item(s, c, 2, "quality", at(2026, 1, 6))
        result = score(s, policy, c, 2026, now)
        assert add_entry(s, policy, c, "proactive_visit", date(2026, 1, 30), "plant tour", "U0QMWANG", "req-1", now,
                         confirmed=True)[1]
        assert not add_entry(s, policy, c, "proactive_visit", date(2026, 1, 30), "plant tour", "U0QMWANG", "req-1", now,
                             confirmed=True)[1]  # the same request again: nothing more
        after = score(s, policy, c, 2026, now)
        with pytest.raises(SatisfactionRefused) as not_manual:
            add_entry(s, policy, c, "quality_complaint", date(2026, 1, 30), "", "U0SALESLI", "req-2", now)
        with pytest.raises(SatisfactionRefused) as future:
            add_entry(s, policy, c, "customer_award", date(2026, 2, 1), "", "U0SALESLI", "req-3", now)
    db.dispose()
    assert [(e.rule, e.points) for e in result.events] == [
        ("quality_complaint", -5), ("quality_complaint", -5), ("proactive_visit", 3), ("customer_award", 5)]
    assert result.b == 98  # 100 − 5 − 5 + 3 + 5
    assert after.b == 100 and after.events[-1].note == "plant tour"  # + 3 once: 101, kept at 100
    assert not_manual.value.code == "satisfaction.error.not_manual"
    assert "proactive_visit, customer_award" in not_manual.value.message("en")
    assert future.value.code == "satisfaction.error.future_day"


@BOTH
def test_b_is_kept_within_0_and_100(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        bad, good = customer(s, "BYD"), customer(s, "SAIC Volkswagen")
        for number in range(1, 12):  # eleven line stops in January: 11 × −10 = −110
            item(s, bad, number, "delivery", at(2026, 1, number), line_stopped=True)
        entry(s, good, "customer_award", date(2026, 6, 1))
        low = score(s, policy, bad, 2026, at(2026, 1, 31))
        high = score(s, policy, good, 2026, at(2027, 1, 15))  # six quiet blocks (+30) and an award (+5): 135
    db.dispose()
    assert sum(e.points for e in low.events) == -110 and low.b == 0
    assert sum(e.points for e in high.events) == 35 and high.b == 100


@BOTH
def test_an_item_rate_is_the_satisfied_share_of_its_answers(db_url, policy):
    db = Database(db_url)
    now = at(2026, 12, 1)
    with db.session() as s:
        c = customer(s)
        record_survey(s, policy, c, 2026, {"service": counts(2, 3, 4, 1, 2), "quality": counts(0, 0, 0, 0, 3)},
                      "U0QMWANG", now)
        result = score(s, policy, c, 2026, now)
        # recording the year again replaces the answers
        record_survey(s, policy, c, 2026, {"quality": {"satisfied": 4}}, "U0QMWANG", now)
        again = score(s, policy, c, 2026, now)
        refused = {}
        for name, answers in {"unknown_item": {"price": counts(1, 0, 0, 0, 0)},
                              "unknown_level": {"quality": {"happy": 1}},
                              "negative": {"quality": {"satisfied": -1}}, "fraction": {"quality": {"satisfied": 1.5}},
                              "boolean": {"quality": {"satisfied": True}}, "empty": {"quality": counts(0, 0, 0, 0, 0)},
                              "nothing": {}}.items():
            with pytest.raises(SatisfactionRefused) as e:
                record_survey(s, policy, c, 2026, answers, "U0QMWANG", now)
            refused[name] = e.value.code
        with pytest.raises(SatisfactionRefused) as next_year:
            record_survey(s, policy, c, 2027, {"quality": {"satisfied": 4}}, "U0QMWANG", now)
    db.dispose()
    rates = {r.item: (r.answers, r.satisfied, r.rate) for r in result.items}
    assert rates == {"service": (12, 5, 5 / 12), "quality": (3, 0, 0.0), "complaint_handling": (0, 0, None),
                     "delivery": (0, 0, None)}
    assert result.a == 20.83  # (5/12 + 0) / 2 × 100 = 20.833…: items without answers are not in the mean
    assert result.below == ("service", "quality", "composite")  # 20.83 × 0.4 + 100 × 0.6 = 68.33
    assert result.composite == 68.33
    assert [(r.item, r.rate) for r in again.items if r.rate is not None] == [("quality", 1.0)] and again.a == 100
    assert refused == {"unknown_item": "satisfaction.error.unknown_item", "unknown_level": "satisfaction.error.unknown_level",
                       "negative": "satisfaction.error.bad_count", "fraction": "satisfaction.error.bad_count",
                       "boolean": "satisfaction.error.bad_count", "empty": "satisfaction.error.no_answers",
                       "nothing": "satisfaction.error.no_answers"}
    assert next_year.value.code == "satisfaction.error.bad_year"


@BOTH
def test_the_improvement_action_is_queued_once_per_set_of_figures(db_url, policy):
    db, geely = worked_example(db_url, policy)
    qms = ["U0QMWANG", "U0QZHOU"]
    with db.session() as s:
        first = enqueue_improvement(s, policy, score(s, policy, geely, 2026, EXAMPLE_NOW), EXAMPLE_NOW, qms)
        record_survey(s, policy, geely, 2026, EXAMPLE_SURVEY, "U0SALESLI", EXAMPLE_NOW)  # the same survey again
        same = enqueue_improvement(s, policy, score(s, policy, geely, 2026, EXAMPLE_NOW), EXAMPLE_NOW, qms)
        changed_survey = {**EXAMPLE_SURVEY, "delivery": counts(3, 4, 4, 1, 0)}  # 7 of 12: 58.3 %, still below
        record_survey(s, policy, geely, 2026, changed_survey, "U0SALESLI", EXAMPLE_NOW)
        changed = enqueue_improvement(s, policy, score(s, policy, geely, 2026, EXAMPLE_NOW), EXAMPLE_NOW, qms)
        fine_survey = {item: counts(5, 5, 0, 0, 0) for item in EXAMPLE_SURVEY}  # every item 100 %
        record_survey(s, policy, geely, 2026, fine_survey, "U0SALESLI", EXAMPLE_NOW)
        fine = enqueue_improvement(s, policy, score(s, policy, geely, 2026, EXAMPLE_NOW), EXAMPLE_NOW, qms)
        rows = list(s.exec(select(OutboundMessage).where(OutboundMessage.intent == "improvement_action")
                           .order_by(OutboundMessage.id)).all())  # the task for sales: tests/test_satisfaction_procedure.py
    db.dispose()
    assert (len(first), same, len(changed), fine) == (2, [], 2, [])
    assert [(r.intent, r.channel, r.user) for r in rows] == [("improvement_action", qm, qm) for qm in qms * 2]
    assert all(r.key.startswith(f"satisfaction-improvement:{geely}:2026:") and r.key.endswith(r.user) for r in rows)
    data = rows[0].data
    assert (data["customer"], data["year"], data["a"], data["b"], data["composite"], data["below"]) == (
        "Geely Auto", 2026, 72.5, 88, 81.8, ["complaint_handling", "delivery"])
    # the changed survey: A = (90 + 70 + 80 + 58.33) / 4 = 74.58; composite 74.58 × 0.4 + 88 × 0.6 = 82.63
    assert (rows[2].data["a"], rows[2].data["composite"]) == (74.58, 82.63)
    assert improvement_text(data, "en") == (
        ":warning: Customer satisfaction of Geely Auto for 2026 is below 80%: Complaint handling 70%, Delivery 50%. "
        "Please start an improvement action. Composite 81.8 (A 72.5, B 88).")


@BOTH
def test_withdrawn_drafts_and_other_kinds_are_not_complaints_on_record(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        c = customer(s)
        item(s, c, 1, "quality", at(2026, 1, 10), status="withdrawn")
        item(s, c, None, "quality", at(2026, 1, 11), status="draft")
        item(s, c, 2, "quality", at(2026, 1, 12), kind="inquiry")
        item(s, c, 3, "delivery", at(2026, 1, 13), kind="suggestion")
        other = customer(s, "BYD")
        item(s, other, 4, "quality", at(2026, 1, 14))  # another customer's
        result = score(s, policy, c, 2026, at(2026, 3, 1))
    db.dispose()
    assert lines(result) == [("quiet_months", 5, False, None, date(2026, 2, 28))]  # Jan–Feb stays quiet
    assert result.b == 100


@BOTH
def test_the_year_is_the_company_s_year(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        c = customer(s)
        item(s, c, 1, "quality", at(2026, 12, 31, 23, 30))  # 15:30 UTC: 2026 either way
        item(s, c, 2, "quality", at(2027, 1, 1, 0, 30))  # 31 Dec 16:30 UTC, but 2027 in Shanghai
        old = score(s, policy, c, 2026, at(2027, 3, 1))
        new = score(s, policy, c, 2027, at(2027, 3, 1))
    db.dispose()
    assert [(e.ref, e.on) for e in old.events if e.ref] == [("VOC-1", date(2026, 12, 31))]
    assert [(e.ref, e.on) for e in new.events if e.ref] == [("VOC-2", date(2027, 1, 1))]
    quiet = [e.since for e in old.events if e.rule == "quiet_months"]
    assert quiet == [date(2026, m, 1) for m in (1, 3, 5, 7, 9)]  # Nov–Dec had VOC-1 (VOC-2 is not 2026's)
    assert old.b == 100  # 100 − 5 + 25 = 120, kept at 100
    assert new.b == 95  # Jan–Feb 2027 had VOC-2: no quiet block


@BOTH
def test_the_desk_records_for_known_customers_only_and_tells_the_quality_manager(db_url, policy):
    db = Database(db_url)
    now = EXAMPLE_NOW
    with db.session() as s:
        seed_customers(s, policy, now)
    work = SatisfactionWork(db, policy, VirtualClock(now))
    low = {"delivery": counts(1, 1, 3, 0, 0)}  # 2 of 5: 40 %
    result = work.record_survey("吉利", 2026, low, "U0SALESLI", "req-survey-1")
    again = work.record_survey("吉利", 2026, low, "U0SALESLI", "req-survey-1")  # Slack's retry
    with pytest.raises(UnknownCustomer) as unknown:
        work.record_survey("Tesla", 2026, low, "U0SALESLI", "req-survey-2")
    with pytest.raises(MayNotRecord):
        work.record_survey("Geely", 2026, low, "U0PRODZHAO", "req-survey-3")
    visit = work.add_entry("Geely Auto", "proactive_visit", date(2026, 9, 15), "QM visit", "U0QMWANG", "req-visit-1")
    work.add_entry("Geely Auto", "proactive_visit", date(2026, 9, 15), "QM visit", "U0QMWANG", "req-visit-1")
    read = work.satisfaction("Geely", 2026)
    with db.session() as s:
        events = [e.action for e in s.exec(select(Event).order_by(Event.id)).all()]
        told = [(m.intent, m.user) for m in s.exec(select(OutboundMessage).order_by(OutboundMessage.id)).all()]
    db.dispose()
    # no complaints: six quiet blocks, +30 → 100; A = 40; composite 40 × 0.4 + 100 × 0.6 = 76
    assert (result.customer, result.a, result.b, result.composite, result.below) == (
        "Geely Auto", 40, 100, 76, ("delivery", "composite"))
    assert again == result and visit.score.b == 100 and read.composite == 76 and visit.state == "confirmed"  # the QM's own
    assert [e.rule for e in read.events].count("proactive_visit") == 1
    assert events == ["satisfaction.survey", "satisfaction.entry"]
    assert told == [("improvement_action", "U0QMWANG"), ("satisfaction_task", "U0SALESLIU")]  # Geely has no account owner
    assert "Tesla" in unknown.value.message("en")


@BOTH
def test_the_score_drawn_for_slack_and_the_survey_form(db_url, policy):
    db, geely = worked_example(db_url, policy)
    with db.session() as s:
        result = score(s, policy, geely, 2026, EXAMPLE_NOW)
    db.dispose()
    en = "\n".join(b["text"]["text"] for b in score_blocks(result, policy, "en") if b["type"] == "section")
    assert "*Composite satisfaction: 81.8* = A 72.5 × 40% + B 88 × 60%" in en
    assert "Delivery: 50% (6 of 12 satisfied) :warning: _below 80%_" in en
    assert "• −20 Late delivery stopping the customer's line — VOC-7 (a repeat), received 20 May 2026" in en
    assert "• +5 Two months without complaints — no complaint 1 Sept 2026 – 31 Oct 2026" in en  # en_GB, as fmt_when
    zh = score_blocks(result, policy, "zh")
    assert zh[0]["text"]["text"] == "客户满意度 — Geely Auto，2026 年"  # no Chinese name on record: as recorded
    assert "• −20 交付延迟造成客户停线 — VOC-7（重复发生），2026年5月20日 接收" in str(zh)
    assert score_text(result, policy, "en") == "Customer satisfaction of Geely Auto for 2026: 81.8"
    modal = survey_modal(policy, "zh", "Geely Auto", 2026)
    inputs = [b for b in modal["blocks"] if b["type"] == "input" and b["element"]["type"] == "number_input"]
    assert modal["callback_id"] == SURVEY_MODAL and len(inputs) == 1 + 4 * 5
    assert all(b["element"]["is_decimal_allowed"] is False for b in inputs)
    assert all(b["element"]["min_value"] == "0" for b in inputs[1:])
    state = {b["block_id"]: {b["block_id"]: {"type": "number_input", "value": None}} for b in modal["blocks"]
             if b["type"] == "input"}
    state["satisfaction_year"]["satisfaction_year"]["value"] = "2026"
    state["satisfaction_answer__delivery__satisfied"]["satisfaction_answer__delivery__satisfied"]["value"] = "4"
    submitted = {"state": {"values": state}, "private_metadata": modal["private_metadata"]}
    assert read_survey(policy, submitted) == ("Geely Auto", 2026, {"delivery": counts(0, 4, 0, 0, 0)})  # the customer checked before


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_daily_check_tells_the_qm_when_complaints_pushed_a_customer_under(db_url, policy):
    """A survey recorded on 1 April at 85 % on every item: A = 85, B = 100, composite 94, nobody told.
    Then three line stops in May, June and July, each a repeat (of an item from 2025, then of each
    other): production_stop's repeat points, −20 each. On 3 December: B = 100 − 60 + 15 (quiet
    blocks Jan–Feb, Mar–Apr, Sep–Oct) = 55, composite 0.4 × 85 + 0.6 × 55 = 67 < 80. The sweep's
    daily check queues the QM's DM, once that day."""
    from datetime import timezone

    from domain.customers import find_customer
    from domain.desk import Desk

    db = Database(db_url)
    clock = VirtualClock(datetime(2026, 4, 1, 2, 0, tzinfo=timezone.utc))
    desk = Desk(db, policy, clock)
    with db.session() as s:
        seed_customers(s, policy, clock.now())
    answers = {item: {"very_satisfied": 5, "satisfied": 12, "neutral": 2, "dissatisfied": 1, "very_dissatisfied": 0}
               for item in policy.satisfaction.items}
    desk.record_survey("BYD", 2026, answers, "U0SALESEMMA", "req:survey")
    with db.session() as s:
        byd = find_customer(s, "BYD")
        rows = []
        for n, received in enumerate((datetime(2025, 11, 10, 2, tzinfo=timezone.utc),) +
                                     tuple(datetime(2026, 5 + k, 10, 2, tzinfo=timezone.utc) for k in range(3))):
            row = FeedbackItem(source_key=f"t:{n}", source="slash", status="received", kind="complaint",
                               category="quality", severity="AA", department="quality", text="x", summary="x",
                               reporter_id="U1", line_stopped=True, customer_id=byd.id, received_at=received,
                               filed_at=received, number=100 + n, created_at=received, updated_at=received)
            s.add(row)
            s.flush()
            rows.append(row)
        for earlier, later in zip(rows, rows[1:]):
            s.add(ItemLink(item_id=later.id, other_id=earlier.id, kind="repeat_of", at=later.received_at))
    with db.session() as s:
        assert s.exec(select(OutboundMessage).where(OutboundMessage.intent == "improvement_action")).all() == []
    december = datetime(2026, 12, 3, 1, 0, tzinfo=timezone.utc)
    assert desk.check_all(december) == 1 and desk.check_all(december) == 0  # the day is claimed once
    with db.session() as s:
        told = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "improvement_action")).all()
    assert [(r.user, r.data["a"], r.data["b"], r.data["composite"]) for r in told] == [("U0QMWANG", 85.0, 55.0, 67.0)]
    db.dispose()


def test_a_typed_customer_name_is_text_in_the_score_and_its_breakdown(policy):
    """Customers can be created from what a salesperson typed: a name like "<!here> & Co" must not
    become a broadcast in the notification text, nor anywhere in the blocks; a long breakdown is cut
    into sections under Slack's limit without cutting a line."""
    from domain.satisfaction.performance import ScoreEvent
    from domain.satisfaction.score import Score

    events = [ScoreEvent(rule="quality_complaint", points=-5.0, on=date(2026, 3, 1), repeat=False, ref=f"VOC-{n}",
                         since=None, note="") for n in range(400)]
    score = Score(customer_id=1, customer="<!here> & Co", year=2026, items=[], a=None, b=0.0, composite=None,
                  events=events, below=[], customer_names={})
    text = score_text(score, policy, "en")
    assert "<!here>" not in text and "&lt;!here&gt; &amp; Co" in text
    blocks = score_blocks(score, policy, "en")
    assert blocks[0]["text"]["type"] == "plain_text"  # the header: Slack shows plain text as it is
    assert "<!here>" not in str(blocks[1:])
    bodies = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(body) < 3000 for body in bodies) and sum(body.count("VOC-") for body in bodies) == 400


def test_the_survey_form_is_checked_field_by_field_in_the_ack(policy):
    """Pure, before the ack: a missing year is asked for (never "None is not a survey year"), a count
    that is not a whole number is named under its own field, and a form with no answer at all is refused;
    Slack keeps every value typed."""
    from bot.views.satisfaction import survey_errors

    modal = survey_modal(policy, "en", "BYD", 2025, last_year=2026)

    def submitted(**typed) -> dict:
        state = {b["block_id"]: {b["block_id"]: {"type": "number_input", "value": typed.get(b["block_id"])}}
                 for b in modal["blocks"] if b["type"] == "input"}
        return {"state": {"values": state}, "private_metadata": modal["private_metadata"]}

    quality = "satisfaction_answer__quality__satisfied"
    assert survey_errors(policy, submitted(satisfaction_year=None, **{quality: "4"}), 2026, "en") == {
        "satisfaction_year": "Give the survey's year, from 2000 to 2026."}
    assert survey_errors(policy, submitted(satisfaction_year="2031", **{quality: "²"}), 2026, "zh") == {
        "satisfaction_year": "2031 不是有效的调查年度，请填写 2000 至 2026 之间的年份。",
        quality: "品质 满意：请填写 0 或以上的整数份数。"}
    first = "satisfaction_answer__" + next(iter(policy.satisfaction.items)) + "__very_satisfied"
    assert survey_errors(policy, submitted(satisfaction_year="2025"), 2026, "en") == {
        first: "The survey has no answers: give at least one."}
    assert survey_errors(policy, submitted(satisfaction_year="2025", **{quality: "4"}), 2026, "en") == {}


@BOTH
def test_quiet_months_count_only_from_the_first_month_the_company_recorded(db_url, policy):
    """A fresh installation on 15 March 2026 (the policy's customers seeded then) has no record of
    January or February: no "two months without complaints" for them. March–April is the first block
    it watched (the first month counts whole); May–June had VOC-1; July–August was quiet."""
    db = Database(db_url)
    with db.session() as s:
        seed_customers(s, policy, at(2026, 3, 15))
        geely = s.exec(select(Customer).where(Customer.name == "Geely Auto")).one().id
        item(s, geely, 1, "quality", at(2026, 5, 20))
        fresh = score(s, policy, geely, 2026, at(2026, 9, 1))
        item(s, geely, 2, "quality", at(2025, 6, 1))  # a history imported later: the records now begin in 2025
        imported = score(s, policy, geely, 2026, at(2026, 9, 1))
    db.dispose()
    assert [(e.since, e.on) for e in fresh.events if e.rule == "quiet_months"] == [
        (date(2026, 3, 1), date(2026, 4, 30)), (date(2026, 7, 1), date(2026, 8, 31))]
    assert sum(e.points for e in fresh.events) == -5 + 5 + 5
    assert [e.since for e in imported.events if e.rule == "quiet_months"] == [date(2026, m, 1) for m in (1, 3, 7)]
