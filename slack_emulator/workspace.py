"""An in-memory Slack workspace: users, channels, user groups, messages, threads, ephemerals, views.

It answers Web API methods the way Slack does (shapes, `ok`/`error`, ts values) and
records every call, so tests can assert what Slack would have received and the
shell can render it. It can be told to fail the next calls of a method (429/500).
"""
from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any, Callable

from slack_emulator.blocks_check import check_blocks, check_view
from slack_emulator.serving import wait_until

MANIFEST = Path(__file__).resolve().parent.parent / "manifests" / "http.yaml"
BOT_USER = "U0VOCBOT"
BOT_ID = "B0VOCBOT"
TEAM = "T0DEMO"


class ApiError(Exception):
    def __init__(self, error: str, status: int = 200, headers: dict | None = None):
        self.error, self.status, self.headers = error, status, headers or {}


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str
    blocks: list | None = None
    thread_ts: str | None = None
    metadata: dict | None = None
    edited: bool = False
    revision: int = 0
    reactions: dict[str, list[str]] = field(default_factory=dict)
    files: list[dict] = field(default_factory=list)


@dataclass
class UploadedFile:
    """A file on its way in through files upload v2: announced, then its bytes, then shared."""
    id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str | None = None
    shared: bool = False


@dataclass
class Ephemeral:
    id: int
    channel: str
    user: str
    text: str
    blocks: list | None = None
    message_ts: str = ""
    replaced: int = 0


@dataclass
class View:
    id: str
    user: str
    view: dict
    errors: dict | None = None
    open: bool = True


@dataclass
class Call:
    method: str
    params: dict
    ok: bool
    error: str | None


