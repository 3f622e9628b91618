"""Database tables. Every table is created by a migration in migrations/, never by create_all.

Times are aware UTC datetimes (SQLModel's UTCDateTime: timestamptz on PostgreSQL, UTC text on SQLite).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Customer(SQLModel, table=True):
    __tablename__ = "customers"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200, unique=True, description="normalized name for matching")
    verified: bool = Field(default=False, description="False when created from a salesperson's free text")
    names: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"),
                                  description="the name per language, from the policy ({} for a typed-in customer)")
    account_owner: Optional[str] = Field(default=None, max_length=32)
    account_backup: Optional[str] = Field(default=None, max_length=32, description="stands in for the owner; successor")
    restricted: bool = Field(default=False, description="seed 001 §4.3: shown only to its account team (visible_to) "
                             "and those domain/visibility.py names")
    profile: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"),
                                    description="the rest of the record as the policy's customer entry holds it: "
                                    "report language, account team, contacts, the customer's requirements")
    created_at: datetime
    updated_at: datetime


class CustomerAlias(SQLModel, table=True):
    __tablename__ = "customer_aliases"
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    alias: str = Field(max_length=200)
    alias_key: str = Field(max_length=200, unique=True)


class FeedbackItem(SQLModel, table=True):
    __tablename__ = "feedback_items"
    __table_args__ = (Index("ix_feedback_items_status_received", "status", "received_at"),
                      Index("ix_feedback_items_received_at", "received_at"))

    id: Optional[int] = Field(default=None, primary_key=True)
    source_key: str = Field(max_length=200, unique=True, description="idempotency key of the request that created it")
    source: str = Field(max_length=20, description="slash | modal | shortcut | dm")
    status: str = Field(max_length=20, description="a domain.lifecycle.table.Status value")
    kind: str = Field(max_length=20)
    category: str = Field(max_length=20)
    severity: str = Field(max_length=2, description="the level that drives deadlines: problem_severity lifted by urgency")
    problem_severity: Optional[str] = Field(default=None, max_length=2,
                                            description="how serious the problem is (classifier or a person, LABELING.md)")
    urgency: str = Field(default="normal", max_length=12, description="the customer's demand: normal | urgent | very_urgent")
    urgency_source: Optional[str] = Field(default=None, max_length=12, description="text | reporter | department | policy")
    wants_8d: Optional[bool] = Field(default=None, description="the customer asks for an 8D report (None: not known)")
    wants_8d_source: Optional[str] = Field(default=None, max_length=12, description="customer | text | department")
    department: str = Field(max_length=40)
    also_departments: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    confidence: float = 0.0
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    customer_id: Optional[int] = Field(default=None, foreign_key="customers.id", index=True)
    customer_text: Optional[str] = Field(default=None, max_length=200, description="the name as typed")
    text: str = Field(sa_column=Column(Text, nullable=False))
    summary: str = Field(max_length=200)
    part_numbers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    lot_numbers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    quantity: Optional[int] = Field(default=None, sa_column=Column(BigInteger), description="pieces (domain/counts.py)")
    quantity_unit: Optional[str] = Field(default=None, max_length=20)
    line_stopped: bool = Field(default=False, description="the customer's line is stopped (line_state == stopped)")
    line_state: Optional[str] = Field(default=None, max_length=16,
                                      description="stopped | about_to_stop | running; None: not said")
    checked_quantity: Optional[int] = Field(default=None, description="of how many checked (quantity is the defective count)")
    quantity_text: Optional[str] = Field(default=None, max_length=200, description="the words a worked-out quantity came from")
    offers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"),
                                   description="what a draft's proposal offers: {customers: [{id, name}]} or {duplicate_of: id}")
    files: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"),
                                        description="files shared with it: Slack id, name, permalink")
    reporter_id: str = Field(max_length=32)
    team_id: Optional[str] = Field(default=None, max_length=32)
    locale: str = Field(default="en", max_length=8, description="reporter's language")
    platform: str = Field(default="slack", max_length=8, description="slack | teams: where its thread and its people are")
    source_channel: Optional[str] = Field(default=None, max_length=200)
    source_message_ts: Optional[str] = Field(default=None, max_length=200)
    channel_id: Optional[str] = Field(default=None, max_length=200, description="department channel of the thread")
    thread_ts: Optional[str] = Field(default=None, max_length=200, description="the thread parent (Slack ts, Teams activity id)")
    received_at: datetime
    filed_at: Optional[datetime] = None
    withdrawn_at: Optional[datetime] = None
    version: int = Field(default=1, description="bumped on every change; part of outgoing message keys")
    number: Optional[int] = Field(default=None, unique=True, description="the reference VOC-n, given at filing, no gaps")
    unconfirmed: bool = Field(default=False, description="filed by the bot after the reporter did not confirm")
    reminded_at: Optional[datetime] = Field(default=None, description="when the reporter was reminded of the draft")
    created_at: datetime
    updated_at: datetime


class ReferenceCounter(SQLModel, table=True):
    """The last reference number given; its row is locked by the filing transaction, so numbers
    have no gaps (a rolled-back filing gives its number back)."""

    __tablename__ = "reference_counters"
    name: str = Field(primary_key=True, max_length=40)
    value: int


class Deadline(SQLModel, table=True):
    """A milestone's clock (docs/sla.md): when it falls due, its state, and when the tick should look
    at it next (a reminder or an escalation, which differs from the due moment)."""

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("item_id", "milestone"),
        # The tick's query: open clocks whose next action is due. Partial, so its size follows the
        # open deadlines, not every deadline ever recorded.
        Index("ix_deadlines_next_action", "next_action_at", postgresql_where=text("state = 'open'"),
              sqlite_where=text("state = 'open'")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    milestone: str = Field(max_length=40)
    due_at: datetime = Field(index=True)
    met_at: Optional[datetime] = Field(default=None, index=True)
    state: str = Field(default="open", max_length=12, description="open | met | paused | cancelled")
    clock: str = Field(default="calendar", max_length=10, description="calendar | working: how its hours count")
    hours: float = Field(default=0, description="the milestone's length when it was computed: its hours, or in "
                         "calendar hours as the procedure reads it when stated in days or months")
    days: Optional[int] = Field(default=None, description="stated in days: counted as (working) days, not hours")
    months: Optional[int] = Field(default=None, description="stated in months: the same date N months later")
    remind_at: Optional[datetime] = None
    next_action_at: Optional[datetime] = None
    level: int = Field(default=0, description="stages done: 0 none, 1 reminded, 2+ escalation levels")
    paused_at: Optional[datetime] = None
    paused_seconds: float = Field(default=0, description="time paused so far (working time on a working clock)")
    snoozed_until: Optional[datetime] = None
    policy_version: Optional[str] = Field(default=None, max_length=16)


class ItemLink(SQLModel, table=True):
    """An item linked to an earlier one: a repeat occurrence (`repeat_of`). Stored as a link, not a
    flag, because repeats count double in scoring and the auditor asks which item it repeats."""

    __tablename__ = "item_links"
    __table_args__ = (UniqueConstraint("item_id", "other_id", "kind"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    other_id: int = Field(foreign_key="feedback_items.id", index=True)
    kind: str = Field(max_length=20, description="repeat_of")
    at: datetime


class ChannelPace(SQLModel, table=True):
    """A token bucket per channel (domain/pacing.py): Slack's one message a second, shared by every process."""

    __tablename__ = "channel_pace"
    channel: str = Field(primary_key=True, max_length=200)
    tokens: float
    updated: float = Field(description="wall-clock seconds of the last refill")


