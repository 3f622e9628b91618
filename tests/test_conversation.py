"""The DM conversation's questions and how free-text answers are read (domain/conversation.py)."""
from __future__ import annotations

import pytest

from domain.conversation import is_cancel, questions_for, read_answer
from models import FeedbackItem


def item(**kw) -> FeedbackItem:
    base = dict(kind="complaint", category="quality", severity="A", text="connectors cracked", part_numbers=[], lot_numbers=[],
                quantity=None, customer_id=1)
    return FeedbackItem(**(base | kw))


@pytest.mark.parametrize("fields, expected", [
    ({}, ["parts", "quantity", "line_stopped", "urgency"]),
    ({"customer_id": None}, ["customer", "parts", "quantity", "line_stopped", "urgency"]),
    ({"part_numbers": ["5520"], "quantity": 40}, ["line_stopped", "urgency"]),
    ({"lot_numbers": ["23-1107"], "quantity": 40, "text": "cracked, their line is fine"}, ["urgency"]),
    ({"severity": "AA", "part_numbers": ["5520"], "quantity": 4}, []),  # AA: the line's state is known to matter already
    ({"category": "delivery", "text": "3 days late"}, ["line_stopped", "urgency"]),
    ({"category": "delivery", "text": "交货延迟三天，线没停"}, ["urgency"]),
    ({"category": "service"}, ["urgency"]),
    ({"category": "service", "urgency": "normal", "urgency_source": "text"}, []),  # the words said it: not asked
    ({"part_numbers": ["5520"], "quantity": 40, "line_state": "stopped"}, ["line_stopped"]),  # a stopped line decides AA: no urgency
    ({"part_numbers": ["5520"], "quantity": 40, "line_state": "about_to_stop"}, ["line_stopped"]),  # so does one about to stop
    ({"kind": "inquiry", "category": "technical", "customer_id": None}, ["customer"]),
])
def test_only_what_is_missing_is_asked(fields, expected):
    assert questions_for(item(**fields)) == expected


@pytest.mark.parametrize("question, text, facts", [
    ("parts", "PN 5520, lot 23-1107", {"part_numbers": ["5520"], "lot_numbers": ["23-1107"]}),
    ("parts", "5520 and 5521", {"part_numbers": ["5520", "5521"], "lot_numbers": []}),
    ("parts", "不知道", {}),
    ("quantity", "40", {"quantity": 40}),
    ("quantity", "1,200 pcs", {"quantity": 1200}),
    ("quantity", "两百个", {"quantity": 200}),
    ("quantity", "skip", {}),
    ("line_stopped", "yes", {"line_state": "stopped"}),
    ("line_stopped", "停了", {"line_state": "stopped"}),
    ("line_stopped", "还没停，但库存只够两天", {"line_state": "running"}),  # days of stock: at risk, not about to stop
    ("line_stopped", "还没停，但库存只够今晚", {"line_state": "about_to_stop"}),  # within a shift: a threatened stop
    ("line_stopped", "說再不到就要停線了", {"line_state": "about_to_stop"}),
    ("line_stopped", "no, still running", {"line_state": "running"}),
    ("line_stopped", "没有", {"line_state": "running"}),  # "no" to a yes-or-no question, though "none" to "which parts?"
    ("parts", "没有", {}),
    ("line_stopped", "不清楚", {}),
    ("parts", "不清楚，客戶還沒發照片過來", {}),  # don't know yet: not known, not "didn't understand"
    ("quantity", "not sure yet, waiting for their count", {}),
    ("parts", "5520, lot 23-1107", {"part_numbers": ["5520"], "lot_numbers": ["23-1107"]}),  # the part kept beside the lot
    ("parts", "7321-044 批次26-1122", {"part_numbers": ["7321-044"], "lot_numbers": ["26-1122"]}),
    ("customer", "  Geely Auto ", {"customer": "Geely Auto"}),
])
def test_free_text_answers_in_either_language(question, text, facts):
    assert read_answer(question, text).facts == facts


@pytest.mark.parametrize("question, text", [("parts", "hmm"), ("quantity", "lots"), ("quantity", "0"),
                                            ("line_stopped", "maybe"), ("customer", "  ")])
def test_what_is_not_an_answer_is_asked_again(question, text):
    assert read_answer(question, text) is None


def test_cancel_in_either_language():
    assert is_cancel("cancel") and is_cancel("取消") and is_cancel("Cancel.") and not is_cancel("cancel the order")
