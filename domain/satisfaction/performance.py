"""The performance score's events (score B): what the policy's deduction-and-bonus table counts in a
customer's year, one line per event.

- each event counts once, by the matching complaint rule that costs most (the seed: "the same event
  is never counted twice, the strictest rule applies"): the reports of one event (linked as the same
  event, or the same part within the duplicate window) are one line, at its repeat points when it is
  linked as a repeat of an earlier item; a withdrawn complaint is not a complaint and costs nothing;
- each block of `months` calendar months that has ended with no complaint earns a quiet-months rule,
  from the first month the company recorded anything on (a block before it was not watched: a new
  installation earns no "two months without complaints" for the months before it held a record);
- each manual entry (a proactive visit) counts its rule's points;
- a premium-freight claim the company accepted on a complaint is a property of that complaint's event
  (a `premium_freight` complaint rule), so the strictest rule still counts the event once;
- each calendar month whose return rate for the customer reaches a `return_rate` rule's `min_ppm`
  counts that rule (the returns and shipments recorded, not typed-in figures).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, or_
from sqlmodel import Session, select

from domain.i18n import ref
from domain.lifecycle.table import Status
from domain.lifecycle.view import as_utc
from domain.policy import Policy, SatisfactionRule
from domain.sla.clocks import CANCELLED, PAUSED
from domain.lifecycle.records import COSTED
from models import Claim, Customer, Deadline, FeedbackItem, ItemLink, SatisfactionEntry

CONFIRMED = "confirmed"  # a manual entry's state once the quality manager confirmed it


@dataclass(frozen=True)
class ScoreEvent:
    rule: str
    points: float
    on: date  # company time: a complaint's receipt, a quiet block's last day, a manual entry's day
    repeat: bool = False
    ref: str | None = None  # the complaint's VOC-n (the first report of the event)
    since: date | None = None  # a quiet block's first day
    note: str | None = None  # what the person wrote with a manual entry
    also: tuple[str, ...] = ()  # the other reports of the same event (counted here, not again)


@dataclass(frozen=True)
class NotCounted:
    """A complaint on record that costs nothing, and why: `withdrawn` (it was not a complaint) or
    `same_event` (another report of the event counted under `of`)."""
    ref: str
    why: str
    of: str | None = None


@dataclass(frozen=True)
class Complaint:
    id: int
    number: int
    category: str
    line_stopped: bool
    received_at: datetime
    late: bool
    repeat_of: frozenset[int]  # the items it is linked to as a repeat occurrence
    parts: frozenset[str] = frozenset()
    withdrawn: bool = False
    same_as: frozenset[int] = frozenset()  # the items a person linked it to as the same event
    premium_freight: bool = False  # the company accepted a premium-freight claim on it (domain/lifecycle/records.py)


def month_start(year: int, month: int, zone: ZoneInfo) -> datetime:
    """Local midnight on the first of the month, in UTC; month 13 is January of the next year."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=zone).astimezone(timezone.utc)


def complaints_of(session: Session, customer_id: int, year: int, zone: ZoneInfo, now: datetime) -> list[Complaint]:
    """The customer's filed (numbered) complaints received in the year (company time) before `now`,
    withdrawn ones marked. Late: a deadline (not cancelled, not paused) due before `now` and not met
    by its due moment."""
    start, end = month_start(year, 1, zone), month_start(year, 13, zone)
    # paused while waiting on the customer: not late (its due moment moves on when it resumes)
    late = exists().where(Deadline.item_id == FeedbackItem.id, Deadline.state.not_in((CANCELLED, PAUSED)), Deadline.due_at < now,
                          or_(Deadline.met_at.is_(None), Deadline.met_at > Deadline.due_at))
    freight = exists().where(Claim.item_id == FeedbackItem.id, Claim.type == "premium_freight", Claim.state.in_(COSTED))
    query = (select(FeedbackItem.id, FeedbackItem.number, FeedbackItem.category, FeedbackItem.line_stopped,
                    FeedbackItem.received_at, FeedbackItem.part_numbers, FeedbackItem.status, late.label("late"),
                    freight.label("freight"))
             .where(FeedbackItem.customer_id == customer_id, FeedbackItem.number.is_not(None),
                    FeedbackItem.kind == "complaint",
                    FeedbackItem.received_at >= start, FeedbackItem.received_at < min(end, now))
             .order_by(FeedbackItem.received_at, FeedbackItem.number))
    rows = session.exec(query).all()
    links = _links(session, [r[0] for r in rows])

    def linked(item_id: int, kind: str) -> frozenset[int]:
        return frozenset(o for i, o, k in links if i == item_id and k == kind)

    return [Complaint(item_id, number, category, line_stopped, as_utc(received), bool(is_late), linked(item_id, REPEAT_OF),
                      part_keys(parts), status == Status.withdrawn.value, linked(item_id, SAME_EVENT), bool(freight))
            for item_id, number, category, line_stopped, received, parts, status, is_late, freight in rows]


