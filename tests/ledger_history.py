"""A small November 2026 written row by row (company time, Asia/Shanghai), for the ledger and the
audit pack. Every expected value in the tests is read off this table, not from the code:

| item | what | received | how it ended |
|---|---|---|---|
| VOC-1 | complaint quality, level AA (problem A, customer very urgent), 8D asked; customer `=2+5+cmd|' /C calc'!A0`; part P-100, lot L-7, 300 pcs; owner Zhou Min | 2 Nov 10:00 | root cause, corrective + preventive done, verified (L-8, L-9), accepted by Mr Li 20 Nov by mail, 8D approved 5 Nov 09:00 by the QM and sent 5 Nov 10:00, closure approved by the QM 21 Nov 10:00 |
| VOC-2 | complaint delivery B | 3 Nov 09:00 | withdrawn 3 Nov 09:30 by the rule table's withdraw: "entered twice" |
| VOC-3 | inquiry technical B | 4 Nov 09:00 | undone by its reporter 4 Nov 09:05 (an event, no status change) |
| VOC-4 | complaint quality B, open | 10 Nov 09:00 | first contact due 10 Nov 11:00, never met: overdue |
| VOC-5 | praise service B, another customer (Geely) | 12 Nov 09:00 | — |
"""
from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.text import normalize_name
from models import (Customer, CustomerAcceptance, Deadline, Event, FeedbackItem, ItemAction, ItemAssignment, RootCause,
                    StatusChange, Verification)
from models.approvals import Approval
from models.db import Database
from sqlmodel import select

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=SH)
FORMULA = "=2+5+cmd|' /C calc'!A0"
QM, QE, SALES = "U0QMWANG", "U0QZHOU", "U0SALESLI"
RD, GM = "U0ENGCHEN", "U0GMHUANG"  # the demo policy's approval chain for an AA complaint's actions
NAMES = {QE: "Zhou Min", QM: "Wang Qiang"}


def at(month, day, hour=0, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def history(db_url, forged_closure: bool = False, unapproved_action: bool = False) -> Database:
    """The table above; with `forged_closure`, VOC-1 is closed by *Request closure* (the QM never
    approved it), with `unapproved_action` its preventive action never went through the approval
    chain — as only a write into the database behind the rules could do."""
    db = Database(db_url)
    with db.session() as s:
        formula = Customer(name=FORMULA, name_key=f"t-{uuid.uuid4().hex}", created_at=at(11, 1), updated_at=at(11, 1))
        geely = Customer(name="Geely Auto", name_key=normalize_name("Geely Auto"), created_at=at(11, 1), updated_at=at(11, 1))
        s.add(formula)
        s.add(geely)
        s.flush()

        def item(number, kind, category, severity, received, status="received", **more):
            row = FeedbackItem(source_key=f"t:{uuid.uuid4().hex}", source="slash", status=status, kind=kind,
                               category=category, severity=severity, problem_severity=more.pop("problem_severity", severity),
                               department=more.pop("department", "quality"), text=more.pop("text", f"text of VOC-{number}"),
                               summary="x", reporter_id=SALES, received_at=received, filed_at=received, number=number,
                               customer_id=more.pop("customer_id", formula.id), created_at=received, updated_at=received, **more)
            s.add(row)
            s.flush()
            return row

        v1 = item(1, "complaint", "quality", "AA", at(11, 2, 10), "closed", problem_severity="A", urgency="very_urgent",
                  urgency_source="text", wants_8d=True, wants_8d_source="text", part_numbers=["P-100"], lot_numbers=["L-7"],
                  quantity=300, quantity_unit="pcs", text="Connectors cracked at incoming inspection")
        s.add(ItemAssignment(item_id=v1.id, department="quality", role="owner", user_id=QE, by=QE, since=at(11, 2, 10, 30)))
        s.add(Deadline(item_id=v1.id, milestone="first_contact", due_at=at(11, 2, 12), met_at=at(11, 2, 10, 30), state="met"))
        s.add(Deadline(item_id=v1.id, milestone="report_8d", due_at=at(11, 5, 10), met_at=at(11, 5, 10), state="met"))
        s.add(RootCause(item_id=v1.id, category="method", occurrence="press force too high", escape="no force check",
                        by=QE, at=at(11, 3, 9)))
        s.add(ItemAction(item_id=v1.id, type="corrective", what="limit press force", owner=QE, due=at(11, 6),
                         done_at=at(11, 5, 16), done_by=QE, by=QE, at=at(11, 3, 10)))
        s.add(ItemAction(item_id=v1.id, type="preventive", what="force monitoring", owner=QE, due=at(11, 10),
                         documents=["PFMEA", "control plan"], done_at=at(11, 9, 16), done_by=QE, by=QE, at=at(11, 4, 10)))
        for action in s.exec(select(ItemAction).where(ItemAction.item_id == v1.id)).all():  # the AA chain
            if not (unapproved_action and action.type == "preventive"):
                s.add(Approval(item_id=v1.id, subject=f"action:{action.id}", stage="review", decision="approved", by=RD,
                               at=at(11, 5)))
                s.add(Approval(item_id=v1.id, subject=f"action:{action.id}", stage="approve", decision="approved", by=GM,
                               at=at(11, 5)))
        s.add(Verification(item_id=v1.id, evidence="two lots clean", clean_lots=["L-8", "L-9"], by=QE, at=at(11, 18, 10)))
        s.add(CustomerAcceptance(item_id=v1.id, accepted_by="Mr Li", accepted_on=at(11, 20), how="mail", by=SALES,
                                 at=at(11, 20, 11)))
        s.add(Approval(item_id=v1.id, subject="8d", stage="approve", decision="requested", revision=1, by=QE, at=at(11, 4, 17)))
        s.add(Approval(item_id=v1.id, subject="8d", stage="approve", decision="approved", revision=1, by=QM, at=at(11, 5, 9)))
        s.add(Event(item_id=v1.id, actor=QE, action="lifecycle.send_8d", detail={}, at=at(11, 5, 10)))
        closing = "request_closure" if forged_closure else "approve_closure"
        s.add(StatusChange(item_id=v1.id, action=closing, from_status="verified", to_status="closed",
                           by=QE if forged_closure else QM, at=at(11, 21, 10)))

        v2 = item(2, "complaint", "delivery", "B", at(11, 3, 9), "withdrawn", withdrawn_at=at(11, 3, 9, 30),
                  department="production")
        s.add(StatusChange(item_id=v2.id, action="withdraw", from_status="received", to_status="withdrawn",
                           reason="entered twice", by=SALES, at=at(11, 3, 9, 30)))
        s.add(Deadline(item_id=v2.id, milestone="first_contact", due_at=at(11, 3, 11), state="cancelled"))

        v3 = item(3, "inquiry", "technical", "B", at(11, 4, 9), "withdrawn", withdrawn_at=at(11, 4, 9, 5),
                  department="engineering")
        s.add(Event(item_id=v3.id, actor=SALES, action="withdrawn", detail={}, at=at(11, 4, 9, 5)))

        v4 = item(4, "complaint", "quality", "B", at(11, 10, 9))
        s.add(Deadline(item_id=v4.id, milestone="first_contact", due_at=at(11, 10, 11), state="open"))

        item(5, "praise", "service", "B", at(11, 12, 9), customer_id=geely.id, department="sales")
    return db
