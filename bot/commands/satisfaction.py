"""`/satisfaction <customer> [year]`: the customer's satisfaction score for the year (this year by
default) with its breakdown — each survey item's rate, score A, score B with every event that cost
or earned points, and the composite. Anyone may read; the ack says "looking…"."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import reading_command
from bot.commands.feedback import request_key
from bot.commands.survey import customer_and_tail
from bot.service import BotService
from bot.views.satisfaction import score_blocks, score_text

HELP_WORDS = {"", "help", "?", "帮助", "幫助"}


def show(service: BotService, body: dict) -> None:
    user, rt = body["user_id"], service.rt
    lang = service.locales.resolve(user, body.get("text"))
    customer, year = customer_and_tail((body.get("text") or "").split())
    score = rt.desk.satisfaction(customer, int(year) if year and year.isdigit() else None)
    service.notify(f"{request_key(body)}:answer", user, lang, score_text(score, rt.policy, lang),
                   blocks=score_blocks(score, rt.policy, lang), channel=body.get("channel_id"),
                   response_url=body.get("response_url"))


def register(app: App, service: BotService) -> None:
    app.command(ids.SATISFACTION_COMMAND)(reading_command(service, "slash.satisfaction", "satisfaction.help", HELP_WORDS))
