"""Runtime configuration from the environment (names are part of the runtime contract)."""
from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_API_DEFAULT = "https://slack.com/api/"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    database_url: str | None = None
    redis_url: str = "redis://localhost:6379/0"
    voc_policy: str | None = None
    port: int = 3000
    web_threads: int = 16

    @property
    def api_url(self) -> str:
        return self.slack_api_url if self.slack_api_url.endswith("/") else self.slack_api_url + "/"

    def missing_for_http(self) -> list[str]:
        return [name for name, value in (("SLACK_BOT_TOKEN", self.slack_bot_token),
                                         ("SLACK_SIGNING_SECRET", self.slack_signing_secret)) if not value]
