"""Lists of items for `/complaints`: mine, my department's, open, overdue, by customer. Newest first,
one page at a time, or most urgent first (App Home's queue: overdue, then AA, A, B, then the next
deadline). Pure reads; `now` decides what is overdue."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_
from sqlmodel import Session, select

from domain.customers import find_customer
from domain.lifecycle.table import Status
from domain.lifecycle.view import as_utc
from domain.roles import Roles
from domain.visibility import Sight
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
               offset: int = 0, limit: int = PAGE_SIZE, sight: Sight | None = None, order: str = "newest") -> Page:
    """With `sight`, items of restricted customers this person may not see are left out (domain/visibility.py).
    `order` "urgent": what is overdue first, then by severity (AA, A, B), then by the next deadline
    (none last), so an overdue AA never hides under "2 more"."""
    q = select(FeedbackItem).where(FeedbackItem.status != Status.draft)
    hidden = sight.clause() if sight is not None else None
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
    newest = (FeedbackItem.received_at.desc(), FeedbackItem.number.desc(), FeedbackItem.id.desc())
    items = s.exec(q.order_by(*(_urgent(now) if order == "urgent" else newest)).offset(offset).limit(limit)).all()
    return Page(tuple(_row(s, i) for i in items), total, offset)


def _urgent(now: datetime) -> tuple:
    """Overdue first, then AA, A, B, then the earliest next deadline (an item with none last), then the
    one waiting longest."""
    next_due = (select(func.min(Deadline.due_at)).where(Deadline.item_id == FeedbackItem.id, Deadline.met_at.is_(None),
                                                        Deadline.state == "open").scalar_subquery())
    overdue = case((next_due < now, 0), else_=1)
    severity = case({"AA": 0, "A": 1, "B": 2}, value=FeedbackItem.severity, else_=3)
    return overdue, severity, case((next_due.is_(None), 1), else_=0), next_due, FeedbackItem.received_at, FeedbackItem.id


def _row(s: Session, item: FeedbackItem) -> Row:
    customer = s.get(Customer, item.customer_id) if item.customer_id else None
    due = s.exec(select(Deadline).where(Deadline.item_id == item.id, Deadline.met_at.is_(None))
                 .order_by(Deadline.due_at)).first()
    return Row(item.id, item.number, item.kind, item.severity, item.status, item.department,
               customer.name if customer else item.customer_text, dict(customer.names or {}) if customer else {},
               item.summary, item.channel_id, item.thread_ts,
               (due.milestone, as_utc(due.due_at)) if due and item.status not in NOT_OPEN else None)
