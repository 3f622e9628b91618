"""Time is a parameter: everything that needs "now" gets it from a Clock.

Times are naive UTC datetimes throughout the domain and the database; they are
converted to the company's zone only when shown to a person.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol


def utc_naive(dt: datetime) -> datetime:
    """Any aware datetime -> naive UTC; a naive one is taken to be UTC already."""
    return dt.astimezone(timezone.utc).replace(tzinfo=None) if dt.tzinfo else dt


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc).replace(tzinfo=None)


class VirtualClock:
    """A clock that only moves when told to (the shell's /clock, tests, `voc tick --at`)."""

    def __init__(self, start: datetime):
        self._now = utc_naive(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = utc_naive(moment)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta
