"""The Bot Connector REST API, as the bot calls it: its own token (client credentials from Microsoft
Entra ID, cached until shortly before it expires) and the conversation calls the outbox needs.

Synchronous on purpose: the outbox's senders run in worker threads and must not outlast the claim's
lease (bot/delivery.py); every call has a 10 s timeout and none sleeps on a 429 — the outbox honours
Retry-After itself, as it does for Slack.
"""
from __future__ import annotations

import threading
import time

import requests

from bot.messaging.boundary import Refused

SCOPE = "https://api.botframework.com/.default"
TIMEOUT = 10
REFRESH_BEFORE = 300  # seconds before a token's expiry it is renewed


class BotToken:
    def __init__(self, token_url: str, app_id: str, password: str):
        self.token_url, self.app_id, self.password = token_url, app_id, password
        self._token: str | None = None
        self._until = 0.0
        self._lock = threading.Lock()

    def get(self, fresh: bool = False) -> str:
        with self._lock:
            if fresh or self._token is None or time.monotonic() >= self._until:
                answer = requests.post(self.token_url, timeout=TIMEOUT, data={
                    "grant_type": "client_credentials", "client_id": self.app_id, "client_secret": self.password,
                    "scope": SCOPE})
                if answer.status_code != 200:
                    raise Refused(f"token endpoint http_{answer.status_code}", permanent=answer.status_code in (400, 401),
                                  retry_after=None if answer.status_code in (400, 401) else 5)
                body = answer.json()
                self._token = body["access_token"]
                self._until = time.monotonic() + max(60, int(body.get("expires_in", 3600)) - REFRESH_BEFORE)
            return self._token


class ConnectorClient:
    def __init__(self, token: BotToken):
        self.token = token
        self.session = requests.Session()

    def create_conversation(self, service_url: str, params: dict) -> dict:
        return self._call("POST", service_url, "v3/conversations", params)

    def send(self, service_url: str, conversation: str, activity: dict) -> str:
        return self._call("POST", service_url, f"v3/conversations/{_q(conversation)}/activities", activity)["id"]

    def reply(self, service_url: str, conversation: str, activity_id: str, activity: dict) -> str:
        path = f"v3/conversations/{_q(conversation)}/activities/{_q(activity_id)}"
        return self._call("POST", service_url, path, {**activity, "replyToId": activity_id})["id"]

    def update(self, service_url: str, conversation: str, activity_id: str, activity: dict) -> None:
        self._call("PUT", service_url, f"v3/conversations/{_q(conversation)}/activities/{_q(activity_id)}",
                   {**activity, "id": activity_id})

    def members(self, service_url: str, conversation: str) -> list[dict]:
        return self._call("GET", service_url, f"v3/conversations/{_q(conversation)}/members", None)

    def _call(self, method: str, service_url: str, path: str, body: dict | None):
        url = service_url.rstrip("/") + "/" + path
        for attempt in (1, 2):  # a refused token (rotated, revoked) is fetched again once
            answer = self.session.request(method, url, json=body, timeout=TIMEOUT,
                                          headers={"Authorization": f"Bearer {self.token.get(fresh=attempt == 2)}"})
            if answer.status_code != 401:
                break
        if answer.status_code < 300:
            return answer.json() if answer.content else {}
        code = _error_code(answer)
        if answer.status_code == 429 or answer.status_code >= 500:
            retry_after = answer.headers.get("Retry-After")
            raise Refused(f"{code} http_{answer.status_code}",
                          retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None)
        raise Refused(f"{code} http_{answer.status_code}", permanent=True)


def _q(part: str) -> str:
    from urllib.parse import quote

    return quote(part, safe=":@;=")


def _error_code(answer: requests.Response) -> str:
    try:
        return (answer.json().get("error") or {}).get("code") or "error"
    except ValueError:
        return "error"
