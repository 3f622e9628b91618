"""The complaint ledger (顾客抱怨信息台帐, seed 000 TS §4.2.2.1, seed 002 §4.3.3.4): every item ever
filed and received in a date range, one row each — withdrawn ones too, marked, with when and why
(nothing filed vanishes from the register; the period's figures leave them out of `new` and count
them as `withdrawn`, domain/reports/numbers.py). A row carries what the procedure's form asks: the
problem as described, part, lot, quantity, the level with the problem's severity and the customer's
urgency, whether an 8D was asked for, the owner by name, root cause, actions, verification, the
customer's acceptance, the 8D sent and approved, each milestone's due and met moments, the closing,
and the goods returned and the claims with where each stands (domain/lifecycle/records.py).

Headers in both languages (the company's first); values — kind, category, status, department, root
cause, yes/no — in the reader's language (`lang`, the company's by default). Moments are datetimes
(dates for a day) in the company's time zone, without a zone (what a spreadsheet's date cell holds:
documents/table_export.py writes them as date cells). People are named from `names` (user id → full
name, which the caller gets from Slack, as the 8D does); without a name, the id. A handful of
queries per table for the whole range, never one per item."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from domain.deadlines import VISIT_MILESTONES, visit_milestone
from domain.i18n import t
from domain.lifecycle.view import as_utc
from domain.money import shown as money
from domain.policy import Policy
from models import (Customer, CustomerAcceptance, Deadline, Event, FeedbackItem, ItemAction, ItemAssignment, ItemLink,
                    FieldVisit, RootCause, StatusChange, Verification)
from models.approvals import Approval
from models.returns_claims import Claim, ReturnedGoods

HEADERS = {
    "ref": {"en": "Ref", "zh": "编号"},
    "received": {"en": "Received", "zh": "接收时间"},
    "customer": {"en": "Customer", "zh": "客户"},
    "description": {"en": "Problem description", "zh": "问题描述"},
    "part": {"en": "Part no.", "zh": "零件号"},
    "lot": {"en": "Lot", "zh": "批次"},
    "quantity": {"en": "Quantity", "zh": "数量"},
    "kind": {"en": "Kind", "zh": "类型"},
    "category": {"en": "Category", "zh": "类别"},
    "severity": {"en": "Level", "zh": "等级"},
    "problem_severity": {"en": "Problem severity", "zh": "问题严重度"},
    "urgency": {"en": "Customer urgency", "zh": "客户紧急程度"},
    "wants_8d": {"en": "8D requested", "zh": "要求8D"},
    "department": {"en": "Department", "zh": "责任部门"},
    "owner": {"en": "Owner", "zh": "负责人"},
    "status": {"en": "Status", "zh": "状态"},
    "withdrawn": {"en": "Withdrawn", "zh": "撤销时间"},
    "withdrawn_reason": {"en": "Withdrawal reason", "zh": "撤销原因"},
    "due": {"en": "{milestone}: due", "zh": "{milestone}：期限"},
    "met": {"en": "{milestone}: met", "zh": "{milestone}：完成"},
    "late": {"en": "{milestone}: late", "zh": "{milestone}：逾期"},
    "root_cause": {"en": "Root cause", "zh": "根本原因"},
    "actions": {"en": "Actions", "zh": "纠正与预防措施"},
    "verification": {"en": "Verification", "zh": "效果验证"},
    "acceptance": {"en": "Customer acceptance", "zh": "客户认可"},
    "eightd_sent": {"en": "8D sent", "zh": "8D提交时间"},
    "eightd_approved": {"en": "8D approved", "zh": "8D批准"},
    "closed": {"en": "Closed", "zh": "关闭时间"},
    "repeat": {"en": "Repeat", "zh": "重复发生"},
    "visits": {"en": "Field visits", "zh": "现场服务"},
    "returns": {"en": "Returned goods", "zh": "退货"},
    "claims": {"en": "Claims", "zh": "索赔"},
}
FIXED = ("ref", "received", "customer", "description", "part", "lot", "quantity", "kind", "category", "severity",
         "problem_severity", "urgency", "wants_8d", "department", "owner", "status", "withdrawn", "withdrawn_reason")
AFTER = ("root_cause", "actions", "verification", "acceptance", "eightd_sent", "eightd_approved", "closed", "repeat",
         "visits", "returns", "claims")
WORDS = {
    "yes": {"en": "yes", "zh": "是"}, "no": {"en": "no", "zh": "否"}, "unknown": {"en": "not known", "zh": "未知"},
    "normal": {"en": "normal", "zh": "一般"}, "urgent": {"en": "urgent", "zh": "紧急"},
    "very_urgent": {"en": "very urgent", "zh": "特别紧急"},
    "undone": {"en": "undone by the reporter", "zh": "报告人撤回"},
    "corrective": {"en": "corrective", "zh": "纠正"}, "preventive": {"en": "preventive", "zh": "预防"},
    "due": {"en": "due", "zh": "期限"}, "done": {"en": "done", "zh": "完成"}, "verified": {"en": "verified", "zh": "已验证"},
    "clean_lots": {"en": "clean lots", "zh": "合格批次"}, "by": {"en": "by", "zh": "批准人"},
    "arrived": {"en": "on site", "zh": "到达"}, "returned": {"en": "back", "zh": "返回"},
    "signed": {"en": "report signed by", "zh": "报告签署人"}, "late": {"en": "late", "zh": "逾期"},
    "pcs": {"en": "pcs", "zh": "件"}, "received_on": {"en": "received", "zh": "收到"}, "accepted": {"en": "accepted", "zh": "接受"},
    "paid_on": {"en": "paid", "zh": "支付"},
}
CHUNK = 1000  # ids per IN (…) list


def word(key: str, lang: str) -> str:
    return WORDS[key].get(lang) or WORDS[key]["en"]


def columns(policy: Policy) -> list[tuple[str, str | None]]:
    """(field, milestone) in order: the fixed columns, three per milestone, then how it was solved."""
    per_milestone = [(c, m) for m in policy.milestones for c in ("due", "met", "late")]
    return [(c, None) for c in FIXED] + per_milestone + [(c, None) for c in AFTER]


def header(policy: Policy, field: str, milestone: str | None, lang: str) -> str:
    """One language's header."""
    text = HEADERS[field].get(lang) or HEADERS[field]["en"]
    return text.format(milestone=policy.milestones[milestone].get(lang)) if milestone else text


