"""A period's figures, each one SQL aggregate (never a Python loop over items), the same numbers the
digest shows and `voc report` prints (docs/reports.md defines each).

Everything is as at the period's end, or now if it has not ended (the cut):
- new: items filed (given a VOC number, not withdrawn) received in the period, by kind;
- complaints: the complaints among them, by category, severity and department (figures.py defines both);
- closed: items with a closing in the period; cycle_days: receipt to their last closing in it;
- open / overdue: filed before the cut and not closed by then (by their closings); overdue when a
  milestone was due by then and not met by then (and is not paused, waiting on the customer);
- repeats: new items linked as a repeat of earlier ones;
- withdrawn: items filed in the period and withdrawn since (not in `new`, never gone: the ledger lists them);
- on_time: per milestone, of the deadlines due in the period (not cancelled), the share met by
  their due moment.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_
from sqlmodel import Session, select

from domain.deadlines import milestone_kind
from domain.lifecycle.table import Status
from domain.policy import CATEGORIES, Policy
from domain.reports.figures import COMPLAINTS, KINDS, NEW, SEVERITIES, filed
from domain.reports.periods import Period
from models import Deadline, FeedbackItem, FieldVisit, ItemLink, StatusChange


# What happened at `now` has happened: a report of a period not over yet counts up to just after it
# (timestamps have microseconds), so an item filed this very moment is in it.
JUST_AFTER = timedelta(microseconds=1)


def cut_of(end: datetime, now: datetime) -> datetime:
    """The (exclusive) moment a period's figures count up to: its end, or just after `now`."""
    return min(end, now + JUST_AFTER)


def _seconds(session: Session, later, earlier):
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


# An item in one of these is open now; every other filed item is closed or withdrawn.
OPEN = tuple(s.value for s in Status if s not in (Status.draft, Status.closed, Status.withdrawn))


def _open_at(cut: datetime):
    """Open at `cut`: open now (a reopened item included), or closed now but only after `cut`. Both
    read a bounded slice: the open items, and what was closed since the cut, never the whole history."""
    closed_before = exists().where(StatusChange.item_id == FeedbackItem.id, StatusChange.to_status == "closed",
                                   StatusChange.at <= cut)
    return or_(FeedbackItem.status.in_(OPEN), and_(FeedbackItem.status == "closed", ~closed_before))


def _closed_since(cut: datetime):
    """Items with a closing after `cut` (the index on closings by moment reads only those)."""
    return select(StatusChange.item_id).where(StatusChange.to_status == "closed", StatusChange.at > cut)


def _of_department(item_id_column, department: str | None) -> list:
    """A filter on rows that belong to items (closings, deadlines): of the department's items only."""
    if not department:
        return []
    return [item_id_column.in_(select(FeedbackItem.id).where(FeedbackItem.department == department))]


