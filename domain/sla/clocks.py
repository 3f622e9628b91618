"""A deadline's clock through an item's life (docs/sla.md): started at filing, met by the step that
fulfils it, paused while waiting on the customer and shifted by the paused time on resume,
recomputed from receipt when the severity changes, snoozed, cancelled when the item ends.

Every function takes the row(s), the policy, the calendar and `now`; none reads the clock itself.
The moments are computed from what the row recorded (its clock kind, hours and paused time), so an
edited policy never moves an existing deadline: only a recompute (severity change) takes the
current policy, and records its version.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from domain.deadlines import Span, add_span, is_visit_clock, milestones_for, share_of, shift
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from domain.requirements import Requirements
from domain.sla.calendar import WorkingCalendar
from domain.sla.ladder import Clock, plan
from models import Deadline

OPEN, MET, PAUSED, CANCELLED = "open", "met", "paused", "cancelled"
# An item in one of these has ended: no clock runs on it, and none starts.
ENDED = ("closed", "withdrawn")


def _moments(d: Deadline, start: datetime, policy: Policy, calendar: WorkingCalendar) -> tuple[datetime, datetime]:
    """(remind_at, due_at) from receipt: the milestone's length in its unit, the reminder at the policy's
    share of the way there, both moved on by the time the clock was paused."""
    due = add_span(calendar, d.clock, Span.of(d), start)
    remind = share_of(calendar, d.clock, start, due, policy.escalation.remind_at)
    paused = timedelta(seconds=d.paused_seconds)
    return shift(calendar, d.clock, remind, paused), shift(calendar, d.clock, due, paused)


def _wanted(policy: Policy, item, needs: Requirements) -> dict:
    """The milestones that run for the item as it is now, with the customer's own lengths: none once
    it has ended."""
    if item.status in ENDED:
        return {}
    return {m.milestone: m for m in milestones_for(policy, item.kind, item.severity, category=item.category,
                                                     wants_8d=item.wants_8d, overrides=needs.deadlines)}


def _take_terms(d: Deadline, milestone) -> None:
    d.clock, d.hours, d.days, d.months = milestone.clock, milestone.nominal_hours, milestone.days, milestone.months


def clock_of(d: Deadline) -> Clock:
    return Clock(as_utc(d.remind_at) or as_utc(d.due_at), as_utc(d.due_at), d.level, as_utc(d.snoozed_until))


def schedule(d: Deadline, severity: str, policy: Policy, calendar: WorkingCalendar, now: datetime) -> None:
    """When the tick should look at this clock next (nothing while it is not running)."""
    d.next_action_at = (plan(clock_of(d), severity, policy.escalation, calendar, now).next_action_at
                        if d.state == OPEN else None)


def start_clock(item, milestone, policy: Policy, calendar: WorkingCalendar, now: datetime) -> Deadline:
    """A milestone's deadline from receipt, with its reminder moment and the policy version."""
    received = as_utc(item.received_at)
    d = Deadline(item_id=item.id, milestone=milestone.milestone, state=OPEN, level=0, paused_seconds=0,
                 policy_version=policy.clock_version(), due_at=received)
    _take_terms(d, milestone)
    d.remind_at, d.due_at = _moments(d, received, policy, calendar)
    schedule(d, item.severity, policy, calendar, now)
    return d


def start_span_clock(item, milestone: str, term, start: datetime, policy: Policy, calendar: WorkingCalendar,
                     now: datetime) -> Deadline:
    """A clock that starts at a moment of its own, not at receipt (a visit's: its request or its return),
    with the term's length and clock; reminded and escalated by the tick like every milestone."""
    d = Deadline(item_id=item.id, milestone=milestone, state=OPEN, level=0, paused_seconds=0,
                 policy_version=policy.clock_version(), due_at=start)
    d.clock, d.hours, d.days, d.months = term.clock, term.nominal_hours, term.days, term.months
    d.remind_at, d.due_at = _moments(d, as_utc(start), policy, calendar)
    schedule(d, item.severity, policy, calendar, now)
    return d


