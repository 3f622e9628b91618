"""`voc`: run the bot, its worker and scheduler, migrations, the classifier and the policy check."""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from datetime import datetime, timezone

EXIT_CONFIG = 2


def _policy_or_exit(path: str | None = None, warn: bool = True):
    from domain.policy import check_policy, policy_path

    policy, problems = check_policy(path)
    if policy is None:
        print(f"The policy {policy_path(path)} has {len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        sys.exit(EXIT_CONFIG)
    if warn:
        _warn_about_calendar(policy)
    return policy


def _warn_about_calendar(policy, today=None) -> None:
    """A year of public holidays the package does not know yet (or the policy lists only in part) is
    said on every start, not guessed (docs/sla.md): the year of `today` (the moment the command works
    at; now by default) and the next."""
    from domain.sla.calendar import calendar_warnings

    today = today or datetime.now(policy.tz).date()
    for warning in calendar_warnings(policy, today, policy.company.language):
        print(f"warning: {warning}", file=sys.stderr, flush=True)


def cmd_policy_check(args) -> int:
    from domain.policy import policy_path

    policy = _policy_or_exit(args.file)
    print(f"{policy_path(args.file)}: OK — {len(policy.departments)} departments, "
          f"{len(policy.classification.severity_rules)} severity rules, {len(policy.customers)} known customers")
    return 0


def cmd_policy_reference(args) -> int:
    from domain.policy_reference import policy_reference

    sys.stdout.write(policy_reference())
    return 0


def _prepare_database(policy, url: str | None = None) -> int:
    """The start-up every process shares (bot.runtime.prepare_database): migrations, then the policy's customers."""
    from bot.runtime import prepare_database
    from models.db import Database

    db = Database(url)
    try:
        return prepare_database(db, policy, datetime.now(timezone.utc))
    finally:
        db.dispose()


def cmd_db_upgrade(args) -> int:
    from models.db import current_revision, database_url

    added = _prepare_database(_policy_or_exit(), args.url)
    print(f"{database_url(args.url).split('@')[-1]}: at revision {current_revision(args.url)}, "
          f"{added} customer(s) from the policy added")
    return 0


CLASSIFY_HELP = """Classify messages: one JSON object per line on standard input, one JSON result per line out.

input:   {"text": "Geely: connectors cracked, line stopped", "id": "any value, echoed"}
output:  {"id": …, "kind": "complaint|suggestion|inquiry|praise", "category": "quality|delivery|technical|
          commercial|service|other", "severity": "AA|A|B", "department": …, "also_departments": […],
          "confidence": 0.0-1.0, "reasons": [{"field", "value", "rule", "evidence"}, …],
          "part_numbers": […], "lot_numbers": […], "quantity": n|null (defective), "quantity_unit": …,
          "checked_quantity": n|null, "quantity_text": …, "line_state": "stopped|about_to_stop|running"|null,
          "line_stopped": bool,
          "file_now": bool (the bot would file it at once were a customer named; otherwise it asks)}
A line that is not such an object gives {"id": … if present, "error": "line N: what is wrong"}; blank
lines are skipped. Example: echo '{"text": "BYD: 3 days late"}' | voc classify
"""


def cmd_classify(args) -> int:
    """JSON lines in, JSON lines out; a bad line gets an error line so outputs stay aligned with inputs."""
    from cli.classifier import classifier_in_use

    classifier = classifier_in_use(_policy_or_exit(args.policy))
    out = sys.stdout
    pending: list[tuple[dict, str]] = []

    def flush() -> None:  # classified in batches: the model is much faster on many texts at once
        if not pending:
            return
        for (echo, _), result in zip(pending, classifier.classify_many([text for _, text in pending])):
            # file_now: the bot would file this message at once, were a customer named (else it asks:
            # unsure, or a plausible AA it did not grade AA, which the AA question asks about first)
            file_now = classifier.sure(result) and not classifier.asks_aa(result)
            out.write(json.dumps({**echo, **result.as_dict(), "file_now": file_now}, ensure_ascii=False) + "\n")
        pending.clear()

    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            flush()
            out.write(json.dumps({"error": f"line {number}: not JSON; expected one JSON object per line, "
                                           'like {"text": "…"}'}, ensure_ascii=False) + "\n")
            continue
        echo = {"id": record["id"]} if isinstance(record, dict) and "id" in record else {}
        text = record.get("text") if isinstance(record, dict) else None
        if not isinstance(text, str):
            flush()
            what = "no \"text\"" if not isinstance(record, dict) or "text" not in record else "\"text\" is not a string"
            out.write(json.dumps({**echo, "error": f"line {number}: {what}; expected an object like "
                                                   '{"text": "…", "id": optional}'}, ensure_ascii=False) + "\n")
            continue
        pending.append((echo, text))
        if len(pending) >= 256:
            flush()
    flush()
    out.flush()
    return 0


def _runtime_or_exit(clock=None):
    from bot.runtime import build_runtime
    from domain.policy import PolicyError

    try:
        return build_runtime(clock=clock)
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        sys.exit(EXIT_CONFIG)


def _app_or_exit(build_app, rt, **kwargs):
    """bolt checks the token with Slack (auth.test) when the app is built: say what is wrong, not a traceback."""
    from bot.app import StartupProblem

    try:
        return build_app(rt, **kwargs)
    except StartupProblem as problem:
        print(str(problem), file=sys.stderr)
        sys.exit(EXIT_CONFIG)


def cmd_web(args) -> int:
    from bot.settings import Settings

    settings = Settings()
    missing = settings.missing_for_http()
    if missing:
        print(f"voc web needs {' and '.join(missing)} (see README: connect a workspace).\n"
              "To try VOC Desk without Slack, run: voc shell", file=sys.stderr)
        return EXIT_CONFIG
    _policy_or_exit(settings.voc_policy)
    from bot.app import build_app, wsgi_app
    from cli.web import WebServer
    from workers.outbox import schedule_delivery
    from workers.requests import enqueue_request

    rt = _runtime_or_exit()
    if settings.on_slack:
        app, service = _app_or_exit(build_app, rt, schedule_retry=schedule_delivery, enqueue=enqueue_request)
        from bot.health import HealthCheck
        from bot.teams.wiring import serve

        edge = wsgi_app(app, settings.voc_max_request_bytes, health=HealthCheck(rt.settings, rt.clock))
        wsgi = serve(edge, service, settings.voc_max_request_bytes)
    else:  # a Teams-only company: no Slack app, /api/messages and /healthz
        from bot.teams.alone import web_app

        wsgi, service = web_app(rt, schedule_retry=schedule_delivery, enqueue=enqueue_request,
                                max_body=settings.voc_max_request_bytes)
    service.writer  # start the inbox writer now: it replays what a crashed process left in the spool
    port = args.port or settings.port
    server = WebServer(wsgi, host=args.host, port=port,
                       threads=settings.web_threads, max_body=settings.voc_max_request_bytes)
    # A platform stops a process with SIGTERM: stop taking requests, then store and hand on
    # what was already acknowledged (the inbox writer) before exiting.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    print(f"VOC Desk listening on {server.url if settings.on_slack else server.url.replace('/slack/events', '/api/messages')}", flush=True)
    try:
        server.run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server.close()
        service.drain()
    return 0


def cmd_socket(args) -> int:
    from bot.settings import Settings

    settings = Settings()
    if not settings.on_slack:  # Socket Mode is Slack's; the Bot Framework only calls an HTTPS endpoint
        print("voc socket is Slack's Socket Mode; with VOC_PLATFORM=teams run voc web (it serves /api/messages).",
              file=sys.stderr)
        return EXIT_CONFIG
    if not settings.slack_app_token or not settings.slack_bot_token:
        print("voc socket needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN.", file=sys.stderr)
        return EXIT_CONFIG
    _policy_or_exit(settings.voc_policy)
    from bot.app import build_app, socket_mode_handler
    from workers.outbox import schedule_delivery
    from workers.requests import enqueue_request

    app, service = _app_or_exit(build_app, _runtime_or_exit(), schedule_retry=schedule_delivery,
                                enqueue=enqueue_request, verify_requests=False)
    service.writer  # start the inbox writer now: it replays what a crashed process left in the spool
    socket_mode_handler(app, settings.slack_app_token).start()
    return 0


def cmd_scheduler(args) -> int:
    """Once a minute, wake a worker to process requests and send messages still pending."""
    from workers.requests import sweep

    _prepare_database(_policy_or_exit())  # refuses an invalid policy, warns about a year without holiday data
    print("VOC Desk scheduler: sweeping the inbox and outbox every", args.interval, "s", flush=True)
    while True:
        try:
            sweep.send()
        except Exception as exc:  # Redis restarting: try again next round
            logging.getLogger("voc.scheduler").warning("could not enqueue the sweep: %s", exc)
        if args.once:
            return 0
        time.sleep(args.interval)


def parse_moment(text: str, zone) -> datetime:
    """An ISO moment; one without an offset is read in the company's time zone. ValueError if `text`
    is not one (not a date, or a day the calendar does not have: 2026-02-30)."""
    from dateutil import parser as dateparser

    try:
        moment = dateparser.isoparse(text)
    except OverflowError as exc:
        raise ValueError(str(exc)) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


AT_REFUSED = {
    "en": "{prog}: error: argument --at: {text!r} is not a moment; write it as 2026-09-30T15:00 "
          "(the company's time zone) or 2026-09-30T15:00+08:00",
    "zh": "{prog}：错误：参数 --at：{text!r} 不是有效的时间；请写成 2026-09-30T15:00（公司时区）"
          "或 2026-09-30T15:00+08:00",
}


def moment_or_exit(text: str, zone, prog: str, lang: str | None = "en") -> datetime:
    """`--at` read, or one line saying how to write it and exit 2, as argparse refuses an argument."""
    try:
        return parse_moment(text, zone)
    except ValueError:
        print(AT_REFUSED.get(lang or "en", AT_REFUSED["en"]).format(prog=prog, text=text), file=sys.stderr)
        sys.exit(EXIT_CONFIG)


def cmd_tick(args) -> int:
    """One SLA tick for the moment given (default now): reminders and escalations decided, then sent."""
    from bot.service import BotService
    from domain.clock import SystemClock, VirtualClock

    policy = _policy_or_exit(warn=False)
    rt = _runtime_or_exit(VirtualClock(moment_or_exit(args.at, policy.tz, "voc tick")) if args.at else SystemClock())
    now = rt.clock.now()
    _warn_about_calendar(policy, now.astimezone(policy.tz).date())
    report = rt.desk.tick(now)
    reports = rt.desk.queue_reports(now)
    print(f"tick at {now.astimezone(rt.policy.tz).isoformat()}: {report.looked} deadline(s) due, "
          f"{report.reminders} reminder(s), {report.escalations} escalation(s), {report.direct_messages} DM(s), "
          f"{len(reports)} report(s) queued", flush=True)
    if not args.no_send:
        BotService(rt).flush(None)
    return 0


def cmd_outbox(args) -> int:
    """List parked and pending messages; `retry ID… | --all` sends parked ones again."""
    from bot.service import BotService
    from domain import outbox

    rt = _runtime_or_exit()
    if args.outbox_command == "retry":
        if not args.all and not args.ids:
            print("say which: voc outbox retry ID [ID…] or --all", file=sys.stderr)
            return EXIT_CONFIG
        with rt.db.session() as s:
            count = outbox.send_again(s, None if args.all else args.ids)
        print(f"{count} parked message(s) queued again", flush=True)
        if count and not args.no_send:
            BotService(rt).flush(None)
        return 0
    with rt.db.session() as s:
        rows = outbox.stuck(s)
    if not rows:
        print("nothing parked or pending")
        return 0
    print(f"{'id':>6}  {'status':8} {'intent':13} {'item':>5}  {'channel':12} {'tries':>5}  error")
    for r in rows:
        print(f"{r.id:>6}  {('parked' if r.status == 'failed' else r.status):8} {r.intent:13} {r.item_id or '':>5}  "
              f"{(r.channel or ''):12} {r.attempts:>5}  {(r.last_error or '')[:80]}")
    return 0


STATUS_EXIT = {"ok": 0, "attention": 1, "down": 2}  # a monitor's usual reading: OK, WARNING, CRITICAL


def cmd_status(args) -> int:
    """What GET /healthz says, one line per part; exit 0 healthy, 1 something needs a person, 2 down."""
    from bot.health import HealthCheck
    from bot.settings import Settings
    from domain.clock import SystemClock

    report = HealthCheck(Settings(), SystemClock()).report()
    for name, part in report["parts"].items():
        print(f"{name:10} {part['state']:9} {part['detail']}")
    print(f"{'status':10} {report['status']}", flush=True)
    return STATUS_EXIT[report["status"]]


def cmd_doctor(args) -> int:
    """The live setup against Slack and the database: one line per thing to fix; exit 1 if any."""
    from bot.doctor import local_problems, slack_problems
    from bot.settings import Settings
    from bot.slack_client import make_client

    settings = Settings()
    policy = _policy_or_exit(settings.voc_policy, warn=False)  # its holiday warnings are among the lines below
    today = (moment_or_exit(args.at, policy.tz, "voc doctor") if args.at else datetime.now(policy.tz)).astimezone(policy.tz).date()
    problems = []
    if settings.on_slack and settings.slack_bot_token:
        problems = slack_problems(make_client(settings.slack_bot_token, settings.api_url), policy)
    elif settings.on_slack:
        problems = ["SLACK_BOT_TOKEN: not set: copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page"]
    if settings.on_teams:
        from bot.teams.doctor import teams_problems

        problems += teams_problems(settings, policy)
    problems += local_problems(policy, settings.database_url, today)
    for line in problems:
        print(line)
    chat = {"slack": "Slack", "teams": "Teams", "both": "Slack, Teams"}[settings.voc_platform]
    print(f"{len(problems)} thing(s) to fix" if problems else f"nothing to fix: {chat}, the policy and the database agree",
          flush=True)
    return 1 if problems else 0


def cmd_worker(args) -> int:
    from domain.classifier import classifier_for

    # Fit (or load) the classifier's baseline once, before the worker processes start: each then
    # loads it from the disk cache instead of fitting it while a person waits for their first item.
    policy = _policy_or_exit()
    _prepare_database(policy)  # before the first job, like every process at start
    classifier_for(policy)
    os.execv(sys.executable, [sys.executable, "-m", "dramatiq", "workers",
                              "--processes", str(args.processes), "--threads", str(args.threads)])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="voc", description="VOC Desk — customer feedback and complaints in Slack")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("web", help="serve Slack's HTTP mode on $PORT at POST /slack/events")
    p.add_argument("--host", default="0.0.0.0")
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=cmd_web)

    p = sub.add_parser("socket", help="run in Socket Mode (SLACK_APP_TOKEN)")
    p.set_defaults(func=cmd_socket)

    p = sub.add_parser("shell", help="a local Slack in the terminal — no workspace needed")
    p.add_argument("--demo", action="store_true", help="play the scripted demo scenario")
    p.add_argument("--lang", choices=["en", "zh"], default=None, help="language of the shell and demo")
    p.add_argument("--plain", action="store_true", help="no colours or line editing (for pipes)")
    p.add_argument("--platform", choices=["slack", "teams"], default="slack",
                   help="draw the bot's messages as Slack shows them, or as Teams' Adaptive Cards")
    p.add_argument("--at", default=None, help="start the shell's clock at this ISO moment (no offset: the company's zone)")
    p.add_argument("--history", type=int, default=0, metavar="MONTHS",
                   help="start with this many months of generated complaints (300 a month) for the reports")
    p.set_defaults(func=lambda a: __import__("shell.main", fromlist=["run"]).run(a))

    p = sub.add_parser("db", help="database commands")
    dbsub = p.add_subparsers(dest="db_command", required=True)
    up = dbsub.add_parser("upgrade", help="apply migrations (DATABASE_URL; default a SQLite file here)")
    up.add_argument("--url", default=None)
    up.set_defaults(func=cmd_db_upgrade)

    p = sub.add_parser("classify", formatter_class=argparse.RawDescriptionHelpFormatter, description=CLASSIFY_HELP, help='JSON lines {"text": ...} on stdin -> one JSON result per line')
    p.add_argument("--policy", default=None)
    p.set_defaults(func=cmd_classify)

    from cli.classifier import add_parsers as add_classifier_parsers
    from cli.reports import add_parsers as add_report_parsers
    add_classifier_parsers(sub, _policy_or_exit, _runtime_or_exit)
    add_report_parsers(sub, _policy_or_exit)
    from cli.teams import add_parsers as add_teams_parsers
    add_teams_parsers(sub)

    p = sub.add_parser("policy", help="policy commands")
    psub = p.add_subparsers(dest="policy_command", required=True)
    chk = psub.add_parser("check", help="validate the policy (VOC_POLICY or the default) and list every problem")
    chk.add_argument("file", nargs="?", default=None)
    chk.set_defaults(func=cmd_policy_check)
    ref = psub.add_parser("reference", help="print every policy key, its type, default and meaning as markdown "
                          "(docs/policy-reference.md)")
    ref.set_defaults(func=cmd_policy_reference)

    p = sub.add_parser("scheduler", help="enqueue periodic work (the outbox sweep)")
    p.add_argument("--interval", type=int, default=60)
    p.add_argument("--once", action="store_true")
    p.set_defaults(func=cmd_scheduler)

    p = sub.add_parser("tick", help="one SLA tick (reminders, escalations) for a moment, then exit")
    p.add_argument("--at", default=None, help="ISO moment, e.g. 2026-12-01T09:00+08:00 (no offset: the company's zone)")
    p.add_argument("--no-send", action="store_true", help="decide and queue only; the worker sends")
    p.set_defaults(func=cmd_tick)

    p = sub.add_parser("outbox", help="messages parked after failing, and those still pending; retry parked ones")
    p.set_defaults(func=cmd_outbox, outbox_command="list")
    osub = p.add_subparsers(dest="outbox_command")
    retry = osub.add_parser("retry", help="send parked messages again: IDs, or --all")
    retry.add_argument("ids", nargs="*", type=int)
    retry.add_argument("--all", action="store_true")
    retry.add_argument("--no-send", action="store_true", help="queue only; the worker sends")
    retry.set_defaults(func=cmd_outbox)

    p = sub.add_parser("status", help="is everything alive: database, Redis, worker, scheduler, parked messages (as GET /healthz)")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("doctor", help="check the setup against Slack and the database; one line per thing to fix")
    p.add_argument("--at", default=None, help="check as of this ISO moment (the holidays of its year and the next)")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("worker", help="run the dramatiq worker")
    p.add_argument("--processes", type=int, default=1)
    p.add_argument("--threads", type=int, default=4)
    p.set_defaults(func=cmd_worker)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("VOC_LOG_LEVEL", "WARNING"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
