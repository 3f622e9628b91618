"""The messaging boundary on Slack: a thin adapter over slack_sdk's WebClient (today's calls,
unchanged). Errors stay slack_sdk's own: the outbox's Slack handling (bot/delivery.py) reads them."""
from __future__ import annotations

from typing import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.messaging.boundary import SLACK, Conversation, File, Group, Message, Person, PersonInfo, Thread


class SlackMessaging:
    platform = SLACK

    def __init__(self, client_of: Callable[[], WebClient]):
        self._client_of = client_of  # the runtime's client as it is now (tests swap it for a slower one)

    @property
    def client(self) -> WebClient:
        return self._client_of()

    def post_parent(self, where: Conversation, message: Message) -> str:
        return self.post_message(where.id, **self._content(message))

    def update_parent(self, thread: Thread, message: Message) -> None:
        self.client.chat_update(channel=thread.conversation.id, ts=thread.parent, text=message.text, blocks=message.body)

    def reply(self, thread: Thread, message: Message) -> str:
        return self.post_message(thread.conversation.id, thread_ts=thread.parent, **self._content(message))

    def send(self, where: Conversation, message: Message) -> str:
        return self.post_message(where.id, **self._content(message))

    def mention(self, who: Person | Group) -> str:
        return f"<!subteam^{who.id}>" if isinstance(who, Group) else f"<@{who.id}>"

    def dm(self, person: Person, message: Message) -> str:
        return self.client.chat_postMessage(channel=person.id, **self._content(message))["ts"]

    def open_form(self, trigger: str, form: dict) -> None:
        self.client.views_open(trigger_id=trigger, view=form)

    def upload(self, thread: Thread, files: list[File], comment: str) -> None:
        self.client.files_upload_v2(channel=thread.conversation.id, thread_ts=thread.parent, initial_comment=comment,
                                    file_uploads=[{"content": f.content, "filename": f.filename,
                                                   "title": f.title or f.filename} for f in files])

    def look_up(self, person: Person) -> PersonInfo:
        user = self.client.users_info(user=person.id, include_locale=True)["user"]
        profile = user.get("profile") or {}
        return PersonInfo(id=person.id, name=profile.get("display_name") or user.get("real_name") or user.get("name"),
                          locale=user.get("locale"),
                          guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")))

    # ----------------------------------------------------------------------------------------
    def post_message(self, channel: str, **kwargs) -> str:
        """chat.postMessage; a public channel the bot was not invited to is joined, then posted to."""
        try:
            return self.client.chat_postMessage(channel=channel, unfurl_links=False, **kwargs)["ts"]
        except SlackApiError as exc:
            if exc.response.get("error") != "not_in_channel":
                raise
            self.client.conversations_join(channel=channel)
            return self.client.chat_postMessage(channel=channel, unfurl_links=False, **kwargs)["ts"]

    @staticmethod
    def _content(message: Message) -> dict:
        """Slack message metadata carries the outbox key, so a later sender can find the post."""
        content = {"text": message.text, "blocks": message.body}
        if message.key is not None:
            content["metadata"] = {"event_type": message.event_type,
                                   "event_payload": {"item_id": message.item_id, "key": message.key}}
        return content
