"""Approvals of the procedure (seed 000 ULMT §5.2.5, ZYQP017 d, §6.3.2–3), policy `approvals:`.

- The 8D: the department submits it (`submit_8d`, revision n), an approver of `approvals.eight_d`
  approves (`approve_8d`) or rejects it with a reason (`reject_8d`); `send_8d` waits for the current
  revision's approval; a rejected 8D is re-worked and submitted again (revision n + 1).
- An action (corrective / preventive) of a complaint whose severity is in `approvals.actions`: adding
  it asks the first stage of the chain; each stage's approver approves (`approve_action`, the next
  stage is asked) or rejects with a reason (`reject_action`); a rejected action is re-worked and
  submitted again (`submit_action`, what / owner / due may change), its round + 1, from the first stage.

Where a subject stands is derived from its `approvals` rows alone (`standing`); `perform` writes them
(`record`) in the same transaction as the step and its audit event.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from domain.lifecycle.view import ApprovalView, ItemView, as_utc
from domain.policy import Policy
from domain.roles import Roles, is_approver
from models import Approval, FeedbackItem, ItemAction

EIGHT_D = "8d"
EIGHT_D_STAGE = "approve"
# The table's `who` names of approvers (domain/lifecycle/table.py), held per the policy's lists.
EIGHT_D_APPROVER, ACTION_APPROVER, CLAIM_APPROVER = "eight_d_approver", "action_approver", "claim_approver"
EIGHT_D_ACTIONS = ("submit_8d", "approve_8d", "reject_8d")
ACTION_ACTIONS = ("submit_action", "approve_action", "reject_action")
ADDING_ACTIONS = ("add_corrective_action", "add_more_corrective", "add_preventive_action", "add_more_preventive")

NONE, PENDING, APPROVED, REJECTED, OUTDATED = "none", "pending", "approved", "rejected", "outdated"
# Steps that change what the 8D says: after one, the revision approved (or waiting) is not the one
# that would be sent, so it is marked outdated and the 8D is submitted again (the 8D sent is the 8D approved).
CHANGES_THE_8D = ("record_containment", "amend_containment", "record_root_cause", "amend_root_cause",
                  *ADDING_ACTIONS, "mark_action_done", "mark_action_verified", "record_verification",
                  "record_customer_acceptance", "submit_action", "edit_action",
                  # D1 (the team, the departments) and the header (level) show these too
                  "take_ownership", "reassign", "add_department", "change_severity", "set_urgency")


def action_subject(action_id: int) -> str:
    return f"action:{action_id}"


@dataclass(frozen=True)
class Standing:
    """Where one subject's approval stands now."""
    subject: str
    state: str  # none (never submitted) | pending | approved | rejected | outdated (the 8D changed since)
    revision: int = 0  # the 8D's revision, or the action's round
    stage: str | None = None  # pending: the stage waiting; rejected: the stage that rejected
    by: str | None = None  # pending: who submitted; approved / rejected: who decided last
    at: datetime | None = None
    reason: str | None = None  # why it was rejected


def standing(rows: tuple[ApprovalView, ...], subject: str, stages: tuple[str, ...]) -> Standing:
    """The current revision of `subject` from its rows: rejected, or waiting at the first stage of
    `stages` not approved yet, or approved by all."""
    mine = [r for r in rows if r.subject == subject]
    if not mine:
        return Standing(subject, NONE)
    revision = max(r.revision for r in mine)
    current = [r for r in mine if r.revision == revision]
    last = current[-1]
    if last.decision == "rejected":
        return Standing(subject, REJECTED, revision, last.stage, last.by, last.at, last.reason)
    if last.decision == OUTDATED:
        return Standing(subject, OUTDATED, revision, last.stage, last.by, last.at, last.reason)
    approved = {r.stage for r in current if r.decision == "approved"}
    waiting = next((stage for stage in stages if stage not in approved), None)
    if waiting is None:
        return Standing(subject, APPROVED, revision, last.stage, last.by, last.at)
    return Standing(subject, PENDING, revision, waiting, current[0].by, current[0].at)


def chain_stages(policy: Policy) -> tuple[str, ...]:
    return tuple(stage.stage for stage in policy.approvals.actions.chain)


def stage_approvers(policy: Policy, stage: str) -> tuple[str, ...]:
    return next((s.approvers for s in policy.approvals.actions.chain if s.stage == stage), ())


def eight_d_standing(item: ItemView) -> Standing:
    return standing(item.approvals, EIGHT_D, (EIGHT_D_STAGE,))


def action_standing(item: ItemView, action_id: int, policy: Policy) -> Standing:
    return standing(item.approvals, action_subject(action_id), chain_stages(policy))


def actions_need_approval(kind: str, severity: str, policy: Policy) -> bool:
    return kind == "complaint" and severity in policy.approvals.actions.severities


