"""What an approver is asked to approve, read from the record: the root cause (4M1E, occurrence,
escape), the containment, every action (what, owner, due, done, where its approval stands), the
evidence of verification, and the gaps the closure gate still sees. The approval request DM
(bot/views/approval.py) draws it; loaded by the caller, so the view stays a pure function."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from domain.lifecycle.apply import load_view
from domain.lifecycle.approvals import APPROVED, ApprovalLine, approval_lines
from domain.lifecycle.gate import Missing, closure_missing
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from models import Containment, ItemAction, RootCause, Verification


@dataclass(frozen=True)
class ActionLine:
    id: int
    type: str  # corrective | preventive
    what: str
    owner: str  # Slack user id
    due: datetime
    done_at: datetime | None


@dataclass(frozen=True)
class ApprovalBrief:
    root_cause: RootCause | None
    containment: Containment | None
    actions: tuple[ActionLine, ...]
    verifications: tuple[tuple[str, tuple[str, ...]], ...]  # (evidence, clean lots)
    gaps: tuple[Missing, ...]  # what the closure gate still misses
    approvals: tuple[ApprovalLine, ...]  # where each approval stands

    def approved(self, subject: str) -> bool:
        return any(line.subject == subject and line.standing.state == APPROVED for line in self.approvals)


def approval_brief(s: Session, item_id: int, policy: Policy) -> ApprovalBrief:
    rows = lambda table: s.exec(select(table).where(table.item_id == item_id).order_by(table.id)).all()  # noqa: E731
    view = load_view(s, item_id)
    return ApprovalBrief(
        root_cause=(rows(RootCause) or [None])[-1],
        containment=(rows(Containment) or [None])[-1],
        actions=tuple(ActionLine(a.id, a.type, a.what, a.owner, as_utc(a.due), as_utc(a.done_at)) for a in rows(ItemAction)),
        verifications=tuple((v.evidence, tuple(v.clean_lots)) for v in rows(Verification)),
        gaps=tuple(closure_missing(view, policy)),
        approvals=tuple(approval_lines(view, policy)),
    )
