"""Intake: a piece of feedback becomes an item — filed at once when the bot is sure and a customer
is named, else kept as a draft with a proposal; drafts confirmed, discarded, reminded of, and AA
ones filed unconfirmed when nobody answers."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.lifecycle.table import Status
from domain import outbox
from domain.classifier.store import record_example
from domain.requirements import item_requirements
from domain.customers import customer_choices, customer_in_text, resolve_customer
from domain.duplicates import possible_duplicate
from domain.errors import InvalidValue
from domain.messages_intake import AA_ANSWERS
from domain.levels import FACTS_OF_LEVEL, facts_reader, URGENCIES, customer_requirement, level_of, settle_level, stated_customer_facts
from domain.repeats import link_repeats
from domain.policy import Policy
from domain.text import clean, summarize
from domain.unit_of_work import EDITABLE, ItemWork, Outcome, once_per_request, next_reference, stated_line_state
from models import FeedbackItem, ProcessedRequest


AA_QUESTION = "aa_question"  # in a draft's offers: the reporter is asked whether AA applies


def stated_facts(chosen: dict[str, Any], extracted) -> dict[str, Any]:
    """The facts of a new item: what the person stated, else what extraction found. A stated
    "running" (line not stopped) is a statement too and beats the words. The extracted defective
    and checked counts, and the words a worked-out count came from, go together: a quantity the
    person typed replaces all three."""
    line = stated_line_state(chosen) or extracted.line_state
    typed = chosen.get("quantity") is not None
    return {
        "part_numbers": chosen.get("part_numbers") or list(extracted.part_numbers),
        "lot_numbers": chosen.get("lot_numbers") or list(extracted.lot_numbers),
        "quantity": chosen["quantity"] if typed else extracted.quantity,
        "quantity_unit": None if typed else extracted.quantity_unit,
        "checked_quantity": chosen.get("checked_quantity") if typed else extracted.checked_quantity,
        "quantity_text": None if typed else extracted.quantity_text,
        "line_state": line,
        "line_stopped": line == "stopped",
    }


def stop_weighs(state: str | None) -> bool | None:
    """What a line state tells the classifier: a stop or an imminent one weighs as a stop does (AA,
    LABELING.md); running removes the stop words' weight; not said, the words decide."""
    return None if state is None else state in ("stopped", "about_to_stop")


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
    platform: str = "slack"  # slack | teams: whose ids reporter_id and channel_id are, where the thread goes

    def __post_init__(self):
        # The entry points clean what they receive; this keeps any other caller from storing what
        # the database refuses (a NUL byte would fail the transaction on every retry).
        self.text = clean(self.text)
        self.customer = clean(self.customer) if self.customer else self.customer


def stored_reasons(result, policy: Policy) -> list[dict[str, Any]]:
    """The classifier's reasons as the item keeps them, with their labels in both languages. The
    customer's urgency is its own fact (domain/levels.py), never a reason for the problem's grade:
    words of urgency — "urgent", and "not urgent" (a word the model found telling in "it is not
    urgent, but…") least of all — are left out of the severity's evidence."""
    reader = facts_reader(policy)
    kept = []
    for r in result.reasons:
        if r.field == "severity" and r.rule == "model":
            r = replace(r, evidence=tuple(w for w in r.evidence if reader.urgency(w) is None))
        kept.append(r.as_dict() | {"label_en": r.label("en"), "label_zh": r.label("zh")})
    return kept


