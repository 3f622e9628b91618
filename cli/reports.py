"""`voc report week|month|year --at PERIOD`: a period's numbers as JSON (the numbers the digest shows);
`voc export ledger|audit --from DATE --to DATE --format xlsx|csv [--out FILE]`: the complaint ledger or
the audit trail; `voc export audit-pack --from DATE --to DATE [--customer NAME] [--out FILE]`: the ZIP an
auditor asks for (docs/reports.md); `voc import shipments FILE.csv`: shipped quantities for the return rate;
`voc import ledger FILE.xlsx|csv`: the company's earlier complaint ledger (docs/import.md); `voc import customers`
and `voc export customers`: the customer records (docs/customers.md); `voc seed`."""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone


def cmd_report(args, policy) -> int:
    from domain.reports.details import return_rate
    from domain.reports.numbers import period_numbers
    from domain.reports.periods import BadPeriod, of, parse
    from models.db import Database

    try:
        period = parse(args.kind, args.at) if args.at else of(args.kind, datetime.now(policy.tz).date())
    except BadPeriod as exc:
        print(str(exc), file=sys.stderr)
        return 2
    db = Database()
    try:
        with db.session() as s:
            now = datetime.now(timezone.utc)
            numbers = period_numbers(s, policy, period, now)
            if period.kind != "week":  # what the monthly and annual reports show besides
                numbers["return_rate"] = return_rate(s, policy, period, now)
    finally:
        db.dispose()
    print(json.dumps(numbers, ensure_ascii=False, indent=2))
    return 0


def _date_range(args):
    """--from and --to as dates, or None after saying what is wrong."""
    from datetime import date

    try:
        first, last = date.fromisoformat(args.date_from), date.fromisoformat(args.date_to)
    except ValueError:
        print("--from and --to are dates like 2026-01-01", file=sys.stderr)
        return None
    if last < first:
        print("--to is before --from", file=sys.stderr)
        return None
    return first, last


def _export(args, policy, stem: str, noun: str, rows_of, file_of) -> int:
    """`voc export ledger|audit`: the dates checked, the rows read, the file written."""
    from models.db import Database

    dates = _date_range(args)
    if dates is None:
        return 2
    first, last = dates
    db = Database()
    try:
        with db.session() as s:
            rows = rows_of(s, first, last)
    finally:
        db.dispose()
    out = args.out or f"{stem}-{first}-{last}.{args.format}"
    with open(out, "wb") as f:
        f.write(file_of(policy, rows, args.format))
    print(f"{len(rows)} {noun} from {first} to {last} written to {out}")
    return 0


def slack_names(policy):
    """People by their full names, as the bot names them in files (users.info, asked once per person),
    when the bot's Slack token is configured (SLACK_BOT_TOKEN, SLACK_API_URL); without it, None: the
    files show user ids. Someone Slack cannot name (or a Slack out of reach) is shown by id."""
    from functools import lru_cache

    from bot.locales import Locales
    from bot.report_senders import SlackNames
    from bot.settings import Settings
    from bot.slack_client import make_client

    settings = Settings()
    if not settings.slack_bot_token:
        return None
    locales = Locales(make_client(settings.slack_bot_token, settings.api_url), policy.company.language)
    return SlackNames(lru_cache(maxsize=None)(locales.full_name_of))  # a miss is not asked again


def cmd_export_ledger(args, policy) -> int:
    from documents.ledger_export import ledger_file
    from domain.reports.ledger import ledger

    names = slack_names(policy)
    return _export(args, policy, "ledger", "item(s)",
                   lambda s, first, last: ledger(s, policy, first, last, datetime.now(timezone.utc), names), ledger_file)


def cmd_export_audit(args, policy) -> int:
    from documents.ledger_export import audit_file
    from domain.reports.audit import audit_rows

    return _export(args, policy, "audit", "event(s)", lambda s, first, last: audit_rows(s, policy, first, last), audit_file)


def cmd_export_audit_pack(args, policy) -> int:
    """`voc export audit-pack`: the ZIP, written entry by entry; people by name when the bot's Slack
    token is configured, else by id."""
    from documents.audit_pack import write_audit_pack
    from domain.customers import find_customer
    from domain.reports.audit_pack import audit_pack
    from models.db import Database

    dates = _date_range(args)
    if dates is None:
        return 2
    first, last = dates
    out = args.out or f"audit-pack-{first}-{last}.zip"
    db = Database()
    try:
        with db.session() as s:
            customer_ids, customer = None, None
            if args.customer:
                found = find_customer(s, args.customer)
                if found is None:
                    print(f"no customer called {args.customer!r}", file=sys.stderr)
                    return 2
                customer_ids, customer = [found.id], found.name
            names = slack_names(policy)
            pack = audit_pack(s, policy, first, last, datetime.now(timezone.utc), names, customer_ids=customer_ids,
                              customer=customer)
            with open(out, "wb") as f:
                write_audit_pack(f, pack, policy, names)
    finally:
        db.dispose()
    print(f"{len(pack.ledger)} item(s), {len(pack.eightd_ids)} 8D(s), {len(pack.nonconformities)} open nonconformity(ies) "
          f"from {first} to {last} written to {out}")
    return 0


