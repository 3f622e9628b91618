"""Shared by the lifecycle tests: an item as intake files it, and people of the demo company."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta


from domain.roles import roles_of
from domain.sla.calendar import calendar_for
from domain.sla.clocks import sync_clocks
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
    for clock in sync_clocks([], item, policy, calendar_for(policy), now):  # as filing starts them
        s.add(clock)
    s.flush()
    return item.id


def later(now: datetime, hours: float) -> datetime:
    return now + timedelta(hours=hours)
