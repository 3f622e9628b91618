"""`/complaint`: one item's card and its audit trail, in the reader's language, for anyone."""
from __future__ import annotations

import json

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
    assert text.index("登记") < text.index("认领") < text.index("更正信息")  # oldest first

    h.slack.command("U0SALESLIU", FLOOR, "1", command=ids.COMPLAINT_COMMAND)  # anyone may read; "1" = VOC-1
    card = eph(h, "U0SALESLIU", "吉利汽车")
    assert "400" in json.dumps(card.blocks, ensure_ascii=False) and ids.TAKE_OWNERSHIP not in json.dumps(card.blocks)


def test_an_unknown_reference_and_help(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "VOC-99", command=ids.COMPLAINT_COMMAND)
    eph(h, SALES, "There is no VOC-99")
    sent = h.slack.command(SALES, FLOOR, "help", command=ids.COMPLAINT_COMMAND)
    assert "/complaint VOC-42 history" in sent.ack_text
