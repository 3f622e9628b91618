"""Acknowledged input is never lost to a number: a quantity, a count or a reference the database could
not hold is answered in the ack (in the person's language) or stored whole, a value the database still
refuses is a clear answer and not three retries, and the apology after failed work says what is true."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot import action_ids as ids
from models import InboundRequest
from tests.test_flows import FLOOR, SALES, SALES_ZH, eph, open_view
from tests.test_thread_lifecycle import QE, file_line_stop, press


def requests(h) -> list[tuple[str, str, int]]:
    """Every stored request: (kind, status, attempts)."""
    h.join()
    with h.rt.db.session() as s:
        return [(r.kind, r.status, r.attempts) for r in s.exec(select(InboundRequest).order_by(InboundRequest.id))]


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_a_quantity_in_the_billions_is_filed_and_one_past_any_count_is_not_read_as_one(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Geely: 3,000,000,000 pcs of connectors cracked, their line stopped")
    eph(h, SALES, "VOC-1")
    h.slack.command(SALES, FLOOR, "BYD: 90,000,000,000,000,000,000 pcs rusty housings, they used them anyway")
    eph(h, SALES, "VOC-2")
    first, second = h.items()
    assert (first.quantity, first.quantity_unit) == (3_000_000_000, "pcs")
    assert second.quantity is None and second.text == "90,000,000,000,000,000,000 pcs rusty housings, they used them anyway"  # the text is whole
    assert requests(h) == [("slash.feedback", "done", 1)] * 2


def test_a_containment_count_that_is_no_plain_number_is_answered_in_the_form(harness):
    h = harness
    parent = file_line_stop(h)
    h.slack.click(QE, parent, ids.step("take_ownership"))
    h.join()
    press(h, QE, parent, "record_containment")
    view_id = open_view(h, QE).id
    form = {"sorting_method": "100% gauge check", "countermeasure": "Green dot"}
    sent = h.slack.submit_view(QE, view_id, {**form, "stock_checked": "²", "stock_bad": "1" * 19})
    assert sent.response_json == {"response_action": "errors", "errors": {  # the QE reads Chinese
        "stock_checked": "请输入0或正整数。", "stock_bad": "最多 999,999,999,999。"}}
    sent = h.slack.submit_view(QE, view_id, {**form, "stock_checked": "١٢٠٠", "stock_bad": "3"})  # Arabic-Indic digits are digits
    assert sent.response_json is None or sent.response_json.get("response_action") != "errors"
    h.join()
    assert h.items()[0].status == "contained"
    assert [r for r in requests(h) if r[1] != "done" or r[2] != 1] == []


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_a_correction_with_an_overflowing_quantity_is_answered_in_the_form_in_the_persons_language(harness):
    h = harness
    for user, said, expected in ((SALES, "Geely: connectors cracked at incoming, 40 pcs", "At most 999,999,999,999."),
                                 (SALES_ZH, "吉利：来料检验发现连接器开裂，40件", "最多 999,999,999,999。")):
        h.slack.command(user, FLOOR, said)
        confirm = eph(h, user, "VOC-")
        h.slack.click(user, confirm, ids.CORRECT)
        view = open_view(h, user)
        sent = h.slack.submit_view(user, view.id, {"quantity": "99999999999999999999"})
        assert sent.response_json == {"response_action": "errors", "errors": {"quantity": expected}}  # no doubled label
        h.slack.submit_view(user, view.id, {"quantity": "3,000,000,000"})
        h.join()
    assert [i.quantity for i in h.items()] == [3_000_000_000, 3_000_000_000]
    assert [r for r in requests(h) if r[1] != "done" or r[2] != 1] == []


def test_a_quantity_that_is_no_number_is_answered_without_repeating_the_fields_label(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked at incoming, 40 pcs")
    h.slack.click(SALES, eph(h, SALES, "VOC-1"), ids.CORRECT)
    sent = h.slack.submit_view(SALES, open_view(h, SALES).id, {"quantity": "forty"})
    assert sent.response_json["errors"] == {"quantity": "A whole number, 0 or more."}


def test_a_reference_beyond_any_number_is_answered_in_the_ack(harness):
    h = harness
    sent = h.slack.command(SALES, FLOOR, "VOC-2147483648", command=ids.COMPLAINT_COMMAND)
    assert sent.ack_text == "There is no VOC-2147483648. Write it as VOC-42 or 42."
    sent = h.slack.command(SALES_ZH, FLOOR, "VOC-² 历史", command=ids.COMPLAINT_COMMAND)
    assert sent.ack_text == "没有 VOC-²。请写成 VOC-42 或 42。"
    sent = h.slack.command(SALES, FLOOR, "<!channel>", command=ids.COMPLAINT_COMMAND, markup=True)
    assert sent.ack_text == "There is no @channel. Write it as VOC-42 or 42."  # as text, never a broadcast
    assert requests(h) == []  # nothing to do after the ack


def test_a_value_the_database_refuses_is_a_clear_answer_not_three_retries(harness):
    h = harness
    with h.rt.db.engine.begin() as conn:  # a column narrower than what passed every check (as before migration 0021)
        conn.execute(text("ALTER TABLE feedback_items ALTER COLUMN quantity TYPE integer"))
    try:
        h.slack.command(SALES, FLOOR, "Geely: 3,000,000,000 pcs of connectors cracked, their line stopped")
        refusal = eph(h, SALES, ":warning:")
        assert refusal.text == (":warning: A number in what you sent is out of range and could not be stored. Check it and "
                                "send it again.\nHere is what you sent, to send again:\n"
                                "> Geely: 3,000,000,000 pcs of connectors cracked, their line stopped")
        assert requests(h) == [("slash.feedback", "done", 1)]  # answered at once: no retries, no apology
        assert h.items() == []
    finally:
        with h.rt.db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE feedback_items ALTER COLUMN quantity TYPE bigint"))


@pytest.mark.parametrize("user, said, apology, kept", [
    (SALES, "BYD: housings <cracked> & rusty, their line stopped",
     "could not be completed. Please try again in a minute.\nHere is what you sent, to send again:\n"
     "> BYD: housings &lt;cracked&gt; &amp; rusty, their line stopped", "kept"),
    (SALES_ZH, "比亚迪：外壳<开裂> & 生锈，客户停线",
     "此操作未能完成。请稍后再试。\n以下是您发送的内容，可复制后重新发送：\n> 比亚迪：外壳&lt;开裂&gt; &amp; 生锈，客户停线", "保留")])
def test_the_apology_after_failed_work_hands_the_input_back_and_claims_nothing_kept(harness, user, said, apology, kept):
    from workers.requests import sweep

    h = harness
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked, their line stopped")
    eph(h, SALES, "VOC-1")
    with h.rt.db.engine.begin() as conn:  # the counter out of step: every filing now fails in the database
        conn.execute(text("UPDATE reference_counters SET value = 0"))
    h.slack.command(user, FLOOR, said)
    for _ in range(2):  # the inbox's back-off, in virtual time; the scheduler's sweep takes the retry
        h.join()
        h.clock.advance(timedelta(seconds=10))
        sweep.send()
    sorry = eph(h, user, apology)  # the words come back as typed, escaped once
    assert kept not in sorry.text
    assert requests(h)[-1] == ("slash.feedback", "failed", 3)
    assert [i.number for i in h.items()] == [1]
