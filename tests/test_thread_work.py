"""Working a complaint from its thread: *Take ownership* on the thread parent, over signed HTTP."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlmodel import select

from bot import action_ids as ids
from models import Deadline, Event, ItemAssignment
from tests.test_flows import FLOOR, QUALITY, SALES, eph, open_view

QE = "U0QZHOU"


def _file(h):
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked at incoming, 40 pcs")
    eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    return parent


def test_a_department_member_takes_ownership_and_the_thread_shows_it(harness):
    h = harness
    parent = _file(h)
    old_copy = json.loads(json.dumps(parent.blocks))
    h.slack.click(QE, parent, ids.TAKE_OWNERSHIP)
    h.ws.wait_for(lambda: [m for m in h.ws.thread(QUALITY, parent.ts) if "took ownership" in m.text])
    h.join()
    item = h.items()[0]
    assert item.status == "acknowledged"
    with h.rt.db.session() as s:
        owner = s.exec(select(ItemAssignment.user_id).where(ItemAssignment.role == "owner")).all()
        first_contact = s.exec(select(Deadline).where(Deadline.milestone == "first_contact")).one()
        events = [e.action for e in s.exec(select(Event).order_by(Event.id))]
    assert owner == [QE] and first_contact.met_at is None  # taking ownership is not contacting the customer
    assert events[-1] == "lifecycle.take_ownership"
    blocks = json.dumps(parent.blocks)
    assert "Acknowledged" in blocks and f"<@{QE}>" in blocks and ids.TAKE_OWNERSHIP not in blocks
    # a second click on the message as it was drawn before: said, not applied twice
    parent.blocks = old_copy
    h.slack.click("U0QMWANG", parent, ids.TAKE_OWNERSHIP)
    eph(h, "U0QMWANG", "已确认")  # the QM reads Chinese: "not possible while the item is 已确认"
    h.join()
    assert len([m for m in h.ws.thread(QUALITY, parent.ts) if "took ownership" in m.text]) == 1


def test_someone_outside_the_department_is_told_why_and_nothing_changes(harness):
    h = harness
    parent = _file(h)
    h.slack.click("U0SALESLI", parent, ids.TAKE_OWNERSHIP)  # a salesperson
    refusal = eph(h, "U0SALESLI", "认领")
    h.join()
    assert h.items()[0].status == "received" and "Traceback" not in refusal.text


def test_replies_in_the_thread_are_kept_as_the_discussion_once(harness):
    h = harness
    parent = _file(h)
    msg, sent = h.slack.reply(QE, QUALITY, parent.ts, "Sorting at the customer started <today>, 3 of 40 bad", files=["sort.xlsx"])
    h.slack.post(sent, retry_num=1)  # Slack redelivers the event
    h.slack.reply(SALES, FLOOR, "1.0", "a thread in another channel, no item")  # belongs to no item
    h.join()
    from models import DiscussionMessage

    with h.rt.db.session() as s:
        kept = [(d.user_id, d.ts, d.text, d.file_permalinks) for d in s.exec(select(DiscussionMessage))]
    assert len(kept) == 1
    user, ts, text, files = kept[0]
    assert (user, ts) == (QE, msg.ts) and text == "Sorting at the customer started <today>, 3 of 40 bad"
    assert len(files) == 1 and files[0].endswith("/sort.xlsx")


def test_eyes_on_the_thread_parent_takes_ownership_under_the_same_rules(harness):
    h = harness
    parent = _file(h)
    h.slack.react("U0SALESLI", parent, "eyes")  # a salesperson, not in the channel: refused, told why by DM
    h.ws.wait_for(lambda: [m for m in h.ws.channel_messages(h.ws.dm_channel("U0SALESLI")) if "认领" in m.text])
    h.slack.react(SALES, parent, "tada")  # not a shortcut: nothing happens
    h.join()
    assert h.items()[0].status == "received"
    h.slack.react(QE, parent, "eyes")
    h.ws.wait_for(lambda: [m for m in h.ws.thread(QUALITY, parent.ts) if "took ownership" in m.text])
    h.join()
    assert h.items()[0].status == "acknowledged"


def test_the_shell_reacts_through_slack(sqlite_url):
    from shell.demo import DEMO_START
    from shell.session import ShellSession
    from shell.world import World

    world = World(start=DEMO_START, db_url=sqlite_url)  # a copy of the run's migrated SQLite file
    try:
        s = ShellSession(world)
        s.handle("/feedback Geely: connectors cracked at incoming, 40 pcs")
        s.handle("/as quality-zhou")
        s.handle("/react 1 eyes")
        assert "took ownership" in "\n".join(s.lines)
    finally:
        world.close()


def test_containment_is_recorded_from_its_form_and_the_reporter_is_told(harness):
    h = harness
    parent = _file(h)
    h.slack.click(QE, parent, ids.TAKE_OWNERSHIP)
    h.join()
    assert ids.RECORD_CONTAINMENT in json.dumps(parent.blocks)
    h.slack.click(QE, parent, ids.RECORD_CONTAINMENT)
    view = open_view(h, QE)
    sent = h.slack.submit_view(QE, view.id, {"stock_checked": "many", "sorting_method": ""})
    assert set(sent.response_json["errors"]) == {"stock_checked", "sorting_method", "countermeasure"}
    h.slack.submit_view(QE, view.id, {"stock_checked": "2000", "stock_bad": "12", "customer_checked": "500",
                                      "customer_bad": "3", "sorting_method": "100% visual + gauge",
                                      "countermeasure": "sorted stock, added gauge check", "customer_informed": ["yes"]})
    note = h.ws.wait_for(lambda: [m for m in h.ws.thread(QUALITY, parent.ts) if ":shield:" in m.text])[0]
    h.join()
    assert f"<@{SALES}>" in note.text and "15/2500" in note.text  # the reporter is mentioned: tell the customer
    from models import Containment

    with h.rt.db.session() as s:
        [c] = s.exec(select(Containment)).all()
        met = s.exec(select(Deadline).where(Deadline.milestone == "containment")).one().met_at
    assert (c.stock_checked, c.stock_bad, c.customer_bad, c.customer_informed) == (2000, 12, 3, True)
    assert h.items()[0].status == "contained" and met == h.clock.now()


def test_first_contact_is_recorded_from_its_form_and_meets_the_milestone_when_it_happened(harness):
    h = harness
    parent = _file(h)
    assert ids.step("record_first_contact") in json.dumps(parent.blocks)
    h.slack.click(SALES, parent, ids.step("record_first_contact"))
    view = open_view(h, SALES)
    blocks = {b["block_id"]: b for b in view.view["blocks"]}
    assert blocks["contacted_at"]["element"]["initial_date"] == "2026-11-20"  # today, company time
    assert blocks["contacted_at_time"]["element"]["initial_value"] == "10:00"
    sent = h.slack.submit_view(SALES, view.id, {"contacted_by": SALES, "contacted_at_time": "25:61", "how": "visit"})
    assert sent.response_json["errors"] == {"contacted_at_time": "A time like 14:30."}
    h.clock.advance(timedelta(hours=1))
    h.slack.submit_view(SALES, view.id, {"contacted_by": SALES, "contacted_at_time": "10:30", "how": "visit",
                                         "note": "At their plant: <@U0GMHUANG> saw the parts"})
    note = h.ws.wait_for(lambda: [m for m in h.ws.thread(QUALITY, parent.ts) if "visit" in m.text])[0]
    h.join()
    assert "<@U0GMHUANG>" not in note.text  # the note is data
    with h.rt.db.session() as s:
        met = s.exec(select(Deadline).where(Deadline.milestone == "first_contact")).one().met_at
    assert met.replace(tzinfo=None) == datetime(2026, 11, 20, 2, 30)  # 10:30 in Shanghai, when it happened
    assert h.items()[0].status == "received"  # contact is not ownership either


def test_an_approval_request_for_an_item_that_no_longer_awaits_one_is_dropped_at_sending(harness):
    """Queued while the item waited, delivered after it closed (or was sent back): the QM is not asked."""
    from domain import outbox

    h = harness
    parent = _file(h)
    h.join()
    item = h.items()[0]
    with h.rt.db.session() as s:
        outbox.enqueue(s, key=f"item:{item.id}:approval:late", intent="approval", item_id=item.id, channel="U0QMWANG",
                       user="U0QMWANG", now=h.clock.now(), locale="en", data={"requested_by": QE})
    h.service.flush(item.id)
    [row] = [r for r in h.outbox() if r.key == f"item:{item.id}:approval:late"]
    assert row.status == "cancelled" and not h.ws.channel_messages(h.ws.dm_channel("U0QMWANG"))
    assert parent.ts
