"""The monthly report's numbers on 100 k items over three years, next to the raw SQL aggregate a
report cannot do without (new items of the month by kind, category, severity and department, one
GROUP BY), in one run on one PostgreSQL database. Target: under 2 s and within ×3 of the raw query.

The history is `voc seed`'s generator (domain/reports/history.py). Each figure is the median of
--repeat runs after one warm-up.

    python -m bench.report_cost [--months 36] [--per-month 2800] [--repeat 7]
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session

from bench.tick_cost import fresh_database
from domain.policy import load_policy
from domain.reports.history import seed_history
from domain.reports.numbers import period_numbers
from domain.reports.periods import parse
from models.db import make_engine

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
RAW = text("""SELECT kind, category, severity, department, count(*) FROM feedback_items
              WHERE number IS NOT NULL AND status <> 'withdrawn' AND received_at >= :start AND received_at < :end
              GROUP BY kind, category, severity, department""")


def median_seconds(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--per-month", type=int, default=2800)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    policy = load_policy()
    engine = make_engine(fresh_database("voc_bench_reports"))
    started = time.perf_counter()
    with Session(engine) as s:
        seeded = seed_history(s, policy, NOW, args.months, args.per_month, seed=7)
        s.commit()
    with engine.connect() as c:
        c.execute(text("ANALYZE"))
        c.commit()
    fill_s = time.perf_counter() - started
    period = parse("month", "2026-11")
    start, end = period.bounds(policy.tz)

    def report():
        with Session(engine) as s:
            period_numbers(s, policy, period, NOW)

    def raw():
        with engine.connect() as c:
            c.execute(RAW, {"start": start, "end": end}).all()

    report_s, raw_s = median_seconds(report, args.repeat), median_seconds(raw, args.repeat)
    summary = {"items": seeded.items, "seed_seconds": round(fill_s, 1), "monthly_report_ms": round(report_s * 1000, 1),
               "raw_group_by_ms": round(raw_s * 1000, 1), "ratio": round(report_s / raw_s, 2)}
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "report_cost.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    engine.dispose()


if __name__ == "__main__":
    main()
