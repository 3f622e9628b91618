"""App Home: drawn afresh each time the person opens it (`app_home_opened`), and its quick actions —
log feedback (the form), my items (the `/complaints` list) and this week's digest, both by DM."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaints import show_list
from bot.commands.digest import answer
from bot.flows.proposal import action_key
from bot.handlers import Who
from bot.service import BotService, friendly
from bot.views.forms import feedback_modal
from bot.views.home import home_view


def who(body: dict) -> Who:
    user = (body.get("event") or {}).get("user") or (body.get("user") or {}).get("id", "")
    return Who(f"home:{body.get('event_id') or action_key(body)}", user, None, None, None)


def publish(service: BotService, body: dict) -> None:
    user = body["event"]["user"]
    lang = service.locales.resolve(user)
    view = home_view(service.rt.desk.home(user), service.rt.policy, lang, service.rt.clock.now())
    service.rt.client.views_publish(user_id=user, view=view)


def my_items(service: BotService, body: dict) -> None:
    """The person's items, as `/complaints` lists them, by DM (App Home has no channel to answer in)."""
    show_list(service, body["user"]["id"], "mine", None, 0, f"{action_key(body)}:mine", None, None, replace=False)


def digest(service: BotService, body: dict) -> None:
    """This week's digest so far, by DM (of everyone's items: App Home is the person's own view)."""
    answer(service, body["user"]["id"], "week", action_key(body), None, None)


def register(app: App, service: BotService) -> None:
    def on_home_opened(event, body):
        if event.get("tab", "home") == "home":
            service.accept("event.home", f"home:{body.get('event_id')}", body)

    @friendly(service, who)
    def open_form(body):
        lang = service.locales.resolve(body["user"]["id"])
        view = feedback_modal(service.rt.policy, lang, {}, {"source": "home"})
        service.rt.client.views_open(trigger_id=body["trigger_id"], view=view)

    def on_log(ack, body):
        ack()
        service.executor.submit(open_form, body=body)  # the trigger is valid for 3 s: open it now

    app.event("app_home_opened")(on_home_opened)
    app.action(ids.HOME_LOG)(on_log)
    app.action(ids.HOME_MINE)(service.store_after_ack("action.home_mine", action_key))
    app.action(ids.HOME_DIGEST)(service.store_after_ack("action.home_digest", action_key))
