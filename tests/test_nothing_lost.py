"""Nothing lost: `voc web` as a process whose database goes away (a TCP proxy cut between them)
for longer than the old writer held on (~6 s, then it dropped acknowledged requests). Every
acknowledged complaint is filed exactly once after the database comes back, whether the same
process recovers or a new one starts after a crash.
"""
from __future__ import annotations

import os
import signal
import time
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlmodel import select

from models import FeedbackItem, InboundRequest
from models.db import Database
from slack_emulator import SlackSide
from tests.processes import emulated_slack, free_port, production_env, start, start_worker, stop_all, wait_listening
from tests.tcp_proxy import CuttableProxy

REDIS_URL = os.environ.get("VOC_TEST_REDIS", "redis://127.0.0.1:6379/13")
SECRET = "e2e-secret"
SALES, FLOOR, QUALITY = "U0SALESEMMA", "C0SALESFLOOR", "C0QUALITY"
OUTAGE = 10.0  # seconds: beyond the old writer's give-up point (5 tries, ~6 s) with margin
SPILL_AFTER = 1.0


def _through(proxy: CuttableProxy, url: str) -> str:
    parts = urlsplit(url)
    netloc = f"{parts.username}@127.0.0.1:{proxy.port}" if parts.username else f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def _spooled(spool_dir) -> int:
    return sum(len(p.read_bytes().splitlines()) for p in spool_dir.glob("inbox-*.jsonl")) if spool_dir.exists() else 0


@pytest.fixture
def outage(db_url, policy, tmp_path):
    parts = urlsplit(db_url)
    proxy = CuttableProxy(parts.hostname, parts.port or 5432)
    with emulated_slack(policy, REDIS_URL) as (ws, emulator):
        port = free_port()
        env = production_env(emulator, db_url, REDIS_URL, SLACK_BOT_TOKEN="xoxb-e2e", SLACK_SIGNING_SECRET=SECRET,
                             PORT=str(port), VOC_SPOOL_DIR=str(tmp_path / "spool"),
                             VOC_INBOX_SPILL_AFTER_SECONDS=str(SPILL_AFTER), VOC_INBOX_REPLAY_EVERY_SECONDS="0.5")
        web_env = {**env, "DATABASE_URL": _through(proxy, db_url)}  # only the web process loses the database
        procs = {"worker": start_worker(env)}

        def start_web():
            procs["web"] = start(["voc", "web", "--host", "127.0.0.1"], web_env)
            wait_listening(port, procs["web"])
            return procs["web"]

        start_web()
        slack = SlackSide(ws, f"http://127.0.0.1:{port}/slack/events", SECRET, emulator.url + "response")
        db = Database(db_url)
        try:
            yield ws, slack, proxy, db, tmp_path / "spool", start_web, procs
        finally:
            stop_all(*procs.values())
            proxy.close()
            db.dispose()


def _complain(slack, n: int) -> list[str]:
    # n reports of n lots: near-identical texts naming no lot would be offered as one (domain/duplicates.py)
    texts = [f"connectors cracked in lot 24-{1100 + i}, their line stopped" for i in range(n)]
    for text in texts:
        assert slack.command(SALES, FLOOR, f"Geely: {text}").status == 200  # acknowledged: "Got it — filing…"
    return texts


def _all_filed_once(ws, db, texts: list[str]) -> None:
    def finished():  # every stored request processed, every item's thread posted
        with db.session() as s:
            requests = s.exec(select(InboundRequest.status)).all()
            items = s.exec(select(FeedbackItem.text, FeedbackItem.thread_ts)).all()
        done = len(requests) >= len(texts) and set(requests) == {"done"} and all(ts for _, ts in items)
        return done and (requests, items)
    requests, items = ws.wait_for(finished, timeout=90)
    assert len(requests) == len(texts)
    assert Counter(text for text, _ in items) == Counter(texts)  # each one, once
    assert len(ws.channel_messages(QUALITY)) == len(texts)


def test_acknowledged_requests_survive_the_database_going_away_and_coming_back(outage):
    ws, slack, proxy, db, spool, _start_web, _procs = outage
    proxy.cut()
    cut_at = time.monotonic()
    texts = _complain(slack, 12)
    ws.wait_for(lambda: _spooled(spool) == len(texts), timeout=60)  # on disk, not only in memory
    time.sleep(max(0.0, OUTAGE - (time.monotonic() - cut_at)))  # the outage goes on
    proxy.restore()
    _all_filed_once(ws, db, texts)
    assert _spooled(spool) == 0  # replayed and emptied


def test_a_spool_left_by_a_killed_web_process_is_replayed_when_the_next_one_starts(outage):
    ws, slack, proxy, db, spool, start_web, procs = outage
    proxy.cut()
    texts = _complain(slack, 8)
    ws.wait_for(lambda: _spooled(spool) == len(texts), timeout=60)
    procs["web"].send_signal(signal.SIGKILL)  # the process dies with the database still away
    procs["web"].wait(timeout=10)
    proxy.restore()
    with db.session() as s:
        assert s.exec(select(InboundRequest)).all() == []  # only the spool has them
    start_web()
    _all_filed_once(ws, db, texts)
    assert _spooled(spool) == 0
