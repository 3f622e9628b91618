"""One messaging boundary for every chat platform (issue 21).

The outbox decides *what* to say and *where* in platform-neutral terms; an adapter (Slack's in
bot/messaging/slack.py, Teams' in bot/teams/messaging.py) says it. Addresses are small frozen
dataclasses carrying their platform, so a Slack channel id can never be posted to on Teams.

A message is its text (what notifications and screen readers read) plus the platform's rich body:
Block Kit blocks for Slack, an Adaptive Card for Teams. The views stay data (Block Kit today);
bot/teams/cards.py turns them into cards.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

SLACK, TEAMS = "slack", "teams"
PLATFORMS = (SLACK, TEAMS)


@dataclass(frozen=True)
class Conversation:
    """A place messages go: a channel, a group chat, a person's DM with the bot."""

    platform: str
    id: str  # Slack C…/G…/D…; Teams 19:…@thread.tacv2, a:… (personal chat)


@dataclass(frozen=True)
class Thread:
    """A thread: its conversation and its parent message (Slack ts, Teams activity id)."""

    conversation: Conversation
    parent: str


@dataclass(frozen=True)
class Person:
    platform: str
    id: str  # Slack U…; Teams: the domain's id for an Entra user (bot/teams/people.py)


@dataclass(frozen=True)
class Group:
    """A group pinged by one mention: a Slack user group (S…), a Teams tag."""

    platform: str
    id: str
    name: str | None = None  # Teams shows the tag's name in the mention text


@dataclass(frozen=True)
class Message:
    text: str
    body: Any = None  # Slack: a list of Block Kit blocks; Teams: an Adaptive Card (dict)
    key: str | None = None  # the outbox key, carried where the platform keeps it (Slack's metadata)
    item_id: int | None = None
    event_type: str = "voc_message"
    mentions: tuple[Person | Group, ...] = ()  # who the text mentions (Teams needs them as entities)
    images: tuple["File", ...] = ()  # pictures shown with the message (Teams: inline image attachments)


@dataclass(frozen=True)
class File:
    filename: str
    content: bytes
    title: str | None = None


@dataclass(frozen=True)
class PersonInfo:
    id: str
    name: str | None = None
    locale: str | None = None
    guest: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class Refused(Exception):
    """The platform refused a call. `retry_after` set: throttled (try again then); `permanent`:
    trying again will not help (the outbox parks the row)."""

    def __init__(self, reason: str, *, retry_after: float | None = None, permanent: bool = False):
        super().__init__(reason)
        self.reason, self.retry_after, self.permanent = reason, retry_after, permanent


@runtime_checkable
class Messaging(Protocol):
    """What the outbox and the workers need of a chat platform. Each method returns the id the
    platform gave what it posted (a ts, an activity id), so the outbox can record it."""

    platform: str

    def post_parent(self, where: Conversation, message: Message) -> str:
        """Start a thread: the item's parent message in a department's channel."""

    def update_parent(self, thread: Thread, message: Message) -> None:
        """Redraw a thread's parent (the item changed)."""

    def reply(self, thread: Thread, message: Message) -> str:
        """A message in a thread."""

    def send(self, where: Conversation, message: Message) -> str:
        """A message at the top of a conversation the bot is in (a person's chat with it)."""

    def mention(self, who: Person | Group) -> str:
        """The text that mentions a person or group, to put into a Message's text (with it in `mentions`)."""

    def dm(self, person: Person, message: Message) -> str:
        """A direct message to a person from the bot."""

    def open_form(self, trigger: str, form: Any) -> None:
        """Open a form in answer to what the person just did (`trigger`: Slack's trigger_id, a Teams invoke)."""

    def upload(self, thread: Thread, files: list[File], comment: str) -> None:
        """Files into a thread (the 8D as PDF and XLSX, charts)."""

    def look_up(self, person: Person) -> PersonInfo:
        """A person's name, language and whether they are a guest."""
