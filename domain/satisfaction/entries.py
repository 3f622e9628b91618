"""Events only a person knows of (a proactive visit, a customer award), recorded under the policy's
manual rules for the performance score."""
from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from domain.policy import Policy
from domain.satisfaction.errors import SatisfactionRefused, UnknownCustomer
from models import Customer, SatisfactionEntry
from models.db import insert_into

NOTE_LIMIT = 2000


def manual_rules(policy: Policy) -> list[str]:
    return [r.id for r in policy.satisfaction.rules if r.source == "manual"]


def add_entry(session: Session, policy: Policy, customer_id: int, rule: str, on: date, note: str, actor: str,
              source_key: str, now: datetime) -> bool:
    """Record the entry; False when `source_key` was recorded before (a retry: nothing done). Only a
    manual rule: complaints and quiet months are counted from the record, never typed in."""
    allowed = manual_rules(policy)
    if rule not in allowed:
        raise SatisfactionRefused("satisfaction.error.not_manual", rule=str(rule), rules=", ".join(allowed))
    if isinstance(on, datetime) or not isinstance(on, date):
        raise SatisfactionRefused("satisfaction.error.bad_day", day=str(on))
    if on > now.astimezone(policy.tz).date():
        raise SatisfactionRefused("satisfaction.error.future_day", day=on.isoformat())
    if session.get(Customer, customer_id) is None:
        raise UnknownCustomer(customer=str(customer_id))
    # INSERT … ON CONFLICT DO NOTHING: two copies of one request racing record it once, neither fails
    table = SatisfactionEntry.__table__
    stmt = (insert_into(session, table).values(customer_id=customer_id, rule=rule, on=on, note=(note or "").strip()[:NOTE_LIMIT],
                                 recorded_by=actor, recorded_at=now, source_key=source_key)
            .on_conflict_do_nothing(index_elements=["source_key"]).returning(table.c.id))
    return session.execute(stmt).scalar() is not None