def part_keys(parts) -> frozenset[str]:
    """As domain/repeats.py compares part numbers: trimmed, upper case."""
    return frozenset(p.strip().upper() for p in parts or () if p.strip())


REPEAT_OF, SAME_EVENT = "repeat_of", "same_event"


def _links(session: Session, ids: list[int]) -> list[tuple[int, int, str]]:
    links = []
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        links += session.exec(select(ItemLink.item_id, ItemLink.other_id, ItemLink.kind).where(
            ItemLink.item_id.in_(chunk), ItemLink.kind.in_((REPEAT_OF, SAME_EVENT)))).all()
    return links


def same_events(policy: Policy, complaints: list[Complaint]) -> list[list[Complaint]]:
    """The complaints grouped by event, each group in order of receipt ("the same event is never
    deducted twice"). Two reports are the same event when a person linked them so (`same_event`), or
    when they name a common part and came within `intake.duplicate_hours` of each other — what the
    desk offers to add to the first instead of filing twice (domain/duplicates.py)."""
    parent = {c.id: c.id for c in complaints}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    window = timedelta(hours=policy.intake.duplicate_hours)
    for n, c in enumerate(complaints):
        for later in complaints[n + 1:]:
            if later.received_at - c.received_at > window:
                break
            if c.parts & later.parts:
                join(c.id, later.id)
    for c in complaints:
        for other in c.same_as & parent.keys():
            join(c.id, other)
    groups: dict[int, list[Complaint]] = {}
    for c in complaints:
        groups.setdefault(root(c.id), []).append(c)
    return list(groups.values())


def _matches(rule: SatisfactionRule, complaint: Complaint) -> bool:
    return ((not rule.categories or complaint.category in rule.categories)
            and (complaint.line_stopped or not rule.line_stop)
            and (complaint.late or not rule.late)
            and (complaint.premium_freight or not rule.premium_freight))


def _points(rule: SatisfactionRule, repeat: bool) -> float:
    return rule.repeat_points if repeat and rule.repeat_points is not None else rule.points


def complaint_events(policy: Policy, complaints: list[Complaint]) -> tuple[list[ScoreEvent], list[NotCounted]]:
    """One line per event, by the strictest rule any of its reports matches (the first in policy
    order between equals), at repeat points when a report repeats an item outside the event; and
    what is on record but not counted (withdrawn, or a further report of a counted event)."""
    rules = [r for r in policy.satisfaction.rules if r.source == "complaint"]
    events, not_counted = [], []
    for c in complaints:
        if c.withdrawn:  # seed 000 deducts for complaints: a withdrawn one was not one
            not_counted.append(NotCounted(ref(c.number), "withdrawn"))
    for group in same_events(policy, [c for c in complaints if not c.withdrawn]):
        first, ids = group[0], {c.id for c in group}
        repeat = any(c.repeat_of - ids for c in group)
        matching = [r for r in rules if any(_matches(r, c) for c in group)]
        not_counted += [NotCounted(ref(c.number), "same_event", ref(first.number)) for c in group[1:]]
        if not matching:
            continue  # an event no rule charges (a commercial complaint handled in time)
        strictest = min(matching, key=lambda r: _points(r, repeat))  # min keeps the first of equals: policy order
        events.append(ScoreEvent(strictest.id, _points(strictest, repeat), first.received_at.astimezone(policy.tz).date(),
                                 repeat=repeat, ref=ref(first.number), also=tuple(ref(c.number) for c in group[1:])))
    return events, not_counted


def records_begin(session: Session, zone: ZoneInfo) -> datetime | None:
    """The start (local midnight, in UTC) of the first month the company recorded anything in: the
    earliest customer on record (the policy's are seeded when the product is installed) or filed item
    (an imported history is older than the installation). None on an empty database."""
    moments = [session.exec(select(func.min(Customer.created_at))).one(),
               session.exec(select(func.min(FeedbackItem.received_at)).where(FeedbackItem.number.is_not(None))).one()]
    known = [as_utc(m) for m in moments if m is not None]
    if not known:
        return None
    first = min(known).astimezone(zone)
    return month_start(first.year, first.month, zone)


