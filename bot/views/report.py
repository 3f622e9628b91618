"""The weekly digest, the monthly service report and the annual analysis as a Slack message: pure
functions from a domain Report (domain/reports/content.py) to blocks and fallback text."""
from __future__ import annotations

from datetime import datetime, timedelta

from bot.views.common import Markup, SEVERITY_EMOJI, clip, context, escape, md, section, sections
from domain.i18n import fmt_when, ref, t
from domain.money import shown
from domain.policy import Policy
from domain.reports.content import Report
from domain.reports.labels import milestone_label, milestone_rates
from domain.reports.figures import SEVERITIES


def title(report: Report, policy: Policy, lang: str) -> str:
    period = report.period
    last = period.after - timedelta(days=1)
    span = (f"{period.first.month}月{period.first.day}日–{last.month}月{last.day}日" if lang == "zh"
            else f"{period.first:%-d %b} – {last:%-d %b}")
    text = t(f"report.title.{period.kind}", lang, period=period.key, span=span)
    if report.department:
        text += " · " + policy.departments[report.department].name.get(lang)
    return text


def _listed(pairs, lang: str) -> str:
    """`label n · label n`, escaped here once (a customer's name is user text)."""
    shown = [f"{escape(label)} {n}" for label, n in pairs if n]
    return Markup(" · ".join(shown) if shown else t("report.none", lang))


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def figure_lines(report: Report, policy: Policy, lang: str) -> list[str]:
    """The figures every report shows, one line each: what came in, by kind; then the complaints among
    it by severity, category (the Pareto's own figure) and department (domain/reports/figures.py)."""
    n = report.numbers
    new, complaints = n["new"], n["complaints"]
    lines = [md("report.new", lang, total=new["total"]),
             md("report.by_kind", lang, list=_listed(((t(f"kind.{k}", lang), c) for k, c in new["by_kind"].items()), lang)),
             md("report.complaints_by_severity", lang, total=complaints["total"],
                list=_listed(((s, complaints["by_severity"].get(s, 0)) for s in SEVERITIES), lang)),
             md("report.by_category", lang, list=_listed(((t(f"category.{k}", lang), c) for k, c in report.categories.items()), lang))]
    if report.department is None:
        lines.append(md("report.by_department", lang, list=_listed(
            ((policy.departments[d].name.get(lang) if d in policy.departments else d, c)
             for d, c in complaints["by_department"].items()), lang)))
    lines.append(md("report.open_overdue", lang, open=n["open"], overdue=n["overdue"]))
    cycle = n["cycle_days"]
    lines.append(md("report.closed", lang, closed=n["closed"], avg=_days(cycle["avg"]), max=_days(cycle["max"]))
                 if n["closed"] else md("report.closed_none", lang))
    lines.append(md("report.repeats", lang, repeats=n["repeats"]))
    rates = [(label, r) for label, r in milestone_rates(n["on_time"], policy, lang).items()]
    lines.append(md("report.on_time", lang, list=Markup(" · ".join(f"{escape(label)} {_pct(r)}" for label, r in rates)))
                 if rates else md("report.on_time_none", lang))
    visits = n.get("visits") or {}
    if visits.get("requested") or visits.get("arrivals_due") or visits.get("reports_due"):
        lines.append(md("report.visits", lang, requested=visits["requested"], arrived=visits["arrived_on_time"],
                        arrivals=visits["arrivals_due"], signed=visits["signed_on_time"], reports=visits["reports_due"]))
    if report.customers:
        top = list(report.customers.items())[: policy.reports.listed]
        lines.append(md("report.top_customers", lang, list=_listed(top, lang)))
    return lines


def comparison_lines(report: Report, lang: str) -> list[str]:
    """This period against the previous one (and the same month a year before, monthly)."""
    compared = [report.numbers, report.previous or {}] + ([report.year_before] if report.year_before else [])
    head = md("report.compare_head" if report.year_before else "report.compare_head_prev", lang)
    rows = []
    for figure in ("new", "closed", "overdue", "repeats"):
        values = [c["new"]["total"] if figure == "new" else c[figure] for c in compared]
        rows.append(f"{t('report.compare.' + figure, lang)}: " + " · ".join(str(v) for v in values))
    return [head + "\n" + "\n".join(rows)]


