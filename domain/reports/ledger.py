"""The complaint ledger (顾客抱怨信息台帐): every filed item received in a date range, one row each,
with its milestones (due, met, late), root cause, actions, closure and repeat flag. Column headers
in the company's language, moments in its time zone. A few queries per table, never one per item."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from domain.lifecycle.view import as_utc
from domain.policy import Policy
from models import Customer, Deadline, FeedbackItem, ItemAction, ItemAssignment, ItemLink, RootCause, StatusChange

HEADERS = {
    "ref": {"en": "Ref", "zh": "编号"},
    "received": {"en": "Received", "zh": "接收时间"},
    "customer": {"en": "Customer", "zh": "客户"},
    "kind": {"en": "Kind", "zh": "类型"},
    "category": {"en": "Category", "zh": "类别"},
    "severity": {"en": "Severity", "zh": "等级"},
    "department": {"en": "Department", "zh": "责任部门"},
    "owner": {"en": "Owner", "zh": "负责人"},
    "status": {"en": "Status", "zh": "状态"},
    "due": {"en": "{milestone}: due", "zh": "{milestone}：期限"},
    "met": {"en": "{milestone}: met", "zh": "{milestone}：完成"},
    "late": {"en": "{milestone}: late", "zh": "{milestone}：逾期"},
    "root_cause": {"en": "Root cause", "zh": "根本原因"},
    "actions": {"en": "Actions", "zh": "纠正与预防措施"},
    "closed": {"en": "Closed", "zh": "关闭时间"},
    "repeat": {"en": "Repeat", "zh": "重复发生"},
}
YES = {"en": "yes", "zh": "是"}
CHUNK = 1000  # ids per IN (…) list


def columns(policy: Policy) -> list[tuple[str, str | None]]:
    """(field, milestone) in order: the fixed columns with three per milestone in the middle."""
    fixed = [(c, None) for c in ("ref", "received", "customer", "kind", "category", "severity", "department", "owner", "status")]
    per_milestone = [(c, m) for m in policy.milestones for c in ("due", "met", "late")]
    return fixed + per_milestone + [(c, None) for c in ("root_cause", "actions", "closed", "repeat")]


def header(policy: Policy, field: str, milestone: str | None, lang: str) -> str:
    text = HEADERS[field].get(lang) or HEADERS[field]["en"]
    return text.format(milestone=policy.milestones[milestone].get(lang)) if milestone else text


def key(field: str, milestone: str | None) -> str:
    return f"{field}:{milestone}" if milestone else field


def ledger(session: Session, policy: Policy, first: date, last: date, now: datetime) -> list[dict]:
    """One dict per item received from `first` to `last` (company dates, both included); a milestone
    is late when met after its due moment, or not met and due before `now`."""
    zone, lang = policy.tz, policy.company.language
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    items = session.exec(
        select(FeedbackItem, Customer.name).outerjoin(Customer, Customer.id == FeedbackItem.customer_id)
        .where(FeedbackItem.number.is_not(None), FeedbackItem.status != "withdrawn",
               FeedbackItem.received_at >= start, FeedbackItem.received_at < end)
        .order_by(FeedbackItem.number)).all()
    ids = [item.id for item, _ in items]
    deadlines, owners, causes, actions, closed, repeats = defaultdict(dict), {}, {}, defaultdict(list), {}, set()
    for chunk in (ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)):
        for d in session.exec(select(Deadline).where(Deadline.item_id.in_(chunk), Deadline.state != "cancelled")).all():
            deadlines[d.item_id][d.milestone] = d
        owners |= dict(session.exec(select(ItemAssignment.item_id, ItemAssignment.user_id).where(
            ItemAssignment.item_id.in_(chunk), ItemAssignment.role == "owner", ItemAssignment.until.is_(None))).all())
        for rc in session.exec(select(RootCause).where(RootCause.item_id.in_(chunk)).order_by(RootCause.id)).all():
            causes[rc.item_id] = rc  # the latest one
        for a in session.exec(select(ItemAction).where(ItemAction.item_id.in_(chunk)).order_by(ItemAction.id)).all():
            actions[a.item_id].append(a)
        closed |= dict(session.exec(select(StatusChange.item_id, func.max(StatusChange.at)).where(
            StatusChange.item_id.in_(chunk), StatusChange.to_status == "closed").group_by(StatusChange.item_id)).all())
        repeats |= set(session.exec(select(ItemLink.item_id).where(ItemLink.item_id.in_(chunk), ItemLink.kind == "repeat_of")).all())

    def when(moment: datetime | None) -> str:
        return as_utc(moment).astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    rows = []
    for item, customer in items:
        row = {"ref": f"VOC-{item.number}", "received": when(item.received_at), "customer": customer or item.customer_text or "",
               "kind": item.kind, "category": item.category, "severity": item.severity, "department": item.department,
               "owner": owners.get(item.id) or "", "status": item.status}
        for milestone in policy.milestones:
            d = deadlines[item.id].get(milestone)
            late = d is not None and as_utc(d.met_at or now) > as_utc(d.due_at)
            row[key("due", milestone)] = when(d.due_at) if d else ""
            row[key("met", milestone)] = when(d.met_at) if d else ""
            row[key("late", milestone)] = YES.get(lang, "yes") if late else ""
        rc = causes.get(item.id)
        row["root_cause"] = f"{rc.category}: {rc.occurrence}" if rc else ""
        row["actions"] = "; ".join(f"{a.type}: {a.what}" for a in actions[item.id])
        row["closed"] = when(closed.get(item.id))
        row["repeat"] = YES.get(lang, "yes") if item.id in repeats else ""
        rows.append(row)
    return rows

