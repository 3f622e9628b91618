"""The charts a report carries (documents/charts.py draws them), titled in the reader's language:
the week's on-time rates and defect categories; a month's or year's Paretos (categories, 4M1E
causes, customers), the monthly trend by severity and the on-time rates. A chart with nothing to
show is left out."""
from __future__ import annotations

from documents import charts
from domain.reports.labels import milestone_rates
from domain.i18n import t
from domain.policy import Policy
from domain.reports.content import Report


def report_charts(report: Report, policy: Policy, lang: str) -> list[tuple[str, bytes]]:
    """(name, PNG) pairs in the order they are shown."""
    period, out = report.period.key, []
    count, share, others = t("chart.count", lang), t("chart.cumulative", lang), t("chart.others", lang)
    categories = {t(f"category.{c}", lang): n for c, n in report.categories.items()}
    causes = {t(f"rootcause.{c}", lang): n for c, n in report.causes.items()}
    rates = milestone_rates(report.numbers["on_time"], policy, lang)
    if report.kind != "week" and any(sum(v) for v in report.trend.values()):
        out.append(("trend", charts.trend(t("chart.trend", lang), report.trend_months, report.trend, count)))
    if any(categories.values()):
        out.append(("categories", charts.pareto(t("chart.pareto_categories", lang, period=period), categories, count, share, others_label=others)))
    if report.kind != "week" and any(causes.values()):
        out.append(("causes", charts.pareto(t("chart.pareto_causes", lang, period=period), causes, count, share, others_label=others)))
    if report.kind != "week" and report.customers:
        out.append(("customers", charts.pareto(t("chart.pareto_customers", lang, period=period), report.customers, count, share, others_label=others)))
    if any(r is not None for r in rates.values()):
        out.append(("on_time", charts.on_time(t("chart.on_time", lang, period=period), rates, policy.reports.on_time_target)))
    return out
