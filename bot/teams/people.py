"""A Teams person in the domain: `TM` + their Microsoft Entra object id in base32 (28 characters),
so it fits every column that holds a Slack user id, never looks like one (U…/W…), and gives the
object id back for mentions and chats. Names are remembered as activities bring them."""
from __future__ import annotations

import base64
import re
import threading
import uuid

PREFIX = "TM"
PERSON_ID = re.compile(r"TM[A-Z2-7]{26}")

_names: dict[str, str] = {}
_lock = threading.Lock()


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


def remember_name(person: str, name: str | None) -> None:
    if name:
        with _lock:
            _names[person] = name[:100]


def name_of(person: str) -> str | None:
    with _lock:
        return _names.get(person)
