"""`/complaints` lists items: yours (reported or owned), your department's open ones, all open, overdue,
or one customer's — a page at a time, each with a link to its thread. Anyone may read."""
from __future__ import annotations

import json

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import reading_command
from bot.commands.feedback import request_key
from bot.flows.proposal import action_key
from bot.service import BotService
from bot.views.lists import list_blocks
from domain.i18n import t

# What people type after /complaints, in either language, and the list it means.
SCOPE_WORDS = {
    "": "mine", "mine": "mine", "my": "mine", "我的": "mine",
    "dept": "dept", "department": "dept", "team": "dept", "部门": "dept", "部門": "dept",
    "open": "open", "all": "open", "未结": "open", "未結": "open", "全部": "open",
    "overdue": "overdue", "late": "overdue", "逾期": "overdue", "超期": "overdue",
}
HELP_WORDS = {"help", "?", "帮助", "幫助"}
CUSTOMER_CHARS = 100  # a customer's name as typed; it travels in the Next page button (Slack: 2000 chars)


def scope_of(text: str) -> tuple[str, str | None]:
    words = (text or "").strip()
    scope = SCOPE_WORDS.get(words.lower())
    return (scope, None) if scope else ("customer", words[:CUSTOMER_CHARS])


def show_list(service: BotService, user: str, scope: str, customer: str | None, offset: int, key: str,
          channel: str | None, response_url: str | None, replace: bool) -> None:
    lang = service.locales.resolve(user)
    page = service.rt.desk.list(scope, user, customer, offset)
    client = service.rt.client
    links = {r.id: client.chat_getPermalink(channel=r.channel_id, message_ts=r.thread_ts)["permalink"]
             for r in page.rows if r.channel_id and r.thread_ts}
    title = t(f"list.title.{scope}", lang, customer=customer or "")
    nxt = {"scope": scope, "customer": customer, "offset": offset + len(page.rows)}
    blocks = list_blocks(page, title, service.rt.policy, lang, links, service.rt.clock.now(), nxt)
    service.notify(key, user, lang, title, blocks=blocks, channel=channel, response_url=response_url, replace=replace)


def show(service: BotService, body: dict) -> None:
    scope, customer = scope_of(body.get("text") or "")
    show_list(service, body["user_id"], scope, customer, 0, f"{request_key(body)}:answer", body.get("channel_id"),
          body.get("response_url"), replace=False)


def next_page(service: BotService, body: dict) -> None:
    """The *Next page* button: the list's next page replaces the one clicked."""
    try:
        wanted = json.loads(body["actions"][0].get("value") or "{}")
    except ValueError:  # not a value this bot wrote: start again from the first page of yours
        wanted = {}
    show_list(service, body["user"]["id"], wanted.get("scope", "mine"), wanted.get("customer"), int(wanted.get("offset", 0)),
          f"{action_key(body)}:page", (body.get("channel") or {}).get("id"), body.get("response_url"), replace=True)


def register(app: App, service: BotService) -> None:
    app.command(ids.COMPLAINTS_COMMAND)(reading_command(service, "slash.complaints", "list.help", HELP_WORDS))
    app.action(ids.LIST_NEXT)(service.store_after_ack("action.list_page", action_key))
