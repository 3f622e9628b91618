"""The level of a complaint, derived from two facts (seed 001 §4.2b): how serious the problem is
(`problem_severity`, the classifier's or a person's grade, LABELING.md) and how urgent the customer
says it is (`urgency`). AA when the problem is very serious *or* the customer demands very urgent
handling; A when serious or urgent. The level (`severity`) is what deadlines and escalation use.

Also where the facts come from at filing: what the person stated, else the words, else the
customer's standing requirement (its record's `requires_8d`, domain/requirements.py)."""
from __future__ import annotations

from typing import Any

from domain.extraction import FactWords
from domain.policy import SEVERITIES, Policy

URGENCIES = ("normal", "urgent", "very_urgent")
# What the level comes from, with where each came from: recorded in the filing's audit event.
FACTS_OF_LEVEL = ("problem_severity", "urgency", "urgency_source", "wants_8d", "wants_8d_source")
_readers: dict[int, tuple[Policy, FactWords]] = {}


def level_of(kind: str, problem_severity: str, urgency: str, policy: Policy) -> str:
    """The stricter of the problem's severity and the urgency's level. Only complaints have levels
    above B (the other kinds' deadlines are their kind's): their level is their own grade."""
    if kind != "complaint":
        return problem_severity
    lifted = policy.urgency.levels.get(urgency, "B")
    return min(problem_severity, lifted, key=SEVERITIES.index)


def yes_or_no(value) -> bool | None:
    """A yes/no answer as a form or a button sends it (True, "yes", "no", ...); None when it is neither."""
    if isinstance(value, bool):
        return value
    return {"yes": True, "true": True, "no": False, "false": False}.get(str(value).strip().lower())


def settle_level(item, policy: Policy) -> str:
    """Set the item's level from its facts; returns it. An item filed before the facts existed
    (problem_severity None) keeps its level as its problem's grade."""
    if item.problem_severity is None:
        item.problem_severity = item.severity
    item.severity = level_of(item.kind, item.problem_severity, item.urgency or "normal", policy)
    return item.severity


def facts_reader(policy: Policy) -> FactWords:
    """The policy's words, compiled once per policy."""
    found = _readers.get(id(policy))
    if found is None or found[0] is not policy:
        found = (policy, FactWords(policy.urgency.words, policy.urgency.eight_d))
        _readers[id(policy)] = found
    return found[1]


def stated_customer_facts(chosen: dict[str, Any], text: str, policy: Policy) -> dict[str, Any]:
    """Urgency and the 8D request of a new item with their sources: stated by the reporter (the
    form, the DM's question), else read from the text; urgency is normal when nothing was said,
    the 8D request unknown (None). The customer's standing requirement comes at filing
    (`customer_requirement`), when the customer is known."""
    reader = facts_reader(policy)
    facts: dict[str, Any] = {"urgency": "normal", "urgency_source": None, "wants_8d": None, "wants_8d_source": None}
    if chosen.get("urgency") in URGENCIES:
        facts.update(urgency=chosen["urgency"], urgency_source="reporter")
    elif (said := reader.urgency(text)) is not None:
        facts.update(urgency=said, urgency_source="text")
    if chosen.get("wants_8d") is not None:
        facts.update(wants_8d=bool(chosen["wants_8d"]), wants_8d_source="reporter")
    elif (wants := reader.wants_8d(text)) is not None:
        facts.update(wants_8d=wants, wants_8d_source="text")
    return facts


def customer_requirement(item, needs) -> None:
    """A customer who asks for an 8D on every complaint (its record, domain/requirements.py) wants
    one here too, unless the reporter or the text already said whether they do."""
    if item.wants_8d is None and item.kind == "complaint" and needs.requires_8d:
        item.wants_8d, item.wants_8d_source = True, "customer"


# The classifier's reasons that speak of the customer's line. They were read from the words when the
# item came in; the line's state is a fact people correct, so these reasons are drawn from it instead.
LINE_RULES = ("line_stop", "imminent_stop", "line_about_to_stop")


def severity_reasons(item) -> list[dict[str, Any]]:
    """The reasons for the item's grade as its facts stand now: the stored ones, with the line's
    reason drawn from the current `line_state` — "customer's line stopped" only while it is stopped,
    "about to stop" for a threatened stop, none once corrected to running."""
    from domain.i18n import t

    kept = [r for r in item.reasons or () if r.get("rule") not in LINE_RULES]
    state = item.line_state
    if item.kind != "complaint" or state not in ("stopped", "about_to_stop"):
        return kept
    said = next((r for r in item.reasons or () if r.get("rule") == "line_stop" and state == "stopped"), None)
    rule = "line_stop" if state == "stopped" else "line_about_to_stop"
    line = said or {"field": "severity", "value": "AA", "rule": rule, "evidence": [],
                    "label_en": t(f"reason.line.{state}", "en"), "label_zh": t(f"reason.line.{state}", "zh")}
    return [line, *kept]
