"""Repeat occurrence (seeds 000 and 004): a complaint from the same customer about the same part
number — or, when neither names a part, in the same category — within the policy's window repeats
the earlier ones. It is linked to them (an `ItemLink`, because repeats count double in scoring
later), a B complaint rises to A where the policy says so, and the department manager is told."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from domain.lifecycle.table import Status
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from models import FeedbackItem, ItemLink

MAX_LINKS = 5


def part_keys(item: FeedbackItem) -> set[str]:
    return {p.strip().upper() for p in item.part_numbers or () if p.strip()}


def earlier_occurrences(s: Session, item: FeedbackItem, policy: Policy) -> list[FeedbackItem]:
    """The earlier complaints this one repeats, newest first (none for other kinds or no known customer)."""
    if item.kind != "complaint" or item.customer_id is None:
        return []
    received = as_utc(item.received_at)
    since = received - timedelta(days=policy.repeats.window_days)
    candidates = s.exec(select(FeedbackItem).where(
        FeedbackItem.customer_id == item.customer_id, FeedbackItem.id != item.id, FeedbackItem.kind == "complaint",
        FeedbackItem.status.not_in((Status.draft, Status.withdrawn)), FeedbackItem.number.is_not(None),
        FeedbackItem.received_at >= since, FeedbackItem.received_at <= received,
    ).order_by(FeedbackItem.received_at.desc(), FeedbackItem.id.desc())).all()
    parts = part_keys(item)

    def same_problem(c: FeedbackItem) -> bool:
        return bool(parts & part_keys(c)) if parts else (not part_keys(c) and c.category == item.category)

    found = [c for c in candidates if same_problem(c)]
    return found[:MAX_LINKS]


def link_repeats(s: Session, item: FeedbackItem, policy: Policy, now: datetime) -> list[FeedbackItem]:
    """Record the links; returns the earlier items (the caller raises the severity and tells people)."""
    earlier = earlier_occurrences(s, item, policy)
    for other in earlier:
        s.add(ItemLink(item_id=item.id, other_id=other.id, kind="repeat_of", at=now))
    return earlier


def repeat_of(s: Session, item_id: int) -> tuple[int, ...]:
    """The reference numbers of the items this one repeats."""
    rows = s.exec(select(FeedbackItem.number).join(ItemLink, ItemLink.other_id == FeedbackItem.id)
                  .where(ItemLink.item_id == item_id, ItemLink.kind == "repeat_of")
                  .order_by(FeedbackItem.number.desc())).all()
    return tuple(n for n in rows if n is not None)
