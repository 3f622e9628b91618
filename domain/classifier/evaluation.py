"""How well a classifier does on labelled messages: what `voc classifier eval` prints and what
`voc classifier train` compares models by."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Sequence

from domain.classifier.classify import Classifier
from domain.classifier.model import FIELDS, LABELS, Example

# The confidence thresholds `voc classifier eval` compares (docs/classifier.md prints its table).
THRESHOLDS = (0.5, 0.6, 0.7, 0.8)


def evaluate(classifier: Classifier, examples: Sequence[Example]) -> dict:
    results = classifier.classify_many([e.text for e in examples])
    n = len(examples)
    right = {f: [getattr(r, f) == e.label(f) for r, e in zip(results, examples)] for f in FIELDS}
    all_right = [all(right[f][i] for f in FIELDS) for i in range(n)]
    # Filed at once, as the bot does it: sure enough, and no AA question to ask first.
    def filed_at(threshold: float | None) -> list[bool]:
        return [classifier.sure(r, threshold) and not classifier.asks_aa(r) for r in results]

    sure = filed_at(None)
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(examples):
        by_lang[e.lang or "unknown"].append(i)
    confusion = {f: {t: dict(Counter(getattr(r, f) for r, e in zip(results, examples) if e.label(f) == t))
                     for t in LABELS[f]} for f in FIELDS}
    filed = [i for i in range(n) if sure[i]]
    aa_true = [i for i, e in enumerate(examples) if e.severity == "AA"]
    aa_said = [i for i, r in enumerate(results) if r.severity == "AA"]
    return {
        "n": n,
        "accuracy": {f: _rate(right[f]) for f in FIELDS} | {"all": _rate(all_right)},
        "by_language": {lang: {"n": len(ix)} | {f: _rate([right[f][i] for i in ix]) for f in FIELDS}
                        | {"all": _rate([all_right[i] for i in ix]),
                           "aa_recall": _rate([results[i].severity == "AA" for i in ix if examples[i].severity == "AA"])}
                        for lang, ix in sorted(by_lang.items())},
        "confusion": confusion,
        "auto_file": {"rate": _rate(sure), "all_right": _rate([all_right[i] for i in filed])},
        "thresholds": {str(t): {"rate": _rate(at), "all_right": _rate([ok for ok, f in zip(all_right, at) if f])}
                       for t in THRESHOLDS for at in [filed_at(t)]},
        # The costly error: an AA graded lower. "filed lower" counts those the bot would file at once
        # (no question asked): the number the target says must be zero.
        "aa": {"n": len(aa_true), "recall": _rate([results[i].severity == "AA" for i in aa_true]),
               "precision": _rate([examples[i].severity == "AA" for i in aa_said]),
               "filed_lower": sum(1 for i in aa_true if results[i].severity != "AA" and sure[i])},
    }


def score(report: dict) -> tuple[float, float]:
    """What "at least as good" means when a new model is judged: all three labels right first,
    then the mean of the three fields."""
    acc = report["accuracy"]
    return acc["all"], round(sum(acc[f] for f in FIELDS) / len(FIELDS), 4)


def _rate(flags: Sequence[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def render(report: dict) -> str:
    """The report as a person reads it in a terminal."""
    acc, aa = report["accuracy"], report["aa"]
    lines = [f"{report['n']} messages",
             "accuracy   " + "  ".join(f"{f} {acc[f]:.1%}" for f in FIELDS) + f"  all three {acc['all']:.1%}",
             f"auto-file  {report['auto_file']['rate']:.1%} of messages filed at once; "
             f"{report['auto_file']['all_right']:.1%} of those have all three right",
             f"AA         recall {aa['recall']:.1%}  precision {aa['precision']:.1%}  ({aa['n']} AA messages; "
             f"{aa['filed_lower']} graded lower and filed at once)", "",
             f"{'language':<10}{'n':>5}" + "".join(f"{f:>10}" for f in FIELDS) + f"{'all':>8}{'AA recall':>11}"]
    for lang, row in report["by_language"].items():
        lines.append(f"{lang:<10}{row['n']:>5}" + "".join(f"{row[f]:>10.1%}" for f in FIELDS) + f"{row['all']:>8.1%}{row['aa_recall']:>11.1%}")
    lines += ["", f"{'confidence_threshold':<22}{'files at once':>14}{'all three right among those':>30}"]
    lines += [f"{t:<22}{row['rate']:>14.1%}{row['all_right']:>30.1%}" for t, row in report["thresholds"].items()]
    for f in FIELDS:
        labels = LABELS[f]
        lines += ["", f"{f}: true (rows) x predicted (columns)", " " * 12 + "".join(f"{p[:10]:>11}" for p in labels)]
        for t in labels:
            row = report["confusion"][f][t]
            lines.append(f"{t[:11]:<12}" + "".join(f"{row.get(p, 0):>11}" for p in labels))
    return "\n".join(lines)
