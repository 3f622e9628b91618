"""Modals: the feedback form (new item or draft) and the change-classification form."""
from __future__ import annotations

import json
from typing import Any

from bot import action_ids as ids
from bot.views.common import clip, escape, md, plain
from domain.extraction import LINE_STATES
from domain.text import clean
from domain.i18n import t
from domain.policy import CATEGORIES, KINDS, SEVERITIES, Policy

INPUT_LIMIT = 3000


def _option(text: str, value: str) -> dict:
    return {"text": plain(text), "value": value}


def _select(block_id: str, label: str, options: list[tuple[str, str]], initial: str | None, optional: bool = True) -> dict:
    opts = [_option(text, value) for value, text in options]
    element: dict[str, Any] = {"type": "static_select", "action_id": block_id, "options": opts}
    chosen = next((o for o in opts if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return {"type": "input", "block_id": block_id, "optional": optional, "label": plain(label), "element": element}


def _text_input(block_id: str, label: str, initial: str | None, *, multiline: bool = False, optional: bool = True,
                hint: str | None = None, max_length: int = INPUT_LIMIT) -> dict:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": block_id, "multiline": multiline,
                               "max_length": max_length}
    if initial:
        element["initial_value"] = clip(initial, max_length)
    if hint:
        element["placeholder"] = plain(hint, 150)
    return {"type": "input", "block_id": block_id, "optional": optional, "label": plain(label), "element": element}


def classification_blocks(policy: Policy, lang: str, values: dict, with_department: bool) -> list[dict]:
    blocks = [
        _select(ids.B_KIND, t("field.kind", lang), [(k, t(f"kind.{k}", lang)) for k in KINDS], values.get("kind")),
        _select(ids.B_CATEGORY, t("field.category", lang), [(c, t(f"category.{c}", lang)) for c in CATEGORIES], values.get("category")),
        _select(ids.B_SEVERITY, t("field.severity", lang), [(s, t(f"severity.{s}", lang)) for s in SEVERITIES], values.get("severity")),
    ]
    if with_department:
        blocks.append(_select(ids.B_DEPARTMENT, t("field.department", lang),
                              [(key, d.name.get(lang)) for key, d in policy.departments.items()], values.get("department")))
    return blocks


LIST_LIMIT = 300


def _editable_or_shown(block_id: str, label: str, initial: str, limit: int, lang: str, **kwargs) -> dict:
    """A field Slack lets us edit only up to `limit` characters: longer, it is shown (its beginning)
    and left out of the form, so saving keeps the stored value whole instead of cutting it."""
    if len(initial) <= limit:
        return _text_input(block_id, label, initial or None, max_length=limit, **kwargs)
    return {"type": "section", "block_id": f"{block_id}_shown",
            "text": {"type": "mrkdwn", "text": clip(md("modal.too_long", lang, field=label, count=len(initial))
                                                    + "\n>" + escape(clip(initial, 1500)).replace("\n", "\n>"), 2900)}}


def fact_blocks(lang: str, prefill: dict) -> list[dict]:
    """The facts of an item as form fields: customer, text, parts, lots, quantity, line stop."""
    # The line's state, not a yes/no: a threatened stop is not a stop (left empty: not said).
    line = _select(ids.B_LINE, t("field.line_state", lang),
                   [(s, t(f"line_state.choice.{s}", lang)) for s in LINE_STATES], prefill.get("line_state"))
    return [
        _text_input(ids.B_CUSTOMER, t("field.customer", lang), prefill.get("customer"), optional=False,
                    hint=t("modal.customer_hint", lang), max_length=200),
        _editable_or_shown(ids.B_TEXT, t("field.text", lang), prefill.get("text") or "", INPUT_LIMIT, lang,
                           multiline=True, optional=False, hint=t("modal.text_hint", lang)),
        _editable_or_shown(ids.B_PARTS, t("field.part_numbers", lang), ", ".join(prefill.get("part_numbers") or []),
                           LIST_LIMIT, lang),
        _editable_or_shown(ids.B_LOTS, t("field.lot_numbers", lang), ", ".join(prefill.get("lot_numbers") or []),
                           LIST_LIMIT, lang),
        _text_input(ids.B_QTY, t("field.quantity", lang), str(prefill["quantity"]) if prefill.get("quantity") is not None else None, max_length=20),
        line,
    ]


def urgency_block(lang: str, initial: str | None) -> dict:
    """The customer's urgency (seed 001 §4.2b): the level is the stricter of it and the problem's severity."""
    block = _select(ids.B_URGENCY, t("field.urgency", lang),
                    [(u, t(f"urgency.choice.{u}", lang)) for u in ("normal", "urgent", "very_urgent")], initial)
    block["hint"] = plain(t("field.urgency_hint", lang), 150)
    return block


def _modal(callback_id: str, title: str, submit: str, lang: str, metadata: dict, blocks: list[dict]) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(t(title, lang), 24),
        "submit": plain(t(submit, lang), 24),
        "close": plain(t("modal.close", lang), 24),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def feedback_modal(policy: Policy, lang: str, prefill: dict, metadata: dict) -> dict:
    """The form: `prefill` may hold customer, text, part/lot/quantity, line_state and proposed values."""
    blocks = [*fact_blocks(lang, prefill), *classification_blocks(policy, lang, prefill, with_department=False),
              urgency_block(lang, prefill.get("urgency"))]
    return _modal(ids.FEEDBACK_MODAL, "modal.title", "modal.submit", lang, metadata, blocks)


def draft_prefill(card) -> dict:
    """A draft's values as the feedback form shows them (a proposal's "Edit…", in Slack and Teams)."""
    item = card.item
    return {"customer": card.customer_name, "text": item.text, "kind": item.kind, "category": item.category,
            "severity": item.problem_severity or item.severity, "part_numbers": item.part_numbers,
            "urgency": item.urgency if item.urgency_source else None, "lot_numbers": item.lot_numbers,
            "quantity": item.quantity, "line_state": item.line_state}


def reclassify_modal(policy: Policy, lang: str, values: dict, metadata: dict) -> dict:
    """Kind, category, severity, department, and the reason a severity or department change needs
    (the rule table's change_severity / reassign decide who may, domain/corrections.py)."""
    blocks = [*classification_blocks(policy, lang, values, with_department=True),
              _text_input(ids.B_REASON, t("modal.reason", lang), None, multiline=True, max_length=1000)]
    return _modal(ids.RECLASSIFY_MODAL, "modal.reclassify_title", "modal.save", lang, metadata, blocks)


def correct_modal(lang: str, prefill: dict, metadata: dict) -> dict:
    return _modal(ids.CORRECT_MODAL, "modal.correct_title", "modal.save", lang, metadata, fact_blocks(lang, prefill))


def read_state(view: dict) -> dict[str, Any]:
    """Flatten a submitted view's state into {block_id: value}."""
    out: dict[str, Any] = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        for action in actions.values():
            kind = action.get("type")
            if kind == "plain_text_input":
                out[block_id] = clean(action.get("value") or "").strip()  # Slack does not encode form values
            elif kind == "static_select":
                out[block_id] = (action.get("selected_option") or {}).get("value")
            elif kind == "checkboxes":
                out[block_id] = [o["value"] for o in action.get("selected_options") or []]
            elif kind == "datepicker":
                out[block_id] = action.get("selected_date")
            elif kind == "users_select":
                out[block_id] = action.get("selected_user")
            elif kind == "multi_users_select":
                out[block_id] = list(action.get("selected_users") or [])
    return out