class Workspace:
    def __init__(self, team: str = TEAM, bot_user: str = BOT_USER, now: Callable[[], float] = time.time):
        """`now` gives Slack's clock in epoch seconds (message ts); the shell passes its virtual clock."""
        self.team, self.bot_user, self.now = team, bot_user, now
        self.users: dict[str, dict] = {}
        self.channels: dict[str, dict] = {}
        self.usergroups: dict[str, dict] = {}
        self.invalid_tokens: set[str] = set()  # tokens this workspace refuses (a revoked or mistyped one)
        self.messages: list[Message] = []
        self.ephemerals: list[Ephemeral] = []
        self.views: dict[str, View] = {}
        self.homes: dict[str, View] = {}  # user -> their App Home (views.publish)
        self.calls: list[Call] = []
        self.failures: dict[str, list[tuple[int, str, dict]]] = {}
        self.triggers: dict[str, str] = {}  # trigger_id -> user
        self.response_targets: dict[str, dict] = {}  # response_url id -> where its answers go
        self.delays: dict[str, float] = {}  # method -> seconds its answer is held back (slow_down)
        self.responses: list[tuple[str, dict]] = []
        self.files: dict[str, UploadedFile] = {}
        self.channel_limit: tuple[int, float] | None = None  # limit_channel_posts
        self.channel_posts: dict[str, list[float]] = {}
        self.rate_limited = 0  # 429s answered for posting too fast
        self.upload_base = "http://127.0.0.1/upload/"  # the server sets its own address here
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        # Events the Web API causes (a user group's members changed): sent to each sink (the
        # SlackSide posts them to the app, signed) after the call that caused them, outside the lock.
        self.event_sinks: list[Callable[[dict], Any]] = []
        self._caused: list[dict] = []
        # The bot token's scopes, as installed from the app's manifest; Slack names them in the
        # `x-oauth-scopes` header of every Web API answer (https://api.slack.com/authentication/oauth-v2:
        # "Checking the scopes of a token"). A test removes one to play an app installed with too few.
        self.scopes: list[str] = manifest_scopes()
        self.add_user(bot_user, "vocdesk", "VOC Desk", is_bot=True)

    # ---- set-up --------------------------------------------------------------------------------
    def add_user(self, uid: str, name: str, real_name: str | None = None, locale: str = "en-US", is_bot: bool = False) -> dict:
        user = {"id": uid, "team_id": self.team, "name": name, "real_name": real_name or name, "locale": locale,
                "tz": "Asia/Shanghai", "is_bot": is_bot, "deleted": False,
                "profile": {"display_name": name, "real_name": real_name or name}}
        self.users[uid] = user
        return user

    def add_channel(self, cid: str, name: str, members: list[str] | None = None, is_private: bool = False) -> dict:
        members = list(members or [])
        channel = {"id": cid, "name": name, "is_channel": not is_private, "is_private": is_private,
                   "is_im": False, "members": members}
        self.channels[cid] = channel
        return channel

    def add_usergroup(self, sid: str, handle: str, name: str, users: list[str]) -> None:
        self.usergroups[sid] = {"id": sid, "handle": handle, "name": name, "users": list(users)}

    def dm_channel(self, user: str) -> str:
        cid = "D" + user[1:]
        if cid not in self.channels:
            self.channels[cid] = {"id": cid, "name": user, "is_channel": False, "is_private": True, "is_im": True,
                                  "user": user, "members": [user, self.bot_user]}
        return cid

    def fail_next(self, method: str, status: int = 500, error: str = "internal_error", times: int = 1,
                  retry_after: int | None = None) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self.lock:
            self.failures.setdefault(method, []).extend([(status, error, headers)] * times)

    def slow_down(self, method: str, seconds: float) -> None:
        """Answer `method` `seconds` late. The call takes effect at once, as in Slack under load: a
        caller that dies while waiting has posted without learning the ts. 0 restores."""
        with self.lock:
            self.delays[method] = seconds

    # ---- helpers -------------------------------------------------------------------------------
    def next_ts(self) -> str:
        # Seconds from Slack's clock; the sequence keeps every ts unique and increasing within a second.
        return f"{int(self.now())}.{next(self._ts):06d}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def issue_trigger(self, user: str) -> str:
        trigger = f"{next(self._ids)}.{int(time.time())}.emulated"
        self.triggers[trigger] = user
        return trigger

    def _channel(self, cid: str | None) -> dict:
        if cid and cid.startswith(("U", "W")) and cid in self.users:
            return self.channels[self.dm_channel(cid)]
        if not cid or cid not in self.channels:
            raise ApiError("channel_not_found")
        return self.channels[cid]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 60.0) -> Any:
        """Block until predicate() is truthy (the bot works after its ack); return its value. The timeout
        only bounds a failure: a passing wait returns as soon as the change is seen, however busy the machine."""
        return wait_until(self.changed, predicate, timeout, "Slack")

    def notify(self) -> None:
        with self.changed:
            self.changed.notify_all()

    # ---- the Web API ---------------------------------------------------------------------------
    def call(self, method: str, params: dict, token: str | None) -> tuple[int, dict, dict]:
        """Run one API method; returns (HTTP status, JSON body, headers). Events it causes reach the
        app before the caller gets the answer, as far as an emulator can say (Slack sends them soon)."""
        try:
            return self._call(method, params, token)
        finally:
            with self.lock:
                caused, self._caused = self._caused, []
            for event in caused:
                for sink in list(self.event_sinks):
                    sink(event)

    def _call(self, method: str, params: dict, token: str | None) -> tuple[int, dict, dict]:
        with self.changed:
            try:
                queued = self.failures.get(method)
                if queued:
                    status, error, headers = queued.pop(0)
                    raise ApiError(error, status, headers)
                handler = getattr(self, "api_" + method.replace(".", "_"), None)
                if handler is None:
                    raise ApiError("unknown_method", 404)
                if method != "auth.test" and not token:
                    raise ApiError("not_authed")
                if token in self.invalid_tokens:  # revoked, or never issued: Slack answers invalid_auth
                    raise ApiError("invalid_auth")
                body = {"ok": True, **handler(params)}
                self.calls.append(Call(method, params, True, None))
                return 200, body, {"x-oauth-scopes": ",".join(self.scopes)}
            except ApiError as exc:
                self.calls.append(Call(method, params, False, exc.error))
                return exc.status, {"ok": False, "error": exc.error}, exc.headers
            finally:
                self.changed.notify_all()

    def api_auth_test(self, p: dict) -> dict:
        return {"url": "https://emulated.slack.local/", "team": "Demo Auto Parts", "user": "vocdesk",
                "team_id": self.team, "user_id": self.bot_user, "bot_id": BOT_ID, "is_enterprise_install": False}

    def limit_channel_posts(self, messages: int, per_seconds: float = 1.0) -> None:
        """Slack's special rate limit for chat.postMessage: about one message per second per channel,
        short bursts tolerated (https://api.slack.com/methods/chat.postMessage#rate_limiting). Beyond
        `messages` within `per_seconds`, answer 429 with Retry-After, as Slack does."""
        self.channel_limit = (messages, per_seconds)

    def _check_channel_rate(self, channel: str) -> None:
        if self.channel_limit is None:
            return
        messages, per_seconds = self.channel_limit
        now = time.monotonic()
        recent = [t for t in self.channel_posts.get(channel, []) if now - t < per_seconds]
        if len(recent) >= messages:
            self.rate_limited += 1
            raise ApiError("ratelimited", 429, {"Retry-After": str(max(1, int(per_seconds)))})
        self.channel_posts[channel] = recent + [now]

    def api_chat_postMessage(self, p: dict) -> dict:
        channel = self._channel(p.get("channel"))
        if not channel["is_im"] and self.bot_user not in channel["members"]:
            raise ApiError("not_in_channel")
        self._check_channel_rate(channel["id"])
        blocks = _json(p.get("blocks"))
        if not p.get("text") and not blocks:
            raise ApiError("no_text")
        if len(p.get("text") or "") > 40000:
            raise ApiError("msg_too_long")
        if blocks is not None:
            check_blocks(blocks)
        thread_ts = p.get("thread_ts")
        if thread_ts and not any(m.ts == thread_ts and m.channel == channel["id"] for m in self.messages):
            raise ApiError("thread_not_found")
        msg = Message(channel["id"], self.next_ts(), self.bot_user, p.get("text") or "", blocks, thread_ts,
                      _json(p.get("metadata")))
        self.messages.append(msg)
        return {"channel": channel["id"], "ts": msg.ts,
                "message": {"type": "message", "user": msg.user, "bot_id": BOT_ID, "text": msg.text, "ts": msg.ts,
                            "blocks": blocks or [], **({"thread_ts": thread_ts} if thread_ts else {})}}

    # ---- files upload v2 (https://api.slack.com/messaging/files#uploading_files) ----------------
    def api_files_getUploadURLExternal(self, p: dict) -> dict:
        filename, length = p.get("filename"), str(p.get("length") or "")
        if not filename or not length.isdigit():
            raise ApiError("invalid_arguments")
        upload = UploadedFile(self.new_id("F"), filename, int(length))
        self.files[upload.id] = upload
        return {"upload_url": self.upload_base + upload.id, "file_id": upload.id}

    def receive_upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        with self.changed:
            upload = self.files.get(file_id)
            if upload is None or upload.data is not None:
                return 404, "not found"
            upload.data = data
            return 200, f"OK - {len(data)}"

    def api_files_completeUploadExternal(self, p: dict) -> dict:
        announced = _json(p.get("files"))
        if not isinstance(announced, list) or not announced:
            raise ApiError("invalid_arguments")
        uploads = []
        for f in announced:
            upload = self.files.get(f.get("id", ""))
            if upload is None or upload.shared:
                raise ApiError("file_not_found")
            if upload.data is None or len(upload.data) != upload.length:
                raise ApiError("file_upload_size_mismatch" if upload.data is not None else "file_not_found")
            upload.title = f.get("title") or upload.filename
            uploads.append(upload)
        described = [self._file(u) for u in uploads]
        channel_id = p.get("channel_id")
        if channel_id:
            channel = self._channel(channel_id)
            if not channel["is_im"] and self.bot_user not in channel["members"]:
                raise ApiError("not_in_channel")
            thread_ts = p.get("thread_ts")
            if thread_ts and not any(m.ts == thread_ts and m.channel == channel["id"] for m in self.messages):
                raise ApiError("thread_not_found")
            self.messages.append(Message(channel["id"], self.next_ts(), self.bot_user, p.get("initial_comment") or "",
                                         None, thread_ts, files=described))
        for u in uploads:
            u.shared = True
        return {"files": [{"id": d["id"], "title": d["title"]} for d in described]}

    def _file(self, upload: UploadedFile) -> dict:
        return {"id": upload.id, "name": upload.filename, "title": upload.title, "size": upload.length,
                "permalink": f"https://{self.team.lower()}.slack.com/files/{self.bot_user}/{upload.id}/{upload.filename}"}

    def api_conversations_history(self, p: dict) -> dict:
        """Top-level messages, newest first, paged by cursor. Slack returns message metadata only
        when include_all_metadata is set."""
        channel = self._channel(p.get("channel"))
        return self._page([m for m in self.messages if m.channel == channel["id"] and not m.thread_ts], p)

    def api_conversations_replies(self, p: dict) -> dict:
        """A thread: the parent first, then its replies, oldest first (as Slack orders them)."""
        channel = self._channel(p.get("channel"))
        ts = p.get("ts")
        parent = [m for m in self.messages if m.channel == channel["id"] and m.ts == ts]
        if not parent:
            raise ApiError("thread_not_found")
        replies = [m for m in self.messages if m.channel == channel["id"] and m.thread_ts == ts and _within(m.ts, p)]
        return self._page(parent + replies, p, newest_first=False)

    def _page(self, messages: list[Message], p: dict, newest_first: bool = True) -> dict:
        with_metadata = str(p.get("include_all_metadata", "")).lower() in ("1", "true")
        ordered = sorted(messages, key=lambda m: float(m.ts), reverse=newest_first)
        start, limit = int(p.get("cursor") or 0), min(int(p.get("limit") or 100), 999)
        shown = ordered[start:start + limit]
        more = start + limit < len(ordered)
        return {"messages": [self._as_history(m, with_metadata) for m in shown], "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _as_history(self, m: Message, with_metadata: bool) -> dict:
        out = {"type": "message", "user": m.user, "text": m.text, "ts": m.ts, "blocks": m.blocks or []}
        if m.user == self.bot_user:
            out["bot_id"] = BOT_ID
        if m.thread_ts:
            out["thread_ts"] = m.thread_ts
        if m.files:  # a file share: Slack lists the files on the message (subtype file_share)
            out |= {"subtype": "file_share", "files": m.files}
        if with_metadata and m.metadata:
            out["metadata"] = m.metadata
        return out

    def api_chat_postEphemeral(self, p: dict) -> dict:
        channel = self._channel(p.get("channel"))
        user = p.get("user")
        if user not in self.users:
            raise ApiError("user_not_found")
        if not channel["is_im"] and channel["members"] and user not in channel["members"]:
            raise ApiError("user_not_in_channel")
        blocks = _json(p.get("blocks"))
        if blocks is not None:
            check_blocks(blocks)
        eph = self.add_ephemeral(channel["id"], user, p.get("text") or "", blocks)
        return {"message_ts": eph.message_ts}

    def add_ephemeral(self, channel: str, user: str, text: str, blocks: list | None) -> Ephemeral:
        eph = Ephemeral(len(self.ephemerals) + 1, channel, user, text, blocks, self.next_ts())
        self.ephemerals.append(eph)
        return eph

    def api_chat_update(self, p: dict) -> dict:
        channel = self._channel(p.get("channel"))
        msg = next((m for m in self.messages if m.channel == channel["id"] and m.ts == p.get("ts")), None)
        if msg is None:
            raise ApiError("message_not_found")
        blocks = _json(p.get("blocks"))
        if blocks is not None:
            check_blocks(blocks)
            msg.blocks = blocks
        if p.get("text") is not None:
            msg.text = p["text"]
        msg.edited = True
        msg.revision += 1
        return {"channel": channel["id"], "ts": msg.ts, "text": msg.text}

    def api_chat_getPermalink(self, p: dict) -> dict:
        channel = self._channel(p.get("channel"))
        ts = p.get("message_ts") or ""
        if not any(m.ts == ts and m.channel == channel["id"] for m in self.messages):
            raise ApiError("message_not_found")
        return {"channel": channel["id"], "permalink": f"https://emulated.slack.local/archives/{channel['id']}/p{ts.replace('.', '')}"}

    def api_apps_connections_open(self, p: dict) -> dict:
        if not getattr(self, "socket_url", None):
            raise ApiError("socket_mode_not_enabled")
        return {"url": self.socket_url}

    def api_users_info(self, p: dict) -> dict:
        user = self.users.get(p.get("user"))
        if user is None:
            raise ApiError("user_not_found")
        return {"user": user}

    def api_conversations_join(self, p: dict) -> dict:
        channel = self._channel(p.get("channel"))
        if channel["is_private"]:
            raise ApiError("method_not_supported_for_channel_type")
        if self.bot_user not in channel["members"]:
            channel["members"].append(self.bot_user)
        return {"channel": channel}

    def api_conversations_open(self, p: dict) -> dict:
        """Open (or find) the DM with a person: https://api.slack.com/methods/conversations.open"""
        users = [u for u in (p.get("users") or "").split(",") if u]
        if len(users) != 1 or users[0] not in self.users:
            raise ApiError("user_not_found")
        return {"channel": {"id": self.dm_channel(users[0])}}

    def api_conversations_info(self, p: dict) -> dict:
        """https://api.slack.com/methods/conversations.info: `is_member` says whether the caller is in it;
        a private channel the bot is not in is, to the bot, a channel that does not exist."""
        channel = self._channel(p.get("channel"))
        member = self.bot_user in channel["members"]
        if channel["is_private"] and not channel["is_im"] and not member:
            raise ApiError("channel_not_found")
        return {"channel": {**channel, "is_member": member, "is_archived": channel.get("is_archived", False)}}

    def api_usergroups_list(self, p: dict) -> dict:
        return {"usergroups": list(self.usergroups.values())}

    def api_usergroups_users_list(self, p: dict) -> dict:
        """https://api.slack.com/methods/usergroups.users.list: the member ids of one user group."""
        group = self.usergroups.get(p.get("usergroup"))
        if group is None:
            raise ApiError("no_such_subteam")
        return {"users": list(group["users"])}

    def api_usergroups_users_update(self, p: dict) -> dict:
        """https://api.slack.com/methods/usergroups.users.update: replace a user group's members (a
        comma-separated list of ids). Slack then sends `subteam_members_changed` with the delta
        (https://api.slack.com/events/subteam_members_changed)."""
        group = self.usergroups.get(p.get("usergroup"))
        if group is None:
            raise ApiError("no_such_subteam")
        users = [u for u in (p.get("users") or "").split(",") if u]
        if not users:
            raise ApiError("invalid_users")
        before = list(group["users"])
        group["users"] = users
        previous, group["date_update"] = group.get("date_update", 0), int(self.now())
        added = [u for u in users if u not in before]
        removed = [u for u in before if u not in users]
        if added or removed:
            self._caused.append({"type": "subteam_members_changed", "subteam_id": group["id"], "team_id": self.team,
                                 "date_previous_update": previous, "date_update": group["date_update"],
                                 "added_users": added, "added_users_count": str(len(added)),
                                 "removed_users": removed, "removed_users_count": str(len(removed)),
                                 "event_ts": self.next_ts()})
        return {"usergroup": {**group, "users": list(users), "user_count": len(users)}}

    def api_reactions_add(self, p: dict) -> dict:
        channel = self._channel(p.get("channel"))
        msg = next((m for m in self.messages if m.channel == channel["id"] and m.ts == p.get("timestamp")), None)
        if msg is None:
            raise ApiError("message_not_found")
        msg.reactions.setdefault(p.get("name", ""), []).append(self.bot_user)
        return {}

    def api_views_open(self, p: dict) -> dict:
        trigger = p.get("trigger_id")
        user = self.triggers.pop(trigger, None)
        if user is None:
            raise ApiError("invalid_trigger_id")
        view = _json(p.get("view"))
        check_view(view)
        vid = self.new_id("V")
        stored = dict(view, id=vid, hash=f"{vid}.{next(self._ids)}", team_id=self.team, state={"values": {}})
        self.views[vid] = View(vid, user, stored)
        return {"view": stored}

    def api_views_update(self, p: dict) -> dict:
        current = self.views.get(p.get("view_id"))
        if current is None:
            raise ApiError("not_found")
        view = _json(p.get("view"))
        check_view(view)
        current.view = dict(view, id=current.id, hash=f"{current.id}.{next(self._ids)}", state={"values": {}})
        return {"view": current.view}

    def api_views_publish(self, p: dict) -> dict:
        """App Home (https://api.slack.com/methods/views.publish): the person's Home tab, replaced whole."""
        user = p.get("user_id")
        if user not in self.users:
            raise ApiError("user_not_found")
        view = _json(p.get("view"))
        check_view(view, "home")
        vid = self.homes[user].id if user in self.homes else self.new_id("V")
        stored = dict(view, id=vid, hash=f"{vid}.{next(self._ids)}", team_id=self.team, state={"values": {}})
        self.homes[user] = View(vid, user, stored)
        return {"view": stored}

    # ---- response_url ------------------------------------------------------------------------------
    def new_response_target(self, channel: str, user: str, ephemeral: Ephemeral | None = None,
                            message: Message | None = None) -> str:
        """`message`: the (non-ephemeral) message clicked, which replace_original replaces for everyone."""
        rid = self.new_id("R")
        self.response_targets[rid] = {"channel": channel, "user": user, "ephemeral": ephemeral, "message": message, "uses": 0}
        return rid

    def bind_response_target(self, rid: str, ephemeral: Ephemeral) -> None:
        if rid in self.response_targets:
            self.response_targets[rid]["ephemeral"] = ephemeral

    def respond(self, rid: str, payload: dict) -> tuple[int, str]:
        """A POST to a response_url: replace the original ephemeral, or add a new message."""
        with self.changed:
            try:
                target = self.response_targets.get(rid)
                failing = self.failures.get("response_url")
                if failing:
                    status, error, _ = failing.pop(0)
                    return status, error
                if target is None:
                    return 404, "no_such_url"
                if target["uses"] >= 5:  # Slack allows five uses per response_url
                    return 410, "used_up"
                target["uses"] += 1
                self.responses.append((rid, payload))
                blocks = payload.get("blocks")
                if blocks is not None:
                    try:
                        check_blocks(blocks)
                    except ApiError as exc:
                        return 400, exc.error
                original, message = target["ephemeral"], target.get("message")
                if payload.get("delete_original") and original is not None:
                    self.ephemerals.remove(original)
                elif payload.get("replace_original") and original is not None:
                    original.text, original.blocks = payload.get("text", ""), blocks
                    original.replaced += 1
                elif payload.get("replace_original") and message is not None:  # the message clicked, in place
                    message.text, message.blocks = payload.get("text", ""), blocks
                    message.revision += 1
                elif payload.get("response_type") == "in_channel":
                    self.messages.append(Message(target["channel"], self.next_ts(), self.bot_user, payload.get("text", ""), blocks))
                else:
                    target["ephemeral"] = self.add_ephemeral(target["channel"], target["user"], payload.get("text", ""), blocks)
                return 200, "ok"
            finally:
                self.changed.notify_all()

    # ---- what the shell and tests read --------------------------------------------------------
    def calls_to(self, method: str, ok: bool | None = True) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    def channel_messages(self, channel: str, include_replies: bool = False) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if m.channel == channel and (include_replies or not m.thread_ts)]

    def thread(self, channel: str, ts: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if m.channel == channel and m.thread_ts == ts]

    def ephemerals_for(self, user: str) -> list[Ephemeral]:
        with self.lock:
            return [e for e in self.ephemerals if e.user == user]


def manifest_scopes(path: Path = MANIFEST) -> list[str]:
    """The bot scopes the app's manifest asks for: what an installation from it grants."""
    import yaml

    return list(yaml.safe_load(path.read_text("utf-8"))["oauth_config"]["scopes"]["bot"])


def _json(value: Any) -> Any:
    import json

    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError("invalid_json")
    return value


def _within(ts: str, p: dict) -> bool:
    """Slack's `oldest` / `latest` bounds of a history call, exclusive unless `inclusive` is set."""
    inclusive = str(p.get("inclusive", "")).lower() in ("1", "true")
    oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
    t = float(ts)
    return (oldest <= t <= latest) if inclusive else (oldest < t < latest)
