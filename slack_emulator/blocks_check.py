"""Slack's Block Kit limits, checked the way Slack rejects them (`invalid_blocks`, `invalid_arguments`).

Not all of Block Kit: the limits our views could plausibly break with long or odd user text.
"""
from __future__ import annotations


def _fail(error: str = "invalid_blocks"):
    from slack_emulator.workspace import ApiError

    raise ApiError(error)


def _text(obj, limit: int) -> None:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        _fail()
    if not obj.get("text") or len(obj["text"]) > limit:
        _fail()


def check_blocks(blocks, limit: int = 50) -> None:
    if not isinstance(blocks, list) or len(blocks) > limit:
        _fail()
    for block in blocks:
        kind = block.get("type")
        if kind == "section":
            if "text" in block:
                _text(block["text"], 3000)
            fields = block.get("fields", [])
            if len(fields) > 10:
                _fail()
            for f in fields:
                _text(f, 2000)
            if "text" not in block and not fields:
                _fail()
        elif kind == "header":
            _text(block.get("text"), 150)
        elif kind == "context":
            elements = block.get("elements", [])
            if not elements or len(elements) > 10:
                _fail()
            for e in elements:
                _text(e, 3000)
        elif kind == "actions":
            elements = block.get("elements", [])
            if not elements or len(elements) > 25:
                _fail()
            named = [e["action_id"] for e in elements if e.get("action_id")]
            if len(named) != len(set(named)):  # Block Kit: an action_id is unique within its block
                _fail()
            for e in elements:
                if e.get("type") == "button":
                    _text(e.get("text"), 75)
                    if len(e.get("value", "")) > 2000:
                        _fail()
                elif e.get("type") == "static_select":  # a select menu: 1..100 options, values up to 150 chars
                    options = e.get("options", [])
                    if not 0 < len(options) <= 100 or any(len(o.get("value", "")) > 150 for o in options):
                        _fail()
                    _text(e.get("placeholder"), 150)
                elif e.get("type") == "overflow" and not 2 <= len(e.get("options", [])) <= 5:  # Slack's limits
                    _fail()
        elif kind == "input":
            _text(block.get("label"), 2000)
            element = block.get("element", {})
            if element.get("type") == "plain_text_input":
                max_length = element.get("max_length", 3000)
                if max_length > 3000 or len(element.get("initial_value", "")) > max_length:
                    _fail()
            if element.get("type") == "static_select" and not 0 < len(element.get("options", [])) <= 100:
                _fail()
            if element.get("type") == "number_input":  # https://api.slack.com/reference/block-kit/block-elements#number
                if not isinstance(element.get("is_decimal_allowed"), bool):
                    _fail()
                if any(k in element and not isinstance(element[k], str) for k in ("initial_value", "min_value", "max_value")):
                    _fail()
            if element.get("type") not in ("plain_text_input", "static_select", "checkboxes", "datepicker",
                                           "users_select", "multi_users_select", "multi_static_select", "radio_buttons", "number_input"):
                _fail()
        elif kind in ("divider", "image", "rich_text"):
            pass
        else:
            _fail()


def check_view(view, kind: str = "modal") -> None:
    if not isinstance(view, dict) or view.get("type") != kind:
        _fail("invalid_arguments")
    for key in ("title", "submit", "close"):
        if key in view:
            _text(view[key], 24)
    if len(view.get("private_metadata", "")) > 3000:
        _fail("invalid_arguments")
    check_blocks(view.get("blocks", []), limit=100)
