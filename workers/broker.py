"""The dramatiq broker: Redis in production, dramatiq's in-process StubBroker for `voc shell` and unit tests.

Chosen by VOC_BROKER (redis | stub) before any actor module is imported, because
dramatiq binds actors to the broker that is current when they are declared.
"""
from __future__ import annotations

import os

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker


def _make_broker() -> dramatiq.Broker:
    if os.environ.get("VOC_BROKER", "redis") == "stub":
        stub = StubBroker()
        stub.emit_after("process_boot")
        return stub
    return RedisBroker(url=os.environ.get("REDIS_URL", "redis://localhost:6379/0"))


broker = _make_broker()
dramatiq.set_broker(broker)
