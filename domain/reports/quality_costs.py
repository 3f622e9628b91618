"""Cost of poor quality for a period (the monthly report and the annual analysis): what the company
accepted to pay on the customers' claims (domain/lifecycle/records.py), by customer and by type of
cost (chargeback, sorting, premium freight, line stop, warranty), per currency — amounts in different
currencies are never added up. A claim counts in the period it was received; accepted, partly
accepted and paid claims count what was accepted, and the claims still undecided (received, under
review) are shown beside as *claimed, not decided yet*. One GROUP BY each."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from domain.lifecycle.records import COSTED
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from domain.reports.periods import Period
from models import Claim, Customer

UNDECIDED = ("received", "under_review")
NO_CUSTOMER = {"en": "(no customer)", "zh": "（无客户）"}


@dataclass(frozen=True)
class QualityCosts:
    by_customer: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # customer -> currency -> accepted, largest first
    by_type: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # claim type -> currency -> accepted
    totals: dict[str, Decimal] = field(default_factory=dict)  # currency -> accepted
    undecided: dict[str, Decimal] = field(default_factory=dict)  # currency -> claimed, not decided yet

    @property
    def empty(self) -> bool:
        return not self.totals and not self.undecided


def quality_costs(session: Session, policy: Policy, period: Period, now: datetime, lang: str) -> QualityCosts:
    today = as_utc(now).astimezone(policy.tz).date()
    in_period = (Claim.received_on >= period.first, Claim.received_on < min(period.after, today + timedelta(days=1)))
    costed = session.exec(select(Claim.customer_id, Claim.type, Claim.currency, func.sum(Claim.accepted_amount))
                          .where(*in_period, Claim.state.in_(COSTED))
                          .group_by(Claim.customer_id, Claim.type, Claim.currency)).all()
    open_rows = session.exec(select(Claim.currency, func.sum(Claim.amount)).where(*in_period, Claim.state.in_(UNDECIDED))
                             .group_by(Claim.currency)).all()
    ids = {cid for cid, *_ in costed if cid is not None}
    names = {c.id: (c.names or {}).get(lang) or c.name
             for c in session.exec(select(Customer).where(Customer.id.in_(ids)))} if ids else {}
    by_customer: dict[str, dict[str, Decimal]] = {}
    by_type: dict[str, dict[str, Decimal]] = {}
    totals: dict[str, Decimal] = {}
    for cid, kind, currency, amount in costed:
        amount = Decimal(amount or 0)
        customer = names.get(cid, NO_CUSTOMER.get(lang, NO_CUSTOMER["en"]))
        for bucket, key in ((by_customer, customer), (by_type, kind)):
            bucket.setdefault(key, {})
            bucket[key][currency] = bucket[key].get(currency, Decimal(0)) + amount
        totals[currency] = totals.get(currency, Decimal(0)) + amount

    def largest_first(d: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
        return dict(sorted(d.items(), key=lambda kv: (-max(kv[1].values()), kv[0])))

    return QualityCosts(largest_first(by_customer), largest_first(by_type), totals,
                        {currency: Decimal(amount or 0) for currency, amount in open_rows})
