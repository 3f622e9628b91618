"""Applying lifecycle actions in a session: step rows, status changes, audit events, met deadlines.
Runs on PostgreSQL and SQLite."""
from __future__ import annotations

import pytest
from sqlmodel import select

from domain.lifecycle.apply import ActionRefused, load_view, perform, record_reply
from domain.lifecycle.table import Status
from models import Containment, Deadline, DiscussionMessage, Event, FeedbackItem, ItemAction, StatusChange
from models.db import Database
from tests.conftest import START
from tests.lifecycle_helpers import PROD, QE, QM, SALES, approve_actions, file_item, later, who

both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)

CONTAINMENT = {"stock_checked": 5000, "stock_bad": 12, "wip_checked": 800, "wip_bad": 0, "customer_checked": 1200,
               "customer_bad": 37, "sorting_method": "100% gauge check", "sorting_result": "49 bad, quarantined",
               "countermeasure": "gauge check at final inspection", "customer_informed": True}
ROOT = {"category": "machine", "occurrence": "worn crimping die", "escape": "gauge not in final inspection plan",
        "evidence": "die wear measured 0.12 mm"}


def work_to_verified(s, policy, item_id, *, acceptance=True, clean_lots=("24-0101", "24-0102")):
    qe = who(policy, QE)
    t = START
    perform(s, item_id, "take_ownership", qe, policy, later(t, 1))
    perform(s, item_id, "record_first_contact", who(policy, SALES), policy, later(t, 1),
            {"contacted_by": SALES, "contacted_at": later(t, 1).isoformat(), "how": "call"})
    perform(s, item_id, "record_containment", qe, policy, later(t, 5), CONTAINMENT)
    perform(s, item_id, "record_root_cause", qe, policy, later(t, 20), ROOT)
    perform(s, item_id, "add_corrective_action", qe, policy, later(t, 21), {"what": "replace crimping die", "owner": QE, "due": "2026-11-25"})
    perform(s, item_id, "add_preventive_action", qe, policy, later(t, 22),
            {"what": "die life limit in PM plan", "owner": QE, "due": "2026-11-30", "documents": ["pfmea", "control_plan"]})
    approve_actions(s, policy, item_id, later(t, 23))  # an AA complaint's actions: the policy's approval chain
    actions = s.exec(select(ItemAction).where(ItemAction.item_id == item_id).order_by(ItemAction.id)).all()
    for a in actions:
        perform(s, item_id, "mark_action_done", qe, policy, later(t, 30), {"action_id": a.id})
    perform(s, item_id, "record_verification", qe, policy, later(t, 100), {"evidence": "two lots 0 ppm", "clean_lots": list(clean_lots)})
    if acceptance:
        perform(s, item_id, "record_customer_acceptance", who(policy, SALES), policy, later(t, 101),
                {"accepted_by": "Mr. Xu, SQE", "accepted_on": "2026-11-24", "how": "mail"})


@both
def test_aa_complaint_to_verified_closure_with_qm_approval(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START)
        work_to_verified(s, policy, item_id)
        out = perform(s, item_id, "request_closure", who(policy, QE), policy, later(START, 102))
        assert out.item.status == Status.verified and out.item.closure_requested  # AA waits for the QM
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "approve_closure", who(policy, QE), policy, later(START, 103))
        assert refused.value.code == "refusal.wrong_role"
        out = perform(s, item_id, "approve_closure", who(policy, QM), policy, later(START, 104), origin="action:T1")
        assert out.item.status == Status.closed
    with db.session() as s:
        rows = s.exec(select(Deadline).where(Deadline.item_id == item_id)).all()
        deadlines = {d.milestone: d.met_at for d in rows}
        assert deadlines["first_contact"] == later(START, 1)
        assert deadlines["containment"] == later(START, 5)
        assert deadlines["customer_closure"] == later(START, 101)
        assert deadlines["internal_closure"] == later(START, 104)
        # closing stops what is still running: the reply to the customer was never recorded, so it is not "met"
        assert deadlines["customer_reply"] is None and {d.milestone: d.state for d in rows}["customer_reply"] == "cancelled"
        assert "report_8d" not in deadlines  # nobody asked for an 8D: no 8D clock
        assert all(d.next_action_at is None for d in rows)
        moves = [(c.from_status, c.to_status) for c in s.exec(select(StatusChange).order_by(StatusChange.id)).all()]
        assert moves == [("received", "acknowledged"), ("acknowledged", "contained"), ("contained", "root_caused"),
                         ("root_caused", "corrective_action"), ("corrective_action", "preventive_action"),
                         ("preventive_action", "verified"), ("verified", "verified"), ("verified", "closed")]
        last = s.exec(select(Event).order_by(Event.id.desc())).first()
        assert (last.actor, last.action, last.origin) == (QM, "lifecycle.approve_closure", "action:T1")
        assert last.detail["changes"]["status"] == {"before": "verified", "after": "closed"}
        item = s.get(FeedbackItem, item_id)
        assert item.status == "closed"
    db.dispose()


@both
def test_early_closure_is_refused_with_what_is_missing_and_changes_nothing(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        work_to_verified(s, policy, item_id, acceptance=False, clean_lots=("24-0101",))
        version = load_view(s, item_id).version
        events = len(s.exec(select(Event)).all())
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "request_closure", who(policy, QE), policy, later(START, 102))
        assert refused.value.code == "refusal.closure_gate"
        assert [code for code, _ in refused.value.params["missing"]] == ["gate.clean_batches", "gate.customer_acceptance"]
        assert load_view(s, item_id).version == version and len(s.exec(select(Event)).all()) == events
        perform(s, item_id, "record_verification", who(policy, QE), policy, later(START, 120), {"evidence": "lot 3", "clean_lots": ["24-0103"]})
        perform(s, item_id, "record_customer_acceptance", who(policy, SALES), policy, later(START, 121),
                {"accepted_by": "Mr. Xu", "accepted_on": "2026-11-25", "how": "call"})
        out = perform(s, item_id, "request_closure", who(policy, QE), policy, later(START, 122))
        assert out.item.status == Status.closed  # A needs no QM approval
    db.dispose()


