"""The Bot Framework's signing keys, played locally: an RSA key whose public half the emulator serves
as a JWKS, and the tokens signed with it.

Microsoft's "Authenticate requests from the Bot Connector service": the channel signs a JWT (RS256)
with issuer https://api.botframework.com, audience the bot's app id, a `serviceUrl` claim equal to
the activity's serviceUrl, and nbf/exp; the bot finds the key by `kid` in the JWKS that the OpenID
metadata document names, and each key lists the channels it endorses (`endorsements`).
"""
from __future__ import annotations

import json
import time
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"


class SigningKeys:
    def __init__(self, endorsements: tuple[str, ...] = ("msteams",)):
        self.kid = uuid.uuid4().hex
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.endorsements = list(endorsements)

    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256", "endorsements": self.endorsements})
        return {"keys": [jwk]}

    def sign(self, claims: dict, kid: str | None = None) -> str:
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": kid or self.kid})

    def channel_token(self, app_id: str, service_url: str, *, now: float | None = None, lifetime: float = 3600,
                      **overrides) -> str:
        """The token the channel sends with an activity; `overrides` change or remove (None) a claim."""
        now = time.time() if now is None else now
        claims = {"iss": ISSUER, "aud": app_id, "serviceUrl": service_url, "nbf": int(now) - 5,
                  "iat": int(now) - 5, "exp": int(now + lifetime)}
        for name, value in overrides.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return self.sign(claims)
