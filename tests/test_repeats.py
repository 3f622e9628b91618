"""Repeat occurrence over signed HTTP: the same customer and part number again (or the same customer
and category when no part is named) within the window is linked to the earlier item, flagged on the
parent, a B complaint rises to A, and the department manager is told in the ping."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from models import Event, ItemLink
from tests.test_flows import FLOOR, QUALITY, SALES, eph

MANAGER = "U0QMWANG"  # the quality department's manager in the default policy


def file(h, text, count):
    h.slack.command(SALES, FLOOR, text)
    eph(h, SALES, f"VOC-{count}")
    h.ws.wait_for(lambda: len(h.ws.channel_messages(QUALITY)) >= count)
    h.join()


def test_the_same_part_again_is_a_repeat_and_rises_to_a(harness):
    h = harness
    file(h, "BYD: light scratches on bracket PN HX-2231, 10 pcs, they used them anyway", 1)
    h.clock.advance(timedelta(days=40))
    file(h, "BYD: light scratches on HX-2231 brackets, 25 pcs, parts still usable", 2)
    file(h, "BYD: light scratches on bracket PN HX-9999, 5 pcs, they used them anyway", 3)  # another part: not a repeat
    first, second, third = h.items()
    assert (first.severity, second.severity, third.severity) == ("B", "A", "B")
    with h.rt.db.session() as s:
        links = [(l.item_id, l.other_id, l.kind) for l in s.exec(select(ItemLink))]
        events = [e.detail for e in s.exec(select(Event).where(Event.action == "repeat_detected"))]
    assert links == [(second.id, first.id, "repeat_of")]
    assert events == [{"of": [1], "severity": ["B", "A"]}]
    parent = next(m for m in h.ws.channel_messages(QUALITY) if "VOC-2" in json.dumps(m.blocks))
    shown = json.dumps(parent.blocks)
    assert "Repeat of VOC-1" in shown and "repeat of VOC-1" in shown  # the flag, and why it is A
    ping = next(m for m in h.ws.thread(QUALITY, parent.ts) if "new A complaint" in m.text)
    assert f"<@{MANAGER}>" in ping.text and "VOC-1" in ping.text


def test_outside_the_window_it_is_a_new_problem(harness):
    h = harness
    file(h, "BYD: light scratches on bracket PN HX-2231, 10 pcs, they used them anyway", 1)
    h.clock.advance(timedelta(days=h.rt.policy.repeats.window_days + 1))
    file(h, "BYD: light scratches on bracket PN HX-2231, 10 pcs, they used them anyway", 2)
    assert [i.severity for i in h.items()] == ["B", "B"]
    with h.rt.db.session() as s:
        assert s.exec(select(ItemLink)).all() == []
