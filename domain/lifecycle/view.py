"""A read-only view of an item and its recorded steps: all `decide` and the gate look at."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from domain.lifecycle.table import Status


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands naive datetimes back; they were stored as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def awaits_approval(last_move, status: str) -> bool:
    """Closure was requested and nothing has moved since (approval, send back or reopen end it):
    the last status change is the request, and the item is still where it was asked from."""
    return last_move is not None and last_move.action == "request_closure" and last_move.to_status == status


@dataclass(frozen=True)
class ActionView:
    id: int
    type: str  # corrective | preventive
    what: str
    owner: str
    done_at: datetime | None = None
    verified_at: datetime | None = None
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerificationView:
    at: datetime
    clean_lots: tuple[str, ...]


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
    added_departments: tuple[str, ...] = ()
    owner: str | None = None
    contained: bool = False
    root_caused: bool = False
    actions: tuple[ActionView, ...] = ()
    verifications: tuple[VerificationView, ...] = ()
    customer_accepted: bool = False
    closure_requested: bool = False  # waiting for the QM's approval
    status_before_waiting: Status | None = None
    filed_at: datetime | None = None  # when it was filed (the reporter's undo window runs from here)

    @property
    def departments(self) -> tuple[str, ...]:
        return (self.department,) + tuple(d for d in self.added_departments if d != self.department)

    def action(self, action_id: int) -> ActionView | None:
        return next((a for a in self.actions if a.id == action_id), None)
