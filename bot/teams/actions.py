"""The thread parent's buttons on Teams: Adaptive Card `Action.Execute` (Universal Actions), which
Teams sends as an `adaptiveCard/action` invoke — the same steps as Slack's buttons and menu
(bot/flows/thread_work.py), decided by the same rule table and role checks (`Desk.may`, `Desk.act`).

Teams waits for the invoke's answer (the card's spinner), so the web process answers it at once, from
the database, without any call out: a refusal (wrong role, wrong state) as a message in the person's
language; a card drawn for an older version of the item as the item now, with "this card was out of
date" (nothing done); a step with a form as the form's card; a form left incomplete as the form again
with what is missing. What is to be done is stored in the inbox (`teams:<activity id>`: the channel's
retry is stored once) and done by the worker, which redraws the parent and notes the step in the
thread through the outbox, as on Slack.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from bot import action_ids as ids
from bot.handlers import Who
from bot.messaging.boundary import TEAMS
from bot.service import BotService
from bot.teams import people
from bot.teams.cards import CARD_TYPE, adaptive_card
from bot.teams.edge import request_key
from bot.teams.form_cards import CLOSE, SUBMIT, form_card, values_of
from bot.teams.intake import language
from bot.flows.thread_work import subject_fields  # an approval button's value, read as Slack reads it
from bot.views.complaint import HISTORY_PAGE_SIZE, history_blocks
from bot.views.steps import needs_form, read_step, step_errors, step_modal
from bot.views.thread import parent_blocks
from domain.counts import read_id
from domain.errors import DomainError
from domain.i18n import ref, t

log = logging.getLogger("voc.teams")
INVOKE_NAME = "adaptiveCard/action"
STEP_KIND = "teams.step"  # a step to do (its form's values, when it has one), stored for the worker
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"


def offered(action_id: str | None) -> bool:
    """What the Teams card offers: the lifecycle steps, as buttons and in the menu, and History (not
    yet: the reporter's corrections, which open other forms)."""
    return bool(action_id) and action_id not in (ids.CHANGE, ids.CORRECT)


def parent_card(card, policy, lang: str, now, tag_of=None, moved_to: str | None = None) -> dict:
    """The thread parent as Teams shows it: Slack's view with the steps Teams acts on."""
    return adaptive_card(parent_blocks(card, policy, lang, moved_to=moved_to, now=now), actions=True,
                         offered=offered, tag_of=tag_of)


# ---- what the card sent ------------------------------------------------------------------------
@dataclass(frozen=True)
class Clicked:
    """What a card's action asks: the step, on which item, the version the card was drawn for, what
    an approval request's button names (`subject`: action_id / claim_id, revision) and the data sent."""

    step: str
    item_id: int
    version: int | None
    subject: dict
    data: dict


def clicked(activity: dict) -> Clicked:
    """ValueError when the invoke names no step of an item."""
    action = ((activity.get("value") or {}).get("action") or {})
    verb, data = str(action.get("verb") or ""), action.get("data") or {}
    if verb == SUBMIT:
        step, item, version = str(data.get("step") or ""), data.get("item"), data.get("version")
        subject = data.get("subject") if isinstance(data.get("subject"), dict) else {}
    else:
        if verb == ids.MORE:  # the menu: its choice is "<step>:<item>:<version>", as in Slack's options
            step, _, value = str(data.get(ids.MORE) or "").partition(":")
        elif verb.startswith(ids.STEP_PREFIX):
            step, value = verb.removeprefix(ids.STEP_PREFIX), str(data.get("value") or "")
        else:
            raise ValueError(f"not a step: {verb!r}")
        item, version = (value.split(":") + [""])[:2]
        # an approval request's button: "<item>:<version>:<action id | claim<n>>:r<revision>" (bot/views/approval.py)
        subject = subject_fields({"actions": [{"value": value}]})
    item_id = read_id(str(item))
    if not step or item_id is None:
        raise ValueError("the action names no item")
    return Clicked(step, item_id, read_id(str(version)) if version not in (None, "") else None, subject, data)


def in_a_chat(activity: dict) -> bool:
    """Pressed in a person's chat with the bot (an approval request), not on a channel's thread parent."""
    return (activity.get("conversation") or {}).get("conversationType") == "personal"


def person_of(activity: dict) -> str:
    return people.person_id((activity.get("from") or {}).get("aadObjectId") or "")


def who(activity: dict) -> Who:
    """Whom the worker tells when the step is refused after all (the state moved since the answer):
    the card's thread — Teams' threaded conversation id, `<channel>;messageid=<parent>` — not the channel."""
    try:
        person = person_of(activity)
    except ValueError:
        person = ""
    return Who(request_key(activity), person, None, thread_of(activity), None, platform=TEAMS)


def thread_of(activity: dict) -> str | None:
    conversation = activity.get("conversation") or {}
    cid, parent = conversation.get("id"), activity.get("replyToId")
    if cid and parent and conversation.get("conversationType") == "channel" and ";messageid=" not in cid:
        return f"{cid};messageid={parent}"
    return cid


# ---- in the web process: the invoke's answer ---------------------------------------------------
def message(text: str) -> dict:
    return {"statusCode": 200, "type": MESSAGE_TYPE, "value": text}


def card_answer(card: dict) -> dict:
    return {"statusCode": 200, "type": CARD_TYPE, "value": card}


def answer_invoke(service: BotService, activity: dict) -> dict:
    """The invoke response (the body Teams shows); stores the step for the worker when it is to be done."""
    lang = language(activity, "", service.rt.policy.company.language)
    try:
        return _answer(service, activity, lang)
    except Exception:  # Teams shows its own error for a failed invoke: say ours instead
        log.exception("could not answer a card action %s", request_key(activity))
        return message(t("error.generic", lang))


def parent_for(service: BotService, item_id: int, person: str, lang: str) -> dict:
    """The thread parent as it is now, drawn for one person: only when they may see the item (an item id in
    a card's data is the sender's to choose)."""
    service.rt.desk.require_visible(item_id, person)
    return parent_card(service.rt.desk.card(item_id), service.rt.policy, lang, service.rt.clock.now())


def _answer(service: BotService, activity: dict, lang: str) -> dict:
    try:
        person = person_of(activity)
        people.remember_name(person, (activity.get("from") or {}).get("name"))
    except ValueError:
        return message(t("teams.not_a_person", lang))
    action = (activity.get("value") or {}).get("action") or {}
    if action.get("verb") == CLOSE:  # a form closed: the thread parent as it is now, for this person
        try:
            return card_answer(parent_for(service, read_id(str((action.get("data") or {}).get("item"))) or 0, person, lang))
        except DomainError as missing:
            return message(missing.message(lang))
    try:
        asked = clicked(activity)
    except ValueError as why:
        log.info("an invoke that names no step: %s", why)
        return message(t("teams.not_yet", lang))
    desk, rt, step = service.rt.desk, service.rt, asked.step
    try:
        item = desk.get(asked.item_id)
        if step == ids.HISTORY:
            return card_answer(history_card(service, person, item.id, lang))
        # A thread parent drawn before the item moved on: shown as it is now, nothing done. (An approval
        # request stays valid while the item moves on: its revision says what it approves, the domain checks.)
        if asked.version is not None and asked.version != item.version and not in_a_chat(activity):
            drawn = parent_for(service, item.id, person, lang)
            drawn["body"].insert(0, {"type": "TextBlock", "wrap": True, "color": "Attention",
                                     "text": t("teams.card_out_of_date", lang, ref=ref(item.number))})
            return card_answer(drawn)
        view = desk.may(item.id, person, step, asked.version)
        if needs_form(step):
            modal = step_modal(step, view, rt.policy, lang, {}, now=rt.clock.now())
            submit = {"step": step, "item": item.id, "version": asked.version if in_a_chat(activity) else view.version,
                      "subject": asked.subject}
            if action.get("verb") != SUBMIT:
                return card_answer(form_card(modal, submit))
            errors = step_errors(step, values_of(step, asked.data), lang)
            if errors:
                return card_answer(form_card(modal, submit, errors))
    except DomainError as refused:
        return message(refused.message(lang))
    service.accept(STEP_KIND, request_key(activity), activity)
    return message(t("teams.action_taken", lang, action=t(f"action.{step}", lang), ref=ref(item.number)))


def history_card(service: BotService, person: str, item_id: int, lang: str) -> dict:
    """The item's history (its newest page, as Slack's History shows it) in the card's place for this
    person, with Close to give the thread parent back."""
    desk, rt = service.rt.desk, service.rt
    desk.require_visible(item_id, person)
    events, total = desk.history_page(item_id, 0, HISTORY_PAGE_SIZE)
    card = adaptive_card(history_blocks(desk.card(item_id), events, rt.policy, lang, 0, total))
    card["actions"] = [{"type": "Action.Execute", "title": t("modal.close", lang), "verb": CLOSE, "data": {"item": item_id}}]
    return card


# ---- in the worker ------------------------------------------------------------------------------
def take_step(service: BotService, activity: dict) -> None:
    """Do the step for the person who clicked (the domain decides again: the state may have moved)."""
    asked = clicked(activity)
    person, rt = person_of(activity), service.rt
    service.locales.remember(person, language(activity, "", rt.policy.company.language))  # a refusal is said in it
    people.remember_name(person, (activity.get("from") or {}).get("name"))  # the notes mention them by it
    fields = {**(read_step(asked.step, values_of(asked.step, asked.data), rt.policy.tz) if needs_form(asked.step) else {}),
              **asked.subject}
    outcome = rt.desk.act(asked.item_id, person, request_key(activity), asked.step, fields or None,
                          seen_version=asked.version)
    service.flush(outcome.item_id)
