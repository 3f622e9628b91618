"""The monthly report's numbers on 100 k items over three years, next to the same figures in raw
SQL (hand-written statements run on a bare connection: no ORM, no Python over rows), in one run on
one PostgreSQL database. Target: under 2 s and within ×3 of the raw SQL. The raw results must equal
the report's: the benchmark checks them, so the baseline cannot drift into measuring something else.
For scale it also times the cheapest query a monthly report could be (one GROUP BY of the month), and
the whole monthly service report (its comparisons, lists, Paretos, trend and return rate) against the
same 2 s target.

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
from domain.reports.content import build_report
from domain.reports.history import seed_history
from domain.reports.numbers import period_numbers
from domain.reports.periods import parse
from models.db import make_engine

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
GROUP_BY = text("""SELECT kind, category, severity, department, count(*) FROM feedback_items
              WHERE number IS NOT NULL AND status <> 'withdrawn' AND received_at >= :start AND received_at < :cut
              GROUP BY kind, category, severity, department""")
FILED = "number IS NOT NULL AND status <> 'withdrawn'"
OPEN_AT = """(fi.status IN ('received','acknowledged','contained','root_caused','corrective_action','preventive_action',
              'verified','not_ours','waiting_on_customer','answered')
             OR (fi.status = 'closed' AND NOT EXISTS (SELECT 1 FROM status_changes s2 WHERE s2.item_id = fi.id
                 AND s2.to_status = 'closed' AND s2.at <= :cut)))"""
RAW = {
    "new": GROUP_BY,
    "closed": text("""SELECT count(*), avg(d), max(d) FROM (
        SELECT extract(epoch FROM c.closed_at - (SELECT received_at FROM feedback_items WHERE id = c.item_id)) / 86400 AS d
        FROM (SELECT item_id, max(at) AS closed_at FROM status_changes WHERE to_status = 'closed'
              AND at >= :start AND at < :cut GROUP BY item_id) c) x"""),
    "open": text(f"""SELECT (SELECT count(*) FROM feedback_items fi WHERE {FILED} AND received_at < :cut
                             AND status IN ('received','acknowledged','contained','root_caused','corrective_action',
                                            'preventive_action','verified','not_ours','waiting_on_customer','answered'))
                      + (SELECT count(*) FROM feedback_items fi WHERE {FILED} AND received_at < :cut AND id IN (
                             SELECT item_id FROM status_changes WHERE to_status = 'closed' AND at > :cut) AND {OPEN_AT})"""),
    "overdue": text(f"""SELECT count(DISTINCT d.item_id) FROM deadlines d JOIN feedback_items fi ON fi.id = d.item_id
        WHERE fi.{FILED.replace(' AND ', ' AND fi.')} AND fi.received_at < :cut AND {OPEN_AT} AND d.state NOT IN ('cancelled', 'paused')
          AND d.due_at < :cut AND (d.met_at IS NULL OR d.met_at > :cut)"""),
    "repeats": text(f"""SELECT count(DISTINCT l.item_id) FROM item_links l JOIN feedback_items fi ON fi.id = l.item_id
        WHERE l.kind = 'repeat_of' AND fi.{FILED.replace(' AND ', ' AND fi.')} AND fi.received_at >= :start AND fi.received_at < :cut"""),
    "on_time": text("""SELECT milestone, count(*), sum(CASE WHEN met_at IS NOT NULL AND met_at <= due_at THEN 1 ELSE 0 END)
        FROM deadlines WHERE state <> 'cancelled' AND due_at >= :start AND due_at < :cut GROUP BY milestone"""),
}


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
    params = {"start": start, "cut": min(end, NOW)}

    def report():
        with Session(engine) as s:
            return period_numbers(s, policy, period, NOW)

    def whole_report():  # everything the monthly message and its charts show (domain/reports/content.py)
        with Session(engine) as s:
            return build_report(s, policy, period, NOW, "en")

    def raw():
        with engine.connect() as c:
            return {name: c.execute(statement, params).all() for name, statement in RAW.items()}

    def group_by():
        with engine.connect() as c:
            c.execute(GROUP_BY, params).all()

    ours, theirs = report(), raw()
    assert ours["new"]["total"] == sum(r[-1] for r in theirs["new"]), "the raw SQL and the report disagree on new"
    assert (ours["closed"], ours["open"], ours["overdue"], ours["repeats"]) == \
        (theirs["closed"][0][0], theirs["open"][0][0], theirs["overdue"][0][0], theirs["repeats"][0][0])
    assert ours["on_time"] == {m: round(met / due, 4) for m, due, met in theirs["on_time"]}
    report_s, raw_s, group_s, whole_s = (median_seconds(f, args.repeat) for f in (report, raw, group_by, whole_report))
    summary = {"items": seeded.items, "seed_seconds": round(fill_s, 1), "monthly_report_ms": round(report_s * 1000, 1),
               "raw_sql_same_figures_ms": round(raw_s * 1000, 1), "ratio": round(report_s / raw_s, 2),
               "one_group_by_ms": round(group_s * 1000, 1),
               # the figures of this month, the previous one and a year before, the overdue list, three Paretos,
               # twelve months by severity and the return rate: the whole monthly service report
               "monthly_service_report_ms": round(whole_s * 1000, 1)}
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "report_cost.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    engine.dispose()


if __name__ == "__main__":
    main()
