"""Health you can see: the parts of an installation and whether each is alive (`GET /healthz`, `voc status`).

The worker and the scheduler run on their own, so they leave a sign of life in the database (the
`heartbeats` table): the worker every VOC_HEARTBEAT_SECONDS (workers/heartbeat.py), the sweep each
time it finishes (workers/requests.py). A sign older than its limit means the part is down. Messages
parked after failing need a person (`voc outbox retry`) but stop nothing: they are "attention", not
"down". Whether the database and Redis answer is asked by the caller (bot/health.py), which passes
the answers in; this module only reads rows and judges.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from domain.clock import as_utc
from models import Heartbeat, OutboundMessage
from models.db import insert_into

WORKER, SWEEP = "worker", "sweep"
OK, ATTENTION, DOWN, NOT_USED = "ok", "attention", "down", "not used"


@dataclass(frozen=True)
class Part:
    name: str  # database | redis | worker | scheduler | outbox
    state: str  # ok | attention | down | not used
    detail: str
    at: datetime | None = None  # the last sign of life, for the worker and the scheduler

    def as_dict(self) -> dict:
        return {**asdict(self), "at": self.at.isoformat() if self.at else None}


@dataclass(frozen=True)
class Limits:
    """How old a sign of life may be before its part counts as down (settings VOC_HEALTH_*)."""
    worker: timedelta
    sweep: timedelta


def beat(session: Session, name: str, now: datetime, detail: str = "") -> None:
    """Record a sign of life: one row per part, the latest wins (several workers share "worker")."""
    table = Heartbeat.__table__
    stmt = insert_into(session, table).values(name=name, at=now, detail=detail[:200])
    session.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"at": now, "detail": detail[:200]}))


def recorded(session: Session, now: datetime, limits: Limits) -> list[Part]:
    """The worker, the scheduler and the outbox as the database records them."""
    beats = {b.name: b for b in session.exec(select(Heartbeat)).all()}
    parked = session.exec(select(func.count()).select_from(OutboundMessage)
                          .where(OutboundMessage.status == "failed")).one()
    return [_fresh("worker", beats.get(WORKER), now, limits.worker, "heartbeat"),
            _fresh("scheduler", beats.get(SWEEP), now, limits.sweep, "sweep"),
            Part("outbox", ATTENTION if parked else OK,
                 f"{parked} message(s) parked after failing: voc outbox, then voc outbox retry" if parked
                 else "no message parked")]


def _fresh(name: str, row: Heartbeat | None, now: datetime, limit: timedelta, what: str) -> Part:
    if row is None:
        return Part(name, DOWN, f"no {what} recorded yet")
    at = as_utc(row.at)
    age = max(timedelta(), now - at)
    by = f" ({row.detail})" if row.detail else ""
    if age > limit:
        return Part(name, DOWN, f"last {what} {_ago(age)} ago{by}, more than {_ago(limit)}", at)
    return Part(name, OK, f"last {what} {_ago(age)} ago{by}", at)


def _ago(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def overall(parts: list[Part]) -> str:
    """down if any part is down, attention if any needs a person, else ok."""
    states = {p.state for p in parts}
    return DOWN if DOWN in states else ATTENTION if ATTENTION in states else OK
