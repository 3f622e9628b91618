"""A customer's satisfaction for a year (docs/satisfaction.md): survey score A, performance score B,
the composite A × survey_weight + B × performance_weight, and what falls below the threshold."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session

from domain.policy import Policy
from domain.satisfaction.errors import UnknownCustomer
from domain.satisfaction.performance import NotCounted, ScoreEvent, month_start, performance_events
from domain.satisfaction.survey import ItemRate, item_rates, latest_moment, survey_of
from models import Customer

COMPOSITE = "composite"  # in `below`, beside the survey items


@dataclass(frozen=True)
class Score:
    customer_id: int
    customer: str
    year: int
    items: tuple[ItemRate, ...]  # every policy item; rate None when it had no answers (or no survey)
    a: float | None  # None without a survey: the composite is not guessed
    b: float
    composite: float | None
    events: tuple[ScoreEvent, ...]  # what makes B, one line each
    below: tuple[str, ...] = ()  # item ids and/or "composite" under the threshold
    customer_names: dict[str, str] = field(default_factory=dict)  # per language, from the policy
    moment: str = "year_end"  # the survey moment it reads (mid_year: the events of January–June)
    not_counted: tuple[NotCounted, ...] = ()  # complaints on record that cost nothing, and why
    tasks: tuple = ()  # the year's improvement actions (domain/satisfaction/tasks.py), when listed

    @property
    def surveyed(self) -> bool:
        return self.a is not None

    def customer_in(self, lang: str) -> str:
        return self.customer_names.get(lang) or self.customer


def period_end(policy: Policy, year: int, moment: str) -> datetime:
    """Where a moment's period ends: 1 July for mid_year, 1 January next for year_end (company time)."""
    return month_start(year, 7 if moment == "mid_year" else 13, policy.tz)


def score(session: Session, policy: Policy, customer_id: int, year: int, now: datetime, moment: str | None = None) -> Score:
    """The score at `moment` (None: the year's latest moment surveyed, see survey.latest_moment)."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise UnknownCustomer(customer=str(customer_id))
    cfg = policy.satisfaction
    moment = moment or latest_moment(session, policy, customer_id, year)
    if moment == "mid_year":  # as at 30 June: the second half's complaints are the year-end score's
        now = min(now, period_end(policy, year, moment))
    survey = survey_of(session, customer_id, year, moment)
    rates = item_rates(policy, survey.answers if survey else {})
    answered = [r.rate for r in rates if r.rate is not None]
    a = sum(answered) / len(answered) * 100 if answered else None
    events, not_counted = performance_events(session, policy, customer_id, year, now)
    b = min(100.0, max(0.0, 100 + sum(e.points for e in events)))
    composite = a * cfg.survey_weight + b * cfg.performance_weight if a is not None else None
    result = Score(customer_id, customer.name, year, rates, _shown(a), _shown(b), _shown(composite), tuple(events),
                   customer_names=dict(customer.names or {}), moment=moment, not_counted=tuple(not_counted))
    return replace(result, below=tuple(improvement_due(result, policy)))


def _shown(figure: float | None) -> float | None:
    """Two decimals, rounded once at the end (the composite from the exact A), so 0.1 + 0.2 never
    shows as 0.30000000000000004 and the same survey always gives the same figures."""
    return None if figure is None else round(figure, 2)


def improvement_due(score: Score, policy: Policy) -> list[str]:
    """What needs an improvement action: each item whose rate is under the threshold, and the
    composite when it is (B on its own is not a trigger in the seed; it shows in the composite)."""
    threshold = policy.satisfaction.threshold
    below = [r.item for r in score.items if r.rate is not None and r.rate < threshold]
    if score.composite is not None and score.composite < round(threshold * 100, 6):
        below.append(COMPOSITE)
    return below
