"""The card, the thread parent and the confirmation show the level with both of its sources (the
problem's severity and the customer's urgency) and the 8D request, in English and Chinese.
Views are pure functions: an item in, blocks out."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from bot.views.complaint import card_blocks
from bot.views.reporter import confirmation_blocks
from bot.views.thread import parent_blocks
from domain.cards import ItemCard
from domain.policy import load_policy
from models import FeedbackItem

POLICY = load_policy()
AT = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def _card(**kw) -> ItemCard:
    fields = dict(id=1, number=7, source_key="k", source="slash", status="received", kind="complaint", category="quality",
                  severity="A", problem_severity="B", urgency="urgent", urgency_source="text", wants_8d=True,
                  wants_8d_source="customer", department="quality", text="scratches, 客户要求紧急", summary="scratches",
                  reporter_id="U1", received_at=AT, filed_at=AT, created_at=AT, updated_at=AT)
    return ItemCard(FeedbackItem(**(fields | kw)), "SAIC Volkswagen", True, ())


def _text(blocks) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_the_parent_and_the_card_show_level_problem_and_urgency_in_both_languages():
    for view in (parent_blocks, card_blocks):
        en, zh = _text(view(_card(), POLICY, "en")), _text(view(_card(), POLICY, "zh"))
        assert "Level A (problem B, customer urgent)" in en
        assert "等级 A（问题 B，客户紧急）" in zh
        assert "8D requested: yes (customer requirement)" in en
        assert "要求8D：是（客户要求）" in zh


def test_the_confirmation_shows_them_too():
    blocks = confirmation_blocks(_card(), POLICY, "en", link="https://slack.example/archives/C1/p1")
    assert "Level A (problem B, customer urgent)" in _text(blocks)
    assert "8D requested: yes (customer requirement)" in _text(blocks)


def test_an_unknown_8d_request_is_said_to_be_unknown_and_very_urgent_reads_so():
    en = _text(parent_blocks(_card(severity="AA", urgency="very_urgent", wants_8d=None, wants_8d_source=None), POLICY, "en"))
    assert "Level AA (problem B, customer very urgent)" in en and "8D requested: not known" in en
    zh = _text(parent_blocks(_card(severity="AA", urgency="normal", problem_severity="AA", wants_8d=False,
                                   wants_8d_source="text"), POLICY, "zh"))
    assert "等级 AA（问题 AA，客户一般）" in zh and "要求8D：否（留言中所述）" in zh


def test_the_thread_note_of_a_set_urgency_says_the_new_level_and_why():
    from bot.views.thread import lifecycle_note

    note = lifecycle_note(_card(severity="AA", urgency="very_urgent"), "en",
                          {"action": "set_urgency", "actor": "U0QZHOU", "reason": "line stops tomorrow", "summary": "x"})
    assert note.endswith("Level AA (problem B, customer very urgent) — line stops tomorrow")
    note = lifecycle_note(_card(wants_8d=False, wants_8d_source="department"), "zh",
                          {"action": "set_wants_8d", "actor": "U0QZHOU", "reason": "客户邮件", "summary": "x"})
    assert note.endswith("要求8D：否（部门设定） — 客户邮件")


def test_the_history_names_the_facts_and_their_values_in_the_readers_language():
    from bot.views.thread import describe_changes

    changes = {"urgency": ("normal", "very_urgent"), "urgency_source": (None, "department"),
               "problem_severity": ("B", "A"), "severity": ("B", "AA"), "wants_8d": (None, True)}
    assert describe_changes(changes, POLICY, "en") == (
        "Customer's urgency: normal → very urgent; Urgency from: — → set by the department; "
        "Problem severity: B — general → A — important; Severity: B — general → AA — critical; 8D requested: — → yes")
    assert describe_changes({"urgency": ("normal", "urgent")}, POLICY, "zh") == "客户紧急程度: 一般 → 紧急"
