"""`/visit VOC-42` shows the complaint's field-service visits with a button for each next step (the
same step forms as the thread's menu, through the same rules); `/visit help` the usage. Anyone who may
see the item may read; the steps are the lifecycle table's call. The ack says "looking…"; a worker answers."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import HELP_WORDS, item_asked, reading_command, unknown_reference
from bot.commands.feedback import request_key
from bot.service import BotService
from bot.views.visits import visit_blocks


def show(service: BotService, body: dict) -> None:
    asked = item_asked(service, body)
    if asked is None:
        return
    blocks = visit_blocks(service.rt.desk.card(asked.item_id), service.rt.desk.visits(asked.item_id), service.rt.policy,
                          asked.lang, service.rt.clock.now())
    service.notify(f"{request_key(body)}:answer", asked.user, asked.lang, blocks[0]["text"]["text"], blocks=blocks,
                   **asked.reply)


def register(app: App, service: BotService) -> None:
    app.command(ids.VISIT_COMMAND)(reading_command(service, "slash.visit", "visit.usage", HELP_WORDS, unknown_reference))
