"""Serving the bolt app over HTTP on waitress, a production WSGI server (bolt's app.start() is for development)."""
from __future__ import annotations

import threading

from waitress.server import create_server

from bot.settings import MAX_REQUEST_BYTES


class WebServer:
    """A waitress server in a background thread (tests, benchmarks, the shell), or in the foreground (`voc web`)."""

    def __init__(self, wsgi, host: str = "127.0.0.1", port: int = 0, threads: int = 16,
                 max_body: int = MAX_REQUEST_BYTES):
        # waitress refuses a body of max_request_body_size or more (413) from its Content-Length, before
        # buffering it; its default is 1 GiB. The edge (bot/request_edge.py) checks the same limit.
        self.server = create_server(wsgi, host=host, port=port, threads=threads, ident="voc-desk",
                                    channel_timeout=30, connection_limit=200, max_request_body_size=max_body + 1)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.server.effective_host}:{self.server.effective_port}/slack/events"

    def start(self) -> "WebServer":
        self._thread = threading.Thread(target=self._run, name="voc-web", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.server.run()
        except OSError:  # stop() closed the socket under the loop: that is how it ends
            pass

    def run_forever(self) -> None:
        self.server.run()

    def stop(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            # Closed from inside the loop (the trigger runs it there): the loop ends at once, rather
            # than when its poll times out a second later, and a socket is never closed under it.
            try:
                self.server.trigger.pull_trigger(self.server.close)
                self._thread.join(timeout=5)
            except OSError:  # the loop already closed its trigger (it is ending): close from here
                pass
        if self.server.accepting:  # not started, or the loop did not end: close from here
            self.server.close()
        self.server.task_dispatcher.shutdown()

