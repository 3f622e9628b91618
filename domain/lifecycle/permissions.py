"""Who may do what to an item now, and what each action needs: `decide`, one pure function.

The buttons, the commands, the shell and the tests all ask it; `perform` asks it again before it
writes anything. A refusal carries a message code and its params (domain/i18n.py has both languages).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from domain.lifecycle import approvals, records, visits
from domain.lifecycle.gate import closure_missing, needs_qm_approval
from domain.lifecycle.table import (ACCEPTANCE_CHANNELS, CONTACT_CHANNELS, DOCUMENTS, FIELD_NEEDED_BY, NAMED, PREVIOUS,
                                    REOPEN_TARGETS, ROOT_CAUSE_CATEGORIES, RULE_BY_ACTION, RULES, Rule, Status)
from domain.lifecycle.view import ItemView, as_utc
from domain.levels import URGENCIES, level_of, yes_or_no
from domain.policy import SEVERITIES, Policy
from domain.roles import Roles, is_manager_of


@dataclass(frozen=True)
class Refusal:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    action: str
    requires: tuple[str, ...]
    to: Status | None  # where the item goes if it is done now (None: it stays)
    refusal: Refusal | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None


def roles_on(item: ItemView, roles: Roles, policy: Policy) -> set[str]:
    """The table's `who` names this person holds on this item."""
    held = {"anyone"}
    if policy.closure.verified_by in roles.departments or roles.quality_manager or roles.admin:
        held.add("verifier")
    if any(a.owner == roles.user and a.done_at is None for a in item.actions):
        held.add("action_owner")
    if roles.departments & set(item.departments):
        held.add("dept_member")
    if "dept_member" in held or roles.quality_manager or roles.admin:
        held.add("dept")
    if is_manager_of(roles, item.department):
        held.add("manager")
    if roles.quality_manager:
        held.add("qm")
    if roles.admin:
        held.add("admin")
    if visits.engineer_of(item, roles.user):
        held.add("visit_engineer")
    if roles.user == item.reporter:
        held.add("reported")
    if "reported" in held or roles.sales:
        held.add("reporter")
    return held


def _target(rule: Rule, item: ItemView, named: str | None = None) -> Status | None:
    if rule.to == PREVIOUS:
        return item.status_before_waiting
    if rule.to == NAMED:
        return Status(named) if named in set(Status) else None
    return rule.to


def _guard(rule: Rule, item: ItemView, policy: Policy, held: set[str], now: datetime | None) -> Refusal | None:
    """What the table alone cannot say: conditions on the recorded steps."""
    a = rule.action
    if a in ("request_closure", "customer_told") and item.closure_requested:
        return Refusal("refusal.awaiting_approval")
    if a == "withdraw" and "manager" not in held and now is not None and item.filed_at is not None \
            and now - item.filed_at > timedelta(minutes=policy.intake.undo_minutes):
        # the reporter's own undo lasts the undo window; after it only a manager withdraws
        return Refusal("refusal.undo_window", {"minutes": policy.intake.undo_minutes})
    if a == "request_closure":
        missing = closure_missing(item, policy)
        if missing:
            return Refusal("refusal.closure_gate", {"missing": missing})
    if a in ("approve_closure", "send_back") and not item.closure_requested:
        return Refusal("refusal.no_closure_request")
    if a == "approve_closure" and item.status != Status.not_ours:  # not ours: nothing of ours to check
        missing = closure_missing(item, policy)
        if missing:
            return Refusal("refusal.closure_gate", {"missing": missing})
    if a == "record_verification" and not any(x.type == "corrective" and x.done_at for x in item.actions):
        return Refusal("refusal.corrective_not_done")
    if a in ("mark_action_done", "mark_action_verified") and not item.actions:
        return Refusal("refusal.no_actions")
    if a == "resume" and item.status_before_waiting is None:
        return Refusal("refusal.not_in_state", {"action": a, "status": item.status.value})
    return None


def _decide_one(rule: Rule, item: ItemView, roles: Roles, held: set[str], policy: Policy, stale: bool,
                now: datetime | None) -> Decision:
    to = None if rule.to is None else _target(rule, item)
    if rule.action in ("request_closure", "customer_told") and needs_qm_approval(item, policy):
        to = None  # it waits for the quality manager
    if item.kind not in rule.kinds:
        return Decision(rule.action, rule.requires, to, Refusal("refusal.wrong_kind", {"action": rule.action, "kind": item.kind}))
    if item.status not in rule.from_states:
        code = "refusal.stale" if stale else "refusal.not_in_state"
        return Decision(rule.action, rule.requires, to, Refusal(code, {"action": rule.action, "status": item.status.value}))
    if not held & set(rule.who):
        code = "refusal.wrong_role" if roles.has_any or held != {"anyone"} else "refusal.no_role"
        if roles.unknown:  # the role may be in a user group Slack cannot tell us about now: refuse, do not guess
            code = "refusal.membership_unknown"
        return Decision(rule.action, rule.requires, to, Refusal(code, {"action": rule.action, "who": rule.who}))
    approval = approvals.guard(rule.action, item, roles, policy) or records.guard(rule.action, item, roles, policy)
    return Decision(rule.action, rule.requires, to, _guard(rule, item, policy, held, now) or (approval and Refusal(*approval)))


