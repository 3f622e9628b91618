"""A step's form on Teams: the same Slack modal (bot/views/steps.py `step_modal`, data) as an
Adaptive Card of inputs with one Action.Execute that submits it — Teams puts every input's value
into that action's data under the input's id, the modal's block id, so `read_step` and `step_errors`
read a Teams submission as they read Slack's (after `values_of`).

Block Kit element → input: plain_text_input → Input.Text, datepicker → Input.Date, static_select →
Input.ChoiceSet, checkboxes → Input.ChoiceSet (multi-select, expanded), users_select /
multi_users_select → Teams' people picker (Input.ChoiceSet over Data.Query `graph.microsoft.com/users`,
whose values are Entra object ids).
"""
from __future__ import annotations

from bot.teams import people
from bot.teams.cards import VERSION, Card
from bot.views.steps import FORMS, TIME_SUFFIX

SUBMIT = "voc_step_submit"  # the verb of a form's submit button
CLOSE = "voc_step_close"  # ... and of its Close: the thread parent again, nothing done
PEOPLE = {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}


def form_card(modal: dict, submit: dict, errors: dict[str, str] | None = None, note: str | None = None) -> dict:
    """The modal as a card; `submit` is the data its button sends back (item, version, step), `errors`
    the answer to a submission that was incomplete (per block id, shown under the input)."""
    card, errors = Card(), errors or {}
    card.text("*" + modal["title"]["text"] + "*", size="Medium", weight="Bolder")
    if note:
        card.text(note, color="Attention")
    for block in modal.get("blocks", []):
        if block.get("type") != "input":
            continue
        field = _input(block)
        field.update({"label": block["label"]["text"], "isRequired": not block.get("optional", False)})
        if block["block_id"] in errors:
            field["errorMessage"] = errors[block["block_id"]]
        card.body.append(field)
        if block["block_id"] in errors:  # errorMessage shows only after the client validates: say it too
            card.text(errors[block["block_id"]], color="Attention", size="Small")
    card.actions.append({"type": "Action.Execute", "title": modal["submit"]["text"], "verb": SUBMIT, "data": submit})
    if modal.get("close"):  # the form stands in the card's place for this person (Teams): Close gives the card back
        card.actions.append({"type": "Action.Execute", "title": modal["close"]["text"], "verb": CLOSE,
                             "data": {"item": submit.get("item")}, "associatedInputs": "none"})
    return card.as_card() | {"version": VERSION}


def _input(block: dict) -> dict:
    element, bid = block["element"], block["block_id"]
    kind = element.get("type")
    if kind == "plain_text_input":
        field = {"type": "Input.Text", "id": bid, "isMultiline": bool(element.get("multiline")),
                 "maxLength": element.get("max_length")}
        if element.get("initial_value"):
            field["value"] = element["initial_value"]
        if element.get("placeholder"):
            field["placeholder"] = element["placeholder"]["text"]
        return field
    if kind == "datepicker":
        return {"type": "Input.Date", "id": bid, **({"value": element["initial_date"]} if element.get("initial_date") else {})}
    if kind in ("users_select", "multi_users_select"):
        return {"type": "Input.ChoiceSet", "id": bid, "choices": [], "choices.data": PEOPLE,
                "isMultiSelect": kind == "multi_users_select"}
    choices = [{"title": o["text"]["text"], "value": o["value"]} for o in element.get("options", [])]
    field = {"type": "Input.ChoiceSet", "id": bid, "choices": choices, "style": "compact"}
    if kind == "checkboxes":
        field.update({"isMultiSelect": True, "style": "expanded"})
    if element.get("initial_option"):
        field["value"] = element["initial_option"]["value"]
    return field


def values_of(step: str, data: dict) -> dict:
    """A Teams submission as `read_state` gives Slack's, by the step's fields (bot/views/steps.py
    FORMS): a multi-choice as a list, a ticked box as ["yes"], a person as the domain's id of them
    (the people picker answers Entra object ids). A field the form did not show (lot numbers of a
    delivery complaint) stays out, as in Slack."""
    values: dict = {}
    for f in FORMS.get(step, ()):
        names = (f.name, f.name + TIME_SUFFIX) if f.kind == "when" else (f.name,)
        for name in names:
            value = data.get(name)
            if name not in data and f.kind == "lots":
                continue
            if f.kind == "yes":
                value = ["yes"] if str(value or "").lower() in ("yes", "true") else []
            elif f.kind == "choices":
                value = _split(value)
            elif f.kind == "user":
                value = _person(value) if value else None
            elif f.kind == "users":
                value = [_person(v) for v in _split(value)]
            values[name] = value
    return values


def _split(value) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else list(value or [])


def _person(value: str) -> str:
    """An Entra object id → the domain's id of the person; anything else is refused by the domain."""
    value = value.strip()
    try:
        return people.person_id(value)
    except ValueError:
        return value
