"""What each kind of Slack request must look like before bolt or a listener reads it: one small
schema per kind, checked once at the edge (bot/request_edge.py) instead of a try/except in every ack.

Two readers trust these shapes. bolt, building its context, reads `user`, `team`, `channel`,
`enterprise`, `authorizations[0]`, `response_urls[0]` and the same fields of `event`, `message`,
`previous_message` and `item` (slack_bolt.request.internals), and its matchers read `event.type`,
`actions[0].action_id`, `view.callback_id`, `callback_id` and `command`. Our acks read the ids that
make a request's inbox key (`slash:<team>:<trigger>`, `view:<id>`, `dm:<channel>:<ts>`, …), a view's
`private_metadata` (our own JSON object) and its `state` (one entry per input block of the view).
The ids are bounded so that every key fits `inbound_requests.key` (200 characters): one key too long
would make the inbox writer's batch fail over and over.

Kinds nobody here listens for (dialogs, legacy attachments, workflow steps, menus' options…) are
answered 200 at the edge without bolt reading them, as Slack expects.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable


class Malformed(ValueError):
    """A signed request whose body is not one of the shapes Slack sends."""


Check = Callable[[Any, str], None]  # raises Malformed naming where the value is wrong


def matching(pattern: str, what: str) -> Check:
    compiled = re.compile(pattern)

    def check(value: Any, where: str) -> None:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise Malformed(f"{where} is not {what}")
    return check


def text(value: Any, where: str) -> None:
    if not isinstance(value, str):
        raise Malformed(f"{where} is not text")


def anything(value: Any, where: str) -> None:
    return None


def maybe(check: Check) -> Check:
    """Absent, null, or what `check` accepts."""
    def checked(value: Any, where: str) -> None:
        if value is not None:
            check(value, where)
    return checked


def one_of(*checks: Check) -> Check:
    def check(value: Any, where: str) -> None:
        problems = []
        for candidate in checks:
            try:
                return candidate(value, where)
            except Malformed as exc:
                problems.append(str(exc))
        raise Malformed(" and ".join(problems))
    return check


def obj(fields: dict[str, Check], required: tuple[str, ...] = ()) -> Check:
    """An object whose listed fields, where present, pass their checks; others are not looked at
    (Slack adds fields). `fields` may be filled in after this call, for shapes that nest."""
    def check(value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise Malformed(f"{where} is not an object")
        for name in required:
            if name not in value:
                raise Malformed(f"{where} has no {name}")
        for name, field in fields.items():
            if name in value:
                field(value[name], f"{where}.{name}")
    return check


def list_of(item: Check, *, least: int = 0, most: int | None = None) -> Check:
    def check(value: Any, where: str) -> None:
        if not isinstance(value, list) or len(value) < least or (most is not None and len(value) > most):
            raise Malformed(f"{where} is not a list of {least} to {most or 'any number of'} items")
        for n, entry in enumerate(value):
            item(entry, f"{where}[{n}]")
    return check


def values_of(item: Check) -> Check:
    def check(value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise Malformed(f"{where} is not an object")
        for key, entry in value.items():
            item(entry, f"{where}.{key}")
    return check


# Slack's ids (U…, C…, T…, V…, Ev…) and timestamps; a trigger id is longer (`123.456.abcdef…`). The
# longest key they make, `reaction:<channel>:<ts>:<user>:<emoji>`, is 193 characters: it fits.
ID = matching(r"[A-Za-z0-9_.-]{1,40}", "a Slack id")
TRIGGER = matching(r"[A-Za-z0-9_.-]{1,80}", "a trigger id")
TS = matching(r"[0-9]{1,16}(\.[0-9]{1,6})?", "a Slack timestamp")
NAME = matching(r"[^\x00-\x1f]{1,255}", "a name")
REACTION = matching(r"[^\s:]{1,60}(::[^\s:]{1,16})?", "an emoji name")  # `thumbsup::skin-tone-2`
COMMAND = matching(r"/[^\s/]{1,32}", "a slash command")
URL = matching(r"https?://[^\s]{1,2000}", "a URL")
DATE = matching(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "a date")


def our_metadata(value: Any, where: str) -> None:
    """The `private_metadata` our views carry: empty, or a JSON object we wrote."""
    if not isinstance(value, str):
        raise Malformed(f"{where} is not text")
    if value:
        try:
            parsed = json.loads(value)
        except ValueError:
            raise Malformed(f"{where} is not JSON") from None
        if not isinstance(parsed, dict):
            raise Malformed(f"{where} is not a JSON object")


# The fields bolt's context reads, wherever it reads them (the body, its event, message, item, …).
ENVELOPE: dict[str, Check] = {}
_envelope = obj(ENVELOPE)
ENVELOPE.update({
    "user": maybe(one_of(ID, obj({"id": maybe(ID), "team_id": maybe(ID)}))),
    "team": maybe(one_of(ID, obj({"id": maybe(ID), "enterprise_id": maybe(ID)}))),
    "enterprise": maybe(one_of(ID, obj({"id": maybe(ID)}))),
    "channel": maybe(one_of(ID, obj({"id": maybe(ID)}))),
    "user_id": maybe(ID), "team_id": maybe(ID), "enterprise_id": maybe(ID), "channel_id": maybe(ID),
    "thread_ts": maybe(TS),
    "authorizations": maybe(list_of(_envelope)),
    "response_url": maybe(URL),
    "response_urls": maybe(list_of(obj({"response_url": maybe(URL)}), most=1)),  # bolt fails on two
    "message": maybe(_envelope), "previous_message": maybe(_envelope), "item": maybe(_envelope),
    "assistant_thread": maybe(_envelope),
    "view": maybe(obj({"app_installed_team_id": maybe(ID), "team_id": maybe(ID)})),
})


def envelope(fields: dict[str, Check], required: tuple[str, ...] = ()) -> Check:
    return obj({**ENVELOPE, **fields}, required)


PERSON = obj({"id": ID}, ("id",))
OPTION = obj({"value": text}, ("value",))
STATE_ENTRY = obj({"type": NAME, "value": maybe(text), "selected_option": maybe(OPTION),
                   "selected_options": maybe(list_of(OPTION)), "selected_date": maybe(DATE),
                   "selected_user": maybe(ID), "selected_users": maybe(list_of(ID, most=100))}, ("type",))
_view_fields = obj({"id": ID, "callback_id": NAME, "private_metadata": our_metadata, "type": maybe(text),
                    "blocks": list_of(obj({"block_id": maybe(text), "type": maybe(text)})),
                    "state": obj({"values": values_of(values_of(STATE_ENTRY))}, ("values",)),
                    "app_installed_team_id": maybe(ID), "team_id": maybe(ID)}, ("id", "callback_id"))


def submitted_view(value: Any, where: str) -> None:
    """A view as submitted: its fields, and a state whose every entry is an input element of the
    view's own blocks, of the same type (a form reader trusts block `quantity` to be a text input)."""
    _view_fields(value, where)
    elements = {(b.get("block_id"), (b.get("element") or {}).get("action_id")): (b.get("element") or {}).get("type")
                for b in value.get("blocks") or [] if isinstance(b.get("element"), dict)}
    for block_id, entries in ((value.get("state") or {}).get("values") or {}).items():
        for action_id, entry in entries.items():
            if elements.get((block_id, action_id)) != entry["type"]:
                raise Malformed(f"{where}.state.values.{block_id}.{action_id} is no input of the view")


