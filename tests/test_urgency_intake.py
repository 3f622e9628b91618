"""Filing records the problem's severity, the customer's urgency and the 8D request as facts, each
with its source, and the level that drives the deadlines is derived from both (seed 001 §4.2b).
The domain on its own, on PostgreSQL and SQLite."""
from __future__ import annotations

from sqlmodel import select

from domain.sla.calendar import calendar_for
from domain.deadlines import due_at, milestones_for
from models import Deadline
from tests.test_desk import desk, sub  # noqa: F401  (the desk fixture on both engines)


def _due(desk, item_id):  # noqa: F811
    with desk.db.session() as s:
        return {d.milestone: d.due_at.replace(tzinfo=None) for d in s.exec(select(Deadline).where(Deadline.item_id == item_id))}


def _expected(desk, level, received):  # noqa: F811
    cal = calendar_for(desk.policy)
    return {m.milestone: due_at(desk.policy, m, received, cal).replace(tzinfo=None)
            for m in milestones_for(desk.policy, "complaint", level)}


def test_a_stated_very_urgent_lifts_a_b_problem_to_aa_and_its_deadlines(desk, clock):  # noqa: F811
    out = desk.submit(sub(text="a few scratches on the cover", customer="BYD",
                          chosen={"kind": "complaint", "category": "quality", "severity": "B", "urgency": "very_urgent"}),
                      confirmed=True)
    item = desk.get(out.item_id)
    assert (item.problem_severity, item.urgency, item.urgency_source, item.severity) == ("B", "very_urgent", "reporter", "AA")
    assert _due(desk, item.id) == _expected(desk, "AA", clock.now())


def test_urgency_read_from_the_words_lifts_the_level_and_not_the_problem(desk):  # noqa: F811
    out = desk.submit(sub(text="几个支架有轻微擦痕，客户要求紧急处理", customer="BYD",
                          chosen={"kind": "complaint", "category": "quality", "severity": "B"}), confirmed=True)
    item = desk.get(out.item_id)
    assert (item.problem_severity, item.urgency, item.urgency_source, item.severity) == ("B", "urgent", "text", "A")


def test_nothing_said_is_normal_and_the_level_is_the_problems(desk):  # noqa: F811
    out = desk.submit(sub(text="a few scratches on the cover, please improve", customer="BYD",
                          chosen={"kind": "complaint", "category": "quality", "severity": "B"}), confirmed=True)
    item = desk.get(out.item_id)
    assert (item.problem_severity, item.urgency, item.urgency_source, item.severity) == ("B", "normal", None, "B")
    assert (item.wants_8d, item.wants_8d_source) == (None, None)


def test_urgency_words_do_not_raise_the_classifiers_problem_severity(desk):  # noqa: F811
    # LABELING.md: an urgent request with no A/AA condition is B; the urgency is its own fact.
    out = desk.submit(sub(text="Geely: please send the inspection report for DN 55123 urgently"))
    item = desk.get(out.item_id)
    assert item.problem_severity == "B" and item.urgency == "urgent"
    assert not [r for r in item.reasons if r.get("rule") == "urgent"]


def test_a_customer_that_requires_an_8d_wants_one_unless_the_text_says_otherwise(desk):  # noqa: F811
    form = {"kind": "complaint", "category": "quality", "severity": "A"}
    svw = desk.get(desk.submit(sub(key="a", text="burrs on 50 clips", customer="SVW", chosen=form), confirmed=True).item_id)
    assert (svw.wants_8d, svw.wants_8d_source) == (True, "customer")
    told = desk.get(desk.submit(sub(key="b", text="burrs on 50 clips, no 8D needed", customer="SVW", chosen=form),
                                confirmed=True).item_id)
    assert (told.wants_8d, told.wants_8d_source) == (False, "text")
    byd = desk.get(desk.submit(sub(key="c", text="burrs on 50 clips, 客户要求8D报告", customer="BYD", chosen=form),
                               confirmed=True).item_id)
    assert (byd.wants_8d, byd.wants_8d_source) == (True, "text")
    stated = desk.get(desk.submit(sub(key="d", text="burrs on 50 clips", customer="BYD", chosen=form | {"wants_8d": True}),
                                  confirmed=True).item_id)
    assert (stated.wants_8d, stated.wants_8d_source) == (True, "reporter")


def test_a_repeat_lifts_the_problem_and_the_level_follows(desk):  # noqa: F811
    form = {"kind": "complaint", "category": "quality", "severity": "B"}
    desk.submit(sub(key="a", text="light scratch on PN CN-4410, parts used anyway", customer="BYD", chosen=form), confirmed=True)
    graded = {"kind": "complaint", "category": "quality"}  # the severity left to the bot
    again = desk.get(desk.submit(sub(key="b", text="light scratch on PN CN-4410, parts used anyway", customer="BYD", chosen=graded),
                                 confirmed=True).item_id)
    assert (again.problem_severity, again.severity) == ("A", "A")
    chosen_b = desk.get(desk.submit(sub(key="c", text="light scratch on PN CN-4410, parts used anyway", customer="BYD", chosen=form),
                                    confirmed=True).item_id)
    assert (chosen_b.problem_severity, chosen_b.severity) == ("B", "B")  # a person's B is kept (issue 18), and said
    assert any(r["rule"] == "repeat_kept" for r in chosen_b.reasons)


def test_a_draft_confirmed_with_a_severity_sets_the_problem_and_keeps_the_urgency(desk):  # noqa: F811
    draft = desk.submit(sub(text="小划痕，客户说特急", customer=None))
    assert desk.get(draft.item_id).urgency == "very_urgent"
    desk.confirm_draft(draft.item_id, "U1", "confirm", {"customer": "BYD", "severity": "B", "kind": "complaint"})
    item = desk.get(draft.item_id)
    assert (item.problem_severity, item.urgency, item.severity) == ("B", "very_urgent", "AA")


def test_the_filing_event_records_the_facts_and_their_sources(desk):  # noqa: F811
    from models import Event

    out = desk.submit(sub(text="burrs on 50 clips, 客户要求特别紧急", customer="SVW",
                          chosen={"kind": "complaint", "category": "quality", "severity": "A"}), confirmed=True)
    with desk.db.session() as s:
        filed = s.exec(select(Event).where(Event.item_id == out.item_id, Event.action == "filed")).one()
    assert {k: filed.detail[k] for k in ("severity", "problem_severity", "urgency", "urgency_source", "wants_8d", "wants_8d_source")} \
        == {"severity": "AA", "problem_severity": "A", "urgency": "very_urgent", "urgency_source": "text",
            "wants_8d": True, "wants_8d_source": "customer"}
