"""Lists of items for `/complaints`: mine, my department's, open, overdue, by customer. Newest first,
one page at a time. Pure reads; `now` decides what is overdue."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from domain.customers import find_customer
from domain.lifecycle.table import Status
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from domain.roles import Roles
from domain.visibility import hidden_clause
from models import Customer, Deadline, FeedbackItem, ItemAssignment

SCOPES = ("mine", "mine_open", "dept", "open", "overdue", "customer")
PAGE_SIZE = 10
NOT_OPEN = (Status.draft, Status.closed, Status.withdrawn)


@dataclass(frozen=True)
class Row:
    id: int
    number: int | None
    kind: str
    severity: str
    status: str
    department: str
    customer: str | None
    customer_names: dict[str, str]
    summary: str
    channel_id: str | None
    thread_ts: str | None
    next_due: tuple[str, datetime] | None  # the earliest deadline not met yet

    def customer_in(self, lang: str) -> str | None:
        return self.customer_names.get(lang) or self.customer


@dataclass(frozen=True)
class Page:
    rows: tuple[Row, ...]
    total: int
    offset: int

    @property
    def more(self) -> bool:
        return self.offset + len(self.rows) < self.total


def list_items(s: Session, scope: str, roles: Roles, now: datetime, customer: str | None = None,
               offset: int = 0, limit: int = PAGE_SIZE, policy: Policy | None = None) -> Page:
    """With `policy`, items of restricted customers this person may not see are left out (domain/visibility.py)."""
    q = select(FeedbackItem).where(FeedbackItem.status != Status.draft)
    hidden = hidden_clause(policy, roles) if policy is not None else None
    if hidden is not None:
        q = q.where(hidden)
    if scope == "mine":
        owned = select(ItemAssignment.item_id).where(ItemAssignment.user_id == roles.user, ItemAssignment.until.is_(None))
        q = q.where(or_(FeedbackItem.reporter_id == roles.user, FeedbackItem.id.in_(owned)))
    elif scope == "mine_open":  # App Home: what is still on the person's plate
        owned = select(ItemAssignment.item_id).where(ItemAssignment.user_id == roles.user, ItemAssignment.until.is_(None))
        q = q.where(FeedbackItem.status.not_in(NOT_OPEN), or_(FeedbackItem.reporter_id == roles.user, FeedbackItem.id.in_(owned)))
    elif scope == "dept":
        added = select(ItemAssignment.item_id).where(ItemAssignment.department.in_(roles.departments),
                                                     ItemAssignment.until.is_(None))
        q = q.where(FeedbackItem.status.not_in(NOT_OPEN),
                    or_(FeedbackItem.department.in_(roles.departments), FeedbackItem.id.in_(added)))
    elif scope == "open":
        q = q.where(FeedbackItem.status.not_in(NOT_OPEN))
    elif scope == "overdue":
        late = select(Deadline.item_id).where(Deadline.met_at.is_(None), Deadline.due_at < now)
        q = q.where(FeedbackItem.status.not_in(NOT_OPEN), FeedbackItem.id.in_(late))
    elif scope == "customer":
        known = find_customer(s, customer or "")
        pattern = (customer or "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        typed = FeedbackItem.customer_text.ilike(f"%{pattern}%", escape="\\")  # "%" typed is a percent sign
        q = q.where(or_(FeedbackItem.customer_id == known.id, typed) if known else typed)
    total = s.exec(select(func.count()).select_from(q.subquery())).one()
    items = s.exec(q.order_by(FeedbackItem.received_at.desc(), FeedbackItem.number.desc(), FeedbackItem.id.desc()).offset(offset).limit(limit)).all()
    return Page(tuple(_row(s, i) for i in items), total, offset)


def _row(s: Session, item: FeedbackItem) -> Row:
    customer = s.get(Customer, item.customer_id) if item.customer_id else None
    due = s.exec(select(Deadline).where(Deadline.item_id == item.id, Deadline.met_at.is_(None))
                 .order_by(Deadline.due_at)).first()
    return Row(item.id, item.number, item.kind, item.severity, item.status, item.department,
               customer.name if customer else item.customer_text, dict(customer.names or {}) if customer else {},
               item.summary, item.channel_id, item.thread_ts,
               (due.milestone, as_utc(due.due_at)) if due and item.status not in NOT_OPEN else None)
