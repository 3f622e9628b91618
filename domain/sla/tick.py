"""The tick: every clock whose next action is due, acted on once, in one transaction.

`tick(session, policy, now)` claims the due open deadlines (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
so two schedulers share the work instead of doing it twice; SQLite has one writer at a time), asks
the ladder what each needs now, and writes what follows in the same transaction:

- a message in the item's thread, keyed `remind:<item>:<milestone>:<stage>` (stage 0 the reminder,
  k the k-th escalation): mentioning the owner, or the department while nobody owns it;
- for an escalation, a DM to the people its level names (department manager, quality manager,
  general manager), one per person per tick however many items it lists, keyed by its content; each
  entry says which roles reach the person (a department manager who is also the quality manager is
  told "as department manager" at the deadline and "as quality manager" four hours later, and both
  in one line when the two levels fall due in the same tick);
- an audit event per escalation level reached (levels that piled up out of hours are all reached);
- the deadline's new level and next action moment.

Outbox keys are unique (INSERT … ON CONFLICT DO NOTHING), so a tick that runs twice for the same
moment, or two that race, queue each message once. Sending is the outbox's business; at send time
a message whose deadline was met meanwhile, or whose item has ended, is dropped, not sent. No clock
runs on an item that has ended: one found due is cancelled without a word.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from domain import outbox
from domain.policy import Policy
from domain.roles import GroupMembers, members_of, quality_managers
from domain.sla.calendar import WorkingCalendar, calendar_for
from domain.lifecycle.view import as_utc
from domain.sla.clocks import CANCELLED, ENDED, OPEN, clock_of
from domain.sla.ladder import Plan, plan
from models import Deadline, Event, FeedbackItem, ItemAssignment

# More reminders than this for one person in one tick: one DM lists them, the threads do not ping.
GROUP_ABOVE = 3


@dataclass
class TickReport:
    looked: int = 0
    reminders: int = 0
    escalations: int = 0
    direct_messages: int = 0
    items: set[int] = field(default_factory=set)


def recipients(policy: Policy, item: FeedbackItem, notify: tuple[str, ...], groups: GroupMembers) -> dict[str, list[str]]:
    """The people an escalation level names for this item, each with the roles it reaches them as
    (the department's manager who is also the quality manager is one person with two roles)."""
    found: dict[str, list[str]] = {}
    for role in notify:
        if role == "department_manager":
            dept = policy.departments.get(item.department)
            extra = policy.roles.departments.get(item.department)
            people = ([dept.manager] if dept and dept.manager else []) + list(extra.managers if extra else ())
        elif role == "quality_manager":
            people = quality_managers(policy, groups)
        elif role == "general_manager":
            people = members_of(policy.roles.general_manager, groups)
        else:
            people = []
        for person in people:
            found.setdefault(person, [])
            if role not in found[person]:
                found[person].append(role)
    return found


def _due(session: Session, now: datetime, limit: int):
    q = (select(Deadline).where(Deadline.state == OPEN, Deadline.next_action_at <= now)
         .order_by(Deadline.next_action_at, Deadline.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    return session.exec(q).all()


def tick(session: Session, policy: Policy, now: datetime, groups: GroupMembers | None = None,
         calendar: WorkingCalendar | None = None, limit: int = 1000) -> TickReport:
    groups, calendar = groups or {}, calendar or calendar_for(policy)
    report = TickReport()
    rows = _due(session, now, limit)
    ids = {d.item_id for d in rows}
    items = {i.id: i for i in session.exec(select(FeedbackItem).where(FeedbackItem.id.in_(ids))).all()} if ids else {}
    owners = _owners(session, ids)
    reminders: dict[str, list[tuple[FeedbackItem, Deadline]]] = defaultdict(list)
    thread: list[tuple[FeedbackItem, Deadline, Plan, dict[str, list[str]]]] = []
    direct: dict[str, list[dict]] = defaultdict(list)
    for d in rows:
        report.looked += 1
        item = items[d.item_id]
        if item.status in ENDED:  # left running by an older release: stopped, nothing said
            _stop(session, d)
            continue
        step = plan(clock_of(d), item.severity, policy.escalation, calendar, now)
        if not _take(session, d, step):
            continue  # another tick got there first
        if step.act is None:
            continue
        report.items.add(item.id)
        owner = owners.get(item.id)
        reached = _reached(policy, item, step, groups)
        thread.append((item, d, step, reached))
        if step.act.is_reminder and owner:
            reminders[owner].append((item, d))
        if not step.act.is_reminder:
            report.escalations += len(step.levels)
            for person, roles in reached.items():
                direct[person].append({"item_id": item.id, "milestone": d.milestone, "stage": step.act.index,
                                       "deadline_id": d.id, "roles": roles})
            for stage in step.levels:  # one audit event per level: a level reached with another is on record
                session.add(Event(item_id=item.id, actor="system", action="sla.escalated", at=now,
                                  detail={"milestone": d.milestone, "level": stage.index, "due_at": as_utc(d.due_at).isoformat(),
                                          "notified": list(recipients(policy, item, stage.level.notify, groups))}))
        else:
            report.reminders += 1
    grouped = {person for person, due in reminders.items() if len(due) > GROUP_ABOVE}
    for item, d, step, reached in thread:
        owner = owners.get(item.id)
        mention = None if owner in grouped else (owner or f"department:{item.department}")
        outbox.enqueue(session, key=f"remind:{item.id}:{d.milestone}:{step.act.index}",
                       intent="reminder" if step.act.is_reminder else "escalation", item_id=item.id,
                       channel=item.channel_id, now=now, locale=policy.company.language, platform=item.platform,
                       priority=0 if item.severity == "AA" else 1,
                       data={"deadline_id": d.id, "milestone": d.milestone, "stage": step.act.index,
                             "due_at": as_utc(d.due_at).isoformat(), "mention": mention, "notified": list(reached),
                             "reached": reached, "levels": [stage.index for stage in step.levels]})
    for person in grouped:
        direct[person] += [{"item_id": i.id, "milestone": d.milestone, "stage": 0, "deadline_id": d.id}
                           for i, d in reminders[person]]
    for person, entries in direct.items():
        report.direct_messages += 1
        digest = hashlib.sha1(",".join(sorted(f"{e['deadline_id']}:{e['stage']}" for e in entries)).encode()).hexdigest()[:16]
        outbox.enqueue(session, key=f"sla-dm:{person}:{digest}", intent="sla_digest", channel=person, user=person,
                       now=now, locale=policy.company.language, priority=0, data={"entries": entries})
    session.flush()
    return report


def _reached(policy: Policy, item: FeedbackItem, step: Plan, groups: GroupMembers) -> dict[str, list[str]]:
    """Everyone the escalation levels reached now name, with every role each one is reached as, in
    the ladder's order: a person named by two levels hears of it once, told why."""
    found: dict[str, list[str]] = {}
    for stage in step.levels:
        for person, roles in recipients(policy, item, stage.level.notify, groups).items():
            found.setdefault(person, [])
            found[person] += [role for role in roles if role not in found[person]]
    return found


def _take(session: Session, d: Deadline, step: Plan) -> bool:
    """Move the clock on only if nobody moved it since it was read: a compare-and-set on its level and
    next moment. With SKIP LOCKED (PostgreSQL) the rows are ours already; on SQLite, where two ticks
    may read the same rows before either writes, the second one's update finds nothing and skips."""
    moved = session.execute(
        update(Deadline).where(Deadline.id == d.id, Deadline.level == d.level, Deadline.state == OPEN,
                               Deadline.next_action_at == d.next_action_at)
        .values(level=step.new_level, next_action_at=step.next_action_at)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        return False
    # what the row says now, without a second UPDATE from the session's flush
    set_committed_value(d, "level", step.new_level)
    set_committed_value(d, "next_action_at", step.next_action_at)
    return True


def _stop(session: Session, d: Deadline) -> None:
    """A clock on an item that has ended: cancelled, with the same compare-and-set as `_take`."""
    session.execute(update(Deadline).where(Deadline.id == d.id, Deadline.state == OPEN)
                    .values(state=CANCELLED, next_action_at=None).execution_options(synchronize_session=False))
    set_committed_value(d, "state", CANCELLED)
    set_committed_value(d, "next_action_at", None)


def _owners(session: Session, item_ids: set[int]) -> dict[int, str]:
    """Who owns each of these items now (absent while nobody took it), in one query."""
    if not item_ids:
        return {}
    return dict(session.exec(select(ItemAssignment.item_id, ItemAssignment.user_id).where(
        ItemAssignment.item_id.in_(item_ids), ItemAssignment.role == "owner", ItemAssignment.until.is_(None))).all())
