"""The buttons under a filed item's confirmation: change the classification, or undo (withdraw)."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.feedback import metadata
from bot.flows.proposal import action_key, describe, item_id_of
from bot.service import BotService, friendly
from bot.views.forms import read_state, reclassify_modal
from bot.views.thread import describe_changes
from domain.i18n import ref, t


def register(app: App, service: BotService) -> None:
    desk = service.rt.desk

    @friendly(service, describe)
    def open_change(body, client):
        user = body["user"]["id"]
        item = desk.get(item_id_of(body))
        lang = service.locales.resolve(user)
        values = {"kind": item.kind, "category": item.category, "severity": item.severity, "department": item.department}
        meta = {"item": item.id, "channel": (body.get("channel") or {}).get("id"), "response_url": body.get("response_url")}
        client.views_open(trigger_id=body["trigger_id"], view=reclassify_modal(service.rt.policy, lang, values, meta))

    @friendly(service, describe)
    def undo(body):
        user = body["user"]["id"]
        outcome = desk.withdraw(item_id_of(body), user, action_key(body))
        if outcome.status == "withdrawn":
            lang = service.locales.resolve(user)
            service.notify(f"{action_key(body)}:done", user, lang, ":leftwards_arrow_with_hook: " +
                           t("confirm.withdrawn", lang, ref=ref(outcome.item_id)),
                           channel=(body.get("channel") or {}).get("id"), response_url=body.get("response_url"),
                           item_id=outcome.item_id)
        service.flush(outcome.item_id)

    def describe_view(body: dict):
        meta = metadata(body.get("view", {}))
        return f"view:{body['view']['id']}", body["user"]["id"], None, meta.get("channel"), meta.get("response_url")

    @friendly(service, describe_view)
    def save_change(body, view):
        user = body["user"]["id"]
        meta = metadata(view)
        key = f"view:{view['id']}"
        outcome = desk.reclassify(int(meta["item"]), user, read_state(view), key)
        lang = service.locales.resolve(user)
        if outcome.status in ("updated", "unchanged"):
            text = (t("confirm.updated", lang, ref=ref(outcome.item_id),
                      changes=describe_changes({k: v for k, v in outcome.changes.items()}, service.rt.policy, lang))
                    if outcome.status == "updated" else t("confirm.unchanged", lang))
            service.notify(f"{key}:done", user, lang, ":pencil2: " + text, channel=meta.get("channel"),
                           response_url=meta.get("response_url"), item_id=outcome.item_id)
        service.flush(outcome.item_id)

    ack = lambda ack: ack()  # noqa: E731
    app.action(ids.CHANGE)(ack=ack, lazy=[open_change])
    app.action(ids.UNDO)(ack=ack, lazy=[undo])
    app.view(ids.RECLASSIFY_MODAL)(ack=ack, lazy=[save_change])
