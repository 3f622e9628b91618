"""The audit trail as a table (`voc export audit`, ISO's record of who did what and when): every
event recorded between two dates (company time), oldest first, with the item's reference; of one
customer's items only when `customer_ids` is given (the audit pack for a customer). Who did it is the
Slack id, with the person's name before it when `names` knows it ("Zhou Min (U0QZHOU)")."""
from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from domain.i18n import ref
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from models import Event, FeedbackItem

AUDIT_COLUMNS = ("at", "ref", "actor", "action", "detail", "origin")
AUDIT_HEADERS = {
    "at": {"en": "When", "zh": "时间"}, "ref": {"en": "Ref", "zh": "编号"}, "actor": {"en": "Who", "zh": "操作人"},
    "action": {"en": "Action", "zh": "操作"}, "detail": {"en": "Detail", "zh": "详情"},
    "origin": {"en": "Slack request", "zh": "Slack 请求"},
}


def audit_rows(session: Session, policy: Policy, first: date, last: date,
               customer_ids: Collection[int] | None = None, names: Mapping[str, str] | None = None) -> list[dict]:
    zone = policy.tz
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    query = select(Event, FeedbackItem.number).outerjoin(FeedbackItem, FeedbackItem.id == Event.item_id)
    if customer_ids is not None:
        query = query.where(FeedbackItem.customer_id.in_(list(customer_ids) or [-1]))
    rows = session.exec(query.where(Event.at >= start, Event.at < end).order_by(Event.at, Event.id)).all()
    names = {} if names is None else names

    def who(actor: str) -> str:
        name = names.get(actor) if actor and actor != "system" else None
        return f"{name} ({actor})" if name else actor

    return [{"at": as_utc(e.at).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
             "ref": ref(number) if number else (f"#{e.item_id}" if e.item_id else _standalone_ref(e)),
             "actor": who(e.actor), "action": e.action, "detail": json.dumps(e.detail, ensure_ascii=False, sort_keys=True),
             "origin": e.origin or ""} for e, number in rows]


def _standalone_ref(e: Event) -> str:
    """An event of a return without a complaint (domain/lifecycle/standalone.py) is named by its RMA."""
    return_id = (e.detail or {}).get("return_id") if e.action.endswith("_return") else None
    return f"RMA-{return_id}" if return_id else ""
