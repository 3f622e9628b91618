"""Cross-validated decisions: how the severity costs, the AA question and the
confidence threshold trade on out-of-fold predictions (docs/classifier.md, issue 18's targets).

The model is fit once per fold (`FOLDS` folds over the pool: the training split plus any files
given, e.g. the dev splits), without calibration; the severity scaling and the confidence
calibrator are then cross-fit (fold k's from the other folds' out-of-fold predictions), so every
figure is on messages the model, the scaling and the calibrator never saw. Decision settings are
replayed on those predictions without refitting.

    python -m bench.classifier_cv [dev files…]
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import itertools  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.isotonic import IsotonicRegression  # noqa: E402

from domain.classifier.corpus import read, shipped  # noqa: E402
from domain.classifier.model import FIELDS, HIT_SCALE, _fit, _platt, decide  # noqa: E402
from domain.classifier.rules import Rules  # noqa: E402
from domain.policy import load_policy  # noqa: E402

FOLDS = 5


def oof_probabilities(examples, analyses, c: float = 200.0) -> list[dict]:
    """Out-of-fold probabilities of every example (raw severity) and its fold number."""
    order = np.random.default_rng(0).permutation(len(examples))
    out: list[dict] = [{} for _ in examples]
    for fold in range(FOLDS):
        test = order[fold::FOLDS]
        train = np.setdiff1d(order, test)
        model = _fit([analyses[i].norm for i in train], [analyses[i].hits for i in train], [examples[i] for i in train], c)
        probs = model.probabilities(model.matrix([analyses[i].norm for i in test], [analyses[i].hits for i in test]))
        for i, p in zip(test, probs):
            out[i] = {"probs": p, "fold": fold}
    return out


def scaled(oof, examples) -> list[dict]:
    """Each fold's severity probabilities scaled by a Platt fit on the other folds."""
    from domain.classifier.model import Model
    result = [None] * len(oof)
    for fold in range(FOLDS):
        others = [i for i, o in enumerate(oof) if o["fold"] != fold]
        m = Model(None, None, {}, None, {})
        m.severity_scaling = _platt([oof[i]["probs"]["severity"] for i in others], [examples[i].severity for i in others])
        for i, o in enumerate(oof):
            if o["fold"] == fold:
                result[i] = {**o["probs"], "severity": m.scale_severity(o["probs"]["severity"])}
    return result


def replay(examples, analyses, oof, probs, hard, aa_rules, costs, *, gate: float, ask: float, threshold: float,
           subsets: dict[str, list[int]] | None = None) -> dict:
    """The figures of one decision setting (severity costs, AA question, confidence threshold)."""
    decisions = []
    for a, p in zip(analyses, probs):
        decisions.append(decide(a.hits, p, hard, None, aa_rules, costs, aa_model_probability=gate))
    right = [all(d.labels[f] == e.label(f) for f in FIELDS) for d, e in zip(decisions, examples)]
    conf = np.zeros(len(examples))
    for fold in range(FOLDS):
        others = [i for i, o in enumerate(oof) if o["fold"] != fold]
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(
            [decisions[i].joint for i in others], [right[i] for i in others])
        mine = [i for i, o in enumerate(oof) if o["fold"] == fold]
        conf[mine] = iso.predict([decisions[i].joint for i in mine])
    asked = [d.labels["kind"] == "complaint" and d.labels["severity"] != "AA" and p["severity"]["AA"] >= ask
             for d, p in zip(decisions, probs)]
    filed = [c >= threshold and not q for c, q in zip(conf, asked)]
    # as Classifier.sure: an AA the model graded with no word of the AA list is proposed, not filed
    filed = [f and not (d.labels["severity"] == "AA" and not aa_rules & set(a.hits["rule"]))
             for f, d, a in zip(filed, decisions, analyses)]
    labels = [d.labels for d in decisions]
    out = {"all": figures(examples, labels, filed, asked)}
    for name, ix in (subsets or {}).items():
        out[name] = figures([examples[i] for i in ix], [labels[i] for i in ix], [filed[i] for i in ix], [asked[i] for i in ix])
    return out


