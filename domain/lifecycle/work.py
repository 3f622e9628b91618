"""Working an item from its thread: a lifecycle action (domain/lifecycle/table.py) done by a person,
in the same unit of work as every other change — request key, row lock, the permission decided by
the one pure function, step records and audit event (apply.perform), and the thread told."""
from __future__ import annotations

from typing import Any

from sqlmodel import select

from domain import outbox
from domain.lifecycle.apply import perform, record_reply
from domain.roles import roles_of
from domain.unit_of_work import ItemWork, Outcome, once_per_request
from models import FeedbackItem


class ThreadWork(ItemWork):
    @once_per_request
    def act(self, item_id: int, actor: str, request_key: str, action: str, fields: dict[str, Any] | None = None,
            seen_version: int | None = None) -> Outcome:
        """Do `action` for `actor` now, or raise ActionRefused saying why (nothing changes then)."""
        now = self.clock.now()
        with self.db.session() as s:
            if self._seen(s, request_key, item_id, now):
                return Outcome("duplicate", item_id)
            roles = roles_of(self.policy, actor, self.group_members)
            done = perform(s, item_id, action, roles, self.policy, now, fields, request_key, seen_version)
            item = s.get(FeedbackItem, item_id)
            lang = self.policy.company.language
            outbox.enqueue(s, key=f"item:{item.id}:refresh:v{item.version}", intent="refresh", item_id=item.id,
                           channel=item.channel_id, now=now, locale=lang)
            outbox.enqueue(s, key=f"item:{item.id}:note:v{item.version}", intent="note", item_id=item.id,
                           channel=item.channel_id, now=now, locale=lang,
                           data={"note": "lifecycle", "action": action, "actor": actor,
                                 "summary": _summary(action, fields or {})})
            return Outcome("updated", item.id, {k: (v["before"], v["after"]) for k, v in done.changes.items()})

    def item_of_thread(self, channel: str, thread_ts: str) -> int | None:
        """The item whose thread parent this is (None for any other message)."""
        with self.db.session() as s:
            return s.exec(select(FeedbackItem.id).where(FeedbackItem.channel_id == channel,
                                                        FeedbackItem.thread_ts == thread_ts)).first()

    def keep_reply(self, channel: str, thread_ts: str, user: str, ts: str, text: str,
                   file_permalinks: list[str] | tuple[str, ...] = ()) -> int | None:
        """A plain reply in an item's thread becomes its discussion (who, when, text, files), once per
        message even when Slack redelivers the event. Returns the item's id, or None for a thread
        that belongs to no item."""
        item_id = self.item_of_thread(channel, thread_ts)
        if item_id is not None:
            with self.db.session() as s:
                record_reply(s, item_id, user, ts, text, self.clock.now(), file_permalinks)
        return item_id


def _summary(action: str, fields: dict[str, Any]) -> str:
    """What the thread is told of a recorded step, in a line (the full record is in its table)."""
    if action == "record_containment":
        bad = sum(int(fields.get(f"{w}_bad") or 0) for w in ("stock", "wip", "transit", "customer"))
        checked = sum(int(fields.get(f"{w}_checked") or 0) for w in ("stock", "wip", "transit", "customer"))
        return f"{bad}/{checked} · {fields.get('sorting_method', '')} · {fields.get('countermeasure', '')}"
    return ""
