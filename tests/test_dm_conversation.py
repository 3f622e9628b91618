"""A DM becomes a short conversation: the bot says what it understood and asks, one question at a
time, only for what is missing; answers come as free text in either language or as buttons; then
it files and says where it went. "cancel" / "取消" drops it; an unanswered question is reminded of
once. Signed events and actions into the bot, the emulator as Slack, PostgreSQL."""
from __future__ import annotations

import json
from datetime import timedelta

from bot import action_ids as ids
from tests.test_flows import QUALITY, SALES, SALES_ZH, eph


def bot_says(h, user, needle, count=1):
    """The bot's messages in the person's DM containing `needle` (waits for `count` of them)."""
    channel = h.ws.dm_channel(user)

    def found():
        mine = [m for m in h.ws.channel_messages(channel) if m.user == h.ws.bot_user
                and needle in m.text + json.dumps(m.blocks or [], ensure_ascii=False)]
        return len(mine) >= count and mine
    return h.ws.wait_for(found)[-1]


def answer_button(message, label):
    return next(e for b in message.blocks if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == label)


def test_the_bot_asks_only_what_is_missing_one_question_at_a_time_and_files(harness):
    h = harness
    h.slack.dm(SALES, "Geely: connectors cracked at their incoming inspection")
    first = bot_says(h, SALES, "Which part or lot numbers?")
    assert "Got it: Complaint · Quality" in json.dumps(first.blocks, ensure_ascii=False)
    assert "Which customer" not in json.dumps(first.blocks)  # named: not asked
    assert h.items()[0].status == "draft" and h.ws.channel_messages(QUALITY) == []
    h.slack.dm(SALES, "PN 5520, lot 23-1107")
    bot_says(h, SALES, "How many pieces are affected?")
    h.slack.dm(SALES, "40 pcs")
    line = bot_says(h, SALES, "Is the customer's line stopped?")
    h.slack.click(SALES, line, answer_button(line, "Yes, stopped")["action_id"])
    eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    [item] = h.items()
    assert (item.part_numbers, item.lot_numbers, item.quantity, item.line_stopped) == (["5520"], ["23-1107"], 40, True)
    assert item.severity == "AA" and item.status == "received"  # a stated line stop is AA
    assert "5520" in json.dumps(parent.blocks)


def test_in_chinese_without_a_customer_buttons_and_free_text_both_answer(harness):
    h = harness
    h.slack.dm(SALES_ZH, "这批端子有毛刺，客户要求8D")
    who = bot_says(h, SALES_ZH, "是哪个客户？")
    assert "收到：" in json.dumps(who.blocks, ensure_ascii=False)
    h.slack.click(SALES_ZH, who, answer_button(who, "BYD")["action_id"])
    bot_says(h, SALES_ZH, "涉及哪些零件号或批号？")
    h.slack.dm(SALES_ZH, "不知道")
    bot_says(h, SALES_ZH, "涉及多少件？")
    h.slack.dm(SALES_ZH, "两百个")
    bot_says(h, SALES_ZH, "客户是否已停线？")
    h.slack.dm(SALES_ZH, "没有")
    bot_says(h, SALES_ZH, "客户要求有多紧急？")  # nothing said of it in the message
    h.slack.dm(SALES_ZH, "跳过")
    h.ws.wait_for(lambda: h.items()[0].status != "draft" or any(
        ids.FILE_DRAFT in json.dumps(e.blocks or []) for e in h.ws.ephemerals_for(SALES_ZH)))
    [item] = h.items()
    assert (item.customer_text, item.quantity, item.line_stopped, item.part_numbers) == ("BYD", 200, False, [])
    assert item.severity != "AA"


def test_an_answer_that_is_not_one_is_asked_again_and_a_close_name_gets_choices(harness):
    h = harness
    h.slack.dm(SALES, "connectors cracked, they want an 8D")
    bot_says(h, SALES, "Which customer is this about?")
    h.slack.dm(SALES, "Gelly")
    unsure = bot_says(h, SALES, "Which of these do you mean?")
    assert answer_button(unsure, "Geely Auto")
    h.slack.dm(SALES, "Geely Auto")
    bot_says(h, SALES, "Which part or lot numbers?")
    h.slack.dm(SALES, "hmm")  # no number in it: not an answer
    bot_says(h, SALES, "Sorry, I didn't understand that.")
    assert h.items()[0].customer_text == "Geely Auto"


def test_cancel_drops_it_and_the_next_dm_is_new_feedback(harness):
    h = harness
    h.slack.dm(SALES_ZH, "吉利：连接器开裂，客户要求8D，不影响生产")  # A, plainly (LABELING.md: a crack, an 8D)
    bot_says(h, SALES_ZH, "涉及哪些零件号或批号？")
    h.slack.dm(SALES_ZH, "取消")
    eph(h, SALES_ZH, "已放弃")
    h.join()
    [draft] = h.items()
    assert draft.status == "draft"  # kept, not filed
    h.slack.dm(SALES_ZH, "比亚迪：PN 7781 支架开裂40件，客户线停了")
    eph(h, SALES_ZH, "VOC-1")
    assert [i.status for i in h.items()] == ["draft", "received"]


