"""The desk's side of a standalone return (domain/lifecycle/standalone.py): find its customer or the
return, refuse a restricted customer to whoever may not see it, ask before a form opens, and do a
step once per Slack request in one transaction with its audit event."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from domain.customers import find_customer
from domain.errors import UnknownReturnCustomer
from domain.lifecycle.apply import ActionRefused
from domain.lifecycle.records import ReturnView
from domain.lifecycle.standalone import (NEXT_STEP, decide_return, perform_return, return_department, stand_in,
                                         standalone_return)
from domain.lifecycle.view import ItemView
from domain.roles import roles_of
from domain.unit_of_work import ItemWork, Outcome, claim_key
from models import Customer


@dataclass(frozen=True)
class StandaloneReturn:
    """A return without a complaint, as `/return RMA-n` shows it."""
    customer_id: int
    customer: str
    ret: ReturnView
    note: str | None
    next_step: str | None  # the step it waits for (None: closed)


class StandaloneReturns(ItemWork):
    def _visible_customer(self, s: Session, customer: Customer | None, user: str, typed: str,
                          reporter: str | None = None) -> Customer:
        """A restricted customer (domain/visibility.py) gets the same answer as none: its name is not told."""
        if customer is None or not self.sight(s, user).can_see(customer.name, (return_department(self.policy),), reporter,
                                                               customer.id):
            raise UnknownReturnCustomer(customer=typed)
        return customer

    def return_customer(self, name: str, user: str) -> int:
        """The known customer `/return <name>` names (domain/customers.py), if this person may see it."""
        with self.db.session() as s:
            return self._visible_customer(s, find_customer(s, name), user, name).id

    def standalone(self, return_id: int, user: str) -> StandaloneReturn:
        with self.db.session() as s:
            row = standalone_return(s, return_id)
            customer = row and row.customer_id and s.get(Customer, row.customer_id)
            customer = self._visible_customer(s, customer or None, user, f"RMA-{return_id}", row and row.by)
            return StandaloneReturn(customer.id, customer.name, ReturnView(row.id, row.quantity, row.received_on, row.state,
                                                                           row.inspection, row.disposition, row.shipped),
                                    row.note, NEXT_STEP.get(row.state))

    def may_return(self, customer_id: int, return_id: int | None, user: str, action: str) -> ItemView:
        """Before a standalone return's form opens: refused now (ActionRefused) rather than after it is filled in."""
        with self.db.session() as s:
            customer = s.get(Customer, customer_id)
            ret = standalone_return(s, return_id) if return_id is not None else None
            decision = decide_return(s, customer, ret, action, roles_of(self.policy, user, self.group_members),
                                     self.policy, {"return_id": return_id} if ret else None, self.clock.now())
            if not decision.allowed and decision.refusal.code != "refusal.missing_field":
                raise ActionRefused(decision.refusal.code, **decision.refusal.params)
            return stand_in(customer, self.policy, ret)

    def act_on_return(self, customer_id: int, return_id: int | None, actor: str, request_key: str, action: str,
                      fields: dict[str, Any] | None = None) -> Outcome:
        """Do a standalone return's step for `actor` now (ActionRefused saying why otherwise); a
        redelivered request does nothing. The outcome's changes name the return (`return_id`)."""
        now = self.clock.now()
        with self.db.session() as s:
            if not claim_key(s, request_key, now):
                return Outcome("duplicate", None)
            ret = standalone_return(s, return_id) if return_id is not None else None
            # the form was opened for someone who may see the customer; asked again where it is done
            self._visible_customer(s, s.get(Customer, customer_id), actor, f"RMA-{return_id}" if return_id else "?",
                                   ret.by if ret else None)
            roles = roles_of(self.policy, actor, self.group_members)
            done_id, changes = perform_return(s, customer_id, return_id, action, roles, self.policy, now, fields, request_key)
            return Outcome("updated", None, {"return_id": (None, done_id),
                                             **{k: (v["before"], v["after"]) for k, v in changes.items()}})
