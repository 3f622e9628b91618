"""The customer's urgency over real HTTP: the /feedback form has an urgency select that lifts the
level; the DM conversation asks "How urgent is it for the customer?" (buttons) only when AA is not
already decided and nothing was said; the department's Set urgency form from the thread."""
from __future__ import annotations

import json

from bot import action_ids as ids
from tests.test_dm_conversation import answer_button, bot_says
from tests.test_flows import FLOOR, QUALITY, SALES, SALES_ZH, eph, open_view


def test_the_feedback_form_has_an_urgency_select_that_lifts_the_level(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "")
    view = open_view(h, SALES)
    blocks = view.view["blocks"]
    urgency = next(b for b in blocks if b["block_id"] == "urgency")
    assert [o["value"] for o in urgency["element"]["options"]] == ["normal", "urgent", "very_urgent"]
    h.slack.submit_view(SALES, view.id, {"customer": "BYD", "text": "a few light scratches on the covers", "severity": "B",
                                         "kind": "complaint", "category": "quality", "urgency": "very_urgent"})
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    [item] = h.items()
    assert (item.problem_severity, item.urgency, item.urgency_source, item.severity) == ("B", "very_urgent", "reporter", "AA")
    assert "Level AA (problem B, customer very urgent)" in json.dumps(parent.blocks)


def test_the_dm_asks_how_urgent_when_nothing_was_said_and_the_answer_lifts_the_level(harness):
    h = harness
    h.slack.dm(SALES, "BYD: 20 brackets bent at incoming inspection, they want an 8D")  # A: no AA to ask about
    bot_says(h, SALES, "Which part or lot numbers?")
    h.slack.dm(SALES, "HX-2231")
    line = bot_says(h, SALES, "Is the customer's line stopped?")
    h.slack.click(SALES, line, answer_button(line, "No")["action_id"])
    question = bot_says(h, SALES, "How urgent is it for the customer?")
    h.slack.click(SALES, question, answer_button(question, "Very urgent (AA, 24 h)")["action_id"])
    eph(h, SALES, "VOC-1")
    [item] = h.items()
    assert (item.urgency, item.urgency_source, item.severity, item.status) == ("very_urgent", "reporter", "AA", "received")
    assert item.problem_severity != "AA"


def test_the_dm_does_not_ask_when_the_words_said_it_and_a_chinese_answer_is_read(harness):
    h = harness
    h.slack.dm(SALES_ZH, "比亚迪：支架变形20件，客户说不急")
    bot_says(h, SALES_ZH, "涉及哪些零件号或批号？")
    h.slack.dm(SALES_ZH, "HX-2231")
    bot_says(h, SALES_ZH, "客户是否已停线？")
    h.slack.dm(SALES_ZH, "没有")
    h.ws.wait_for(lambda: h.items()[0].status != "draft" or any(  # filed, or proposed when not sure enough
        ids.FILE_DRAFT in json.dumps(e.blocks or []) for e in h.ws.ephemerals_for(SALES_ZH)))
    assert not [m for m in h.ws.channel_messages(h.ws.dm_channel(SALES_ZH)) if "客户要求有多紧急" in json.dumps(m.blocks or [], ensure_ascii=False)]
    [item] = h.items()
    assert (item.urgency, item.urgency_source) == ("normal", "text")


def test_a_free_text_answer_in_chinese_sets_the_urgency(harness):
    h = harness
    h.slack.dm(SALES_ZH, "比亚迪：支架变形20件")
    bot_says(h, SALES_ZH, "涉及哪些零件号或批号？")
    h.slack.dm(SALES_ZH, "HX-2231")
    bot_says(h, SALES_ZH, "客户是否已停线？")
    h.slack.dm(SALES_ZH, "没有")
    bot_says(h, SALES_ZH, "客户要求有多紧急？")
    h.slack.dm(SALES_ZH, "紧急")
    h.ws.wait_for(lambda: h.items()[0].status != "draft" or any(
        ids.FILE_DRAFT in json.dumps(e.blocks or []) for e in h.ws.ephemerals_for(SALES_ZH)))
    [item] = h.items()
    assert (item.urgency, item.urgency_source) == ("urgent", "reporter")
    assert item.severity in ("A", "AA") and item.severity == ("AA" if item.problem_severity == "AA" else "A")


def test_the_department_sets_the_urgency_from_the_thread_menu_and_the_parent_and_thread_follow(harness):
    from tests.test_thread_lifecycle import QE, do, notes

    h = harness
    h.slack.command(SALES, FLOOR, "BYD: a few light scratches on the covers, please improve")
    eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.join()
    assert "Level B (problem B, customer normal)" in json.dumps(parent.blocks)
    do(h, QE, parent, "set_urgency", {"urgency": "very_urgent", "reason": "SQE: their audit is tomorrow"})
    h.ws.wait_for(lambda: "Level AA (problem B, customer very urgent)" in json.dumps(parent.blocks))
    assert any("Level AA (problem B, customer very urgent) — SQE: their audit is tomorrow" in n for n in notes(h, parent))
    [item] = h.items()
    assert (item.severity, item.urgency_source) == ("AA", "department")
