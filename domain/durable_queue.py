"""The mechanics every durable queue shares (the inbox, the outbox, and the next one): a row is
claimed with an atomic UPDATE, a claim older than the lease is presumed dead and may be taken
again, a failure backs off, and after too many tries the row is parked as failed.

The lease is a parameter, not a constant: it comes from the runtime's settings
(`VOC_CLAIM_LEASE_SECONDS`), so a drill can recover from a dead worker in seconds.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import or_, update
from sqlmodel import Session, select


@dataclass(frozen=True)
class DurableQueue:
    """One table used as a queue. `model` has the columns id, status, attempts, last_error,
    not_before and claimed_at; `claimed` is the status of a row someone is working on."""

    model: Any
    claimed: str
    max_attempts: int
    backoff: Callable[[int], timedelta]  # attempts so far -> delay before the next try
    order: tuple[str, ...] = ("id",)  # which due rows go first (the outbox: priority, then age)

    # ---- finding and claiming ------------------------------------------------------------------
    def _pending(self, now: datetime):
        m = self.model
        return (m.status == "pending") & (m.not_before <= now)

    def _abandoned(self, now: datetime, lease: timedelta):
        m = self.model
        return (m.status == self.claimed) & (m.claimed_at < now - lease)

    def due_ids(self, session: Session, now: datetime, lease: timedelta, *where, limit: int = 200) -> list[int]:
        m = self.model
        q = select(m.id).where(or_(self._pending(now), self._abandoned(now, lease)), *where)
        return list(session.exec(q.order_by(*(getattr(m, c) for c in self.order)).limit(limit)).all())

    def claim(self, session: Session, row_id: int, now: datetime, lease: timedelta) -> str | None:
        """Atomically take a row. Returns "pending" for a row nobody held, "abandoned" for one whose
        holder's lease expired (it may have done part of the work before it died), None when someone
        else has it or it is finished."""
        m = self.model
        for was, condition in (("pending", self._pending(now)), ("abandoned", self._abandoned(now, lease))):
            result = session.execute(
                update(m).where(m.id == row_id).where(condition)
                .values(status=self.claimed, claimed_at=now, attempts=m.attempts + 1))
            if result.rowcount == 1:
                return was
        return None

    def renew(self, session: Session, row_id: int, attempt: int, now: datetime) -> bool:
        """Keep a claim alive while slow work goes on: the lease runs from `now` again. False when the
        claim is no longer ours — another worker took the row after our lease ran out (its claim
        counted another attempt) or it is finished — and the work must not be delivered twice."""
        m = self.model
        result = session.execute(update(m).where(m.id == row_id, m.status == self.claimed, m.attempts == attempt)
                                 .values(claimed_at=now))
        return result.rowcount == 1

    # ---- after a try ---------------------------------------------------------------------------
    def retry(self, row, now: datetime, error: str, delay: timedelta | None = None) -> bool:
        """Back off for another try; False (and parked as failed) after max_attempts."""
        row.last_error = error[:500]
        if row.attempts >= self.max_attempts:
            row.status = "failed"
            return False
        row.status, row.not_before = "pending", now + (delay or self.backoff(row.attempts))
        return True

    @staticmethod
    def fail(row, error: str) -> None:
        row.status, row.last_error = "failed", error[:500]

    @staticmethod
    def release(row, now: datetime, reason: str, until: datetime | None = None) -> None:
        """Not workable yet: give the claim back without counting a try, due again at `until`."""
        row.status, row.attempts, row.last_error = "pending", max(0, row.attempts - 1), reason
        row.not_before = max(now, until) if until else now
