"""Labels a report shows in the reader's language, shared by the message and its charts."""
from __future__ import annotations

from domain.policy import Policy


def milestone_label(milestone: str, policy: Policy, lang: str) -> str:
    return policy.milestones[milestone].get(lang) if milestone in policy.milestones else milestone


def milestone_rates(on_time: dict, policy: Policy, lang: str) -> dict[str, float | None]:
    """On-time rates by milestone label, in the policy's milestone order (not alphabetical)."""
    order = list(policy.milestones)
    ranked = sorted(on_time.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return {milestone_label(m, policy, lang): r for m, r in ranked}
