"""Retraining the classifier on the company's corrections, nightly (the sweep decides when)."""
from __future__ import annotations

import dramatiq

from workers.broker import broker  # noqa: F401
from workers.runtime import current_service


@dramatiq.actor(queue_name="classifier", max_retries=0, time_limit=30 * 60 * 1000)
def train_classifier() -> None:
    """Queued once per night by the sweep (which claimed the night); on its own queue: it takes seconds."""
    from domain.classifier.learning import retrain

    rt = current_service().rt
    retrain(rt.db, rt.policy, rt.clock.now())
