"""bench/classifier_targets.py says PASS or MISS against issue 18's targets: every target is printed,
at-least targets pass at the target and above, "AA filed at once lower" only at zero, and a split
without AA messages says nothing about the AA targets."""
from __future__ import annotations

from bench.classifier_targets import TARGETS, render, targets


def _report(kind=0.94, aa_n=10, filed_lower=0) -> dict:
    return {"n": 100, "accuracy": {"kind": kind, "category": 0.95, "severity": 0.91, "all": 0.8},
            "aa": {"n": aa_n, "recall": 0.97, "precision": 0.79, "filed_lower": filed_lower},
            "auto_file": {"rate": 0.75, "all_right": 0.92}}


def test_each_target_is_judged_on_the_right_side_of_its_threshold():
    verdicts = {name: row["verdict"] for name, row in targets(_report()).items()}
    assert verdicts == {"kind": "PASS", "category": "PASS", "severity": "MISS", "AA recall": "PASS",
                        "AA precision": "MISS", "AA filed at once lower": "PASS", "filed at once": "PASS",
                        "all three right among those": "PASS"}
    assert targets(_report(kind=0.9399))["kind"]["verdict"] == "MISS"
    assert targets(_report(filed_lower=1))["AA filed at once lower"]["verdict"] == "MISS"


def test_a_split_without_aa_messages_says_nothing_about_aa():
    rows = targets(_report(aa_n=0))
    assert [rows[n]["verdict"] for n in ("AA recall", "AA precision", "AA filed at once lower")] == ["n/a"] * 3


def test_every_target_is_printed_with_its_value_and_verdict():
    lines = render("heldout.jsonl", 100, targets(_report()))
    assert lines[0] == "heldout.jsonl (100 messages)" and len(lines) == 1 + len(TARGETS)
    assert any("severity" in line and "91.0%" in line and "≥ 92%" in line and line.endswith("MISS") for line in lines)
    assert any("AA filed at once lower" in line and "≤ 0" in line and line.endswith("PASS") for line in lines)
