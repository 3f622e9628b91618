"""The outbox's senders for rows on Teams (`platform = 'teams'`): the same intents and the same
rules as Slack's (bot/delivery.py) — rendered from the item as it is now, a reply waits for its
thread parent, pacing per conversation — drawn with the same views, as Adaptive Cards.

Here: the thread parent (its buttons: bot/teams/actions.py), the parent redrawn after a step, the
step's note in the thread, the department's ping, the reporter's confirmation and a notice; the
messages the bot starts itself are in bot/teams/proactive.py. An intent neither has is parked as not
sendable."""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Callable

from bot.messaging.boundary import TEAMS, Conversation, Message, Thread
from bot.teams import conversation_cards
from bot.teams.cards import Card, adaptive_card
from bot.teams.links import thread_link
from bot.views.reporter import confirmation_blocks, confirmation_text
from bot.teams.actions import parent_card
from bot.views.thread import note_text, parent_text, ping_text

if TYPE_CHECKING:
    from bot.delivery import Deliverer


def tags_of(policy) -> Callable[[str], tuple[str, str] | None]:
    """A department's Slack user group → its Teams tag (the policy names both), for its pings."""
    def tag_of(group: str):
        for dept in policy.departments.values():
            if dept.usergroup == group and dept.teams and dept.teams.tag:
                return dept.teams.tag, dept.teams.tag_name or dept.name.en
        return None
    return tag_of


def parent(d: "Deliverer", row, card, parent_row) -> str:
    policy, lang = d.rt.policy, row.locale
    body = parent_card(card, policy, lang, d.rt.clock.now(), tag_of=tags_of(policy))
    d.pace(row.channel)
    return d.messaging(row).post_parent(Conversation(TEAMS, row.channel),
                                        Message(parent_text_plain(card, policy, lang), body, key=row.key, item_id=row.item_id))


def refresh(d: "Deliverer", row, card, parent_row) -> str:
    """The thread parent drawn again from the item as it is now (after a step), its buttons with it."""
    policy, lang, item = d.rt.policy, row.locale, card.item
    if not item.thread_ts:
        d._wait_for_parent(parent_row)
    body = parent_card(card, policy, lang, d.rt.clock.now(), tag_of=tags_of(policy), moved_to=row.data.get("moved_to"))
    d.pace(item.channel_id)
    d.messaging(row).update_parent(Thread(Conversation(TEAMS, item.channel_id), item.thread_ts),
                                   Message(parent_text_plain(card, policy, lang), body, key=row.key, item_id=row.item_id))
    return item.thread_ts


def note(d: "Deliverer", row, card, parent_row) -> str:
    """A step's note in the item's thread, as Slack's thread gets it (bot/views/thread.py note_text)."""
    return in_thread(d, row, card, parent_row, note_text(card, d.rt.policy, row.locale, row.data))


def ping(d: "Deliverer", row, card, parent_row) -> str:
    return in_thread(d, row, card, parent_row, ping_text(card, d.rt.policy, row.locale))


def in_thread(d: "Deliverer", row, card, parent_row, mrkdwn: str) -> str:
    """A reply in the item's thread (once its parent is posted), its mentions as Teams' entities."""
    item = card.item
    if item.channel_id != row.channel or not item.thread_ts:
        d._wait_for_parent(parent_row)
    words = Card(tag_of=tags_of(d.rt.policy))
    text = words.message_text(mrkdwn)
    d.pace(item.channel_id)
    return d.messaging(row).reply(Thread(Conversation(TEAMS, item.channel_id), item.thread_ts),
                                  Message(text, key=row.key, item_id=row.item_id, mentions=tuple(words.mentioned)))


def confirmation(d: "Deliverer", row, card, parent_row) -> str:
    policy, lang, item = d.rt.policy, row.locale, card.item
    link = error = None
    if item.thread_ts and item.channel_id:
        link = thread_link(item.channel_id, item.thread_ts, d.rt.settings.teams_tenant_id)
    elif parent_row is not None and parent_row.status == "failed":
        error = parent_row.last_error or "error"
    elif parent_row is not None and item.status != "withdrawn" and not (parent_row.status == "pending" and parent_row.attempts):
        d._wait_for_parent(parent_row)
    window = timedelta(minutes=policy.intake.undo_minutes)
    can_undo = bool(item.filed_at) and d.rt.clock.now() - item.filed_at <= window
    body = adaptive_card(confirmation_blocks(card, policy, lang, link, error, can_undo=can_undo))
    text = Card().message_text(confirmation_text(card, policy, lang, link, error))
    return d.messaging(row).send(Conversation(TEAMS, row.channel), Message(text, body, key=row.key, item_id=row.item_id))


def notice(d: "Deliverer", row, card, parent_row) -> str:
    words = Card()
    text = words.message_text(row.data.get("text", ""))
    return d.messaging(row).send(Conversation(TEAMS, row.channel),
                                 Message(text, key=row.key, item_id=row.item_id, mentions=tuple(words.mentioned)))


def parent_text_plain(card, policy, lang) -> str:
    return Card().message_text(parent_text(card, policy, lang))


TEAMS_SENDERS: dict[str, Callable] = {
    "parent": parent,
    "ping": ping,
    "confirmation": confirmation,
    "notice": notice,
    "refresh": refresh,
    "note": note,
    "question": conversation_cards.question,
    "proposal": conversation_cards.proposal,
}
