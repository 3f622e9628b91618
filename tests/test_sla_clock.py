"""The SLA clock without Slack: reminders and escalations at the right working moments across Chinese
public holidays, pause and resume, a severity change, snooze, grouping, and a tick that decides each
message once however often (or however concurrently) it runs.

Expected moments are worked out by hand (2025 National Day: Oct 1-8 off, Sun Sep 28 and Sat Oct 11
worked; a day of 08:30-12:00 + 13:00-17:30). Escalation ladder: the policy's default — at the deadline
the department manager, 4 h later the quality manager, 8 h later the general manager (AA only).
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from domain.clock import VirtualClock
from domain.desk import Desk
from domain.lifecycle.apply import ActionRefused, perform
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from domain.sla.tick import tick
from models import Deadline, Event, OutboundMessage
from models.db import Database
from tests.lifecycle_helpers import GROUPS, PROD, QE, QM, file_item, who

SH = ZoneInfo("Asia/Shanghai")
both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def working(policy) -> Policy:
    """B and AA complaints whose milestones are stated in working hours only (the default states most in days)."""
    data = policy.model_dump(mode="json")
    data["deadlines"]["complaint"]["B"] = [{"milestone": "first_contact", "hours": 8, "clock": "working"},
                                           {"milestone": "containment", "hours": 24, "clock": "working"}]
    data["deadlines"]["complaint"]["AA"] = [{"milestone": "first_contact", "hours": 2},
                                            {"milestone": "containment", "hours": 24, "clock": "working"}]
    return Policy.model_validate(data)


def run_scheduler(db, policy, until: datetime) -> list[tuple[str, datetime]]:
    """What a once-a-minute scheduler would send up to `until`: each tick at the next moment a clock asked for."""
    sent = []
    while True:
        with db.session() as s:
            moments = [as_utc(d.next_action_at) for d in s.exec(select(Deadline).where(Deadline.state == "open")).all()
                       if d.next_action_at is not None]
            upcoming = min((m for m in moments if m <= until), default=None)
            if upcoming is None:
                return sent
            before = {r.key for r in s.exec(select(OutboundMessage)).all()}
            tick(s, policy, upcoming, GROUPS)
            s.commit()
            sent += sorted((r.key, upcoming.astimezone(SH)) for r in s.exec(select(OutboundMessage)).all()
                           if r.key not in before and r.key.startswith("remind:"))


@both
def test_a_b_complaint_filed_friday_evening_before_national_day(db_url, working):
    db = Database(db_url)
    with db.session() as s:
        item = file_item(s, working, at(2025, 9, 26, 17, 0), severity="B")
        s.commit()
    sent = run_scheduler(db, working, at(2025, 10, 10, 0, 0))
    assert sent == [
        (f"remind:{item}:first_contact:0", at(2025, 9, 28, 15, 0)),   # 6 of 8 working hours: Fri 0.5 + Sun (make-up day) 5.5
        (f"remind:{item}:first_contact:1", at(2025, 9, 28, 17, 0)),   # due: the department manager
        (f"remind:{item}:first_contact:2", at(2025, 9, 29, 8, 30)),   # +4 h is Sun 21:00: waits for Monday morning
        (f"remind:{item}:containment:0", at(2025, 9, 30, 10, 0)),     # 18 of 24 working hours
        (f"remind:{item}:containment:1", at(2025, 9, 30, 17, 0)),     # due Tue 17:00
        (f"remind:{item}:containment:2", at(2025, 10, 9, 8, 30)),     # +4 h falls in the National Day week
    ]
    with db.session() as s:
        escalations = s.exec(select(Event).where(Event.action == "sla.escalated")).all()
        assert [(e.detail["milestone"], e.detail["level"], e.detail["notified"]) for e in escalations] == [
            ("first_contact", 1, [QM]), ("first_contact", 2, [QM]), ("containment", 1, [QM]), ("containment", 2, [QM])]
        dm = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "sla_digest")).all()
        assert [r.user for r in dm] == [QM] * 4  # Wang manages quality and is the quality manager: one DM a tick


@both
def test_escalations_that_piled_up_over_a_weekend_reach_every_level_in_one_tick(db_url, policy):
    """An inquiry filed Friday night is due Saturday night: the department manager's level and the
    quality manager's, four hours later, both wait for Monday 08:30. Both are reached then, each
    person told the role it reaches them as; the stale reminder alone is skipped."""
    db = Database(db_url)
    with db.session() as s:
        item = file_item(s, policy, at(2025, 9, 19, 20, 0), kind="inquiry", severity="B", department="production")
        s.commit()
    assert run_scheduler(db, policy, at(2025, 9, 23, 0, 0)) == [(f"remind:{item}:answer:2", at(2025, 9, 22, 8, 30))]
    with db.session() as s:
        escalations = s.exec(select(Event).where(Event.action == "sla.escalated")).all()
        assert [(e.detail["level"], e.detail["notified"]) for e in escalations] == [(1, [PROD]), (2, [QM])]
        dms = {r.user: r.data["entries"] for r in s.exec(select(OutboundMessage).where(OutboundMessage.intent == "sla_digest"))}
        assert {user: [e["roles"] for e in entries] for user, entries in dms.items()} == {
            PROD: [["department_manager"]], QM: [["quality_manager"]]}
        [thread] = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "escalation")).all()
        assert thread.data["reached"] == {PROD: ["department_manager"], QM: ["quality_manager"]}


@both
def test_a_b_complaint_filed_friday_evening_before_spring_festival_2026(db_url, working):
    db = Database(db_url)
    with db.session() as s:
        item = file_item(s, working, at(2026, 2, 13, 17, 0), severity="B")
        s.commit()
    assert run_scheduler(db, working, at(2026, 3, 1, 0, 0)) == [
        (f"remind:{item}:first_contact:0", at(2026, 2, 14, 15, 0)),   # Sat Feb 14 is a make-up working day
        (f"remind:{item}:first_contact:1", at(2026, 2, 14, 17, 0)),
        (f"remind:{item}:first_contact:2", at(2026, 2, 24, 8, 30)),   # Feb 15-23 off
        (f"remind:{item}:containment:0", at(2026, 2, 25, 10, 0)),
        (f"remind:{item}:containment:1", at(2026, 2, 25, 17, 0)),
        (f"remind:{item}:containment:2", at(2026, 2, 26, 8, 30)),
    ]


@both
def test_an_aa_escalation_does_not_wait_for_working_time_and_skips_a_late_reminder(db_url, working):
    db = Database(db_url)
    with db.session() as s:
        item = file_item(s, working, at(2025, 9, 26, 17, 0), severity="AA")
        s.commit()
    sent = [x for x in run_scheduler(db, working, at(2025, 9, 28, 0, 0)) if ":first_contact:" in x[0]]
    # 2 calendar hours: the reminder (18:30) would wait for Sunday morning, after the deadline: never sent.
    assert sent == [(f"remind:{item}:first_contact:1", at(2025, 9, 26, 19, 0)),
                    (f"remind:{item}:first_contact:2", at(2025, 9, 26, 23, 0)),
                    (f"remind:{item}:first_contact:3", at(2025, 9, 27, 3, 0))]  # the general manager, at 03:00


@both
def test_waiting_on_the_customer_pauses_and_resume_shifts_by_the_working_time_paused(db_url, working):
    db = Database(db_url)
    with db.session() as s:
        item = file_item(s, working, at(2025, 9, 22, 9, 0), severity="B")
        perform(s, item, "take_ownership", who(working, QE), working, at(2025, 9, 22, 9, 30))
        perform(s, item, "wait_on_customer", who(working, QE), working, at(2025, 9, 22, 10, 0), {"reason": "samples"})
        s.commit()
    assert run_scheduler(db, working, at(2025, 9, 24, 10, 0)) == []  # paused: nothing reminded meanwhile
    with db.session() as s:
        perform(s, item, "resume", who(working, QE), working, at(2025, 9, 24, 10, 0))
        containment = s.exec(select(Deadline).where(Deadline.milestone == "containment")).one()
        # 24 h from Mon 09:00 was due Thu 25 09:00; paused 16 working hours (Mon 10:00 to Wed 10:00):
        # Thu 7.5 + Fri 8 + Sun 28 (a make-up working day) 0.5
        assert as_utc(containment.due_at) == at(2025, 9, 28, 9, 0) and containment.state == "open"
        assert containment.paused_seconds == 16 * 3600


@both
def test_a_severity_change_recomputes_open_clocks_from_receipt_and_keeps_met_ones(db_url, policy):
    db = Database(db_url)
    received = at(2026, 11, 20, 9, 30)
    with db.session() as s:
        item = file_item(s, policy, received, severity="B")
        perform(s, item, "record_first_contact", who(policy, QE), policy, received + timedelta(hours=1),
                {"contacted_by": QE, "contacted_at": (received + timedelta(hours=1)).isoformat(), "how": "call"})
        perform(s, item, "change_severity", who(policy, QM), policy, received + timedelta(hours=2),
                {"severity": "AA", "reason": "line stopped after all"})
        rows = {d.milestone: d for d in s.exec(select(Deadline).where(Deadline.item_id == item)).all()}
        assert rows["first_contact"].state == "met"  # met stays met
        assert as_utc(rows["containment"].due_at) == received + timedelta(hours=24)  # AA's 1 calendar day, from receipt
        assert as_utc(rows["customer_reply"].due_at) == received + timedelta(hours=24)  # AA's 24 h (B had 3 working days)
        assert as_utc(rows["customer_closure"].due_at) == received + timedelta(days=7)  # 7 calendar days
        assert "report_8d" not in rows  # nobody asked for an 8D
        assert rows["containment"].policy_version == policy.clock_version()


@both
def test_ticks_that_run_twice_or_at_once_decide_each_message_once(db_url, policy):
    db = Database(db_url)
    received = at(2026, 11, 20, 9, 30)
    with db.session() as s:
        for _ in range(6):
            file_item(s, policy, received, severity="A")
        s.commit()
    moment = received + timedelta(hours=5)  # every first contact (2 working hours, Fri 11:30) is overdue

    def run():
        with Database(db_url).session() as s:
            tick(s, policy, moment, GROUPS)
            s.commit()

    threads = [threading.Thread(target=run) for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    run()  # and once more, afterwards
    with db.session() as s:
        keys = [r.key for r in s.exec(select(OutboundMessage)).all() if r.key.startswith("remind:")]
        assert len(keys) == len(set(keys)) == 6  # one escalation per item (the reminder was stale news)
        assert all(k.endswith(":first_contact:1") for k in keys)
        assert len(s.exec(select(Event).where(Event.action == "sla.escalated")).all()) == 6  # and audited once


@both
def test_many_reminders_for_one_person_become_one_message(db_url, policy):
    db = Database(db_url)
    received = at(2026, 11, 23, 9, 0)  # a Monday
    with db.session() as s:
        items = [file_item(s, policy, received, severity="B") for _ in range(5)]
        for item in items:
            perform(s, item, "take_ownership", who(policy, QE), policy, received + timedelta(minutes=5))
            perform(s, item, "record_first_contact", who(policy, QE), policy, received + timedelta(minutes=5),
                    {"contacted_by": QE, "contacted_at": (received + timedelta(minutes=5)).isoformat(), "how": "call"})
        s.commit()
    with db.session() as s:
        # containment, 1 working day (Tue 09:00): 8 working hours; 75 % is 6 of them, Mon 16:00
        tick(s, policy, at(2026, 11, 23, 16, 0), GROUPS)  # five reminders at once
        s.commit()
        thread = [r for r in s.exec(select(OutboundMessage).where(OutboundMessage.intent == "reminder")).all()
                  if ":containment:" in r.key]
        digest = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "sla_digest")).all()
    assert len(thread) == 5 and all(r.data["mention"] is None for r in thread)  # the threads keep the record, quietly
    assert [(r.user, len(r.data["entries"])) for r in digest] == [(QE, 5)]


@both
def test_snooze_is_logged_and_never_past_an_aa_deadline(db_url, policy):
    db = Database(db_url)
    received = at(2026, 11, 23, 9, 0)
    clock = VirtualClock(received + timedelta(hours=1, minutes=40))
    desk = Desk(db, policy, clock, group_members=GROUPS)
    with db.session() as s:
        aa, b = file_item(s, policy, received, severity="AA"), file_item(s, policy, received, severity="B")
        s.commit()
        first = {i: s.exec(select(Deadline.id).where(Deadline.item_id == i, Deadline.milestone == "first_contact")).one()
                 for i in (aa, b)}
    desk.snooze(first[b], QE, "k1", "4h")
    desk.snooze(first[aa], QE, "k2", "4h")
    with pytest.raises(ActionRefused) as refused:
        desk.snooze(first[b], "U0ENGCHEN", "k3", "1h")  # engineering has no say on quality's item
    assert refused.value.code == "refusal.wrong_role"
    with db.session() as s:
        rows = {d.item_id: d for d in s.exec(select(Deadline).where(Deadline.milestone == "first_contact")).all()}
        assert as_utc(rows[b].snoozed_until) == clock.now() + timedelta(hours=4)
        assert as_utc(rows[aa].snoozed_until) == received + timedelta(hours=2)  # capped at the AA deadline
        assert [e.detail["choice"] for e in s.exec(select(Event).where(Event.action == "sla.snoozed"))] == ["4h", "4h"]
    clock.advance(timedelta(hours=1))  # the AA first contact is overdue now
    with pytest.raises(ActionRefused) as refused:
        desk.snooze(first[aa], QE, "k4", "1h")
    assert refused.value.code == "refusal.aa_overdue_no_snooze"


@both
def test_an_edited_policy_does_not_move_existing_deadlines(db_url, policy):
    db = Database(db_url)
    received = at(2026, 11, 23, 9, 0)
    with db.session() as s:
        item = file_item(s, policy, received, severity="A")
        s.commit()
    data = policy.model_dump(mode="json")
    data["deadlines"]["complaint"]["A"][0]["hours"] = 48
    edited = Policy.model_validate(data)
    assert edited.clock_version() != policy.clock_version()
    with db.session() as s:
        tick(s, edited, received + timedelta(hours=4, minutes=1), GROUPS)
        s.commit()
        first = s.exec(select(Deadline).where(Deadline.item_id == item, Deadline.milestone == "first_contact")).one()
        assert as_utc(first.due_at) == at(2026, 11, 23, 11, 0) and first.level == 2  # 2 working hours: escalated on the old terms
        assert first.policy_version == policy.clock_version()
