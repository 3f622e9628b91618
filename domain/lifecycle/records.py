"""Returned goods (RMA) and claims of a complaint: two small state tables beside the complaint's.

Each step is a row of the complaint's table too (domain/lifecycle/table.py: who, which fields), so it
is decided by `decide`/`check` and done by `perform` like every other step — the same role checks,
the same audit event (`lifecycle.<action>`), the same request key. This module says what the table
cannot: which record a step concerns and where that record must stand (`STEPS`), the values a field
may take, and the rows a step writes.

A claim the company accepts (in whole or in part) above `approvals.claims.above[currency]` waits for
the general manager before it is paid: the request, approval or send-back are rows of the `approvals`
table under the subject `claim:<id>`, read by the same `standing` as the 8D's and the actions'
(domain/lifecycle/approvals.py), four eyes included.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from domain.counts import count_problem, read_count
from domain.lifecycle.view import ItemView
from domain.money import amount_problem, read_amount
from domain.policy import Policy
from domain.roles import Roles
from models import Approval, Claim, FeedbackItem, ReturnedGoods

RETURN, CLAIM = "return", "claim"
INSPECTIONS = ("confirmed", "not_confirmed", "no_fault_found")
DISPOSITIONS = ("scrap", "rework", "return_to_customer", "replace")
SHIPPED = ("credit", "replacement", "none")
CLAIM_TYPES = ("chargeback", "sorting", "premium_freight", "line_stop", "warranty")
# Counted as returned in the return rate: every return but one the inspection cleared (docs/returns-claims-visits.md).
NOT_OUR_FAULT = ("not_confirmed", "no_fault_found")
# What the company owes once it decided: the cost of poor quality (accepted, partly accepted, paid).
COSTED = ("accepted", "partially_accepted", "paid")
CLAIM_STAGE = "approve"  # the claim's one approval stage (approvals.stage.approve)


@dataclass(frozen=True)
class Step:
    action: str
    record: str  # return | claim
    from_states: tuple[str, ...]  # where the record must stand; () creates one
    to: str | None  # where it goes (None: it stays)


STEPS: tuple[Step, ...] = (
    # action                    record  from                                   to
    Step("record_return",           RETURN, (),                                     "received"),
    Step("inspect_return",          RETURN, ("received",),                          "inspected"),
    Step("dispose_return",          RETURN, ("inspected",),                         "dispositioned"),
    Step("ship_return",             RETURN, ("dispositioned",),                     "closed"),
    Step("record_claim",            CLAIM,  (),                                     "received"),
    Step("review_claim",            CLAIM,  ("received",),                          "under_review"),
    Step("accept_claim",            CLAIM,  ("under_review",),                      "accepted"),
    Step("partially_accept_claim",  CLAIM,  ("under_review",),                      "partially_accepted"),
    Step("reject_claim",            CLAIM,  ("under_review",),                      "rejected"),
    Step("approve_claim",           CLAIM,  ("accepted", "partially_accepted"),     None),
    Step("send_back_claim",         CLAIM,  ("accepted", "partially_accepted"),     "under_review"),
    Step("pay_claim",               CLAIM,  ("accepted", "partially_accepted"),     "paid"),
)
STEP_BY_ACTION = {s.action: s for s in STEPS}
RECORD_ACTIONS = tuple(STEP_BY_ACTION)
CLAIM_DECISIONS = ("approve_claim", "send_back_claim")
# What the thread's note of a record's step shows (bot/views/thread.py names each in the reader's language).
RECORD_FIELDS = ("return_id", "claim_id", "quantity", "received_on", "inspection", "disposition", "shipped", "claim_type",
                 "amount", "currency", "accepted_amount", "paid_on")


@dataclass(frozen=True)
class ReturnView:
    id: int
    quantity: int
    received_on: date
    state: str
    inspection: str | None = None
    disposition: str | None = None
    shipped: str | None = None


@dataclass(frozen=True)
class ClaimView:
    id: int
    type: str
    amount: Decimal
    currency: str
    state: str
    accepted_amount: Decimal | None = None


def claim_subject(claim_id: int) -> str:
    return f"claim:{claim_id}"


def returns_of(s: Session, item_id: int) -> tuple[ReturnView, ...]:
    return tuple(ReturnView(r.id, r.quantity, r.received_on, r.state, r.inspection, r.disposition, r.shipped)
                 for r in s.exec(select(ReturnedGoods).where(ReturnedGoods.item_id == item_id).order_by(ReturnedGoods.id)))


def claims_of(s: Session, item_id: int) -> tuple[ClaimView, ...]:
    return tuple(ClaimView(c.id, c.type, Decimal(c.amount), c.currency, c.state,
                           None if c.accepted_amount is None else Decimal(c.accepted_amount))
                 for c in s.exec(select(Claim).where(Claim.item_id == item_id).order_by(Claim.id)))


def needs_approval(claim: ClaimView, policy: Policy) -> bool:
    """Above the policy's amount for its currency (accepted in whole: the amount claimed)."""
    limit = policy.approvals.claims.above.get(claim.currency)
    owed = claim.accepted_amount if claim.accepted_amount is not None else claim.amount
    return limit is None or owed > limit


