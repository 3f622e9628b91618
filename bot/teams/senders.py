"""The outbox's senders for rows on Teams (`platform = 'teams'`): the same intents and the same
rules as Slack's (bot/delivery.py) — rendered from the item as it is now, a reply waits for its
thread parent, pacing per conversation — drawn with the same views, as Adaptive Cards.

Here: the thread parent, the department's ping, the reporter's confirmation and a notice; the messages
the bot starts itself are in bot/teams/proactive.py. An intent neither has is parked as not sendable."""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

from bot.messaging.boundary import TEAMS, Conversation, Message, Thread
from bot.teams.cards import Card, adaptive_card
from bot.views.reporter import confirmation_blocks, confirmation_text
from bot.views.thread import parent_blocks, parent_text, ping_text

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


def thread_link(channel: str, message_id: str, tenant: str | None) -> str:
    """Teams' link to a channel message (its thread)."""
    return (f"https://teams.microsoft.com/l/message/{quote(channel, safe='')}/{quote(message_id, safe='')}"
            + (f"?tenantId={quote(tenant, safe='')}" if tenant else ""))


def parent(d: "Deliverer", row, card, parent_row) -> str:
    policy, lang = d.rt.policy, row.locale
    body = adaptive_card(parent_blocks(card, policy, lang, actions=False, now=d.rt.clock.now()), tag_of=tags_of(policy))
    d.pace(row.channel)
    return d.messaging(row).post_parent(Conversation(TEAMS, row.channel),
                                        Message(parent_text_plain(card, policy, lang), body, key=row.key, item_id=row.item_id))


def ping(d: "Deliverer", row, card, parent_row) -> str:
    item = card.item
    if item.channel_id != row.channel or not item.thread_ts:
        d._wait_for_parent(parent_row)
    words = Card(tag_of=tags_of(d.rt.policy))
    text = words.markdown(ping_text(card, d.rt.policy, row.locale))
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
    text = Card().markdown(confirmation_text(card, policy, lang, link, error))
    return d.messaging(row).send(Conversation(TEAMS, row.channel), Message(text, body, key=row.key, item_id=row.item_id))


def notice(d: "Deliverer", row, card, parent_row) -> str:
    words = Card()
    text = words.markdown(row.data.get("text", ""))
    return d.messaging(row).send(Conversation(TEAMS, row.channel),
                                 Message(text, key=row.key, item_id=row.item_id, mentions=tuple(words.mentioned)))


def parent_text_plain(card, policy, lang) -> str:
    return Card().markdown(parent_text(card, policy, lang))


TEAMS_SENDERS: dict[str, Callable] = {
    "parent": parent,
    "ping": ping,
    "confirmation": confirmation,
    "notice": notice,
}
