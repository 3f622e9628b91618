"""Who may see an item (seed 001 §4.3: customer records are not for everyone). A customer the policy
marks `restricted: true` is shown only to its account team (`visible_to`), the departments handling
the item (owning or added), the person who reported it, the QM, the GM and admins — on every
surface: the card and `/complaint` (history, 8D), `/complaints`, App Home, digests and exports all
ask `can_see`, or filter their query with `hidden_clause`. Customers not marked are everybody's.

Slack guests see nothing at all; the bot refuses them before anything runs (bot/handlers.py).
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import String, and_, cast, false, not_, or_
from sqlmodel import select

from domain.policy import CustomerSeed, Policy
from domain.roles import Roles
from models import Customer, FeedbackItem, ItemAssignment


def restricted_seed(policy: Policy, customer: str | None) -> CustomerSeed | None:
    """The policy's restricted customer this name belongs to, if any."""
    if not customer:
        return None
    key = customer.casefold()
    return next((c for c in policy.customers if c.restricted and key in {n.casefold() for n in c.all_names}), None)


def sees_everything(roles: Roles) -> bool:
    return roles.quality_manager or roles.general_manager or roles.admin


def can_see(roles: Roles, policy: Policy, customer: str | None, departments: Iterable[str] = (),
            reporter: str | None = None) -> bool:
    """May this person see an item of `customer`, handled by `departments`, reported by `reporter`?"""
    seed = restricted_seed(policy, customer)
    if seed is None or sees_everything(roles) or roles.user == reporter:
        return True
    return seed.key_name in roles.account_teams or bool(roles.departments & set(departments))


def hidden_names(policy: Policy, roles: Roles) -> tuple[str, ...]:
    """Every name of the restricted customers this person is not on the account team of."""
    if sees_everything(roles):
        return ()
    return tuple(n for c in policy.customers if c.restricted and c.key_name not in roles.account_teams
                 for n in c.all_names)


def hidden_clause(policy: Policy, roles: Roles):
    """A WHERE clause on FeedbackItem keeping only what `can_see` allows (None: nothing hidden)."""
    names = hidden_names(policy, roles)
    if not names:
        return None
    folded = [n.casefold() for n in names]
    restricted_ids = select(Customer.id).where(Customer.name.in_(names))
    of_restricted = or_(FeedbackItem.customer_id.in_(restricted_ids),
                        and_(FeedbackItem.customer_id.is_(None), FeedbackItem.customer_text.in_(names + tuple(folded))))
    mine = FeedbackItem.reporter_id == roles.user
    if roles.departments:
        added = select(ItemAssignment.item_id).where(ItemAssignment.department.in_(roles.departments),
                                                     ItemAssignment.until.is_(None))
        # also_departments is a JSON list of department keys: matched as its text, on either engine
        listed = [cast(FeedbackItem.also_departments, String).like(f'%"{_like(d)}"%', escape="\\")
                  for d in sorted(roles.departments)]
        handled = or_(FeedbackItem.department.in_(roles.departments), FeedbackItem.id.in_(added), *listed)
    else:
        handled = false()
    return or_(not_(of_restricted), mine, handled)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def visible_rows(rows: list[dict], roles: Roles, policy: Policy) -> list[dict]:
    """Ledger rows (domain/reports/ledger.py: `customer`, and the unprinted `_departments`, `_reporter`)
    this person may see: the same rule as `can_see`."""
    return [r for r in rows if can_see(roles, policy, r.get("customer"), r.get("_departments") or (r.get("department"),),
                                       r.get("_reporter"))]


def visible_report(report, roles: Roles, policy: Policy):
    """A report asked for by one person: the overdue lines and the per-customer counts of restricted
    customers they may not see are left out (the totals stay: they name nobody)."""
    from dataclasses import replace

    hidden = {n.casefold() for n in hidden_names(policy, roles)}
    if not hidden:
        return report
    overdue = [o for o in report.overdue if can_see(roles, policy, o.customer, (o.department,))]
    customers = {name: n for name, n in report.customers.items() if name.casefold() not in hidden}
    return replace(report, overdue=overdue, customers=customers)
