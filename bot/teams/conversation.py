"""The DM conversation on Teams: a person writes to the bot in their personal chat without
"feedback …" ("Geely: connectors cracked at incoming inspection"), and the same domain conversation
as Slack's DM runs (domain/conversation.py, domain/conversation_work.py): what the message left out
is asked one question at a time, the answers come as text or as a card's buttons, then it files
through `Desk.submit` — or proposes, with the AA question ("could this be critical?") when AA is
plausible but not decided.

The buttons are Adaptive Card `Action.Submit`s: Teams sends a click as a message activity whose
`value` is the button's data (its `action_id` and `value`, as the Slack button's) and whose text is
empty, so a click comes through the same endpoint, inbox key and worker as a message. The state is
the same `conversations` table as Slack's, keyed by the person's domain id (bot/teams/people.py)
and their personal chat's id.

"feedback …" keeps its one-message intake (bot/teams/intake.py), and so does a message in a channel.
"""
from __future__ import annotations

from bot import action_ids as ids
from bot.commands.feedback import HELP_WORDS
from bot.messaging.boundary import TEAMS
from bot.service import BotService
from bot.teams import intake, people
from bot.teams.edge import request_key
from domain.counts import read_id
from domain.errors import ItemNotFound
from domain.i18n import lang_of_locale, ref, t
from domain.intake import Submission
from domain.text import split_customer
from domain.unit_of_work import Outcome


def is_personal(activity: dict) -> bool:
    return (activity.get("conversation") or {}).get("conversationType") == "personal"


def card_submit(activity: dict) -> dict | None:
    """A button of the bot's card (Action.Submit): its data, else None."""
    value = activity.get("value")
    return value if isinstance(value, dict) and isinstance(value.get("action_id"), str) else None


FILE_INFO = "application/vnd.microsoft.teams.file.download.info"  # a file the person shared in the chat


def shared_files(activity: dict) -> list[dict]:
    """What to keep of each file shared with the message (Teams sends one `file.download.info`
    attachment per file): its unique id, name and link (the file stays in the person's OneDrive)."""
    files = []
    for a in activity.get("attachments") or []:
        content = a.get("content") if isinstance(a, dict) and isinstance(a.get("content"), dict) else {}
        if a.get("contentType") == FILE_INFO and content.get("uniqueId"):
            files.append({"id": str(content["uniqueId"])[:100], "name": str(a.get("name") or content["uniqueId"])[:200],
                          "permalink": a.get("contentUrl") if str(a.get("contentUrl") or "").startswith("https://") else None})
    return files


def take_message(service: BotService, activity: dict) -> None:
    """Every message activity: a card's button, the DM conversation, or "feedback …" (intake.py)."""
    submit = card_submit(activity)
    if submit is not None:
        take_submit(service, activity, submit)
    elif is_personal(activity) and intake.command_words(intake.readable(activity)) is None:
        take_dm(service, activity)
    else:
        intake.take_message(service, activity)


def remember_person(service: BotService, activity: dict) -> str:
    """The person's domain id; their name, and their Teams locale's language — so that an error told
    to them later (`service.tell_error`) is in their language too."""
    person = intake.reporter(activity)
    people.remember_name(person, (activity.get("from") or {}).get("name"))
    locale = activity.get("locale")
    if isinstance(locale, str) and (lang := lang_of_locale(locale, default="")):
        service.locales.remember(person, lang)
    return person


def _speaker(service: BotService, activity: dict) -> tuple[str, str, str]:
    """The person's domain id, their personal chat and their language."""
    person = remember_person(service, activity)
    lang = intake.language(activity, intake.readable(activity), service.rt.policy.company.language)
    return person, (activity.get("conversation") or {}).get("id"), lang


