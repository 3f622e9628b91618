"""What an actor works with: the runtime and bot service installed in-process (shell, tests),
or ones built from the environment in a worker process."""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.service import BotService

_service: "BotService | None" = None
_lock = threading.Lock()


def install(service: "BotService | None") -> None:
    global _service
    _service = service


def current_service() -> "BotService":
    global _service
    with _lock:
        if _service is None:
            from bot.runtime import build_runtime
            from bot.service import BotService
            from workers.outbox import schedule_delivery
            from workers.requests import enqueue_request

            _service = BotService(build_runtime(), schedule_retry=schedule_delivery, enqueue=enqueue_request)
        return _service
