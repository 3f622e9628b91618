"""The DM conversation (domain/conversation.py): a person's next DM, or a button under the bot's
question, answers the question waiting; "cancel" / "取消" drops it."""
from __future__ import annotations

import re

from slack_bolt import App

from bot import action_ids as ids
from bot.flows.proposal import action_key
from bot.service import BotService
from domain.counts import read_id
from domain.errors import ItemNotFound
from domain.i18n import t
from domain.unit_of_work import Outcome


def answer_in_dm(service: BotService, conversation_id: int, user: str, key: str, text: str, channel: str,
                 files: list[dict]) -> None:
    outcome = service.rt.desk.answer(conversation_id, user, key, text=text, files=files)
    _after(service, outcome, user, key, channel)


def answer_button(service: BotService, body: dict) -> None:
    conversation, question, choice = (str(body["actions"][0].get("value", "")).split(":", 2) + ["", ""])[:3]
    if (conversation_id := read_id(conversation)) is None:
        raise ItemNotFound(item=conversation)
    user = body["user"]["id"]
    outcome = service.rt.desk.answer(conversation_id, user, action_key(body), question=question, choice=choice)
    _after(service, outcome, user, action_key(body), (body.get("channel") or {}).get("id"))


def _after(service: BotService, outcome: Outcome, user: str, key: str, channel: str | None) -> None:
    if outcome.status == "cancelled":
        lang = service.locales.resolve(user)
        service.notify(f"{key}:cancelled", user, lang, t("ask.cancelled", lang), channel=channel)
    if outcome.status != "duplicate":
        service.flush(outcome.item_id)


def register(app: App, service: BotService) -> None:
    app.action(re.compile("^" + re.escape(ids.ANSWER)))(service.store_after_ack("action.answer", action_key))