def take_dm(service: BotService, activity: dict) -> None:
    text = intake.readable(activity)
    person, chat, lang = _speaker(service, activity)
    key = request_key(activity)
    desk = service.rt.desk
    if desk.handled(key):  # run again after a crash: what it did stands
        return
    files = shared_files(activity)
    waiting = desk.open_conversation(person, chat)
    if waiting is not None and text and text.lower() not in HELP_WORDS and desk.is_answer(waiting, text):
        after(service, desk.answer(waiting, person, key, text=text, files=files), person, key, chat, lang)
        return
    customer, said = split_customer(text)
    chit_chat = customer is None and not files and not desk.classifier.says_anything(text)
    if (not text and not files) or text.lower() in HELP_WORDS or (customer and not said and not files) or chit_chat:
        hint = t("teams.empty_body", lang, customer=customer) if customer and not said else t("dm.hint", lang)
        service.notify(f"{key}:hint", person, lang, hint, channel=chat, platform=TEAMS)
        return
    outcome = desk.submit(Submission(source="dm", key=key, reporter_id=person, text=said, customer=customer, locale=lang,
                                     channel_id=chat, message_ts=activity.get("id"), files=files, platform=TEAMS))
    if outcome.status != "duplicate":
        service.flush(outcome.item_id)


def take_submit(service: BotService, activity: dict, submit: dict) -> None:
    """A button under a question or a proposal, as Slack's (bot/flows/dm_conversation.py, proposal.py)."""
    person, chat, lang = _speaker(service, activity)
    key, desk = request_key(activity), service.rt.desk
    action, value = submit["action_id"], str(submit.get("value") or "")
    if action.startswith(ids.ANSWER):
        conversation, question, choice = (value.split(":", 2) + ["", ""])[:3]
        if (conversation_id := read_id(conversation)) is None:
            raise ItemNotFound(item=conversation)
        outcome = desk.answer(conversation_id, person, key, question=question, choice=choice)
    elif action.startswith(ids.ANSWER_AA):
        outcome = desk.answer_aa(_item_of(value), person, key, value.split(":")[-1])
    elif action == ids.FILE_DRAFT:
        outcome = desk.confirm_draft(_item_of(value), person, key)
    elif action.startswith(ids.PICK_CUSTOMER):
        item_id, choice = _item_of(value), value.split(":")[-1]
        draft = desk.get(item_id)
        offered = {str(c["id"]): c["name"] for c in (draft.offers or {}).get("customers") or []}
        name = offered.get(choice) if choice != "new" else draft.customer_text
        if not name:
            raise ItemNotFound(item=choice)
        outcome = desk.confirm_draft(item_id, person, key, {"customer": name})
    elif action == ids.CANCEL_DRAFT:
        outcome = desk.cancel_draft(_item_of(value), person, key)
        if outcome.status == "cancelled":  # the draft discarded (not a conversation dropped)
            service.notify(f"{key}:done", person, lang, t("confirm.cancelled", lang), channel=chat, platform=TEAMS)
            return
    else:  # a button of another card (the item's work: Action.Execute, not here)
        service.notify(f"{key}:not-yet", person, lang, t("teams.not_yet", lang), channel=chat, platform=TEAMS)
        return
    after(service, outcome, person, key, chat, lang)


def _item_of(value: str) -> int:
    if (item_id := read_id(value.split(":")[0])) is None:
        raise ItemNotFound(item=value)
    return item_id


def after(service: BotService, outcome: Outcome, person: str, key: str, chat: str, lang: str) -> None:
    """What a message or a click did: a dropped conversation is said; a button of a draft already
    filed or discarded says what happened to it; what is due is sent now."""
    if outcome.status == "cancelled":
        service.notify(f"{key}:cancelled", person, lang, t("ask.cancelled", lang), channel=chat, platform=TEAMS)
    if outcome.status == "unchanged" and outcome.item_id is not None:
        item = service.rt.desk.get(outcome.item_id)
        if item.status != "draft":
            text = (t("confirm.already_filed", lang, ref=ref(item.number)) if item.number is not None
                    else t("confirm.already_discarded", lang))
            service.notify(f"{key}:stale", person, lang, text, channel=chat, platform=TEAMS)
    if outcome.status != "duplicate":
        service.flush(outcome.item_id)
