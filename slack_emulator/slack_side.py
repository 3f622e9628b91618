"""Slack's side of the conversation: the signed requests Slack sends to an app's Request URL.

Builds real payloads (slash commands, block actions, view submissions, message
shortcuts, events), signs them with the signing secret the way Slack does, POSTs
them to the app, and records what the app answered in its ack (an ephemeral
message, modal errors), as Slack would show it.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from slack_sdk.signature import SignatureVerifier

from slack_emulator.workspace import Ephemeral, Message, Workspace


@dataclass
class Sent:
    """One request as sent, so a test can send the very same bytes again (a Slack retry)."""

    body: str
    content_type: str
    status: int = 0
    response: str = ""
    response_json: dict = field(default_factory=dict)

    @property
    def ack_text(self) -> str | None:
        """What Slack shows the person from the app's ack: a JSON `text`, or a plain-text body."""
        if self.response_json:
            return self.response_json.get("text")
        return self.response.strip() or None


class SlackSide:
    def __init__(self, workspace: Workspace, app_url: str | None, signing_secret: str, response_base: str,
                 team_domain: str = "demo", api_app_id: str = "A0VOCDESK", socket=None):
        """Requests go to `app_url` over signed HTTP, or as Socket Mode envelopes through `socket`."""
        self.ws, self.app_url, self.secret, self.socket = workspace, app_url, signing_secret, socket
        self.response_base = response_base.rstrip("/")
        self.team_domain, self.api_app_id = team_domain, api_app_id
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None  # nothing to sign over Socket Mode
        workspace.event_sinks.append(self.event)  # events the Web API causes (a user group's members changed)

    # ---- transport -----------------------------------------------------------------------------
    def post(self, sent: Sent, *, retry_num: int | None = None, timestamp: int | None = None,
             signature: str | None = None) -> Sent:
        if self.socket is not None:
            return self._over_socket(sent)
        ts = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "Content-Type": sent.content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature or self.verifier.generate_signature(timestamp=ts, body=sent.body),
        }
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        request = urllib.request.Request(self.app_url, data=sent.body.encode("utf-8"), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                sent.status, sent.response = resp.status, resp.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            sent.status, sent.response = err.code, err.read().decode("utf-8")
        try:
            sent.response_json = json.loads(sent.response) if sent.response.strip().startswith("{") else {}
        except ValueError:
            sent.response_json = {}
        return sent

    def _over_socket(self, sent: Sent) -> Sent:
        """The same request as a Socket Mode envelope; the app's ack payload is the response."""
        if sent.content_type == "application/json":
            kind, payload = "events_api", json.loads(sent.body)
        else:
            fields = dict(parse_qsl(sent.body, keep_blank_values=True))
            kind, payload = (("interactive", json.loads(fields["payload"])) if "payload" in fields
                             else ("slash_commands", fields))
        answer = self.socket.send(kind, payload)
        sent.status, sent.response_json = 200, answer or {}
        sent.response = json.dumps(answer) if answer else ""
        return sent

    def _form(self, fields: dict) -> Sent:
        # A client can send a broken emoji (a lone surrogate): it arrives percent-encoded as is.
        return Sent(urlencode(fields, errors="surrogatepass"), "application/x-www-form-urlencoded")

    def _payload(self, payload: dict) -> Sent:
        return Sent(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def _user(self, user: str) -> dict:
        u = self.ws.users.get(user, {"name": user})
        return {"id": user, "username": u["name"], "name": u["name"], "team_id": self.ws.team}

    def _response_url(self, channel: str, user: str, ephemeral: Ephemeral | None = None,
                      message: Message | None = None) -> str:
        return f"{self.response_base}/{self.ws.new_response_target(channel, user, ephemeral, message)}"

    # ---- what people do --------------------------------------------------------------------------
    def command(self, user: str, channel: str, text: str, command: str = "/feedback", send: bool = True,
                markup: bool = False) -> Sent:
        """A person runs a slash command. `text` is what they typed, encoded as Slack encodes it;
        with `markup=True` it is already in Slack's format (mentions and links as Slack writes them)."""
        with self.ws.lock:
            trigger = self.ws.issue_trigger(user)
            response_url = self._response_url(channel, user)
        sent = self._form({
            "token": "legacy-verification-token", "team_id": self.ws.team, "team_domain": self.team_domain,
            "channel_id": channel, "channel_name": self.ws.channels.get(channel, {}).get("name", channel),
            "user_id": user, "user_name": self.ws.users.get(user, {}).get("name", user), "command": command,
            "text": text if markup else slack_encode(text), "api_app_id": self.api_app_id, "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": trigger,
        })
        return self.deliver_command(sent, user, channel, response_url) if send else sent

    def deliver_command(self, sent: Sent, user: str, channel: str, response_url: str | None = None, **post) -> Sent:
        self.post(sent, **post)
        text = sent.ack_text
        if sent.status == 200 and text:
            with self.ws.changed:  # Slack shows an ack's text to the person as an ephemeral message
                eph = self.ws.add_ephemeral(channel, user, text, sent.response_json.get("blocks"))
                if response_url:
                    self.ws.bind_response_target(response_url.rsplit("/", 1)[1], eph)
                self.ws.changed.notify_all()
        return sent

    def click(self, user: str, source: Ephemeral | Message, action_id: str) -> Sent:
        """Click the button `action_id` in a message or ephemeral message."""
        button, block_id = _find_button(source.blocks or [], action_id)
        return self._block_action(user, source, {"type": "button", "action_id": action_id, "block_id": block_id,
                                                 "value": button.get("value", ""), "text": button["text"]})

    def choose(self, user: str, source: Ephemeral | Message, action_id: str, value: str) -> Sent:
        """Pick the option `value` of the select (or overflow) menu `action_id` in a message, as Slack
        reports it: the action carries `selected_option`."""
        menu, block_id = _find_button(source.blocks or [], action_id)
        option = next((o for o in menu.get("options", []) if o["value"] == value), None)
        if option is None:
            raise LookupError(f"no option {value!r} in {action_id!r}")
        return self._block_action(user, source, {"type": menu["type"], "action_id": action_id, "block_id": block_id,
                                                 "selected_option": option})

    def _block_action(self, user: str, source: Ephemeral | Message, action: dict) -> Sent:
        with self.ws.lock:
            trigger = self.ws.issue_trigger(user)
            ephemeral = isinstance(source, Ephemeral)
            response_url = self._response_url(source.channel, user, source if ephemeral else None,
                                              None if ephemeral else source)
        ts = source.message_ts if ephemeral else source.ts
        payload = {
            "type": "block_actions", "user": self._user(user), "api_app_id": self.api_app_id,
            "token": "legacy-verification-token", "trigger_id": trigger,
            "team": {"id": self.ws.team, "domain": self.team_domain},
            "container": {"type": "message", "message_ts": ts, "channel_id": source.channel, "is_ephemeral": ephemeral},
            "channel": {"id": source.channel, "name": self.ws.channels.get(source.channel, {}).get("name", source.channel)},
            "response_url": response_url,
            "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
        }
        if not ephemeral:  # Slack sends the clicked message along, except for ephemeral ones
            payload["message"] = {"type": "message", "ts": ts, "text": source.text, "blocks": source.blocks or []}
        return self.post(self._payload(payload))

    def open_home(self, user: str) -> Sent:
        """The person opens the app's Home tab: Slack sends app_home_opened (with the home view once one
        was published)."""
        event = {"type": "app_home_opened", "user": user, "channel": self.ws.dm_channel(user), "tab": "home",
                 "event_ts": f"{time.time():.6f}"}
        if user in self.ws.homes:
            event["view"] = self.ws.homes[user].view
        return self.event(event)

    def click_in_home(self, user: str, action_id: str) -> Sent:
        """Click a button on the person's Home tab: block_actions from a view (no response_url)."""
        view = self.ws.homes[user].view
        button, block_id = _find_button(view.get("blocks", []), action_id)
        with self.ws.lock:
            trigger = self.ws.issue_trigger(user)
        payload = {"type": "block_actions", "user": self._user(user), "api_app_id": self.api_app_id,
                   "token": "legacy-verification-token", "trigger_id": trigger,
                   "team": {"id": self.ws.team, "domain": self.team_domain},
                   "container": {"type": "view", "view_id": view["id"]}, "view": view,
                   "actions": [{"type": "button", "action_id": action_id, "block_id": block_id,
                                "value": button.get("value", ""), "text": button["text"], "action_ts": f"{time.time():.6f}"}]}
        return self.post(self._payload(payload))

    def submit_view(self, user: str, view_id: str, values: dict[str, object], send: bool = True) -> Sent:
        """Submit an open modal. `values` maps block_id to a string, a select value, or a list (checkboxes)."""
        with self.ws.lock:
            view = self.ws.views[view_id]
            trigger = self.ws.issue_trigger(user)
        state = {}
        for block in view.view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element, bid = block["element"], block["block_id"]
            value = values.get(bid, initial_value(element))
            state[bid] = {element["action_id"]: _state_of(element, value)}
        payload = {
            "type": "view_submission", "team": {"id": self.ws.team, "domain": self.team_domain},
            "user": self._user(user), "api_app_id": self.api_app_id, "token": "legacy-verification-token",
            "trigger_id": trigger, "view": dict(view.view, state={"values": state}), "response_urls": [],
        }
        sent = self._payload(payload)
        if not send:
            return sent
        self.post(sent)
        with self.ws.changed:
            answer = sent.response_json or {}
            if sent.status == 200 and answer.get("response_action") == "errors":
                view.errors = answer.get("errors")
            elif sent.status == 200:
                view.open, view.errors = False, None
            self.ws.changed.notify_all()
        return sent

    def message_shortcut(self, user: str, message: Message | dict, callback_id: str) -> Sent:
        msg = message if isinstance(message, dict) else {"type": "message", "user": message.user, "ts": message.ts,
                                                          "text": message.text, "channel": message.channel}
        channel = msg.get("channel")
        with self.ws.lock:
            trigger = self.ws.issue_trigger(user)
            response_url = self._response_url(channel, user)
        payload = {
            "type": "message_action", "token": "legacy-verification-token", "action_ts": f"{time.time():.6f}",
            "team": {"id": self.ws.team, "domain": self.team_domain}, "user": self._user(user),
            "channel": {"id": channel, "name": self.ws.channels.get(channel, {}).get("name", channel)},
            "callback_id": callback_id, "trigger_id": trigger, "message_ts": msg.get("ts"),
            "message": {k: v for k, v in msg.items() if k != "channel"}, "response_url": response_url,
        }
        return self.post(self._payload(payload))

    def post_message(self, user: str, channel: str, text: str, thread_ts: str | None = None) -> Message:
        """A person writes in a channel (no event is sent; see `dm` for messages the bot hears)."""
        with self.ws.changed:
            msg = Message(channel, self.ws.next_ts(), user, text, None, thread_ts)
            self.ws.messages.append(msg)
            self.ws.changed.notify_all()
        return msg

    def react(self, user: str, message: Message, name: str) -> Sent:
        """A person adds a reaction to a message: it shows, and Slack sends reaction_added."""
        with self.ws.changed:
            message.reactions.setdefault(name, []).append(user)
            self.ws.changed.notify_all()
        return self.event({"type": "reaction_added", "user": user, "reaction": name, "item_user": message.user,
                           "item": {"type": "message", "channel": message.channel, "ts": message.ts},
                           "event_ts": self.ws.next_ts()})

    def reply(self, user: str, channel: str, thread_ts: str, text: str, files: list[str] | None = None) -> tuple[Message, Sent]:
        """A person replies in a thread of a channel the bot is in: Slack sends message.channels
        (message.groups for a private channel) with thread_ts."""
        msg = self.post_message(user, channel, slack_encode(text), thread_ts=thread_ts)
        private = self.ws.channels.get(channel, {}).get("is_private", False)
        event = {"type": "message", "channel": channel, "user": user, "text": msg.text, "ts": msg.ts,
                 "thread_ts": thread_ts, "event_ts": msg.ts, "channel_type": "group" if private else "channel",
                 "client_msg_id": f"cm-{msg.ts}"}
        if files:
            event |= {"subtype": "file_share", "files": [self._file_object(user, name) for name in files]}
        return msg, self.event(event)

    def dm(self, user: str, text: str, send: bool = True, markup: bool = False,
           files: list[str] | None = None) -> tuple[Message, Sent]:
        """A person writes to the bot in a DM: the message appears, and Slack sends the app a message.im event
        (its text encoded as Slack encodes it, unless `markup` says it is already in Slack's format).
        With `files` (names), the message carries them as Slack sends a photo: subtype file_share."""
        channel = self.ws.dm_channel(user)
        msg = self.post_message(user, channel, text if markup else slack_encode(text))
        event = {"type": "message", "channel": channel, "user": user, "text": msg.text, "ts": msg.ts,
                 "event_ts": msg.ts, "channel_type": "im", "client_msg_id": f"cm-{msg.ts}"}
        if files:
            event |= {"subtype": "file_share", "upload": False, "display_as_bot": False,
                      "files": [self._file_object(user, name) for name in files]}
        sent = self.event(event, send=send)
        return msg, sent

    def _file_object(self, user: str, name: str) -> dict:
        """A file as Slack describes it in a file_share message (https://api.slack.com/types/file)."""
        fid = self.ws.new_id("F")
        return {"id": fid, "created": int(time.time()), "timestamp": int(time.time()), "name": name, "title": name,
                "mimetype": "image/jpeg", "filetype": "jpg", "pretty_type": "JPEG", "user": user, "size": 1024,
                "mode": "hosted", "is_external": False, "is_public": False,
                "url_private": f"https://files.slack.com/files-pri/{self.ws.team}-{fid}/{name}",
                "permalink": f"https://{self.team_domain}.slack.com/files/{user}/{fid}/{name}"}

    def edit_dm(self, user: str, original: Message, new_text: str) -> Sent:
        """A person edits a message in the DM: Slack sends subtype message_changed (bot.flows.dm_intake ignores it)."""
        channel = self.ws.dm_channel(user)
        return self.event({"type": "message", "subtype": "message_changed", "channel": channel, "channel_type": "im",
                           "hidden": True, "ts": self.ws.next_ts(), "event_ts": original.ts,
                           "message": {"type": "message", "user": user, "text": slack_encode(new_text), "ts": original.ts,
                                       "edited": {"user": user, "ts": self.ws.next_ts()}},
                           "previous_message": {"type": "message", "user": user, "text": original.text, "ts": original.ts}})

    def delete_dm(self, user: str, original: Message) -> Sent:
        channel = self.ws.dm_channel(user)
        return self.event({"type": "message", "subtype": "message_deleted", "channel": channel, "channel_type": "im",
                           "hidden": True, "ts": self.ws.next_ts(), "deleted_ts": original.ts, "event_ts": original.ts,
                           "previous_message": {"type": "message", "user": user, "text": original.text, "ts": original.ts}})

    def bot_echo(self, user: str, text: str) -> Sent:
        """The bot's own message in a DM coming back as an event (Slack sends it: bot_id, the bot user)."""
        channel = self.ws.dm_channel(user)
        return self.event({"type": "message", "channel": channel, "channel_type": "im", "user": self.ws.bot_user,
                           "bot_id": "B0VOCDESK", "text": text, "ts": self.ws.next_ts(), "event_ts": self.ws.next_ts(),
                           "bot_profile": {"id": "B0VOCDESK", "name": "VOC Desk", "app_id": self.api_app_id}})

    def event(self, event: dict, send: bool = True) -> Sent:
        body = {"token": "legacy-verification-token", "team_id": self.ws.team, "api_app_id": self.api_app_id,
                "event": event, "type": "event_callback", "event_id": self.ws.new_id("Ev"),
                "event_time": int(time.time()),
                "authorizations": [{"team_id": self.ws.team, "user_id": self.ws.bot_user, "is_bot": True}]}
        sent = Sent(json.dumps(body), "application/json")
        return self.post(sent) if send else sent


def slack_encode(typed: str) -> str:
    """What Slack does to the text people type before it sends it to an app: `&`, `<`, `>` become
    entities (https://api.slack.com/reference/surfaces/formatting#escaping)."""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _find_button(blocks: list, action_id: str) -> tuple[dict, str]:
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return element, block.get("block_id", "")
    raise LookupError(f"no button {action_id!r} in that message")


def initial_value(element: dict):
    """What an input element of a view holds before the person changes it."""
    kind = element.get("type")
    if kind in ("plain_text_input", "number_input"):
        return element.get("initial_value", "")
    if kind == "static_select":
        return (element.get("initial_option") or {}).get("value")
    if kind == "checkboxes":
        return [o["value"] for o in element.get("initial_options", [])]
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "users_select":
        return element.get("initial_user")
    if kind == "multi_users_select":  # https://api.slack.com/reference/block-kit/block-elements#users_multi_select
        return list(element.get("initial_users", []))
    return None


def _state_of(element: dict, value) -> dict:
    kind = element.get("type")
    if kind in ("plain_text_input", "number_input"):  # a number arrives as the digits typed
        return {"type": kind, "value": str(value) if value not in (None, "") else None}
    if kind == "static_select":
        option = next((o for o in element.get("options", []) if o["value"] == value), None)
        return {"type": kind, "selected_option": option}
    if kind == "checkboxes":
        chosen = [o for o in element.get("options", []) if o["value"] in (value or [])]
        return {"type": kind, "selected_options": chosen}
    if kind == "datepicker":  # YYYY-MM-DD, or null when none was picked
        return {"type": kind, "selected_date": value or None}
    if kind == "users_select":
        return {"type": kind, "selected_user": value or None}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(value or [])}
    return {"type": kind}