def figures(examples, labels, filed, asked) -> dict:
    n = len(examples)
    acc = {f: sum(lab[f] == e.label(f) for lab, e in zip(labels, examples)) / n for f in FIELDS}
    right = [all(lab[f] == e.label(f) for f in FIELDS) for lab, e in zip(labels, examples)]
    aa_true = [i for i, e in enumerate(examples) if e.severity == "AA"]
    aa_said = [i for i, lab in enumerate(labels) if lab["severity"] == "AA"]
    return acc | {
        "all": sum(right) / n,
        "aa_recall": sum(labels[i]["severity"] == "AA" for i in aa_true) / max(1, len(aa_true)),
        "aa_precision": sum(examples[i].severity == "AA" for i in aa_said) / max(1, len(aa_said)),
        "aa_filed_lower": sum(1 for i in aa_true if labels[i]["severity"] != "AA" and filed[i]),
        "filed": sum(filed) / n,
        # how often the AA question is asked of a message that is not AA (the question's cost)
        "asked_not_aa": sum(q for q, e in zip(asked, examples) if e.severity != "AA") / max(1, n - len(aa_true)),
        "filed_right": sum(r for r, f in zip(right, filed) if f) / max(1, sum(filed)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--c", type=float, default=200.0, help="the logistic regressions' C")
    parser.add_argument("--severity-hits", type=float, help="HIT_SCALE['severity'] (default: the model's)")
    parser.add_argument("--gate", type=float, nargs="+",
                        help="aa_model_probability: a model-only AA needs this P(AA), else A or B (default: the policy's)")
    parser.add_argument("--aa", type=float, nargs="+", help="the cost of AA graded A (AA as B: ×1.5; default: the policy's costs)")
    parser.add_argument("--ask", type=float, nargs="+", help="aa_question_probability (default: the policy's)")
    parser.add_argument("--thr", type=float, nargs="+", help="confidence_threshold (default: the policy's)")
    args = parser.parse_args()
    policy = load_policy()
    examples = shipped("train")
    subsets = {"train": list(range(len(examples)))}
    for f in args.files:
        more = read(f)
        subsets[f.stem] = list(range(len(examples), len(examples) + len(more)))
        examples += more
    rules = Rules(policy)
    analyses = [rules.analyse(e.text) for e in examples]
    hard = {r.id: r.severity for r in policy.classification.severity_rules if r.hard}
    aa_rules = frozenset(r.id for r in policy.classification.severity_rules if r.severity == "AA")
    if args.severity_hits is not None:
        HIT_SCALE["severity"] = args.severity_hits
    oof = oof_probabilities(examples, analyses, args.c)
    probs = scaled(oof, examples)
    base = policy.classification.severity_costs.model_dump()
    args.aa = args.aa or [base["AA"]["A"]]
    args.gate = args.gate if args.gate is not None else [policy.classification.aa_model_probability]
    args.ask = args.ask or [policy.classification.aa_question_probability]
    args.thr = args.thr or [policy.classification.confidence_threshold]
    print(f"{len(examples)} messages, {FOLDS}-fold, C={args.c}, hit scale {HIT_SCALE}")
    print(f"{'gate':>5}{'AA→A':>5}{'ask':>6}{'thr':>5} | {'part':<9} kind   cat    sev    AA rec AA pre lower filed  right  asked¬AA")
    for gate, aa_a, ask, thr in itertools.product(args.gate, args.aa, args.ask, args.thr):
        costs = base if aa_a == base["AA"]["A"] else {**base, "AA": {"AA": 0, "A": aa_a, "B": aa_a * 1.5}}
        rs = replay(examples, analyses, oof, probs, hard, aa_rules, costs, gate=gate, ask=ask, threshold=thr, subsets=subsets)
        for part, r in rs.items():
            print(f"{gate:>5}{aa_a:>5}{ask:>6}{thr:>5} | {part:<9} {r['kind']:.3f}  {r['category']:.3f}  {r['severity']:.3f}  "
                  f"{r['aa_recall']:.3f}  {r['aa_precision']:.3f}  {r['aa_filed_lower']:>4}  {r['filed']:.3f}  {r['filed_right']:.3f}  {r['asked_not_aa']:.3f}")


if __name__ == "__main__":
    main()
