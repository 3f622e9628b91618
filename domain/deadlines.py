"""Which milestones apply to an item and when each falls due: in calendar hours, or in the
company's working time (domain.sla.calendar) where the milestone says `clock: working`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.policy import Milestone, Policy
from domain.sla.calendar import WorkingCalendar, calendar_for


@dataclass(frozen=True)
class Due:
    milestone: str
    due_at: datetime  # aware UTC


def milestones_for(policy: Policy, kind: str, severity: str) -> tuple[Milestone, ...]:
    if kind == "complaint":
        return policy.deadlines.complaint[severity]
    return getattr(policy.deadlines, kind)


def after(clock: str, hours: float, start: datetime, calendar: WorkingCalendar) -> datetime:
    """The moment `hours` have passed since `start` on a milestone's clock: calendar or working time."""
    span = timedelta(hours=hours)
    return calendar.add(start, span) if clock == "working" else start + span


def due_at(policy: Policy, milestone: Milestone, start: datetime, calendar: WorkingCalendar | None = None) -> datetime:
    return after(milestone.clock, milestone.hours, start, calendar or calendar_for(policy))


def compute_deadlines(policy: Policy, kind: str, severity: str, received_at: datetime) -> list[Due]:
    calendar = calendar_for(policy)
    return [Due(m.milestone, due_at(policy, m, received_at, calendar)) for m in milestones_for(policy, kind, severity)]
