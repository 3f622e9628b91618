"""The emulator over HTTP: the Bot Framework's OpenID metadata and keys, the token endpoint the bot
gets its own token from, and the connector REST API (`/v3/conversations/…`) the bot calls."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

from slack_emulator.serving import BackgroundServer
from teams_emulator.keys import ISSUER, SigningKeys
from teams_emulator.tenant import ConnectorError, Tenant

OPENID_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"
TOKEN_PATH = "/botframework.com/oauth2/v2.0/token"


class TeamsEmulatorServer(BackgroundServer):
    def __init__(self, tenant: Tenant, keys: SigningKeys, host: str = "127.0.0.1", port: int = 0):
        self.tenant, self.keys = tenant, keys
        self.key_fetches = 0  # GETs of the JWKS: when the bot fetched the channel's keys
        self.fetched = threading.Condition()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet: the tenant records every call
                pass

            def _send(self, status: int, body, headers: dict | None = None) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> tuple[str, str]:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                return raw, self.headers.get("Content-Type", "")

            def _connector(self, method: str) -> None:
                raw, _ = self._body()
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    self._send(400, ConnectorError(400, "BadSyntax", "body is not JSON").body())
                    return
                token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip() or None
                self._send(*server.tenant.call(method, self.path, body, token))

            def do_GET(self):  # noqa: N802
                if self.path == OPENID_PATH:
                    self._send(200, server.openid_metadata())
                elif self.path == KEYS_PATH:
                    self._send(200, server.keys.jwks())
                    with server.fetched:
                        server.key_fetches += 1
                        server.fetched.notify_all()
                elif self.path.startswith("/v3/"):
                    self._connector("GET")
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self):  # noqa: N802
                if self.path == TOKEN_PATH:
                    raw, _ = self._body()
                    try:
                        self._send(200, server.tenant.issue_token(dict(parse_qsl(raw))))
                    except ConnectorError as exc:
                        self._send(exc.status, {"error": exc.code, "error_description": exc.message})
                elif self.path.startswith("/v3/"):
                    self._connector("POST")
                else:
                    self._send(404, {"error": "not_found"})

            def do_PUT(self):  # noqa: N802
                self._connector("PUT")

        super().__init__(Handler, host, port, "teams-emulator")

    @property
    def openid_url(self) -> str:
        return self.url.rstrip("/") + OPENID_PATH

    @property
    def token_url(self) -> str:
        return self.url.rstrip("/") + TOKEN_PATH

    @property
    def service_url(self) -> str:
        """Where the bot calls the connector: the activities' serviceUrl."""
        return self.url

    def openid_metadata(self) -> dict:
        return {"issuer": ISSUER, "authorization_endpoint": "https://invalid.botframework.com",
                "jwks_uri": self.url.rstrip("/") + KEYS_PATH, "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"]}

    def wait_for_key_fetch(self, timeout: float = 60.0) -> bool:
        """Block until the bot has fetched the keys once; the timeout only bounds a failure."""
        with self.fetched:
            return self.fetched.wait_for(lambda: self.key_fetches > 0, timeout)

    def start(self) -> "TeamsEmulatorServer":
        self.serve()
        return self
