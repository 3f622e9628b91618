"""Who is in a Slack user group, as the domain's roles need it (domain/roles.py takes a mapping of
group id → member ids). Fetched with usergroups.users.list after the ack and kept a short while
(`CACHE_SECONDS`); a `subteam_members_changed` event (someone added to or removed from a group)
drops the group at once, so the next permission check asks Slack again.

When Slack cannot answer (an error, a timeout) and what we know is older than the lifetime, the
members are *unknown*: `get` raises MembershipUnknown and a role that comes only from that group is
refused with a clear message (domain/roles.py, `decide`) — an old answer is never used for a
permission. Notifications (whom to tell) use `last_known`, the last answer however old.
Slack's definite answers — the group does not exist, or the plan has no user groups — count as
"nobody in it": the policy's explicit role lists decide (README, step 3).

Known gap: each process keeps its own cache; the event reaches the web process and the worker that
processes it, another worker process catches up within the lifetime.
"""
from __future__ import annotations

import logging
import threading
import time

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from domain.errors import MembershipUnknown

log = logging.getLogger("voc.groups")
CACHE_SECONDS = 60
# Slack's answers that say who is in the group (nobody), not that it could not tell.
DEFINITE = ("no_such_subteam", "paid_teams_only", "paid_only", "team_not_paid")


class GroupMembers:
    def __init__(self, client: WebClient, cache_seconds: float = CACHE_SECONDS):
        self.client, self.cache_seconds = client, cache_seconds
        self._cache: dict[str, tuple[frozenset[str], float]] = {}
        self._lock = threading.Lock()
        self._said: set[tuple[str, str]] = set()

    def get(self, group: str, default=()) -> frozenset[str]:
        """The group's members now: from a fresh cache, else from Slack; raises MembershipUnknown."""
        with self._lock:
            hit = self._cache.get(group)
        if hit and time.monotonic() - hit[1] < self.cache_seconds:
            return hit[0]
        try:
            members = frozenset(self.client.usergroups_users_list(usergroup=group).get("users") or [])
        except SlackApiError as exc:
            error = str(exc.response.get("error", "")) if exc.response is not None else ""
            if error not in DEFINITE:
                self._say_once(group, error or "error", "members unknown, roles from it are refused until Slack answers")
                raise MembershipUnknown(group=group) from None
            self._say_once(group, error, "counts as empty; the policy's role lists decide")
            members = frozenset(default)
        except (SlackClientError, OSError) as exc:
            self._say_once(group, type(exc).__name__, "members unknown, roles from it are refused until Slack answers")
            raise MembershipUnknown(group=group) from None
        with self._lock:
            self._cache[group] = (members, time.monotonic())
        return members

    def last_known(self, group: str) -> frozenset[str]:
        """Whom to tell (not who may act): the members now, or the last ones known while Slack is away."""
        try:
            return self.get(group)
        except MembershipUnknown:
            with self._lock:
                hit = self._cache.get(group)
            return hit[0] if hit else frozenset()

    def forget(self, group: str) -> None:
        """The group's members changed (subteam_members_changed): ask Slack next time."""
        with self._lock:
            self._cache.pop(group, None)

    def _say_once(self, group: str, error: str, what: str) -> None:
        if (group, error) not in self._said:
            self._said.add((group, error))
            log.warning("user group %s: %s (%s)", group, what, error)


def changed_group(body: dict) -> str | None:
    event = body.get("event") or {}
    return event.get("subteam_id") if isinstance(event.get("subteam_id"), str) else None


def forget_changed(service, body: dict) -> None:
    """In the worker: the stored event drops the group from this process's cache too."""
    group = changed_group(body)
    if group:
        service.rt.desk.group_members.forget(group)


def register(app: App, service) -> None:
    def on_members_changed(ack, body):
        ack()
        group = changed_group(body)
        if group:
            service.rt.desk.group_members.forget(group)  # in memory, no I/O before the ack
            service.accept("event.subteam", f"event:{body.get('event_id') or group}", body)

    app.event("subteam_members_changed")(on_members_changed)
