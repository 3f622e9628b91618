"""Text is data: decoded once where Slack hands it over, escaped once where the bot renders it.

What a person types must never become a mention, a link or a broadcast, must not be stored
HTML-encoded, and must be stored at all (no character the database refuses).
"""
from __future__ import annotations

import json

import pytest
from sqlmodel import select

from models import Customer
from tests.test_flows import FLOOR, QUALITY, SALES, eph, open_view


def _everything_posted(h) -> str:
    msgs = h.ws.channel_messages(QUALITY, include_replies=True)
    return "\n".join(m.text + json.dumps(m.blocks or []) for m in msgs)


def _customers(h) -> list[str]:
    with h.rt.db.session() as s:
        return sorted(c.name for c in s.exec(select(Customer)).all())


def test_a_broadcast_typed_as_the_customer_in_the_form_is_shown_not_sent(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "")
    h.slack.submit_view(SALES, open_view(h, SALES).id, {"customer": "<!channel>", "text": "connectors cracked"})
    eph(h, SALES, "VOC-1")
    posted = _everything_posted(h)
    assert "<!channel>" not in posted and "&lt;!channel&gt;" in posted
    assert "<!channel>" in _customers(h)  # stored as typed: plain text


def test_a_broadcast_typed_in_the_slash_command_is_shown_not_sent(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "<!channel> <@U0QMWANG>: connectors cracked, they want an 8D, see <http://evil.example|this>")
    eph(h, SALES, "VOC-1")
    posted = _everything_posted(h)
    for markup in ("<!channel>", "<@U0QMWANG>", "<http://evil.example"):
        assert markup not in posted
    [item] = h.items()
    assert "<http://evil.example|this>" in item.text  # what the person typed, decoded once


def test_an_ampersand_is_one_customer_from_the_form_and_the_command_and_is_never_double_encoded(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "M&M Motors: connectors cracked, 40 pcs rejected")
    eph(h, SALES, "VOC-1")
    h.slack.command(SALES, FLOOR, "")
    h.slack.submit_view(SALES, open_view(h, SALES).id, {"customer": "M&M Motors", "text": "housings cracked"})
    eph(h, SALES, "VOC-2")
    assert _customers(h).count("M&M Motors") == 1 and not [c for c in _customers(h) if "&amp;" in c]
    first, second = h.items()
    assert first.customer_id == second.customer_id
    posted = _everything_posted(h) + "".join(e.text for e in h.ws.ephemerals_for(SALES))
    assert "M&amp;M Motors" in posted and "&amp;amp;" not in posted


def test_slack_markup_in_a_dm_becomes_the_words_a_person_reads(harness):
    h = harness
    h.slack.dm(SALES, "Geely: <@U024BE7LH|bob> says the harnesses in lot 23-1107 are cracked, "
                      "see <https://youtu.be/W86cTIoMv2U|photo> and ask <#C024BE7LR|quality>", markup=True)
    h.join()
    [item] = h.items()
    assert "@bob says" in item.text and "photo (https://youtu.be/W86cTIoMv2U)" in item.text and "#quality" in item.text
    for not_a_part in ("U024BE7LH", "W86cTIoMv2U", "C024BE7LR", "youtu.be"):
        assert not_a_part not in item.part_numbers + item.lot_numbers
    assert item.lot_numbers == ["23-1107"]


@pytest.mark.parametrize("start", ["<!here>", "<mailto:bob@geely.com|bob@geely.com>", "<@U0QMWANG>"])
def test_a_mention_or_an_address_before_the_colon_is_not_a_customer(harness, start):
    h = harness
    h.slack.dm(SALES, f"{start}: line down at their plant, connectors cracked", markup=True)
    h.join()
    [item] = h.items()
    assert item.customer_id is None and item.status == "draft"  # the bot asks which customer
    assert _customers(h) == sorted(c.key_name for c in h.rt.policy.customers)
    assert "<!here>" not in _everything_posted(h)


NASTY = "connectors cracked\x00 in lot 23-1107 \ud83d line stopped"


def test_a_nul_byte_or_a_lone_surrogate_is_cleaned_and_filed_from_every_entry_point(harness):
    h = harness
    h.slack.command(SALES, FLOOR, "Geely: " + NASTY)
    h.slack.dm(SALES, "BYD: " + NASTY)
    h.slack.command(SALES, FLOOR, "")
    h.slack.submit_view(SALES, open_view(h, SALES).id, {"customer": "Chery\x00", "text": NASTY})
    h.ws.wait_for(lambda: len([i for i in h.items() if i.status == "received"]) == 3, timeout=60)
    for item in h.items():
        assert "\x00" not in item.text and "\ufffd" in item.text and item.lot_numbers == ["23-1107"]
    assert not [e for e in h.ws.ephemerals_for(SALES) if "try again" in e.text.lower()]


def test_a_forged_owner_is_shown_as_text_never_as_a_mention_or_broadcast():
    from bot.views.common import mention

    assert mention("U0QZHOU") == "<@U0QZHOU>"
    assert mention("U1> <!channel") == "U1&gt; &lt;!channel"
