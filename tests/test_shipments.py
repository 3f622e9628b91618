"""The return rate in ppm: shipped quantities imported from a CSV (`voc import shipments`), returned
quantities from the returns recorded (not the quantities typed into complaints); "unknown" until every
month of the period has a figure.
Every figure worked out by hand; the CLI end to end on SQLite, the domain on PostgreSQL and SQLite."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from domain.customers import seed_customers
from domain.reports.details import return_rate
from domain.reports.periods import parse
from domain.reports.shipments import BadShipments, import_shipments
from sqlmodel import select

from models import FeedbackItem, ReturnedGoods
from models.db import Database, upgrade

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=SH)
VOC = str(Path(sys.executable).parent / "voc")


def complaints(db, policy):
    """November: quality complaints saying 300 and 200 pcs, a delivery complaint of 100 pcs, a quality
    complaint with no quantity, and a withdrawn one of 999 pcs — what is typed is no return. Returns
    recorded: 30 pcs (November 5), 20 pcs (November 30, on the complaint with no quantity), 700 pcs
    found fault-free (not a quality return), and 40 pcs received on December 1."""
    with db.session() as s:
        seed_customers(s, policy, NOW)
        for n, (category, quantity, status) in enumerate((("quality", 300, "received"), ("quality", 200, "closed"),
                                                          ("delivery", 100, "received"), ("quality", None, "received"),
                                                          ("quality", 999, "withdrawn")), start=1):
            received = datetime(2026, 11, 3 + n, 10, tzinfo=SH)
            s.add(FeedbackItem(source_key=f"t:{uuid.uuid4().hex}", source="slash", status=status, kind="complaint",
                               category=category, severity="B", department="quality", text="x", summary="x",
                               reporter_id="U1", received_at=received, filed_at=received, number=n, quantity=quantity,
                               created_at=received, updated_at=received))
        s.flush()
        items = {i.number: i.id for i in s.exec(select(FeedbackItem))}
        for number, quantity, day, inspection in ((1, 30, date(2026, 11, 5), "confirmed"), (4, 20, date(2026, 11, 30), None),
                                                  (2, 700, date(2026, 11, 20), "no_fault_found"),
                                                  (1, 40, date(2026, 12, 1), None)):
            s.add(ReturnedGoods(item_id=items[number], quantity=quantity, received_on=day, state="received",
                                inspection=inspection, by="U1", at=NOW, updated_at=NOW))


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_ppm_from_per_customer_rows_then_a_total_that_replaces_them(db_url, policy):
    db = Database(db_url)
    complaints(db, policy)
    november, autumn = parse("month", "2026-11"), parse("year", "2026")
    with db.session() as s:
        assert return_rate(s, policy, november, NOW) == {"returned": 50, "shipped": None, "ppm": None}  # unknown
        import_shipments(s, "month,customer,quantity\n2026-11,BYD,40000\n2026-11,吉利,\"60,000\"\n", NOW)
    with db.session() as s:
        assert return_rate(s, policy, november, NOW) == {"returned": 50, "shipped": 100_000, "ppm": 500.0}
        assert return_rate(s, policy, autumn, NOW)["ppm"] is None  # the other months of the year: unknown
        import_shipments(s, "\ufeffMonth,Quantity\n2026-11,250000\n", NOW)  # the ERP's total for all customers
    with db.session() as s:
        assert return_rate(s, policy, november, NOW) == {"returned": 50, "shipped": 250_000, "ppm": 200.0}
        import_shipments(s, "month,quantity\n2026-11,125000\n", NOW)  # corrected: replaces, not adds
    with db.session() as s:
        assert return_rate(s, policy, november, NOW)["ppm"] == 400.0
    db.dispose()


def test_a_bad_file_names_each_bad_line_and_imports_nothing(sqlite_url, policy):
    db = Database(sqlite_url)
    complaints(db, policy)
    with pytest.raises(BadShipments) as bad:
        with db.session() as s:
            import_shipments(s, "month,customer,quantity\n2026-11,BYD,40000\n2026-13,,5\n2026-10,Nobody Inc,7\n2026-09,,x\n"
                                "2026-08,,²\n2026-07,,1000000000000\n", NOW)
    assert str(bad.value).splitlines() == [
        "line 3: month '2026-13' is not like 2026-11", "line 4: no customer called 'Nobody Inc' (add it to the policy, "
        "or leave it empty for all)", "line 5: quantity 'x' is not a whole number from 0 to 999,999,999,999",
        "line 6: quantity '²' is not a whole number from 0 to 999,999,999,999",  # isdigit() passes it, int() does not
        "line 7: quantity '1000000000000' is not a whole number from 0 to 999,999,999,999"]
    with db.session() as s:
        assert return_rate(s, policy, parse("month", "2026-11"), NOW)["shipped"] is None
    db.dispose()


def test_voc_import_shipments_and_the_report_json(tmp_path, policy):
    url = f"sqlite:///{tmp_path}/voc.db"
    upgrade(url)
    db = Database(url)
    complaints(db, policy)
    db.dispose()
    csv_file = tmp_path / "shipments.csv"
    csv_file.write_text("month,customer,quantity\n2026-11,,200000\n", encoding="utf-8")
    env = dict(os.environ, DATABASE_URL=url)
    done = subprocess.run([VOC, "import", "shipments", str(csv_file)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "1 shipment figure(s) imported" in done.stdout, done.stderr
    report = subprocess.run([VOC, "report", "month", "--at", "2026-11"], env=env, capture_output=True, text=True, timeout=120)
    assert json.loads(report.stdout)["return_rate"] == {"returned": 50, "shipped": 200000, "ppm": 250.0}
    csv_file.write_text("month,quantity\nNov,12\n", encoding="utf-8")
    bad = subprocess.run([VOC, "import", "shipments", str(csv_file)], env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "line 2: month 'Nov' is not like 2026-11" in bad.stderr


def test_voc_export_audit_writes_every_event_in_the_dates(tmp_path, policy):
    from models import Event

    url = f"sqlite:///{tmp_path}/voc.db"
    upgrade(url)
    db = Database(url)
    complaints(db, policy)
    with db.session() as s:
        s.add(Event(item_id=1, actor="U0QMWANG", action="owner.taken", detail={"owner": "U0QMWANG"},
                    at=datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc)))  # 1 Dec 00:30 in Shanghai
        s.add(Event(item_id=2, actor="system", action="sla.escalated", detail={"level": 1},
                    at=datetime(2026, 11, 30, 15, 30, tzinfo=timezone.utc)))  # 30 Nov 23:30 in Shanghai
    db.dispose()
    out = tmp_path / "audit.csv"
    done = subprocess.run([VOC, "export", "audit", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "csv",
                           "--out", str(out)], env=dict(os.environ, DATABASE_URL=url), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["When / 时间,Ref / 编号,Who / 操作人,Action / 操作,Detail / 详情,Slack request / Slack 请求",
                     '2026-12-01 00:30:00,VOC-1,U0QMWANG,owner.taken,"{""owner"": ""U0QMWANG""}",']


def test_typed_text_that_looks_like_a_formula_stays_text_in_the_xlsx():
    from io import BytesIO

    from openpyxl import load_workbook

    from documents.table_export import xlsx_bytes

    data = xlsx_bytes("t", ["What the customer said"], [['=HYPERLINK("http://x","click")'], ["plain"]])
    sheet = load_workbook(BytesIO(data)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://x","click")'
