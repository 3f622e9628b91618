"""`/customer <name>`: the customer's record (seed 001 §4.1) and its open items, to the person asking.
A restricted customer's record is shown only to its account team, the QM, the GM and admins; anyone
else is told there is no such record (not even that it exists). Admins and the QM get an Edit button:
the form is checked field by field in the ack (bilingual messages under each field), then saved by
the worker, audited old → new; a new account owner takes over the old one's open items and
reminders (domain/customer_work.py)."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import reading_command
from bot.commands.feedback import metadata, request_key
from bot.flows.proposal import action_key
from bot.handlers import Who
from bot.service import BotService, friendly
from bot.views.customer import (customer_blocks, customer_modal, customer_name, customer_text, form_errors, saved_text,
                                submitted_fields)
from domain.counts import read_id
from domain.customer_form import read_record

HELP_WORDS = {"", "help", "?", "帮助", "幫助"}
CUSTOMER_CHARS = 200


def show(service: BotService, body: dict) -> None:
    user, rt = body["user_id"], service.rt
    lang = service.locales.resolve(user, body.get("text"))
    page = rt.desk.customer_page((body.get("text") or "").strip()[:CUSTOMER_CHARS], user)
    service.notify(f"{request_key(body)}:answer", user, lang, customer_text(page, lang),
                   blocks=customer_blocks(page, rt.policy, lang), channel=body.get("channel_id"),
                   response_url=body.get("response_url"))


def who_view(body: dict) -> Who:
    view = body.get("view") or {}
    return Who(f"view:{view.get('id')}", body["user"]["id"], None, metadata(view).get("channel"), None)


def save(service: BotService, body: dict) -> None:
    """The form, checked in the ack, saved: the person is told what changed (and what moved)."""
    rt, view, user = service.rt, body["view"], body["user"]["id"]
    lang = service.locales.resolve(user)
    meta = metadata(view)
    record = read_record(submitted_fields(view), rt.policy)
    saved = rt.desk.edit_customer(int(meta["customer_id"]), record, user, f"view:{view['id']}", meta.get("version"))
    text = saved_text(saved, customer_name(record, lang), lang)
    service.notify(f"view:{view['id']}:answer", user, lang, text, channel=meta.get("channel"))


def register(app: App, service: BotService) -> None:
    app.command(ids.CUSTOMER_COMMAND)(reading_command(service, "slash.customer", "customer.help", HELP_WORDS))

    def ack_edit(ack, body):
        ack()
        service.executor.submit(open_form, body=body)  # the trigger is valid for 3 s: open it now

    def who_clicked(body: dict) -> Who:
        return Who(action_key(body), body["user"]["id"], None, (body.get("channel") or {}).get("id"), body.get("response_url"))

    @friendly(service, who_clicked)
    def open_form(body):
        rt, user = service.rt, body["user"]["id"]
        lang = service.locales.resolve(user)
        page = rt.desk.customer_by_id(read_id(str(body["actions"][0].get("value", ""))) or 0, user)
        view = customer_modal(page, rt.policy, lang, {"channel": (body.get("channel") or {}).get("id")})
        rt.client.views_open(trigger_id=body["trigger_id"], view=view)

    def ack_form(ack, body, view):
        # Each field checked here, without I/O: what is wrong is said under its field, in the
        # person's language, and Slack keeps everything typed. The domain checks again on saving.
        lang = service.locales.guess(body["user"]["id"], "")
        errors = form_errors(view, service.rt.policy, lang)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        service.accept("view.customer", f"view:{view['id']}", body)

    app.action(ids.CUSTOMER_EDIT)(ack_edit)
    app.view(ids.CUSTOMER_MODAL)(ack_form)