def decide(item: ItemView, roles: Roles, policy: Policy, seen_version: int | None = None,
           now: datetime | None = None) -> dict[str, Decision]:
    """Every action of the table, open or refused (with why), for this person on this item now.

    `seen_version` is the item version the person's button was rendered from: when the item has
    changed since, an action no longer open is refused as stale (someone else got there first).
    `now` decides what depends on time (the reporter's undo window); without it (drawing buttons)
    such an action is offered and `perform`, which always passes it, decides.
    """
    held = roles_on(item, roles, policy) | approvals.approver_roles(item, roles, policy)
    stale = seen_version is not None and seen_version != item.version
    return {r.action: _decide_one(r, item, roles, held, policy, stale, now) for r in RULES}


def open_actions(item: ItemView, roles: Roles, policy: Policy) -> list[str]:
    return [a for a, d in decide(item, roles, policy).items() if d.allowed]


def required_fields(rule: Rule, item: ItemView, policy: Policy) -> tuple[str, ...]:
    """The fields the table requires, less those this complaint's category does not need (lots and
    updated documents are asked of a category only where its closure criteria name them)."""
    criteria = policy.closure.criteria_for(item.category)
    return tuple(f for f in rule.requires if f not in FIELD_NEEDED_BY or FIELD_NEEDED_BY[f] in criteria)


def check(item: ItemView, roles: Roles, policy: Policy, action: str, fields: dict[str, Any] | None = None,
          seen_version: int | None = None, now: datetime | None = None) -> Decision:
    """`decide` for one action, plus the fields it needs: present and valid. Dates are checked against
    the item's receipt and, when `now` is given, against now (nothing recorded happened in the future)."""
    rule = RULE_BY_ACTION.get(action)
    if rule is None:
        return Decision(action, (), None, Refusal("refusal.unknown_action", {"action": action}))
    decision = decide(item, roles, policy, seen_version, now)[action]
    if not decision.allowed:
        return decision
    fields = fields or {}
    for name in required_fields(rule, item, policy):
        value = fields.get(name)
        if value is None or (isinstance(value, (str, list, tuple)) and not (value.strip() if isinstance(value, str) else value)):
            return Decision(action, rule.requires, decision.to, Refusal("refusal.missing_field", {"field": name}))
    bad = _invalid_field(action, item, policy, fields)
    if bad:
        return Decision(action, rule.requires, decision.to, Refusal("refusal.invalid_field", {"field": bad}))
    refusal = _out_of_range(action, item, policy, fields, now) or _not_theirs(action, item, roles, policy, fields) \
        or _unchanged(action, item, fields) or _visit_refusal(action, item, fields, now, policy)
    if refusal:
        return Decision(action, rule.requires, decision.to, refusal)
    approval = approvals.field_refusal(action, item, roles, policy, fields) \
        or records.field_refusal(action, item, roles, policy, fields, now)
    if approval:
        return Decision(action, rule.requires, decision.to, Refusal(*approval))
    if action == "set_urgency" and _lowers_level(item, fields["urgency"], policy) and "manager" not in roles_on(item, roles, policy):
        return Decision(action, rule.requires, decision.to, Refusal("refusal.lowers_level", {"who": ("manager",)}))
    if action == "set_wants_8d" and item.wants_8d and yes_or_no(fields["wants_8d"]) is False \
            and "manager" not in roles_on(item, roles, policy):
        # dropping the customer's 8D request drops its clock, its approval and a closure condition
        return Decision(action, rule.requires, decision.to, Refusal("refusal.drops_8d", {"who": ("manager",)}))
    if rule.to == NAMED:
        return Decision(action, rule.requires, _target(rule, item, fields["to_step"]))
    return decision


def _visit_refusal(action: str, item: ItemView, fields: dict[str, Any], now: datetime | None, policy: Policy) -> Refusal | None:
    """A visit step must find its visit where the step starts (visits.VISIT_STEPS), in time order."""
    if action not in visits.VISIT_STEPS:
        return None
    found = visits.guard(action, item, fields, now, policy.tz)
    return Refusal(*found) if found else None


def _lowers_level(item: ItemView, urgency: str, policy: Policy) -> bool:
    """A lower urgency that lowers the level is a change of level: a manager's, as change_severity is."""
    new = level_of(item.kind, item.problem_severity or item.severity, urgency, policy)
    return SEVERITIES.index(new) > SEVERITIES.index(item.severity)


