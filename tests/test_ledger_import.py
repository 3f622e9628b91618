"""The company's earlier complaint ledger brought on board (`voc import ledger`, docs/import.md): a
round trip through `voc export ledger`, a Chinese-headed ledger in the seeds' layout, imported items
in the month's figures and the satisfaction score, and a bad file refused whole, each bad cell named."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook
from sqlmodel import select

from documents.ledger_export import ledger_file
from documents.ledger_import import read_table
from domain.customers import seed_customers
from domain.lifecycle.apply import perform
from domain.reports.ledger import columns, key, ledger
from domain.reports.ledger_import import BadLedger, import_ledger
from domain.reports.numbers import period_numbers
from domain.reports.periods import parse
from domain.satisfaction.score import score
from domain.customers import find_customer
from domain.unit_of_work import next_reference
from models import Deadline, Event, FeedbackItem, StatusChange
from models.db import Database, upgrade
from tests.conftest import START
from tests.lifecycle_helpers import QE, SALES, file_item, later, who

VOC = str(Path(sys.executable).with_name("voc"))
SH = ZoneInfo("Asia/Shanghai")
NOW = START + timedelta(days=3)
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def build_through_the_domain(db: Database, policy) -> None:
    """Four items as the desk makes them: an AA complaint owned and contacted (first contact met, the
    rest running), an inquiry answered and closed, a complaint withdrawn, a B complaint just filed."""
    with db.session() as s:
        aa = file_item(s, policy, START)
        perform(s, aa, "take_ownership", who(policy, QE), policy, later(START, 0.5))
        perform(s, aa, "record_first_contact", who(policy, SALES), policy, later(START, 1),
                {"contacted_by": SALES, "contacted_at": later(START, 1).isoformat(), "how": "call"})
        inquiry = file_item(s, policy, later(START, 2), kind="inquiry", severity="B")
        perform(s, inquiry, "answer", who(policy, QE), policy, later(START, 3), {"answer": "Lead time is 4 weeks"})
        perform(s, inquiry, "close", who(policy, SALES), policy, later(START, 4))
        withdrawn = file_item(s, policy, later(START, 5), severity="B", customer="BYD")
        perform(s, withdrawn, "withdraw", who(policy, SALES), policy, later(START, 5.1), {"reason": "filed twice"})
        file_item(s, policy, later(START, 30), severity="B", customer="SAIC Volkswagen")


def the_ledger(db: Database, policy) -> list[list]:
    with db.session() as s:
        rows = ledger(s, policy, *NOVEMBER, NOW)
    return [[row[key(f, m)] for f, m in columns(policy)] for row in rows]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_ledger_imported_into_a_fresh_database_gives_the_same_ledger(clean_pg, sqlite_url, policy, fmt):
    first = Database(clean_pg)
    build_through_the_domain(first, policy)
    with first.session() as s:
        exported = ledger_file(policy, ledger(s, policy, *NOVEMBER, NOW), fmt)
    before = the_ledger(first, policy)
    first.dispose()
    assert [row[0] for row in before] == ["VOC-1", "VOC-2", "VOC-3", "VOC-4"]

    fresh = Database(sqlite_url)
    with fresh.session() as s:
        seed_customers(s, policy, NOW)  # as start-up does
        done = import_ledger(s, policy, read_table(f"ledger.{fmt}", exported), NOW, "ledger")
    assert (done.items, done.open, done.closed, done.withdrawn, done.new_customers) == (4, 2, 1, 1, {})
    assert the_ledger(fresh, policy) == before
    with fresh.session() as s:  # the open AA complaint's clocks run from its receipt
        aa = s.exec(select(FeedbackItem).where(FeedbackItem.number == 1)).one()
        running = s.exec(select(Deadline).where(Deadline.item_id == aa.id, Deadline.state == "open")).all()
        assert {d.milestone for d in running} >= {"containment", "internal_closure"}
        assert next_reference(s) == 5  # filing goes on after the highest imported number
        closing = s.exec(select(StatusChange).join(FeedbackItem, FeedbackItem.id == StatusChange.item_id)
                         .where(FeedbackItem.number == 2)).one()
        assert (closing.to_status, closing.at.replace(tzinfo=None)) == ("closed", later(START, 4).replace(tzinfo=None))
        assert {e.action for e in s.exec(select(Event).where(Event.item_id == closing.item_id))} == {
            "imported", "imported.closed"}
    fresh.dispose()


def chinese_ledger(path: Path) -> None:
    """A 顾客抱怨信息台帐 as a quality department keeps it (seed 000 TS §4.2.2.1: 质量部建立, 逐项按时解决)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "投诉日期", "客户名称", "产品型号", "批号", "问题描述", "不良数量", "问题类别", "等级",
                  "责任部门", "原因分析", "纠正措施", "是否结案", "结案日期"])
    sheet.append([1, datetime(2026, 11, 3, 9, 30), "吉利汽车宁波工厂", "CN-4410", "23-1107", "连接器插不到位，客户停线",
                  "1200 pcs", "质量问题", "AA级", "品质部", "模具磨损", "更换模具", "是", datetime(2026, 11, 10, 16, 0)])
    sheet.append([2, "2026/11/5", "比亚迪", "HX-200", "", "交货延迟两天", 0, "交期问题", "B", "生产部", "", "", "否", None])
    sheet.append([3, "2026年11月6日", "新能科技有限公司", "", "", "包装破损", "", "质量问题", "一般", "", "", "", "未结案", None])
    sheet.append([4, "2026-11-07", "Gelly", "", "", "标签错误", "", "质量问题", "B", "", "", "", "未结案", None])
    book.save(path)


