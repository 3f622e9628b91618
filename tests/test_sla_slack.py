"""Reminders and escalations as Slack shows them, driven by the scheduler's sweep at chosen moments:
the reminder in the thread (the department while nobody owns it) with its snooze buttons, the
escalation with the manager's DM, and a reminder whose deadline was met before it went out."""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot import action_ids as ids
from models import Event, OutboundMessage
from tests.conftest import START
from tests.test_flows import FLOOR, QUALITY, SALES, eph, open_view

QE, QM = "U0QZHOU", "U0QMWANG"


def file_aa(h):
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked, their line stopped")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.join()
    return parent


def scheduler_at(h, moment):
    """What `voc scheduler` does once a minute, at this moment: the sweep (with the SLA tick)."""
    from workers.requests import sweep

    h.clock.set(moment)
    sweep()  # the actor's function, run here: the test waits for it as the scheduler's worker would
    h.join()


def test_a_reminder_then_an_escalation_and_a_snooze_in_between(harness):
    h = harness
    parent = file_aa(h)
    scheduler_at(h, START + timedelta(hours=1, minutes=30))  # 75 % of the AA first contact's 2 h
    [reminder] = [m for m in h.ws.thread(QUALITY, parent.ts) if m.text.startswith(":alarm_clock:")]
    group = h.rt.policy.departments["quality"].usergroup
    assert f"<!subteam^{group}>" in reminder.text and "VOC-1" in reminder.text  # nobody owns it yet

    h.slack.click(QE, reminder, ids.SNOOZE + "1h")
    done = eph(h, QE, "已推迟")
    assert "12:00" in done.text  # an AA deadline is never snoozed past its due moment (12:00 Shanghai)

    scheduler_at(h, START + timedelta(hours=2))
    [overdue] = [m for m in h.ws.thread(QUALITY, parent.ts) if m.text.startswith(":rotating_light:")]
    assert f"<@{QM}>" in overdue.text and ids.SNOOZE not in str(overdue.blocks)  # an overdue AA is not snoozed
    [dm] = h.ws.channel_messages(h.ws.dm_channel(QM))
    assert "VOC-1" in dm.text and "首次联系客户" in dm.text  # the QM reads Chinese
    scheduler_at(h, START + timedelta(hours=2, minutes=1))  # the next minute's tick: nothing twice
    assert len([m for m in h.ws.thread(QUALITY, parent.ts) if m.text.startswith(":rotating_light:")]) == 1
    with h.rt.db.session() as s:
        assert [e.action for e in s.exec(select(Event).where(Event.action.like("sla.%")))] == ["sla.snoozed", "sla.escalated"]


def test_a_reminder_decided_before_the_step_that_meets_it_is_not_sent(harness):
    h = harness
    parent = file_aa(h)
    h.clock.set(START + timedelta(hours=1, minutes=30))
    h.rt.desk.tick(h.clock.now())  # decided and queued, not sent yet (the worker was busy)
    h.slack.click(QE, parent, ids.step("record_first_contact"))  # the first contact is met meanwhile
    h.slack.submit_view(QE, open_view(h, QE).id, {"contacted_by": QE, "how": "call"})
    h.join()
    h.service.flush(None)
    assert not [m for m in h.ws.thread(QUALITY, parent.ts) if m.text.startswith(":alarm_clock:")]
    with h.rt.db.session() as s:
        row = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "reminder")).one()
        assert row.status == "cancelled"




def test_a_reminder_for_an_item_that_ended_is_not_sent(harness):
    """The clock an older release left running on a withdrawn item: its reminder, already queued,
    is dropped when it would be sent (the sender reads the item's status), and so is the DM."""
    from sqlalchemy import update

    from models import FeedbackItem

    h = harness
    parent = file_aa(h)
    h.clock.set(START + timedelta(hours=2, minutes=30))
    h.rt.desk.tick(h.clock.now())  # decided and queued, not sent yet: an escalation and the QM's DM
    with h.rt.db.session() as s:
        s.execute(update(FeedbackItem).values(status="withdrawn"))
        s.commit()
    h.service.flush(None)
    assert not [m for m in h.ws.thread(QUALITY, parent.ts) if m.text.startswith((":alarm_clock:", ":rotating_light:"))]
    assert h.ws.channel_messages(h.ws.dm_channel(QM)) == []
    with h.rt.db.session() as s:
        rows = s.exec(select(OutboundMessage).where(OutboundMessage.intent.in_(["escalation", "sla_digest"]))).all()
        assert sorted(r.intent for r in rows) == ["escalation", "sla_digest"] and {r.status for r in rows} == {"cancelled"}


def test_the_manager_who_is_also_the_quality_manager_is_told_why_each_escalation_comes(harness):
    """Wang manages the quality department and is the quality manager: the AA's first contact reaches
    him at the deadline as department manager and four hours later as quality manager. Each DM (in
    his language) says which; the thread names the role beside his mention."""
    h = harness
    parent = file_aa(h)
    scheduler_at(h, START + timedelta(hours=2))
    scheduler_at(h, START + timedelta(hours=6))
    first, second = h.ws.channel_messages(h.ws.dm_channel(QM))
    assert "通知您的身份：部门经理" in first.text and "品质经理" not in first.text
    assert "通知您的身份：品质经理" in second.text and "部门经理" not in second.text
    overdue = [m.text for m in h.ws.thread(QUALITY, parent.ts) if m.text.startswith(":rotating_light:")]
    assert [f"<@{QM}> as department manager" in text for text in overdue] == [True, False]
    assert [f"<@{QM}> as quality manager" in text for text in overdue] == [False, True]


def test_escalations_that_piled_up_while_nobody_ticked_reach_every_level_at_once(harness):
    """Nothing ticked from Friday's deadline to Monday morning (the scheduler was down): the
    department manager's level is not skipped for the quality manager's. One DM tells Wang both
    roles it reaches him as, and the record has both levels."""
    h = harness
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked at incoming, 40 pcs")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.join()
    with h.rt.db.session() as s:
        from models import FeedbackItem

        assert s.exec(select(FeedbackItem.severity)).one() in ("A", "B")  # escalations that wait for working time
    scheduler_at(h, START + timedelta(days=3, hours=-1))  # Monday 09:00 Shanghai, before containment falls due
    [dm] = h.ws.channel_messages(h.ws.dm_channel(QM))
    assert "通知您的身份：部门经理和品质经理" in dm.text
    [overdue] = [m.text for m in h.ws.thread(QUALITY, parent.ts) if m.text.startswith(":rotating_light:")]
    assert f"<@{QM}> as department manager and quality manager" in overdue
    with h.rt.db.session() as s:
        levels = [e.detail["level"] for e in s.exec(select(Event).where(Event.action == "sla.escalated"))]
        assert levels == [1, 2]
