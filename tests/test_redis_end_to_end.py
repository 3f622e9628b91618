"""The production shape end to end: `voc web` and a dramatiq worker as separate processes, through Redis.

Slack fails the first posts; the web process keeps the item and hands the retry to
Redis; the worker process delivers it. Nothing is faked between the processes.
"""
from __future__ import annotations

import os

import pytest

from slack_emulator import SlackSide
from tests.processes import emulated_slack, free_port, production_env, start, start_worker, stop_all, wait_listening

REDIS_URL = os.environ.get("VOC_TEST_REDIS", "redis://127.0.0.1:6379/13")
SECRET = "e2e-secret"


@pytest.fixture
def processes(db_url, policy):
    with emulated_slack(policy, REDIS_URL) as (ws, emulator):
        port = free_port()
        env = production_env(emulator, db_url, REDIS_URL, SLACK_BOT_TOKEN="xoxb-e2e", SLACK_SIGNING_SECRET=SECRET,
                             PORT=str(port))
        web, worker = start(["voc", "web", "--host", "127.0.0.1"], env), start_worker(env)
        try:
            wait_listening(port, web)
            yield ws, SlackSide(ws, f"http://127.0.0.1:{port}/slack/events", SECRET, emulator.url + "response"), web
        finally:
            stop_all(web, worker)


def test_a_failed_post_is_delivered_by_the_worker_through_redis(processes, db_url):
    ws, slack, _web = processes
    ws.fail_next("chat.postMessage", status=500, error="internal_error", times=2)
    sent = slack.command("U0SALESEMMA", "C0SALESFLOOR", "Geely: connectors cracked, their line stopped")
    assert sent.status == 200
    ws.wait_for(lambda: [e for e in ws.ephemerals if "queued" in e.text], timeout=60)
    assert ws.channel_messages("C0QUALITY") == []
    [parent] = ws.wait_for(lambda: ws.channel_messages("C0QUALITY"), timeout=60)  # ~5 s back-off, then the worker
    ws.wait_for(lambda: ws.thread("C0QUALITY", parent.ts), timeout=60)
    ws.wait_for(lambda: _nothing_left_to_send(db_url), timeout=60)  # every outgoing row settled, none pending a retry
    assert len(ws.channel_messages("C0QUALITY", include_replies=True)) == 2


def test_sigterm_stores_what_was_acknowledged_before_exiting(processes, db_url):
    """A platform stopping `voc web` right after acks: the acknowledged requests are stored, not lost."""
    import signal as _signal

    from sqlmodel import func, select

    from models import InboundRequest
    from models.db import Database

    ws, slack, web = processes
    sent = [slack.command("U0SALESEMMA", "C0SALESFLOOR", f"BYD: parts late again, order {n}") for n in range(20)]
    assert all(s.status == 200 for s in sent)
    web.send_signal(_signal.SIGTERM)
    assert web.wait(timeout=20) == 0
    db = Database(db_url)
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(InboundRequest)).one() == 20
    db.dispose()


def _nothing_left_to_send(db_url) -> bool:
    from sqlmodel import select

    from models import OutboundMessage
    from models.db import Database

    db = Database(db_url)
    try:
        with db.session() as s:
            rows = s.exec(select(OutboundMessage)).all()
            return bool(rows) and all(r.status in ("sent", "cancelled") for r in rows)
    finally:
        db.dispose()
