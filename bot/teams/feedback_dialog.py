"""The `/feedback` form on Teams: the message extension's action command "feedback"
(manifests/teams/manifest.json, `composeExtensions`, `fetchTask: true`) opens a dialog (task module)
with the same form as Slack's feedback modal, as an Adaptive Card (bot/teams/forms.py); its submit
files the item as Slack's form does (`Desk.submit`, confirmed: the person chose every value). The
same dialog, opened from a proposal's "Edit…" (`task/fetch`), corrects and files the draft; picked
on a message (its "…" menu, `commandContext: message`), it is filled from that message's words, as
Slack's "Log as customer feedback" shortcut.

The invokes, as Teams documents them, each answered in the request (Teams waits 5 s):
- `composeExtension/fetchTask` / `task/fetch` → `{"task": {"type": "continue", "value": {title,
  width, height, card}}}`: the form;
- `composeExtension/submitAction` / `task/submit` → the form again (`continue`) with the mistakes
  beside their fields, checked with no I/O (the Slack form's `validate_facts`); else the submit is
  stored in the inbox under `teams:<activity id>` and answered with no body (the dialog closes;
  Teams' "no response") — the worker files it and the confirmation comes in the person's chat.
"""
from __future__ import annotations

from bot import action_ids as ids
from bot.flows.feedback_form import chosen_values, validate_facts
from bot.flows.log_shortcut import prefill_from_text
from bot.messaging.boundary import TEAMS
from bot.service import BotService
from bot.teams import intake
from bot.teams.conversation import remember_person
from bot.teams.cards import attachment
from bot.teams.edge import Invoke, request_key
from bot.teams.forms import FORM, form_card, read_form
from bot.views.forms import draft_prefill, feedback_modal
from domain.cards import load_card
from domain.counts import read_id
from domain.errors import ItemNotFound
from domain.i18n import t
from domain.intake import Submission
from domain.text import split_customer

COMMAND = "feedback"  # the manifest's composeExtensions command id
FETCH_TASK, SUBMIT_ACTION = "composeExtension/fetchTask", "composeExtension/submitAction"
TASK_FETCH, TASK_SUBMIT = "task/fetch", "task/submit"
FORM_KIND = "teams.form"


def _lang(service: BotService, activity: dict) -> str:
    return intake.language(activity, "", service.rt.policy.company.language)


def _dialog(modal: dict, card: dict) -> dict:
    return {"task": {"type": "continue", "value": {"title": modal["title"]["text"], "width": "medium", "height": "large",
                                                   "card": attachment(card)}}}


def _draft_of(service: BotService, value: str) -> tuple[dict, dict]:
    """A draft's values for the form ("Edit…" under a proposal), and the metadata naming it."""
    item_id = read_id(value)
    with service.rt.db.session() as s:
        card = load_card(s, item_id) if item_id is not None else None
    if card is None:
        raise ItemNotFound(item=value)
    return draft_prefill(card), {"draft": card.item.id}


def _from_message(service: BotService, message: dict) -> tuple[dict, dict]:
    """Picked on a message (Slack's "Log as customer feedback"): the form filled from its words."""
    body = message.get("body") if isinstance(message.get("body"), dict) else {}
    words = intake.readable({"type": "message", "text": str(body.get("content") or "")})
    customer, said = split_customer(words)
    return prefill_from_text(service, said, customer), {"source": "shortcut", "message_ts": str(message.get("id") or "")[:200]}


def open_form(service: BotService, activity: dict) -> dict | None:
    value = activity.get("value") if isinstance(activity.get("value"), dict) else {}
    prefill, meta = {}, {}
    if activity.get("name") == FETCH_TASK and value.get("commandId") != COMMAND:
        return None  # not our command: nothing to show
    if value.get("commandContext") == "message" and isinstance(value.get("messagePayload"), dict):
        prefill, meta = _from_message(service, value["messagePayload"])
    data = value.get("data") if isinstance(value.get("data"), dict) else {}
    if activity.get("name") == TASK_FETCH:
        if data.get("action_id") != ids.EDIT_DRAFT:
            return None  # another card's dialog: not this form's
        prefill, meta = _draft_of(service, str(data.get("value") or ""))
    modal = feedback_modal(service.rt.policy, _lang(service, activity), prefill, meta)
    return _dialog(modal, form_card(modal))


def submit_form(service: BotService, activity: dict) -> dict | None:
    value = activity.get("value") if isinstance(activity.get("value"), dict) else {}
    if not isinstance(value.get("data"), dict) or value["data"].get(FORM) != ids.FEEDBACK_MODAL:
        return None  # another dialog's submit: not this form's
    lang = _lang(service, activity)
    empty = feedback_modal(service.rt.policy, lang, {}, {})
    state, meta = read_form(value.get("data"), empty)
    errors = validate_facts(state, lang)
    if errors:  # the form again, what was entered kept, each mistake under its field
        modal = feedback_modal(service.rt.policy, lang, {}, meta)
        return _dialog(modal, form_card(modal, state, errors))
    service.accept(FORM_KIND, request_key(activity), activity)
    return None


def file_form(service: BotService, activity: dict) -> None:
    """In the worker: file what the dialog held (or correct and file the draft it was opened for)."""
    value = activity.get("value") if isinstance(activity.get("value"), dict) else {}
    lang = _lang(service, activity)
    state, meta = read_form(value.get("data"), feedback_modal(service.rt.policy, lang, {}, {}))
    person = remember_person(service, activity)
    key, chosen, desk = request_key(activity), chosen_values(state), service.rt.desk
    if desk.handled(key):
        return
    # The metadata came back through the person's client: only what this form puts there is read.
    draft = read_id(str(meta.get("draft") or "")) if meta.get("draft") else None
    source = "shortcut" if meta.get("source") == "shortcut" else "modal"
    if draft is not None:
        outcome = desk.confirm_draft(draft, person, key, chosen | {"customer": state[ids.B_CUSTOMER]})
    else:
        outcome = desk.submit(Submission(
            source=source, key=key, reporter_id=person, text=state[ids.B_TEXT],
            customer=state[ids.B_CUSTOMER], locale=lang, channel_id=_personal_chat(service, activity, person),
            message_ts=str(meta.get("message_ts") or "")[:200] or None, chosen=chosen, platform=TEAMS,
        ), confirmed=True)
    if outcome.status != "duplicate":
        service.flush(outcome.item_id)


def _personal_chat(service: BotService, activity: dict, person: str) -> str:
    """Where the reporter is answered: the chat the form was opened in when it is theirs with the bot,
    else their 1:1 chat with the bot (a form opened in a channel is not answered in the channel)."""
    conversation = activity.get("conversation") or {}
    if conversation.get("conversationType") == "personal":
        return conversation["id"]
    return service.deliverer.platforms[TEAMS].personal_chat(person)


def _told_when_gone(service: BotService, answer) -> Invoke:
    """A dialog for a draft that no longer exists is a message in the dialog, not an error."""
    def invoke(activity: dict) -> dict | None:
        try:
            return answer(service, activity)
        except ItemNotFound:
            return {"task": {"type": "message", "value": t("error.not_found", _lang(service, activity))}}
    return invoke


def invokes(service: BotService) -> dict[str, Invoke]:
    return {FETCH_TASK: _told_when_gone(service, open_form), TASK_FETCH: _told_when_gone(service, open_form),
            SUBMIT_ACTION: _told_when_gone(service, submit_form), TASK_SUBMIT: _told_when_gone(service, submit_form)}
