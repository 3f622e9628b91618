"""A read-only view of an item and its recorded steps: all `decide` and the gate look at."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from domain.lifecycle.table import Status
from domain.policy import CustomerSeed


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands naive datetimes back; they were stored as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# The moves that ask the quality manager to close (an AA request, or "customer told" of an AA not-ours item).
ASKS_TO_CLOSE = ("request_closure", "customer_told")


def awaits_approval(last_move, status: str) -> bool:
    """Closure was asked for and nothing has moved since (approval, send back or reopen end it): the
    last status change is the request, which left the item where it was, and it is still there. A
    request that closed the item at once (A, B) is not waiting for anyone."""
    return (last_move is not None and last_move.action in ASKS_TO_CLOSE
            and last_move.from_status == last_move.to_status == status and status not in ("closed", "withdrawn"))


@dataclass(frozen=True)
class ActionView:
    id: int
    type: str  # corrective | preventive
    what: str
    owner: str
    due: datetime | None = None
    done_at: datetime | None = None
    verified_at: datetime | None = None
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerificationView:
    at: datetime
    clean_lots: tuple[str, ...]


@dataclass(frozen=True)
class ApprovalView:
    """One row of the `approvals` table: a request, approval or rejection (domain/lifecycle/approvals.py)."""
    subject: str  # '8d' | 'action:<id>'
    stage: str
    decision: str  # requested | approved | rejected
    revision: int
    by: str
    at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class VisitView:
    """A field-service visit of the item (models/visits.py), as the rules see it."""
    id: int
    state: str  # requested | on_site | returned | report_signed
    engineers: tuple[str, ...]
    site: str
    requested_at: datetime
    arrived_at: datetime | None = None
    returned_at: datetime | None = None


@dataclass(frozen=True)
class ItemView:
    id: int
    kind: str
    category: str
    severity: str
    status: Status
    department: str
    reporter: str
    version: int = 1
    customer: str | None = None
    customer_record: CustomerSeed | None = None  # its record (domain/customer_records.py): its requirements
    added_departments: tuple[str, ...] = ()
    owner: str | None = None
    contained: bool = False
    root_caused: bool = False
    actions: tuple[ActionView, ...] = ()
    verifications: tuple[VerificationView, ...] = ()
    customer_accepted: bool = False
    received_at: datetime | None = None  # dates recorded on the item are checked against it
    customer_replied: bool = False  # a reply to the customer was recorded (record_customer_reply)
    wants_8d: bool | None = None  # the customer asks for an 8D (None: not known)
    eight_d_sent: bool = False  # the send_8d step was done
    closure_requested: bool = False  # waiting for the QM's approval
    status_before_waiting: Status | None = None
    approvals: tuple[ApprovalView, ...] = ()  # in the order they were recorded
    problem_severity: str | None = None  # the problem's grade; `severity` is the level (domain/levels.py)
    urgency: str = "normal"
    filed_at: datetime | None = None  # when it was filed (the reporter's undo window runs from here)
    visits: tuple[VisitView, ...] = ()  # field-service visits, in the order they were asked for
    returns: tuple = ()  # ReturnView of domain/lifecycle/records.py, in the order recorded
    claims: tuple = ()  # ClaimView, likewise

    @property
    def departments(self) -> tuple[str, ...]:
        return (self.department,) + tuple(d for d in self.added_departments if d != self.department)

    def visit(self, visit_id: int) -> VisitView | None:
        return next((v for v in self.visits if v.id == visit_id), None)

    def action(self, action_id: int) -> ActionView | None:
        return next((a for a in self.actions if a.id == action_id), None)
