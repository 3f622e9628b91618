"""Teams' proactive messages, the parts Slack has no counterpart for, over real HTTP with the Teams
emulator: a 429 waits its Retry-After, the whole bot's pace holds back what one conversation's would let
through, a row whose sender died before sending or that two deliverers take at once goes out once, a
person's chat is made once and remembered, and a linked file expires."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import requests
from sqlmodel import select

from bot.teams import people
from bot.teams.files import share
from domain import outbox
from domain.policy import Policy
from models import OutboundMessage, SharedFile, TeamsChat
from tests import teams_world
from tests.conftest import START
from tests.teams_world import channel_of
from tests.test_sla_slack import scheduler_at

teams = teams_world.teams
QM_AAD = "5f0c6a1e-7b2d-4c55-9a41-0d2b3c4e5f60"
QM = people.person_id(QM_AAD)
AA = "feedback Geely: connectors cracked, their line stopped"


@pytest.fixture(scope="module")
def policy():
    """The Teams world's policy, its quality manager (and the quality department's manager) a Teams person."""
    data = teams_world.policy.__wrapped__().model_dump(mode="json")
    data["roles"]["quality_manager"]["users"] = [QM]
    data["departments"]["quality"]["manager"] = QM
    return Policy.model_validate(data)


def file_aa(h, world):
    assert world.side.message(world.alice, AA).status == 200
    [parent] = world.tenant.wait_for(lambda: world.tenant.in_conversation(channel_of("quality"), top_level_only=True))
    h.join()
    return parent


def clock_posts(world, parent, mark: str):
    return [p for p in world.tenant.replies_to(channel_of("quality"), parent.id) if (p.text or "").startswith(mark)]


def reminder_row(h) -> OutboundMessage:
    with h.rt.db.session() as s:
        return s.exec(select(OutboundMessage).where(OutboundMessage.intent == "reminder")).one()


def test_a_429_is_tried_again_after_its_retry_after(harness, teams):
    h = harness
    parent = file_aa(h, teams)
    teams.tenant.fail_next("send", status=429, code="TooManyRequests", retry_after=7)
    moment = START + timedelta(hours=1, minutes=30)
    scheduler_at(h, moment)
    row = reminder_row(h)
    assert row.status == "pending" and "http_429" in row.last_error and clock_posts(teams, parent, "⏰") == []
    assert row.not_before.replace(tzinfo=moment.tzinfo) == moment + timedelta(seconds=7)  # Retry-After, not the backoff
    scheduler_at(h, moment + timedelta(seconds=7))
    assert len(clock_posts(teams, parent, "⏰")) == 1 and reminder_row(h).status == "sent"


def test_the_whole_bots_pace_keeps_it_under_teams_limit_and_each_post_goes_out_once(harness, teams):
    """Teams counts the bot's posts in all conversations together: three items' parents, pings and
    confirmations (nine posts, in two conversations, each well within its own pace) against a Teams that
    takes five a second from the bot: paced at two a second, Teams never has to answer 429."""
    h = harness
    teams.tenant.limit_bot(5, 1.0)
    h.rt.settings = h.rt.settings.model_copy(update={"teams_bot_rate": 2.0, "teams_bot_burst": 2})
    for n, customer in enumerate(["Geely", "BYD", "Great Wall"]):
        assert teams.side.message(teams.alice, f"feedback {customer}: scratches on the housing, {20 + n} pcs, they used them anyway").status == 200
    teams.tenant.wait_for(lambda: len(teams.tenant.posted) == 9)
    h.join()
    keys = [p.raw["channelData"]["vocOutboxKey"] for p in teams.tenant.posted]
    assert len(keys) == len(set(keys)) == 9 and teams.tenant.throttled == 0


def test_a_row_whose_sender_died_before_sending_or_that_two_deliverers_take_goes_out_once(harness, teams):
    h = harness
    parent = file_aa(h, teams)
    moment = START + timedelta(hours=1, minutes=30)
    h.clock.set(moment)
    h.rt.desk.tick(moment)  # queued, not sent
    row = reminder_row(h)
    with h.rt.db.session() as s:  # a worker claims it, then dies before it sends
        assert outbox.claim(s, row.id, moment, h.rt.settings.claim_lease) == "pending"
        s.commit()
    h.service.flush(None)
    assert clock_posts(teams, parent, "⏰") == []  # its claim still holds
    h.clock.set(moment + h.rt.settings.claim_lease + timedelta(seconds=1))
    both = [threading.Thread(target=h.service.deliverer.deliver) for _ in range(2)]  # and two deliverers at once
    for t in both:
        t.start()
    for t in both:
        t.join()
    assert len(clock_posts(teams, parent, "⏰")) == 1
    done = reminder_row(h)
    assert done.status == "sent" and done.result_ts == clock_posts(teams, parent, "⏰")[0].id
    assert clock_posts(teams, parent, "⏰")[0].raw["channelData"]["vocOutboxKey"] == done.key


def test_a_persons_chat_is_made_once_and_remembered(harness, teams):
    h = harness
    qm = teams.tenant.add_user("Wang Qiang", "zh-CN", aad_object_id=QM_AAD)
    file_aa(h, teams)
    scheduler_at(h, START + timedelta(hours=2))  # the department manager's level
    scheduler_at(h, START + timedelta(hours=6))  # the quality manager's
    chat = teams.tenant.personal_chat(qm)
    assert len(teams.tenant.in_conversation(chat)) == 2
    made = [c for c in teams.tenant.calls if c.method == "POST" and c.path.rstrip("/").endswith("v3/conversations")]
    assert len(made) == 1 and made[0].body["members"] == [{"id": QM_AAD}] and made[0].body["tenantId"] == teams.tenant.tenant_id
    with h.rt.db.session() as s:
        assert s.get(TeamsChat, QM).conversation == chat


def test_a_linked_file_is_served_until_it_expires(harness, teams):
    h = harness
    h.rt.settings = h.rt.settings.model_copy(update={"teams_files_url": teams.web.url.replace("/slack/events", ""),
                                                     "teams_files_days": 2})
    url = share(h.rt, "report:test", "VOC-1-8D.pdf", b"%PDF-1.7 test", START)
    assert url == share(h.rt, "report:test", "VOC-1-8D.pdf", b"%PDF-1.7 test", START)  # a retry links the same
    got = requests.get(url, timeout=10)
    assert got.status_code == 200 and got.content == b"%PDF-1.7 test" and got.headers["Content-Type"] == "application/pdf"
    assert "attachment" in got.headers["Content-Disposition"]
    assert requests.get(url.replace("/files/", "/files/x"), timeout=10).status_code == 404  # a guessed address
    h.clock.set(START + timedelta(days=2))
    assert requests.get(url, timeout=10).status_code == 404
    scheduler_at(h, START + timedelta(days=2))  # the sweep deletes what expired
    with h.rt.db.session() as s:
        assert s.exec(select(SharedFile)).all() == []


def test_every_intent_slack_sends_has_a_teams_sender():
    """An intent added for Slack without a Teams sender would be parked on Teams: this names it."""
    from bot.delivery import SENDERS
    from bot.teams.proactive import PROACTIVE_SENDERS
    from bot.teams.senders import TEAMS_SENDERS

    assert set(SENDERS) - set(TEAMS_SENDERS) - set(PROACTIVE_SENDERS) == set()


def test_the_8d_is_linked_in_the_thread_and_the_parent_redrawn(harness, teams):
    h = harness
    h.rt.settings = h.rt.settings.model_copy(update={"teams_files_url": teams.web.url.replace("/slack/events", "")})
    parent = file_aa(h, teams)
    [item] = h.items()
    with h.rt.db.session() as s:
        for intent in ("eightd_files", "refresh"):
            outbox.enqueue(s, key=f"item:{item.id}:{intent}:test", intent=intent, item_id=item.id, channel=item.channel_id,
                           now=h.clock.now(), locale="en", data={"by": QM})
        s.commit()
    h.service.flush(None)
    h.join()
    [files] = [p for p in teams.tenant.replies_to(channel_of("quality"), parent.id) if "8D" in (p.text or "")]
    links = {a["title"]: a["url"] for a in files.card["actions"]}
    assert sorted(links) == ["VOC-1-8D.pdf", "VOC-1-8D.xlsx"]
    assert requests.get(links["VOC-1-8D.pdf"], timeout=10).content.startswith(b"%PDF")
    assert requests.get(links["VOC-1-8D.xlsx"], timeout=10).content.startswith(b"PK")
    assert parent.versions == 2  # the refresh updated the parent activity, in place


def test_without_a_files_address_a_document_is_parked_with_the_reason_not_tried_again(harness, teams):
    h = harness
    h.rt.settings = h.rt.settings.model_copy(update={"teams_files_url": None})
    file_aa(h, teams)
    [item] = h.items()
    with h.rt.db.session() as s:
        outbox.enqueue(s, key=f"item:{item.id}:8d:test", intent="eightd_files", item_id=item.id, channel=item.channel_id,
                       now=h.clock.now(), locale="en", data={"by": QM})
        s.commit()
    h.service.flush(None)
    with h.rt.db.session() as s:
        row = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "eightd_files")).one()
    assert (row.status, row.attempts) == ("failed", 1) and "TEAMS_FILES_URL" in row.last_error
    assert [r.intent for r in h.outbox()][-1] == "parked"  # the admins are told, as of any parked row


def test_a_message_to_a_teams_person_goes_to_their_chat_on_teams(harness, teams):
    """Queued as the domain queues it — no platform named, the person's id says Teams — the survey
    reminder and an admin's parked-row notice reach the person's chat with the bot."""
    h = harness
    qm = teams.tenant.add_user("Wang Qiang", "zh-CN", aad_object_id=QM_AAD)
    with h.rt.db.session() as s:
        outbox.enqueue(s, key="survey-moment:test", intent="survey_moment", channel=QM, user=QM, now=h.clock.now(),
                       locale="en", data={"year": 2026, "moment": "year_end",
                                          "customers": [{"id": 1, "name": "Geely", "names": {"zh": "吉利"}}]})
        outbox.enqueue(s, key="parked:test", intent="parked", channel=QM, user=QM, now=h.clock.now(), locale="en",
                       data={"row_id": 7, "intent": "report", "error": "MessageSizeTooBig http_413"})
        s.commit()
    h.service.flush(None)
    told = teams.tenant.wait_for(lambda: len(found := teams.tenant.in_conversation(teams.tenant.personal_chat(qm))) == 2
                                 and found)
    assert "Geely" in told[0].text and "2026" in told[0].text
    assert told[1].text.startswith("⚠️") and "MessageSizeTooBig" in told[1].text
    assert {r.platform for r in h.outbox()} == {"teams"}


def test_an_approval_request_reaches_a_teams_approver_with_the_link_to_a_slack_items_thread(harness, teams):
    """A company on both: the item lives in Slack, its approver in Teams. The request is drawn as in Slack,
    and its link is Slack's permalink to the item's thread (not a Teams address made of Slack ids)."""
    from tests.test_flows import FLOOR, QUALITY, SALES

    h = harness
    qm = teams.tenant.add_user("Wang Qiang", "zh-CN", aad_object_id=QM_AAD)
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked, their line stopped")
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.join()
    [item] = h.items()
    with h.rt.db.session() as s:
        outbox.enqueue(s, key="approval:test", intent="approval", item_id=item.id, channel=QM, user=QM, now=h.clock.now(),
                       locale="en", data={"requested_by": "U0QZHOU", "subject": "8d", "stage": None, "revision": 1})
        s.commit()
    h.service.flush(None)
    [asked] = teams.tenant.wait_for(lambda: teams.tenant.in_conversation(teams.tenant.personal_chat(qm)))
    assert "VOC-1" in asked.text and "https://emulated.slack.local/archives/C0QUALITY/" in str(asked.card)


def test_a_slack_approver_asked_about_a_teams_item_gets_the_link_to_its_teams_thread(harness, teams):
    h = harness
    parent = file_aa(h, teams)
    [item] = h.items()
    with h.rt.db.session() as s:  # queued as the domain queues it: the approver's Slack id says Slack
        outbox.enqueue(s, key="approval:slack-test", intent="approval", item_id=item.id, channel="U0QMWANG",
                       user="U0QMWANG", now=h.clock.now(), locale="en",
                       data={"requested_by": "U0QZHOU", "subject": "8d", "stage": None, "revision": 1})
        s.commit()
    h.service.flush(None)
    [asked] = h.ws.wait_for(lambda: h.ws.channel_messages(h.ws.dm_channel("U0QMWANG")))
    assert f"teams.microsoft.com/l/message/19%3Avocquality%40thread.tacv2/{parent.id}" in str(asked.blocks)


def test_a_persons_chat_is_remembered_from_the_message_they_wrote_there(harness, teams):
    """Alice wrote to the bot in her chat: a message to her later goes there without asking Teams for it."""
    h = harness
    file_aa(h, teams)
    with h.rt.db.session() as s:
        outbox.enqueue(s, key="survey-moment:alice", intent="survey_moment", channel=people.person_id(teams.alice["aadObjectId"]),
                       user=people.person_id(teams.alice["aadObjectId"]), now=h.clock.now(), locale="en",
                       data={"year": 2026, "moment": "year_end", "customers": [{"id": 1, "name": "Geely", "names": {}}]})
        s.commit()
    h.service.flush(None)
    chat = teams.tenant.personal_chat(teams.alice)
    teams.tenant.wait_for(lambda: any("Geely" in (p.text or "") and "2026" in (p.text or "")
                                      for p in teams.tenant.in_conversation(chat)))
    assert not [c for c in teams.tenant.calls if c.method == "POST" and c.path.rstrip("/").endswith("v3/conversations")]


def test_voc_teams_person_prints_the_id_a_policy_names_a_teams_person_by(capsys):
    from cli.main import main

    assert main(["teams", "person", QM_AAD]) == 0
    assert capsys.readouterr().out == f"{QM_AAD}\t{QM}\n"
    assert main(["teams", "person", "wang@contoso.example"]) == 2
    assert "not a Microsoft Entra object id" in capsys.readouterr().err
