"""Possible duplicates: the same customer and part reported again within the policy's window
(48 h), typically by a second salesperson after the same call. The bot offers "add to VOC-17"
instead of filing twice; adding records the second report in the first item's thread."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from domain.lifecycle.table import Status
from domain.policy import Policy
from domain.repeats import part_keys
from models import FeedbackItem


def possible_duplicate(s: Session, item: FeedbackItem, policy: Policy, now: datetime) -> FeedbackItem | None:
    """The newest filed item of the same kind, customer and part received within the window, or None.
    Without a part number there is no offer: the same customer alone is too weak a sign."""
    parts = part_keys(item)
    if item.customer_id is None or not parts:
        return None
    since = now - timedelta(hours=policy.intake.duplicate_hours)
    candidates = s.exec(select(FeedbackItem).where(
        FeedbackItem.customer_id == item.customer_id, FeedbackItem.id != item.id, FeedbackItem.kind == item.kind,
        FeedbackItem.status.not_in((Status.draft, Status.withdrawn)), FeedbackItem.number.is_not(None),
        FeedbackItem.received_at >= since,
    ).order_by(FeedbackItem.received_at.desc(), FeedbackItem.id.desc())).all()
    return next((c for c in candidates if parts & part_keys(c)), None)
