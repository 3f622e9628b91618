"""Charts a manager reads at a glance: a Pareto chart (bars, largest first, and the cumulative share
as a line), the monthly trend by severity (stacked bars), and the on-time rate per milestone. Each
says what it counts and for whom in its title (the caller's words), counts in whole numbers on an
integer axis, writes each bar's count on it and names every reference line (the 80 % mark, the
on-time target). `*_figure` returns the matplotlib Figure (what tests read), `png` its picture.
matplotlib's object API with the Agg canvas (no pyplot state: safe in a worker's threads); Latin
text in DejaVu, Chinese in the CJK font the install provides (documents/fonts.py), one falling back
to the other glyph by glyph."""
from __future__ import annotations

import io
from functools import lru_cache
from typing import Mapping, Sequence

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from documents.fonts import cjk_font, latin_font

SIZE = (10, 5.6)  # inches; at DPI, 1200 x 672 pixels: readable in Slack's preview
DPI = 120
SEVERITY_COLOURS = {"AA": "#c0392b", "A": "#e67e22", "B": "#7f8c8d"}
BAR, LINE = "#2e86c1", "#c0392b"


@lru_cache(maxsize=1)
def _families() -> tuple[str, ...]:
    names = []
    for path in (latin_font(), cjk_font()):
        font_manager.fontManager.addfont(str(path))
        names.append(font_manager.FontProperties(fname=str(path)).get_name())
    return tuple(names)


def _style():
    # parse_math off: a customer called "Acme $5$ Parts" is text, not a formula (nor an error)
    return matplotlib.rc_context({"font.family": list(_families()), "axes.spines.top": False, "text.parse_math": False})


def _figure(draw) -> Figure:
    with _style():
        fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes (tick labels are made while drawing: in the same style)."""
    with _style():
        out = io.BytesIO()
        fig.savefig(out, format="png")
    return out.getvalue()


def _whole_numbers(axis) -> None:
    """Counts are whole: ticks at 0, 1, 2… never 0.25 of a complaint."""
    axis.set_major_locator(MaxNLocator(integer=True))


def pareto_figure(title: str, counts: Mapping[str, int], count_label: str, share_label: str, bars: int = 10,
                  others_label: str = "…", mark_label: str = "80 %") -> Figure:
    """Largest first, each bar with its count; the line is the cumulative share of the whole, with the
    80 % mark named. Beyond `bars` bars, the smallest are summed into one last bar (`others_label`),
    as a Pareto chart does."""
    ranked = sorted(((n, label) for label, n in counts.items() if n > 0), key=lambda x: (-x[0], x[1]))
    if len(ranked) > bars:
        ranked = ranked[: bars - 1] + [(sum(n for n, _ in ranked[bars - 1:]), others_label)]
    labels, values = [label for _, label in ranked], [n for n, _ in ranked]
    total = sum(values) or 1
    cumulative = [sum(values[: i + 1]) / total for i in range(len(values))]

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.bar_label(ax.bar(labels, values, color=BAR), padding=2)
        _whole_numbers(ax.yaxis)
        ax.set_ylim(0, max(values, default=0) * 1.15 or 1)  # room for the counts above the bars
        ax.set_ylabel(count_label)
        ax.set_title(title)
        ax.tick_params(axis="x", labelrotation=30 if len(labels) > 6 else 0)
        share = ax.twinx()
        share.plot(labels, cumulative, color=LINE, marker="o")
        share.axhline(0.8, color=LINE, linestyle=":", linewidth=1)
        share.annotate(mark_label, xy=(1, 0.8), xycoords=("axes fraction", "data"), xytext=(-4, 3),
                       textcoords="offset points", ha="right", va="bottom", color=LINE)
        share.set_ylim(0, 1.05)
        share.yaxis.set_major_formatter(PercentFormatter(1.0))
        share.set_ylabel(share_label)
    return _figure(draw)


def trend_figure(title: str, periods: Sequence[str], by_severity: Mapping[str, Sequence[int]], count_label: str) -> Figure:
    """Stacked bars per period, one colour per severity (AA on the bottom), each period's total on top."""
    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        bottom = [0] * len(periods)
        for severity in ("AA", "A", "B"):
            values = list(by_severity.get(severity, [0] * len(periods)))
            bars = ax.bar(periods, values, bottom=bottom, color=SEVERITY_COLOURS[severity], label=severity)
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.bar_label(bars, labels=[str(n) if n else "" for n in bottom], padding=2)  # the month's total
        _whole_numbers(ax.yaxis)
        ax.set_ylim(0, max(bottom, default=0) * 1.15 or 1)
        ax.set_ylabel(count_label)
        ax.set_title(title)
        ax.legend(loc="upper left")
        ax.tick_params(axis="x", labelrotation=45 if len(periods) > 8 else 0)
    return _figure(draw)


def on_time_figure(title: str, rates: Mapping[str, float | None], target: float = 0.9, target_label: str | None = None,
                   counts: Mapping[str, tuple[int, int]] | None = None) -> Figure:
    """Horizontal bars, 0–100 %, each with its rate and (when given) its counts, met of due; the target
    as a line named in the legend (`target_label`, else the percentage); a milestone with nothing due
    is left out."""
    shown = [(label, rate) for label, rate in rates.items() if rate is not None]
    counts = counts or {}

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        labels, values = [label for label, _ in shown], [rate for _, rate in shown]
        ax.barh(labels, values, color=[BAR if v >= target else LINE for v in values])
        ax.axvline(target, color="#34495e", linestyle=":", linewidth=1, label=target_label or f"{target:.0%}")
        fig.legend(loc="outside lower center")  # below the chart: never over a bar
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.invert_yaxis()
        ax.set_title(title)
        for y, (label, v) in enumerate(shown):  # the figure inside a long bar, beside a short one
            inside = v > 0.7
            met_due = f" ({counts[label][0]}/{counts[label][1]})" if label in counts else ""
            ax.text(v - 0.01 if inside else v + 0.01, y, f"{v:.0%}{met_due}", va="center", ha="right" if inside else "left",
                    color="white" if inside else "black")
    return _figure(draw)


def pareto(*args, **kwargs) -> bytes:
    return png(pareto_figure(*args, **kwargs))


def trend(*args, **kwargs) -> bytes:
    return png(trend_figure(*args, **kwargs))


def on_time(*args, **kwargs) -> bytes:
    return png(on_time_figure(*args, **kwargs))
