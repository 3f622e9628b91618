"""Field service visits: a visit's own small state table, checked inside the item's one path.

A visit is asked for, the engineers arrive on site, come back, and hand in the report the customer
signed (seed 003). Each move is a row of the lifecycle table (table.py: request_visit,
record_visit_arrival, record_visit_return, record_visit_signoff), so the same `decide`, role checks,
row lock and audit event apply; this module says which visit state each move needs and leads to,
writes the visit row, and starts or meets the visit's two deadlines, rows of `deadlines` like every
milestone's:

- `visit_arrival:<visit>` from the request: on site within the policy's term for the site's province
  (seed 004: 1 working day in the home province, 3 elsewhere), met at the stated arrival;
- `visit_report:<visit>` from the stated return: the signed report within 5 days (seed 003), met when
  the sign-off is recorded.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from domain.deadlines import visit_milestone
from domain.lifecycle.view import ItemView, VisitView, as_utc
from domain.policy import Policy
from domain.sla import clocks
from domain.sla.calendar import WorkingCalendar
from models import Deadline, FeedbackItem, FieldVisit

REQUESTED, ON_SITE, RETURNED, SIGNED = "requested", "on_site", "returned", "report_signed"
VISIT_STATES = (REQUESTED, ON_SITE, RETURNED, SIGNED)
UTC = ZoneInfo("UTC")

# action → (the visit state it needs, the state it leads to); request_visit makes a new visit.
VISIT_STEPS: dict[str, tuple[str | None, str]] = {
    "request_visit": (None, REQUESTED),
    "record_visit_arrival": (REQUESTED, ON_SITE),
    "record_visit_return": (ON_SITE, RETURNED),
    "record_visit_signoff": (RETURNED, SIGNED),
}
VISIT_ACTIONS = tuple(VISIT_STEPS)
# The moment each step states (checked: after the step before it, not after now).
STATED_AT = {"record_visit_arrival": "arrived_at", "record_visit_return": "returned_at"}


def views_of(s: Session, item_id: int) -> tuple[VisitView, ...]:
    rows = s.exec(select(FieldVisit).where(FieldVisit.item_id == item_id).order_by(FieldVisit.id)).all()
    return tuple(VisitView(v.id, v.state, tuple(v.engineers), v.site, as_utc(v.requested_at), as_utc(v.arrived_at),
                           as_utc(v.returned_at)) for v in rows)


def engineer_of(item: ItemView, user: str) -> bool:
    """The person is one of the engineers of a visit still under way (they record their own arrival)."""
    return any(user in v.engineers and v.state != SIGNED for v in item.visits)


def engineers_of(fields: dict[str, Any]) -> list[str]:
    value = fields.get("engineers") or []
    return [value] if isinstance(value, str) else list(value)


def guard(action: str, item: ItemView, fields: dict[str, Any], now: datetime | None,
          zone: ZoneInfo = UTC) -> tuple[str, dict] | None:
    """(refusal code, params) when the visit named is not where this step starts, or a stated moment
    is out of order (a day is the company's, `zone`); None when the step may go on."""
    if action == "request_visit":
        people = engineers_of(fields)
        if not people or not all(isinstance(p, str) and p[:1] in "UW" for p in people):
            return "refusal.invalid_field", {"field": "engineers"}
        return None
    visit = item.visit(_int(fields.get("visit_id")))
    if visit is None:
        return "refusal.invalid_field", {"field": "visit_id"}
    needed = VISIT_STEPS[action][0]
    if visit.state != needed:
        return "refusal.visit_state", {"action": action, "state": visit.state}
    stated = STATED_AT.get(action)
    if stated:
        moment = _moment(fields.get(stated))
        earliest = visit.requested_at if action == "record_visit_arrival" else visit.arrived_at
        if moment is None:
            return "refusal.invalid_field", {"field": stated}
        if (earliest and moment < earliest) or (now and moment > as_utc(now)):
            return "refusal.visit_out_of_order", {"field": stated}
    if action == "record_visit_signoff":
        try:
            day = date.fromisoformat(str(fields.get("signed_on"))[:10])
        except ValueError:
            return "refusal.invalid_field", {"field": "signed_on"}
        if visit.returned_at and day < visit.returned_at.astimezone(zone).date():
            return "refusal.visit_out_of_order", {"field": "signed_on"}
    return None


def record(s: Session, item: FeedbackItem, policy: Policy, calendar: WorkingCalendar, action: str, fields: dict[str, Any],
           actor: str, now: datetime) -> tuple[dict[str, dict], list[str]]:
    """Write the visit step and its deadlines. Returns the changes for the audit event
    (`visit:<id>.<field>` before/after) and the deadlines met."""
    changes: dict[str, dict] = {}
    met: list[str] = []
    if action == "request_visit":
        province = (fields.get("province") or "").strip() or policy.province_of(_customer_name(s, item))
        term, home = policy.field_service.arrival_term(province)
        visit = FieldVisit(item_id=item.id, state=REQUESTED, engineers=engineers_of(fields), site=str(fields["site"]).strip(),
                           province=province, in_home_province=home, requested_at=now, requested_by=actor,
                           updated_by=actor, updated_at=now)
        s.add(visit)
        s.flush()
        fields["visit_id"] = visit.id
        for name in ("state", "engineers", "site", "province"):
            changes[f"visit:{visit.id}.{name}"] = {"before": None, "after": getattr(visit, name)}
        s.add(clocks.start_span_clock(item, visit_milestone("visit_arrival", visit.id), term, now, policy, calendar, now))
        return changes, met
    visit = s.get(FieldVisit, int(fields["visit_id"]))
    after = VISIT_STEPS[action][1]

    def change(name: str, value: Any) -> None:
        before = getattr(visit, name)
        if before != value:
            changes[f"visit:{visit.id}.{name}"] = {"before": before, "after": value}
            setattr(visit, name, value)

    change("state", after)
    if action == "record_visit_arrival":
        arrived = _moment(fields["arrived_at"])
        change("arrived_at", arrived)
        met += _meet(s, item.id, visit_milestone("visit_arrival", visit.id), arrived)
    elif action == "record_visit_return":
        returned = _moment(fields["returned_at"])
        change("returned_at", returned)
        change("findings", str(fields["findings"]).strip())
        s.add(clocks.start_span_clock(item, visit_milestone("visit_report", visit.id), policy.field_service.report,
                                      returned, policy, calendar, now))
    elif action == "record_visit_signoff":
        change("signed_by", str(fields["signed_by"]).strip())
        change("signed_on", date.fromisoformat(str(fields["signed_on"])[:10]))
        change("report_at", now)
        if fields.get("findings"):
            change("findings", str(fields["findings"]).strip())
        met += _meet(s, item.id, visit_milestone("visit_report", visit.id), now)
    visit.updated_by, visit.updated_at = actor, now
    s.add(visit)
    return changes, met


def _meet(s: Session, item_id: int, milestone: str, when: datetime) -> list[str]:
    d = s.exec(select(Deadline).where(Deadline.item_id == item_id, Deadline.milestone == milestone)).first()
    if d is None or d.state not in (clocks.OPEN, clocks.PAUSED):
        return []
    clocks.meet(d, when)
    s.add(d)
    return [milestone]


def _customer_name(s: Session, item: FeedbackItem) -> str | None:
    from models import Customer

    customer = s.get(Customer, item.customer_id) if item.customer_id else None
    return customer.name if customer else item.customer_text


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return as_utc(value)
    try:
        return as_utc(datetime.fromisoformat(str(value)))
    except ValueError:
        return None
