"""The personal chats Teams made between each person and the bot (`teams_chats`): remembered from
Create Conversation (bot/teams/proactive.py) or from a message the person wrote there
(bot/teams/intake.py), so later messages do not ask Teams again. Its own module: the intake and the
proactive senders both write it, and neither imports the other."""
from __future__ import annotations

from models import TeamsChat
from models.db import insert_into


def remember_chat(rt, person: str, conversation: str) -> None:
    """The person's personal chat with the bot, as Teams named it (Create Conversation, or a message
    they wrote there): the first one known is kept — Teams has one per person and bot."""
    with rt.db.session() as s:
        s.execute(insert_into(s, TeamsChat.__table__).values(person=person, conversation=conversation,
                                                             created_at=rt.clock.now())
                  .on_conflict_do_nothing(index_elements=["person"]))
        s.commit()
