"""The HTTP edge in front of bolt: nothing parses a request before its signature is checked, and a
signed request that is not what Slack sends gets a 400, never a 500 with a traceback.

bolt builds its request object — parsing the body — before it verifies the signature, so a forged
`payload=x` or a body that is not UTF-8 would crash there. This layer checks, cheapest first: the
timestamp (Slack's five minutes; nothing read or hashed yet), the body's size (413 from its length,
unread), the signature over the raw bytes (HMAC of `v0:timestamp:body`), then the shape each kind
of request must have (bot/request_shapes.py); only then bolt gets the same bytes.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import logging
import re
import threading
import time
from typing import Any, Callable, Iterable

from slack_bolt.request.internals import parse_body as bolt_parse_body

from bot.settings import MAX_REQUEST_BYTES
from bot.request_shapes import Malformed, check_shape, unheard_kind

log = logging.getLogger("voc.edge")


def parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    """The request as bolt will parse it (its own parser: JSON when the type says so or the body
    starts with `{`, else a form whose `payload` holds the JSON), or Malformed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("body is not UTF-8") from None
    try:
        data = bolt_parse_body(text, content_type.split(";")[0] or None)
    except ValueError:
        raise Malformed("not JSON") from None
    if not isinstance(data, dict):
        raise Malformed("JSON that is not an object")
    return data


def verified(wsgi: Callable, signing_secret: str, path: str = "/slack/events", verify: bool = True,
             clock: Callable[[], float] = time.time, max_body: int = MAX_REQUEST_BYTES) -> Callable:
    """Wrap bolt's WSGI handler: 413 for a body over `max_body` (from its declared length, unread),
    401 for anything unsigned or badly signed, 400 for a signed body that is not what Slack sends;
    only then bolt sees the request (with the same bytes)."""
    secret = signing_secret.encode()
    log_once = _Once()

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != path:
            return wsgi(environ, start_response)
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        if verify and not fresh(timestamp, clock()):
            return _answer(start_response, "401 Unauthorized", "invalid request timestamp")
        body = _read_body(environ, max_body)
        if body is None:
            return _answer(start_response, "413 Payload Too Large", f"request body over {max_body} bytes")
        if verify and not signed(secret, body, timestamp, environ.get("HTTP_X_SLACK_SIGNATURE", ""), clock()):
            return _answer(start_response, "401 Unauthorized", "invalid request signature")
        try:
            data = parse_body(body, environ.get("CONTENT_TYPE", ""))
            unheard = unheard_kind(data)
            if unheard is not None:  # Slack wants a 200; bolt need not read what nobody listens for
                log_once(unheard)
                return _answer(start_response, "200 OK", "")
            check_shape(data)
        except Malformed as exc:
            log.warning("refused a signed request that is not what Slack sends: %s", exc)
            return _answer(start_response, "400 Bad Request", f"malformed request: {exc}")
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        return wsgi(environ, start_response)

    return app


def _read_body(environ: dict, max_body: int) -> bytes | None:
    """The body, or None when it is over the limit: a declared length over it is refused unread; a
    body with no length (chunked, on a server that passes it on so) is read to one byte past it."""
    declared = environ.get("CONTENT_LENGTH")
    if declared:
        if not declared.isdecimal() or int(declared) > max_body:
            return None  # a length that is no number: refused as too large rather than guessed at
        return environ["wsgi.input"].read(int(declared))
    body = environ["wsgi.input"].read(max_body + 1)
    return None if len(body) > max_body else body


# Slack's timestamp: whole seconds since the epoch in plain ASCII digits. int() would also take
# "+17…", "1_7…", " 17…" or "²": none of them is Slack's, and "" made slack_sdk's verifier raise.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
WINDOW_SECONDS = 5 * 60  # Slack's replay window


def fresh(timestamp: str, now: float) -> bool:
    """Slack's timestamp, within Slack's five minutes of `now`."""
    return bool(_TIMESTAMP.fullmatch(timestamp)) and abs(now - int(timestamp)) <= WINDOW_SECONDS


def signed(secret: bytes, body: bytes, timestamp: str, signature: str, now: float) -> bool:
    """Slack's signature (HMAC-SHA256 of `v0:timestamp:body` over the raw bytes) on a request sent
    within the last five minutes. The timestamp is checked first, so a stale or missing one costs
    no hashing; headers arrive as latin-1 text, so they are compared as the bytes they were."""
    if not fresh(timestamp, now):
        return False
    expected = b"v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest().encode()
    return hmac.compare_digest(expected, signature.encode("latin-1", errors="replace"))


class _Once:
    """Logs each kind nobody listens for once, not once per request."""

    def __init__(self):
        self.seen: set[str] = set()
        self.lock = threading.Lock()

    def __call__(self, kind: str) -> None:
        with self.lock:
            if kind in self.seen:
                return
            self.seen.add(kind)
        log.info("no listener for %s requests; answered 200", kind)


def _answer(start_response: Callable, status: str, text: str) -> list[bytes]:
    data = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]
