"""Is an incoming activity from the Bot Framework? Microsoft's "Authenticate requests from the Bot
Connector service", checked by the Agents SDK's own `JwtTokenValidator`:

- the token is a JWT in `Authorization: Bearer`, RS256, signed by a key of the Bot Framework's JWKS
  (found through the OpenID metadata document: `TEAMS_OPENID_METADATA_URL`, so tests can point it at
  the emulator — the SDK itself always reads the public cloud's JWKS for this issuer);
- issuer `https://api.botframework.com`, audience our app id, not expired (5 minutes' clock skew);
- its `serviceUrl` claim equals the activity's `serviceUrl` (the SDK leaves this to the caller);
- the key endorses the activity's channel (`endorsements` in the JWKS; else 403, as the doc says).

The SDK's validator is async; the web process is WSGI, so each check runs its coroutine to the end
on the request's thread (`asyncio.run`). Key lookups are synchronous and cached (PyJWKClient), so no
thread is started per request.
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import urllib.request

from jwt import PyJWK, PyJWKClient, PyJWTError, get_unverified_header
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, JwtTokenValidator

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
METADATA_SECONDS = 24 * 3600  # the metadata names the JWKS; Microsoft rotates keys, not that address


log = logging.getLogger("voc.teams")

class Unauthorized(Exception):
    """401: not a token of the Bot Framework for this bot."""


class Forbidden(Exception):
    """403: a genuine token whose key does not endorse the activity's channel."""


class _KeysFromMetadata:
    """What the SDK's validator asks for its keys (`get_signing_key`), answered from the JWKS that
    the configured OpenID metadata names rather than the public cloud's fixed address."""

    def __init__(self, metadata_url: str):
        self.metadata_url = metadata_url
        self._client: PyJWKClient | None = None
        self._fetched = 0.0
        self._lock = threading.Lock()

    def client(self) -> PyJWKClient:
        with self._lock:
            if self._client is None or time.monotonic() - self._fetched > METADATA_SECONDS:
                with urllib.request.urlopen(self.metadata_url, timeout=10) as answer:
                    jwks_uri = json.load(answer)["jwks_uri"]
                self._client, self._fetched = PyJWKClient(jwks_uri, cache_keys=True, lifespan=METADATA_SECONDS), time.monotonic()
            return self._client

    def warm(self) -> None:
        """Fetch the metadata and keys now (at start-up, off the request path), so the first activity's
        token check finds them cached instead of waiting on the network before its answer."""
        try:
            self.client().get_jwk_set()
        except (PyJWTError, OSError, ValueError, KeyError) as exc:  # the first activity tries again
            log.warning("could not fetch the Bot Framework keys at start-up: %s", exc)

    async def get_signing_key(self, jwks_uri: str, header: dict) -> PyJWK:
        return self.client().get_signing_key(header["kid"])

    def endorsements(self, kid: str) -> list[str]:
        for key in self.client().get_jwk_set().keys:
            if key.key_id == kid:
                return list(key._jwk_data.get("endorsements") or [])  # PyJWK keeps the JWK's other members here
        return []


class ChannelTokenCheck:
    def __init__(self, app_id: str, tenant_id: str | None, metadata_url: str):
        self.config = AgentAuthConfiguration(client_id=app_id, tenant_id=tenant_id, issuers=[BOT_FRAMEWORK_ISSUER],
                                             validate_issuer=True, anonymous_allowed=False)
        self.keys = _KeysFromMetadata(metadata_url)
        self.validator = JwtTokenValidator(self.config)
        self.validator._jwk_client_manager = self.keys  # the SDK's hook for its keys, pointed at our metadata

    def check_token(self, authorization: str | None) -> tuple[dict, str]:
        """Before the body is read: the token's claims and its key's id, or Unauthorized."""
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("no bearer token")
        try:
            identity = asyncio.run(self.validator.validate_token(token))
            return identity.claims, get_unverified_header(token).get("kid", "")
        except (PyJWTError, ValueError, KeyError, OSError) as exc:
            raise Unauthorized(type(exc).__name__) from None

    def check_activity(self, claims: dict, kid: str, activity: dict) -> None:
        """The token was issued for this activity: its serviceUrl, and a key endorsing its channel."""
        if claims.get("serviceUrl") != activity.get("serviceUrl"):
            raise Unauthorized("the serviceUrl claim differs from the activity's")
        try:
            endorsing = self.keys.endorsements(kid)
        except (PyJWTError, OSError, ValueError, KeyError) as exc:  # the keys' refresh failed: no proof, no entry
            raise Unauthorized(type(exc).__name__) from None
        if activity.get("channelId") not in endorsing:
            raise Forbidden(f"the key does not endorse channel {activity.get('channelId')!r}")
