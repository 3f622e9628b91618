"""`/export audit-pack` and the ledger's people by name, over signed requests into the bot and the
emulator as Slack: the quality manager gets the ZIP by DM; a salesperson is told why not; the ledger
sent by DM names the owner by full name as Slack knows them (users.info, as the 8D does), not by id
or handle, labels kind, category, department and status in the reader's language and holds real
date cells in the company's time zone."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timedelta

from openpyxl import load_workbook

from bot import action_ids as ids
from tests.conftest import START
from tests.test_flows import FLOOR, QUALITY, SALES, eph
from tests.test_report_slack import file_two
from tests.test_thread_lifecycle import do

QM, QE = "U0QMWANG", "U0QZHOU"


def dm_file(h, user):
    dm = h.ws.dm_channel(user)
    [sent] = h.ws.wait_for(lambda: [m for m in h.ws.channel_messages(dm) if m.files])
    [f] = sent.files
    return sent, f["name"], next(u.data for u in h.ws.files.values() if u.id == f["id"])


def test_the_quality_manager_gets_the_audit_pack_by_dm_and_sales_is_refused(harness):
    h = harness
    file_two(h)
    parent = h.ws.channel_messages(QUALITY)[0]
    do(h, QE, parent, "take_ownership")
    h.clock.set(START + timedelta(days=3))
    h.slack.command(SALES, FLOOR, "audit-pack", command=ids.EXPORT_COMMAND)
    assert "only the quality manager" in eph(h, SALES, "audit pack").text
    h.slack.command(QM, QUALITY, "audit-pack 2026-11-01 2026-11-30", command=ids.EXPORT_COMMAND)
    assert eph(h, QM, "审核资料包").text == "正在生成 2026-11-01 至 2026-11-30 的审核资料包，稍后私信发给您。"
    sent, name, data = dm_file(h, QM)
    assert sent.text == "审核资料包，2026-11-01 至 2026-11-30：共 2 条记录，0 份8D，2 项未关闭的不符合项。"
    assert name.startswith("audit-pack-2026-11-01-2026-11-30-r") and name.endswith(".zip")
    pack = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(pack.namelist()) == ["audit-trail.xlsx", "index.md", "ledger.xlsx", "reports/2026-11.json",
                                       "reports/2026.json", "satisfaction.xlsx"]
    ledger = load_workbook(io.BytesIO(pack.read("ledger.xlsx"))).active
    head = [c.value for c in ledger[1]]
    owner = head.index("Owner / 负责人")
    assert [r[owner] for r in ledger.iter_rows(min_row=2, values_only=True)] == ["Zhou Min (Quality engineer)", None]  # by name, not U0QZHOU (an empty cell reads as None)
    trail = load_workbook(io.BytesIO(pack.read("audit-trail.xlsx"))).active
    assert ("Zhou Min (Quality engineer) (U0QZHOU)", "lifecycle.take_ownership") in [(r[2], r[3]) for r in trail.iter_rows(values_only=True)]
    index = pack.read("index.md").decode()
    # Monday 23 Nov: the line stop's first contact (owning it is not contacting the customer), containment
    # and reply (24 h, met by nothing yet) and BYD's first contact are overdue
    [line_stop] = [line for line in index.splitlines() if line.startswith("| VOC-1 | Overdue / 逾期 |")]
    assert line_stop.split(" | ")[2].split(", ")[0].startswith("first_contact")
    assert "containment 2026-11-21 10:00" in line_stop and "customer_reply 2026-11-21 10:00" in line_stop
    assert "| VOC-2 | Overdue / 逾期 | first_contact" in index
    h.join()
    assert not [m for m in h.ws.channel_messages(h.ws.dm_channel(SALES)) if m.files]


def test_the_ledger_by_dm_names_the_owner(harness):
    h = harness
    file_two(h)
    do(h, QE, h.ws.channel_messages(QUALITY)[0], "take_ownership")
    h.slack.command(QM, QUALITY, "ledger 2026-11-01 2026-11-30 csv", command=ids.EXPORT_COMMAND)
    _, _, data = dm_file(h, QM)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    owner = rows[0].index("Owner / 负责人")
    assert [r[owner] for r in rows[1:]] == ["Zhou Min (Quality engineer)", ""]


def test_the_ledger_speaks_the_readers_language_with_real_date_cells(harness):
    """The quality manager reads Chinese: kinds, categories, departments and statuses are his words, not
    the keys `complaint`, `quality`; received is a date cell (Friday 20 Nov, 10:00 in Shanghai)."""
    h = harness
    file_two(h)
    h.slack.command(QM, QUALITY, "ledger 2026-11-01 2026-11-30", command=ids.EXPORT_COMMAND)
    _, name, data = dm_file(h, QM)
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    head = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    column = {field: head.index(title) for field, title in (
        ("kind", "Kind / 类型"), ("category", "Category / 类别"), ("department", "Department / 责任部门"),
        ("status", "Status / 状态"), ("received", "Received / 接收时间"))}
    assert [(r[column["kind"]], r[column["category"]], r[column["department"]], r[column["status"]]) for r in rows] == [
        ("投诉", "质量", "品质部", "已受理"), ("投诉", "交付", "生产部", "已受理")]
    received = sheet.cell(2, column["received"] + 1)
    assert received.is_date and received.value == datetime(2026, 11, 20, 10, 0)  # company time, to the minute
    assert received.number_format == "yyyy-mm-dd hh:mm"
