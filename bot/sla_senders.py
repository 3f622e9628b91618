"""Senders for the messages the SLA tick and the outbox's parking decide (bot/delivery.py lists them
in SENDERS). Each renders from the state at send time: a reminder or escalation whose deadline was met,
paused or ended meanwhile, or whose item was closed or withdrawn, is dropped, not sent; a digest
lists only what still needs the person."""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.views.common import md, mention
from bot.views.sla import clock_blocks, clock_text, digest_text
from domain.cards import load_card
from domain.lifecycle.view import as_utc
from domain.sla.clocks import ENDED, OPEN
from models import Deadline, FeedbackItem

if TYPE_CHECKING:
    from bot.delivery import Deliverer


class Dropped(Exception):
    """Nothing to send any more (the deadline was met meanwhile): the row is cancelled, not failed."""


def _running(s, deadline_id: int) -> Deadline | None:
    """The deadline while it still runs: open, on an item that has not ended (closed, withdrawn)."""
    row = s.get(Deadline, deadline_id)
    if row is None or row.state != OPEN:
        return None
    item = s.get(FeedbackItem, row.item_id)
    return row if item is not None and item.status not in ENDED else None


def still_running(d: "Deliverer", deadline_id: int, stage: int) -> Deadline:
    with d.rt.db.session() as s:
        row = _running(s, deadline_id)
    if row is None or row.level > stage + 1:  # met, paused, ended, or a later stage took over
        raise Dropped("deadline no longer running")
    return row


def clock_message(d: "Deliverer", row, card, parent) -> str:
    """A reminder (stage 0) or an escalation in the item's thread."""
    still_running(d, row.data["deadline_id"], row.data.get("stage", 0))
    policy, lang, now = d.rt.policy, row.locale, d.rt.clock.now()
    return d.in_thread(row, card, parent, clock_text(card, policy, lang, row.data, now),
                       clock_blocks(card, policy, lang, row.data, now))


def digest(d: "Deliverer", row, card, parent) -> str:
    """One DM listing every deadline that needs this person (escalations, or many reminders at once)."""
    policy, lang, now = d.rt.policy, d.locale_of(row.user, row.locale), d.rt.clock.now()
    return d.post(row.channel, text=digest_text(still_due(d, row), policy, lang, now), metadata=d.metadata(row, "voc_message"))


def still_due(d: "Deliverer", row) -> list:
    """The digest's entries whose deadlines still run, with their items (Dropped: none is left)."""
    listed = []
    with d.rt.db.session() as s:
        for entry in row.data.get("entries", []):
            deadline = _running(s, entry["deadline_id"])
            if deadline is None:
                continue
            found = load_card(s, entry["item_id"])
            if found is not None:
                listed.append((found, {**entry, "due_at": as_utc(deadline.due_at).isoformat()}))
    if not listed:
        raise Dropped("nothing left to tell")
    return listed


def parked(d: "Deliverer", row, card, parent) -> str:
    """An admin is told once that a message was parked after failing again and again."""
    lang = d.locale_of(row.user, row.locale)
    text = ":warning: " + md("outbox.parked_notice", lang, id=row.data.get("row_id"), intent=row.data.get("intent", ""),
                              error=row.data.get("error", ""), who=mention(row.user))
    return d.post(row.channel, text=text, metadata=d.metadata(row, "voc_message"))


