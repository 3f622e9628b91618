"""A Microsoft Teams person as the domain knows them: `TM` + their Microsoft Entra object id in
base32 (28 characters), so they fit every column that holds a Slack user id and never look like one
(U…/W…). The policy names Teams people by their Entra object id (a GUID, as the Entra admin center
and Graph show it); it is turned into this id once, when the policy is read."""
from __future__ import annotations

import base64
import re
import uuid

PREFIX = "TM"
PERSON_ID = re.compile(r"TM[A-Z2-7]{26}")


def person_id(aad_object_id: str) -> str:
    """ValueError when it is not a GUID (an activity without a real Entra user)."""
    raw = uuid.UUID(aad_object_id).bytes
    return PREFIX + base64.b32encode(raw).decode("ascii").rstrip("=")


def aad_of(person: str) -> str:
    if not PERSON_ID.fullmatch(person or ""):
        raise ValueError(f"not a Teams person id: {person!r}")
    return str(uuid.UUID(bytes=base64.b32decode(person[len(PREFIX):] + "======")))


def is_teams_person(person: str | None) -> bool:
    return bool(PERSON_ID.fullmatch(person or ""))


def platform_of(person: str) -> str:
    """Where a person is reached: Teams for a Teams person, else Slack (a DM to them goes there)."""
    return "teams" if is_teams_person(person) else "slack"
