"""The level with its two sources and the 8D request, as one line each (thread parent, card,
confirmation): "Level A (problem B, customer urgent)", "8D requested: yes (customer requirement)"."""
from __future__ import annotations

from domain.i18n import t


def level_line(item, lang: str) -> str:
    """A complaint's level and what it comes from; other kinds have their grade only."""
    if item.kind != "complaint":
        return t(f"severity.{item.severity}", lang)
    return t("level.line", lang, level=item.severity, problem=item.problem_severity or item.severity,
             urgency=t(f"urgency.{item.urgency or 'normal'}", lang))


def wants_8d_line(item, lang: str) -> str:
    if item.wants_8d is None:
        return t("wants_8d.line", lang, answer=t("wants_8d.unknown", lang))
    answer = t("wants_8d.yes" if item.wants_8d else "wants_8d.no", lang)
    if item.wants_8d_source:
        return t("wants_8d.line_from", lang, answer=answer, source=t(f"fact_source.{item.wants_8d_source}", lang))
    return t("wants_8d.line", lang, answer=answer)


def quantity_line(item, lang: str) -> str:
    """"3 labels (of 500 checked)", "400 条 (大概两箱,每箱200条)": the count with what it was said as."""
    count = f"{item.quantity} {item.quantity_unit or ''}".rstrip()
    if item.checked_quantity:
        count = t("quantity.of_checked", lang, quantity=count, checked=item.checked_quantity)
    if item.quantity_text:
        count += f" ({item.quantity_text})"
    return count
