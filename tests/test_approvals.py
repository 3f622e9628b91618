"""Approvals in the domain (seed 000 ULMT §5.2.5, ZYQP017 d, §6.3.2–3): the 8D approved by the quality
manager or above before it is sent, an AA complaint's actions reviewed by the R&D director and approved
by the general manager; a rejection goes back with its reason and is re-worked. Every decision is an
`approvals` row and an audit event, through the one rule table and `perform`."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from domain.lifecycle.apply import ActionRefused, load_view, perform
from domain.lifecycle.gate import closure_missing
from domain.lifecycle.permissions import decide
from models import Approval, Event, ItemAction
from models.db import Database
from tests.conftest import START
from tests.lifecycle_helpers import GM, QE, QM, file_item, later, who

both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
RD = "U0ENGCHEN"  # the demo policy's R&D director (roles.rd_director)
CONTAINMENT = {"sorting_method": "100% gauge check", "countermeasure": "green dot", "customer_informed": True}
ROOT = {"category": "machine", "occurrence": "worn crimping die", "escape": "gauge not in final inspection plan"}


def to_root_caused(s, policy, item_id):
    qe = who(policy, QE)
    perform(s, item_id, "take_ownership", qe, policy, later(START, 1))
    perform(s, item_id, "record_containment", qe, policy, later(START, 2), CONTAINMENT)
    perform(s, item_id, "record_root_cause", qe, policy, later(START, 3), ROOT)


def refused(s, policy, item_id, action, user, at, fields=None) -> str:
    with pytest.raises(ActionRefused) as caught:
        perform(s, item_id, action, who(policy, user), policy, at, fields)
    return caught.value.code


def rows(s, item_id):
    return [(a.subject, a.stage, a.decision, a.revision, a.by, a.reason)
            for a in s.exec(select(Approval).where(Approval.item_id == item_id).order_by(Approval.id))]


@both
def test_the_8d_is_sent_only_once_its_current_revision_is_approved(db_url, policy):
    from domain.lifecycle.approvals import eight_d_approval

    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        to_root_caused(s, policy, item_id)
        assert refused(s, policy, item_id, "send_8d", QE, later(START, 4)) == "refusal.eight_d_not_approved"
        assert refused(s, policy, item_id, "approve_8d", QM, later(START, 4)) == "refusal.nothing_to_approve"

        perform(s, item_id, "submit_8d", who(policy, QE), policy, later(START, 5))
        assert refused(s, policy, item_id, "submit_8d", QE, later(START, 5)) == "refusal.approval_pending"
        assert refused(s, policy, item_id, "approve_8d", QE, later(START, 6)) == "refusal.wrong_role"
        assert refused(s, policy, item_id, "reject_8d", QM, later(START, 6)) == "refusal.missing_field"
        perform(s, item_id, "reject_8d", who(policy, QM), policy, later(START, 7), {"reason": "D4 lacks the die wear data"})
        assert refused(s, policy, item_id, "send_8d", QE, later(START, 8)) == "refusal.eight_d_not_approved"
        assert eight_d_approval(s, item_id) is None

        perform(s, item_id, "submit_8d", who(policy, QE), policy, later(START, 9))  # re-worked: revision 2
        perform(s, item_id, "approve_8d", who(policy, GM), policy, later(START, 10))  # "or above": the GM may
        perform(s, item_id, "send_8d", who(policy, QE), policy, later(START, 11))

        assert rows(s, item_id) == [("8d", "approve", "requested", 1, QE, None),
                                    ("8d", "approve", "rejected", 1, QM, "D4 lacks the die wear data"),
                                    ("8d", "approve", "requested", 2, QE, None),
                                    ("8d", "approve", "approved", 2, GM, None)]
        assert eight_d_approval(s, item_id) == (2, GM, datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc))
        trail = [(e.actor, e.action, (e.detail.get("approval") or {}).get("state"))
                 for e in s.exec(select(Event).where(Event.item_id == item_id).order_by(Event.id))][3:]
        assert trail == [(QE, "lifecycle.submit_8d", "pending"), (QM, "lifecycle.reject_8d", "rejected"),
                         (QE, "lifecycle.submit_8d", "pending"), (GM, "lifecycle.approve_8d", "approved"),
                         (QE, "lifecycle.send_8d", None)]
    db.dispose()


@both
def test_an_aa_action_is_reviewed_then_approved_and_a_rejected_one_is_reworked(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="AA")
        to_root_caused(s, policy, item_id)
        perform(s, item_id, "add_corrective_action", who(policy, QE), policy, later(START, 4),
                {"what": "Replace the crimp die", "owner": QE, "due": "2026-11-27"})
        action_id = s.exec(select(ItemAction.id).where(ItemAction.item_id == item_id)).one()
        subject = f"action:{action_id}"
        assert rows(s, item_id) == [(subject, "review", "requested", 1, QE, None)]  # adding it asks the first stage

        # The general manager approves at the second stage, not the R&D director's review.
        assert refused(s, policy, item_id, "approve_action", GM, later(START, 5), {"action_id": action_id}) == "refusal.not_your_stage"
        assert refused(s, policy, item_id, "approve_action", QE, later(START, 5), {"action_id": action_id}) == "refusal.wrong_role"
        perform(s, item_id, "approve_action", who(policy, RD), policy, later(START, 6), {"action_id": action_id})
        assert refused(s, policy, item_id, "approve_action", RD, later(START, 6), {"action_id": action_id}) == "refusal.not_your_stage"  # a second click: the GM decides now
        perform(s, item_id, "reject_action", who(policy, GM), policy, later(START, 7),
                {"action_id": action_id, "reason": "A wear check per shift, not a new die only"})
        assert ("gate.actions_not_approved", {"count": 1}) in closure_missing(load_view(s, item_id), policy)

        # Re-worked: what and due change (audited), round 2 starts again at the review.
        perform(s, item_id, "submit_action", who(policy, QE), policy, later(START, 8),
                {"action_id": action_id, "what": "Replace the crimp die; wear check every shift", "due": "2026-11-30"})
        event = s.exec(select(Event).where(Event.action == "lifecycle.submit_action")).one()
        assert event.detail["changes"][f"action:{action_id}.what"] == {
            "before": "Replace the crimp die", "after": "Replace the crimp die; wear check every shift"}
        assert event.detail["changes"][f"action:{action_id}.due"]["after"].startswith("2026-11-30")
        perform(s, item_id, "approve_action", who(policy, RD), policy, later(START, 9), {"action_id": action_id})
        perform(s, item_id, "approve_action", who(policy, GM), policy, later(START, 10), {"action_id": action_id})

        assert rows(s, item_id)[1:] == [
            (subject, "review", "approved", 1, RD, None),
            (subject, "approve", "rejected", 1, GM, "A wear check per shift, not a new die only"),
            (subject, "review", "requested", 2, QE, None),
            (subject, "review", "approved", 2, RD, None),
            (subject, "approve", "approved", 2, GM, None)]
        assert not [m for m in closure_missing(load_view(s, item_id), policy) if m[0] == "gate.actions_not_approved"]
        assert s.get(ItemAction, action_id).what == "Replace the crimp die; wear check every shift"
    db.dispose()


def test_only_the_policys_severities_go_through_the_action_chain(sqlite_url, policy):
    db = Database(sqlite_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="B")
        to_root_caused(s, policy, item_id)
        perform(s, item_id, "add_corrective_action", who(policy, QE), policy, later(START, 4),
                {"what": "Replace the crimp die", "owner": QE, "due": "2026-11-27"})
        assert rows(s, item_id) == []
        view = load_view(s, item_id)
        assert not [m for m in closure_missing(view, policy) if m[0] == "gate.actions_not_approved"]
        assert decide(view, who(policy, QE), policy)["submit_action"].refusal.code == "refusal.nothing_to_submit"
    db.dispose()


@both
def test_nobody_approves_their_own_submission_and_an_old_request_approves_nothing(db_url, policy):
    """Four eyes; and a click on a DM drawn for revision 1 cannot approve revision 2 (its content changed)."""
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        to_root_caused(s, policy, item_id)
        perform(s, item_id, "submit_8d", who(policy, QM), policy, later(START, 5))  # the QM prepared it himself
        assert refused(s, policy, item_id, "approve_8d", QM, later(START, 6)) == "refusal.own_submission"
        perform(s, item_id, "approve_8d", who(policy, GM), policy, later(START, 7))  # "or above" decides
        perform(s, item_id, "amend_root_cause", who(policy, QE), policy, later(START, 8),
                {**ROOT, "occurrence": "die worn AND wrong crimp height"})  # the approved 8D is outdated
        assert refused(s, policy, item_id, "send_8d", QE, later(START, 9)) == "refusal.eight_d_not_approved"
        perform(s, item_id, "submit_8d", who(policy, QE), policy, later(START, 10))  # revision 2
        assert refused(s, policy, item_id, "approve_8d", QM, later(START, 11), {"revision": 1}) == "refusal.approval_outdated"
        perform(s, item_id, "approve_8d", who(policy, QM), policy, later(START, 12), {"revision": 2})
        assert rows(s, item_id)[-1][:5] == ("8d", "approve", "approved", 2, QM)
    db.dispose()


@both
def test_a_done_action_is_not_rewritten_by_resubmitting_it(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START)  # AA: its actions go through the chain
        to_root_caused(s, policy, item_id)
        perform(s, item_id, "add_corrective_action", who(policy, QE), policy, later(START, 4),
                {"what": "Replace die", "owner": QE, "due": "2026-11-25"})
        [action] = s.exec(select(ItemAction)).all()
        perform(s, item_id, "mark_action_done", who(policy, QE), policy, later(START, 5), {"action_id": action.id})
        perform(s, item_id, "reject_action", who(policy, RD), policy, later(START, 6), {"action_id": action.id, "reason": "no"})
        assert refused(s, policy, item_id, "submit_action", QE, later(START, 7),
                       {"action_id": action.id, "what": "Retrain operators (never done)"}) == "refusal.invalid_field"
        perform(s, item_id, "submit_action", who(policy, QE), policy, later(START, 8), {"action_id": action.id})  # as it is
    db.dispose()


def test_approvers_may_be_named_people(sqlite_url, policy):
    from domain.policy import Policy

    data = policy.model_dump(mode="json")
    data["approvals"]["eight_d"]["approvers"] = ["U0QZHOU"]  # this company lets its senior QE approve the 8D
    named = Policy.model_validate(data)
    db = Database(sqlite_url)
    with db.session() as s:
        item_id = file_item(s, named, START, severity="A")
        to_root_caused(s, named, item_id)
        perform(s, item_id, "submit_8d", who(named, QM), named, later(START, 5))  # QE may not approve their own
        assert refused(s, named, item_id, "approve_8d", QM, later(START, 6)) == "refusal.wrong_role"
        perform(s, item_id, "approve_8d", who(named, QE), named, later(START, 7))
        assert rows(s, item_id)[-1] == ("8d", "approve", "approved", 1, QE, None)
    db.dispose()


def test_the_closure_gate_of_an_aa_complaint_waits_for_its_actions_approved(policy):
    from tests.test_lifecycle import ready

    assert closure_missing(ready(), policy) == []
    half = tuple(a for a in ready().approvals if not (a.subject == "action:2" and a.stage == "approve"))
    assert closure_missing(ready(approvals=half), policy) == [("gate.actions_not_approved", {"count": 1})]
    assert closure_missing(ready(approvals=()), policy) == [("gate.actions_not_approved", {"count": 2})]
    assert closure_missing(ready(approvals=(), severity="A"), policy) == []  # the chain is AA's (policy)


@both
def test_an_8d_changed_after_its_approval_is_approved_again_before_it_is_sent(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, START, severity="A")
        to_root_caused(s, policy, item_id)
        perform(s, item_id, "submit_8d", who(policy, QE), policy, later(START, 5))
        perform(s, item_id, "approve_8d", who(policy, QM), policy, later(START, 6))
        # The root cause is rewritten after the approval: the approved revision is not what would be sent.
        perform(s, item_id, "amend_root_cause", who(policy, QE), policy, later(START, 7),
                {**ROOT, "occurrence": "Operator skipped the die check"})
        assert refused(s, policy, item_id, "send_8d", QE, later(START, 8)) == "refusal.eight_d_not_approved"
        assert refused(s, policy, item_id, "approve_8d", QM, later(START, 8)) == "refusal.nothing_to_approve"
        perform(s, item_id, "submit_8d", who(policy, QE), policy, later(START, 9))
        perform(s, item_id, "approve_8d", who(policy, QM), policy, later(START, 10))
        perform(s, item_id, "send_8d", who(policy, QE), policy, later(START, 11))
        assert [(a.decision, a.revision, a.reason) for a in s.exec(select(Approval).order_by(Approval.id))] == [
            ("requested", 1, None), ("approved", 1, None), ("outdated", 1, "amend_root_cause"),
            ("requested", 2, None), ("approved", 2, None)]
    db.dispose()


def test_a_policy_naming_an_approver_role_nobody_holds_is_refused(policy):
    from domain.policy import Policy

    data = policy.model_dump(mode="json")
    data["roles"]["rd_director"] = None
    with pytest.raises(ValueError) as caught:
        Policy.model_validate(data)
    assert "approvals.actions.chain[0]: role 'rd_director' has nobody under roles.rd_director" in str(caught.value)
