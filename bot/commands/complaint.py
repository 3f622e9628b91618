"""`/complaint VOC-42` shows one item (its card, in your language, with the buttons of its thread);
`/complaint VOC-42 history` its audit trail; `/complaint VOC-42 8d` its 8D report as recorded so far;
`/complaint help` the usage. Anyone may read. The ack says "looking…"; a worker answers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.feedback import request_key
from bot.flows.proposal import action_key
from bot.incoming_text import readable
from bot.service import BotService
from bot.views.common import md
from bot.views.complaint import HISTORY_PAGE_SIZE, card_blocks, eightd_blocks, history_blocks
from domain.counts import read_count, read_id
from domain.errors import ItemNotFound
from domain.lifecycle.eightd import people
from domain.i18n import t

_REF = re.compile(r"^(?:voc[-\s]?)?(\w+)$", re.I)
HELP_WORDS = {"", "help", "?", "帮助", "幫助"}


def reference_number(word: str) -> int | None:
    """The number in "VOC-42" or "42"; None when the word could name no item (domain/counts.py)."""
    match = _REF.match(word)
    return read_id(match.group(1)) if match else None


def unknown_reference(text: str, lang: str) -> str | None:
    """The ack's answer when the command names no possible item (no I/O: a number past any reference
    is answered at once, not looked up)."""
    words = text.split()
    if not words or reference_number(words[0]) is not None:
        return None
    return md("complaint.unknown_ref", lang, ref=readable(words[0]))  # as typed, never as markup


@dataclass(frozen=True)
class ItemAsked:
    """What a reading command (`/complaint VOC-42 …`, `/visit VOC-42`) asks about, once the person may see it."""
    user: str
    lang: str
    words: list[str]
    reply: dict
    item_id: int


def item_asked(service: BotService, body: dict) -> ItemAsked | None:
    """The item the command's first word names; None, with the person answered, when it names none.
    A restricted customer's item: only those who may see it (else the domain refuses, said kindly)."""
    user = body["user_id"]
    lang = service.locales.resolve(user, body.get("text"))
    words = (body.get("text") or "").split()
    reply = {"channel": body.get("channel_id"), "response_url": body.get("response_url")}
    number = reference_number(words[0]) if words else None
    item_id = service.rt.desk.item_by_number(number) if number is not None else None
    if item_id is None:
        service.notify(f"{request_key(body)}:answer", user, lang,
                       md("complaint.unknown_ref", lang, ref=words[0] if words else "?"), **reply)
        return None
    service.rt.desk.require_visible(item_id, user)
    return ItemAsked(user, lang, words, reply, item_id)


def show(service: BotService, body: dict) -> None:
    asked = item_asked(service, body)
    if asked is None:
        return
    user, lang, words, reply, item_id = asked.user, asked.lang, asked.words, asked.reply, asked.item_id
    card = service.rt.desk.card(item_id)
    if len(words) > 1 and words[1].lower() in ("history", "历史", "歷史", "audit"):
        show_history(service, user, item_id, 0, f"{request_key(body)}:answer", replace=False, **reply)
        return
    if len(words) > 1 and words[1].lower() in ("8d", "8d报告", "8d報告"):
        report = service.rt.desk.eight_d(item_id)
        names = {u: service.locales.full_name_of(u) or u for u in people(report)}
        blocks = eightd_blocks(report, service.rt.policy, lang, names)
    else:
        blocks = card_blocks(card, service.rt.policy, lang, service.rt.clock.now())
    service.notify(f"{request_key(body)}:answer", user, lang, blocks[0]["text"]["text"], blocks=blocks, **reply)


def show_history(service: BotService, user: str, item_id: int, offset: int, key: str, *, channel: str | None,
                 response_url: str | None, replace: bool) -> None:
    """A page of the item's history, newest first; a page button's answer replaces the page clicked."""
    service.rt.desk.require_visible(item_id, user)
    lang = service.locales.resolve(user)
    events, total = service.rt.desk.history_page(item_id, offset, HISTORY_PAGE_SIZE)
    blocks = history_blocks(service.rt.desk.card(item_id), events, service.rt.policy, lang, offset, total)
    service.notify(key, user, lang, blocks[0]["text"]["text"], blocks=blocks, channel=channel,
                   response_url=response_url, replace=replace)


def history_page(service: BotService, body: dict) -> None:
    """*Newer* / *Older* under a page of history: value "<item>:<offset>"."""
    item, _, offset = str(body["actions"][0].get("value") or "").partition(":")
    item_id, first = read_id(item), read_count(offset)
    if item_id is None or first is None:  # not a value this bot wrote
        raise ItemNotFound(item=item)
    show_history(service, body["user"]["id"], item_id, first, f"{action_key(body)}:history",
                 channel=(body.get("channel") or {}).get("id"), response_url=body.get("response_url"), replace=True)


def reading_command(service: BotService, kind: str, help_key: str, help_words: set[str],
                    refusal: Callable[[str, str], str | None] | None = None):
    """The ack of a command that only reads: its help at once, a `refusal` the text alone shows, else
    "looking…" and the worker answers."""
    def ack_command(ack, body):
        text = (body.get("text") or "").strip()
        lang = service.locales.guess(body.get("user_id", ""), text)
        if text.lower() in help_words:
            ack(text=t(help_key, lang))
        elif refused := refusal and refusal(text, lang):
            ack(text=refused)
        else:
            ack(text=t("ack.looking", lang))
            service.accept(kind, request_key(body), body)
    return ack_command


def register(app: App, service: BotService) -> None:
    app.command(ids.COMPLAINT_COMMAND)(reading_command(service, "slash.complaint", "complaint.help", HELP_WORDS,
                                                       unknown_reference))
    for page_button in (ids.HISTORY_NEWER, ids.HISTORY_OLDER):
        app.action(page_button)(service.store_after_ack("action.history_page", action_key))
