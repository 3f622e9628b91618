"""What both local platforms (this Slack emulator and teams_emulator/) need of a test server: an HTTP
server on a background thread, and a wait for a change they record. One copy, so a fix to either (the
short shutdown poll, the failure-only timeout) reaches both."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


class BackgroundServer:
    """A ThreadingHTTPServer served from a daemon thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str, port: int, name: str):
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._name = name
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def serve(self) -> None:
        # A short poll: shutdown() waits for it (the default half second, paid by every test's teardown).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=self._name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def wait_until(changed: threading.Condition, predicate: Callable[[], Any], timeout: float, platform: str) -> Any:
    """Block until predicate() is truthy and return its value. The timeout only bounds a failure: a passing
    wait returns as soon as the change is seen, however busy the machine. It also polls, because a
    predicate may read the bot's database, which notifies nobody."""
    deadline = time.monotonic() + timeout
    with changed:
        while True:
            value = predicate()
            if value:
                return value
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"the emulated {platform} did not see the expected change in time")
            changed.wait(min(left, 0.05))