def sync_clocks(rows: list[Deadline], item, policy: Policy, calendar: WorkingCalendar, now: datetime,
                needs: Requirements) -> list[Deadline]:
    """The item's deadlines after filing or a change of its facts (kind, severity, category, whether
    the customer asks for an 8D, its status): new milestones start, running ones are recomputed from
    receipt, ones that no longer apply are cancelled; met ones stay met. On an item that has ended
    (closed, withdrawn) nothing runs. `needs`: what the item's customer requires
    (domain/requirements.py). Returns the rows to add."""
    wanted = _wanted(policy, item, needs)
    have = {d.milestone: d for d in rows}
    for d in rows:  # cancelled because it no longer applied (another category, no 8D): it applies again
        if d.milestone in wanted and d.state == CANCELLED:
            d.state = OPEN
    recompute([d for d in rows if d.milestone in wanted], item, policy, calendar, now, needs)
    for d in rows:  # a visit's clocks run from the visit, whatever the item's milestones are
        if d.milestone not in wanted and d.state in (OPEN, PAUSED) and not is_visit_clock(d.milestone):
            cancel(d, now)
    started = [start_clock(item, m, policy, calendar, now) for name, m in wanted.items() if name not in have]
    if getattr(item, "status", None) == "waiting_on_customer":  # it starts as the others stand: paused
        for d in started:
            pause(d, now)
    return started


def meet(d: Deadline, now: datetime) -> None:
    d.met_at, d.state, d.next_action_at = now, MET, None


def cancel(d: Deadline, now: datetime) -> None:
    """The item ended (closed otherwise, withdrawn): the clock stops without being met."""
    d.state, d.next_action_at = CANCELLED, None


def pause(d: Deadline, now: datetime) -> None:
    if d.state == OPEN:
        d.state, d.paused_at, d.next_action_at = PAUSED, now, None


def resume(d: Deadline, severity: str, policy: Policy, calendar: WorkingCalendar, now: datetime) -> None:
    """Back from waiting: the deadline moves by the time it was paused (working time on a working clock)."""
    if d.state != PAUSED or d.paused_at is None:
        return
    since = as_utc(d.paused_at)
    paused = calendar.between(since, now) if d.clock == "working" else max(now - since, timedelta())
    d.paused_seconds += paused.total_seconds()

    def shifted(moment: datetime) -> datetime:
        """The time that was left before the pause is left after it (a moment already passed stays)."""
        moment = as_utc(moment)
        if moment <= since:
            return moment
        return calendar.add(now, calendar.between(since, moment)) if d.clock == "working" else moment + paused

    d.due_at, d.remind_at = shifted(d.due_at), shifted(d.remind_at or d.due_at)
    d.state, d.paused_at = OPEN, None
    schedule(d, severity, policy, calendar, now)


def recompute(rows: list[Deadline], item, policy: Policy, calendar: WorkingCalendar, now: datetime,
              needs: Requirements) -> None:
    """New terms: open and paused milestones take the current policy's length and clock for the item's
    severity, from receipt (plus
    the time they were paused). Met and cancelled ones stay as they were."""
    wanted = _wanted(policy, item, needs)
    for d in rows:
        m = wanted.get(d.milestone)
        if d.state not in (OPEN, PAUSED) or m is None:
            continue
        _take_terms(d, m)
        d.policy_version = policy.clock_version()
        d.remind_at, d.due_at = _moments(d, as_utc(item.received_at), policy, calendar)
        if d.due_at > now:  # no longer overdue: the ladder starts again from where the new moments put it
            d.level = 1 if d.remind_at <= now and d.level >= 1 else 0
        schedule(d, item.severity, policy, calendar, now)


def snooze_until(choice: str, calendar: WorkingCalendar, now: datetime) -> datetime:
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "4h":
        return now + timedelta(hours=4)
    local = now.astimezone(calendar.zone)
    tomorrow = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return calendar.next_working_moment(tomorrow)  # the start of the next working day
