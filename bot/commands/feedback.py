"""`/feedback Customer: what they said` — and `/feedback` alone opens the form.

The ack runs no I/O: it answers "filing…" in the language the person typed. Locale
lookup, classification, the database and every Slack call happen in the lazy listener.
"""
from __future__ import annotations

import json

from slack_bolt import App

from bot import action_ids as ids
from bot.service import BotService, friendly
from bot.views.forms import feedback_modal
from domain.desk import Submission
from domain.i18n import t
from domain.text import split_customer

HELP_WORDS = {"help", "?", "帮助", "幫助"}


def request_key(body: dict) -> str:
    return f"slash:{body.get('team_id')}:{body.get('trigger_id')}"


def register(app: App, service: BotService) -> None:
    def describe(body: dict):
        return request_key(body), body.get("user_id", ""), body.get("text"), body.get("channel_id"), body.get("response_url")

    def ack_feedback(ack, body):
        text = (body.get("text") or "").strip()
        lang = service.locales.guess(body.get("user_id", ""), text)
        if not text:
            ack()  # the form opens from the lazy listener
        elif text.lower() in HELP_WORDS:
            ack(text=t("help.usage", lang))
        else:
            ack(text=t("ack.working", lang))

    @friendly(service, describe)
    def file_feedback(body, client):
        text = (body.get("text") or "").strip()
        user = body["user_id"]
        if text.lower() in HELP_WORDS:
            return
        lang = service.locales.resolve(user, text)
        if not text:
            view = feedback_modal(service.rt.policy, lang, {}, {"source": "slash", "channel": body.get("channel_id")})
            client.views_open(trigger_id=body["trigger_id"], view=view)
            return
        customer, said = split_customer(text)
        if customer and not said:
            service.notify(f"{request_key(body)}:empty", user, lang, t("error.empty_body", lang, customer=customer),
                           channel=body.get("channel_id"), response_url=body.get("response_url"))
            return
        outcome = service.rt.desk.submit(Submission(
            source="slash", key=request_key(body), reporter_id=user, text=said, customer=customer, locale=lang,
            team_id=body.get("team_id"), channel_id=body.get("channel_id"), reply_url=body.get("response_url"),
        ))
        if outcome.status != "duplicate":
            service.flush(outcome.item_id)

    app.command(ids.COMMAND)(ack=ack_feedback, lazy=[file_feedback])


def metadata(view: dict) -> dict:
    try:
        return json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
