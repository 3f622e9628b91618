"""What a number a person gives may be: a quantity of pieces, a containment count, an id or reference.

One definition, shared by the acks (the form answers at once, in the person's language), the text
extraction (a figure past it is not read as a quantity) and the columns (quantities and counts are
BIGINT, migration 0021). A count is written in decimal digits of any script ("1200", "١٢٠٠", "１２００")
with optional thousands commas; "²" and "½" are digits to `str.isdigit()` but no number to `int()`.
"""
from __future__ import annotations

from domain.i18n import t

# No complaint concerns a trillion pieces: a larger figure is a slip of the keyboard. Well inside BIGINT
# (9.2e18), so every count that passes here is stored as it was given.
MAX_COUNT = 999_999_999_999
# Ids and VOC reference numbers are INTEGER columns: a larger number names nothing.
MAX_ID = 2**31 - 1

_THOUSANDS = str.maketrans("", "", ",，")


def count_problem(text: str | None) -> str | None:
    """Why `text` is no count (a message key for the form's field), or None when it is one or empty."""
    digits = (text or "").strip().translate(_THOUSANDS)
    if not digits:
        return None
    if not digits.isdecimal():
        return "error.not_a_count"
    # Length first: int() of thousands of digits is slow, and refused past 4,300 of them.
    return "error.count_too_large" if len(digits.lstrip("0")) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT else None


def count_error(text: str | None, lang: str) -> str | None:
    """What a form says under a field whose value is no count (the field's label is above it: the
    sentence does not repeat it), or None."""
    problem = count_problem(text)
    return t(problem, lang, max=f"{MAX_COUNT:,}") if problem else None


def read_count(text: str | None) -> int | None:
    """The count written in `text`; None when empty or not an allowed count."""
    digits = (text or "").strip().translate(_THOUSANDS)
    return int(digits) if digits and count_problem(digits) is None else None


def allowed_count(value: int | None) -> int | None:
    """`value` when it is an allowed count (one read from free text may be any size), else None."""
    return value if value is not None and 0 <= value <= MAX_COUNT else None


def read_id(text: str | None) -> int | None:
    """The id or reference number written in `text` (digits only); None when it could name nothing."""
    text = (text or "").strip()
    return int(text) if text.isdecimal() and len(text) <= len(str(MAX_ID)) and 0 < int(text) <= MAX_ID else None
