"""A message Slack keeps refusing is parked with its error, the admins hear of it once, `voc outbox`
lists it and `voc outbox retry` sends it again."""
from __future__ import annotations

from sqlmodel import select

from models import OutboundMessage
from tests.test_cli import run
from tests.test_flows import FLOOR, QUALITY, SALES, eph

ADMIN = "U0QMWANG"  # the default policy's admin


def test_a_parked_message_is_told_listed_and_sent_again(harness):
    h = harness
    h.ws.fail_next("chat.postMessage", status=200, error="invalid_blocks")  # the thread parent: refused for good
    h.slack.command(SALES, FLOOR, "BYD: small burrs on bracket PN HX-2231, 10 pcs, customer used them, asks us to improve")
    eph(h, SALES, "VOC-1")
    h.join()
    with h.rt.db.session() as s:
        parent = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "parent")).one()
    assert parent.status == "failed" and parent.last_error == "invalid_blocks"
    # one DM per parking: the parent, and the ping that could not go without it
    notices = h.ws.wait_for(lambda: len(found := h.ws.channel_messages(h.ws.dm_channel(ADMIN))) == 2 and found)
    assert f"#{parent.id}（parent）" in notices[0].text and "voc outbox retry" in notices[0].text  # Wang reads Chinese
    h.service.flush(None)  # another pass: nobody is told twice
    assert len(h.ws.channel_messages(h.ws.dm_channel(ADMIN))) == 2

    env = {"DATABASE_URL": h.rt.settings.database_url}
    listing = run("outbox", env=env)
    assert listing.returncode == 0, listing.stderr
    line = next(x for x in listing.stdout.splitlines() if x.split()[:1] == [str(parent.id)])
    assert "parked" in line and "parent" in line and "invalid_blocks" in line
    assert run("outbox", "retry", env=env).returncode == 2  # which ones? it does not guess
    retried = run("outbox", "retry", "--all", "--no-send", env=env)
    assert retried.returncode == 0 and "2 parked message(s) queued again" in retried.stdout
    h.service.flush(None)
    h.join()
    [posted] = h.ws.channel_messages(QUALITY)  # posted this time; the ping that waited for it follows in its thread
    assert [m.text for m in h.ws.messages if m.thread_ts == posted.ts and "new B complaint" in m.text]


def test_a_dm_whose_sender_died_is_sent_when_slack_will_not_open_the_im(harness):
    """Before sending again, the bot looks for the dead sender's DM; an install without `im:write`
    cannot open the IM to look. That refusal means "send it", never "park it"."""
    from datetime import timedelta

    from domain import outbox

    h = harness
    with h.rt.db.session() as s:
        outbox.enqueue(s, key=f"parked:99:{ADMIN}", intent="parked", channel=ADMIN, user=ADMIN, now=h.clock.now(),
                       data={"row_id": 99, "intent": "note", "error": "invalid_blocks"})
    with h.rt.db.session() as s:  # a sender claimed it an hour ago and died
        row = s.exec(select(OutboundMessage).where(OutboundMessage.key == f"parked:99:{ADMIN}")).one()
        row.status, row.claimed_at, row.attempts = "sending", h.clock.now() - timedelta(hours=1), 1
    h.ws.fail_next("conversations.open", status=200, error="missing_scope")
    h.service.flush(None)
    assert [c.error for c in h.ws.calls_to("conversations.open", ok=False)] == ["missing_scope"]
    assert len(h.ws.channel_messages(h.ws.dm_channel(ADMIN))) == 1
    with h.rt.db.session() as s:
        assert s.exec(select(OutboundMessage.status).where(OutboundMessage.key == f"parked:99:{ADMIN}")).one() == "sent"
