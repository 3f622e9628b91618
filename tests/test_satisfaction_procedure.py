"""Satisfaction as the procedure counts it (seed 000, issue 16; docs/satisfaction.md): one event is
deducted once, a withdrawn complaint is not deducted, manual entries count once the quality manager
confirms them and once per customer, rule and day, an improvement action is a tracked task owned by
sales, and surveys are taken at the policy's moments. Expected figures are worked out by hand with
the default table (quality_complaint −5/−10, production_stop −10/−20, quiet_months +5, proactive
visit +3, customer award +5)."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot import action_ids as ids
from bot.views.satisfaction import score_blocks, survey_moment_text
from domain.clock import VirtualClock
from domain.customers import find_customer, seed_customers
from domain.satisfaction import MayNotRecord, SatisfactionRefused, record_survey, score
from domain.satisfaction.work import SatisfactionWork
from models import FeedbackItem, ItemLink, OutboundMessage, SatisfactionEntry, SatisfactionImprovement
from models.db import Database
from tests.test_flows import FLOOR, QUALITY, eph
from tests.test_satisfaction import BOTH, at, counts, customer

QM, SALES, SALES_MANAGER, PROD, ENG = "U0QMWANG", "U0SALESEMMA", "U0SALESLIU", "U0PRODZHAO", "U0ENGCHEN"


def complaint(s, customer_id, number, category, received, *, parts=(), line_stopped=False, status="received",
              repeat_of=None, same_event_as=None):
    row = FeedbackItem(source_key=f"t:{uuid.uuid4().hex}", source="slash", status=status, kind="complaint",
                       category=category, severity="A", department="quality", text="x", summary="x", reporter_id="U1",
                       customer_id=customer_id, line_stopped=line_stopped, part_numbers=list(parts), received_at=received,
                       filed_at=received, number=number, created_at=received, updated_at=received)
    s.add(row)
    s.flush()
    for other, kind in ((repeat_of, "repeat_of"), (same_event_as, "same_event")):
        if other is not None:
            s.add(ItemLink(item_id=row.id, other_id=other.id, kind=kind, at=received))
    return row


def complaint_lines(result):
    return [(e.rule, e.points, e.repeat, e.ref, e.also, e.on) for e in result.events if e.ref]


def with_satisfaction(policy, **changes):
    data = policy.model_dump(mode="json")
    data["satisfaction"].update(changes)
    return type(policy).model_validate(data)


# --- 1. the same event is never deducted twice ----------------------------------------------------

@BOTH
def test_two_reporters_of_one_line_stop_are_one_event_at_its_strictest_rule(db_url, policy):
    """Two salespeople report the same stop of Geely's line 40 minutes apart, both naming part
    P-100: the desk linked the second as a repeat of the first. The same customer and part within
    the desk's duplicate window (intake.duplicate_hours, 48 h) is one event: it costs the strictest
    rule of the two reports, production_stop −10 (the second says the line stopped), first time —
    not quality_complaint −5 plus a repeat's −20. The same part on 20 April, weeks later, is a
    repeat occurrence: quality_complaint's repeat −10. Two line-stop reports without a part, linked
    as the same event by a person, cost once as well."""
    db = Database(db_url)
    with db.session() as s:
        c = customer(s)
        first = complaint(s, c, 1, "quality", at(2026, 3, 10, 9, 0), parts=["P-100"])
        complaint(s, c, 2, "quality", at(2026, 3, 10, 9, 40), parts=["p-100 "], line_stopped=True, repeat_of=first)
        complaint(s, c, 3, "quality", at(2026, 4, 20), parts=["P-100"], repeat_of=first)
        stop = complaint(s, c, 4, "quality", at(2026, 7, 2, 8), line_stopped=True)
        complaint(s, c, 5, "quality", at(2026, 7, 6, 8), line_stopped=True, same_event_as=stop)  # days later, linked
        result = score(s, policy, c, 2026, at(2026, 9, 1))
    db.dispose()
    assert complaint_lines(result) == [
        ("production_stop", -10, False, "VOC-1", ("VOC-2",), date(2026, 3, 10)),
        ("quality_complaint", -10, True, "VOC-3", (), date(2026, 4, 20)),
        ("production_stop", -10, False, "VOC-4", ("VOC-5",), date(2026, 7, 2))]
    assert result.b == 100 + 5 + 5 - 10 - 10 - 10  # Jan–Feb and May–Jun quiet
    assert [(n.ref, n.why, n.of) for n in result.not_counted] == [("VOC-2", "same_event", "VOC-1"),
                                                                 ("VOC-5", "same_event", "VOC-4")]


@BOTH
def test_a_withdrawn_complaint_is_not_deducted_and_the_breakdown_says_so(db_url, policy):
    """Seed 000 deducts for complaints (投诉): one the reporter withdrew was not a complaint. It costs
    nothing, does not break a quiet block, and the breakdown names it as not counted."""
    db = Database(db_url)
    with db.session() as s:
        c = customer(s)
        complaint(s, c, 1, "quality", at(2026, 3, 10), line_stopped=True, status="withdrawn")
        result = score(s, policy, c, 2026, at(2026, 5, 1))
    db.dispose()
    assert complaint_lines(result) == []
    assert [(n.ref, n.why, n.of) for n in result.not_counted] == [("VOC-1", "withdrawn", None)]
    assert result.b == 100  # 100 + 5 + 5, kept at 100: Mar–Apr is still quiet
    assert [e.since for e in result.events if e.rule == "quiet_months"] == [date(2026, 1, 1), date(2026, 3, 1)]
    en = json.dumps(score_blocks(result, policy, "en"), ensure_ascii=False)
    zh = json.dumps(score_blocks(result, policy, "zh"), ensure_ascii=False)
    assert "VOC-1 — withdrawn: not a complaint, not deducted" in en
    assert "VOC-1 — 已撤回：不算抱怨，不扣分" in zh


# --- 3. manual entries: confirmed by the QM, once per customer, rule and day ---------------------

@BOTH
def test_a_visit_counts_once_the_quality_manager_confirms_it_and_once_a_day(db_url, policy):
    db = Database(db_url)
    now = at(2026, 9, 20)
    with db.session() as s:
        seed_customers(s, policy, now)
    work = SatisfactionWork(db, policy, VirtualClock(now))
    before = work.satisfaction("Geely", 2026)
    pending = work.add_entry("Geely", "proactive_visit", date(2026, 9, 15), "line audit", SALES, "req-1")
    assert (pending.state, pending.score.b) == ("pending", before.b)  # not counted yet
    with pytest.raises(SatisfactionRefused) as twice:  # a colleague records the same visit
        work.add_entry("吉利", "proactive_visit", date(2026, 9, 15), "", "U0SALESLI", "req-2")
    assert twice.value.code == "satisfaction.error.entry_exists"
    assert "already recorded" in twice.value.message("en") and "15 Sept 2026" in twice.value.message("en")
    assert work.add_entry("Geely", "proactive_visit", date(2026, 9, 15), "line audit", SALES, "req-1").state == "pending"  # a retry
    with db.session() as s:
        [request] = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "satisfaction_entry")).all()
        entry_id = s.exec(select(SatisfactionEntry.id)).one()
    assert (request.user, request.data["entry_id"], request.data["rule"], request.data["on"]) == (
        QM, entry_id, "proactive_visit", "2026-09-15")
    with pytest.raises(MayNotRecord):
        work.decide_entry(entry_id, True, SALES, "req-3")  # only the quality manager confirms
    confirmed = work.decide_entry(entry_id, True, QM, "req-4")
    assert confirmed.state == "confirmed" and confirmed.score.b == min(100, before.b + 3)
    assert [e.rule for e in confirmed.score.events].count("proactive_visit") == 1
    with pytest.raises(SatisfactionRefused) as again:
        work.decide_entry(entry_id, False, QM, "req-5")
    assert again.value.code == "satisfaction.error.entry_decided"
    award = work.add_entry("Geely", "customer_award", date(2026, 9, 15), "best supplier", SALES, "req-6")
    declined = work.decide_entry(award.entry_id, False, QM, "req-7")
    assert declined.state == "declined" and "customer_award" not in [e.rule for e in declined.score.events]
    own = work.add_entry("BYD", "proactive_visit", date(2026, 9, 16), "", QM, "req-8")  # the QM's own: confirmed
    assert own.state == "confirmed"
    with db.session() as s:
        told = [(m.intent, m.user, m.data.get("state")) for m in s.exec(
            select(OutboundMessage).where(OutboundMessage.intent == "satisfaction_entry_decided").order_by(OutboundMessage.id))]
    db.dispose()
    assert told == [("satisfaction_entry_decided", SALES, "confirmed"), ("satisfaction_entry_decided", SALES, "declined")]


def test_the_quality_manager_confirms_a_visit_from_a_dm_in_chinese(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "visit BYD 2026-11-02", command=ids.SURVEY_COMMAND)
    assert "waits for the quality manager" in eph(h, SALES, "waits for the quality manager").text
    dm = h.ws.dm_channel(QM)
    [request] = h.ws.wait_for(lambda: h.ws.channel_messages(dm))
    body = json.dumps(request.blocks, ensure_ascii=False)
    assert "比亚迪" in body and "主动走访" in body and "2026年11月2日" in body  # the QM reads Chinese
    h.slack.click(QM, request, ids.SATISFACTION_ENTRY_CONFIRM)
    h.ws.wait_for(lambda: "已确认" in json.dumps(h.ws.channel_messages(dm)[-1].blocks or [], ensure_ascii=False)
                  + h.ws.channel_messages(dm)[-1].text)
    h.slack.command(QM, QUALITY, "BYD 2026", command=ids.SATISFACTION_COMMAND)
    assert "• +3 主动走访 — 2026年11月2日" in json.dumps(eph(h, QM, "年客户满意度").blocks, ensure_ascii=False)
    h.join()


# --- 4. the improvement action is a tracked task owned by sales -----------------------------------

@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_the_improvement_action_is_a_task_owned_by_sales_with_each_department_s_answer(db_url, policy):
    db = Database(db_url)
    now = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
    clock = VirtualClock(now)
    with db.session() as s:
        seed_customers(s, policy, now)
        find_customer(s, "Geely").account_owner = SALES
    work = SatisfactionWork(db, policy, clock)
    low = {"delivery": counts(1, 1, 3, 0, 0)}  # 40 %
    work.record_survey("Geely", 2026, low, SALES, "req-survey")
    work.record_survey("BYD", 2026, low, SALES, "req-survey-byd")  # BYD has no account owner
    with db.session() as s:
        tasks = s.exec(select(SatisfactionImprovement).order_by(SatisfactionImprovement.id)).all()
        told = sorted((m.user, m.intent) for m in s.exec(select(OutboundMessage)).all())
    assert [(t.owner, t.state, t.due_on, t.below) for t in tasks] == [
        (SALES, "open", date(2026, 12, 15), ["delivery", "composite"]),  # 14 days: seed 000 "二个星期内"
        (SALES_MANAGER, "open", date(2026, 12, 15), ["delivery", "composite"])]  # the sales manager
    assert (SALES, "satisfaction_task") in told and (SALES_MANAGER, "satisfaction_task") in told
    geely = tasks[0].id
    work.record_survey("Geely", 2026, {"delivery": counts(1, 1, 4, 0, 0)}, SALES, "req-survey-2")  # still below
    with db.session() as s:
        assert len(s.exec(select(SatisfactionImprovement)).all()) == 2  # the open task is kept, not doubled
    work.answer_task(geely, "Re-plan the milk run; weekly delivery review", PROD, "req-a1")
    with pytest.raises(SatisfactionRefused) as early:
        work.close_task(geely, SALES, "req-c1")
    assert early.value.code == "satisfaction.error.answers_missing"
    assert "Quality" in early.value.message("en") and "Production" not in early.value.message("en")
    with pytest.raises(MayNotRecord):
        work.answer_task(geely, "nothing", "U0NOBODY", "req-a2")
    clock.set(datetime(2026, 12, 15, 2, 0, tzinfo=timezone.utc))
    work.check_all(clock.now())  # due today: the owner is reminded
    work.check_all(clock.now() + timedelta(hours=3))  # the same day: no second reminder
    with db.session() as s:
        reminders = [(m.user, m.data["task_id"]) for m in s.exec(
            select(OutboundMessage).where(OutboundMessage.intent == "satisfaction_task_reminder").order_by(OutboundMessage.id))]
    assert reminders == [(SALES, geely), (SALES_MANAGER, tasks[1].id)]
    for who, dept in ((QM, "quality"), (ENG, "engineering"), ("U0PURSUN", "purchasing"), (SALES, "sales")):
        work.answer_task(geely, f"{dept}: our countermeasure", who, f"req-{dept}")
    shown = work.satisfaction("Geely", 2026)
    [task] = shown.tasks
    assert [(a.department, a.by) for a in task.answers] == [
        ("quality", QM), ("production", PROD), ("engineering", ENG), ("purchasing", "U0PURSUN"), ("sales", SALES)]
    assert (task.state, task.owner, task.missing) == ("open", SALES, ())
    closed = work.close_task(geely, SALES, "req-c2")
    assert closed.state == "closed"
    en = json.dumps(score_blocks(work.satisfaction("Geely", 2026), policy, "en"), ensure_ascii=False)
    assert "Improvement action #1" in en and "closed" in en and "Production" in en
    db.dispose()


# --- 5. survey moments per policy ------------------------------------------------------------------

@BOTH
def test_a_mid_year_survey_is_taken_only_when_the_policy_has_that_moment(db_url, policy):
    db = Database(db_url)
    now = at(2026, 12, 20)
    with db.session() as s:
        c = customer(s)
        with pytest.raises(SatisfactionRefused) as refused:
            record_survey(s, policy, c, 2026, {"delivery": counts(1, 0, 1, 0, 0)}, SALES, now, moment="mid_year")
        assert refused.value.code == "satisfaction.error.moment"
        twice = with_satisfaction(policy, survey_moments=["mid_year", "year_end"])
        complaint(s, c, 1, "quality", at(2026, 8, 10))  # H2: not in the mid-year score
        record_survey(s, twice, c, 2026, {"delivery": counts(1, 0, 1, 0, 0)}, SALES, at(2026, 6, 20), moment="mid_year")
        mid_only = score(s, twice, c, 2026, at(2026, 7, 5))
        record_survey(s, twice, c, 2026, {"delivery": counts(9, 0, 1, 0, 0)}, SALES, now, moment="year_end")
        year = score(s, twice, c, 2026, now)
        mid = score(s, twice, c, 2026, now, moment="mid_year")
    db.dispose()
    assert (mid_only.moment, mid_only.a) == ("mid_year", 50)  # the only survey of the year so far
    assert (year.moment, year.a) == ("year_end", 90)
    assert (mid.moment, mid.a, [e.ref for e in mid.events if e.ref]) == ("mid_year", 50, [])
    assert mid.b == 100  # Jan–Jun: three quiet blocks, kept at 100; VOC-1 is August's
    assert [e.ref for e in year.events if e.ref] == ["VOC-1"]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_sales_is_reminded_to_run_the_survey_at_each_moment(db_url, policy):
    db = Database(db_url)
    twice = with_satisfaction(policy, survey_moments=["mid_year", "year_end"])
    with db.session() as s:
        seed_customers(s, policy, datetime(2026, 1, 1, tzinfo=timezone.utc))
        find_customer(s, "Geely").account_owner = SALES
    work = SatisfactionWork(db, twice, VirtualClock(datetime(2026, 5, 31, 2, tzinfo=timezone.utc)))
    work.check_all(datetime(2026, 5, 31, 2, tzinfo=timezone.utc))  # not yet
    work.record_survey("BYD", 2026, {"delivery": counts(4, 1, 0, 0, 0)}, SALES, "req:byd-mid", moment="mid_year")  # in early
    work.check_all(datetime(2026, 6, 1, 2, tzinfo=timezone.utc))
    work.check_all(datetime(2026, 6, 2, 2, tzinfo=timezone.utc))  # once per moment
    SatisfactionWork(db, policy, VirtualClock(datetime(2026, 6, 3, 2, tzinfo=timezone.utc))).check_all(
        datetime(2026, 6, 3, 2, tzinfo=timezone.utc))  # the default policy has no mid-year moment
    with db.session() as s:
        rows = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "survey_moment")).all()
    db.dispose()
    sent = sorted((r.user, r.data["moment"], r.data["year"], [c["name"] for c in r.data["customers"]]) for r in rows)
    assert sent == [(SALES, "mid_year", 2026, ["Geely Auto"]),  # one DM per owner, naming their customers
                    (SALES_MANAGER, "mid_year", 2026, ["SAIC Volkswagen", "Great Wall Motor"])]  # BYD's is in
    en = survey_moment_text(rows[0].data | {"customers": [{"name": "BYD", "names": {"zh": "比亚迪"}}]}, "en")
    assert en == (":memo: Time for the mid-year satisfaction survey (2026) of your customers: BYD. Send them the survey "
                  "form, then record the answers with `/survey record <customer> 2026 mid`.")
