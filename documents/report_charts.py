"""The charts a report carries (documents/charts.py draws them), titled in the reader's language with
what they count, for whom (the department, or all of them) and when: the week's on-time rates and
defect categories; a month's or year's Paretos (categories, 4M1E causes, customers), the monthly
trend by severity and the on-time rates, against the policy's target; the cost of poor quality by
customer and by type, one pair per currency (whole units). Every chart draws the report's
own figures (domain/reports/figures.py defines them), never a count of its own. A chart with nothing
to show is left out."""
from __future__ import annotations

from matplotlib.figure import Figure

from documents import charts
from domain.i18n import t
from domain.policy import Policy
from domain.reports.content import Report
from domain.reports.labels import milestone_label, milestone_rates


def report_figures(report: Report, policy: Policy, lang: str) -> list[tuple[str, Figure]]:
    """(name, matplotlib Figure) pairs in the order they are shown."""
    period, out = report.period.key, []
    whom = (policy.departments[report.department].name.get(lang) if report.department in policy.departments
            else report.department) if report.department else t("chart.whole_company", lang)
    count, share, others = t("chart.count", lang), t("chart.cumulative", lang), t("chart.others", lang)
    pareto = {"count_label": count, "share_label": share, "others_label": others, "mark_label": t("chart.pareto_mark", lang)}
    categories = {t(f"category.{c}", lang): n for c, n in report.categories.items()}
    causes = {t(f"rootcause.{c}", lang): n for c, n in report.causes.items()}
    rates = milestone_rates(report.numbers["on_time"], policy, lang)
    counts = {milestone_label(m, policy, lang): (c["met"], c["due"]) for m, c in report.numbers["on_time_counts"].items()}
    if report.kind != "week" and any(sum(v) for v in report.trend.values()):
        title = t("chart.trend", lang, whom=whom, first=report.trend_months[0], last=report.trend_months[-1])
        out.append(("trend", charts.trend_figure(title, report.trend_months, report.trend, count)))
    if any(categories.values()):
        out.append(("categories", charts.pareto_figure(t("chart.pareto_categories", lang, whom=whom, period=period),
                                                       categories, **pareto)))
    if report.kind != "week" and any(causes.values()):
        out.append(("causes", charts.pareto_figure(t("chart.pareto_causes", lang, whom=whom, period=period), causes, **pareto)))
    if report.kind != "week" and report.customers:
        out.append(("customers", charts.pareto_figure(t("chart.pareto_customers", lang, whom=whom, period=period),
                                                      report.customers, **pareto)))
    costs = report.quality_costs
    for currency in (costs.totals if costs is not None else {}):  # one chart per currency: never added up
        for name, key, rows in (("copq_customers", "chart.copq_customers", costs.by_customer),
                                ("copq_types", "chart.copq_types", {t(f"claim_type.{k}", lang): v for k, v in costs.by_type.items()})):
            whole = {label: int(amounts[currency].to_integral_value()) for label, amounts in rows.items() if amounts.get(currency)}
            if any(whole.values()):
                out.append((f"{name}_{currency}", charts.pareto_figure(t(key, lang, currency=currency, period=period), whole,
                                                                        currency, share, others_label=others,
                                                                        mark_label=pareto["mark_label"])))
    if any(r is not None for r in rates.values()):
        target = policy.reports.on_time_target
        out.append(("on_time", charts.on_time_figure(t("chart.on_time", lang, whom=whom, period=period), rates,
                                                     target, t("chart.target", lang, target=f"{target:.0%}"),
                                                     counts)))
    return out


def report_charts(report: Report, policy: Policy, lang: str) -> list[tuple[str, bytes]]:
    """(name, PNG) pairs in the order they are shown."""
    return [(name, charts.png(figure)) for name, figure in report_figures(report, policy, lang)]
