"""Roles nobody can go around (issue 16), in the domain on PostgreSQL: the rule table decides every
path — a manager is the manager of the OWNING department (or QM, GM, admin); withdraw is the
reporter's within the undo window or a manager's; a filed item's severity and department change
only through change_severity / reassign with a reason; closed and withdrawn items take no
corrections; membership that cannot be known refuses instead of guessing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from domain.clock import VirtualClock
from domain.desk import Desk
from domain.errors import ClassificationAfterWork, ItemFinished, MembershipUnknown, NotAllowed
from domain.lifecycle.apply import ActionRefused, perform
from domain.lifecycle.permissions import decide
from domain.lifecycle.apply import load_view
from domain.roles import roles_of
from models import Deadline, Event, FeedbackItem
from models.db import Database
from tests.conftest import START
from tests.lifecycle_helpers import GROUPS, PROD, QE, QM, SALES, file_item, later, who

COLLEAGUE = "U0SALESEMMA"  # sales, not the reporter
ENG_MANAGER = "U0ENGCHEN"  # manager of engineering, not of quality


def desk(db, policy, now, groups=GROUPS):
    return Desk(db, policy, VirtualClock(now), group_members=groups)


def test_a_manager_of_another_department_cannot_reassign_regrade_or_withdraw(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        item_id = file_item(s, policy, START)
        view = load_view(s, item_id)
    decided = decide(view, who(policy, ENG_MANAGER), policy, now=later(START, 1))
    assert {a: decided[a].refusal.code for a in ("reassign", "change_severity", "withdraw", "reopen")} == {
        "reassign": "refusal.wrong_role", "change_severity": "refusal.wrong_role",
        "withdraw": "refusal.wrong_role", "reopen": "refusal.not_in_state"}
    # ... nor through Change classification (it used to accept any department's manager)
    with pytest.raises(NotAllowed):
        desk(db, policy, later(START, 1)).reclassify(item_id, ENG_MANAGER, "view:V1",
                                                    {"severity": "B", "department": "engineering", "reason": "mine now"})
    with db.session() as s:
        assert (s.get(FeedbackItem, item_id).severity, s.get(FeedbackItem, item_id).department) == ("AA", "quality")
    # the owning department's manager (the QM here) may
    assert decide(view, who(policy, QM), policy)["reassign"].allowed


def test_only_the_reporter_within_the_undo_window_or_a_manager_withdraws(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        first, second = file_item(s, policy, START), file_item(s, policy, START)
    with db.session() as s, pytest.raises(ActionRefused) as refused:  # a colleague in sales
        perform(s, first, "withdraw", who(policy, COLLEAGUE), policy, later(START, 0.1), {"reason": "dup"})
    assert refused.value.code == "refusal.wrong_role"
    with db.session() as s, pytest.raises(ActionRefused) as refused:  # the reporter, 45 minutes on
        perform(s, first, "withdraw", who(policy, SALES), policy, START + timedelta(minutes=45), {"reason": "oops"})
    assert refused.value.code == "refusal.undo_window" and refused.value.params == {"minutes": 10}
    with pytest.raises(ActionRefused):  # the Undo button goes the same way
        desk(db, policy, START + timedelta(minutes=45)).withdraw(first, SALES, "action:T1")
    with db.session() as s:
        assert s.get(FeedbackItem, first).status == "received"
        perform(s, first, "withdraw", who(policy, QM), policy, START + timedelta(minutes=45), {"reason": "duplicate of VOC-2"})
    assert desk(db, policy, START + timedelta(minutes=5)).withdraw(second, SALES, "action:T2").status == "withdrawn"
    with db.session() as s:
        assert [s.get(FeedbackItem, i).status for i in (first, second)] == ["withdrawn", "withdrawn"]


def test_severity_on_a_filed_item_needs_a_manager_and_a_reason_and_leaves_a_note(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        item_id = file_item(s, policy, START)
    d = desk(db, policy, later(START, 1))
    with pytest.raises(ActionRefused) as refused:  # the reporter lowered AA to B before: no more
        d.reclassify(item_id, SALES, "view:V1", {"severity": "B"})
    assert refused.value.code == "refusal.wrong_role"
    with pytest.raises(ActionRefused) as refused:  # the QM, without a reason
        d.reclassify(item_id, QM, "view:V2", {"severity": "B"})
    assert refused.value.params == {"field": "reason"}
    out = d.reclassify(item_id, QM, "view:V3", {"severity": "B", "reason": "one box, no line stop after all"})
    assert out.changes == {"severity": ("AA", "B")}
    with db.session() as s:
        event = s.exec(select(Event).where(Event.item_id == item_id, Event.action == "lifecycle.change_severity")).one()
        assert event.detail["fields"]["reason"] == "one box, no line stop after all" and event.actor == QM
        assert event.detail["changes"]["severity"] == {"before": "AA", "after": "B"}
        from models import OutboundMessage
        notes = s.exec(select(OutboundMessage).where(OutboundMessage.item_id == item_id,
                                                     OutboundMessage.intent == "note")).all()
        assert [n.data["reason"] for n in notes] == ["one box, no line stop after all"]


def test_the_reporter_fixes_the_category_only_before_anyone_works_it(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        fresh, worked = file_item(s, policy, START, severity="B"), file_item(s, policy, START, severity="B")
        perform(s, worked, "take_ownership", who(policy, QE), policy, later(START, 1))
    d = desk(db, policy, later(START, 2))
    out = d.reclassify(fresh, SALES, "view:V1", {"category": "delivery", "department": "production"})
    assert out.changes == {"category": ("quality", "delivery"), "department": ("quality", "production")}
    with pytest.raises(ClassificationAfterWork):
        d.reclassify(worked, SALES, "view:V2", {"category": "delivery"})
    with pytest.raises(ActionRefused) as refused:  # a department of the reporter's own choosing is a reassign
        d.reclassify(fresh, SALES, "view:V3", {"department": "engineering"})
    assert refused.value.code == "refusal.wrong_role"


def test_closed_and_withdrawn_items_take_no_corrections(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        closed, withdrawn = file_item(s, policy, START), file_item(s, policy, START)
        s.get(FeedbackItem, closed).status = "closed"
        perform(s, withdrawn, "withdraw", who(policy, QM), policy, later(START, 1), {"reason": "duplicate"})
    d = desk(db, policy, later(START, 2))
    for item_id in (closed, withdrawn):
        with pytest.raises(ItemFinished):
            d.reclassify(item_id, QM, f"view:R{item_id}", {"severity": "B", "reason": "after the fact"})
        with pytest.raises(ItemFinished):
            d.correct_facts(item_id, QM, f"view:C{item_id}", {"text": "something else"})
    with db.session() as s:
        assert [s.get(FeedbackItem, i).severity for i in (closed, withdrawn)] == ["AA", "AA"]
        assert all(x.state != "open" for x in s.exec(select(Deadline).where(Deadline.item_id == withdrawn)).all())


class Unreachable(dict):
    """Slack's answer about a user group is not to be had (the bot's lookup raises)."""

    def get(self, group, default=()):
        raise MembershipUnknown()


def test_membership_that_cannot_be_known_refuses_rather_than_guesses(clean_pg, policy):
    db = Database(clean_pg)
    with db.session() as s:
        item_id = file_item(s, policy, START, department="production")
    member_only = "U0PRODMEMBER"  # production's user group is the only place this person is named
    roles = roles_of(policy, member_only, Unreachable())
    assert roles.unknown and not roles.departments
    with db.session() as s, pytest.raises(ActionRefused) as refused:
        perform(s, item_id, "take_ownership", roles, policy, later(START, 1))
    assert refused.value.code == "refusal.membership_unknown"
    # a person the policy names explicitly is known without Slack
    with db.session() as s:
        perform(s, item_id, "take_ownership", roles_of(policy, PROD, Unreachable()), policy, later(START, 1))


def test_the_policy_names_only_open_states_for_fixing_the_classification():
    from pydantic import ValidationError

    from domain.policy import Corrections

    assert Corrections().classification_fixable_while == ("received",)  # nobody works it yet
    with pytest.raises(ValidationError, match="closed"):
        Corrections(classification_fixable_while=("received", "closed"))
