"""The outbox's senders for the DM conversation on Teams: the bot's question ("Which part or lot
numbers?", "Is the customer's line stopped?") and its proposal (File it / Discard, the AA question's
three answers, "which customer do you mean?"), drawn from the same views as Slack's
(bot/views/conversation.py, bot/views/reporter.py) as Adaptive Cards whose buttons are
`Action.Submit`s: a click comes back as a message activity carrying the button's data
(bot/teams/conversation.py reads it).

Both go to the person's personal chat: the conversation's own, or — for a proposal of a
"feedback …" the person wrote in a channel — a 1:1 chat the bot opens, so nobody else sees it
(Slack's proposal is ephemeral). "Edit…" opens the feedback form as a dialog (`task/fetch`,
bot/teams/feedback_dialog.py), filled with the draft's values."""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot import action_ids as ids
from bot.messaging.boundary import TEAMS, Conversation, Message, Person
from bot.teams.cards import Card, adaptive_card
from bot.views.conversation import question_blocks, question_text
from bot.views.reporter import proposal_blocks, proposal_text

if TYPE_CHECKING:
    from bot.delivery import Deliverer

PERSONAL_CHAT = "a:"  # Teams' personal chats' ids begin so; channels and group chats with "19:"


def with_submit_buttons(card: dict, dialogs: tuple[str, ...] = ()) -> dict:
    """The card's buttons as Action.Submit with the Slack button's action id and value as data; the
    buttons named in `dialogs` open a dialog instead (Teams' `msteams: {type: task/fetch}`)."""
    actions = []
    for action in card.get("actions") or []:
        data = action.get("data") or {}
        if action.get("type") != "Action.Execute":
            continue
        submit = {"action_id": data.get("action_id"), "value": data.get("value")}
        if data.get("action_id") in dialogs:
            submit["msteams"] = {"type": "task/fetch"}
        actions.append({"type": "Action.Submit", "title": action["title"], "data": submit})
    return {**card, "actions": actions} if actions else {k: v for k, v in card.items() if k != "actions"}


def _to_person(d: "Deliverer", row, message: Message) -> str:
    messaging = d.messaging(row)
    if row.channel and row.channel.startswith(PERSONAL_CHAT):
        return messaging.send(Conversation(TEAMS, row.channel), message)
    return messaging.dm(Person(TEAMS, row.user), message)


def question(d: "Deliverer", row, card, parent_row) -> str | None:
    if card.item.status != "draft":  # filed (an AA is not kept waiting) or dropped meanwhile: nothing to ask
        return None
    lang = row.locale
    body = with_submit_buttons(adaptive_card(question_blocks(card, d.rt.policy, lang, row.data), actions=True))
    text = Card().message_text(question_text(lang, row.data))
    return _to_person(d, row, Message(text, body, key=row.key, item_id=row.item_id))


def proposal(d: "Deliverer", row, card, parent_row) -> str | None:
    if card.item.status != "draft":  # filed or discarded meanwhile: a reminder has nothing to ask
        return None
    policy, lang, reminder = d.rt.policy, row.locale, bool(row.data.get("reminder"))
    body = with_submit_buttons(adaptive_card(proposal_blocks(card, policy, lang, reminder), actions=True),
                               dialogs=(ids.EDIT_DRAFT,))
    text = Card().message_text(proposal_text(card, policy, lang, reminder))
    return _to_person(d, row, Message(text, body, key=row.key, item_id=row.item_id))
