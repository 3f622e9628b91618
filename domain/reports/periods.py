"""A report's period: a week (2026-W47), a month (2026-11) or a year (2026), in the company's time
zone, as the UTC moments it starts and ends."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

KINDS = ("week", "month", "year")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


EXAMPLES = {"week": "2026-W47", "month": "2026-11", "year": "2026"}


class BadPeriod(ValueError):
    """`text` is not a period of `kind`; says how to write one (the CLI prints it, the bot translates)."""

    def __init__(self, text: str, kind: str):
        self.text, self.kind, self.example = text, kind, EXAMPLES.get(kind, "2026-11")
        super().__init__(f"{text!r} is not a {kind}: write it like {self.example}")


@dataclass(frozen=True)
class Period:
    kind: str  # week | month | year
    key: str  # 2026-W47 | 2026-11 | 2026
    first: date  # its first day, company time
    after: date  # the day after its last day

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnights of the first day and of the day after the last."""
        return tuple(datetime.combine(d, datetime.min.time(), zone).astimezone(timezone.utc) for d in (self.first, self.after))

    def previous(self) -> "Period":
        return of(self.kind, self.first - timedelta(days=1))

    def a_year_before(self) -> "Period":
        return of(self.kind, self.first - relativedelta(years=1) + (timedelta(days=3) if self.kind == "week" else timedelta()))


def of(kind: str, day: date) -> Period:
    """The period of this kind that contains `day`."""
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        year, week, _ = monday.isocalendar()
        return Period("week", f"{year}-W{week:02d}", monday, monday + timedelta(days=7))
    if kind == "month":
        first = day.replace(day=1)
        return Period("month", f"{first:%Y-%m}", first, first + relativedelta(months=1))
    if kind == "year":
        first = date(day.year, 1, 1)
        return Period("year", str(day.year), first, date(day.year + 1, 1, 1))
    raise BadPeriod(kind, "week, month or year")


YEARS = range(2000, 2101)  # what a report may be about; other years are typing mistakes


def parse(kind: str, text: str) -> Period:
    """`2026-W47` (ISO week), `2026-11`, `2026`, checked against `kind`, in the years 2000–2100."""
    text = text.strip()
    if not (text[:4].isdigit() and int(text[:4]) in YEARS):
        raise BadPeriod(text, kind)
    try:
        if kind == "week" and (m := _WEEK.match(text)):
            return of("week", date.fromisocalendar(int(m[1]), int(m[2]), 1))
        if kind == "month" and (m := _MONTH.match(text)):
            return of("month", date(int(m[1]), int(m[2]), 1))
        if kind == "year" and (m := _YEAR.match(text)):
            return of("year", date(int(m[1]), 1, 1))
    except ValueError:
        pass
    raise BadPeriod(text, kind)
