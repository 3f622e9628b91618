"""The reminder to run the survey at each of the policy's moments (seed 000 §5.1.3: in December;
§5.2.1.1: mid-year and year-end): in the moment's month, the first daily check DMs each known
customer's sales owner (domain/satisfaction/tasks.py `task_owner`) once per customer, year and moment."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from domain import outbox
from domain.policy import Policy
from domain.satisfaction.tasks import task_owner
from models import Customer

INTENT = "survey_moment"
MONTH = {"mid_year": 6, "year_end": 12}  # the month each moment's survey is sent out


def remind_survey_moments(session: Session, policy: Policy, now: datetime) -> int:
    """Queue the reminders due this month; returns how many were queued now."""
    today = now.astimezone(policy.tz).date()
    moments = [m for m in policy.satisfaction.survey_moments if MONTH[m] == today.month]
    sent = 0
    for moment in moments:
        for customer in session.exec(select(Customer).where(Customer.verified.is_(True)).order_by(Customer.id)).all():
            owner = task_owner(policy, customer)
            if owner is None:
                continue
            data = {"customer_id": customer.id, "customer": customer.name, "customer_names": dict(customer.names or {}),
                    "year": today.year, "moment": moment}
            if outbox.enqueue(session, key=f"survey-moment:{customer.id}:{today.year}:{moment}", intent=INTENT,
                              channel=owner, user=owner, now=now, locale=policy.company.language, data=data) is not None:
                sent += 1
    return sent
