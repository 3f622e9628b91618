"""Teams intake over real HTTP: activities signed by the Teams emulator's key into the bot's
/api/messages, the connector calls the bot makes back to the emulator, on the Slack harness's
database, inbox, worker and outbox (issue 21)."""
from __future__ import annotations

import json

import time
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.teams import people
from models import InboundRequest
from teams_emulator import SigningKeys
from tests import teams_world
from tests.teams_world import channel_of, tag_of

policy, teams = teams_world.policy, teams_world.teams  # the fixtures: Teams beside the Slack harness

GEELY = "feedback Geely Ningbo: connectors don't fit, their line stopped"


def inbox(h):
    with h.rt.db.session() as s:
        return list(s.exec(select(InboundRequest).order_by(InboundRequest.id)).all())


def test_a_token_not_from_the_bot_framework_for_this_bot_gets_401_and_nothing_is_stored(harness, teams):
    side, hour_ago = teams.side, time.time() - 3600
    activity = side._base("message", teams.alice, teams.tenant.personal_chat(teams.alice))
    activity["text"] = GEELY
    impostor = SigningKeys()
    impostor.kid = teams.keys.kid  # a forger knows the kid (it is public); not the private key
    refused = {
        "forged": side.post(dict(activity), token=impostor.channel_token(teams.tenant.app_id, activity["serviceUrl"])),
        "expired": side.post(dict(activity), now=hour_ago - 3600, lifetime=3600),
        "another bot": side.post(dict(activity), aud="11111111-2222-4333-8444-555555555555"),
        "another issuer": side.post(dict(activity), iss="https://sts.example.com"),
        "no audience": side.post(dict(activity), aud=None),
        "issued for another serviceUrl": side.post(dict(activity), serviceUrl="https://evil.example.com/"),
        "no token": side.post(dict(activity), authorization=""),
        "not bearer": side.post(dict(activity), authorization="Basic dXNlcjpwYXNz"),
        "garbage": side.post(dict(activity), token="not.a.jwt"),
    }
    assert {why: d.status for why, d in refused.items()} == {why: 401 for why in refused}
    assert inbox(harness) == [] and harness.items() == []
    assert teams.tenant.calls == []  # the bot did not act on any of them


@pytest.mark.endorsements("webchat")  # the emulator's key endorses another channel from the start
def test_a_key_that_does_not_endorse_the_channel_gets_403(harness, teams):
    assert teams.side.message(teams.alice, GEELY).status == 403
    assert inbox(harness) == []


def test_a_message_files_an_item_posts_its_card_in_the_channel_pings_the_tag_and_confirms(harness, teams):
    sent = teams.side.message(teams.alice, GEELY)
    assert sent.status == 200
    tenant = teams.tenant
    confirmation = tenant.wait_for(lambda: tenant.in_conversation(tenant.personal_chat(teams.alice)))
    harness.join()
    [item] = harness.items()
    assert (item.platform, item.status, item.reporter_id) == ("teams", "received", people.person_id(teams.alice["aadObjectId"]))
    assert item.customer_text and "Geely" in item.customer_text and item.line_state == "stopped"
    dept = item.department
    [parent] = teams.channel_posts(dept)  # the thread parent, once, as an Adaptive Card
    assert (item.channel_id, item.thread_ts) == (channel_of(dept), parent.id)
    card_text = str(parent.card)
    assert "connectors don" in card_text and "Alice Chen" in card_text
    assert parent.card["msteams"]["entities"][0]["mentioned"]["id"] == teams.alice["aadObjectId"]  # the reporter
    [ping] = tenant.replies_to(channel_of(dept), parent.id)  # the department's tag, mentioned in the thread
    assert ping.mentioned() == [tag_of(dept), teams.alice["aadObjectId"]]  # the department's tag, and who reported it
    assert [e["mentioned"].get("type") for e in ping.entities] == ["tag", None]
    assert f"<at>{harness.rt.policy.departments[dept].teams.tag_name}</at>" in ping.text and "<at>Alice Chen</at>" in ping.text
    [told] = confirmation  # the reporter is answered in their chat with the bot, in their language
    assert "VOC-" in told.text and "teams.microsoft.com/l/message" in told.text and told.card is not None
    assert "VOC-1" in json.dumps(told.card, ensure_ascii=False)  # the card itself names what was filed


def test_the_channel_redelivering_an_activity_files_nothing_twice(harness, teams):
    first = teams.side.message(teams.alice, GEELY)
    tenant = teams.tenant
    tenant.wait_for(lambda: tenant.in_conversation(tenant.personal_chat(teams.alice)))
    harness.join()
    again = teams.side.post(first)  # the same activity (same id), freshly signed: the channel's retry
    assert again.status == 200
    harness.join()
    assert len(harness.items()) == 1 and len(inbox(harness)) == 1
    dept = harness.items()[0].department
    assert len(teams.channel_posts(dept)) == 1
    assert len(tenant.in_conversation(tenant.personal_chat(teams.alice))) == 1


def test_feedback_in_chinese_is_answered_in_chinese(harness, teams):
    teams.side.message(teams.lina, "反馈 吉利宁波：连接器装不上，客户停线")
    tenant = teams.tenant
    [told] = tenant.wait_for(lambda: tenant.in_conversation(tenant.personal_chat(teams.lina)))
    harness.join()
    [item] = harness.items()
    assert item.locale == "zh" and item.platform == "teams"
    assert "已登记" in told.text


def test_a_message_that_is_no_feedback_gets_the_usage_in_the_persons_language(harness, teams):
    teams.side.message(teams.lina, "你好")
    tenant = teams.tenant
    [told] = tenant.wait_for(lambda: tenant.in_conversation(tenant.personal_chat(teams.lina)))
    assert "反馈" in told.text and harness.items() == []


def test_a_throttled_post_is_sent_again_after_retry_after_once(harness, teams):
    tenant = teams.tenant
    tenant.fail_next("send", 429, "TooManyRequests", retry_after=7)  # the parent's first try
    teams.side.message(teams.alice, GEELY)
    harness.join()
    [parent_row] = [r for r in harness.outbox() if r.intent == "parent"]
    assert parent_row.status == "pending" and "429" in parent_row.last_error
    assert parent_row.not_before - harness.rt.clock.now() >= timedelta(seconds=6)
    harness.clock.advance(timedelta(seconds=8))
    harness.service.flush(parent_row.item_id)
    harness.join()
    dept = harness.items()[0].department
    assert len(teams.channel_posts(dept)) == 1 and tenant.throttled == 0
    assert {r.intent: r.status for r in harness.outbox()} == {"parent": "sent", "ping": "sent", "confirmation": "sent"}


def test_an_installation_or_a_card_action_naming_no_step_is_acknowledged_and_not_stored(harness, teams):
    installed = teams.side.conversation_update(teams.alice)
    clicked = teams.side.invoke(teams.alice, channel_of("quality"), {"verb": "undo", "value": "1"})
    assert (installed.status, clicked.status) == (200, 200)  # Teams shows no error (card actions: test_lifecycle_both)
    assert clicked.answer["type"] == "application/vnd.microsoft.activity.message"
    assert inbox(harness) == [] and teams.tenant.calls == []


def test_the_channels_keys_are_fetched_when_the_endpoint_starts_not_by_the_first_activity(harness, teams):
    # Before any activity arrives: the first one's token check then answers without waiting on the network.
    assert teams.server.wait_for_key_fetch(), "the keys were not fetched at start-up"
