"""`/complaint`: one item's card and its audit trail, in the reader's language, for anyone."""
from __future__ import annotations

import json

from sqlmodel import select

from bot import action_ids as ids
from tests.test_flows import FLOOR, QUALITY, SALES, eph, open_view

QE, QM = "U0QZHOU", "U0QMWANG"


def test_an_items_card_and_its_history_in_the_readers_language(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked at incoming, 40 pcs")
    confirm = eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.slack.click(QE, parent, ids.TAKE_OWNERSHIP)
    h.join()
    h.slack.click(SALES, confirm, ids.CORRECT)
    h.slack.submit_view(SALES, open_view(h, SALES).id, {"quantity": "400"})
    h.join()

    sent = h.slack.command(QM, FLOOR, "VOC-1 history", command=ids.COMPLAINT_COMMAND)
    assert sent.status == 200
    history = eph(h, QM, "VOC-1 的历史记录")  # the QM reads Chinese
    text = json.dumps(history.blocks, ensure_ascii=False)
    for expected in ("收到", "登记", "认领", "状态: 已受理 → 已确认", "更正信息", "数量: 40 → 400", f"<@{QE}>", f"<@{SALES}>"):
        assert expected in text, expected
    assert text.index("更正信息") < text.index("认领") < text.index("登记")  # newest first

    h.slack.command("U0SALESLIU", FLOOR, "1", command=ids.COMPLAINT_COMMAND)  # anyone may read; "1" = VOC-1
    card = eph(h, "U0SALESLIU", "吉利汽车")
    assert "400" in json.dumps(card.blocks, ensure_ascii=False) and ids.TAKE_OWNERSHIP not in json.dumps(card.blocks)


def test_an_unknown_reference_and_help(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "VOC-99", command=ids.COMPLAINT_COMMAND)
    eph(h, SALES, "There is no VOC-99")
    sent = h.slack.command(SALES, FLOOR, "help", command=ids.COMPLAINT_COMMAND)
    assert "/complaint VOC-42 history" in sent.ack_text


def test_the_history_of_a_long_lived_item_shows_the_newest_first_and_pages_to_the_oldest(harness):
    """A year of work: 1,005 events. The first page is the latest; Older walks back to the first."""
    from datetime import timedelta

    from models import Event

    h = harness
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked at incoming, 40 pcs")
    eph(h, SALES, "VOC-1")
    h.join()
    item = h.items()[0]
    with h.rt.db.session() as s:
        filed = len(s.exec(select(Event).where(Event.item_id == item.id)).all())
        for n in range(1005 - filed):  # notes in the thread, one an hour, each saying which it was
            s.add(Event(item_id=item.id, actor=QE, action="corrected", at=item.received_at + timedelta(hours=n + 1),
                        detail={"changes": {"quantity": [n, n + 1]}}))
    last = 1005 - filed - 1
    h.slack.command(QM, FLOOR, "VOC-1 history", command=ids.COMPLAINT_COMMAND)
    page = eph(h, QM, ids.HISTORY_OLDER)
    text = json.dumps(page.blocks, ensure_ascii=False)
    assert "第 1–40 条，共 1005 条，最新的在前" in text
    assert text.index(f"数量: {last} → {last + 1}") < text.index(f"数量: {last - 1} → {last}")  # newest first
    assert f"数量: {last - 40} → " not in text and "登记" not in text and ids.HISTORY_NEWER not in text
    seen = 40
    while ids.HISTORY_OLDER in json.dumps(page.blocks):
        h.slack.click(QM, page, ids.HISTORY_OLDER)
        seen = min(seen + 40, 1005)
        shown = f"第 {seen - 39 if seen < 1005 else 1001}–{seen} 条"
        h.ws.wait_for(lambda shown=shown: shown in json.dumps(page.blocks, ensure_ascii=False))
    text = json.dumps(page.blocks, ensure_ascii=False)
    assert seen == 1005 and "第 1001–1005 条" in text and "登记" in text and "收到" in text  # the oldest, at last
    h.slack.click(QM, page, ids.HISTORY_NEWER)
    h.ws.wait_for(lambda: "第 961–1000 条" in json.dumps(page.blocks, ensure_ascii=False))
