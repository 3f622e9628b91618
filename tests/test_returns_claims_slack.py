"""Returned goods and claims over signed HTTP into the bot, the emulator as Slack: `/return VOC-1` and
`/claim VOC-1` open the same forms as the thread's menu; each record's steps are done from the thread
with the table's role checks; a claim accepted above the policy's amount asks the general manager by
DM (Approve / Send back…) and is paid only once approved; below it nobody is asked."""
from __future__ import annotations

from sqlmodel import select

from bot import action_ids as ids
from models import Claim, Event, ReturnedGoods
from tests.test_flows import QUALITY, SALES, eph
from tests.test_thread_lifecycle import GM, QE, QM, asked, dms, do, file_line_stop, notes, press

PROD = "U0PRODZHAO"  # production (demo workspace): not the line stop's department
DAY = "2026-11-20"  # the harness's today (tests/conftest.py START, company time)


def command_form(h, user, command, text, values):
    """A command that opens a form: wait for the form, fill it in, wait until the bot is done."""
    before = {v for v, view in h.ws.views.items() if view.user == user}
    h.slack.command(user, QUALITY, text, command=command)
    view_id = h.ws.wait_for(lambda: [v for v, view in h.ws.views.items() if view.user == user and v not in before])[0]
    sent = h.slack.submit_view(user, view_id, values)
    assert sent.status == 200 and (sent.response_json or {}).get("response_action") != "errors", sent.response_json
    h.join()


def trail(h, word):
    with h.rt.db.session() as s:
        return [(e.action, e.actor) for e in s.exec(select(Event).order_by(Event.id)) if word in e.action]


def test_a_return_is_recorded_with_the_command_and_worked_from_the_thread(harness):
    h = harness
    parent = file_line_stop(h)
    command_form(h, SALES, ids.RETURN_COMMAND, "VOC-1", {"quantity": "1,200", "received_on": DAY, "note": "<@U0GMHUANG> 2 pallets"})
    with h.rt.db.session() as s:
        ret = s.exec(select(ReturnedGoods)).one()
        assert (ret.quantity, ret.state, ret.note) == (1200, "received", "<@U0GMHUANG> 2 pallets")  # text is data
    # Production is not the complaint's department: refused, said in the thread's language, nothing recorded.
    press(h, PROD, parent, "inspect_return")  # refused before a form opens
    eph(h, PROD, "责任部门")
    do(h, QE, parent, "inspect_return", {"return_id": str(ret.id), "inspection": "confirmed"})
    do(h, QE, parent, "dispose_return", {"return_id": str(ret.id), "disposition": "scrap"})
    do(h, SALES, parent, "ship_return", {"return_id": str(ret.id), "shipped": "replacement"})
    with h.rt.db.session() as s:
        ret = s.exec(select(ReturnedGoods)).one()
        assert (ret.state, ret.inspection, ret.disposition, ret.shipped) == ("closed", "confirmed", "scrap", "replacement")
    assert trail(h, "return") == [("lifecycle.record_return", SALES), ("lifecycle.inspect_return", QE),
                                  ("lifecycle.dispose_return", QE), ("lifecycle.ship_return", SALES)]
    assert any("Credit or replacement shipped" in n for n in notes(h, parent))


def test_the_command_answers_a_bad_quantity_in_the_form_and_an_unknown_complaint_at_once(harness):
    h = harness
    file_line_stop(h)
    before = set(h.ws.views)
    h.slack.command(SALES, QUALITY, "VOC-1", command=ids.RETURN_COMMAND)
    view_id = h.ws.wait_for(lambda: [v for v in h.ws.views if v not in before])[0]
    sent = h.slack.submit_view(SALES, view_id, {"quantity": "a lot", "received_on": DAY})
    assert sent.response_json["response_action"] == "errors" and set(sent.response_json["errors"]) == {"quantity"}
    answer = h.slack.command(SALES, QUALITY, "VOC-x1", command=ids.CLAIM_COMMAND)
    assert "VOC-x1" in answer.ack_text
    assert "/claim VOC-12" in h.slack.command(SALES, QUALITY, "help", command=ids.CLAIM_COMMAND).ack_text
    h.slack.command(SALES, QUALITY, "VOC-77", command=ids.CLAIM_COMMAND)
    eph(h, SALES, "VOC-77")
    h.join()
    with h.rt.db.session() as s:
        assert not s.exec(select(ReturnedGoods)).all() and not s.exec(select(Claim)).all()


