"""The small form each lifecycle step opens, one table: which fields, of which kind, in what order.

Field names are the domain's (domain/lifecycle/table.py `requires`); a field the table requires is
required in the form too, so the form and the rules cannot disagree. `step_modal` is pure: the item's
view (its actions, departments) and the policy in, a modal out. `read_step` turns a submission back
into the fields `perform` takes; `step_errors` is the check that runs in the ack (no I/O).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot import action_ids as ids
from bot.views.common import clip, plain
from bot.views.forms import INPUT_LIMIT, _option, _select, _text_input
from domain.counts import count_error, read_count
from domain.i18n import MESSAGES, t
from domain.lifecycle.permissions import required_fields
from domain.lifecycle.table import (ACCEPTANCE_CHANNELS, CONTACT_CHANNELS, DOCUMENTS, REOPEN_TARGETS, ROOT_CAUSE_CATEGORIES,
                                    RULE_BY_ACTION)
from domain.lifecycle.approvals import NONE, REJECTED, action_standing, actions_to_approve
from domain.lifecycle.records import CLAIM_TYPES, DISPOSITIONS, INSPECTIONS, SHIPPED, candidates
from domain.lifecycle.view import ItemView
from domain.lifecycle.visits import VISIT_STEPS
from domain.money import amount_problem, shown as money
from domain.levels import URGENCIES
from domain.policy import SEVERITIES, Policy

PLACES = ("stock", "wip", "transit", "customer")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # count | text | long | lots | yes | date | when | user | users | choice | choices | department | action | step
    #            | severity | visit | amount | currency | return | claim
    options: tuple[str, ...] = ()  # choice/choices: values, labelled by `<label_prefix><value>`
    label_prefix: str = ""


REASON = Field("reason", "long")
ACTION_FIELDS = (Field("what", "long"), Field("owner", "user"), Field("due", "date"))
CONTAINMENT = (
    *(Field(f"{where}_{what}", "count") for where in PLACES for what in ("checked", "bad")),
    Field("sorting_method", "text"), Field("sorting_result", "text"), Field("countermeasure", "long"),
    Field("customer_informed", "yes"),
)
ROOT_CAUSE = (Field("category", "choice", ROOT_CAUSE_CATEGORIES, "rootcause."), Field("occurrence", "long"),
              Field("escape", "long"), Field("evidence", "long"))
PREVENTIVE = (*ACTION_FIELDS, Field("documents", "choices", DOCUMENTS, "doc."))

CLAIM = Field("claim_id", "claim")
RETURN = Field("return_id", "return")
NOTE = Field("note", "long")

FORMS: dict[str, tuple[Field, ...]] = {
    # returned goods and claims (domain/lifecycle/records.py)
    "record_return": (Field("quantity", "count"), Field("received_on", "date"), NOTE),
    "inspect_return": (RETURN, Field("inspection", "choice", INSPECTIONS, "inspection.")),
    "dispose_return": (RETURN, Field("disposition", "choice", DISPOSITIONS, "disposition.")),
    "ship_return": (RETURN, Field("shipped", "choice", SHIPPED, "shipped.")),
    "record_claim": (Field("claim_type", "choice", CLAIM_TYPES, "claim_type."), Field("amount", "amount"),
                     Field("currency", "currency"), Field("received_on", "date"), NOTE),
    "review_claim": (CLAIM,),
    "accept_claim": (CLAIM,),
    "partially_accept_claim": (CLAIM, Field("accepted_amount", "amount"), REASON),
    "reject_claim": (CLAIM, REASON),
    "send_back_claim": (REASON,),  # from the approver's DM: its button names the claim
    "pay_claim": (CLAIM, Field("paid_on", "date")),
    "record_containment": CONTAINMENT,
    "amend_containment": CONTAINMENT,
    "record_root_cause": ROOT_CAUSE,
    "amend_root_cause": ROOT_CAUSE,
    "add_corrective_action": ACTION_FIELDS,
    "add_more_corrective": ACTION_FIELDS,
    "add_preventive_action": PREVENTIVE,
    "add_more_preventive": PREVENTIVE,
    "mark_action_done": (Field("action_id", "action"),),
    "mark_action_verified": (Field("action_id", "action"),),
    "record_verification": (Field("evidence", "long"), Field("clean_lots", "lots")),
    "record_first_contact": (Field("contacted_by", "user"), Field("contacted_at", "when"),
                             Field("how", "choice", CONTACT_CHANNELS, "contact."), Field("note", "long")),
    "record_customer_reply": (Field("reply", "long"), Field("how", "choice", CONTACT_CHANNELS, "contact."),
                              Field("replied_at", "when")),
    "edit_action": (Field("action_id", "action"), *ACTION_FIELDS),
    "record_customer_acceptance": (Field("accepted_by", "text"), Field("accepted_on", "date"),
                                   Field("how", "choice", ACCEPTANCE_CHANNELS, "acceptance.")),
    "send_back": (REASON,),
    "reject_8d": (REASON,),
    "reject_action": (REASON,),  # which action: the approval DM's button names it
    "submit_action": (Field("action_id", "action"), *ACTION_FIELDS),  # re-worked: what / owner / due may change
    "not_ours": (REASON,),
    "wait_on_customer": (REASON,),
    "withdraw": (REASON,),
    "reassign": (Field("department", "department"), Field("owner", "user")),
    "add_department": (Field("department", "department"),),
    "change_severity": (Field("severity", "severity"), REASON),
    "set_urgency": (Field("urgency", "choice", URGENCIES, "urgency.choice."), REASON),
    "set_wants_8d": (Field("wants_8d", "choice", ("yes", "no"), "wants_8d.choice."), REASON),
    "reopen": (Field("to_step", "step"), REASON),
    "answer": (Field("answer", "long"),),
    # field service (domain/lifecycle/visits.py): which visit is offered by the state the step starts from
    "request_visit": (Field("engineers", "users"), Field("site", "text"), Field("province", "text")),
    "record_visit_arrival": (Field("visit_id", "visit"), Field("arrived_at", "when")),
    "record_visit_return": (Field("visit_id", "visit"), Field("returned_at", "when"), Field("findings", "long")),
    "record_visit_signoff": (Field("visit_id", "visit"), Field("signed_by", "text"), Field("signed_on", "date"),
                             Field("findings", "long")),
}
LOTS_SPLIT = re.compile(r"[,，;；、\s]+")
TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")
TIME_SUFFIX = "_time"  # a `when` field is two blocks: <name> (the date) and <name>_time (HH:MM, company time)


def needs_form(action: str) -> bool:
    return action in FORMS


def _required(action: str, field: Field) -> bool:
    return field.name in RULE_BY_ACTION[action].requires and field.kind != "yes"  # unticked is an answer too


def _shown(action: str, field: Field, item: ItemView, policy: Policy) -> bool:
    """Lot numbers are asked only of the categories whose closure counts clean lots."""
    return field.kind != "lots" or field.name in required_fields(RULE_BY_ACTION[action], item, policy)


def _records_to_pick(action: str, item: ItemView, policy: Policy, lang: str) -> list[tuple[str, str]]:
    """The returns or claims this step may concern now (domain/lifecycle/records.py decides which)."""
    out = []
    for r in candidates(item, action, policy):
        if hasattr(r, "quantity"):
            out.append((str(r.id), clip(f"RMA-{r.id} · {r.quantity:,} · {r.received_on.isoformat()}", 75)))
        else:
            out.append((str(r.id), clip(f"#{r.id} · {t(f'claim_type.{r.type}', lang)} · {money(r.amount, r.currency)}", 75)))
    return out


def _label(action: str, field: Field, lang: str) -> str:
    if field.kind == "count" and field.name == "quantity":
        return t("step.field.quantity", lang)
    if field.kind == "count":
        where, what = field.name.rsplit("_", 1)
        return t(f"containment.{what}", lang, where=t(f"containment.where.{where}", lang))
    for key in (f"step.field.{action}.{field.name}", f"step.field.{field.name}"):
        if key in MESSAGES:
            return t(key, lang)
    return t(f"containment.{field.name}", lang)


def _actions_to_mark(action: str, item: ItemView) -> list[tuple[str, str]]:
    """mark done, edit: actions not done yet; mark verified: done, not verified yet."""
    chosen = [a for a in item.actions if (a.done_at is None if action in ("mark_action_done", "edit_action")
                                          else a.done_at is not None and a.verified_at is None)]
    return [(str(a.id), clip(f"{a.type[0].upper()}{a.id} · {a.what}", 75)) for a in chosen]


def _actions_to_resubmit(item: ItemView, policy: Policy) -> list[tuple[str, str]]:
    """Actions of the approval chain not submitted yet or sent back."""
    chosen = [a for a in actions_to_approve(item, policy) if action_standing(item, a.id, policy).state in (NONE, REJECTED)]
    return [(str(a.id), clip(f"{a.type[0].upper()}{a.id} · {a.what}", 75)) for a in chosen]


def _visits_for(action: str, item: ItemView, lang: str) -> list[tuple[str, str]]:
    """The item's visits where this step starts (arrival: requested ones; return: on site; sign-off: returned)."""
    needed = VISIT_STEPS[action][0]
    return [(str(v.id), clip(f"{n}. {v.site}", 75)) for n, v in enumerate(item.visits, 1) if v.state == needed]


