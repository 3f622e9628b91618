"""Returned goods and claims of a complaint in the domain (seed 004 §5.2.3, seed 001 出差.退換品信息表,
seed 000 超额运费): each record's small lifecycle through the complaint's one rule table and `perform`
— role checks, an audit event per change — and a claim accepted above the policy's amount waiting for
the general manager (the `approvals` rows the 8D's approval uses), below it not."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from domain.lifecycle.apply import ActionRefused, load_view, perform
from models import Approval, Claim, Event, ReturnedGoods
from models.db import Database
from tests.conftest import START
from tests.lifecycle_helpers import GM, PROD, QE, QM, SALES, file_item, later, who

both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
TODAY = START.date().isoformat()


def refused(s, policy, item_id, action, user, at, fields=None) -> str:
    with pytest.raises(ActionRefused) as caught:
        perform(s, item_id, action, who(policy, user), policy, at, fields)
    return caught.value.code


def events(s, item_id, prefix="lifecycle."):
    return [(e.action, e.actor) for e in s.exec(select(Event).where(Event.item_id == item_id).order_by(Event.id))
            if e.action.startswith(prefix) and ("return" in e.action or "claim" in e.action)]


@both
def test_a_return_goes_received_inspected_dispositioned_closed_each_step_audited(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        perform(s, item_id, "record_return", who(policy, SALES), policy, later(START, 1),
                {"quantity": "1,200", "received_on": TODAY})
        ret = s.exec(select(ReturnedGoods).where(ReturnedGoods.item_id == item_id)).one()
        assert (ret.quantity, ret.state, ret.customer_id is not None) == (1200, "received", True)
        # sales records and ships; inspecting and disposing are the department's
        assert refused(s, policy, item_id, "inspect_return", SALES, later(START, 2),
                       {"return_id": ret.id, "inspection": "confirmed"}) == "refusal.wrong_role"
        # a step out of order names no record that may take it
        assert refused(s, policy, item_id, "dispose_return", QE, later(START, 2),
                       {"return_id": ret.id, "disposition": "scrap"}) == "refusal.no_record"
        assert refused(s, policy, item_id, "inspect_return", QE, later(START, 2),
                       {"return_id": ret.id, "inspection": "maybe"}) == "refusal.invalid_field"
        perform(s, item_id, "inspect_return", who(policy, QE), policy, later(START, 2), {"return_id": ret.id, "inspection": "confirmed"})
        perform(s, item_id, "dispose_return", who(policy, QE), policy, later(START, 3), {"return_id": ret.id, "disposition": "rework"})
        perform(s, item_id, "ship_return", who(policy, SALES), policy, later(START, 4), {"return_id": ret.id, "shipped": "replacement"})
        s.refresh(ret)
        assert (ret.state, ret.inspection, ret.disposition, ret.shipped) == ("closed", "confirmed", "rework", "replacement")
        assert events(s, item_id) == [("lifecycle.record_return", SALES), ("lifecycle.inspect_return", QE),
                                      ("lifecycle.dispose_return", QE), ("lifecycle.ship_return", SALES)]
        last = s.exec(select(Event).where(Event.action == "lifecycle.ship_return")).one()
        assert last.detail["changes"][f"return:{ret.id}.state"] == {"before": "dispositioned", "after": "closed"}
    db.dispose()


@both
def test_a_return_quantity_is_a_count_and_the_day_not_in_the_future(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="B")
        for quantity in ("0", "²", "1000000000000", "12.5"):
            assert refused(s, policy, item_id, "record_return", QE, later(START, 1),
                           {"quantity": quantity, "received_on": TODAY}) == "refusal.invalid_field", quantity
        assert refused(s, policy, item_id, "record_return", QE, later(START, 1),
                       {"quantity": "5", "received_on": "2099-01-01"}) == "refusal.date_out_of_range"
        assert refused(s, policy, item_id, "record_return", PROD, later(START, 1),
                       {"quantity": "5", "received_on": TODAY}) == "refusal.wrong_role"
        assert not s.exec(select(ReturnedGoods)).all()
    db.dispose()


def claim(s, policy, item_id, amount, currency="CNY", at=1):
    perform(s, item_id, "record_claim", who(policy, SALES), policy, later(START, at),
            {"claim_type": "sorting", "amount": amount, "currency": currency})
    row = s.exec(select(Claim).where(Claim.item_id == item_id).order_by(Claim.id.desc())).first()
    perform(s, item_id, "review_claim", who(policy, QE), policy, later(START, at + 0.1), {"claim_id": row.id})
    return row


@both
def test_a_claim_below_the_amount_is_paid_without_the_general_manager(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        row = claim(s, policy, item_id, "9,999.99")
        assert row.amount == Decimal("9999.99") and isinstance(row.amount, Decimal)
        # accepting is a manager's (the quality manager here), not an engineer's
        assert refused(s, policy, item_id, "accept_claim", QE, later(START, 2), {"claim_id": row.id}) == "refusal.wrong_role"
        perform(s, item_id, "accept_claim", who(policy, QM), policy, later(START, 2), {"claim_id": row.id})
        assert not s.exec(select(Approval).where(Approval.subject == f"claim:{row.id}")).all()
        perform(s, item_id, "pay_claim", who(policy, QM), policy, later(START, 3), {"claim_id": row.id, "paid_on": TODAY})
        s.refresh(row)
        assert (row.state, row.accepted_amount) == ("paid", Decimal("9999.99"))
    db.dispose()


@both
def test_a_claim_above_the_amount_waits_for_the_general_manager_four_eyes(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        row = claim(s, policy, item_id, "10000.01")
        perform(s, item_id, "accept_claim", who(policy, GM), policy, later(START, 2), {"claim_id": row.id})
        assert refused(s, policy, item_id, "pay_claim", QM, later(START, 3),
                       {"claim_id": row.id, "paid_on": TODAY}) == "refusal.claim_not_approved"
        assert refused(s, policy, item_id, "approve_claim", QM, later(START, 3), {"claim_id": row.id}) == "refusal.wrong_role"
        # the general manager accepted it: someone else of the approvers' list must approve (four eyes)
        assert refused(s, policy, item_id, "approve_claim", GM, later(START, 3), {"claim_id": row.id}) == "refusal.own_submission"
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        row = claim(s, policy, item_id, "250000")
        perform(s, item_id, "accept_claim", who(policy, QM), policy, later(START, 2), {"claim_id": row.id})
        perform(s, item_id, "send_back_claim", who(policy, GM), policy, later(START, 3), {"claim_id": row.id, "reason": "too much"})
        s.refresh(row)
        assert (row.state, row.accepted_amount) == ("under_review", None)
        perform(s, item_id, "partially_accept_claim", who(policy, QM), policy, later(START, 4),
                {"claim_id": row.id, "accepted_amount": "120000", "reason": "half was freight we did not cause"})
        perform(s, item_id, "approve_claim", who(policy, GM), policy, later(START, 5), {"claim_id": row.id})
        perform(s, item_id, "pay_claim", who(policy, QM), policy, later(START, 6), {"claim_id": row.id, "paid_on": TODAY})
        s.refresh(row)
        assert (row.state, row.accepted_amount) == ("paid", Decimal("120000.00"))
        assert [(a.decision, a.revision, a.by) for a in s.exec(select(Approval).where(Approval.subject == f"claim:{row.id}")
                                                              .order_by(Approval.id))] == \
            [("requested", 1, QM), ("rejected", 1, GM), ("requested", 2, QM), ("approved", 2, GM)]
        assert [a for a, _ in events(s, item_id)][-4:] == ["lifecycle.send_back_claim", "lifecycle.partially_accept_claim",
                                                           "lifecycle.approve_claim", "lifecycle.pay_claim"]
        assert load_view(s, item_id).claims[-1].state == "paid"
    db.dispose()


@both
def test_a_claim_amount_is_exact_and_in_a_known_currency(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="B")
        for amount, currency, field in (("12.345", "CNY", "amount"), ("-5", "CNY", "amount"), ("1e3x", "CNY", "amount"),
                                        ("100", "XYZ", "currency")):
            assert refused(s, policy, item_id, "record_claim", SALES, later(START, 1),
                           {"claim_type": "warranty", "amount": amount, "currency": currency}) == "refusal.invalid_field", field
        assert refused(s, policy, item_id, "record_claim", SALES, later(START, 1),
                       {"claim_type": "gift", "amount": "5", "currency": "CNY"}) == "refusal.invalid_field"
        row = claim(s, policy, item_id, "0.10", "usd")
        assert (row.amount, row.currency) == (Decimal("0.10"), "USD")
        assert refused(s, policy, item_id, "partially_accept_claim", QM, later(START, 2),
                       {"claim_id": row.id, "accepted_amount": "0.10", "reason": "all of it"}) == "refusal.invalid_field"
        perform(s, item_id, "reject_claim", who(policy, QM), policy, later(START, 2), {"claim_id": row.id, "reason": "not ours"})
        assert refused(s, policy, item_id, "pay_claim", QM, later(START, 3),
                       {"claim_id": row.id, "paid_on": TODAY}) == "refusal.no_record"
    db.dispose()


@both
def test_b_takes_premium_freight_and_the_monthly_return_rate_from_the_records(db_url, policy):
    """Geely's 2026 looked at on 1 June (default table): VOC-1, a technical complaint in March (a
    drawing revision mix-up) handled in time, which no complaint rule charges, cost a premium-freight
    claim the company accepted: premium_freight −5. (A delivery or quality complaint's event already
    costs −5: the premium freight on it is the same event, the strictest rule counts once.) Returns: 900 pcs in April against 400,000
    shipped to Geely (2,250 ppm ≥ 2,000: −10), 700 in May against 300,000 (2,333 ppm: again, −20), and
    a 5,000-pcs return the inspection found fault-free in February (not a quality return). A typed
    quantity of 50,000 on VOC-1 counts for nothing. Records began in March (no quiet block before)."""
    from datetime import date, datetime, timezone

    from domain.reports.shipments import import_shipments
    from domain.satisfaction import score

    db = Database(db_url)
    march = datetime(2026, 3, 10, 2, tzinfo=timezone.utc)
    with db.session() as s:
        item_id = file_item(s, policy, march, severity="B")
        from models import FeedbackItem

        item = s.get(FeedbackItem, item_id)
        item.category, item.line_stopped, item.quantity = "technical", False, 50_000
        s.add(item)
        from models import Deadline

        for clock in s.exec(select(Deadline).where(Deadline.item_id == item_id)):  # handled in time: no clock missed
            clock.state = "cancelled"
            s.add(clock)
        perform(s, item_id, "record_claim", who(policy, SALES), policy, later(march, 2),
                {"claim_type": "premium_freight", "amount": "6800", "currency": "CNY", "received_on": "2026-03-10"})
        claim_id = s.exec(select(Claim.id)).one()
        perform(s, item_id, "review_claim", who(policy, QE), policy, later(march, 3), {"claim_id": claim_id})
        perform(s, item_id, "accept_claim", who(policy, QM), policy, later(march, 4), {"claim_id": claim_id})
        for quantity, day, inspection in ((900, date(2026, 4, 8), "confirmed"), (700, date(2026, 5, 20), None),
                                          (5000, date(2026, 2, 3), "no_fault_found")):
            s.add(ReturnedGoods(item_id=item_id, customer_id=item.customer_id, quantity=quantity, received_on=day,
                                state="inspected", inspection=inspection, by=QE, at=march, updated_at=march))
        import_shipments(s, "month,customer,quantity\n2026-02,Geely Auto,100000\n2026-04,Geely Auto,400000\n"
                            "2026-05,Geely Auto,300000\n", march)
        s.commit()
        result = score(s, policy, item.customer_id, 2026, datetime(2026, 6, 1, 2, tzinfo=timezone.utc))
    db.dispose()
    assert [(e.rule, e.points, e.repeat, e.ref, e.note) for e in result.events if e.rule != "quiet_months"] == [
        ("premium_freight", -5, False, "VOC-1", None), ("return_rate", -10, False, None, "2250 ppm"),
        ("return_rate", -20, True, None, "2333 ppm")]
    assert result.b == 100 - 5 - 10 - 20


@both
def test_the_ledger_and_the_audit_pack_show_returns_and_claims(db_url, policy):
    """The ledger's row of the complaint names its return and its claim with where each stands (in the
    reader's language); the audit pack's ledger carries them, the trail has each step, and the record
    is evidence of 10.2.5 (warranty / returns) though no quantity was typed into the complaint."""
    import io
    import zipfile
    from datetime import date, datetime

    from openpyxl import load_workbook

    from documents.audit_pack import write_audit_pack
    from domain.reports.audit_pack import audit_pack
    from domain.lifecycle.standalone import perform_return
    from domain.reports.ledger import ledger
    from models import FeedbackItem

    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="B")
        item = s.get(FeedbackItem, item_id)
        item.quantity = None
        s.add(item)
        perform(s, item_id, "record_return", who(policy, SALES), policy, later(START, 1), {"quantity": "37", "received_on": TODAY})
        perform(s, item_id, "inspect_return", who(policy, QE), policy, later(START, 2), {"return_id": 1, "inspection": "confirmed"})
        claim(s, policy, item_id, "1,200.50")
        perform(s, item_id, "partially_accept_claim", who(policy, QM), policy, later(START, 3),
                {"claim_id": 1, "accepted_amount": "800", "reason": "sorting of one lot only"})
        geely = s.get(FeedbackItem, item_id).customer_id  # and a return of the customer without a complaint
        perform_return(s, geely, None, "record_return", who(policy, SALES), policy, later(START, 3), {"quantity": "5", "received_on": TODAY})
        s.commit()
        [row] = ledger(s, policy, date(2026, 11, 1), date(2026, 11, 30), later(START, 4))
        [zh] = ledger(s, policy, date(2026, 11, 1), date(2026, 11, 30), later(START, 4), lang="zh")
        pack = audit_pack(s, policy, date(2026, 11, 1), date(2026, 11, 30), later(START, 4))
        out = io.BytesIO()
        write_audit_pack(out, pack, policy)
    db.dispose()
    assert row["returns"] == "RMA-1: 37 pcs, received 2026-11-20, inspected, Confirmed (our fault)"
    assert row["claims"] == "#1 Sorting cost CNY 1,200.50, partially accepted, accepted CNY 800.00"
    assert zh["returns"] == "RMA-1: 37 件, 收到 2026-11-20, 已检验, 确认不良"
    assert pack.records[0].clauses == ("10.2.6", "10.2.5")
    book = load_workbook(io.BytesIO(zipfile.ZipFile(out).read("ledger.xlsx")))
    cells = [str(c.value) for r in book.active.iter_rows() for c in r]
    assert row["returns"] in cells and row["claims"] in cells and "Returned goods / 退货" in cells
    trail = zipfile.ZipFile(out).read("audit-trail.xlsx")
    trail_cells = [str(c.value) for r in load_workbook(io.BytesIO(trail)).active.iter_rows() for c in r]
    # the audit trail names each action by its key (its label was never drawn there: no "or" that hides it)
    assert any(c.endswith("partially_accept_claim") for c in trail_cells)
    assert "RMA-2" in trail_cells  # the standalone return's event, named by its RMA
    alone = load_workbook(io.BytesIO(zipfile.ZipFile(out).read("returns-without-complaint.xlsx"))).active
    assert [c.value for c in list(alone.iter_rows())[1]][:5] == ["RMA-2", "Geely Auto", 5, datetime(2026, 11, 20), "received"]
    assert "returns-without-complaint.xlsx" in zipfile.ZipFile(out).read("index.md").decode()
