"""Intake you can trust: what a person enters or states is kept, corrections work as often as needed,
numbers have no gaps, proposals are not left unseen, idempotency is exact (issue 6)."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot import action_ids as ids
from models import Event, OutboundMessage
from tests.test_desk import desk, sub  # noqa: F401  (the desk fixture on both engines)
from tests.test_flows import FLOOR, QUALITY, SALES, eph, open_view

QE = "U0QZHOU"          # a quality engineer: member of the quality department (policy roles)
OTHER_SALES = "U0SALESLI"    # another salesperson: neither reporter, quality nor a manager


# ---- the domain on its own -------------------------------------------------------------------
def test_a_stated_line_stop_makes_a_complaint_aa_whatever_the_words(desk):  # noqa: F811
    out = desk.submit(sub(text="connectors cracked at incoming inspection", chosen={"line_stopped": True}), confirmed=True)
    item = desk.get(out.item_id)
    assert item.line_stopped and item.severity == "AA"


def test_a_stated_no_beats_the_words_and_the_reason_goes_with_it(desk):  # noqa: F811
    out = desk.submit(sub(text="connectors cracked, their line stopped", chosen={"line_stopped": False}), confirmed=True)
    item = desk.get(out.item_id)
    assert not item.line_stopped and item.severity != "AA"
    assert not [r for r in item.reasons if r.get("rule") == "line_stop"]


def test_numbers_are_given_at_filing_without_gaps(desk):  # noqa: F811
    draft = desk.submit(sub(key="a", text="please call Mr. Zhang back tomorrow"))
    discarded = desk.submit(sub(key="b", text="maybe send a new catalogue"))
    filed = desk.submit(sub(key="c"))
    assert desk.get(draft.item_id).number is None and desk.get(filed.item_id).number == 1
    desk.cancel_draft(discarded.item_id, "U1", "cancel-b")
    desk.confirm_draft(draft.item_id, "U1", "file-a")
    assert desk.get(draft.item_id).number == 2 and desk.get(discarded.item_id).number is None


def test_only_the_request_key_means_duplicate(desk):  # noqa: F811
    first = desk.submit(sub(key="a"))
    draft = desk.submit(sub(key="b", text="please call Mr. Zhang back tomorrow"))
    with desk.db.engine.begin() as conn:  # the counter out of step: the next number is taken
        conn.execute(text("UPDATE reference_counters SET value = 0"))
    with pytest.raises(IntegrityError):
        desk.confirm_draft(draft.item_id, "U1", "file-b")
    assert desk.get(draft.item_id).status == "draft"  # nothing half-done
    assert desk.submit(sub(key="a")).item_id == first.item_id  # a real retry is a duplicate of its own item


def test_facts_are_corrected_by_the_reporter_the_department_or_a_manager_with_an_audit_trail(desk):  # noqa: F811
    out = desk.submit(sub(text="connectors cracked at incoming, 40 pcs"))
    item_id = desk.get(out.item_id).id
    assert desk.correct_facts(item_id, "U1", "c1", {"lot_numbers": ["23-1107"]}).status == "updated"
    assert desk.correct_facts(item_id, QE, "c2", {"quantity": 400, "line_stopped": True}).status == "updated"
    from domain.errors import NotAllowed
    with pytest.raises(NotAllowed):
        desk.correct_facts(item_id, OTHER_SALES, "c3", {"quantity": 1})
    assert desk.correct_facts(item_id, "U0QMWANG", "c4", {"customer": "BYD", "text": "housings cracked"}).status == "updated"
    item = desk.get(item_id)
    assert (item.lot_numbers, item.quantity, item.line_stopped, item.customer_text, item.text) == \
        (["23-1107"], 400, True, "BYD", "housings cracked")
    assert item.severity == "AA"  # a line stop stated later still makes it AA
    with desk.db.session() as s:
        corrected = [e for e in s.exec(select(Event).where(Event.item_id == item_id, Event.action == "corrected"))]
    assert [e.actor for e in corrected] == ["U1", QE, "U0QMWANG"]
    assert corrected[1].detail["changes"]["quantity"] == [40, 400]
    assert corrected[1].detail["changes"]["severity"][1] == "AA"


def _sweep_intents(desk):  # noqa: F811
    with desk.db.session() as s:
        return [(r.key, r.intent) for r in s.exec(select(OutboundMessage).order_by(OutboundMessage.id))]


def test_an_unconfirmed_proposal_is_reminded_once_and_an_aa_one_is_filed_marked_unconfirmed(desk, clock):  # noqa: F811
    quiet = desk.submit(sub(key="q", text="please call Mr. Zhang back tomorrow"))
    critical = desk.submit(sub(key="c", text="the line stopped", customer=None))
    assert desk.get(critical.item_id).status == "draft" and desk.get(critical.item_id).severity == "AA"
    clock.advance(timedelta(minutes=14))
    assert desk.sweep_drafts(clock.now()) == []
    clock.advance(timedelta(minutes=2))
    assert desk.sweep_drafts(clock.now()) == [critical.item_id]
    item = desk.get(critical.item_id)
    assert item.status == "received" and item.unconfirmed and item.number == 1
    clock.advance(timedelta(minutes=20))
    desk.sweep_drafts(clock.now())
    desk.sweep_drafts(clock.now())  # a second scheduler, or the next minute
    reminders = [k for k, intent in _sweep_intents(desk) if k.endswith("draft-reminder")]
    assert reminders == [f"item:{quiet.item_id}:draft-reminder"]
    assert desk.get(quiet.item_id).status == "draft"


# ---- through Slack -----------------------------------------------------------------------------
def test_confirming_a_draft_in_the_form_keeps_everything_entered(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "the connectors are cracked and the line stopped")
    h.slack.click(SALES, eph(h, SALES, ids.EDIT_DRAFT), ids.EDIT_DRAFT)
    h.slack.submit_view(SALES, open_view(h, SALES).id, {
        "customer": "BYD", "text": "connectors cracked at incoming, line NOT stopped", "part_numbers": "HX-2231, HX-2232",
        "lot_numbers": "23-1107", "quantity": "40", "line_stopped": "running", "severity": "A"})
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    [item] = h.items()
    assert (item.text, item.part_numbers, item.lot_numbers, item.quantity, item.line_stopped, item.severity) == \
        ("connectors cracked at incoming, line NOT stopped", ["HX-2231", "HX-2232"], ["23-1107"], 40, False, "A")


def test_a_person_corrects_as_often_as_needed_and_the_thread_is_told(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked, 40 pcs, they want an 8D")
    confirm = eph(h, SALES, "VOC-1")
    for n, quantity in enumerate(("400", "4000"), start=1):
        h.slack.click(SALES, confirm, ids.CORRECT)
        h.slack.submit_view(SALES, open_view(h, SALES).id, {"quantity": quantity})
        h.join()
        assert h.items()[0].quantity == int(quantity)
        assert ids.CORRECT in json.dumps(confirm.blocks)  # the buttons come back each time
    h.slack.click(SALES, confirm, ids.CHANGE)
    h.slack.submit_view(SALES, open_view(h, SALES).id, {"severity": "AA"})
    h.join()
    h.slack.click(SALES, confirm, ids.CHANGE)
    h.slack.submit_view(SALES, open_view(h, SALES).id, {"severity": "A"})
    h.join()
    assert h.items()[0].severity == "A" and ids.UNDO in json.dumps(confirm.blocks)  # still within the window
    assert "VOC-1: A complaint" in confirm.text  # drawn again from the item as it is now
    notes = [m.text for m in h.ws.channel_messages(QUALITY, include_replies=True) if "corrected" in m.text]
    assert len(notes) == 2 and "40 → 400" in notes[0]


def test_stale_proposal_buttons_say_what_happened(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Great Wall: please call Mr. Zhang back tomorrow")
    proposal = eph(h, SALES, ids.FILE_DRAFT)
    old_copy = json.loads(json.dumps(proposal.blocks))
    h.slack.click(SALES, proposal, ids.FILE_DRAFT)
    eph(h, SALES, "Filed VOC-1")
    proposal.blocks = old_copy  # a click on the message as it was drawn before
    h.slack.click(SALES, proposal, ids.CANCEL_DRAFT)
    eph(h, SALES, "already filed as VOC-1")
    h.join()
    assert h.items()[0].status == "received"


def test_an_unexpected_failure_is_retried_then_the_reporter_gets_an_apology_and_nothing_half_done(harness):
    h = harness
    from datetime import timedelta as td

    from workers.requests import sweep

    h.slack.command(SALES, FLOOR, "Geely: connectors cracked, their line stopped")
    eph(h, SALES, "VOC-1")
    with h.rt.db.engine.begin() as conn:  # the counter out of step: every filing now fails in the database
        conn.execute(text("UPDATE reference_counters SET value = 0"))
    h.slack.command(SALES, FLOOR, "BYD: housings cracked, their line stopped")
    for _ in range(2):  # the inbox's back-off, in virtual time; the scheduler's sweep takes the retry
        h.join()
        h.clock.advance(td(seconds=10))
        sweep.send()
    h.join()
    eph(h, SALES, "Sorry, something went wrong on our side")
    with h.rt.db.session() as s:
        from models import InboundRequest

        attempts = [(r.status, r.attempts) for r in s.exec(select(InboundRequest).order_by(InboundRequest.id))]
    assert attempts == [("done", 1), ("failed", 3)]
    assert len(h.items()) == 1  # the failed filing left nothing behind


def test_each_reader_sees_the_customer_in_their_language(harness):
    h = harness
    h.slack.command("U0SALESLI", FLOOR, "Geely Ningbo: 连接器开裂，客户停线了")  # a zh-CN salesperson
    confirm = eph(h, "U0SALESLI", "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    assert "吉利汽车" in confirm.text and "Geely Auto" not in confirm.text
    assert "Geely Auto" in parent.text  # the department channel speaks the company language (en)


def test_the_department_corrects_from_the_thread_and_the_thread_shows_it(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked at incoming, 40 pcs")
    confirm = eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.slack.click(QE, parent, ids.CORRECT)
    h.slack.submit_view(QE, open_view(h, QE).id, {"quantity": "400", "lot_numbers": "23-1107"})
    answer = eph(h, QE, "VOC-1")  # answered to the engineer (in Chinese, their language), beside the thread
    assert "40 → 400" in answer.text and "客户" not in answer.text  # "Geely Auto" in the form is the same customer
    h.join()
    item = h.items()[0]
    assert (item.quantity, item.lot_numbers) == (400, ["23-1107"])
    assert "23-1107" in json.dumps(parent.blocks) and ids.CORRECT in json.dumps(parent.blocks)  # redrawn, buttons kept
    assert [m for m in h.ws.thread(QUALITY, parent.ts) if "corrected" in m.text and "40 → 400" in m.text]
    assert "VOC-1" in confirm.text and ids.UNDO in json.dumps(confirm.blocks)  # the reporter's message untouched


def test_a_member_of_the_departments_slack_user_group_may_correct(harness):
    h = harness
    h.ws.add_user("U0QNEWBIE", "quality-newbie", "New Engineer (Quality)", locale="en-US")
    h.ws.usergroups["S0QUALITY"]["users"].append("U0QNEWBIE")  # in the Slack group, in no policy list
    h.ws.channels[QUALITY]["members"].append("U0QNEWBIE")
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked at incoming, 40 pcs")
    eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.slack.click("U0QNEWBIE", parent, ids.CORRECT)
    h.slack.submit_view("U0QNEWBIE", open_view(h, "U0QNEWBIE").id, {"quantity": "41"})
    h.join()
    assert h.items()[0].quantity == 41
    assert h.ws.calls_to("usergroups.users.list")
