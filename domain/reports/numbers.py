"""A period's figures, each one SQL aggregate (never a Python loop over items), the same numbers the
digest shows and `voc report` prints (docs/reports.md defines each).

Everything is as at the period's end, or now if it has not ended (`cut`):
- new: items filed (given a VOC number, not withdrawn) whose receipt falls in the period;
- closed: items whose last closing falls in the period; cycle_days: their receipt to that closing;
- open / overdue: filed before the cut, not closed by then; overdue when a milestone was due by
  then and not met by then;
- repeats: new items linked as a repeat of earlier ones;
- on_time: per milestone, of the deadlines due in the period (not cancelled), the share met by
  their due moment.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, select

from domain.policy import CATEGORIES, Policy
from domain.reports.periods import Period
from models import Deadline, FeedbackItem, ItemLink, StatusChange

KINDS = ("complaint", "inquiry", "suggestion", "praise")
SEVERITIES = ("AA", "A", "B")


def _closings():
    """Each item's last closing moment."""
    return (select(StatusChange.item_id, func.max(StatusChange.at).label("closed_at"))
            .where(StatusChange.to_status == "closed").group_by(StatusChange.item_id).subquery())


def _filed():
    return and_(FeedbackItem.number.is_not(None), FeedbackItem.status != "withdrawn")


def _seconds(session: Session, later, earlier):
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def period_numbers(session: Session, policy: Policy, period: Period, now: datetime) -> dict:
    start, end = period.bounds(policy.tz)
    cut = min(end, now)  # the moment open and overdue are counted at
    received = and_(_filed(), FeedbackItem.received_at >= start, FeedbackItem.received_at < cut)

    def by(column, labels) -> dict[str, int]:
        rows = dict(session.exec(select(column, func.count()).where(received).group_by(column)).all())
        return {label: int(rows.get(label, 0)) for label in labels} | {k: int(v) for k, v in rows.items() if k not in labels}

    new = {"total": int(session.exec(select(func.count()).select_from(FeedbackItem).where(received)).one()),
           "by_kind": by(FeedbackItem.kind, KINDS), "by_category": by(FeedbackItem.category, CATEGORIES),
           "by_severity": by(FeedbackItem.severity, SEVERITIES),
           "by_department": by(FeedbackItem.department, tuple(policy.departments))}

    closings = _closings()
    closed_in = and_(closings.c.closed_at >= start, closings.c.closed_at < cut)
    cycle = _seconds(session, closings.c.closed_at, FeedbackItem.received_at) / 86400.0
    closed, avg_days, max_days = session.exec(
        select(func.count(), func.avg(cycle), func.max(cycle)).select_from(FeedbackItem)
        .join(closings, closings.c.item_id == FeedbackItem.id).where(_filed(), closed_in)).one()

    open_at_cut = and_(_filed(), FeedbackItem.received_at < cut,
                       or_(closings.c.closed_at.is_(None), closings.c.closed_at > cut))
    open_items = select(FeedbackItem.id).select_from(FeedbackItem).outerjoin(closings, closings.c.item_id == FeedbackItem.id) \
        .where(open_at_cut)
    open_count = int(session.exec(select(func.count()).select_from(open_items.subquery())).one())
    overdue = int(session.exec(select(func.count(func.distinct(Deadline.item_id))).where(
        Deadline.item_id.in_(open_items), Deadline.state != "cancelled", Deadline.due_at < cut,
        or_(Deadline.met_at.is_(None), Deadline.met_at > cut))).one())

    repeats = int(session.exec(select(func.count(func.distinct(ItemLink.item_id))).join(
        FeedbackItem, FeedbackItem.id == ItemLink.item_id).where(ItemLink.kind == "repeat_of", received)).one())

    on_time = {}
    rows = session.exec(
        select(Deadline.milestone, func.count(),
               func.sum(case((and_(Deadline.met_at.is_not(None), Deadline.met_at <= Deadline.due_at), 1), else_=0)))
        .join(FeedbackItem, FeedbackItem.id == Deadline.item_id)
        .where(_filed(), Deadline.state != "cancelled", Deadline.due_at >= start, Deadline.due_at < cut)
        .group_by(Deadline.milestone)).all()
    for milestone, due, met in rows:
        on_time[milestone] = round(int(met or 0) / int(due), 4) if due else None

    return {
        "period": period.key,
        "from": start.astimezone(policy.tz).isoformat(), "to": end.astimezone(policy.tz).isoformat(),
        "new": new, "closed": int(closed or 0), "open": open_count, "overdue": overdue, "repeats": repeats,
        "on_time": dict(sorted(on_time.items())),
        "cycle_days": {"avg": round(float(avg_days), 2) if avg_days is not None else None,
                       "max": round(float(max_days), 2) if max_days is not None else None},
    }
