"""The customer's urgency and 8D request, read from the words, measured like labels on a labelled
set (tests/data/facts.jsonl: English, Chinese, mixed, with negations). Each label is what the text
says: `urgency` very_urgent | urgent | normal, or null when the text says nothing of it; `wants_8d`
true, false, or null when not said. The floors are what was measured (docs/intake.md), so a
change that reads worse fails."""
from __future__ import annotations

import json
from pathlib import Path

from domain.levels import facts_reader
from domain.policy import load_policy

CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "facts.jsonl").read_text("utf-8").splitlines()]
FLOOR = {"urgency": 0.98, "wants_8d": 0.99}


def _accuracy() -> tuple[dict[str, float], dict[str, list]]:
    reader = facts_reader(load_policy())
    wrong: dict[str, list] = {"urgency": [], "wants_8d": []}
    for case in CASES:
        got = {"urgency": reader.urgency(case["text"]), "wants_8d": reader.wants_8d(case["text"])}
        for field in wrong:
            if got[field] != case[field]:
                wrong[field].append((case["text"], case[field], got[field]))
    return {f: round(1 - len(w) / len(CASES), 4) for f, w in wrong.items()}, wrong


def test_the_set_is_large_and_varied_enough():
    assert len(CASES) >= 120
    chinese = sum(1 for c in CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c["text"]))
    mixed = sum(1 for c in CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c["text"])
                and any("a" <= ch.lower() <= "z" for ch in c["text"].replace("PN", "").replace("8D", "")))
    assert chinese >= 50 and mixed >= 15
    for field, values in (("urgency", {"very_urgent", "urgent", "normal", None}), ("wants_8d", {True, False, None})):
        assert {c[field] for c in CASES} == values
    negations = [c for c in CASES if c["urgency"] == "normal" or c["wants_8d"] is False]
    assert len(negations) >= 30


def test_per_field_accuracy_holds_its_floor():
    accuracy, wrong = _accuracy()
    print("fact accuracy", accuracy)
    assert all(accuracy[f] >= FLOOR[f] for f in FLOOR), (accuracy, wrong)
