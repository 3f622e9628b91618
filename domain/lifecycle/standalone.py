"""A return (RMA) that stands alone: goods a customer sent back with no complaint behind them, linked
to the customer only (`returns.item_id` empty).

It is decided by the SAME rule rows and checks as a complaint's return (`permissions.check` on the
table's `record_return` / `inspect_return` / `dispose_return` / `ship_return`, then `records.field_refusal`)
and written by the same `records.write`. What a complaint gives those rows — who is "the department"
and who "reported" it — a customer alone does not, so the decision is asked of a stand-in complaint:
the department is the one the policy routes quality problems to (seed 000: 品质保证部 inspects returned
goods), the reporter whoever recorded the return, and sales are the `reporter` role as on any complaint
(seed 004 §5.2.3: 销售人员 handles the return). Each change is one audit event `lifecycle.<step>`
without an item, its detail naming the return and the customer.
"""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, select

from domain.lifecycle import records
from domain.lifecycle.apply import ActionRefused, _jsonable
from domain.lifecycle.permissions import check
from domain.lifecycle.table import Status
from domain.lifecycle.view import ItemView
from domain.policy import Policy
from domain.roles import Roles
from models import Customer, Event, ReturnedGoods

RETURN_STEPS = ("record_return", "inspect_return", "dispose_return", "ship_return")
NEXT_STEP = {"received": "inspect_return", "inspected": "dispose_return", "dispositioned": "ship_return"}


def return_department(policy: Policy) -> str:
    """The department that answers for a return without a complaint: quality problems' own."""
    return policy.routing.get("quality") or policy.closure.verified_by


def standalone_return(s: Session, return_id: int) -> ReturnedGoods | None:
    row = s.get(ReturnedGoods, return_id)
    return row if row is not None and row.item_id is None else None


def stand_in(customer: Customer, policy: Policy, ret: ReturnedGoods | None) -> ItemView:
    """The complaint the rule rows are evaluated against: received, of the quality department, reported
    by whoever recorded the return; its only record the return itself (none before it is recorded)."""
    returns = () if ret is None else (records.ReturnView(ret.id, ret.quantity, ret.received_on, ret.state,
                                                         ret.inspection, ret.disposition, ret.shipped),)
    return ItemView(id=0, kind="complaint", category="quality", severity="B", status=Status.received,
                    department=return_department(policy), reporter=ret.by if ret is not None else "",
                    customer=customer.name, returns=returns)


def decide_return(s: Session, customer: Customer, ret: ReturnedGoods | None, action: str, roles: Roles, policy: Policy,
                  fields: dict[str, Any] | None, now: datetime):
    """`permissions.check` for a return step on the stand-in (a step of no return refused as unknown)."""
    from domain.lifecycle.permissions import Decision, Refusal

    if action not in RETURN_STEPS or (action == "record_return") != (ret is None):
        return Decision(action, (), None, Refusal("refusal.unknown_action", {"action": action}))
    return check(stand_in(customer, policy, ret), roles, policy, action, fields, None, now)


def perform_return(s: Session, customer_id: int, return_id: int | None, action: str, roles: Roles, policy: Policy,
                   now: datetime, fields: dict[str, Any] | None = None, origin: str | None = None) -> tuple[int, dict]:
    """Do a standalone return's step if the rule rows allow it (ActionRefused otherwise, nothing changed).
    The customer's row is locked, as a complaint's is. Returns the return's id and the changes."""
    fields = dict(fields or {})
    query = select(Customer).where(Customer.id == customer_id)
    if s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    customer = s.exec(query).first()
    ret = standalone_return(s, return_id) if return_id is not None else None
    if customer is None or (return_id is not None and (ret is None or ret.customer_id != customer_id)):
        raise ActionRefused("refusal.no_record", record=records.RETURN)
    if ret is not None:
        fields["return_id"] = ret.id
    decision = decide_return(s, customer, ret, action, roles, policy, fields, now)
    if not decision.allowed:
        raise ActionRefused(decision.refusal.code, **decision.refusal.params)
    before = stand_in(customer, policy, ret)
    changes, _ = records.write(s, SimpleNamespace(id=None, customer_id=customer.id), before, policy, action, fields,
                               roles.user, now)
    if ret is None:
        ret = s.exec(select(ReturnedGoods).where(ReturnedGoods.customer_id == customer.id, ReturnedGoods.item_id.is_(None))
                     .order_by(ReturnedGoods.id.desc())).first()
    detail = {"return_id": ret.id, "customer_id": customer.id, "customer": customer.name, "changes": changes,
              "fields": {k: _jsonable(v) for k, v in fields.items()}}
    s.add(Event(item_id=None, actor=roles.user, action=f"lifecycle.{action}", detail=_jsonable(detail), origin=origin, at=now))
    s.flush()
    return ret.id, changes
