"""The one place that says what an item's customer requires (IATF 16949 4.3.2 customer-specific
requirements; seed 000 §6.2 若顾客有规定时依顾客规定执行, §6.3.4 the customer's 8D format): the
customer's record first, else the company's policy. Deadlines, the 8D requirement, the closure
gate, the report language and the survey moments all ask here (docs/customers.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from sqlmodel import Session

from domain.policy import CustomerSeed, DeadlineOverride, Policy
from models import Customer


@dataclass(frozen=True)
class Requirements:
    deadlines: Mapping[str, DeadlineOverride] = field(default_factory=dict)  # milestone id -> the customer's length
    requires_8d: bool = False
    eight_d_form: str | None = None  # None: the company's form (policy eightd.form_number)
    acceptance_required: bool = True
    report_language: str = "en"
    survey_moments: tuple[str, ...] = ("year_end",)


def requirements(policy: Policy, record: CustomerSeed | None, name: str | None = None) -> Requirements:
    """`record`'s requirements, each one it leaves unset the policy's. Without a record, the policy's
    customer entry of that name (a customer typed in before it was seeded)."""
    record = record or policy._customer_seed(name)
    if record is None:
        return Requirements(acceptance_required=policy.closure.acceptance_required(name),
                            report_language=policy.company.language,
                            survey_moments=tuple(policy.satisfaction.survey_moments))
    return Requirements(
        deadlines=dict(record.deadlines), requires_8d=record.requires_8d, eight_d_form=record.eight_d_form,
        acceptance_required=(record.acceptance_required if record.acceptance_required is not None
                             else policy.closure.acceptance_required(record.key_name)),
        report_language=record.report_language or policy.company.language,
        survey_moments=tuple(record.survey_moments or policy.satisfaction.survey_moments))


def customer_requirements(session: Session, policy: Policy, customer_id: int | None, name: str | None = None) -> Requirements:
    """What the customer (by its id, else the name typed) requires, the database's record first."""
    from domain.customer_records import record_of

    customer = session.get(Customer, customer_id) if customer_id else None
    record = record_of(session, customer) if customer is not None else None
    return requirements(policy, record, customer.name if customer is not None else name)


def item_requirements(session: Session, policy: Policy, item) -> Requirements:
    """What the item's customer requires (an item with no customer: the company's rules)."""
    return customer_requirements(session, policy, item.customer_id, item.customer_text)
