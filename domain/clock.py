"""Time is a parameter: everything that needs "now" gets it from a Clock.

Times are timezone-aware UTC datetimes throughout the domain and the database;
they are converted to the company's zone only when shown to a person.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol


def as_utc(dt: datetime) -> datetime:
    """Any datetime as aware UTC; a naive one is taken to be UTC already."""
    return dt.astimezone(timezone.utc) if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class VirtualClock:
    """A clock that only moves when told to (the shell's /clock, tests)."""

    def __init__(self, start: datetime):
        self._now = as_utc(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = as_utc(moment)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta
