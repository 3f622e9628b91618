"""States and the transition table. Every action is one row; nothing else decides where an item goes.

`to=None` means the action records something and the item stays where it is; `to=PREVIOUS` returns
to the state recorded when the item left it (resume after waiting); `to=NAMED` goes to the step the
person names (reopen).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    draft = "draft"
    received = "received"
    acknowledged = "acknowledged"
    contained = "contained"
    root_caused = "root_caused"
    corrective_action = "corrective_action"
    preventive_action = "preventive_action"
    verified = "verified"
    closed = "closed"
    not_ours = "not_ours"
    waiting_on_customer = "waiting_on_customer"
    withdrawn = "withdrawn"
    answered = "answered"


S = Status
# The main path of a complaint, in order; reopen may go back to any of these but the first.
COMPLAINT_PATH = (S.received, S.acknowledged, S.contained, S.root_caused, S.corrective_action,
                  S.preventive_action, S.verified, S.closed)
OPEN_COMPLAINT = COMPLAINT_PATH[:-1]
WORKING = COMPLAINT_PATH[1:-1]  # owned and being worked on
REOPEN_TARGETS = COMPLAINT_PATH[1:-1]
FINAL = (S.closed, S.withdrawn)

# The customer can be contacted or answered while the item is open, waiting on them, or found not ours.
TOLD_FROM = OPEN_COMPLAINT + (S.waiting_on_customer, S.not_ours)
WITH_ACTIONS = (S.corrective_action, S.preventive_action, S.verified)
VISIT_FROM = OPEN_COMPLAINT + (S.waiting_on_customer, S.not_ours)
# Goods come back and claims arrive while a complaint is worked and after it closed (a claim is often
# paid months later); a draft is not a complaint yet and a withdrawn one never was.
RECORDED = tuple(s for s in S if s not in (S.draft, S.withdrawn))

PREVIOUS = "previous"
NAMED = "named"

COMPLAINT = ("complaint",)
OTHER_KINDS = ("suggestion", "inquiry", "praise")
ALL_KINDS = COMPLAINT + OTHER_KINDS

# who: the roles, any one of which is enough (domain/roles.py computes them per item):
#   dept_member  member or manager of the owning or an added department
#   dept         dept_member, the quality manager or an admin
#   manager      manager of the owning department, quality manager, general manager, admin
#   qm           the quality manager
#   reported     the person who reported it (withdraw: within the undo window, `permissions._guard`)
#   reporter     the person who reported it, or anyone in sales
#   verifier     the department that verifies (policy closure.verified_by, default quality), the QM, an admin
#   action_owner the person named as an open action's owner (for that action only: permissions.check)
#   visit_engineer an engineer of one of the item's visits still under way (domain/lifecycle/visits.py)
#   anyone       everybody (reading)
#   eight_d_approver  one of policy approvals.eight_d.approvers (the QM or above)
#   action_approver   an approver of a stage of policy approvals.actions.chain (which stage: approvals.py)
#   claim_approver    one of policy approvals.claims.approvers (the general manager): a claim accepted above the amount


@dataclass(frozen=True)
class Rule:
    action: str
    kinds: tuple[str, ...]
    from_states: tuple[Status, ...]
    to: Status | str | None
    who: tuple[str, ...]
    requires: tuple[str, ...] = ()


RULES: tuple[Rule, ...] = (
    # action                          kinds        from                                   to                     who                          requires
    Rule("take_ownership",            COMPLAINT,   (S.received,),                         S.acknowledged,        ("dept_member",)),
    Rule("record_first_contact",      COMPLAINT,   TOLD_FROM,                             None,                  ("dept", "reporter"),        ("contacted_by", "contacted_at", "how")),
    Rule("record_customer_reply",     COMPLAINT,   TOLD_FROM,                             None,                  ("dept", "reporter"),        ("reply", "how", "replied_at")),
    Rule("record_containment",        COMPLAINT,   (S.acknowledged,),                     S.contained,           ("dept",),                   ("sorting_method", "countermeasure", "customer_informed")),
    Rule("amend_containment",         COMPLAINT,   WORKING[1:],                           None,                  ("dept",),                   ("sorting_method", "countermeasure", "customer_informed")),
    Rule("record_root_cause",         COMPLAINT,   (S.contained,),                        S.root_caused,         ("dept",),                   ("category", "occurrence", "escape")),
    Rule("amend_root_cause",          COMPLAINT,   WORKING[2:],                           None,                  ("dept",),                   ("category", "occurrence", "escape")),
    Rule("add_corrective_action",     COMPLAINT,   (S.root_caused,),                      S.corrective_action,   ("dept",),                   ("what", "owner", "due")),
    Rule("add_more_corrective",       COMPLAINT,   (S.corrective_action, S.preventive_action), None,            ("dept",),                   ("what", "owner", "due")),
    Rule("add_preventive_action",     COMPLAINT,   (S.corrective_action,),                S.preventive_action,   ("dept",),                   ("what", "owner", "due", "documents")),
    Rule("add_more_preventive",       COMPLAINT,   (S.preventive_action,),                None,                  ("dept",),                   ("what", "owner", "due", "documents")),
    Rule("edit_action",               COMPLAINT,   WITH_ACTIONS,                          None,                  ("dept",),                   ("action_id",)),
    Rule("mark_action_done",          COMPLAINT,   WITH_ACTIONS,                          None,                  ("dept", "action_owner"),    ("action_id",)),
    Rule("mark_action_verified",      COMPLAINT,   WITH_ACTIONS,                          None,                  ("verifier",),               ("action_id",)),
    Rule("record_verification",       COMPLAINT,   (S.preventive_action, S.verified),     S.verified,            ("verifier",),               ("evidence", "clean_lots")),
    Rule("record_customer_acceptance", COMPLAINT,  (S.verified,),                         None,                  ("dept", "reporter"),        ("accepted_by", "accepted_on", "how")),
    Rule("request_closure",           COMPLAINT,   (S.verified,),                         S.closed,              ("dept",)),
    Rule("approve_closure",           COMPLAINT,   (S.verified, S.not_ours),              S.closed,              ("qm",)),
    Rule("send_back",                 COMPLAINT,   (S.verified, S.not_ours),              None,                  ("qm",),                     ("reason",)),
    Rule("not_ours",                  COMPLAINT,   OPEN_COMPLAINT,                        S.not_ours,            ("dept",),                   ("reason",)),
    Rule("customer_told",             COMPLAINT,   (S.not_ours,),                         S.closed,              ("reporter", "dept")),
    Rule("wait_on_customer",          ALL_KINDS,   OPEN_COMPLAINT,                        S.waiting_on_customer, ("dept",),                   ("reason",)),
    Rule("resume",                    ALL_KINDS,   (S.waiting_on_customer,),              PREVIOUS,              ("dept",)),
    Rule("withdraw",                  ALL_KINDS,   (S.received,),                         S.withdrawn,           ("reported", "manager"),     ("reason",)),
    Rule("reassign",                  ALL_KINDS,   OPEN_COMPLAINT + (S.waiting_on_customer,), None,             ("manager",),                ("department",)),
    Rule("add_department",            ALL_KINDS,   OPEN_COMPLAINT + (S.waiting_on_customer,), None,             ("dept",),                   ("department",)),
    Rule("change_severity",           COMPLAINT,   OPEN_COMPLAINT + (S.waiting_on_customer,), None,             ("manager",),                ("severity", "reason")),
    # The customer's urgency and 8D request, as the department learns them (a lower level needs a manager: permissions).
    Rule("set_urgency",               COMPLAINT,   OPEN_COMPLAINT + (S.waiting_on_customer,), None,             ("dept",),                   ("urgency", "reason")),
    Rule("set_wants_8d",              COMPLAINT,   OPEN_COMPLAINT + (S.waiting_on_customer,), None,             ("dept",),                   ("wants_8d", "reason")),
    Rule("reopen",                    ALL_KINDS,   (S.closed,),                           NAMED,                 ("manager",),                ("reason", "to_step")),
    Rule("eight_d",                   COMPLAINT,   tuple(S),                              None,                  ("anyone",)),
    Rule("send_8d",                   COMPLAINT,   WORKING[2:] + (S.closed,),            None,                  ("dept",)),
    # Approvals (domain/lifecycle/approvals.py): the 8D before it is sent, an AA complaint's actions.
    Rule("submit_8d",                 COMPLAINT,   WORKING[2:] + (S.closed,),            None,                  ("dept",)),
    Rule("approve_8d",                COMPLAINT,   WORKING[2:] + (S.closed,),            None,                  ("eight_d_approver",)),
    Rule("reject_8d",                 COMPLAINT,   WORKING[2:] + (S.closed,),            None,                  ("eight_d_approver",),       ("reason",)),
    Rule("submit_action",             COMPLAINT,   WORKING[3:],                           None,                  ("dept",),                   ("action_id",)),
    Rule("approve_action",            COMPLAINT,   WORKING[3:],                           None,                  ("action_approver",),        ("action_id",)),
    Rule("reject_action",             COMPLAINT,   WORKING[3:],                           None,                  ("action_approver",),        ("action_id", "reason")),
    # The account's successor (seed 001 §4.3): a person who leaves hands their open items to the one the
    # customer record names (domain/customer_work.py); the department stays.
    Rule("hand_over",                 ALL_KINDS,   OPEN_COMPLAINT + (S.waiting_on_customer, S.not_ours, S.answered), None, ("qm", "admin", "manager"), ("owner", "reason")),
    Rule("snooze",                    ALL_KINDS,   OPEN_COMPLAINT + (S.waiting_on_customer, S.not_ours, S.answered), None, ("dept", "manager"), ("choice",)),
    # Field service (domain/lifecycle/visits.py has each visit's own states): sales or the department asks for a
    # visit; the engineers, the department or sales record arrival, return and the customer's signed report.
    Rule("request_visit",             COMPLAINT,   VISIT_FROM,                            None,                  ("dept", "reporter"),        ("engineers", "site")),
    Rule("record_visit_arrival",      COMPLAINT,   VISIT_FROM,                            None,                  ("dept", "reporter", "visit_engineer"), ("visit_id", "arrived_at")),
    Rule("record_visit_return",       COMPLAINT,   VISIT_FROM,                            None,                  ("dept", "reporter", "visit_engineer"), ("visit_id", "returned_at", "findings")),
    Rule("record_visit_signoff",      COMPLAINT,   VISIT_FROM + (S.closed,),              None,                  ("dept", "reporter", "visit_engineer"), ("visit_id", "signed_by", "signed_on")),
    # Returned goods and claims (domain/lifecycle/records.py: which record, where it must stand, the values).
    Rule("record_return",             COMPLAINT,   RECORDED,                              None,                  ("dept", "reporter"),        ("quantity", "received_on")),
    Rule("inspect_return",            COMPLAINT,   RECORDED,                              None,                  ("dept",),                   ("return_id", "inspection")),
    Rule("dispose_return",            COMPLAINT,   RECORDED,                              None,                  ("dept",),                   ("return_id", "disposition")),
    Rule("ship_return",               COMPLAINT,   RECORDED,                              None,                  ("dept", "reporter"),        ("return_id", "shipped")),
    Rule("record_claim",              COMPLAINT,   RECORDED,                              None,                  ("dept", "reporter"),        ("claim_type", "amount", "currency")),
    Rule("review_claim",              COMPLAINT,   RECORDED,                              None,                  ("dept",),                   ("claim_id",)),
    Rule("accept_claim",              COMPLAINT,   RECORDED,                              None,                  ("manager",),                ("claim_id",)),
    Rule("partially_accept_claim",    COMPLAINT,   RECORDED,                              None,                  ("manager",),                ("claim_id", "accepted_amount", "reason")),
    Rule("reject_claim",              COMPLAINT,   RECORDED,                              None,                  ("manager",),                ("claim_id", "reason")),
    Rule("approve_claim",             COMPLAINT,   RECORDED,                              None,                  ("claim_approver",),         ("claim_id",)),
    Rule("send_back_claim",           COMPLAINT,   RECORDED,                              None,                  ("claim_approver",),         ("claim_id", "reason")),
    Rule("pay_claim",                 COMPLAINT,   RECORDED,                              None,                  ("manager",),                ("claim_id", "paid_on")),
    Rule("answer",                    OTHER_KINDS, (S.received,),                         S.answered,            ("dept",),                   ("answer",)),
    Rule("close",                     OTHER_KINDS, (S.answered,),                         S.closed,              ("dept", "reporter")),
)

RULE_BY_ACTION = {r.action: r for r in RULES}
ACTIONS = tuple(RULE_BY_ACTION)
assert len(ACTIONS) == len(RULES), "each action has one row"

ROOT_CAUSE_CATEGORIES = ("man", "machine", "material", "method", "environment", "measurement")
DOCUMENTS = ("pfmea", "control_plan", "work_instruction")
ACCEPTANCE_CHANNELS = ("mail", "call", "portal")
CONTACT_CHANNELS = ("call", "mail", "visit", "portal", "meeting")
# A field the table requires that only some categories need: asked only where the category's closure
# criteria (policy closure.criteria) include the criterion named here. Nobody invents lot numbers.
# Sorting is of goods: asked where clean lots are counted (quality); a countermeasure for an invoice or a
# slow reply has nothing to sort, and nobody should invent a sorting method to record it.
FIELD_NEEDED_BY = {"clean_lots": "clean_lots", "documents": "preventive_documents", "sorting_method": "clean_lots"}

# Which deadline each action fulfils (met_at is set the first time): each milestone by the step it names.
MEETS: dict[str, tuple[str, ...]] = {
    "record_first_contact": ("first_contact",),
    "record_containment": ("containment",),
    "amend_containment": ("containment",),
    "record_customer_reply": ("customer_reply",),
    "send_8d": ("report_8d",),
    "record_customer_acceptance": ("customer_closure",),
    "answer": ("answer", "thanks"),
}
# Only when this field of the step is true: the containment milestone promises the customer an answer,
# so a containment the customer was not told of does not meet it (an amendment that tells does).
MEETS_ONLY_IF = {"record_containment": "customer_informed", "amend_containment": "customer_informed"}
# Met when it happened (the stated time, checked against receipt and now), not when it was typed in.
MET_AT_FIELD = {"record_first_contact": "contacted_at", "record_customer_reply": "replied_at"}


def milestones_met(action: str, fields: dict) -> tuple[str, ...]:
    flag = MEETS_ONLY_IF.get(action)
    return () if flag and not fields.get(flag) else MEETS.get(action, ())


# Closing (approved, requested, customer told, an answered item closed) meets these too; the rest stop.
CLOSING_MEETS = ("internal_closure", "customer_closure")

# The step(s) that usually come next in each state: the thread parent shows these as buttons and
# the rest of what the table allows there in a menu. Which of them a person may do is `decide`'s call.
NEXT_STEPS: dict[tuple[str, Status], tuple[str, ...]] = {
    ("complaint", S.received): ("take_ownership", "record_first_contact"),
    ("complaint", S.acknowledged): ("record_containment", "record_first_contact"),
    ("complaint", S.contained): ("record_root_cause",),
    ("complaint", S.root_caused): ("add_corrective_action",),
    ("complaint", S.corrective_action): ("mark_action_done", "add_preventive_action"),
    ("complaint", S.preventive_action): ("mark_action_done", "record_verification"),
    ("complaint", S.verified): ("request_closure", "record_customer_acceptance"),
    ("complaint", S.not_ours): ("customer_told",),
    ("other", S.received): ("answer",),
    ("other", S.answered): ("close",),
    ("any", S.waiting_on_customer): ("resume",),
}
# Answered from the approver's message (an action's approvals name the action there), not from the thread; eight_d is read with
# /complaint; snooze is on the reminder itself (it names the deadline).
# hand_over is done from the customer record (`/customer`: a new account owner takes over the open items).
NOT_IN_MENU = ("approve_closure", "send_back", "eight_d", "snooze", "approve_action", "reject_action", "hand_over",
               "approve_claim", "send_back_claim")


def next_steps(kind: str, status: Status) -> tuple[str, ...]:
    group = "complaint" if kind == "complaint" else "other"
    return NEXT_STEPS.get((group, status)) or NEXT_STEPS.get(("any", status), ())


def menu_steps(kind: str, status: Status) -> tuple[str, ...]:
    """Everything else the table allows for this kind in this state (each person's rights aside)."""
    shown = set(next_steps(kind, status)) | set(NOT_IN_MENU)
    return tuple(r.action for r in RULES if kind in r.kinds and status in r.from_states and r.action not in shown)
