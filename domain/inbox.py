"""The inbox: Slack requests accepted by the web process, processed by a worker.

Claim, lease, back-off and parking are domain.durable_queue's, shared with the outbox.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, tuple_
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from domain.durable_queue import DurableQueue
from models import FeedbackItem, InboundRequest
from models.db import insert_into

MAX_ATTEMPTS = 3
QUEUE = DurableQueue(InboundRequest, claimed="working", max_attempts=MAX_ATTEMPTS,
                     backoff=lambda attempts: timedelta(seconds=2 ** attempts))


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
    table = InboundRequest.__table__
    stmt = insert_into(engine, table).values(rows).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)
    with engine.begin() as conn:
        return sorted(conn.execute(stmt).scalars().all())


def due_ids(session: Session, now: datetime, lease: timedelta, limit: int = 200) -> list[int]:
    return QUEUE.due_ids(session, now, lease, limit=limit)


def claim(session: Session, row_id: int, now: datetime, lease: timedelta) -> str | None:
    """Take a request: "pending", "abandoned" (its worker died; the desk's processed-request key makes
    doing it again safe), or None when someone else has it or it is done."""
    return QUEUE.claim(session, row_id, now, lease)


def finish(row: InboundRequest, now: datetime, error: str | None = None) -> None:
    row.status, row.done_at, row.last_error = "done", now, (error[:500] if error else None)


def retry_or_fail(row: InboundRequest, now: datetime, error: str) -> bool:
    """Back off for another try; False (and failed) after MAX_ATTEMPTS."""
    return QUEUE.retry(row, now, error)


def pending_ids(session: Session, keys: list[str]) -> list[int]:
    """The requests with these keys still waiting for a worker (a replayed spool hands them on,
    including any a lost answer had stored already)."""
    q = select(InboundRequest.id).where(InboundRequest.key.in_(keys), InboundRequest.status == "pending")
    return sorted(session.exec(q).all())


def item_threads(engine: Engine, threads: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (channel, thread ts) are items' threads: one query for a whole batch, so the
    inbox writer keeps the text of a reply only where it is a complaint's discussion."""
    if not threads:
        return set()
    q = select(FeedbackItem.channel_id, FeedbackItem.thread_ts).where(
        tuple_(FeedbackItem.channel_id, FeedbackItem.thread_ts).in_(sorted(threads)))
    with Session(engine) as s:
        return {(channel, ts) for channel, ts in s.exec(q).all()}


def purge_processed(session: Session, now: datetime, keep: timedelta) -> int:
    """Delete the requests processed (done or failed) that arrived more than `keep` ago (policy
    `retention.inbound_days`): what they asked for lives on as items, events and discussion; the raw
    payload, with whatever else Slack sent, does not. A Slack retry comes within minutes, and the
    domain's processed-request keys stay, so a key deleted here cannot make anything happen twice."""
    table = InboundRequest.__table__
    result = session.execute(delete(table).where(table.c.status.in_(("done", "failed")),
                                                 table.c.received_at < now - keep))
    return result.rowcount or 0