def actions_to_approve(item: ItemView, policy: Policy) -> list:
    """The item's actions the chain applies to (none unless its severity is in the policy's list)."""
    if not actions_need_approval(item.kind, item.severity, policy):
        return []
    return [a for a in item.actions if a.type in policy.approvals.actions.types]


def unapproved_actions(item: ItemView, policy: Policy) -> list:
    return [a for a in actions_to_approve(item, policy) if action_standing(item, a.id, policy).state != APPROVED]


def approver_roles(item: ItemView, roles: Roles, policy: Policy) -> set[str]:
    """The approver names of the table this person holds: the 8D's, and any stage of the chain's."""
    held = set()
    if is_approver(roles, policy.approvals.eight_d.approvers):
        held.add(EIGHT_D_APPROVER)
    if any(is_approver(roles, stage.approvers) for stage in policy.approvals.actions.chain):
        held.add(ACTION_APPROVER)
    if is_approver(roles, policy.approvals.claims.approvers):
        held.add(CLAIM_APPROVER)
    return held


# ---------------------------------------------------------------------------------------------- guards
def guard(action: str, item: ItemView, roles: Roles, policy: Policy) -> tuple[str, dict] | None:
    """What the table cannot say about an approval action (or Send 8D) on this item now, as a
    refusal (code, params); None when it may happen. Without fields: is there anything to decide."""
    if action == "send_8d" and policy.approvals.eight_d.required and eight_d_standing(item).state != APPROVED:
        return "refusal.eight_d_not_approved", {"state": eight_d_standing(item).state}
    if action == "submit_8d" and eight_d_standing(item).state == PENDING:
        return "refusal.approval_pending", {}
    if action in ("approve_8d", "reject_8d") and eight_d_standing(item).state != PENDING:
        return "refusal.nothing_to_approve", {}
    if action == "submit_action" and not [a for a in actions_to_approve(item, policy)
                                          if action_standing(item, a.id, policy).state in (NONE, REJECTED)]:
        return "refusal.nothing_to_submit", {}
    if action in ("approve_action", "reject_action") and not [a for a in actions_to_approve(item, policy)
                                                              if action_standing(item, a.id, policy).state == PENDING]:
        return "refusal.nothing_to_approve", {}
    return None


def field_refusal(action: str, item: ItemView, roles: Roles, policy: Policy, fields: dict[str, Any]) -> tuple[str, dict] | None:
    """The named action (`action_id`) of an action approval: one of the chain's, in the right state,
    and — approving or rejecting — at a stage this person decides, for the revision they were shown
    (`revision`, from the DM's button), by someone other than who submitted it."""
    if action in ("approve_8d", "reject_8d"):
        return _decision_refusal(eight_d_standing(item), roles, fields)
    if action not in ACTION_ACTIONS:
        return None
    found = item.action(int(fields["action_id"])) if str(fields.get("action_id", "")).isdecimal() else None
    if found is None or found not in actions_to_approve(item, policy):
        return "refusal.invalid_field", {"field": "action_id"}
    st = action_standing(item, found.id, policy)
    if action == "submit_action" and st.state not in (NONE, REJECTED):
        return ("refusal.approval_pending" if st.state == PENDING else "refusal.already_approved"), {}
    if action in ("approve_action", "reject_action"):
        if st.state != PENDING:
            return "refusal.nothing_to_approve", {}
        if not is_approver(roles, stage_approvers(policy, st.stage)):
            return "refusal.not_your_stage", {"stage": st.stage}
        return _decision_refusal(st, roles, fields)
    return None


def _decision_refusal(st: Standing, roles: Roles, fields: dict[str, Any]) -> tuple[str, dict] | None:
    """Approving or sending back: the revision the person saw is still the one waiting, and nobody
    approves what they submitted themselves (four eyes; the next approver of the list decides)."""
    if st.state != PENDING:
        return None  # said by guard()
    seen = fields.get("revision")
    if seen is not None and str(seen).isdecimal() and int(seen) != st.revision:
        return "refusal.approval_outdated", {"seen": int(seen), "current": st.revision}
    if st.by == roles.user:
        return "refusal.own_submission", {}
    return None


