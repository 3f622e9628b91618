"""Working a complaint from its thread: the buttons on the thread parent that move it along its
lifecycle (today: *Take ownership*). The domain decides who may and says why not."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.flows.proposal import action_key, item_id_of, who
from bot.handlers import handler
from bot.service import BotService


@handler("action.take_ownership", who)
def take_ownership(service: BotService, body: dict) -> None:
    outcome = service.rt.desk.act(item_id_of(body), body["user"]["id"], action_key(body), "take_ownership")
    service.flush(outcome.item_id)


def register(app: App, service: BotService) -> None:
    app.action(ids.TAKE_OWNERSHIP)(service.store_after_ack("action.take_ownership", action_key))
