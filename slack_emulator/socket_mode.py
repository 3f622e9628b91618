"""Slack's Socket Mode endpoint: `apps.connections.open` hands out this server's ws:// URL;
requests go down to the app as envelopes, the app's acks come back up."""
from __future__ import annotations

import json
import threading
import time
import uuid

from websockets.sync.server import serve

from slack_emulator.workspace import Workspace


class SocketModeServer:
    def __init__(self, workspace: Workspace, host: str = "127.0.0.1"):
        self.ws = workspace
        self._connections: list = []
        self._acks: dict[str, dict | None] = {}
        self._changed = threading.Condition()
        self._server = serve(self._serve, host, 0)
        self.url = f"ws://{host}:{self._server.socket.getsockname()[1]}/link"
        workspace.socket_url = self.url
        self._thread = threading.Thread(target=self._server.serve_forever, name="socket-mode", daemon=True)

    def start(self) -> "SocketModeServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def _serve(self, connection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1,
                                    "debug_info": {"host": "emulated", "approximate_connection_time": 3600},
                                    "connection_info": {"app_id": "A0VOCDESK"}}))
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        try:
            for raw in connection:
                message = json.loads(raw)
                if "envelope_id" in message:
                    with self._changed:
                        self._acks[message["envelope_id"]] = message.get("payload")
                        self._changed.notify_all()
        finally:
            with self._changed:
                self._connections.remove(connection)

    @property
    def connected(self) -> bool:
        with self._changed:
            return bool(self._connections)

    def wait_connected(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self._connections:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no app connected over Socket Mode")
                self._changed.wait(left)

    def send(self, kind: str, payload: dict, timeout: float = 120) -> dict | None:
        """Send one envelope (slash_commands | interactive | events_api); return the app's ack payload.
        `timeout` bounds a hang only: how fast the app acks is measured in bench/, not asserted here."""
        self.wait_connected(timeout)
        envelope_id = str(uuid.uuid4())
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                    "accepts_response_payload": kind != "events_api", "retry_attempt": 0, "retry_reason": ""}
        with self._changed:
            connection = self._connections[-1]
        connection.send(json.dumps(envelope))
        deadline = time.monotonic() + timeout
        with self._changed:
            while envelope_id not in self._acks:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"the app did not ack envelope {envelope_id}")
                self._changed.wait(left)
            return self._acks.pop(envelope_id)
