"""Extraction on a labelled set: a fact shown on a card must be one the person wrote.

Precision must be perfect (no invented part, lot or quantity); recall is held at what was measured
(docs/classifier.md), so a change that loses facts fails too.
"""
from __future__ import annotations

import json
from pathlib import Path

from domain.extraction import extract

CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "extraction.jsonl").read_text("utf-8").splitlines()]
RECALL_FLOOR = {"part_numbers": 1.0, "lot_numbers": 1.0, "quantity": 0.95}


def _score():
    tp = {k: 0 for k in RECALL_FLOOR}
    fp = {k: [] for k in RECALL_FLOOR}
    expected = {k: 0 for k in RECALL_FLOOR}
    for case in CASES:
        got = extract(case["text"])
        for field in ("part_numbers", "lot_numbers"):
            want, found = {x.upper() for x in case[field]}, {x.upper() for x in getattr(got, field)}
            tp[field] += len(want & found)
            expected[field] += len(want)
            fp[field] += [(case["text"], x) for x in found - want]
        if case["quantity"] is not None:
            expected["quantity"] += 1
            tp["quantity"] += got.quantity == case["quantity"]
        if got.quantity is not None and got.quantity != case["quantity"]:
            fp["quantity"].append((case["text"], got.quantity))
    return tp, fp, expected


def test_the_set_is_large_and_varied_enough():
    assert len(CASES) >= 60
    assert sum(1 for c in CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c["text"])) >= 15


def test_no_invented_facts():
    _tp, fp, _expected = _score()
    assert fp == {"part_numbers": [], "lot_numbers": [], "quantity": []}


def test_recall_holds():
    tp, _fp, expected = _score()
    recall = {k: tp[k] / expected[k] for k in RECALL_FLOOR}
    assert all(recall[k] >= RECALL_FLOOR[k] for k in RECALL_FLOOR), recall
