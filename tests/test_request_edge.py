"""The HTTP edge: the signature is checked before anything parses the body; signed requests that are
not what Slack sends get a 4xx, never a 500 or a traceback; requests nobody listens for get 200."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from sqlmodel import select

from bot import action_ids as ids
from bot.settings import Settings
from models import InboundRequest
from slack_emulator.slack_side import Sent
from tests.conftest import SIGNING_SECRET
from tests.test_flows import FLOOR, SALES, eph


def raw_post(h, body: bytes, content_type: str, *, signed: bool = True) -> int:
    ts = str(int(time.time()))
    # Slack's signature over the raw bytes (slack_sdk's helper signs text only)
    mac = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": "v0=" + (mac if signed else "0" * 64)}
    request = urllib.request.Request(h.web.url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


FORM, JSON = "application/x-www-form-urlencoded", "application/json"
MALFORMED = {
    "payload that is not JSON": (b"payload=x", FORM),
    "a body that is not UTF-8": (b"text=\xff\xfe\xfa&user_id=U1", FORM),
    "JSON that is not an object": (b"[1, 2, 3]", JSON),
    "actions: []": (b"payload=" + json.dumps({"type": "block_actions", "user": {"id": SALES}, "actions": []}).encode(), FORM),
    "event: null": (json.dumps({"type": "event_callback", "event": None}).encode(), JSON),
    "form state that is not a dict": (b"payload=" + json.dumps({"type": "view_submission", "user": {"id": SALES},
                                                               "view": {"id": "V1", "state": "x"}}).encode(), FORM),
    "a view with no id": (b"payload=" + json.dumps({"type": "view_submission", "user": {"id": SALES},
                                                   "view": {"state": {"values": {}}}}).encode(), FORM),
}




def view_submission(callback_id: str, extra: dict | None = None, **view) -> bytes:
    payload = {**(extra or {}), "type": "view_submission", "user": {"id": SALES}, "team": {"id": "T0DEMO"}, "trigger_id": "1.2.abc",
               "view": {"id": "V0FORM", "callback_id": callback_id, "private_metadata": "{}", "blocks": [],
                        "state": {"values": {}}, **view}}
    return urlencode({"payload": json.dumps(payload)}).encode()


QTY_BLOCK = {"type": "input", "block_id": ids.B_QTY, "element": {"type": "plain_text_input", "action_id": ids.B_QTY}}
SIGNED_MALFORMED = {
    "private_metadata that is a JSON string": (view_submission(ids.STEP_MODAL, private_metadata='"x"'), FORM),
    "private_metadata that is a number": (view_submission(ids.STEP_MODAL, private_metadata=5), FORM),
    "a view id given as a number": (view_submission(ids.FEEDBACK_MODAL, id=12345), FORM),
    "a state entry that is not an object": (view_submission(ids.FEEDBACK_MODAL, state={"values": {"text": {"text": "x"}}}), FORM),
    "a state entry of another type than its block": (view_submission(
        ids.FEEDBACK_MODAL, blocks=[QTY_BLOCK],
        state={"values": {ids.B_QTY: {ids.B_QTY: {"type": "checkboxes", "selected_options": [{"value": "1"}]}}}}), FORM),
    "two response_urls": (view_submission(ids.FEEDBACK_MODAL, {"response_urls": [{}, {}]}), FORM),
    "a trigger id too long for the inbox key": (urlencode({
        "command": "/feedback", "user_id": SALES, "team_id": "T0DEMO", "channel_id": FLOOR, "text": "Geely: cracked",
        "trigger_id": "1." + "7" * 300}).encode(), FORM),
    "a user that is a number": (urlencode({"payload": json.dumps({
        "type": "block_actions", "user": 5, "trigger_id": "1.2", "actions": [{"action_id": ids.UNDO, "value": "1"}]})}).encode(), FORM),
}
MALFORMED |= SIGNED_MALFORMED

# Kinds Slack sends that nobody here listens for, with odd fields: a 200, as Slack expects, logged once.
UNHEARD = {
    "dialog_submission": {"type": "dialog_submission", "user": 5, "submission": "x", "callback_id": []},
    "workflow_step_edit": {"type": "workflow_step_edit", "user": {"id": 5}, "callback_id": {"a": 1}, "workflow_step": "x"},
    "interactive_message": {"type": "interactive_message", "actions": "x", "callback_id": "c", "team": 1.5},
}


def test_kinds_nobody_listens_for_get_200_however_odd_and_are_logged_once(harness, caplog):
    with caplog.at_level(logging.DEBUG):
        for payload in list(UNHEARD.values()) * 2:
            assert raw_post(harness, urlencode({"payload": json.dumps(payload)}).encode(), FORM) == 200
        assert raw_post(harness, json.dumps({"token": "t", "event": {"type": 5}}).encode(), JSON) == 200
    harness.join()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    said = [r.getMessage() for r in caplog.records if "no listener" in r.getMessage()]
    assert sorted(said) == sorted(f"no listener for {kind} requests; answered 200" for kind in [*UNHEARD, "untyped"])
    with harness.rt.db.session() as s:
        assert s.exec(select(InboundRequest)).all() == []


@pytest.mark.parametrize("case", list(MALFORMED))
def test_forged_malformed_bodies_are_refused_before_parsing(harness, case, caplog):
    body, content_type = MALFORMED[case]
    with caplog.at_level(logging.DEBUG):
        assert raw_post(harness, body, content_type, signed=False) == 401
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize("case", list(MALFORMED))
def test_signed_malformed_bodies_get_a_400_and_no_traceback(harness, case, caplog):
    body, content_type = MALFORMED[case]
    with caplog.at_level(logging.DEBUG):
        assert raw_post(harness, body, content_type) == 400
    harness.join()
    assert not [r for r in caplog.records if r.exc_info]
    assert harness.items() == []


def test_events_buttons_and_shortcuts_nobody_listens_for_get_200(harness, caplog):
    h = harness
    with caplog.at_level(logging.INFO, logger="voc.bot"):
        for _ in range(2):
            assert h.slack.event({"type": "pin_added", "user": SALES, "channel_id": FLOOR,
                                  "item": {"type": "message", "channel": FLOOR}}).status == 200
        payload = {"type": "block_actions", "user": {"id": SALES}, "team": {"id": h.ws.team}, "trigger_id": "t1",
                   "actions": [{"type": "button", "action_id": "someone_elses_button", "value": "1"}]}
        assert h.slack.post(Sent("payload=" + json.dumps(payload), FORM)).status == 200
        shortcut = {"type": "shortcut", "callback_id": "unknown_shortcut", "user": {"id": SALES},
                    "team": {"id": h.ws.team}, "trigger_id": "t2"}
        assert h.slack.post(Sent("payload=" + json.dumps(shortcut), FORM)).status == 200
    said = [r.getMessage() for r in caplog.records if "no listener" in r.getMessage()]
    assert len([m for m in said if "pin_added" in m]) == 1  # logged once, not per request
    assert len(said) == 3


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_a_button_naming_no_item_says_not_found(harness, value):
    h = harness
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked, line stopped")
    confirm = eph(h, SALES, "VOC-1")
    for block in confirm.blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == ids.UNDO:
                element["value"] = value
    h.slack.click(SALES, confirm, ids.UNDO)
    eph(h, SALES, "no longer exists")
    h.join()
    assert h.items()[0].status == "received"


def post_with_headers(h, body: bytes, headers: dict[str, str]) -> int:
    """A request with exactly these headers (http.client sends what it is given, no defaults added)."""
    import http.client
    from urllib.parse import urlsplit

    url = urlsplit(h.web.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.putrequest("POST", url.path, skip_accept_encoding=True)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            conn.putheader(name, value.encode("latin-1"))
        conn.endheaders(body)
        return conn.getresponse().status
    finally:
        conn.close()


def signature(ts: str, body: bytes) -> str:
    return "v0=" + hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()


COMMAND = b"command=%2Ffeedback&user_id=U1&team_id=T1&trigger_id=t1&text=help"


def now() -> str:
    return str(int(time.time()))


BAD_TIMESTAMPS = {
    "no timestamp header": lambda: {"X-Slack-Signature": signature("", COMMAND)},
    "an empty timestamp": lambda: {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": signature("", COMMAND)},
    "a timestamp that is not a number": lambda: {"X-Slack-Request-Timestamp": "soon",
                                                 "X-Slack-Signature": signature("soon", COMMAND)},
    "a timestamp in superscript digits": lambda: {"X-Slack-Request-Timestamp": "\u00b2" * 10,
                                                  "X-Slack-Signature": signature("\u00b2" * 10, COMMAND)},
    "a timestamp Python reads but Slack never sends": lambda: {"X-Slack-Request-Timestamp": now()[:4] + "_" + now()[4:],
                                                               "X-Slack-Signature": signature(now()[:4] + "_" + now()[4:], COMMAND)},
    "a timestamp with a sign": lambda: {"X-Slack-Request-Timestamp": "+" + now(),
                                        "X-Slack-Signature": signature("+" + now(), COMMAND)},
    "a timestamp an hour old": lambda: {"X-Slack-Request-Timestamp": str(int(time.time()) - 3600),
                                        "X-Slack-Signature": signature(str(int(time.time()) - 3600), COMMAND)},
    "a huge timestamp": lambda: {"X-Slack-Request-Timestamp": "9" * 400, "X-Slack-Signature": signature("9" * 400, COMMAND)},
    "no signature header": lambda: {"X-Slack-Request-Timestamp": str(int(time.time()))},
    "a signature that is not ASCII": lambda: {"X-Slack-Request-Timestamp": str(int(time.time())),
                                              "X-Slack-Signature": "v0=\u00e9" * 20},
}


@pytest.mark.parametrize("case", list(BAD_TIMESTAMPS))
def test_a_missing_or_odd_timestamp_or_signature_gets_401_not_500(harness, case, caplog):
    headers = {"Content-Type": FORM, **BAD_TIMESTAMPS[case]()}
    with caplog.at_level(logging.DEBUG):
        assert post_with_headers(harness, COMMAND, headers) == 401
    assert not [r for r in caplog.records if r.exc_info]


def test_a_request_signed_now_still_passes(harness):
    ts = str(int(time.time()))
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature(ts, COMMAND)}
    assert post_with_headers(harness, COMMAND, headers) == 200


def raw_exchange(h, head: bytes, data: bytes) -> tuple[bytes, float]:
    """Send a request's head and a little data over a socket, then read the answer (the server may
    answer before the body it was promised arrives). Returns the status line and the seconds taken."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(h.web.url)
    started = time.monotonic()
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head + data)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0], time.monotonic() - started


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_a_forged_150_mib_body_is_refused_with_413_from_its_length_before_any_is_read(harness):
    ts = str(int(time.time()))
    head = (f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\nContent-Length: {150 * 2 ** 20}\r\n"
            f"X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: v0={'0' * 64}\r\n\r\n").encode()
    before = rss_bytes()
    status, seconds = raw_exchange(harness, head, b"payload=" + b"x" * 4096)
    assert status == b"HTTP/1.1 413 Request Entity Too Large"  # answered while 150 MiB were still to come
    assert rss_bytes() - before < 20 * 2 ** 20
    print(f"413 after {seconds * 1000:.0f} ms")


