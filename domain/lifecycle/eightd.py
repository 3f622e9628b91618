"""The 8D report, assembled from what was recorded. A discipline with nothing recorded is marked
missing; nothing is invented. `eightd_form.form` lays it out in a language for the exporters and the bot.

Besides D1–D8 the report carries what makes it a document a customer's SQE files: its number
(8D-VOC-n), its revision (one more after each rejection), who prepared it, who approved it and
when (the `approvals` rows of subject '8d'), the date it was sent, and the dates of each step.
"""
from __future__ import annotations

from domain.customer_records import record_of
from domain.policy import CustomerSeed
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from sqlmodel import Session, select

from domain.i18n import ref
from domain.lifecycle.table import Status
from domain.lifecycle.view import as_utc
from models import (Approval, Containment, Customer, CustomerAcceptance, Event, FeedbackItem, ItemAction, ItemAssignment,
                    RootCause, StatusChange, Verification)

DISCIPLINES = ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8")
PLACES = ("stock", "wip", "transit", "customer")  # where containment checked, in the form's row order


@dataclass(frozen=True)
class Row:
    label: str  # i18n key under eightd.field.
    value: Any  # user text, number, datetime, bool, list, or an i18n key when `key` is set
    key: bool = False
    user: bool = False  # a Slack user id, shown by name when the caller knows it
    dept: bool = False  # department keys, shown by the policy's name


@dataclass(frozen=True)
class Quantity:
    """One row of D3's table: parts checked and found bad at one place (None: not checked there)."""
    where: str
    checked: int | None
    bad: int | None


@dataclass(frozen=True)
class Step:
    """A corrective (D5) or preventive (D7) action with its owner, due date, done and verified."""
    what: str
    owner: str
    due: date
    done_at: datetime | None = None
    done_by: str | None = None
    verified_at: datetime | None = None
    verified_by: str | None = None
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """A verification (D6): clean lots after the fix and the evidence."""
    at: datetime
    clean_lots: tuple[str, ...]
    evidence: str
    by: str


@dataclass(frozen=True)
class Signature:
    by: str
    at: datetime


@dataclass(frozen=True)
class Discipline:
    code: str
    rows: tuple[Row, ...]
    table: tuple = ()  # D1: the team's user ids; D3: Quantity; D5/D7: Step; D6: Check
    date: datetime | None = None  # when the step was recorded

    @property
    def missing(self) -> bool:
        return not self.rows and not self.table


@dataclass(frozen=True)
class EightD:
    item_id: int
    customer: str | None
    disciplines: tuple[Discipline, ...]
    number: int | None = None  # the reference VOC-n people quote
    customer_names: Mapping[str, str] = field(default_factory=dict)  # the customer's name per language
    revision: int = 1
    received: datetime | None = None
    issued: datetime | None = None  # when this revision was sent; None: a draft
    prepared_by: str | None = None
    approved: Signature | None = None  # the latest approval of this revision
    leader: str | None = None  # the item's owner leads the 8D team
    team: tuple[str, ...] = ()
    severity: str | None = None
    part_numbers: tuple[str, ...] = ()
    lot_numbers: tuple[str, ...] = ()
    customer_ref: str | None = None  # the customer's own complaint number, when recorded
    customer_record: CustomerSeed | None = None  # its record: the report's language (domain/requirements.py)

    @property
    def report_no(self) -> str:
        return f"8D-{ref(self.number)}"

    def customer_in(self, lang: str) -> str | None:
        return self.customer_names.get(lang) or self.customer

    def discipline(self, code: str) -> Discipline:
        return next(d for d in self.disciplines if d.code == code)


def revision_of(rounds: list[Approval]) -> int:
    """1 for the first; a rejection sends the 8D back to be re-worked, and what is sent next is the
    next revision. `rounds` are the item's '8d' approval rows."""
    return max((r.revision + (1 if r.decision == "rejected" else 0) for r in rounds), default=1)


def this_revision(rounds: list[Approval], events: list[Event]
                  ) -> tuple[int, Approval | None, Approval | None, Event | None]:
    """The current revision, its latest approval and request, and its send: a send after the
    revision's first approval row, or after the rejection that opened it when it has none yet (any
    send when the item has no approval rows at all)."""
    revision = revision_of(rounds)
    this_round = [r for r in rounds if r.revision == revision]
    approved = next((r for r in reversed(this_round) if r.decision == "approved"), None)
    requested = next((r for r in reversed(this_round) if r.decision == "requested"), None)
    since = min((as_utc(r.at) for r in this_round), default=None) if this_round else (
        max(as_utc(r.at) for r in rounds) if rounds else None)
    sent = next((e for e in reversed(events) if e.action == "lifecycle.send_8d" and (since is None or as_utc(e.at) >= since)), None)
    return revision, approved, requested, sent


def _step(a: ItemAction) -> Step:
    return Step(a.what, a.owner, as_utc(a.due).date(), as_utc(a.done_at) if a.done_at else None, a.done_by,
                as_utc(a.verified_at) if a.verified_at else None, a.verified_by, tuple(a.documents))