def test_a_claim_above_the_amount_is_paid_once_the_general_manager_approves_it(harness):
    h = harness
    parent = file_line_stop(h)
    command_form(h, SALES, ids.CLAIM_COMMAND, "VOC-1", {"claim_type": "line_stop", "amount": "250,000.00", "currency": "CNY"})
    do(h, QE, parent, "review_claim", {"claim_id": "1"})
    press(h, QE, parent, "accept_claim")
    eph(h, QE, "经理")  # accepting a cost is a manager's
    do(h, QM, parent, "accept_claim", {"claim_id": "1"})
    request = asked(h, GM, "#1")
    assert request.text.startswith(f"<@{QM}> ") and "CNY 250,000.00" in request.text
    press(h, QM, parent, "pay_claim")
    eph(h, QM, "总经理")
    h.slack.click(QM, request, ids.step("approve_claim"))  # not the general manager: refused
    eph(h, QM, "总经理")
    h.slack.click(GM, request, ids.step("approve_claim"))
    h.join()
    assert ids.step("approve_claim") not in str(request.blocks)  # answered in place
    assert notes(h, parent)[-1] == f":white_check_mark: <@{GM}> approved claim #1 (Line-stop cost, CNY 250,000.00): it may be paid."
    do(h, QM, parent, "pay_claim", {"claim_id": "1", "paid_on": DAY})
    with h.rt.db.session() as s:
        assert s.exec(select(Claim.state)).one() == "paid"
    assert trail(h, "claim") == [("lifecycle.record_claim", SALES), ("lifecycle.review_claim", QE),
                                 ("lifecycle.accept_claim", QM), ("lifecycle.approve_claim", GM), ("lifecycle.pay_claim", QM)]


def test_a_claim_below_the_amount_asks_nobody_and_a_send_back_reopens_the_review(harness):
    h = harness
    parent = file_line_stop(h)
    do(h, SALES, parent, "record_claim", {"claim_type": "premium_freight", "amount": "800", "currency": "CNY"})
    do(h, QE, parent, "review_claim", {"claim_id": "1"})
    do(h, QM, parent, "accept_claim", {"claim_id": "1"})
    do(h, QM, parent, "pay_claim", {"claim_id": "1", "paid_on": DAY})
    assert not dms(h, GM)
    do(h, SALES, parent, "record_claim", {"claim_type": "sorting", "amount": "1500.5", "currency": "USD"})
    do(h, QE, parent, "review_claim", {"claim_id": "2"})
    do(h, QM, parent, "accept_claim", {"claim_id": "2"})
    request = asked(h, GM, "#2")
    do(h, GM, request, "send_back_claim", {"reason": "Ask for their sorting report first"})
    with h.rt.db.session() as s:
        assert [(c.state, c.accepted_amount) for c in s.exec(select(Claim).order_by(Claim.id))] == [
            ("paid", 800), ("under_review", None)]
    assert notes(h, parent)[-1].endswith("Ask for their sorting report first. It is under review again.")


def test_novembers_report_counts_the_returns_and_the_cost_of_poor_quality(harness):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from domain.reports.shipments import import_shipments
    from tests.conftest import START
    from tests.test_report_slack import digest_and_charts
    from tests.test_sla_slack import scheduler_at

    h = harness
    scheduler_at(h, START)  # the first sweep this database sees
    parent = file_line_stop(h)
    do(h, SALES, parent, "record_return", {"quantity": "1,200", "received_on": DAY})
    for n, (kind, amount, currency, decided) in enumerate((("line_stop", "8000", "CNY", True), ("sorting", "450.5", "USD", True),
                                                           ("warranty", "3000", "CNY", False)), start=1):
        do(h, SALES, parent, "record_claim", {"claim_type": kind, "amount": amount, "currency": currency})
        if decided:
            do(h, QE, parent, "review_claim", {"claim_id": str(n)})
            do(h, QM, parent, "accept_claim", {"claim_id": str(n)})
    with h.rt.db.session() as s:
        import_shipments(s, "month,quantity\n2026-11,400000\n", h.clock.now())
        s.commit()
    scheduler_at(h, datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    digests, charts = digest_and_charts(h, "C0MANAGERS")  # Monday's digests came before it
    [report] = [m for m in digests if m.blocks[0]["text"]["text"] == "Monthly service report · 2026-11"]
    body = "\n".join(b["text"]["text"] for b in report.blocks if b["type"] == "section")
    assert "*Return rate:* 3000.0 ppm (1200 returned of 400000 shipped)" in body
    assert "*Cost of poor quality (claims accepted):* CNY 8,000.00 + USD 450.50" in body
    assert "*By type:* Line-stop cost CNY 8,000.00; Sorting cost USD 450.50" in body
    assert "*By customer:* Geely Auto CNY 8,000.00 + USD 450.50" in body
    assert "*Claimed, not decided yet:* CNY 3,000.00" in body
    names = [f["name"].rsplit("-", 1)[-1] for f in charts[-1].files]
    assert {"CNY.png", "USD.png"} <= {n.rsplit("_", 1)[-1] for n in names} and "copq" in " ".join(names)