def _block(action: str, field: Field, item: ItemView, policy: Policy, lang: str, now: datetime | None = None) -> list[dict]:
    if field.kind == "when":  # a date and a time of day, today and now (company time) unless changed
        local = now.astimezone(policy.tz) if now else None
        day = {"type": "input", "block_id": field.name, "optional": not _required(action, field),
               "label": plain(_label(action, field, lang)), "element": {"type": "datepicker", "action_id": field.name}}
        if local:
            day["element"]["initial_date"] = local.date().isoformat()
        clock = _text_input(field.name + TIME_SUFFIX, t(f"step.field.{field.name}{TIME_SUFFIX}", lang),
                            local.strftime("%H:%M") if local else None, optional=True, max_length=5)
        return [day, clock]
    return [_one_block(action, field, item, policy, lang)]


def _one_block(action: str, field: Field, item: ItemView, policy: Policy, lang: str) -> dict:
    label, optional = _label(action, field, lang), not _required(action, field)
    k = field.kind
    if k in ("text", "count", "lots", "long", "amount"):
        limit = {"count": 9, "text": 500, "lots": 500, "amount": 20}.get(k, INPUT_LIMIT)
        hint = t("step.hint.lots", lang) if k == "lots" else None
        initial = policy.province_of(item.customer) if field.name == "province" else None  # the customer's site, policy
        return _text_input(field.name, label, initial, multiline=k == "long", optional=optional, max_length=limit, hint=hint)
    if k == "yes":
        option = _option(label, "yes")
        return {"type": "input", "block_id": field.name, "optional": True, "label": plain(label),
                "element": {"type": "checkboxes", "action_id": field.name, "options": [option]}}
    if k == "date":
        return {"type": "input", "block_id": field.name, "optional": optional, "label": plain(label),
                "element": {"type": "datepicker", "action_id": field.name}}
    if k == "user":
        return {"type": "input", "block_id": field.name, "optional": optional, "label": plain(label),
                "element": {"type": "users_select", "action_id": field.name}}
    if k == "users":
        return {"type": "input", "block_id": field.name, "optional": optional, "label": plain(label),
                "element": {"type": "multi_users_select", "action_id": field.name, "max_selected_items": 10}}
    if k == "choices":
        return {"type": "input", "block_id": field.name, "optional": optional, "label": plain(label),
                "element": {"type": "checkboxes", "action_id": field.name,
                            "options": [_option(t(field.label_prefix + v, lang), v) for v in field.options]}}
    options = {
        "choice": lambda: [(v, t(field.label_prefix + v, lang)) for v in field.options],
        "department": lambda: [(key, d.name.get(lang)) for key, d in policy.departments.items()
                               if not (action == "add_department" and key in item.departments)],
        "severity": lambda: [(s, t(f"severity.{s}", lang)) for s in SEVERITIES],
        "step": lambda: [(s.value, t(f"status.{s.value}", lang)) for s in REOPEN_TARGETS],
        "action": lambda: _actions_to_resubmit(item, policy) if action == "submit_action" else _actions_to_mark(action, item),
        "visit": lambda: _visits_for(action, item, lang),
        "return": lambda: _records_to_pick(action, item, policy, lang),
        "claim": lambda: _records_to_pick(action, item, policy, lang),
        "currency": lambda: [(c, c) for c in policy.approvals.claims.above],
    }[k]()
    # change_severity grades the problem: it starts from the problem's grade, not the level; one visit is the one
    initial = (item.problem_severity or item.severity) if k == "severity" else None
    if k == "visit" and len(options) == 1:
        initial = options[0][0]
    return _select(field.name, label, options, initial, optional=optional)


