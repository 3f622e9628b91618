"""The one place a WebClient is made: base URL from configuration, slack_sdk's own retry handlers."""
from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, ServerErrorRetryHandler


def make_client(token: str | None, base_url: str, timeout: int = 10) -> WebClient:
    # One quick retry each; anything longer is the outbox's job (it backs off and tries again later).
    handlers = [
        ConnectionErrorRetryHandler(max_retry_count=1),
        RateLimitErrorRetryHandler(max_retry_count=1),
        ServerErrorRetryHandler(max_retry_count=1),
    ]
    return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=handlers)
