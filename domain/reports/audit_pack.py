"""The audit pack (`voc export audit-pack`, `/export audit-pack`): what an auditor asks for, gathered for
a date range and optionally one customer — the ledger, every 8D, the audit trail, the month and year
figures, the satisfaction breakdowns — with each record mapped to the IATF 16949 clause it evidences,
and the open nonconformities: items overdue, and items closed without an approval the policy requires.

This module decides what goes in (Slack-free, file-free); documents/audit_pack.py writes the ZIP. The
8Ds are assembled one at a time while the ZIP is written (`eightds` is lazy), so a year's worth never
sits in memory at once. A pack for one customer leaves out the company-wide monthly and annual figures:
they hold every customer's complaints."""
from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from domain.lifecycle.eightd import EightD, assemble_8d
from domain.lifecycle.visit_report import VisitReport, assemble_visit
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from domain.reports.audit import audit_rows
from domain.reports.details import return_rate
from domain.reports.ledger import filed_in, ledger
from domain.reports.numbers import period_numbers
from domain.reports.periods import Period, parse
from domain.satisfaction.score import Score, score
from models import Claim, Customer, Deadline, Event, FeedbackItem, FieldVisit, ItemAction, ReturnedGoods, RootCause, StatusChange
from domain.lifecycle.apply import load_view
from domain.lifecycle.approvals import actions_need_approval, unapproved_actions
from models.approvals import Approval
from models.satisfaction import SatisfactionSurvey

CLAUSES = {
    "10.2.3": {"en": "Problem solving", "zh": "问题解决"},
    "10.2.4": {"en": "Error-proofing", "zh": "防错"},
    "10.2.5": {"en": "Warranty management systems", "zh": "保修管理体系"},
    "10.2.6": {"en": "Customer complaints and field failure test analysis", "zh": "顾客投诉和使用现场失效试验分析"},
    "9.1.2.1": {"en": "Customer satisfaction", "zh": "顾客满意"},
}
OPEN = ("received", "acknowledged", "contained", "root_caused", "corrective_action", "preventive_action", "verified",
        "waiting_on_customer", "not_ours", "answered")


@dataclass(frozen=True)
class Record:
    """One filed item and the clauses it is evidence for."""
    ref: str
    item_id: int
    kind: str
    status: str
    clauses: tuple[str, ...]
    eightd: bool  # its 8D is in the pack


@dataclass(frozen=True)
class Nonconformity:
    """What an auditor would write up: `what` is overdue | closed_without_qm_approval |
    eight_d_sent_unapproved | closed_without_8d | closed_with_actions_unapproved; `detail` the milestones or the closing's action."""
    ref: str
    item_id: int
    what: str
    detail: str


@dataclass
class AuditPack:
    first: date
    last: date
    customer: str | None
    generated_at: datetime
    ledger: list[dict]
    audit: list[dict]
    records: list[Record]
    nonconformities: list[Nonconformity]
    reports: list[tuple[str, dict]]  # (period key, figures); none in a one-customer pack
    satisfaction: list[Score]
    eightd_ids: list[int] = field(default_factory=list)
    eightds_left_out: list[str] = field(default_factory=list)  # refs whose 8D is beyond the pack's limit
    _session: Session | None = None
    visit_ids: list[int] = field(default_factory=list)  # field-service visits of the pack's items
    # returns without a complaint received in the range (domain/lifecycle/standalone.py): no ledger row holds them
    standalone_returns: list[tuple[ReturnedGoods, str]] = field(default_factory=list)  # (return, customer's name)

    def visits(self) -> Iterator[VisitReport]:
        """Each visit's report, assembled when the writer asks for it (the session must still be open)."""
        for visit_id in self.visit_ids:
            yield assemble_visit(self._session, visit_id)

    def eightds(self) -> Iterator[EightD]:
        """Each 8D assembled when the writer asks for it (the session must still be open)."""
        for item_id in self.eightd_ids:
            yield assemble_8d(self._session, item_id)


def clauses_of(kind: str, withdrawn: bool, root_cause: bool, error_proofed: bool, category: str, quantity,
               returns_or_claims: bool = False) -> tuple[str, ...]:
    """A complaint is evidence of 10.2.6 (withdrawn too: the register is complete); with a root cause,
    of 10.2.3; with a preventive action that updated PFMEA / control plan / work instruction, of 10.2.4;
    a quality complaint with a quantity returned or rejected, or any complaint with goods returned or a
    claim recorded (domain/lifecycle/records.py), of 10.2.5 (and the ppm in the figures).
    Praise, suggestions and inquiries are the customer's voice: 9.1.2.1."""
    if kind != "complaint":
        return ("9.1.2.1",)
    if withdrawn:
        return ("10.2.6",)
    found = ["10.2.6"]
    found += ["10.2.3"] if root_cause else []
    found += ["10.2.4"] if error_proofed else []
    found += ["10.2.5"] if (category == "quality" and quantity) or returns_or_claims else []
    return tuple(found)


