"""The domain on its own (no Slack, no HTTP), on PostgreSQL and SQLite."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from domain.desk import Desk
from domain.intake import Submission
from domain.errors import InvalidValue, NotAllowed
from domain.lifecycle.apply import ActionRefused
from models import ClassifierExample, Deadline, Event, OutboundMessage
from models.db import Database


@pytest.fixture(params=["postgresql", "sqlite"])
def desk(request, policy, clock):
    url = request.getfixturevalue("clean_pg" if request.param == "postgresql" else "sqlite_url")
    db = Database(url)
    yield Desk(db, policy, clock)
    db.dispose()


QM = "U0QMWANG"


def sub(key="k1", text="connectors cracked, line stopped", customer="Geely", **kw):
    return Submission(source="slash", key=key, reporter_id="U1", text=text, customer=customer, channel_id="C1", **kw)


def intents(desk, item_id):
    with desk.db.session() as s:
        return [r.intent for r in s.exec(select(OutboundMessage).where(OutboundMessage.item_id == item_id).order_by(OutboundMessage.id))]


def test_filing_writes_item_deadlines_events_and_messages_together(desk, clock):
    out = desk.submit(sub())
    assert out.status == "filed"
    item = desk.get(out.item_id)
    assert (item.severity, item.status, item.filed_at) == ("AA", "received", clock.now())
    assert intents(desk, item.id) == ["parent", "ping", "confirmation"]
    with desk.db.session() as s:
        assert len(s.exec(select(Deadline).where(Deadline.item_id == item.id)).all()) == 5


def test_the_same_request_key_is_filed_once(desk):
    first, second = desk.submit(sub()), desk.submit(sub())
    assert (first.status, second.status, second.item_id) == ("filed", "duplicate", first.item_id)


def test_unsure_or_unnamed_is_kept_as_a_draft_with_a_proposal(desk):
    out = desk.submit(sub(customer=None))
    assert out.status == "proposed" and desk.get(out.item_id).status == "draft"
    assert intents(desk, out.item_id) == ["proposal"]
    with pytest.raises(InvalidValue):
        desk.confirm_draft(out.item_id, "U1", "a1")  # still no customer
    assert desk.confirm_draft(out.item_id, "U1", "a2", {"customer": "BYD"}).status == "filed"


def test_reclassify_recomputes_deadlines_and_keeps_the_correction(desk, clock):
    item_id = desk.submit(sub()).item_id
    with pytest.raises(ActionRefused):  # the reporter no longer lowers a filed complaint (issue 16): change_severity
        desk.reclassify(item_id, "U1", "r0", {"severity": "B"})
    out = desk.reclassify(item_id, QM, "r1", {"severity": "B", "reason": "one box, no line stop"})
    assert out.changes == {"severity": ("AA", "B")}
    with desk.db.session() as s:
        first = s.exec(select(Deadline).where(Deadline.item_id == item_id, Deadline.milestone == "first_contact")).one()
        ev = s.exec(select(Event).where(Event.action == "lifecycle.change_severity")).one()
        learned = s.exec(select(ClassifierExample).where(ClassifierExample.source == "correction")).one()
    assert first.due_at == clock.now() + timedelta(hours=2)  # B: 2 working hours from Friday 10:00
    assert ev.detail["fields"]["reason"] == "one box, no line stop" and ev.actor == QM
    assert (learned.text, learned.severity) == ("connectors cracked, line stopped", "B")
    assert desk.reclassify(item_id, QM, "r2", {"severity": "B"}).status == "unchanged"
    with pytest.raises(InvalidValue):
        desk.reclassify(item_id, QM, "r3", {"severity": "Z"})
    with pytest.raises(NotAllowed):
        desk.reclassify(item_id, "U2", "r4", {"severity": "A"})
    assert desk.reclassify(item_id, QM, "r5", {"severity": "A", "reason": "repeat"}).status == "updated"  # a manager may


def test_withdraw_within_the_window_only_and_only_by_the_reporter(desk, clock):
    a = desk.submit(sub(key="a")).item_id
    with pytest.raises(ActionRefused) as refused:
        desk.withdraw(a, "U2", "w0")
    assert refused.value.code == "refusal.no_role"
    assert desk.withdraw(a, "U1", "w1").status == "withdrawn"
    assert desk.withdraw(a, "U1", "w2").status == "unchanged"
    b = desk.submit(sub(key="b")).item_id
    clock.advance(timedelta(minutes=10, seconds=1))
    with pytest.raises(ActionRefused) as refused:
        desk.withdraw(b, "U1", "w3")
    assert refused.value.code == "refusal.undo_window"
    assert desk.withdraw(b, QM, "w4").status == "withdrawn"  # a manager, after the window


def test_withdrawing_before_the_thread_was_posted_posts_nothing(desk):
    item_id = desk.submit(sub()).item_id
    desk.withdraw(item_id, "U1", "w1")
    with desk.db.session() as s:
        rows = {r.intent: r.status for r in s.exec(select(OutboundMessage).where(OutboundMessage.item_id == item_id))}
    assert rows == {"parent": "cancelled", "ping": "cancelled", "confirmation": "pending"}


def test_events_are_append_only(desk):
    desk.submit(sub())
    with pytest.raises(DBAPIError):
        with desk.db.engine.begin() as conn:
            conn.execute(text("UPDATE events SET actor = 'someone else'"))
    with pytest.raises(DBAPIError):
        with desk.db.engine.begin() as conn:
            conn.execute(text("DELETE FROM events"))


def test_only_complaints_carry_a_severity_above_b(desk):
    out = desk.submit(sub(key="p", text="great job on the last delivery", chosen={"kind": "praise", "severity": "AA"}),
                      confirmed=True)
    assert desk.get(out.item_id).severity == "B"
    item_id = desk.submit(sub(key="c")).item_id
    with pytest.raises(ActionRefused):  # an AA complaint turned inquiry would drop to B: change_severity's rights
        desk.reclassify(item_id, "U1", "r0", {"kind": "inquiry"})
    assert desk.reclassify(item_id, QM, "r", {"kind": "inquiry", "reason": "a question, not a complaint"}).changes == {
        "kind": ("complaint", "inquiry"), "severity": ("AA", "B")}
