"""The edge under fuzz, over real HTTP: 500 requests, seeded. Real payloads of every kind Slack sends
(recorded from the emulator after a real filing, so they name real items, views and messages),
randomly mutated and signed; among them 130 forged ones. No answer may be a 5xx, every forged one
gets 401, and every request the bot took (200, not mutated) has its inbox row."""
from __future__ import annotations

import copy
import hashlib
import hmac
import http.client
import json
import random
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit

from sqlmodel import select

from bot import action_ids as ids
from models import InboundRequest
from slack_emulator.slack_side import SlackSide, Sent
from tests.conftest import SIGNING_SECRET
from tests.test_flows import FLOOR, QUALITY, SALES, eph, open_view

TOTAL, FORGED, SEED = 500, 130, 17
FORM, JSON = "application/x-www-form-urlencoded", "application/json"


class Recorder(SlackSide):
    """The emulator's Slack side writing each request down instead of sending it: fresh real payloads
    (a new trigger id, event id or message ts each time) for the fuzz to send or mutate."""

    def __init__(self, h):
        super().__init__(h.ws, h.web.url, SIGNING_SECRET, h.emulator.url + "response")
        h.ws.event_sinks.remove(self.event)

    def post(self, sent: Sent, **_) -> Sent:
        sent.status, sent.response, sent.response_json = 200, "", {}
        return sent


@dataclass
class Seed:
    name: str
    make: Callable[[], Sent]
    key: Callable[[dict], str] | None  # the inbox key of a request the bot stores (docs/architecture.md)


def _payload(sent: Sent) -> dict:
    fields = dict(parse_qsl(sent.body, keep_blank_values=True))
    return json.loads(fields["payload"]) if "payload" in fields else fields


def _interactive(payload: dict) -> Sent:
    return Sent(urlencode({"payload": json.dumps(payload)}), FORM)


