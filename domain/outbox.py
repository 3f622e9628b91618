"""The outbox: a durable row for every message before it is sent, keyed for idempotency.

The domain writes *intents* ("post the thread parent for item 12 in C0QUALITY");
the Slack face renders and sends them. A row is claimed before sending (an atomic
UPDATE, domain.durable_queue), so two deliverers — the web process right after a request and
a worker sweeping pending rows — never send the same row at once.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlmodel import Session, select

from domain.addresses import platform_of
from domain.durable_queue import DurableQueue
from models import OutboundMessage
from models.db import insert_into

WAITING_FOR_PARENT = "thread parent not posted yet"
MAX_ATTEMPTS = 8
# A claim older than the lease (a setting, passed in) is presumed dead and may be taken again. The
# lease must be far above the longest send (a row makes at most 3 Slack calls of at most ~21 s
# each, bot.slack_client).
QUEUE = DurableQueue(OutboundMessage, claimed="sending", max_attempts=MAX_ATTEMPTS,
                     backoff=lambda attempts: timedelta(seconds=min(600, 5 * 2 ** max(0, attempts - 1))),
                     order=("priority", "id"))  # AA messages first


def enqueue(session: Session, *, key: str, intent: str, now: datetime, item_id: int | None = None,
            channel: str | None = None, user: str | None = None, ts: str | None = None,
            locale: str = "en", data: dict[str, Any] | None = None, priority: int = 1,
            platform: str | None = None) -> int | None:
    """Add a message unless one with this key exists; returns the new row's id, or None when the key
    was there already (a retry: nothing done). `channel`, `user` and `ts` are addresses on `platform`
    (slack | teams), which decides who sends it (bot/delivery.py); unnamed, the platform whose address
    `channel` (else `user`) is (domain/addresses.py): a Teams person's DM goes out on Teams.

    One INSERT … ON CONFLICT DO NOTHING, not select-then-insert: two transactions deciding the same
    message at once (two ticks, two retries) both succeed, and the message is queued once.
    """
    platform = platform or platform_of(channel, user)
    table = OutboundMessage.__table__
    stmt = (insert_into(session, table)
            .values(key=key, intent=intent, platform=platform, item_id=item_id, channel=channel, user=user, ts=ts, locale=locale,
                    data=data or {}, status="pending", attempts=0, not_before=now, created_at=now, priority=priority)
            .on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id))
    return session.execute(stmt).scalar()


def due_ids(session: Session, now: datetime, lease: timedelta, item_id: int | None = None,
            limit: int = 200) -> list[int]:
    where = [OutboundMessage.item_id == item_id] if item_id is not None else []
    return QUEUE.due_ids(session, now, lease, *where, limit=limit)


def parent_ahead(session: Session, row: OutboundMessage, now: datetime, lease: timedelta) -> bool:
    """Whether a thread parent should go to this row's channel before it: one that is due or being
    sent, and (for a parent) filed earlier. When a channel is congested its posts go out one a second;
    the department should see the new items first, in filing order, then the pings and notes in their
    threads — not whichever sender asked first for the channel's next turn."""
    m = OutboundMessage
    query = select(m.id).where(m.intent == "parent", m.channel == row.channel, m.id != row.id,
                               or_(and_(m.status == "pending", m.not_before <= now),
                                   and_(m.status == "sending", m.claimed_at > now - lease)))
    if row.intent == "parent":
        query = query.where(m.id < row.id)
    return session.exec(query.limit(1)).first() is not None


def claim(session: Session, row_id: int, now: datetime, lease: timedelta) -> str | None:
    """Atomically take a row for sending: "pending", or "abandoned" when the last sender's lease
    expired (it may have died after Slack accepted the post: look before sending again); None
    when someone else has it or it is done."""
    return QUEUE.claim(session, row_id, now, lease)


def renew(session: Session, row_id: int, attempt: int, now: datetime) -> bool:
    """The row is still this sender's (claimed as its `attempt`-th try): its lease starts again."""
    return QUEUE.renew(session, row_id, attempt, now)


def mark_sent(row: OutboundMessage, now: datetime, ts: str | None) -> None:
    row.status, row.sent_at, row.result_ts, row.last_error = "sent", now, ts, None


def mark_retry(row: OutboundMessage, now: datetime, error: str, delay: timedelta | None = None) -> None:
    """Back off and try again later, or give up after MAX_ATTEMPTS."""
    QUEUE.retry(row, now, error, delay)


def cancel(row: OutboundMessage, reason: str) -> None:
    """Not to be sent: what it was about is settled (a reminder for a deadline met meanwhile)."""
    row.status, row.last_error = "cancelled", reason[:500]


def mark_failed(row: OutboundMessage, error: str) -> None:
    QUEUE.fail(row, error)


def wait(row: OutboundMessage, now: datetime, reason: str, until: datetime | None = None) -> None:
    """Not sendable yet: release the claim without counting a try, due again at `until`.

    A message waiting for its thread parent is due when the parent is: at once while the
    parent is being sent (the sender makes another pass and takes it), or at the parent's
    next try while it backs off. No wake-up is needed, so none can be lost.
    """
    QUEUE.release(row, now, reason, until)


def cancel_pending(session: Session, item_id: int, intents: tuple[str, ...], channel: str | None = None) -> int:
    q = (update(OutboundMessage)
         .where(OutboundMessage.item_id == item_id, OutboundMessage.status == "pending",
                OutboundMessage.intent.in_(intents)))
    if channel is not None:
        q = q.where(OutboundMessage.channel == channel)
    return session.execute(q.values(status="cancelled")).rowcount



def stuck(session: Session, limit: int = 200) -> list[OutboundMessage]:
    """What `voc outbox` lists: parked (failed) messages, then those still pending, oldest first."""
    rows = session.exec(select(OutboundMessage).where(OutboundMessage.status.in_(("failed", "pending", "sending")))
                        .order_by(OutboundMessage.status, OutboundMessage.id).limit(limit)).all()
    return sorted(rows, key=lambda r: (r.status != "failed", r.id))


def send_again(session: Session, ids: list[int] | None = None) -> int:
    """Parked messages back in the queue, their tries counted from zero (`voc outbox retry`). Their
    `not_before` (when they were last due, in the past) stays: they are due at once."""
    q = update(OutboundMessage).where(OutboundMessage.status == "failed")
    if ids is not None:
        q = q.where(OutboundMessage.id.in_(ids))
    return session.execute(q.values(status="pending", attempts=0, last_error=None)).rowcount
