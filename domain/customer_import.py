"""`voc import customers FILE.csv|xlsx` and `voc export customers` (docs/customers.md): one customer a
row, its columns the record's form fields (domain/customer_form.py: `name_en`, `aliases`, …, or their
labels in English or Chinese). Every row is checked first; one bad line refuses the whole file —
each bad line named with what is wrong, nothing written. Then each row creates its customer or
replaces the record of the one its English name names, audited old → new as an edit in `/customer`
is (a new account owner takes over there too: domain/customer_work.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from domain.customer_form import FIELDS, RecordProblems, fields_of, read_record
from domain.customer_records import record_changes, record_of, records, write_record
from domain.customer_work import hand_over
from domain.i18n import t
from domain.policy import CustomerSeed, Policy
from domain.reports.ledger_import import BadLedger, Table
from domain.roles import Roles
from domain.text import normalize_name
from models import Customer, CustomerAlias, Event

ACTOR = "import"  # the audit trail's actor for a file's changes (the CLI is the admin's tool)


class BadCustomers(BadLedger):
    """The file is refused: one sentence per bad line, in the reader's language."""


@dataclass
class ImportedCustomers:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    handed_over: int = 0  # open items moved to a new account owner


def _columns(headers: list[str], lang: str) -> tuple[dict[int, str], list[str]]:
    """Column → form field, by the field's id or its label in either language; the problems with them."""
    names = {f.casefold(): f for f in FIELDS}
    for f in FIELDS:
        for language in ("en", "zh"):
            names[t(f"customer.label.{f}", language).casefold()] = f
    columns, problems = {}, []
    for i, header in enumerate(headers):
        found = names.get((header or "").strip().casefold())
        if found is None and (header or "").strip():
            problems.append(t("customer.import.unknown_column", lang, column=header, fields=", ".join(FIELDS)))
        elif found is not None:
            columns[i] = found
    if "name_en" not in columns.values():
        problems.append(t("customer.import.no_name", lang))
    return columns, problems


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value).strip()


def _exactly(session: Session, name: str) -> Customer | None:
    """The customer this name (or alias) is, exactly: an import never guesses at a close spelling."""
    key = normalize_name(name)
    found = session.exec(select(Customer).where(Customer.name_key == key)).first()
    if found is None:
        alias = session.exec(select(CustomerAlias).where(CustomerAlias.alias_key == key)).first()
        found = session.get(Customer, alias.customer_id) if alias else None
    return found


def read_customers(session: Session, policy: Policy, table: Table, lang: str) -> list[tuple[int, Customer | None, CustomerSeed]]:
    """Every row as (line, the customer it replaces or None, its record); BadCustomers naming every bad line."""
    columns, problems = _columns(table.headers, lang)
    if problems:
        raise BadCustomers(problems)
    rows, seen = [], {}
    for line, cells in table.rows:
        values = {f: _cell(cells[i]) if i < len(cells) else "" for i, f in columns.items()}
        if not any(values.values()):
            continue  # an empty line
        try:
            record = read_record(values, policy)
        except RecordProblems as bad:
            problems += [t("customer.import.bad_line", lang, line=line, field=t(f"customer.label.{f}", lang),
                           problem=t(bad.problems[f], lang, milestones=", ".join(policy.milestones)))
                         for f in FIELDS if f in bad.problems]
            continue
        # the customer whose name it is (an alias names another customer's: refused below, never renamed)
        customer = session.exec(select(Customer).where(Customer.name_key == normalize_name(record.key_name))).first()
        for name in record.all_names:
            key, other = normalize_name(name), _exactly(session, name)
            if key in seen and seen[key] != line:
                problems.append(t("customer.import.twice", lang, line=line, name=name, other=seen[key]))
            elif other is not None and (customer is None or other.id != customer.id):
                problems.append(t("customer.import.taken", lang, line=line, name=name, other=other.name))
            seen.setdefault(key, line)
        rows.append((line, customer, record))
    if problems:
        raise BadCustomers(problems)
    return rows


def import_customers(session: Session, policy: Policy, table: Table, now: datetime, source: str,
                     lang: str) -> ImportedCustomers:
    """All rows or none: checked first (BadCustomers), then written in the caller's transaction."""
    done = ImportedCustomers()
    roles = Roles(user=ACTOR, admin=True)
    for line, customer, record in read_customers(session, policy, table, lang):
        before = record_of(session, customer) if customer is not None else None
        if customer is None:
            customer = Customer(name=record.key_name, name_key=normalize_name(record.key_name), verified=True,
                                created_at=now, updated_at=now)
            session.add(customer)
            session.flush()
        changes = record_changes(before, record)
        if not changes and before is not None:
            done.unchanged += 1
            continue
        write_record(session, customer, record, now)
        session.add(Event(actor=ACTOR, action="customer.edit", origin=f"import:{source}:{line}", at=now,
                          detail={"customer_id": customer.id, "customer": customer.name, "changes": changes,
                                  "file": source, "line": line}))
        (done.updated if before is not None else done.created).append(customer.name)
        old, new = (before.account_owner if before else None), record.account_owner
        if old and new and old != new:
            done.handed_over += hand_over(session, policy, customer, old, new, roles, f"import:{source}:{line}", now)[0]
    session.flush()
    return done


def export_rows(session: Session) -> tuple[list[str], list[list[str]]]:
    """Every customer record as the import reads it: a file exported, edited and imported again."""
    return list(FIELDS), [[fields_of(r)[f] for f in FIELDS] for _c, r in records(session)]
