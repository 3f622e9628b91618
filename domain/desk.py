"""The feedback desk: what happens when someone reports, confirms, corrects or withdraws an item.

Each operation is one transaction that writes the item, its deadlines, an audit
event, the processed-request key and the outgoing message intents together, so a
crash leaves either all of it or none, and a retried request changes nothing.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, select

from domain import outbox
from domain.classifier import classifier_for
from domain.clock import Clock
from domain.customers import resolve_customer
from domain.deadlines import compute_deadlines
from domain.errors import AlreadyWithdrawn, InvalidValue, ItemNotFound, NotAllowed, TooLateToUndo
from domain.policy import CATEGORIES, KINDS, SEVERITIES, Policy
from domain.text import clean, summarize
from models import Deadline, Event, FeedbackItem, ProcessedRequest, ReferenceCounter
from models.db import Database

EDITABLE = ("kind", "category", "severity", "department")
FACTS = ("text", "part_numbers", "lot_numbers", "quantity", "line_stopped")


def stated_facts(chosen: dict[str, Any], extracted) -> dict[str, Any]:
    """The facts of a new item: what the person stated, else what extraction found. A stated
    "no" (line not stopped) is a statement too and beats the words."""
    stated_line = chosen.get("line_stopped")
    return {
        "part_numbers": chosen.get("part_numbers") or list(extracted.part_numbers),
        "lot_numbers": chosen.get("lot_numbers") or list(extracted.lot_numbers),
        "quantity": chosen["quantity"] if chosen.get("quantity") is not None else extracted.quantity,
        "quantity_unit": extracted.quantity_unit,
        "line_stopped": bool(extracted.line_stopped if stated_line is None else stated_line),
    }


def next_reference(s: Session) -> int:
    """The next VOC number, from a counter row the filing transaction holds locked until it commits
    (a rolled-back filing gives its number back: the ledger has no gaps)."""
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = ReferenceCounter.__table__
    stmt = (insert(table).values(name="VOC", value=1)
            .on_conflict_do_update(index_elements=["name"], set_={"value": table.c.value + 1})
            .returning(table.c.value))
    return s.execute(stmt).scalar_one()


def _once(method):
    """Two copies of one Slack request racing each other: the loser hits the processed-request key.
    Only that conflict means "duplicate"; any other constraint violation is an error (raised, so it
    is reported and retried)."""
    @functools.wraps(method)
    def wrapper(self, item_id, actor, request_key, *args, **kwargs):
        try:
            return method(self, item_id, actor, request_key, *args, **kwargs)
        except IntegrityError:
            with self.db.session() as s:
                done = s.get(ProcessedRequest, request_key)
            if done is None:
                raise
            return Outcome("duplicate", done.item_id)
    return wrapper


@dataclass
class Submission:
    """One piece of feedback as a person gave it, from any entry point."""

    source: str  # slash | dm | shortcut | modal
    key: str  # idempotency key: the same Slack request always yields the same key
    reporter_id: str
    text: str
    customer: str | None
    locale: str = "en"
    team_id: str | None = None
    channel_id: str | None = None  # where the person is talking to the bot (for replies)
    message_ts: str | None = None
    chosen: dict[str, Any] = field(default_factory=dict)  # values the person picked in a form
    reply_url: str | None = None  # where the answer replaces the "filing…" message (Slack's response_url)
    files: list[dict[str, Any]] = field(default_factory=list)  # {id, name, permalink} of files shared with it

    def __post_init__(self):
        # The entry points clean what they receive; this keeps any other caller from storing what
        # the database refuses (a NUL byte would fail the transaction on every retry).
        self.text = clean(self.text)
        self.customer = clean(self.customer) if self.customer else self.customer


@dataclass(frozen=True)
class Outcome:
    status: str  # filed | proposed | duplicate | updated | unchanged | withdrawn | cancelled
    item_id: int | None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


class Desk:
    def __init__(self, db: Database, policy: Policy, clock: Clock, group_members=None):
        self.db, self.policy, self.clock = db, policy, clock
        # Slack user-group members by group id (the bot keeps it current); empty: policy lists only.
        self.group_members: dict[str, frozenset[str]] = group_members if group_members is not None else {}
        self.classifier = classifier_for(policy)

    # ---- intake -------------------------------------------------------------------------
    def submit(self, sub: Submission, *, confirmed: bool = False) -> Outcome:
        """File the item, or keep it as a draft and propose values when unsure or no customer is named.

        `confirmed` means the person chose the values themselves (the form): always file.
        """
        now = self.clock.now()
        text = sub.text.strip()[: self.policy.intake.max_text_chars]
        result = self.classifier.classify(text, line_stopped=sub.chosen.get("line_stopped"))
        proposed = {"kind": result.kind, "category": result.category, "severity": result.severity,
                    "department": result.department}
        values = proposed | self._apply_choices(proposed, sub.chosen)
        # A stated line stop (or a stated "no") already shaped the classification above.
        facts = stated_facts(sub.chosen, result.extracted)
        customer_name = (sub.customer or "").strip() or None
        file_now = confirmed or (customer_name is not None and result.confidence >= self.policy.classification.confidence_threshold)

        try:
            with self.db.session() as s:
                if s.get(ProcessedRequest, sub.key) is not None:
                    return Outcome("duplicate", s.get(ProcessedRequest, sub.key).item_id)
                customer = resolve_customer(s, customer_name, now) if customer_name else None
                item = FeedbackItem(
                    source_key=sub.key, source=sub.source, status="draft", **values,
                    also_departments=list(result.also_departments) if values["kind"] == "complaint" else [],
                    confidence=1.0 if confirmed else result.confidence,
                    reasons=[r.as_dict() | {"label_en": r.label("en"), "label_zh": r.label("zh")} for r in result.reasons],
                    customer_id=customer.id if customer else None, customer_text=customer_name,
                    text=text, summary=summarize(text), **facts, files=sub.files,
                    reporter_id=sub.reporter_id, team_id=sub.team_id, locale=sub.locale,
                    source_channel=sub.channel_id, source_message_ts=sub.message_ts,
                    received_at=now, created_at=now, updated_at=now,
                )
                s.add(item)
                s.flush()
                s.add(ProcessedRequest(key=sub.key, item_id=item.id, at=now))
                self._event(s, item, sub.reporter_id, "received", {"source": sub.source, "confidence": result.confidence}, sub.key, now)
                if file_now:
                    self._file(s, item, sub.reporter_id, sub.key, now, sub.reply_url)
                    return Outcome("filed", item.id)
                outbox.enqueue(s, key=f"item:{item.id}:proposal", intent="proposal", item_id=item.id,
                               channel=sub.channel_id, user=sub.reporter_id, locale=sub.locale, now=now,
                               data={"response_url": sub.reply_url})
                return Outcome("proposed", item.id)
        except IntegrityError:
            # The same request raced itself (two retries in parallel): the first one won.
            with self.db.session() as s:
                done = s.get(ProcessedRequest, sub.key)
            if done is None:
                raise  # not the request key: a real error, reported and retried
            return Outcome("duplicate", done.item_id)

    @_once
    def confirm_draft(self, item_id: int, actor: str, request_key: str, chosen: dict[str, Any] | None = None,
                      reply_url: str | None = None) -> Outcome:
        """The reporter accepts (or corrects) the proposed values of a draft: file it."""
        now = self.clock.now()
        with self.db.session() as s:
            if self._seen(s, request_key, item_id, now):
                return Outcome("duplicate", item_id)
            item = self._item(s, item_id)
            if item.status != "draft":
                return Outcome("unchanged", item.id)
            self._require_may_correct(item, actor)
            chosen = chosen or {}
            if chosen.get("customer"):
                item.customer_id, item.customer_text = resolve_customer(s, chosen["customer"], now).id, chosen["customer"]
            for name, value in self._apply_choices({k: getattr(item, k) for k in EDITABLE}, chosen).items():
                setattr(item, name, value)
            self._apply_facts(item, chosen)  # everything the person entered in the form is kept
            if item.customer_id is None:
                raise InvalidValue(field="customer")
            self._file(s, item, actor, request_key, now, reply_url)
            return Outcome("filed", item.id)

    @_once
    def cancel_draft(self, item_id: int, actor: str, request_key: str) -> Outcome:
        now = self.clock.now()
        with self.db.session() as s:
            if self._seen(s, request_key, item_id, now):
                return Outcome("duplicate", item_id)
            item = self._item(s, item_id)
            self._require_may_correct(item, actor)
            if item.status != "draft":
                return Outcome("unchanged", item.id)
            item.status, item.withdrawn_at, item.updated_at = "withdrawn", now, now
            self._event(s, item, actor, "draft_cancelled", {}, request_key, now)
            return Outcome("cancelled", item.id)

    # ---- corrections ------------------------------------------------------------------------
    @_once
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
                setattr(item, name, value)
            item.version += 1
            item.updated_at = now
            # Corrections are the training data of the learning classifier (ROADMAP 4): keep them whole.
            self._event(s, item, actor, "reclassified",
                        {"changes": {k: [a, b] for k, (a, b) in changes.items()}, "text": item.text}, request_key, now)
            if "kind" in changes or "severity" in changes:
                self._replace_deadlines(s, item)
            if item.status == "received":
                self._announce_change(s, item, changes, old_channel, old_ts, actor, now)
            return Outcome("updated", item.id, changes)

    @_once
    def withdraw(self, item_id: int, actor: str, request_key: str) -> Outcome:
        """Undo: nothing is deleted; the item is marked withdrawn and its thread says so."""
        now = self.clock.now()
        with self.db.session() as s:
            if self._seen(s, request_key, item_id, now):
                return Outcome("duplicate", item_id)
            item = self._item(s, item_id)
            if item.reporter_id != actor:
                raise NotAllowed(action="undo")
            if item.status == "withdrawn":
                return Outcome("unchanged", item.id)
            window = timedelta(minutes=self.policy.intake.undo_minutes)
            if item.filed_at and now - item.filed_at > window:
                raise TooLateToUndo(minutes=self.policy.intake.undo_minutes)
            item.status, item.withdrawn_at, item.updated_at = "withdrawn", now, now
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

    @_once
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
                item.severity = "AA"
                self._replace_deadlines(s, item)
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

    def sweep_drafts(self, now: datetime) -> list[int]:
        """Proposals nobody confirmed: the reporter is reminded once; a complaint with an AA trigger is
        filed after `unconfirmed_aa_minutes`, marked unconfirmed, rather than left unseen. Safe to run
        from two schedulers at once (row locks, outbox keys). Returns the ids it filed."""
        intake = self.policy.intake
        filed: list[int] = []
        with self.db.session() as s:
            drafts = s.exec(select(FeedbackItem.id).where(FeedbackItem.status == "draft")
                            .where(FeedbackItem.created_at <= now - timedelta(minutes=min(
                                intake.draft_reminder_minutes, intake.unconfirmed_aa_minutes)))).all()
        for item_id in drafts:
            with self.db.session() as s:
                item = s.get(FeedbackItem, item_id, with_for_update={"skip_locked": True})
                if item is None or item.status != "draft":
                    continue
                age = now - item.created_at
                if item.kind == "complaint" and item.severity == "AA" and age >= timedelta(minutes=intake.unconfirmed_aa_minutes):
                    item.unconfirmed = True
                    self._event(s, item, "system", "filed_unconfirmed", {"after_minutes": intake.unconfirmed_aa_minutes},
                                f"sweep:draft:{item.id}", now)
                    self._file(s, item, "system", f"sweep:draft:{item.id}", now)
                    filed.append(item.id)
                elif item.reminded_at is None and age >= timedelta(minutes=intake.draft_reminder_minutes):
                    item.reminded_at = now
                    outbox.enqueue(s, key=f"item:{item.id}:draft-reminder", intent="proposal", item_id=item.id,
                                   channel=item.source_channel, user=item.reporter_id, locale=item.locale, now=now,
                                   data={"reminder": True})
        return filed

    # ---- reading ----------------------------------------------------------------------------
    def get(self, item_id: int) -> FeedbackItem:
        with self.db.session() as s:
            return self._item(s, item_id, lock=False)

    def card(self, item_id: int):
        """The item with its customer and deadlines, for drawing it (no lock)."""
        from domain.cards import load_card

        with self.db.session() as s:
            found = load_card(s, item_id)
        if found is None:
            raise ItemNotFound(item=item_id)
        return found

    # ---- internals --------------------------------------------------------------------------
    def _file(self, s: Session, item: FeedbackItem, actor: str, origin: str, now: datetime,
              reply_url: str | None = None) -> None:
        item.status, item.filed_at, item.updated_at = "received", now, now
        item.number = next_reference(s)
        self._replace_deadlines(s, item)
        self._event(s, item, actor, "filed", {k: getattr(item, k) for k in EDITABLE}, origin, now)
        self._post_thread(s, item, now)
        outbox.enqueue(s, key=f"item:{item.id}:confirmation:v{item.version}", intent="confirmation", item_id=item.id,
                       channel=item.source_channel, user=item.reporter_id, locale=item.locale, now=now,
                       data={"response_url": reply_url})

    def _post_thread(self, s: Session, item: FeedbackItem, now: datetime) -> None:
        channel = self.policy.departments[item.department].channel
        lang = self.policy.company.language
        outbox.enqueue(s, key=f"item:{item.id}:parent:{channel}", intent="parent", item_id=item.id,
                       channel=channel, locale=lang, now=now)
        outbox.enqueue(s, key=f"item:{item.id}:ping:{channel}", intent="ping", item_id=item.id,
                       channel=channel, locale=lang, now=now)

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

    def _replace_deadlines(self, s: Session, item: FeedbackItem) -> None:
        s.exec(delete(Deadline).where(Deadline.item_id == item.id))
        for due in compute_deadlines(self.policy, item.kind, item.severity, item.received_at):
            s.add(Deadline(item_id=item.id, milestone=due.milestone, due_at=due.due_at))
        s.flush()

    def _apply_choices(self, current: dict[str, str], chosen: dict[str, Any]) -> dict[str, str]:
        """The classification values a person chose, checked, with what follows from them:
        a new category brings its department (unless one was chosen), and only complaints have a
        severity above B."""
        new = {k: v for k, v in chosen.items() if k in EDITABLE and v}
        for name, value in new.items():
            self._validate(name, value)
        if "category" in new and "department" not in new:
            new["department"] = self.policy.department_for(new["category"])
        merged = current | new
        if merged["kind"] != "complaint" and merged["severity"] != "B":
            new["severity"] = "B"
        return new

    def _validate(self, name: str, value: str) -> None:
        allowed = {"kind": KINDS, "category": CATEGORIES, "severity": SEVERITIES,
                   "department": tuple(self.policy.departments)}[name]
        if value not in allowed:
            raise InvalidValue(field=name, value=value)

    def _open_correction(self, s: Session, item_id: int, actor: str, request_key: str, now: datetime) -> FeedbackItem | None:
        """What every correction starts with, in its transaction: the request key (None: seen
        before), the item locked, the person allowed, the item not withdrawn."""
        if self._seen(s, request_key, item_id, now):
            return None
        item = self._item(s, item_id)
        self._require_may_correct(item, actor)
        if item.status == "withdrawn":
            raise AlreadyWithdrawn(item=item.number or item.id)
        return item

    def _apply_facts(self, item: FeedbackItem, chosen: dict[str, Any]) -> None:
        """Facts a person entered replace what was there; a field left out is left as it was."""
        text = (chosen.get("text") or "").strip()[: self.policy.intake.max_text_chars]
        if text and text != item.text:
            item.text, item.summary = text, summarize(text)
        for name in ("part_numbers", "lot_numbers"):
            if name in chosen and chosen[name] is not None:
                setattr(item, name, list(chosen[name]))
        if chosen.get("quantity") is not None:
            item.quantity = chosen["quantity"]
        if chosen.get("line_stopped") is not None:
            item.line_stopped = bool(chosen["line_stopped"])

    def _require_may_correct(self, item: FeedbackItem, actor: str) -> None:
        """The reporter, a member of the responsible (or an added) department, or a manager."""
        from domain.roles import roles_of

        roles = roles_of(self.policy, actor, self.group_members)
        manager = bool(roles.manages or roles.quality_manager or roles.general_manager or roles.admin)
        departments = {item.department, *item.also_departments}
        if actor != item.reporter_id and not manager and not (item.filed_at and roles.departments & departments):
            raise NotAllowed(action="change")

    @staticmethod
    def _item(s: Session, item_id: int, lock: bool = True) -> FeedbackItem:
        # Locked for a changing transaction: two clicks processed at once see each other's change.
        item = s.get(FeedbackItem, item_id, with_for_update=lock)
        if item is None:
            raise ItemNotFound(item=item_id)
        return item

    @staticmethod
    def _seen(s: Session, key: str, item_id: int, now: datetime) -> bool:
        """True when this request was handled before; otherwise record it (same transaction as the change)."""
        if s.get(ProcessedRequest, key) is not None:
            return True
        s.add(ProcessedRequest(key=key, item_id=item_id, at=now))
        s.flush()
        return False

    @staticmethod
    def _event(s: Session, item: FeedbackItem, actor: str, action: str, detail: dict, origin: str, now: datetime) -> None:
        s.add(Event(item_id=item.id, actor=actor, action=action, detail=detail, origin=origin, at=now))

