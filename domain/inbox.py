"""The inbox: Slack requests accepted by the web process, processed by a worker.

Same claim discipline as the outbox: an atomic UPDATE takes a row, a claim older
than the lease is presumed dead and may be taken again.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import InboundRequest

CLAIM_LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 3


def accept_many(engine: Engine, requests: list[tuple[str, str, dict[str, Any]]], now: datetime) -> list[int]:
    """Store requests (key, kind, payload) in one statement; returns the ids of the new ones
    (a key stored before — a Slack retry — is skipped).

    This runs in the web process for every request, so it is one Core INSERT … ON CONFLICT
    DO NOTHING for a whole batch, not the ORM's unit of work per row (bench/, docs/benchmarks.md).
    """
    if not requests:
        return []
    rows, seen = [], set()
    for key, kind, payload in requests:
        if key not in seen:  # the same request twice in one batch
            seen.add(key)
            rows.append({"key": key, "kind": kind, "payload": payload, "status": "pending", "attempts": 0,
                         "not_before": now, "received_at": now})
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    table = InboundRequest.__table__
    stmt = insert(table).values(rows).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)
    with engine.begin() as conn:
        return sorted(conn.execute(stmt).scalars().all())


def _claimable(now: datetime):
    return or_(
        (InboundRequest.status == "pending") & (InboundRequest.not_before <= now),
        (InboundRequest.status == "working") & (InboundRequest.claimed_at < now - CLAIM_LEASE),
    )


def due_ids(session: Session, now: datetime, limit: int = 200) -> list[int]:
    q = select(InboundRequest.id).where(_claimable(now)).order_by(InboundRequest.id).limit(limit)
    return list(session.exec(q).all())


def claim(session: Session, row_id: int, now: datetime) -> bool:
    result = session.execute(
        update(InboundRequest).where(InboundRequest.id == row_id).where(_claimable(now))
        .values(status="working", claimed_at=now, attempts=InboundRequest.attempts + 1)
    )
    return result.rowcount == 1


def finish(row: InboundRequest, now: datetime, error: str | None = None) -> None:
    row.status, row.done_at, row.last_error = "done", now, (error[:500] if error else None)


def retry_or_fail(row: InboundRequest, now: datetime, error: str) -> bool:
    """Back off for another try; False (and failed) after MAX_ATTEMPTS."""
    row.last_error = error[:500]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
        return False
    row.status, row.not_before = "pending", now + timedelta(seconds=2 ** row.attempts)
    return True