class Event(SQLModel, table=True):
    """Append-only audit trail: who did what, when, from which Slack action."""

    __tablename__ = "events"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: Optional[int] = Field(default=None, foreign_key="feedback_items.id", index=True)
    actor: str = Field(max_length=32, description="Slack user id or 'system'")
    action: str = Field(max_length=40)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    origin: Optional[str] = Field(default=None, max_length=200, description="the Slack request that caused it")
    at: datetime


class ProcessedRequest(SQLModel, table=True):
    """One row per Slack request acted on; a retry or double click finds its key and does nothing."""

    __tablename__ = "processed_requests"
    key: str = Field(primary_key=True, max_length=200)
    item_id: Optional[int] = None
    at: datetime


class OutboundMessage(SQLModel, table=True):
    """The outbox: every message the bot sends is a row here before it is sent."""

    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbound_pending", "status", "not_before"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True, description="idempotency key")
    item_id: Optional[int] = Field(default=None, foreign_key="feedback_items.id", index=True)
    intent: str = Field(max_length=40, description="parent | ping | confirmation | proposal | refresh | note | notice")
    platform: str = Field(default="slack", max_length=8, description="slack | teams: whose addresses channel, user and ts are")
    channel: Optional[str] = Field(default=None, max_length=200)
    user: Optional[str] = Field(default=None, max_length=200, description="recipient of an ephemeral message")
    ts: Optional[str] = Field(default=None, max_length=200, description="message to update, for refresh")
    locale: str = Field(default="en", max_length=8)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=12, description="pending | sending | sent | failed (parked) | cancelled")
    priority: int = Field(default=1, description="0 goes first (AA items)")
    attempts: int = 0
    last_error: Optional[str] = Field(default=None, max_length=500)
    not_before: datetime
    claimed_at: Optional[datetime] = None
    sent_at: Optional[datetime] = None
    result_ts: Optional[str] = Field(default=None, max_length=200)
    created_at: datetime


