"""Controls a review of issue 16 found could be gone around, each closed at its root: an approved 8D
is outdated by *Correct details* too, a category change re-runs the clocks and needs a manager's
reason once the item is worked, a clock started while waiting on the customer waits as well, and a
department added to a restricted customer's item finds it in its lists."""
from __future__ import annotations

import pytest
from sqlmodel import select

from domain.clock import VirtualClock
from domain.desk import Desk
from domain.lifecycle.apply import ActionRefused, load_view, perform
from domain.lifecycle.approvals import eight_d_standing
from models import Deadline
from models.db import Database
from tests.conftest import START
from tests.lifecycle_helpers import QE, QM, SALES, file_item, later, who

ENGINEER = "U0ENGCHEN"  # engineering's manager (demo policy)
from tests.test_approvals import to_root_caused


def clocks(s, item_id) -> dict[str, str]:
    return {d.milestone: d.state for d in s.exec(select(Deadline).where(Deadline.item_id == item_id))}


def test_correcting_the_facts_outdates_an_approved_8d(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        to_root_caused(s, policy, item_id)
        perform(s, item_id, "submit_8d", who(policy, QE), policy, later(START, 5))
        perform(s, item_id, "approve_8d", who(policy, QM), policy, later(START, 6))
        s.commit()
    desk = Desk(db, policy, VirtualClock(later(START, 7)))
    desk.correct_facts(item_id, SALES, "fix-1", {"text": "Completely different problem: 5000 pcs", "quantity": 5000})
    with db.session() as s:
        assert eight_d_standing(load_view(s, item_id)).state == "outdated"
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "send_8d", who(policy, QE), policy, later(START, 8))
        assert refused.value.code == "refusal.eight_d_not_approved"
    db.dispose()


def test_a_category_change_re_runs_the_clocks_and_needs_a_reason_once_worked(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="B")
        assert clocks(s, item_id)["containment"] == "open"
        s.commit()
    desk = Desk(db, policy, VirtualClock(later(START, 1)))
    desk.reclassify(item_id, SALES, "c-1", {"category": "commercial"})  # still received: the reporter fixes it
    with db.session() as s:
        assert clocks(s, item_id)["containment"] == "cancelled"  # an invoice complaint has no containment clock
        perform(s, item_id, "take_ownership", who(policy, "U0SALESLIU"), policy, later(START, 2))
        s.commit()
    with pytest.raises(ActionRefused) as refused:
        desk.reclassify(item_id, QM, "c-2", {"category": "quality", "department": "sales"})
    assert refused.value.code == "refusal.missing_field"
    desk.reclassify(item_id, QM, "c-3", {"category": "quality", "department": "sales", "reason": "it is a defect"})
    with db.session() as s:
        assert clocks(s, item_id)["containment"] == "open"
    db.dispose()


def test_a_clock_started_while_waiting_on_the_customer_waits_too(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        perform(s, item_id, "take_ownership", who(policy, QE), policy, later(START, 1))
        perform(s, item_id, "wait_on_customer", who(policy, QE), policy, later(START, 2), {"reason": "samples"})
        perform(s, item_id, "set_wants_8d", who(policy, QE), policy, later(START, 3), {"wants_8d": "yes", "reason": "mail"})
        assert clocks(s, item_id)["report_8d"] == "paused"
        assert {state for m, state in clocks(s, item_id).items()} == {"paused"}
    db.dispose()


def test_a_department_added_to_a_restricted_customers_item_finds_it_in_its_lists(clean_pg):
    from domain.policy import CustomerSeed, Label, Members, load_policy

    base = load_policy()
    policy = base.model_copy(update={"customers": tuple(
        CustomerSeed(name=Label(en="BYD", zh="比亚迪"), restricted=True, visible_to=Members(users=(SALES,)))
        if c.key_name == "BYD" else c for c in base.customers)})
    db = Database(clean_pg)
    with db.session() as s:
        item_id = file_item(s, policy, START, customer="BYD", department="production")
        perform(s, item_id, "add_department", who(policy, QM), policy, later(START, 1), {"department": "engineering"})
        perform(s, item_id, "reassign", who(policy, QM), policy, later(START, 2), {"department": "quality", "reason": "defect"})
        s.commit()
    desk = Desk(db, policy, VirtualClock(later(START, 3)))
    assert [r.customer for r in desk.list("open", ENGINEER).rows] == ["BYD"]  # added, and still after the reassign
    db.dispose()


def test_an_invoice_complaints_countermeasure_needs_no_sorting_method(policy):
    from dataclasses import replace

    from domain.lifecycle.permissions import check
    from tests.test_lifecycle_steps import item
    from domain.lifecycle.table import Status

    countermeasure = {"countermeasure": "red invoice issued", "customer_informed": True}
    invoice = replace(item(Status.acknowledged, severity="B"), category="commercial", department="sales")
    assert check(invoice, who(policy, "U0SALESLIU"), policy, "record_containment", countermeasure).allowed
    quality = item(Status.acknowledged, severity="B")
    assert check(quality, who(policy, QE), policy, "record_containment", countermeasure).refusal.params == {
        "field": "sorting_method"}


def test_the_8d_request_from_a_customers_requirement_follows_a_corrected_customer(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="B")  # Geely: no 8D required
        s.commit()
    desk = Desk(db, policy, VirtualClock(later(START, 1)))
    desk.correct_facts(item_id, SALES, "cust-1", {"customer": "SAIC Volkswagen"})  # SVW asks 8Ds of everything
    with db.session() as s:
        view = load_view(s, item_id)
        assert (view.wants_8d, clocks(s, item_id)["report_8d"]) == (True, "open")
    db.dispose()
