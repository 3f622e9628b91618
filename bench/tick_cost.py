"""The SLA tick's cost with 10 k and with 1 M complaints on file, the same due load, side by side in
one run: the tick must cost what is due, not what was ever filed (target: 1 M within ×2 of 10 k).

Two PostgreSQL databases are filled with generate_series (each complaint has its five deadlines:
most met long ago, 5 % of complaints still open with deadlines due later), then the same 500
deadlines are made due. Each measured tick runs in a transaction that is rolled back, so every
repetition sees the same state; the figure is the median of the repetitions.

    python -m bench.tick_cost [--small 10000] [--large 1000000] [--due 500] [--repeat 7]
"""
from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timezone

from sqlalchemy import create_engine, text
from sqlmodel import Session

from domain.policy import load_policy
from domain.sla.calendar import calendar_for
from domain.sla.tick import tick
from models.db import upgrade

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
MILESTONES = ("first_contact", "containment", "report_8d", "customer_closure", "internal_closure")


def fresh_database(name: str) -> str:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    upgrade(url)
    return url


def fill(url: str, complaints: int, due: int) -> None:
    """`complaints` on file, 5 % still open; `due` of the open ones have a deadline due now."""
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("""
            INSERT INTO feedback_items (id, source_key, source, status, kind, category, severity, department,
                also_departments, confidence, reasons, text, summary, part_numbers, lot_numbers, line_stopped,
                reporter_id, locale, received_at, created_at, updated_at, version, unconfirmed, files, number)
            SELECT g, 'bench:' || g, 'slash', CASE WHEN g % 20 = 0 THEN 'received' ELSE 'closed' END, 'complaint',
                'quality', 'B', 'quality', '[]', 1, '[]', 'burrs on the bracket', 'burrs', '[]', '[]', false,
                'U0SALESEMMA', 'en', :now - (g || ' minutes')::interval, :now, :now, 1, false, '[]', g
            FROM generate_series(1, :n) AS g"""), {"n": complaints, "now": NOW})
        for m, hours in zip(MILESTONES, (8, 72, 120, 336, 720)):
            c.execute(text("""
                INSERT INTO deadlines (item_id, milestone, due_at, met_at, state, clock, hours, remind_at,
                                       next_action_at, level, paused_seconds, policy_version)
                SELECT g, :m, :now + (:h || ' hours')::interval,
                       CASE WHEN g % 20 = 0 THEN NULL ELSE :now - interval '30 days' END,
                       CASE WHEN g % 20 = 0 THEN 'open' ELSE 'met' END, 'calendar', :h, :now + interval '1 hour',
                       CASE WHEN g % 20 = 0 THEN :now + (:h || ' hours')::interval ELSE NULL END, 1, 0, 'bench'
                FROM generate_series(1, :n) AS g"""), {"n": complaints, "now": NOW, "m": m, "h": hours})
        # the same due load in both: `due` open first contacts whose escalation is due now
        c.execute(text("""
            UPDATE deadlines SET next_action_at = :now - interval '1 minute', due_at = :now - interval '1 hour'
            WHERE milestone = 'first_contact' AND item_id IN (
                SELECT id FROM feedback_items WHERE status = 'received' ORDER BY id LIMIT :due)"""),
                  {"now": NOW, "due": due})
        c.execute(text("ANALYZE"))
    engine.dispose()


def measure(url: str, repeat: int) -> tuple[float, int]:
    policy = load_policy()
    calendar = calendar_for(policy)
    engine = create_engine(url)
    times, looked = [], 0
    for _ in range(repeat):
        with Session(engine) as s:
            start = time.perf_counter()
            report = tick(s, policy, NOW, {}, calendar, limit=10_000)
            times.append(time.perf_counter() - start)
            looked = report.looked
            s.rollback()
    engine.dispose()
    return statistics.median(times), looked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = {}
    for label, n in (("small", args.small), ("large", args.large)):
        url = fresh_database(f"voc_bench_tick_{label}")
        start = time.perf_counter()
        fill(url, n, args.due)
        print(f"{n:>9,} complaints on file ({5 * n:,} deadlines) filled in {time.perf_counter() - start:.0f} s", flush=True)
        results[label] = measure(url, args.repeat)
    (small, due_small), (large, due_large) = results["small"], results["large"]
    assert due_small == due_large == args.due, (due_small, due_large)
    print(f"tick with {args.due} due: {args.small:,} on file {small * 1000:.1f} ms · {args.large:,} on file "
          f"{large * 1000:.1f} ms · ratio ×{large / small:.2f} (target ≤ ×2)")


if __name__ == "__main__":
    main()
