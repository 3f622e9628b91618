"""`/feedback` end to end: signed slash commands into the bot over HTTP, Slack's view through the emulator."""
from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from models import Customer, Deadline, Event

SALES = "U0SALESEMMA"       # en-US
SALES_ZH = "U0SALESLI"      # zh-CN
FLOOR = "C0SALESFLOOR"
QUALITY = "C0QUALITY"
LINE_STOP = "Geely Ningbo: connectors in lot 23-1107 don't fit, their assembly line stopped 2 h"


def _parent(h, channel=QUALITY):
    return h.ws.wait_for(lambda: h.ws.channel_messages(channel))


def _confirmation(h, user, needle):
    return h.ws.wait_for(lambda: [e for e in h.ws.ephemerals_for(user) if needle in e.text])


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_line_stop_is_filed_posted_in_quality_and_pings_the_group(harness):
    h = harness
    sent = h.slack.command(SALES, FLOOR, LINE_STOP)
    assert sent.status == 200
    assert "filing" in sent.ack_text.lower()  # the ack answers at once, before any work

    [parent] = _parent(h)
    assert "Geely Auto" in parent.text and "AA" in parent.text  # "Geely Ningbo" is an alias of Geely Auto
    body = json.dumps(parent.blocks)
    assert "23-1107" in body and "line stopped" in body.lower()
    assert "22 Nov 2026, 10:00" not in body and "20 Nov 2026, 12:00" in body  # first contact: 10:00 +2 h, Shanghai time

    [ping] = h.ws.wait_for(lambda: h.ws.thread(QUALITY, parent.ts))
    assert "<!subteam^S0QUALITY>" in ping.text and f"<@{SALES}>" in ping.text

    [confirm] = _confirmation(h, SALES, "VOC-1")
    assert "emulated.slack.local/archives/C0QUALITY/p" in confirm.text  # link to the thread
    assert confirm.replaced == 1  # the "filing…" ack was replaced through the response_url
    actions = [b for b in confirm.blocks if b["type"] == "actions"][0]["elements"]
    assert [a["action_id"] for a in actions] == ["voc_change_classification", "voc_correct_details", "voc_undo"]
    # The salesperson is told the deadlines that apply, with dates, in the company's time zone (AA: calendar time).
    [deadlines] = [b["text"]["text"] for b in confirm.blocks if "Deadlines that apply" in b.get("text", {}).get("text", "")]
    assert deadlines.splitlines() == [
        "*Deadlines that apply* (Asia/Shanghai time):",
        "• First contact with the customer: 20 Nov 2026, 12:00",
        "• Disposal plan, suspected cause and containment replied: 21 Nov 2026, 10:00",
        "• Handled and replied to the customer: 21 Nov 2026, 10:00",
        "• Closed on the customer's side: 27 Nov 2026, 10:00",
        "• Closed internally (verified): 20 Dec 2026, 10:00"]

    [item] = h.items()
    assert (item.status, item.kind, item.category, item.severity, item.department) == ("received", "complaint", "quality", "AA", "quality")
    assert item.line_stopped and item.lot_numbers == ["23-1107"]
    assert (item.channel_id, item.thread_ts) == (QUALITY, parent.ts)
    with h.rt.db.session() as s:
        due = {d.milestone: d.due_at for d in s.exec(select(Deadline).where(Deadline.item_id == item.id))}
        actions = [e.action for e in s.exec(select(Event).where(Event.item_id == item.id).order_by(Event.id))]
    assert due["first_contact"] == h.clock.now() + timedelta(hours=2)
    assert due["containment"] == due["customer_reply"] == h.clock.now() + timedelta(hours=24)  # AA: calendar time
    assert "report_8d" not in due  # the customer has not asked for an 8D (yet): no 8D clock
    assert actions == ["received", "filed"]


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_a_slack_retry_files_nothing_twice(harness):
    h = harness
    sent = h.slack.command(SALES, FLOOR, LINE_STOP)
    _parent(h)
    again = h.slack.post(sent, retry_num=1)
    assert again.status == 200
    h.slack.post(sent, retry_num=2)
    _confirmation(h, SALES, "VOC-1")
    h.join()  # the retries too, before counting
    assert len(h.items()) == 1
    assert len(h.ws.channel_messages(QUALITY)) == 1
    assert len(h.ws.calls_to("chat.postMessage")) == 2  # parent + ping, once each