def test_a_chinese_headed_ledger_is_imported_customers_matched_as_intake_matches_them(tmp_path, policy):
    url = f"sqlite:///{tmp_path}/voc.db"
    upgrade(url)
    db = Database(url)
    with db.session() as s:  # the policy's customers not seeded yet: `voc db upgrade` does not
        s.add(FeedbackItem(source_key="earlier", source="slash", status="received", kind="complaint", category="quality",
                           severity="B", department="quality", text="x", summary="x", reporter_id=SALES, received_at=START,
                           filed_at=START, number=next_reference(s), created_at=START, updated_at=START))
    db.dispose()
    chinese_ledger(tmp_path / "台帐.xlsx")
    env = dict(os.environ, DATABASE_URL=url)
    done = subprocess.run([VOC, "import", "ledger", str(tmp_path / "台帐.xlsx")], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "2 new customer(s), unverified: 新能科技有限公司, Gelly" in done.stdout
    assert "'Gelly' is close to 'Geely Auto'" in done.stdout  # as intake would ask "did you mean…?"
    assert "the next filed item is VOC-6" in done.stdout
    db = Database(url)
    with db.session() as s:
        items = {i.number: i for i in s.exec(select(FeedbackItem).where(FeedbackItem.source == "import"))}
        geely, byd = find_customer(s, "Geely Auto"), find_customer(s, "BYD")
        assert sorted(items) == [2, 3, 4, 5]  # after the desk's own VOC-1, in order of receipt
        assert (items[2].customer_id, items[3].customer_id) == (geely.id, byd.id)
        assert [(i.category, i.severity, i.department, i.status) for i in items.values()] == [
            ("quality", "AA", "quality", "closed"), ("delivery", "B", "production", "received"),
            ("quality", "B", "quality", "received"), ("quality", "B", "quality", "received")]
        assert (items[2].part_numbers, items[2].lot_numbers, items[2].quantity, items[2].quantity_unit) == (
            ["CN-4410"], ["23-1107"], 1200, "pcs")
        assert items[2].received_at.replace(tzinfo=None) == datetime(2026, 11, 3, 1, 30)  # 09:30 in Shanghai
        imported = s.exec(select(Event).where(Event.item_id == items[2].id, Event.action == "imported")).one()
        assert imported.detail["ledger"] == {"root_cause": "模具磨损", "actions": "更换模具"}
    db.dispose()


def test_imported_complaints_count_in_the_month_in_repeats_and_in_satisfaction(sqlite_url, policy):
    db = Database(sqlite_url)
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["Ref", "Received", "Customer", "Problem description", "Part no.", "Level", "Status",
                     "First contact with the customer: due", "first_contact: met", "Closed", "Line stopped"])
    writer.writerow(["VOC-7", "2026-11-03 09:30", "Geely", "Housing cracked, their line stopped", "HX-1", "AA — critical",
                     "Closed", "2026-11-03 11:30", "2026-11-03 15:00", "2026-11-12 17:00", "yes"])
    writer.writerow(["VOC-8", "2026-11-20 09:00", "Geely", "Housing cracked again", "HX-1", "B", "Received", "", "", "", "no"])
    with db.session() as s:
        seed_customers(s, policy, NOW)
        import_ledger(s, policy, read_table("ledger.csv", rows.getvalue().encode()), NOW, "ledger.csv")
    with db.session() as s:
        november = period_numbers(s, policy, parse("month", "2026-11"), NOW)
        geely = score(s, policy, find_customer(s, "Geely Auto").id, 2026, NOW)
    db.dispose()
    assert (november["new"]["total"], november["complaints"]["by_severity"]["AA"], november["closed"]) == (2, 1, 1)
    assert november["repeats"] == 1  # VOC-8 repeats VOC-7: the same part within the policy's window
    assert november["on_time_counts"]["first_contact"] == {"met": 0, "due": 2}  # VOC-7's met late, VOC-8's never
    # the demo policy's table: a quality problem stopping production -10; a quality complaint repeated -10
    assert [(e.ref, e.rule, e.points, e.repeat) for e in geely.events if e.ref] == [
        ("VOC-7", "production_stop", -10, False), ("VOC-8", "quality_complaint", -10, True)]


