"""The bolt app: one App, every listener registered from its own module."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError, BoltUnhandledRequestError
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.commands import (claim, complaint, complaints, customer, digest, export, feedback, return_, satisfaction, survey,
                          visit)
from bot.flows import (app_home, dm_conversation, dm_intake, feedback_form, item_actions, log_shortcut, proposal, snooze,
                       standalone_return, survey_form, thread_work)
from bot import group_members
from bot.health import HealthCheck, with_healthz
from bot.request_edge import verified
from bot.runtime import Runtime
from bot.settings import MAX_REQUEST_BYTES
from bot.service import BotService, Enqueue, ScheduleRetry

log = logging.getLogger("voc.bot")


class StartupProblem(Exception):
    """Slack refused the token, or could not be reached, when the app checked it at start-up."""


_REFUSED = ("invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired")


def _startup_problem(exc: Exception, api_url: str) -> StartupProblem:
    text = str(exc)
    refused = [code for code in _REFUSED if code in text]
    if refused:
        return StartupProblem(
            f"Slack refused the bot token ({refused[0]}). Copy the Bot User OAuth Token (xoxb-…) from your app's "
            "OAuth & Permissions page into SLACK_BOT_TOKEN, and reinstall the app if it was revoked.")
    first = (text.splitlines() or [type(exc).__name__])[0]
    return StartupProblem(f"Could not reach Slack at {api_url} to check the bot token ({first}). Check the network, "
                          "a proxy, or SLACK_API_URL; VOC Desk starts once Slack answers.")


class LazyPool(ThreadPoolExecutor):
    """The pool for lazy listeners and work right after an ack (opening a form). `unfinished` counts
    tasks queued or running: "the bot is idle" (workers/idle.py) must not miss one that has started
    but not yet called Slack, or the shell would read its next line before the form it opens is open."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._unfinished = 0
        self._count_lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        with self._count_lock:
            self._unfinished += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future) -> None:
        with self._count_lock:
            self._unfinished -= 1

    @property
    def unfinished(self) -> int:
        return self._unfinished


def build_app(rt: Runtime, *, schedule_retry: ScheduleRetry | None = None, enqueue: Enqueue | None = None,
              verify_requests: bool = True) -> tuple[App, BotService]:
    """`enqueue` hands stored requests to a worker; without it they are processed in this process."""
    service = BotService(rt, schedule_retry, enqueue)
    # Our own pool for lazy listeners, so shutting down can wait for work already acknowledged.
    service.executor = LazyPool(max_workers=rt.settings.web_threads, thread_name_prefix="voc-lazy")
    try:
        app = _bolt_app(rt, service, verify_requests)
    except (SlackApiError, SlackClientError, BoltError, OSError) as exc:
        raise _startup_problem(exc, rt.settings.api_url) from None
    for module in (feedback, complaint, complaints, digest, export, survey, satisfaction, customer, visit, return_, claim,
                   feedback_form, survey_form,
                   log_shortcut, proposal, item_actions, dm_intake, dm_conversation, thread_work, standalone_return, snooze, app_home, group_members):
        module.register(app, service)
    _answer_unhandled_with_200(app)
    return app, service


def _bolt_app(rt: Runtime, service: BotService, verify_requests: bool) -> App:
    return App(
        # Named here: without a name bolt takes its caller's file name from inspect.stack(), which reads
        # the source of every frame on the stack (~70 ms, at every start-up and every test's app).
        name="voc-desk",
        listener_executor=service.executor,
        signing_secret=rt.settings.slack_signing_secret or "unused-when-verification-is-off",
        client=rt.client,
        request_verification_enabled=verify_requests,
        # Checked once at start-up so a wrong token fails loudly here, not on the first request.
        token_verification_enabled=True,
        # The ack runs in the request's own thread and returns at once; only lazy listeners use the
        # pool. (With False, bolt runs acks on the same pool as lazy work, so acks queue behind it.)
        process_before_response=True,
        # A request no listener takes (an event, button or shortcut we do not handle) reaches the error
        # handler below and is answered 200: Slack would show the person an error or retry the event.
        raise_error_for_unhandled_request=True,
    )


def _answer_unhandled_with_200(app: App) -> None:
    unhandled_seen: set[str] = set()

    @app.error
    def on_error(error, body, logger, response):
        if isinstance(error, BoltUnhandledRequestError):
            what = _what(body)
            if what not in unhandled_seen:  # logged once per kind, not once per request
                unhandled_seen.add(what)
                log.info("no listener for %s; answered 200", what)
            response.status, response.body = 200, ""
            return response
        # Errors in acks end up here; work after the ack reports its own (bot.handlers.process).
        logger.exception("unhandled error in a Slack listener: %s", error)


def _what(body: dict) -> str:
    """What a request nobody listens for is, for the log; only text is used (the edge checked the
    shapes bolt matches on, this stays safe for anything else)."""
    def text(value) -> str:
        return value if isinstance(value, str) else ""

    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    actions = body.get("actions") if isinstance(body.get("actions"), list) else []
    view = body.get("view") if isinstance(body.get("view"), dict) else {}
    detail = (text(event.get("type")) + ("/" + text(event.get("subtype")) if text(event.get("subtype")) else "")
              or (text(actions[0].get("action_id")) if actions and isinstance(actions[0], dict) else "")
              or text(body.get("callback_id")) or text(view.get("callback_id")) or text(body.get("command")))
    return f"{text(body.get('type')) or 'request'} {detail}".strip()


def wsgi_app(app: App, max_body: int = MAX_REQUEST_BYTES, health: HealthCheck | None = None):
    """bolt's WSGI handler behind the verifying edge (bot.request_edge). HTTP requests are always
    verified; only Socket Mode, which has no signatures, builds the app without verification.
    With `health`, `GET /healthz` is answered beside the edge (bot/health.py)."""
    slack = verified(SlackRequestHandler(app, path="/slack/events"), app._signing_secret, max_body=max_body)
    return slack if health is None else with_healthz(slack, health)


def socket_mode_handler(app: App, app_token: str):
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(app, app_token)
