"""The working calendar: deadlines in working hours across Chinese public holidays and make-up days.

Every expected moment below was worked out by hand from the State Council's announcements
(2025 National Day: Oct 1-8 off, Sep 28 and Oct 11 worked; 2026 Spring Festival: Feb 15-23 off,
Feb 14 and Feb 28 worked) and a day of 08:30-12:00 + 13:00-17:30 (8 working hours).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.deadlines import compute_deadlines
from domain.policy import Policy, load_policy
from domain.sla.calendar import calendar_for

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)


def at(*args, zone=SH):
    return datetime(*args, tzinfo=zone)


def policy_with(base: Policy, **working_time) -> Policy:
    data = base.model_dump(mode="json")
    data["working_time"] = {**data["working_time"], **working_time}
    return Policy.model_validate(data)


@pytest.fixture(scope="module")
def cn():
    return calendar_for(load_policy())


@pytest.mark.parametrize("hours, expected", [
    (2, at(2025, 9, 28, 10, 0)),    # Fri 30 min, Sat off, Sun 28 is a make-up working day
    (24, at(2025, 9, 30, 17, 0)),   # Fri 0.5 + Sun 8 + Mon 8 + Tue 7.5
    (72, at(2025, 10, 15, 17, 0)),  # Oct 1-8 off, Sat Oct 11 worked, Sun 12 off
])
def test_friday_evening_before_national_day_2025(cn, hours, expected):
    assert cn.add(at(2025, 9, 26, 17, 0), hours * H) == expected


@pytest.mark.parametrize("hours, expected", [
    (2, at(2026, 2, 14, 10, 0)),    # Sat Feb 14 is a make-up working day
    (24, at(2026, 2, 25, 17, 0)),   # Feb 15-23 off
    (72, at(2026, 3, 4, 17, 0)),    # Sat Feb 28 worked
])
def test_friday_evening_before_spring_festival_2026(cn, hours, expected):
    assert cn.add(at(2026, 2, 13, 17, 0), hours * H) == expected


def test_working_time_between_two_moments_skips_nights_lunches_and_holidays(cn):
    assert cn.between(at(2025, 9, 26, 17, 0), at(2025, 10, 9, 9, 30)) == 25.5 * H
    assert cn.between(at(2025, 9, 29, 11, 0), at(2025, 9, 29, 14, 0)) == 2 * H  # lunch does not count
    assert cn.between(at(2025, 10, 2, 9, 0), at(2025, 10, 1, 9, 0)) == timedelta()


def test_next_working_moment(cn):
    assert cn.next_working_moment(at(2025, 9, 29, 12, 30)) == at(2025, 9, 29, 13, 0)
    assert cn.next_working_moment(at(2025, 9, 30, 18, 0)) == at(2025, 10, 9, 8, 30)
    assert cn.next_working_moment(at(2025, 9, 29, 9, 0)) == at(2025, 9, 29, 9, 0)
    assert cn.is_working_moment(at(2025, 10, 11, 9, 0)) and not cn.is_working_moment(at(2025, 10, 12, 9, 0))


def test_a_year_the_package_does_not_know_is_named_not_guessed(cn):
    assert cn.missing_years([2025, 2026, 2027]) == [2027]


def test_the_policy_lists_a_year_until_the_package_has_it():
    policy = policy_with(load_policy(), years={2027: {"holidays": ["2027-01-01"], "workdays": ["2027-01-02"], "complete": True}})
    cal = calendar_for(policy)
    assert cal.missing_years([2026, 2027]) == []
    partly = calendar_for(policy_with(load_policy(), years={2027: {"holidays": ["2027-01-01"]}}))
    assert partly.missing_years([2026, 2027]) == [2027]  # counted with what it lists, still named
    assert cal.add(at(2026, 12, 31, 17, 0), 2 * H) == at(2027, 1, 2, 10, 0)  # Jan 1 off, Sat Jan 2 worked
    without_makeup = calendar_for(policy_with(load_policy(), years={2027: {"holidays": ["2027-01-01"]}}))
    assert without_makeup.add(at(2026, 12, 31, 17, 0), 2 * H) == at(2027, 1, 4, 10, 0)


def test_company_shutdown_days_do_not_count():
    cal = calendar_for(policy_with(load_policy(), shutdown=["2026-12-28"]))
    assert cal.add(at(2026, 12, 25, 17, 0), 2 * H) == at(2026, 12, 29, 10, 0)


def test_other_countries_use_the_holidays_package():
    berlin = ZoneInfo("Europe/Berlin")
    base = load_policy().model_dump(mode="json")
    base["company"]["timezone"] = "Europe/Berlin"
    base["working_time"] = {"country": "DE", "hours": ["08:00-16:00"]}
    cal = calendar_for(Policy.model_validate(base))
    # Thu Dec 24 16:00 is the end of the day; Dec 25-26 are holidays, Dec 27 a Sunday.
    assert cal.add(datetime(2026, 12, 24, 15, 0, tzinfo=berlin), 2 * H) == datetime(2026, 12, 28, 9, 0, tzinfo=berlin)
    assert cal.missing_years([2027]) == []


def test_milestones_in_working_hours_and_in_calendar_hours():
    data = load_policy().model_dump(mode="json")
    data["deadlines"]["complaint"]["B"] = [{"milestone": "first_contact", "hours": 8, "clock": "working"},
                                          {"milestone": "containment", "hours": 72}]
    policy = Policy.model_validate(data)
    due = {d.milestone: d.due_at for d in compute_deadlines(policy, "complaint", "B", at(2025, 9, 30, 16, 0))}
    assert due["first_contact"] == at(2025, 10, 9, 16, 0)  # 1.5 h on Sep 30; 3.5 + 3 h on Oct 9
    assert due["containment"] == at(2025, 10, 3, 16, 0)     # calendar hours ignore the holiday


@pytest.mark.parametrize("working_time, problem", [
    ({"hours": ["17:30-08:30"]}, "must end after it starts"),
    ({"hours": ["8.30 to 12"]}, "is not HH:MM-HH:MM"),
    ({"country": "XX"}, "no public holiday calendar"),
])
def test_the_policy_refuses_a_working_time_it_cannot_use(working_time, problem):
    data = load_policy().model_dump(mode="json")
    data["working_time"] = working_time
    with pytest.raises(ValueError, match=problem):
        Policy.model_validate(data)


def test_policy_check_warns_about_next_years_missing_holidays():
    from domain.sla.calendar import calendar_warnings

    warnings = calendar_warnings(load_policy(), date(2026, 11, 23))
    assert len(warnings) == 1 and "2027" in warnings[0] and "working_time.years.2027" in warnings[0]
    listed = policy_with(load_policy(), years={2027: {"holidays": ["2027-01-01"], "complete": True}})
    assert calendar_warnings(listed, date(2026, 11, 23)) == []
