"""The improvement action as a tracked task (seed 000 §5.2.4: when an item or the composite is below
the threshold, sales proposes the direction of improvement and passes it to each department, which
answers with its countermeasure). The task belongs to sales — the customer's account owner, else
the manager of the policy's sales department —, is due `improvement.due_days` after it opened, keeps
each department's answer, and is open until its owner (or the sales manager, the quality manager, an
admin) closes it, which needs every department's answer. The owner is reminded on the due day and
every `remind_every_days` after while it is open (the scheduler's daily check)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from domain import outbox
from domain.policy import Policy
from domain.roles import Roles
from domain.satisfaction.errors import LocalizedRefusal, MayNotRecord, SatisfactionRefused
from models import Customer, SatisfactionAnswer, SatisfactionImprovement

OPEN, CLOSED = "open", "closed"
TASK_INTENT, REMINDER_INTENT = "satisfaction_task", "satisfaction_task_reminder"


@dataclass(frozen=True)
class Answer:
    department: str
    answer: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Task:
    id: int
    customer_id: int
    year: int
    moment: str
    state: str
    owner: str | None
    due_on: date
    below: tuple[str, ...]
    departments: tuple[str, ...]
    answers: tuple[Answer, ...]  # the latest answer of each department that answered, in `departments` order
    closed_by: str | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        answered = {a.department for a in self.answers}
        return tuple(d for d in self.departments if d not in answered)


def task_owner(policy: Policy, customer: Customer) -> str | None:
    """The customer's account owner, else the sales department's manager (seed 000: 销售部)."""
    sales = policy.departments.get(policy.satisfaction.improvement.sales_department)
    return customer.account_owner or (sales.manager if sales else None)


def answering_departments(policy: Policy) -> tuple[str, ...]:
    return tuple(policy.satisfaction.improvement.departments or policy.departments)


def open_task(session: Session, policy: Policy, data: dict, moment: str, now: datetime) -> int | None:
    """Open a task for what `data` (domain/satisfaction/improvement.py) says is below, unless one is
    open for the customer, year and moment; the owner is told by DM. The id of the new task, or None."""
    customer = session.get(Customer, data["customer_id"], with_for_update=_lock(session))
    if not data["below"] or customer is None:
        return None
    if session.exec(select(SatisfactionImprovement.id).where(
            SatisfactionImprovement.customer_id == customer.id, SatisfactionImprovement.year == data["year"],
            SatisfactionImprovement.moment == moment, SatisfactionImprovement.state == OPEN)).first() is not None:
        return None
    cfg = policy.satisfaction.improvement
    task = SatisfactionImprovement(
        customer_id=customer.id, year=data["year"], moment=moment, state=OPEN, owner=task_owner(policy, customer),
        departments=list(answering_departments(policy)), below=list(data["below"]),
        figures={k: data[k] for k in ("a", "b", "composite")} | {"rates": {i: v["rate"] for i, v in data["items"].items()}},
        opened_at=now, due_on=now.astimezone(policy.tz).date() + timedelta(days=cfg.due_days))
    session.add(task)
    session.flush()
    if task.owner:
        outbox.enqueue(session, key=f"satisfaction-task:{task.id}:opened", intent=TASK_INTENT, channel=task.owner,
                       user=task.owner, now=now, locale=policy.company.language, data=task_data(policy, data, task))
    return task.id


def task_data(policy: Policy, data: dict, task: SatisfactionImprovement) -> dict:
    """What the owner's messages say, drawn from the row alone (labels in both languages)."""
    return {"task_id": task.id, "customer": data["customer"], "customer_names": data.get("customer_names") or {},
            "year": task.year, "moment": task.moment, "due_on": task.due_on.isoformat(), "below": list(task.below),
            "items": data["items"], "composite": data["composite"], "threshold": data["threshold"],
            "departments": {d: policy.departments[d].name.model_dump() for d in task.departments if d in policy.departments}}


def tasks_of(session: Session, customer_id: int, year: int) -> tuple[Task, ...]:
    rows = session.exec(select(SatisfactionImprovement).where(
        SatisfactionImprovement.customer_id == customer_id, SatisfactionImprovement.year == year)
        .order_by(SatisfactionImprovement.id).execution_options(populate_existing=True)).all()
    return tuple(_view(session, row) for row in rows)


