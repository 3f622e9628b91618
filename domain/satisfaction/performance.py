"""The performance score's events (score B): what the policy's deduction-and-bonus table counts in a
customer's year, one line per event.

- each complaint on record counts once, by the matching complaint rule that costs most (the seed:
  "the same event is never counted twice, the strictest rule applies"), at its repeat points when
  it is linked as a repeat of an earlier item;
- each block of `months` calendar months that has ended with no complaint earns a quiet-months rule;
- each manual entry (a proactive visit) counts its rule's points.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_
from sqlmodel import Session, select

from domain.i18n import ref
from domain.lifecycle.table import Status
from domain.lifecycle.view import as_utc
from domain.policy import Policy, SatisfactionRule
from domain.sla.clocks import CANCELLED, PAUSED
from models import Deadline, FeedbackItem, ItemLink, SatisfactionEntry


@dataclass(frozen=True)
class ScoreEvent:
    rule: str
    points: float
    on: date  # company time: a complaint's receipt, a quiet block's last day, a manual entry's day
    repeat: bool = False
    ref: str | None = None  # the complaint's VOC-n
    since: date | None = None  # a quiet block's first day
    note: str | None = None  # what the person wrote with a manual entry


@dataclass(frozen=True)
class Complaint:
    number: int
    category: str
    line_stopped: bool
    received_at: datetime
    late: bool
    repeat: bool


def month_start(year: int, month: int, zone: ZoneInfo) -> datetime:
    """Local midnight on the first of the month, in UTC; month 13 is January of the next year."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=zone).astimezone(timezone.utc)


def complaints_of(session: Session, customer_id: int, year: int, zone: ZoneInfo, now: datetime) -> list[Complaint]:
    """The customer's complaints on record received in the year (company time) before `now`: filed
    (numbered), not withdrawn. Late: a deadline (not cancelled, not paused) due before `now` and not met by its
    due moment. Repeat: linked as a repeat of an earlier item."""
    start, end = month_start(year, 1, zone), month_start(year, 13, zone)
    # paused while waiting on the customer: not late (its due moment moves on when it resumes)
    late = exists().where(Deadline.item_id == FeedbackItem.id, Deadline.state.not_in((CANCELLED, PAUSED)), Deadline.due_at < now,
                          or_(Deadline.met_at.is_(None), Deadline.met_at > Deadline.due_at))
    repeat = exists().where(ItemLink.item_id == FeedbackItem.id, ItemLink.kind == "repeat_of")
    query = (select(FeedbackItem.number, FeedbackItem.category, FeedbackItem.line_stopped, FeedbackItem.received_at,
                    late.label("late"), repeat.label("repeat"))
             .where(FeedbackItem.customer_id == customer_id, FeedbackItem.number.is_not(None),
                    FeedbackItem.kind == "complaint", FeedbackItem.status != Status.withdrawn.value,
                    FeedbackItem.received_at >= start, FeedbackItem.received_at < min(end, now))
             .order_by(FeedbackItem.received_at, FeedbackItem.number))
    return [Complaint(number, category, line_stopped, as_utc(received), bool(late), bool(repeat))
            for number, category, line_stopped, received, late, repeat in session.exec(query).all()]


def _matches(rule: SatisfactionRule, complaint: Complaint) -> bool:
    return ((not rule.categories or complaint.category in rule.categories)
            and (complaint.line_stopped or not rule.line_stop)
            and (complaint.late or not rule.late))


def _points(rule: SatisfactionRule, repeat: bool) -> float:
    return rule.repeat_points if repeat and rule.repeat_points is not None else rule.points


def complaint_events(policy: Policy, complaints: list[Complaint]) -> list[ScoreEvent]:
    rules = [r for r in policy.satisfaction.rules if r.source == "complaint"]
    events = []
    for c in complaints:
        matching = [r for r in rules if _matches(r, c)]
        if not matching:
            continue  # a complaint no rule charges (a commercial one handled in time)
        strictest = min(matching, key=lambda r: _points(r, c.repeat))  # min keeps the first of equals: policy order
        events.append(ScoreEvent(strictest.id, _points(strictest, c.repeat), c.received_at.astimezone(policy.tz).date(),
                                 repeat=c.repeat, ref=ref(c.number)))
    return events


def quiet_events(policy: Policy, year: int, complaints: list[Complaint], now: datetime) -> list[ScoreEvent]:
    """Jan–Feb, Mar–Apr, … for months 2: each block over by `now` with no complaint received in it
    (one no rule charges included: the customer did complain). A last block shorter than `months`
    (months 5: Nov–Dec) is not a run of `months` and earns nothing."""
    events = []
    for rule in (r for r in policy.satisfaction.rules if r.source == "quiet_months"):
        for first in range(1, 13 - rule.months + 1, rule.months):
            start, end = month_start(year, first, policy.tz), month_start(year, first + rule.months, policy.tz)
            if end > now:
                break
            if not any(start <= c.received_at < end for c in complaints):
                events.append(ScoreEvent(rule.id, rule.points, (end.astimezone(policy.tz) - timedelta(days=1)).date(),
                                         since=start.astimezone(policy.tz).date()))
    return events


def manual_events(session: Session, policy: Policy, customer_id: int, year: int, now: datetime) -> list[ScoreEvent]:
    """The entries of the year up to today; one under a rule the policy no longer has is left out."""
    rules = {r.id: r for r in policy.satisfaction.rules if r.source == "manual"}
    today = now.astimezone(policy.tz).date()
    query = (select(SatisfactionEntry)
             .where(SatisfactionEntry.customer_id == customer_id, SatisfactionEntry.rule.in_(list(rules)),
                    SatisfactionEntry.on >= date(year, 1, 1), SatisfactionEntry.on <= min(date(year, 12, 31), today))
             .order_by(SatisfactionEntry.on, SatisfactionEntry.id))
    return [ScoreEvent(e.rule, rules[e.rule].points, e.on, note=e.note) for e in session.exec(query).all()]


def performance_events(session: Session, policy: Policy, customer_id: int, year: int, now: datetime) -> list[ScoreEvent]:
    """Every event of the year that scores, by day (then complaints, quiet blocks, entries)."""
    complaints = complaints_of(session, customer_id, year, policy.tz, now)
    events = (complaint_events(policy, complaints) + quiet_events(policy, year, complaints, now)
              + manual_events(session, policy, customer_id, year, now))
    return sorted(events, key=lambda e: e.on)
