"""Working an item from its thread: every lifecycle step's button, the parent's menu of the other
steps, the step forms, the quality manager's Approve / Send back, and reactions as shortcuts.

One listener serves every step: the action is named by the button (`ids.step(action)`) or the menu
option, the table in domain/lifecycle decides whether it may happen. In the web process (within the
ack): store the request, or — for a step with a form — open the form while the trigger is valid
(asking the domain first, so nobody fills in a form that would be refused). In the worker: do it.
"""
from __future__ import annotations

import re

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import show_history
from bot.commands.feedback import metadata
from bot.flows.proposal import action_key, item_id_of, who
from bot.handlers import Who
from bot.service import BotService, friendly
from bot.views.common import md
from bot.views.forms import read_state
from bot.flows.standalone_return import submit_standalone_return
from bot.views.steps import needs_form, read_step, step_errors, step_modal
from domain.counts import read_id
from domain.i18n import ref, t

# Answered in the approver's DM: the answer replaces the request there.
IN_THE_APPROVER_DM = ("approve_closure", "send_back", "approve_8d", "reject_8d", "approve_action", "reject_action",
                      "approve_claim", "send_back_claim")


def step_of(body: dict) -> tuple[str, int, int | None]:
    """(action, item id, version the message was drawn from) of a step button or a menu choice."""
    clicked = body["actions"][0]
    if clicked.get("action_id") == ids.MORE:
        action, _, value = ((clicked.get("selected_option") or {}).get("value") or "").partition(":")
        clicked = {"value": value}
    else:
        action = clicked.get("action_id", "").removeprefix(ids.STEP_PREFIX)
    version = str(clicked.get("value", "")).split(":")[1:2] or [""]
    return action, item_id_of({"actions": [clicked]}), read_id(version[0])


def in_a_dm(body: dict) -> bool:
    """Clicked in a DM (an approval request), not on the thread parent (whose menu offers some of them too)."""
    return str((body.get("channel") or {}).get("id", "")).startswith("D")


def subject_fields(body: dict) -> dict:
    """An approval DM's buttons name what they decide: `item:version:action_id:r<revision>` (the action
    empty for an 8D or a closure). The revision makes a click on an old DM approve nothing newer."""
    parts = str(body["actions"][0].get("value", "")).split(":")
    fields = {"action_id": action_id} if len(parts) > 2 and (action_id := read_id(parts[2])) else {}
    if len(parts) > 2 and parts[2].startswith("claim") and (claim_id := read_id(parts[2].removeprefix("claim"))):
        fields = {"claim_id": claim_id}
    if len(parts) > 3 and parts[3].startswith("r") and (revision := read_id(parts[3][1:])):
        fields["revision"] = revision
    return fields


def take_step(service: BotService, body: dict) -> None:
    """A step with nothing to fill in (or History): done for the person who clicked."""
    action, item_id, version = step_of(body)
    user = body["user"]["id"]
    if action == ids.HISTORY:
        show_history(service, user, item_id, 0, f"{action_key(body)}:history", channel=(body.get("channel") or {}).get("id"),
                     response_url=body.get("response_url"), replace=False)
        return
    outcome = service.rt.desk.act(item_id, user, action_key(body), action, subject_fields(body) or None, seen_version=version)
    if action in IN_THE_APPROVER_DM and in_a_dm(body) and outcome.status == "updated":
        _answer_in_place(service, user, action, outcome.item_id, f"{action_key(body)}:done", body.get("response_url"))
    service.flush(outcome.item_id)


def submit_step(service: BotService, body: dict) -> None:
    view, user = body["view"], body["user"]["id"]
    meta = metadata(view)
    action = meta.get("action", "")
    fields = {**read_step(action, read_state(view), service.rt.policy.tz), **(meta.get("fields") or {})}
    if "customer" in meta:  # a return without a complaint (`/return Geely`, `/return RMA-7`)
        submit_standalone_return(service, user, f"view:{view['id']}", action, meta, fields)
        return
    outcome = service.rt.desk.act(int(meta["item"]), user, f"view:{view['id']}", action, fields,
                                  seen_version=meta.get("version"))
    if action in IN_THE_APPROVER_DM and meta.get("response_url") and outcome.status == "updated":
        _answer_in_place(service, user, action, outcome.item_id, f"view:{view['id']}:done", meta.get("response_url"))
    service.flush(outcome.item_id)


