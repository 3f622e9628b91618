"""The DM conversation on Teams, over real HTTP with signed tokens: a person writes to the bot in
their personal chat without "feedback …", the bot asks what is missing one question at a time as
Adaptive Cards (answered by text or by pressing a card's Action.Submit, which Teams sends back as a
message activity), then files; the AA question ("could this be critical?") stands before anything
plausibly AA is filed lower. The Teams emulator as Teams, the Slack harness's database and workers."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from bot import action_ids as ids
from bot.teams import people
from models import Conversation, Event
from tests import teams_world
from tests.teams_world import channel_of

policy, teams = teams_world.policy, teams_world.teams  # the fixtures: Teams beside the Slack harness

PLAUSIBLE = "Geely: their production is struggling, the connectors from lot 22 don't fit and they are short of parts"


def bot_says(teams, user, needle, count=1):
    """The bot's messages in the person's personal chat containing `needle` (waits for `count`)."""
    tenant, chat = teams.tenant, teams.tenant.personal_chat(user)

    def found():
        mine = [p for p in tenant.in_conversation(chat) if needle in (p.text or "") + json.dumps(p.card or {}, ensure_ascii=False)]
        return len(mine) >= count and mine
    return tenant.wait_for(found)[-1]


def button(posted, title):
    return next(a for a in (posted.card or {}).get("actions", []) if a["title"] == title)


def titles(posted):
    return [a["title"] for a in (posted.card or {}).get("actions", [])]


def test_a_message_without_feedback_becomes_the_conversation_answered_by_text_and_card_and_filed(harness, teams):
    side, alice = teams.side, teams.alice
    assert side.message(alice, "Geely: connectors cracked at their incoming inspection").status == 200
    first = bot_says(teams, alice, "Which part or lot numbers?")
    assert "Got it: Complaint · Quality" in json.dumps(first.card, ensure_ascii=False)
    assert "Which customer" not in json.dumps(first.card)  # named: not asked
    assert titles(first) == ["Not known"] and all(a["type"] == "Action.Submit" for a in first.card["actions"])
    harness.join()
    [draft] = harness.items()
    assert (draft.status, draft.platform) == ("draft", "teams") and teams.channel_posts("quality") == []
    side.message(alice, "PN 5520, lot 23-1107")
    bot_says(teams, alice, "How many pieces are affected?")
    side.message(alice, "40 pcs")
    line = bot_says(teams, alice, "Is the customer's line stopped?")
    assert titles(line) == ["Yes, stopped", "Not yet, about to stop", "No", "Not known"]
    assert side.submit(alice, line, button(line, "Yes, stopped")).status == 200
    told = bot_says(teams, alice, "VOC-1")
    harness.join()
    [item] = harness.items()
    assert (item.part_numbers, item.lot_numbers, item.quantity, item.line_stopped) == (["5520"], ["23-1107"], 40, True)
    assert item.severity == "AA" and item.status == "received"  # a stated line stop is AA
    [parent] = teams.channel_posts(item.department)
    assert "5520" in json.dumps(parent.card) and (item.channel_id, item.thread_ts) == (channel_of(item.department), parent.id)
    assert "teams.microsoft.com/l/message" in told.text
    with harness.rt.db.session() as s:  # the same conversation state as Slack's DM, keyed by the Teams person
        [conv] = s.exec(select(Conversation)).all()
    assert (conv.user_id, conv.channel_id, conv.state) == (people.person_id(alice["aadObjectId"]),
                                                           teams.tenant.personal_chat(alice), "done")
    assert conv.answered == ["parts", "quantity", "line_stopped"]


def test_in_chinese_a_customer_chosen_on_the_card_and_cancel_drops_it(harness, teams):
    side, lina = teams.side, teams.lina
    side.message(lina, "这批端子有毛刺，客户要求8D")
    who = bot_says(teams, lina, "是哪个客户？")
    assert "收到：" in json.dumps(who.card, ensure_ascii=False) and "BYD" in titles(who)
    side.submit(lina, who, button(who, "BYD"))
    bot_says(teams, lina, "涉及哪些零件号或批号？")
    side.message(lina, "取消")
    bot_says(teams, lina, "已放弃")
    harness.join()
    [draft] = harness.items()
    assert draft.status == "draft" and draft.customer_text == "BYD" and draft.number is None
    side.message(lina, "你好")  # the conversation is over: no answer, and no feedback either
    bot_says(teams, lina, "请这样告诉我客户反馈")
    assert len(harness.items()) == 1


def test_a_stale_button_changes_nothing_and_says_so(harness, teams):
    side, alice = teams.side, teams.alice
    side.message(alice, "Geely: connectors cracked at their incoming inspection")
    first = bot_says(teams, alice, "Which part or lot numbers?")
    side.message(alice, "PN 5520")
    bot_says(teams, alice, "How many pieces are affected?")
    side.submit(alice, first, button(first, "Not known"))  # the earlier question's button, pressed late
    harness.join()
    [item] = harness.items()
    assert item.part_numbers == ["5520"] and item.status == "draft"
    with harness.rt.db.session() as s:
        [conv] = s.exec(select(Conversation)).all()
    assert conv.asking == "quantity" and conv.answered == ["parts"]


def test_the_aa_question_is_asked_on_teams_before_filing_and_the_answer_sets_aa(harness, teams):
    side, alice = teams.side, teams.alice
    side.message(alice, "feedback " + PLAUSIBLE)
    question = bot_says(teams, alice, "could this be critical (AA)?")
    assert titles(question)[:3] == ["Their line is stopped or about to stop", "Someone's safety or a recall is involved",
                                    "Neither"]
    assert "File it" not in titles(question)  # no way round the question but Discard
    harness.join()
    [draft] = harness.items()
    assert draft.status == "draft" and draft.number is None and teams.channel_posts("quality") == []
    side.submit(alice, question, button(question, "Someone's safety or a recall is involved"))
    [parent] = teams.tenant.wait_for(lambda: teams.channel_posts("quality"))
    harness.join()
    [item] = harness.items()
    assert (item.status, item.problem_severity, item.severity) == ("received", "AA", "AA")
    assert [r["rule"] for r in item.reasons if r["field"] == "severity"] == ["reporter"]
    assert "safety or a recall is involved" in json.dumps(parent.card)
    with harness.rt.db.session() as s:
        ev = s.exec(select(Event).where(Event.action == "aa_answered")).one()
    assert ev.actor == people.person_id(alice["aadObjectId"]) and ev.detail["answer"] == "safety"
    side.submit(alice, question, button(question, "Neither"))  # pressed again after it was filed
    bot_says(teams, alice, "already filed as VOC-1")
    assert harness.items()[0].problem_severity == "AA"


def test_neither_files_at_the_proposed_level_and_discard_files_nothing(harness, teams):
    side, alice, lina = teams.side, teams.alice, teams.lina
    side.message(alice, "feedback " + PLAUSIBLE)
    question = bot_says(teams, alice, "could this be critical (AA)?")
    side.submit(alice, question, button(question, "Neither"))
    teams.tenant.wait_for(lambda: teams.channel_posts("quality"))
    side.message(lina, "反馈 吉利：客户装配线很吃力，22批的连接器装不上，零件也快不够了")
    asked = bot_says(teams, lina, "建议如下")  # a terse defect naming a lot: the model's AA, unsure, proposed
    side.submit(lina, asked, next(a for a in asked.card["actions"] if a["data"]["action_id"] == ids.CANCEL_DRAFT))
    bot_says(teams, lina, "已放弃，未登记")
    harness.join()
    first, second = sorted(harness.items(), key=lambda i: i.id)
    assert first.status == "received" and first.problem_severity != "AA"
    assert second.status == "withdrawn" and second.number is None
    assert len(teams.channel_posts("quality")) == 1


def test_an_unanswered_question_is_reminded_of_once_in_the_personal_chat(harness, teams):
    side, alice = teams.side, teams.alice
    side.message(alice, "Geely: connectors cracked at their incoming inspection")
    bot_says(teams, alice, "Which part or lot numbers?")
    harness.join()
    harness.clock.advance(timedelta(minutes=31))
    for _ in range(2):  # two sweeps (two schedulers, or the next minute): one reminder
        harness.rt.desk.sweep_drafts(harness.clock.now())
    harness.service.flush()
    reminder = bot_says(teams, alice, "Still waiting for your answer")
    assert "Which part or lot numbers?" in json.dumps(reminder.card) and titles(reminder) == ["Not known"]
    harness.join()
    assert len([p for p in teams.tenant.in_conversation(teams.tenant.personal_chat(alice))
                if "Still waiting" in json.dumps(p.card)]) == 1


def test_a_proposal_for_feedback_written_in_a_channel_is_asked_in_the_persons_chat_not_the_channel(harness, teams):
    sales = channel_of("sales")
    teams.side.message(teams.alice, "feedback " + PLAUSIBLE, conversation_id=sales)
    question = bot_says(teams, teams.alice, "could this be critical (AA)?")
    assert question.conversation == teams.tenant.personal_chat(teams.alice)
    harness.join()
    assert teams.tenant.in_conversation(sales) == []  # nobody else in the channel sees the draft
    teams.side.submit(teams.alice, question, button(question, "Their line is stopped or about to stop"))
    teams.tenant.wait_for(lambda: teams.channel_posts("quality"))
    harness.join()
    assert harness.items()[0].problem_severity == "AA"


def test_a_photo_shared_with_the_report_or_an_answer_is_kept_on_the_item(harness, teams):
    side, alice = teams.side, teams.alice
    side.message(alice, "Geely: connectors cracked at their incoming inspection", files=("crack.jpg",))
    bot_says(teams, alice, "Which part or lot numbers?")
    side.message(alice, "PN 5520", files=("label.png",))
    bot_says(teams, alice, "How many pieces are affected?")
    harness.join()
    [item] = harness.items()
    assert [f["name"] for f in item.files] == ["crack.jpg", "label.png"]
    assert all(f["permalink"].startswith("https://contoso-my.sharepoint.com/") and f["id"] for f in item.files)
