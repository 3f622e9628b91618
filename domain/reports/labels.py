"""Labels a report shows in the reader's language, shared by the message and its charts."""
from __future__ import annotations

from domain.deadlines import is_visit_clock, milestone_kind
from domain.i18n import t
from domain.policy import Policy


def milestone_label(milestone: str, policy: Policy, lang: str) -> str:
    """The policy's label of a milestone; a visit's clock (`visit_arrival:<visit>`) by its kind."""
    if milestone in policy.milestones:
        return policy.milestones[milestone].get(lang)
    kind = milestone_kind(milestone)
    return t(f"milestone.{kind}", lang) if is_visit_clock(milestone) else milestone


def milestone_rates(on_time: dict, policy: Policy, lang: str) -> dict[str, float | None]:
    """On-time rates by milestone label, in the policy's milestone order (not alphabetical)."""
    order = [*policy.milestones, "visit_arrival", "visit_report"]
    ranked = sorted(on_time.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return {milestone_label(m, policy, lang): r for m, r in ranked}