def open_step_form(service: BotService, user: str, trigger_id: str, action: str, item_id: int, version: int | None,
                   meta: dict) -> None:
    """A step's form, opened in the web process while the trigger is valid — after asking the domain,
    so nobody fills in a form that would be refused (the refusal is said instead). The thread's
    buttons and the commands that record on an item (`/return`, `/claim`) open it the same way."""
    item = service.rt.desk.may(item_id, user, action, version)
    lang = service.locales.resolve(user)
    service.rt.client.views_open(trigger_id=trigger_id, view=step_modal(action, item, service.rt.policy, lang, meta,
                                                                        now=service.rt.clock.now()))


def _answer_in_place(service: BotService, user: str, action: str, item_id: int, key: str, response_url: str | None) -> None:
    lang = service.locales.resolve(user)
    text = ":white_check_mark: " + md("approval.done", lang, action=t(f"action.{action}", lang),
                                      ref=ref(service.rt.desk.get(item_id).number))
    service.notify(key, user, lang, text, response_url=response_url, item_id=item_id, replace=True)


def reaction_key(body: dict) -> str:
    event = body.get("event", {})
    item = event.get("item") or {}
    return f"reaction:{item.get('channel')}:{item.get('ts')}:{event.get('user')}:{event.get('reaction')}"


def who_reacted(body: dict) -> Who:
    event = body.get("event", {})
    return Who(reaction_key(body), event.get("user", ""), None, (event.get("item") or {}).get("channel"), None)


def react(service: BotService, body: dict) -> None:
    """A reaction on a thread parent is a shortcut (policy `thread.reactions`); the same rules apply."""
    event = body["event"]
    item = service.rt.desk.item_of_thread(event["item"]["channel"], event["item"]["ts"])
    action = service.rt.policy.thread.reactions.get(event.get("reaction", ""))
    if item is not None and action is not None:
        outcome = service.rt.desk.act(item, event["user"], reaction_key(body), action)
        service.flush(outcome.item_id)


def register(app: App, service: BotService) -> None:
    def ack_step(ack, body):
        ack()
        try:
            action = step_of(body)[0]
        except Exception:  # a value naming no item: the worker says "not found"
            action = ""
        if not needs_form(action):
            service.accept("action.step", action_key(body), body)

    @friendly(service, who)
    def open_form(body, client):  # in the web process: the trigger is valid for 3 seconds only
        action, item_id, version = step_of(body)
        if not needs_form(action):
            return
        meta = {"item": item_id, "channel": (body.get("channel") or {}).get("id"),
                "response_url": body.get("response_url") if action in IN_THE_APPROVER_DM and in_a_dm(body) else None,
                "fields": subject_fields(body)}
        open_step_form(service, body["user"]["id"], body["trigger_id"], action, item_id, version, meta)

    def ack_form(ack, body, view):
        action = metadata(view).get("action", "")
        errors = step_errors(action, read_state(view), service.locales.guess(body["user"]["id"]))
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()
            service.accept("view.step", f"view:{view['id']}", body)

    app.action(re.compile("^" + re.escape(ids.STEP_PREFIX)))(ack=ack_step, lazy=[open_form])
    app.action(ids.MORE)(ack=ack_step, lazy=[open_form])
    app.view(ids.STEP_MODAL)(ack_form)

    def on_reaction(ack, body, event):
        ack()
        if event.get("reaction") in service.rt.policy.thread.reactions and (event.get("item") or {}).get("type") == "message":
            service.accept("event.reaction", reaction_key(body), body)

    app.event("reaction_added")(on_reaction)