def _view(session: Session, row: SatisfactionImprovement) -> Task:
    latest: dict[str, Answer] = {}
    for a in session.exec(select(SatisfactionAnswer).where(SatisfactionAnswer.improvement_id == row.id)
                          .order_by(SatisfactionAnswer.id)).all():
        latest[a.department] = Answer(a.department, a.answer, a.by, a.at)
    order = {d: n for n, d in enumerate(row.departments)}
    answers = tuple(sorted(latest.values(), key=lambda a: order.get(a.department, len(order))))
    return Task(row.id, row.customer_id, row.year, row.moment, row.state, row.owner, row.due_on, tuple(row.below),
                tuple(row.departments), answers, row.closed_by)


def _task(session: Session, task_id: int) -> SatisfactionImprovement:
    row = session.get(SatisfactionImprovement, task_id, with_for_update=_lock(session))
    if row is None:
        raise SatisfactionRefused("satisfaction.error.no_task", task=str(task_id))
    return row


def answer_task(session: Session, policy: Policy, task_id: int, text: str, roles: Roles, source_key: str,
                now: datetime, department: str | None = None) -> Task:
    """A department's answer: the person answers for their department (the first of theirs the task
    asks, or the one named). Refused for someone in none of them, or on a closed task."""
    row = _task(session, task_id)
    if row.state != OPEN:
        raise SatisfactionRefused("satisfaction.error.task_closed", task=str(task_id))
    theirs = [d for d in row.departments if d in roles.departments]
    dept = department if department in theirs else (theirs[0] if theirs and department is None else None)
    if dept is None:
        raise MayNotRecord()
    text = (text or "").strip()
    if not text:
        raise SatisfactionRefused("satisfaction.error.empty_answer", task=str(task_id))
    if session.exec(select(SatisfactionAnswer.id).where(SatisfactionAnswer.source_key == source_key)).first() is None:
        session.add(SatisfactionAnswer(improvement_id=row.id, department=dept, answer=text[:4000], by=roles.user, at=now,
                                       source_key=source_key))
        session.flush()
    return _view(session, row)


def close_task(session: Session, policy: Policy, task_id: int, roles: Roles, now: datetime) -> Task:
    """Closed by its owner, the sales manager, the quality manager or an admin, once every department answered."""
    row = _task(session, task_id)
    sales = policy.satisfaction.improvement.sales_department
    if not (roles.user == row.owner or sales in roles.manages or roles.quality_manager or roles.admin):
        raise SatisfactionRefused("satisfaction.error.not_task_owner", task=str(task_id))
    view = _view(session, row)
    if row.state == CLOSED:
        return view
    if view.missing:
        raise LocalizedRefusal("satisfaction.error.answers_missing", {
            lang: {"departments": ", ".join(policy.departments[d].name.get(lang) if d in policy.departments else d
                                            for d in view.missing)} for lang in ("en", "zh")}, task=str(task_id))
    row.state, row.closed_at, row.closed_by = CLOSED, now, roles.user
    session.add(row)
    session.flush()
    return _view(session, row)


def remind_due(session: Session, policy: Policy, now: datetime) -> int:
    """Each open task due by today: its owner reminded on the due day, then every `remind_every_days`
    (the key counts the periods, so a second check the same day sends nothing). Returns how many queued."""
    today = now.astimezone(policy.tz).date()
    every = policy.satisfaction.improvement.remind_every_days
    sent = 0
    for row in session.exec(select(SatisfactionImprovement).where(SatisfactionImprovement.state == OPEN,
                                                                  SatisfactionImprovement.due_on <= today)).all():
        if not row.owner:
            continue
        customer = session.get(Customer, row.customer_id)
        view = _view(session, row)
        data = {"task_id": row.id, "customer": customer.name, "customer_names": dict(customer.names or {}),
                "year": row.year, "due_on": row.due_on.isoformat(), "days_over": (today - row.due_on).days,
                "missing": {d: policy.departments[d].name.model_dump() for d in view.missing if d in policy.departments}}
        period = (today - row.due_on).days // every
        if outbox.enqueue(session, key=f"satisfaction-task:{row.id}:reminder:{period}", intent=REMINDER_INTENT,
                          channel=row.owner, user=row.owner, now=now, locale=policy.company.language, data=data) is not None:
            sent += 1
    return sent


def _lock(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
