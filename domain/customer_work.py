"""The desk's customer-record capability (seed 001 §4.1, §4.3; docs/customers.md): read a record with
its open items (`/customer`), edit it (admins and the quality manager), and hand an account over to
its successor. Every change is one audit event with each field old → new; the items handed over
each go through the rule table's `hand_over` (its own audit event), so there is no side door."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from domain import outbox
from domain.addresses import platform_of
from domain.customer_records import record_changes, record_of, taken_names, write_record
from domain.customers import find_customer
from domain.errors import DomainError
from domain.i18n import t
from domain.lifecycle.apply import perform
from domain.lifecycle.table import Status
from domain.policy import CustomerSeed
from domain.roles import Roles, roles_of
from domain.unit_of_work import ItemWork, claim_key
from domain.visibility import on_account_team, sees_everything
from models import Customer, Event, FeedbackItem, ItemAssignment, OutboundMessage
from models.satisfaction import SatisfactionImprovement

OPEN_LISTED = 20  # open items shown on the record; the rest are counted
NOT_OPEN = (Status.draft, Status.closed, Status.withdrawn)


class CustomerRefused(DomainError):
    """A customer record that cannot be shown or changed as asked; `code` says why."""

    def __init__(self, code: str, **params):
        self.code = code
        super().__init__(**params)


@dataclass(frozen=True)
class OpenItem:
    number: int | None
    summary: str
    severity: str
    status: str
    owner: str | None


@dataclass(frozen=True)
class CustomerPage:
    customer_id: int
    record: CustomerSeed
    version: str  # when it was last changed: an edit made on an older page is refused
    open_items: tuple[OpenItem, ...] = ()
    open_count: int = 0
    may_edit: bool = False


@dataclass(frozen=True)
class Saved:
    customer: str
    changes: dict = field(default_factory=dict)  # field -> {before, after}
    handed_over: int = 0  # open items moved to the successor
    reminders: int = 0  # pending reminders moved with them


def may_see(roles: Roles, record: CustomerSeed, groups=None) -> bool:
    """Seed 001 §4.1 (未經許可不得隨意調閱客戶檔案): a restricted record only for its account team
    (owner, backup, `visible_to`), the QM, the GM and admins; anyone else is told no such record exists."""
    return (not record.restricted or sees_everything(roles)
            or on_account_team(roles.user, record.account_owner, record.account_backup, record.visible_to, groups))


def may_edit(roles: Roles) -> bool:
    return roles.admin or roles.quality_manager


class CustomerWork(ItemWork):
    def customer_page(self, name: str, actor: str) -> CustomerPage:
        """The record of the customer `name` means, with its open items, as `actor` may see it."""
        roles = roles_of(self.policy, actor, self.group_members)
        with self.db.session() as s:
            customer = find_customer(s, name or "")
            record = record_of(s, customer) if customer is not None else None
            if record is None or not may_see(roles, record, self.group_members):
                raise CustomerRefused("customer.error.unknown", customer=(name or "").strip()[:200])
            return self._page(s, customer, record, roles)

    def customer_by_id(self, customer_id: int, actor: str) -> CustomerPage:
        """The record to edit (admins and the QM only)."""
        roles = roles_of(self.policy, actor, self.group_members)
        if not may_edit(roles):
            raise CustomerRefused("customer.error.not_allowed")
        with self.db.session() as s:
            customer = s.get(Customer, customer_id)
            record = record_of(s, customer) if customer is not None else None
            if record is None:
                raise CustomerRefused("customer.error.unknown", customer=str(customer_id))
            return self._page(s, customer, record, roles)

    def _page(self, s: Session, customer: Customer, record: CustomerSeed, roles: Roles) -> CustomerPage:
        open_q = select(FeedbackItem).where(FeedbackItem.customer_id == customer.id, FeedbackItem.status.notin_(NOT_OPEN))
        count = s.exec(select(func.count()).select_from(open_q.subquery())).one()
        rows = s.exec(open_q.order_by(FeedbackItem.received_at).limit(OPEN_LISTED)).all()
        owners = dict(s.exec(select(ItemAssignment.item_id, ItemAssignment.user_id).where(
            ItemAssignment.item_id.in_([r.id for r in rows]), ItemAssignment.role == "owner",
            ItemAssignment.until.is_(None))).all()) if rows else {}
        items = tuple(OpenItem(r.number, r.summary, r.severity, r.status, owners.get(r.id)) for r in rows)
        return CustomerPage(customer.id, record, _version(customer), items, count, may_edit(roles))

    def edit_customer(self, customer_id: int, record: CustomerSeed, actor: str, request_key: str,
                      seen_version: str | None = None) -> Saved:
        """Store the edited record, audited old → new. A new account owner is the successor: the old
        owner's open items of this customer and their pending reminders move to them."""
        roles = roles_of(self.policy, actor, self.group_members)
        if not may_edit(roles):
            raise CustomerRefused("customer.error.not_allowed")
        now = self.clock.now()
        with self.db.session() as s:
            customer = s.get(Customer, customer_id, with_for_update=self.db.engine.dialect.name == "postgresql")
            before = record_of(s, customer) if customer is not None else None
            if before is None:
                raise CustomerRefused("customer.error.unknown", customer=str(customer_id))
            if not claim_key(s, request_key, now):  # a retried submission: done already
                return Saved(customer.name)
            if seen_version is not None and seen_version != _version(customer):
                raise CustomerRefused("customer.error.changed")
            return self._save(s, customer, before, record, roles, request_key, now)

    def _save(self, s: Session, customer: Customer, before: CustomerSeed, record: CustomerSeed, roles: Roles,
              origin: str, now: datetime) -> Saved:
        taken = taken_names(s, customer.id, record)
        if taken:
            raise CustomerRefused("customer.error.name_taken", names=", ".join(taken))
        changes = record_changes(before, record)
        if not changes:
            return Saved(customer.name)
        write_record(s, customer, record, now)
        s.add(Event(actor=roles.user, action="customer.edit", origin=origin, at=now,
                    detail={"customer_id": customer.id, "customer": customer.name, "changes": changes}))
        moved = reminders = 0
        old, new = before.account_owner, record.account_owner
        if old and new and old != new:
            moved, reminders = hand_over(s, self.policy, customer, old, new, roles, origin, now)
        s.flush()
        return Saved(customer.name, changes, moved, reminders)


