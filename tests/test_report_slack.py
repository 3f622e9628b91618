"""Scheduled reports as Slack shows them, driven by the scheduler's sweep at chosen moments: Monday's
digest in the managers' channel and each department's, with its charts uploaded (files upload v2) as
real PNGs; once, however often the sweep runs; a sender stopped between the message and the charts
is completed, not repeated; November's report in the general manager's DM, in Chinese."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from models import OutboundMessage
from tests.conftest import START
from tests.test_flows import FLOOR, QUALITY, SALES
from tests.test_sla_slack import scheduler_at

SH = ZoneInfo("Asia/Shanghai")
MANAGERS, GM = "C0MANAGERS", "U0GMHUANG"
MONDAY_NINE = datetime(2026, 11, 23, 9, 0, tzinfo=SH)


def file_two(h):
    """Friday 20 Nov, 10:00: an AA quality complaint (its 2 h first contact is never met) and a
    delivery complaint."""
    scheduler_at(h, START)  # the first sweep this database sees
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked, their line stopped")
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))  # VOC-1, then VOC-2
    h.slack.command(SALES, FLOOR, "BYD: the shipment arrived two days late, no impact on their production")
    h.ws.wait_for(lambda: h.ws.channel_messages("C0PRODUCTION"))
    h.join()
    h.clock.set(START + timedelta(minutes=5))


def posts(h, channel):
    return [m for m in h.ws.channel_messages(channel) if m.metadata or m.files]


def digest_and_charts(h, channel):
    found = posts(h, channel)
    digests = [m for m in found if (m.metadata or {}).get("event_type") == "voc_report"]
    charts = [m for m in found if m.files]
    return digests, charts


def test_mondays_digest_reaches_managers_and_departments_once_with_charts(harness):
    h = harness
    file_two(h)
    scheduler_at(h, MONDAY_NINE)
    [digest], [charts] = digest_and_charts(h, MANAGERS)
    assert digest.blocks[0]["text"]["text"] == "Weekly digest · 2026-W47 (16 Nov – 22 Nov)"
    body = "\n".join(b["text"]["text"] for b in digest.blocks if b["type"] == "section")
    assert "*New:* 2" in body and "AA 1" in body and "*Open:* 2 · *overdue:* 2" in body
    assert "Quality 1 · Delivery 1" in body  # by category, in the policy's order
    assert "VOC-1" in body and "https://emulated.slack.local/archives/C0QUALITY/" in body  # the overdue item, linked
    assert float(charts.ts) > float(digest.ts)
    names = [f["name"] for f in charts.files]
    assert [re.sub(r"-r\d+-", "-", n) for n in names] == ["voc-2026-w47-c0managers-1-categories.png",
                                                        "voc-2026-w47-c0managers-2-on_time.png"]  # -r<row id>-
    uploaded = {f.filename: f.data for f in h.ws.files.values()}
    assert all(uploaded[n].startswith(b"\x89PNG\r\n\x1a\n") for n in names)
    # Quality's own digest: its item only
    [own], [_charts] = digest_and_charts(h, QUALITY)
    assert own.blocks[0]["text"]["text"].endswith("· Quality")
    own_body = "\n".join(b["text"]["text"] for b in own.blocks if b["type"] == "section")
    assert "*New:* 1" in own_body and "VOC-1" in own_body and "VOC-2" not in own_body
    scheduler_at(h, MONDAY_NINE.replace(minute=1))  # the next sweep, and a second scheduler's
    scheduler_at(h, MONDAY_NINE.replace(minute=1))
    assert [len(x) for x in digest_and_charts(h, MANAGERS) + digest_and_charts(h, QUALITY)] == [1, 1, 1, 1]


def test_a_sender_stopped_after_the_message_sends_only_the_charts(harness):
    h = harness
    file_two(h)
    h.ws.fail_next("files.getUploadURLExternal", status=500, times=7)  # every department's and the managers' charts
    scheduler_at(h, MONDAY_NINE)
    digests, charts = digest_and_charts(h, MANAGERS)
    assert len(digests) == 1 and charts == []
    with h.rt.db.session() as s:
        row = s.exec(select(OutboundMessage).where(OutboundMessage.key == "report:2026-W47:C0MANAGERS")).one()
    assert row.status == "pending" and row.attempts == 1
    scheduler_at(h, row.not_before)  # its retry
    digests, charts = digest_and_charts(h, MANAGERS)
    assert len(digests) == 1 and len(charts) == 1


def test_novembers_report_in_the_general_managers_dm_in_chinese(harness):
    h = harness
    file_two(h)
    scheduler_at(h, datetime(2026, 12, 1, 9, 0, tzinfo=SH))
    dm = h.ws.dm_channel(GM)
    [report], [charts] = digest_and_charts(h, dm)
    assert report.blocks[0]["text"]["text"] == "月度服务报告 · 2026-11"
    body = "\n".join(b["text"]["text"] for b in report.blocks if b["type"] == "section")
    assert "*新增：* 2" in body and "退货率：* 未知" in body  # no shipped quantities imported
    assert "新增: 2 · 0 · 0" in body  # November, October, November 2025
    assert [f["name"].rsplit("-", 1)[-1] for f in charts.files] == ["trend.png", "categories.png", "customers.png", "on_time.png",
                                                                     "ledger.xlsx"]
    # the managers' channel has it in English, and W48's digest (Monday 30 Nov) came before it
    titles = [m.blocks[0]["text"]["text"] for m in digest_and_charts(h, MANAGERS)[0]]
    assert titles[-1] == "Monthly service report · 2026-11" and any("2026-W48" in x for x in titles)


def test_a_digest_posted_on_demand_does_not_stand_in_for_the_scheduled_one(harness):
    h = harness
    file_two(h)
    h.slack.command("U0QMWANG", MANAGERS, "week 2026-W47 post", command="/digest")  # Sunday's look, posted
    h.ws.wait_for(lambda: [m for m in h.ws.channel_messages(MANAGERS) if m.files])
    h.join()
    scheduler_at(h, MONDAY_NINE)
    digests, charts = digest_and_charts(h, MANAGERS)
    assert len(digests) == 2 and len(charts) == 2  # Monday's digest has its own charts


def test_an_overdue_item_slack_cannot_link_is_listed_without_a_link(harness):
    h = harness
    file_two(h)
    h.ws.fail_next("chat.getPermalink", status=200, error="channel_not_found", times=12)  # every link, every digest
    scheduler_at(h, MONDAY_NINE)
    [digest], [_charts] = digest_and_charts(h, MANAGERS)
    body = "\n".join(b["text"]["text"] for b in digest.blocks if b["type"] == "section")
    assert "VOC-1" in body and "VOC-2" in body and "https://emulated.slack.local/archives/" not in body
