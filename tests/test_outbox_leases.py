"""A slow send keeps its claim, and a send whose claim was taken never posts (bot/leases.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot import action_ids as ids
from bot.delivery import Deliverer
from bot.leases import LeaseKeeper, LostClaim
from domain import outbox
from models import ItemAction, OutboundMessage
from tests.conftest import START
from tests.test_flows import QUALITY
from tests.test_thread_lifecycle import asked, do, file_line_stop, press

QE, QM = "U0QZHOU", "U0QMWANG"


def _uploads(h, parent) -> list:
    return [m for m in h.ws.thread(QUALITY, parent.ts) if m.files]


def test_an_8d_whose_render_outlasts_the_lease_is_uploaded_exactly_once(harness):
    """The owner sends an 8D with 60 long actions (seconds to render as PDF and XLSX) while a second
    worker keeps finding the row's lease run out: one upload, whoever makes it."""
    h = harness
    parent = file_line_stop(h)
    do(h, QE, parent, "take_ownership")
    do(h, QE, parent, "record_containment", {"stock_checked": "1200", "stock_bad": "0", "customer_checked": "400",
                                             "customer_bad": "37", "sorting_method": "100% gauge check",
                                             "countermeasure": "Sorted stock shipped", "customer_informed": ["yes"]})
    do(h, QE, parent, "record_root_cause", {"category": "machine", "occurrence": "Crimp die worn past its limit",
                                            "escape": "Pull test sampled 1 in 500", "evidence": "Die wear 0.12 mm"})
    do(h, QE, parent, "add_corrective_action", {"what": "Replace the crimp die", "owner": QE, "due": "2026-11-27"})
    item_id = h.items()[0].id
    with h.rt.db.session() as s:  # a long 8D: the render is what is slow, by its size
        for n in range(60):
            s.add(ItemAction(item_id=item_id, type="corrective" if n % 2 else "preventive", owner=QE, by=QE, at=START,
                             due=START + timedelta(days=30), what=f"措施 {n}：" + "更换压接模具并验证拉力。" * 80))
    do(h, QE, parent, "submit_8d")
    h.slack.click(QM, asked(h, QM, "8D"), ids.step("approve_8d"))
    h.join()
    h.rt.settings.voc_claim_lease_seconds = 0.4  # the lease made short; the heartbeat beats every 0.1 s

    second_worker = Deliverer(h.rt, h.service.locales)
    press(h, QE, parent, "send_8d")
    h.ws.wait_for(lambda: _eightd_row(h).status == "sending", timeout=60)  # the first worker is rendering it
    while not _uploads(h, parent):  # the other worker tries again and again, each time after the lease
        h.clock.advance(h.rt.settings.claim_lease + timedelta(seconds=1))
        second_worker.deliver(item_id)
    h.join()
    assert len(_uploads(h, parent)) == 1
    assert len([c for c in h.ws.calls if c.method == "files.completeUploadExternal"]) == 1
    assert _eightd_row(h).status == "sent"


def _eightd_row(h) -> OutboundMessage:
    with h.rt.db.session() as s:
        return s.exec(select(OutboundMessage).where(OutboundMessage.intent == "eightd_files")).first() or OutboundMessage()


@pytest.fixture
def held_row(harness):
    h = harness
    h.rt.settings.voc_claim_lease_seconds = 0.4
    with h.rt.db.session() as s:
        outbox.enqueue(s, key="lease-drill", intent="notice", channel=QE, user=QE, locale="en", now=h.clock.now(),
                       data={"text": "hello"})
    with h.rt.db.session() as s:
        row_id = s.exec(select(OutboundMessage.id).where(OutboundMessage.key == "lease-drill")).one()
        assert outbox.claim(s, row_id, h.clock.now(), h.rt.settings.claim_lease) == "pending"
    with h.rt.db.session() as s:
        return s.get(OutboundMessage, row_id)


def _claimed_at(h, row_id):
    with h.rt.db.session() as s:
        return s.get(OutboundMessage, row_id).claimed_at


def test_a_held_claim_is_renewed_while_the_work_goes_on_and_nobody_else_may_take_it(harness, held_row):
    h, keeper = harness, LeaseKeeper(harness.rt)
    with keeper.holding(held_row.id, held_row.attempts):
        h.clock.advance(timedelta(minutes=10))  # far past the lease: only the beat keeps the claim
        h.ws.wait_for(lambda: _claimed_at(h, held_row.id) == h.clock.now())
        with h.rt.db.session() as s:
            assert outbox.claim(s, held_row.id, h.clock.now(), h.rt.settings.claim_lease) is None
        keeper.confirm(held_row)  # still ours


def test_a_send_whose_claim_another_worker_took_is_refused(harness, held_row):
    h, keeper = harness, LeaseKeeper(harness.rt)
    h.clock.advance(timedelta(minutes=10))  # not held by a keeper: the lease ran out
    with h.rt.db.session() as s:
        assert outbox.claim(s, held_row.id, h.clock.now(), h.rt.settings.claim_lease) == "abandoned"
    with keeper.holding(held_row.id, held_row.attempts), pytest.raises(LostClaim):
        keeper.confirm(held_row)
