"""The facts of the record measured like labels (issue 18): parts, lots, the defective and the checked
quantity, the line's state and the customer, each exact per message, on tests/data/facts_extraction.jsonl
(English, Chinese simplified and traditional, mixed). The floor is the target (≥ 95 % per field);
the figures are in docs/intake.md.

Each label is what a reader takes the message to say: `defective` the count of bad (or affected)
pieces when one is said (a rate or "十几个" is no count), `checked` of how many when said, worked-out
counts as a reader works them out ("two boxes of 250" = 500), `line_state` stopped / about_to_stop /
running / null, `customer` the known customer named anywhere in it (policy `customers`, by any
name or alias), else the name written before a colon, else null.

The third set (facts_extraction_blind_dev.jsonl) is the dev half of a set written by a writer who never
saw the extractor and labelled blind by a second labeller (/work/corpus3, adjudicated): date codes are
lots, a shortage's missing pieces are the defective count, "all 200 NG" is 200 checked, "no further
failures" is 0 defective, a rate ("3 in every 100") is no count, "about 3,000" is 3000, "something about
a line stop" is null, a near miss (差点停线) and "no line impact" are running, "tomorrow morning stops
unless…" is about to stop. A line that stopped because of the problem and runs again ("stopped 40
minutes, running again") is stopped (the product's definition, docs/intake.md): set 3's writer had
labelled those running, relabelled in round 2. The fourth file is that set's held half (measured once
after round 1, then opened as dev too, relabelled the same way)."""
from __future__ import annotations

import json
from pathlib import Path

from domain.customers import named_in_text
from domain.extraction import extract
from domain.policy import load_policy
from domain.text import split_customer

# The second file was written after the extractor was tuned on the first, and measured once before
# any change; the third is the dev half of the blind set 3, the fourth its held half (measured once after
# round 1, then opened as dev too; docs/intake.md gives each figure).
SETS = {name: [json.loads(line) for line in (Path(__file__).parent / "data" / name).read_text("utf-8").splitlines()]
        for name in ("facts_extraction.jsonl", "facts_extraction_heldout.jsonl", "facts_extraction_blind_dev.jsonl",
                     "facts_extraction_blind_held.jsonl")}
CASES = [case for cases in SETS.values() for case in cases]
FIELDS = ("parts", "lots", "defective", "checked", "line_state", "customer")
FLOOR = 0.95


def _read(text: str, names: dict[str, str]) -> dict:
    found = extract(text)
    named = named_in_text(text, names)
    return {"parts": sorted(p.upper() for p in found.part_numbers), "lots": sorted(x.upper() for x in found.lot_numbers),
            "defective": found.quantity, "checked": found.checked_quantity, "line_state": found.line_state,
            "customer": named[1] if named else split_customer(text)[0]}


def _accuracy(cases: list[dict]) -> tuple[dict[str, float], dict[str, list]]:
    policy = load_policy()
    names = {name: seed.key_name for seed in policy.customers for name in seed.all_names}
    wrong: dict[str, list] = {f: [] for f in FIELDS}
    for case in cases:
        got = _read(case["text"], names)
        want = case | {"parts": sorted(p.upper() for p in case["parts"]), "lots": sorted(x.upper() for x in case["lots"])}
        for field in FIELDS:
            if got[field] != want[field]:
                wrong[field].append((case["text"], want[field], got[field]))
    return {f: round(1 - len(w) / len(cases), 4) for f, w in wrong.items()}, wrong


def test_the_set_is_large_and_varied_enough():
    assert len(CASES) >= 300 and len(SETS["facts_extraction_blind_dev.jsonl"]) == 103
    assert len(SETS["facts_extraction_blind_held.jsonl"]) == 117
    chinese = [c for c in CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c["text"])]
    assert len(chinese) >= 50
    assert sum(1 for c in chinese if any(ch in c["text"] for ch in "說線個箱產貨長頭殼裂")) >= 10  # traditional
    assert {c["line_state"] for c in CASES} == {"stopped", "about_to_stop", "running", None}
    assert sum(1 for c in CASES if c["checked"]) >= 20 and sum(1 for c in CASES if c["parts"]) >= 50


def test_each_field_is_read_exactly_on_95_percent_of_messages():
    accuracy, wrong = _accuracy(CASES)
    print("extraction accuracy, all sets", accuracy)
    assert all(accuracy[f] >= FLOOR for f in FIELDS), (accuracy, {f: w for f, w in wrong.items() if w})


def test_each_set_holds_the_floor_on_its_own():
    # a set's misses are not hidden by the others: the blind set's dev half and the earlier two each ≥ 95 %
    for name, cases in SETS.items():
        accuracy, wrong = _accuracy(cases)
        print("extraction accuracy", name, len(cases), accuracy)
        assert all(accuracy[f] >= FLOOR for f in FIELDS), (name, accuracy, {f: w for f, w in wrong.items() if w})


# Blind set 4 (docs/intake.md): written and labelled by people who never saw the extractor, measured once
# after round 2 and never tuned on. Its figures are the honest ones, below the target on counts and line
# state; the floor is that measurement, so a change that reads fresh messages worse fails here.
SET4 = [json.loads(line) for line in (Path(__file__).parent / "data" / "facts_extraction_blind4.jsonl")
        .read_text("utf-8").splitlines()]
SET4_MEASURED_ONCE = {"parts": 0.97, "lots": 0.98, "defective": 0.755, "checked": 0.745, "line_state": 0.865,
                      "customer": 0.99}


def test_the_untuned_blind_set_reads_no_worse_than_when_it_was_measured():
    assert len(SET4) == 200
    accuracy, wrong = _accuracy(SET4)
    print("extraction accuracy, blind set 4 (never tuned on)", accuracy)
    assert all(accuracy[f] >= SET4_MEASURED_ONCE[f] for f in FIELDS), accuracy
