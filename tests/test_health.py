"""Health you can see (issue 20): `GET /healthz` on the web process, `voc status`, and the signs of life
the worker and the scheduler's sweep leave (docs/operations.md)."""
from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from domain.health import SWEEP, WORKER, beat
from models import Heartbeat, OutboundMessage
from models.db import Database
from tests.processes import BIN, ROOT, emulated_slack, free_port, production_env, start_worker, stop_all

REDIS_URL = os.environ.get("VOC_TEST_REDIS", "redis://127.0.0.1:6379/13")


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _states(body: dict) -> dict:
    return {name: part["state"] for name, part in body["parts"].items()}


def test_healthz_answers_for_each_part_over_http(harness):
    healthz = harness.web.url.replace("/slack/events", "/healthz")
    # The worker's heartbeat thread records one as the worker boots; no sweep has run yet.
    status, body = harness.ws.wait_for(lambda: (lambda r: r if r[1]["parts"]["worker"]["state"] == "ok" else None)(_get(healthz)))
    assert status == 503 and body["status"] == "down"
    assert _states(body) == {"database": "ok", "redis": "not used", "worker": "ok", "scheduler": "down", "outbox": "ok"}
    assert body["parts"]["scheduler"]["detail"] == "no sweep recorded yet"

    from workers.requests import sweep
    sweep()  # what the scheduler has a worker run once a minute; it records that it finished
    status, body = _get(healthz)
    assert (status, body["status"]) == (200, "ok"), body
    assert body["parts"]["scheduler"]["at"] == harness.clock.now().isoformat()

    with harness.rt.db.session() as s:  # a message Slack kept refusing: parked for an admin
        s.add(OutboundMessage(key="parked-1", intent="notice", channel="C0QUALITY", status="failed", attempts=8,
                              not_before=harness.clock.now(), created_at=harness.clock.now()))
    status, body = _get(healthz)
    assert (status, body["status"], body["parts"]["outbox"]["state"]) == (200, "attention", "attention")
    assert body["parts"]["outbox"]["detail"].startswith("1 message(s) parked")

    harness.clock.advance(timedelta(minutes=10))  # past both limits (180 s worker, 300 s sweep)
    status, body = _get(healthz)
    assert status == 503 and _states(body)["scheduler"] == "down"
    assert "more than 5 min" in body["parts"]["scheduler"]["detail"]

    # /healthz is beside the Slack edge, not a way around it: an unsigned Slack request is still refused.
    unsigned = urllib.request.Request(harness.web.url, data=b"command=%2Ffeedback", method="POST")
    try:
        urllib.request.urlopen(unsigned, timeout=30)
        raise AssertionError("an unsigned request was taken")
    except urllib.error.HTTPError as error:
        assert error.code == 401


def _status(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "voc"), "status"], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=120)


def _lines(output: str) -> dict:
    return {line.split()[0]: line.split()[1] for line in output.splitlines() if line.strip()}


def test_voc_status_prints_each_part_and_exits_non_zero_when_one_is_down(clean_pg):
    now = datetime.now(timezone.utc)  # `voc status` reads the system clock
    db = Database(clean_pg)
    with db.session() as s:
        beat(s, WORKER, now, "worker-host pid 1")
        beat(s, SWEEP, now)
    db.dispose()
    env = {"DATABASE_URL": clean_pg, "REDIS_URL": REDIS_URL, "VOC_BROKER": "redis"}

    healthy = _status(env)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert _lines(healthy.stdout) == {"database": "ok", "redis": "ok", "worker": "ok", "scheduler": "ok",
                                      "outbox": "ok", "status": "ok"}
    assert "worker-host pid 1" in healthy.stdout

    no_redis = _status({**env, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    assert no_redis.returncode == 2
    assert _lines(no_redis.stdout)["redis"] == "down" and _lines(no_redis.stdout)["status"] == "down"

    no_database = _status({**env, "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/voc"})
    assert no_database.returncode == 2
    assert {k: v for k, v in _lines(no_database.stdout).items()} == {
        "database": "down", "redis": "ok", "worker": "down", "scheduler": "down", "outbox": "down", "status": "down"}

    stub = _status({**env, "VOC_BROKER": "stub"})
    assert _lines(stub.stdout)["redis"] == "not"  # "not used": the in-process broker of voc shell


def test_a_worker_process_records_its_heartbeat(policy, clean_pg):
    with emulated_slack(policy, REDIS_URL) as (_ws, emulator):
        worker = start_worker(production_env(emulator, clean_pg, REDIS_URL, SLACK_BOT_TOKEN="xoxb-health"))
        db = Database(clean_pg)
        try:
            def recorded():
                with db.session() as s:
                    return s.exec(select(Heartbeat).where(Heartbeat.name == WORKER)).first()
            row = _ws.wait_for(recorded, timeout=240)  # an idle worker: no job has run
            assert "pid" in row.detail
        finally:
            stop_all(worker)
            db.dispose()
