"""The lifecycle without a database or Slack: the transition table, `decide`, the closure gate, roles."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from domain.lifecycle.explain import explain
from domain.lifecycle.gate import closure_missing
from domain.lifecycle.permissions import check, decide, open_actions
from domain.lifecycle.table import COMPLAINT_PATH, RULES, Status
from domain.lifecycle.view import ActionView, ItemView, VerificationView
from domain.policy import Policy
from tests.lifecycle_helpers import GM, NOBODY, PROD, QE, QM, SALES, chain_approved, who

T0 = datetime(2026, 11, 20, 2, tzinfo=timezone.utc)
S = Status


def item(status=S.received, **kw) -> ItemView:
    base = dict(id=1, kind="complaint", category="quality", severity="AA", status=status, department="quality",
                reporter=SALES, customer="Geely Auto")
    return ItemView(**{**base, **kw})


def ready(**kw) -> ItemView:
    """A verified complaint that meets every closure criterion."""
    actions = (ActionView(1, "corrective", "new die", QE, done_at=T0 + timedelta(days=1)),
               ActionView(2, "preventive", "PM plan", QE, done_at=T0 + timedelta(days=2), documents=("pfmea",)))
    lots = (VerificationView(T0 + timedelta(days=3), ("24-0101", "24-0102")),)
    return item(S.verified, **{"actions": actions, "verifications": lots, "customer_accepted": True,
                               "approvals": chain_approved(actions, T0), **kw})


def test_the_complaint_path_is_walked_by_the_table_in_order(policy):
    """Each step of the main path is reached by exactly one open action from the step before."""
    qe = who(policy, QE)
    fixed = (ActionView(1, "corrective", "new die", QE, done_at=T0),)
    for here, there in zip(COMPLAINT_PATH[:-2], COMPLAINT_PATH[1:-1]):
        moves = [a for a, d in decide(item(here, actions=fixed), qe, policy).items() if d.allowed and d.to == there]
        assert len(moves) == 1, (here, there, moves)


def test_non_complaints_are_answered_then_closed(policy):
    inquiry = item(kind="inquiry")
    qe = who(policy, QE)
    assert check(inquiry, qe, policy, "answer", {"answer": "Lead time is 4 weeks"}).to == S.answered
    assert check(inquiry, qe, policy, "answer", {}).refusal.params == {"field": "answer"}
    assert check(inquiry, qe, policy, "take_ownership").refusal.code == "refusal.wrong_kind"
    assert check(item(S.answered, kind="inquiry"), who(policy, SALES), policy, "close").to == S.closed


def test_every_status_has_a_way_out_except_the_final_ones():
    leaving = {s for r in RULES if r.to is not None for s in r.from_states}
    assert set(Status) - leaving == {S.draft, S.withdrawn}


@pytest.mark.parametrize("user,action,code", [
    (PROD, "take_ownership", "refusal.wrong_role"),       # another department
    (SALES, "record_containment", "refusal.wrong_role"),  # the reporter reads, does not work the complaint
    (NOBODY, "take_ownership", "refusal.no_role"),
    (QE, "change_severity", "refusal.wrong_role"),        # managers only
    (GM, "take_ownership", "refusal.wrong_role"),         # owner must be in the responsible department
])
def test_wrong_role_is_refused_with_who_may(policy, user, action, code):
    status = S.acknowledged if action == "record_containment" else S.received
    refusal = check(item(status), who(policy, user), policy, action).refusal
    assert refusal.code == code


def test_an_added_department_may_record_steps(policy):
    prod = who(policy, PROD)
    assert not check(item(S.acknowledged), prod, policy, "record_containment", {}).allowed
    d = check(item(S.acknowledged, added_departments=("production",)), prod, policy, "record_containment",
              {"sorting_method": "100%", "countermeasure": "gauge", "customer_informed": False})
    assert d.allowed and d.to == S.contained


def test_only_the_qm_approves_aa_closure_and_send_back_needs_a_reason(policy):
    requested = ready(closure_requested=True)
    assert check(requested, who(policy, QE), policy, "approve_closure").refusal.code == "refusal.wrong_role"
    assert check(requested, who(policy, QM), policy, "approve_closure").to == S.closed
    assert check(requested, who(policy, QM), policy, "send_back", {"reason": " "}).refusal.params == {"field": "reason"}
    assert check(ready(), who(policy, QM), policy, "approve_closure").refusal.code == "refusal.no_closure_request"
    # AA: requesting closure does not close, it waits for the QM; A closes at once
    assert check(ready(), who(policy, QE), policy, "request_closure").to is None
    assert check(ready(severity="A"), who(policy, QE), policy, "request_closure").to == S.closed


def test_stale_click_is_refused_as_stale_but_a_fresh_one_as_not_possible(policy):
    qe = who(policy, QE)
    now = item(S.acknowledged, version=3)
    assert check(now, qe, policy, "take_ownership", seen_version=2).refusal.code == "refusal.stale"
    assert check(now, qe, policy, "take_ownership", seen_version=3).refusal.code == "refusal.not_in_state"
    # still open in the new state: a stale button is re-checked, not refused for being old
    assert check(now, qe, policy, "not_ours", {"reason": "misuse"}, seen_version=2).allowed


def test_reasons_are_required_where_the_table_says(policy):
    qe, qm = who(policy, QE), who(policy, QM)
    assert check(item(S.contained), qe, policy, "not_ours", {}).refusal.params == {"field": "reason"}
    assert check(item(S.contained), qe, policy, "wait_on_customer", {"reason": ""}).refusal.code == "refusal.missing_field"
    assert check(item(S.closed), qm, policy, "reopen", {"reason": "back", "to_step": "closed"}).refusal.params == {"field": "to_step"}
    assert check(item(S.closed), qm, policy, "reopen", {"reason": "back", "to_step": "contained"}).to == S.contained


def test_resume_returns_to_the_step_it_left(policy):
    waiting = item(S.waiting_on_customer, status_before_waiting=S.root_caused)
    assert check(waiting, who(policy, QE), policy, "resume").to == S.root_caused


def test_field_values_are_checked(policy):
    qe = who(policy, QE)
    rc = {"category": "luck", "occurrence": "x", "escape": "y"}
    assert check(item(S.contained), qe, policy, "record_root_cause", rc).refusal.params == {"field": "category"}
    pa = {"what": "x", "owner": QE, "due": "2026-12-01", "documents": ["pfmea", "memo"]}
    assert check(item(S.corrective_action), qe, policy, "add_preventive_action", pa).refusal.params == {"field": "documents"}
    assert check(item(S.corrective_action), qe, policy, "add_preventive_action", {**pa, "documents": []}).refusal.code == "refusal.missing_field"


def test_verification_needs_a_corrective_action_done(policy):
    open_fix = item(S.preventive_action, actions=(ActionView(1, "corrective", "new die", QE),))
    d = check(open_fix, who(policy, QE), policy, "record_verification", {"evidence": "ok", "clean_lots": ["L1", "L2"]})
    assert d.refusal.code == "refusal.corrective_not_done"


def test_the_gate_lists_everything_missing(policy):
    assert closure_missing(ready(), policy) == []
    bare = item(S.verified)
    assert [c for c, _ in closure_missing(bare, policy)] == [
        "gate.no_corrective", "gate.clean_batches", "gate.no_preventive_done", "gate.customer_acceptance"]


def test_the_gate_counts_only_clean_lots_after_the_fix(policy):
    early = VerificationView(T0, ("24-0001", "24-0002"))  # recorded before the corrective action was done
    late = VerificationView(T0 + timedelta(days=3), ("24-0101",))
    missing = closure_missing(replace(ready(), verifications=(early, late)), policy)
    assert missing == [("gate.clean_batches", {"needed": 2, "have": 1})]


def test_the_gate_wants_documents_and_a_done_preventive_action(policy):
    fix = ActionView(1, "corrective", "die", QE, done_at=T0)
    no_docs = (fix, ActionView(2, "preventive", "PM", QE, done_at=T0))
    assert [c for c, _ in closure_missing(replace(ready(), actions=no_docs), policy)] == ["gate.no_documents"]
    not_done = (fix, ActionView(2, "preventive", "PM", QE, documents=("pfmea",)))
    assert [c for c, _ in closure_missing(replace(ready(), actions=not_done), policy)] == ["gate.no_preventive_done"]


def test_customer_acceptance_follows_the_policy_per_customer(policy):
    assert [c for c, _ in closure_missing(ready(customer_accepted=False), policy)] == ["gate.customer_acceptance"]
    assert closure_missing(ready(customer_accepted=False, customer="byd"), policy) == []  # BYD: not required
    lenient = Policy.model_validate({**policy.model_dump(), "closure": {"customer_acceptance_required": False}})
    assert closure_missing(ready(customer_accepted=False), lenient) == []


def test_roles_from_groups_and_explicit_lists(policy):
    qe, qm, sales, gm, nobody = (who(policy, u) for u in (QE, QM, SALES, GM, NOBODY))
    assert qe.departments == {"quality"} and not qe.manages and not qe.quality_manager
    assert qm.quality_manager and qm.manages == {"quality"}
    assert sales.sales and gm.general_manager and not nobody.has_any
    from domain.roles import roles_of
    assert roles_of(policy, "U0NEWQE", {"S0QUALITY": {"U0NEWQE"}}).departments == {"quality"}  # by user group alone


def test_anyone_may_read_the_8d(policy):
    assert "eight_d" in open_actions(item(S.closed), who(policy, NOBODY), policy)


def test_refusals_read_in_both_languages(policy):
    refusal = check(ready(customer_accepted=False, closure_requested=False, severity="A", verifications=()), who(policy, QE),
                    policy, "request_closure").refusal
    assert explain(refusal, "en") == "It cannot close yet. Missing: 2 clean batches after the fix (0 recorded); the customer's acceptance"
    assert explain(refusal, "zh") == "暂不能关闭，还缺：纠正后连续 2 批无不良（已记录 0 批）；客户认可"
    wrong = check(ready(closure_requested=True), who(policy, QE), policy, "approve_closure").refusal
    assert explain(wrong, "en") == "Only the quality manager can approve closure."
    assert explain(wrong, "zh") == "只有品质经理可以批准关闭。"


def test_the_policy_checks_its_roles_section(policy, tmp_path):
    import yaml

    from domain.policy import check_policy

    def problems(change):
        raw = policy.model_dump(mode="json")
        change(raw["roles"])
        path = tmp_path / "policy.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        return check_policy(path)[1]

    assert problems(lambda r: None) == []
    assert problems(lambda r: r["sales"].update(users=["someone"])) == ["roles.sales.users: neither Slack user ids nor Microsoft Entra object ids: someone"]
    assert problems(lambda r: r["departments"].update(marketing={"users": ["U0X1"]})) == [
        "roles.departments: unknown department 'marketing'"]
