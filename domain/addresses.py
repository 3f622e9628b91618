"""Whose address it is: a Slack id or a Teams one, told apart by their shapes (they never overlap),
so a message decided in the domain goes out on the platform of the place or person it names.

Slack: channels C…/G…/D…, people U…/W…. Teams: channels and group chats `19:…@thread.…`, personal
chats `a:…`, the bot's own ids for people `29:…`, and the domain's id for a Teams person `TM…`
(bot/teams/people.py)."""
from __future__ import annotations

import re

from domain.teams_people import PERSON_ID

TEAMS_PERSON = PERSON_ID  # domain/teams_people.py
TEAMS_CONVERSATION = re.compile(r"(19:[^\s]+@thread\.[a-z0-9]+|a:[^\s]+|29:[^\s]+)")


def is_teams(address: str | None) -> bool:
    return bool(address) and bool(TEAMS_PERSON.fullmatch(address) or TEAMS_CONVERSATION.fullmatch(address))


def platform_of(*addresses: str | None) -> str:
    """`teams` when the first address given is a Teams one, else `slack` (the default platform)."""
    first = next((a for a in addresses if a), None)
    return "teams" if is_teams(first) else "slack"
