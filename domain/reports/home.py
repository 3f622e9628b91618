"""A person's App Home: their own open items and their department's queue, most urgent first (overdue,
then AA, A, B, then the next deadline), how much of the queue is overdue,
and the department's new items per week for a small chart. Pure reads for one moment."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from domain.lists import Page, list_items
from domain.policy import Policy
from domain.reports.figures import NEW, filed
from domain.reports.numbers import OPEN, cut_of
from domain.reports.periods import of
from domain.visibility import Sight
from models import Deadline, FeedbackItem

HOME_ROWS = 5
WEEKS = 8


@dataclass(frozen=True)
class Home:
    mine: Page
    queue: Page
    overdue: int
    departments: tuple[str, ...]
    weeks: tuple[tuple[str, int], ...]  # (ISO week, new items) oldest first


def home(session: Session, policy: Policy, sight: Sight, now: datetime) -> Home:
    """What `sight`'s person sees on App Home (restricted customers' items only as domain/visibility.py allows)."""
    roles = sight.roles
    departments = tuple(sorted(roles.departments))
    # most urgent first: an overdue AA is on the first lines, never under "2 more"
    mine = list_items(session, "mine_open", roles, now, limit=HOME_ROWS, sight=sight, order="urgent")
    queue = list_items(session, "dept", roles, now, limit=HOME_ROWS, sight=sight, order="urgent")
    overdue = int(session.exec(select(func.count(func.distinct(Deadline.item_id))).join(
        FeedbackItem, FeedbackItem.id == Deadline.item_id).where(
        filed(), FeedbackItem.status.in_(OPEN), FeedbackItem.department.in_(departments), Deadline.state == "open",
        Deadline.met_at.is_(None), Deadline.due_at < now)).one()) if departments else 0
    week = of("week", now.astimezone(policy.tz).date())
    weeks = []
    for _ in range(WEEKS):
        start, end = week.bounds(policy.tz)
        where = [NEW.where(start, cut_of(end, now))]
        if departments:
            where.append(FeedbackItem.department.in_(departments))
        weeks.append((week.key, int(session.exec(select(func.count()).select_from(FeedbackItem).where(*where)).one())))
        week = of("week", week.first - timedelta(days=1))
    return Home(mine, queue, overdue, departments, tuple(reversed(weeks)))