def bilingual_header(policy: Policy, field: str, milestone: str | None) -> str:
    """The header an auditor of either language reads: the company's language first, then the other."""
    first = policy.company.language
    other = "zh" if first == "en" else "en"
    return f"{header(policy, field, milestone, first)} / {header(policy, field, milestone, other)}"


def key(field: str, milestone: str | None) -> str:
    return f"{field}:{milestone}" if milestone else field


def filed_in(policy: Policy, first: date, last: date, customer_ids: Collection[int] | None = None):
    """The items the ledger lists: every filed item (a VOC number, withdrawn ones too) received from
    `first` to `last` (company dates, both included), of the given customers when they are given."""
    zone = policy.tz
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    clauses = [FeedbackItem.number.is_not(None), FeedbackItem.received_at >= start, FeedbackItem.received_at < end]
    if customer_ids is not None:
        clauses.append(FeedbackItem.customer_id.in_(list(customer_ids) or [-1]))
    return clauses


def ledger(session: Session, policy: Policy, first: date, last: date, now: datetime,
           names: Mapping[str, str] | None = None, customer_ids: Collection[int] | None = None,
           lang: str | None = None) -> list[dict]:
    """One dict per item (see `filed_in`), its labels in `lang` (the company's language by default); a
    milestone is late when met after its due moment, or not met and due before `now`."""
    zone, names = policy.tz, {} if names is None else names
    lang = lang or policy.company.language
    items = session.exec(
        select(FeedbackItem, Customer.name).outerjoin(Customer, Customer.id == FeedbackItem.customer_id)
        .where(*filed_in(policy, first, last, customer_ids)).order_by(FeedbackItem.number)).all()
    ids = [item.id for item, _ in items]
    deadlines, owners, causes, actions = defaultdict(dict), {}, {}, defaultdict(list)
    verifications, acceptances, closed, repeats = defaultdict(list), {}, {}, set()
    withdrawals, undone, sent, approved, visits = {}, set(), {}, {}, defaultdict(list)
    returned, claimed = defaultdict(list), defaultdict(list)
    for chunk in (ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)):
        for d in session.exec(select(Deadline).where(Deadline.item_id.in_(chunk), Deadline.state != "cancelled")).all():
            deadlines[d.item_id][d.milestone] = d
        owners |= dict(session.exec(select(ItemAssignment.item_id, ItemAssignment.user_id).where(
            ItemAssignment.item_id.in_(chunk), ItemAssignment.role == "owner", ItemAssignment.until.is_(None))).all())
        for rc in session.exec(select(RootCause).where(RootCause.item_id.in_(chunk)).order_by(RootCause.id)).all():
            causes[rc.item_id] = rc  # the latest one
        for a in session.exec(select(ItemAction).where(ItemAction.item_id.in_(chunk)).order_by(ItemAction.id)).all():
            actions[a.item_id].append(a)
        for v in session.exec(select(Verification).where(Verification.item_id.in_(chunk)).order_by(Verification.id)).all():
            verifications[v.item_id].append(v)
        for c in session.exec(select(CustomerAcceptance).where(CustomerAcceptance.item_id.in_(chunk))
                              .order_by(CustomerAcceptance.id)).all():
            acceptances[c.item_id] = c  # the latest one
        closed |= dict(session.exec(select(StatusChange.item_id, func.max(StatusChange.at)).where(
            StatusChange.item_id.in_(chunk), StatusChange.to_status == "closed").group_by(StatusChange.item_id)).all())
        for sc in session.exec(select(StatusChange).where(StatusChange.item_id.in_(chunk), StatusChange.to_status == "withdrawn")
                               .order_by(StatusChange.at, StatusChange.id)).all():
            withdrawals[sc.item_id] = sc.reason  # the rule table's withdraw asks why
        # the reporter's undo (domain/corrections.py) is an event without a status change
        undone |= set(session.exec(select(Event.item_id).where(Event.item_id.in_(chunk), Event.action == "withdrawn")).all())
        sent |= dict(session.exec(select(Event.item_id, func.max(Event.at)).where(
            Event.item_id.in_(chunk), Event.action == "lifecycle.send_8d").group_by(Event.item_id)).all())
        for ap in session.exec(select(Approval).where(Approval.item_id.in_(chunk), Approval.subject == "8d",
                                                      Approval.decision == "approved").order_by(Approval.at, Approval.id)).all():
            approved[ap.item_id] = ap  # the latest approval
        repeats |= set(session.exec(select(ItemLink.item_id).where(ItemLink.item_id.in_(chunk), ItemLink.kind == "repeat_of")).all())
        for v in session.exec(select(FieldVisit).where(FieldVisit.item_id.in_(chunk)).order_by(FieldVisit.id)).all():
            visits[v.item_id].append(v)
        for r in session.exec(select(ReturnedGoods).where(ReturnedGoods.item_id.in_(chunk)).order_by(ReturnedGoods.id)).all():
            returned[r.item_id].append(r)
        for c in session.exec(select(Claim).where(Claim.item_id.in_(chunk)).order_by(Claim.id)).all():
            claimed[c.item_id].append(c)

    def when(moment: datetime | None) -> datetime | None:
        """A moment as the company's wall clock shows it, to the minute (a spreadsheet cell has no zone)."""
        return as_utc(moment).astimezone(zone).replace(tzinfo=None, second=0, microsecond=0) if moment else None

    def day(moment: datetime | None) -> date | None:
        return as_utc(moment).astimezone(zone).date() if moment else None

    def label(kind: str, value: str | None) -> str:
        return t(f"{kind}.{value}", lang) if value else ""

    def department(key: str) -> str:
        return policy.departments[key].name.get(lang) if key in policy.departments else key

    def who(user: str | None) -> str:
        return (names.get(user) or user) if user else ""

    def action_line(a: ItemAction) -> str:
        parts = [f"{who(a.owner)}", f"{word('due', lang)} {day(a.due)}"]
        parts += [f"{word('done', lang)} {day(a.done_at)}"] if a.done_at else []
        parts += [f"{word('verified', lang)} {day(a.verified_at)}"] if a.verified_at else []
        documents = f" [{', '.join(a.documents)}]" if a.documents else ""
        return f"{word(a.type, lang)}: {a.what}{documents} ({', '.join(parts)})"

    def visit_line(n: int, v: FieldVisit) -> str:
        """"1. site (province), engineers: on site …, back …, report signed by … (late)": a visit and its two clocks."""
        clocks = deadlines[v.item_id]
        late = [kind for kind in VISIT_MILESTONES if (d := clocks.get(visit_milestone(kind, v.id)))
                and as_utc(d.met_at or now) > as_utc(d.due_at)]
        parts = [", ".join(who(u) for u in v.engineers)]
        parts += [f"{word('arrived', lang)} {when(v.arrived_at):%Y-%m-%d %H:%M}"] if v.arrived_at else []
        parts += [f"{word('returned', lang)} {when(v.returned_at):%Y-%m-%d %H:%M}"] if v.returned_at else []
        parts += [f"{word('signed', lang)} {v.signed_by} {v.signed_on}"] if v.signed_by else []
        parts += [f"{word('late', lang)}: {', '.join(t(f'milestone.{k}', lang) for k in late)}"] if late else []
        place = f"{v.site} ({v.province})" if v.province else v.site
        return f"{n}. {place}: {'; '.join(parts)}"
    def return_line(r: ReturnedGoods) -> str:
        """'RMA-1: 37 pcs, received 2026-11-23, inspected (Confirmed (our fault)), Scrap, Replacement goods'."""
        parts = [f"{r.quantity:,} {word('pcs', lang)}", f"{word('received_on', lang)} {r.received_on.isoformat()}",
                 label("return_state", r.state)]
        parts += [label(name, getattr(r, name)) for name in ("inspection", "disposition", "shipped") if getattr(r, name)]
        return f"RMA-{r.id}: " + ", ".join(parts)

    def claim_line(c: Claim) -> str:
        """'#1 Line-stop cost CNY 25,000.00, paid (accepted CNY 25,000.00, paid 2026-11-25)'."""
        parts = [label("claim_state", c.state)]
        parts += [f"{word('accepted', lang)} {money(c.accepted_amount, c.currency)}"] if c.accepted_amount is not None else []
        parts += [f"{word('paid_on', lang)} {c.paid_on.isoformat()}"] if c.paid_on else []
        return f"#{c.id} {label('claim_type', c.type)} {money(c.amount, c.currency)}, " + ", ".join(parts)

    yes, no = word("yes", lang), word("no", lang)
    rows = []
    for item, customer in items:
        withdrawn = item.status == "withdrawn"
        reason = withdrawals.get(item.id) or (word("undone", lang) if item.id in undone else "")
        quantity = f"{item.quantity} {item.quantity_unit or ''}".strip() if item.quantity is not None else ""
        row = {"ref": f"VOC-{item.number}", "received": when(item.received_at), "customer": customer or item.customer_text or "",
               "description": item.text, "part": ", ".join(item.part_numbers or ()), "lot": ", ".join(item.lot_numbers or ()),
               "quantity": quantity, "kind": label("kind", item.kind), "category": label("category", item.category),
               "severity": item.severity,
               "problem_severity": item.problem_severity or "", "urgency": word(item.urgency or "normal", lang),
               "wants_8d": word("unknown", lang) if item.wants_8d is None else (yes if item.wants_8d else no),
               "department": department(item.department), "owner": who(owners.get(item.id)),
               "status": label("status", item.status),
               "withdrawn": when(item.withdrawn_at) if withdrawn else None, "withdrawn_reason": reason if withdrawn else "",
               # not columns: who may see the row (domain/visibility.py)
               "_departments": (item.department, *item.also_departments), "_reporter": item.reporter_id}
        for milestone in policy.milestones:
            d = deadlines[item.id].get(milestone)
            late = d is not None and as_utc(d.met_at or now) > as_utc(d.due_at)
            row[key("due", milestone)] = when(d.due_at) if d else None
            row[key("met", milestone)] = when(d.met_at) if d else None
            row[key("late", milestone)] = yes if late else ""
        rc = causes.get(item.id)
        row["root_cause"] = f"{label('rootcause', rc.category)}: {rc.occurrence} / {rc.escape}" if rc else ""
        row["actions"] = "; ".join(action_line(a) for a in actions[item.id])
        row["verification"] = "; ".join(f"{v.evidence} ({word('clean_lots', lang)}: {', '.join(v.clean_lots)})"
                                        for v in verifications[item.id])
        accepted = acceptances.get(item.id)
        row["acceptance"] = f"{accepted.accepted_by}, {day(accepted.accepted_on)}, {accepted.how}" if accepted else ""
        row["eightd_sent"] = when(sent.get(item.id))
        approval = approved.get(item.id)
        row["eightd_approved"] = f"{when(approval.at):%Y-%m-%d %H:%M} {word('by', lang)} {who(approval.by)}" if approval else ""
        row["closed"] = when(closed.get(item.id))
        row["repeat"] = yes if item.id in repeats else ""
        row["visits"] = "\n".join(visit_line(n, v) for n, v in enumerate(visits[item.id], 1))
        row["returns"] = "; ".join(return_line(r) for r in returned[item.id])
        row["claims"] = "; ".join(claim_line(c) for c in claimed[item.id])
        rows.append(row)
    return rows

