"""`GET /healthz` and `voc status`: ask the database and Redis (each within a short timeout), read the
worker's and the scheduler's last signs of life, and judge (domain/health.py).

The checks run side by side in a small pool of their own and the answer is given when the timeout
is up whatever is still waiting: a load balancer's probe is never held behind an unreachable host.
"""
from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import timedelta

import redis
from sqlalchemy import create_engine, text
from sqlmodel import Session

from bot.settings import Settings
from domain.clock import Clock
from domain.health import DOWN, NOT_USED, OK, Limits, Part, overall, recorded
from models.db import database_url, make_engine

HTTP_STATUS = {"ok": "200 OK", "attention": "200 OK", "down": "503 Service Unavailable"}


class HealthCheck:
    def __init__(self, settings: Settings, clock: Clock):
        self.settings, self.clock = settings, clock
        self.timeout = settings.voc_health_timeout_seconds
        self.limits = Limits(worker=timedelta(seconds=settings.voc_health_worker_stale_seconds),
                             sweep=timedelta(seconds=settings.voc_health_sweep_stale_seconds))
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="voc-health")
        self._engine = None
        self._redis = None

    # ---- the checks ---------------------------------------------------------------------------
    def _database(self) -> list[Part]:
        if self._engine is None:
            self._engine = _quick_engine(self.settings.database_url, self.timeout)
        now = self.clock.now()
        with Session(self._engine) as s:
            s.execute(text("SELECT 1"))
            return [Part("database", OK, "answers"), *recorded(s, now, self.limits)]

    def _redis_part(self) -> Part:
        if self.settings.voc_broker == "stub":
            return Part("redis", NOT_USED, "in-process broker (VOC_BROKER=stub)")
        if self._redis is None:
            self._redis = redis.Redis.from_url(self.settings.redis_url, socket_timeout=self.timeout,
                                               socket_connect_timeout=self.timeout)
        self._redis.ping()
        return Part("redis", OK, "answers")

    def parts(self) -> list[Part]:
        database, broker = self._pool.submit(self._database), self._pool.submit(self._redis_part)
        deadline = time.monotonic() + self.timeout  # one timeout for both: they run side by side
        try:
            parts = database.result(timeout=self.timeout)
        except Exception as exc:  # noqa: BLE001 — whatever it is, the answer is "down, because …"
            reason = _why(exc, self.timeout)
            unknown = f"unknown: the database {reason}"
            parts = [Part("database", DOWN, reason), Part("worker", DOWN, unknown),
                     Part("scheduler", DOWN, unknown), Part("outbox", DOWN, unknown)]
        try:
            parts.insert(1, broker.result(timeout=max(0.0, deadline - time.monotonic())))
        except Exception as exc:  # noqa: BLE001
            parts.insert(1, Part("redis", DOWN, _why(exc, self.timeout)))
        return parts

    def report(self) -> dict:
        parts = self.parts()
        return {"status": overall(parts), "at": self.clock.now().isoformat(),
                "parts": {p.name: p.as_dict() for p in parts}}

    # ---- GET /healthz -------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        report = self.report()
        body = json.dumps(report).encode("utf-8")
        start_response(HTTP_STATUS[report["status"]], [("Content-Type", "application/json"),
                                                       ("Content-Length", str(len(body))),
                                                       ("Cache-Control", "no-store")])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


def with_healthz(slack_wsgi, health: HealthCheck):
    """`/healthz` answered by `health`, ahead of the Slack edge: it is no Slack request, has no
    signature to check, and must answer a load balancer at once."""
    def route(environ, start_response):
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return health(environ, start_response)
        return slack_wsgi(environ, start_response)
    return route


def _quick_engine(url: str | None, timeout: float):
    """An engine of its own, one connection, that gives up within `timeout` (connecting and per
    statement), so a health check never waits behind the web process's busy pool."""
    url = database_url(url)
    if not url.startswith("postgresql"):
        return make_engine(url)
    millis = int(timeout * 1000)
    return create_engine(url, pool_size=1, max_overflow=1, pool_pre_ping=True,
                         connect_args={"connect_timeout": max(1, round(timeout)),
                                       "options": f"-c statement_timeout={millis}"})


def _why(exc: Exception, timeout: float) -> str:
    if isinstance(exc, FutureTimeout):
        return f"did not answer within {timeout:g} s"
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"unreachable ({first[:160]})"
