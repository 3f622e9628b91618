"""Message shortcut "Log as customer feedback": the form, prefilled from the message."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.handlers import Who
from bot.incoming_text import readable
from bot.service import BotService, friendly
from bot.views.forms import feedback_modal
from domain.text import split_customer


def prefill_from_text(service: BotService, text: str, customer: str | None = None) -> dict:
    """What the classifier proposes for a text, as form values."""
    result = service.rt.desk.classifier.classify(text)
    ex = result.extracted
    return {"customer": customer, "text": text, "kind": result.kind, "category": result.category,
            "severity": result.severity, "part_numbers": list(ex.part_numbers), "lot_numbers": list(ex.lot_numbers),
            "quantity": ex.quantity, "line_state": ex.line_state}


def register(app: App, service: BotService) -> None:
    def who(body: dict) -> Who:
        return Who(f"shortcut:{body.get('trigger_id')}", body["user"]["id"], None, (body.get("channel") or {}).get("id"),
                   body.get("response_url"))

    @friendly(service, who)
    def open_form(body, client):
        message = body.get("message") or {}
        # Within the trigger's 3 s: no name lookups here, a mention without a name reads "@someone".
        customer, said = split_customer(readable(message.get("text")))
        lang = service.locales.resolve(body["user"]["id"], said)
        channel = (body.get("channel") or {}).get("id")
        view = feedback_modal(service.rt.policy, lang, prefill_from_text(service, said, customer),
                              {"source": "shortcut", "channel": channel, "message_ts": message.get("ts")})
        client.views_open(trigger_id=body["trigger_id"], view=view)

    app.shortcut(ids.SHORTCUT_LOG)(ack=lambda ack: ack(), lazy=[open_form])
