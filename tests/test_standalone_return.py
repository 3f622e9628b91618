"""A return (RMA) without a complaint, over signed HTTP into the bot with the emulator as Slack:
`/return Geely` opens the same record form as a complaint's return and records a return of that
customer only; `/return RMA-1` shows it with its next step, decided by the same rule rows as a
complaint's (the quality department inspects; production may not), each change one audit event;
the return rate counts it; a restricted customer is not named to whoever may not see it."""
from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot import action_ids as ids
from domain.customers import find_customer
from domain.reports.details import returned_quantity
from models import Event, ReturnedGoods
from tests.test_customer_command import restrict
from tests.test_flows import QUALITY, SALES, SALES_ZH, eph
from tests.test_returns_claims_slack import DAY, PROD, command_form
from tests.test_thread_lifecycle import QE


def rma(h, user, text="RMA-1"):
    """`/return RMA-n`: the return as the person sees it."""
    h.slack.command(user, QUALITY, text, command=ids.RETURN_COMMAND)
    return eph(h, user, text)


def test_a_return_without_a_complaint_is_recorded_inspected_by_quality_audited_and_counted(harness):
    h = harness
    command_form(h, SALES, ids.RETURN_COMMAND, "Geely", {"quantity": "40", "received_on": DAY, "note": "<!channel> 1 box"})
    with h.rt.db.session() as s:
        ret = s.exec(select(ReturnedGoods)).one()
        geely = find_customer(s, "Geely")
        assert (ret.item_id, ret.customer_id, ret.quantity, ret.state, ret.note) == (None, geely.id, 40, "received",
                                                                                      "<!channel> 1 box")
    eph(h, SALES, "RMA-1 (Geely Auto): Record a return: done")  # told it is recorded

    shown = rma(h, PROD)  # anyone may read it; production may not inspect it: refused before a form opens
    assert "<!channel>" not in str(shown.blocks) and "&lt;!channel&gt;" in str(shown.blocks)  # the note is data
    views = set(h.ws.views)
    h.slack.click(PROD, shown, ids.RMA_STEP)
    eph(h, PROD, "责任部门")
    h.join()
    assert set(h.ws.views) == views

    shown = rma(h, QE)
    h.slack.click(QE, shown, ids.RMA_STEP)
    view_id = h.ws.wait_for(lambda: [v for v, view in h.ws.views.items() if view.user == QE and v not in views])[0]
    h.slack.submit_view(QE, view_id, {"return_id": "1", "inspection": "confirmed"})
    h.join()
    with h.rt.db.session() as s:
        assert s.exec(select(ReturnedGoods.state, ReturnedGoods.inspection)).one() == ("inspected", "confirmed")
        events = s.exec(select(Event).where(Event.action.like("lifecycle.%")).order_by(Event.id)).all()
        assert [(e.action, e.actor, e.item_id, e.detail["return_id"], e.detail["customer"]) for e in events] == [
            ("lifecycle.record_return", SALES, None, 1, "Geely Auto"), ("lifecycle.inspect_return", QE, None, 1, "Geely Auto")]
        assert events[1].detail["changes"]["return:1.inspection"] == {"before": None, "after": "confirmed"}
        # the return rate reads it, company-wide and for the customer (ppm and satisfaction's return_rate rule)
        assert returned_quantity(s, date(2026, 11, 1), date(2026, 12, 1)) == 40
        assert returned_quantity(s, date(2026, 11, 1), date(2026, 12, 1), geely.id) == 40
    h.slack.command(QE, QUALITY, "RMA-1", command=ids.RETURN_COMMAND)
    eph(h, QE, '"dispose_return:1"')  # now its next step is the disposition


def test_an_unknown_or_restricted_customer_gets_the_same_answer_and_nothing_is_recorded(harness):
    h = harness
    restrict(h, "BYD", (SALES_ZH,))
    h.slack.command(SALES, QUALITY, "BYD", command=ids.RETURN_COMMAND)  # not on BYD's account team
    refused = eph(h, SALES, "BYD is neither")
    h.slack.command(SALES, QUALITY, "Nowhere Motors", command=ids.RETURN_COMMAND)
    unknown = eph(h, SALES, "Nowhere Motors is neither")
    assert refused.text.replace("BYD", "X") == unknown.text.replace("Nowhere Motors", "X")
    rma(h, SALES, "RMA-9")
    assert "/return Geely" in h.slack.command(SALES, QUALITY, "help", command=ids.RETURN_COMMAND).ack_text
    h.join()
    with h.rt.db.session() as s:
        assert not s.exec(select(ReturnedGoods)).all()
