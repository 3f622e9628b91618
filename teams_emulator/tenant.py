"""A Teams tenant's state as the Bot Connector API shows it to one bot: its people, channels and
personal chats, every activity the bot posted or updated, and every call it made (for tests).

Follows Microsoft's Bot Connector REST API reference (Conversations: Create Conversation, Send to
Conversation, Reply to Activity, Update Activity, Get Conversation Members), Teams' threaded
conversation ids (`<channel>;messageid=<parent>`: a message sent there is a reply in that thread) and
Teams' throttling:
over the pace a test sets, a call is answered 429 with Retry-After, and nothing is posted.
"""
from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import unquote

from slack_emulator.serving import wait_until

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_APP_ID = "00000000-0000-4000-8000-00000000b07d"
BOT_PASSWORD = "emulated-bot-secret"
# Teams refuses a bot message larger than about 100 KB, counted in UTF-16 and without its base64 inline
# images ("Format your bot messages"): 413 RequestEntityTooLarge, code MessageSizeTooBig.
MESSAGE_LIMIT = 100 * 1024
DATA_URI = re.compile(r"^data:(image/[a-z+.-]+);base64,([A-Za-z0-9+/=]*)$")


class ConnectorError(Exception):
    def __init__(self, status: int, code: str, message: str = "", headers: dict | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message or self.code}}


@dataclass
class Posted:
    """One activity the bot sent, as Teams keeps it (an update replaces its content, keeps its id)."""

    conversation: str
    id: str
    type: str
    text: str | None
    reply_to: str | None
    attachments: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    versions: int = 1
    raw: dict = field(default_factory=dict)

    @property
    def card(self) -> dict | None:
        """The Adaptive Card it carries, if any."""
        for a in self.attachments:
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return a.get("content")
        return None

    def images(self) -> list[tuple[str, bytes]]:
        """The inline images it carries (name, bytes): what Teams shows under the message."""
        found = []
        for a in self.attachments:
            m = DATA_URI.match(a.get("contentUrl") or "")
            if m and (a.get("contentType") or "").startswith("image/"):
                found.append((a.get("name") or "", base64.b64decode(m.group(2))))
        return found

    def mentioned(self) -> list[str]:
        return [e["mentioned"]["id"] for e in self.entities if e.get("type") == "mention" and e.get("mentioned")]


@dataclass
class Call:
    method: str
    path: str
    body: Any
    status: int


