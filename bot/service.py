"""What every listener and handler needs: the runtime, locales, the inbox, delivery, and notices."""
from __future__ import annotations

import functools
import logging
from typing import Callable

from bot.delivery import Deliverer
from bot.handlers import Who, process
from bot.locales import Locales
from bot.runtime import Runtime
from domain import inbox, outbox
from domain.errors import DomainError
from domain.i18n import t

log = logging.getLogger("voc.bot")
ScheduleRetry = Callable[[int | None, float], None]
Enqueue = Callable[[int, float], None]


class BotService:
    def __init__(self, rt: Runtime, schedule_retry: ScheduleRetry | None = None, enqueue: Enqueue | None = None):
        self.rt = rt
        self.locales = Locales(rt.client, rt.policy.company.language)
        self.deliverer = Deliverer(rt)
        self.schedule_retry = schedule_retry
        self.enqueue = enqueue
        self.executor = None  # set by build_app

    # ---- the inbox -----------------------------------------------------------------------------
    def accept(self, kind: str, key: str, body: dict) -> None:
        """Store the request, then hand it to a worker. With no broker reachable, do it here:
        slower for this request, but nothing is lost and nobody waits for a sweep."""
        row_id = inbox.accept(self.rt.db.engine, key, kind, body, self.rt.clock.now())
        if row_id is None:
            return  # a Slack retry of a request already stored
        if self.enqueue is not None:
            try:
                self.enqueue(row_id, 0)
                return
            except Exception:
                log.warning("broker unreachable; processing request %s in the web process", row_id, exc_info=True)
        self.run_request(row_id)

    def run_request(self, row_id: int) -> None:
        retry_in = process(self, row_id)
        if retry_in is not None:
            self._later(lambda: self.enqueue(row_id, retry_in) if self.enqueue else None, f"request {row_id}")

    # ---- the outbox ----------------------------------------------------------------------------
    def flush(self, item_id: int | None = None) -> None:
        """Send what is due for this item now; hand anything left over to a worker."""
        report = self.deliverer.deliver(item_id)
        if report.retry_in is not None and self.schedule_retry is not None:
            self._later(lambda: self.schedule_retry(item_id, report.retry_in), f"outbox of item {item_id}")

    @staticmethod
    def _later(schedule: Callable[[], None], what: str) -> None:
        try:
            schedule()
        except Exception:  # Redis down: the rows are durable, the scheduler's sweep will find them
            log.warning("could not schedule a retry for %s; the sweep will", what, exc_info=True)

    def notify(self, key: str, user: str, lang: str, text: str, *, channel: str | None = None,
               response_url: str | None = None, item_id: int | None = None) -> None:
        """A one-off message to a person (ephemeral where they are, or replacing the message they clicked)."""
        with self.rt.db.session() as s:
            outbox.enqueue(s, key=key, intent="notice", item_id=item_id, channel=channel, user=user, locale=lang,
                           now=self.rt.clock.now(), data={"text": text, "response_url": response_url})
        self.flush(item_id)

    def tell_error(self, exc: BaseException, who: Who) -> None:
        """The one place errors become words: domain errors say what to do, anything else apologises."""
        lang = self.locales.guess(who.user, who.text)
        if isinstance(exc, DomainError):
            text = t(exc.code, lang, **exc.params)
        else:
            log.error("unexpected error handling %s: %s", who.key, exc)
            text = t("error.generic", lang)
        try:
            self.notify(f"error:{who.key}", who.user, lang, ":warning: " + text, channel=who.channel,
                        response_url=who.response_url)
        except Exception:
            log.exception("could not tell %s about an error", who.user)

    def drain(self) -> None:
        """Finish the work already acknowledged (shutdown, tests)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True)


def friendly(service: BotService, who: Callable[[dict], Who]):
    """For the little work that stays in the web process (opening a modal within the trigger's
    3 seconds): no exception is lost or shown raw."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(body: dict, **kwargs):
            try:
                return fn(body=body, **kwargs)
            except Exception as exc:
                service.tell_error(exc, who(body))
        return wrapper

    return decorate
