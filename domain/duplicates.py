"""Possible duplicates: the same report again within the policy's window (48 h), typically a second
salesperson after the same call. The same report is the same customer and kind with the same part
number, the same lot, or (when they do not name different parts or lots) a near-identical description. The
bot offers "add to VOC-17" instead of filing twice; adding records the second report in the first
item's thread."""
from __future__ import annotations

from datetime import datetime, timedelta

from rapidfuzz import fuzz
from sqlmodel import Session, select

from domain.lifecycle.table import Status
from domain.policy import Policy
from domain.repeats import part_keys
from domain.text import normalize
from models import FeedbackItem

# Two descriptions this close (rapidfuzz ratio, 0-100, on the matching form) tell the same thing:
# the same message forwarded, retyped with a typo, a word added or dropped.
NEAR_IDENTICAL = 85


def lot_keys(item: FeedbackItem) -> set[str]:
    return {x.strip().upper() for x in item.lot_numbers or () if x.strip()}


def same_report(item: FeedbackItem, other: FeedbackItem) -> bool:
    """The same part or the same lot; or, unless they name different parts or different lots, a
    near-identical description."""
    parts, other_parts, lots, other_lots = part_keys(item), part_keys(other), lot_keys(item), lot_keys(other)
    if parts & other_parts or lots & other_lots:
        return True
    if (parts and other_parts) or (lots and other_lots):  # HX-2231 and HX-7777 (or two lots) cracked alike: two reports
        return False
    return fuzz.ratio(normalize(item.text), normalize(other.text)) >= NEAR_IDENTICAL


def possible_duplicate(s: Session, item: FeedbackItem, policy: Policy, now: datetime) -> FeedbackItem | None:
    """The newest filed item of the same kind and customer, received within the window, that is the
    same report (`same_report`), or None."""
    if item.customer_id is None:
        return None
    since = now - timedelta(hours=policy.intake.duplicate_hours)
    candidates = s.exec(select(FeedbackItem).where(
        FeedbackItem.customer_id == item.customer_id, FeedbackItem.id != item.id, FeedbackItem.kind == item.kind,
        FeedbackItem.status.not_in((Status.draft, Status.withdrawn)), FeedbackItem.number.is_not(None),
        FeedbackItem.received_at >= since,
    ).order_by(FeedbackItem.received_at.desc(), FeedbackItem.id.desc())).all()
    return next((c for c in candidates if same_report(item, c)), None)
