"""Issue 16, the steps: a milestone is met by what it names, the record cannot contradict itself (dates,
containment told to the customer, edited actions, the action owner), verification by the quality
department, the closure gate by category, and a closed item never waits for an approval.
Pure checks first (no database), then the same through `perform` on PostgreSQL and SQLite."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot.views.steps import read_step, step_modal
from domain.lifecycle.apply import ActionRefused, load_view, perform
from domain.lifecycle.explain import explain
from domain.lifecycle.gate import closure_missing
from domain.lifecycle.permissions import check, decide
from domain.lifecycle.table import Status
from domain.lifecycle.view import ActionView, ItemView, VerificationView, awaits_approval
from models import Deadline, Event, FirstContact, CustomerReply, ItemAction, StatusChange
from models.db import Database
from tests.conftest import START
from tests.lifecycle_helpers import PROD, QE, QM, SALES, chain_approved, file_item, later, who
from tests.test_lifecycle_apply import CONTAINMENT, ROOT, work_to_verified

both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
T0 = START  # 2026-11-20 10:00 in Shanghai
S = Status


def item(status=S.received, **kw) -> ItemView:
    base = dict(id=1, kind="complaint", category="quality", severity="AA", status=status, department="quality",
                reporter=SALES, customer="Geely Auto", received_at=T0)
    return ItemView(**{**base, **kw})


FIXED = ActionView(1, "corrective", "new die", QE, due=T0 + timedelta(days=5), done_at=T0 + timedelta(days=1))


def ready(**kw) -> ItemView:
    actions = (FIXED, ActionView(2, "preventive", "PM plan", QE, due=T0 + timedelta(days=9), done_at=T0 + timedelta(days=2),
                                 documents=("pfmea",)))
    lots = (VerificationView(T0 + timedelta(days=3), ("24-0101", "24-0102")),)
    return item(S.verified, **{"actions": actions, "verifications": lots, "customer_accepted": True,
                               "approvals": chain_approved(actions, T0), **kw})  # an AA complaint's actions went through the chain


# --- a milestone is met by what it names ---------------------------------------------------------

def test_first_contact_is_a_step_of_its_own_with_who_when_how(policy):
    contact = {"contacted_by": SALES, "contacted_at": (T0 + timedelta(minutes=40)).isoformat(), "how": "call",
               "note": "Told Mr. Wu we are sorting"}
    for user in (SALES, QE):  # the reporter (sales) or the department
        d = check(item(), who(policy, user), policy, "record_first_contact", contact, now=T0 + timedelta(hours=1))
        assert d.allowed and d.to is None
    assert check(item(), who(policy, PROD), policy, "record_first_contact", contact).refusal.code == "refusal.wrong_role"
    assert check(item(), who(policy, SALES), policy, "record_first_contact", {**contact, "how": "fax"}).refusal.params == {"field": "how"}
    assert check(item(), who(policy, SALES), policy, "record_first_contact", {**contact, "how": "visit"}).allowed
    early = check(item(), who(policy, SALES), policy, "record_first_contact",
                  {**contact, "contacted_at": (T0 - timedelta(days=1)).isoformat()}, now=T0 + timedelta(hours=1))
    assert early.refusal.code == "refusal.date_out_of_range" and early.refusal.params["field"] == "contacted_at"


def test_the_customer_reply_is_recorded_by_the_department_or_the_reporter(policy):
    reply = {"reply": "Root cause found, new die in", "how": "mail", "replied_at": (T0 + timedelta(hours=20)).isoformat()}
    assert check(item(S.root_caused), who(policy, SALES), policy, "record_customer_reply", reply, now=T0 + timedelta(days=1)).allowed
    assert check(item(S.root_caused), who(policy, PROD), policy, "record_customer_reply", reply).refusal.code == "refusal.wrong_role"
    assert check(item(S.root_caused), who(policy, QE), policy, "record_customer_reply", {**reply, "reply": " "}).refusal.params == {"field": "reply"}


# --- dates ------------------------------------------------------------------------------------------

def test_dates_are_checked_against_receipt_and_now(policy):
    qe, sales = who(policy, QE), who(policy, SALES)
    now = T0 + timedelta(days=5)
    action = {"what": "new die", "owner": QE, "due": "2025-01-01"}
    refusal = check(item(S.root_caused), qe, policy, "add_corrective_action", action, now=now).refusal
    assert (refusal.code, refusal.params) == ("refusal.date_out_of_range",
                                              {"field": "due", "earliest": "2026-11-20", "latest": "2027-11-20"})
    assert explain(refusal, "en") == "Due date: must be between 2026-11-20 and 2027-11-20."
    assert explain(refusal, "zh") == "完成期限：必须在 2026-11-20 至 2027-11-20 之间。"
    assert check(item(S.root_caused), qe, policy, "add_corrective_action", {**action, "due": "2027-11-21"}, now=now).refusal.params["field"] == "due"
    assert check(item(S.root_caused), qe, policy, "add_corrective_action", {**action, "due": "2027-11-20"}, now=now).allowed
    accepted = {"accepted_by": "Mr. Xu", "accepted_on": "2027-06-01", "how": "mail"}
    refusal = check(ready(), sales, policy, "record_customer_acceptance", accepted, now=now).refusal
    assert refusal.params == {"field": "accepted_on", "earliest": "2026-11-20", "latest": "2026-11-25"}
    assert check(ready(), sales, policy, "record_customer_acceptance", {**accepted, "accepted_on": "2026-11-19"}, now=now).refusal.code \
        == "refusal.date_out_of_range"
    assert check(ready(), sales, policy, "record_customer_acceptance", {**accepted, "accepted_on": "2026-11-25"}, now=now).allowed


# --- actions: edited, and marked done by their owner ------------------------------------------------

def test_an_action_is_edited_field_by_field_and_a_done_one_is_not(policy):
    qe = who(policy, QE)
    open_one = ActionView(3, "corrective", "new die", QE, due=T0 + timedelta(days=5))
    here = item(S.corrective_action, actions=(FIXED, open_one))
    assert check(here, qe, policy, "edit_action", {"action_id": 3, "due": "2026-11-28"}, now=T0).allowed
    assert check(here, qe, policy, "edit_action", {"action_id": 3, "due": "2025-01-01"}, now=T0).refusal.code == "refusal.date_out_of_range"
    assert check(here, qe, policy, "edit_action", {"action_id": 1, "what": "other"}).refusal.params == {"field": "action_id"}
    same = {"action_id": 3, "what": "new die", "owner": QE, "due": "2026-11-25"}
    assert check(here, qe, policy, "edit_action", same, now=T0).refusal.code == "refusal.nothing_changed"
    assert check(here, who(policy, SALES), policy, "edit_action", {"action_id": 3, "what": "x"}).refusal.code == "refusal.wrong_role"


def test_the_owner_of_an_action_marks_it_done_even_outside_the_department(policy):
    prod = who(policy, PROD)
    theirs, ours = ActionView(1, "corrective", "fix the press", PROD), ActionView(2, "corrective", "gauge", QE)
    here = item(S.corrective_action, actions=(theirs, ours))
    assert check(here, prod, policy, "mark_action_done", {"action_id": 1}).allowed
    assert check(here, prod, policy, "mark_action_done", {"action_id": 2}).refusal.code == "refusal.wrong_role"
    assert not decide(here, prod, policy)["add_preventive_action"].allowed  # owning an action is not membership
    assert decide(here, prod, policy)["mark_action_done"].allowed
    assert not decide(item(S.corrective_action, actions=(ours,)), prod, policy)["mark_action_done"].allowed


# --- verification ---------------------------------------------------------------------------------

def test_the_quality_department_verifies_not_the_department_that_fixed_it(policy):
    fixed_by_production = item(S.preventive_action, department="production", actions=(FIXED,))
    verification = {"evidence": "0 defects in 2 lots", "clean_lots": ["L1", "L2"]}
    d = check(fixed_by_production, who(policy, PROD), policy, "record_verification", verification)
    assert d.refusal.code == "refusal.wrong_role" and d.refusal.params["who"] == ("verifier",)
    assert explain(d.refusal, "en").startswith("Only the quality department")
    for user in (QE, QM):
        assert check(fixed_by_production, who(policy, user), policy, "record_verification", verification).to == S.verified
    # the customer's verification (acceptance) comes after the internal one
    accepted = {"accepted_by": "Mr. Xu", "accepted_on": "2026-11-20", "how": "mail"}
    assert check(fixed_by_production, who(policy, SALES), policy, "record_customer_acceptance", accepted).refusal.code == "refusal.not_in_state"


# --- the closure gate by category -------------------------------------------------------------------

def test_lots_and_documents_are_asked_of_quality_complaints_only(policy):
    qe = who(policy, QE)
    delivery = item(S.preventive_action, category="delivery", department="production", actions=(FIXED,))
    assert check(delivery, qe, policy, "record_verification", {"evidence": "on time for 4 weeks"}).allowed
    quality = replace(delivery, category="quality", department="quality")
    assert check(quality, qe, policy, "record_verification", {"evidence": "ok"}).refusal.params == {"field": "clean_lots"}
    blocks = {b["block_id"] for b in step_modal("record_verification", delivery, policy, "en", {})["blocks"]}
    assert blocks == {"evidence"}  # never ask for lot numbers a delivery complaint does not have
    assert "clean_lots" in {b["block_id"] for b in step_modal("record_verification", quality, policy, "en", {})["blocks"]}
    preventive = {"what": "safety stock", "owner": QE, "due": "2026-11-30"}
    assert check(replace(delivery, status=S.corrective_action), who(policy, PROD), policy, "add_preventive_action", preventive,
                 now=T0).allowed  # production owns the delivery complaint
    assert check(replace(quality, status=S.corrective_action), qe, policy, "add_preventive_action", preventive,
                 now=T0).refusal.params == {"field": "documents"}


def test_a_delivery_complaint_closes_on_its_own_criteria(policy):
    no_docs = (FIXED, ActionView(2, "preventive", "safety stock", QE, done_at=T0 + timedelta(days=2)))
    delivery = ready(category="delivery", actions=no_docs, verifications=(VerificationView(T0 + timedelta(days=3), ()),))
    assert closure_missing(delivery, policy) == [("gate.customer_reply", {})]
    assert closure_missing(replace(delivery, customer_replied=True), policy) == []
    assert explain(check(delivery, who(policy, QE), policy, "request_closure").refusal, "en") \
        == "It cannot close yet. Missing: the reply to the customer recorded"


def test_a_quality_complaint_needs_the_pfmea_or_control_plan_updated(policy):
    only_instruction = (FIXED, ActionView(2, "preventive", "WI", QE, done_at=T0 + timedelta(days=2), documents=("work_instruction",)))
    assert closure_missing(ready(actions=only_instruction), policy) == [("gate.no_documents", {})]
    assert closure_missing(ready(), policy) == []


def test_a_complaint_whose_customer_wants_an_8d_waits_for_it(policy):
    assert closure_missing(ready(wants_8d=True), policy) == [("gate.eight_d_not_sent", {})]
    assert closure_missing(ready(wants_8d=True, eight_d_sent=True), policy) == []
    assert closure_missing(ready(wants_8d=None), policy) == []
    assert explain(check(ready(wants_8d=True, severity="A"), who(policy, QE), policy, "request_closure").refusal, "zh") \
        == "暂不能关闭，还缺：已发送给客户的8D报告"


def test_not_ours_then_customer_told_of_an_aa_complaint_waits_for_the_qm(policy):
    sales, qm = who(policy, SALES), who(policy, QM)
    assert check(item(S.not_ours), sales, policy, "customer_told").to is None  # AA: waits for the QM
    assert check(item(S.not_ours, severity="B"), sales, policy, "customer_told").to == S.closed
    asked = item(S.not_ours, closure_requested=True)
    assert check(asked, sales, policy, "customer_told").refusal.code == "refusal.awaiting_approval"
    assert check(asked, qm, policy, "approve_closure").to == S.closed
    assert check(asked, qm, policy, "send_back", {"reason": "tell them in writing"}).allowed
    assert check(asked, who(policy, QE), policy, "approve_closure").refusal.code == "refusal.wrong_role"


def test_a_closed_item_is_never_waiting_for_approval():
    class Move:
        action, from_status, to_status = "request_closure", "verified", "closed"

    assert not awaits_approval(Move, "closed")
    Move.to_status = "verified"
    assert awaits_approval(Move, "verified")
    assert not awaits_approval(Move, "withdrawn")


def test_the_first_contact_form_reads_back_a_time_in_company_time(policy):
    modal = step_modal("record_first_contact", item(), policy, "zh", {}, now=T0 + timedelta(minutes=90))
    by_id = {b["block_id"]: b for b in modal["blocks"]}
    assert list(by_id) == ["contacted_by", "contacted_at", "contacted_at_time", "how", "note"]
    assert by_id["contacted_at"]["element"]["initial_date"] == "2026-11-20"
    assert by_id["contacted_at_time"]["element"]["initial_value"] == "11:30"
    fields = read_step("record_first_contact", {"contacted_by": SALES, "contacted_at": "2026-11-20",
                                                "contacted_at_time": "10:40", "how": "call", "note": ""}, policy.tz)
    assert fields == {"contacted_by": SALES, "contacted_at": "2026-11-20T02:40:00+00:00", "how": "call"}


# --- through perform, on a database ---------------------------------------------------------------------

def _deadlines(s, item_id):
    return {d.milestone: d for d in s.exec(select(Deadline).where(Deadline.item_id == item_id)).all()}


@both
def test_ownership_does_not_meet_first_contact_the_recorded_contact_does(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START)
        qe, sales = who(policy, QE), who(policy, SALES)
        perform(s, item_id, "take_ownership", qe, policy, later(START, 0.5))
        assert _deadlines(s, item_id)["first_contact"].met_at is None
        contacted = later(START, 1)
        perform(s, item_id, "record_first_contact", sales, policy, later(START, 1.5),
                {"contacted_by": SALES, "contacted_at": contacted.isoformat(), "how": "call", "note": "sorting started"})
        assert _deadlines(s, item_id)["first_contact"].met_at == contacted  # when it happened, not when typed
        [row] = s.exec(select(FirstContact)).all()
        assert (row.contacted_by, row.how, row.note, row.by) == (SALES, "call", "sorting started", SALES)
        # containment not told to the customer does not meet the milestone; the amendment that tells does
        perform(s, item_id, "record_containment", qe, policy, later(START, 3), {**CONTAINMENT, "customer_informed": False})
        assert _deadlines(s, item_id)["containment"].met_at is None
        perform(s, item_id, "amend_containment", qe, policy, later(START, 4), {**CONTAINMENT, "customer_informed": True})
        assert _deadlines(s, item_id)["containment"].met_at == later(START, 4)
        perform(s, item_id, "record_customer_reply", sales, policy, later(START, 5),
                {"reply": "Sorting done, root cause by Monday", "how": "mail", "replied_at": later(START, 4.5).isoformat()})
        [reply] = s.exec(select(CustomerReply)).all()
        assert (reply.reply, reply.how, reply.replied_at.replace(tzinfo=timezone.utc)) == \
            ("Sorting done, root cause by Monday", "mail", later(START, 4.5))
        assert load_view(s, item_id).customer_replied
    db.dispose()


@both
def test_an_edited_action_is_audited_with_before_and_after(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START)
        qe = who(policy, QE)
        perform(s, item_id, "take_ownership", qe, policy, later(START, 1))
        perform(s, item_id, "record_containment", qe, policy, later(START, 2), CONTAINMENT)
        perform(s, item_id, "record_root_cause", qe, policy, later(START, 3), ROOT)
        perform(s, item_id, "add_corrective_action", qe, policy, later(START, 4), {"what": "replace die", "owner": QE, "due": "2026-11-25"})
        [action] = s.exec(select(ItemAction)).all()
        out = perform(s, item_id, "edit_action", qe, policy, later(START, 5),
                      {"action_id": action.id, "what": "replace die", "owner": PROD, "due": "2026-11-28"})
        assert out.changes == {f"action:{action.id}.owner": {"before": QE, "after": PROD},
                               f"action:{action.id}.due": {"before": datetime(2026, 11, 25, tzinfo=timezone.utc),
                                                           "after": datetime(2026, 11, 28, tzinfo=timezone.utc)}}
        last = s.exec(select(Event).order_by(Event.id.desc())).first()
        assert last.action == "lifecycle.edit_action"
        assert last.detail["changes"][f"action:{action.id}.owner"] == {"before": QE, "after": PROD}
        assert last.detail["changes"][f"action:{action.id}.due"]["after"].startswith("2026-11-28")
        s.refresh(action)
        assert action.owner == PROD and action.due.date().isoformat() == "2026-11-28"
        # the new owner, from production, marks it done
        out = perform(s, item_id, "mark_action_done", who(policy, PROD), policy, later(START, 6), {"action_id": action.id})
        assert out.item.actions[0].done_at == later(START, 6)
    db.dispose()


@both
def test_closed_by_request_reads_as_closed_not_awaiting(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        work_to_verified(s, policy, item_id)
        out = perform(s, item_id, "request_closure", who(policy, QE), policy, later(START, 102))
        assert out.item.status == Status.closed and not out.item.closure_requested
        from domain.cards import load_card

        assert not load_card(s, item_id).closure_requested
    db.dispose()


def test_customer_told_of_an_aa_not_ours_waits_for_the_qm(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START)
        perform(s, item_id, "take_ownership", who(policy, QE), policy, later(START, 1))
        perform(s, item_id, "not_ours", who(policy, QE), policy, later(START, 2), {"reason": "their fixture"})
        out = perform(s, item_id, "customer_told", who(policy, SALES), policy, later(START, 3))
        assert out.item.status == Status.not_ours and out.item.closure_requested
        out = perform(s, item_id, "approve_closure", who(policy, QM), policy, later(START, 4))
        assert out.item.status == Status.closed and not out.item.closure_requested
        moves = [(c.action, c.from_status, c.to_status) for c in s.exec(select(StatusChange).order_by(StatusChange.id))][-2:]
        assert moves == [("customer_told", "not_ours", "not_ours"), ("approve_closure", "not_ours", "closed")]
        with pytest.raises(ActionRefused):
            perform(s, item_id, "approve_closure", who(policy, QM), policy, later(START, 5))
    db.dispose()


def test_the_edit_and_reply_forms(policy):
    open_one = ActionView(3, "corrective", "new die", QE, due=T0 + timedelta(days=5))
    here = item(S.corrective_action, actions=(FIXED, open_one))
    modal = step_modal("edit_action", here, policy, "en", {})
    by_id = {b["block_id"]: b for b in modal["blocks"]}
    assert [o["value"] for o in by_id["action_id"]["element"]["options"]] == ["3"]  # a done action is not edited
    assert by_id["due"]["optional"] and by_id["due"]["label"]["text"] == "Due date (empty: unchanged)"
    assert read_step("edit_action", {"action_id": "3", "what": "", "owner": None, "due": "2026-11-28"}) == \
        {"action_id": "3", "due": "2026-11-28"}
    reply = step_modal("record_customer_reply", item(S.contained), policy, "zh", {}, now=T0)
    assert [b["block_id"] for b in reply["blocks"]] == ["reply", "how", "replied_at", "replied_at_time"]
    assert [o["value"] for o in reply["blocks"][1]["element"]["options"]] == ["call", "mail", "visit", "portal", "meeting"]
    assert reply["blocks"][1]["label"]["text"] == "答复方式"
