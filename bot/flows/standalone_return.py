"""A return without a complaint, worked from `/return RMA-7`: its next step's button opens the same
step form as a complaint's return (bot/views/steps.py) after asking the domain, and the submission is
done by the desk's standalone path — the same rule rows, checks and audit event (domain/lifecycle/standalone.py)."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.flows.proposal import who
from bot.service import BotService, friendly
from bot.views.common import md
from bot.views.steps import step_modal
from domain.counts import read_id
from domain.i18n import t


def open_standalone_form(service: BotService, user: str, trigger_id: str, action: str, customer_id: int,
                         return_id: int | None, channel: str | None, response_url: str | None) -> None:
    """The step's form, refused before it opens when the person may not do it."""
    stand_in = service.rt.desk.may_return(customer_id, return_id, user, action)
    lang = service.locales.resolve(user)
    meta = {"customer": customer_id, "rma": return_id, "channel": channel, "reply_to": response_url, "fields": {}}
    service.rt.client.views_open(trigger_id=trigger_id, view=step_modal(action, stand_in, service.rt.policy, lang, meta,
                                                                        now=service.rt.clock.now()))


def submit_standalone_return(service: BotService, user: str, key: str, action: str, meta: dict, fields: dict) -> None:
    outcome = service.rt.desk.act_on_return(int(meta["customer"]), read_id(str(meta.get("rma") or "")), user, key, action, fields)
    if outcome.status != "updated":
        return
    found = service.rt.desk.standalone(outcome.changes["return_id"][1], user)
    lang = service.locales.resolve(user)
    service.notify(f"{key}:done", user, lang, ":white_check_mark: " + md(
        "return.standalone_done", lang, id=found.ret.id, customer=found.customer, action=t(f"action.{action}", lang)),
        channel=meta.get("channel"), response_url=meta.get("reply_to"), replace=False)


def register(app: App, service: BotService) -> None:
    @friendly(service, who)
    def open_form(body, client):  # in the web process: the trigger is valid for 3 seconds only
        action, _, number = str(body["actions"][0].get("value", "")).partition(":")
        found = service.rt.desk.standalone(read_id(number) or 0, body["user"]["id"])
        open_standalone_form(service, body["user"]["id"], body["trigger_id"], action, found.customer_id, found.ret.id,
                             (body.get("channel") or {}).get("id"), body.get("response_url"))

    app.action(ids.RMA_STEP)(ack=lambda ack: ack(), lazy=[open_form])
