"""What every listener and handler needs: the runtime, locales, the inbox, delivery, and notices."""
from __future__ import annotations

import functools
import logging
import threading
from typing import Callable

from bot.delivery import Deliverer
from bot.handlers import Who, process, refuse_guests
from bot.locales import Locales
from bot.runtime import Runtime
from bot.inbox_writer import InboxWriter
from domain import outbox
from domain.errors import DomainError
from models import FeedbackItem
from bot.views.common import escape
from domain.i18n import t

log = logging.getLogger("voc.bot")
ScheduleRetry = Callable[[int | None, float], None]
Enqueue = Callable[[int, float], None]


class BotService:
    def __init__(self, rt: Runtime, schedule_retry: ScheduleRetry | None = None, enqueue: Enqueue | None = None):
        self.rt = rt
        self.locales = Locales(rt.client, rt.policy.company.language)
        self.deliverer = Deliverer(rt, self.locales)
        self.schedule_retry = schedule_retry
        self.enqueue = enqueue
        self.executor = None  # set by build_app
        self._writer: InboxWriter | None = None
        self._writer_lock = threading.Lock()

    @property
    def writer(self) -> InboxWriter:
        with self._writer_lock:  # only processes that take Slack requests start one
            if self._writer is None:
                self._writer = InboxWriter(self.rt, self._hand_on)
            return self._writer

    def pending_writes(self) -> int:
        return self._writer.pending() if self._writer is not None else 0

    def store_after_ack(self, kind: str, key: Callable[[dict], str]):
        """A listener that acks, then hands the request to the inbox writer (no I/O before the ack)."""
        def listener(ack, body):
            ack()
            self.accept(kind, key(body), body)
        return listener

    # ---- the inbox -----------------------------------------------------------------------------
    def accept(self, kind: str, key: str, body: dict) -> None:
        """Called right after the ack: the writer stores the request and hands it to a worker."""
        self.writer.put(kind, key, body)

    def _hand_on(self, row_ids: list[int]) -> None:
        """Stored requests go to a worker. With no broker reachable, this process does the work:
        slower, but nothing is lost and nobody waits for the sweep."""
        for n, row_id in enumerate(row_ids):
            if self.enqueue is not None:
                try:
                    self.enqueue(row_id, 0)
                    continue
                except Exception:
                    log.warning("broker unreachable; processing %d requests in the web process",
                                len(row_ids) - n, exc_info=True)
            for left in row_ids[n:]:
                self.executor.submit(self.run_request, left) if self.executor else self.run_request(left)
            return

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
               response_url: str | None = None, item_id: int | None = None, replace: bool = True,
               blocks: list[dict] | None = None, platform: str = "slack") -> None:
        """A one-off message to a person: ephemeral where they are, replacing the message they clicked
        unless `replace` is False (an answer beside it: the buttons they may still need stay)."""
        with self.rt.db.session() as s:
            outbox.enqueue(s, key=key, intent="notice", item_id=item_id, channel=channel, user=user, locale=lang,
                           now=self.rt.clock.now(), platform=platform,
                           data={"text": text, "response_url": response_url, "replace": replace, "blocks": blocks})
        self.flush(item_id)

    def refresh_confirmation(self, item_id: int, user: str, lang: str, *, channel: str | None,
                             response_url: str | None) -> None:
        """Draw the reporter's confirmation again from the item as it is now, with the buttons that
        still fit (a person may correct as often as needed; undo while its window lasts)."""
        with self.rt.db.session() as s:
            version = s.get(FeedbackItem, item_id).version
            outbox.enqueue(s, key=f"item:{item_id}:confirmation:v{version}:{user}", intent="confirmation",
                           item_id=item_id, channel=channel, user=user, locale=lang, now=self.rt.clock.now(),
                           data={"response_url": response_url})
        self.flush(item_id)

    def tell_error(self, exc: BaseException, who: Who) -> None:
        """The one place errors become words: domain errors say what to do, anything else apologises."""
        lang = (self.locales.resolve(who.user, who.text) if who.platform == "slack"  # after the ack: the person's own language
                else self.locales.guess(who.user, who.text))
        if isinstance(exc, DomainError):
            text = escape(exc.message(lang))
        else:
            log.error("unexpected error handling %s: %s", who.key, exc)
            text = t("error.generic", lang)
        if (exc.hand_back if isinstance(exc, DomainError) else True) and (who.text or "").strip():
            # The failed request stays in the inbox for the team, out of the person's reach: their words come back to them.
            text += "\n" + t("error.hand_back", lang) + "\n" + "\n".join("> " + line for line in escape(who.text).splitlines())
        try:
            self.notify(f"error:{who.key}", who.user, lang, ":warning: " + text, channel=who.channel,
                        response_url=who.response_url, replace=False, platform=who.platform)
        except Exception:
            log.exception("could not tell %s about an error", who.user)

    def drain(self) -> None:
        """Finish the work already acknowledged (shutdown, tests)."""
        if self._writer is not None:
            self._writer.close()
        if self.executor is not None:
            self.executor.shutdown(wait=True)


def friendly(service: BotService, who: Callable[[dict], Who]):
    """For the little work that stays in the web process (opening a modal within the trigger's
    3 seconds): no exception is lost or shown raw."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(body: dict, **kwargs):
            try:
                refuse_guests(service, who(body).user)  # a guest gets no form either
                return fn(body=body, **kwargs)
            except Exception as exc:
                service.tell_error(exc, who(body))
        return wrapper

    return decorate
