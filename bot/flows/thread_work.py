"""Working a complaint from its thread: the buttons on the thread parent that move it along its
lifecycle (today: *Take ownership*, then *Record containment*). The domain decides who may and says why not."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.flows.proposal import action_key, item_id_of, who
from bot.commands.feedback import metadata
from bot.flows.item_actions import who_view
from bot.handlers import Who, handler
from bot.service import BotService, friendly
from bot.views.forms import CONTAINMENT_COUNTS, containment_modal, read_state
from domain.i18n import t


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


def containment_fields(state: dict) -> dict:
    counts = {name: int(state[name]) for name in CONTAINMENT_COUNTS if (state.get(name) or "").strip()}
    return {**counts, "sorting_method": state.get("sorting_method"), "sorting_result": state.get("sorting_result") or None,
            "countermeasure": state.get("countermeasure"), "customer_informed": "yes" in (state.get("customer_informed") or [])}


def validate_containment(state: dict, lang: str) -> dict[str, str]:
    errors = {name: t("error.not_a_count", lang) for name in CONTAINMENT_COUNTS
              if (state.get(name) or "").strip() and not state[name].strip().isdigit()}
    for name in ("sorting_method", "countermeasure"):
        if not (state.get(name) or "").strip():
            errors[name] = t("error.required", lang)
    return errors


@handler("view.containment", who_view)
def record_containment(service: BotService, body: dict) -> None:
    view = body["view"]
    outcome = service.rt.desk.act(int(metadata(view)["item"]), body["user"]["id"], f"view:{view['id']}",
                                  "record_containment", containment_fields(read_state(view)))
    service.flush(outcome.item_id)


def register(app: App, service: BotService) -> None:
    app.action(ids.TAKE_OWNERSHIP)(service.store_after_ack("action.take_ownership", action_key))

    @friendly(service, who)
    def open_containment(body, client):  # in the web process: the trigger is valid for 3 seconds only
        lang = service.locales.resolve(body["user"]["id"])
        meta = {"item": item_id_of(body), "channel": (body.get("channel") or {}).get("id")}
        client.views_open(trigger_id=body["trigger_id"], view=containment_modal(lang, meta))

    def ack_containment(ack, body, view):
        errors = validate_containment(read_state(view), service.locales.guess(body["user"]["id"]))
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()
            service.accept("view.containment", f"view:{view['id']}", body)

    app.action(ids.RECORD_CONTAINMENT)(ack=lambda ack: ack(), lazy=[open_containment])
    app.view(ids.CONTAINMENT_MODAL)(ack_containment)

    def on_reaction(ack, body, event):
        ack()
        if event.get("reaction") in service.rt.policy.thread.reactions and (event.get("item") or {}).get("type") == "message":
            service.accept("event.reaction", reaction_key(body), body)

    app.event("reaction_added")(on_reaction)