def test_an_unanswered_question_is_reminded_of_once_and_a_stale_button_changes_nothing(harness):
    h = harness
    h.slack.dm(SALES, "Geely: connectors cracked at their incoming inspection")
    parts = bot_says(h, SALES, "Which part or lot numbers?")
    h.join()
    h.clock.advance(timedelta(minutes=31))
    for _ in range(2):  # two sweeps (two schedulers, or the next minute): one reminder
        h.rt.desk.sweep_drafts(h.clock.now())
        h.service.flush(None)
    reminder = bot_says(h, SALES, "Still waiting for your answer")
    assert "Which part or lot numbers?" in json.dumps(reminder.blocks)
    h.join()
    assert len([m for m in h.ws.channel_messages(h.ws.dm_channel(SALES)) if "Still waiting" in m.text + json.dumps(m.blocks or [])]) == 1
    h.slack.dm(SALES, "PN 5520")
    bot_says(h, SALES, "How many pieces are affected?")
    h.slack.click(SALES, parts, answer_button(parts, "Not known")["action_id"])  # the old question's button
    h.join()
    assert h.items()[0].part_numbers == ["5520"]
    assert len([m for m in h.ws.channel_messages(h.ws.dm_channel(SALES)) if "How many pieces" in json.dumps(m.blocks or [])]) == 1


def test_new_feedback_while_a_question_waits_is_filed_not_taken_as_the_answer(harness):
    h = harness
    h.slack.dm(SALES, "connectors cracked, they want an 8D")
    bot_says(h, SALES, "Which customer is this about?")
    h.slack.dm(SALES, "BYD: PN 7781 brackets cracked, 40 pcs, their line stopped")  # another report, not a name
    eph(h, SALES, "VOC-1")
    first, second = h.items()
    assert (first.status, first.customer_id, second.status, second.severity) == ("draft", None, "received", "AA")
    h.slack.dm(SALES, "Geely Auto")  # the first question still waits, and this answers it
    bot_says(h, SALES, "Which part or lot numbers?")
    assert h.items()[0].customer_text == "Geely Auto"


def test_an_aa_filed_by_the_sweep_ends_its_conversation_and_a_dropped_one_is_left_alone(harness):
    from sqlmodel import select

    from models import Conversation

    h = harness
    h.slack.dm(SALES, "connectors cracked, their line stopped")  # AA, no customer: the question waits
    bot_says(h, SALES, "Which customer is this about?")
    h.slack.dm(SALES_ZH, "连接器开裂，客户要求8D")
    bot_says(h, SALES_ZH, "是哪个客户？")
    h.slack.dm(SALES_ZH, "取消")
    eph(h, SALES_ZH, "已放弃")
    h.join()
    h.clock.advance(timedelta(hours=2))
    h.rt.desk.sweep_drafts(h.clock.now())  # an AA is not kept waiting: filed, unconfirmed
    h.service.flush(None)
    h.join()
    aa, dropped = h.items()
    assert (aa.status, aa.unconfirmed, dropped.status) == ("received", True, "draft")  # the dropped one: kept, not filed
    assert not [m for m in h.ws.channel_messages(h.ws.dm_channel(SALES_ZH)) if "还在等您的回答" in json.dumps(m.blocks or [], ensure_ascii=False)]
    with h.rt.db.session() as s:
        states = {c.user_id: c.state for c in s.exec(select(Conversation))}
    assert states == {SALES: "done", SALES_ZH: "cancelled"}
    h.slack.dm(SALES, "BYD: PN 7781 brackets cracked, 40 pcs, their line stopped")  # new feedback, not an answer
    eph(h, SALES, "VOC-2")


def test_a_name_asked_about_may_still_be_a_new_customer(harness):
    h = harness
    h.slack.dm(SALES, "connectors cracked, they want an 8D")
    bot_says(h, SALES, "Which customer is this about?")
    h.slack.dm(SALES, "Beely")
    unsure = bot_says(h, SALES, "Which of these do you mean?")
    h.slack.click(SALES, unsure, answer_button(unsure, "“Beely” is a new customer")["action_id"])
    bot_says(h, SALES, "Which part or lot numbers?")
    assert h.items()[0].customer_text == "Beely"


def test_a_greeting_is_not_feedback_even_though_the_model_leans_somewhere(harness):
    h = harness
    h.slack.dm(SALES, "hello there")
    eph(h, SALES, "Tell me about customer feedback like this")
    h.join()
    assert h.items() == [] and not [m for m in h.ws.channel_messages(h.ws.dm_channel(SALES)) if m.user == h.ws.bot_user]


def test_an_answer_run_again_after_a_crash_does_nothing_more(harness):
    """The worker took the last answer, filed, and died before marking the request done: the sweep
    runs it again. By then no conversation is open, yet the DM must not become a hint or an item."""
    from sqlmodel import select

    from bot.flows.dm_intake import take_dm
    from models import InboundRequest

    h = harness
    h.slack.dm(SALES_ZH, "比亚迪：交货延迟三天，客户很不满意")
    bot_says(h, SALES_ZH, "客户是否已停线？")
    h.slack.dm(SALES_ZH, "没有")
    bot_says(h, SALES_ZH, "客户要求有多紧急？")
    h.slack.dm(SALES_ZH, "不急")
    eph(h, SALES_ZH, "VOC-1")
    h.join()
    with h.rt.db.session() as s:
        answered = [r for r in s.exec(select(InboundRequest).where(InboundRequest.kind == "event.dm")).all()
                    if r.payload["event"]["text"] == "不急"]
    before = len(h.ws.ephemerals_for(SALES_ZH))
    take_dm(h.service, answered[0].payload)
    h.join()
    assert len(h.items()) == 1 and len(h.ws.ephemerals_for(SALES_ZH)) == before
