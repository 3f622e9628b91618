"""The buttons under a filed item's confirmation: change the classification, or undo (withdraw)."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.feedback import metadata
from bot.flows.proposal import action_key, item_id_of, who
from bot.handlers import Who, handler
from bot.service import BotService, friendly
from bot.views.forms import read_state, reclassify_modal
from bot.views.thread import describe_changes
from bot.views.common import md
from domain.i18n import ref, t


@handler("action.undo", who)
def undo(service: BotService, body: dict) -> None:
    user = body["user"]["id"]
    outcome = service.rt.desk.withdraw(item_id_of(body), user, action_key(body))
    if outcome.status == "withdrawn":
        lang = service.locales.resolve(user)
        service.notify(f"{action_key(body)}:done", user, lang,
                       ":leftwards_arrow_with_hook: " + md("confirm.withdrawn", lang, ref=ref(outcome.item_id)),
                       channel=(body.get("channel") or {}).get("id"), response_url=body.get("response_url"),
                       item_id=outcome.item_id)
    service.flush(outcome.item_id)


def who_view(body: dict) -> Who:
    meta = metadata(body.get("view", {}))
    return Who(f"view:{body['view']['id']}", body["user"]["id"], None, meta.get("channel"), meta.get("response_url"))


@handler("view.reclassify", who_view)
def save_change(service: BotService, body: dict) -> None:
    view, user = body["view"], body["user"]["id"]
    meta = metadata(view)
    key = f"view:{view['id']}"
    outcome = service.rt.desk.reclassify(int(meta["item"]), user, read_state(view), key)
    lang = service.locales.resolve(user)
    if outcome.status in ("updated", "unchanged"):
        text = (md("confirm.updated", lang, ref=ref(outcome.item_id),
                   changes=describe_changes(outcome.changes, service.rt.policy, lang))
                if outcome.status == "updated" else t("confirm.unchanged", lang))
        service.notify(f"{key}:done", user, lang, ":pencil2: " + text, channel=meta.get("channel"),
                       response_url=meta.get("response_url"), item_id=outcome.item_id)
    service.flush(outcome.item_id)


def register(app: App, service: BotService) -> None:
    @friendly(service, who)
    def open_change(body, client):  # in the web process: the trigger is valid for 3 seconds only
        item = service.rt.desk.get(item_id_of(body))
        lang = service.locales.resolve(body["user"]["id"])
        values = {"kind": item.kind, "category": item.category, "severity": item.severity, "department": item.department}
        meta = {"item": item.id, "channel": (body.get("channel") or {}).get("id"), "response_url": body.get("response_url")}
        client.views_open(trigger_id=body["trigger_id"], view=reclassify_modal(service.rt.policy, lang, values, meta))

    app.action(ids.CHANGE)(ack=lambda ack: ack(), lazy=[open_change])
    app.action(ids.UNDO)(service.store_after_ack("action.undo", action_key))
    app.view(ids.RECLASSIFY_MODAL)(service.store_after_ack("view.reclassify", lambda body: f"view:{body['view']['id']}"))
