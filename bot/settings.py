"""Runtime configuration from the environment (names are part of the runtime contract)."""
from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_API_DEFAULT = "https://slack.com/api/"
# Microsoft's public cloud (Bot Connector authentication; the global service URL for proactive messages).
TEAMS_OPENID_DEFAULT = "https://login.botframework.com/v1/.well-known/openidconfiguration"
TEAMS_TOKEN_DEFAULT = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
TEAMS_SERVICE_DEFAULT = "https://smba.trafficmanager.net/teams/"
MAX_REQUEST_BYTES = 2 ** 20  # Slack's requests are a few KiB; a view with 100 blocks stays far below this


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    database_url: str | None = None
    redis_url: str = "redis://localhost:6379/0"
    voc_policy: str | None = None
    port: int = 5000  # honcho gives the first Procfile process PORT=5000: `voc web` alone listens where it does
    web_threads: int = 16
    # A claim (inbox or outbox row) older than this is presumed dead and taken again. Far above the
    # longest Slack send (bot.slack_client); drills and tests use a few seconds.
    voc_claim_lease_seconds: float = Field(120.0, gt=0)
    # Pacing per channel (domain/pacing.py): Slack's ~1 message/second per channel, short bursts allowed.
    voc_channel_rate: float = Field(1.0, gt=0, description="messages per second per channel, sustained")
    voc_channel_burst: int = Field(4, ge=1, description="messages a channel may take at once")
    # The inbox writer (bot.inbox_writer): how long it retries the database in memory before it
    # spills acknowledged requests to the spool, where they live on disk; how often it then tries
    # to replay the spool; and where the spool is (a local disk that survives a restart).
    voc_inbox_spill_after_seconds: float = Field(5.0, ge=0)
    voc_inbox_replay_every_seconds: float = Field(2.0, gt=0)
    voc_spool_dir: str = "voc-spool"
    # The HTTP edge refuses a larger body with 413, from its Content-Length, before reading it
    # (bot/request_edge.py, and waitress's own limit in cli/web.py).
    voc_max_request_bytes: int = Field(MAX_REQUEST_BYTES, gt=0, description="largest request body taken, in bytes")
    # dramatiq's broker (workers/broker.py reads the same variable before any actor is declared):
    # redis in production, stub in `voc shell` and the tests (in-process, no Redis to check).
    voc_broker: str = "redis"
    # Health (GET /healthz, voc status, docs/operations.md): a worker records a heartbeat this often;
    # its part is down when the last is older than the worker limit, the scheduler's when its last
    # finished sweep (once a minute) is older than the sweep limit; each check (database, Redis) gives
    # up after the timeout, so the answer comes within it.
    voc_heartbeat_seconds: float = Field(30.0, gt=0)
    voc_health_worker_stale_seconds: float = Field(180.0, gt=0)
    voc_health_sweep_stale_seconds: float = Field(300.0, gt=0)
    voc_health_timeout_seconds: float = Field(2.0, gt=0)

    # Microsoft Teams (docs/teams.md): which platforms this company chats on, the bot's Entra app
    # registration, where the channel's signing keys are described (OpenID metadata), where the bot
    # gets its own token, and the connector's address for messages the bot starts (a channel post).
    voc_platform: Literal["slack", "teams", "both"] = "slack"
    teams_app_id: str | None = None
    teams_app_password: str | None = None
    teams_tenant_id: str | None = None
    teams_openid_metadata_url: str = TEAMS_OPENID_DEFAULT
    teams_token_url: str = TEAMS_TOKEN_DEFAULT
    teams_service_url: str = TEAMS_SERVICE_DEFAULT
    # Proactive messages and files on Teams (docs/teams.md): `voc web`'s address as people's Teams reach it
    # (https://voc.example.com), where a message's charts and documents are served, for so many days; and
    # the pace of all the bot's posts together (Teams throttles per bot as well as per conversation).
    teams_files_url: str | None = None
    teams_files_days: int = Field(30, ge=1, le=365)
    teams_bot_rate: float = Field(20.0, gt=0, description="the bot's messages per second on Teams, all conversations")
    teams_bot_burst: int = Field(40, ge=1)

    @property
    def on_slack(self) -> bool:
        return self.voc_platform in ("slack", "both")

    @property
    def on_teams(self) -> bool:
        return self.voc_platform in ("teams", "both")

    @property
    def claim_lease(self) -> timedelta:
        return timedelta(seconds=self.voc_claim_lease_seconds)

    @property
    def api_url(self) -> str:
        return self.slack_api_url if self.slack_api_url.endswith("/") else self.slack_api_url + "/"

    def missing_for_http(self) -> list[str]:
        # A Teams-only company (`teams`) builds no Slack app and needs none of Slack's (bot/teams/alone.py).
        needed = [("SLACK_BOT_TOKEN", self.slack_bot_token), ("SLACK_SIGNING_SECRET", self.slack_signing_secret)] if self.on_slack else []
        if self.on_teams:
            needed += [("TEAMS_APP_ID", self.teams_app_id), ("TEAMS_APP_PASSWORD", self.teams_app_password)]
        return [name for name, value in needed if not value]