def test_the_same_request_twice_at_the_same_moment_files_once(harness):
    h = harness
    sent = h.slack.command(SALES, FLOOR, LINE_STOP, send=False)
    threads = [threading.Thread(target=h.slack.post, args=(sent,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _parent(h)
    h.ws.wait_for(lambda: h.ws.thread(QUALITY, h.ws.channel_messages(QUALITY)[0].ts))
    h.join()  # all four, before counting
    assert len(h.items()) == 1
    assert len(h.ws.channel_messages(QUALITY, include_replies=True)) == 2


@pytest.mark.parametrize("how", ["bad signature", "stale timestamp"])
def test_unsigned_or_stale_requests_are_refused_and_change_nothing(harness, how):
    h = harness
    sent = h.slack.command(SALES, FLOOR, LINE_STOP, send=False)
    if how == "bad signature":
        h.slack.post(sent, signature="v0=" + "0" * 64)
    else:
        import time

        h.slack.post(sent, timestamp=int(time.time()) - 600)
    assert sent.status == 401
    assert h.items() == [] and h.ws.calls_to("chat.postMessage") == []


def test_chinese_speaker_gets_chinese_and_unknown_customer_is_created_unverified(harness):
    h = harness
    h.slack.command(SALES_ZH, FLOOR, "宁波拓普：上周发的减震器整批生锈，客户很不满意")
    [confirm] = _confirmation(h, SALES_ZH, "VOC-1")
    assert "已登记" in confirm.text
    [item] = h.items()
    assert (item.severity, item.category, item.locale) == ("AA", "quality", "zh")  # whole batch -> AA
    with h.rt.db.session() as s:
        customer = s.get(Customer, item.customer_id)
    assert customer.name == "宁波拓普" and customer.verified is False
    # the same customer typed differently matches the record just made
    h.slack.command(SALES_ZH, FLOOR, "寧波拓普：交貨延遲三天")
    h.ws.wait_for(lambda: len(h.items()) == 2 and h.items()[1].status == "received")
    assert h.items()[1].customer_id == item.customer_id and h.items()[1].department == "production"


def test_help_and_a_customer_without_a_complaint_get_a_clear_answer(harness):
    h = harness
    sent = h.slack.command(SALES, FLOOR, "help")
    assert "/feedback Customer: what they said" in sent.ack_text
    h.slack.command(SALES_ZH, FLOOR, "吉利：")
    [msg] = h.ws.wait_for(lambda: [e for e in h.ws.ephemerals_for(SALES_ZH) if "反馈了什么" in e.text])
    assert "`/feedback 吉利: 具体内容`" in msg.text
    assert h.items() == []


def test_feedback_that_is_only_punctuation_gets_the_usage_in_the_persons_language(harness):
    h = harness
    h.slack.command(SALES_ZH, FLOOR, " : ")
    h.slack.command(SALES, FLOOR, "?! …")
    h.ws.wait_for(lambda: [e for e in h.ws.ephemerals_for(SALES_ZH) if "输入 `/feedback 客户: 反馈内容`" in e.text])
    h.ws.wait_for(lambda: [e for e in h.ws.ephemerals_for(SALES) if "Type `/feedback Customer: what they said`" in e.text])
    h.join()
    assert h.items() == []  # nothing proposed, nothing filed


def test_odd_input_is_filed_sensibly(harness):
    h = harness
    long_text = "Geely: " + ("the housing is cracked near the clip, they want an 8D. " * 400)[:20000]  # A, plainly
    h.slack.command(SALES, FLOOR, long_text)
    h.slack.command(SALES, FLOOR, "BYD: 💥🔥 :fire: parts rusty again 😡")
    h.slack.command(SALES, FLOOR, "SAIC Volkswagen: '; DROP TABLE feedback_items; -- wrong labels on 40 pcs")
    h.ws.wait_for(lambda: len([e for e in h.ws.ephemerals_for(SALES) if "VOC-" in e.text]) == 3)
    items = {i.customer_text: i for i in h.items()}
    assert len(items["Geely"].text) >= 19000  # stored whole, shown clipped
    assert items["BYD"].severity == "A" and "🔥" in items["BYD"].text  # "again" -> repeat
    assert items["SAIC Volkswagen"].text.startswith("'; DROP TABLE")
    assert not h.ws.calls_to("chat.postMessage", ok=False)  # nothing broke Block Kit limits


def test_unknown_user_is_still_served_in_the_default_language(harness):
    h = harness
    h.slack.command("U0NOBODY", FLOOR, "Geely: connectors cracked, line stopped")
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    [item] = h.items()
    assert item.reporter_id == "U0NOBODY" and item.locale == "en"
    _confirmation(h, "U0NOBODY", "Filed VOC-1")


def test_the_ack_needs_no_slack_call(harness):
    """Nothing that can fail slowly runs before the ack: with every Slack method failing, the ack still
    answers at once, and the work after it catches up once Slack is back."""
    h = harness
    calls_before = len(h.ws.calls)
    for method in ("auth.test", "users.info", "chat.postMessage", "chat.postEphemeral", "chat.getPermalink"):
        h.ws.fail_next(method, status=500, error="internal_error", times=50)
    sent = h.slack.command(SALES, FLOOR, LINE_STOP)
    assert sent.status == 200 and "filing" in sent.ack_text.lower()
    assert not [c for c in h.ws.calls[calls_before:] if c.method == "auth.test"]  # verified once, at start-up
    h.ws.wait_for(lambda: h.items() and h.items()[0].status == "received")  # filed despite Slack being down
    h.join()  # the outage outlasts the sends under way
    h.ws.failures.clear()
    h.clock.advance(timedelta(minutes=5))
    from workers.outbox import deliver_outbox

    deliver_outbox.send(None)
    h.join()
    assert len(h.ws.channel_messages(QUALITY)) == 1