def test_a_bad_file_names_each_bad_line_in_the_companys_language_and_imports_nothing(sqlite_url, policy):
    db = Database(sqlite_url)
    text = ("客户,问题描述,类型,接收时间,等级,状态,关闭时间\n"
            "吉利,连接器开裂,投诉,2026-11-03,AA,已关闭,\n"
            "比亚迪,划伤,投诉,十一月三日,C,进行中,\n"
            "长城,尺寸超差,投诉,2026-11-04,B,已受理,\n"
            "长城,感谢及时交付,表扬,2026-11-05,AA,已围堵,\n"
            "长城,标签错误,投诉,2026-11-05,B,已关闭,2026-11-04\n"
            "长城,标签错误,投诉,2027-01-05,B,已受理,\n")
    with pytest.raises(BadLedger) as bad:
        with db.session() as s:
            import_ledger(s, policy, read_table("台帐.csv", text.encode("gb18030")), NOW, "台帐.csv", lang="zh")
    assert bad.value.problems == [
        "第 2 行，列“关闭时间”：已关闭，但没有关闭日期",
        "第 3 行，列“接收时间”：“十一月三日”不是日期（如 2026-11-03 或 2026-11-03 09:30）",
        "第 3 行，列“等级”：“C”不是等级（AA、A 或 B）",
        "第 5 行，列“等级”：只有投诉的等级可高于 B（不能是 AA）",
        "第 5 行，列“状态”：此类型的记录不会处于“已围堵”状态",
        "第 6 行，列“关闭时间”：早于接收时间",
        "第 7 行，列“接收时间”：晚于当前时间"]
    with db.session() as s:
        assert s.exec(select(FeedbackItem)).all() == []
    db.dispose()


def test_unusual_headers_need_a_mapping_file_and_a_dry_run_writes_nothing(tmp_path, policy):
    url = f"sqlite:///{tmp_path}/voc.db"
    upgrade(url)
    ledger_csv = tmp_path / "ledger.csv"
    ledger_csv.write_text("客诉单号,Kunde,Datum,Fehler\nKS-19-001,Geely,2019-03-04,Riss im Gehäuse\n", encoding="utf-8")
    env = dict(os.environ, DATABASE_URL=url)
    refused = subprocess.run([VOC, "import", "ledger", str(ledger_csv), "--lang", "en"], env=env, capture_output=True,
                             text=True, timeout=120)
    assert refused.returncode == 2
    assert "line 1, column 'Kunde': not a column of the ledger" in refused.stderr
    mapping = tmp_path / "map.yaml"
    mapping.write_text("客诉单号: ref\nKunde: custmer\nDatum: received\nFehler: description\n", encoding="utf-8")
    typo = subprocess.run([VOC, "import", "ledger", str(ledger_csv), "--mapping", str(mapping), "--lang", "en"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert typo.returncode == 2 and "mapping 'Kunde': 'custmer' is no field of the ledger" in typo.stderr
    mapping.write_text("客诉单号: ref\nKunde: customer\nDatum: received\nFehler: description\n", encoding="utf-8")
    dry = subprocess.run([VOC, "import", "ledger", str(ledger_csv), "--mapping", str(mapping), "--dry-run"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert dry.returncode == 0 and dry.stdout.startswith("would import 1 item(s)"), dry.stderr
    db = Database(url)
    with db.session() as s:
        assert s.exec(select(FeedbackItem)).all() == []
    db.dispose()
    done = subprocess.run([VOC, "import", "ledger", str(ledger_csv), "--mapping", str(mapping)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "VOC-1 to VOC-1" in done.stdout, done.stderr
    ledger_csv.rename(tmp_path / "ledger-again.csv")  # the same ledger under another name
    again = subprocess.run([VOC, "import", "ledger", str(tmp_path / "ledger-again.csv"), "--mapping", str(mapping)],
                           env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "line 1: this file (ledger-again.csv) was imported before" in again.stderr
    db = Database(url)
    with db.session() as s:
        imported = s.exec(select(Event).where(Event.action == "imported")).one()
        assert imported.detail["ledger"] == {"ref": "KS-19-001"}  # the other system's number, kept in the history
    db.dispose()
