"""The company's working time: which moments count when a deadline is in working hours.

A day is a working day by, in order: the policy's own list for that year (make-up days and
holidays announced before the holiday package has them), the company's shutdown days, then the
public calendar — `chinese-calendar` for China (holidays *and* make-up working days), `holidays`
elsewhere — and finally the policy's weekdays. A year the public calendar does not know is not
guessed silently: `missing_years` names it so `voc policy check` and start-up can warn.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# A deadline further away than this many days of searching means the calendar has no working time.
_SEARCH_DAYS = 3 * 366


@dataclass(frozen=True)
class YearOverride:
    """A year's public holidays and make-up working days, as the policy lists them."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    complete: bool = False  # the whole announced schedule is listed


@dataclass(frozen=True)
class WorkingCalendar:
    zone: ZoneInfo
    weekdays: frozenset[int]  # 0 = Monday
    periods: tuple[tuple[time, time], ...]  # working periods of a day, in order, e.g. morning and afternoon
    country: str | None = "CN"
    shutdown: frozenset[date] = frozenset()
    years: dict[int, YearOverride] = field(default_factory=dict)

    # ---- days ---------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        listed = self.years.get(day.year)
        if listed is not None and day in listed.workdays:
            return True
        if day in self.shutdown:
            return False
        if listed is not None:
            return day not in listed.holidays and day.weekday() in self.weekdays
        public = _public_day(self.country, day)
        if public is not None:
            return public
        return day.weekday() in self.weekdays

    def missing_years(self, years: range | list[int]) -> list[int]:
        """Years for which neither the public calendar nor the policy knows the whole schedule (a year
        the policy lists only in part, say the days the law fixes before the make-up days are
        announced, is counted with what it lists but still named here)."""
        return [y for y in years if not (y in self.years and self.years[y].complete)
                and not _public_year_known(self.country, y)]

    # ---- moments ------------------------------------------------------------------------
    def _periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [(datetime.combine(day, a, self.zone), datetime.combine(day, b, self.zone)) for a, b in self.periods]

    def _windows_from(self, start: datetime):
        """Working windows (aware, company zone) that end after `start`, clipped to begin at it."""
        local = start.astimezone(self.zone)
        for offset in range(_SEARCH_DAYS):
            for a, b in self._periods_on(local.date() + timedelta(days=offset)):
                if b > local:
                    yield max(a, local), b
        raise ValueError("the working calendar has no working time in the next three years")

    def is_working_moment(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return any(a <= local < b for a, b in self._periods_on(local.date()))

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself when it is working time, else the start of the next working period (UTC)."""
        a, _ = next(self._windows_from(moment))
        return a.astimezone(ZoneInfo("UTC"))

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when `duration` of working time has passed since `start` (aware UTC)."""
        left = duration
        for a, b in self._windows_from(start):
            if b - a >= left:
                return (a + left).astimezone(ZoneInfo("UTC"))
            left -= b - a
        raise AssertionError("unreachable")  # _windows_from raises first

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); zero when end is not after start."""
        total = timedelta()
        if end <= start:
            return total
        for a, b in self._windows_from(start):
            if a >= end:
                break
            total += min(b, end) - a
        return total


@lru_cache(maxsize=4096)
def _public_day(country: str | None, day: date) -> bool | None:
    """True/False from the public calendar (weekends and make-up days included for China);
    None when there is none for this country or year."""
    if not country:
        return None
    if country.upper() == "CN":
        import chinese_calendar

        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # the package has no data for this year yet
            return None
    if day in _country_holidays(country.upper(), day.year):
        return False
    return None  # not a holiday: the policy's weekdays decide


@lru_cache(maxsize=64)
def _country_holidays(country: str, year: int):
    import holidays

    return holidays.country_holidays(country, years=year)


def _public_year_known(country: str | None, year: int) -> bool:
    if not country:
        return True  # no public calendar asked for: weekdays and shutdown days are the whole rule
    if country.upper() == "CN":
        import chinese_calendar

        try:
            chinese_calendar.is_workday(date(year, 6, 1))
            return True
        except NotImplementedError:
            return False
    # `holidays` computes a country's rules for any year (an unknown country is refused by the policy).
    return True


def calendar_for(policy) -> WorkingCalendar:
    """The working calendar the policy describes (`working_time`)."""
    wt = policy.working_time
    from domain.policy import WEEKDAYS

    return WorkingCalendar(
        zone=policy.tz,
        weekdays=frozenset(WEEKDAYS.index(d) for d in wt.weekdays),
        periods=wt.periods(),
        country=wt.country,
        shutdown=frozenset(wt.shutdown),
        years={y: YearOverride(frozenset(v.holidays), frozenset(v.workdays), v.complete) for y, v in wt.years.items()},
    )


def calendar_warnings(policy, today: date, lang: str = "en") -> list[str]:
    """What start-up and `voc policy check` warn about: this year's or next year's public holidays
    unknown to the package and not listed whole in the policy (deadlines would count the missing days
    as working days). Said in `lang`."""
    from domain.i18n import t

    cal = calendar_for(policy)
    country = policy.working_time.country
    return [t("calendar.year_partial", lang, year=year, country=country, listed=len(cal.years[year].holidays))
            if year in cal.years else t("calendar.year_missing", lang, year=year, country=country)
            for year in cal.missing_years([today.year, today.year + 1])]
