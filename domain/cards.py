"""The read model the views draw from: an item with its customer and deadlines, loaded by the caller
(delivery, flows) so that views stay pure functions of it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from domain.lifecycle.approvals import ApprovalLine, lines_of, rows_of
from domain.policy import Policy
from domain.lifecycle.view import ActionView, ApprovalView, as_utc, awaits_approval
from domain.lifecycle.records import claims_of, returns_of
from domain.repeats import repeat_of
from models import Customer, Deadline, FeedbackItem, FieldVisit, ItemAction, ItemAssignment, StatusChange


@dataclass(frozen=True)
class Duplicate:
    """The filed item a draft may repeat word for word: what its proposal shows."""
    id: int
    number: int
    reporter_id: str
    received_at: datetime
    summary: str
    channel_id: str | None
    thread_ts: str | None


@dataclass(frozen=True)
class ItemCard:
    item: FeedbackItem
    customer_name: str | None
    customer_verified: bool
    deadlines: tuple[tuple[str, datetime], ...]
    customer_names: dict[str, str] = field(default_factory=dict)
    owner: str | None = None  # the named owner in the responsible department, once someone took it
    met: frozenset[str] = frozenset()  # milestones met
    closure_requested: bool = False  # waiting for the quality manager's approval
    repeat_of: tuple[int, ...] = ()  # reference numbers of the earlier items this one repeats
    duplicate: Duplicate | None = None  # a draft's possible duplicate (its proposal offers "add to")
    approval_rows: tuple[ApprovalView, ...] = ()  # the approvals table's rows (domain/lifecycle/approvals.py)
    actions: tuple[ActionView, ...] = ()  # its corrective / preventive actions
    visit_states: frozenset[str] = frozenset()  # the states its field visits are in (which visit steps the menu offers)
    returns: tuple = ()  # its returned goods (domain/lifecycle/records.py ReturnView)
    claims: tuple = ()  # its claims (ClaimView)

    def approval_lines(self, policy: Policy) -> list[ApprovalLine]:
        """Where each approval stands (the 8D, each action the policy's chain applies to)."""
        return lines_of(self.item.kind, self.item.severity, self.actions, self.approval_rows, policy)

    @property
    def deadline_states(self) -> tuple[tuple[str, datetime, bool], ...]:
        return tuple((m, due, m in self.met) for m, due in self.deadlines)

    @property
    def next_deadline(self) -> tuple[str, datetime] | None:
        """The earliest milestone not met yet."""
        return next(((m, due) for m, due in self.deadlines if m not in self.met), None)

    def customer_in(self, lang: str) -> str | None:
        """The customer's name in the reader's language where the policy gives one, else as recorded."""
        return self.customer_names.get(lang) or self.customer_name


def load_card(session: Session, item_id: int) -> ItemCard | None:
    item = session.get(FeedbackItem, item_id)
    if item is None:
        return None
    customer = session.get(Customer, item.customer_id) if item.customer_id else None
    rows = session.exec(select(Deadline).where(Deadline.item_id == item_id).order_by(Deadline.due_at)).all()
    owner = session.exec(select(ItemAssignment.user_id).where(ItemAssignment.item_id == item_id,
                                                              ItemAssignment.role == "owner",
                                                              ItemAssignment.until.is_(None))).first()
    last_move = session.exec(select(StatusChange).where(StatusChange.item_id == item_id)
                             .order_by(StatusChange.id.desc())).first()
    return ItemCard(item, customer.name if customer else item.customer_text, bool(customer and customer.verified),
                    tuple((d.milestone, as_utc(d.due_at)) for d in rows), dict(customer.names or {}) if customer else {},
                    owner, frozenset(d.milestone for d in rows if d.met_at is not None),
                    awaits_approval(last_move, item.status),
                    repeat_of(session, item_id), _duplicate(session, item), rows_of(session, item_id),
                    tuple(ActionView(a.id, a.type, a.what, a.owner) for a in session.exec(
                        select(ItemAction).where(ItemAction.item_id == item_id).order_by(ItemAction.id))),
                    frozenset(session.exec(select(FieldVisit.state).where(FieldVisit.item_id == item_id)).all()),
                    returns_of(session, item_id), claims_of(session, item_id))


def _duplicate(session: Session, item: FeedbackItem) -> Duplicate | None:
    other = session.get(FeedbackItem, (item.offers or {}).get("duplicate_of") or 0)
    if other is None or other.number is None or other.status == "withdrawn":
        return None
    return Duplicate(other.id, other.number, other.reporter_id, as_utc(other.received_at), other.summary,
                     other.channel_id, other.thread_ts)
