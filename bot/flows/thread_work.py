"""Working a complaint from its thread: the buttons on the thread parent that move it along its
lifecycle (today: *Take ownership*). The domain decides who may and says why not."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.flows.proposal import action_key, item_id_of, who
from bot.handlers import Who, handler
from bot.service import BotService


@handler("action.take_ownership", who)
def take_ownership(service: BotService, body: dict) -> None:
    outcome = service.rt.desk.act(item_id_of(body), body["user"]["id"], action_key(body), "take_ownership")
    service.flush(outcome.item_id)


def reaction_key(body: dict) -> str:
    event = body.get("event", {})
    item = event.get("item") or {}
    return f"reaction:{item.get('channel')}:{item.get('ts')}:{event.get('user')}:{event.get('reaction')}"


def who_reacted(body: dict) -> Who:
    event = body.get("event", {})
    return Who(reaction_key(body), event.get("user", ""), None, (event.get("item") or {}).get("channel"), None)


@handler("event.reaction", who_reacted)
def react(service: BotService, body: dict) -> None:
    """A reaction on a thread parent is a shortcut (policy `thread.reactions`); the same rules apply."""
    event = body["event"]
    item = service.rt.desk.item_of_thread(event["item"]["channel"], event["item"]["ts"])
    action = service.rt.policy.thread.reactions.get(event.get("reaction", ""))
    if item is not None and action is not None:
        outcome = service.rt.desk.act(item, event["user"], reaction_key(body), action)
        service.flush(outcome.item_id)


def register(app: App, service: BotService) -> None:
    app.action(ids.TAKE_OWNERSHIP)(service.store_after_ack("action.take_ownership", action_key))

    def on_reaction(ack, body, event):
        ack()
        if event.get("reaction") in service.rt.policy.thread.reactions and (event.get("item") or {}).get("type") == "message":
            service.accept("event.reaction", reaction_key(body), body)

    app.event("reaction_added")(on_reaction)
