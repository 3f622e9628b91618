"""A period's numbers (domain/reports/numbers.py) on a small history written row by row here, with
every expected figure worked out by hand below (not by the report code), on PostgreSQL and SQLite.

The history, in the company's time zone (Asia/Shanghai):
| item | kind, category, severity, department | received | closed | deadlines |
|---|---|---|---|---|
| VOC-1 | complaint quality AA quality | 1 Nov 00:30 (still 31 Oct in UTC) | 11 Nov 00:30 | first contact due 1 Nov 02:30, met 01:00; 8D due 4 Nov 00:30, met 5 Nov |
| VOC-2 | complaint delivery A production | 30 Nov 23:30 | — | first contact due 1 Dec 01:30 |
| VOC-3 | inquiry technical B engineering | 31 Oct 23:30 | 2 Nov 23:30 | — |
| VOC-4 | complaint quality B quality, repeat of VOC-1 | 15 Nov 10:00 (a Sunday) | — | internal closure due 20 Nov 10:00, not met |
| VOC-5 | withdrawn | 12 Nov | — | — |
| VOC-6 | praise service B sales | 20 Nov 10:00 | 21 Nov 10:00 | — |
| draft | complaint, no number | 10 Nov | — | — |
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from domain.reports.numbers import period_numbers
from domain.reports.periods import BadPeriod, parse
from models import Deadline, FeedbackItem, ItemLink, StatusChange
from models.db import Database

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=SH)
VOC = str(Path(sys.executable).parent / "voc")
ROOT = Path(__file__).resolve().parent.parent


def at(month, day, hour=0, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def history(db_url):
    db = Database(db_url)
    with db.session() as s:
        def item(number, kind, category, severity, department, received, status="received"):
            row = FeedbackItem(source_key=f"t:{uuid.uuid4().hex}", source="slash", status=status, kind=kind,
                               category=category, severity=severity, department=department, text="x", summary="x",
                               reporter_id="U1", received_at=received, filed_at=received if number else None,
                               number=number, created_at=received, updated_at=received)
            s.add(row)
            s.flush()
            return row

        def close(row, when):
            s.add(StatusChange(item_id=row.id, action="close", from_status="verified", to_status="closed", by="U2", at=when))

        def due(row, milestone, when, met=None, state=None):
            s.add(Deadline(item_id=row.id, milestone=milestone, due_at=when, met_at=met, state=state or ("met" if met else "open")))

        v1 = item(1, "complaint", "quality", "AA", "quality", at(11, 1, 0, 30), "closed")
        close(v1, at(11, 11, 0, 30))
        due(v1, "first_contact", at(11, 1, 2, 30), met=at(11, 1, 1, 0))
        due(v1, "report_8d", at(11, 4, 0, 30), met=at(11, 5, 9, 0))
        v2 = item(2, "complaint", "delivery", "A", "production", at(11, 30, 23, 30))
        due(v2, "first_contact", at(12, 1, 1, 30))
        v3 = item(3, "inquiry", "technical", "B", "engineering", at(10, 31, 23, 30), "closed")
        close(v3, at(11, 2, 23, 30))
        v4 = item(4, "complaint", "quality", "B", "quality", at(11, 15, 10, 0))
        due(v4, "internal_closure", at(11, 20, 10, 0))
        s.add(ItemLink(item_id=v4.id, other_id=v1.id, kind="repeat_of", at=at(11, 15, 10, 0)))
        item(5, "complaint", "quality", "A", "quality", at(11, 12), "withdrawn")
        v6 = item(6, "praise", "service", "B", "sales", at(11, 20, 10, 0), "closed")
        close(v6, at(11, 21, 10, 0))
        item(None, "complaint", "quality", "B", "quality", at(11, 10), "draft")
    return db


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_a_month_counted_in_the_company_time_zone(db_url, policy):
    db = history(db_url)
    with db.session() as s:
        n = period_numbers(s, policy, parse("month", "2026-11"), NOW)
    db.dispose()
    assert n["period"] == "2026-11"
    assert n["new"]["total"] == 4  # VOC-1, 2, 4, 6: not VOC-3 (October locally), the withdrawn one, the draft
    assert n["new"]["by_kind"] == {"complaint": 3, "inquiry": 0, "suggestion": 0, "praise": 1}
    # the complaints among them (VOC-1, 2, 4; not VOC-6's praise): what every breakdown and chart counts
    assert n["complaints"]["total"] == 3
    assert n["complaints"]["by_category"] == {"quality": 2, "delivery": 1, "technical": 0, "commercial": 0, "service": 0,
                                              "other": 0}
    assert n["complaints"]["by_severity"] == {"AA": 1, "A": 1, "B": 1}
    assert {k: v for k, v in n["complaints"]["by_department"].items() if v} == {"quality": 2, "production": 1}
    assert n["closed"] == 3  # VOC-1, VOC-3 (received in October), VOC-6
    assert n["cycle_days"] == {"avg": pytest.approx(13 / 3, abs=0.01), "max": 10.0}  # 10, 2 and 1 days
    assert n["open"] == 2 and n["overdue"] == 1  # VOC-2 and VOC-4 open; VOC-4's closure overdue
    assert n["repeats"] == 1
    assert n["on_time"] == {"first_contact": 1.0, "internal_closure": 0.0, "report_8d": 0.0}  # VOC-2's falls in December
    assert n["on_time_counts"] == {"first_contact": {"met": 1, "due": 1}, "internal_closure": {"met": 0, "due": 1},
                                   "report_8d": {"met": 0, "due": 1}}


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_weeks_years_and_a_period_not_over_yet(db_url, policy):
    db = history(db_url)
    with db.session() as s:
        w47 = period_numbers(s, policy, parse("week", "2026-W47"), NOW)  # Mon 16 – Sun 22 Nov
        w46 = period_numbers(s, policy, parse("week", "2026-W46"), NOW)
        year = period_numbers(s, policy, parse("year", "2026"), NOW)
        early = period_numbers(s, policy, parse("month", "2026-11"), at(11, 18, 12))  # asked on 18 Nov
    db.dispose()
    assert (w47["new"]["total"], w47["closed"], w46["new"]["total"]) == (1, 1, 1)  # VOC-6 / VOC-4 on Sunday 15th
    assert year["new"]["total"] == 5 and year["closed"] == 3
    # On 18 Nov: VOC-2 and VOC-6 not received yet, VOC-4's closure not due yet, VOC-1 closed on the 11th
    assert (early["new"]["total"], early["open"], early["overdue"], early["closed"]) == (2, 1, 0, 2)
    assert early["on_time"] == {"first_contact": 1.0, "report_8d": 0.0}


def test_periods_are_written_as_people_write_them():
    assert parse("week", "2026-W47").first.isoformat() == "2026-11-16"
    assert parse("month", "2026-11").previous().key == "2026-10"
    assert parse("month", "2026-11").a_year_before().key == "2025-11"
    assert parse("year", "2026").bounds(SH)[0] == datetime(2025, 12, 31, 16, tzinfo=timezone.utc)
    for kind, text in (("month", "2026-13"), ("week", "2026-11"), ("year", "26")):
        with pytest.raises(BadPeriod):
            parse(kind, text)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_voc_report_prints_the_same_numbers_as_json(db_url):
    history(db_url).dispose()
    def run(*args):  # today (2 Dec 2026 or later) November is over: the same numbers as at NOW
        return subprocess.run([VOC, "report", *args], capture_output=True, text=True, cwd=ROOT, timeout=120,
                              env={**os.environ, "DATABASE_URL": db_url})
    done = run("month", "--at", "2026-11")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["period"], out["new"]["total"], out["closed"], out["open"], out["overdue"]) == ("2026-11", 4, 3, 2, 1)
    bad = run("month", "--at", "November")
    assert bad.returncode == 2 and "write it like 2026-11" in bad.stderr


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_ledger_exports_every_filed_item_with_its_milestones(db_url, policy, tmp_path):
    from openpyxl import load_workbook

    from domain.reports.ledger import ledger

    db = history(db_url)
    with db.session() as s:
        rows = ledger(s, policy, datetime(2026, 11, 1).date(), datetime(2026, 11, 30).date(), NOW)
    db.dispose()
    assert [r["ref"] for r in rows] == ["VOC-1", "VOC-2", "VOC-4", "VOC-5", "VOC-6"]  # filed in November (VOC-5 withdrawn)
    v1, v2, v4, v5, _ = rows
    assert v5["status"] == "Withdrawn"
    assert (v1["received"], v1["closed"]) == (datetime(2026, 11, 1, 0, 30), datetime(2026, 11, 11, 0, 30))  # company time
    assert (v1["met:first_contact"], v1["late:first_contact"], v1["late:report_8d"]) == (datetime(2026, 11, 1, 1), "", "yes")
    assert v2["late:first_contact"] == "yes" and v4["late:internal_closure"] == "yes"  # not met, due before now
    assert (v4["repeat"], v1["repeat"]) == ("yes", "")
    out = tmp_path / "ledger.xlsx"
    done = subprocess.run([VOC, "export", "ledger", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, "DATABASE_URL": db_url})
    assert done.returncode == 0, done.stderr
    sheet = load_workbook(out).active
    head = [c.value for c in sheet[1]]
    assert head[:3] == ["Ref / 编号", "Received / 接收时间", "Customer / 客户"]  # the company's language first
    assert "First contact with the customer: due / 首次联系客户：期限" in head
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["VOC-1", "VOC-2", "VOC-4", "VOC-5", "VOC-6"]
    csv_out = tmp_path / "ledger.csv"
    subprocess.run([VOC, "export", "ledger", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv", "--out", str(csv_out)],
                   check=True, capture_output=True, cwd=ROOT, timeout=120, env={**os.environ, "DATABASE_URL": db_url})
    assert csv_out.read_bytes().startswith("\ufeffRef / 编号,Received / 接收时间".encode())


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_an_item_filed_this_very_moment_is_in_the_period_so_far(db_url, policy):
    db = history(db_url)
    moment = at(11, 20, 10, 0)  # VOC-6 was received at exactly this moment
    with db.session() as s:
        so_far = period_numbers(s, policy, parse("week", "2026-W47"), moment)
        before = period_numbers(s, policy, parse("week", "2026-W47"), at(11, 20, 9, 59))
    db.dispose()
    assert (so_far["new"]["total"], before["new"]["total"]) == (1, 0)


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_a_milestone_paused_while_waiting_on_the_customer_is_not_overdue(db_url, policy):
    db = history(db_url)
    with db.session() as s:
        v2 = s.exec(select(FeedbackItem).where(FeedbackItem.number == 2)).one()
        s.add(Deadline(item_id=v2.id, milestone="containment", due_at=at(11, 30, 23, 45), state="paused"))
    with db.session() as s:
        n = period_numbers(s, policy, parse("month", "2026-11"), NOW)
    db.dispose()
    assert n["overdue"] == 1  # still only VOC-4's closure
