"""Classifier throughput: messages per second, in-process and through `voc classify`.

Baseline in the same process: what the CLI must do for every line anyway (json.loads
and json.dumps of the same record), so the ratio says what classification costs on top.

    python -m bench.classify_throughput [--n 20000]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from domain.classifier import classifier_for
from domain.policy import load_policy

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args()
    examples = [json.loads(line)["text"] for line in (ROOT / "tests" / "data" / "labelled.jsonl").read_text("utf-8").splitlines()]
    texts = [examples[i % len(examples)] for i in range(args.n)]
    lines = [json.dumps({"text": t}, ensure_ascii=False) for t in texts]
    clf = classifier_for(load_policy())
    clf.classify("warm up")

    start = time.perf_counter()
    for line in lines:
        json.dumps(json.loads(line), ensure_ascii=False)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    for line in lines:
        json.dumps(clf.classify(json.loads(line)["text"]).as_dict(), ensure_ascii=False)
    inproc = time.perf_counter() - start

    start = time.perf_counter()
    proc = subprocess.run([str(Path(sys.executable).parent / "voc"), "classify"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, cwd=ROOT)
    cli = time.perf_counter() - start
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == args.n, proc.stderr

    summary = {"n": args.n, "in_process_per_s": round(args.n / inproc), "json_only_per_s": round(args.n / baseline),
               "ratio_to_json_roundtrip": round(inproc / baseline, 1), "voc_classify_cli_per_s": round(args.n / cli),
               "us_per_message": round(inproc / args.n * 1e6, 1)}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "classify_throughput.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
