"""Stores accepted requests from a background thread, many per statement, then hands them to a worker.

A listener acks and puts the request here (microseconds, cannot fail slowly); the writer
thread drains what has gathered, stores it in one INSERT and enqueues each stored request.
This keeps the web process's CPU per request close to bolt's own (docs/benchmarks.md).

An acknowledged request is never dropped. While the database refuses, the writer retries
with back-off; after VOC_INBOX_SPILL_AFTER_SECONDS it spills the requests to a local spool
file (bot.spool: append-only, fsynced) and sends later ones straight there, and every
VOC_INBOX_REPLAY_EVERY_SECONDS it tries to replay the spool into the database. A spool left
by a crashed process is adopted and replayed at start-up. Only between the ack and the
write (milliseconds; up to the spill delay while the database is away) does a request live
in memory alone, as it would in a bolt lazy listener; `close()` writes or spools what is left.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from typing import TYPE_CHECKING, Callable

from bot.spool import Spool
from domain import inbox

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("voc.inbox")
THREAD_REPLY = "event.thread_reply"  # the inbox kind of a reply in a channel's thread (bot.flows.thread_replies)
SECRETS = frozenset({"token"})  # the legacy verification token Slack sends in every payload
MAX_BATCH = 200
MAX_BACKOFF = 1.0  # seconds between tries while the database is away
_STOP = object()


class InboxWriter:
    def __init__(self, rt: "Runtime", stored: Callable[[list[int]], None]):
        self.rt, self.stored = rt, stored
        settings = rt.settings
        self.spill_after = settings.voc_inbox_spill_after_seconds
        self.replay_every = settings.voc_inbox_replay_every_seconds
        self.spool = Spool(settings.voc_spool_dir)
        self._queue: queue.Queue = queue.Queue()
        self._in_memory = 0
        self._lock = threading.Lock()
        self._next_replay = 0.0
        self._thread = threading.Thread(target=self._run, name="voc-inbox-writer", daemon=True)
        self._thread.start()

    def put(self, kind: str, key: str, body: dict) -> None:
        with self._lock:
            self._in_memory += 1
        self._queue.put((key, kind, body))

    def pending(self) -> int:
        """Requests accepted but not yet stored and handed on (in memory or in the spool)."""
        with self._lock:
            return self._in_memory + self.spool.count

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=30 + self.spill_after)

    # ------------------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self.spool.adopt_orphans()  # a spool left by a process that crashed
        except OSError:
            log.exception("could not read the spool directory %s", self.spool.dir)
        while True:
            if self.spool.count and time.monotonic() >= self._next_replay:
                self._replay()
            timeout = max(0.0, self._next_replay - time.monotonic()) if self.spool.count else None
            try:
                first = self._queue.get(timeout=timeout)
            except queue.Empty:
                continue
            batch, stop = self._gather(first)
            if batch and self.spool.count:
                self._spill(batch)  # the database is away: do not make these wait in memory
            elif batch:
                self._write(batch, patient=not stop)
            if stop:
                if self.spool.count:
                    self._replay()
                if self.spool.count:
                    log.error("%d acknowledged requests stay in %s; the next start replays them",
                              self.spool.count, self.spool.path)
                self.spool.close()
                return

    def _gather(self, first) -> tuple[list, bool]:
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
        return batch, stop

    def _store(self, batch: list) -> list[int]:
        """Into the inbox in the form it is kept: no secrets, and a reply's text only in an item's thread."""
        threads = {reply_thread(p) for _, kind, p in batch if kind == THREAD_REPLY}
        known = inbox.item_threads(self.rt.db.engine, threads)
        kept = [(key, kind, kept_form(kind, payload, known)) for key, kind, payload in batch]
        return inbox.accept_many(self.rt.db.engine, kept, self.rt.clock.now())

    def _write(self, batch: list, patient: bool) -> None:
        """Store the batch, retrying with back-off; spool it once the database has been away too long."""
        started, pause = time.monotonic(), 0.05
        while True:
            try:
                ids = self._store(batch)
                break
            except Exception as exc:  # the database is away or restarting
                away = time.monotonic() - started
                if (away >= self.spill_after or not patient) and self._spill(batch):
                    return
                log.warning("could not store %d requests (%s); trying again", len(batch), exc)
                time.sleep(min(pause, max(0.01, self.spill_after - away)))
                pause = min(pause * 2, MAX_BACKOFF)
        with self._lock:
            self._in_memory -= len(batch)
        self._hand_on(ids)

    def _spill(self, batch: list) -> bool:
        try:
            self.spool.append([(key, kind, without_secrets(p)) for key, kind, p in batch])  # not under the lock: put() runs before the ack and must not wait on a disk
        except OSError:  # the disk refuses too: keep them in memory and keep trying the database
            log.exception("could not spool %d requests to %s", len(batch), self.spool.dir)
            return False
        with self._lock:
            self._in_memory -= len(batch)
        if self._next_replay <= time.monotonic():
            self._next_replay = time.monotonic() + self.replay_every
        log.warning("the database is away: %d acknowledged requests spooled to %s", self.spool.count, self.spool.path)
        return True

    def _replay(self) -> None:
        self._next_replay = time.monotonic() + self.replay_every
        records = self.spool.records()
        ids: list[int] = []
        try:
            for start in range(0, len(records), MAX_BATCH):
                chunk = records[start:start + MAX_BATCH]
                self._store(chunk)
                with self.rt.db.session() as s:
                    ids += inbox.pending_ids(s, [key for key, _, _ in chunk])
        except Exception as exc:
            log.warning("the database is still away; %d requests wait in the spool (%s)", len(records), exc)
            return
        self.spool.clear()
        log.warning("replayed %d spooled requests into the inbox", len(records))
        self._hand_on(ids)

    def _hand_on(self, ids: list[int]) -> None:
        try:
            self.stored(ids)
        except Exception:  # the rows are durable: the scheduler's sweep finds what was not handed on
            log.exception("could not hand on %d stored requests", len(ids))


def without_secrets(payload):
    """The payload without the keys that are credentials, at any depth (bolt has checked them already)."""
    if isinstance(payload, dict):
        return {k: without_secrets(v) for k, v in payload.items() if k not in SECRETS}
    if isinstance(payload, list):
        return [without_secrets(v) for v in payload]
    return payload


def reply_thread(payload: dict) -> tuple[str, str]:
    event = payload.get("event") or {}
    return str(event.get("channel") or ""), str(event.get("thread_ts") or "")


# What is kept of a reply in a thread that is no item's: enough to say which message it was, nothing it said.
REPLY_IDENTITY = ("type", "subtype", "channel", "channel_type", "user", "ts", "thread_ts", "event_ts")


def kept_form(kind: str, payload: dict, item_threads: set[tuple[str, str]]) -> dict:
    """The bot is in every department's channel and Slack sends it every reply in every thread there.
    A reply in an item's thread is its discussion; any other reply is none of our business, so its
    row keeps only which message it was (the request stays acknowledged and accounted for, and the
    worker can still fetch the text if the thread turns out to be an item's posted a moment ago)."""
    payload = without_secrets(payload)
    if kind != THREAD_REPLY or reply_thread(payload) in item_threads:
        return payload
    event = payload.get("event") or {}
    return {**payload, "event": {k: event[k] for k in REPLY_IDENTITY if k in event}, "text_dropped": True}
