"""The outbox: a durable row for every message before it is sent, keyed for idempotency.

The domain writes *intents* ("post the thread parent for item 12 in C0QUALITY");
the Slack face renders and sends them. A row is claimed before sending (an atomic
UPDATE), so two deliverers — the web process right after a request and a worker
sweeping pending rows — never send the same row at once.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, select

from models import OutboundMessage

WAITING_FOR_PARENT = "thread parent not posted yet"
# A claim older than this is presumed dead (its process crashed) and may be taken again. It must be
# far above the longest send (a row makes at most 3 Slack calls of at most ~21 s each, bot.slack_client).
CLAIM_LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8


def enqueue(session: Session, *, key: str, intent: str, now: datetime, item_id: int | None = None,
            channel: str | None = None, user: str | None = None, ts: str | None = None,
            locale: str = "en", data: dict[str, Any] | None = None) -> OutboundMessage | None:
    """Add a message unless one with this key exists (then it is a retry: do nothing)."""
    if session.exec(select(OutboundMessage.id).where(OutboundMessage.key == key)).first() is not None:
        return None
    row = OutboundMessage(key=key, intent=intent, item_id=item_id, channel=channel, user=user, ts=ts,
                          locale=locale, data=data or {}, not_before=now, created_at=now)
    session.add(row)
    session.flush()
    return row


def due_ids(session: Session, now: datetime, item_id: int | None = None, limit: int = 200) -> list[int]:
    stale = now - CLAIM_LEASE
    q = select(OutboundMessage.id).where(
        or_(
            (OutboundMessage.status == "pending") & (OutboundMessage.not_before <= now),
            (OutboundMessage.status == "sending") & (OutboundMessage.claimed_at < stale),
        )
    )
    if item_id is not None:
        q = q.where(OutboundMessage.item_id == item_id)
    return list(session.exec(q.order_by(OutboundMessage.id).limit(limit)).all())


def claim(session: Session, row_id: int, now: datetime) -> bool:
    """Atomically take a row for sending; False when someone else has it or it is done."""
    stale = now - CLAIM_LEASE
    result = session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id == row_id)
        .where(
            or_(
                (OutboundMessage.status == "pending") & (OutboundMessage.not_before <= now),
                (OutboundMessage.status == "sending") & (OutboundMessage.claimed_at < stale),
            )
        )
        .values(status="sending", claimed_at=now, attempts=OutboundMessage.attempts + 1)
    )
    return result.rowcount == 1


def mark_sent(row: OutboundMessage, now: datetime, ts: str | None) -> None:
    row.status, row.sent_at, row.result_ts, row.last_error = "sent", now, ts, None


def mark_retry(row: OutboundMessage, now: datetime, error: str, delay: timedelta | None = None) -> None:
    """Back off and try again later, or give up after MAX_ATTEMPTS."""
    row.last_error = error[:500]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
        return
    row.status = "pending"
    row.not_before = now + (delay or timedelta(seconds=min(600, 5 * 2 ** max(0, row.attempts - 1))))


def mark_failed(row: OutboundMessage, error: str) -> None:
    row.status, row.last_error = "failed", error[:500]


def wait(row: OutboundMessage, now: datetime, reason: str, until: datetime | None = None) -> None:
    """Not sendable yet: release the claim without counting a try, due again at `until`.

    A message waiting for its thread parent is due when the parent is: at once while the
    parent is being sent (the sender makes another pass and takes it), or at the parent's
    next try while it backs off. No wake-up is needed, so none can be lost.
    """
    row.status, row.attempts, row.last_error = "pending", max(0, row.attempts - 1), reason
    row.not_before = max(now, until) if until else now


def cancel_pending(session: Session, item_id: int, intents: tuple[str, ...], channel: str | None = None) -> int:
    q = (update(OutboundMessage)
         .where(OutboundMessage.item_id == item_id, OutboundMessage.status == "pending",
                OutboundMessage.intent.in_(intents)))
    if channel is not None:
        q = q.where(OutboundMessage.channel == channel)
    return session.execute(q.values(status="cancelled")).rowcount