def assemble_8d(s: Session, item_id: int) -> EightD:
    item = s.get(FeedbackItem, item_id)
    rows = lambda table: s.exec(select(table).where(table.item_id == item_id).order_by(table.id)).all()  # noqa: E731
    record = s.get(Customer, item.customer_id) if item.customer_id else None
    customer = record.name if record else item.customer_text
    owning = next((a for a in reversed(rows(ItemAssignment)) if a.role == "owner" and a.user_id), None)
    events = rows(Event)
    acted = [e.actor for e in events if e.action.startswith("lifecycle.") and e.actor != "system"]
    containment, root = (rows(Containment) or [None])[-1], (rows(RootCause) or [None])[-1]
    actions = rows(ItemAction)
    corrective = [_step(a) for a in actions if a.type == "corrective"]
    preventive = [_step(a) for a in actions if a.type == "preventive"]
    checks = [Check(as_utc(v.at), tuple(v.clean_lots), v.evidence, v.by) for v in rows(Verification)]
    acceptance = (rows(CustomerAcceptance) or [None])[-1]
    closing = next((c for c in reversed(rows(StatusChange)) if c.to_status == Status.closed and c.from_status == Status.verified), None)
    revision, approved, requested, sent = this_revision([r for r in rows(Approval) if r.subject == "8d"], events)
    owner = owning.user_id if owning else None
    team = tuple(dict.fromkeys([*([owner] if owner else []), *acted, *(a.owner for a in actions)]))

    d1 = [Row("departments", tuple(dict.fromkeys([item.department, *item.also_departments])), dept=True)] if team else []
    d2 = [Row("customer", customer), Row("part_numbers", tuple(item.part_numbers)), Row("lot_numbers", tuple(item.lot_numbers)),
          Row("quantity", f"{item.quantity} {item.quantity_unit or ''}".strip() if item.quantity else None),
          Row("customer_said", item.text), Row("received", as_utc(item.received_at)), Row("line_stopped", item.line_stopped)]
    d3, quantities = [], []
    if containment:
        quantities = [Quantity(where, getattr(containment, f"{where}_checked"), getattr(containment, f"{where}_bad"))
                      for where in PLACES]
        d3 = [Row("sorting_method", containment.sorting_method), Row("sorting_result", containment.sorting_result),
              Row("countermeasure", containment.countermeasure), Row("customer_informed", containment.customer_informed)]
    d4 = [Row("category_4m1e", f"rootcause.{root.category}", key=True), Row("occurrence", root.occurrence),
          Row("escape", root.escape), Row("evidence", root.evidence)] if root else []
    d8 = []
    if acceptance:
        d8.append(Row("customer_acceptance", f"{acceptance.accepted_by} · {acceptance.accepted_on.date().isoformat()} · {acceptance.how}"))
    if closing:
        d8 += [Row("closed", as_utc(closing.at)), Row("closed_by", closing.by, user=True)]
        d8 += [Row("recognition", team, user=True)] if team else []
    first = lambda found: as_utc(found[0].at) if found else None  # noqa: E731
    recorded = [(d1, team, as_utc(owning.since) if owning else None),
                (d2, (), as_utc(item.received_at)),
                (d3, quantities, as_utc(containment.at) if containment else None),
                (d4, (), as_utc(root.at) if root else None),
                ([], corrective, first([a for a in actions if a.type == "corrective"])),
                ([], checks, checks[-1].at if checks else None),
                ([], preventive, first([a for a in actions if a.type == "preventive"])),
                (d8, (), as_utc(closing.at) if closing else None)]
    disciplines = tuple(Discipline(code, tuple(r for r in found if r.value not in (None, "", ())), tuple(table), when)
                        for code, (found, table, when) in zip(DISCIPLINES, recorded))
    return EightD(item_id, customer, disciplines, item.number, dict(record.names or {}) if record else {},
                  revision=revision, received=as_utc(item.received_at), issued=as_utc(sent.at) if sent else None,
                  prepared_by=(requested.by if requested else sent.actor if sent else owner),
                  approved=Signature(approved.by, as_utc(approved.at)) if approved else None,
                  leader=owner, team=team, severity=item.severity, part_numbers=tuple(item.part_numbers),
                  lot_numbers=tuple(item.lot_numbers), customer_record=record_of(s, record) if record else None)


def people(report: EightD) -> set[str]:
    """The Slack user ids the report names (to be shown by name)."""
    found = set(report.team)
    found.update(p for p in (report.prepared_by, report.leader, report.approved.by if report.approved else None) if p)
    for d in report.disciplines:
        for r in d.rows:
            if r.user:
                found.update(r.value if isinstance(r.value, tuple) else (r.value,))
        for entry in d.table:
            if isinstance(entry, Step):
                found.update(p for p in (entry.owner, entry.done_by, entry.verified_by) if p)
            elif isinstance(entry, Check):
                found.add(entry.by)
    return found
