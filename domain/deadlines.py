"""Which milestones apply to an item and when each falls due.

A milestone's length is stated as the procedure states it, in hours, days or months, and counted on
its clock (docs/sla.md, "Working time, precisely"):

| unit   | calendar clock                    | working clock                                                   |
|--------|-----------------------------------|-----------------------------------------------------------------|
| hours  | that many hours                   | that many working hours                                         |
| days   | the same clock time N days later  | from the first working moment at or after receipt, the same     |
|        |                                   | clock time on the N-th working day after it                     |
| months | the same date N months later (the | likewise from the first working moment; then the next working   |
|        | month's last day when it has none)| day at that clock time when the date is not one                 |
"""
from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Mapping

from domain.policy import DeadlineOverride, Milestone, Policy
from domain.sla.calendar import WorkingCalendar, calendar_for


@dataclass(frozen=True)
class Due:
    milestone: str
    due_at: datetime  # aware UTC


@dataclass(frozen=True)
class Span:
    """A milestone's length in the one unit it was stated in."""

    hours: float | None = None
    days: int | None = None
    months: int | None = None

    @classmethod
    def of(cls, source) -> "Span":
        """From a policy milestone or a deadline row (both have hours, days and months)."""
        if getattr(source, "months", None):
            return cls(months=source.months)
        if getattr(source, "days", None):
            return cls(days=source.days)
        return cls(hours=source.hours)


# Field-service visits (domain/lifecycle/visits.py): one clock per visit, named `<kind>:<visit id>`
# so each visit's clock is its own row, reminder and escalation.
VISIT_MILESTONES = ("visit_arrival", "visit_report")


def visit_milestone(kind: str, visit_id: int) -> str:
    return f"{kind}:{visit_id}"


def milestone_kind(name: str) -> str:
    """What a deadline promises: its milestone, or for a visit's clock the visit milestone it is one of."""
    return name.partition(":")[0]


def is_visit_clock(name: str) -> bool:
    return milestone_kind(name) in VISIT_MILESTONES


def milestones_for(policy: Policy, kind: str, severity: str, *, category: str | None = None,
                   wants_8d: bool | None = None, overrides: Mapping[str, DeadlineOverride] | None = None
                   ) -> tuple[Milestone, ...]:
    """The milestones that run for an item: its kind and severity, and of those the ones for its
    category (all when None) and, for a conditional one, whether the customer asks for an 8D. A
    milestone the customer sets its own length for (`overrides`, domain/requirements.py) takes it,
    on the customer's clock where it names one."""
    listed = policy.deadlines.complaint[severity] if kind == "complaint" else getattr(policy.deadlines, kind)
    return tuple(_customers(m, (overrides or {}).get(m.milestone)) for m in listed if m.applies(category, wants_8d))


def _customers(m: Milestone, own: DeadlineOverride | None) -> Milestone:
    if own is None:
        return m
    return m.model_copy(update={"hours": own.hours, "days": own.days, "months": own.months, "clock": own.clock or m.clock})


def _plus_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def add_span(calendar: WorkingCalendar, clock: str, span: Span, start: datetime) -> datetime:
    """The moment `span` has passed since `start` on the clock (aware; UTC when counted in working time)."""
    if span.hours is not None:
        return calendar.add(start, timedelta(hours=span.hours)) if clock == "working" else start + timedelta(hours=span.hours)
    if clock == "working":
        start = calendar.next_working_moment(start)
    local = start.astimezone(calendar.zone)
    if span.months is not None:
        day = _plus_months(local.date(), span.months)
        if clock == "working":
            while not calendar.is_working_day(day):
                day += timedelta(days=1)
    elif clock == "working":
        day, left = local.date(), span.days
        while left:
            day += timedelta(days=1)
            left -= calendar.is_working_day(day)
    else:
        day = local.date() + timedelta(days=span.days)
    return datetime.combine(day, local.timetz().replace(tzinfo=None), calendar.zone).astimezone(start.tzinfo)


def shift(calendar: WorkingCalendar, clock: str, moment: datetime, by: timedelta) -> datetime:
    """`moment` moved later by `by` of the clock's time (a pause: working time on a working clock)."""
    if not by:
        return moment
    return calendar.add(moment, by) if clock == "working" else moment + by


def share_of(calendar: WorkingCalendar, clock: str, start: datetime, due: datetime, share: float) -> datetime:
    """The moment a share of the way from start to due has passed, in the clock's time (a reminder at
    75 % of 3 working days is at 75 % of the working time those days hold)."""
    if clock == "working":
        return calendar.add(start, calendar.between(start, due) * share)
    return start + (due - start) * share


def after(clock: str, hours: float, start: datetime, calendar: WorkingCalendar) -> datetime:
    """The moment `hours` have passed since `start` on a clock: calendar or working hours."""
    return add_span(calendar, clock, Span(hours=hours), start)


def due_at(policy: Policy, milestone: Milestone, start: datetime, calendar: WorkingCalendar | None = None) -> datetime:
    return add_span(calendar or calendar_for(policy), milestone.clock, Span.of(milestone), start)


def compute_deadlines(policy: Policy, kind: str, severity: str, received_at: datetime, *, category: str | None = None,
                      wants_8d: bool | None = None, overrides: Mapping[str, DeadlineOverride] | None = None) -> list[Due]:
    calendar = calendar_for(policy)
    return [Due(m.milestone, due_at(policy, m, received_at, calendar))
            for m in milestones_for(policy, kind, severity, category=category, wants_8d=wants_8d, overrides=overrides)]
