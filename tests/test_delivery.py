"""Slack failing after the item is saved: the item is kept, the posts wait in the outbox and a worker sends them."""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from models import OutboundMessage
from workers.outbox import deliver_outbox

SALES, FLOOR, QUALITY = "U0SALESEMMA", "C0SALESFLOOR", "C0QUALITY"
TEXT = "Geely: connectors cracked, their line stopped"


def _eph(h, needle):
    return h.ws.wait_for(lambda: [e for e in h.ws.ephemerals_for(SALES) if needle in e.text])[-1]


def test_slack_500_keeps_the_item_and_the_worker_posts_it_later_exactly_once(harness):
    h = harness
    h.ws.fail_next("chat.postMessage", status=500, error="internal_error", times=2)  # the client retries once itself
    h.slack.command(SALES, FLOOR, TEXT)
    confirm = _eph(h, "queued")  # the reporter is told at once, not left waiting
    assert "VOC-1" in confirm.text
    [item] = h.items()
    assert item.status == "received" and item.thread_ts is None
    parent_row = next(r for r in h.outbox() if r.intent == "parent")
    assert parent_row.status == "pending" and parent_row.last_error == "internal_error" and parent_row.attempts == 1
    assert h.ws.channel_messages(QUALITY) == []

    h.clock.advance(timedelta(seconds=10))
    deliver_outbox.send(None)
    harness.join()
    [parent] = h.ws.channel_messages(QUALITY)
    assert h.ws.thread(QUALITY, parent.ts)  # the ping follows its parent
    assert {r.intent: r.status for r in h.outbox()} == {"parent": "sent", "ping": "sent", "confirmation": "sent"}
    deliver_outbox.send(None)  # a duplicate sweep (two schedulers) sends nothing more
    harness.join()
    assert len(h.ws.channel_messages(QUALITY, include_replies=True)) == 2


def test_rate_limit_is_honoured_with_retry_after(harness):
    h = harness
    h.ws.fail_next("chat.postMessage", status=429, error="ratelimited", times=1, retry_after=1)
    h.slack.command(SALES, FLOOR, TEXT)
    _eph(h, "queued")
    row = next(r for r in h.outbox() if r.intent == "parent")
    assert row.status == "pending" and row.not_before == h.clock.now() + timedelta(seconds=1)
    deliver_outbox.send(1)
    harness.join()
    assert h.ws.channel_messages(QUALITY) == []  # not before Retry-After (virtual time has not moved)
    h.clock.advance(timedelta(seconds=2))
    deliver_outbox.send(1)
    harness.join()
    assert len(h.ws.channel_messages(QUALITY)) == 1


def test_a_permanent_error_is_reported_to_the_reporter_and_the_item_kept(harness):
    h = harness
    h.ws.fail_next("chat.postMessage", status=200, error="channel_not_found")
    h.slack.command(SALES, FLOOR, TEXT)
    confirm = _eph(h, "failed")
    assert "channel_not_found" in confirm.text and "VOC-1" in confirm.text
    h.join()  # everything due sent, the admins' notices of the parked rows included
    rows = h.outbox()
    assert {r.intent: r.status for r in rows if r.intent != "parked"} == {"parent": "failed", "ping": "failed", "confirmation": "sent"}
    assert sorted((r.data["intent"], r.status) for r in rows if r.intent == "parked") == [("parent", "sent"), ("ping", "sent")]  # the admin is told
    assert h.items()[0].status == "received"


def test_the_bot_joins_a_public_channel_it_was_not_invited_to(harness):
    h = harness
    h.ws.channels[QUALITY]["members"].remove(h.ws.bot_user)
    h.slack.command(SALES, FLOOR, TEXT)
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    assert h.ws.calls_to("conversations.join")


def test_confirmation_falls_back_to_a_dm_where_the_bot_cannot_post_ephemerally(harness):
    h = harness
    h.ws.failures["response_url"] = [(404, "expired_url", {})]  # the response_url expired
    h.ws.channels[FLOOR]["members"].remove(SALES)  # and the person is not a member where they typed
    h.slack.command(SALES, FLOOR, TEXT)
    h.ws.wait_for(lambda: [m for m in h.ws.messages if m.channel == "D0SALESEMMA" and "VOC-1" in m.text])
    assert [c.error for c in h.ws.calls_to("chat.postEphemeral", ok=False)] == ["user_not_in_channel"]


def test_a_ping_posted_by_a_worker_that_died_before_recording_it_is_not_posted_again(harness):
    h = harness
    h.slack.command(SALES, FLOOR, TEXT)
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    [ping] = h.ws.wait_for(lambda: h.ws.thread(QUALITY, parent.ts))
    h.join()
    with h.rt.db.session() as s:  # the ping reached Slack; its worker died before recording the answer
        row = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "ping")).one()
        row.status, row.claimed_at, row.sent_at, row.result_ts = "sending", h.clock.now(), None, None
    h.clock.advance(h.rt.settings.claim_lease + timedelta(seconds=1))
    deliver_outbox.send(None)
    h.join()
    assert h.ws.thread(QUALITY, parent.ts) == [ping]  # found by its key in the thread, not posted again
    assert [(r.status, r.result_ts) for r in h.outbox() if r.intent == "ping"] == [("sent", ping.ts)]
    assert h.ws.calls_to("conversations.replies")[-1].params.get("include_all_metadata") in ("1", "true", True)


def test_a_post_whose_answer_never_came_is_looked_for_before_it_is_sent_again(harness):
    """A timeout says nothing about whether Slack took the post: the retry looks before it posts."""
    from bot.delivery import NO_ANSWER
    from bot.slack_client import make_client

    h = harness
    h.rt.client = make_client("xoxb-test", h.emulator.api_url, timeout=1)
    h.ws.slow_down("chat.postMessage", 3)  # Slack takes the post; its answer comes after the client gave up
    h.slack.command(SALES, FLOOR, TEXT)
    h.ws.wait_for(lambda: [r for r in h.outbox() if r.intent == "parent" and r.status == "pending"
                           and (r.last_error or "").startswith(NO_ANSWER)], timeout=20)
    h.ws.slow_down("chat.postMessage", 0)
    [posted] = h.ws.channel_messages(QUALITY)
    h.clock.advance(timedelta(minutes=1))
    deliver_outbox.send(None)
    h.ws.wait_for(lambda: {r.intent: r.status for r in h.outbox()}.get("ping") == "sent", timeout=60)
    h.join()
    assert h.ws.channel_messages(QUALITY) == [posted]
    assert [r.result_ts for r in h.outbox() if r.intent == "parent"] == [posted.ts]
    assert len(h.ws.thread(QUALITY, posted.ts)) == 1
