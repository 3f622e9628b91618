"""The 8D report, assembled from what was recorded. A discipline with nothing recorded is marked
missing; nothing is invented. `lines` renders it in a language for the exporters and the bot.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from sqlmodel import Session, select

from domain.lifecycle.table import Status
from domain.i18n import fmt_when, ref, t
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from models import (Containment, Customer, CustomerAcceptance, Event, FeedbackItem, ItemAction, ItemAssignment, RootCause,
                    StatusChange, Verification)

DISCIPLINES = ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8")


@dataclass(frozen=True)
class Row:
    label: str  # i18n key under eightd.field.
    value: Any  # user text, number, datetime, bool, list, or an i18n key when `key` is set
    key: bool = False
    user: bool = False  # a Slack user id, shown by name when the caller knows it
    dept: bool = False  # department keys, shown by the policy's name
    plan: bool = False  # an action: (what, owner's user id, due date), joined with " — "


@dataclass(frozen=True)
class Discipline:
    code: str
    rows: tuple[Row, ...]

    @property
    def missing(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class EightD:
    item_id: int
    customer: str | None
    disciplines: tuple[Discipline, ...]
    number: int | None = None  # the reference VOC-n people quote
    customer_names: Mapping[str, str] = field(default_factory=dict)  # the customer's name per language

    def customer_in(self, lang: str) -> str | None:
        return self.customer_names.get(lang) or self.customer

    def discipline(self, code: str) -> Discipline:
        return next(d for d in self.disciplines if d.code == code)


def assemble_8d(s: Session, item_id: int) -> EightD:
    item = s.get(FeedbackItem, item_id)
    rows = lambda table: s.exec(select(table).where(table.item_id == item_id).order_by(table.id)).all()  # noqa: E731
    record = s.get(Customer, item.customer_id) if item.customer_id else None
    customer = record.name if record else item.customer_text
    owner = next((a for a in reversed(rows(ItemAssignment)) if a.role == "owner" and a.user_id), None)
    acted = list(dict.fromkeys(e.actor for e in rows(Event) if e.action.startswith("lifecycle.")))
    containment, root = (rows(Containment) or [None])[-1], (rows(RootCause) or [None])[-1]
    actions = rows(ItemAction)
    corrective = [a for a in actions if a.type == "corrective"]
    preventive = [a for a in actions if a.type == "preventive"]
    verifications = rows(Verification)
    acceptance = (rows(CustomerAcceptance) or [None])[-1]
    closing = next((c for c in reversed(rows(StatusChange)) if c.to_status == Status.closed and c.from_status == Status.verified), None)

    d1 = [Row("owner", owner.user_id, user=True)] if owner else []
    d1 += [Row("members", tuple(acted), user=True)] if acted else []
    d1 += [Row("departments", tuple(dict.fromkeys([item.department, *item.also_departments])), dept=True)] if d1 else []
    d2 = [Row("customer", customer), Row("part_numbers", tuple(item.part_numbers)), Row("lot_numbers", tuple(item.lot_numbers)),
          Row("quantity", f"{item.quantity} {item.quantity_unit or ''}".strip() if item.quantity else None),
          Row("customer_said", item.text), Row("received", as_utc(item.received_at)), Row("line_stopped", item.line_stopped)]
    d3 = []
    if containment:
        for where in ("stock", "wip", "transit", "customer"):
            checked, bad = getattr(containment, f"{where}_checked"), getattr(containment, f"{where}_bad")
            if checked is not None or bad is not None:
                d3.append(Row(f"checked_{where}", f"{checked if checked is not None else '—'} / {bad if bad is not None else '—'}"))
        d3 += [Row("sorting_method", containment.sorting_method), Row("sorting_result", containment.sorting_result),
               Row("countermeasure", containment.countermeasure), Row("customer_informed", containment.customer_informed),
               Row("recorded", as_utc(containment.at))]
    d4 = [Row("category_4m1e", f"rootcause.{root.category}", key=True), Row("occurrence", root.occurrence),
          Row("escape", root.escape), Row("evidence", root.evidence)] if root else []
    d5 = [Row("action", (a.what, a.owner, a.due.date().isoformat()), plan=True) for a in corrective]
    d6 = [Row("done", f"{a.what} — {as_utc(a.done_at).date().isoformat()}" + (" ✓" if a.verified_at else "")) for a in corrective if a.done_at]
    d6 += [Row("clean_lots", tuple(v.clean_lots)) for v in verifications] + [Row("evidence", v.evidence) for v in verifications]
    d7 = []
    for a in preventive:
        d7 += [Row("action", (a.what, a.owner, a.due.date().isoformat()), plan=True),
               Row("documents", tuple(f"doc.{d}" for d in a.documents), key=True)]
    d8 = []
    if acceptance:
        d8.append(Row("customer_acceptance", f"{acceptance.accepted_by} · {acceptance.accepted_on.date().isoformat()} · {acceptance.how}"))
    if closing:
        d8 += [Row("closed", as_utc(closing.at)), Row("closed_by", closing.by, user=True)]
        d8 += [Row("recognition", tuple(acted), user=True)] if acted else []
    found = (d1, d2, d3, d4, d5, d6, d7, d8)
    return EightD(item_id, customer, tuple(Discipline(code, tuple(r for r in rows_ if r.value not in (None, "", ())))
                                           for code, rows_ in zip(DISCIPLINES, found)),
                  item.number, dict(record.names or {}) if record else {})


def render_value(row: Row, lang: str, policy: Policy, names: Mapping[str, str],
                 customer_names: Mapping[str, str] | None = None) -> str:
    customer_names = customer_names or {}
    value = row.value
    if row.plan:
        what, owner, due = value
        return f"{what} — {names.get(owner, owner)} — {due}"
    if isinstance(value, tuple):
        parts = [t(v, lang) if row.key else names.get(v, v) if row.user else
                 policy.departments[v].name.get(lang) if row.dept and v in policy.departments else str(v) for v in value]
        return ", ".join(parts) if lang == "en" else "、".join(parts)
    if row.key:
        return t(value, lang)
    if row.user:
        return names.get(value, value)
    if row.label == "customer" and customer_names.get(lang):
        return customer_names[lang]
    if isinstance(value, bool):
        return t("yes", lang) if value else t("eightd.no", lang)
    if isinstance(value, datetime):
        return fmt_when(value, policy.tz, lang)
    return str(value)


def lines(report: EightD, lang: str, policy: Policy, names: Mapping[str, str] | None = None
          ) -> list[tuple[str, list[tuple[str, str]] | None]]:
    """[(discipline heading, [(label, value), …] or None when missing)] in `lang`."""
    names = names or {}
    out = []
    for d in report.disciplines:
        heading = f"{d.code} {t('eightd.' + d.code, lang)}"
        out.append((heading, None if d.missing else
                    [(t("eightd.field." + r.label, lang), render_value(r, lang, policy, names, report.customer_names))
                     for r in d.rows]))
    return out


def title(report: EightD, lang: str) -> str:
    return t("eightd.title", lang, ref=ref(report.number), customer=report.customer_in(lang) or "—")


def people(report: EightD) -> set[str]:
    """The Slack user ids the report names (to be shown by name)."""
    found: set[str] = set()
    for d in report.disciplines:
        for r in d.rows:
            if r.plan:
                found.add(r.value[1])
            elif r.user:
                found.update(r.value if isinstance(r.value, tuple) else (r.value,))
    return found
