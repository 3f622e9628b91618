"""Issue 18's targets, measured: every figure of the issue next to its target, PASS or MISS, per
split and per language, and the throughput against a baseline measured in the same run (the rules
alone, classifier v1, which v2 still runs for every message: docs/benchmarks.md).

    python -m bench.classifier_targets [split files…]   # default: the test split and both dev splits

The classifier is the shipped baseline (fit on `train.jsonl` only). "Filed at once" is what the bot
files without asking: sure enough (`confidence_threshold`) and no AA question. The figures are
written to bench/results/classifier_targets.json.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core: the target is per core
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.classify_throughput import BATCH, timed  # noqa: E402
from domain.classifier import Classifier, classifier_for  # noqa: E402
from domain.classifier.corpus import CORPUS, LANGS, read  # noqa: E402
from domain.classifier.evaluation import evaluate  # noqa: E402
from domain.policy import load_policy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPLITS = ("test.jsonl", "heldout3.jsonl")
# (name, how to read it from evaluate()'s report, the target, True: at least / False: at most)
TARGETS = (
    ("kind", lambda r: r["accuracy"]["kind"], 0.94, True),
    ("category", lambda r: r["accuracy"]["category"], 0.90, True),
    ("severity", lambda r: r["accuracy"]["severity"], 0.92, True),
    ("AA recall", lambda r: r["aa"]["recall"], 0.97, True),
    ("AA precision", lambda r: r["aa"]["precision"], 0.80, True),
    ("AA filed at once lower", lambda r: r["aa"]["filed_lower"], 0, False),
    ("filed at once", lambda r: r["auto_file"]["rate"], 0.75, True),
    ("all three right among those", lambda r: r["auto_file"]["all_right"], 0.92, True),
)
BATCHED_PER_S, ONE_MS = 2000, 10.0


def verdict(value: float, target: float, at_least: bool) -> str:
    return "PASS" if (value >= target if at_least else value <= target) else "MISS"


def targets(report: dict) -> dict:
    out = {}
    for name, read_value, target, at_least in TARGETS:
        value = read_value(report)
        out[name] = {"value": value, "target": target, "verdict": verdict(value, target, at_least)}
    if not report["aa"]["n"]:  # no AA message: recall, precision and "filed lower" say nothing
        for name in ("AA recall", "AA precision", "AA filed at once lower"):
            out[name]["verdict"] = "n/a"
    return out


def render(name: str, n: int, rows: dict) -> list[str]:
    lines = [f"{name} ({n} messages)"]
    for target, row in rows.items():
        value, goal = row["value"], row["target"]
        shown = f"{value}" if isinstance(value, int) else f"{value:.1%}"
        wanted = f"{goal}" if isinstance(goal, int) else f"{goal:.0%}"
        sign = "≥" if dict((t[0], t[3]) for t in TARGETS)[target] else "≤"
        lines.append(f"  {target:<30}{shown:>8}   target {sign} {wanted:<5} {row['verdict']}")
    return lines


def throughput(classifier: Classifier, rules: Classifier, texts: list[str], n: int) -> dict:
    cycled = [texts[i % len(texts)] for i in range(n)]
    classifier.classify("warm up")
    rules_s = timed(lambda: [rules.classify(t) for t in cycled])
    batched_s = timed(lambda: [classifier.classify_many(cycled[i:i + BATCH]) for i in range(0, n, BATCH)])
    one_n = min(n, 1000)
    one_s = timed(lambda: [classifier.classify(t) for t in cycled[:one_n]])
    batched = n / batched_s
    one_ms = one_s / one_n * 1000
    return {"n": n, "baseline_rules_only_per_s": round(n / rules_s), "batched_per_s": round(batched),
            "batched_cost_vs_rules": round(batched_s / rules_s, 2), "one_message_ms": round(one_ms, 2),
            "batched_verdict": verdict(batched, BATCHED_PER_S, True), "one_message_verdict": verdict(one_ms, ONE_MS, False)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("splits", nargs="*", type=Path, help="labelled JSON-lines files (default: the shipped test and dev splits)")
    parser.add_argument("--n", type=int, default=5000, help="messages for the throughput (the splits' texts, cycled)")
    args = parser.parse_args()
    policy = load_policy()
    classifier = classifier_for(policy)
    splits = args.splits or [CORPUS / name for name in DEFAULT_SPLITS]
    results: dict = {"splits": {}}
    texts: list[str] = []
    for path in splits:
        examples = read(path)
        texts += [e.text for e in examples]
        report = evaluate(classifier, examples)
        split = {"n": report["n"], "targets": targets(report), "languages": {}}
        print("\n".join(render(path.name, report["n"], split["targets"])))
        for lang in LANGS:
            subset = [e for e in examples if e.lang == lang]
            if subset:
                sub = evaluate(classifier, subset)
                split["languages"][lang] = {"n": sub["n"], "targets": targets(sub)}
                print("\n".join(render(f"  {path.name}, {lang}", sub["n"], split["languages"][lang]["targets"])))
        results["splits"][path.name] = split
        print()
    speed = throughput(classifier, Classifier(policy, None), texts, args.n)
    results["throughput"] = speed
    print(f"throughput ({speed['n']} messages, one core): baseline (rules alone) {speed['baseline_rules_only_per_s']:,}/s; "
          f"v2 batched {speed['batched_per_s']:,}/s (×{speed['batched_cost_vs_rules']} the baseline's cost), "
          f"target ≥ {BATCHED_PER_S:,}/s {speed['batched_verdict']}; one message {speed['one_message_ms']} ms, "
          f"target ≤ {ONE_MS:g} ms {speed['one_message_verdict']}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "classifier_targets.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
