"""Corrections: the classification and the facts of an item changed by the people allowed to, as
often as needed, each change in the audit trail; and undo (withdraw) within its window."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from domain.lifecycle.table import Status
from domain import outbox
from domain.classifier.store import record_example
from domain.customers import resolve_customer
from domain.errors import NotAllowed, TooLateToUndo
from domain.levels import settle_level
from domain.unit_of_work import EDITABLE, FACTS, ItemWork, Outcome, once_per_request
from models import FeedbackItem


class Corrections(ItemWork):
    @once_per_request
    def reclassify(self, item_id: int, actor: str, request_key: str, chosen: dict[str, Any]) -> Outcome:
        now = self.clock.now()
        with self.db.session() as s:
            item = self._open_correction(s, item_id, actor, request_key, now)
            if item is None:
                return Outcome("duplicate", item_id)
            new = self._apply_choices({k: getattr(item, k) for k in EDITABLE}, chosen)
            changes = {k: (getattr(item, k), v) for k, v in new.items() if getattr(item, k) != v}
            if not changes:
                return Outcome("unchanged", item.id)
            old_channel, old_ts = item.channel_id, item.thread_ts
            for name, (_, value) in changes.items():
                setattr(item, "problem_severity" if name == "severity" else name, value)  # a person grades the problem
            if "severity" in changes or "kind" in changes:  # the level follows, still lifted by the urgency
                before = changes.pop("severity", (item.severity,))[0]
                if settle_level(item, self.policy) != before:
                    changes["severity"] = (before, item.severity)
            item.version += 1
            item.updated_at = now
            self._event(s, item, actor, "reclassified",
                        {"changes": {k: [a, b] for k, (a, b) in changes.items()}, "text": item.text}, request_key, now)
            record_example(s, item, actor, "correction", now)  # what `voc classifier train` learns from
            if "kind" in changes or "severity" in changes:
                self._sync_deadlines(s, item, now)
            if item.status == Status.received:
                self._announce_change(s, item, changes, old_channel, old_ts, actor, now)
            return Outcome("updated", item.id, changes)

    @once_per_request
    def correct_facts(self, item_id: int, actor: str, request_key: str, chosen: dict[str, Any]) -> Outcome:
        """The facts on the card (customer, text, parts, lots, quantity, line stop), corrected by the
        reporter, the department or a manager, as often as needed; each change is in the audit trail."""
        now = self.clock.now()
        with self.db.session() as s:
            item = self._open_correction(s, item_id, actor, request_key, now)
            if item is None:
                return Outcome("duplicate", item_id)
            before = {k: getattr(item, k) for k in FACTS}
            before_customer = item.customer_text
            if chosen.get("customer"):  # another customer, not another way of writing the same one
                found = resolve_customer(s, chosen["customer"], now)
                if found.id != item.customer_id:
                    item.customer_id, item.customer_text = found.id, chosen["customer"]
            self._apply_facts(item, chosen)
            changes = {k: (before[k], getattr(item, k)) for k in FACTS if getattr(item, k) != before[k]}
            if item.customer_text != before_customer:
                changes["customer"] = (before_customer, item.customer_text)
            if not changes:
                return Outcome("unchanged", item.id)
            if changes.get("line_stopped") == (False, True) and item.kind == "complaint" and item.severity != "AA":
                changes["severity"] = (item.severity, "AA")  # a line stop is never below AA
                item.problem_severity = "AA"
                settle_level(item, self.policy)
                self._sync_deadlines(s, item, now)
            item.version += 1
            item.updated_at = now
            self._event(s, item, actor, "corrected", {"changes": {k: [a, b] for k, (a, b) in changes.items()}}, request_key, now)
            if item.filed_at:
                lang = self.policy.company.language
                outbox.enqueue(s, key=f"item:{item.id}:refresh:v{item.version}", intent="refresh", item_id=item.id,
                               channel=item.channel_id, now=now, locale=lang)
                outbox.enqueue(s, key=f"item:{item.id}:note:v{item.version}", intent="note", item_id=item.id,
                               channel=item.channel_id, now=now, locale=lang,
                               data={"note": "corrected", "actor": actor,
                                     "changes": {k: [a, b] for k, (a, b) in changes.items()}})
            return Outcome("updated", item.id, changes)

    @once_per_request
    def withdraw(self, item_id: int, actor: str, request_key: str) -> Outcome:
        """Undo: nothing is deleted; the item is marked withdrawn and its thread says so."""
        now = self.clock.now()
        with self.db.session() as s:
            if self._seen(s, request_key, item_id, now):
                return Outcome("duplicate", item_id)
            item = self._item(s, item_id)
            if item.reporter_id != actor:
                raise NotAllowed(action="undo")
            if item.status == Status.withdrawn:
                return Outcome("unchanged", item.id)
            window = timedelta(minutes=self.policy.intake.undo_minutes)
            if item.filed_at and now - item.filed_at > window:
                raise TooLateToUndo(minutes=self.policy.intake.undo_minutes)
            item.status, item.withdrawn_at, item.updated_at = Status.withdrawn, now, now
            item.version += 1
            self._event(s, item, actor, "withdrawn", {}, request_key, now)
            if item.filed_at:
                posted = outbox.cancel_pending(s, item.id, ("parent", "ping")) == 0
                if posted:
                    outbox.enqueue(s, key=f"item:{item.id}:refresh:v{item.version}", intent="refresh", item_id=item.id,
                                   channel=item.channel_id, now=now, locale=self.policy.company.language)
                    outbox.enqueue(s, key=f"item:{item.id}:note:v{item.version}", intent="note", item_id=item.id,
                                   channel=item.channel_id, now=now, locale=self.policy.company.language,
                                   data={"note": "withdrawn", "actor": actor})
            return Outcome("withdrawn", item.id)

    def _announce_change(self, s: Session, item: FeedbackItem, changes: dict, old_channel: str | None,
                         old_ts: str | None, actor: str, now: datetime) -> None:
        lang = self.policy.company.language
        change_data = {"changes": {k: [a, b] for k, (a, b) in changes.items()}, "actor": actor}
        new_channel = self.policy.departments[item.department].channel
        old_dept_channel = self.policy.departments[changes["department"][0]].channel if "department" in changes else new_channel
        if new_channel != old_dept_channel:
            if outbox.cancel_pending(s, item.id, ("parent", "ping"), channel=old_dept_channel) == 0 and old_ts:
                # The old thread stays (people may have written in it) and points to the new one.
                outbox.enqueue(s, key=f"item:{item.id}:moved:v{item.version}", intent="refresh", item_id=item.id,
                               channel=old_channel, ts=old_ts, locale=lang, now=now,
                               data={"moved_to": new_channel, **change_data})
            item.channel_id, item.thread_ts = None, None
            self._post_thread(s, item, now)
        else:
            outbox.enqueue(s, key=f"item:{item.id}:refresh:v{item.version}", intent="refresh", item_id=item.id,
                           channel=new_channel, locale=lang, now=now)
            outbox.enqueue(s, key=f"item:{item.id}:note:v{item.version}", intent="note", item_id=item.id,
                           channel=new_channel, locale=lang, now=now, data={"note": "reclassified", **change_data})
