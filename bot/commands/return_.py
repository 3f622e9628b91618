"""`/return VOC-12`: the form to record goods the customer returned on complaint VOC-12 — the same
form as the thread menu's *Record a return* (bot/views/steps.py), decided by the same rule table.
`/return help` the usage. The form opens in the web process while the trigger is valid; a refusal
(not yours to record, no such complaint) is said instead of a form."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import reference_number, unknown_reference
from bot.commands.feedback import who
from bot.flows.thread_work import open_step_form
from bot.service import BotService, friendly
from domain.errors import UnknownReference
from domain.i18n import ref, t

HELP_WORDS = {"", "help", "?", "帮助", "幫助"}


def record_on_item_command(service: BotService, action: str, help_key: str):
    """The ack of a command that opens a step's form on the complaint it names (`/return`, `/claim`)."""
    @friendly(service, who)
    def open_form(body):
        user, number = body["user_id"], reference_number((body.get("text") or "").split()[0])
        item_id = service.rt.desk.item_by_number(number)
        if item_id is None:
            raise UnknownReference(ref=ref(number))
        service.rt.desk.require_visible(item_id, user)  # a restricted customer's complaint: not even its form
        open_step_form(service, user, body["trigger_id"], action, item_id, None,
                       {"item": item_id, "channel": body.get("channel_id"), "fields": {}})

    def ack_command(ack, body):
        text = (body.get("text") or "").strip()
        lang = service.locales.guess(body.get("user_id", ""), text)
        if text.lower() in HELP_WORDS:
            ack(text=t(help_key, lang))
        elif refused := unknown_reference(text, lang):
            ack(text=refused)
        else:
            ack()
            service.executor.submit(open_form, body=body)  # the trigger is valid for 3 s: open it now

    return ack_command


def register(app: App, service: BotService) -> None:
    app.command(ids.RETURN_COMMAND)(record_on_item_command(service, "record_return", "return.help"))
