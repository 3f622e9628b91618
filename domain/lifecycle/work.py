"""Working an item from its thread: a lifecycle action (domain/lifecycle/table.py) done by a person,
in the same unit of work as every other change — request key, row lock, the permission decided by
the one pure function, step records and audit event (apply.perform), and what Slack is to be told
queued in the outbox in the same transaction: the parent redrawn, a note in the thread (mentioning
the reporter when there is something to tell the customer), the quality manager's approval request,
the 8D files."""
from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from domain import outbox
from domain.lifecycle.apply import ActionRefused, load_view, perform, record_reply
from domain.lifecycle.approvals import ACTION_ACTIONS, EIGHT_D, EIGHT_D_ACTIONS, PENDING, Standing, stage_approvers
from domain.lifecycle.permissions import Decision, check
from domain.lifecycle.view import ItemView
from domain.teams_people import platform_of
from domain.roles import approvers_of, quality_managers, roles_of
from domain.unit_of_work import ItemWork, Outcome, once_per_request
from domain.lifecycle.records import CLAIM_DECISIONS, RECORD_FIELDS
from models import FeedbackItem, ItemAction

APPROVAL_ACTIONS = EIGHT_D_ACTIONS + ACTION_ACTIONS + CLAIM_DECISIONS


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
            self._tell(s, item, action, actor, fields or {}, done.item, now)
            if done.approval is not None:
                self._ask_approvers(s, item, actor, done.approval, now)
            return Outcome("updated", item.id, {k: (v["before"], v["after"]) for k, v in done.changes.items()})

    def _tell(self, s: Session, item: FeedbackItem, action: str, actor: str, fields: dict, after: ItemView, now) -> None:
        lang, v = self.policy.company.language, item.version
        outbox.enqueue(s, key=f"item:{item.id}:refresh:v{v}", intent="refresh", item_id=item.id,
                       channel=item.channel_id, platform=item.platform, now=now, locale=lang)
        if action not in APPROVAL_ACTIONS:  # an approval's note is _ask_approvers', which knows where it stands
            outbox.enqueue(s, key=f"item:{item.id}:note:v{v}", intent="note", item_id=item.id, channel=item.channel_id,
                           platform=item.platform,
                           now=now, locale=lang,
                           data={"note": "lifecycle", "action": action, "actor": actor, "status": after.status.value,
                                 "summary": _summary(action, fields), "reason": fields.get("reason"),
                                 "category": fields.get("category"), "department": fields.get("department"),
                                 "awaiting_approval": after.closure_requested,
                                 "record": {k: str(v) for k, v in fields.items() if k in RECORD_FIELDS}})
        if action in ("request_closure", "customer_told") and after.closure_requested:
            for qm in quality_managers(self.policy, self.group_members):
                outbox.enqueue(s, key=f"item:{item.id}:approval:v{v}:{qm}", intent="approval", item_id=item.id,
                               channel=qm, user=qm, now=now, locale=lang, data={"requested_by": actor},
                               platform=platform_of(qm))
        if action == "record_visit_signoff":  # the signed report as PDF, in the thread
            outbox.enqueue(s, key=f"item:{item.id}:visit-report:{fields['visit_id']}", intent="visit_report_file",
                           item_id=item.id, channel=item.channel_id, platform=item.platform, now=now, locale=lang,
                           data={"visit_id": int(fields["visit_id"]), "by": actor})
        if action == "send_8d":
            outbox.enqueue(s, key=f"item:{item.id}:8d:v{v}", intent="eightd_files", item_id=item.id,
                           channel=item.channel_id, platform=item.platform, now=now, locale=lang, data={"by": actor})

    def _ask_approvers(self, s: Session, item: FeedbackItem, actor: str, standing: Standing, now) -> None:
        """Where an approval stands after the step, in the thread; when it waits for a stage, a DM to
        the people who decide it (the 8D: the first approver of the policy's list; the others may
        answer from the thread's menu)."""
        lang, v = self.policy.company.language, item.version
        what = owner = None
        if standing.subject.startswith("claim:"):
            pass  # the view names the claim from the card, in the reader's language
        elif standing.subject != EIGHT_D:
            action_row = s.get(ItemAction, int(standing.subject.partition(":")[2]))
            what, owner = action_row.what, action_row.owner
        outbox.enqueue(s, key=f"item:{item.id}:approval-note:v{v}", intent="note", item_id=item.id, channel=item.channel_id,
                           platform=item.platform,
                       now=now, locale=lang,
                       data={"note": "approval", "actor": actor, "subject": standing.subject, "state": standing.state,
                             "stage": standing.stage, "revision": standing.revision, "reason": standing.reason,
                             "what": what, "owner": owner})
        if standing.state != PENDING:
            return
        if standing.subject == EIGHT_D:
            people = approvers_of(self.policy, self.policy.approvals.eight_d.approvers[:1], self.group_members)
        elif standing.subject.startswith("claim:"):
            people = approvers_of(self.policy, self.policy.approvals.claims.approvers[:1], self.group_members)
        else:
            people = approvers_of(self.policy, stage_approvers(self.policy, standing.stage), self.group_members)
        for person in people:
            outbox.enqueue(s, key=f"item:{item.id}:approval:{standing.subject}:r{standing.revision}:{standing.stage}:{person}",
                           intent="approval", item_id=item.id, channel=person, user=person, now=now, locale=lang,
                           platform=platform_of(person),
                           data={"requested_by": standing.by, "subject": standing.subject, "stage": standing.stage,
                                 "revision": standing.revision})

    def may(self, item_id: int, actor: str, action: str, seen_version: int | None = None) -> ItemView:
        """Before a form opens: refuse now (ActionRefused) rather than after the person filled it in.
        Returns the item as the form needs it (its actions, for instance)."""
        with self.db.session() as s:
            view = load_view(s, item_id)
        decision: Decision = check(view, roles_of(self.policy, actor, self.group_members), self.policy, action,
                                   fields=None, seen_version=seen_version, now=self.clock.now())
        if not decision.allowed and decision.refusal.code != "refusal.missing_field":
            raise ActionRefused(decision.refusal.code, **decision.refusal.params)
        return view

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
    if action in ("record_containment", "amend_containment"):
        bad = sum(int(fields.get(f"{w}_bad") or 0) for w in ("stock", "wip", "transit", "customer"))
        checked = sum(int(fields.get(f"{w}_checked") or 0) for w in ("stock", "wip", "transit", "customer"))
        return f"{bad}/{checked} · {fields.get('sorting_method', '')} · {fields.get('countermeasure', '')}"
    if action in ("record_root_cause", "amend_root_cause"):
        return f"{fields.get('occurrence', '')} / {fields.get('escape', '')}"
    if action == "record_first_contact":
        return " · ".join(str(x) for x in (fields.get("how"), fields.get("note")) if x)
    if action == "record_customer_reply":
        return str(fields.get("reply", ""))
    if action == "edit_action":
        return " · ".join(f"{k}: {fields[k]}" for k in ("what", "owner", "due") if fields.get(k))
    if "what" in fields:
        return str(fields["what"])
    if action == "record_verification":
        return ", ".join(fields.get("clean_lots") or ())
    if action == "answer":
        return str(fields.get("answer", ""))
    if action == "request_visit":
        return " · ".join(str(x) for x in (fields.get("site"), fields.get("province")) if x)
    if action in ("record_visit_return", "record_visit_signoff"):
        return " · ".join(str(x) for x in (fields.get("signed_by"), fields.get("signed_on"), fields.get("findings")) if x)
    if action == "set_urgency":
        return f"urgency: {fields.get('urgency', '')}"
    if action == "set_wants_8d":
        return f"8D: {fields.get('wants_8d', '')}"
    return ""
