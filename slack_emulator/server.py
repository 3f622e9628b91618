"""The emulator over HTTP: `POST /api/<method>` like slack.com/api, `POST /response/<id>` like a response_url."""
from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

from slack_emulator.serving import BackgroundServer
from slack_emulator.workspace import Workspace


class EmulatorServer(BackgroundServer):
    def __init__(self, workspace: Workspace, host: str = "127.0.0.1", port: int = 0):
        self.workspace = workspace
        ws = workspace

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet: the workspace records every call
                pass

            def _read(self) -> tuple[dict, str]:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    return (json.loads(raw) if raw else {}), raw
                return dict(parse_qsl(raw, keep_blank_values=True)), raw

            def _send(self, status: int, body: dict | str, headers: dict | None = None) -> None:
                data = (json.dumps(body) if isinstance(body, dict) else body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8" if isinstance(body, dict) else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802
                if self.path.startswith("/upload/"):  # files upload v2, step 2: the bytes, to the URL step 1 gave
                    data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    status, text = ws.receive_upload(self.path[len("/upload/"):], data)
                    self._send(status, text)
                    return
                params, _ = self._read()
                if self.path.startswith("/api/"):
                    auth = self.headers.get("Authorization", "")
                    token = auth.removeprefix("Bearer ").strip() or params.pop("token", None)
                    method = self.path[len("/api/"):].split("?")[0]
                    status, body, headers = ws.call(method, params, token)
                    if ws.delays.get(method):  # done, but answered late (Workspace.slow_down)
                        time.sleep(ws.delays[method])
                    self._send(status, body, headers)
                elif self.path.startswith("/response/"):
                    status, text = ws.respond(self.path[len("/response/"):], params)
                    self._send(status, text)
                else:
                    self._send(404, {"ok": False, "error": "not_found"})

        super().__init__(Handler, host, port, "slack-emulator")

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    def start(self) -> "EmulatorServer":
        self.workspace.upload_base = self.url + "/upload/"
        self.serve()
        return self