class InboundRequest(SQLModel, table=True):
    """The inbox: each Slack request the web process accepted, stored before any work on it.

    The web process only acks and writes this row; a worker does the work. A Redis
    restart or a worker crash loses nothing: the scheduler sweeps rows left pending.
    """

    __tablename__ = "inbound_requests"
    __table_args__ = (Index("ix_inbound_pending", "status", "not_before"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True, description="the request's idempotency key")
    kind: str = Field(max_length=40, description="which handler processes it")
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=12, description="pending | working | done | failed")
    attempts: int = 0
    last_error: Optional[str] = Field(default=None, max_length=500)
    not_before: datetime
    claimed_at: Optional[datetime] = None
    done_at: Optional[datetime] = None
    received_at: datetime


# --- The complaint lifecycle: each step's record is a table of its own (domain/lifecycle/). ---


class ItemAssignment(SQLModel, table=True):
    """Who owns an item and which departments work on it; `until` is set when it ends (reassign)."""

    __tablename__ = "item_assignments"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    department: str = Field(max_length=40)
    role: str = Field(max_length=12, description="owner | added")
    user_id: Optional[str] = Field(default=None, max_length=32, description="the named owner")
    by: str = Field(max_length=32)
    since: datetime
    until: Optional[datetime] = None


class StatusChange(SQLModel, table=True):
    """Every move of an item's status, with the reason asked for (not ours, waiting, reopen, send back)."""

    __tablename__ = "status_changes"
    __table_args__ = (Index("ix_status_changes_to_status_at", "to_status", "at"),)  # closings by moment (reports)
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    action: str = Field(max_length=40)
    from_status: str = Field(max_length=20)
    to_status: str = Field(max_length=20)
    reason: Optional[str] = Field(default=None, sa_column=Column(Text))
    by: str = Field(max_length=32)
    at: datetime


class Containment(SQLModel, table=True):
    __tablename__ = "containments"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    stock_checked: Optional[int] = Field(default=None, sa_column=Column(BigInteger))
    stock_bad: Optional[int] = Field(default=None, sa_column=Column(BigInteger))
    wip_checked: Optional[int] = Field(default=None, sa_column=Column(BigInteger))
    wip_bad: Optional[int] = Field(default=None, sa_column=Column(BigInteger))
    transit_checked: Optional[int] = Field(default=None, sa_column=Column(BigInteger))
    transit_bad: Optional[int] = Field(default=None, sa_column=Column(BigInteger))
    customer_checked: Optional[int] = Field(default=None, sa_column=Column(BigInteger))
    customer_bad: Optional[int] = Field(default=None, sa_column=Column(BigInteger))
    sorting_method: str = Field(sa_column=Column(Text, nullable=False))
    sorting_result: Optional[str] = Field(default=None, sa_column=Column(Text))
    countermeasure: str = Field(sa_column=Column(Text, nullable=False))
    customer_informed: bool = False
    by: str = Field(max_length=32)
    at: datetime


class RootCause(SQLModel, table=True):
    __tablename__ = "root_causes"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    category: str = Field(max_length=20, description="4M1E: man | machine | material | method | environment | measurement")
    occurrence: str = Field(sa_column=Column(Text, nullable=False), description="why it occurred")
    escape: str = Field(sa_column=Column(Text, nullable=False), description="why it escaped detection")
    evidence: Optional[str] = Field(default=None, sa_column=Column(Text))
    by: str = Field(max_length=32)
    at: datetime


