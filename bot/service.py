"""What every listener needs: the runtime, locales, delivery right after a request, and notices to people."""
from __future__ import annotations

import functools
import logging
from typing import Callable

from bot.delivery import Deliverer
from bot.locales import Locales
from bot.runtime import Runtime
from domain import outbox
from domain.errors import DomainError
from domain.i18n import t

log = logging.getLogger("voc.bot")
ScheduleRetry = Callable[[int | None, float], None]


def _no_worker(item_id: int | None, delay: float) -> None:
    log.warning("no worker configured: outbox rows of item %s stay pending until the next sweep", item_id)


class BotService:
    def __init__(self, rt: Runtime, schedule_retry: ScheduleRetry | None = None):
        self.rt = rt
        self.locales = Locales(rt.client, rt.policy.company.language)
        self.deliverer = Deliverer(rt)
        self.schedule_retry = schedule_retry or _no_worker
        self.executor = None  # set by build_app

    def drain(self) -> None:
        """Finish the work already acknowledged (shutdown, tests)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True)

    def flush(self, item_id: int | None = None) -> None:
        """Send what is due for this item now; hand anything left over to a worker."""
        report = self.deliverer.deliver(item_id)
        if report.retry_in is not None:
            try:
                self.schedule_retry(item_id, report.retry_in)
            except Exception:  # Redis down: the rows are durable, the scheduler's sweep will find them
                log.exception("could not schedule a retry for item %s", item_id)

    def notify(self, key: str, user: str, lang: str, text: str, *, channel: str | None = None,
               response_url: str | None = None, item_id: int | None = None) -> None:
        """A one-off message to a person (ephemeral where they are, or replacing the message they clicked)."""
        with self.rt.db.session() as s:
            outbox.enqueue(s, key=key, intent="notice", item_id=item_id, channel=channel, user=user, locale=lang,
                           now=self.rt.clock.now(), data={"text": text, "response_url": response_url})
        self.flush(item_id)

    def tell_error(self, exc: BaseException, *, key: str, user: str, lang: str, channel: str | None,
                   response_url: str | None) -> None:
        """The one place errors become words: domain errors say what to do, anything else apologises."""
        if isinstance(exc, DomainError):
            text = t(exc.code, lang, **exc.params)
        else:
            log.exception("unexpected error handling %s", key, exc_info=exc)
            text = t("error.generic", lang)
        try:
            self.notify(f"error:{key}", user, lang, ":warning: " + text, channel=channel, response_url=response_url)
        except Exception:
            log.exception("could not tell %s about an error", user)


def friendly(service: BotService, describe: Callable[[dict], tuple[str, str, str | None, str | None, str | None]]):
    """Wrap a lazy listener so no exception is lost or shown raw: `describe(body)` gives
    (request key, user, text for language, channel, response_url)."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(body: dict, **kwargs):
            try:
                return fn(body=body, **kwargs)
            except Exception as exc:
                key, user, text, channel, response_url = describe(body)
                service.tell_error(exc, key=key, user=user, lang=service.locales.guess(user, text),
                                   channel=channel, response_url=response_url)
        return wrapper

    return decorate