def open_nonconformities(session: Session, policy: Policy, first: date, last: date, now: datetime,
                         customer_ids: Collection[int] | None = None) -> list[Nonconformity]:
    """Of the items in the range: open ones with a milestone due before `now` and not met (a paused one
    is not overdue); closed ones whose severity needs the quality manager's approval
    (`closure.qm_approval_severities`) but whose closing was not `approve_closure`; 8Ds sent without an
    approved revision before the sending; complaints closed (not as *not ours*) whose customer asked for
    an 8D that was never sent; closed complaints whose actions the approval chain applies to (AA by
    default) were not all approved along it."""
    items = {i.id: i for i in session.exec(select(FeedbackItem).where(*filed_in(policy, first, last, customer_ids)))}
    ids = list(items)
    if not ids:
        return []
    found: list[Nonconformity] = []
    zone = policy.tz

    def ref(item_id: int) -> str:
        return f"VOC-{items[item_id].number}"

    late: dict[int, list[str]] = {}
    for d in session.exec(select(Deadline).where(Deadline.item_id.in_(ids), Deadline.state == "open",
                                                 Deadline.met_at.is_(None), Deadline.due_at < now)
                          .order_by(Deadline.due_at)):
        if items[d.item_id].status in OPEN:
            late.setdefault(d.item_id, []).append(f"{d.milestone} {as_utc(d.due_at).astimezone(zone):%Y-%m-%d %H:%M}")
    found += [Nonconformity(ref(i), i, "overdue", ", ".join(m)) for i, m in late.items()]

    last_closing: dict[int, StatusChange] = {}
    for sc in session.exec(select(StatusChange).where(StatusChange.item_id.in_(ids), StatusChange.to_status == "closed")
                           .order_by(StatusChange.at, StatusChange.id)):
        last_closing[sc.item_id] = sc
    needs_qm = set(policy.closure.qm_approval_severities)
    for item_id, sc in last_closing.items():
        item = items[item_id]
        if item.status == "closed" and item.kind == "complaint" and item.severity in needs_qm and sc.action != "approve_closure":
            found.append(Nonconformity(ref(item_id), item_id, "closed_without_qm_approval", sc.action))

    approvals: dict[int, list[datetime]] = {}
    for item_id, at in session.exec(select(Approval.item_id, Approval.at).where(
            Approval.item_id.in_(ids), Approval.subject == "8d", Approval.decision == "approved")):
        approvals.setdefault(item_id, []).append(as_utc(at))
    sent: dict[int, datetime] = {}
    for item_id, at in session.exec(select(Event.item_id, Event.at).where(Event.item_id.in_(ids),
                                                                         Event.action == "lifecycle.send_8d")):
        sent[item_id] = max(sent.get(item_id, as_utc(at)), as_utc(at))
        if not any(a <= as_utc(at) for a in approvals.get(item_id, ())):
            found.append(Nonconformity(ref(item_id), item_id, "eight_d_sent_unapproved",
                                       f"{as_utc(at).astimezone(zone):%Y-%m-%d %H:%M}"))
    for item_id, sc in last_closing.items():
        item = items[item_id]
        if item.status == "closed" and item.kind == "complaint" and item.wants_8d and item_id not in sent \
                and sc.action != "customer_told":
            found.append(Nonconformity(ref(item_id), item_id, "closed_without_8d", sc.action))
    for item_id, sc in last_closing.items():  # the approval chain of an AA complaint's actions (approvals.actions)
        item = items[item_id]
        if item.status == "closed" and actions_need_approval(item.kind, item.severity, policy):
            waiting = unapproved_actions(load_view(session, item_id), policy)
            if waiting:
                found.append(Nonconformity(ref(item_id), item_id, "closed_with_actions_unapproved",
                                           ", ".join(f"{a.type[0].upper()}{a.id}" for a in waiting)))
    return sorted(set(found), key=lambda n: (items[n.item_id].number, n.what, n.detail))


