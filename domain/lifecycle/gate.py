"""The closure gate (seed 000): what a quality complaint still lacks before it may close.

Pure: returns the list of what is missing as (message code, params); empty means it may close.
"""
from __future__ import annotations

from domain.lifecycle.approvals import unapproved_actions
from domain.lifecycle.view import ItemView
from domain.policy import Policy
from domain.requirements import requirements

Missing = tuple[str, dict]


def clean_batches_after_fix(item: ItemView) -> tuple[str, ...]:
    """Clean lots recorded after the last corrective action was done (none while one is open)."""
    corrective = [a for a in item.actions if a.type == "corrective"]
    if not corrective or any(a.done_at is None for a in corrective):
        return ()
    fixed_at = max(a.done_at for a in corrective)
    lots: list[str] = []
    for v in sorted(item.verifications, key=lambda v: v.at):
        if v.at >= fixed_at:
            lots += [lot for lot in v.clean_lots if lot not in lots]
    return tuple(lots)


# The documents a quality complaint's preventive action must have updated (seed 000: PFMEA / control plan).
RISK_DOCUMENTS = ("pfmea", "control_plan")


def closure_missing(item: ItemView, policy: Policy) -> list[Missing]:
    """What this complaint still lacks, by its category's criteria (policy `closure.criteria`), and
    the 8D sent when the customer asked for one (whatever the category)."""
    if item.kind != "complaint":
        return []
    rules = policy.closure
    criteria = rules.criteria_for(item.category)
    missing: list[Missing] = []
    corrective = [a for a in item.actions if a.type == "corrective"]
    if "corrective_done" in criteria:
        if not corrective:
            missing.append(("gate.no_corrective", {}))
        elif any(a.done_at is None for a in corrective):
            missing.append(("gate.corrective_open", {"count": sum(a.done_at is None for a in corrective)}))
    if "clean_lots" in criteria:
        lots = clean_batches_after_fix(item)
        if len(lots) < rules.clean_batches:
            missing.append(("gate.clean_batches", {"needed": rules.clean_batches, "have": len(lots)}))
    if "preventive_documents" in criteria:
        preventive_done = [a for a in item.actions if a.type == "preventive" and a.done_at is not None]
        if not preventive_done:
            missing.append(("gate.no_preventive_done", {}))
        elif not any(set(a.documents) & set(RISK_DOCUMENTS) for a in preventive_done):
            missing.append(("gate.no_documents", {}))
    if "customer_reply" in criteria and not item.customer_replied:
        missing.append(("gate.customer_reply", {}))
    needs = requirements(policy, item.customer_record, item.customer)
    if "customer_acceptance" in criteria and needs.acceptance_required and not item.customer_accepted:
        missing.append(("gate.customer_acceptance", {}))
    if item.wants_8d and not item.eight_d_sent:  # sent only once approved (approvals.py)
        missing.append(("gate.eight_d_not_sent", {}))
    return missing + actions_not_approved(item, policy)


def actions_not_approved(item: ItemView, policy: Policy) -> list[Missing]:
    """An action the policy's approval chain applies to (AA by default) counts once it is approved."""
    waiting = unapproved_actions(item, policy)
    return [("gate.actions_not_approved", {"count": len(waiting)})] if waiting else []


def needs_qm_approval(item: ItemView, policy: Policy) -> bool:
    return item.kind == "complaint" and item.severity in policy.closure.qm_approval_severities