def quiet_events(policy: Policy, year: int, complaints: list[Complaint], now: datetime,
                 records_from: datetime | None) -> list[ScoreEvent]:
    """Jan–Feb, Mar–Apr, … for months 2: each block over by `now`, starting on or after the first
    month with records (`records_from`; none without records), with no complaint received in it (one
    no rule charges included: the customer did complain). A last block shorter than `months`
    (months 5: Nov–Dec) is not a run of `months` and earns nothing."""
    events = []
    if records_from is None:
        return events
    for rule in (r for r in policy.satisfaction.rules if r.source == "quiet_months"):
        for first in range(1, 13 - rule.months + 1, rule.months):
            start, end = month_start(year, first, policy.tz), month_start(year, first + rule.months, policy.tz)
            if end > now:
                break
            if start < records_from:  # nobody was recording: not known to be quiet
                continue
            if not any(start <= c.received_at < end for c in complaints):
                events.append(ScoreEvent(rule.id, rule.points, (end.astimezone(policy.tz) - timedelta(days=1)).date(),
                                         since=start.astimezone(policy.tz).date()))
    return events


def manual_events(session: Session, policy: Policy, customer_id: int, year: int, now: datetime) -> list[ScoreEvent]:
    """The entries of the year up to `now` that the quality manager confirmed, once per rule and day
    (the seed: the same event is never rewarded twice); one under a rule the policy no longer has is
    left out."""
    rules = {r.id: r for r in policy.satisfaction.rules if r.source == "manual"}
    today = (now - timedelta(microseconds=1)).astimezone(policy.tz).date()  # `now` may be a period's end (exclusive)
    query = (select(SatisfactionEntry)
             .where(SatisfactionEntry.customer_id == customer_id, SatisfactionEntry.rule.in_(list(rules)),
                    SatisfactionEntry.state == CONFIRMED,
                    SatisfactionEntry.on >= date(year, 1, 1), SatisfactionEntry.on <= min(date(year, 12, 31), today))
             .order_by(SatisfactionEntry.on, SatisfactionEntry.id))
    first = {(e.rule, e.on): e for e in reversed(session.exec(query).all())}  # rows from before the once-a-day check
    return [ScoreEvent(e.rule, rules[e.rule].points, e.on, note=e.note) for e in sorted(first.values(), key=lambda e: (e.on, e.id))]


def return_rate_events(session: Session, policy: Policy, customer_id: int, year: int, now: datetime) -> list[ScoreEvent]:
    """Each calendar month of the year over by `now` whose return rate for the customer — its returns
    recorded (less those the inspection cleared) per million of its shipments imported for the month —
    reaches a rule's `min_ppm`: one line, by the strictest rule it reaches; at repeat points from the
    second such month of the year. A month without the customer's shipped figure is not known: nothing."""
    from domain.reports.details import returned_quantity, shipped_quantity

    rules = [r for r in policy.satisfaction.rules if r.source == "return_rate" and r.min_ppm is not None]
    customer = session.get(Customer, customer_id)
    if not rules or customer is None:
        return []
    events: list[ScoreEvent] = []
    for month in range(1, 13):
        start, end = month_start(year, month, policy.tz), month_start(year, month + 1, policy.tz)
        if end > now:
            break
        first, after = start.astimezone(policy.tz).date(), end.astimezone(policy.tz).date()
        shipped = shipped_quantity(session, [f"{year}-{month:02d}"], customer.name_key)
        if not shipped:
            continue
        ppm = returned_quantity(session, first, after, customer_id) / shipped * 1_000_000
        reached = [r for r in rules if ppm >= r.min_ppm]
        if reached:
            repeat = bool(events)
            strictest = min(reached, key=lambda r: _points(r, repeat))
            events.append(ScoreEvent(strictest.id, _points(strictest, repeat), after - timedelta(days=1), repeat=repeat,
                                     since=first, note=f"{ppm:.0f} ppm"))
    return events


def performance_events(session: Session, policy: Policy, customer_id: int, year: int,
                       now: datetime) -> tuple[list[ScoreEvent], list[NotCounted]]:
    """Every event of the year that scores, by day (then complaints, quiet blocks, entries), and the
    complaints on record that do not."""
    complaints = complaints_of(session, customer_id, year, policy.tz, now)
    counted, not_counted = complaint_events(policy, complaints)
    on_record = [c for c in complaints if not c.withdrawn]  # a withdrawn complaint breaks no quiet block
    quiet = quiet_events(policy, year, on_record, now, records_begin(session, policy.tz))
    events = counted + quiet + manual_events(session, policy, customer_id, year, now) \
        + return_rate_events(session, policy, customer_id, year, now)
    return sorted(events, key=lambda e: e.on), not_counted