class ItemAction(SQLModel, table=True):
    """A corrective or preventive action, each with its own done / verified state."""

    __tablename__ = "item_actions"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    type: str = Field(max_length=12, description="corrective | preventive")
    what: str = Field(sa_column=Column(Text, nullable=False))
    owner: str = Field(max_length=32)
    due: datetime
    documents: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    done_at: Optional[datetime] = None
    done_by: Optional[str] = Field(default=None, max_length=32)
    verified_at: Optional[datetime] = None
    verified_by: Optional[str] = Field(default=None, max_length=32)
    by: str = Field(max_length=32)
    at: datetime


class Verification(SQLModel, table=True):
    __tablename__ = "verifications"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    evidence: str = Field(sa_column=Column(Text, nullable=False))
    clean_lots: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    by: str = Field(max_length=32)
    at: datetime


class CustomerAcceptance(SQLModel, table=True):
    __tablename__ = "customer_acceptances"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    accepted_by: str = Field(max_length=200, description="the customer's person, as named")
    accepted_on: datetime
    how: str = Field(max_length=10, description="mail | call | portal")
    by: str = Field(max_length=32)
    at: datetime


class DiscussionMessage(SQLModel, table=True):
    """A plain reply in the item's thread, kept as its discussion; files by their permalinks."""

    __tablename__ = "discussion_messages"
    __table_args__ = (UniqueConstraint("item_id", "ts"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    user_id: str = Field(max_length=32)
    ts: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    file_permalinks: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    at: datetime


class ClassifierExample(SQLModel, table=True):
    """A message labelled by the company: the item's kind, category and severity after a person
    changed them (Change classification, or a severity or department change in the thread).
    One row per item, holding its latest labels; `voc classifier train` learns from them."""

    __tablename__ = "classifier_examples"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: Optional[int] = Field(default=None, foreign_key="feedback_items.id", unique=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(max_length=20)
    category: str = Field(max_length=20)
    severity: str = Field(max_length=2)
    source: str = Field(max_length=20, description="correction | thread")
    actor: Optional[str] = Field(default=None, max_length=32)
    created_at: datetime
    updated_at: datetime


class ClassifierModel(SQLModel, table=True):
    """A model trained by `voc classifier train`: kept whether used or not, the one in use is
    `active`. `scores` are on the held-back examples it was judged by."""

    __tablename__ = "classifier_models"
    id: Optional[int] = Field(default=None, primary_key=True)
    created_at: datetime
    active: bool = Field(default=False, index=True)
    examples: int = Field(description="training examples: shipped corpus plus the company's")
    company_examples: int = 0
    scores: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    fingerprint: str = Field(max_length=64, description="policy and training data it was fit on")
    blob: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # the pickled model, written only by this program


class Conversation(SQLModel, table=True):
    """A DM that became a short conversation: the bot asks, one question at a time, only for what the
    message left out (domain/conversation.py). Its draft item holds the answers."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_open", "user_id", "channel_id", "state"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", unique=True)
    user_id: str = Field(max_length=32)
    channel_id: str = Field(max_length=200)  # a Slack DM, or a Teams personal chat
    state: str = Field(max_length=12, description="open | done | cancelled")
    asking: Optional[str] = Field(default=None, max_length=20, description="the question waiting for an answer")
    asked: int = Field(default=0, description="questions asked so far (each message's key)")
    answered: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"),
                                description="questions answered or skipped: never asked again")
    choices: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"),
                                          description="customers offered with the current question")
    started_at: datetime
    updated_at: datetime
    reminded_at: Optional[datetime] = None


class Heartbeat(SQLModel, table=True):
    """The last sign of life of a part that runs on its own (`voc status`, `GET /healthz`): "worker" (a
    dramatiq worker process, every VOC_HEARTBEAT_SECONDS) and "sweep" (the scheduler's sweep, finished)."""

    __tablename__ = "heartbeats"
    name: str = Field(primary_key=True, max_length=32)
    at: datetime
    detail: str = Field(default="", max_length=200, description="which process: host and pid")
