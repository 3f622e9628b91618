"""The feedback desk: one object the bot calls for everything it does to an item, composed of the
capabilities that do it — intake (domain/intake.py) with its DM conversation
(domain/conversation_work.py), corrections (domain/corrections.py), the work in the thread
(domain/lifecycle/work.py), the SLA clocks (domain/sla/work.py) and the reports (domain/reports/work.py)
on the shared unit of work (domain/unit_of_work.py)."""
from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from domain.cards import ItemCard, load_card
from domain.corrections import Corrections
from domain.errors import ItemNotFound, NotVisible
from domain.lifecycle.visit_report import VisitReport, visits_of_items
from domain.lifecycle.apply import load_view
from domain.conversation_work import Conversations
from domain.lifecycle.eightd import EightD, assemble_8d
from domain.lifecycle.work import ThreadWork
from domain.lifecycle.standalone_work import StandaloneReturns
from domain.sla.work import ClockWork
from domain.reports.work import ReportWork
from domain.satisfaction.work import SatisfactionWork
from domain.customer_work import CustomerWork
from domain.lists import PAGE_SIZE, Page, list_items
from models import Event, FeedbackItem


class Desk(Conversations, Corrections, ThreadWork, StandaloneReturns, ClockWork, ReportWork, SatisfactionWork, CustomerWork):
    def get(self, item_id: int) -> FeedbackItem:
        with self.db.session() as s:
            return self._item(s, item_id, lock=False)

    def item_by_number(self, number: int) -> int | None:
        """The item filed as VOC-`number` (drafts have no number yet)."""
        with self.db.session() as s:
            return s.exec(select(FeedbackItem.id).where(FeedbackItem.number == number)).first()

    def history_page(self, item_id: int, offset: int, limit: int) -> tuple[list[Event], int]:
        """A page of the item's audit trail, newest first, and how many events it has in all: an item
        worked for a year has thousands, and the reader wants the latest."""
        with self.db.session() as s:
            total = s.exec(select(func.count()).select_from(Event).where(Event.item_id == item_id)).one()
            page = s.exec(select(Event).where(Event.item_id == item_id).order_by(Event.at.desc(), Event.id.desc())
                          .offset(max(0, offset)).limit(limit)).all()
            return list(page), total

    def card(self, item_id: int) -> ItemCard:
        """The item with its customer and deadlines, for drawing it (no lock)."""
        with self.db.session() as s:
            found = load_card(s, item_id)
        if found is None:
            raise ItemNotFound(item=item_id)
        return found

    def visits(self, item_id: int) -> list[VisitReport]:
        """The item's field-service visits, as their reports (anyone who may see the item may read them)."""
        with self.db.session() as s:
            return visits_of_items(s, [item_id]).get(item_id, [])

    def eight_d(self, item_id: int) -> EightD:
        """The 8D report as recorded so far (anyone may read it)."""
        with self.db.session() as s:
            return assemble_8d(s, item_id)

    def list(self, scope: str, user: str, customer: str | None = None, offset: int = 0, limit: int = PAGE_SIZE) -> Page:
        """A page of `/complaints`: mine, dept, open, overdue or customer (see domain/lists.py)."""
        with self.db.session() as s:
            sight = self.sight(s, user)
            return list_items(s, scope, sight.roles, self.clock.now(), customer, offset, limit, sight=sight)

    def require_visible(self, item_id: int, user: str) -> None:
        """Raise NotVisible when the item's customer is restricted and this person may not see it
        (domain/visibility.py): `/complaint` and its history and 8D ask before showing anything."""
        with self.db.session() as s:
            view = load_view(s, item_id)
            item = s.get(FeedbackItem, item_id)
            sight = self.sight(s, user)
        if not sight.can_see(view.customer or item.customer_text, view.departments, view.reporter, item.customer_id):
            raise NotVisible(item=item.number)
