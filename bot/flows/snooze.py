"""Snooze from a reminder or an escalation in the thread: 1 h, 4 h, or the next working day. The
domain decides who may and how far (never past an AA deadline); the answer is said beside it."""
from __future__ import annotations

import re

from slack_bolt import App

from bot import action_ids as ids
from bot.flows.proposal import action_key
from bot.service import BotService
from bot.views.common import md
from domain.counts import read_id
from domain.errors import ItemNotFound
from domain.i18n import fmt_when, ref


def snooze(service: BotService, body: dict) -> None:
    clicked = body["actions"][0]
    deadline, _, choice = str(clicked.get("value", "")).partition(":")
    if (deadline_id := read_id(deadline)) is None:
        raise ItemNotFound(deadline=deadline)
    user = body["user"]["id"]
    outcome = service.rt.desk.snooze(deadline_id, user, action_key(body), choice or clicked["action_id"].removeprefix(ids.SNOOZE))
    if outcome.status == "updated":
        lang = service.locales.resolve(user)
        number = ref(service.rt.desk.get(outcome.item_id).number)
        next_at = outcome.changes["next_action_at"][1]  # when the tick will act, not merely the snooze's end
        text = ":zzz: " + (md("snooze.done", lang, ref=number, when=fmt_when(next_at, service.rt.policy.tz, lang))
                           if next_at is not None else md("snooze.done_last", lang, ref=number))
        service.notify(f"{action_key(body)}:done", user, lang, text, channel=(body.get("channel") or {}).get("id"),
                       response_url=body.get("response_url"), item_id=outcome.item_id, replace=False)


def register(app: App, service: BotService) -> None:
    app.action(re.compile("^" + re.escape(ids.SNOOZE)))(service.store_after_ack("action.snooze", action_key))
