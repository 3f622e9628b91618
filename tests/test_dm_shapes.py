"""DMs as Slack really sends them: a photo with the feedback (file_share), edits, deletions, bots."""
from __future__ import annotations

import json

from sqlmodel import select

from models import InboundRequest

from tests.test_flows import QUALITY, SALES


def test_feedback_with_a_photo_is_filed_and_the_photo_referenced(harness):
    h = harness
    h.slack.dm(SALES, "Geely: connectors PN 5520 cracked at their incoming inspection, 40 pcs, see photo, line not affected",
               files=["crack & burr.jpg"])
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    [item] = h.items()
    [f] = item.files
    assert f["name"] == "crack & burr.jpg" and f["id"].startswith("F") and f["permalink"].startswith("https://")
    blocks = json.dumps(parent.blocks)
    assert f"<{f['permalink']}|crack &amp; burr.jpg>" in blocks  # a link to Slack's file, its name escaped


def test_edits_deletions_and_bot_messages_are_not_new_feedback(harness):
    h = harness
    msg, _ = h.slack.dm(SALES, "Geely: connectors cracked, their line stopped")
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.join()
    before = (len(h.ws.messages), len(h.ws.ephemerals))
    assert h.slack.edit_dm(SALES, msg, "Geely: connectors cracked, their line stopped twice").status == 200
    assert h.slack.delete_dm(SALES, msg).status == 200
    assert h.slack.bot_echo(SALES, "Filed VOC-1: AA complaint for Geely Auto").status == 200
    h.join()
    assert len(h.items()) == 1 and (len(h.ws.messages), len(h.ws.ephemerals)) == before  # no item, no reply
    with h.rt.db.session() as s:  # acknowledged and set aside, not failed and waiting for a retry
        assert [(r.status, r.last_error) for r in s.exec(select(InboundRequest))] == [("done", None)]
