"""The survey (score A), taken at the policy's moments (`satisfaction.survey_moments`: year_end, or
mid_year and year_end): per item, how many customers' people gave each of five answers. An item's
rate is the share of "satisfied" and "very satisfied" answers."""
from __future__ import annotations

from domain.requirements import customer_requirements
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from domain.policy import Policy
from domain.satisfaction.errors import SatisfactionRefused, UnknownCustomer
from models import Customer, SatisfactionSurvey
from models.db import insert_into

LEVELS = ("very_satisfied", "satisfied", "neutral", "dissatisfied", "very_dissatisfied")
SATISFIED = ("very_satisfied", "satisfied")
FIRST_YEAR = 2000  # a year before this is a typo, not a survey
MOMENTS = ("mid_year", "year_end")  # in the order they come in a year


@dataclass(frozen=True)
class ItemRate:
    item: str
    answers: int
    satisfied: int
    rate: float | None  # satisfied / answers; None when nobody answered this item


def item_rates(policy: Policy, answers: dict) -> tuple[ItemRate, ...]:
    """Every policy item in the policy's order (an item nobody answered has no rate)."""
    rates = []
    for item in policy.satisfaction.items:
        counts = answers.get(item) or {}
        total = sum(counts.get(level, 0) for level in LEVELS)
        satisfied = sum(counts.get(level, 0) for level in SATISFIED)
        rates.append(ItemRate(item, total, satisfied, satisfied / total if total else None))
    return tuple(rates)


def checked_answers(policy: Policy, answers: dict) -> dict[str, dict[str, int]]:
    """The answers with every level written out (0 where none was given), or SatisfactionRefused
    naming the first thing wrong: an item or level the policy does not know, a count that is not a
    whole number of people, or no answer at all."""
    items = policy.satisfaction.items
    if not isinstance(answers, dict):
        raise SatisfactionRefused("satisfaction.error.no_answers")
    checked: dict[str, dict[str, int]] = {}
    for item, counts in answers.items():
        if item not in items:
            raise SatisfactionRefused("satisfaction.error.unknown_item", item=str(item), items=", ".join(items))
        if not isinstance(counts, dict):
            raise SatisfactionRefused("satisfaction.error.bad_count", item=item, level="")
        for level, count in counts.items():
            if level not in LEVELS:
                raise SatisfactionRefused("satisfaction.error.unknown_level", item=item, level=str(level))
            # bool is an int in Python; True people is not a count
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise SatisfactionRefused("satisfaction.error.bad_count", item=item, level=level)
        checked[item] = {level: counts.get(level, 0) for level in LEVELS}
    if not any(sum(counts.values()) for counts in checked.values()):
        raise SatisfactionRefused("satisfaction.error.no_answers")
    return checked


def check_year(policy: Policy, year: int, now: datetime) -> None:
    """A survey or score for a year that exists: not before FIRST_YEAR, not after this one."""
    this_year = now.astimezone(policy.tz).year
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= this_year:
        raise SatisfactionRefused("satisfaction.error.bad_year", year=str(year), last=this_year)


def check_moment(policy: Policy, moment: str, moments: tuple[str, ...] | None = None) -> None:
    """Only a moment the customer is surveyed at (`moments`: its requirements, domain/requirements.py),
    else the policy's: a mid-year survey under a once-a-year policy is refused."""
    moments = moments if moments is not None else tuple(policy.satisfaction.survey_moments)
    if moment not in moments:
        raise SatisfactionRefused("satisfaction.error.moment", moment=str(moment), moments=", ".join(moments))


def record_survey(session: Session, policy: Policy, customer_id: int, year: int, answers: dict, actor: str,
                  now: datetime, moment: str = "year_end") -> SatisfactionSurvey:
    """Store the customer's survey for the year and moment, replacing one recorded before. An upsert,
    so two people saving the same survey at once both succeed and one set of answers stays."""
    check_year(policy, year, now)
    checked = checked_answers(policy, answers)
    if session.get(Customer, customer_id) is None:
        raise UnknownCustomer(customer=str(customer_id))
    check_moment(policy, moment, customer_requirements(session, policy, customer_id).survey_moments)
    table = SatisfactionSurvey.__table__
    stmt = (insert_into(session, table).values(customer_id=customer_id, year=year, moment=moment, answers=checked,
                                               recorded_by=actor, recorded_at=now, updated_at=now)
            .on_conflict_do_update(index_elements=["customer_id", "year", "moment"],
                                   set_={"answers": checked, "recorded_by": actor, "updated_at": now}))
    session.execute(stmt)
    return survey_of(session, customer_id, year, moment)


def survey_of(session: Session, customer_id: int, year: int, moment: str = "year_end") -> SatisfactionSurvey | None:
    query = select(SatisfactionSurvey).where(SatisfactionSurvey.customer_id == customer_id,
                                             SatisfactionSurvey.year == year, SatisfactionSurvey.moment == moment)
    return session.exec(query.execution_options(populate_existing=True)).first()


def latest_moment(session: Session, policy: Policy, customer_id: int, year: int) -> str:
    """The year's latest policy moment with a survey (the year-end one once it is in), else the
    policy's last moment: the score of a year reads the survey that speaks for it so far."""
    moments = [m for m in MOMENTS if m in policy.satisfaction.survey_moments]
    taken = set(session.exec(select(SatisfactionSurvey.moment).where(
        SatisfactionSurvey.customer_id == customer_id, SatisfactionSurvey.year == year)).all())
    return next((m for m in reversed(moments) if m in taken), moments[-1])
