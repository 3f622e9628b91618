"""`/feedback Customer: what they said` — and `/feedback` alone opens the form.

The ack runs no I/O: it answers "filing…" in the language the person typed, then hands
the request to the inbox writer (for the empty command, it opens the form in the
background while its trigger is valid). A worker classifies, files and posts.
"""
from __future__ import annotations

import json

from slack_bolt import App

from bot import action_ids as ids
from bot.handlers import Who
from bot.incoming_text import readable
from bot.service import BotService, friendly
from bot.views.forms import feedback_modal
from domain.intake import Submission
from bot.views.common import md
from domain.i18n import t
from domain.text import has_words, split_customer

HELP_WORDS = {"help", "?", "帮助", "幫助"}


def request_key(body: dict) -> str:
    return f"slash:{body.get('team_id')}:{body.get('trigger_id')}"


def who(body: dict) -> Who:
    return Who(request_key(body), body.get("user_id", ""), readable(body.get("text")), body.get("channel_id"),
               body.get("response_url"))


def file_feedback(service: BotService, body: dict) -> None:
    text, user = readable(body.get("text"), service.locales.name_of).strip(), body["user_id"]
    lang = service.locales.resolve(user, text)
    customer, said = split_customer(text)
    if not has_words(said):  # "Geely:" asks what they said; ":" or "?!" alone gets the usage
        answer = md("error.empty_body", lang, customer=customer) if customer else t("help.usage", lang)
        service.notify(f"{request_key(body)}:empty", user, lang, answer,
                       channel=body.get("channel_id"), response_url=body.get("response_url"))
        return
    outcome = service.rt.desk.submit(Submission(
        source="slash", key=request_key(body), reporter_id=user, text=said, customer=customer, locale=lang,
        team_id=body.get("team_id"), channel_id=body.get("channel_id"), reply_url=body.get("response_url"),
    ))
    if outcome.status != "duplicate":
        service.flush(outcome.item_id)


def register(app: App, service: BotService) -> None:
    def ack_feedback(ack, body):
        text = (body.get("text") or "").strip()
        lang = service.locales.guess(body.get("user_id", ""), text)
        if not text:
            ack()
            service.executor.submit(open_form, body=body)  # the trigger is valid for 3 s: open it now
        elif text.lower() in HELP_WORDS:
            ack(text=t("help.usage", lang))
        else:
            ack(text=t("ack.working", lang))
            service.accept("slash.feedback", request_key(body), body)

    @friendly(service, who)
    def open_form(body):
        lang = service.locales.resolve(body["user_id"])
        view = feedback_modal(service.rt.policy, lang, {}, {"source": "slash", "channel": body.get("channel_id")})
        service.rt.client.views_open(trigger_id=body["trigger_id"], view=view)

    app.command(ids.COMMAND)(ack_feedback)


def metadata(view: dict) -> dict:
    try:
        return json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