def seeds(h) -> list[Seed]:
    """A real filing first (confirmation, thread parent, modals), then a recorder for each kind."""
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked, their line stopped")
    confirm = eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.slack.command(SALES, FLOOR, "")
    feedback_view = open_view(h, SALES)
    h.slack.click(SALES, confirm, ids.CORRECT)
    correct_view = open_view(h, SALES, 2)
    h.join()
    rec = Recorder(h)
    steps = [e["action_id"] for b in parent.blocks or [] for e in b.get("elements", [])
             if str(e.get("action_id", "")).startswith(ids.STEP_PREFIX)]
    history = next(o["value"] for b in parent.blocks or [] for e in b.get("elements", []) if e.get("action_id") == ids.MORE
                   for o in e["options"] if o["value"].startswith(ids.HISTORY + ":"))
    team = h.ws.team

    def event(kind: dict) -> Callable[[], Sent]:
        return lambda: rec.event({**kind, "event_ts": h.ws.next_ts()}, send=False)

    def again(sent: Sent) -> Callable[[], Sent]:
        """A click recorded now, sent later with a fresh trigger (the message may have changed since)."""
        return lambda: _interactive({**_payload(sent), "trigger_id": h.ws.issue_trigger(SALES)})

    def synthetic(payload: dict) -> Callable[[], Sent]:
        """A payload as Slack documents it, for kinds the emulator does not send."""
        return lambda: _interactive({**copy.deepcopy(payload), "trigger_id": h.ws.issue_trigger(SALES)})

    user = {"id": SALES, "name": "emma", "team_id": team}
    return [
        Seed("feedback", lambda: rec.command(SALES, FLOOR, "Geely: connectors cracked again", send=False),
             lambda b: f"slash:{b['team_id']}:{b['trigger_id']}"),
        Seed("feedback help", lambda: rec.command(SALES, FLOOR, "help", send=False), None),
        Seed("complaint", lambda: rec.command(SALES, FLOOR, "VOC-1", command="/complaint", send=False),
             lambda b: f"slash:{b['team_id']}:{b['trigger_id']}"),
        Seed("complaints", lambda: rec.command(SALES, FLOOR, "", command="/complaints", send=False),
             lambda b: f"slash:{b['team_id']}:{b['trigger_id']}"),
        Seed("digest", lambda: rec.command(SALES, FLOOR, "week", command="/digest", send=False),
             lambda b: f"slash:{b['team_id']}:{b['trigger_id']}"),
        Seed("survey help", lambda: rec.command(SALES, FLOOR, "", command="/survey", send=False), None),
        Seed("undo", again(rec.click(SALES, confirm, ids.UNDO)), lambda b: f"action:{b['trigger_id']}"),
        Seed("correct", again(rec.click(SALES, confirm, ids.CORRECT)), None),
        *[Seed(f"step {a}", again(rec.click(SALES, parent, a)), None) for a in steps],
        Seed("history", again(rec.choose(SALES, parent, ids.MORE, history)),
             lambda b: f"action:{b['trigger_id']}"),
        Seed("feedback form", lambda: rec.submit_view(SALES, feedback_view.id, {
            "customer": "Geely", "text": "connectors cracked"}, send=False), lambda b: f"view:{b['view']['id']}"),
        Seed("correct form", lambda: rec.submit_view(SALES, correct_view.id, {}, send=False),
             lambda b: f"view:{b['view']['id']}"),
        Seed("view closed", lambda: _interactive({**_payload(rec.submit_view(SALES, feedback_view.id, {}, send=False)),
                                                  "type": "view_closed", "is_cleared": False}), None),
        Seed("message shortcut", again(rec.message_shortcut(SALES, parent, ids.SHORTCUT_LOG)), None),
        Seed("dm", lambda: rec.dm(SALES, "BYD: housings scratched", send=False)[1],
             lambda b: f"dm:{b['event']['channel']}:{b['event']['ts']}"),
        Seed("thread reply", lambda: rec.reply(SALES, QUALITY, parent.ts, "sorted 200 pcs")[1],
             lambda b: f"reply:{b['event']['channel']}:{b['event']['ts']}"),
        Seed("reaction", lambda: rec.react(SALES, parent, "eyes"),
             lambda b: f"reaction:{b['event']['item']['channel']}:{b['event']['item']['ts']}:{SALES}:eyes"),
        Seed("home", lambda: rec.open_home(SALES), lambda b: f"home:{b['event_id']}"),
        Seed("pin (nobody listens)", event({"type": "pin_added", "user": SALES, "channel_id": FLOOR}), None),
        Seed("group changed", event({"type": "subteam_members_changed", "subteam_id": "S0QUALITY",
                                     "added_users": [SALES], "removed_users": []}), None),
        Seed("global shortcut", synthetic({"type": "shortcut", "token": "legacy-verification-token", "action_ts": "1.2",
                                           "team": {"id": team, "domain": "demo"}, "user": user,
                                           "callback_id": "unknown_shortcut"}), None),
        Seed("url_verification", lambda: Sent(json.dumps({"token": "legacy-verification-token", "type": "url_verification",
                                                          "challenge": h.ws.new_id("ch")}), JSON), None),
        Seed("dialog_submission", synthetic({
            "type": "dialog_submission", "token": "legacy-verification-token", "action_ts": "1.2",
            "team": {"id": team, "domain": "demo"}, "user": user, "channel": {"id": FLOOR, "name": "sales"},
            "submission": {"loc": "Shanghai"}, "callback_id": "old_dialog", "response_url": "https://x/y",
            "state": "kept"}), None),
        Seed("workflow_step_edit", synthetic({
            "type": "workflow_step_edit", "token": "legacy-verification-token", "action_ts": "1.2",
            "team": {"id": team, "domain": "demo"}, "user": user, "callback_id": "a_step",
            "workflow_step": {"workflow_id": "W1", "step_id": "s1", "inputs": {}, "outputs": []}}), None),
        Seed("block_suggestion", synthetic({
            "type": "block_suggestion", "user": user, "team": {"id": team}, "action_id": "customer_search",
            "block_id": "customer", "value": "Gee", "container": {"type": "view", "view_id": feedback_view.id},
            "view": feedback_view.view}), None),
        Seed("interactive_message", synthetic({
            "type": "interactive_message", "callback_id": "legacy", "user": user, "team": {"id": team},
            "channel": {"id": FLOOR}, "actions": [{"name": "a", "type": "button", "value": "1"}]}), None),
    ]


ODD = [None, 0, -1, 2 ** 63, 1.5, True, "", "x", "x" * 300, [], {}, [1, "a"], {"a": {"b": None}},
       "\u0000", "\ud800", "{\"not\": \"json\"", "VOC-1", "V" * 41, 3]


def _paths(value, prefix=()):
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _paths(child, prefix + (key,))


def _mutate_tree(tree, rng: random.Random):
    """One to three changes anywhere in the tree: a value of another type, or a key left out."""
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(tree) if p]
        if not paths:
            return tree
        path = rng.choice(paths)
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and rng.random() < 0.25:
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(ODD))
    return tree


