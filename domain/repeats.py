"""Repeat occurrence (seeds 000 and 004): the same problem coming back — a complaint from the same
customer about the same part number, or with the same failure mode (policy `repeats.failure_modes`)
unless the two name different parts — within the policy's window. Not any complaint of the same
category: a late delivery and wet cartons are two problems. It is linked to the earlier ones (an
`ItemLink`, because repeats count double in scoring later) with its evidence (the part, the failure
mode), a B complaint rises to A where the policy says so unless a person chose its severity, and the
department manager is told."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from domain.lifecycle.table import Status
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from domain.text import normalize
from models import FeedbackItem, ItemLink

MAX_LINKS = 5


def part_keys(item: FeedbackItem) -> set[str]:
    return {p.strip().upper() for p in item.part_numbers or () if p.strip()}


_modes: dict[int, tuple[Policy, dict[str, re.Pattern]]] = {}


def failure_modes(text: str, policy: Policy) -> set[str]:
    """The failure modes the text names (policy `repeats.failure_modes`)."""
    cached = _modes.get(id(policy))
    if cached is None or cached[0] is not policy:
        patterns = {mode: re.compile("|".join((r"(?<![a-z])" + re.escape(w.lower())) if w.isascii() else re.escape(w)
                                              for w in sorted(words, key=len, reverse=True)))
                    for mode, words in policy.repeats.failure_modes.items() if words}
        cached = _modes[id(policy)] = (policy, patterns)
    norm = normalize(text)
    return {mode for mode, pattern in cached[1].items() if pattern.search(norm)}


@dataclass(frozen=True)
class Repeat:
    """An earlier item this one repeats, and why: the shared parts, or the shared failure modes."""
    item: FeedbackItem
    parts: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()

    def evidence(self) -> list[str]:
        return [*(f"part {p}" for p in self.parts), *(f"failure mode {m}" for m in self.modes)]


def same_problem(item: FeedbackItem, other: FeedbackItem, policy: Policy) -> Repeat | None:
    """The same part, or the same failure mode when they do not name different parts."""
    parts, other_parts = part_keys(item), part_keys(other)
    if parts & other_parts:
        return Repeat(other, parts=tuple(sorted(parts & other_parts)))
    if parts and other_parts:
        return None
    modes = failure_modes(item.text, policy) & failure_modes(other.text, policy)
    return Repeat(other, modes=tuple(sorted(modes))) if modes else None


def earlier_occurrences(s: Session, item: FeedbackItem, policy: Policy) -> list[Repeat]:
    """The earlier complaints this one repeats, newest first, with the evidence (none for other
    kinds or no known customer)."""
    if item.kind != "complaint" or item.customer_id is None:
        return []
    received = as_utc(item.received_at)
    since = received - timedelta(days=policy.repeats.window_days)
    candidates = s.exec(select(FeedbackItem).where(
        FeedbackItem.customer_id == item.customer_id, FeedbackItem.id != item.id, FeedbackItem.kind == "complaint",
        FeedbackItem.status.not_in((Status.draft, Status.withdrawn)), FeedbackItem.number.is_not(None),
        FeedbackItem.received_at >= since, FeedbackItem.received_at <= received,
    ).order_by(FeedbackItem.received_at.desc(), FeedbackItem.id.desc())).all()
    found = [r for r in (same_problem(item, c, policy) for c in candidates) if r is not None]
    return found[:MAX_LINKS]


def link_repeats(s: Session, item: FeedbackItem, policy: Policy, now: datetime) -> list[Repeat]:
    """Record the links; returns the earlier items with their evidence (the caller raises the
    severity, or says why not, and tells people)."""
    earlier = earlier_occurrences(s, item, policy)
    for other in earlier:
        s.add(ItemLink(item_id=item.id, other_id=other.item.id, kind="repeat_of", at=now))
    return earlier


def repeat_of(s: Session, item_id: int) -> tuple[int, ...]:
    """The reference numbers of the items this one repeats."""
    rows = s.exec(select(FeedbackItem.number).join(ItemLink, ItemLink.other_id == FeedbackItem.id)
                  .where(ItemLink.item_id == item_id, ItemLink.kind == "repeat_of")
                  .order_by(FeedbackItem.number.desc())).all()
    return tuple(n for n in rows if n is not None)
