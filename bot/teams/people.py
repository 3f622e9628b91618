"""A Teams person in the domain (domain/teams_people.py: `TM` + their Entra object id in base32).
Names are remembered as activities bring them."""
from __future__ import annotations

import threading

from domain.teams_people import PERSON_ID, PREFIX, aad_of, is_teams_person, person_id  # noqa: F401 (this module's API)

_names: dict[str, str] = {}
_lock = threading.Lock()


def remember_name(person: str, name: str | None) -> None:
    if name:
        with _lock:
            _names[person] = name[:100]


def name_of(person: str) -> str | None:
    with _lock:
        return _names.get(person)