def test_a_chunked_body_over_the_limit_is_refused_with_413(harness):
    chunk = b"x" * 65536
    chunks = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(17)) + b"0\r\n\r\n"  # 1.06 MiB
    ts = str(int(time.time()))
    head = (f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\nTransfer-Encoding: chunked\r\n"
            f"X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: v0={'0' * 64}\r\n\r\n").encode()
    assert raw_exchange(harness, head, chunks)[0] == b"HTTP/1.1 413 Request Entity Too Large"


def test_a_signed_body_of_exactly_the_limit_is_taken(harness):
    limit = Settings().voc_max_request_bytes
    empty = json.dumps({"type": "app_rate_limited", "team_id": "T0DEMO", "pad": ""}).encode()
    body = empty.replace(b'"pad": ""', b'"pad": "' + b"x" * (limit - len(empty)) + b'"')
    assert len(body) == limit
    assert raw_post(harness, body, JSON) == 200
    # One byte more is refused from its Content-Length alone, before any of the body is sent (sending
    # it too would race the server's close: a broken pipe instead of the answer on a busy machine).
    head = (f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: {JSON}\r\nContent-Length: {limit + 1}\r\n"
            f"X-Slack-Request-Timestamp: {int(time.time())}\r\nX-Slack-Signature: v0={'0' * 64}\r\n\r\n").encode()
    assert raw_exchange(harness, head, b"")[0] == b"HTTP/1.1 413 Request Entity Too Large"


