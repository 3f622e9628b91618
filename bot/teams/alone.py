"""A Teams-only company (`VOC_PLATFORM=teams`): the web process without a Slack app. No Slack
credentials are asked for and Slack is never called; the process serves `/api/messages` (the Bot
Framework's endpoint, bot/teams/edge.py) and `/healthz`, and answers anything else 404 — there is
no `/slack/events` to sign requests for. The workers are unchanged: they never built a Slack app,
and the outbox sends Teams rows with the Teams adapter (bot/teams/wiring.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from bot.health import HealthCheck, with_healthz
from bot.service import BotService, Enqueue, ScheduleRetry
from bot.teams.wiring import serve

if TYPE_CHECKING:
    from bot.runtime import Runtime


def not_here(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "0")])
    return [b""]


def web_app(rt: "Runtime", *, schedule_retry: ScheduleRetry | None = None, enqueue: Enqueue | None = None,
            max_body: int) -> tuple[Callable, BotService]:
    """The WSGI app of a Teams-only web process, and its service (its inbox writer, drained at exit)."""
    from bot.app import LazyPool  # the same pool as the Slack app's, for work a worker could not take

    service = BotService(rt, schedule_retry, enqueue)
    service.executor = LazyPool(max_workers=rt.settings.web_threads, thread_name_prefix="voc-lazy")
    return serve(with_healthz(not_here, HealthCheck(rt.settings, rt.clock)), service, max_body), service
