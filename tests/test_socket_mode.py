"""`voc socket` end to end: Socket Mode envelopes from the emulated Slack, a worker through Redis."""
from __future__ import annotations

import json
import os

import pytest

from slack_emulator import SlackSide
from slack_emulator.socket_mode import SocketModeServer
from tests.processes import emulated_slack, production_env, start, start_worker, stop_all, wait_ready

REDIS_URL = os.environ.get("VOC_TEST_REDIS", "redis://127.0.0.1:6379/13")


@pytest.fixture
def socket_app(db_url, policy):
    with emulated_slack(policy, REDIS_URL) as (ws, emulator):
        sockets = SocketModeServer(ws).start()
        env = production_env(emulator, db_url, REDIS_URL, SLACK_BOT_TOKEN="xoxb-socket", SLACK_APP_TOKEN="xapp-1-socket")
        app, worker = start(["voc", "socket"], env), start_worker(env)
        try:
            # connected, or the app died: never a fixed start-up time (a busy machine takes longer)
            wait_ready(app, lambda: sockets.connected, "no app connected over Socket Mode")
            yield ws, SlackSide(ws, None, "", emulator.url + "response", socket=sockets)
        finally:
            stop_all(app, worker)
            sockets.stop()


def test_feedback_and_a_dm_over_socket_mode(socket_app):
    ws, slack = socket_app
    assert ws.calls_to("apps.connections.open")
    sent = slack.command("U0SALESEMMA", "C0SALESFLOOR", "Geely: connectors cracked, their line stopped")
    assert "filing" in sent.ack_text.lower()
    [parent] = ws.wait_for(lambda: ws.channel_messages("C0QUALITY"), timeout=60)
    assert "AA complaint from Geely Auto" in parent.text
    ws.wait_for(lambda: ws.thread("C0QUALITY", parent.ts), timeout=60)
    confirm = ws.wait_for(lambda: [e for e in ws.ephemerals_for("U0SALESEMMA") if "Filed VOC-1" in e.text], timeout=60)[-1]

    slack.click("U0SALESEMMA", confirm, "voc_undo")
    ws.wait_for(lambda: "withdrawn" in confirm.text, timeout=60)

    slack.dm("U0SALESLI", "比亚迪：交货延迟三天，客户很不满意，线没停")
    ws.wait_for(lambda: ws.channel_messages("C0PRODUCTION"), timeout=60)
    assert json.dumps(ws.channel_messages("C0PRODUCTION")[0].blocks)
