"""Keeps the claims of the outbox rows a deliverer is working on alive while it works.

A claim is presumed dead after the lease (`VOC_CLAIM_LEASE_SECONDS`) and another worker may take
the row again. Most sends take milliseconds; an 8D (a PDF and an XLSX of a report with many long
actions) or a report with charts takes seconds, and on a loaded machine may take longer than the
lease. While a row is held, one background thread renews its claim every quarter of the lease; a
renewal that fails means another worker has taken the row, and `confirm` — called right before the
slow work's post — refuses to post it a second time.
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Iterator

from domain import outbox

log = logging.getLogger("voc.outbox")


class LostClaim(Exception):
    """Another worker took the row after this one's lease ran out: it delivers it, not us."""


class LeaseKeeper:
    def __init__(self, rt):
        self.rt = rt
        # (row id, the attempt our claim counted: the fencing token); dramatiq's worker threads share
        # one deliverer, and a row reclaimed in this same process is another claim.
        self._held: set[tuple[int, int]] = set()
        self._lost: set[tuple[int, int]] = set()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None

    @contextmanager
    def holding(self, row_id: int, attempt: int) -> Iterator[None]:
        claim = (row_id, attempt)
        with self._lock:
            self._held.add(claim)
            self._lost.discard(claim)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="voc-outbox-leases", daemon=True)
                self._thread.start()
            if len(self._held) == 1:  # the beat was asleep with nothing to hold
                self._wake.notify_all()
        try:
            yield
        finally:
            with self._lock:
                self._held.discard(claim)
                self._lost.discard(claim)

    def confirm(self, row) -> None:
        """Renew now; raise LostClaim if the row (as this sender claimed it) is no longer ours. Called
        right before a slow send posts."""
        claim = (row.id, row.attempts)
        with self._lock:
            lost = claim in self._lost
        if lost or not self._renew(*claim):
            raise LostClaim(f"outbox row {row.id} was taken by another worker after its lease ran out")

    def _renew(self, row_id: int, attempt: int) -> bool:
        with self.rt.db.session() as s:
            return outbox.renew(s, row_id, attempt, self.rt.clock.now())

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._held:
                    self._wake.wait()
                self._wake.wait(self.rt.settings.voc_claim_lease_seconds / 4)
                held = set(self._held)
            for claim in held:
                try:
                    kept = self._renew(*claim)
                except Exception:  # the database is away: the next beat tries again
                    log.warning("could not renew the claim of outbox row %s", claim[0], exc_info=True)
                    continue
                if not kept:
                    with self._lock:
                        if claim in self._held:
                            self._lost.add(claim)
