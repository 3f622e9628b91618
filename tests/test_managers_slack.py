"""What managers do in Slack, over signed requests into the bot and the emulator as Slack: `/digest`
shown to the asker or posted with its charts, `/export ledger` as a file by DM (refused without the
role), the satisfaction survey form and `/satisfaction`, and App Home with its quick actions."""
from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from bot import action_ids as ids
from bot.views.satisfaction import B_CUSTOMER, B_YEAR, SURVEY_MODAL, answer_block_id
from tests.conftest import START
from tests.test_flows import FLOOR, QUALITY, SALES, eph
from tests.test_report_slack import file_two

QM, GM, QE = "U0QMWANG", "U0GMHUANG", "U0QZHOU"


def test_digest_for_the_asker_then_posted_with_its_charts(harness):
    h = harness
    file_two(h)
    h.slack.command(QM, QUALITY, "week quality", command=ids.DIGEST_COMMAND)
    shown = eph(h, QM, "周报")  # the quality manager reads Chinese
    body = json.dumps(shown.blocks, ensure_ascii=False)
    assert "2026-W47" in body and "· 品质部" in body and "截至 2026年11月20日 10:05" in body
    assert "*新增：* 1" in body and "吉利汽车 1" in body and "比亚迪" not in body  # Quality's week so far
    assert h.ws.channel_messages(QUALITY, include_replies=False)[-1].files == []  # nothing posted
    h.slack.command(QM, QUALITY, "month 2026-11 post", command=ids.DIGEST_COMMAND)
    h.ws.wait_for(lambda: [m for m in h.ws.channel_messages(QUALITY) if m.files])
    h.join()
    posted = [m for m in h.ws.channel_messages(QUALITY) if (m.metadata or {}).get("event_type") == "voc_report"]
    assert [m.blocks[0]["text"]["text"] for m in posted] == ["月度服务报告 · 2026-11"]  # no department named: everyone's
    [charts] = [m for m in h.ws.channel_messages(QUALITY) if m.files]
    assert charts.files[-1]["name"].endswith("-ledger.xlsx")  # the month's ledger travels with it


def test_digest_explains_what_it_cannot_make(harness):
    h = harness
    h.slack.command(QM, QUALITY, "week 2026-13-99", command=ids.DIGEST_COMMAND)
    assert "无法生成该报告：2026-13-99" in eph(h, QM, "无法生成").text


def test_the_ledger_by_dm_for_a_manager_and_refused_for_sales(harness):
    h = harness
    file_two(h)
    h.slack.command(SALES, FLOOR, "ledger", command=ids.EXPORT_COMMAND)
    assert "only the quality manager" in eph(h, SALES, "may export").text
    h.slack.command(QM, QUALITY, "ledger 2026-11-01 2026-11-30 csv", command=ids.EXPORT_COMMAND)
    dm = h.ws.dm_channel(QM)
    [sent] = h.ws.wait_for(lambda: [m for m in h.ws.channel_messages(dm) if m.files])
    assert sent.text == "顾客抱怨信息台帐，2026-11-01 至 2026-11-30：共 2 条。"
    [f] = sent.files
    data = next(u.data for u in h.ws.files.values() if u.id == f["id"])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Ref / 编号", "Received / 接收时间", "Customer / 客户"] and [r[0] for r in rows[1:]] == ["VOC-1", "VOC-2"]
    assert [r[2] for r in rows[1:]] == ["Geely Auto", "BYD"]
    h.join()
    assert not [m for m in h.ws.channel_messages(h.ws.dm_channel(SALES)) if m.files]  # sales got no file


