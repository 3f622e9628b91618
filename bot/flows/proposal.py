"""The buttons under a proposal (the bot was unsure): file it as proposed, edit it in the form, or discard."""
from __future__ import annotations

import re

from slack_bolt import App

from bot import action_ids as ids
from bot.handlers import Who
from bot.service import BotService, friendly
from domain.cards import load_card
from bot.views.forms import draft_prefill, feedback_modal
from domain.counts import read_id
from domain.errors import ItemNotFound
from bot.views.common import Markup, md
from domain.i18n import ref, t


def action_key(body: dict) -> str:
    return f"action:{body.get('trigger_id')}"


def item_id_of(body: dict) -> int:
    """The item a button names; a value that names none (an old or foreign message) is "not found".
    Work buttons carry `item:version`, the version the message was drawn from."""
    value = str(body["actions"][0].get("value", "")).split(":")[0]
    if (item_id := read_id(value)) is None:
        raise ItemNotFound(item=value)
    return item_id


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


def file_draft(service: BotService, body: dict, chosen: dict | None = None) -> None:
    outcome = service.rt.desk.confirm_draft(item_id_of(body), body["user"]["id"], action_key(body), chosen,
                                            reply_url=body.get("response_url"))
    _after_filing(service, body, outcome)


def _after_filing(service: BotService, body: dict, outcome) -> None:
    """A button that files a draft: a second press is told what happened; what was filed is sent now."""
    if outcome.status == "unchanged":
        tell_what_happened(service, body, outcome.item_id)
    if outcome.status != "duplicate":
        service.flush(outcome.item_id)


def pick_customer(service: BotService, body: dict) -> None:
    """"Did you mean …?": a known customer (filed under it) or the name as typed (a new customer)."""
    item_id = item_id_of(body)
    choice = str(body["actions"][0].get("value", "")).split(":")[-1]
    draft = service.rt.desk.get(item_id)
    offered = {str(c["id"]): c["name"] for c in (draft.offers or {}).get("customers") or []}
    name = offered.get(choice) if choice != "new" else draft.customer_text
    if not name:
        raise ItemNotFound(item=choice)
    file_draft(service, body, {"customer": name})


def add_to_existing(service: BotService, body: dict) -> None:
    """The same report as an item filed in the last hours: into that item's thread, not filed twice."""
    user, item_id = body["user"]["id"], item_id_of(body)
    outcome = service.rt.desk.add_to_existing(item_id, user, action_key(body))
    if outcome.status == "unchanged":
        tell_what_happened(service, body, item_id)
    if outcome.status == "proposed":  # that item was withdrawn meanwhile: the draft is proposed again
        service.flush(item_id)
    if outcome.status != "added":
        return
    lang, target = service.locales.resolve(user), service.rt.desk.get(outcome.item_id)
    link = Markup(f" (<#{target.channel_id}>)") if target.channel_id else ""  # no Slack call: the answer cannot fail on it
    service.notify(f"{action_key(body)}:added", user, lang, md("offer.added", lang, ref=ref(target.number), link=link),
                   channel=(body.get("channel") or {}).get("id"), response_url=body.get("response_url"))
    service.flush(outcome.item_id)


def answer_aa(service: BotService, body: dict) -> None:
    """"Could this be AA?": the answer sets the severity (and is its reason); then the draft is filed."""
    answer = str(body["actions"][0].get("value", "")).split(":")[-1]
    outcome = service.rt.desk.answer_aa(item_id_of(body), body["user"]["id"], action_key(body), answer,
                                        reply_url=body.get("response_url"))
    _after_filing(service, body, outcome)


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
        meta = {"draft": item.id, "channel": item.source_channel, "response_url": body.get("response_url")}
        client.views_open(trigger_id=body["trigger_id"], view=feedback_modal(service.rt.policy, lang, draft_prefill(card), meta))

    app.action(ids.FILE_DRAFT)(service.store_after_ack("action.file_draft", action_key))
    app.action(ids.EDIT_DRAFT)(ack=lambda ack: ack(), lazy=[edit_draft])
    app.action(ids.CANCEL_DRAFT)(service.store_after_ack("action.cancel_draft", action_key))
    app.action(re.compile("^" + re.escape(ids.PICK_CUSTOMER)))(service.store_after_ack("action.pick_customer", action_key))
    app.action(re.compile("^" + re.escape(ids.ANSWER_AA)))(service.store_after_ack("action.answer_aa", action_key))
    app.action(ids.ADD_TO_EXISTING)(service.store_after_ack("action.add_to_existing", action_key))
