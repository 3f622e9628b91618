"""Persistence: SQLModel tables and the database handle."""
from models.tables import (  # noqa: F401
    ChannelPace,
    ClassifierExample,
    ClassifierModel,
    Containment,
    Conversation,
    Customer,
    CustomerAcceptance,
    CustomerAlias,
    DiscussionMessage,
    Deadline,
    Event,
    FeedbackItem,
    Heartbeat,
    InboundRequest,
    ItemAction,
    ItemAssignment,
    ItemLink,
    OutboundMessage,
    ProcessedRequest,
    ReferenceCounter,
    RootCause,
    StatusChange,
    Verification,
)
from models.reports import Shipment  # noqa: F401,E402
from models.satisfaction import (SatisfactionAnswer, SatisfactionEntry, SatisfactionImprovement,  # noqa: F401,E402
                                 SatisfactionSurvey)
from models.approvals import Approval  # noqa: F401,E402
from models.contacts import CustomerReply, FirstContact  # noqa: F401,E402
from models.visits import FieldVisit  # noqa: F401,E402
from models.returns_claims import Claim, ReturnedGoods  # noqa: F401,E402
from models.teams_chats import SharedFile, TeamsChat  # noqa: F401,E402
