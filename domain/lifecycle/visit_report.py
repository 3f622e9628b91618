"""A field-service visit's report as data (现场服务报告, seed 000 §8.5; 《售后服务记录》, seed 003): what the
PDF shows and the ledger and audit pack list. Read from the visit row, its item and its two clocks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from domain.customer_records import record_of
from domain.deadlines import visit_milestone
from domain.lifecycle.view import as_utc
from domain.policy import CustomerSeed
from models import Customer, Deadline, FeedbackItem, FieldVisit


@dataclass(frozen=True)
class VisitReport:
    visit_id: int
    number_on_item: int  # the visit's place among the item's visits (1, 2, …)
    item_id: int
    ref_number: int | None
    customer: str | None
    customer_names: dict[str, str]
    problem: str
    state: str
    engineers: tuple[str, ...]
    site: str
    province: str | None
    requested_at: datetime
    arrival_due: datetime | None
    arrived_at: datetime | None
    returned_at: datetime | None
    findings: str | None
    signed_by: str | None
    signed_on: date | None
    report_due: datetime | None
    report_at: datetime | None
    customer_record: CustomerSeed | None = None  # its record: the report's language (domain/requirements.py)

    def customer_in(self, lang: str) -> str | None:
        return self.customer_names.get(lang) or self.customer

    @property
    def arrived_on_time(self) -> bool | None:
        return None if self.arrived_at is None or self.arrival_due is None else self.arrived_at <= self.arrival_due

    @property
    def report_on_time(self) -> bool | None:
        return None if self.report_at is None or self.report_due is None else self.report_at <= self.report_due


def _due(s: Session, item_id: int, milestone: str) -> datetime | None:
    d = s.exec(select(Deadline).where(Deadline.item_id == item_id, Deadline.milestone == milestone)).first()
    return as_utc(d.due_at) if d else None


def assemble_visit(s: Session, visit_id: int) -> VisitReport | None:
    v = s.get(FieldVisit, visit_id)
    if v is None:
        return None
    item = s.get(FeedbackItem, v.item_id)
    customer = s.get(Customer, item.customer_id) if item.customer_id else None
    order = s.exec(select(FieldVisit.id).where(FieldVisit.item_id == v.item_id).order_by(FieldVisit.id)).all()
    return VisitReport(
        visit_id=v.id, number_on_item=list(order).index(v.id) + 1, item_id=item.id, ref_number=item.number,
        customer=customer.name if customer else item.customer_text, customer_names=dict(customer.names or {}) if customer else {},
        problem=item.text, state=v.state, engineers=tuple(v.engineers), site=v.site, province=v.province,
        requested_at=as_utc(v.requested_at), arrival_due=_due(s, item.id, visit_milestone("visit_arrival", v.id)),
        arrived_at=as_utc(v.arrived_at), returned_at=as_utc(v.returned_at), findings=v.findings, signed_by=v.signed_by,
        signed_on=v.signed_on, report_due=_due(s, item.id, visit_milestone("visit_report", v.id)), report_at=as_utc(v.report_at),
        customer_record=record_of(s, customer) if customer else None)


def visits_of_items(s: Session, item_ids: list[int] | set[int]) -> dict[int, list[VisitReport]]:
    """Every visit of these items, as reports, by item (the ledger's and the audit pack's column)."""
    if not item_ids:
        return {}
    ids = s.exec(select(FieldVisit.id).where(FieldVisit.item_id.in_(list(item_ids))).order_by(FieldVisit.id)).all()
    found: dict[int, list[VisitReport]] = {}
    for visit_id in ids:
        report = assemble_visit(s, visit_id)
        found.setdefault(report.item_id, []).append(report)
    return found


def visit_line(report: VisitReport, lang: str, fmt) -> str:
    """One line per visit: "1. site (province) · on site 23 Nov 14:00 · back … · signed by X 2026-11-25"."""
    from domain.i18n import t

    parts = [f"{report.number_on_item}. {report.site}" + (f" ({report.province})" if report.province else ""),
             t(f"visit.state.{report.state}", lang)]
    if report.arrived_at:
        parts.append(f"{t('visit.pdf.arrived', lang)} {fmt(report.arrived_at)}")
    if report.returned_at:
        parts.append(f"{t('visit.pdf.returned', lang)} {fmt(report.returned_at)}")
    if report.signed_by:
        parts.append(f"{t('visit.pdf.signed_by', lang)}: {report.signed_by} {report.signed_on.isoformat() if report.signed_on else ''}".strip())
    return " · ".join(parts)
