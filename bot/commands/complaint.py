"""`/complaint VOC-42` shows one item (its card, in your language); `/complaint VOC-42 history` its
audit trail; `/complaint help` the usage. Anyone may read. The ack says "looking…"; a worker answers."""
from __future__ import annotations

import re

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.feedback import request_key, who  # every slash command: the same key and reply path
from bot.handlers import handler
from bot.service import BotService
from bot.views.common import md
from bot.views.complaint import card_blocks, history_blocks
from domain.i18n import t

_REF = re.compile(r"^(?:voc[-\s]?)?(\d+)$", re.I)
HELP_WORDS = {"", "help", "?", "帮助", "幫助"}


@handler("slash.complaint", who)
def show(service: BotService, body: dict) -> None:
    user = body["user_id"]
    lang = service.locales.resolve(user, body.get("text"))
    words = (body.get("text") or "").split()
    reply = {"channel": body.get("channel_id"), "response_url": body.get("response_url")}
    match = _REF.match(words[0]) if words else None
    item_id = service.rt.desk.item_by_number(int(match.group(1))) if match else None
    if item_id is None:
        service.notify(f"{request_key(body)}:answer", user, lang,
                       md("complaint.unknown_ref", lang, ref=words[0] if words else "?"), **reply)
        return
    card = service.rt.desk.card(item_id)
    if len(words) > 1 and words[1].lower() in ("history", "历史", "歷史", "audit"):
        blocks = history_blocks(card, service.rt.desk.history(item_id), service.rt.policy, lang)
    else:
        blocks = card_blocks(card, service.rt.policy, lang)
    service.notify(f"{request_key(body)}:answer", user, lang, blocks[0]["text"]["text"], blocks=blocks, **reply)


def register(app: App, service: BotService) -> None:
    def ack_complaint(ack, body):
        text = (body.get("text") or "").strip()
        lang = service.locales.guess(body.get("user_id", ""), text)
        if text.lower() in HELP_WORDS:
            ack(text=t("complaint.help", lang))
        else:
            ack(text=t("ack.looking", lang))
            service.accept("slash.complaint", request_key(body), body)

    app.command(ids.COMPLAINT_COMMAND)(ack_complaint)
