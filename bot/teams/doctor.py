"""`voc doctor` for a company on Teams: one line per thing to fix in its Teams settings, checked
against the real services (Microsoft Entra's token endpoint, the Bot Framework's OpenID metadata
and keys) and the policy (every department placed in a Teams channel)."""
from __future__ import annotations

import uuid

import requests

from bot.messaging.boundary import Refused
from bot.teams.connector import TIMEOUT, BotToken
from domain.policy import Policy


def _guid(value: str | None) -> bool:
    try:
        uuid.UUID(value or "")
        return True
    except ValueError:
        return False


def teams_problems(settings, policy: Policy) -> list[str]:
    problems = []
    if not settings.teams_app_id:
        problems.append("TEAMS_APP_ID: not set: the Azure Bot's Microsoft App ID (its Entra app registration's client id)")
    elif not _guid(settings.teams_app_id):
        problems.append(f"TEAMS_APP_ID: {settings.teams_app_id!r} is not an application (client) id (a GUID)")
    if not settings.teams_app_password:
        problems.append("TEAMS_APP_PASSWORD: not set: a client secret of the bot's Entra app registration")
    if settings.teams_tenant_id is not None and not _guid(settings.teams_tenant_id):
        problems.append(f"TEAMS_TENANT_ID: {settings.teams_tenant_id!r} is not a tenant id (a GUID)")
    if not problems:
        try:
            BotToken(settings.teams_token_url, settings.teams_app_id, settings.teams_app_password).get()
        except Refused as exc:
            problems.append(f"TEAMS_APP_PASSWORD: the token endpoint ({settings.teams_token_url}) refused the bot's "
                            f"credentials ({exc}): check TEAMS_APP_ID and the client secret (it may have expired)")
        except (requests.RequestException, ValueError, KeyError) as exc:
            problems.append(f"TEAMS_TOKEN_URL: {settings.teams_token_url} cannot be reached ({type(exc).__name__})")
    problems += _keys_problems(settings.teams_openid_metadata_url)
    for key, dept in policy.departments.items():
        if dept.teams is None or not dept.teams.channel:
            problems.append(f"policy departments.{key}.teams.channel: not set: {dept.name.en}'s items have no Teams "
                            "channel to go to (docs/teams.md, Place the departments)")
    return problems


def _keys_problems(metadata_url: str) -> list[str]:
    """The channel's signing keys must be found, or every activity is refused 401."""
    try:
        metadata = requests.get(metadata_url, timeout=TIMEOUT)
        metadata.raise_for_status()
        keys = requests.get(metadata.json()["jwks_uri"], timeout=TIMEOUT)
        keys.raise_for_status()
        if not keys.json().get("keys"):
            return [f"TEAMS_OPENID_METADATA_URL: {metadata_url} names a key set with no keys"]
    except (requests.RequestException, ValueError, KeyError) as exc:
        return [f"TEAMS_OPENID_METADATA_URL: the Bot Framework's keys cannot be read from {metadata_url} "
                f"({type(exc).__name__}): every activity would be refused"]
    return []
