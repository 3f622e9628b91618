"""Requests survive a broker that is down or forgets (Redis restart) and a worker that dies mid-way."""
from __future__ import annotations

from datetime import timedelta

import pytest
from dramatiq import Message
from dramatiq.brokers.redis import RedisBroker

from domain import inbox
from workers.requests import sweep

SALES, FLOOR, QUALITY = "U0SALESEMMA", "C0SALESFLOOR", "C0QUALITY"
TEXT = "Geely: connectors cracked, their line stopped"


def dead_redis(row_id: int, delay: float) -> None:
    """A real Redis broker pointed at a port nothing listens on."""
    RedisBroker(url="redis://127.0.0.1:1/0").enqueue(
        Message(queue_name="requests", actor_name="process_request", args=(row_id,), kwargs={}, options={}))


def test_with_redis_down_the_web_process_does_the_work_itself(harness):
    h = harness
    h.service.enqueue = dead_redis
    h.slack.command(SALES, FLOOR, TEXT)
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.ws.wait_for(lambda: [e for e in h.ws.ephemerals_for(SALES) if "VOC-1" in e.text])


def test_a_request_whose_message_was_lost_is_processed_by_the_sweep(harness):
    h = harness
    h.service.enqueue = lambda row_id, delay: None  # Redis restarted and forgot the message
    sent = h.slack.command(SALES, FLOOR, TEXT)
    assert sent.status == 200
    h.ws.wait_for(lambda: [r for r in _rows(h) if r.status == "pending"])
    assert h.items() == []
    sweep.send()
    h.join()
    assert len(h.ws.channel_messages(QUALITY)) == 1 and h.items()[0].status == "received"
    assert [r.status for r in _rows(h)] == ["done"]


def test_a_request_claimed_by_a_worker_that_died_is_taken_again_after_the_lease(harness):
    h = harness
    h.service.enqueue = lambda row_id, delay: None
    h.slack.command(SALES, FLOOR, TEXT)
    [row] = h.ws.wait_for(lambda: _rows(h))
    with h.rt.db.session() as s:
        assert inbox.claim(s, row.id, h.clock.now(), h.rt.settings.claim_lease)  # the worker took it ... and died
    sweep.send()
    h.join(claimed=False)
    assert h.items() == []  # still claimed: nobody else may take it yet
    h.clock.advance(h.rt.settings.claim_lease + timedelta(seconds=1))
    sweep.send()
    h.join()
    assert len(h.ws.channel_messages(QUALITY)) == 1


def _rows(h):
    from sqlmodel import select

    from models import InboundRequest

    with h.rt.db.session() as s:
        return list(s.exec(select(InboundRequest)).all())


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_the_writer_stores_a_burst_in_batches_once_per_key_and_flushes_on_close(db_url, policy, clock):
    from bot.inbox_writer import InboxWriter
    from bot.runtime import Runtime
    from bot.settings import Settings
    from bot.slack_client import make_client
    from models.db import Database

    rt = Runtime(Settings(database_url=db_url), policy, Database(db_url), clock, make_client(None, "http://127.0.0.1:1/api/"))
    handed: list[list[int]] = []
    writer = InboxWriter(rt, handed.append)
    for i in range(300):
        writer.put("slash.feedback", f"k{i % 250}", {"n": i})  # 50 Slack retries among them
    writer.close()
    ids = [i for batch in handed for i in batch]
    assert len(ids) == len(set(ids)) == 250
    assert len(handed) < 300  # batched, not one statement per request
    assert writer.pending() == 0
    with rt.db.session() as s:
        from sqlmodel import func, select

        from models import InboundRequest

        assert s.exec(select(func.count()).select_from(InboundRequest)).one() == 250
    rt.db.dispose()


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_the_writer_spools_while_the_database_is_away_and_the_next_process_stores_each_request_once(
        db_url, policy, clock, tmp_path):
    from sqlmodel import select

    from bot.inbox_writer import InboxWriter
    from bot.runtime import Runtime
    from bot.settings import Settings
    from bot.slack_client import make_client
    from models import InboundRequest
    from models.db import Database

    spool = tmp_path / "spool"

    def runtime(url):
        settings = Settings(database_url=url, voc_spool_dir=str(spool), voc_inbox_spill_after_seconds=0.2,
                            voc_inbox_replay_every_seconds=0.1)
        return Runtime(settings, policy, Database(url), clock, make_client(None, "http://127.0.0.1:1/api/"))

    handed: list[list[int]] = []
    away = runtime("postgresql://postgres@127.0.0.1:1/nowhere")  # nothing listens there
    writer = InboxWriter(away, handed.append)
    for i in range(5):
        writer.put("slash.feedback", f"k{i}", {"n": i})
    writer.put("slash.feedback", "k0", {"n": 0})  # a Slack retry among them
    writer.close()  # the process stops with the database still away
    assert handed == []
    assert sum(len(p.read_bytes().splitlines()) for p in spool.glob("inbox-*.jsonl")) == 6  # on disk, not dropped

    back = runtime(db_url)  # the next process, with the database back
    writer = InboxWriter(back, handed.append)
    writer.close()
    with back.db.session() as s:
        rows = s.exec(select(InboundRequest).order_by(InboundRequest.id)).all()
    assert [(r.key, r.payload, r.status) for r in rows] == [(f"k{i}", {"n": i}, "pending") for i in range(5)]
    assert sorted(i for batch in handed for i in batch) == [r.id for r in rows]  # handed on to a worker
    assert list(spool.glob("inbox-*.jsonl")) == []  # replayed, and the empty spool removed
    away.db.dispose()
    back.db.dispose()
