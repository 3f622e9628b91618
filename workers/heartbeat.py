"""The worker's sign of life (`GET /healthz`, `voc status`): each worker process records a heartbeat
when it boots and every VOC_HEARTBEAT_SECONDS after, in a thread of its own, so an idle worker is
seen alive and a dead one (or one cut off from the database) is seen stale. One row, "worker": the
latest of any worker process (domain/health.py)."""
from __future__ import annotations

import logging
import os
import socket
import threading

import dramatiq

from bot.settings import Settings
from workers.runtime import current_service

log = logging.getLogger("voc.worker")


def beat_now() -> None:
    from domain.health import WORKER, beat

    rt = current_service().rt
    with rt.db.session() as s:
        beat(s, WORKER, rt.clock.now(), f"{socket.gethostname()} pid {os.getpid()}")


class Heartbeat(dramatiq.Middleware):
    def __init__(self) -> None:
        self._stops: dict[int, threading.Event] = {}

    def after_worker_boot(self, broker, worker) -> None:
        stop = self._stops[id(worker)] = threading.Event()
        threading.Thread(target=self._run, args=(stop,), name="voc-heartbeat", daemon=True).start()

    def before_worker_shutdown(self, broker, worker) -> None:
        stop = self._stops.pop(id(worker), None)
        if stop is not None:
            stop.set()

    @staticmethod
    def _run(stop: threading.Event) -> None:
        every = Settings().voc_heartbeat_seconds  # not from the runtime: building it may fail (the database away)
        while not stop.is_set():
            try:
                beat_now()
            except Exception as exc:  # noqa: BLE001 — the database away: the heartbeat goes stale, which is the point
                log.warning("could not record the worker's heartbeat: %s", exc)
            stop.wait(every)
