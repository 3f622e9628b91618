"""The claim discipline the inbox and the outbox share (domain.durable_queue), on both engines."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain import inbox, outbox
from domain.desk import Desk
from domain.intake import Submission
from models import InboundRequest, OutboundMessage
from models.db import Database

LEASE = timedelta(seconds=5)


@pytest.fixture(params=["postgresql", "sqlite"])
def desk(request, policy, clock):
    url = request.getfixturevalue("clean_pg" if request.param == "postgresql" else "sqlite_url")
    db = Database(url)
    yield Desk(db, policy, clock)
    db.dispose()


def test_an_outbox_row_is_claimed_by_one_sender_and_reclaimed_as_abandoned_after_the_lease(desk, clock):
    desk.submit(Submission(source="slash", key="k1", reporter_id="U1", text="connectors cracked, line stopped",
                           customer="Geely", channel_id="C1"))
    with desk.db.session() as s:
        [first, *_] = outbox.due_ids(s, clock.now(), LEASE)
    with desk.db.session() as s:
        assert outbox.claim(s, first, clock.now(), LEASE) == "pending"
    with desk.db.session() as s:
        assert outbox.claim(s, first, clock.now(), LEASE) is None  # a second sender finds it taken
        assert first not in outbox.due_ids(s, clock.now(), LEASE)
    clock.advance(LEASE - timedelta(seconds=1))
    with desk.db.session() as s:  # the lease passed in is the one that counts, not a constant
        assert outbox.claim(s, first, clock.now(), LEASE) is None
        assert outbox.claim(s, first, clock.now(), LEASE - timedelta(seconds=2)) == "abandoned"
    clock.advance(LEASE + timedelta(seconds=1))  # the second sender died mid-send too
    with desk.db.session() as s:
        assert first in outbox.due_ids(s, clock.now(), LEASE)
        assert outbox.claim(s, first, clock.now(), LEASE) == "abandoned"
        assert s.get(OutboundMessage, first).attempts == 3


def test_the_inbox_backs_off_then_parks_a_request_as_failed(desk, clock):
    [row_id] = inbox.accept_many(desk.db.engine, [("slash:T:1", "slash.feedback", {})], clock.now())
    tries = []
    for _ in range(inbox.MAX_ATTEMPTS):
        with desk.db.session() as s:
            assert inbox.claim(s, row_id, clock.now(), LEASE) == "pending"
            row = s.get(InboundRequest, row_id)
            tries.append(inbox.retry_or_fail(row, clock.now(), "boom"))
            backoff = row.not_before - clock.now()
        clock.advance(backoff)
    assert tries == [True] * (inbox.MAX_ATTEMPTS - 1) + [False]
    with desk.db.session() as s:
        assert s.get(InboundRequest, row_id).status == "failed"
        assert inbox.due_ids(s, clock.now() + timedelta(days=1), LEASE) == []


def test_two_transactions_queueing_the_same_message_at_once_both_succeed_and_queue_it_once(clean_pg, clock):
    """Two deciders (two ticks, a retry racing itself): the second waits for the first and adds nothing,
    instead of aborting its whole transaction on the unique key."""
    import threading

    from sqlmodel import func, select

    db = Database(clean_pg)
    second: list = []
    with db.session() as first:
        assert outbox.enqueue(first, key="remind:1:first_contact:1", intent="notice", now=clock.now()) is not None
        first_pid = first.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        racer = threading.Thread(target=lambda: second.append(_enqueue_in_own_session(db, clock)))
        racer.start()
        _wait_until_blocked_by(db, first_pid, racer)  # the race is on: the second waits for the first's uncommitted key
    racer.join()
    assert second == ["nothing added, committed"]
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(OutboundMessage)).one() == 1
    db.dispose()


def _enqueue_in_own_session(db, clock) -> str:
    with db.session() as s:
        added = outbox.enqueue(s, key="remind:1:first_contact:1", intent="notice", now=clock.now())
    return "nothing added, committed" if added is None else "added"


def _wait_until_blocked_by(db, blocker_pid: int, racer) -> None:
    """Wait for the event itself (a backend blocked by the first transaction), however long a busy
    machine takes to get there; pytest's timeout is the only clock."""
    import time

    from sqlalchemy import text

    with db.engine.connect() as conn:
        while racer.is_alive():
            blocked = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                                   {"pid": blocker_pid}).scalar()
            conn.rollback()  # pg_stat_activity is a snapshot per transaction: a new one each look
            if blocked:
                return
            time.sleep(0.02)
    raise AssertionError("the second transaction finished without waiting for the first's key")
