"""Replies in an item's thread (message.channels / message.groups events): kept as the complaint's
discussion, with the files shared in them referenced by their permalinks."""
from __future__ import annotations

from bot.flows.dm_intake import shared_files
from bot.handlers import Who
from bot.incoming_text import readable
from bot.service import BotService


def reply_key(event: dict) -> str:
    return f"reply:{event.get('channel')}:{event.get('ts')}"


def who(body: dict) -> Who:
    event = body.get("event", {})
    return Who(reply_key(event), event.get("user", ""), readable(event.get("text")), event.get("channel"), None)


def is_reply_by_a_person(event: dict) -> bool:
    """A person's message inside a thread of a channel (not the thread's parent, not a bot, not an edit)."""
    return (event.get("channel_type") in ("channel", "group") and event.get("subtype") in (None, "file_share")
            and bool(event.get("thread_ts")) and event.get("thread_ts") != event.get("ts")
            and not event.get("bot_id") and bool(event.get("user")))


def keep_reply(service: BotService, body: dict) -> None:
    event = body["event"]
    if body.get("text_dropped"):  # stored text-free: its thread was no item's when it came (bot.inbox_writer)
        if service.rt.desk.item_of_thread(event["channel"], event["thread_ts"]) is None:
            return
        event = _fetched(service, event)  # the thread parent was posted a moment before the reply came
        if event is None:
            return  # deleted meanwhile: nothing left to keep
    service.rt.desk.keep_reply(event["channel"], event["thread_ts"], event["user"], event["ts"],
                               readable(event.get("text"), service.locales.name_of),
                               [f["permalink"] for f in shared_files(event) if f.get("permalink")])


def _fetched(service: BotService, event: dict) -> dict | None:
    """The reply as Slack has it now (conversations.replies, bounded to its own ts)."""
    answer = service.rt.client.conversations_replies(channel=event["channel"], ts=event["thread_ts"],
                                                     oldest=event["ts"], latest=event["ts"], inclusive=True, limit=2)
    found = [m for m in answer.get("messages") or [] if m.get("ts") == event["ts"]]
    return {**event, **found[0]} if found else None
