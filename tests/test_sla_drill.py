"""The SLA drill, in production shape: `voc web`, a dramatiq worker and TWO `voc scheduler` processes
through Redis, against the emulator, on a policy whose deadlines are seconds long. Both schedulers
tick every second; the worker is SIGKILLed while Slack holds its answer to an escalation it already
posted; Slack answers later posts 429 (Retry-After) and 500. Every reminder and escalation still
appears exactly once in the thread, and each manager's DM once per tick that decided it.
"""
from __future__ import annotations

import os
import signal
from collections import Counter

import yaml
from sqlmodel import select

from domain.policy import policy_path
from models import Event, OutboundMessage
from models.db import Database
from slack_emulator import SlackSide
from tests.processes import emulated_slack, free_port, production_env, start, start_worker, stop_all, wait_listening
from tests.test_nothing_twice import _worker_in_its_own_group as worker_in_its_own_group

REDIS_URL = os.environ.get("VOC_TEST_REDIS", "redis://127.0.0.1:6379/13")
SECRET = "e2e-secret"
SALES, FLOOR, QUALITY = "U0SALESEMMA", "C0SALESFLOOR", "C0QUALITY"
# Seconds-long AA deadlines: first contact in 7.2 s, containment in 14.4 s; the ladder 0 / 3.6 / 7.2 s after.
FAST = {"first_contact": 0.002, "containment": 0.004}
STAGES = [f"{m}:{stage}" for m in FAST for stage in range(4)]  # reminder, then three escalation levels


def fast_policy(tmp_path) -> str:
    data = yaml.safe_load(open(policy_path(None), encoding="utf-8"))
    data["deadlines"]["complaint"]["AA"] = [{"milestone": m, "hours": h} for m, h in FAST.items()]
    data["escalation"]["levels"] = [{"after_hours": 0, "notify": ["department_manager"]},
                                    {"after_hours": 0.001, "notify": ["quality_manager"]},
                                    {"after_hours": 0.002, "notify": ["general_manager"], "severities": ["AA"]}]
    # Every moment is working time, so the drill does not depend on the hour it runs at.
    data["working_time"] = {"country": None, "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                            "hours": ["00:00-23:59"]}
    path = tmp_path / "fast.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_two_schedulers_429s_and_500s_and_every_reminder_once(db_url, policy, tmp_path):
    with emulated_slack(policy, REDIS_URL) as (ws, emulator):
        port = free_port()
        env = production_env(emulator, db_url, REDIS_URL, SLACK_BOT_TOKEN="xoxb-e2e", SLACK_SIGNING_SECRET=SECRET,
                             PORT=str(port), VOC_CLAIM_LEASE_SECONDS="2", VOC_POLICY=fast_policy(tmp_path))
        web, doomed = start(["voc", "web", "--host", "127.0.0.1"], env), worker_in_its_own_group(env)
        others = [start(["voc", "scheduler", "--interval", "1"], env), start(["voc", "scheduler", "--interval", "1"], env)]
        db = Database(db_url)
        try:
            wait_listening(port, web)
            slack = SlackSide(ws, f"http://127.0.0.1:{port}/slack/events", SECRET, emulator.url + "response")
            assert slack.command(SALES, FLOOR, "Geely: connectors cracked, their line stopped").status == 200
            [parent] = ws.wait_for(lambda: ws.channel_messages(QUALITY), timeout=60)

            def keys() -> Counter:
                return Counter(m.metadata["event_payload"]["key"] for m in ws.thread(QUALITY, parent.ts)
                               if m.metadata and m.metadata["event_payload"]["key"].startswith("remind:"))
            ws.wait_for(lambda: any(k.endswith(":first_contact:0") for k in keys()), timeout=60)
            ws.slow_down("chat.postMessage", 30)  # Slack takes the next post at once, its answer comes late
            ws.wait_for(lambda: any(k.endswith(":first_contact:1") for k in keys()), timeout=60)
            os.killpg(doomed.pid, signal.SIGKILL)  # mid-send: posted in Slack, not recorded in the outbox
            doomed.wait(timeout=10)
            ws.slow_down("chat.postMessage", 0)
            ws.fail_next("chat.postMessage", status=429, error="ratelimited", times=2, retry_after=1)
            ws.fail_next("chat.postMessage", status=500, error="internal_error")
            others.append(start_worker(env))  # takes the killed worker's rows over after the 2 s lease
            # The last stage of each ladder is never skipped. When a loaded machine leaves no tick between
            # two levels, both are reached by one message (a stale reminder alone may be dropped).
            ws.wait_for(lambda: {"first_contact:3", "containment:3"} <= {k.split(":", 2)[2] for k in keys()}, timeout=120)
            ws.wait_for(lambda: _all_sent(db), timeout=60)
            assert {k.split(":", 2)[2] for k in keys()} <= set(STAGES)
            assert set(keys().values()) == {1}  # each once, though two schedulers ticked every second
            with db.session() as s:
                recorded = {r.key: r.status for r in s.exec(select(OutboundMessage))}
                digests = [r.key for r in s.exec(select(OutboundMessage).where(OutboundMessage.intent == "sla_digest"))]
                escalated = s.exec(select(Event).where(Event.action == "sla.escalated")).all()
            # what Slack has is recorded as sent, the killed worker's post included (found by its key);
            # what the outbox calls sent is in Slack (the rest was cancelled as stale, never posted)
            assert {recorded[k] for k in keys()} == {"sent"}
            assert set(keys()) == {k for k, status in recorded.items() if k.startswith("remind:") and status == "sent"}
            # every level of every ladder audited once: none skipped, none twice
            assert sorted((e.detail["milestone"], e.detail["level"]) for e in escalated) == sorted(
                (milestone, level) for milestone in {k.split(":")[2] for k in keys() if not k.endswith(":0")}
                for level in (1, 2, 3))
            posted = Counter(m.metadata["event_payload"]["key"] for m in ws.messages
                             if m.metadata and m.metadata["event_payload"]["key"].startswith("sla-dm:"))
            assert sorted(posted) == sorted(digests) and set(posted.values()) == {1}
            assert ws.rate_limited == 0 and [c.error for c in ws.calls if not c.ok].count("ratelimited") == 2
        finally:
            if doomed.poll() is None:
                os.killpg(doomed.pid, signal.SIGKILL)
            stop_all(web, *others)
            db.dispose()


def _all_sent(db) -> bool:
    with db.session() as s:
        return set(s.exec(select(OutboundMessage.status)).all()) <= {"sent", "cancelled"}
