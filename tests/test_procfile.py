"""README step 5: `honcho start` runs the Procfile's processes together on a fresh database.

All three start at the same moment and each brings the schema up to date and seeds the policy's
customers: none may crash on the others' work, and a complaint goes all the way through.
"""
from __future__ import annotations

import os
import signal
import subprocess

import pytest

from slack_emulator import SlackSide
from tests.processes import BIN, ROOT, emulated_slack, free_port, fresh_postgres, production_env, wait_listening

REDIS_URL = os.environ.get("VOC_TEST_REDIS", "redis://127.0.0.1:6379/13")


@pytest.fixture
def fresh_database():
    with fresh_postgres("voc_procfile") as url:
        yield url


def test_honcho_start_runs_the_procfile_on_a_fresh_database(policy, fresh_database):
    with emulated_slack(policy, REDIS_URL) as (ws, emulator):
        port = free_port()
        env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}",
               **production_env(emulator, fresh_database, REDIS_URL, SLACK_BOT_TOKEN="xoxb-procfile",
                                SLACK_SIGNING_SECRET="procfile-secret", PORT=str(port))}
        honcho = subprocess.Popen([str(BIN / "honcho"), "start", "-f", "Procfile"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            wait_listening(port, honcho)
            slack = SlackSide(ws, f"http://127.0.0.1:{port}/slack/events", "procfile-secret", emulator.url + "response")
            assert slack.command("U0SALESEMMA", "C0SALESFLOOR", "Geely: connectors cracked, their line stopped").status == 200
            ws.wait_for(lambda: ws.channel_messages("C0QUALITY"), timeout=60)
            assert honcho.poll() is None  # nothing stopped the others
        finally:
            os.killpg(honcho.pid, signal.SIGTERM)
            output = honcho.communicate(timeout=30)[0]
    assert "Traceback" not in output and "UniqueViolation" not in output, output
