"""The HTTP edge in front of bolt: nothing parses a request before its signature is checked, and a
signed request that is not what Slack sends gets a 400, never a 500 with a traceback.

bolt builds its request object — parsing the body — before it verifies the signature, so a forged
`payload=x` or a body that is not UTF-8 would crash there. This layer verifies the raw bytes first
(HMAC of `v0:timestamp:body`, five-minute window, the timestamp checked before any hashing), then checks the
shape of what each kind of request must carry, then hands the same bytes to bolt.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import re
import time
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

log = logging.getLogger("voc.edge")


class Malformed(ValueError):
    """A signed request whose body is not one of the shapes Slack sends."""


def parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    """The request as a dict, or Malformed. Interactive payloads come as `payload=<json>` forms,
    slash commands as plain forms, events as JSON."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("body is not UTF-8")
    if "application/json" in content_type:
        data = _json_object(text)
    else:
        form = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
        data = _json_object(form["payload"]) if "payload" in form else form
    _check_shape(data)
    return data


def _json_object(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError:
        raise Malformed("not JSON")
    if not isinstance(data, dict):
        raise Malformed("JSON that is not an object")
    return data


def _dict(data: dict, key: str) -> dict:
    value = data.get(key)
    if not isinstance(value, dict):
        raise Malformed(f"{key} is not an object")
    return value


def _check_shape(data: dict) -> None:
    kind = data.get("type")
    if kind == "event_callback":
        _dict(data, "event")
    elif kind == "block_actions":
        actions = data.get("actions")
        if not isinstance(actions, list) or not actions or not all(isinstance(a, dict) for a in actions):
            raise Malformed("actions is not a non-empty list of objects")
        _dict(data, "user")
    elif kind in ("view_submission", "view_closed"):
        view = _dict(data, "view")
        if not view.get("id"):
            raise Malformed("view has no id")
        state = view.get("state", {"values": {}})
        if not isinstance(state, dict) or not isinstance(state.get("values", {}), dict) or not all(
                isinstance(v, dict) for v in state.get("values", {}).values()):
            raise Malformed("view state is not an object of objects")
        _dict(data, "user")
    elif kind in ("message_action", "shortcut"):
        _dict(data, "user")
    elif kind is None and "command" in data and not isinstance(data.get("user_id"), str):
        raise Malformed("slash command without user_id")


def verified(wsgi: Callable, signing_secret: str, path: str = "/slack/events",
             verify: bool = True, clock: Callable[[], float] = time.time) -> Callable:
    """Wrap bolt's WSGI handler: 401 for anything unsigned or badly signed, 400 for a signed body
    that is not what Slack sends; only then bolt sees the request (with the same bytes)."""
    secret = signing_secret.encode()

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != path:
            return wsgi(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        if verify and not signed(secret, body, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
                                 environ.get("HTTP_X_SLACK_SIGNATURE", ""), clock()):
            return _answer(start_response, "401 Unauthorized", "invalid request signature")
        try:
            parse_body(body, environ.get("CONTENT_TYPE", ""))
        except Malformed as exc:
            log.warning("refused a signed request that is not what Slack sends: %s", exc)
            return _answer(start_response, "400 Bad Request", f"malformed request: {exc}")
        environ["wsgi.input"] = io.BytesIO(body)
        return wsgi(environ, start_response)

    return app


# Slack's timestamp: whole seconds since the epoch in plain ASCII digits. int() would also take
# "+17…", "1_7…", " 17…" or "²": none of them is Slack's, and "" made slack_sdk's verifier raise.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
WINDOW_SECONDS = 5 * 60  # Slack's replay window


def signed(secret: bytes, body: bytes, timestamp: str, signature: str, now: float) -> bool:
    """Slack's signature (HMAC-SHA256 of `v0:timestamp:body` over the raw bytes) on a request sent
    within the last five minutes. The timestamp is checked first, so a stale or missing one costs
    no hashing; headers arrive as latin-1 text, so they are compared as the bytes they were."""
    if not _TIMESTAMP.fullmatch(timestamp) or abs(now - int(timestamp)) > WINDOW_SECONDS:
        return False
    expected = b"v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest().encode()
    return hmac.compare_digest(expected, signature.encode("latin-1", errors="replace"))


def _answer(start_response: Callable, status: str, text: str) -> list[bytes]:
    data = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]
