"""Shipped quantities from the ERP (`voc import shipments FILE.csv`), for the return rate in ppm.

The CSV has a header row with `month` (2026-11), `quantity` and optionally `customer` (a name or
alias the desk knows; empty: all customers). Importing a month again replaces its figure, so a
corrected export is simply imported again. Every row is checked before any is written: one bad
row names its line and nothing changes."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from sqlmodel import Session

from domain.counts import MAX_COUNT, count_problem, read_count
from domain.customers import find_customer
from models import Shipment
from models.db import insert_into

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class BadShipments(ValueError):
    pass


def read_shipments(session: Session, text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    if not {"month", "quantity"} <= columns:
        raise BadShipments("the first row must name the columns: month, quantity and optionally customer")
    rows, problems = [], []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        month, quantity, customer = row.get("month", ""), row.get("quantity", ""), row.get("customer", "")
        if not _MONTH.match(month):
            problems.append(f"line {line}: month {month!r} is not like 2026-11")
        if not quantity or count_problem(quantity):
            problems.append(f"line {line}: quantity {quantity!r} is not a whole number from 0 to {MAX_COUNT:,}")
        known = find_customer(session, customer) if customer else None
        if customer and known is None:
            problems.append(f"line {line}: no customer called {customer!r} (add it to the policy, or leave it empty for all)")
        rows.append({"month": month, "quantity": read_count(quantity) or 0,
                     "customer_id": known.id if known else None, "customer_key": known.name_key if known else ""})
    if problems:
        raise BadShipments("\n".join(problems))
    return rows


def import_shipments(session: Session, text: str, now: datetime) -> int:
    """Write the file's rows (replacing the same month and customer); returns how many."""
    rows = read_shipments(session, text)
    for row in rows:
        stmt = insert_into(session, Shipment.__table__).values(**row, imported_at=now)
        session.execute(stmt.on_conflict_do_update(index_elements=["month", "customer_key"],
                                                   set_={"quantity": stmt.excluded.quantity, "imported_at": now,
                                                         "customer_id": stmt.excluded.customer_id}))
    return len(rows)