# ---------------------------------------------------------------------------------------------- writes
def record(s: Session, item: FeedbackItem, before: ItemView, policy: Policy, action: str, f: dict, actor: str,
           now: datetime, change_action) -> Standing | None:
    """The `approvals` row(s) of a step (perform calls it after the step's own rows). Returns where
    the subject stands afterwards, or None for a step that concerns no approval."""
    if action in EIGHT_D_ACTIONS:
        current = eight_d_standing(before)
        if action == "submit_8d":
            s.add(Approval(item_id=item.id, subject=EIGHT_D, stage=EIGHT_D_STAGE, decision="requested",
                           revision=current.revision + 1, by=actor, at=now))
        else:
            s.add(Approval(item_id=item.id, subject=EIGHT_D, stage=EIGHT_D_STAGE,
                           decision="approved" if action == "approve_8d" else "rejected", revision=current.revision,
                           reason=f.get("reason"), by=actor, at=now))
        return _after(s, item, EIGHT_D, (EIGHT_D_STAGE,))
    if action in CHANGES_THE_8D:
        outdate_8d(s, before, action, actor, now)
    stages = chain_stages(policy)
    if action in ADDING_ACTIONS and actions_need_approval(before.kind, item.severity, policy):
        s.flush()
        added = s.exec(select(ItemAction).where(ItemAction.item_id == item.id).order_by(ItemAction.id.desc())).first()
        if added.type not in policy.approvals.actions.types:
            return None
        s.add(Approval(item_id=item.id, subject=action_subject(added.id), stage=stages[0], decision="requested",
                       revision=1, by=actor, at=now))
        return _after(s, item, action_subject(added.id), stages)
    if action in ACTION_ACTIONS:
        action_id = int(f["action_id"])
        current = action_standing(before, action_id, policy)
        if action == "submit_action":
            change_action(action_id, {k: f[k] for k in ("what", "owner", "due") if f.get(k)})
            s.add(Approval(item_id=item.id, subject=action_subject(action_id), stage=stages[0], decision="requested",
                           revision=current.revision + 1, by=actor, at=now))
        else:
            s.add(Approval(item_id=item.id, subject=action_subject(action_id), stage=current.stage,
                           decision="approved" if action == "approve_action" else "rejected",
                           revision=current.revision, reason=f.get("reason"), by=actor, at=now))
        return _after(s, item, action_subject(action_id), stages)
    if action == "edit_action" and any(a.id == int(f["action_id"]) for a in actions_to_approve(before, policy)):
        # An action edited after it went to the chain is not the action approved: it goes round again.
        action_id = int(f["action_id"])
        s.add(Approval(item_id=item.id, subject=action_subject(action_id), stage=stages[0], decision="requested",
                       revision=action_standing(before, action_id, policy).revision + 1, by=actor, at=now))
        return _after(s, item, action_subject(action_id), stages)
    return None


def outdate_8d(s: Session, before: ItemView, why: str, actor: str, now: datetime) -> None:
    """What the 8D shows changed: a revision waiting or approved is no longer the one to send (it is
    submitted again). Called by the steps that change its content and by *Correct details*."""
    current = eight_d_standing(before)
    if current.state in (PENDING, APPROVED):
        s.add(Approval(item_id=before.id, subject=EIGHT_D, stage=EIGHT_D_STAGE, decision=OUTDATED,
                       revision=current.revision, reason=why, by=actor, at=now))


def _after(s: Session, item: FeedbackItem, subject: str, stages: tuple[str, ...]) -> Standing:
    s.flush()
    return standing(rows_of(s, item.id), subject, stages)


def rows_of(s: Session, item_id: int) -> tuple[ApprovalView, ...]:
    return tuple(ApprovalView(a.subject, a.stage, a.decision, a.revision, a.by, as_utc(a.at), a.reason)
                 for a in s.exec(select(Approval).where(Approval.item_id == item_id).order_by(Approval.id)))


# ---------------------------------------------------------------------------------------------- reads
def eight_d_approval(s: Session, item_id: int) -> tuple[int, str, datetime] | None:
    """For the 8D document: (revision, approved by (Slack user id), approved at (UTC)) of the 8D's
    current revision when it is approved; None when it is not (never submitted, waiting, rejected)."""
    st = standing(rows_of(s, item_id), EIGHT_D, (EIGHT_D_STAGE,))
    return (st.revision, st.by, st.at) if st.state == APPROVED else None


@dataclass(frozen=True)
class ApprovalLine:
    """One subject's standing as the card and the thread show it."""
    subject: str  # '8d' | 'action:<id>'
    what: str | None  # the action's text (None for the 8D)
    standing: Standing
    waiting_for: tuple[str, ...] = ()  # pending: the approvers of the waiting stage (role names or user ids)


def approval_lines(item: ItemView, policy: Policy) -> list[ApprovalLine]:
    """Every subject with approval rows or due one, in order: the 8D, then each action."""
    return lines_of(item.kind, item.severity, item.actions, item.approvals, policy)


def lines_of(kind: str, severity: str, actions, rows: tuple[ApprovalView, ...], policy: Policy) -> list[ApprovalLine]:
    """`approval_lines` from an item's parts (the card has no ItemView)."""
    out = []
    eight_d = standing(rows, EIGHT_D, (EIGHT_D_STAGE,))
    if eight_d.state != NONE:
        out.append(ApprovalLine(EIGHT_D, None, eight_d,
                                policy.approvals.eight_d.approvers if eight_d.state == PENDING else ()))
    if actions_need_approval(kind, severity, policy):
        for a in actions:
            if a.type in policy.approvals.actions.types:
                st = standing(rows, action_subject(a.id), chain_stages(policy))
                out.append(ApprovalLine(action_subject(a.id), a.what, st,
                                        stage_approvers(policy, st.stage) if st.state == PENDING else ()))
    return out
