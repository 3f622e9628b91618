"""The level that drives deadlines: the stricter of the problem's severity and the customer's
urgency (seed 001 §4.2b), and the customer's facts read from the words (policy `urgency`)."""
from __future__ import annotations

import pytest

from domain.levels import facts_reader, level_of
from domain.policy import load_policy

POLICY = load_policy()


@pytest.mark.parametrize("problem, urgency, level", [
    ("B", "normal", "B"), ("B", "urgent", "A"), ("B", "very_urgent", "AA"),
    ("A", "normal", "A"), ("A", "urgent", "A"), ("A", "very_urgent", "AA"),
    ("AA", "normal", "AA"), ("AA", "urgent", "AA"),
])
def test_the_level_is_the_stricter_of_problem_and_urgency(problem, urgency, level):
    assert level_of("complaint", problem, urgency, POLICY) == level


def test_urgency_does_not_lift_what_has_no_levels():
    # An inquiry's deadline is its kind's, whatever the customer's hurry: its level stays its own.
    assert level_of("inquiry", "B", "very_urgent", POLICY) == "B"


@pytest.mark.parametrize("text, urgency", [
    ("客户要求特别紧急处理，连接器开裂", "very_urgent"),
    ("特急！支架尺寸超差", "very_urgent"),
    ("Brackets out of spec, they need it by tomorrow", "very_urgent"),
    ("very urgent: housings cracked at incoming", "very_urgent"),
    ("please reply ASAP, 3 housings cracked", "urgent"),
    ("客户要求紧急回复", "urgent"),
    ("SVW说不紧急，下周回复就可以", "normal"),
    ("not urgent, just a few scratches", "normal"),
    ("a few scratches on the cover", None),
    ("紧急发货的那批支架有毛刺，客户还要尽快补货", "urgent"),
])
def test_urgency_read_from_the_words(text, urgency):
    assert facts_reader(POLICY).urgency(text) == urgency


@pytest.mark.parametrize("text, wants", [
    ("they want an 8D by Friday", True),
    ("客户要求8D报告", True),
    ("请提供8D", True),
    ("no 8D needed, just sort the stock", False),
    ("这次不用8D，回复原因即可", False),
    ("8D not required for this one", False),
    ("three housings cracked", None),
])
def test_wants_8d_read_from_the_words(text, wants):
    assert facts_reader(POLICY).wants_8d(text) is wants


def test_a_customer_that_requires_8d_reports():
    assert POLICY.requires_8d("SAIC Volkswagen") and POLICY.requires_8d("svw")
    assert not POLICY.requires_8d("BYD") and not POLICY.requires_8d(None)


def test_urgency_words_no_longer_lift_the_problem_severity():
    assert "urgent" not in {r.id for r in POLICY.classification.severity_rules}
