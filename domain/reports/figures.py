"""What each figure a report shows counts, defined once: which kinds of item, in which states, placed
in a period by which moment. The period's numbers (numbers.py), the Paretos and the trend
(details.py), App Home (home.py) count with these clauses, and the message, the charts and
`voc report` show what they counted — never a figure of their own (the weekly digest once said
"Quality 8" beside a Pareto of 6: its text counted praise and inquiries). docs/reports.md lists each
definition; a test holds the two lists together."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_

from models import FeedbackItem

KINDS = ("complaint", "inquiry", "suggestion", "praise")
SEVERITIES = ("AA", "A", "B")


def filed(department: str | None = None):
    """Filed items (given a VOC number, not withdrawn), of one department when it is given. Drafts
    were never filed; a withdrawn item was filed in error and is counted only as `withdrawn`."""
    clause = and_(FeedbackItem.number.is_not(None), FeedbackItem.status != "withdrawn")
    return and_(clause, FeedbackItem.department == department) if department else clause


@dataclass(frozen=True)
class Received:
    """Filed items of `kinds` received in a period (by `received_at`, from its start to its cut)."""
    key: str
    kinds: tuple[str, ...]
    what: str  # the definition as docs/reports.md gives it

    def where(self, start: datetime, cut: datetime, department: str | None = None):
        clause = and_(filed(department), FeedbackItem.received_at >= start, FeedbackItem.received_at < cut)
        return clause if self.kinds == KINDS else and_(clause, FeedbackItem.kind.in_(self.kinds))


# Every kind: the voice of the customer (praise and inquiries too), by kind. The digest's "New", App
# Home's weekly bars.
NEW = Received("new", KINDS, "filed items of every kind received in the period, by kind")
# Complaints only: what the procedure handles as a nonconformity. Every breakdown by category,
# severity, department, customer and root cause, in text and charts alike, and the trend.
COMPLAINTS = Received("complaints", ("complaint",),
                      "filed complaints received in the period, by category, severity, department, customer and root cause")

FIGURES = (NEW, COMPLAINTS)
