"""Buttons, modals, the message shortcut and DMs — signed block actions, view submissions and events."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot import action_ids as ids
from models import Event

SALES, SALES_ZH, QM = "U0SALESEMMA", "U0SALESLI", "U0QMWANG"
FLOOR, QUALITY, PRODUCTION = "C0SALESFLOOR", "C0QUALITY", "C0PRODUCTION"


def eph(h, user, needle, count=1):
    return h.ws.wait_for(lambda: (found := [e for e in h.ws.ephemerals_for(user) if needle in json.dumps(e.blocks or []) + e.text])
                         and len(found) >= count and found)[-1]


def open_view(h, user, count=1):
    return h.ws.wait_for(lambda: len(found := [v for v in h.ws.views.values() if v.user == user and v.open]) >= count and found)[-1]


def file_line_stop(h, user=SALES):
    h.slack.command(user, FLOOR, "Geely: connectors cracked, their line stopped")
    return eph(h, user, "VOC-1")


def test_unsure_proposal_then_file_it_once_even_when_double_clicked(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Great Wall: please call Mr. Zhang back tomorrow")
    proposal = eph(h, SALES, ids.FILE_DRAFT)
    assert "not sure" in proposal.text.lower()
    [draft] = h.items()
    departments = ("C0SALES", "C0QUALITY", "C0PRODUCTION")
    assert draft.status == "draft" and not any(h.ws.channel_messages(c) for c in departments)  # nothing posted yet
    h.slack.click(SALES, proposal, ids.FILE_DRAFT)
    h.slack.click(SALES, proposal, ids.FILE_DRAFT)
    eph(h, SALES, "Filed VOC-1")
    h.join()  # the second click too, before counting
    [item] = h.items()
    assert item.status == "received" and item.channel_id in departments
    h.ws.wait_for(lambda: h.ws.channel_messages(item.channel_id))
    assert [len(h.ws.channel_messages(c)) for c in departments].count(1) == 1  # one thread, in one channel
    assert sum(len(h.ws.channel_messages(c)) for c in departments) == 1


def test_no_customer_named_asks_and_the_form_completes_the_draft(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "the connectors are cracked and the line stopped")
    proposal = eph(h, SALES, ids.EDIT_DRAFT)
    assert ids.FILE_DRAFT not in json.dumps(proposal.blocks)  # cannot file without a customer
    assert "Which customer" in json.dumps(proposal.blocks)
    h.slack.click(SALES, proposal, ids.EDIT_DRAFT)
    view = open_view(h, SALES)
    assert "cracked" in json.dumps(view.view["blocks"])
    sent = h.slack.submit_view(SALES, view.id, {"customer": ""})
    assert sent.response_json["response_action"] == "errors" and "customer" in sent.response_json["errors"]
    h.slack.submit_view(SALES, view.id, {"customer": "吉利汽车"})
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    assert "Geely Auto" in parent.text
    [item] = h.items()
    assert item.status == "received" and item.severity == "AA"


def test_feedback_alone_opens_the_form_and_the_form_files_what_was_chosen(harness):
    h = harness
    sent = h.slack.command(SALES, FLOOR, "")
    assert sent.status == 200 and not sent.ack_text
    view = open_view(h, SALES)
    assert view.view["callback_id"] == ids.FEEDBACK_MODAL
    sent = h.slack.submit_view(SALES, view.id, {"customer": "BYD", "text": "40 housings with burrs", "quantity": "forty"})
    assert "quantity" in sent.response_json["errors"]
    h.slack.submit_view(SALES, view.id, {"customer": "BYD", "text": "40 housings with burrs", "quantity": "40",
                                         "part_numbers": "HX-2231, HX-2232", "severity": "A", "line_stopped": []})
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    [item] = h.items()
    assert (item.source, item.severity, item.quantity, item.part_numbers) == ("slash", "A", 40, ["HX-2231", "HX-2232"])
    assert item.confidence == 1.0  # the person chose the values


def test_message_shortcut_opens_the_form_with_the_message_text(harness):
    h = harness
    msg = h.slack.post_message(SALES, FLOOR, "BYD: shipment of 500 pcs arrived 3 days late, they had to expedite")
    h.slack.message_shortcut(SALES, msg, ids.SHORTCUT_LOG)
    view = open_view(h, SALES)
    blocks = json.dumps(view.view["blocks"], ensure_ascii=False)
    assert "arrived 3 days late" in blocks and '"value": "delivery"' in blocks  # classifier preselected
    h.slack.submit_view(SALES, view.id, {})
    h.ws.wait_for(lambda: h.ws.channel_messages(PRODUCTION))
    [item] = h.items()
    assert (item.source, item.source_message_ts, item.customer_text) == ("shortcut", msg.ts, "BYD")


def test_changing_the_department_moves_the_thread(harness):
    h = harness
    confirm = file_line_stop(h)
    [old_parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.slack.click(SALES, confirm, ids.CHANGE)
    view = open_view(h, SALES)
    assert view.view["callback_id"] == ids.RECLASSIFY_MODAL
    h.slack.submit_view(SALES, view.id, {"category": "delivery", "department": "production"})
    [new_parent] = h.ws.wait_for(lambda: h.ws.channel_messages(PRODUCTION))
    h.ws.wait_for(lambda: old_parent.edited)
    assert "C0PRODUCTION" in json.dumps(old_parent.blocks)  # the old thread points to the new one
    h.ws.wait_for(lambda: h.ws.thread(PRODUCTION, new_parent.ts))
    eph(h, SALES, "VOC-1 updated")
    [item] = h.items()
    assert (item.department, item.channel_id, item.thread_ts) == ("production", PRODUCTION, new_parent.ts)
    with h.rt.db.session() as s:
        ev = s.exec(select(Event).where(Event.action == "reclassified")).one()
    assert ev.actor == SALES and ev.detail["changes"]["department"] == ["quality", "production"]


def test_lowering_severity_in_the_same_department_updates_the_thread_and_deadlines(harness):
    h = harness
    confirm = file_line_stop(h)
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    # The reporter may not lower an AA complaint (issue 16): change_severity is a manager's, with a reason.
    h.slack.click(SALES, confirm, ids.CHANGE)
    h.slack.submit_view(SALES, open_view(h, SALES).id, {"severity": "B"})
    eph(h, SALES, "Only a manager")
    h.join()
    assert h.items()[0].severity == "AA"
    h.slack.click(QM, parent, ids.CHANGE)  # the owning department's manager, from the thread parent
    h.slack.submit_view(QM, open_view(h, QM).id, {"severity": "B", "reason": "one box only, their line runs"})
    notes = h.ws.wait_for(lambda: [m for m in h.ws.thread(QUALITY, parent.ts) if "changed the classification" in m.text])
    assert "AA — critical → B — general" in notes[0].text and "one box only, their line runs" in notes[0].text
    h.ws.wait_for(lambda: parent.edited)
    assert "Level B (problem B, customer normal)" in json.dumps(parent.blocks, ensure_ascii=False)
    assert "because" not in json.dumps(parent.blocks)  # the classifier's AA reason no longer applies


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_undo_withdraws_without_deleting_and_is_refused_after_the_window(harness):
    h = harness
    confirm = file_line_stop(h)
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.slack.click(SALES, confirm, ids.UNDO)
    h.ws.wait_for(lambda: "withdrawn" in confirm.text)
    h.ws.wait_for(lambda: parent.edited and [m for m in h.ws.thread(QUALITY, parent.ts) if "withdrew" in m.text])
    [item] = h.items()
    assert item.status == "withdrawn" and item.withdrawn_at == h.clock.now()

    # a second item, undone too late
    h.slack.command(SALES, FLOOR, "BYD: housings cracked again, they want an 8D")  # A, plainly
    second = eph(h, SALES, "VOC-2")
    h.clock.advance(timedelta(minutes=11))
    h.slack.click(SALES, second, ids.UNDO)
    eph(h, SALES, "more than 10 minutes")  # said beside the confirmation ...
    h.join()
    assert h.items()[1].status == "received"
    # ... which keeps its buttons: corrections stay possible after the undo window
    assert "voc_change_classification" in json.dumps(second.blocks) and "voc_correct_details" in json.dumps(second.blocks)


def test_only_the_reporter_or_a_manager_may_change_an_item(harness):
    h = harness
    confirm = file_line_stop(h)
    h.slack.click("U0SALESLI", confirm, ids.UNDO)  # another salesperson clicking the reporter's button
    h.ws.wait_for(lambda: [r for r in h.ws.responses if "只有反馈人" in r[1].get("text", "")])  # in their language
    assert h.items()[0].status == "received"
    h.slack.click("U0QMWANG", confirm, ids.CHANGE)  # the quality manager may change it, saying why
    h.slack.submit_view("U0QMWANG", open_view(h, "U0QMWANG").id, {"severity": "A", "reason": "no line stop after all"})
    h.join()
    assert h.items()[0].severity == "A"


def test_a_dm_to_the_bot_is_filed_and_a_retried_event_is_not(harness):
    h = harness
    _msg, sent = h.slack.dm(SALES_ZH, "比亚迪：交货延迟三天，客户很不满意，线没停")
    assert sent.status == 200
    h.ws.wait_for(lambda: h.ws.channel_messages(PRODUCTION))
    h.slack.post(sent, retry_num=1)
    confirm = eph(h, SALES_ZH, "已登记")
    assert confirm.channel == "D0SALESLI"
    h.join()  # the retried event too, before counting
    assert len(h.items()) == 1 and len(h.ws.channel_messages(PRODUCTION)) == 1
    h.slack.dm(SALES_ZH, "你好")
    eph(h, SALES_ZH, "请这样告诉我")


def test_bot_messages_in_a_dm_are_ignored(harness):
    h = harness
    channel = h.ws.dm_channel(SALES)
    # another app's bot user writing in the DM: its events carry a user id as well as the bot_id
    h.slack.event({"type": "message", "channel": channel, "channel_type": "im", "user": "U0OTHERBOT", "bot_id": "B0OTHER",
                   "text": "Geely: connectors cracked, their line stopped", "ts": "1.1"})
    h.slack.event({"type": "message", "subtype": "message_changed", "channel": channel, "channel_type": "im", "ts": "1.2"})
    h.join()  # the worker has processed both events
    assert h.items() == []
