"""Shared by the lifecycle tests: an item as intake files it, and people of the demo company."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta


from domain.roles import roles_of
from domain.sla.calendar import calendar_for
from domain.sla.clocks import sync_clocks
from domain.requirements import item_requirements
from models import Customer, FeedbackItem

QE, QM, SALES, PROD, GM, NOBODY = "U0QZHOU", "U0QMWANG", "U0SALESLI", "U0PRODZHAO", "U0GMHUANG", "U0STRANGER"
GROUPS = {"S0QUALITY": {QM, QE}, "S0SALES": {SALES, "U0SALESEMMA", "U0SALESLIU"}, "S0PRODUCTION": {PROD}}


from domain.customers import find_customer, seed_customers  # noqa: E402
from domain.unit_of_work import next_reference  # noqa: E402


def who(policy, user):
    return roles_of(policy, user, GROUPS)


def file_item(s, policy, now: datetime, kind="complaint", severity="AA", customer="Geely Auto", department="quality") -> int:
    seed_customers(s, policy, now)  # as start-up does: the policy's customers with their names per language
    cust = find_customer(s, customer)
    if cust is None:
        cust = Customer(name=customer, name_key=customer.casefold(), verified=True, created_at=now, updated_at=now)
        s.add(cust)
        s.flush()
    item = FeedbackItem(source_key=f"test:{uuid.uuid4().hex}", source="slash", status="received",
                        kind=kind, category="quality", severity=severity, problem_severity=severity, department=department,
                        customer_id=cust.id, text="Connectors in lot 23-1107 don't fit, their line stopped",
                        summary="Connectors don't fit", part_numbers=["CN-4410"], lot_numbers=["23-1107"], quantity=1200,
                        quantity_unit="pcs", line_stopped=True, reporter_id=SALES, received_at=now, filed_at=now,
                        number=next_reference(s), created_at=now, updated_at=now)
    s.add(item)
    s.flush()
    for clock in sync_clocks([], item, policy, calendar_for(policy), now, item_requirements(s, policy, item)):  # as filing does
        s.add(clock)
    s.flush()
    return item.id


def later(now: datetime, hours: float) -> datetime:
    return now + timedelta(hours=hours)


RD = "U0ENGCHEN"  # the demo policy's R&D director (roles.rd_director)


def chain_approved(actions, at):
    """Approval rows of an AA complaint's actions through the demo policy's chain: reviewed by the R&D
    director, approved by the general manager."""
    from domain.lifecycle.view import ApprovalView

    return tuple(ApprovalView(f"action:{a.id}", stage, "approved", 1, by, at)
                 for a in actions for stage, by in (("review", RD), ("approve", GM)))


def approve_actions(s, policy, item_id: int, at: datetime) -> None:
    """Each of the item's actions waiting in the approval chain (an AA complaint's, by default)
    reviewed by the R&D director and approved by the general manager, as the policy's chain says."""
    from domain.lifecycle.apply import load_view, perform
    from domain.lifecycle.approvals import PENDING, action_standing

    for action in load_view(s, item_id).actions:
        for approver in (RD, GM):
            if action_standing(load_view(s, item_id), action.id, policy).state == PENDING:
                perform(s, item_id, "approve_action", who(policy, approver), policy, at, {"action_id": action.id})
