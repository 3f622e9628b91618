"""Ack latency of `/feedback`: `voc web` against a bare bolt app that only acks, in the same run.

Three servers run at once as their own processes (the bare app twice: with bolt's defaults,
and acking in the request thread as `voc web` does) on the same waitress settings, beside
a dramatiq worker (Redis) that does the bot's real work (classify, file in PostgreSQL,
post to a local Slack emulator). 20 concurrent senders each alternate between the two
servers, so all are measured under the same load at the same moments.

Two modes:
  --pace-ms 0    closed loop, no think time: the servers are saturated and latency is
                 concurrency / throughput (Little's law) — a measure of CPU per request;
  --pace-ms N    each sender waits N ms between requests: latency as a person feels it
                 under a steady load (20 senders × 1000/N requests per second).

    python -m bench.ack_latency [--senders 20] [--requests 50] [--pace-ms 0] [--database postgresql|sqlite]
Writes bench/results/ack_latency[-paced].json and prints a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
import redis

from cli.local_processes import free_port, stop_all, wait_listening
from domain.policy import load_policy
from slack_emulator import EmulatorServer, SlackSide
from slack_emulator.demo import demo_workspace

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
TEXTS = [
    "Geely: connectors in lot 23-1107 don't fit, their assembly line stopped 2 h",
    "BYD: shipment of 500 pcs arrived 3 days late",
    "上汽大众：外壳表面划伤，数量12件",
    "Great Wall: 请问订单4471什么时候发货？",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def hammer(targets: dict[str, SlackSide], senders: int, per_sender: int, pace: float) -> dict[str, list[float]]:
    """Each sender alternates between the targets; returns latencies (ms) per target."""
    names = list(targets)
    latencies: dict[str, list[float]] = {n: [] for n in names}
    errors: dict[str, int] = {n: 0 for n in names}
    lock = threading.Lock()

    def sender(n: int) -> None:
        for i in range(per_sender * len(names)):
            name = names[(n + i) % len(names)]
            sent = targets[name].command("U0SALESEMMA", "C0SALESFLOOR", TEXTS[(n + i) % len(TEXTS)], send=False)
            start = time.perf_counter()
            targets[name].post(sent)
            took = (time.perf_counter() - start) * 1000
            with lock:
                latencies[name].append(took)
                errors[name] += sent.status != 200
            if pace:
                time.sleep(pace)

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(senders)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    hammer.elapsed = time.perf_counter() - start
    hammer.errors = errors
    return latencies


def wait_processed(db_url: str, expected: int, timeout: float = 300) -> float:
    """Seconds until the worker has processed every stored request (the work behind the acks)."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    start = time.monotonic()
    try:
        while time.monotonic() - start < timeout:
            with engine.connect() as conn:
                done = conn.execute(sa.text("SELECT count(*) FROM inbound_requests WHERE status = 'done'")).scalar()
            if done >= expected:
                break
            time.sleep(0.5)
    finally:
        engine.dispose()
    return round(time.monotonic() - start, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="per sender and server")
    parser.add_argument("--pace-ms", type=float, default=0, help="think time between a sender's requests")
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    args = parser.parse_args()

    ws = demo_workspace(load_policy())
    emulator = EmulatorServer(ws).start()
    db_name = None
    if args.database == "postgresql":
        db_name = f"voc_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{db_name}"')
        db_url = PG_ADMIN.rsplit("/", 1)[0] + "/" + db_name
    else:
        db_url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": emulator.api_url, "DATABASE_URL": db_url, "VOC_BROKER": "redis",
           "REDIS_URL": os.environ.get("VOC_BENCH_REDIS", "redis://127.0.0.1:6379/14")}
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    bindir = Path(sys.executable).parent
    procs: list[subprocess.Popen] = []
    try:
        targets = {}
        bare = [sys.executable, str(ROOT / "bench" / "bare_app.py")]
        for name, cmd, extra in (("bare bolt app", bare, {}), ("bare, ack in thread", bare, {"BARE_IN_THREAD": "1"}),
                                 ("voc web", [str(bindir / "voc"), "web", "--host", "127.0.0.1"], {})):
            port = free_port()
            proc = subprocess.Popen(cmd, cwd=ROOT, env={**env, "PORT": str(port), **extra},
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            procs.append(proc)
            wait_listening(port, proc)
            targets[name] = SlackSide(ws, f"http://127.0.0.1:{port}/slack/events", SECRET, emulator.url + "response")
        procs.append(subprocess.Popen([str(bindir / "dramatiq"), "workers", "--processes", "1", "--threads", "4"],
                                      cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        hammer(targets, args.senders, 3, 0)  # warm-up: imports, pools, auth.test
        time.sleep(1)
        latencies = hammer(targets, args.senders, args.requests, args.pace_ms / 1000)
        elapsed, errors = hammer.elapsed, hammer.errors
        caught_up = wait_processed(db_url, args.senders * (args.requests + 3) * 2 // 3)
    finally:
        stop_all(*procs)
        emulator.stop()
        if db_name:
            with psycopg.connect(PG_ADMIN, autocommit=True) as c:
                c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (db_name,))
                c.execute(f'DROP DATABASE IF EXISTS "{db_name}"')

    results = {name: {"n": len(v), "errors": errors[name], "p50_ms": round(percentile(v, 50), 2),
                      "p99_ms": round(percentile(v, 99), 2), "mean_ms": round(statistics.mean(v), 2)}
               for name, v in latencies.items()}
    bare, tight, bot = results["bare bolt app"], results["bare, ack in thread"], results["voc web"]
    total = sum(r["n"] for r in results.values())
    summary = {"mode": f"paced {args.pace_ms:g} ms" if args.pace_ms else "closed loop (saturation)",
               "senders": args.senders, "requests_per_sender_and_server": args.requests, "database": args.database,
               "offered_rate_per_s": round(total / elapsed, 1), "results": results,
               "p50_ratio": round(bot["p50_ms"] / bare["p50_ms"], 2), "p99_ratio": round(bot["p99_ms"] / bare["p99_ms"], 2),
               "p99_ratio_to_ack_in_thread": round(bot["p99_ms"] / tight["p99_ms"], 2),
               "worker_caught_up_after_s": caught_up, "cpu": os.cpu_count(), "python": sys.version.split()[0]}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / ("ack_latency-paced.json" if args.pace_ms else "ack_latency.json")).write_text(json.dumps(summary, indent=2))
    print(f"{summary['mode']}, {args.database}, {summary['offered_rate_per_s']} requests/s over both servers\n")
    print("| server | requests | errors | p50 ms | p99 ms |\n|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['n']} | {r['errors']} | {r['p50_ms']} | {r['p99_ms']} |")
    print(f"\nvoc web / bare: p50 ×{summary['p50_ratio']}, p99 ×{summary['p99_ratio']} (target: p99 ≤ ×1.5 and < 300 ms); "
          f"p99 ×{summary['p99_ratio_to_ack_in_thread']} against the bare app acking in its request thread; "
          f"the worker finished the filing {caught_up} s after the last ack")


if __name__ == "__main__":
    main()
