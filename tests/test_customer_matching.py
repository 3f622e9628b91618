"""Customers as people type them: typos, plant and legal-form suffixes match the known customer;
a different company is not guessed into a known one (it is created, unverified, as before)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from domain.customers import find_customer, resolve_customer, seed_customers
from models.db import Database

both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


@both
@pytest.mark.parametrize("typed, known", [
    ("Geeley", "Geely Auto"),               # a typo
    ("Geely Ningbo plant", "Geely Auto"),   # a plant suffix after an alias
    ("吉利汽车宁波工厂", "Geely Auto"),       # the Chinese name, a city and 工厂
    ("BYD Auto Co., Ltd.", "BYD"),          # a legal form
    ("比亚迪股份有限公司", "BYD"),
    ("Great Wal Motor", "Great Wall Motor"),
])
def test_what_people_type_finds_the_known_customer(db_url, policy, typed, known):
    with Database(db_url).session() as s:
        seed_customers(s, policy, NOW)
        found = find_customer(s, typed)
        assert found is not None and found.name == known


@both
@pytest.mark.parametrize("typed", ["Tesla Shanghai", "SAIC Motor", "Great Wall Tools", "长安汽车", "上汽通用", "Chery", "NIO"])
def test_another_company_is_not_guessed_into_a_known_one(db_url, policy, typed):
    with Database(db_url).session() as s:
        seed_customers(s, policy, NOW)
        assert find_customer(s, typed) is None
        created = resolve_customer(s, typed, NOW)
        assert not created.verified and created.name == typed
        assert find_customer(s, "Geeley").name == "Geely Auto"  # an unverified record never attracts typos