def mutate(sent: Sent, rng: random.Random) -> tuple[bytes, str]:
    roll = rng.random()
    body = sent.body.encode("utf-8", errors="surrogatepass")
    if roll < 0.06:
        return body[: rng.randrange(len(body))], sent.content_type  # cut short
    if roll < 0.1:
        return body + bytes([rng.randrange(128, 256)]) * 3, sent.content_type  # not UTF-8
    if roll < 0.14:
        return body, rng.choice([JSON, FORM, "text/plain", ""])  # another content type
    if sent.content_type == JSON:
        return json.dumps(_mutate_tree(json.loads(sent.body), rng)).encode(), JSON  # json.dumps escapes lone surrogates
    fields = dict(parse_qsl(sent.body, keep_blank_values=True))
    if "payload" in fields:
        mutated = _mutate_tree({"payload": json.loads(fields["payload"])}, rng)
        if "payload" not in mutated:
            return b"", FORM
        text = mutated["payload"] if isinstance(mutated["payload"], str) else json.dumps(mutated["payload"])
        return urlencode({"payload": text}, errors="surrogatepass").encode(), FORM
    mutated = _mutate_tree(fields, rng)
    return urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in mutated.items()},
                     errors="surrogatepass").encode(), FORM


def signature(ts: str, body: bytes, secret: str = SIGNING_SECRET) -> str:
    return "v0=" + hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()


def forged_headers(body: bytes, rng: random.Random) -> dict[str, str]:
    now = str(int(time.time()))
    return rng.choice([
        lambda: {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + "0" * 64},
        lambda: {"X-Slack-Request-Timestamp": now},
        lambda: {"X-Slack-Signature": signature(now, body)},
        lambda: {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": signature("", body)},
        lambda: {"X-Slack-Request-Timestamp": str(int(now) - 600), "X-Slack-Signature": signature(str(int(now) - 600), body)},
        lambda: {"X-Slack-Request-Timestamp": str(int(now) + 600), "X-Slack-Signature": signature(str(int(now) + 600), body)},
        lambda: {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": signature("yesterday", body)},
        lambda: {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": signature(now, body, "another-secret")},
        lambda: {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": signature(now, body + b" ")},
        lambda: {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": signature(now, body).replace("v0=", "v1=")},
        lambda: {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": signature(now, body).upper()},
        lambda: {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=\u00e9\u00ff" * 30},
        lambda: {"X-Slack-Request-Timestamp": now + ".5", "X-Slack-Signature": signature(now + ".5", body)},
        lambda: {"X-Slack-Request-Timestamp": "-" + now, "X-Slack-Signature": signature("-" + now, body)},
    ])()


def send(url, body: bytes, headers: dict[str, str]) -> int:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest("POST", parts.path, skip_accept_encoding=True)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            conn.putheader(name, value.encode("latin-1"))
        conn.endheaders(body)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_500_fuzzed_requests_no_5xx_every_forged_one_401_nothing_taken_lost(harness):
    h = harness
    rng = random.Random(SEED)
    kinds = seeds(h)
    plan = ["forged"] * FORGED + ["valid"] * 100 + ["mutated"] * (TOTAL - FORGED - 100)
    rng.shuffle(plan)
    answers: dict[str, list] = {"forged": [], "valid": [], "mutated": []}
    taken: list[str] = []
    started = time.monotonic()
    for what in plan:
        seed = rng.choice(kinds)
        sent = seed.make()
        if what == "mutated":
            body, content_type = mutate(sent, rng)
        else:
            body, content_type = sent.body.encode("utf-8", errors="surrogatepass"), sent.content_type
        ts = str(int(time.time()))
        if what == "forged":
            headers = forged_headers(body, rng)
        else:
            headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature(ts, body)}
        status = send(h.web.url, body, {"Content-Type": content_type, **headers} if content_type else headers)
        answers[what].append((seed.name, status, body[:300]))
        if what == "valid" and status == 200 and seed.key is not None:
            body_dict = json.loads(sent.body) if sent.content_type == JSON else _payload(sent)
            taken.append(seed.key(body_dict))
    sending = time.monotonic() - started
    for what, group in answers.items():
        for name, status, body in group:
            if status >= 500 or (what == "forged" and status != 401):
                print(what, name, status, body)
    h.join()
    five_hundreds = [a for group in answers.values() for a in group if a[1] >= 500]
    assert five_hundreds == []
    assert [a for a in answers["forged"] if a[1] != 401] == []
    assert [a for a in answers["valid"] if a[1] != 200] == []
    assert h.service.pending_writes() == 0  # nothing waits in memory or in the spool
    with h.rt.db.session() as s:
        stored = set(s.exec(select(InboundRequest.key)).all())
    assert sorted(set(taken) - stored) == []
    assert len(taken) > 30  # of the 100 valid requests, those the bot stores (not help, forms it opens, …)
    print(f"sent {TOTAL} requests in {sending:.1f} s")  # measured, not asserted: the machine may be busy
