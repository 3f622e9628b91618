"""The complaint ledger (顾客抱怨信息台帐) on the history of tests/ledger_history.py: every filed item,
withdrawn ones marked with their reason; the procedure's columns; people by name; headers in both
languages; and no cell of the CSV or the XLSX is ever a live formula."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from documents.ledger_export import ledger_file
from documents.table_export import csv_bytes, xlsx_bytes
from domain.reports.ledger import ledger
from domain.reports.numbers import period_numbers
from domain.reports.periods import parse
from slack_emulator.demo import demo_workspace
from slack_emulator.server import EmulatorServer
from tests.ledger_history import FORMULA, NAMES, NOW, QE, history

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_every_filed_item_is_in_the_ledger_withdrawn_ones_marked_with_their_reason(db_url, policy):
    db = history(db_url)
    with db.session() as s:
        rows = ledger(s, policy, *NOVEMBER, NOW, names=NAMES)
        figures = period_numbers(s, policy, parse("month", "2026-11"), NOW)
    db.dispose()
    assert [r["ref"] for r in rows] == ["VOC-1", "VOC-2", "VOC-3", "VOC-4", "VOC-5"]
    v2, v3 = rows[1], rows[2]
    assert (v2["status"], v2["withdrawn"], v2["withdrawn_reason"]) == ("Withdrawn", datetime(2026, 11, 3, 9, 30),
                                                                        "entered twice")
    assert (v3["status"], v3["withdrawn"], v3["withdrawn_reason"]) == ("Withdrawn", datetime(2026, 11, 4, 9, 5),
                                                                        "undone by the reporter")
    assert (rows[0]["withdrawn"], rows[0]["withdrawn_reason"]) == (None, "")
    # the figures: a withdrawn item is no complaint of the month, but it is counted as withdrawn
    assert (figures["new"]["total"], figures["withdrawn"]) == (3, 2)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_ledger_carries_what_the_procedure_asks_with_people_by_name(db_url, policy):
    db = history(db_url)
    with db.session() as s:
        v1, *_ = ledger(s, policy, *NOVEMBER, NOW, names=NAMES)
        unnamed, *_ = ledger(s, policy, *NOVEMBER, NOW)
        zh, *_ = ledger(s, policy, *NOVEMBER, NOW, names=NAMES, lang="zh")
        geely_only = ledger(s, policy, *NOVEMBER, NOW, customer_ids=[])
    db.dispose()
    assert {k: v1[k] for k in ("customer", "description", "part", "lot", "quantity", "severity", "problem_severity",
                               "urgency", "wants_8d", "owner")} == {
        "customer": FORMULA, "description": "Connectors cracked at incoming inspection", "part": "P-100", "lot": "L-7",
        "quantity": "300 pcs", "severity": "AA", "problem_severity": "A", "urgency": "very urgent", "wants_8d": "yes",
        "owner": "Zhou Min"}
    assert v1["root_cause"] == "Method: press force too high / no force check"
    assert (v1["kind"], v1["category"], v1["department"], v1["status"]) == ("Complaint", "Quality", "Quality", "Closed")
    assert v1["actions"] == ("corrective: limit press force (Zhou Min, due 2026-11-06, done 2026-11-05); "
                             "preventive: force monitoring [PFMEA, control plan] (Zhou Min, due 2026-11-10, done 2026-11-09)")
    assert v1["verification"] == "two lots clean (clean lots: L-8, L-9)"
    assert v1["acceptance"] == "Mr Li, 2026-11-20, mail"
    assert (v1["eightd_sent"], v1["eightd_approved"]) == (datetime(2026, 11, 5, 10), "2026-11-05 09:00 by Wang Qiang")
    assert (v1["due:first_contact"], v1["met:first_contact"], v1["late:first_contact"]) == (
        datetime(2026, 11, 2, 12), datetime(2026, 11, 2, 10, 30), "")
    assert v1["closed"] == datetime(2026, 11, 21, 10)
    assert unnamed["owner"] == QE  # no name known (the CLI without Slack): the id
    assert (zh["kind"], zh["category"], zh["department"], zh["status"], zh["urgency"]) == ("投诉", "质量", "品质部", "已关闭",
                                                                                          "特别紧急")
    assert zh["root_cause"] == "法: press force too high / no force check"  # the reader's words; the text as typed
    assert geely_only == []


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_headers_in_both_languages_and_no_formula_in_csv_or_xlsx(db_url, policy):
    db = history(db_url)
    with db.session() as s:
        rows = ledger(s, policy, *NOVEMBER, NOW, names=NAMES)
    db.dispose()
    table = list(csv.reader(io.StringIO(ledger_file(policy, rows, "csv").decode("utf-8-sig"))))
    assert table[0][:4] == ["Ref / 编号", "Received / 接收时间", "Customer / 客户", "Problem description / 问题描述"]
    assert "First contact with the customer: due / 首次联系客户：期限" in table[0]
    assert table[1][2] == "'" + FORMULA  # OWASP: a leading quote makes a spreadsheet read it as text
    sheet = load_workbook(io.BytesIO(ledger_file(policy, rows, "xlsx"))).active
    cell = sheet.cell(2, 3)
    assert (cell.value, cell.data_type) == (FORMULA, "s")
    received = sheet.cell(2, 2)  # a date cell in company time, shown to the minute; the CSV writes it so
    assert (received.is_date, received.value, received.number_format) == (True, datetime(2026, 11, 2, 10), "yyyy-mm-dd hh:mm")
    assert table[1][1] == "2026-11-02 10:00"


def test_a_cell_that_starts_like_a_formula_stays_text_in_both_files():
    typed = ["=1+1", "+41 22", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"]
    [row] = list(csv.reader(io.StringIO(csv_bytes(["h"] * len(typed), [typed]).decode("utf-8-sig"))))[1:]
    assert row == ["'=1+1", "'+41 22", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "plain", "a=b"]
    numbers = list(csv.reader(io.StringIO(csv_bytes(["n"], [[-5], [3.5]]).decode("utf-8-sig"))))[1:]
    assert numbers == [["-5"], ["3.5"]]  # a number is a number, not typed text
    sheet = load_workbook(io.BytesIO(xlsx_bytes("t", ["h"] * len(typed), [typed]))).active
    assert [(c.value, c.data_type) for c in sheet[2]][:4] == [("=1+1", "s"), ("+41 22", "s"), ("-2+3", "s"), ("@SUM(A1)", "s")]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_voc_export_ledger_names_people_as_the_bot_does_when_it_has_slack(db_url, policy, tmp_path):
    """`voc export ledger` with the bot's Slack token asks users.info for the people it names (full
    names, as the 8D does); without one, the ids."""
    history(db_url).dispose()
    voc, root = str(Path(sys.executable).parent / "voc"), Path(__file__).resolve().parent.parent
    emulator = EmulatorServer(demo_workspace(policy)).start()
    base = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")} | {"DATABASE_URL": db_url}
    tables = {}
    try:
        for name, env in (("named", {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": emulator.api_url}), ("ids", {})):
            out = tmp_path / f"{name}.csv"
            subprocess.run([voc, "export", "ledger", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv",
                            "--out", str(out)], check=True, capture_output=True, cwd=root, timeout=120, env=base | env)
            tables[name] = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    finally:
        emulator.stop()
    owner, approved = tables["ids"][0].index("Owner / 负责人"), tables["ids"][0].index("8D approved / 8D批准")
    assert (tables["named"][1][owner], tables["named"][1][approved]) == (
        "Zhou Min (Quality engineer)", "2026-11-05 09:00 by Wang Jun (Quality manager)")
    assert (tables["ids"][1][owner], tables["ids"][1][approved]) == (QE, "2026-11-05 09:00 by U0QMWANG")