@both
def test_wrong_role_and_double_click_change_nothing(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START)
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "take_ownership", who(policy, PROD), policy, later(START, 1))
        assert refused.value.code == "refusal.wrong_role"
        seen = load_view(s, item_id).version
        perform(s, item_id, "take_ownership", who(policy, QE), policy, later(START, 1), seen_version=seen)
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "take_ownership", who(policy, QE), policy, later(START, 1), seen_version=seen)
        assert refused.value.code == "refusal.stale" and refused.value.params["status"] == "acknowledged"
        assert [e.action for e in s.exec(select(Event).where(Event.item_id == item_id)).all()] == ["lifecycle.take_ownership"]
    db.dispose()


@both
def test_not_ours_waiting_resume_reopen_and_discussion(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="B")
        qe = who(policy, QE)
        perform(s, item_id, "take_ownership", qe, policy, later(START, 1))
        perform(s, item_id, "record_containment", qe, policy, later(START, 2), CONTAINMENT)
        perform(s, item_id, "wait_on_customer", qe, policy, later(START, 3), {"reason": "waiting for samples"})
        out = perform(s, item_id, "resume", qe, policy, later(START, 30))
        assert out.item.status == Status.contained
        perform(s, item_id, "not_ours", qe, policy, later(START, 31), {"reason": "customer's own handling damage"})
        out = perform(s, item_id, "customer_told", who(policy, SALES), policy, later(START, 40))
        assert out.item.status == Status.closed
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "reopen", who(policy, QM), policy, later(START, 50), {"reason": "it came back"})
        assert refused.value.params == {"field": "to_step"}
        out = perform(s, item_id, "reopen", who(policy, QM), policy, later(START, 50), {"reason": "it came back", "to_step": "root_caused"})
        assert out.item.status == Status.root_caused
        assert record_reply(s, item_id, QE, "1700000000.000100", "die photo", later(START, 51), ["https://x.slack.com/files/F1"])
        assert not record_reply(s, item_id, QE, "1700000000.000100", "die photo", later(START, 51))
        assert len(s.exec(select(DiscussionMessage)).all()) == 1
        assert len(s.exec(select(Containment)).all()) == 1
    db.dispose()


@both
def test_withdrawing_closes_open_deadlines(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, kind="inquiry", severity="B")
        # the reporter, within the undo window (10 minutes)
        perform(s, item_id, "withdraw", who(policy, SALES), policy, later(START, 0.1), {"reason": "filed twice"})
        rows = s.exec(select(Deadline).where(Deadline.item_id == item_id)).all()
        assert rows and all(d.state == "cancelled" and d.met_at is None and d.next_action_at is None for d in rows)
        assert s.get(FeedbackItem, item_id).withdrawn_at == later(START, 0.1)
    db.dispose()


@both
def test_reassign_and_severity_change_are_recorded_with_before_and_after(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="B")
        qm = who(policy, QM)
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "change_severity", who(policy, QE), policy, later(START, 1), {"severity": "AA", "reason": "line stop"})
        assert refused.value.code == "refusal.wrong_role"
        perform(s, item_id, "change_severity", qm, policy, later(START, 1), {"severity": "AA", "reason": "line stop"})
        due = {d.milestone: d.due_at for d in s.exec(select(Deadline).where(Deadline.item_id == item_id)).all()}
        assert due["first_contact"] == later(START, 2) and due["containment"] == later(START, 24)
        out = perform(s, item_id, "reassign", qm, policy, later(START, 2), {"department": "production", "owner": PROD})
        assert (out.item.department, out.item.owner) == ("production", PROD)
        out = perform(s, item_id, "add_department", who(policy, PROD), policy, later(START, 3), {"department": "purchasing"})
        assert out.item.added_departments == ("purchasing",)
        details = [e.detail["changes"] for e in s.exec(select(Event).where(Event.item_id == item_id).order_by(Event.id)).all()]
        assert details == [{"problem_severity": {"before": "B", "after": "AA"}, "severity": {"before": "B", "after": "AA"}},
                           {"department": {"before": "quality", "after": "production"}},
                           {"also_departments": {"before": [], "after": ["purchasing"]}}]
    db.dispose()


@both
def test_send_back_and_reopen_end_a_pending_closure_request(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START)
        work_to_verified(s, policy, item_id)
        qe, qm = who(policy, QE), who(policy, QM)
        assert perform(s, item_id, "request_closure", qe, policy, later(START, 102)).item.closure_requested
        out = perform(s, item_id, "send_back", qm, policy, later(START, 103), {"reason": "attach the lot records"})
        assert not out.item.closure_requested and out.item.status == Status.verified
        item_id = file_item(s, policy, START, severity="A")  # A: the request itself closes
        work_to_verified(s, policy, item_id)
        assert perform(s, item_id, "request_closure", qe, policy, later(START, 104)).item.status == Status.closed
        out = perform(s, item_id, "reopen", qm, policy, later(START, 200), {"reason": "recurred", "to_step": "verified"})
        assert out.item.status == Status.verified and not out.item.closure_requested
    db.dispose()
