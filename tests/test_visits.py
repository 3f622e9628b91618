"""Field service visits in the domain (issue 19): the visit's state table inside the item's one path
(roles, audit events), the arrival deadline by the site's province, the signed report's deadline from
the return, and both clocks reminded and escalated by the tick like every milestone."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from domain.lifecycle.apply import ActionRefused, load_view, perform
from domain.sla.tick import tick
from models import Deadline, Event, FieldVisit
from models.db import Database
from tests.lifecycle_helpers import GROUPS, PROD, QE, QM, SALES, file_item, who

both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
# Monday 23 November 2026, 09:00 in Shanghai: a working day with working days after it
MONDAY = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)
ENGINEER = "U0QZHOU"


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour - 8, minute, tzinfo=timezone.utc)


def _request(s, policy, item_id, at, province=None, actor=SALES):
    fields = {"engineers": [ENGINEER], "site": "Geely Ningbo plant 2, line 4"}
    if province is not None:
        fields["province"] = province
    perform(s, item_id, "request_visit", who(policy, actor), policy, at, fields)
    return s.exec(select(FieldVisit).where(FieldVisit.item_id == item_id).order_by(FieldVisit.id.desc())).first()


def _clock(s, item_id, kind, visit_id):
    return s.exec(select(Deadline).where(Deadline.item_id == item_id, Deadline.milestone == f"{kind}:{visit_id}")).one()


@both
def test_a_visit_from_request_to_signed_report_with_its_audit_trail(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, MONDAY, severity="A")
        visit = _request(s, policy, item_id, MONDAY + timedelta(minutes=10))
        assert visit.state == "requested" and visit.province == "浙江" and visit.in_home_province  # Geely's site, policy
        engineer = who(policy, ENGINEER)
        perform(s, item_id, "record_visit_arrival", engineer, policy, shanghai(23, 15),
                {"visit_id": visit.id, "arrived_at": shanghai(23, 14).isoformat()})
        with pytest.raises(ActionRefused) as refused:  # the state table: a visit on site cannot be signed off yet
            perform(s, item_id, "record_visit_signoff", engineer, policy, shanghai(23, 16),
                    {"visit_id": visit.id, "signed_by": "Mr. Xu, SQE", "signed_on": "2026-11-23"})
        assert refused.value.code == "refusal.visit_state"
        assert "在现场" in refused.value.message("zh") and "on site" in refused.value.message("en")
        perform(s, item_id, "record_visit_return", engineer, policy, shanghai(24, 18),
                {"visit_id": visit.id, "returned_at": shanghai(24, 17).isoformat(), "findings": "die worn; sorted 1,200 pcs"})
        perform(s, item_id, "record_visit_signoff", who(policy, SALES), policy, shanghai(26, 10),
                {"visit_id": visit.id, "signed_by": "Mr. Xu, SQE", "signed_on": "2026-11-25"})
        s.commit()
    with db.session() as s:
        visit = s.get(FieldVisit, visit.id)
        assert visit.state == "report_signed" and visit.signed_by == "Mr. Xu, SQE"
        arrival, report = _clock(s, item_id, "visit_arrival", visit.id), _clock(s, item_id, "visit_report", visit.id)
        assert arrival.state == report.state == "met"
        assert arrival.met_at.replace(tzinfo=timezone.utc) == shanghai(23, 14)  # met when they arrived, not when typed
        events = s.exec(select(Event).where(Event.item_id == item_id, Event.action.like("lifecycle.%visit%"))
                        .order_by(Event.id)).all()
        assert [(e.actor, e.action) for e in events] == [
            (SALES, "lifecycle.request_visit"), (ENGINEER, "lifecycle.record_visit_arrival"),
            (ENGINEER, "lifecycle.record_visit_return"), (SALES, "lifecycle.record_visit_signoff")]
        assert events[1].detail["changes"][f"visit:{visit.id}.state"] == {"before": "requested", "after": "on_site"}
        assert events[-1].detail["deadlines_met"] == [f"visit_report:{visit.id}"]
    db.dispose()


def test_roles_refused_a_visit(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, MONDAY, severity="A")
        with pytest.raises(ActionRefused) as refused:  # production is not on this quality complaint
            _request(s, policy, item_id, MONDAY, actor=PROD)
        assert refused.value.code == "refusal.wrong_role"
        visit = _request(s, policy, item_id, MONDAY)
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "record_visit_arrival", who(policy, PROD), policy, MONDAY + timedelta(hours=2),
                    {"visit_id": visit.id, "arrived_at": (MONDAY + timedelta(hours=1)).isoformat()})
        assert refused.value.code == "refusal.wrong_role"
        with pytest.raises(ActionRefused) as refused:  # arriving before it was asked for
            perform(s, item_id, "record_visit_arrival", who(policy, QE), policy, MONDAY + timedelta(hours=2),
                    {"visit_id": visit.id, "arrived_at": (MONDAY - timedelta(minutes=1)).isoformat()})
        assert refused.value.code in ("refusal.visit_out_of_order", "refusal.date_out_of_range")
        assert load_view(s, item_id).visit(visit.id).state == "requested"
        assert not s.exec(select(Event).where(Event.item_id == item_id, Event.actor == PROD)).all()
        # named as the visit's engineer, production's man records his own arrival, and no other step of the item
        other = perform(s, item_id, "request_visit", who(policy, SALES), policy, MONDAY + timedelta(hours=2),
                        {"engineers": [PROD], "site": "Geely Ningbo plant 1"}).item.visits[-1]
        perform(s, item_id, "record_visit_arrival", who(policy, PROD), policy, MONDAY + timedelta(hours=4),
                {"visit_id": other.id, "arrived_at": (MONDAY + timedelta(hours=3)).isoformat()})
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "take_ownership", who(policy, PROD), policy, MONDAY + timedelta(hours=4))
        assert refused.value.code == "refusal.wrong_role"
    db.dispose()


def test_arrival_deadline_in_the_home_province_and_elsewhere(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, MONDAY, severity="A")
        home = _request(s, policy, item_id, MONDAY, province="浙江省")
        away = _request(s, policy, item_id, MONDAY, province="Guangdong")
        # 1 working day in the province, 3 elsewhere (seed 004), counted on the working calendar
        assert _clock(s, item_id, "visit_arrival", home.id).due_at.replace(tzinfo=timezone.utc) == shanghai(24, 9)
        assert _clock(s, item_id, "visit_arrival", away.id).due_at.replace(tzinfo=timezone.utc) == shanghai(26, 9)
        assert not away.in_home_province
        # a change of level recomputes the item's milestones but leaves the visits' clocks alone
        perform(s, item_id, "change_severity", who(policy, QM), policy, MONDAY + timedelta(hours=1),
                {"severity": "B", "reason": "one lot only"})
        assert _clock(s, item_id, "visit_arrival", away.id).state == "open"
    db.dispose()


def test_the_report_deadline_reminds_then_escalates(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, MONDAY, severity="A")
        visit = _request(s, policy, item_id, MONDAY)
        perform(s, item_id, "record_visit_arrival", who(policy, ENGINEER), policy, shanghai(23, 15),
                {"visit_id": visit.id, "arrived_at": shanghai(23, 14).isoformat()})
        perform(s, item_id, "record_visit_return", who(policy, ENGINEER), policy, shanghai(23, 18),
                {"visit_id": visit.id, "returned_at": shanghai(23, 17).isoformat(), "findings": "sorted on site"})
        report = _clock(s, item_id, "visit_report", visit.id)
        assert report.due_at.replace(tzinfo=timezone.utc) == shanghai(28, 17)  # 5 days after the return (seed 003)
        s.commit()
    with db.session() as s:
        tick(s, policy, shanghai(27, 12), GROUPS)  # past 75 % of the 5 days: the reminder
        s.commit()
    with db.session() as s:
        tick(s, policy, shanghai(30, 10), GROUPS)  # overdue (the ladder acts in working time): escalated
        s.commit()
    with db.session() as s:
        from models import OutboundMessage

        keys = [m.key for m in s.exec(select(OutboundMessage).where(OutboundMessage.item_id == item_id)).all()]
        assert f"remind:{item_id}:visit_report:{visit.id}:0" in keys, keys
        assert any(k.startswith(f"remind:{item_id}:visit_report:{visit.id}:") and not k.endswith(":0") for k in keys), keys
        escalated = s.exec(select(Event).where(Event.item_id == item_id, Event.action == "sla.escalated")).all()
        assert f"visit_report:{visit.id}" in [e.detail["milestone"] for e in escalated]  # one audit event per level
    db.dispose()


def test_the_ledger_the_monthly_figures_and_the_audit_pack_show_the_visit(db_url, policy):
    import zipfile
    from datetime import date
    from io import BytesIO

    from documents.audit_pack import write_audit_pack
    from domain.reports.audit_pack import audit_pack
    from domain.reports.ledger import ledger
    from domain.reports.numbers import period_numbers
    from domain.reports.periods import parse

    db = Database(db_url)
    with db.session() as s:
        item_id = file_item(s, policy, MONDAY, severity="A")
        visit = _request(s, policy, item_id, MONDAY)
        engineer = who(policy, ENGINEER)
        perform(s, item_id, "record_visit_arrival", engineer, policy, shanghai(24, 15),
                {"visit_id": visit.id, "arrived_at": shanghai(24, 14).isoformat()})  # after 24 Nov 09:00: late
        perform(s, item_id, "record_visit_return", engineer, policy, shanghai(24, 18),
                {"visit_id": visit.id, "returned_at": shanghai(24, 17).isoformat(), "findings": "sorted on site"})
        perform(s, item_id, "record_visit_signoff", engineer, policy, shanghai(25, 10),
                {"visit_id": visit.id, "signed_by": "Mr. Xu", "signed_on": "2026-11-25"})
        s.commit()
        now = shanghai(30, 12)
        [row] = ledger(s, policy, date(2026, 11, 1), date(2026, 11, 30), now, {ENGINEER: "Zhou Min"}, lang="en")
        assert row["visits"] == ("1. Geely Ningbo plant 2, line 4 (浙江): Zhou Min; on site 2026-11-24 14:00; "
                                 "back 2026-11-24 17:00; report signed by Mr. Xu 2026-11-25; late: On site (field visit)")
        figures = period_numbers(s, policy, parse("month", "2026-11"), now)
        assert figures["visits"] == {"requested": 1, "arrived_on_time": 0, "arrivals_due": 1, "signed_on_time": 1, "reports_due": 1}
        assert figures["on_time"]["visit_arrival"] == 0 and figures["on_time"]["visit_report"] == 1
        pack = audit_pack(s, policy, date(2026, 11, 1), date(2026, 11, 30), now)
        out = BytesIO()
        written = write_audit_pack(out, pack, policy)
        assert "visits/VOC-1-visit-1.pdf" in written
        assert "visits/" in zipfile.ZipFile(out).read("index.md").decode()
    db.dispose()
