"""The one place a WebClient is made: base URL from configuration, slack_sdk's own retry handlers."""
from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, ServerErrorRetryHandler

# The longest one call can take: two tries of TIMEOUT plus a short back-off. The claim lease
# (VOC_CLAIM_LEASE_SECONDS, bot.settings) must stay well above a row's few calls, or a slow send
# could be taken for a dead one (a lookup in the channel's history keeps it from posting twice).
TIMEOUT = 10


def make_client(token: str | None, base_url: str, timeout: int = TIMEOUT) -> WebClient:
    # One quick retry for a dropped connection or a 5xx. No RateLimitErrorRetryHandler: it sleeps
    # for Slack's Retry-After (which can be minutes) inside a claimed send; the outbox honours
    # Retry-After itself, durably, without holding anything.
    handlers = [ConnectionErrorRetryHandler(max_retry_count=1), ServerErrorRetryHandler(max_retry_count=1)]
    return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=handlers)
