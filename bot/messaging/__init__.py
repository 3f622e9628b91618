"""The messaging boundary: what the outbox and the workers ask of a chat platform (boundary.py),
and each platform's adapter (Slack: slack.py; Teams: bot/teams/messaging.py)."""
from bot.messaging.boundary import (Conversation, File, Group, Message, Messaging, Person, PersonInfo, Refused,
                                    Thread)

__all__ = ["Conversation", "File", "Group", "Message", "Messaging", "Person", "PersonInfo", "Refused", "Thread"]
