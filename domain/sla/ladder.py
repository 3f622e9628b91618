"""What a deadline's clock asks for next: a reminder before it falls due, then the escalation ladder
after. Pure: a deadline's state, the item's severity, the policy's ladder, the working calendar and
`now` in; the stage to act on now (if any) and the moment to look again out.

Stages, in order: 0 the reminder (at `remind_at`, by default 75 % of the milestone's time), then
escalation level 1, 2, … at `due_at` + each level's delay (only the levels that apply to the
severity). When several stages are due at once (escalations that waited out a night or a weekend,
or a scheduler that was down), the reminder among them is stale news and is skipped, but no
escalation level is: every level due is reached in the one tick, in order, and one message says so.
Reminders and escalations wait for working time (no 03:00 pings), except escalations of AA items,
which do not wait.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.policy import Escalation, EscalationLevel
from domain.sla.calendar import WorkingCalendar


@dataclass(frozen=True)
class Clock:
    """What the ladder needs of a deadline row."""

    remind_at: datetime
    due_at: datetime
    level: int  # stages done: 0 none, 1 reminded, 2 first escalation, …
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class Stage:
    index: int  # 0 reminder, k escalation level k
    moment: datetime
    level: EscalationLevel | None  # None for the reminder

    @property
    def is_reminder(self) -> bool:
        return self.index == 0


@dataclass(frozen=True)
class Plan:
    act: Stage | None  # the stage to send now
    new_level: int  # the deadline's level after it
    next_action_at: datetime | None  # when to look again (None: nothing left to do)
    # every escalation level reached now, in order, `act` last: a level is never skipped silently
    levels: tuple[Stage, ...] = ()


def stages(clock: Clock, severity: str, ladder: Escalation) -> list[Stage]:
    found = [Stage(0, clock.remind_at, None)]
    for n, level in enumerate(ladder.levels_for(severity), 1):
        found.append(Stage(n, clock.due_at + timedelta(hours=level.after_hours), level))
    return found


def _waits_for_working_time(stage: Stage, severity: str) -> bool:
    return stage.is_reminder or severity != "AA"


def _when(stage: Stage, severity: str, calendar: WorkingCalendar) -> datetime:
    """The stage's moment, moved to the next working moment where it must wait for working time."""
    if _waits_for_working_time(stage, severity):
        return calendar.next_working_moment(stage.moment)
    return stage.moment


def plan(clock: Clock, severity: str, ladder: Escalation, calendar: WorkingCalendar, now: datetime) -> Plan:
    todo = [(stage, _when(stage, severity, calendar)) for stage in stages(clock, severity, ladder)[clock.level:]]
    if not todo:
        return Plan(None, clock.level, None)
    due = [stage for stage, when in todo if when <= now]
    if not due:
        return Plan(None, clock.level, _later(min(when for _, when in todo), clock.snoozed_until))
    if clock.snoozed_until is not None and clock.snoozed_until > now:
        return Plan(None, clock.level, clock.snoozed_until)
    # The latest stage already due: earlier ones are stale news (a reminder that waited for working
    # time is not sent after the escalation that did not wait).
    current = max(due, key=lambda stage: stage.index)
    rest = [when for stage, when in todo if stage.index > current.index]
    levels = tuple(stage for stage in sorted(due, key=lambda stage: stage.index) if not stage.is_reminder)
    return Plan(current, current.index + 1, min(rest) if rest else None, levels)


def _later(moment: datetime, snoozed_until: datetime | None) -> datetime:
    return max(moment, snoozed_until) if snoozed_until else moment