class Intake(ItemWork):
    def submit(self, sub: Submission, *, confirmed: bool = False) -> Outcome:
        """File the item, or keep it as a draft and propose values when unsure or no customer is named.

        `confirmed` means the person chose the values themselves (the form): always file.
        """
        now = self.clock.now()
        text = sub.text.strip()[: self.policy.intake.max_text_chars]
        classifier = self.classifier
        result = classifier.classify(text, line_stopped=stop_weighs(stated_line_state(sub.chosen)))
        proposed = {"kind": result.kind, "category": result.category, "severity": result.severity,
                    "department": result.department}
        values = proposed | self._apply_choices(proposed, sub.chosen)
        # A stated line stop (or a stated "no") already shaped the classification above.
        facts = stated_facts(sub.chosen, result.extracted)
        # The classifier (or the person) grades the problem; the customer's urgency is its own fact,
        # and the level that drives deadlines is the stricter of the two (domain/levels.py).
        customer_facts = stated_customer_facts(sub.chosen, text, self.policy)
        values["problem_severity"] = values["severity"]
        values["severity"] = level_of(values["kind"], values["severity"], customer_facts["urgency"], self.policy)
        customer_name = (sub.customer or "").strip() or None

        try:
            with self.db.session() as s:
                if s.get(ProcessedRequest, sub.key) is not None:
                    return Outcome("duplicate", s.get(ProcessedRequest, sub.key).item_id)
                # A name close to known customers but not surely one of them is asked about, never
                # guessed and never created as a second record until the person says so (in the form
                # too: "Shanghai Volkswagen" is asked about, or matched by an alias, never added beside
                # SAIC Volkswagen). With no name before a colon, a known customer named inside the
                # sentence ("…phone with Gelly…", "比亞迪說…") is the customer.
                named = customer_in_text(s, text) if customer_name is None else None
                if named is not None:  # "Gelly" in a sentence is asked about like "Gelly" typed before a colon
                    customer_name = named[0]
                if named is not None and named[1] is not None:
                    choices, customer = [], named[1]
                else:
                    choices = customer_choices(s, customer_name) if customer_name else []
                    customer = None if choices else (resolve_customer(s, customer_name, now) if customer_name else None)
                file_now = not choices and (confirmed or (customer_name is not None and classifier.sure(result)))
                item = FeedbackItem(
                    source_key=sub.key, source=sub.source, status=Status.draft, **values,
                    also_departments=list(result.also_departments) if values["kind"] == "complaint" else [],
                    confidence=1.0 if confirmed else result.confidence,
                    reasons=stored_reasons(result, self.policy),
                    customer_id=customer.id if customer else None, customer_text=customer_name,
                    text=text, summary=summarize(text), **facts, **customer_facts, files=sub.files,
                    reporter_id=sub.reporter_id, team_id=sub.team_id, locale=sub.locale, platform=sub.platform,
                    source_channel=sub.channel_id, source_message_ts=sub.message_ts,
                    received_at=now, created_at=now, updated_at=now,
                )
                s.add(item)
                s.flush()
                s.add(ProcessedRequest(key=sub.key, item_id=item.id, at=now))
                self._event(s, item, sub.reporter_id, "received", {"source": sub.source, "confidence": result.confidence}, sub.key, now)
                item.offers = self._offers(s, item, choices, now) if not confirmed or choices else {}
                if not confirmed and classifier.asks_aa(result):  # never filed lower in silence: ask first
                    item.offers = {**item.offers, AA_QUESTION: True}
                if file_now and not item.offers and not self._questions_first(item, sub):
                    self._file(s, item, sub.reporter_id, sub.key, now, sub.reply_url, bool(sub.chosen.get("severity")))
                    return Outcome("filed", item.id)
                return self._keep_draft(s, item, sub, now)
        except IntegrityError:
            # The same request raced itself (two retries in parallel): the first one won.
            with self.db.session() as s:
                done = s.get(ProcessedRequest, sub.key)
            if done is None:
                raise  # not the request key: a real error, reported and retried
            return Outcome("duplicate", done.item_id)

    @once_per_request
    def confirm_draft(self, item_id: int, actor: str, request_key: str, chosen: dict[str, Any] | None = None,
                      reply_url: str | None = None) -> Outcome:
        """The reporter accepts (or corrects) the proposed values of a draft: file it."""
        now = self.clock.now()
        with self.db.session() as s:
            if self._seen(s, request_key, item_id, now):
                return Outcome("duplicate", item_id)
            item = self._item(s, item_id)
            if item.status != Status.draft:
                return Outcome("unchanged", item.id)
            self._require_may_correct(s, item, actor)
            chosen = chosen or {}
            if chosen.get("customer"):
                item.customer_id, item.customer_text = resolve_customer(s, chosen["customer"], now).id, chosen["customer"]
            proposed = (item.kind, item.category, item.problem_severity)
            for name, value in self._apply_choices({k: getattr(item, k) for k in EDITABLE}, chosen).items():
                setattr(item, "problem_severity" if name == "severity" else name, value)  # a person grades the problem
            self._apply_facts(item, chosen)  # everything the person entered in the form is kept
            self._apply_customer_facts(item, chosen)
            settle_level(item, self.policy)
            if item.customer_id is None:
                raise InvalidValue(field="customer")
            if (item.kind, item.category, item.problem_severity) != proposed:  # the person corrected the proposal
                record_example(s, item, actor, "correction", now)
            self._file(s, item, actor, request_key, now, reply_url, bool(chosen.get("severity")))
            return Outcome("filed", item.id)

    @once_per_request
    def answer_aa(self, item_id: int, actor: str, request_key: str, answer: str, reply_url: str | None = None) -> Outcome:
        """The reporter's answer to "line stopped or about to stop? safety or a recall? neither?",
        asked when AA was plausible but not decided: it sets the problem's severity (AA, or the
        proposed one for "neither"), is recorded as the reason, and the draft is filed when
        nothing else is asked."""
        if answer not in AA_ANSWERS:
            raise InvalidValue(field="answer")
        now = self.clock.now()
        with self.db.session() as s:
            item = self._open_draft(s, item_id, actor, request_key, now)
            if not isinstance(item, FeedbackItem):
                return item
            proposed = item.problem_severity
            item.offers = {k: v for k, v in (item.offers or {}).items() if k != AA_QUESTION}
            said = AA_ANSWERS[answer]
            if answer != "neither":
                item.kind, item.problem_severity = "complaint", "AA"
                item.reasons = [r for r in item.reasons if r.get("field") != "severity"]
            item.reasons = [*item.reasons, {"field": "severity", "value": item.problem_severity, "rule": "reporter",
                                            "evidence": [answer], "label_en": said["en"], "label_zh": said["zh"]}]
            settle_level(item, self.policy)
            self._event(s, item, actor, "aa_answered", {"answer": answer, "severity": [proposed, item.problem_severity]},
                        request_key, now)
            if item.problem_severity != proposed:  # the model learns what the reporter knew
                record_example(s, item, actor, "correction", now)
            if item.customer_id is None or item.offers:  # a customer or a duplicate still to settle
                outbox.enqueue(s, key=f"item:{item.id}:proposal:{request_key}", intent="proposal", item_id=item.id,
                               channel=item.source_channel, user=item.reporter_id, locale=item.locale, now=now,
                               data={"response_url": reply_url}, platform=item.platform)
                return Outcome("proposed", item.id)
            self._file(s, item, actor, request_key, now, reply_url, answer != "neither")  # an AA the reporter confirmed stays
            return Outcome("filed", item.id)

    @staticmethod
    def _apply_customer_facts(item: FeedbackItem, chosen: dict[str, Any]) -> None:
        """The urgency and 8D request the person stated (the form, a DM answer): stated beats read."""
        if chosen.get("urgency") in URGENCIES:
            item.urgency, item.urgency_source = chosen["urgency"], "reporter"
        if chosen.get("wants_8d") is not None:
            item.wants_8d, item.wants_8d_source = bool(chosen["wants_8d"]), "reporter"

    def _questions_first(self, item: FeedbackItem, sub: Submission) -> bool:
        """Whether to ask before filing what the bot is sure of (the DM conversation says yes)."""
        return False

    def _keep_draft(self, s: Session, item: FeedbackItem, sub: Submission, now: datetime) -> Outcome:
        """Not filed: propose what was understood, with File it / Edit / Discard (or the offers)."""
        outbox.enqueue(s, key=f"item:{item.id}:proposal", intent="proposal", item_id=item.id,
                       channel=sub.channel_id, user=sub.reporter_id, locale=sub.locale, now=now,
                       data={"response_url": sub.reply_url}, platform=sub.platform)
        return Outcome("proposed", item.id)

    @staticmethod
    def _duplicates_an_aa(s: Session, item: FeedbackItem) -> bool:
        """An AA draft offered as the same report as a filed AA item is not filed again (that one is
        being worked); offered as the same as a lesser item, it is filed: the AA must be seen."""
        other = s.get(FeedbackItem, (item.offers or {}).get("duplicate_of") or 0)
        return other is not None and other.severity == "AA" and other.status != Status.withdrawn

    def _offers(self, s: Session, item: FeedbackItem, choices: list, now: datetime) -> dict[str, Any]:
        """What the proposal offers instead of filing: the customers the name may mean, or the item
        this may duplicate (the same customer and part within the policy's hours)."""
        if choices:
            return {"customers": [{"id": c.id, "name": c.name} for c in choices]}
        duplicate = possible_duplicate(s, item, self.policy, now)
        return {"duplicate_of": duplicate.id} if duplicate is not None else {}

    @once_per_request
    def add_to_existing(self, item_id: int, actor: str, request_key: str) -> Outcome:
        """The draft is the same report as the item its proposal named: record it in that item's
        thread (its text, and its files on the item) and close the draft (withdrawn, linked), rather
        than file it twice. When that item was withdrawn meanwhile, the draft is proposed again."""
        now = self.clock.now()
        with self.db.session() as s:
            item = self._open_draft(s, item_id, actor, request_key, now)
            if not isinstance(item, FeedbackItem):
                return item
            target = s.get(FeedbackItem, (item.offers or {}).get("duplicate_of") or 0)
            if target is None or target.status == Status.withdrawn:
                item.offers = {}
                outbox.enqueue(s, key=f"item:{item.id}:proposal:{request_key}", intent="proposal", item_id=item.id,
                               channel=item.source_channel, user=item.reporter_id, locale=item.locale, now=now,
                               platform=item.platform)
                return Outcome("proposed", item.id)
            item.status, item.withdrawn_at, item.updated_at = Status.withdrawn, now, now
            if item.files:  # the second report's photos join the first item's, and its parent shows them
                target.files = [*target.files, *item.files]
                target.version += 1
                target.updated_at = now
                outbox.enqueue(s, key=f"item:{target.id}:refresh:v{target.version}", intent="refresh", item_id=target.id,
                               channel=target.channel_id, now=now, locale=self.policy.company.language)
            self._event(s, item, actor, "added_to", {"into": target.number}, request_key, now)
            self._event(s, target, actor, "reported_again", {"draft": item.id, "text": item.text}, request_key, now)
            outbox.enqueue(s, key=f"item:{target.id}:again:{item.id}", intent="note", item_id=target.id,
                           channel=target.channel_id, now=now, locale=self.policy.company.language,
                           data={"note": "reported_again", "actor": actor, "text": item.text})
            return Outcome("added", target.id)

    def _open_draft(self, s: Session, item_id: int, actor: str, request_key: str, now: datetime) -> FeedbackItem | Outcome:
        """The draft, locked, for a person allowed to change it; or the Outcome that ends the request
        (already handled, or no longer a draft)."""
        if self._seen(s, request_key, item_id, now):
            return Outcome("duplicate", item_id)
        item = self._item(s, item_id)
        self._require_may_correct(s, item, actor)
        return item if item.status == Status.draft else Outcome("unchanged", item.id)

    @once_per_request
    def cancel_draft(self, item_id: int, actor: str, request_key: str) -> Outcome:
        now = self.clock.now()
        with self.db.session() as s:
            item = self._open_draft(s, item_id, actor, request_key, now)
            if not isinstance(item, FeedbackItem):
                return item
            item.status, item.withdrawn_at, item.updated_at = Status.withdrawn, now, now
            self._event(s, item, actor, "draft_cancelled", {}, request_key, now)
            return Outcome("cancelled", item.id)

    def sweep_drafts(self, now: datetime) -> list[int]:
        """Proposals nobody confirmed: the reporter is reminded once; a complaint with an AA trigger is
        filed after `unconfirmed_aa_minutes`, marked unconfirmed, rather than left unseen. Safe to run
        from two schedulers at once (row locks, outbox keys). Returns the ids it filed."""
        intake = self.policy.intake
        filed: list[int] = []
        with self.db.session() as s:
            drafts = s.exec(select(FeedbackItem.id).where(FeedbackItem.status == Status.draft)
                            .where(FeedbackItem.created_at <= now - timedelta(minutes=min(
                                intake.draft_reminder_minutes, intake.unconfirmed_aa_minutes)))).all()
        for item_id in drafts:
            with self.db.session() as s:
                item = s.get(FeedbackItem, item_id, with_for_update={"skip_locked": True})
                if item is None or item.status != Status.draft or self._dropped(s, item):
                    continue
                age = now - item.created_at
                if item.kind == "complaint" and item.severity == "AA" and age >= timedelta(minutes=intake.unconfirmed_aa_minutes) \
                        and not self._duplicates_an_aa(s, item):
                    if item.customer_id is None and item.customer_text:  # a name still asked about: as typed
                        item.customer_id = resolve_customer(s, item.customer_text, now).id
                    item.unconfirmed = True
                    self._event(s, item, "system", "filed_unconfirmed", {"after_minutes": intake.unconfirmed_aa_minutes},
                                f"sweep:draft:{item.id}", now)
                    self._file(s, item, "system", f"sweep:draft:{item.id}", now)
                    filed.append(item.id)
                elif item.reminded_at is None and age >= timedelta(minutes=intake.draft_reminder_minutes):
                    item.reminded_at = now
                    if self._remind_conversation(s, item, now):
                        continue
                    outbox.enqueue(s, key=f"item:{item.id}:draft-reminder", intent="proposal", item_id=item.id,
                                   channel=item.source_channel, user=item.reporter_id, locale=item.locale, now=now,
                                   data={"reminder": True}, platform=item.platform)
        return filed

    # Hooks of the DM conversation (domain/conversation_work.py); intake alone has none.
    def _remind_conversation(self, s: Session, item: FeedbackItem, now: datetime) -> bool:
        """Remind of a DM conversation's question instead of the proposal."""
        return False

    def _end_conversation(self, s: Session, item: FeedbackItem, now: datetime) -> None:
        """The item is filed: a conversation about it asks nothing more."""

    def _dropped(self, s: Session, item: FeedbackItem) -> bool:
        """The person dropped this draft (kept, never reminded of nor filed)."""
        return False

    def _note_repeat(self, s: Session, item: FeedbackItem, actor: str, origin: str, now: datetime,
                     chosen_severity: bool = False) -> None:
        """A repeat occurrence is linked to the earlier items with its evidence (the same part, the
        same failure mode); a B complaint rises to A (policy `repeats.raise_severity`), with the
        reason said where the severity is explained — unless a person chose B: then the repeat is
        said beside the kept choice, never overridden silently."""
        earlier = link_repeats(s, item, self.policy, now)
        if not earlier:
            return
        refs = ", ".join(f"VOC-{e.item.number}" for e in earlier)
        evidence = sorted({x for e in earlier for x in e.evidence()})
        detail: dict[str, Any] = {"of": [e.item.number for e in earlier], "evidence": evidence}
        why = "; ".join(evidence)
        if self.policy.repeats.raise_severity and item.problem_severity == "B" and not chosen_severity:
            detail["severity"] = [item.problem_severity, "A"]
            item.problem_severity = "A"
            item.reasons = [*item.reasons, {"field": "severity", "value": "A", "rule": "repeat", "evidence": [refs, *evidence],
                                            "label_en": f"repeat of {refs} ({why})", "label_zh": f"重复发生（{refs}：{why}）"}]
        elif item.problem_severity == "B" and chosen_severity:
            detail["kept"] = "B"  # the person's choice stands; the repeat is said where the grade is explained
            item.reasons = [*item.reasons, {"field": "severity", "value": "B", "rule": "repeat_kept", "evidence": [refs, *evidence],
                                            "label_en": f"possible repeat of {refs} ({why}); B kept as chosen",
                                            "label_zh": f"可能重复发生（{refs}：{why}）；按所选保留 B"}]
        self._event(s, item, "system", "repeat_detected", detail, origin, now)

    def _file(self, s: Session, item: FeedbackItem, actor: str, origin: str, now: datetime,
              reply_url: str | None = None, chosen_severity: bool = False) -> None:
        item.status, item.filed_at, item.updated_at = Status.received, now, now
        item.number = next_reference(s)
        self._end_conversation(s, item, now)
        self._note_repeat(s, item, actor, origin, now, chosen_severity)
        customer_requirement(item, item_requirements(s, self.policy, item))
        settle_level(item, self.policy)
        self._sync_deadlines(s, item, now)
        self._event(s, item, actor, "filed", {k: getattr(item, k) for k in (*EDITABLE, *FACTS_OF_LEVEL)}, origin, now)
        self._post_thread(s, item, now)
        outbox.enqueue(s, key=f"item:{item.id}:confirmation:v{item.version}", intent="confirmation", item_id=item.id,
                       channel=item.source_channel, user=item.reporter_id, locale=item.locale, now=now,
                       data={"response_url": reply_url}, platform=item.platform)
