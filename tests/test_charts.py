"""The reports' charts (documents/charts.py): PNGs of the size Slack previews well, with Chinese
labels drawn (no glyph missing), largest first in a Pareto chart. Looked at as pictures when built
(docs/reports.md)."""
from __future__ import annotations

import struct
import warnings

import pytest

from documents.charts import DPI, SIZE, on_time, pareto, trend


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def no_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    missing = [str(w.message) for w in caught if "missing from" in str(w.message).lower()]
    assert not missing, missing


def test_charts_are_pngs_with_chinese_drawn(no_missing_glyphs):
    made = [
        pareto("客户投诉柏拉图 2026年11月", {"品质": 45, "交付": 22, "技术": 12, "其他": 0}, "件数", "累计占比"),
        trend("月度趋势（按等级）", ["2026-10", "2026-11"], {"AA": [3, 4], "A": [10, 12], "B": [15, 14]}, "件数"),
        on_time("按时完成率（按节点）", {"首次回复客户": 0.96, "8D报告提交客户": 0.72, "客户端关闭": None}),
        on_time("各节点按时完成率（按时/到期）· 品质部 · 2026-W47", {"首次联系客户": 0.5}, 0.9, "目标 90%",
                {"首次联系客户": (1, 2)}),
        pareto("抱怨类别柏拉图 · 品质部 · 2026-W47", {"质量": 3}, "抱怨数", "累计占比", mark_label="80% 抱怨"),
    ]
    for data in made:
        assert png_size(data) == (int(SIZE[0] * DPI), int(SIZE[1] * DPI))


def test_a_pareto_chart_of_nothing_or_of_one_still_draws():
    assert png_size(pareto("empty", {}, "items", "share"))[0] == int(SIZE[0] * DPI)
    assert png_size(pareto("one", {"quality": 3}, "items", "share"))[0] == int(SIZE[0] * DPI)


def test_a_name_with_dollar_signs_is_drawn_as_text_not_math():
    # matplotlib would read $…$ as a formula: "Foo $\x$ Ltd" raised, "Acme $5$ Parts" lost its dollars
    png = pareto("Complaints by customer", {"Foo $\\x$ Ltd": 3, "Acme $5$ Parts": 2}, "n", "share")
    assert png.startswith(b"\x89PNG")
