"""Amounts of money a person gives (a claim): Decimal, never float; two decimals at most; positive;
under a trillion. The one definition, shared by the form's ack and the domain's check."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("999999999999.99")  # the column is NUMERIC(14, 2)
_GROUPING = str.maketrans("", "", ",，  ")


def amount_problem(text) -> str | None:
    """Why `text` is no amount (a message key), or None when it is one."""
    try:
        value = Decimal(str(text).strip().translate(_GROUPING))
    except (InvalidOperation, ValueError):
        return "error.not_an_amount"
    if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:
        return "error.not_an_amount"
    return "error.amount_too_large" if value > MAX_AMOUNT else None


def read_amount(text) -> Decimal | None:
    """The amount written in `text` (None when it is none), exactly as written: '1,200.5' → 1200.50."""
    if text is None or amount_problem(text):
        return None
    return Decimal(str(text).strip().translate(_GROUPING)).quantize(Decimal("0.01"))


def shown(amount: Decimal | None, currency: str) -> str:
    """'CNY 12,000.00'."""
    return "—" if amount is None else f"{currency} {amount:,.2f}"
