"""The buttons under a proposal (the bot was unsure): file it as proposed, edit it in the form, or discard."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.handlers import Who
from bot.service import BotService, friendly
from domain.cards import load_card
from bot.views.forms import feedback_modal
from domain.errors import ItemNotFound
from bot.views.common import md
from domain.i18n import ref, t


def action_key(body: dict) -> str:
    return f"action:{body.get('trigger_id')}"


def item_id_of(body: dict) -> int:
    """The item a button names; a value that names none (an old or foreign message) is "not found".
    Work buttons carry `item:version`, the version the message was drawn from."""
    value = str(body["actions"][0].get("value", "")).split(":")[0]
    if not value.isdigit():
        raise ItemNotFound(item=value)
    return int(value)


def who(body: dict) -> Who:
    return Who(action_key(body), body["user"]["id"], None, (body.get("channel") or {}).get("id"), body.get("response_url"))


def tell_what_happened(service: BotService, body: dict, item_id: int) -> None:
    """A button of a proposal that was already filed or discarded: say so, beside it."""
    user = body["user"]["id"]
    lang, item = service.locales.resolve(user), service.rt.desk.get(item_id)
    text = (md("confirm.already_filed", lang, ref=ref(item.number)) if item.number is not None
            else t("confirm.already_discarded", lang))
    service.notify(f"{action_key(body)}:done", user, lang, text, channel=(body.get("channel") or {}).get("id"),
                   response_url=body.get("response_url"), replace=False)


def file_draft(service: BotService, body: dict) -> None:
    outcome = service.rt.desk.confirm_draft(item_id_of(body), body["user"]["id"], action_key(body),
                                            reply_url=body.get("response_url"))
    if outcome.status == "unchanged":
        tell_what_happened(service, body, outcome.item_id)
    if outcome.status != "duplicate":
        service.flush(outcome.item_id)


def cancel_draft(service: BotService, body: dict) -> None:
    user = body["user"]["id"]
    outcome = service.rt.desk.cancel_draft(item_id_of(body), user, action_key(body))
    if outcome.status == "unchanged":
        tell_what_happened(service, body, outcome.item_id)
    if outcome.status == "cancelled":
        lang = service.locales.resolve(user)
        service.notify(f"{action_key(body)}:done", user, lang, t("confirm.cancelled", lang),
                       channel=(body.get("channel") or {}).get("id"), response_url=body.get("response_url"))


def register(app: App, service: BotService) -> None:
    @friendly(service, who)
    def edit_draft(body, client):  # in the web process: the trigger is valid for 3 seconds only
        lang = service.locales.resolve(body["user"]["id"])
        with service.rt.db.session() as s:
            card = load_card(s, item_id_of(body))
        if card is None:
            raise ItemNotFound(item=item_id_of(body))
        item = card.item
        prefill = {"customer": card.customer_name, "text": item.text, "kind": item.kind, "category": item.category,
                   "severity": item.severity, "part_numbers": item.part_numbers, "lot_numbers": item.lot_numbers,
                   "quantity": item.quantity, "line_stopped": item.line_stopped}
        meta = {"draft": item.id, "channel": item.source_channel, "response_url": body.get("response_url")}
        client.views_open(trigger_id=body["trigger_id"], view=feedback_modal(service.rt.policy, lang, prefill, meta))

    app.action(ids.FILE_DRAFT)(service.store_after_ack("action.file_draft", action_key))
    app.action(ids.EDIT_DRAFT)(ack=lambda ack: ack(), lazy=[edit_draft])
    app.action(ids.CANCEL_DRAFT)(service.store_after_ack("action.cancel_draft", action_key))
