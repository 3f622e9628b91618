"""A message to the bot on Teams ("feedback Geely Ningbo: connectors don't fit", "反馈 吉利宁波：…"),
in the person's chat with it or @mentioning it in a channel: the `/feedback` of Teams, filed through
the same domain intake (`Desk.submit`) as Slack's, from the same inbox, by the same worker path.

Text is decoded once here: the bot's own mention is dropped (the Agents SDK's
`remove_recipient_mention`), other people's `<at>Name</at>` become "@Name", any other markup is
removed and HTML's entities decoded; then cleaned of characters no database stores.
"""
from __future__ import annotations

import html
import re

from microsoft_agents.activity import Activity

from bot.handlers import Who
from bot.messaging.boundary import TEAMS
from bot.service import BotService
from bot.teams import people
from bot.teams.edge import request_key
from bot.teams.chats import remember_chat
from domain.i18n import lang_of_locale, t
from domain.intake import Submission
from domain.text import clean, has_words, language_of, split_customer

FEEDBACK_WORDS = ("feedback", "反馈", "反饋", "投诉")
_AT = re.compile(r"<at>(.*?)</at>", re.S)
_TAG = re.compile(r"<[^>]+>")


def readable(activity: dict) -> str:
    """The words the person wrote, as they read them."""
    parsed = Activity.model_validate(activity)
    text = parsed.remove_recipient_mention() if parsed.recipient else (parsed.text or "")
    text = _AT.sub(lambda m: "@" + m.group(1), text or "")
    return clean(html.unescape(_TAG.sub("", text))).strip()


def reporter(activity: dict) -> str:
    """The domain's id of the person (their Entra object id); ValueError when there is none."""
    return people.person_id((activity.get("from") or {}).get("aadObjectId") or "")


def who(activity: dict) -> Who:
    try:
        person = reporter(activity)
    except ValueError:
        person = ""
    return Who(request_key(activity), person, readable(activity), (activity.get("conversation") or {}).get("id"),
               None, platform=TEAMS)


def language(activity: dict, text: str, default: str) -> str:
    """The person's Teams locale, else the language they wrote in, else the company's."""
    locale = activity.get("locale")
    from_locale = lang_of_locale(locale, default="") if isinstance(locale, str) else ""
    return from_locale or language_of(text) or default


def command_words(text: str) -> str | None:
    """What follows "feedback" / "反馈", or None when the message is no feedback command."""
    lowered = text.lower()
    for word in FEEDBACK_WORDS:
        if lowered.startswith(word):
            rest = text[len(word):]
            if word.isascii() and rest[:1].isalnum():  # "feedbacks…" is no command
                continue
            return rest.lstrip(" :：,，")
    return None


def take_message(service: BotService, activity: dict) -> None:
    text = readable(activity)
    person = reporter(activity)
    people.remember_name(person, (activity.get("from") or {}).get("name"))
    conversation = (activity.get("conversation") or {}).get("id")
    if (activity.get("conversation") or {}).get("conversationType") == "personal":  # proactive messages go here
        remember_chat(service.rt, person, conversation)
    lang = language(activity, text, service.rt.policy.company.language)
    key = request_key(activity)
    said = command_words(text)
    if said is None:
        service.notify(f"{key}:usage", person, lang, t("teams.usage", lang), channel=conversation, platform=TEAMS)
        return
    customer, said = split_customer(said)
    if not has_words(said):
        answer = t("teams.empty_body", lang, customer=customer) if customer else t("teams.usage", lang)
        service.notify(f"{key}:empty", person, lang, answer, channel=conversation, platform=TEAMS)
        return
    outcome = service.rt.desk.submit(Submission(
        source="teams", key=key, reporter_id=person, text=said, customer=customer, locale=lang,
        channel_id=conversation, message_ts=activity.get("id"), platform=TEAMS,
    ))
    if outcome.status != "duplicate":
        service.flush(outcome.item_id)
