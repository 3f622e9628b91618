"""Every figure a report shows comes from one definition (domain/reports/figures.py): the digest's text
and its charts agree on a week of complaints, praise and inquiries; and the charts explain themselves
(read from their matplotlib objects, not their pixels): integer count axes, titles naming what, for
whom and when, counts on the bars, the on-time target named with the policy's value.

The week 2026-W47 (16–22 Nov, Asia/Shanghai), written row by row here:
| kind | category | department | n |
|---|---|---|---|
| complaint | quality | quality | 3 (one AA) |
| complaint | quality | production | 3 |
| complaint | delivery | production | 1 |
| praise | quality | quality | 1 |
| inquiry | quality | quality | 1 |
So quality complaints are 6 (not 8), complaints 7, new items 9. First contact: two deadlines of the
quality department due in the week, one met in time: 1 of 2."""
from __future__ import annotations

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.views.report import report_blocks
from documents.report_charts import report_figures
from domain.reports.content import build_report
from domain.reports.figures import FIGURES
from domain.reports.periods import parse
from models import Deadline, FeedbackItem
from models.db import Database

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=SH)
WEEK = parse("week", "2026-W47")
DOCS = __import__("pathlib").Path(__file__).resolve().parent.parent / "docs" / "reports.md"


def mixed_week(db_url):
    db = Database(db_url)
    number = iter(range(1, 100))
    with db.session() as s:
        def item(kind, category, department, severity="B", day=17):
            received = datetime(2026, 11, day, 10, 0, tzinfo=SH)
            row = FeedbackItem(source_key=f"t:{uuid.uuid4().hex}", source="slash", status="received", kind=kind,
                               category=category, severity=severity, department=department, text="x", summary="x",
                               reporter_id="U1", received_at=received, filed_at=received, number=next(number),
                               created_at=received, updated_at=received)
            s.add(row)
            s.flush()
            return row

        first = item("complaint", "quality", "quality", "AA")
        s.add(Deadline(item_id=first.id, milestone="first_contact", due_at=datetime(2026, 11, 17, 12, tzinfo=SH),
                       met_at=datetime(2026, 11, 17, 11, tzinfo=SH), state="met"))
        second = item("complaint", "quality", "quality")
        s.add(Deadline(item_id=second.id, milestone="first_contact", due_at=datetime(2026, 11, 17, 12, tzinfo=SH),
                       met_at=datetime(2026, 11, 17, 15, tzinfo=SH), state="met"))
        item("complaint", "quality", "quality")
        for _ in range(3):
            item("complaint", "quality", "production")
        item("complaint", "delivery", "production")
        item("praise", "quality", "quality")
        item("inquiry", "quality", "quality")
    return db


def _report(db_url, policy, lang="en", department=None):
    db = mixed_week(db_url)
    with db.session() as s:
        report = build_report(s, policy, WEEK, NOW, lang, department)
    db.dispose()
    return report


def _text(report, policy, lang="en") -> str:
    return "\n".join(b["text"]["text"] for b in report_blocks(report, policy, lang, {}, {}, NOW) if b["type"] == "section")


def _bars(figure) -> dict[str, int]:
    """A Pareto's bars as drawn: tick label → bar height."""
    ax = figure.axes[0]
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    return dict(zip(labels, (int(bar.get_height()) for bar in ax.patches)))


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_the_digests_text_and_its_pareto_count_the_same_complaints(db_url, policy):
    report = _report(db_url, policy)
    text = _text(report, policy)
    charts = dict(report_figures(report, policy, "en"))
    bars = _bars(charts["categories"])
    assert bars == {"Quality": 6, "Delivery": 1}  # praise and the inquiry are no complaints
    category_line = next(line for line in text.splitlines() if line.startswith("*Complaints by category:*"))
    in_text = {label: int(n) for label, n in re.findall(r"(\w+) (\d+)", category_line.split("*")[-1])}
    assert in_text == bars
    assert "*New:* 9" in text and "*Complaints:* 7 · by severity: AA 1 · B 6" in text
    assert "Complaint 7 · Inquiry 1 · Praise 1" in text
    assert "*Complaints by department:* Quality 3 · Production &amp; Logistics 4" in text
    assert report.numbers["complaints"]["total"] == sum(bars.values())


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_department_pareto_counts_in_whole_complaints_and_says_whose_it_is(db_url, policy):
    report = _report(db_url, policy, department="quality")
    charts = dict(report_figures(report, policy, "en"))
    ax = charts["categories"].axes[0]
    assert ax.get_title() == "Complaints by defect category · Quality · 2026-W47"
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)  # 3 complaints: never 0.25, 0.5, …
    assert [t.get_text() for t in ax.texts] == ["3"]  # the bar's count is written on it
    share = charts["categories"].axes[1]
    assert [t.get_text() for t in share.texts] == ["80 % of complaints"]  # the mark is named
    zh = dict(report_figures(report, policy, "zh"))["categories"].axes[0].get_title()
    assert zh == "抱怨类别柏拉图 · 品质部 · 2026-W47"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_on_time_chart_names_its_target_and_counts_met_of_due(db_url, policy):
    report = _report(db_url, policy)
    ax = dict(report_figures(report, policy, "en"))["on_time"].axes[0]
    target = policy.reports.on_time_target
    line = next(x for x in ax.get_lines() if list(x.get_xdata()) == [target, target])
    assert line.get_label() == f"Target {target:.0%}"
    legend = ax.figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == [f"Target {target:.0%}"]
    assert [t.get_text() for t in ax.texts] == ["50% (1/2)"]
    assert ax.get_title() == "On-time rate per milestone (met of due) · all departments · 2026-W47"


def test_every_figure_is_defined_in_the_docs():
    docs = DOCS.read_text()
    for figure in FIGURES:
        assert f"| `{figure.key}` | {figure.what} |" in docs