def test_a_survey_under_the_threshold_tells_the_quality_manager_once(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "record BYD 2025", command=ids.SURVEY_COMMAND)
    view = h.ws.wait_for(lambda: next((v for v in h.ws.views.values() if v.view.get("callback_id") == SURVEY_MODAL), None))
    values = {B_CUSTOMER: "BYD", B_YEAR: "2025"}
    for item in h.rt.policy.satisfaction.items:  # 4 of 5 satisfied everywhere, except delivery: 2 of 5
        values[answer_block_id(item, "satisfied")] = "2" if item == "delivery" else "4"
        values[answer_block_id(item, "dissatisfied")] = "3" if item == "delivery" else "1"
    h.slack.submit_view(SALES, view.id, values)
    score = eph(h, SALES, "BYD")
    text = json.dumps(score.blocks, ensure_ascii=False)
    assert "40%" in text and "80%" in text  # delivery 2/5, the others 4/5
    assert "Delivery: 40% (2 of 5 satisfied)" in text and "Quality: 80% (4 of 5 satisfied)" in text
    dm = h.ws.dm_channel(QM)
    [told] = h.ws.wait_for(lambda: h.ws.channel_messages(dm))
    assert "比亚迪" in told.text  # to the quality manager, in Chinese
    h.slack.command(QM, QUALITY, "BYD 2025", command=ids.SATISFACTION_COMMAND)
    assert "比亚迪" in eph(h, QM, "比亚迪").text
    h.join()
    assert len(h.ws.channel_messages(dm)) == 1


def test_app_home_shows_the_queue_and_its_quick_actions_answer_by_dm(harness):
    h = harness
    file_two(h)
    h.slack.open_home(QE)  # 10:05: nothing due yet
    home = h.ws.wait_for(lambda: h.ws.homes.get(QE))
    assert "品质部 待办：* 1 项未结 · 0 项逾期" in json.dumps(home.view["blocks"], ensure_ascii=False)
    h.clock.set(START + timedelta(hours=3))  # 13:00: the AA's first contact (due 12:00) is overdue
    h.slack.open_home(QE)  # drawn afresh each time it is opened
    home = h.ws.wait_for(lambda: "1 项逾期" in json.dumps(h.ws.homes[QE].view["blocks"], ensure_ascii=False) and h.ws.homes[QE])
    text = json.dumps(home.view["blocks"], ensure_ascii=False)
    assert "品质部 待办：* 1 项未结 · 1 项逾期" in text and "VOC-1" in text and "VOC-2" not in text
    assert "`2026-W47` ▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇ 1" in text  # this week's one new item, the longest bar
    h.slack.click_in_home(QE, ids.HOME_DIGEST)
    dm = h.ws.dm_channel(QE)
    [digest] = h.ws.wait_for(lambda: h.ws.channel_messages(dm))
    assert digest.blocks[0]["text"]["text"].startswith("周报 · 2026-W47")


def test_odd_requests_get_clear_answers(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "month post", command=ids.DIGEST_COMMAND)
    assert "only those who may export may post" in eph(h, SALES, "may post").text
    h.slack.command(SALES, FLOOR, "year 2030", command=ids.DIGEST_COMMAND)
    assert "“2030” is not a period I can report on: write it like 2026" in eph(h, SALES, "2030").text
    h.slack.command(SALES, FLOOR, "week 0001-W01", command=ids.DIGEST_COMMAND)
    assert "“0001-W01” is not a period" in eph(h, SALES, "0001-W01").text
    h.slack.command(QM, QUALITY, "ledger 2026-01-01 9999-12-31", command=ids.EXPORT_COMMAND)
    assert "9999-12-31" in eph(h, QM, "9999").text
    h.join()
    assert not [m for m in h.ws.channel_messages(FLOOR) if (m.metadata or {}).get("event_type") == "voc_report"]


def test_a_report_that_cannot_be_drawn_is_tried_again_not_stuck(harness):
    from domain import outbox

    h = harness
    with h.rt.db.session() as s:  # a row no sender can render (a period that does not exist)
        outbox.enqueue(s, key="report:broken", intent="report", channel="C0MANAGERS", now=h.clock.now(),
                       data={"kind": "month", "period": "2026-13", "department": None, "language": "en"})
        outbox.enqueue(s, key="report:fine", intent="report", channel="C0MANAGERS", now=h.clock.now(),
                       data={"kind": "month", "period": "2026-10", "department": None, "language": "en"})
    h.service.flush(None)
    rows = {r.key: r for r in h.outbox()}
    assert rows["report:broken"].status == "pending" and rows["report:broken"].attempts == 1
    assert "BadPeriod" in rows["report:broken"].last_error
    assert rows["report:fine"].status == "sent"  # the one behind it was not held up