ACTION = obj({"action_id": NAME, "block_id": maybe(text), "type": maybe(text), "value": maybe(text),
              "selected_option": maybe(OPTION), "action_ts": maybe(TS)}, ("action_id",))

# An event's own fields, and what the events we listen for must carry (their inbox keys and the
# worker read them: a DM's channel and ts, a reaction's item, whose Home opened).
EVENT_FIELDS: dict[str, Check] = {"type": NAME, "subtype": maybe(NAME), "ts": TS, "event_ts": maybe(TS),
                                  "text": maybe(text), "channel_type": maybe(NAME), "tab": maybe(NAME),
                                  "subteam_id": maybe(ID), "files": maybe(list_of(anything)), "bot_id": maybe(text)}
EVENTS: dict[str, Check] = {
    "message": envelope({**EVENT_FIELDS, "channel": ID, "user": maybe(ID)}, ("type", "channel", "ts")),
    "reaction_added": envelope({**EVENT_FIELDS, "user": ID, "reaction": REACTION,
                                "item": envelope({"type": NAME, "channel": ID, "ts": TS}, ("type",))},
                               ("type", "user", "reaction", "item")),
    "app_home_opened": envelope({**EVENT_FIELDS, "user": ID}, ("type", "user")),
}
ANY_EVENT = envelope(EVENT_FIELDS, ("type",))


def event_callback(value: Any, where: str) -> None:
    envelope({"event": ANY_EVENT, "event_id": ID}, ("event", "event_id"))(value, where)
    kind = value["event"]["type"]
    EVENTS.get(kind, ANY_EVENT)(value["event"], f"{where}.event")


KINDS: dict[str, Check] = {
    "event_callback": event_callback,
    "url_verification": obj({"challenge": text}, ("challenge",)),
    "block_actions": envelope({"actions": list_of(ACTION, least=1), "user": PERSON, "trigger_id": TRIGGER,
                               "container": maybe(obj({}))}, ("actions", "user", "trigger_id")),
    "view_submission": envelope({"view": submitted_view, "user": PERSON, "trigger_id": maybe(TRIGGER)}, ("view", "user")),
    "view_closed": envelope({"view": submitted_view, "user": PERSON}, ("view", "user")),
    "shortcut": envelope({"callback_id": NAME, "user": PERSON, "trigger_id": TRIGGER}, ("callback_id", "user", "trigger_id")),
    "message_action": envelope({"callback_id": NAME, "user": PERSON, "trigger_id": TRIGGER},
                               ("callback_id", "user", "trigger_id")),
}
SLASH_COMMAND = envelope({"command": COMMAND, "user_id": ID, "team_id": ID, "trigger_id": TRIGGER, "text": maybe(text)},
                         ("command", "user_id", "team_id", "trigger_id"))


def unheard_kind(data: dict) -> str | None:
    """The kind of a request Slack may send but nobody here listens for (answered 200, not parsed
    further), or None for one bolt should see: our kinds, a slash command, Slack's `ssl_check`."""
    kind = data.get("type")
    if "command" in data or (kind is None and "ssl_check" in data):
        return None
    if kind is None:
        return "untyped"
    if not isinstance(kind, str):
        raise Malformed("type is not text")
    return None if kind in KINDS else kind[:40]


def check_shape(data: Any) -> None:
    """Malformed unless `data` (the body as bolt parses it) has the shape of its kind."""
    if not isinstance(data, dict):
        raise Malformed("not a JSON object")
    _envelope(data, "body")  # bolt builds its context from these whatever the kind
    if "command" in data:  # bolt takes any body with `command` for a slash command
        SLASH_COMMAND(data, "command")
    kind = data.get("type")
    if isinstance(kind, str) and kind in KINDS:
        KINDS[kind](data, kind)
