"""Charts a manager reads at a glance, as PNG bytes: a Pareto chart (bars, largest first, and the
cumulative share as a line), the monthly trend by severity (stacked bars), and the on-time rate
per milestone. matplotlib's object API with the Agg canvas (no pyplot state: safe in a worker's
threads); Latin text in DejaVu, Chinese in the CJK font the install provides (documents/fonts.py),
one falling back to the other glyph by glyph."""
from __future__ import annotations

import io
from functools import lru_cache
from typing import Mapping, Sequence

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

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


def _png(draw) -> bytes:
    # parse_math off: a customer called "Acme $5$ Parts" is text, not a formula (nor an error)
    with matplotlib.rc_context({"font.family": list(_families()), "axes.spines.top": False, "text.parse_math": False}):
        fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig)
        out = io.BytesIO()
        fig.savefig(out, format="png")
    return out.getvalue()


def pareto(title: str, counts: Mapping[str, int], count_label: str, share_label: str, bars: int = 10,
           others_label: str = "…") -> bytes:
    """Largest first; the line is the cumulative share of the whole, with the 80 % mark. Beyond `bars`
    bars, the smallest are summed into one last bar (`others_label`), as a Pareto chart does."""
    ranked = sorted(((n, label) for label, n in counts.items() if n > 0), key=lambda x: (-x[0], x[1]))
    if len(ranked) > bars:
        ranked = ranked[: bars - 1] + [(sum(n for n, _ in ranked[bars - 1:]), others_label)]
    labels, values = [label for _, label in ranked], [n for n, _ in ranked]
    total = sum(values) or 1
    cumulative = [sum(values[: i + 1]) / total for i in range(len(values))]

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.bar(labels, values, color=BAR)
        ax.set_ylabel(count_label)
        ax.set_title(title)
        ax.tick_params(axis="x", labelrotation=30 if len(labels) > 6 else 0)
        share = ax.twinx()
        share.plot(labels, cumulative, color=LINE, marker="o")
        share.axhline(0.8, color=LINE, linestyle=":", linewidth=1)
        share.set_ylim(0, 1.05)
        share.yaxis.set_major_formatter(PercentFormatter(1.0))
        share.set_ylabel(share_label)
    return _png(draw)


def trend(title: str, periods: Sequence[str], by_severity: Mapping[str, Sequence[int]], count_label: str) -> bytes:
    """Stacked bars per period, one colour per severity (AA on the bottom)."""
    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        bottom = [0] * len(periods)
        for severity in ("AA", "A", "B"):
            values = list(by_severity.get(severity, [0] * len(periods)))
            ax.bar(periods, values, bottom=bottom, color=SEVERITY_COLOURS[severity], label=severity)
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.set_ylabel(count_label)
        ax.set_title(title)
        ax.legend(loc="upper left")
        ax.tick_params(axis="x", labelrotation=45 if len(periods) > 8 else 0)
    return _png(draw)


def on_time(title: str, rates: Mapping[str, float | None], target: float = 0.9) -> bytes:
    """Horizontal bars, 0–100 %, with the target as a line; a milestone with nothing due is left out."""
    shown = [(label, rate) for label, rate in rates.items() if rate is not None]

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        labels, values = [label for label, _ in shown], [rate for _, rate in shown]
        ax.barh(labels, values, color=[BAR if v >= target else LINE for v in values])
        ax.axvline(target, color="#34495e", linestyle=":", linewidth=1)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.invert_yaxis()
        ax.set_title(title)
        for y, v in enumerate(values):  # the figure inside a long bar, beside a short one
            inside = v > 0.85
            ax.text(v - 0.01 if inside else v + 0.01, y, f"{v:.0%}", va="center", ha="right" if inside else "left",
                    color="white" if inside else "black")
    return _png(draw)
