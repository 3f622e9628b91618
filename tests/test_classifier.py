"""The rules half of the classifier (domain/classifier/rules.py) on labelled examples in English,
simplified and traditional Chinese, and mixed: vocabulary, negation, near misses, stated facts.
The rules and the model together are tested in test_classifier_model.py."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from domain.classifier import Rules

EXAMPLES = [json.loads(line) for line in (Path(__file__).parent / "data" / "labelled.jsonl").read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def clf(policy) -> Rules:
    return Rules(policy)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:40] for e in EXAMPLES])
def test_labelled_example(clf, example):
    r = clf.classify(example["text"])
    assert (r.kind, r.category, r.severity) == (example["kind"], example["category"], example["severity"])


def test_examples_cover_both_languages_and_every_label():
    from domain.text import language_of

    assert {language_of(e["text"]) for e in EXAMPLES} == {"en", "zh"}
    assert {e["kind"] for e in EXAMPLES} == {"complaint", "suggestion", "inquiry", "praise"}
    assert {e["category"] for e in EXAMPLES} == {"quality", "delivery", "technical", "commercial", "service", "other"}
    assert {e["severity"] for e in EXAMPLES} == {"AA", "A", "B"}


def test_result_carries_the_contract_fields_and_explains_severity(clf):
    r = clf.classify("Geely: connectors in lot 23-1107 don't fit, their line stopped").as_dict()
    for key in ("kind", "category", "severity", "department", "confidence", "reasons"):
        assert key in r
    assert 0 <= r["confidence"] <= 1
    why = [x for x in r["reasons"] if x["field"] == "severity"]
    assert why == [{"field": "severity", "value": "AA", "rule": "line_stop", "evidence": ["line stopped"]}]
    assert r["department"] == "quality" and r["line_stopped"] is True and r["lot_numbers"] == ["23-1107"]


def test_negated_trigger_does_not_raise_severity(clf):
    assert clf.classify("their line is not stopped, 3 pcs scratched").severity == "B"
    assert clf.classify("未停线，3件划伤").severity == "B"
    assert clf.classify("no problem with the last lot, thanks").kind == "praise"


def test_parts_of_a_keyword_may_stand_apart_but_not_across_a_negation(clf):
    assert clf.classify("if the parts are late their line will stop").severity == "AA"
    assert clf.classify("客户的组装线因为我们的零件停了").severity == "AA"
    assert clf.classify("组装线没有停，只是有3件划伤").severity == "B"
    assert clf.classify("the line did not stop, 3 parts scratched").severity == "B"
    assert clf.classify("line 4 is fine. we stopped the test").severity == "B"  # another clause


def test_slack_emoji_codes_are_not_words(clf):
    # a light scratch is B by the guide; :fire: is decoration, not a fire
    assert clf.classify("light scratch on one label :fire: :fire:").severity == "B"


def test_nothing_to_go_on_gives_low_confidence(clf, policy):
    r = clf.classify("please call Mr. Zhang tomorrow")
    assert r.confidence < policy.classification.confidence_threshold


def test_a_purchased_component_also_involves_purchasing(clf):
    r = clf.classify("the relay from our supplier is defective, 20 pcs")
    assert r.department == "quality" and r.also_departments == ("purchasing",)


def test_very_long_text_is_classified_from_its_start(clf):
    r = clf.classify("their line stopped. " + "x" * 100_000)
    assert r.severity == "AA"


def test_vocabulary_comes_from_the_policy(policy):
    data = policy.model_dump()
    data["classification"]["categories"]["quality"] = list(data["classification"]["categories"]["quality"]) + ["wobble*"]
    tuned = type(policy).model_validate(data)
    assert Rules(policy).classify("the fan wobbles badly").category != "quality"
    assert Rules(tuned).classify("the fan wobbles badly").category == "quality"


# One negation scope for every decision (issue 6): each case names only the field it is about.
SCOPE_CASES = [
    ("customer is not happy with the packaging", "kind", "complaint"),
    ("客户对我们的服务不是很满意", "kind", "complaint"),
    ("客戶對我們的服務不是很滿意", "kind", "complaint"),
    ("not satisfied with the delivery time at all", "kind", "complaint"),
    ("they are happy, no issues at all", "kind", "praise"),
    ("客户很满意，没有任何问题", "kind", "praise"),
    ("客户反馈漏电保护器需要报价", "kind", "inquiry"),  # 漏 inside 漏电 is no leak
    ("客户感谢我们赞助了展会", "kind", "praise"),
    ("their line almost stopped yesterday but they managed with safety stock", "severity", "B"),
    ("客户差点停线，幸好有安全库存", "severity", "B"),
    ("we keep two weeks of safety stock for them, please confirm the forecast", "severity", "B"),
    ("connectors cracked and their line stopped", "severity", "AA"),  # the trigger itself still counts
    ("泄漏测试不合格，客户要求8D", "kind", "complaint"),
]


@pytest.mark.parametrize("text, field, expected", SCOPE_CASES, ids=[c[0][:40] for c in SCOPE_CASES])
def test_negation_hedges_and_whole_words_decide_each_field(clf, text, field, expected):
    assert getattr(clf.classify(text), field) == expected


@pytest.mark.parametrize("text", ["customer is not happy with the packaging", "客户对我们的服务不是很满意"])
def test_a_negated_feeling_is_evidence_of_dissatisfaction_not_just_missing_praise(clf, policy, text):
    r = clf.classify(text)
    assert r.kind == "complaint" and r.confidence >= policy.classification.confidence_threshold
    assert [x for x in r.reasons if x.field == "kind" and x.evidence]  # says which words made it so