def _invalid_field(action: str, item: ItemView, policy: Policy, f: dict[str, Any]) -> str | None:
    if "category" in f and action.endswith("root_cause") and f["category"] not in ROOT_CAUSE_CATEGORIES:
        return "category"
    if "documents" in f and (not set(f["documents"]) <= set(DOCUMENTS)):
        return "documents"
    if "how" in f and f["how"] not in (ACCEPTANCE_CHANNELS if action == "record_customer_acceptance" else CONTACT_CHANNELS):
        return "how"
    if "department" in f and (f["department"] not in policy.departments
                              or (action == "add_department" and f["department"] in item.departments)):
        return "department"
    if "severity" in f and f["severity"] not in SEVERITIES:
        return "severity"
    if "urgency" in f and f["urgency"] not in URGENCIES:
        return "urgency"
    if "wants_8d" in f and yes_or_no(f["wants_8d"]) is None:
        return "wants_8d"
    if "to_step" in f:
        targets = REOPEN_TARGETS if item.kind == "complaint" else (Status.received,)
        if f["to_step"] not in {s.value for s in targets}:
            return "to_step"
    if "action_id" in f:
        found = item.action(int(f["action_id"]))
        # a done action is not rewritten (it would change what was verified), re-worked after a rejection or not
        rewrites = action == "edit_action" or (action == "submit_action" and action_edits(item, f))
        if found is None or ((action == "mark_action_done" or rewrites) and found.done_at is not None) \
                or (action == "mark_action_verified" and (found.done_at is None or found.verified_at is not None)):
            return "action_id"
    if "clean_lots" in f and not all(isinstance(x, str) and x.strip() for x in f["clean_lots"]):
        return "clean_lots"
    if action == "snooze" and f.get("choice") not in policy.escalation.snooze:
        return "choice"
    return None


DUE_FIELDS = ("due",)  # a plan: from the day it was received to policy closure.action_due_max_days after
PAST_DATES = ("accepted_on", "signed_on")  # happened: from the day it was received to today
PAST_TIMES = ("contacted_at", "replied_at", "arrived_at", "returned_at")  # happened: from the moment it was received to now


def _out_of_range(action: str, item: ItemView, policy: Policy, f: dict[str, Any], now: datetime | None) -> Refusal | None:
    """A date the record cannot hold: an action due before the complaint came in or absurdly far
    ahead, an acceptance or a contact before receipt or in the future. Days are the company's."""
    tz = policy.tz
    received = as_utc(item.received_at)
    for name in (n for n in f if n in DUE_FIELDS + PAST_DATES + PAST_TIMES and f[n] not in (None, "")):
        try:
            value = _parse(f[name])
        except (TypeError, ValueError):
            return Refusal("refusal.invalid_field", {"field": name})
        if name in PAST_TIMES:
            low, high = received, as_utc(now)
            moment = as_utc(value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time(), tz))
            shown = lambda x: x.astimezone(tz).strftime("%Y-%m-%d %H:%M")  # noqa: E731
            if (low and moment < low) or (high and moment > high):
                return Refusal("refusal.date_out_of_range", {"field": name, "earliest": shown(low) if low else "—",
                                                              "latest": shown(high) if high else "—"})
            continue
        day = value.astimezone(tz).date() if isinstance(value, datetime) else value
        low = received.astimezone(tz).date() if received else None
        if name in DUE_FIELDS:
            high = low + timedelta(days=policy.closure.action_due_max_days) if low else None
        else:
            high = as_utc(now).astimezone(tz).date() if now else None
        if (low and day < low) or (high and day > high):
            return Refusal("refusal.date_out_of_range", {"field": name, "earliest": low.isoformat() if low else "—",
                                                          "latest": high.isoformat() if high else "—"})
    return None


def _parse(value: Any) -> date | datetime:
    if isinstance(value, (date, datetime)):
        return value
    text = str(value)
    return datetime.fromisoformat(text) if "T" in text or " " in text else date.fromisoformat(text)


def _not_theirs(action: str, item: ItemView, roles: Roles, policy: Policy, f: dict[str, Any]) -> Refusal | None:
    """Owning an action lets a person outside the department mark that action done, not another one."""
    if action != "mark_action_done" or "dept" in roles_on(item, roles, policy):
        return None
    found = item.action(int(f["action_id"]))
    if found is None or found.owner != roles.user:
        return Refusal("refusal.wrong_role", {"action": action, "who": RULE_BY_ACTION[action].who})
    return None


def _unchanged(action: str, item: ItemView, f: dict[str, Any]) -> Refusal | None:
    """Editing an action records only what changed; an edit that changes nothing is said, not stored."""
    if action != "edit_action":
        return None
    return None if action_edits(item, f) else Refusal("refusal.nothing_changed")


def action_edits(item: ItemView, f: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """{field: (before, after)} of an edit_action: only the fields given that differ (due as a date)."""
    found = item.action(int(f["action_id"]))
    if found is None:
        return {}
    before = {"what": found.what, "owner": found.owner, "due": found.due.date().isoformat() if found.due else None}
    after = {k: (str(f[k]).strip() if k == "what" else _parse(f[k]).isoformat()[:10] if k == "due" else f[k])
             for k in ("what", "owner", "due") if f.get(k) not in (None, "")}
    return {k: (before[k], v) for k, v in after.items() if v != before[k]}
