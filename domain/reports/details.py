"""What a digest lists beside its figures (domain/reports/numbers.py): the overdue items with their
owners, the Paretos (4M1E root causes, customers; the categories' is numbers.py's), the monthly trend by severity
and the return rate in ppm (the returns recorded against the shipments imported). Each is one SQL aggregate or one bounded query, never a loop over items."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, select

from domain.lifecycle.view import as_utc
from domain.policy import Policy
from domain.reports.figures import COMPLAINTS, SEVERITIES, filed
from domain.reports.numbers import OPEN, cut_of
from domain.reports.periods import Period, of
from domain.lifecycle.records import NOT_OUR_FAULT
from models import Customer, Deadline, FeedbackItem, ItemAssignment, ReturnedGoods, RootCause, Shipment

CAUSES = ("man", "machine", "material", "method", "environment", "measurement")


@dataclass(frozen=True)
class OverdueLine:
    item_id: int
    number: int
    summary: str
    customer: str | None
    customer_names: dict
    department: str
    severity: str
    owner: str | None
    milestone: str
    due_at: datetime
    channel_id: str | None
    thread_ts: str | None

    def customer_in(self, lang: str) -> str:
        return self.customer_names.get(lang) or self.customer or "—"


def overdue_items(session: Session, cut: datetime, department: str | None = None, limit: int = 10) -> list[OverdueLine]:
    """Open items with a milestone past due at `cut` (now, or a period's end) and not met, most overdue
    first, one line per item (its earliest missed milestone)."""
    rows = session.exec(
        select(FeedbackItem, Deadline.milestone, Deadline.due_at, Customer.name, Customer.names)
        .join(Deadline, Deadline.item_id == FeedbackItem.id)
        .outerjoin(Customer, Customer.id == FeedbackItem.customer_id)
        .where(filed(department), FeedbackItem.status.in_(OPEN), Deadline.state == "open", Deadline.met_at.is_(None),
               Deadline.due_at < cut)
        .order_by(Deadline.due_at, FeedbackItem.id).limit(limit * 6)).all()
    seen: dict[int, tuple] = {}
    for item, milestone, due_at, name, names in rows:
        seen.setdefault(item.id, (item, milestone, due_at, name, names or {}))
    chosen = list(seen.values())[:limit]
    owners = dict(session.exec(select(ItemAssignment.item_id, ItemAssignment.user_id).where(
        ItemAssignment.item_id.in_([c[0].id for c in chosen]), ItemAssignment.role == "owner",
        ItemAssignment.until.is_(None))).all()) if chosen else {}
    return [OverdueLine(item.id, item.number, item.summary, name, names, item.department, item.severity,
                        owners.get(item.id), milestone, as_utc(due_at), item.channel_id, item.thread_ts)
            for item, milestone, due_at, name, names in chosen]


def _complaints(policy: Policy, period: Period, now: datetime, department: str | None):
    """The figure every Pareto and the trend count (domain/reports/figures.py)."""
    start, end = period.bounds(policy.tz)
    return COMPLAINTS.where(start, cut_of(end, now), department)


def complaints_by_cause(session: Session, policy: Policy, period: Period, now: datetime,
                        department: str | None = None) -> dict[str, int]:
    """The 4M1E Pareto: complaints received in the period per category of their root cause (the
    latest one recorded); complaints with no root cause yet are not counted."""
    latest = (select(func.max(RootCause.id).label("id")).join(FeedbackItem, FeedbackItem.id == RootCause.item_id)
              .where(_complaints(policy, period, now, department)).group_by(RootCause.item_id).subquery())
    rows = session.exec(select(RootCause.category, func.count()).join(latest, latest.c.id == RootCause.id)
                        .group_by(RootCause.category)).all()
    return {category: int(n) for category, n in rows}


def complaints_by_customer(session: Session, policy: Policy, period: Period, now: datetime, lang: str,
                           department: str | None = None) -> dict[str, int]:
    """Complaints received in the period per customer (in the reader's language), largest first."""
    rows = session.exec(select(FeedbackItem.customer_id, func.count()).where(_complaints(policy, period, now, department))
                        .group_by(FeedbackItem.customer_id)).all()
    ids = [cid for cid, _ in rows if cid is not None]
    names = {c.id: (c.names or {}).get(lang) or c.name for c in session.exec(select(Customer).where(Customer.id.in_(ids)))} if ids else {}
    unknown = {"en": "(no customer)", "zh": "（无客户）"}.get(lang, "(no customer)")
    counted: dict[str, int] = {}
    for cid, n in rows:
        label = names.get(cid, unknown)
        counted[label] = counted.get(label, 0) + int(n)
    return dict(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])))


