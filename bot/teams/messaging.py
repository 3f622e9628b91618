"""The messaging boundary on Teams, over the Bot Connector (bot/teams/connector.py). Activities are
built with the Agents SDK's schema (microsoft-agents-activity); a message's body is an Adaptive Card
(bot/teams/cards.py), its mentions Teams' mention entities (a person, or a tag for a department)."""
from __future__ import annotations

import base64
import mimetypes

from microsoft_agents.activity import Activity, Attachment

from bot.messaging.boundary import TEAMS, Conversation, File, Group, Message, Person, PersonInfo, Thread
from bot.teams import people
from bot.teams.cards import CARD_TYPE
from bot.teams.connector import ConnectorClient


class NotOnTeamsYet(Exception):
    """A part of the boundary Teams does not implement yet (forms, files: next session)."""


class TeamsMessaging:
    platform = TEAMS

    def __init__(self, connector: ConnectorClient, service_url: str, app_id: str, tenant_id: str | None):
        self.connector, self.service_url, self.app_id, self.tenant_id = connector, service_url, app_id, tenant_id

    def post_parent(self, where: Conversation, message: Message) -> str:
        return self.connector.send(self.service_url, where.id, self.activity(message))

    def update_parent(self, thread: Thread, message: Message) -> None:
        self.connector.update(self.service_url, thread.conversation.id, thread.parent, self.activity(message))

    def reply(self, thread: Thread, message: Message) -> str:
        return self.connector.reply(self.service_url, thread.conversation.id, thread.parent, self.activity(message))

    def send(self, where: Conversation, message: Message) -> str:
        """A message in a conversation the person is already in with the bot (their personal chat)."""
        return self.connector.send(self.service_url, where.id, self.activity(message))

    def mention(self, who: Person | Group) -> str:
        name = who.name if isinstance(who, Group) else people.name_of(who.id)
        return f"<at>{name or who.id}</at>"

    def dm(self, person: Person, message: Message) -> str:
        return self.send(Conversation(TEAMS, self.personal_chat(person.id)), message)

    def personal_chat(self, person: str) -> str:
        """The person's 1:1 chat with the bot: Teams makes it on the first ask and answers with the same
        one after (Create Conversation: members, tenantId, bot)."""
        chat = self.connector.create_conversation(self.service_url, {
            "isGroup": False, "bot": {"id": f"28:{self.app_id}"}, "members": [{"id": people.aad_of(person)}],
            "tenantId": self.tenant_id, "channelData": {"tenant": {"id": self.tenant_id}}})
        return chat["id"]

    def open_form(self, trigger: str, form: dict) -> None:
        raise NotOnTeamsYet("forms (task modules) on Teams")

    def upload(self, thread: Thread, files: list[File], comment: str) -> None:
        raise NotOnTeamsYet("files on Teams")

    def look_up(self, person: Person) -> PersonInfo:
        return PersonInfo(id=person.id, name=people.name_of(person.id))

    # ----------------------------------------------------------------------------------------
    def activity(self, message: Message) -> dict:
        attachments = [Attachment(content_type=CARD_TYPE, content=message.body)] if message.body else []
        attachments += [_inline_image(image) for image in message.images]
        activity = Activity(type="message", text=message.text, text_format="markdown", attachments=attachments)
        payload = activity.model_dump(by_alias=True, exclude_none=True, mode="json")
        if message.key:  # the outbox key travels with the activity (Teams gives no way to search for it: bot/teams/proactive.py)
            payload["channelData"] = {"vocOutboxKey": message.key}
        entities = [self._entity(who) for who in message.mentions]
        if entities:
            payload["entities"] = entities
        return payload

    def _entity(self, who: Person | Group) -> dict:
        if isinstance(who, Group):
            return {"type": "mention", "text": self.mention(who), "mentioned": {"id": who.id, "name": who.name, "type": "tag"}}
        return {"type": "mention", "text": self.mention(who),
                "mentioned": {"id": people.aad_of(who.id), "name": people.name_of(who.id) or who.id}}


def _inline_image(image: File) -> Attachment:
    """A picture as Teams' inline image: an attachment whose contentUrl is a base64 data URI (no
    upload, no Graph permission, in every scope; not counted in the message's size limit)."""
    kind = mimetypes.guess_type(image.filename)[0] or "image/png"
    data = base64.b64encode(image.content).decode("ascii")
    return Attachment(content_type=kind, content_url=f"data:{kind};base64,{data}", name=image.filename)
