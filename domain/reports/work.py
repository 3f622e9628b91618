"""The desk's reports capability: queue the scheduled reports due by a moment, build a report on
demand, and hand the ledger and the audit trail to those allowed to export them."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime

from domain import outbox
from domain.errors import DomainError
from domain.reports.audit_pack import AuditPack, audit_pack
from domain.reports.content import Report, build_report
from domain.reports.home import Home, home
from domain.reports.ledger import ledger
from domain.reports.periods import BadPeriod, Period, of, parse
from domain.reports.schedule import Due, queue_due_reports
from domain.roles import Roles, roles_of
from domain.unit_of_work import ItemWork


class BadReportRequest(DomainError):
    code = "report.bad_request"


class BadPeriodRequest(DomainError):
    code = "report.bad_period"


class ExportRefused(DomainError):
    code = "report.export_refused"


class AuditPackRefused(DomainError):
    code = "report.pack_refused"


class PostRefused(DomainError):
    code = "report.post_refused"


def may_export(roles: Roles, allowed: tuple[str, ...]) -> bool:
    """The ledger and the audit trail hold every customer's complaints: the roles the policy names."""
    held = {"quality_manager": roles.quality_manager, "general_manager": roles.general_manager, "admins": roles.admin,
            "department_manager": bool(roles.manages), "sales": roles.sales}
    return any(held[name] for name in allowed)


def period_for(kind: str, text: str | None, today: date) -> Period:
    """`2026-W47` / `2026-11` / `2026` as written, or the period holding today; not one still to come."""
    try:
        period = parse(kind, text) if text else of(kind, today)
    except BadPeriod as exc:
        raise BadPeriodRequest(text=exc.text, kind=kind, example=exc.example) from exc
    if period.first > today:
        raise BadPeriodRequest(text=text, kind=kind, example=of(kind, today).key)
    return period


class ReportWork(ItemWork):
    def queue_reports(self, now: datetime) -> list[Due]:
        """The scheduler's sweep: every report due by `now` queued once (domain/reports/schedule.py)."""
        with self.db.session() as s:
            return queue_due_reports(s, self.policy, now)

    def report(self, period: Period, lang: str, department: str | None = None, now: datetime | None = None) -> Report:
        self._known(department)
        with self.db.session() as s:
            return build_report(s, self.policy, period, now or self.clock.now(), lang, department)

    def home(self, user: str) -> Home:
        """What the person's App Home shows now."""
        with self.db.session() as s:
            return home(s, self.policy, self.sight(s, user), self.clock.now())

    def require_export(self, actor: str) -> None:
        if not may_export(roles_of(self.policy, actor, self.group_members), self.policy.reports.export_roles):
            raise ExportRefused()

    def ledger_rows(self, actor: str, first: date, last: date, names: Mapping[str, str] | None = None,
                    lang: str | None = None) -> list[dict]:
        self.require_export(actor)
        with self.db.session() as s:
            rows = ledger(s, self.policy, first, last, self.clock.now(), names, lang=lang)
            return self.sight(s, actor).rows(rows)  # domain/visibility.py

    def require_audit_pack(self, actor: str) -> None:
        if not may_export(roles_of(self.policy, actor, self.group_members), self.policy.reports.audit_pack_roles):
            raise AuditPackRefused()

    def send_audit_pack(self, actor: str, first: date, last: date, lang: str, request_key: str) -> None:
        """`/export audit-pack`: refused without the role; else the ZIP goes to the asker by DM, once."""
        self.require_audit_pack(actor)
        with self.db.session() as s:
            outbox.enqueue(s, key=f"audit-pack:{request_key}", intent="audit_pack_file", channel=actor, user=actor,
                           now=self.clock.now(), locale=lang, data={"first": first.isoformat(), "last": last.isoformat()})

    @contextmanager
    def audit_pack_of(self, actor: str, first: date, last: date, names: Mapping[str, str] | None = None
                      ) -> Iterator[AuditPack]:
        """The pack, its right checked again; its 8Ds are assembled while the caller writes them."""
        self.require_audit_pack(actor)
        with self.db.session() as s:
            yield audit_pack(s, self.policy, first, last, self.clock.now(), names,
                             eightd_limit=self.policy.reports.audit_pack_max_8d)

    def report_for(self, user: str, report: Report) -> Report:
        """A report one person asked for, without what they may not see (domain/visibility.py)."""
        with self.db.session() as s:
            return self.sight(s, user).report(report)

    def post_report(self, actor: str, period: Period, channel: str, department: str | None, lang: str,
                    request_key: str) -> None:
        """`/digest … post`: the report (message and charts) into the channel asked from, once per request;
        only by those who may export (it shows every customer's complaints to the channel)."""
        if not may_export(roles_of(self.policy, actor, self.group_members), self.policy.reports.export_roles):
            raise PostRefused()
        self._known(department)
        with self.db.session() as s:
            outbox.enqueue(s, key=f"report:{period.key}:asked:{request_key}", intent="report", channel=channel,
                           now=self.clock.now(), locale=lang, priority=1,
                           data={"kind": period.kind, "period": period.key, "department": department, "language": lang})

    def send_ledger(self, actor: str, first: date, last: date, fmt: str, lang: str, request_key: str) -> None:
        """`/export ledger`: refused without the role; else the file goes to the asker by DM, once."""
        self.require_export(actor)
        if last < first:
            raise BadReportRequest(detail=f"{last} < {first}")
        with self.db.session() as s:
            outbox.enqueue(s, key=f"ledger:{request_key}", intent="ledger_file", channel=actor, user=actor,
                           now=self.clock.now(), locale=lang,
                           data={"first": first.isoformat(), "last": last.isoformat(), "format": fmt})

    def ledger_of(self, first: date, last: date, names: Mapping[str, str] | None = None,
                  lang: str | None = None) -> list[dict]:
        """The ledger for a scheduled report (its recipients are the policy's to choose), in its language."""
        with self.db.session() as s:
            return ledger(s, self.policy, first, last, self.clock.now(), names, lang=lang)

    def _known(self, department: str | None) -> None:
        """A department the policy has (a report queued before it was removed is refused, then dropped)."""
        if department is not None and department not in self.policy.departments:
            raise BadReportRequest(detail=department)
