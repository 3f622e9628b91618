"""`/return VOC-12`: the form to record goods the customer returned on complaint VOC-12 — the same
form as the thread menu's *Record a return* (bot/views/steps.py), decided by the same rule table.
`/return Geely`: the same form for a return of that customer without a complaint; `/return RMA-7`:
such a return with a button for its next step (bot/flows/standalone_return.py). `/return help` the usage. The form opens in the web process while the trigger is valid; a refusal
(not yours to record, no such complaint) is said instead of a form."""
from __future__ import annotations

import re

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import reference_number, unknown_reference
from bot.commands.feedback import who
from bot.flows.standalone_return import open_standalone_form
from bot.views.standalone_return import standalone_return_blocks
from domain.counts import read_id
from bot.flows.thread_work import open_step_form
from bot.service import BotService, friendly
from domain.errors import UnknownReference
from domain.i18n import ref, t

HELP_WORDS = {"", "help", "?", "帮助", "幫助"}
RMA = re.compile(r"^RMA-?(\d{1,12})$", re.IGNORECASE)


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


def standalone_return_command(service: BotService):
    """`/return`: a complaint's return (VOC-n), a return of a customer without a complaint (its name),
    or such a return shown with its next step (RMA-n)."""
    on_item = record_on_item_command(service, "record_return", "return.help")

    @friendly(service, who)
    def open_for_customer(body):
        user = body["user_id"]
        customer_id = service.rt.desk.return_customer((body.get("text") or "").strip(), user)
        open_standalone_form(service, user, body["trigger_id"], "record_return", customer_id, None, body.get("channel_id"),
                             body.get("response_url"))

    @friendly(service, who)
    def show_rma(body):
        user = body["user_id"]
        found = service.rt.desk.standalone(read_id(RMA.match(body["text"].strip())[1]) or 0, user)
        lang = service.locales.resolve(user)
        service.notify(f"command:{body.get('trigger_id')}:rma", user, lang, str(found.ret.id), channel=body.get("channel_id"),
                       response_url=body.get("response_url"), replace=False, blocks=standalone_return_blocks(found, lang))

    def ack_command(ack, body):
        text = (body.get("text") or "").strip()
        if text.lower() in HELP_WORDS or reference_number(text.split()[0]) is not None:
            return on_item(ack, body)
        ack()
        service.executor.submit(show_rma if RMA.match(text) else open_for_customer, body=body)

    return ack_command


def register(app: App, service: BotService) -> None:
    app.command(ids.RETURN_COMMAND)(standalone_return_command(service))
