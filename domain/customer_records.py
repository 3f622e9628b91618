"""The customer record (seed 001 §4.1 顧客檔案, §4.3; docs/customers.md) as the database keeps it.

One shape for it everywhere: the policy's customer entry (`CustomerSeed`). The policy file seeds a
record once; after that the database is the truth — `/customer` edits and `voc import customers`
change it, a restart or a reseed does not. A row keeps the names (`name`, `names`), the aliases
(`customer_aliases`), the account owner, backup and restricted flag (columns, for queries) and the
rest in `profile`; a row whose `profile` is empty has no record yet (a name a salesperson typed).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from domain.policy import CustomerSeed, Label
from domain.text import normalize_name
from models import Customer, CustomerAlias

# What `profile` holds: the record's fields that have no column of their own.
PROFILE_FIELDS = ("report_language", "requires_8d", "visible_to", "contacts", "deadlines", "eight_d_form",
                  "acceptance_required", "survey_moments")
# Every field of the record, in the order it is shown, audited and exported.
RECORD_FIELDS = ("name", "aliases", "account_owner", "account_backup", "restricted", *PROFILE_FIELDS)


def has_record(customer: Customer) -> bool:
    return bool(customer.profile)


def record_of(session: Session, customer: Customer) -> CustomerSeed | None:
    """The customer's record, or None when it has none (a name typed, never seeded, imported or edited)."""
    if not has_record(customer):
        return None
    names = dict(customer.names or {})
    aliases = session.exec(select(CustomerAlias.alias).where(CustomerAlias.customer_id == customer.id)
                           .order_by(CustomerAlias.id)).all()
    name: str | Label = Label(en=names["en"], zh=names["zh"]) if {"en", "zh"} <= set(names) else customer.name
    profile = {k: v for k, v in customer.profile.items() if k in PROFILE_FIELDS}
    return CustomerSeed.model_validate({
        "name": name, "aliases": tuple(a for a in aliases if a not in names.values() and a != customer.name),
        "account_owner": customer.account_owner, "account_backup": customer.account_backup,
        "restricted": customer.restricted, **profile})


def write_record(session: Session, customer: Customer, record: CustomerSeed, now: datetime) -> None:
    """Store `record` on the row: its names, columns, profile and aliases (the aliases replaced)."""
    customer.name, customer.name_key = record.key_name, normalize_name(record.key_name)
    customer.names = record.names
    customer.account_owner, customer.account_backup = record.account_owner, record.account_backup
    customer.restricted = record.restricted
    customer.profile = {"record": 1, **record.model_dump(mode="json", include=set(PROFILE_FIELDS))}
    customer.verified, customer.updated_at = True, now
    session.add(customer)
    session.flush()
    wanted = {normalize_name(a): a for a in record.all_names if normalize_name(a) and normalize_name(a) != customer.name_key}
    for row in session.exec(select(CustomerAlias).where(CustomerAlias.customer_id == customer.id)).all():
        if row.alias_key not in wanted:
            session.delete(row)
        else:
            wanted.pop(row.alias_key)
    session.flush()
    for key, alias in wanted.items():
        if session.exec(select(CustomerAlias.id).where(CustomerAlias.alias_key == key)).first() is not None:
            continue  # another customer's already (an edit refuses that first: taken_names)
        session.add(CustomerAlias(customer_id=customer.id, alias=alias[:200], alias_key=key[:200]))
    session.flush()


def taken_names(session: Session, customer_id: int | None, record: CustomerSeed) -> list[str]:
    """The record's names and aliases that already name another customer (each name one customer)."""
    taken = []
    for name in record.all_names:
        key = normalize_name(name)
        other = session.exec(select(Customer.id).where(Customer.name_key == key, Customer.id != customer_id)).first()
        other = other or session.exec(select(CustomerAlias.customer_id).where(
            CustomerAlias.alias_key == key, CustomerAlias.customer_id != customer_id)).first()
        if other is not None:
            taken.append(name)
    return taken


def record_changes(before: CustomerSeed | None, after: CustomerSeed) -> dict[str, dict[str, Any]]:
    """What an edit changed, field by field, as the audit event keeps it (old → new)."""
    old = before.model_dump(mode="json") if before else {}
    new = after.model_dump(mode="json")
    return {f: {"before": old.get(f), "after": new.get(f)} for f in RECORD_FIELDS if old.get(f) != new.get(f)}


def records(session: Session) -> list[tuple[Customer, CustomerSeed]]:
    """Every customer that has a record, in the order they were made."""
    rows = session.exec(select(Customer).where(Customer.verified.is_(True)).order_by(Customer.id)).all()
    return [(c, r) for c in rows if (r := record_of(session, c)) is not None]

