"""Repeat occurrence over signed HTTP: the same customer and part number again (or the same failure
mode when they do not name different parts) within the window is linked to the earlier item with its
evidence, flagged on the parent, a B complaint rises to A unless a person chose B, and the department
manager is told in the ping. Complaints of one category about different problems are not repeats."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from models import Event, ItemLink
from tests.test_flows import FLOOR, QUALITY, SALES, eph, open_view

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
    file(h, "BYD: light scratches on bracket PN HX-2231, 25 pcs, they used them anyway", 2)
    file(h, "BYD: light scratches on bracket PN HX-9999, 5 pcs, they used them anyway", 3)  # another part: not a repeat
    first, second, third = h.items()
    assert (first.severity, second.severity, third.severity) == ("B", "A", "B")
    with h.rt.db.session() as s:
        links = [(l.item_id, l.other_id, l.kind) for l in s.exec(select(ItemLink))]
        events = [e.detail for e in s.exec(select(Event).where(Event.action == "repeat_detected"))]
    assert links == [(second.id, first.id, "repeat_of")]
    assert events == [{"of": [1], "evidence": ["part HX-2231"], "severity": ["B", "A"]}]
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


def report(h, text, count):
    """File in whichever department's channel it belongs."""
    h.slack.command(SALES, FLOOR, text)
    eph(h, SALES, f"VOC-{count}")
    h.join()


def test_the_same_category_about_another_problem_is_not_a_repeat(harness):
    h = harness
    report(h, "BYD: the last delivery was 3 days late", 1)
    report(h, "BYD: the cartons arrived wet, packaging soaked", 2)  # delivery too: another problem
    report(h, "BYD: wrong label on the boxes", 3)
    report(h, "BYD: a connector caught fire on the test bench, a safety hazard", 4)  # quality too: another problem
    with h.rt.db.session() as s:
        assert s.exec(select(ItemLink)).all() == []


def test_the_same_failure_mode_is_a_repeat_with_its_evidence(harness):
    h = harness
    report(h, "BYD: the last delivery was 3 days late", 1)
    h.clock.advance(timedelta(days=20))
    report(h, "BYD: the delivery was late again, they are unhappy but have stock", 2)
    with h.rt.db.session() as s:
        [event] = [e.detail for e in s.exec(select(Event).where(Event.action == "repeat_detected"))]
    assert event["of"] == [1] and event["evidence"] == ["failure mode late_delivery"]


def test_a_chosen_b_is_kept_and_the_repeat_said(harness):
    h = harness
    file(h, "BYD: light scratches on bracket PN HX-2231, 10 pcs, they used them anyway", 1)
    h.clock.advance(timedelta(days=40))
    h.slack.command(SALES, FLOOR, "")
    view = open_view(h, SALES)
    h.slack.submit_view(SALES, view.id, {"customer": "BYD", "text": "light scratches on HX-2231 again, 4 pcs",
                                         "severity": "B"})
    eph(h, SALES, "VOC-2")
    h.join()
    second = h.items()[1]
    assert second.severity == "B"  # the person's B is not raised silently
    parent = next(m for m in h.ws.channel_messages(QUALITY) if "VOC-2" in json.dumps(m.blocks))
    shown = json.dumps(parent.blocks)
    assert "possible repeat of VOC-1" in shown and "B kept as chosen" in shown
