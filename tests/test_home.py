"""App Home's lists, most urgent first (domain/reports/home.py): what is overdue, then AA, A, B, then
the next deadline — an overdue AA filed first is on the first line, never under "2 more" behind newer
B items; and excerpts cut at a word boundary (a character for Chinese), with an ellipsis."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.views.home import home_view
from domain.reports.home import HOME_ROWS, home
from domain.roles import roles_of
from domain.text import excerpt, summarize
from domain.visibility import sight_of
from models import Deadline, FeedbackItem
from models.db import Database
from tests.lifecycle_helpers import GROUPS

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SH)
QE = "U0QZHOU"
MR_LI = ("Mr. Li of Geely called about cracked connectors found at incoming inspection of lot L-7, "
         "three hundred pieces held")


def queue(db_url):
    """VOC-1: AA, its first contact overdue since yesterday; VOC-2: A, due in two hours; VOC-3: AA, due
    tomorrow; VOC-4 … VOC-8: B, newer, due next week. Received in number order, one hour apart."""
    db = Database(db_url)
    with db.session() as s:
        def item(number, severity, due, text="x"):
            received = NOW - timedelta(days=3) + timedelta(hours=number)
            row = FeedbackItem(source_key=f"t:{uuid.uuid4().hex}", source="slash", status="received", kind="complaint",
                               category="quality", severity=severity, department="quality", text=text,
                               summary=summarize(text), reporter_id="U1", received_at=received, filed_at=received,
                               number=number, created_at=received, updated_at=received)
            s.add(row)
            s.flush()
            s.add(Deadline(item_id=row.id, milestone="first_contact", due_at=due, state="open"))

        item(1, "AA", NOW - timedelta(days=1), MR_LI)
        item(2, "A", NOW + timedelta(hours=2))
        item(3, "AA", NOW + timedelta(days=1))
        for number in range(4, 9):
            item(number, "B", NOW + timedelta(days=7))
    return db


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_the_queue_shows_the_overdue_aa_first_then_by_severity_and_deadline(db_url, policy):
    db = queue(db_url)
    with db.session() as s:
        shown = home(s, policy, sight_of(s, roles_of(policy, QE, GROUPS), GROUPS), NOW)
    db.dispose()
    assert [r.number for r in shown.queue.rows] == [1, 3, 2, 4, 5][:HOME_ROWS]
    assert (shown.queue.total, shown.overdue) == (8, 1)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_an_excerpt_on_app_home_ends_at_a_word(db_url, policy):
    db = queue(db_url)
    with db.session() as s:
        shown = home(s, policy, sight_of(s, roles_of(policy, QE, GROUPS), GROUPS), NOW)
    db.dispose()
    text = json.dumps(home_view(shown, policy, "en", NOW)["blocks"], ensure_ascii=False)
    assert "— Mr. Li of Geely called about cracked connectors found at incoming inspection of…" in text


def test_excerpts_cut_at_a_word_or_a_chinese_character():
    assert summarize("Mr. Li called. Please call back.") == "Mr. Li called."  # "Mr." ends no sentence
    assert excerpt("Connectors cracked at incoming inspection", 30) == "Connectors cracked at…"
    assert excerpt("客户投诉连接器在来料检验时开裂", 10) == "客户投诉连接器在来…"
    assert excerpt("short", 30) == "short"
    assert excerpt("x" * 50, 10) == "x" * 9 + "…"  # one word longer than the limit: cut inside it
