"""When the bot offers instead of filing (signed HTTP, emulator, PostgreSQL):
- "did you mean …?" when a customer's name is close to known ones but not surely one of them;
- "add to VOC-n" when the same customer and part were reported in the last 48 hours."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from bot import action_ids as ids
from models import Customer, Event
from tests.test_flows import FLOOR, QUALITY, SALES, SALES_ZH, eph


def texts(h, channel, thread_ts):
    return [m.text for m in h.ws.thread(channel, thread_ts)]


def test_the_same_part_reported_again_is_offered_as_an_addition_and_added_once(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "BYD: HX-2231 brackets cracked at their incoming, they want an 8D")
    eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.clock.advance(timedelta(hours=5))
    h.slack.command(SALES_ZH, FLOOR, "BYD: 比亚迪反馈HX-2231支架开裂, 要求8D")  # a second salesperson, same call
    offer = h.ws.wait_for(lambda: [e for e in h.ws.ephemerals_for(SALES_ZH) if ids.ADD_TO_EXISTING in json.dumps(e.blocks or [])])[-1]
    shown = json.dumps(offer.blocks, ensure_ascii=False)
    assert "VOC-1" in shown and f"<@{SALES}>" in shown and "补充到 VOC-1" in shown  # Li reads Chinese
    assert len(h.ws.channel_messages(QUALITY)) == 1  # nothing filed twice
    h.slack.click(SALES_ZH, offer, ids.ADD_TO_EXISTING)
    h.slack.click(SALES_ZH, offer, ids.ADD_TO_EXISTING)  # a double click
    h.ws.wait_for(lambda: [t for t in texts(h, QUALITY, parent.ts) if "HX-2231支架开裂" in t])
    eph(h, SALES_ZH, "已补充到 VOC-1")
    h.join()
    again = [t for t in texts(h, QUALITY, parent.ts) if "HX-2231支架开裂" in t]
    assert len(again) == 1 and f"<@{SALES_ZH}>" in again[0]
    first, second = h.items()
    assert (first.number, second.status, second.number) == (1, "withdrawn", None)
    assert len(h.ws.channel_messages(QUALITY)) == 1
    with h.rt.db.session() as s:
        told = {(e.item_id, e.action) for e in s.exec(select(Event).where(Event.action.in_(("added_to", "reported_again"))))}
    assert told == {(second.id, "added_to"), (first.id, "reported_again")}


def test_after_the_window_or_with_another_part_it_is_filed(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "BYD: HX-2231 brackets cracked at their incoming, they want an 8D")
    eph(h, SALES, "VOC-1")
    h.slack.command(SALES, FLOOR, "BYD: HX-7777 brackets cracked at their incoming, they want an 8D")
    eph(h, SALES, "VOC-2")
    h.clock.advance(timedelta(hours=49))
    h.slack.command(SALES, FLOOR, "BYD: HX-2231 brackets cracked at their incoming, they want an 8D")
    eph(h, SALES, "VOC-3")
    assert [i.status for i in h.items()] == ["received"] * 3


def test_the_offer_can_be_declined_and_filed_as_new(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "BYD: HX-2231 brackets cracked at their incoming, they want an 8D")
    eph(h, SALES, "VOC-1")
    h.slack.command(SALES, FLOOR, "BYD: HX-2231 brackets cracked at their incoming, they want an 8D")
    offer = eph(h, SALES, ids.ADD_TO_EXISTING)
    h.slack.click(SALES, offer, ids.FILE_DRAFT)
    eph(h, SALES, "VOC-2")
    h.ws.wait_for(lambda: len(h.ws.channel_messages(QUALITY)) == 2)


def customers(h):
    with h.rt.db.session() as s:
        return {c.name: c.verified for c in s.exec(select(Customer))}


def test_a_name_close_to_a_known_customer_is_asked_about_not_guessed(harness):
    h = harness
    known = customers(h)
    h.slack.command(SALES, FLOOR, "Gelly: connectors cracked, they want an 8D")
    offer = eph(h, SALES, ids.pick_customer(0))
    shown = json.dumps(offer.blocks, ensure_ascii=False)
    assert "Which customer do you mean by *Gelly*?" in shown and '"text": "Geely Auto"' in shown
    assert ids.FILE_DRAFT not in shown and customers(h) == known  # no second record for Geely
    assert h.ws.channel_messages(QUALITY) == []
    h.slack.click(SALES, offer, ids.pick_customer(0))
    eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    assert "Geely Auto" in parent.text
    with h.rt.db.session() as s:
        geely = s.exec(select(Customer).where(Customer.name == "Geely Auto")).one()
    assert h.items()[0].customer_id == geely.id and customers(h) == known


def test_the_person_may_say_it_is_a_new_customer(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Beely: connectors cracked, they want an 8D")
    offer = eph(h, SALES, ids.pick_customer(0))
    new = next(e for b in offer.blocks if b["type"] == "actions" for e in b["elements"] if e["value"].endswith(":new"))
    assert new["text"]["text"] == "“Beely” is a new customer"
    h.slack.click(SALES, offer, new["action_id"])
    eph(h, SALES, "VOC-1")
    assert customers(h)["Beely"] is False  # created, unverified, because the person said so


def test_a_clear_name_or_a_far_one_is_not_asked_about(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Geeley: connectors cracked, they want an 8D")  # a typo close enough: Geely
    eph(h, SALES, "VOC-1")
    h.slack.command(SALES, FLOOR, "Nordwind Pumps: connectors cracked, they want an 8D")  # like nobody: a new one
    eph(h, SALES, "VOC-2")
    assert "Nordwind Pumps" in customers(h)


def test_photos_of_a_report_added_to_an_item_show_on_its_parent(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "BYD: HX-2231 brackets cracked at their incoming, they want an 8D")
    eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.slack.dm(SALES_ZH, "BYD: 比亚迪反馈HX-2231支架开裂, 要求8D", files=["crack & burr.jpg"])
    offer = h.ws.wait_for(lambda: [e for e in h.ws.ephemerals_for(SALES_ZH) if ids.ADD_TO_EXISTING in json.dumps(e.blocks or [])])[-1]
    h.slack.click(SALES_ZH, offer, ids.ADD_TO_EXISTING)
    h.ws.wait_for(lambda: parent.edited and "crack &amp; burr.jpg" in json.dumps(parent.blocks))
    assert [f["name"] for f in h.items()[0].files] == ["crack & burr.jpg"]
