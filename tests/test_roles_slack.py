"""Roles nobody can go around, over signed HTTP against the emulator (issue 16): a person removed
from a department's user group cannot record steps a moment later (subteam_members_changed), a
person whose membership Slack cannot tell is refused with a clear message, any salesperson cannot
withdraw a colleague's line stop from the thread."""
from __future__ import annotations

from slack_sdk import WebClient

from tests.test_flows import FLOOR, PRODUCTION, QUALITY, SALES, eph
from tests.test_thread_lifecycle import do, menu, press

NEWCOMER = "U0PRODNEW"  # in production's Slack user group only, in no policy list


def join_production(h):
    h.ws.add_user(NEWCOMER, "production-new", "New Planner (Production)", locale="en-US")
    h.ws.usergroups["S0PRODUCTION"]["users"].append(NEWCOMER)
    h.ws.channels[PRODUCTION]["members"].append(NEWCOMER)


def file_late_delivery(h, text, number):
    h.slack.command(SALES, FLOOR, text)
    eph(h, SALES, f"VOC-{number}")
    parents = h.ws.wait_for(lambda: len(found := h.ws.channel_messages(PRODUCTION)) >= number and found)
    h.join()
    return parents[number - 1]


def test_removed_from_the_user_group_cannot_record_steps_a_moment_later(harness):
    h = harness
    join_production(h)
    first = file_late_delivery(h, "BYD: shipment of 500 housings arrived 3 days late, no impact on their production", 1)
    second = file_late_delivery(h, "SVW: shipment of 300 clips arrived 2 days late", 2)
    do(h, NEWCOMER, first, "take_ownership")  # a member: allowed (and the group's members are now cached)
    assert h.items()[0].status == "acknowledged"

    # An admin removes the newcomer from the group; Slack tells the app (subteam_members_changed).
    admin = WebClient(token="xoxb-test", base_url=h.emulator.api_url)
    admin.usergroups_users_update(usergroup="S0PRODUCTION", users="U0PRODZHAO")
    do(h, NEWCOMER, second, "take_ownership")
    eph(h, NEWCOMER, "you cannot take ownership")
    assert h.items()[1].status == "received"


def test_membership_slack_cannot_tell_is_refused_with_a_clear_message(harness):
    h = harness
    join_production(h)
    parent = file_late_delivery(h, "BYD: shipment of 500 housings arrived 3 days late, no impact on their production", 1)
    h.ws.fail_next("usergroups.users.list", status=500, error="internal_error", times=50)
    do(h, NEWCOMER, parent, "take_ownership")
    eph(h, NEWCOMER, "Slack cannot tell right now")
    assert h.items()[0].status == "received"
    h.ws.failures.clear()


def test_a_colleague_in_sales_cannot_withdraw_a_line_stop_from_the_thread(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked, their line stopped")
    eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.join()
    assert "withdraw" in menu(parent)
    views_before = len(h.ws.views)
    press(h, "U0SALESLI", parent, "withdraw")
    eph(h, "U0SALESLI", "只有反馈人本人")  # refused, in her language, before any form
    h.join()
    assert len(h.ws.views) == views_before
    assert h.items()[0].status == "received"


def test_correct_details_saves_only_what_was_changed_never_a_cut_copy(harness):
    h = harness
    from bot import action_ids as ids
    from models import FeedbackItem
    from tests.test_flows import open_view

    h.slack.command(SALES, FLOOR, "Geely: connectors cracked at incoming, 40 pcs")
    confirm = eph(h, SALES, "VOC-1")
    h.join()
    # The customer's 8D-style complaint pasted in full, and the part list of a whole harness family.
    long_text = ("Incoming inspection at Geely Ningbo found cracked connector housings. " * 210)[:14451]
    parts = [f"CN-{n:05d}" for n in range(330)]
    with h.rt.db.session() as s:
        item = s.get(FeedbackItem, h.items()[0].id)
        item.text, item.part_numbers = long_text, parts
        s.add(item)
    h.slack.click(SALES, confirm, ids.CORRECT)
    view = open_view(h, SALES)
    h.slack.submit_view(SALES, view.id, {"quantity": "400"})
    h.join()
    [item] = h.items()
    assert (item.quantity, len(item.text), len(item.part_numbers)) == (400, 14451, 330)
    assert (item.text, item.part_numbers) == (long_text, parts)
    inputs = {b["block_id"] for b in view.view["blocks"] if b["type"] == "input"}
    assert ids.B_TEXT not in inputs and ids.B_PARTS not in inputs  # shown, not editable: Slack caps the fields
    assert "14451" in str(view.view["blocks"])
