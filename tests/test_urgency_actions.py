"""The department sets the customer's urgency and 8D request through the one rule table
(`set_urgency`, `set_wants_8d`) and `perform`: audit event, level re-derived, deadlines following.
`change_severity` grades the problem; the level stays lifted by the urgency. PostgreSQL and SQLite."""
from __future__ import annotations

import pytest
from sqlmodel import select

from domain.deadlines import due_at, milestones_for
from domain.lifecycle.apply import ActionRefused, perform
from domain.lifecycle.permissions import check
from domain.lifecycle.apply import load_view
from domain.sla.calendar import calendar_for
from models import Deadline, Event, FeedbackItem
from models.db import Database
from tests.conftest import START
from tests.lifecycle_helpers import PROD, QE, QM, SALES, file_item, later, who

both = pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)


def _b_complaint(s, policy):
    item_id = file_item(s, policy, START, severity="B")
    item = s.get(FeedbackItem, item_id)
    item.problem_severity, item.line_stopped = "B", False
    s.add(item)
    s.flush()
    return item_id


def _open_due(s, item_id):
    return {d.milestone: d.due_at.replace(tzinfo=None) for d in s.exec(select(Deadline).where(Deadline.item_id == item_id))
            if d.state == "open"}


def _expected(policy, level):
    cal = calendar_for(policy)
    return {m.milestone: due_at(policy, m, START, cal).replace(tzinfo=None) for m in milestones_for(policy, "complaint", level)}


@both
def test_the_department_sets_very_urgent_and_the_level_and_deadlines_follow(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = _b_complaint(s, policy)
        out = perform(s, item_id, "set_urgency", who(policy, QE), policy, later(START, 1),
                      {"urgency": "very_urgent", "reason": "SQE called: their line stops tomorrow"}, origin="action:T1")
        assert out.changes["severity"] == {"before": "B", "after": "AA"}
        item = s.get(FeedbackItem, item_id)
        assert (item.problem_severity, item.urgency, item.urgency_source, item.severity) == ("B", "very_urgent", "department", "AA")
        assert _open_due(s, item_id) == _expected(policy, "AA")
        event = s.exec(select(Event).where(Event.item_id == item_id, Event.action == "lifecycle.set_urgency")).one()
        assert event.detail["changes"]["urgency"] == {"before": "normal", "after": "very_urgent"}
        assert event.detail["fields"]["reason"] == "SQE called: their line stops tomorrow"


@both
def test_lowering_the_level_through_urgency_needs_a_manager(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = _b_complaint(s, policy)
        perform(s, item_id, "set_urgency", who(policy, QE), policy, later(START, 1), {"urgency": "urgent", "reason": "asked"})
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "set_urgency", who(policy, QE), policy, later(START, 2), {"urgency": "normal", "reason": "calmer"})
        assert refused.value.code == "refusal.lowers_level"
        with pytest.raises(ActionRefused) as refused:  # not the department: no say at all
            perform(s, item_id, "set_urgency", who(policy, SALES), policy, later(START, 2), {"urgency": "very_urgent", "reason": "x"})
        assert refused.value.code == "refusal.wrong_role"
        perform(s, item_id, "set_urgency", who(policy, QM), policy, later(START, 3), {"urgency": "normal", "reason": "calmer"})
        assert s.get(FeedbackItem, item_id).severity == "B"
        assert _open_due(s, item_id) == _expected(policy, "B")


@both
def test_urgency_values_are_checked(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = _b_complaint(s, policy)
        decision = check(load_view(s, item_id), who(policy, QE), policy, "set_urgency", {"urgency": "panic", "reason": "x"})
        assert decision.refusal.code == "refusal.invalid_field"


@both
def test_change_severity_grades_the_problem_and_the_urgency_still_lifts(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = _b_complaint(s, policy)
        perform(s, item_id, "set_urgency", who(policy, QE), policy, later(START, 1), {"urgency": "urgent", "reason": "asked"})
        perform(s, item_id, "change_severity", who(policy, QM), policy, later(START, 2), {"severity": "AA", "reason": "whole lot"})
        item = s.get(FeedbackItem, item_id)
        assert (item.problem_severity, item.severity) == ("AA", "AA")
        perform(s, item_id, "change_severity", who(policy, QM), policy, later(START, 3), {"severity": "B", "reason": "only 2 pcs"})
        item = s.get(FeedbackItem, item_id)
        assert (item.problem_severity, item.severity) == ("B", "A")  # the customer's urgency keeps it at A
        assert _open_due(s, item_id) == _expected(policy, "A")


@both
def test_the_department_records_whether_the_customer_wants_an_8d(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = _b_complaint(s, policy)
        out = perform(s, item_id, "set_wants_8d", who(policy, QE), policy, later(START, 1),
                      {"wants_8d": "yes", "reason": "SQE mail of 20 Nov"})
        assert out.changes["wants_8d"] == {"before": None, "after": True}
        item = s.get(FeedbackItem, item_id)
        assert (item.wants_8d, item.wants_8d_source) == (True, "department")
        with pytest.raises(ActionRefused) as refused:  # dropping it drops a deadline and an approval: a manager's
            perform(s, item_id, "set_wants_8d", who(policy, QE), policy, later(START, 2), {"wants_8d": False, "reason": "x"})
        assert refused.value.code == "refusal.drops_8d"
        perform(s, item_id, "set_wants_8d", who(policy, QM), policy, later(START, 2), {"wants_8d": False, "reason": "withdrawn"})
        assert s.get(FeedbackItem, item_id).wants_8d is False
        with pytest.raises(ActionRefused) as refused:
            perform(s, item_id, "set_wants_8d", who(policy, PROD), policy, later(START, 3), {"wants_8d": "yes", "reason": "x"})
        assert refused.value.code == "refusal.wrong_role"


@both
def test_the_8d_clock_runs_only_while_the_customer_wants_an_8d(db_url, policy):
    db = Database(db_url)
    with db.session() as s:
        item_id = _b_complaint(s, policy)
        assert "report_8d" not in _open_due(s, item_id)  # not known: no 8D promised
        perform(s, item_id, "set_wants_8d", who(policy, QE), policy, later(START, 1), {"wants_8d": "yes", "reason": "SQE mail"})
        assert "report_8d" in _open_due(s, item_id)
        perform(s, item_id, "set_wants_8d", who(policy, QM), policy, later(START, 2), {"wants_8d": "no", "reason": "call"})
        assert "report_8d" not in _open_due(s, item_id)