def months_up_to(period: Period, count: int = 12) -> list[Period]:
    """The `count` months ending with the one that holds the period's last day, oldest first."""
    months = [of("month", period.after - timedelta(days=1))]
    while len(months) < count:
        months.append(months[-1].previous())
    return list(reversed(months))


def severity_trend(session: Session, policy: Policy, months: list[Period], now: datetime,
                   department: str | None = None) -> dict[str, list[int]]:
    """Complaints received per month and severity: {"AA": [...], "A": [...], "B": [...]}, one count
    per month in `months`' order (one GROUP BY per month)."""
    trend = {severity: [] for severity in SEVERITIES}
    for month in months:
        counts = dict(session.exec(select(FeedbackItem.severity, func.count())
                                   .where(_complaints(policy, month, now, department))
                                   .group_by(FeedbackItem.severity)).all())
        for severity in SEVERITIES:
            trend[severity].append(int(counts.get(severity, 0)))
    return trend


def returned_quantity(session: Session, first: date, after: date, customer_id: int | None = None) -> int:
    """Pieces the customers sent back with a return received in [first, after) (company days), the
    returns recorded (domain/lifecycle/records.py), not the quantity typed into a complaint: what came
    back is what the return rate counts (seed 000: 退货率). A return the inspection cleared (no fault
    found, not confirmed) is not a quality return and is left out."""
    query = select(func.coalesce(func.sum(ReturnedGoods.quantity), 0)).where(
        ReturnedGoods.received_on >= first, ReturnedGoods.received_on < after,
        or_(ReturnedGoods.inspection.is_(None), ReturnedGoods.inspection.not_in(NOT_OUR_FAULT)))
    if customer_id is not None:
        query = query.where(ReturnedGoods.customer_id == customer_id)
    return int(session.exec(query).one())


def shipped_quantity(session: Session, months: list[str], customer_key: str | None = None) -> int | None:
    """Pieces shipped in these months (`voc import shipments`): known only when every month has a
    figure — all customers (a total, or the sum of per-customer rows), or the one customer's row."""
    rows = session.exec(select(Shipment.month, Shipment.customer_key, Shipment.quantity)
                        .where(Shipment.month.in_(months))).all()
    if customer_key is not None:
        per_month = {m: int(q) for m, key, q in rows if key == customer_key}
    else:
        per_month: dict[str, int] = {}
        totals = {m: q for m, key, q in rows if key == ""}
        for m, key, q in rows:
            if key and m not in totals:
                per_month[m] = per_month.get(m, 0) + int(q)
        per_month.update(totals)
    return sum(per_month[m] for m in months) if all(m in per_month for m in months) else None


def months_of(period: Period) -> list[str]:
    months, month = [], of("month", period.first)
    while month.first < period.after:
        months.append(month.key)
        month = of("month", month.after)
    return months


def return_rate(session: Session, policy: Policy, period: Period, now: datetime) -> dict:
    """Returned quantity (the returns received in the period) per million shipped. Shipped is known
    only when every month of the period has an imported figure; otherwise ppm is None ("unknown")."""
    today = as_utc(now).astimezone(policy.tz).date()
    returned = returned_quantity(session, period.first, min(period.after, today + timedelta(days=1)))
    shipped = shipped_quantity(session, months_of(period))
    ppm = round(returned / shipped * 1_000_000, 1) if shipped else None
    return {"returned": returned, "shipped": shipped, "ppm": ppm}
