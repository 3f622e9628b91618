"""VOC Desk's production processes (voc web / voc socket, dramatiq workers) for end-to-end tests."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis

from cli.local_processes import free_port, stop_all, wait_listening, wait_ready  # noqa: F401  (used by the tests)
from slack_emulator import EmulatorServer
from slack_emulator.demo import demo_workspace
from tests.conftest import PG_ADMIN

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@contextmanager
def fresh_postgres(prefix: str = "voc_fresh"):
    """An empty PostgreSQL database, as on a new server (no schema, nothing seeded); dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def emulated_slack(policy, redis_url: str):
    """The demo workspace on a local Slack emulator, and an empty Redis database for the broker."""
    redis.Redis.from_url(redis_url).flushdb()
    ws = demo_workspace(policy)
    emulator = EmulatorServer(ws).start()
    try:
        yield ws, emulator
    finally:
        emulator.stop()


def production_env(emulator: EmulatorServer, db_url: str, redis_url: str, **extra: str) -> dict:
    """The environment `voc web`, `voc socket` and the worker get in production, pointed at local parts."""
    return {"SLACK_API_URL": emulator.api_url, "DATABASE_URL": db_url, "REDIS_URL": redis_url,
            "VOC_BROKER": "redis", **extra}


def start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / args[0]), *args[1:]], cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def start_worker(env: dict) -> subprocess.Popen:
    return start(["dramatiq", "workers", "--processes", "1", "--threads", "2"], env)