def periods_within(first: date, last: date) -> list[Period]:
    """Every month, then every year, that the range touches."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(parse("month", f"{year}-{month:02d}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months + [parse("year", str(y)) for y in range(first.year, last.year + 1)]


def audit_pack(session: Session, policy: Policy, first: date, last: date, now: datetime,
               names: Mapping[str, str] | None = None, customer_ids: Collection[int] | None = None,
               customer: str | None = None, eightd_limit: int | None = None) -> AuditPack:
    """Everything the pack holds; the 8Ds are assembled later, one by one, from the same session. An 8D
    is in the pack when it is a document the customer got or asked for (sent, or `wants_8d`); at most
    `eightd_limit` of them (the oldest first; each PDF takes about a second to draw), the rest named."""
    rows = ledger(session, policy, first, last, now, names, customer_ids)
    items = session.exec(select(FeedbackItem.id, FeedbackItem.number, FeedbackItem.kind, FeedbackItem.status,
                                FeedbackItem.category, FeedbackItem.quantity, FeedbackItem.wants_8d, FeedbackItem.customer_id)
                         .where(*filed_in(policy, first, last, customer_ids)).order_by(FeedbackItem.number)).all()
    ids = [i.id for i in items]
    caused = set(session.exec(select(RootCause.item_id).where(RootCause.item_id.in_(ids or [-1])))) if ids else set()
    proofed = {a.item_id for a in session.exec(select(ItemAction).where(
        ItemAction.item_id.in_(ids or [-1]), ItemAction.type == "preventive")) if a.documents}
    sent = set(session.exec(select(Event.item_id).where(Event.item_id.in_(ids or [-1]), Event.action == "lifecycle.send_8d")))
    # goods returned or a claim (a warranty claim among them) recorded: evidence of 10.2.5 whatever was typed
    returned = set(session.exec(select(ReturnedGoods.item_id).where(ReturnedGoods.item_id.in_(ids or [-1])))) \
        | set(session.exec(select(Claim.item_id).where(Claim.item_id.in_(ids or [-1]))))
    records, eightd_ids, left_out = [], [], []
    for i in items:
        withdrawn = i.status == "withdrawn"
        has_8d = i.kind == "complaint" and not withdrawn and (i.id in sent or bool(i.wants_8d))
        if has_8d and eightd_limit is not None and len(eightd_ids) >= eightd_limit:
            has_8d = False
            left_out.append(f"VOC-{i.number}")
        records.append(Record(f"VOC-{i.number}", i.id, i.kind, i.status,
                              clauses_of(i.kind, withdrawn, i.id in caused, i.id in proofed, i.category,
                                         i.quantity or i.id in returned, i.id in returned), has_8d))
        if has_8d:
            eightd_ids.append(i.id)
    reports = []
    if customer_ids is None:  # company-wide figures would show every customer's complaints
        for period in periods_within(first, last):
            numbers = period_numbers(session, policy, period, now)
            numbers["return_rate"] = return_rate(session, policy, period, now)
            reports.append((period.key, numbers))
    scores = []
    for year in range(first.year, last.year + 1):
        surveyed = set(session.exec(select(SatisfactionSurvey.customer_id).where(SatisfactionSurvey.year == year)))
        with_items = {i.customer_id for i in items if i.customer_id is not None}
        for customer_id in sorted(surveyed | with_items):
            if customer_ids is None or customer_id in customer_ids:
                scores.append(score(session, policy, customer_id, year, now))
    return AuditPack(first, last, customer, now, rows, audit_rows(session, policy, first, last, customer_ids, names), records,
                     open_nonconformities(session, policy, first, last, now, customer_ids), reports, scores, eightd_ids,
                     left_out, session,
                     list(session.exec(select(FieldVisit.id).where(FieldVisit.item_id.in_(ids or [-1])).order_by(FieldVisit.id))),
                     standalone_returns(session, first, last, customer_ids))


def standalone_returns(session: Session, first: date, last: date, customer_ids: Collection[int] | None = None) -> list:
    """The returns standing alone (no complaint) received from `first` to `last` (company days), of the
    customers asked for, each with its customer's name."""
    query = select(ReturnedGoods, Customer.name).join(Customer, Customer.id == ReturnedGoods.customer_id).where(ReturnedGoods.item_id.is_(None), ReturnedGoods.received_on >= first,
                                        ReturnedGoods.received_on <= last)
    if customer_ids is not None:
        query = query.where(ReturnedGoods.customer_id.in_(list(customer_ids) or [-1]))
    return list(session.exec(query.order_by(ReturnedGoods.id)).all())

