"""Persistence: SQLModel tables and the database handle."""
from models.tables import (  # noqa: F401
    Containment,
    Customer,
    CustomerAcceptance,
    CustomerAlias,
    DiscussionMessage,
    Deadline,
    Event,
    FeedbackItem,
    InboundRequest,
    ItemAction,
    ItemAssignment,
    OutboundMessage,
    ProcessedRequest,
    RootCause,
    StatusChange,
    Verification,
)
