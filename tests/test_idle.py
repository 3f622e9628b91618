""""The bot is idle" (workers/idle.py) is what `voc shell` and harness.join() wait for before the next
step: it must count every piece of work behind an ack, however slowly a busy machine runs it."""
from __future__ import annotations

import threading

from workers.idle import busy


def test_the_bot_is_busy_while_a_task_after_an_ack_runs_not_only_while_it_is_queued(harness):
    """A lazy listener (opening a form within the trigger's 3 s) that has left the pool's queue but not
    yet called Slack is still work: counted, the shell reads its next line only once the form is open.
    Counting the queue alone, a loaded machine let the demo type a form's answers as chat."""
    started, release = threading.Event(), threading.Event()
    running = harness.service.executor.submit(lambda: (started.set(), release.wait(60)))
    assert started.wait(60)  # taken from the queue: running
    try:
        assert busy(harness.service, harness.broker) == 1
    finally:
        release.set()
    running.result(60)
    harness.join()
    assert busy(harness.service, harness.broker) == 0
