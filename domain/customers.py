"""Customer matching: case-insensitive, by alias, folding traditional/simplified and punctuation."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.policy import Policy
from domain.text import normalize_name
from models import Customer, CustomerAlias


def find_customer(session: Session, name: str) -> Customer | None:
    key = normalize_name(name)
    if not key:
        return None
    found = session.exec(select(Customer).where(Customer.name_key == key)).first()
    if found:
        return found
    alias = session.exec(select(CustomerAlias).where(CustomerAlias.alias_key == key)).first()
    return session.get(Customer, alias.customer_id) if alias else None


def resolve_customer(session: Session, name: str, now: datetime) -> Customer:
    """The known customer for `name`, or a new one marked unverified (no friction for sales)."""
    found = find_customer(session, name)
    if found:
        return found
    customer = Customer(name=name.strip()[:200], name_key=normalize_name(name)[:200], verified=False,
                        created_at=now, updated_at=now)
    try:
        with session.begin_nested():  # another request may create the same customer at the same moment
            session.add(customer)
            session.flush()
    except IntegrityError:
        return find_customer(session, name)
    return customer


def _insert_new(session: Session, model, values: dict, key: str) -> int:
    """INSERT … ON CONFLICT DO NOTHING: several processes seeding at start-up at the same moment
    (honcho starts web, worker and scheduler together) each insert what is missing, none fails."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return session.execute(insert(model.__table__).values(**values).on_conflict_do_nothing(index_elements=[key])).rowcount


def seed_customers(session: Session, policy: Policy, now: datetime) -> int:
    """Create the policy's known customers and aliases that are not in the database yet."""
    added = 0
    for seed in policy.customers:
        if find_customer(session, seed.key_name) is None:
            added += _insert_new(session, Customer, {"name": seed.key_name, "name_key": normalize_name(seed.key_name),
                                                     "verified": True, "names": seed.names, "created_at": now,
                                                     "updated_at": now}, "name_key")
        customer = find_customer(session, seed.key_name)
        if customer.names != seed.names:  # the policy is where names per language are kept
            customer.names, customer.updated_at = seed.names, now
            session.flush()
        for alias in seed.all_names:
            key = normalize_name(alias)
            if key and key != customer.name_key and find_customer(session, alias) is None:
                _insert_new(session, CustomerAlias, {"customer_id": customer.id, "alias": alias, "alias_key": key},
                            "alias_key")
    return added
