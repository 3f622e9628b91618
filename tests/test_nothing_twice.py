"""Nothing twice, the drill: `voc web` and a dramatiq worker through Redis; Slack takes the worker's
thread parents but answers slowly, and the worker is SIGKILLed while it waits, before it could
record them. A second worker takes the rows over after a short lease (VOC_CLAIM_LEASE_SECONDS):
it finds the posts by the outbox key in their metadata and records them instead of posting again.
"""
from __future__ import annotations

import os
import signal
import subprocess

from sqlmodel import select

from models import InboundRequest, OutboundMessage
from models.db import Database
from slack_emulator import SlackSide
from tests.processes import (BIN, ROOT, emulated_slack, free_port, production_env, start, start_worker, stop_all,
                             wait_listening)

REDIS_URL = os.environ.get("VOC_TEST_REDIS", "redis://127.0.0.1:6379/13")
SECRET = "e2e-secret"
SALES, FLOOR, QUALITY = "U0SALESEMMA", "C0SALESFLOOR", "C0QUALITY"
IN_FLIGHT = 4


def _worker_in_its_own_group(env: dict) -> subprocess.Popen:
    """dramatiq forks its worker processes: a group of its own lets the drill kill them all at once."""
    return subprocess.Popen([str(BIN / "dramatiq"), "workers", "--processes", "1", "--threads", str(IN_FLIGHT)],
                            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def test_a_worker_killed_mid_send_posts_nothing_twice(db_url, policy):
    with emulated_slack(policy, REDIS_URL) as (ws, emulator):
        port = free_port()
        env = production_env(emulator, db_url, REDIS_URL, SLACK_BOT_TOKEN="xoxb-e2e", SLACK_SIGNING_SECRET=SECRET,
                             PORT=str(port), VOC_CLAIM_LEASE_SECONDS="2")
        web, doomed = start(["voc", "web", "--host", "127.0.0.1"], env), _worker_in_its_own_group(env)
        others: list[subprocess.Popen] = []
        db = Database(db_url)
        try:
            wait_listening(port, web)
            slack = SlackSide(ws, f"http://127.0.0.1:{port}/slack/events", SECRET, emulator.url + "response")
            ws.slow_down("chat.postMessage", 30)  # Slack takes the post at once, the answer comes late
            for n in range(IN_FLIGHT):
                assert slack.command(SALES, FLOOR, f"Geely: connectors cracked in lot {n}, their line stopped").status == 200
            ws.wait_for(lambda: len(ws.channel_messages(QUALITY)) == IN_FLIGHT, timeout=60)
            os.killpg(doomed.pid, signal.SIGKILL)  # mid-send: posted in Slack, not recorded in the outbox
            doomed.wait(timeout=10)
            ws.slow_down("chat.postMessage", 0)

            others += [start_worker(env), start(["voc", "scheduler", "--interval", "1"], env)]

            def finished():
                with db.session() as s:
                    # the items' messages: the scheduler also sends what the calendar calls for (December's survey reminder)
                    rows = s.exec(select(OutboundMessage.status).where(OutboundMessage.item_id.is_not(None))).all()
                    requests = s.exec(select(InboundRequest.status)).all()
                return len(rows) == 3 * IN_FLIGHT and set(rows) == {"sent"} and set(requests) == {"done"}
            ws.wait_for(finished, timeout=90)

            parents = ws.channel_messages(QUALITY)
            assert len(parents) == IN_FLIGHT  # each thread parent once
            assert [len(ws.thread(QUALITY, p.ts)) for p in parents] == [1] * IN_FLIGHT  # each ping once, in its thread
            with db.session() as s:
                recorded = {r.result_ts for r in s.exec(select(OutboundMessage).where(OutboundMessage.intent == "parent"))}
            assert recorded == {p.ts for p in parents}  # the outbox recorded the posts Slack had
        finally:
            if doomed.poll() is None:
                os.killpg(doomed.pid, signal.SIGKILL)
            stop_all(web, *others)
            db.dispose()


def test_the_emulator_returns_message_metadata_only_when_asked_as_slack_does():
    from slack_emulator import Workspace

    ws = Workspace()
    ws.add_channel("C1", "quality", members=[ws.bot_user])
    meta = {"event_type": "voc_item", "event_payload": {"key": "item:1:parent:C1"}}
    for n in range(3):
        ws.call("chat.postMessage", {"channel": "C1", "text": f"m{n}", "metadata": meta if n == 0 else None}, "xoxb")
    first = ws.messages[0]
    ws.call("chat.postMessage", {"channel": "C1", "text": "reply", "thread_ts": first.ts, "metadata": meta}, "xoxb")

    _, plain, _ = ws.call("conversations.history", {"channel": "C1"}, "xoxb")
    assert [m["text"] for m in plain["messages"]] == ["m2", "m1", "m0"]  # newest first, no replies
    assert not [m for m in plain["messages"] if "metadata" in m]
    _, page, _ = ws.call("conversations.history", {"channel": "C1", "include_all_metadata": "1", "limit": "2"}, "xoxb")
    assert [m["text"] for m in page["messages"]] == ["m2", "m1"] and page["has_more"]
    _, rest, _ = ws.call("conversations.history", {"channel": "C1", "include_all_metadata": "1",
                                                   "cursor": page["response_metadata"]["next_cursor"]}, "xoxb")
    assert [(m["text"], m.get("metadata")) for m in rest["messages"]] == [("m0", meta)]
    _, thread, _ = ws.call("conversations.replies", {"channel": "C1", "ts": first.ts, "include_all_metadata": "true"}, "xoxb")
    assert [(m["text"], m.get("metadata")) for m in thread["messages"]] == [("m0", meta), ("reply", meta)]
