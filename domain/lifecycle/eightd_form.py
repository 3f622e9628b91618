"""The 8D laid out as the form a customer's SQE expects, in one language: a header block (customer,
part, complaint and report numbers, revision, dates, prepared and approved by), then D1–D8 each a
section with its fields and its tables (the team, containment quantities, actions, verifications).

Pure: the PDF and XLSX exporters draw a `Form`, the bot's `/complaint VOC-n 8d` shows its `lines`.
People are shown by the names the caller passes (user id → display name) and the role the policy
gives them. Very long texts and tables are capped, pointing to the audit trail, so a report renders
in bounded time whatever was typed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from domain.i18n import ref, t
from domain.lifecycle.eightd import Check, EightD, Quantity, Row, Step
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from domain.roles import GroupMembers, roles_of

MAX_TEXT = 1200  # characters of one field
MAX_CELL = 400  # characters of one table cell
MAX_ROWS = 40  # rows of one table
NONE = "—"

Cell = str | int


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    more: str | None = None  # "… 5 more (continued in the audit trail)" when rows were left off


@dataclass(frozen=True)
class Section:
    heading: str  # "D3 Containment"
    date: str | None  # "recorded 2026-11-20"
    fields: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...]
    missing: bool


@dataclass(frozen=True)
class Form:
    title: str
    company: str
    header: tuple[tuple[str, str], ...]  # label/value pairs, laid out two to a row
    sections: tuple[Section, ...]
    footer: str  # the report number and revision, on every page
    lang: str

    def page_label(self, page: int | str, pages: int | str) -> str:
        return t("eightd.page", self.lang, page=page, pages=pages)

    @property
    def missing_text(self) -> str:
        return t("eightd.missing", self.lang)


def cap(text: str, lang: str, limit: int = MAX_TEXT) -> str:
    """At most `limit` characters of what was typed, then a pointer to where the rest is."""
    return text if len(text) <= limit else text[:limit].rstrip() + " " + t("eightd.continued", lang)


def title(report: EightD, lang: str) -> str:
    return t("eightd.title", lang, ref=ref(report.number), customer=report.customer_in(lang) or NONE)


def local_date(moment: datetime | None, policy: Policy) -> str:
    return as_utc(moment).astimezone(policy.tz).date().isoformat() if moment else NONE


def local_minute(moment: datetime | None, policy: Policy) -> str:
    return as_utc(moment).astimezone(policy.tz).strftime("%Y-%m-%d %H:%M") if moment else NONE


def department_and_role(policy: Policy, user: str, item_department: str | None, lang: str,
                        groups: GroupMembers | None = None) -> tuple[str, str]:
    """A person's department (the item's when they belong to it) and position, from the policy."""
    roles = roles_of(policy, user, groups)
    mine = [d for d in policy.departments if d in roles.departments]
    dept = item_department if item_department in mine else (mine[0] if mine else None)
    position = ("quality_manager" if roles.quality_manager else "general_manager" if roles.general_manager
                else "manager" if dept in roles.manages else "sales" if roles.sales else "member" if dept else "unknown")
    return (policy.departments[dept].name.get(lang) if dept else NONE), t(f"eightd.position.{position}", lang)


def _join(parts, lang: str) -> str:
    return (", " if lang == "en" else "、").join(parts)


def render_value(row: Row, lang: str, policy: Policy, names: Mapping[str, str],
                 customer_names: Mapping[str, str] | None = None) -> str:
    value = row.value
    if isinstance(value, tuple):
        return _join([t(v, lang) if row.key else names.get(v, v) if row.user else
                      policy.departments[v].name.get(lang) if row.dept and v in policy.departments else str(v)
                      for v in value], lang)
    if row.key:
        return t(value, lang)
    if row.user:
        return names.get(value, value)
    if row.label == "customer" and (customer_names or {}).get(lang):
        return customer_names[lang]
    if isinstance(value, bool):
        return t("yes", lang) if value else t("eightd.no", lang)
    if isinstance(value, datetime):
        return local_minute(value, policy)
    return cap(str(value), lang)


def _table(lang: str, columns: tuple[str, ...], widths: tuple[float, ...], rows: list[tuple[Cell, ...]]) -> Table:
    """At most MAX_ROWS rows; the rest is counted, not drawn."""
    more = t("eightd.more_rows", lang, count=len(rows) - MAX_ROWS) if len(rows) > MAX_ROWS else None
    return Table(tuple(t(f"eightd.col.{c}", lang) for c in columns), tuple(rows[:MAX_ROWS]), widths, more)


def _tables(code: str, entries: tuple, report: EightD, lang: str, policy: Policy, names: Mapping[str, str],
            department: str | None, groups: GroupMembers | None) -> tuple[Table, ...]:
    if not entries:
        return ()
    name = lambda user: names.get(user, user) if user else NONE  # noqa: E731
    if code == "D1":
        rows = [(name(u), *department_and_role(policy, u, department, lang, groups),
                 t("eightd.team." + ("leader" if u == report.leader else "member"), lang)) for u in entries]
        return (_table(lang, ("name", "department", "role", "part"), (3, 3, 3, 2), rows),)
    if code == "D3":
        rows = [(t(f"eightd.place.{q.where}", lang), NONE if q.checked is None else q.checked, NONE if q.bad is None else q.bad)
                for q in entries if isinstance(q, Quantity)]
        return (_table(lang, ("where", "checked", "bad"), (3, 2, 2), rows),)
    if code == "D6":
        rows = [(local_date(c.at, policy), cap(_join(c.clean_lots, lang), lang, MAX_CELL) or NONE, cap(c.evidence, lang, MAX_CELL), name(c.by))
                for c in entries if isinstance(c, Check)]
        return (_table(lang, ("date", "clean_lots", "evidence", "by"), (2, 3, 5, 3), rows),)
    steps = [s for s in entries if isinstance(s, Step)]
    rows = [(n, cap(s.what, lang, MAX_CELL), name(s.owner), s.due.isoformat(), local_date(s.done_at, policy),
             local_date(s.verified_at, policy)) for n, s in enumerate(steps, 1)]
    if code == "D7":
        rows = [(*row, _join([t(f"doc.{d}", lang) for d in s.documents], lang) or NONE) for row, s in zip(rows, steps)]
        return (_table(lang, ("no", "action", "owner", "due", "done", "verified", "documents"), (1, 7, 4, 3, 3, 3, 4), rows),)
    return (_table(lang, ("no", "action", "owner", "due", "done", "verified"), (1, 9, 4, 3, 3, 3), rows),)


def _header(report: EightD, lang: str, policy: Policy, names: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    label = lambda key: t(f"eightd.header.{key}", lang)  # noqa: E731
    approved = (f"{names.get(report.approved.by, report.approved.by)}, {local_minute(report.approved.at, policy)}"
                if report.approved else t("eightd.not_approved", lang))
    pairs = [("customer", report.customer_in(lang) or NONE), ("customer_ref", report.customer_ref or NONE),
             ("part", _join(report.part_numbers, lang) or NONE), ("lot", _join(report.lot_numbers, lang) or NONE),
             ("complaint", ref(report.number)), ("report_no", report.report_no),
             ("revision", str(report.revision)),
             ("report_date", local_date(report.issued, policy) if report.issued else t("eightd.draft", lang)),
             ("received", local_minute(report.received, policy)), ("severity", report.severity or NONE),
             ("prepared", names.get(report.prepared_by, report.prepared_by) if report.prepared_by else NONE),
             ("approved", approved)]
    return tuple((label(key), cap(value, lang, 300)) for key, value in pairs)


def form(report: EightD, lang: str, policy: Policy, names: Mapping[str, str] | None = None,
         groups: GroupMembers | None = None) -> Form:
    """The report as a form in `lang`; `names` maps Slack user ids to display names, `groups` user
    groups to their members (for the team's departments and roles; explicit policy users without)."""
    names = names or {}
    department = next((r.value[0] for r in report.discipline("D1").rows if r.dept and r.value), None)
    sections = []
    for d in report.disciplines:
        fields = tuple((t("eightd.field." + r.label, lang), render_value(r, lang, policy, names, report.customer_names))
                       for r in d.rows)
        sections.append(Section(f"{d.code} {t('eightd.' + d.code, lang)}",
                                t("eightd.recorded_on", lang, date=local_date(d.date, policy)) if d.date and not d.missing else None,
                                fields, _tables(d.code, d.table, report, lang, policy, names, department, groups), d.missing))
    number = policy.eightd.form_number
    company = policy.company.name + (" · " + t("eightd.form_number", lang, number=number) if number else "")
    return Form(title(report, lang), company, _header(report, lang, policy, names), tuple(sections),
                t("eightd.footer", lang, report_no=report.report_no, revision=report.revision), lang)


def section_lines(section: Section) -> list[tuple[str, str]] | None:
    """A section as (label, value) lines for a chat message, None when missing: a table's row becomes
    its first cell, then "column: cell" for the others."""
    if section.missing:
        return None
    rows = []
    for table in section.tables:
        rows += [(str(row[0]), " · ".join(f"{h}: {c}" for h, c in zip(table.headers[1:], row[1:]))) for row in table.rows]
        rows += [(table.more, "")] if table.more else []
    return rows + list(section.fields)


def lines(report: EightD, lang: str, policy: Policy, names: Mapping[str, str] | None = None
          ) -> list[tuple[str, list[tuple[str, str]] | None]]:
    """[(discipline heading, [(label, value), …] or None when missing)] in `lang`."""
    return [(section.heading, section_lines(section)) for section in form(report, lang, policy, names).sections]
