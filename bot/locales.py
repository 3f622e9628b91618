"""Which language to speak to a person: their Slack locale (users.info), cached; the policy default otherwise."""
from __future__ import annotations

import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from domain.i18n import lang_of_locale
from domain.text import language_of

CACHE_SECONDS = 3600


class Locales:
    def __init__(self, client: WebClient, default: str):
        self.client, self.default = client, default
        self._cache: dict[str, tuple[str, float]] = {}
        self._names: dict[str, str] = {}
        self._full_names: dict[str, str] = {}
        self._guests: dict[str, tuple[bool, float]] = {}
        self._lock = threading.Lock()

    def _cached(self, user: str) -> str | None:
        with self._lock:
            hit = self._cache.get(user)
        return hit[0] if hit and time.monotonic() - hit[1] < CACHE_SECONDS else None

    def guess(self, user: str, text: str | None = None) -> str:
        """Before the ack: no API call — the cache, else the language the person typed in."""
        return self._cached(user) or (language_of(text) if text else None) or self.default

    def resolve(self, user: str, text: str | None = None) -> str:
        """After the ack: ask Slack once an hour per person; an unknown user gets the default."""
        found = self._cached(user)
        if found:
            return found
        try:
            info = self.client.users_info(user=user, include_locale=True)
            lang = lang_of_locale(info["user"].get("locale"), default="")
            self._remember_name(user, info["user"])
            answered = True
        except (SlackApiError, SlackClientError, OSError, KeyError):
            lang, answered = "", False
        lang = lang or (language_of(text) if text else None) or self.default
        if answered:  # a guess after a failed look-up is not the person's language: ask again next time
            with self._lock:
                self._cache[user] = (lang, time.monotonic())
        return lang

    def name_of(self, user: str) -> str | None:
        """A person's display name, for a mention written without one (after the ack only)."""
        with self._lock:
            if user in self._names:
                return self._names[user]
        try:
            self._remember_name(user, self.client.users_info(user=user)["user"])
        except (SlackApiError, SlackClientError, OSError, KeyError):
            return None
        with self._lock:
            return self._names.get(user)

    def full_name_of(self, user: str) -> str | None:
        """A person's full name (the profile's real name, else the display name), for documents read
        outside Slack: the 8D names its team as the customer's SQE knows them, not by a handle."""
        with self._lock:
            if user in self._full_names:
                return self._full_names[user]
        self.name_of(user)
        with self._lock:
            return self._full_names.get(user)

    def is_guest(self, user: str) -> bool:
        """A Slack guest (single- or multi-channel: users.info `is_ultra_restricted` / `is_restricted`)
        sees nothing of VOC Desk. Asked after the ack, cached like the language. When Slack cannot
        say, the person is not taken for a guest: their roles in the policy still decide what they may do."""
        with self._lock:
            hit = self._guests.get(user)
        if hit and time.monotonic() - hit[1] < CACHE_SECONDS:
            return hit[0]
        try:
            self._remember_name(user, self.client.users_info(user=user, include_locale=True)["user"])
        except (SlackApiError, SlackClientError, OSError, KeyError):
            return False
        with self._lock:
            return self._guests.get(user, (False, 0))[0]

    def _remember_name(self, user: str, info: dict) -> None:
        with self._lock:
            self._guests[user] = (bool(info.get("is_restricted") or info.get("is_ultra_restricted")), time.monotonic())
        profile = info.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or info.get("real_name") or info.get("name")
        full = profile.get("real_name") or info.get("real_name") or name
        if name:
            with self._lock:
                self._names[user] = name
                self._full_names[user] = full

    def remember(self, user: str, lang: str) -> None:
        with self._lock:
            self._cache[user] = (lang, time.monotonic())
