"""Telling the bot in a DM: "Geely Ningbo: connectors don't fit". One message, one item; what it
leaves out is asked for one question at a time (bot/flows/dm_conversation.py), and the person's
next DMs answer the question waiting."""
from __future__ import annotations

from slack_bolt import App

from bot.commands.feedback import HELP_WORDS
from bot.flows.dm_conversation import answer_in_dm
from bot.handlers import Who
from bot.incoming_text import readable
from bot.service import BotService
from domain.intake import Submission
from bot.views.common import md
from domain.i18n import t
from domain.text import split_customer


def dm_key(event: dict) -> str:
    return f"dm:{event.get('channel')}:{event.get('ts')}"


def who(body: dict) -> Who:
    ev = body.get("event", {})
    return Who(dm_key(ev), ev.get("user", ""), readable(ev.get("text")), ev.get("channel"), None)


# A person's message, with or without files. Edits (message_changed), deletions (message_deleted),
# bot messages and the bot's own echo are not new feedback: acknowledged and ignored.
PERSON_SUBTYPES = {None, "file_share", "thread_broadcast"}


def is_person_in_dm(event: dict) -> bool:
    return (event.get("channel_type") == "im" and event.get("subtype") in PERSON_SUBTYPES
            and not event.get("bot_id") and not event.get("bot_profile") and bool(event.get("user")))


def shared_files(event: dict) -> list[dict]:
    """What to keep of each file: Slack's id, its name and permalink (the file stays in Slack)."""
    return [{"id": f.get("id"), "name": f.get("name") or f.get("title") or f.get("id"), "permalink": f.get("permalink")}
            for f in event.get("files") or [] if isinstance(f, dict) and f.get("id")]


def take_dm(service: BotService, body: dict) -> None:
    event = body["event"]
    text, user, channel = readable(event.get("text"), service.locales.name_of).strip(), event["user"], event["channel"]
    key = dm_key(event)
    desk = service.rt.desk
    if desk.handled(key):  # run again after a crash: what it did stands (routing now could tell it something else)
        return
    conversation = desk.open_conversation(user, channel)
    # The answer to the bot's question; a message that is no answer ("BYD: …", a new report) is new feedback.
    if conversation is not None and text and text.lower() not in HELP_WORDS and desk.is_answer(conversation, text):
        answer_in_dm(service, conversation, user, key, text, channel, shared_files(event))
        return
    lang = service.locales.resolve(user, text)
    customer, said = split_customer(text)
    # "hi" in a DM is conversation, not feedback: no customer and not one word the policy knows.
    files = shared_files(event)
    chit_chat = customer is None and not files and not desk.classifier.says_anything(text)
    if (not text and not files) or text.lower() in HELP_WORDS or (customer and not said and not files) or chit_chat:
        hint = md("error.empty_body", lang, customer=customer) if customer else t("dm.hint", lang)
        service.notify(f"{key}:hint", user, lang, hint, channel=channel)
        return
    outcome = service.rt.desk.submit(Submission(
        source="dm", key=key, reporter_id=user, text=said, customer=customer, locale=lang,
        team_id=body.get("team_id"), channel_id=channel, message_ts=event.get("ts"), files=files,
    ))
    if outcome.status != "duplicate":
        service.flush(outcome.item_id)


def register(app: App, service: BotService) -> None:
    from bot.flows.thread_replies import is_reply_by_a_person, reply_key
    from bot.inbox_writer import THREAD_REPLY

    def on_message(ack, body, event):
        # One listener for every message event: bolt gives each event to the first listener that matches.
        ack()
        if is_person_in_dm(event):
            service.accept("event.dm", dm_key(event), body)
        elif is_reply_by_a_person(event):
            service.accept(THREAD_REPLY, reply_key(event), body)

    app.event("message")(on_message)
