"""`/complaints`: lists (mine, my department's, open, overdue, a customer's), a page at a time, each
with a link to its thread; and `/complaint VOC-n 8d`, the 8D as recorded so far."""
from __future__ import annotations

import json
from datetime import timedelta

from bot import action_ids as ids
from tests.test_flows import FLOOR, QUALITY, SALES, eph

QE, QM, ENGINEER = "U0QZHOU", "U0QMWANG", "U0ENGCHEN"


def shown(blocks) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def file(h, texts):
    for text in texts:
        h.slack.command(SALES, FLOOR, text)
    h.ws.wait_for(lambda: len(h.ws.channel_messages(QUALITY)) >= len(texts))
    h.join()


def listed(h, user, words, needle, count=1):
    h.slack.command(user, FLOOR, words, command=ids.COMPLAINTS_COMMAND)
    return eph(h, user, needle, count)


def test_pages_of_mine_a_customers_and_the_departments(harness):
    h = harness
    file(h, [f"Geely: light scratches on the housing of part HX-30{n}, 20 pcs, they used them anyway" for n in range(6)]
         + [f"BYD: small burrs on bracket PN HX-50{n}, 10 pcs, they used them anyway" for n in range(5)])
    first = listed(h, SALES, "", "Your complaints")
    text = shown(first.blocks)
    assert "1–10 of 11" in text and "|VOC-11>" in text and "|VOC-1>" not in text  # newest first
    h.slack.click(SALES, first, ids.LIST_NEXT)
    h.ws.wait_for(lambda: "11–11 of 11" in shown(first.blocks))  # the next page replaces it
    assert "|VOC-1>" in shown(first.blocks) and ids.LIST_NEXT not in shown(first.blocks)

    byd = listed(h, SALES, "BYD Auto", "Items for")  # an alias finds the customer
    rows = shown(byd.blocks)
    assert "1–5 of 5" in rows and rows.count("https://emulated.slack.local/archives/" + QUALITY) == 5
    assert "Nothing here" in shown(listed(h, SALES, "%", "Items for", count=2).blocks)  # "%" is a character, not "any"

    [parent] = [m for m in h.ws.channel_messages(QUALITY) if "*VOC-7* ·" in shown(m.blocks) or "VOC-7 ·" in shown(m.blocks)]
    h.slack.click(QE, parent, ids.TAKE_OWNERSHIP)
    h.join()
    assert "第 1–1 条，共 1 条" in shown(listed(h, QE, "我的", "我的投诉").blocks)  # owned counts as mine (he reads Chinese)
    assert "第 1–10 条，共 11 条" in shown(listed(h, QE, "dept", "本部门").blocks)  # ten a page
    assert "Nothing here" in shown(listed(h, ENGINEER, "dept", "department").blocks)  # engineering has none


def test_overdue_lists_what_missed_a_deadline(harness):
    h = harness
    file(h, ["SAIC Volkswagen: wrong labels on 40 pcs of HX-2231"])
    assert "没有记录" in shown(listed(h, QM, "overdue", "逾期项").blocks)  # the QM reads Chinese
    h.clock.advance(timedelta(days=3))
    late = listed(h, QM, "逾期", "逾期项", count=2)
    assert "第 1–1 条，共 1 条" in shown(late.blocks)
    assert listed(h, SALES, "help", "`/complaints overdue`")


def test_the_8d_as_recorded_so_far_shows_what_is_missing(harness):
    h = harness
    file(h, ["Geely: connectors cracked at incoming, 40 pcs, lot 23-1107, no impact on their production"])
    h.slack.command(SALES, FLOOR, "VOC-1 8d", command=ids.COMPLAINT_COMMAND)
    report = shown(eph(h, SALES, "8D report VOC-1").blocks)
    assert "D2 Problem description" in report and "23-1107" in report
    assert report.count("Missing — not recorded yet") == 7  # D1, D3–D8: nothing recorded, nothing invented