def claim_standing(item: ItemView, claim_id: int):
    from domain.lifecycle.approvals import standing

    return standing(item.approvals, claim_subject(claim_id), (CLAIM_STAGE,))


def _records(item: ItemView, step: Step) -> tuple:
    return item.returns if step.record == RETURN else item.claims


def _candidates(item: ItemView, step: Step, policy: Policy) -> list:
    """The item's records this step may concern now (their state, and for claims their approval)."""
    from domain.lifecycle.approvals import APPROVED, PENDING

    found = [r for r in _records(item, step) if r.state in step.from_states]
    if step.action in CLAIM_DECISIONS:
        found = [c for c in found if claim_standing(item, c.id).state == PENDING]
    if step.action == "pay_claim":
        found = [c for c in found if not needs_approval(c, policy) or claim_standing(item, c.id).state == APPROVED]
    return found


def candidates(item: ItemView, action: str, policy: Policy) -> list:
    """For a form's choice of record: the returns or claims the step may concern now."""
    step = STEP_BY_ACTION.get(action)
    return _candidates(item, step, policy) if step and step.from_states else []


def may_concern(action: str, returns: tuple, claims: tuple) -> bool:
    """For the thread's menu: a step that moves a record is offered only while a record stands where
    it applies (a return to inspect, a claim to review…); creating one always is."""
    step = STEP_BY_ACTION.get(action)
    if step is None or not step.from_states:
        return True
    return any(r.state in step.from_states for r in (returns if step.record == RETURN else claims))


def guard(action: str, item: ItemView, roles: Roles, policy: Policy) -> tuple[str, dict] | None:
    """Without fields: is there a record this step may concern."""
    step = STEP_BY_ACTION.get(action)
    if step is None or not step.from_states or _candidates(item, step, policy):
        return None
    if action == "pay_claim" and any(c.state in step.from_states for c in item.claims):
        return "refusal.claim_not_approved", {}
    if action in CLAIM_DECISIONS:
        return "refusal.nothing_to_approve", {}
    return "refusal.no_record", {"record": step.record}


