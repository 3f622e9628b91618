"""A report as a reader gets it: the period's figures, what they are compared with, and the lists and
series its charts draw. One function builds the weekly digest, the monthly service report and the
annual analysis, for everyone or for one department; the Slack face renders it (bot/views/report.py)
and documents/report_charts.py draws its charts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from domain.policy import Policy
from domain.reports import details
from domain.reports.details import OverdueLine
from domain.reports.numbers import cut_of, period_numbers
from domain.reports.periods import Period
from domain.reports.quality_costs import QualityCosts, quality_costs


@dataclass
class Report:
    period: Period
    department: str | None
    numbers: dict
    previous: dict | None  # the period before (monthly and annual reports)
    year_before: dict | None  # the same month a year earlier (monthly report)
    overdue: list[OverdueLine]
    categories: dict[str, int]  # complaints per defect category (the numbers' own: text and chart show one figure)
    causes: dict[str, int]  # complaints per 4M1E root cause
    customers: dict[str, int]  # complaints per customer, largest first (all of them: the Pareto's whole)
    trend_months: list[str] = field(default_factory=list)
    trend: dict[str, list[int]] = field(default_factory=dict)  # per severity, one count per month
    return_rate: dict | None = None
    quality_costs: QualityCosts | None = None  # cost of poor quality (monthly and annual, the whole company)

    @property
    def kind(self) -> str:
        return self.period.kind

    @property
    def quiet(self) -> bool:
        """Nothing came in, nothing closed, nothing is overdue: the short digest."""
        n = self.numbers
        return n["new"]["total"] == 0 and n["closed"] == 0 and n["overdue"] == 0 and not self.overdue


def build_report(session: Session, policy: Policy, period: Period, now: datetime, lang: str,
                 department: str | None = None) -> Report:
    """Everything the period's report shows, as at its end (or `now`, if it has not ended)."""
    _, end = period.bounds(policy.tz)
    cut = cut_of(end, now)
    listed = policy.reports.listed

    def numbers(p: Period) -> dict:
        return period_numbers(session, policy, p, now, department)

    weekly = period.kind == "week"  # the digest shows no comparison and no root causes: not computed
    figures = numbers(period)
    report = Report(
        period=period, department=department, numbers=figures,
        previous=numbers(period.previous()) if not weekly else None,
        year_before=numbers(period.a_year_before()) if period.kind == "month" else None,
        overdue=details.overdue_items(session, cut, department, listed),
        categories={c: n for c, n in figures["complaints"]["by_category"].items() if n},
        causes=details.complaints_by_cause(session, policy, period, now, department) if not weekly else {},
        customers=details.complaints_by_customer(session, policy, period, now, lang, department))
    if period.kind in ("month", "year"):
        months = details.months_up_to(period, 12)
        report.trend_months = [m.key for m in months]
        report.trend = details.severity_trend(session, policy, months, now, department)
        report.return_rate = details.return_rate(session, policy, period, now) if department is None else None
        report.quality_costs = quality_costs(session, policy, period, now, lang) if department is None else None
    return report
