"""When AA is plausible but not what the classifier decided, the bot files nothing at a lower level:
it asks the reporter one question with buttons (line stopped or about to stop / safety or a recall
/ neither), in the /feedback slash-command path as in the DM; the answer sets the severity and is
recorded as its reason. Signed requests into the bot, the emulator as Slack."""
from __future__ import annotations

import json

from sqlmodel import select

from bot import action_ids as ids
from models import Event
from tests.test_flows import FLOOR, QUALITY, SALES, SALES_ZH, eph

# Plausibly AA to the model (their production struggles, parts run short) but no AA trigger written.
PLAUSIBLE = "Geely: their production is struggling, the connectors from lot 22 don't fit and they are short of parts"
LINE, SAFETY, NEITHER = ids.answer_aa(0), ids.answer_aa(1), ids.answer_aa(2)


def test_the_example_is_plausibly_aa_and_graded_lower(harness):
    """The premise of the tests below, checked on the classifier the bot uses."""
    result = harness.rt.desk.classifier.classify(PLAUSIBLE.split(": ", 1)[1])
    assert result.severity != "AA" and harness.rt.desk.classifier.asks_aa(result)


def test_slash_feedback_asks_before_filing_and_the_answer_sets_aa(harness):
    h = harness
    h.slack.command(SALES, FLOOR, PLAUSIBLE)
    question = eph(h, SALES, ids.ANSWER_AA)
    blocks = json.dumps(question.blocks)
    assert "line is stopped or about to stop" in blocks and "safety or a recall" in blocks and "Neither" in blocks
    assert ids.FILE_DRAFT not in blocks  # no way round the question but Edit (the form) or Discard
    h.join()
    [draft] = h.items()
    assert draft.status == "draft" and draft.number is None  # nothing filed at a lower level
    assert h.ws.channel_messages(QUALITY) == []
    h.slack.click(SALES, question, SAFETY)
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    [item] = h.items()
    assert (item.status, item.problem_severity, item.severity) == ("received", "AA", "AA")
    assert [r["rule"] for r in item.reasons if r["field"] == "severity"] == ["reporter"]
    assert "safety or a recall is involved" in json.dumps(parent.blocks) + parent.text
    with h.rt.db.session() as s:
        ev = s.exec(select(Event).where(Event.action == "aa_answered")).one()
    assert ev.actor == SALES and ev.detail == {"answer": "safety", "severity": [draft.problem_severity, "AA"]}


def test_neither_files_at_the_proposed_level_with_the_answer_as_reason(harness):
    h = harness
    h.slack.command(SALES, FLOOR, PLAUSIBLE)
    question = eph(h, SALES, ids.ANSWER_AA)
    h.join()
    [draft] = h.items()
    h.slack.click(SALES, question, NEITHER)
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    [item] = h.items()
    assert item.status == "received" and item.problem_severity == draft.problem_severity != "AA"
    assert {"rule": "reporter", "evidence": ["neither"]}.items() <= [r for r in item.reasons if r["rule"] == "reporter"][0].items()


def test_a_stop_answer_in_chinese_files_aa(harness):
    h = harness
    # plausibly AA to the model (their line struggles), no AA trigger written, graded A (an 8D)
    h.slack.command(SALES_ZH, FLOOR, "吉利：客户装配线很吃力，部分连接器装不上，要求8D")
    question = eph(h, SALES_ZH, ids.ANSWER_AA)
    assert "客户已停线或即将停线" in json.dumps(question.blocks, ensure_ascii=False)
    h.slack.click(SALES_ZH, question, LINE)
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    [item] = h.items()
    assert item.problem_severity == "AA" and item.status == "received"
