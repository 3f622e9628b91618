"""Who may see an item (seed 001 §4.3: customer records are not for everyone). A customer whose record
is restricted is shown only to its account team (owner, backup, `visible_to`), the departments
handling the item (owning or added), the person who reported it, the QM, the GM and admins — on every
surface: the card and `/complaint` (history, 8D), `/complaints`, App Home, digests and exports all
ask one `Sight`, read from the database for the request (`sight_of`), so an edit in `/customer`
counts at once, without a restart. Customers not marked are everybody's.

Slack guests see nothing at all; the bot refuses them before anything runs (bot/handlers.py).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from sqlalchemy import String, and_, cast, false, not_, or_
from sqlmodel import Session, select

from domain.policy import Members
from domain.roles import GroupMembers, Roles, is_member
from models import Customer, CustomerAlias, FeedbackItem, ItemAssignment


@dataclass(frozen=True)
class RestrictedCustomer:
    """A restricted customer as visibility needs it: every name it goes by and its account team."""
    id: int
    names: tuple[str, ...]  # its name, its names per language and its aliases, as written
    account_owner: str | None = None
    account_backup: str | None = None
    visible_to: Members | None = None

    @property
    def folded(self) -> frozenset[str]:
        return frozenset(n.casefold() for n in self.names)


def sees_everything(roles: Roles) -> bool:
    return roles.quality_manager or roles.general_manager or roles.admin


def on_account_team(user: str, owner: str | None, backup: str | None, visible_to: Members | None,
                    groups: GroupMembers | None = None) -> bool:
    """The account team of a restricted customer: its owner, its backup and whoever `visible_to` names."""
    return user in (owner, backup) or is_member(user, visible_to, groups)


def restricted_customers(session: Session) -> tuple[RestrictedCustomer, ...]:
    """Every restricted customer with its names and account team, as the database has them now: one query."""
    rows = session.exec(select(Customer, CustomerAlias.alias)
                        .outerjoin(CustomerAlias, CustomerAlias.customer_id == Customer.id)
                        .where(Customer.restricted.is_(True)).order_by(Customer.id, CustomerAlias.id)).all()
    found: dict[int, tuple[Customer, list[str]]] = {}
    for customer, alias in rows:
        names = found.setdefault(customer.id, (customer, [customer.name, *(customer.names or {}).values()]))[1]
        if alias:
            names.append(alias)
    return tuple(RestrictedCustomer(c.id, tuple(dict.fromkeys(names)), c.account_owner, c.account_backup,
                                    _members((c.profile or {}).get("visible_to")))
                 for c, names in found.values())


def _members(value) -> Members | None:
    return Members.model_validate(value) if value else None


@dataclass(frozen=True)
class Sight:
    """What one person may see: the restricted customers whose account team they are not on (`hidden`);
    of those they see only the items they reported or their departments handle."""
    roles: Roles
    hidden: tuple[RestrictedCustomer, ...] = ()

    def can_see(self, customer: str | None, departments: Iterable[str] = (), reporter: str | None = None,
                customer_id: int | None = None) -> bool:
        """May this person see an item of `customer` (its id, else its name), handled by `departments`,
        reported by `reporter`?"""
        if not self.hidden or self.roles.user == reporter or self.roles.departments & set(departments):
            return True
        folded = (customer or "").casefold()
        return not any(c.id == customer_id or folded in c.folded for c in self.hidden)

    def hidden_names(self) -> frozenset[str]:
        """Every name (casefolded) of the customers whose items this person sees only when handling them."""
        return frozenset(n for c in self.hidden for n in c.folded)

    def clause(self):
        """A WHERE clause on FeedbackItem keeping only what `can_see` allows (None: nothing hidden)."""
        if not self.hidden:
            return None
        names = tuple(n for c in self.hidden for n in c.names)
        of_restricted = or_(FeedbackItem.customer_id.in_([c.id for c in self.hidden]),
                            and_(FeedbackItem.customer_id.is_(None),
                                 FeedbackItem.customer_text.in_(names + tuple(self.hidden_names()))))
        mine = FeedbackItem.reporter_id == self.roles.user
        departments = self.roles.departments
        if departments:
            added = select(ItemAssignment.item_id).where(ItemAssignment.department.in_(departments),
                                                         ItemAssignment.until.is_(None))
            # also_departments is a JSON list of department keys: matched as its text, on either engine
            listed = [cast(FeedbackItem.also_departments, String).like(f'%"{_like(d)}"%', escape="\\")
                      for d in sorted(departments)]
            handled = or_(FeedbackItem.department.in_(departments), FeedbackItem.id.in_(added), *listed)
        else:
            handled = false()
        return or_(not_(of_restricted), mine, handled)

    def rows(self, rows: list[dict]) -> list[dict]:
        """Ledger rows (domain/reports/ledger.py: `customer`, and the unprinted `_departments`, `_reporter`)
        this person may see: the same rule as `can_see`."""
        return [r for r in rows if self.can_see(r.get("customer"), r.get("_departments") or (r.get("department"),),
                                                r.get("_reporter"))]

    def report(self, report):
        """A report asked for by one person: the overdue lines and the per-customer counts of restricted
        customers they may not see are left out (the totals stay: they name nobody)."""
        hidden = self.hidden_names()
        if not hidden:
            return report
        overdue = [o for o in report.overdue if self.can_see(o.customer, (o.department,))]
        customers = {name: n for name, n in report.customers.items() if name.casefold() not in hidden}
        return replace(report, overdue=overdue, customers=customers)


def sight_of(session: Session, roles: Roles, groups: GroupMembers | None = None) -> Sight:
    """What this person may see now: the restricted customers read from the database in one query (none
    for the QM, the GM and admins, who see everything)."""
    return sight_among(() if sees_everything(roles) else restricted_customers(session), roles, groups)


def sight_among(restricted: Iterable[RestrictedCustomer], roles: Roles, groups: GroupMembers | None = None) -> Sight:
    """What this person may see, given the restricted customers (pure)."""
    if sees_everything(roles):
        return Sight(roles)
    return Sight(roles, tuple(c for c in restricted
                              if not on_account_team(roles.user, c.account_owner, c.account_backup, c.visible_to, groups)))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