class CountingInput:
    """A WSGI input of `size` bytes that counts what is read from it."""

    def __init__(self, size: int):
        self.left, self.read_bytes = size, 0

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.left, self.read_bytes = self.left - n, self.read_bytes + n
        return b"x" * n


def test_a_body_without_a_length_is_read_at_most_one_byte_past_the_limit():
    from bot.request_edge import verified

    reached: list[dict] = []
    edge = verified(lambda environ, start: reached.append(environ) or [b""], SIGNING_SECRET, max_body=1000)
    statuses: list[str] = []
    body = CountingInput(50_000)
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "wsgi.input": body, "CONTENT_TYPE": FORM,
               "HTTP_X_SLACK_REQUEST_TIMESTAMP": str(int(time.time())), "HTTP_X_SLACK_SIGNATURE": "v0=" + "0" * 64}
    edge(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["413 Payload Too Large"] and body.read_bytes == 1001 and reached == []
    declared = CountingInput(50_000)
    edge({**environ, "wsgi.input": declared, "CONTENT_LENGTH": "50000"}, lambda status, headers: statuses.append(status))
    assert statuses[-1] == "413 Payload Too Large" and declared.read_bytes == 0


def test_the_longest_ids_the_edge_takes_still_make_an_inbox_key_that_fits(harness):
    h = harness
    channel, user, ts = "C" + "0" * 39, "U" + "0" * 39, "1" * 16 + "." + "1" * 6
    sent = h.slack.event({"type": "reaction_added", "user": user, "reaction": "eyes", "item_user": user,
                          "item": {"type": "message", "channel": channel, "ts": ts}, "event_ts": ts})
    assert sent.status == 200
    h.join()
    assert h.service.pending_writes() == 0  # stored, not retried or spooled
    with h.rt.db.session() as s:
        [row] = s.exec(select(InboundRequest)).all()
    assert row.key == f"reaction:{channel}:{ts}:{user}:eyes" and len(row.key) < 200
    assert h.slack.event({"type": "reaction_added", "user": user + "0", "reaction": "eyes",
                          "item": {"type": "message", "channel": channel, "ts": ts}}).status == 400


def test_a_stale_or_missing_timestamp_is_refused_before_the_body_is_read_or_hashed():
    from bot.request_edge import verified

    edge = verified(lambda environ, start: [b""], SIGNING_SECRET)
    for timestamp in (str(int(time.time()) - 301), "", "soon"):
        body, statuses = CountingInput(5000), []
        edge({"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "wsgi.input": body, "CONTENT_LENGTH": "5000",
              "HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp, "HTTP_X_SLACK_SIGNATURE": "v0=" + "0" * 64},
             lambda status, headers, said=statuses: said.append(status))
        assert statuses == ["401 Unauthorized"] and body.read_bytes == 0
