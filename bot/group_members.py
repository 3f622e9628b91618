"""Who is in a Slack user group, as the domain's roles need it (domain/roles.py takes a mapping of
group id → member ids). Fetched with usergroups.users.list after the ack, cached for a while.

User groups need a paid Slack plan: where Slack refuses, the group counts as empty (said once in the
log) and membership comes from the policy's `roles` lists alone (README, step 3).
"""
from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("voc.groups")
CACHE_SECONDS = 600


class GroupMembers:
    def __init__(self, client: WebClient, cache_seconds: float = CACHE_SECONDS):
        self.client, self.cache_seconds = client, cache_seconds
        self._cache: dict[str, tuple[frozenset[str], float]] = {}
        self._lock = threading.Lock()
        self._refused: set[str] = set()

    def get(self, group: str, default=()) -> frozenset[str]:
        with self._lock:
            hit = self._cache.get(group)
        if hit and time.monotonic() - hit[1] < self.cache_seconds:
            return hit[0]
        try:
            members = frozenset(self.client.usergroups_users_list(usergroup=group).get("users") or [])
        except (SlackApiError, SlackClientError, OSError) as exc:
            if group not in self._refused:
                self._refused.add(group)
                log.warning("user group %s: members not available (%s); the policy's role lists decide", group, exc)
            members = hit[0] if hit else frozenset(default)
        with self._lock:
            self._cache[group] = (members, time.monotonic())
        return members
