"""Labelled messages: the corpus the project ships (`corpus/train.jsonl`, `corpus/test.jsonl`, written
by people following ../shared/LABELING.md; the test split is never trained or tuned on;
`corpus/heldout3.jsonl`, the half of a third blind corpus that a hash of each text put aside: written
by a writer who never saw the classifier, labelled blind by a second labeller, adjudicated by the
guide (docs/corpus/corpus3-adjudication.md), never trained or tuned on) and any JSON-lines file in the
same format. The first two blind held-out splits were measured, then tuned on (issue 18's third round),
and are now in `train.jsonl` (`"source": "blind-1"`, `"blind-2"`; the third corpus's other half is
`"blind-3"`)."""
from __future__ import annotations

import json
from pathlib import Path

from domain.classifier.model import FIELDS, LABELS, Example

CORPUS = Path(__file__).parent / "corpus"
LANGS = ("en", "zh-Hans", "zh-Hant", "mixed")


class BadExample(ValueError):
    pass


def parse(line: str, where: str) -> Example:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as e:
        raise BadExample(f"{where}: not JSON ({e.msg})") from None
    if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
        raise BadExample(f'{where}: expected {{"text": "...", "kind": ..., "category": ..., "severity": ...}}')
    for field in FIELDS:
        if row.get(field) not in LABELS[field]:
            raise BadExample(f"{where}: {field} must be one of {', '.join(LABELS[field])}, not {row.get(field)!r}")
    lang = row.get("lang") or ""
    return Example(row["text"], row["kind"], row["category"], row["severity"], lang if lang in LANGS else "")


def read(path: Path) -> list[Example]:
    examples = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                examples.append(parse(line, f"{path.name} line {n}"))
    return examples


def shipped(split: str) -> list[Example]:
    """`train`, `test` or `heldout3` (only `train` is ever fit on)."""
    return read(CORPUS / f"{split}.jsonl")