def cmd_import_shipments(args, policy) -> int:
    from domain.reports.shipments import BadShipments, import_shipments
    from models.db import Database

    try:
        with open(args.file, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    db = Database()
    try:
        with db.session() as s:
            count = import_shipments(s, text, datetime.now(timezone.utc))
    except BadShipments as exc:
        print(f"{args.file}: nothing imported:\n{exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    print(f"{count} shipment figure(s) imported from {args.file}")
    return 0


def cmd_import_ledger(args, policy) -> int:
    """`voc import ledger FILE [--dry-run] [--mapping MAP.yaml] [--lang en|zh]`: every row checked, then all
    imported in one transaction (or, with --dry-run, what would be, and nothing written)."""
    from pathlib import Path

    import yaml

    from documents.ledger_import import read_table
    from domain.reports.ledger_import import import_ledger

    lang = args.lang or policy.company.language
    try:
        data = Path(args.file).read_bytes()
        mapping = yaml.safe_load(Path(args.mapping).read_text(encoding="utf-8")) if args.mapping else None
        table = read_table(args.file, data)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"cannot read {args.mapping if args.mapping and not isinstance(exc, OSError) else args.file}: {exc}",
              file=sys.stderr)
        return 2
    if mapping is not None and not (isinstance(mapping, dict) and all(isinstance(v, str) for v in mapping.values())):
        print(f"{args.mapping}: a mapping is lines like `客诉单号: ref` (header: field)", file=sys.stderr)
        return 2
    source = Path(args.file).name
    done = _import_whole(args, lambda s: import_ledger(s, policy, table, datetime.now(timezone.utc), source, mapping, lang))
    if done is None:
        return 2
    first, last = done.numbers or (None, None)
    print(("would import" if args.dry_run else "imported") + f" {done.items} item(s) from {args.file}: {done.open} open, "
          f"{done.closed} closed, {done.withdrawn} withdrawn" + (f"; VOC-{first} to VOC-{last}" if first else "")
          + f"; {len(done.new_customers)} new customer(s), unverified: {', '.join(done.new_customers) or '-'}"
          + f"; the next filed item is VOC-{done.next_number}")
    for name, close in done.new_customers.items():
        if close:
            print(f"  {name!r} is close to {', '.join(map(repr, close))}: an alias in the policy (or the name "
                  "corrected in the file) makes it theirs")
    return 0


def _import_whole(args, write):
    """`write(session)` in one transaction, rolled back for --dry-run; a file refused (BadLedger and its kinds,
    each bad line named) is said on stderr and nothing is written: None."""
    from domain.reports.ledger_import import BadLedger
    from models.db import Database

    db = Database()
    try:
        with db.session() as s:
            done = write(s)
            if args.dry_run:
                s.rollback()
        return done
    except BadLedger as exc:
        print(f"{args.file}: nothing imported:\n{exc}", file=sys.stderr)
        return None
    finally:
        db.dispose()


def cmd_import_customers(args, policy) -> int:
    """`voc import customers FILE.csv|xlsx [--dry-run] [--lang en|zh]`: every row checked, then all
    written in one transaction; one bad line refuses the file (each named), nothing written."""
    from pathlib import Path

    from documents.ledger_import import read_table
    from domain.customer_import import import_customers

    lang = args.lang or policy.company.language
    try:
        table = read_table(args.file, Path(args.file).read_bytes())
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    done = _import_whole(args, lambda s: import_customers(s, policy, table, datetime.now(timezone.utc), Path(args.file).name, lang))
    if done is None:
        return 2
    print(("would import" if args.dry_run else "imported") + f" {len(done.created)} new and {len(done.updated)} changed "
          f"customer record(s) from {args.file}, {done.unchanged} unchanged"
          + (f"; {done.handed_over} open item(s) handed to new account owners" if done.handed_over else ""))
    return 0


def cmd_export_customers(args, policy) -> int:
    """`voc export customers [--format csv|xlsx] [--out FILE]`: every record, as the import reads it."""
    from documents.table_export import csv_bytes, xlsx_bytes
    from domain.customer_import import export_rows
    from models.db import Database

    db = Database()
    try:
        with db.session() as s:
            headers, rows = export_rows(s)
    finally:
        db.dispose()
    out = args.out or f"customers.{args.format}"
    with open(out, "wb") as f:
        f.write(csv_bytes(headers, rows) if args.format == "csv" else xlsx_bytes("customers", headers, rows))
    print(f"{len(rows)} customer record(s) written to {out}")
    return 0


def cmd_seed(args, policy) -> int:
    from domain.reports.history import seed_history
    from models.db import Database, upgrade

    upgrade()
    db = Database()
    try:
        with db.session() as s:
            done = seed_history(s, policy, datetime.now(timezone.utc), args.months, args.per_month, args.seed)
    finally:
        db.dispose()
    zone = policy.tz
    print(f"{done.items} items received from {done.first.astimezone(zone):%Y-%m-%d} to before {done.last.astimezone(zone):%Y-%m-%d}")
    return 0


def add_parsers(sub, policy_or_exit) -> None:
    p = sub.add_parser("seed", help="fill the database with a realistic history (demos, the shell, benchmarks)")
    p.add_argument("--months", type=int, default=12)
    p.add_argument("--per-month", type=int, default=300)
    p.add_argument("--seed", type=int, default=7, help="the same seed makes the same history")
    p.set_defaults(func=lambda a: cmd_seed(a, policy_or_exit()))
    p = sub.add_parser("report", help="a week's, month's or year's numbers as JSON")
    p.add_argument("kind", choices=["week", "month", "year"])
    p.add_argument("--at", default=None, help="2026-W47, 2026-11 or 2026 (default: the current one)")
    p.set_defaults(func=lambda a: cmd_report(a, policy_or_exit()))
    p = sub.add_parser("export", help="the complaint ledger or the audit trail as XLSX or CSV")
    esub = p.add_subparsers(dest="export_command", required=True)
    for name, what, run in (("ledger", "every filed item received in the dates, with milestones, root cause, actions",
                             cmd_export_ledger),
                            ("audit", "the audit trail: every event (who did what, when) between the dates", cmd_export_audit)):
        one = esub.add_parser(name, help=what)
        one.add_argument("--from", dest="date_from", required=True, help="first day, e.g. 2026-01-01 (company time)")
        one.add_argument("--to", dest="date_to", required=True, help="last day, included")
        one.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        one.add_argument("--out", default=None, help=f"the file to write (default {name}-FROM-TO.FORMAT here)")
        one.set_defaults(func=lambda a, run=run: run(a, policy_or_exit()))
    cus = esub.add_parser("customers", help="every customer record, as `voc import customers` reads it (docs/customers.md)")
    cus.add_argument("--format", choices=["xlsx", "csv"], default="csv")
    cus.add_argument("--out", default=None, help="the file to write (default customers.FORMAT here)")
    cus.set_defaults(func=lambda a: cmd_export_customers(a, policy_or_exit()))
    pack = esub.add_parser("audit-pack", help="one ZIP for an auditor: ledger, 8Ds, audit trail, reports, satisfaction, "
                                              "an index by IATF 16949 clause and the open nonconformities")
    pack.add_argument("--from", dest="date_from", required=True, help="first day, e.g. 2026-01-01 (company time)")
    pack.add_argument("--to", dest="date_to", required=True, help="last day, included")
    pack.add_argument("--customer", default=None, help="one customer's records only (no company-wide figures)")
    pack.add_argument("--out", default=None, help="the file to write (default audit-pack-FROM-TO.zip here)")
    pack.set_defaults(func=lambda a: cmd_export_audit_pack(a, policy_or_exit()))
    p = sub.add_parser("import", help="data from other systems: shipped quantities for the return rate, the earlier "
                                      "complaint ledger")
    isub = p.add_subparsers(dest="import_command", required=True)
    shp = isub.add_parser("shipments", help="a CSV with month, quantity and optionally customer")
    shp.add_argument("file")
    shp.set_defaults(func=lambda a: cmd_import_shipments(a, policy_or_exit()))
    cus = isub.add_parser("customers", help="customer records (CSV or XLSX; docs/customers.md): all rows or none")
    cus.add_argument("file")
    cus.add_argument("--dry-run", action="store_true", help="check the file and say what would be imported; write nothing")
    cus.add_argument("--lang", choices=["en", "zh"], default=None, help="the language of the problems named "
                                                                       "(default: the company's)")
    cus.set_defaults(func=lambda a: cmd_import_customers(a, policy_or_exit()))
    led = isub.add_parser("ledger", help="the company's existing complaint ledger (XLSX or CSV; docs/import.md)")
    led.add_argument("file")
    led.add_argument("--dry-run", action="store_true", help="check the file and say what would be imported; write nothing")
    led.add_argument("--mapping", default=None, help="a YAML file naming unusual headers: `客诉单号: ref`")
    led.add_argument("--lang", choices=["en", "zh"], default=None, help="the language of the problems named "
                                                                       "(default: the company's)")
    led.set_defaults(func=lambda a: cmd_import_ledger(a, policy_or_exit()))
