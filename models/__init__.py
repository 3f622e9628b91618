"""Persistence: SQLModel tables and the database handle."""
from models.tables import (  # noqa: F401
    Customer,
    CustomerAlias,
    Deadline,
    Event,
    FeedbackItem,
    InboundRequest,
    OutboundMessage,
    ProcessedRequest,
)