def _version(customer: Customer) -> str:
    from domain.lifecycle.view import as_utc

    return as_utc(customer.updated_at).isoformat()


def hand_over(s: Session, policy, customer: Customer, old: str, new: str, roles: Roles, origin: str,
              now: datetime) -> tuple[int, int]:
    """Seed 001 §4.3 (指派其他員工頂替調離員工): `old`'s open items of this customer go to `new`, each
    through the rule table's `hand_over`, and so do the reminders waiting to be sent to `old` about
    them, their open satisfaction tasks for it and the survey reminders naming only this customer.
    Returns (items, reminders) moved; one audit event lists them."""
    owned = select(ItemAssignment.item_id).where(ItemAssignment.user_id == old, ItemAssignment.role == "owner",
                                                 ItemAssignment.until.is_(None))
    items = s.exec(select(FeedbackItem.id).where(FeedbackItem.customer_id == customer.id, FeedbackItem.id.in_(owned),
                                                 FeedbackItem.status.notin_(NOT_OPEN)).order_by(FeedbackItem.id)).all()
    reason = t("customer.successor_reason", policy.company.language)
    for item_id in items:
        done = perform(s, item_id, "hand_over", roles, policy, now, {"owner": new, "reason": reason}, origin=origin)
        _tell_thread(s, policy, s.get(FeedbackItem, item_id), roles.user, reason, done.item.status.value, now)
    moved_rows = _move_reminders(s, set(items), customer.id, old, new)
    tasks = s.exec(select(SatisfactionImprovement).where(SatisfactionImprovement.customer_id == customer.id,
                                                         SatisfactionImprovement.owner == old,
                                                         SatisfactionImprovement.state == "open")).all()
    for task in tasks:
        task.owner = new
        s.add(task)
    s.add(Event(actor=roles.user, action="customer.successor", origin=origin, at=now,
                detail={"customer_id": customer.id, "customer": customer.name, "from": old, "to": new,
                        "items": list(items), "reminders": moved_rows, "tasks": [t.id for t in tasks]}))
    return len(items), len(moved_rows)


def _tell_thread(s: Session, policy, item: FeedbackItem, actor: str, reason: str, status: str, now: datetime) -> None:
    """The thread's card redrawn with its new owner, and a note of the hand-over (as every step's)."""
    lang, v = policy.company.language, item.version
    outbox.enqueue(s, key=f"item:{item.id}:refresh:v{v}", intent="refresh", item_id=item.id, channel=item.channel_id,
                   now=now, locale=lang)
    outbox.enqueue(s, key=f"item:{item.id}:note:v{v}", intent="note", item_id=item.id, channel=item.channel_id, now=now,
                   locale=lang, data={"note": "lifecycle", "action": "hand_over", "actor": actor, "status": status,
                                      "summary": "", "reason": reason})


def _move_reminders(s: Session, items: set[int], customer_id: int, old: str, new: str) -> list[int]:
    """Pending outbox rows meant for `old` about what moved: a thread reminder mentioning them, a DM
    to them about moved items only, a survey reminder naming only this customer."""
    moved = []
    # Locked while re-addressed: a sender claiming one of these rows waits, then sends it to the new person.
    pending = select(OutboundMessage).where(OutboundMessage.status == "pending",
                                            (OutboundMessage.user == old) | OutboundMessage.item_id.in_(items))
    for row in s.exec(pending.with_for_update(skip_locked=True)).all():
        data = dict(row.data or {})
        if row.item_id in items and data.get("mention") == old:
            data["mention"] = new
        elif row.user == old and row.intent == "sla_digest" and data.get("entries") \
                and {e.get("item_id") for e in data["entries"]} <= items:
            pass
        elif row.user == old and row.intent == "survey_moment" and [c.get("id") for c in data.get("customers", ())] == [customer_id]:
            pass
        else:
            continue
        if row.user == old:
            row.user = new
        if row.channel == old:
            row.channel = new
        if row.user == new and row.channel in (None, new):  # a DM: it goes where the new person is, Slack or Teams
            row.platform = platform_of(new)
        row.data = data
        s.add(row)
        moved.append(row.id)
    return moved
