"""The desk's satisfaction capability: record a customer's survey or a manual event, and read the
score. Recording a survey, or reading a score, queues the improvement action when something is under
the threshold (once per set of figures: domain/satisfaction/improvement.py)."""
from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from domain.customers import find_customer
from domain.roles import quality_managers, roles_of
from domain.satisfaction.entries import add_entry
from domain.satisfaction.errors import MayNotRecord, UnknownCustomer
from domain.satisfaction.improvement import enqueue_improvement
from domain.satisfaction.score import Score, score
from domain.satisfaction.survey import check_year, record_survey
from domain.unit_of_work import ItemWork, claim_key
from models import Customer, Event
from models.satisfaction import SatisfactionSurvey


class SatisfactionWork(ItemWork):
    def record_survey(self, customer_text: str, year: int, answers: dict, actor: str, request_key: str) -> Score:
        """Store the year's survey (replacing an earlier one) and return the score it gives; when
        something is below the threshold each quality manager is told (once per set of figures)."""
        self.require_may_record(actor)
        now = self.clock.now()
        with self.db.session() as s:
            customer = self._customer(s, customer_text)
            if claim_key(s, request_key, now):
                survey = record_survey(s, self.policy, customer.id, year, answers, actor, now)
                s.add(Event(actor=actor, action="satisfaction.survey", origin=request_key, at=now,
                            detail={"customer_id": customer.id, "year": year, "answers": survey.answers}))
                result = score(s, self.policy, customer.id, year, now)
                enqueue_improvement(s, self.policy, result, now, quality_managers(self.policy, self.group_members))
                return result
            return score(s, self.policy, customer.id, year, now)

    def add_entry(self, customer_text: str, rule: str, on: date, note: str, actor: str, request_key: str) -> Score:
        """Record a manual event (a proactive visit) for the customer; the score of its year after it."""
        self.require_may_record(actor)
        now = self.clock.now()
        with self.db.session() as s:
            customer = self._customer(s, customer_text)
            if add_entry(s, self.policy, customer.id, rule, on, note, actor, request_key, now):
                s.add(Event(actor=actor, action="satisfaction.entry", origin=request_key, at=now,
                            detail={"customer_id": customer.id, "rule": rule, "on": on.isoformat(), "note": note}))
            return score(s, self.policy, customer.id, on.year, now)

    def satisfaction(self, customer_text: str, year: int | None = None) -> Score:
        """The customer's score for the year (this year, company time, when none is named); anyone may read it."""
        now = self.clock.now()
        year = now.astimezone(self.policy.tz).year if year is None else year
        check_year(self.policy, year, now)
        with self.db.session() as s:
            result = score(s, self.policy, self._customer(s, customer_text).id, year, now)
            # Complaints since the survey may have pushed it under the threshold: the QM is told now
            # (once per set of figures, as when a survey is recorded).
            enqueue_improvement(s, self.policy, result, now, quality_managers(self.policy, self.group_members))
            return result

    def check_all(self, now: datetime) -> int:
        """Once a day (the scheduler's sweep): every customer surveyed this year scored again, so a
        composite that complaints pushed under the threshold reaches the QM without anyone looking.
        The day is claimed first: two schedulers check once. Returns the customers checked."""
        year = now.astimezone(self.policy.tz).year
        day = f"satisfaction-check:{now.astimezone(self.policy.tz).date().isoformat()}"
        with self.db.session() as s:
            if not claim_key(s, day, now):
                return 0
            surveyed = s.exec(select(SatisfactionSurvey.customer_id).where(SatisfactionSurvey.year == year)).all()
            qms = quality_managers(self.policy, self.group_members)
            for customer_id in surveyed:
                enqueue_improvement(s, self.policy, score(s, self.policy, customer_id, year, now), now, qms)
            return len(surveyed)

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
