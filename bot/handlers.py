"""Work done after the ack: `process` runs one stored request (in a worker, or inline when no
broker is reachable) with the handler bot/handler_table.py lists for its kind."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, NamedTuple

from domain import inbox
from sqlalchemy.exc import DataError

from domain.errors import DomainError, GuestRefused, ValueRefused
from models import InboundRequest

if TYPE_CHECKING:
    from bot.service import BotService

log = logging.getLogger("voc.handlers")


class Who(NamedTuple):
    """Whom to tell when the work fails, and where."""

    key: str
    user: str
    text: str | None  # what the person typed, as they read it (decoded): its language, and handed back on failure
    channel: str | None
    response_url: str | None
    platform: str = "slack"  # whose ids user and channel are (bot/messaging/)


@dataclass(frozen=True)
class Handler:
    run: Callable[["BotService", dict], None]
    who: Callable[[dict], Who]


def refuse_guests(service: "BotService", user: str | None) -> None:
    """Slack guests see nothing and can do nothing: every request of theirs is answered with this."""
    if user and service.locales.is_guest(user):
        raise GuestRefused()


def process(service: "BotService", row_id: int) -> float | None:
    """Run one stored request. Returns seconds until a retry is due, or None when finished."""
    rt = service.rt
    with rt.db.session() as s:
        if not inbox.claim(s, row_id, rt.clock.now(), rt.settings.claim_lease):
            return None
    with rt.db.session() as s:
        row = s.get(InboundRequest, row_id)
        kind, payload = row.kind, row.payload
    from bot.handler_table import HANDLERS  # the flows import this module for Who

    chosen = HANDLERS.get(kind)
    error = None
    try:
        if chosen is None:
            raise LookupError(f"no handler for {kind!r}")
        asker = chosen.who(payload)
        if asker.platform == "slack":  # Slack's guests; Teams' guests are not told apart yet
            refuse_guests(service, asker.user)
        chosen.run(service, payload)
    except DomainError as exc:  # the person's mistake or a rule: say so, do not retry
        error = exc.code
        service.tell_error(exc, chosen.who(payload))
    except (DataError, OverflowError) as exc:  # a value no column holds (SQLite: OverflowError): refused on every try
        error = f"{type(exc).__name__}: {exc}"[:500]
        log.warning("request %s (%s): the database refused a value: %s", row_id, kind, exc)
        service.tell_error(ValueRefused(), chosen.who(payload))
    except Exception as exc:  # ours (database down, a bug): retry a few times, then apologise
        error = f"{type(exc).__name__}: {exc}"
        log.exception("request %s (%s) failed", row_id, kind)
        with rt.db.session() as s:
            row = s.get(InboundRequest, row_id)
            if inbox.retry_or_fail(row, rt.clock.now(), error):
                return max(0.5, (row.not_before - rt.clock.now()).total_seconds())
        if chosen is not None:
            service.tell_error(exc, chosen.who(payload))
        return None
    with rt.db.session() as s:
        inbox.finish(s.get(InboundRequest, row_id), rt.clock.now(), error)
    return None
