"""The reminder to run the survey at each of the policy's moments (seed 000 §5.1.3: in December;
§5.2.1.1: mid-year and year-end): in the moment's month, the first daily check DMs each sales owner
(domain/satisfaction/tasks.py `task_owner`: the account owner, else the sales manager) once per
year and moment, naming their known customers whose survey is not in yet."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from domain import outbox
from domain.policy import Policy
from domain.requirements import customer_requirements
from domain.satisfaction.tasks import task_owner
from models import Customer, SatisfactionSurvey

INTENT = "survey_moment"
MONTH = {"mid_year": 6, "year_end": 12}  # the month each moment's survey is sent out


def remind_survey_moments(session: Session, policy: Policy, now: datetime) -> int:
    """Queue the reminders due this month, one per owner; returns how many were queued now."""
    today = now.astimezone(policy.tz).date()
    customers = session.exec(select(Customer).where(Customer.verified.is_(True)).order_by(Customer.id)).all()
    surveyed_at = {c.id: customer_requirements(session, policy, c.id).survey_moments for c in customers}  # each its own
    moments = [m for m in MONTH if MONTH[m] == today.month and any(m in mine for mine in surveyed_at.values())]
    if not moments:
        return 0
    sent = 0
    for moment in moments:
        surveyed = set(session.exec(select(SatisfactionSurvey.customer_id).where(
            SatisfactionSurvey.year == today.year, SatisfactionSurvey.moment == moment)).all())
        by_owner: dict[str, list[dict]] = {}
        for customer in customers:
            owner = task_owner(policy, customer)
            if owner is not None and customer.id not in surveyed and moment in surveyed_at[customer.id]:  # a survey already in needs no reminder
                by_owner.setdefault(owner, []).append({"id": customer.id, "name": customer.name,
                                                       "names": dict(customer.names or {})})
        for owner, mine in by_owner.items():
            data = {"year": today.year, "moment": moment, "customers": mine}
            if outbox.enqueue(session, key=f"survey-moment:{owner}:{today.year}:{moment}", intent=INTENT,
                              channel=owner, user=owner, now=now, locale=policy.company.language, data=data) is not None:
                sent += 1
    return sent
