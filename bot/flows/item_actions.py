"""The buttons under a filed item's confirmation: change the classification, or undo (withdraw)."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.feedback import metadata
from bot.flows.proposal import action_key, item_id_of, who
from bot.handlers import Who
from bot.service import BotService, friendly
from bot.flows.feedback_form import fact_values, validate_facts
from bot.views.forms import correct_modal, read_state, reclassify_modal
from bot.views.thread import describe_changes
from bot.views.common import md
from domain.i18n import ref, t


def undo(service: BotService, body: dict) -> None:
    user = body["user"]["id"]
    outcome = service.rt.desk.withdraw(item_id_of(body), user, action_key(body))
    if outcome.status in ("withdrawn", "unchanged"):
        lang = service.locales.resolve(user)
        number = service.rt.desk.get(outcome.item_id).number
        # A stale click (undo twice, from an old copy of the message) says what happened instead.
        text = (":leftwards_arrow_with_hook: " + md("confirm.withdrawn", lang, ref=ref(number))
                if outcome.status == "withdrawn" else md("confirm.already_withdrawn", lang, ref=ref(number)))
        service.notify(f"{action_key(body)}:done", user, lang, text,
                       channel=(body.get("channel") or {}).get("id"), response_url=body.get("response_url"),
                       item_id=outcome.item_id, replace=outcome.status == "withdrawn")
    service.flush(outcome.item_id)


def reply_url(body: dict) -> str | None:
    """Where answers may replace the message clicked: only the reporter's own (ephemeral)
    confirmation. A click on the thread parent is answered with an ephemeral beside it."""
    return body.get("response_url") if (body.get("container") or {}).get("is_ephemeral") else None


def who_view(body: dict) -> Who:
    meta = metadata(body.get("view", {}))
    return Who(f"view:{body['view']['id']}", body["user"]["id"], read_state(body["view"]).get(ids.B_TEXT),
               meta.get("channel"), meta.get("response_url"))


def _answer_change(service: BotService, body: dict, outcome, done_key: str) -> None:
    """Say what changed beside the confirmation, and draw the confirmation again with its buttons."""
    user, meta = body["user"]["id"], metadata(body["view"])
    lang = service.locales.resolve(user)
    if outcome.status not in ("updated", "unchanged"):
        return
    number = service.rt.desk.get(outcome.item_id).number
    text = (md(done_key, lang, ref=ref(number), changes=describe_changes(outcome.changes, service.rt.policy, lang))
            if outcome.status == "updated" else t("confirm.unchanged", lang))
    if outcome.status == "updated" and meta.get("response_url"):  # first: it replaces the message clicked
        service.refresh_confirmation(outcome.item_id, user, lang, channel=meta.get("channel"),
                                     response_url=meta.get("response_url"))
    service.notify(f"view:{body['view']['id']}:done", user, lang, ":pencil2: " + text, channel=meta.get("channel"),
                   response_url=meta.get("response_url"), item_id=outcome.item_id, replace=False)


def save_change(service: BotService, body: dict) -> None:
    view, user = body["view"], body["user"]["id"]
    outcome = service.rt.desk.reclassify(int(metadata(view)["item"]), user, f"view:{view['id']}", read_state(view))
    _answer_change(service, body, outcome, "confirm.updated")
    service.flush(outcome.item_id)


def save_correction(service: BotService, body: dict) -> None:
    view, user = body["view"], body["user"]["id"]
    state = read_state(view)
    chosen = {"customer": state.get(ids.B_CUSTOMER), "text": state.get(ids.B_TEXT), **fact_values(state)}
    outcome = service.rt.desk.correct_facts(int(metadata(view)["item"]), user, f"view:{view['id']}", chosen)
    _answer_change(service, body, outcome, "confirm.corrected")
    service.flush(outcome.item_id)


def register(app: App, service: BotService) -> None:
    @friendly(service, who)
    def open_change(body, client):  # in the web process: the trigger is valid for 3 seconds only
        item = service.rt.desk.get(item_id_of(body))
        lang = service.locales.resolve(body["user"]["id"])
        values = {"kind": item.kind, "category": item.category, "severity": item.severity, "department": item.department}
        meta = {"item": item.id, "channel": (body.get("channel") or {}).get("id"), "response_url": reply_url(body)}
        client.views_open(trigger_id=body["trigger_id"], view=reclassify_modal(service.rt.policy, lang, values, meta))

    @friendly(service, who)
    def open_correct(body, client):
        card = service.rt.desk.card(item_id_of(body))
        item, lang = card.item, service.locales.resolve(body["user"]["id"])
        prefill = {"customer": card.customer_name, "text": item.text, "part_numbers": item.part_numbers,
                   "lot_numbers": item.lot_numbers, "quantity": item.quantity, "line_state": item.line_state}
        meta = {"item": item.id, "channel": (body.get("channel") or {}).get("id"), "response_url": reply_url(body)}
        client.views_open(trigger_id=body["trigger_id"], view=correct_modal(lang, prefill, meta))

    def ack_correct(ack, body, view):
        state = read_state(view)
        errors = validate_facts(state, service.locales.guess(body["user"]["id"], state.get(ids.B_TEXT)))
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()
            service.accept("view.correct", f"view:{view['id']}", body)

    app.action(ids.CHANGE)(ack=lambda ack: ack(), lazy=[open_change])
    app.action(ids.CORRECT)(ack=lambda ack: ack(), lazy=[open_correct])
    app.view(ids.CORRECT_MODAL)(ack_correct)
    app.action(ids.UNDO)(service.store_after_ack("action.undo", action_key))
    app.view(ids.RECLASSIFY_MODAL)(service.store_after_ack("view.reclassify", lambda body: f"view:{body['view']['id']}"))