def period_numbers(session: Session, policy: Policy, period: Period, now: datetime, department: str | None = None) -> dict:
    """The period's figures, of every item or of one department's (its digest)."""
    start, end = period.bounds(policy.tz)
    cut = cut_of(end, now)
    received = NEW.where(start, cut, department)

    def listed(counter: Counter, labels) -> dict[str, int]:
        return {label: counter.get(label, 0) for label in labels} | {k: v for k, v in counter.items() if k not in labels}

    kinds = Counter(dict(session.exec(select(FeedbackItem.kind, func.count()).where(received)
                                      .group_by(FeedbackItem.kind)).all()))
    new = {"total": sum(kinds.values()), "by_kind": listed(kinds, KINDS)}
    # complaints: one GROUP BY over the period's complaints; its few hundred groups summed per field
    groups = session.exec(select(FeedbackItem.category, FeedbackItem.severity, FeedbackItem.department, func.count())
                          .where(COMPLAINTS.where(start, cut, department))
                          .group_by(FeedbackItem.category, FeedbackItem.severity, FeedbackItem.department)).all()
    sums = [Counter() for _ in range(3)]
    for *labels, count in groups:
        for counter, label in zip(sums, labels):
            counter[label] += count
    complaints = {"total": sum(count for *_, count in groups), "by_category": listed(sums[0], CATEGORIES),
                  "by_severity": listed(sums[1], SEVERITIES), "by_department": listed(sums[2], tuple(policy.departments))}

    closings = (select(StatusChange.item_id, func.max(StatusChange.at).label("closed_at"))
                .where(StatusChange.to_status == "closed", StatusChange.at >= start, StatusChange.at < cut,
                       *_of_department(StatusChange.item_id, department))
                .group_by(StatusChange.item_id).subquery())
    # Only filed items are ever closed. The receipt is looked up per closing (a primary-key probe
    # each): a join would make PostgreSQL scan every item ever filed for a month's closings.
    received_at = select(FeedbackItem.received_at).where(FeedbackItem.id == closings.c.item_id).scalar_subquery()
    cycles = select((_seconds(session, closings.c.closed_at, received_at) / 86400.0).label("days")).subquery()
    closed, avg_days, max_days = session.exec(select(func.count(), func.avg(cycles.c.days), func.max(cycles.c.days))).one()

    before_cut = and_(filed(department), FeedbackItem.received_at < cut)
    open_now = session.exec(select(func.count()).select_from(FeedbackItem)
                            .where(before_cut, FeedbackItem.status.in_(OPEN))).one()
    closed_later = session.exec(select(func.count()).select_from(FeedbackItem).where(
        before_cut, FeedbackItem.id.in_(_closed_since(cut)), _open_at(cut))).one()
    open_count = open_now + closed_later
    # not met by the cut: unmet ones, or met after it (bounded by what happened since)
    overdue = session.exec(select(func.count(func.distinct(Deadline.item_id))).join(
        FeedbackItem, FeedbackItem.id == Deadline.item_id).where(
        before_cut, _open_at(cut), Deadline.state.not_in(("cancelled", "paused")), Deadline.due_at < cut,
        or_(Deadline.met_at.is_(None), Deadline.met_at > cut))).one()

    # withdrawn: filed, then withdrawn (filed in error, reported twice): no complaint of the period, but
    # counted, so that no filed item vanishes from the figures (the ledger lists each, with its reason)
    withdrawn = session.exec(select(func.count()).select_from(FeedbackItem).where(
        FeedbackItem.number.is_not(None), FeedbackItem.status == "withdrawn", FeedbackItem.received_at >= start,
        FeedbackItem.received_at < cut, *([FeedbackItem.department == department] if department else []))).one()

    repeats = session.exec(select(func.count(func.distinct(ItemLink.item_id))).join(
        FeedbackItem, FeedbackItem.id == ItemLink.item_id).where(ItemLink.kind == "repeat_of", received)).one()

    on_time, on_time_counts = {}, {}
    # Deadlines exist only for filed items, and withdrawing cancels them: no join needed.
    rows = session.exec(
        select(Deadline.milestone, func.count(),
               func.sum(case((and_(Deadline.met_at.is_not(None), Deadline.met_at <= Deadline.due_at), 1), else_=0)))
        .where(Deadline.state != "cancelled", Deadline.due_at >= start, Deadline.due_at < cut,
               *_of_department(Deadline.item_id, department))
        .group_by(Deadline.milestone)).all()
    for milestone, due, met in rows:  # a visit's clocks count under their kind (visit_arrival, visit_report)
        counts = on_time_counts.setdefault(milestone_kind(milestone), {"met": 0, "due": 0})
        counts["met"] += int(met or 0)
        counts["due"] += int(due)
    for milestone, counts in on_time_counts.items():
        on_time[milestone] = round(counts["met"] / counts["due"], 4) if counts["due"] else None
    # field service: visits asked for in the period; on site and signed reports on time of those due in it
    requested = session.exec(select(func.count()).select_from(FieldVisit).where(
        FieldVisit.requested_at >= start, FieldVisit.requested_at < cut, *_of_department(FieldVisit.item_id, department))).one()
    arrivals, reports = on_time_counts.get("visit_arrival", {}), on_time_counts.get("visit_report", {})
    visits = {"requested": int(requested), "arrived_on_time": arrivals.get("met", 0), "arrivals_due": arrivals.get("due", 0),
              "signed_on_time": reports.get("met", 0), "reports_due": reports.get("due", 0)}

    return {
        "period": period.key,
        "from": start.astimezone(policy.tz).isoformat(), "to": end.astimezone(policy.tz).isoformat(),
        "new": new, "complaints": complaints, "closed": int(closed or 0), "open": int(open_count), "overdue": int(overdue), "repeats": int(repeats),
        "withdrawn": int(withdrawn), "visits": visits,
        "on_time": dict(sorted(on_time.items())), "on_time_counts": dict(sorted(on_time_counts.items())),
        "cycle_days": {"avg": round(float(avg_days), 2) if avg_days is not None else None,
                       "max": round(float(max_days), 2) if max_days is not None else None},
    }
