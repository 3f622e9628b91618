"""The DM conversation's steps on the shared unit of work: start it for a draft, take an answer
(free text or a button), drop it on "cancel", and when nothing is left to ask, classify again with
what was stated and file (or propose, when still unsure). The questions are domain/conversation.py's."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from domain import outbox
from domain.conversation import (QUESTIONS, URGENCIES, Answer, answers, is_cancel, questions_for, read_answer,
                                 strip_lead_in, worth_asking)
from domain.customers import customer_choices, customer_in_text, resolve_customer
from domain.duplicates import possible_duplicate
from domain.errors import ItemNotFound, NotAllowed
from domain.lifecycle.table import Status
from domain.intake import AA_QUESTION, Intake, Submission, stop_weighs, stored_reasons
from domain.levels import settle_level
from domain.unit_of_work import Outcome, once_per_request, set_line_state
from models import Conversation, Customer, FeedbackItem

SUGGESTED_CUSTOMERS = 5  # known customers offered as buttons when none was named
FACTS = ("part_numbers", "lot_numbers", "quantity", "checked_quantity")  # what answers record on the item (and the line's state)


class Conversations(Intake):
    """Intake from a DM, as a conversation: where intake would propose (or file a complaint with
    details missing), the bot asks first."""

    def _questions_first(self, item: FeedbackItem, sub: Submission) -> bool:
        # An AA complaint the bot is sure of is filed at once: the department needs it more than the details.
        aa = item.kind == "complaint" and item.severity == "AA"
        return sub.source == "dm" and not aa and worth_asking(questions_for(item))

    def _keep_draft(self, s: Session, item: FeedbackItem, sub: Submission, now: datetime) -> Outcome:
        questions = questions_for(item) if sub.source == "dm" and not (item.offers or {}).get("duplicate_of") else []
        if not worth_asking(questions):
            return super()._keep_draft(s, item, sub, now)
        self._start_conversation(s, item, sub.channel_id, questions, now)
        return Outcome("asking", item.id)

    def open_conversation(self, user: str, channel: str) -> int | None:
        """The conversation waiting for this person's answer in this DM, if any."""
        with self.db.session() as s:
            return s.exec(select(Conversation.id).where(Conversation.user_id == user, Conversation.channel_id == channel,
                                                        Conversation.state == "open")
                          .order_by(Conversation.id.desc())).first()

    def _start_conversation(self, s: Session, item: FeedbackItem, channel: str, questions: list[str], now: datetime) -> None:
        for old in s.exec(select(Conversation).where(Conversation.user_id == item.reporter_id,
                                                     Conversation.channel_id == channel, Conversation.state == "open")).all():
            old.state, old.updated_at = "done", now  # a new message while one was open: the newest is the one asked
            s.add(old)
        conv = Conversation(item_id=item.id, user_id=item.reporter_id, channel_id=channel, state="open",
                            started_at=now, updated_at=now)
        s.add(conv)
        s.flush()
        self._ask(s, conv, item, questions[0], now, intro=True)

    def _ask(self, s: Session, conv: Conversation, item: FeedbackItem, question: str, now: datetime, *,
             intro: bool = False, retry: bool = False, choices: list[dict] | None = None) -> None:
        if question == "customer" and choices is None:
            choices = (item.offers or {}).get("customers") or self._suggested_customers(s)
        conv.asking, conv.asked, conv.choices, conv.updated_at = question, conv.asked + 1, choices or [], now
        s.add(conv)
        outbox.enqueue(s, key=f"conv:{conv.id}:ask:{conv.asked}", intent="question", item_id=item.id,
                       channel=conv.channel_id, user=conv.user_id, locale=item.locale, now=now,
                       data={"conversation": conv.id, "question": question, "choices": conv.choices,
                             "intro": intro, "retry": retry}, platform=item.platform)

    @staticmethod
    def _suggested_customers(s: Session) -> list[dict]:
        rows = s.exec(select(Customer).where(Customer.verified.is_(True)).order_by(Customer.id).limit(SUGGESTED_CUSTOMERS)).all()
        return [{"id": c.id, "name": c.name} for c in rows]

    def is_answer(self, conversation_id: int, text: str) -> bool:
        """Whether this DM answers the conversation's waiting question (else it is new feedback)."""
        with self.db.session() as s:
            conv = s.get(Conversation, conversation_id)
        return conv is not None and conv.asking in QUESTIONS and answers(conv.asking, text)

    @once_per_request
    def answer(self, conversation_id: int, actor: str, request_key: str, *, text: str | None = None,
               question: str | None = None, choice: str | None = None, files: list[dict] | None = None) -> Outcome:
        """An answer in free text (`text`, with any `files` shared with it) or a button (`question`,
        `choice`). Stale buttons (another question is waiting now) and a conversation that ended are
        answered "unchanged"."""
        now = self.clock.now()
        with self.db.session() as s:
            conv = s.get(Conversation, conversation_id)
            if conv is None:
                raise ItemNotFound(item=conversation_id)
            if self._seen(s, request_key, conv.item_id, now):
                return Outcome("duplicate", conv.item_id)
            if actor != conv.user_id:
                raise NotAllowed()
            item = self._item(s, conv.item_id)  # locked: the drafts' sweep or a click may file it meanwhile
            s.refresh(conv)
            if conv.state != "open" or item.status != Status.draft or (question is not None and question != conv.asking):
                if conv.state == "open" and item.status != Status.draft:
                    conv.state = "done"  # filed meanwhile (an AA draft is not kept waiting)
                    s.add(conv)
                return Outcome("unchanged", item.id)
            if text is not None and is_cancel(text):
                conv.state, conv.asking, conv.updated_at = "cancelled", None, now
                s.add(conv)
                self._event(s, item, actor, "conversation_cancelled", {}, request_key, now)
                return Outcome("cancelled", item.id)
            if files:  # a photo sent with the answer belongs to the report
                item.files = [*item.files, *files]
            asked = conv.asking
            answer = read_answer(asked, text) if text is not None else self._chosen(conv, asked, choice)
            if answer is None:
                self._ask(s, conv, item, asked, now, retry=True, choices=conv.choices)
                return Outcome("retry", item.id)
            if asked == "customer" and not self._take_customer(s, conv, item, answer, now):
                return Outcome("retry", item.id)
            for name, value in answer.facts.items():
                if name in FACTS:
                    setattr(item, name, value)
            if answer.facts.get("line_state"):
                set_line_state(item, answer.facts["line_state"])
            if "urgency" in answer.facts:  # stated by the reporter: beats the words
                item.urgency, item.urgency_source = answer.facts["urgency"], "reporter"
            conv.answered = [*conv.answered, asked]
            item.updated_at = now
            self._event(s, item, actor, "answered", {"question": asked, "facts": answer.facts}, request_key, now)
            left = [q for q in questions_for(item) if q not in conv.answered]
            if left:
                self._ask(s, conv, item, left[0], now)
                return Outcome("asked", item.id)
            conv.state, conv.asking, conv.updated_at = "done", None, now
            s.add(conv)
            return self._conclude(s, item, conv, actor, request_key, now)

    @staticmethod
    def _chosen(conv: Conversation, question: str, choice: str | None) -> Answer | None:
        if choice == "skip" and question != "customer":
            return Answer({})
        if question == "urgency" and choice in URGENCIES:
            return Answer({"urgency": choice})
        if question == "line_stopped" and choice in ("yes", "no", "about_to_stop"):
            return Answer({"line_state": {"yes": "stopped", "no": "running"}.get(choice, choice)})
        if question == "customer":
            name = next((c["name"] for c in conv.choices if str(c["id"]) == choice), None)
            return Answer({"customer": name, "new": choice == "new"}) if name else None
        return None

    def _take_customer(self, s: Session, conv: Conversation, item: FeedbackItem, answer: Answer, now: datetime) -> bool:
        """A known customer, or a new one; a name close to several known ones is asked about again."""
        name = answer.facts["customer"]
        named = None if answer.facts.get("new") else customer_in_text(s, name)
        if named is not None and named[1] is not None:  # "it's Geely", "是比亚迪": the customer said in the answer
            item.customer_id, item.customer_text = named[1].id, named[0]
            return True
        name = named[0] if named is not None else strip_lead_in(name)  # "it's Gelly": asked about as "Gelly"
        choices = [] if answer.facts.get("new") else customer_choices(s, name)
        if choices and not any(c.name == name for c in choices):  # the name as typed stays a choice: a new customer
            offered = [{"id": c.id, "name": c.name} for c in choices] + [{"id": "new", "name": name}]
            self._ask(s, conv, item, "customer", now, retry=True, choices=offered)
            return False
        customer = resolve_customer(s, name, now)
        item.customer_id, item.customer_text = customer.id, name
        return True

    def _conclude(self, s: Session, item: FeedbackItem, conv: Conversation, actor: str, origin: str, now: datetime) -> Outcome:
        """Nothing left to ask: classify again with what was stated (a stopped line is AA), then file
        when sure, else propose what it understood with File it / Edit / Discard."""
        classifier = self.classifier
        stated = item.line_state if "line_stopped" in conv.answered else None
        result = classifier.classify(item.text, line_stopped=stop_weighs(stated))
        item.kind, item.category, item.problem_severity, item.department = result.kind, result.category, result.severity, result.department
        settle_level(item, self.policy)  # the customer's urgency (said or answered) still lifts it
        item.also_departments = list(result.also_departments) if result.kind == "complaint" else []
        item.confidence, item.reasons = result.confidence, stored_reasons(result, self.policy)
        # The part numbers often arrive in the conversation: the same report filed by someone else is
        # offered now, as it would have been at once.
        duplicate = possible_duplicate(s, item, self.policy, now)
        # The AA question asked of the first message is asked again only when the answers left it open.
        item.offers = {k: v for k, v in (item.offers or {}).items() if k != AA_QUESTION}
        if duplicate is not None:
            item.offers = {"duplicate_of": duplicate.id}
        elif stated is None and classifier.asks_aa(result):  # AA plausible, not decided (and the line not
            # already asked about): the proposal asks, it is never filed lower in silence
            item.offers = {**item.offers, AA_QUESTION: True}
        elif item.customer_id is not None and classifier.sure(result):
            self._file(s, item, actor, origin, now)
            return Outcome("filed", item.id)
        outbox.enqueue(s, key=f"item:{item.id}:proposal:conversation", intent="proposal", item_id=item.id,
                       channel=conv.channel_id, user=item.reporter_id, locale=item.locale, now=now, platform=item.platform)
        return Outcome("proposed", item.id)

    def _end_conversation(self, s: Session, item: FeedbackItem, now: datetime) -> None:
        """Filed (by the person, or the sweep for an AA): the conversation asks nothing more, and the
        person's next DM is new feedback."""
        for conv in s.exec(select(Conversation).where(Conversation.item_id == item.id, Conversation.state == "open")).all():
            conv.state, conv.asking, conv.updated_at = "done", None, now
            s.add(conv)

    def _dropped(self, s: Session, item: FeedbackItem) -> bool:
        """A draft whose conversation the person cancelled: kept, but neither reminded of nor filed."""
        return s.exec(select(Conversation.id).where(Conversation.item_id == item.id,
                                                    Conversation.state == "cancelled")).first() is not None

    def _remind_conversation(self, s: Session, item: FeedbackItem, now: datetime) -> bool:
        """A draft whose conversation waits for an answer: its question again, once. False: none open."""
        conv = s.exec(select(Conversation).where(Conversation.item_id == item.id, Conversation.state == "open")).first()
        if conv is None or conv.asking not in QUESTIONS:
            return False
        conv.reminded_at = now
        s.add(conv)
        outbox.enqueue(s, key=f"conv:{conv.id}:reminder", intent="question", item_id=item.id, channel=conv.channel_id,
                       user=conv.user_id, locale=item.locale, now=now,
                       data={"conversation": conv.id, "question": conv.asking, "choices": conv.choices, "reminder": True},
                       platform=item.platform)
        return True
