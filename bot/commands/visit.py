"""`/visit VOC-42` shows the complaint's field-service visits with a button for each next step (the
same step forms as the thread's menu, through the same rules); `/visit help` the usage. Anyone who may
see the item may read; the steps are the lifecycle table's call. The ack says "looking…"; a worker answers."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import HELP_WORDS, reading_command, reference_number, unknown_reference
from bot.commands.feedback import request_key
from bot.service import BotService
from bot.views.common import md
from bot.views.visits import visit_blocks


def show(service: BotService, body: dict) -> None:
    user = body["user_id"]
    lang = service.locales.resolve(user, body.get("text"))
    words = (body.get("text") or "").split()
    reply = {"channel": body.get("channel_id"), "response_url": body.get("response_url")}
    number = reference_number(words[0]) if words else None
    item_id = service.rt.desk.item_by_number(number) if number is not None else None
    if item_id is None:
        service.notify(f"{request_key(body)}:answer", user, lang,
                       md("complaint.unknown_ref", lang, ref=words[0] if words else "?"), **reply)
        return
    service.rt.desk.require_visible(item_id, user)  # a restricted customer's item: only those who may see it
    blocks = visit_blocks(service.rt.desk.card(item_id), service.rt.desk.visits(item_id), service.rt.policy, lang,
                          service.rt.clock.now())
    service.notify(f"{request_key(body)}:answer", user, lang, blocks[0]["text"]["text"], blocks=blocks, **reply)


def register(app: App, service: BotService) -> None:
    app.command(ids.VISIT_COMMAND)(reading_command(service, "slash.visit", "visit.usage", HELP_WORDS, unknown_reference))
