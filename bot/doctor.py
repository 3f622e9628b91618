"""`voc doctor`: the live setup checked against Slack and the database, one line per thing to fix.

Each check reads what is there (the Web API with the bot's own token, the database) and says what
is wrong and where: the token's scopes against the manifest, the policy's channels, user groups,
users and roles, next year's holidays, the schema's revision, and demo data in a real database.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from domain.addresses import is_teams
from domain.policy import Policy

MANIFEST = Path(__file__).resolve().parent.parent / "manifests" / "http.yaml"
ROLES = ("sales", "quality_manager", "general_manager", "rd_director", "admins")


def policy_ids(policy: Policy) -> tuple[dict, dict, dict]:
    """Every channel, user group and user id the policy names, each with where it is named."""
    channels, groups, users = defaultdict(list), defaultdict(list), defaultdict(list)
    for key, dept in policy.departments.items():
        if dept.channel:  # none: the department is on Teams alone (bot/teams/doctor.py checks its place)
            channels[dept.channel].append(f"departments.{key}.channel")
        if dept.usergroup:
            groups[dept.usergroup].append(f"departments.{key}.usergroup")
        if dept.manager:
            users[dept.manager].append(f"departments.{key}.manager")
    members = [(f"roles.{role}", getattr(policy.roles, role)) for role in ROLES]
    members += [(f"customers[{i}].visible_to", c.visible_to) for i, c in enumerate(policy.customers)]
    for where, m in members:
        if m is not None:
            if m.usergroup:
                groups[m.usergroup].append(f"{where}.usergroup")
            for u in m.users:
                users[u].append(f"{where}.users")
    for key, people in policy.roles.departments.items():
        for u in (*people.users, *people.managers):
            users[u].append(f"roles.departments.{key}")
    for name in ("weekly", "monthly", "annual"):
        for i, r in enumerate(getattr(policy.reports, name).to):
            (channels[r.channel] if r.channel else users[r.user]).append(f"reports.{name}.to[{i}]")
    return channels, groups, users


def _named(where: list[str]) -> str:
    return ", ".join(dict.fromkeys(where))


def manifest_scopes(path: Path = MANIFEST) -> set[str]:
    return set(yaml.safe_load(path.read_text("utf-8"))["oauth_config"]["scopes"]["bot"])


def slack_problems(client: WebClient, policy: Policy) -> list[str]:
    """What Slack says is wrong with the token and with the ids the policy names."""
    try:
        auth = client.auth_test()
    except (SlackApiError, SlackClientError, OSError) as exc:
        return [f"SLACK_BOT_TOKEN: Slack did not accept it ({_error(exc)}): copy the Bot User OAuth Token (xoxb-…) "
                "from the app's OAuth & Permissions page"]
    problems = []
    granted = {s.strip() for s in _header(auth.headers, "x-oauth-scopes").split(",") if s.strip()}
    missing = sorted(manifest_scopes() - granted)
    if missing:
        problems.append(f"SLACK_BOT_TOKEN: the token lacks the scope(s) {', '.join(missing)} that manifests/http.yaml "
                        "asks for: add them to the app (or paste the manifest again) and reinstall it")
    channels, groups, users = policy_ids(policy)
    problems += [f"departments.{key}.channel: not set: {dept.name.en}'s items have no Slack channel to go to"
                 for key, dept in policy.departments.items() if not dept.channel]
    # Teams channels and people (domain/addresses.py) are not Slack's to check.
    channels = {cid: where for cid, where in channels.items() if not is_teams(cid)}
    users = {uid: where for uid, where in users.items() if not is_teams(uid)}
    for cid, where in channels.items():
        problems += _channel(client, cid, _named(where), "channels:join" in granted)
    problems += _groups(client, groups, policy)
    for uid, where in users.items():
        try:
            user = client.users_info(user=uid)["user"]
        except SlackApiError as exc:
            problems.append(f"{_named(where)}: user {uid} not found in this workspace ({_error(exc)}): copy the "
                            "person's member ID (profile → ⋮ → Copy member ID)")
            continue
        if user.get("deleted"):
            problems.append(f"{_named(where)}: user {uid} ({user.get('name')}) is deactivated: name who does this now")
    return problems


def _channel(client: WebClient, cid: str, where: str, can_join: bool) -> list[str]:
    try:
        channel = client.conversations_info(channel=cid)["channel"]
    except SlackApiError as exc:
        if _error(exc) == "missing_scope":
            return [f"{where}: channel {cid} could not be looked up: the token lacks channels:read / groups:read"]
        return [f"{where}: channel {cid} not found ({_error(exc)}): check the id (channel → About), and invite "
                "the bot to a private channel (/invite @VOC Desk) — until then it cannot see it"]
    name = f"#{channel.get('name', cid)}"
    if channel.get("is_archived"):
        return [f"{where}: {name} ({cid}) is archived: unarchive it or name another channel"]
    if not channel.get("is_member"):
        if channel.get("is_private"):
            return [f"{where}: the bot is not in the private channel {name} ({cid}): /invite @VOC Desk there"]
        if not can_join:
            return [f"{where}: the bot is not in {name} ({cid}) and may not join it (no channels:join scope): "
                    "/invite @VOC Desk there"]
    return []


def _groups(client: WebClient, groups: dict, policy: Policy) -> list[str]:
    if not groups:
        return _empty_roles(policy, {})
    try:
        known = {g["id"] for g in client.usergroups_list()["usergroups"]}
    except SlackApiError as exc:
        return [f"{_named([w for ws in groups.values() for w in ws])}: user groups cannot be read ({_error(exc)}): "
                "they need a paid plan and the usergroups:read scope; without them leave `usergroup` out"]
    problems, members = [], {}
    for sid, where in groups.items():
        if sid not in known:
            problems.append(f"{_named(where)}: user group {sid} not found: copy its id (People → User groups → ⋮ → "
                            "Copy group ID)")
            continue
        members[sid] = client.usergroups_users_list(usergroup=sid)["users"]
    return problems + _empty_roles(policy, members)


def _empty_roles(policy: Policy, group_members: dict[str, list[str]]) -> list[str]:
    """A role with nobody in it: its approvals, escalations and exports would reach no one."""
    problems = []
    for role in ROLES:
        m = getattr(policy.roles, role)
        if m is None or not (m.users or group_members.get(m.usergroup or "")):
            problems.append(f"roles.{role}: nobody has this role: list their user ids (users: [U…]) or a user group "
                            "with members")
    return problems


def local_problems(policy: Policy, db_url: str | None, today: date) -> list[str]:
    """What the policy's calendar and the database say, without Slack."""
    from sqlalchemy.exc import SQLAlchemyError

    from domain.reports.history import seeded_items
    from domain.sla.calendar import calendar_warnings
    from models.db import Database, current_revision, database_url, head_revision

    problems = list(calendar_warnings(policy, today))
    where = database_url(db_url).split("@")[-1]
    try:
        current, head = current_revision(db_url), head_revision()
    except SQLAlchemyError as exc:
        return problems + [f"DATABASE_URL: {where} cannot be reached ({_error(exc)})"]
    if current != head:
        problems.append(f"DATABASE_URL: {where} is at revision {current or 'none'}, not {head}: run voc db upgrade")
    db = Database(db_url)
    try:
        with db.session() as s:
            seeded = seeded_items(s)
    except SQLAlchemyError:  # no items table yet: nothing seeded either
        seeded = 0
    finally:
        db.dispose()
    if seeded:
        problems.append(f"DATABASE_URL: {where} holds {seeded} generated demo item(s) (voc seed, voc shell --history): "
                        "reports, repeats and satisfaction count them; use a database without them")
    return problems


def _header(headers, name: str) -> str:
    return next((str(v) for k, v in (headers or {}).items() if k.lower() == name), "")


def _error(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error", exc))
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
