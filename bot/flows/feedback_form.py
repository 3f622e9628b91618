"""The feedback form (modal): a new item, a draft being completed, or a message being logged.

Validation runs in the ack (pure, no I/O) so mistakes show next to the field; the
filing runs after the ack.
"""
from __future__ import annotations

import re

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.feedback import metadata
from bot.handlers import Who
from bot.service import BotService
from bot.views.forms import read_state
from domain.counts import count_error, read_count
from domain.intake import Submission
from domain.i18n import t


def _split_list(value: str | None) -> list[str]:
    return [p.strip() for p in re.split(r"[,，;；\s]+", value or "") if p.strip()]


def validate(state: dict, lang: str) -> dict[str, str]:
    return validate_facts(state, lang)


def validate_facts(state: dict, lang: str) -> dict[str, str]:
    """The fact fields (the feedback form and the correction form share them)."""
    errors = {}
    if not (state.get(ids.B_CUSTOMER) or "").strip():
        errors[ids.B_CUSTOMER] = t("error.required", lang)
    if ids.B_TEXT in state and not (state.get(ids.B_TEXT) or "").strip():  # absent: too long to edit, kept
        errors[ids.B_TEXT] = t("error.required", lang)
    if problem := count_error(state.get(ids.B_QTY), lang):
        errors[ids.B_QTY] = problem
    return errors


def fact_values(state: dict) -> dict:
    """Parts, lots, quantity and the line's state as the person entered them (none chosen: not said).
    A list the form only showed (too long to edit there, bot/views/forms.py) is not in the state and
    not in the answer: the stored one stays whole."""
    lists = {name: _split_list(state.get(block)) for name, block in (("part_numbers", ids.B_PARTS), ("lot_numbers", ids.B_LOTS))
             if block in state}
    return {**lists, "quantity": read_count(state.get(ids.B_QTY)), "line_state": state.get(ids.B_LINE)}


def chosen_values(state: dict) -> dict:
    return {"kind": state.get(ids.B_KIND), "category": state.get(ids.B_CATEGORY), "severity": state.get(ids.B_SEVERITY),
            "urgency": state.get(ids.B_URGENCY), "text": state.get(ids.B_TEXT), **fact_values(state)}


def who(body: dict) -> Who:
    meta = metadata(body.get("view", {}))
    return Who(f"view:{body['view']['id']}", body["user"]["id"], read_state(body["view"]).get(ids.B_TEXT),
               meta.get("channel"), None)


def file_form(service: BotService, body: dict) -> None:
    view = body["view"]
    state = read_state(view)
    user = body["user"]["id"]
    lang = service.locales.resolve(user, state.get(ids.B_TEXT))
    meta = metadata(view)
    key = f"view:{view['id']}"
    chosen = chosen_values(state)
    if meta.get("draft"):
        outcome = service.rt.desk.confirm_draft(int(meta["draft"]), user, key, chosen | {"customer": state[ids.B_CUSTOMER]},
                                               reply_url=meta.get("response_url"))
    else:
        outcome = service.rt.desk.submit(Submission(
            source=meta.get("source", "modal"), key=key, reporter_id=user, text=state[ids.B_TEXT],
            customer=state[ids.B_CUSTOMER], locale=lang, team_id=(body.get("team") or {}).get("id"),
            channel_id=meta.get("channel"), message_ts=meta.get("message_ts"), chosen=chosen,
        ), confirmed=True)
    if outcome.status != "duplicate":
        service.flush(outcome.item_id)


def register(app: App, service: BotService) -> None:
    def ack_form(ack, body, view):
        state = read_state(view)
        errors = validate(state, service.locales.guess(body["user"]["id"], state.get(ids.B_TEXT)))
        if errors:
            ack(response_action="errors", errors=errors)  # nothing to file yet
        else:
            ack()
            service.accept("view.feedback", f"view:{view['id']}", body)

    app.view(ids.FEEDBACK_MODAL)(ack_form)
