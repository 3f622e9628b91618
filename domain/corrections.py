"""Corrections: the classification and the facts of an item changed by the people allowed to, as
often as needed, each change in the audit trail; and undo (withdraw) within its window."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from domain.lifecycle.table import Status
from domain import outbox
from domain.classifier.store import record_example
from domain.requirements import item_requirements
from domain.customers import resolve_customer
from domain.errors import ClassificationAfterWork, NotAllowed
from domain.levels import customer_requirement, settle_level
from domain.i18n import ref
from domain.lifecycle.apply import ActionRefused, load_view, perform
from domain.lifecycle.approvals import outdate_8d
from domain.lifecycle.permissions import check, roles_on
from domain.roles import roles_of
from domain.unit_of_work import EDITABLE, FACTS, ItemWork, Outcome, once_per_request
from models import FeedbackItem


class Corrections(ItemWork):
    @once_per_request
    def reclassify(self, item_id: int, actor: str, request_key: str, chosen: dict[str, Any]) -> Outcome:
        """*Change classification*. On a filed item this is not a side door: severity goes through the
        rule table's `change_severity` and a department other than routing's through `reassign`
        (a manager of the owning department, the QM, GM or an admin, with a reason); kind and category
        may be fixed by the reporter or the department while nobody works the item yet
        (policy `corrections.classification_fixable_while`), by a manager after. Every change is in
        the audit trail and noted in the thread."""
        now = self.clock.now()
        with self.db.session() as s:
            item = self._open_correction(s, item_id, actor, request_key, now)
            if item is None:
                return Outcome("duplicate", item_id)
            new = self._apply_choices({k: getattr(item, k) for k in EDITABLE}, chosen)
            changes = {k: (getattr(item, k), v) for k, v in new.items() if getattr(item, k) != v}
            if not changes:
                return Outcome("unchanged", item.id)
            reason = (chosen.get("reason") or "").strip()
            done = self._through_the_table(s, item, actor, changes, reason, request_key, now) if item.filed_at else set()
            old_channel, old_ts = item.channel_id, item.thread_ts
            for name, (_, value) in changes.items():
                setattr(item, "problem_severity" if name == "severity" else name, value)  # a person grades the problem
            if "severity" in changes or "kind" in changes:  # the level follows, still lifted by the urgency
                before = changes.pop("severity", (item.severity,))[0]
                if settle_level(item, self.policy) != before:
                    changes["severity"] = (before, item.severity)
            item.version += 1
            item.updated_at = now
            detail = {"changes": {k: [a, b] for k, (a, b) in changes.items() if k not in done}, "text": item.text}
            if reason:
                detail["reason"] = reason
            if detail["changes"]:  # what the rule table's actions did has their own events
                self._event(s, item, actor, "reclassified", detail, request_key, now)
            record_example(s, item, actor, "correction", now)  # what `voc classifier train` learns from
            if "kind" in changes or "category" in changes or ("severity" in changes and "severity" not in done):
                # milestones are per kind and category (an invoice complaint has no containment clock)
                self._sync_deadlines(s, item, now)
            if item.filed_at is not None:
                self._announce_change(s, item, changes, old_channel, old_ts, actor, now, reason or None)
            return Outcome("updated", item.id, changes)

    def _through_the_table(self, s: Session, item: FeedbackItem, actor: str, changes: dict, reason: str,
                           request_key: str, now) -> set[str]:
        """On a filed item, severity and department change through the rule table's actions
        (`perform`: the role, the reason, their audit events, the clocks, the assignments); kind and
        category are checked here. Raises, changing nothing, when the person may not. Returns the
        fields the table's actions changed."""
        roles = roles_of(self.policy, actor, self.group_members)
        view = load_view(s, item.id)
        fixable = item.status in self.policy.corrections.classification_fixable_while
        manager = "manager" in roles_on(view, roles, self.policy)
        if ("kind" in changes or "category" in changes) and not fixable:
            if not manager:
                raise ClassificationAfterWork(ref=ref(item.number))
            if not reason:  # it changes the clocks and the closure criteria: a manager's decision, with why
                raise ActionRefused("refusal.missing_field", field="reason")
        done = set()
        if "department" in changes:
            routed = changes.get("category") and changes["department"][1] == self.policy.department_for(changes["category"][1])
            if not (fixable and routed):  # a category fixed before anyone works it brings its department
                if not reason:
                    self._require(check(view, roles, self.policy, "reassign", {"department": changes["department"][1]},
                                        now=now))
                    raise ActionRefused("refusal.missing_field", field="reason")
                perform(s, item.id, "reassign", roles, self.policy, now,
                        {"department": changes["department"][1], "reason": reason}, origin=request_key)
                done.add("department")
        if "severity" in changes:
            if view.kind == "complaint":  # a complaint turned into an inquiry drops to B: still change_severity
                perform(s, item.id, "change_severity", roles, self.policy, now,
                        {"severity": changes["severity"][1], "reason": reason}, origin=request_key)
                done.add("severity")
            elif not manager:
                raise NotAllowed(action="change_severity")
        return done

    @staticmethod
    def _require(decision) -> None:
        if not decision.allowed:
            raise ActionRefused(decision.refusal.code, **decision.refusal.params)

    @once_per_request
    def correct_facts(self, item_id: int, actor: str, request_key: str, chosen: dict[str, Any]) -> Outcome:
        """The facts on the card (customer, text, parts, lots, quantities, the line's state), corrected by the
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
            if "customer" in changes and item.wants_8d_source in (None, "customer"):
                # the 8D request that came from the old customer's requirements follows the customer
                before_8d = item.wants_8d
                item.wants_8d, item.wants_8d_source = None, None
                customer_requirement(item, item_requirements(s, self.policy, item))
                if item.wants_8d != before_8d:
                    changes["wants_8d"] = (before_8d, item.wants_8d)
                    self._sync_deadlines(s, item, now)
            # a stated line stop, or one about to happen, is AA whoever states it (LABELING.md, a hard
            # rule): it only ever raises
            stop = ("stopped", "about_to_stop")
            if "line_state" in changes and changes["line_state"][1] in stop and changes["line_state"][0] not in stop \
                    and item.kind == "complaint" and item.severity != "AA":
                changes["severity"] = (item.severity, "AA")  # a line stop is never below AA
                item.problem_severity = "AA"
                settle_level(item, self.policy)
                self._sync_deadlines(s, item, now)
            if item.filed_at:  # the 8D's D2 shows these facts: an approved 8D is no longer what would be sent
                outdate_8d(s, load_view(s, item.id), "corrected", actor, now)
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
        """Undo: the rule table's `withdraw` (the reporter within the undo window, or a manager);
        nothing is deleted, the item is marked withdrawn and its thread says so."""
        now = self.clock.now()
        with self.db.session() as s:
            if self._seen(s, request_key, item_id, now):
                return Outcome("duplicate", item_id)
            item = self._item(s, item_id)
            if item.status == Status.withdrawn:
                return Outcome("unchanged", item.id)
            roles = roles_of(self.policy, actor, self.group_members)
            perform(s, item.id, "withdraw", roles, self.policy, now, {"reason": "undo"}, origin=request_key)
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
                         old_ts: str | None, actor: str, now: datetime, reason: str | None = None) -> None:
        lang = self.policy.company.language
        change_data = {"changes": {k: [a, b] for k, (a, b) in changes.items()}, "actor": actor, "reason": reason}
        new_channel = self.policy.departments[item.department].channel_on(item.platform)
        old_dept_channel = (self.policy.departments[changes["department"][0]].channel_on(item.platform)
                            if "department" in changes else new_channel)
        if item.status != Status.received:  # worked on: the thread stays where its history is (as `reassign` does)
            new_channel = old_dept_channel = item.channel_id
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
