"""`POST /api/messages`: the Bot Framework's messaging endpoint, beside Slack's on the same web process.

In this order, each step before the next costs anything: a body over the limit → 413 from its
Content-Length, unread; no valid token of the Bot Framework for this bot (forged, expired, another
audience or issuer) → 401 before the body is read; the body is parsed as an activity (the Agents
SDK's schema) → 400 when it is none; the token was not issued for it (its serviceUrl claim) → 401, or
its key does not endorse the channel → 403. Then, with no other I/O, a message is handed to the
inbox writer under `teams:<activity id>` (the channel's retry of the same activity is the same key,
stored once) and answered 200 at once; the worker does the rest (bot/teams/intake.py). Other
activity types are answered 200 and logged once per type (installation); an invoke named in `invokes`
(card actions: bot/teams/actions.py) is answered by its handler, whose answer Teams shows.
"""
from __future__ import annotations

import json
import logging
import threading
from typing import TYPE_CHECKING, Callable

from microsoft_agents.activity import Activity
from pydantic import ValidationError

from bot.settings import MAX_REQUEST_BYTES
from bot.teams.auth import ChannelTokenCheck, Forbidden, Unauthorized
from domain.i18n import t

if TYPE_CHECKING:
    from bot.service import BotService

log = logging.getLogger("voc.teams")
DIALOG_INVOKES = ("task/", "composeExtension/")  # answered with a dialog's task response, the rest with a message


def failed_invoke(activity: dict) -> dict:
    """What Teams shows when answering an invoke failed: our apology in the person's Teams language, in the
    shape that invoke is answered with, instead of Teams' own error for a 500."""
    text = t("error.generic", "zh" if str(activity.get("locale") or "").lower().startswith("zh") else "en")
    if str(activity.get("name") or "").startswith(DIALOG_INVOKES):
        return {"task": {"type": "message", "value": text}}
    return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}
PATH = "/api/messages"
MESSAGE_KIND = "teams.message"
MAX_ID = 150  # an activity id longer than this would make a key its column cannot hold


def request_key(activity: dict) -> str:
    return f"teams:{activity.get('id')}"


Invoke = Callable[[dict], "dict | None"]  # an invoke activity → the body Teams shows (None: none, 200)


def teams_endpoint(service: "BotService", check: ChannelTokenCheck | None = None, max_body: int = MAX_REQUEST_BYTES,
                   invokes: dict[str, Invoke] | None = None):
    """`invokes`: the invoke activities answered in the request (their names → what answers them)."""
    invokes = invokes or {}
    settings = service.rt.settings
    if check is None:
        check = ChannelTokenCheck(settings.teams_app_id or "", settings.teams_tenant_id, settings.teams_openid_metadata_url)
        threading.Thread(target=check.keys.warm, name="teams-keys", daemon=True).start()
    seen: set[str] = set()

    def answer(start_response, status: str, body: dict | None = None):
        data = json.dumps(body).encode("utf-8") if body is not None else b""
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def endpoint(environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST":
            return answer(start_response, "405 Method Not Allowed")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > max_body:
            return answer(start_response, "413 Payload Too Large")
        try:
            claims, kid = check.check_token(environ.get("HTTP_AUTHORIZATION"))
        except Unauthorized as why:
            log.info("refused an activity: %s", why)
            return answer(start_response, "401 Unauthorized", {"error": "Unauthorized"})
        try:
            activity = json.loads(environ["wsgi.input"].read(length) or b"null")
            Activity.model_validate(activity)
            if not isinstance(activity, dict) or not activity.get("id") or len(str(activity["id"])) > MAX_ID:
                raise ValueError("an activity needs an id")
        except (ValueError, ValidationError, UnicodeDecodeError) as exc:
            log.info("not an activity: %s", type(exc).__name__)
            return answer(start_response, "400 Bad Request", {"error": "BadRequest"})
        try:
            check.check_activity(claims, kid, activity)
        except Unauthorized as why:
            log.info("refused an activity: %s", why)
            return answer(start_response, "401 Unauthorized", {"error": "Unauthorized"})
        except Forbidden as why:
            log.info("refused an activity: %s", why)
            return answer(start_response, "403 Forbidden", {"error": "Forbidden"})
        kind = activity.get("type")
        if kind == "message":
            service.accept(MESSAGE_KIND, request_key(activity), activity)
        elif kind == "invoke" and activity.get("name") in invokes:  # Teams waits for its answer (5 s)
            try:
                return answer(start_response, "200 OK", invokes[activity["name"]](activity))
            except Exception:  # one place for every invoke: Teams shows the person a failed action, never a 500
                log.exception("a Teams %s invoke failed", activity["name"])
                return answer(start_response, "200 OK", failed_invoke(activity))
        elif kind not in seen:
            seen.add(kind)
            log.info("no handler for Teams %s activities yet; answered 200", kind)
        return answer(start_response, "200 OK")

    return endpoint


def with_teams(inner: Callable, endpoint: Callable) -> Callable:
    """`/api/messages` to the Teams endpoint, anything else to `inner` (Slack's edge, /healthz)."""
    def route(environ, start_response):
        if environ.get("PATH_INFO") == PATH:
            return endpoint(environ, start_response)
        return inner(environ, start_response)
    return route
