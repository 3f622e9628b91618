"""What every operation on an item shares: one transaction that holds the item's row lock, records
the request key (a retried request changes nothing), appends the audit event and queues the
outgoing messages, so a crash leaves all of it or none (docs/architecture.md).

`ItemWork` is the base of the capabilities that change items: intake (domain/intake.py) and
corrections (domain/corrections.py); the lifecycle (domain/lifecycle/) comes next on it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.lifecycle.table import Status
from domain import outbox
from domain.classifier import classifier_for
from domain.clock import Clock
from domain.sla.calendar import calendar_for
from domain.sla.clocks import sync_clocks
from domain.requirements import item_requirements
from domain.errors import InvalidValue, ItemFinished, ItemNotFound, MembershipUnknown, NotAllowed
from domain.policy import CATEGORIES, KINDS, SEVERITIES, Policy
from domain.extraction import LINE_STATES
from domain.text import summarize
from domain.roles import roles_of
from domain.visibility import Sight, sight_of
from models import Deadline, Event, FeedbackItem, ProcessedRequest, ReferenceCounter
from models.db import Database, insert_into

EDITABLE = ("kind", "category", "severity", "department")
FACTS = ("text", "part_numbers", "lot_numbers", "quantity", "checked_quantity", "line_state")


def stated_line_state(chosen: dict[str, Any]) -> str | None:
    """The line's state a person stated (the form's select, a DM answer), or None when not stated;
    a yes/no about a stop (older forms, buttons) is stopped / running."""
    if chosen.get("line_state") in LINE_STATES:
        return chosen["line_state"]
    if chosen.get("line_stopped") is not None:
        return "stopped" if chosen["line_stopped"] else "running"
    return None


def set_line_state(item: FeedbackItem, state: str | None) -> None:
    """The one place the line's state is written: `line_stopped` (what satisfaction counts as a stop)
    says only that the line *is* stopped, never that it may stop."""
    item.line_state, item.line_stopped = state, state == "stopped"


def next_reference(s: Session) -> int:
    """The next VOC number, from a counter row the filing transaction holds locked until it commits
    (a rolled-back filing gives its number back: the ledger has no gaps)."""
    table = ReferenceCounter.__table__
    stmt = (insert_into(s, table).values(name="VOC", value=1)
            .on_conflict_do_update(index_elements=["name"], set_={"value": table.c.value + 1})
            .returning(table.c.value))
    return s.execute(stmt).scalar_one()


def claim_key(s: Session, key: str, now: datetime, item_id: int | None = None) -> bool:
    """Record that the work named `key` (a Slack request, a night's training, a day's check) is done in
    this transaction; False when it was recorded before. One INSERT … ON CONFLICT DO NOTHING: a copy
    racing this one waits for it, then finds the key and does nothing."""
    table = ProcessedRequest.__table__
    stmt = (insert_into(s, table).values(key=key, item_id=item_id, at=now)
            .on_conflict_do_nothing(index_elements=["key"]).returning(table.c.key))
    return s.execute(stmt).scalar() is not None


def once_per_request(method):
    """Two copies of one Slack request racing each other: the loser hits the processed-request key.
    Only that conflict means "duplicate"; any other constraint violation is an error (raised, so it
    is reported and retried)."""
    @functools.wraps(method)
    def wrapper(self, item_id, actor, request_key, *args, **kwargs):
        try:
            return method(self, item_id, actor, request_key, *args, **kwargs)
        except IntegrityError:
            with self.db.session() as s:
                done = s.get(ProcessedRequest, request_key)
            if done is None:
                raise
            return Outcome("duplicate", done.item_id)
    return wrapper


@dataclass(frozen=True)
class Outcome:
    status: str  # filed | proposed | duplicate | updated | unchanged | withdrawn | cancelled
    item_id: int | None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


class ItemWork:
    def __init__(self, db: Database, policy: Policy, clock: Clock, group_members=None):
        self.db, self.policy, self.clock = db, policy, clock
        # Slack user-group members by group id: anything with .get(group) (the bot's cache of
        # usergroups.users.list); empty: the policy's role lists alone decide.
        self.group_members = group_members if group_members is not None else {}
        self.calendar = calendar_for(policy)

    def sight(self, s: Session, user: str) -> Sight:
        """What `user` may see now: their roles, and the restricted customers read live from the database
        (domain/visibility.py) — every surface that lists or shows items asks here, once per request."""
        return sight_of(s, roles_of(self.policy, user, self.group_members), self.group_members)

    @property
    def classifier(self):
        """The policy's rules with the company's model in use (a newer one is picked up at once)."""
        return classifier_for(self.policy, self.db)

    def _post_thread(self, s: Session, item: FeedbackItem, now: datetime) -> None:
        channel = self.policy.departments[item.department].channel_on(item.platform)
        lang = self.policy.company.language
        first = 0 if item.severity == "AA" else 1  # AA messages go first
        outbox.enqueue(s, key=f"item:{item.id}:parent:{channel}", intent="parent", item_id=item.id,
                       channel=channel, locale=lang, now=now, priority=first, platform=item.platform)
        outbox.enqueue(s, key=f"item:{item.id}:ping:{channel}", intent="ping", item_id=item.id,
                       channel=channel, locale=lang, now=now, priority=first, platform=item.platform)

    def _sync_deadlines(self, s: Session, item: FeedbackItem, now: datetime) -> None:
        """Start, recompute or cancel the item's deadline clocks for its kind and severity now."""
        rows = list(s.exec(select(Deadline).where(Deadline.item_id == item.id)).all())
        for new in sync_clocks(rows, item, self.policy, self.calendar, now, item_requirements(s, self.policy, item)):
            s.add(new)
        for d in rows:
            s.add(d)
        s.flush()

    def _apply_choices(self, current: dict[str, str], chosen: dict[str, Any]) -> dict[str, str]:
        """The classification values a person chose, checked, with what follows from them:
        a new category brings its department (unless one was chosen), and only complaints have a
        severity above B."""
        new = {k: v for k, v in chosen.items() if k in EDITABLE and v}
        for name, value in new.items():
            self._validate(name, value)
        if "category" in new and "department" not in new:
            new["department"] = self.policy.department_for(new["category"])
        merged = current | new
        if merged["kind"] != "complaint" and merged["severity"] != "B":
            new["severity"] = "B"
        return new

    def _validate(self, name: str, value: str) -> None:
        allowed = {"kind": KINDS, "category": CATEGORIES, "severity": SEVERITIES,
                   "department": tuple(self.policy.departments)}[name]
        if value not in allowed:
            raise InvalidValue(field=name, value=value)

    def _open_correction(self, s: Session, item_id: int, actor: str, request_key: str, now: datetime) -> FeedbackItem | None:
        """What every correction starts with, in its transaction: the request key (None: seen
        before), the item locked, the person allowed, the item neither closed nor withdrawn (a closed
        item is reopened first: a correction would restart its clocks behind everyone's back)."""
        if self._seen(s, request_key, item_id, now):
            return None
        item = self._item(s, item_id)
        self._require_may_correct(s, item, actor)
        if item.status in (Status.closed, Status.withdrawn):
            raise ItemFinished(ref=item.number, status=item.status)
        return item

    def _apply_facts(self, item: FeedbackItem, chosen: dict[str, Any]) -> None:
        """Facts a person entered replace what was there; a field left out is left as it was."""
        text = (chosen.get("text") or "").strip()[: self.policy.intake.max_text_chars]
        if text and text != item.text:
            item.text, item.summary = text, summarize(text)
        for name in ("part_numbers", "lot_numbers"):
            if name in chosen and chosen[name] is not None:
                setattr(item, name, list(chosen[name]))
        if chosen.get("quantity") is not None:
            item.quantity = chosen["quantity"]
        if chosen.get("checked_quantity") is not None:
            item.checked_quantity = chosen["checked_quantity"]
        if stated_line_state(chosen) is not None:
            set_line_state(item, stated_line_state(chosen))

    def _require_may_correct(self, s: Session, item: FeedbackItem, actor: str) -> None:
        """The reporter, the responsible (or an added) department, the QM or an admin, or a manager
        of the owning department (the GM too) — the rule table's names for this person on this item
        (`roles_on`); an unfiled draft is its reporter's alone."""
        from domain.lifecycle.apply import load_view
        from domain.lifecycle.permissions import roles_on
        from domain.roles import roles_of

        roles = roles_of(self.policy, actor, self.group_members)
        held = roles_on(load_view(s, item.id), roles, self.policy)
        allowed = {"reported", "dept", "manager"} if item.filed_at else {"reported"}
        if not held & allowed:
            if roles.unknown:
                raise MembershipUnknown()
            raise NotAllowed(action="change")

    @staticmethod
    def _item(s: Session, item_id: int, lock: bool = True) -> FeedbackItem:
        # Locked for a changing transaction: two clicks processed at once see each other's change.
        item = s.get(FeedbackItem, item_id, with_for_update=lock)
        if item is None:
            raise ItemNotFound(item=item_id)
        return item

    def handled(self, key: str) -> bool:
        """Whether the request with this idempotency key has already done its work."""
        with self.db.session() as s:
            return s.get(ProcessedRequest, key) is not None

    @staticmethod
    def _seen(s: Session, key: str, item_id: int, now: datetime) -> bool:
        """True when this request was handled before; otherwise record it (same transaction as the change)."""
        return not claim_key(s, key, now, item_id)

    @staticmethod
    def _event(s: Session, item: FeedbackItem, actor: str, action: str, detail: dict, origin: str, now: datetime) -> None:
        s.add(Event(item_id=item.id, actor=actor, action=action, detail=detail, origin=origin, at=now))