def step_modal(action: str, item: ItemView, policy: Policy, lang: str, metadata: dict, now: datetime | None = None) -> dict:
    """The form for `action` on `item`; `metadata` travels back with the submission. `now` fills in a
    `when` field (the contact happened now, unless the person says otherwise)."""
    blocks = [b for f in FORMS[action] if _shown(action, f, item, policy) for b in _block(action, f, item, policy, lang, now)]
    blocks = [b for b in blocks if b["element"].get("type") not in ("static_select",) or b["element"]["options"]]
    return {
        "type": "modal", "callback_id": ids.STEP_MODAL,
        "title": plain(t(f"action.{action}", lang), 24),
        "submit": plain(t("modal.save", lang), 24), "close": plain(t("modal.close", lang), 24),
        "private_metadata": json.dumps({**metadata, "action": action, "version": item.version}),
        "blocks": blocks,
    }


def step_errors(action: str, values: dict[str, Any], lang: str) -> dict[str, str]:
    """What the ack can say without the database: a count that is not a number, a required field left empty."""
    errors = {}
    for f in FORMS.get(action, ()):
        if f.name not in values:  # not on this form (lot numbers of a delivery complaint)
            continue
        value = values.get(f.name)
        if f.kind == "count" and (problem := count_error(value, lang)):
            errors[f.name] = problem
        elif f.kind == "users" and _required(action, f) and not value:
            errors[f.name] = t("error.required", lang)
        elif f.kind == "amount" and (value or "").strip() and (problem := amount_problem(value)):
            errors[f.name] = t(problem, lang)
        elif f.kind in ("text", "long", "lots") and _required(action, f) and not (value or "").strip():
            errors[f.name] = t("error.required", lang)
        elif f.kind in ("date", "when") and value and not _is_date(value):
            errors[f.name] = t("error.not_a_date", lang)
        elif f.kind == "when" and _required(action, f) and not value:
            errors[f.name] = t("error.required", lang)
        elif f.kind == "when" and (values.get(f.name + TIME_SUFFIX) or "").strip() \
                and not TIME.match(values[f.name + TIME_SUFFIX].strip()):
            errors[f.name + TIME_SUFFIX] = t("error.not_a_time", lang)
    return errors


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def read_step(action: str, values: dict[str, Any], tz: ZoneInfo | None = None) -> dict[str, Any]:
    """The submitted form as the fields `perform` takes (empty optional fields left out). A `when`
    field's date and time are the company's (`tz`), handed on as UTC."""
    fields: dict[str, Any] = {}
    for f in FORMS.get(action, ()):
        value = values.get(f.name)
        if f.kind == "when" and value:
            match = TIME.match((values.get(f.name + TIME_SUFFIX) or "").strip())
            clock = time(int(match[1]), int(match[2])) if match else time()
            local = datetime.combine(date.fromisoformat(value), clock, tz or ZoneInfo("UTC"))
            fields[f.name] = local.astimezone(ZoneInfo("UTC")).isoformat()
        elif f.kind == "yes":
            fields[f.name] = "yes" in (value or [])
        elif value in (None, "", []):
            continue
        elif f.kind == "count":
            fields[f.name] = read_count(value)
        elif f.kind == "lots":
            fields[f.name] = [x for x in LOTS_SPLIT.split(value) if x]
        elif f.kind == "date":
            fields[f.name] = date.fromisoformat(value).isoformat()
        else:
            fields[f.name] = value
    return fields