class Tenant:
    def __init__(self, tenant_id: str = TENANT_ID, app_id: str = BOT_APP_ID, password: str = BOT_PASSWORD):
        self.tenant_id, self.app_id, self.password = tenant_id, app_id, password
        self.bot_id = f"28:{app_id}"
        self.users: dict[str, dict] = {}  # aadObjectId -> ChannelAccount
        self.conversations: dict[str, dict] = {}  # id -> {type, members, name, team}
        self.tags: dict[str, dict] = {}  # tag id -> {name, members}
        self.posted: list[Posted] = []
        self.calls: list[Call] = []
        self.tokens: set[str] = set()  # access tokens the token endpoint gave the bot
        self.failures: dict[str, list[ConnectorError]] = {}
        self.pace: tuple[int, float] | None = None  # at most n posts per conversation in `seconds`
        self.recent_posts: dict[str, list[float]] = {}
        self.bot_pace: tuple[int, float] | None = None  # at most n posts by the bot, all conversations, in `seconds`
        self.bot_posts: list[float] = []
        self.throttled = 0  # 429s answered
        self.invoke_answers: list = []  # every card action sent (channel_side.Delivery) with the bot's answer
        # A card an invoke was answered with replaces the message's card for the person who pressed it only,
        # until the bot edits the message (then everyone sees the edit): (message id, aadObjectId) -> card.
        self.views: dict[tuple[str, str], dict] = {}
        self._ids = itertools.count(1)
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)

    # ---- set-up --------------------------------------------------------------------------------
    def add_user(self, name: str, locale: str = "en-US", aad_object_id: str | None = None) -> dict:
        aad = aad_object_id or str(uuid.uuid4())
        user = {"id": f"29:1{secrets.token_hex(20)}", "name": name, "aadObjectId": aad, "locale": locale,
                "userPrincipalName": f"{name.split()[0].lower()}@contoso.example", "tenantId": self.tenant_id,
                "userRole": "user"}
        self.users[aad] = user
        return user

    def add_channel(self, name: str, members: list[dict] | None = None, team: str = "19:team@thread.tacv2",
                    cid: str | None = None) -> str:
        cid = cid or f"19:{secrets.token_hex(16)}@thread.tacv2"
        self.conversations[cid] = {"type": "channel", "name": name, "team": team, "members": list(members or [])}
        return cid

    def add_tag(self, name: str, members: list[dict], tag: str | None = None) -> str:
        tag = tag or str(uuid.uuid4())
        self.tags[tag] = {"name": name, "members": [m["aadObjectId"] for m in members]}
        return tag

    def personal_chat(self, user: dict) -> str:
        """The 1:1 chat between a person and the bot (Teams makes one per person and bot)."""
        for cid, conv in self.conversations.items():
            if conv["type"] == "personal" and conv["members"][0]["aadObjectId"] == user["aadObjectId"]:
                return cid
        cid = f"a:1{secrets.token_hex(24)}"
        self.conversations[cid] = {"type": "personal", "name": None, "members": [user]}
        return cid

    def limit_posts(self, count: int, seconds: float) -> None:
        """Throttle like Teams: more than `count` posts in a conversation within `seconds` get 429."""
        with self.lock:
            self.pace, self.recent_posts = (count, seconds), {}

    def limit_bot(self, count: int, seconds: float) -> None:
        """Throttle the bot as a whole (Teams' per-app limit): more than `count` posts in `seconds`, in any
        conversations together, get 429."""
        with self.lock:
            self.bot_pace, self.bot_posts = (count, seconds), []

    def fail_next(self, action: str, status: int = 500, code: str = "ServiceError", times: int = 1,
                  retry_after: int | None = None) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self.lock:
            self.failures.setdefault(action, []).extend([ConnectorError(status, code, "", headers)] * times)

    # ---- reading -------------------------------------------------------------------------------
    def in_conversation(self, cid: str, top_level_only: bool = False) -> list[Posted]:
        with self.lock:
            return [p for p in self.posted if p.conversation == cid and not (top_level_only and p.reply_to)]

    def replies_to(self, cid: str, activity_id: str) -> list[Posted]:
        with self.lock:
            return [p for p in self.posted if p.conversation == cid and p.reply_to == activity_id]

    def card_seen_by(self, user: dict, posted: Posted) -> dict | None:
        """The card this person sees on the message: their invoke's answer, else the message's own."""
        with self.lock:
            return self.views.get((posted.id, user["aadObjectId"]), posted.card)

    def show(self, message_id: str, user: dict, card: dict) -> None:
        """An invoke answered with a card: Teams puts it in place of the message's card, for that person."""
        with self.changed:
            self.views[(message_id, user["aadObjectId"])] = card
            self.changed.notify_all()

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 60.0) -> Any:
        """Block until predicate() is truthy; the timeout only bounds a failure."""
        return wait_until(self.changed, predicate, timeout, "Teams")

    # ---- the token endpoint (Microsoft Entra ID, client credentials) ---------------------------
    def issue_token(self, form: dict) -> dict:
        if (form.get("grant_type") != "client_credentials" or form.get("client_id") != self.app_id
                or form.get("client_secret") != self.password):
            raise ConnectorError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
        if form.get("scope") != "https://api.botframework.com/.default":
            raise ConnectorError(400, "invalid_scope", "the scope must be https://api.botframework.com/.default")
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens.add(token)
        return {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}

    # ---- the connector API ---------------------------------------------------------------------
    def call(self, method: str, path: str, body: Any, token: str | None) -> tuple[int, Any, dict]:
        """One connector call; returns (HTTP status, JSON body, headers), and records it."""
        try:
            if token not in self.tokens:
                raise ConnectorError(401, "Unauthorized", "Authorization has been denied for this request.")
            parts = [unquote(p) for p in path.split("?")[0].strip("/").split("/")]
            status, answer, headers = 200, self._route(method, parts, body), {}
        except ConnectorError as exc:
            status, answer, headers = exc.status, exc.body(), exc.headers
        with self.changed:
            self.calls.append(Call(method, path, body, status))
            self.changed.notify_all()
        return status, answer, headers

    def _route(self, method: str, parts: list[str], body: Any) -> Any:
        if parts[:2] != ["v3", "conversations"]:
            raise ConnectorError(404, "NotFound", "no such API")
        rest = parts[2:]
        if method == "POST" and not rest:
            return self._create_conversation(body)
        if rest and ";messageid=" in rest[0] and method == "POST" and rest[1:] == ["activities"]:
            channel, _, parent = rest[0].partition(";messageid=")  # a channel thread's conversation: a reply in it
            if channel in self.conversations and self.conversations[channel]["type"] == "channel":
                return self._send(channel, body, reply_to=parent)
        if not rest or rest[0] not in self.conversations:
            raise ConnectorError(404, "ConversationNotFound", "Conversation not found.")
        cid = rest[0]
        if method == "GET" and rest[1:] == ["members"]:
            return list(self.conversations[cid]["members"])
        if method == "POST" and rest[1:2] == ["activities"] and len(rest) in (2, 3):
            return self._send(cid, body, reply_to=rest[2] if len(rest) == 3 else None)
        if method == "PUT" and rest[1:2] == ["activities"] and len(rest) == 3:
            return self._update(cid, rest[2], body)
        raise ConnectorError(405, "MethodNotAllowed", f"{method} {'/'.join(parts)}")

    def _create_conversation(self, body: dict) -> dict:
        """A 1:1 chat with a person (members: [{id}]): Teams answers with the existing one."""
        members = body.get("members") or []
        if body.get("isGroup") or len(members) != 1:
            raise ConnectorError(400, "BadSyntax", "only 1:1 conversations can be created by a bot here")
        wanted = members[0].get("id")
        user = next((u for u in self.users.values() if wanted in (u["id"], u["aadObjectId"])), None)
        if user is None:
            raise ConnectorError(404, "MemberNotFound", "the user is not in this tenant")
        cid = self.personal_chat(user)
        answer = {"id": cid, "serviceUrl": None}
        if body.get("activity"):
            answer["activityId"] = self._send(cid, body["activity"])["id"]
        return answer

    def _take_failure(self, action: str) -> None:
        queue = self.failures.get(action)
        if queue:
            raise queue.pop(0)

    def _throttle(self, cid: str) -> None:
        now = time.monotonic()
        if self.bot_pace is not None:
            self.bot_posts = self._within(self.bot_posts, *self.bot_pace, now)
        if self.pace is not None:
            self.recent_posts[cid] = self._within(self.recent_posts.get(cid, []), *self.pace, now)
            self.recent_posts[cid].append(now)
        if self.bot_pace is not None:
            self.bot_posts.append(now)

    def _within(self, posts: list[float], count: int, seconds: float, now: float) -> list[float]:
        """The posts still inside the window; 429 (nothing posted) when they fill it."""
        recent = [t for t in posts if now - t < seconds]
        if len(recent) >= count:
            self.throttled += 1
            wait = max(1, int(seconds - (now - recent[0])) + 1)
            raise ConnectorError(429, "TooManyRequests", "throttled", {"Retry-After": str(wait)})
        return recent

    def _send(self, cid: str, body: dict, reply_to: str | None = None) -> dict:
        with self.lock:
            self._take_failure("send")
            self._throttle(cid)
            if reply_to is not None and not any(p.id == reply_to and p.conversation == cid for p in self.posted):
                raise ConnectorError(404, "ActivityNotFound", "the activity replied to does not exist")
            if (body or {}).get("type", "message") != "message":
                raise ConnectorError(400, "BadSyntax", "the bot may send message activities")
            _check_size_and_images(body)
            activity_id = str(1_700_000_000_000 + next(self._ids))
            self.posted.append(Posted(cid, activity_id, "message", body.get("text"), reply_to,
                                      list(body.get("attachments") or []), list(body.get("entities") or []), raw=body))
            return {"id": activity_id}

    def _update(self, cid: str, activity_id: str, body: dict) -> dict:
        with self.lock:
            self._take_failure("update")
            self._throttle(cid)
            found = next((p for p in self.posted if p.id == activity_id and p.conversation == cid), None)
            if found is None:
                raise ConnectorError(404, "ActivityNotFound", "Activity not found.")
            found.text, found.attachments = body.get("text"), list(body.get("attachments") or [])
            found.entities, found.versions, found.raw = list(body.get("entities") or []), found.versions + 1, body
            self.views = {k: v for k, v in self.views.items() if k[0] != activity_id}  # the edit, for everyone
            return {"id": activity_id}


def _check_size_and_images(body: dict) -> None:
    """An inline image must be a valid base64 data URI of an image; the rest must fit the size limit."""
    rest = dict(body)
    rest["attachments"] = []
    for a in body.get("attachments") or []:
        url = a.get("contentUrl") or ""
        if url.startswith("data:"):
            m = DATA_URI.match(url)
            if not m or m.group(1) != a.get("contentType"):
                raise ConnectorError(400, "BadArgument", "an inline image is a base64 data URI of its contentType")
            try:
                base64.b64decode(m.group(2), validate=True)
            except binascii.Error as exc:
                raise ConnectorError(400, "BadArgument", "the inline image is not base64") from exc
            a = {**a, "contentUrl": ""}
        rest["attachments"].append(a)
    if len(json.dumps(rest, ensure_ascii=False).encode("utf-16-le")) > MESSAGE_LIMIT:
        raise ConnectorError(413, "MessageSizeTooBig", "the activity is larger than Teams takes")
