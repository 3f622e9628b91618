"""A Slack modal (bot/views/forms.py, data) as an Adaptive Card form for a Teams dialog (task
module): one translation for every form, field by field, so the Teams form has the same fields,
labels, choices and limits as Slack's.

- an input with a `plain_text_input` → `Input.Text` (multiline, max length, placeholder, its value);
- an input with a `static_select` → `Input.ChoiceSet` (compact), its options as choices;
- a field's hint → a small subtle line under it; a section (a field too long to edit) → its text;
- the modal's submit → `Action.Submit`, whose data carries the form's name and its private metadata
  (Teams sends the inputs back keyed by their ids — the Slack block ids — merged with that data).

`errors` (block id → message, as Slack's `response_action: errors`) are shown under their fields
in red, the values the person entered kept.
"""
from __future__ import annotations

import json
from typing import Any

from bot.teams.cards import VERSION, Card
from domain.text import clean

FORM = "voc_form"  # the submit data's key naming the form (its Slack callback id)
META = "voc_meta"  # the modal's private metadata, carried through the dialog


def form_card(modal: dict, values: dict | None = None, errors: dict[str, str] | None = None) -> dict:
    values, errors = values or {}, errors or {}
    body: list[dict] = []
    for block in modal.get("blocks", []):
        if block.get("type") == "section":
            body.append({"type": "TextBlock", "text": Card().markdown(block["text"]["text"]), "wrap": True})
            continue
        if block.get("type") != "input":
            continue
        field = _input(block, values.get(block["block_id"]))
        if field is None:
            continue
        body.append(field)
        if block.get("hint"):
            body.append({"type": "TextBlock", "text": block["hint"]["text"], "size": "Small", "isSubtle": True,
                         "wrap": True, "spacing": "None"})
        if block["block_id"] in errors:
            body.append({"type": "TextBlock", "text": errors[block["block_id"]], "color": "Attention", "wrap": True,
                         "spacing": "None"})
    submit = {"type": "Action.Submit", "title": modal["submit"]["text"],
              "data": {FORM: modal.get("callback_id"), META: modal.get("private_metadata") or "{}"}}
    return {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "version": VERSION,
            "body": body, "actions": [submit]}


def _input(block: dict, entered: Any) -> dict | None:
    element, block_id = block["element"], block["block_id"]
    common = {"id": block_id, "label": block["label"]["text"], "isRequired": not block.get("optional", False)}
    if element["type"] == "plain_text_input":
        field = {"type": "Input.Text", **common, "isMultiline": bool(element.get("multiline")),
                 "maxLength": element.get("max_length")}
        if element.get("placeholder"):
            field["placeholder"] = element["placeholder"]["text"]
        value = entered if entered is not None else element.get("initial_value")
        if value:
            field["value"] = value
        return field
    if element["type"] == "static_select":
        field = {"type": "Input.ChoiceSet", **common, "style": "compact",
                 "choices": [{"title": o["text"]["text"], "value": o["value"]} for o in element.get("options", [])]}
        value = entered if entered is not None else (element.get("initial_option") or {}).get("value")
        if value:
            field["value"] = value
        return field
    return None


def read_form(data: Any, modal: dict) -> tuple[dict[str, Any], dict]:
    """The submitted values as Slack's `read_state` gives them ({block id: value}, text cleaned and
    stripped, an empty choice None) and the form's metadata; only the form's own fields are read."""
    data = data if isinstance(data, dict) else {}
    state: dict[str, Any] = {}
    for block in modal.get("blocks", []):
        if block.get("type") != "input" or block["element"]["type"] not in ("plain_text_input", "static_select"):
            continue
        if block["block_id"] not in data:  # not a field of the card (a text too long to edit: kept as stored)
            continue
        raw = data.get(block["block_id"])
        raw = raw if isinstance(raw, str) else ""
        if block["element"]["type"] == "plain_text_input":
            state[block["block_id"]] = clean(raw).strip()
        else:
            allowed = {o["value"] for o in block["element"].get("options", [])}
            state[block["block_id"]] = raw if raw in allowed else None
    try:
        meta = json.loads(data.get(META) or "{}")
    except (TypeError, ValueError):
        meta = {}
    return state, meta if isinstance(meta, dict) else {}
