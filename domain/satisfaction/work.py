"""The desk's satisfaction capability: record a customer's survey or a manual event, confirm an
event (the quality manager), read the score, answer and close an improvement action. Recording a
survey, or reading a score, queues the improvement action when something is under the threshold
(once per set of figures: domain/satisfaction/improvement.py)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session, select

from domain import outbox
from domain.customers import find_customer
from domain.roles import quality_managers, roles_of
from domain.satisfaction.entries import add_entry, decide_entry, rule_label
from domain.satisfaction.errors import MayNotRecord, UnknownCustomer
from domain.satisfaction.improvement import enqueue_improvement
from domain.satisfaction.reminders import remind_survey_moments
from domain.satisfaction.score import Score, score
from domain.requirements import customer_requirements
from domain.satisfaction.survey import check_moment, check_year, record_survey
from domain.satisfaction.tasks import Task, answer_task, close_task, remind_due, tasks_of
from domain.unit_of_work import ItemWork, claim_key
from models import Customer, Event, SatisfactionEntry
from models.satisfaction import SatisfactionSurvey

ENTRY_REQUEST, ENTRY_DECIDED = "satisfaction_entry", "satisfaction_entry_decided"


@dataclass(frozen=True)
class EntryOutcome:
    entry_id: int
    state: str  # pending | confirmed | declined
    score: Score  # the score of the entry's year after it


class SatisfactionWork(ItemWork):
    def record_survey(self, customer_text: str, year: int, answers: dict, actor: str, request_key: str,
                      moment: str = "year_end") -> Score:
        """Store the survey of the year and moment (replacing an earlier one) and return the score it
        gives; when something is below the threshold each quality manager is told (once per set of
        figures) and a task is opened for sales."""
        self.require_may_record(actor)  # the moment is the customer's (record_survey checks it)
        now = self.clock.now()
        with self.db.session() as s:
            customer = self._customer(s, customer_text)
            if claim_key(s, request_key, now):
                survey = record_survey(s, self.policy, customer.id, year, answers, actor, now, moment)
                s.add(Event(actor=actor, action="satisfaction.survey", origin=request_key, at=now,
                            detail={"customer_id": customer.id, "year": year, "moment": moment, "answers": survey.answers}))
                result = score(s, self.policy, customer.id, year, now, moment)
                enqueue_improvement(s, self.policy, result, now, quality_managers(self.policy, self.group_members))
                return result
            return score(s, self.policy, customer.id, year, now, moment)

    def add_entry(self, customer_text: str, rule: str, on: date, note: str, actor: str, request_key: str) -> EntryOutcome:
        """Record a manual event (a proactive visit) for the customer. It counts once the quality
        manager confirms it: a request goes to each QM by DM (the QM's own entry is confirmed)."""
        self.require_may_record(actor)
        now = self.clock.now()
        confirmed = roles_of(self.policy, actor, self.group_members).quality_manager
        with self.db.session() as s:
            customer = self._customer(s, customer_text)
            entry, created = add_entry(s, self.policy, customer.id, rule, on, note, actor, request_key, now, confirmed=confirmed)
            if created:  # not a retry's
                s.add(Event(actor=actor, action="satisfaction.entry", origin=request_key, at=now,
                            detail={"customer_id": customer.id, "rule": rule, "on": on.isoformat(), "note": note,
                                    "state": entry.state}))
                if entry.state == "pending":
                    for qm in dict.fromkeys(quality_managers(self.policy, self.group_members)):
                        outbox.enqueue(s, key=f"satisfaction-entry:{entry.id}:request:{qm}", intent=ENTRY_REQUEST,
                                       channel=qm, user=qm, now=now, locale=self.policy.company.language,
                                       data=self._entry_data(customer, entry))
            return EntryOutcome(entry.id, entry.state, score(s, self.policy, customer.id, on.year, now))

    def decide_entry(self, entry_id: int, confirm: bool, actor: str, request_key: str) -> EntryOutcome:
        """The quality manager confirms (it counts from now) or declines a pending entry; the person
        who recorded it is told."""
        if not roles_of(self.policy, actor, self.group_members).quality_manager:
            raise MayNotRecord()
        now = self.clock.now()
        with self.db.session() as s:
            if not claim_key(s, request_key, now):  # Slack's retry of the click
                entry = s.get(SatisfactionEntry, entry_id)
                return EntryOutcome(entry.id, entry.state, score(s, self.policy, entry.customer_id, entry.on.year, now))
            entry = decide_entry(s, entry_id, confirm, actor, now)
            customer = s.get(Customer, entry.customer_id)
            s.add(Event(actor=actor, action=f"satisfaction.entry_{entry.state}", origin=request_key, at=now,
                        detail={"entry_id": entry.id, "customer_id": customer.id, "rule": entry.rule, "on": entry.on.isoformat()}))
            outbox.enqueue(s, key=f"satisfaction-entry:{entry.id}:decided", intent=ENTRY_DECIDED, channel=entry.recorded_by,
                           user=entry.recorded_by, now=now, locale=self.policy.company.language,
                           data=self._entry_data(customer, entry) | {"state": entry.state, "decided_by": actor})
            return EntryOutcome(entry.id, entry.state, score(s, self.policy, customer.id, entry.on.year, now))

    def entry_data(self, entry_id: int) -> dict:
        with self.db.session() as s:
            entry = s.get(SatisfactionEntry, entry_id)
            return self._entry_data(s.get(Customer, entry.customer_id), entry)

    def _entry_data(self, customer: Customer, entry: SatisfactionEntry) -> dict:
        """What the QM's request and the recorder's answer say, drawn from the row alone."""
        return {"entry_id": entry.id, "customer": customer.name, "customer_names": dict(customer.names or {}),
                "rule": entry.rule, "rule_label": {lang: rule_label(self.policy, entry.rule, lang) for lang in ("en", "zh")},
                "points": next((r.points for r in self.policy.satisfaction.rules if r.id == entry.rule), 0),
                "on": entry.on.isoformat(), "note": entry.note, "recorded_by": entry.recorded_by}

    def satisfaction(self, customer_text: str, year: int | None = None, moment: str | None = None) -> Score:
        """The customer's score for the year (this year, company time, when none is named) with the
        year's improvement actions; anyone may read it."""
        now = self.clock.now()
        year = now.astimezone(self.policy.tz).year if year is None else year
        check_year(self.policy, year, now)
        if moment is not None:
            check_moment(self.policy, moment)
        with self.db.session() as s:
            customer = self._customer(s, customer_text)
            result = score(s, self.policy, customer.id, year, now, moment)
            # Complaints since the survey may have pushed it under the threshold: the QM is told now
            # (once per set of figures, as when a survey is recorded).
            enqueue_improvement(s, self.policy, result, now, quality_managers(self.policy, self.group_members))
            return replace(result, tasks=tasks_of(s, customer.id, year))

    def answer_task(self, task_id: int, text: str, actor: str, request_key: str, department: str | None = None) -> Task:
        """A department's countermeasure for an improvement action (the person's department)."""
        now = self.clock.now()
        with self.db.session() as s:
            task = answer_task(s, self.policy, task_id, text, roles_of(self.policy, actor, self.group_members),
                               request_key, now, department)
            if claim_key(s, request_key, now):
                s.add(Event(actor=actor, action="satisfaction.task_answer", origin=request_key, at=now,
                            detail={"task_id": task_id, "text": text}))
            return task

    def close_task(self, task_id: int, actor: str, request_key: str) -> Task:
        now = self.clock.now()
        with self.db.session() as s:
            task = close_task(s, self.policy, task_id, roles_of(self.policy, actor, self.group_members), now)
            if claim_key(s, request_key, now):
                s.add(Event(actor=actor, action="satisfaction.task_closed", origin=request_key, at=now,
                            detail={"task_id": task_id}))
            return task

    def check_all(self, now: datetime) -> int:
        """Once a day (the scheduler's sweep): every customer surveyed this year scored again, so a
        composite that complaints pushed under the threshold reaches the QM without anyone looking;
        improvement actions due are reminded to their owners; in a survey moment's month, sales is
        reminded to run the survey. The day is claimed first: two schedulers check once. Returns the
        customers scored."""
        year = now.astimezone(self.policy.tz).year
        day = f"satisfaction-check:{now.astimezone(self.policy.tz).date().isoformat()}"
        with self.db.session() as s:
            if not claim_key(s, day, now):
                return 0
            surveyed = list(dict.fromkeys(s.exec(select(SatisfactionSurvey.customer_id).where(
                SatisfactionSurvey.year == year).order_by(SatisfactionSurvey.customer_id)).all()))
            qms = quality_managers(self.policy, self.group_members)
            for customer_id in surveyed:
                enqueue_improvement(s, self.policy, score(s, self.policy, customer_id, year, now), now, qms)
            remind_due(s, self.policy, now)
            remind_survey_moments(s, self.policy, now)
            return len(surveyed)

    def known_customer(self, customer_text: str) -> str:
        """The known customer's name for what was typed (UnknownCustomer otherwise): checked before
        the survey form opens, so nobody types twenty counts for a name that will be refused."""
        with self.db.session() as s:
            return self._customer(s, customer_text).name

    def check_moment(self, moment: str, customer_text: str | None = None) -> None:
        """A moment the customer (the policy, when none is named) is surveyed at."""
        if customer_text is None:
            return check_moment(self.policy, moment)
        with self.db.session() as s:
            customer = self._customer(s, customer_text)
            check_moment(self.policy, moment, customer_requirements(s, self.policy, customer.id).survey_moments)

    def require_may_record(self, actor: str) -> None:
        """Sales (who hold the survey forms), the quality manager and the admins; checked before the
        form opens too, so nobody fills in twenty fields to be refused."""
        roles = roles_of(self.policy, actor, self.group_members)
        if not (roles.sales or roles.quality_manager or roles.admin):
            raise MayNotRecord()

    @staticmethod
    def _customer(s: Session, customer_text: str) -> Customer:
        """A known customer only: a score under a misspelt name would start a customer's year afresh."""
        customer = find_customer(s, customer_text or "")
        if customer is None:
            raise UnknownCustomer(customer=(customer_text or "").strip())
        return customer
