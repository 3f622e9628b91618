"""Teams joined to the rest: the outbox's deliverer gets the Teams adapter and senders, the web
process the `/api/messages` endpoint — only when `VOC_PLATFORM` is `teams` or `both`."""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable

from bot.messaging.boundary import TEAMS
from bot.teams import feedback_dialog
from bot.teams.actions import INVOKE_NAME, answer_invoke
from bot.teams.connector import BotToken, ConnectorClient
from bot.teams.edge import teams_endpoint, with_teams
from bot.teams.files import with_shared_files
from bot.teams.messaging import TeamsMessaging
from bot.teams.proactive import PROACTIVE_SENDERS
from bot.teams.senders import TEAMS_SENDERS

if TYPE_CHECKING:
    from bot.delivery import Deliverer
    from bot.service import BotService
    from bot.settings import Settings


def messaging(settings: "Settings") -> TeamsMessaging:
    token = BotToken(settings.teams_token_url, settings.teams_app_id or "", settings.teams_app_password or "")
    return TeamsMessaging(ConnectorClient(token), settings.teams_service_url, settings.teams_app_id or "",
                          settings.teams_tenant_id)


def attach(deliverer: "Deliverer") -> None:
    deliverer.platforms[TEAMS] = messaging(deliverer.rt.settings)
    deliverer.other_senders[TEAMS] = {**TEAMS_SENDERS, **PROACTIVE_SENDERS}


def serve(inner: Callable, service: "BotService", max_body: int) -> Callable:
    """`inner` (Slack's edge and /healthz) with `/api/messages` and the files Teams messages link
    (`/files/…`, bot/teams/files.py) beside it, when the company is on Teams."""
    if not service.rt.settings.on_teams:
        return inner
    invokes = {INVOKE_NAME: partial(answer_invoke, service), **feedback_dialog.invokes(service)}
    return with_teams(with_shared_files(inner, service.rt), teams_endpoint(service, max_body=max_body, invokes=invokes))