def field_refusal(action: str, item: ItemView, roles: Roles, policy: Policy, f: dict[str, Any],
                  now: datetime | None) -> tuple[str, dict] | None:
    """The values of a record's step: counts, amounts, choices, days, and the record named."""
    step = STEP_BY_ACTION.get(action)
    if step is None:
        return None
    if "quantity" in f and (count_problem(str(f["quantity"])) or not read_count(str(f["quantity"]))):
        return "refusal.invalid_field", {"field": "quantity"}
    for name in ("amount", "accepted_amount"):
        if name in f and amount_problem(f[name]):
            return "refusal.invalid_field", {"field": name}
    if "currency" in f and str(f["currency"]).strip().upper() not in policy.approvals.claims.above:
        return "refusal.invalid_field", {"field": "currency"}
    for name, allowed in (("inspection", INSPECTIONS), ("disposition", DISPOSITIONS), ("shipped", SHIPPED),
                          ("claim_type", CLAIM_TYPES)):
        if name in f and f[name] not in allowed:
            return "refusal.invalid_field", {"field": name}
    for name in ("received_on", "paid_on", "shipped_on"):
        if f.get(name) not in (None, ""):
            try:
                day = _day(f[name])
            except (TypeError, ValueError):
                return "refusal.invalid_field", {"field": name}
            today = now.astimezone(policy.tz).date() if now else None
            if (today and day > today) or day.year < 2000:
                return "refusal.date_out_of_range", {"field": name, "earliest": "2000-01-01",
                                                      "latest": today.isoformat() if today else "—"}
    if not step.from_states:
        return None
    key = "return_id" if step.record == RETURN else "claim_id"
    record_id = int(f[key]) if str(f.get(key, "")).isdecimal() else None
    record = next((r for r in _records(item, step) if r.id == record_id), None)
    if record is None or record.state not in step.from_states:
        return "refusal.invalid_field", {"field": key}
    if record not in _candidates(item, step, policy):
        return guard(action, item, roles, policy) or ("refusal.invalid_field", {"field": key})
    if action == "partially_accept_claim" and read_amount(f["accepted_amount"]) >= record.amount:
        return "refusal.invalid_field", {"field": "accepted_amount"}
    if action in CLAIM_DECISIONS:
        from domain.lifecycle.approvals import _decision_refusal, is_approver

        if not is_approver(roles, policy.approvals.claims.approvers):
            return "refusal.wrong_role", {"action": action, "who": ("claim_approver",)}
        return _decision_refusal(claim_standing(item, record.id), roles, f)
    return None


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def write(s: Session, item: FeedbackItem, before: ItemView, policy: Policy, action: str, f: dict, actor: str,
          now: datetime) -> tuple[dict[str, dict], Any]:
    """The rows of a record's step (the table allowed it): the record created or moved, and for a
    claim its approval rows. Returns the changes for the audit event and, when the step concerns the
    claim's approval, where it stands afterwards (None otherwise)."""
    from domain.lifecycle.approvals import rows_of, standing

    step = STEP_BY_ACTION[action]
    changes: dict[str, dict] = {}
    if action == "record_return":
        row = ReturnedGoods(item_id=item.id, customer_id=item.customer_id, quantity=read_count(str(f["quantity"])),
                            received_on=_day(f["received_on"]), state=step.to, note=f.get("note") or None,
                            by=actor, at=now, updated_at=now)
        s.add(row)
        s.flush()
        changes[f"return:{row.id}.state"] = {"before": None, "after": step.to}
        return changes, None
    if action == "record_claim":
        row = Claim(item_id=item.id, customer_id=item.customer_id, type=f["claim_type"], amount=read_amount(f["amount"]),
                    currency=str(f["currency"]).strip().upper(), state=step.to,
                    received_on=_day(f.get("received_on") or now.astimezone(policy.tz).date()),
                    note=f.get("note") or None, by=actor, at=now, updated_at=now)
        s.add(row)
        s.flush()
        changes[f"claim:{row.id}.state"] = {"before": None, "after": step.to}
        return changes, None
    table, key = (ReturnedGoods, "return_id") if step.record == RETURN else (Claim, "claim_id")
    row = s.get(table, int(f[key]))
    updates: dict[str, Any] = {"state": step.to} if step.to else {}
    if action == "inspect_return":
        updates["inspection"] = f["inspection"]
    elif action == "dispose_return":
        updates["disposition"] = f["disposition"]
    elif action == "ship_return":
        updates |= {"shipped": f["shipped"], "shipped_on": _day(f.get("shipped_on") or now.astimezone(policy.tz).date())}
    elif action == "accept_claim":
        updates["accepted_amount"] = Decimal(row.amount)
    elif action == "partially_accept_claim":
        updates["accepted_amount"] = read_amount(f["accepted_amount"])
    elif action == "reject_claim":
        updates["accepted_amount"] = Decimal("0.00")
    elif action == "send_back_claim":
        updates["accepted_amount"] = None
    elif action == "pay_claim":
        updates["paid_on"] = _day(f["paid_on"])
    for name, value in updates.items():
        if getattr(row, name) != value:
            changes[f"{step.record}:{row.id}.{name}"] = {"before": _plain(getattr(row, name)), "after": _plain(value)}
            setattr(row, name, value)
    row.updated_at = now
    s.add(row)
    subject = claim_subject(row.id)
    if action in ("accept_claim", "partially_accept_claim"):
        decided = ClaimView(row.id, row.type, Decimal(row.amount), row.currency, row.state, updates["accepted_amount"])
        if not needs_approval(decided, policy):
            return changes, None
        current = claim_standing(before, row.id)
        s.add(Approval(item_id=item.id, subject=subject, stage=CLAIM_STAGE, decision="requested",
                       revision=current.revision + 1, by=actor, at=now))
    elif action in CLAIM_DECISIONS:
        current = claim_standing(before, row.id)
        s.add(Approval(item_id=item.id, subject=subject, stage=CLAIM_STAGE,
                       decision="approved" if action == "approve_claim" else "rejected", revision=current.revision,
                       reason=f.get("reason"), by=actor, at=now))
    else:
        return changes, None
    s.flush()
    return changes, standing(rows_of(s, item.id), subject, (CLAIM_STAGE,))


def _plain(value: Any) -> Any:
    """As the audit event's JSON keeps it: a Decimal as its exact text, a day as ISO."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
