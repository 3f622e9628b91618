"""Customer records in the database (issue 19): seeded once from the policy and kept across reseeds,
imported whole or not at all (each bad line named), exported as the import reads them, and the one
resolver of an item's customer requirements read by the 8D requirement and the closure gate."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from cli.main import main
from documents.ledger_import import read_table
from domain.customer_import import BadCustomers, import_customers
from domain.customer_records import record_of, write_record
from domain.customers import find_customer, seed_customers
from domain.lifecycle.gate import closure_missing
from domain.lifecycle.table import Status
from domain.lifecycle.view import ItemView
from domain.requirements import requirements
from models import Customer, Event
from models.db import Database, upgrade

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)


@both
def test_after_seeding_the_database_is_the_truth(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        seed_customers(s, policy, NOW)
        geely = find_customer(s, "Geely")
        assert record_of(s, geely).report_language == "zh" and record_of(s, find_customer(s, "SVW")).requires_8d
        edited = record_of(s, geely).model_copy(update={"report_language": "en", "aliases": ("Geely",)})
        write_record(s, geely, edited, NOW)
    with db.session() as s:
        seed_customers(s, policy, NOW)  # a restart
        geely = find_customer(s, "Geely")
        assert record_of(s, geely) == edited and find_customer(s, "宁波吉利") is None  # the alias taken out stays out
    db.dispose()


def test_the_8d_requirement_and_the_closure_gate_read_the_customers_record_first(policy):
    svw = next(c for c in policy.customers if c.key_name == "SAIC Volkswagen")
    assert requirements(policy, svw).requires_8d and not requirements(policy, None, "BYD").requires_8d
    item = ItemView(id=1, kind="complaint", category="quality", severity="B", status=Status.verified, department="quality",
                    reporter="U0SALESEMMA", customer="SAIC Volkswagen", customer_record=svw)
    assert ("gate.customer_acceptance", {}) in closure_missing(item, policy)  # the company's rule
    waived = svw.model_copy(update={"acceptance_required": False})
    from dataclasses import replace
    assert ("gate.customer_acceptance", {}) not in closure_missing(replace(item, customer_record=waived), policy)


CSV = ("name_en,name_zh,aliases,account_owner,restricted,visible_users,contacts,deadlines,requires_8d,acceptance_required\n"
       "Chery Automobile,奇瑞汽车,Chery,U0SALESLI,no,,Zhang San | SQE | zhang@chery.example | +86 553 1234567,"
       "report_8d=5d working,yes,\n"
       "NIO,蔚来,,,yes,U0SALESEMMA,,,no,no\n")


def test_an_import_with_bad_lines_is_refused_whole_each_bad_line_named(sqlite_url, policy):
    db = Database(sqlite_url)
    bad = CSV + ("Tesla Shanghai,特斯拉,,someone,maybe,,,report_8d=soon,,\n"
                 "Geely,,,,,,,,,\n")  # a name another customer already has
    with pytest.raises(BadCustomers) as refused:
        with db.session() as s:
            seed_customers(s, policy, NOW)
            s.commit()
            import_customers(s, policy, read_table("customers.csv", bad.encode()), NOW, "customers.csv", "en")
    assert refused.value.problems == [
        "line 4: Account owner: A Slack user (U…), or leave it empty.",
        "line 4: Restricted: yes or no.",
        "line 4: Customer's deadlines: " + refused.value.problems[2].split(": ", 2)[2],
        "line 5: Geely already names the customer Geely Auto"]
    assert "report_8d=10d working" in refused.value.problems[2]
    with db.session() as s:  # the good lines were not written either
        assert find_customer(s, "Chery Automobile") is None and find_customer(s, "NIO") is None
        assert not s.exec(select(Event).where(Event.action == "customer.edit")).all()

    with pytest.raises(BadCustomers) as refused:  # in Chinese, for a Chinese reader
        with db.session() as s:
            import_customers(s, policy, read_table("客户.csv", "客户负责人\nU0X\n".encode()), NOW, "客户.csv", "zh")
    assert refused.value.problems == ["缺少 name_en 列：每行都需要客户名称"]
    db.dispose()


def test_voc_import_then_export_customers_round_trips_audited(tmp_path, policy, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path}/voc.db"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    source = tmp_path / "customers.csv"
    source.write_text(CSV, encoding="utf-8")
    assert main(["import", "customers", str(source)]) == 0
    assert "imported 2 new and 0 changed customer record(s)" in capsys.readouterr().out
    db = Database(url)
    with db.session() as s:
        chery = record_of(s, find_customer(s, "Chery"))
        assert chery.contacts[0].phone == "+86 553 1234567" and chery.deadlines["report_8d"].days == 5
        assert record_of(s, find_customer(s, "蔚来")).restricted
        assert len(s.exec(select(Event).where(Event.action == "customer.edit", Event.actor == "import")).all()) == 2
    exported = tmp_path / "export.xlsx"
    assert main(["export", "customers", "--format", "xlsx", "--out", str(exported)]) == 0
    assert main(["import", "customers", str(exported)]) == 0  # what was exported is what is there: nothing changes
    assert "0 new and 0 changed customer record(s) from" in capsys.readouterr().out
    with db.session() as s:
        assert len(s.exec(select(Customer)).all()) == 2
    db.dispose()
