"""Apply a lifecycle action in a session: check with `decide`, write the step rows, the status
change, the audit event (before/after of each changed field) and the deadlines it meets.

The caller owns the transaction (the unit-of-work helper wraps it) and passes `now`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from domain.classifier.store import record_example
from domain.sla import clocks
from domain.sla.calendar import calendar_for
from domain.customer_records import record_of
from domain.requirements import item_requirements
from domain.errors import DomainError, ItemNotFound
from domain.lifecycle import approvals, records, visits
from domain.lifecycle.permissions import Refusal, Decision, action_edits, check
from domain.lifecycle.table import CLOSING_MEETS, MET_AT_FIELD, Status, milestones_met
from domain.lifecycle.view import ActionView, ItemView, VerificationView, as_utc, awaits_approval
from domain.levels import level_of, yes_or_no
from domain.policy import Policy
from domain.roles import Roles
from models import (Containment, Customer, CustomerAcceptance, CustomerReply, Deadline, DiscussionMessage, Event, FeedbackItem,
                    FirstContact, ItemAction, ItemAssignment, RootCause, StatusChange, Verification)


class ActionRefused(DomainError):
    """A refused lifecycle action; `code` and `params` say why (domain/i18n.py)."""

    def __init__(self, code: str, **params):
        self.code = code
        super().__init__(**params)

    def message(self, lang: str) -> str:
        from domain.lifecycle.explain import explain

        return explain(Refusal(self.code, self.params), lang)


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    item: ItemView  # after the action
    changes: dict[str, dict[str, Any]]
    approval: "approvals.Standing | None" = None  # where the approval this step concerns stands now


def load_view(s: Session, item_id: int) -> ItemView:
    item = s.get(FeedbackItem, item_id)
    if item is None:
        raise ItemNotFound(item_id=item_id)
    return _view(s, item)


def _view(s: Session, item: FeedbackItem) -> ItemView:
    by_item = lambda table: s.exec(select(table).where(table.item_id == item.id).order_by(table.id)).all()  # noqa: E731
    assignments = [a for a in by_item(ItemAssignment) if a.until is None]
    owner = next((a.user_id for a in assignments if a.role == "owner"), None)
    added = tuple(dict.fromkeys([*item.also_departments, *(a.department for a in assignments if a.role == "added")]))
    changes = by_item(StatusChange)
    status = Status(item.status)
    before_waiting = None
    if status == Status.waiting_on_customer:
        into = [c for c in changes if c.to_status == Status.waiting_on_customer]
        before_waiting = Status(into[-1].from_status) if into else None
    row = s.get(Customer, item.customer_id) if item.customer_id else None
    customer = row.name if row is not None else item.customer_text
    return ItemView(
        id=item.id, kind=item.kind, category=item.category, severity=item.severity, status=status,
        department=item.department, reporter=item.reporter_id, version=item.version, customer=customer,
        customer_record=record_of(s, row) if row is not None else None,
        added_departments=tuple(d for d in added if d != item.department), owner=owner,
        contained=bool(by_item(Containment)), root_caused=bool(by_item(RootCause)),
        actions=tuple(ActionView(a.id, a.type, a.what, a.owner, as_utc(a.due), as_utc(a.done_at), as_utc(a.verified_at),
                                 tuple(a.documents)) for a in by_item(ItemAction)),
        verifications=tuple(VerificationView(as_utc(v.at), tuple(v.clean_lots)) for v in by_item(Verification)),
        customer_accepted=bool(by_item(CustomerAcceptance)),
        received_at=as_utc(item.received_at),
        customer_replied=bool(by_item(CustomerReply)), wants_8d=item.wants_8d,
        eight_d_sent=s.exec(select(Event.id).where(Event.item_id == item.id, Event.action == "lifecycle.send_8d")).first() is not None,
        # pending while the last move is a request that did not close it (a send back, approval or reopen ends it)
        closure_requested=awaits_approval(changes[-1] if changes else None, item.status),
        status_before_waiting=before_waiting, filed_at=as_utc(item.filed_at),
        approvals=approvals.rows_of(s, item.id),
        problem_severity=item.problem_severity, urgency=item.urgency or "normal",
        visits=visits.views_of(s, item.id),
        returns=records.returns_of(s, item.id), claims=records.claims_of(s, item.id),
    )


def _as_datetime(value: datetime | date | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), tzinfo=timezone.utc)
    return as_utc(value)


def _int(fields: dict, name: str) -> int | None:
    value = fields.get(name)
    return None if value in (None, "") else int(value)


def perform(s: Session, item_id: int, action: str, roles: Roles, policy: Policy, now: datetime,
            fields: dict[str, Any] | None = None, origin: str | None = None, seen_version: int | None = None) -> Outcome:
    """Do `action` if `decide` allows it now (raises ActionRefused otherwise, having changed nothing)."""
    fields = dict(fields or {})
    query = select(FeedbackItem).where(FeedbackItem.id == item_id)
    if s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    item = s.exec(query).first()
    if item is None:
        raise ItemNotFound(item_id=item_id)
    view = _view(s, item)
    decision = check(view, roles, policy, action, fields, seen_version, now)
    if not decision.allowed:
        raise ActionRefused(decision.refusal.code, **decision.refusal.params)
    actor = roles.user
    changes: dict[str, dict[str, Any]] = {}

    def change(field: str, after: Any) -> None:
        before = getattr(item, field)
        if before != after:
            changes[field] = {"before": before, "after": after}
            setattr(item, field, after)

    def change_action(action_id: int, after: dict[str, Any]) -> None:  # a re-worked action: what / owner / due
        row = s.get(ItemAction, action_id)
        for name, value in after.items():
            value = _as_datetime(value) if name == "due" else value
            before = as_utc(row.due) if name == "due" else getattr(row, name)
            if before != value:
                changes[f"action:{action_id}.{name}"] = {"before": before, "after": value}
                setattr(row, name, value)
        s.add(row)

    _record_step(s, item, policy, action, fields, actor, now, change)
    if action == "edit_action":  # only what changed, under the action's name (the same record as a re-worked action)
        change_action(int(fields["action_id"]), {name: after for name, (_, after) in action_edits(view, fields).items()})
    approval = approvals.record(s, item, view, policy, action, fields, actor, now, change_action)
    if action in records.RECORD_ACTIONS:  # a return's or claim's own record, and a claim's approval rows
        record_changes, approval = records.write(s, item, view, policy, action, fields, actor, now)
        changes.update(record_changes)
    if decision.to is not None and decision.to != view.status:
        s.add(StatusChange(item_id=item.id, action=action, from_status=view.status.value, to_status=decision.to.value,
                           reason=fields.get("reason") or fields.get("answer"), by=actor, at=now))
        change("status", decision.to.value)
        if decision.to == Status.withdrawn:
            change("withdrawn_at", now)
    elif action in ("request_closure", "customer_told", "send_back"):  # waits for (or was sent back by) the QM
        s.add(StatusChange(item_id=item.id, action=action, from_status=view.status.value, to_status=view.status.value,
                           reason=fields.get("reason"), by=actor, at=now))
    met = _run_clocks(s, item, policy, action, fields, view.status, decision.to, now)
    if action in visits.VISIT_STEPS:  # the visit's own row and clocks (request: the new visit's id joins `fields`)
        visit_changes, visit_met = visits.record(s, item, policy, calendar_for(policy), action, fields, actor, now)
        changes.update(visit_changes)
        met += visit_met
    item.version += 1
    item.updated_at = now
    detail = {"changes": changes, "fields": {k: _jsonable(v) for k, v in fields.items()}}
    if met:
        detail["deadlines_met"] = met
    if approval is not None:
        detail["approval"] = {"subject": approval.subject, "state": approval.state, "revision": approval.revision,
                              "stage": approval.stage}
    s.add(Event(item_id=item.id, actor=actor, action=f"lifecycle.{action}", detail=_jsonable(detail), origin=origin, at=now))
    s.flush()
    return Outcome(decision, _view(s, item), changes, approval)


def _record_step(s: Session, item: FeedbackItem, policy: Policy, action: str, f: dict, actor: str, now: datetime, change) -> None:
    """The row(s) each action writes; the table decided it is allowed."""
    if action == "take_ownership":
        _end_assignments(s, item.id, now, role="owner")
        s.add(ItemAssignment(item_id=item.id, department=item.department, role="owner", user_id=actor, by=actor, since=now))
    elif action in ("record_containment", "amend_containment"):
        counts = {f"{w}_{q}": _int(f, f"{w}_{q}") for w in ("stock", "wip", "transit", "customer") for q in ("checked", "bad")}
        s.add(Containment(item_id=item.id, **counts, sorting_method=f["sorting_method"], sorting_result=f.get("sorting_result"),
                          countermeasure=f["countermeasure"], customer_informed=bool(f["customer_informed"]), by=actor, at=now))
    elif action in ("record_root_cause", "amend_root_cause"):
        s.add(RootCause(item_id=item.id, category=f["category"], occurrence=f["occurrence"], escape=f["escape"],
                        evidence=f.get("evidence"), by=actor, at=now))
    elif action in ("add_corrective_action", "add_more_corrective", "add_preventive_action", "add_more_preventive"):
        kind = "corrective" if "corrective" in action else "preventive"
        s.add(ItemAction(item_id=item.id, type=kind, what=f["what"], owner=f["owner"], due=_as_datetime(f["due"]),
                         documents=list(f.get("documents") or ()), by=actor, at=now))
    elif action in ("mark_action_done", "mark_action_verified"):
        row = s.get(ItemAction, int(f["action_id"]))
        if action == "mark_action_done":
            row.done_at, row.done_by = now, actor
        else:
            row.verified_at, row.verified_by = now, actor
        s.add(row)
    elif action == "record_verification":
        s.add(Verification(item_id=item.id, evidence=f["evidence"], clean_lots=[x.strip() for x in f.get("clean_lots") or ()],
                           by=actor, at=now))
    elif action == "record_first_contact":
        s.add(FirstContact(item_id=item.id, contacted_by=f["contacted_by"], contacted_at=_as_datetime(f["contacted_at"]),
                           how=f["how"], note=f.get("note") or None, by=actor, at=now))
    elif action == "record_customer_reply":
        s.add(CustomerReply(item_id=item.id, reply=f["reply"], how=f["how"], replied_at=_as_datetime(f["replied_at"]),
                            by=actor, at=now))
    elif action == "record_customer_acceptance":
        s.add(CustomerAcceptance(item_id=item.id, accepted_by=f["accepted_by"], accepted_on=_as_datetime(f["accepted_on"]),
                                 how=f["how"], by=actor, at=now))
    elif action == "reassign":  # a new owning department; the departments added stay added
        _end_assignments(s, item.id, now, role="owner")
        s.add(ItemAssignment(item_id=item.id, department=f["department"], role="owner", user_id=f.get("owner"), by=actor, since=now))
        change("department", f["department"])
        # A department that handles exactly one category says which category the item really is;
        # one that handles several says only that the current one was wrong: nothing to learn.
        categories = [c for c, d in policy.routing.items() if d == f["department"]]
        if len(categories) == 1:
            record_example(s, item, actor, "thread", now, category=categories[0])
    elif action == "hand_over":  # the owner leaves: the successor owns it, in the same department
        _end_assignments(s, item.id, now, role="owner")
        s.add(ItemAssignment(item_id=item.id, department=item.department, role="owner", user_id=f["owner"], by=actor, since=now))
    elif action == "add_department":
        s.add(ItemAssignment(item_id=item.id, department=f["department"], role="added", by=actor, since=now))
        change("also_departments", [*item.also_departments, f["department"]])
    elif action == "change_severity":  # the problem's grade; the level stays lifted by the customer's urgency
        change("problem_severity", f["severity"])
        change("severity", level_of(item.kind, f["severity"], item.urgency, policy))  # clocks follow (_run_clocks)
        record_example(s, item, actor, "thread", now)
    elif action == "set_urgency":
        change("urgency", f["urgency"])
        change("urgency_source", "department")
        change("problem_severity", item.problem_severity or item.severity)
        change("severity", level_of(item.kind, item.problem_severity, f["urgency"], policy))
    elif action == "set_wants_8d":
        change("wants_8d", yes_or_no(f["wants_8d"]))
        change("wants_8d_source", "department")


def _end_assignments(s: Session, item_id: int, now: datetime, role: str | None = None) -> None:
    for a in s.exec(select(ItemAssignment).where(ItemAssignment.item_id == item_id, ItemAssignment.until.is_(None))).all():
        if role is None or a.role == role:
            a.until = now
            s.add(a)


def _run_clocks(s: Session, item: FeedbackItem, policy: Policy, action: str, fields: dict, before: Status,
                to: Status | None, now: datetime) -> list[str]:
    """The deadline clocks after a step (domain/sla/clocks.py): met by the step that fulfils them;
    closing meets internal closure and stops the rest, withdrawing stops them all; waiting on the
    customer pauses them and leaving it resumes them, shifted by the paused time; a new severity
    recomputes them from receipt. Returns the milestones met."""
    calendar = calendar_for(policy)
    rows = list(s.exec(select(Deadline).where(Deadline.item_id == item.id)).all())
    met = []
    meets = milestones_met(action, fields)
    when = _as_datetime(fields[MET_AT_FIELD[action]]) if action in MET_AT_FIELD else now
    for d in rows:
        running = d.state in (clocks.OPEN, clocks.PAUSED)
        if running and d.milestone in meets:
            clocks.meet(d, when)
            met.append(d.milestone)
        elif running and to == Status.closed and d.milestone in CLOSING_MEETS:
            clocks.meet(d, now)
            met.append(d.milestone)
        elif running and to in (Status.closed, Status.withdrawn):
            clocks.cancel(d, now)
        elif to == Status.waiting_on_customer:
            clocks.pause(d, now)
        elif before == Status.waiting_on_customer and to not in (None, Status.waiting_on_customer):
            clocks.resume(d, item.severity, policy, calendar, now)
    if action in ("change_severity", "set_urgency", "set_wants_8d"):  # the level or the 8D request changed
        for new in clocks.sync_clocks(rows, item, policy, calendar, now, item_requirements(s, policy, item)):
            s.add(new)
    for d in rows:
        s.add(d)
    return met


def record_reply(s: Session, item_id: int, user: str, ts: str, text: str, now: datetime,
                 file_permalinks: list[str] | tuple[str, ...] = ()) -> bool:
    """Keep a plain thread reply as the item's discussion; a redelivered event (same ts) is kept once."""
    if s.exec(select(DiscussionMessage).where(DiscussionMessage.item_id == item_id, DiscussionMessage.ts == ts)).first():
        return False
    s.add(DiscussionMessage(item_id=item_id, user_id=user, ts=ts, text=text, file_permalinks=list(file_permalinks), at=now))
    s.flush()
    return True


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):  # exact, as typed: an amount is never a float
        return str(value)
    return value
