"""Stores accepted requests from a background thread, many per statement, then hands them to a worker.

A listener acks and puts the request here (microseconds, cannot fail slowly); the writer
thread drains what has gathered, stores it in one INSERT and enqueues each stored request.
This keeps the web process's CPU per request close to bolt's own (docs/benchmarks.md).
Like a lazy listener, a request lives only in memory between the ack and the write — a few
milliseconds; `close()` writes what is left before the process stops.
"""
from __future__ import annotations

import logging
import queue
import threading
from typing import TYPE_CHECKING, Callable

from domain import inbox

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("voc.inbox")
MAX_BATCH = 200
_STOP = object()


class InboxWriter:
    def __init__(self, rt: "Runtime", stored: Callable[[list[int]], None]):
        self.rt, self.stored = rt, stored
        self._queue: queue.Queue = queue.Queue()
        self._in_flight = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="voc-inbox-writer", daemon=True)
        self._thread.start()

    def put(self, kind: str, key: str, body: dict) -> None:
        with self._lock:
            self._in_flight += 1
        self._queue.put((key, kind, body))

    def pending(self) -> int:
        """Requests accepted but not yet stored and handed on."""
        with self._lock:
            return self._in_flight

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            batch, stop = ([] if first is _STOP else [first]), first is _STOP
            while len(batch) < MAX_BATCH and not stop:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is _STOP:
                    stop = True
                else:
                    batch.append(more)
            if batch:
                self._write(batch)
            if stop:
                return

    def _write(self, batch: list) -> None:
        try:
            for attempt in range(5):
                try:
                    ids = inbox.accept_many(self.rt.db.engine, batch, self.rt.clock.now())
                    break
                except Exception:  # the database is restarting: hold on to the requests a little
                    log.exception("could not store %d requests (attempt %d)", len(batch), attempt + 1)
                    threading.Event().wait(0.2 * 2 ** attempt)
            else:
                log.error("dropped %d requests after 5 attempts: %s", len(batch), [k for k, _, _ in batch])
                return
            self.stored(ids)
        finally:
            with self._lock:
                self._in_flight -= len(batch)
