"""When each report is due and to whom; queued once per period and recipient.

The weekly digest for a week is due on the policy's weekday of the next week at its hour, the
monthly report on its day of the next month, the annual analysis on its day in January (by default)
of the next year, all in company time. Every sweep asks for what is due by `now`: each due report
is one outbox row keyed `report:<period>:<recipient>`, so two schedulers (or a sweep run twice)
queue it once (INSERT … ON CONFLICT DO NOTHING). Each sweep looks at the moments since the last
sweep (`reports:swept`): a report whose moment passed while the scheduler was down is queued by
the next sweep, marked late (the message says so), provided its moment is within `catch_up_days`;
a new installation does not send last year's reports on its first morning, nor a recipient added
to the policy today the weeks before it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlmodel import Session, select

from domain import outbox
from domain.clock import as_utc
from domain.policy import Policy, ReportSchedule
from domain.reports.periods import KINDS, Period, of
from models import OutboundMessage, ProcessedRequest
from models.db import insert_into

SWEPT_KEY = "reports:swept"  # the moment the last sweep looked up to
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Due:
    key: str
    period: Period
    moment: datetime  # UTC
    channel: str  # a channel id, or the person's user id for a DM
    user: str | None
    language: str | None  # fixed by the policy; None: the reader's (a person) or the reports' (a channel)
    department: str | None


def schedule_of(policy: Policy, kind: str) -> ReportSchedule:
    return {"week": policy.reports.weekly, "month": policy.reports.monthly, "year": policy.reports.annual}[kind]


def moment_of(policy: Policy, period: Period) -> datetime:
    """When the period's report is due (UTC)."""
    r = policy.reports
    if period.kind == "week":
        day = period.after + timedelta(days=WEEKDAYS.index(r.weekly.weekday))
        at = r.weekly.at
    elif period.kind == "month":
        day, at = period.after.replace(day=r.monthly.day), r.monthly.at
    else:
        day, at = date(period.after.year, r.annual.month, r.annual.day), r.annual.at
    return datetime.combine(day, at, policy.tz).astimezone(timezone.utc)


def recipients(policy: Policy, period: Period, moment: datetime) -> list[Due]:
    schedule = schedule_of(policy, period.kind)
    found = [Due(f"report:{period.key}:{r.channel or r.user}", period, moment, r.channel or r.user, r.user, r.language, None)
             for r in schedule.to]
    if period.kind == "week" and policy.reports.weekly.departments:
        found += [Due(f"report:{period.key}:dept:{key}", period, moment, dept.channel, None, policy.reports.language, key)
                  for key, dept in policy.departments.items() if dept.channel]  # a department on Teams alone: not here
        # a department placed in Teams (docs/teams.md) reads its digest in its Teams channel too
        found += [Due(f"report:{period.key}:dept:{key}:teams", period, moment, dept.teams.channel, None,
                      policy.reports.language, key) for key, dept in policy.departments.items() if dept.teams]
    return found


def due(policy: Policy, now: datetime, since: datetime) -> list[Due]:
    """Every report whose moment is in (`since`, `now`] and within the catch-up window."""
    earliest = max(as_utc(since), now - timedelta(days=policy.reports.catch_up_days))
    today = now.astimezone(policy.tz).date()
    found: list[Due] = []
    for kind in KINDS:
        if not schedule_of(policy, kind).enabled:
            continue
        period = of(kind, today).previous()  # a period's report is due after it ends
        while (moment := moment_of(policy, period)) > earliest:
            if moment <= now:
                found += recipients(policy, period, moment)
            period = period.previous()
    return found


def next_moment(policy: Policy, after: datetime) -> datetime | None:
    """The first report moment later than `after` (the shell's clock stops there); None when every
    report is switched off."""
    today = after.astimezone(policy.tz).date()
    moments = [moment_of(policy, p) for kind in KINDS if schedule_of(policy, kind).enabled
               for p in (of(kind, today).previous(), of(kind, today))]
    return min((m for m in moments if m > after), default=None)


def _last_sweep(session: Session, now: datetime) -> datetime:
    """When a scheduler last looked (now, the first time ever), and `now` recorded for the next one.
    Only moments since then are due: a report missed while no scheduler ran is caught up, but a
    recipient added to the policy today is not sent the weeks before it."""
    # The first sweep ever looks at its own moment only (a report due exactly then is sent).
    session.execute(insert_into(session, ProcessedRequest.__table__).values(key=SWEPT_KEY, at=now - timedelta(microseconds=1))
                    .on_conflict_do_nothing(index_elements=["key"]))
    row = session.get(ProcessedRequest, SWEPT_KEY)
    last = as_utc(row.at)
    if now > last:
        row.at = now
        session.add(row)
    return last


def queue_due_reports(session: Session, policy: Policy, now: datetime) -> list[Due]:
    """Queue what is due and not queued yet; returns what this call queued."""
    wanted = due(policy, now, _last_sweep(session, now))
    if not wanted:
        return []
    queued = set(session.exec(select(OutboundMessage.key).where(OutboundMessage.key.in_([w.key for w in wanted]))).all())
    late_after = timedelta(minutes=policy.reports.late_after_minutes)
    added = []
    for w in wanted:
        if w.key in queued:
            continue
        row = outbox.enqueue(session, key=w.key, intent="report", channel=w.channel, user=w.user, now=now,
                             locale=w.language or policy.reports.language or policy.company.language, priority=2,
                             data={"kind": w.period.kind, "period": w.period.key, "department": w.department,
                                   "language": w.language, "due_at": w.moment.isoformat(),
                                   "late": now - w.moment > late_after})
        if row is not None:
            added.append(w)
    return added
