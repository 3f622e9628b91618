"""Pacing per channel: the token bucket with an explicit clock, and a burst of filings into one
department channel against an emulator that enforces Slack's per-channel limit (429 + Retry-After)."""
from __future__ import annotations

import pytest

from domain.pacing import reserve
from models.db import Database
from tests.test_flows import FLOOR, QUALITY, SALES

both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)


@both
def test_a_channel_takes_a_burst_then_one_message_a_second(db_url):
    db = Database(db_url)
    with db.session() as s:
        waits = [reserve(s, "C1", 100.0, rate=1.0, burst=3) for _ in range(4)]
        assert waits == [0.0, 0.0, 0.0, 1.0]  # three at once, the fourth in a second
        assert reserve(s, "C1", 100.5, rate=1.0, burst=3) == pytest.approx(0.5)
        assert reserve(s, "C1", 101.0, rate=1.0, burst=3) == 0.0
        assert reserve(s, "C2", 101.0, rate=1.0, burst=3) == 0.0  # every channel has its own bucket
        assert reserve(s, "C1", 200.0, rate=1.0, burst=3) == 0.0  # a quiet channel refills, up to the burst only
        assert [reserve(s, "C1", 200.0, rate=1.0, burst=3) for _ in range(3)] == [0.0, 0.0, 1.0]


def test_a_burst_of_filings_is_paced_under_slacks_limit_and_each_message_sent_once(harness):
    h = harness
    h.ws.limit_channel_posts(3, per_seconds=1.0)  # Slack: about one a second, short bursts tolerated
    h.rt.settings.voc_channel_rate, h.rt.settings.voc_channel_burst = 2.0, 2  # the bot stays below it
    customers = ["Geely", "BYD", "SAIC Volkswagen", "Great Wall"]
    for name in customers:
        h.slack.command(SALES, FLOOR, f"{name}: scratches on the housing, 20 pcs, they used them anyway")
    h.ws.wait_for(lambda: len(h.ws.channel_messages(QUALITY)) == 4, timeout=60)
    h.join()
    posts = h.ws.channel_messages(QUALITY, include_replies=True)
    keys = {m.metadata["event_payload"]["key"] for m in posts}  # the outbox key each post carries
    assert len(posts) == len(keys) == 8  # four parents, four pings: once each
    assert h.ws.rate_limited == 0  # paced: Slack never had to say "too fast"


def test_in_a_congested_channel_the_new_items_go_first_in_filing_order_then_their_pings(harness):
    """Ten complaints filed at once into one department channel, at Slack's real pace: the thread
    parents (the items the department must see) are posted first, in filing order, then the pings.
    Every message is queued before the first is sent, so the order is the deliverer's alone."""
    from domain.intake import Submission

    h = harness
    h.ws.limit_channel_posts(2, per_seconds=1.0)  # Slack: about one a second
    h.rt.settings.voc_channel_rate, h.rt.settings.voc_channel_burst = 1.0, 1
    customers = ["Geely", "BYD", "SAIC Volkswagen", "Great Wall"]
    for n in range(10):
        h.rt.desk.submit(Submission(source="slash", key=f"slash:T0BURST:{n}", reporter_id=SALES, customer=customers[n % 4],
                                    text=f"light scratches on the housing of part HX-{410 + n}, {20 + n} pcs, they used them anyway", channel_id=FLOOR))
    assert [i.status for i in h.items()] == ["received"] * 10  # filed, nothing sent yet
    h.service.flush(None)
    posts = h.ws.wait_for(lambda: len(found := h.ws.channel_messages(QUALITY, include_replies=True)) == 20 and found,
                          timeout=60)
    h.join()
    ids = [i.id for i in h.items()]
    keys = [m.metadata["event_payload"]["key"] for m in posts]  # in the order Slack took them
    assert keys[:10] == [f"item:{i}:parent:{QUALITY}" for i in ids]
    assert sorted(keys[10:]) == sorted(f"item:{i}:ping:{QUALITY}" for i in ids)
