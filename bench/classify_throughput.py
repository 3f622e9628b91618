"""Classifier throughput: messages per second on one core, in process and through `voc classify`.

Baseline in the same run: the rules alone (classifier v1, which the rules half of v2 still runs
for every message), so the ratio says what the learned model costs on top. Texts are the shipped
corpus (both splits), cycled to --n.

    python -m bench.classify_throughput [--n 20000]
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core: the target is per core
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from domain.classifier import Classifier, classifier_for  # noqa: E402
from domain.classifier.corpus import shipped  # noqa: E402
from domain.policy import load_policy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BATCH = 256  # what `voc classify` hands the model at once


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args()
    corpus = [e.text for e in shipped("train") + shipped("test")]
    texts = [corpus[i % len(corpus)] for i in range(args.n)]
    policy = load_policy()
    v2 = classifier_for(policy)
    rules = Classifier(policy, None)
    v2.classify("warm up")

    rules_s = timed(lambda: [rules.classify(t) for t in texts])
    batched_s = timed(lambda: [v2.classify_many(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)])
    one_n = min(args.n, 2000)
    single_s = timed(lambda: [v2.classify(t) for t in texts[:one_n]])
    lines = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in texts) + "\n"
    env = {**os.environ, "DATABASE_URL": ""}
    start = time.perf_counter()
    proc = subprocess.run([str(Path(sys.executable).parent / "voc"), "classify"], input=lines, capture_output=True,
                          text=True, cwd="/", env=env)
    cli_s = time.perf_counter() - start
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == args.n, proc.stderr[-2000:]

    summary = {
        "n": args.n,
        "rules_only_per_s": round(args.n / rules_s),
        "v2_batched_per_s": round(args.n / batched_s),
        "v2_one_at_a_time_per_s": round(one_n / single_s),
        "voc_classify_cli_per_s": round(args.n / cli_s),
        "v2_batched_cost_vs_rules": round(batched_s / rules_s, 2),
        "v2_us_per_message_batched": round(batched_s / args.n * 1e6),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "classify_throughput.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
