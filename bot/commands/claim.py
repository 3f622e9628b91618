"""`/claim VOC-12`: the form to record the customer's claim (a cost: chargeback, sorting, premium
freight, line stop, warranty) on complaint VOC-12 — the thread menu's *Record a claim*, decided by
the same rule table. `/claim help` the usage."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.return_ import record_on_item_command
from bot.service import BotService


def register(app: App, service: BotService) -> None:
    app.command(ids.CLAIM_COMMAND)(record_on_item_command(service, "record_claim", "claim.help"))