def overdue_lines(report: Report, policy: Policy, lang: str, names: dict[str, str], links: dict[int, str]) -> list[str]:
    if not report.overdue:
        return []
    lines = [md("report.overdue_list", lang, shown=len(report.overdue), total=report.numbers["overdue"])]
    for o in report.overdue:
        reference = Markup(f"<{links[o.item_id]}|{ref(o.number)}>") if o.item_id in links else ref(o.number)
        milestone = milestone_label(o.milestone, policy, lang)
        owner = names.get(o.owner, o.owner) if o.owner else t("report.nobody", lang)
        lines.append(f"{SEVERITY_EMOJI.get(o.severity, '')} " + md(
            "report.overdue_line", lang, ref=reference, customer=clip(o.customer_in(lang), 40), milestone=milestone,
            due=fmt_when(o.due_at, policy.tz, lang), owner=owner))
    return lines


def _money(amounts: dict, lang: str) -> str:
    """'CNY 12,000.00 + USD 300.00': each currency on its own, never added up."""
    return " + ".join(shown(a, c) for c, a in amounts.items()) or "0"


def extra_lines(report: Report, lang: str) -> list[str]:
    """The monthly and annual extras: return rate, root causes, month by month."""
    lines = []
    if report.return_rate is not None:
        r = report.return_rate
        lines.append(md("report.ppm", lang, ppm=r["ppm"], returned=r["returned"], shipped=r["shipped"])
                     if r["ppm"] is not None else md("report.ppm_unknown", lang))
    costs = report.quality_costs
    if costs is not None:
        lines.append(md("report.copq", lang, total=_money(costs.totals, lang)) if not costs.empty
                     else md("report.copq_none", lang))
        if costs.by_type:
            lines.append(md("report.copq_by_type", lang, list=Markup("; ".join(
                f"{escape(t(f'claim_type.{k}', lang))} {escape(_money(v, lang))}" for k, v in costs.by_type.items()))))
        if costs.by_customer:
            top = list(costs.by_customer.items())[:10]
            lines.append(md("report.copq_by_customer", lang, list=Markup("; ".join(
                f"{escape(k)} {escape(_money(v, lang))}" for k, v in top))))
        if costs.undecided:
            lines.append(md("report.copq_undecided", lang, total=_money(costs.undecided, lang)))
    if report.kind in ("month", "year"):
        lines.append(md("report.causes", lang, list=_listed(((t(f"rootcause.{c}", lang), n) for c, n in sorted(
            report.causes.items(), key=lambda kv: -kv[1])), lang)))
    if report.kind == "year" and report.trend_months:
        rows = [f"`{month}` " + "/".join(str(report.trend[s][i]) for s in SEVERITIES)
                for i, month in enumerate(report.trend_months)]
        lines.append(md("report.month_by_month", lang) + "\n" + "\n".join(rows))
    return lines


def report_blocks(report: Report, policy: Policy, lang: str, names: dict[str, str], links: dict[int, str],
                  now: datetime, late_due: datetime | None = None) -> list[dict]:
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": clip(title(report, policy, lang), 150)}}]
    _, end = report.period.bounds(policy.tz)
    notes = []
    if late_due is not None:
        notes.append(md("report.late", lang, due=fmt_when(late_due, policy.tz, lang)))
    if now < end:
        notes.append(md("report.so_far", lang, cut=fmt_when(now, policy.tz, lang)))
    if notes:
        blocks.append(context(*notes))
    if report.kind == "week" and report.quiet:
        blocks.append(section(md("report.quiet", lang)))
        return blocks
    blocks.append(section("\n".join(figure_lines(report, policy, lang))))
    if report.kind in ("month", "year"):
        blocks.append(section("\n".join(comparison_lines(report, lang) + extra_lines(report, lang))))
    return blocks + sections(overdue_lines(report, policy, lang, names, links))


def report_text(report: Report, policy: Policy, lang: str) -> str:
    """The notification's text (and what a screen reader says first)."""
    n, heading = report.numbers, escape(title(report, policy, lang))
    if report.kind == "week" and report.quiet:
        return f"{heading}: {t('report.quiet', lang)}"
    return (f"{heading}: {t('report.new', lang, total=n['new']['total'])}, "
            f"{t('report.open_overdue', lang, open=n['open'], overdue=n['overdue'])}").replace("*", "")
