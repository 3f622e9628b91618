"""Is the in-process bot idle? Used by `voc shell` and the tests to wait for the work behind an ack.

The database is the ground truth (no request or message due and unfinished); the
broker's queues and the web process's lazy pool must be empty too. dramatiq's own
`StubBroker.join` is not used: it waits forever for a message a stopped worker took.
"""
from __future__ import annotations

import time
from typing import Callable

from sqlmodel import func, select

from models import InboundRequest, OutboundMessage


def busy(service, broker, claimed: bool = True) -> int:
    """How much is left to do now; `claimed=False` ignores requests a worker holds (or held, and died)."""
    rt = service.rt
    now = rt.clock.now()
    working = ["working"] if claimed else []
    with rt.db.session() as s:
        count = s.exec(select(func.count()).select_from(InboundRequest).where(
            ((InboundRequest.status == "pending") & (InboundRequest.not_before <= now))
            | InboundRequest.status.in_(working))).one()
        count += s.exec(select(func.count()).select_from(OutboundMessage).where(
            ((OutboundMessage.status == "pending") & (OutboundMessage.not_before <= now))
            | (OutboundMessage.status == "sending"))).one()
    count += sum(q.qsize() for name, q in broker.queues.items() if not name.endswith(".DQ"))
    if service.executor is not None:
        count += service.executor.unfinished  # queued or running (bot/app.py LazyPool)
    count += service.pending_writes()
    return count


def wait_idle(service, broker, activity: Callable[[], int] = lambda: 0, timeout: float = 120.0,
              claimed: bool = True) -> bool:
    """True once nothing is busy and `activity()` (e.g. Slack calls seen) stopped changing."""
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        now_activity = activity()
        if busy(service, broker, claimed) == 0 and now_activity == seen:
            return True
        seen = now_activity
        time.sleep(0.05)
    return False
