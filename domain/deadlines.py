"""Which milestones apply to an item and when each falls due (calendar hours for now)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.policy import Milestone, Policy


@dataclass(frozen=True)
class Due:
    milestone: str
    due_at: datetime  # aware UTC


def milestones_for(policy: Policy, kind: str, severity: str) -> tuple[Milestone, ...]:
    if kind == "complaint":
        return policy.deadlines.complaint[severity]
    return getattr(policy.deadlines, kind)


def compute_deadlines(policy: Policy, kind: str, severity: str, received_at: datetime) -> list[Due]:
    return [Due(m.milestone, received_at + timedelta(hours=m.hours)) for m in milestones_for(policy, kind, severity)]
