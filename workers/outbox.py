"""Delivers what could not be sent at once (Slack down, rate limited, a process crashed)."""
from __future__ import annotations

import dramatiq

from workers.broker import broker  # noqa: F401
from workers.runtime import current_service


@dramatiq.actor(queue_name="outbox", max_retries=5, min_backoff=1000, max_backoff=60_000)
def deliver_outbox(item_id: int | None = None) -> None:
    current_service().flush(item_id)


def schedule_delivery(item_id: int | None, delay_seconds: float) -> None:
    """Ask a worker to try again later; the rows are durable, so a lost message only delays them."""
    deliver_outbox.send_with_options(args=(item_id,), delay=int(delay_seconds * 1000))
