"""A Teams-only company (`VOC_PLATFORM=teams`), in its production shape: `voc web` and a dramatiq
worker as separate processes through Redis, no Slack credentials at all, the Teams emulator as
Microsoft (keys, token endpoint, connector) over HTTP with signed tokens; and `voc doctor` checking
the Teams settings as an administrator runs it."""
from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request

import pytest
import redis
import yaml

from domain.policy import policy_path
from models.db import upgrade
from teams_emulator import SigningKeys, TeamsEmulatorServer, TeamsSide, Tenant
from tests.processes import BIN, ROOT, free_port, start, start_worker, stop_all, wait_listening
from tests.teams_world import channel_of, tag_of

REDIS_URL = os.environ.get("VOC_TEST_REDIS", "redis://127.0.0.1:6379/13")
AT = "2026-12-05T10:00"
NO_SLACK = {"SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": "", "SLACK_APP_TOKEN": "",
            "SLACK_API_URL": "http://127.0.0.1:9/api/"}  # nothing of Slack, and nowhere to reach it


def teams_policy_file(tmp_path, change=lambda data: None):
    """The shipped policy with every department placed in Teams, as a Teams-only company writes it."""
    data = yaml.safe_load(open(policy_path(None), encoding="utf-8"))
    data["working_time"]["years"][2027]["complete"] = True
    for key, dept in data["departments"].items():
        dept["teams"] = {"channel": channel_of(key), "tag": tag_of(key), "tag_name": dept["name"]["en"]}
        for slack in ("channel", "usergroup"):  # a company without Slack names no Slack place
            dept.pop(slack, None)
    change(data)
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def teams_env(server: TeamsEmulatorServer, tenant: Tenant, **extra) -> dict:
    return {**NO_SLACK, "VOC_PLATFORM": "teams", "TEAMS_APP_ID": tenant.app_id, "TEAMS_APP_PASSWORD": tenant.password,
            "TEAMS_TENANT_ID": tenant.tenant_id, "TEAMS_OPENID_METADATA_URL": server.openid_url,
            "TEAMS_TOKEN_URL": server.token_url, "TEAMS_SERVICE_URL": server.service_url, **extra}


@pytest.fixture
def microsoft():
    tenant, keys = Tenant(), SigningKeys()
    server = TeamsEmulatorServer(tenant, keys).start()
    yield tenant, keys, server
    server.stop()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="GET"), timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_voc_web_serves_teams_without_slack_and_the_worker_files_through_redis(microsoft, db_url, tmp_path):
    tenant, keys, server = microsoft
    alice = tenant.add_user("Alice Chen", "en-US")
    for key in ("quality", "production", "engineering", "purchasing", "sales"):
        tenant.add_channel(key, [alice], cid=channel_of(key))
    redis.Redis.from_url(REDIS_URL).flushdb()
    port = free_port()
    env = teams_env(server, tenant, DATABASE_URL=db_url, REDIS_URL=REDIS_URL, VOC_BROKER="redis", PORT=str(port),
                    VOC_POLICY=str(teams_policy_file(tmp_path)))
    web, worker = start(["voc", "web", "--host", "127.0.0.1"], env), start_worker(env)
    try:
        wait_listening(port, web)
        base = f"http://127.0.0.1:{port}"
        status, body = get(base + "/healthz")
        assert status in (200, 503) and "status" in json.loads(body)  # answered by the health check, not a 404
        assert get(base + "/slack/events")[0] == 404  # no Slack app in this process
        side = TeamsSide(tenant, keys, base + "/api/messages", server.service_url)
        sent = side.message(alice, "feedback Geely Ningbo: connectors in lot 23-1107 don't fit, their line stopped")
        assert sent.status == 200
        [parent] = tenant.wait_for(lambda: tenant.in_conversation(channel_of("quality"), top_level_only=True), timeout=120)
        [told] = tenant.wait_for(lambda: tenant.in_conversation(tenant.personal_chat(alice)), timeout=120)
        assert "connectors in lot" in json.dumps(parent.card) and "VOC-1" in told.text
        forged = side.message(alice, "feedback BYD: late again", token=SigningKeys().channel_token(tenant.app_id, server.service_url))
        assert forged.status == 401
    finally:
        stop_all(web, worker)
    assert web.returncode == 0


def test_voc_web_for_teams_names_the_teams_settings_it_lacks_not_slacks(tmp_path):
    env = {**os.environ, **NO_SLACK, "VOC_PLATFORM": "teams", "TEAMS_APP_ID": "", "TEAMS_APP_PASSWORD": "",
           "VOC_POLICY": str(teams_policy_file(tmp_path))}
    refused = subprocess.run([str(BIN / "voc"), "web"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "TEAMS_APP_ID and TEAMS_APP_PASSWORD" in refused.stderr and "SLACK" not in refused.stderr
    socket = subprocess.run([str(BIN / "voc"), "socket"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert socket.returncode != 0 and "with VOC_PLATFORM=teams run voc web" in socket.stderr


def _doctor(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "voc"), "doctor", "--at", AT], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def test_voc_doctor_checks_the_teams_settings(microsoft, tmp_path):
    tenant, keys, server = microsoft
    db_url = f"sqlite:///{tmp_path}/voc.db"
    upgrade(db_url)
    clean = _doctor(teams_env(server, tenant, DATABASE_URL=db_url, VOC_POLICY=str(teams_policy_file(tmp_path))))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.strip() == "nothing to fix: Teams, the policy and the database agree"

    def unplaced(data):  # placed in Slack only: a Teams-only company has nowhere to post its items
        data["departments"]["purchasing"]["teams"], data["departments"]["purchasing"]["channel"] = None, "C0PURCHASING"

    wrong = _doctor(teams_env(server, tenant, DATABASE_URL=db_url, TEAMS_APP_PASSWORD="an-expired-secret",
                              TEAMS_TENANT_ID="contoso", TEAMS_OPENID_METADATA_URL=server.url + "nowhere",
                              VOC_POLICY=str(teams_policy_file(tmp_path, unplaced))))
    lines = wrong.stdout.strip().splitlines()
    assert wrong.returncode == 1
    assert [line.split(":")[0] for line in lines[:-1]] == ["TEAMS_TENANT_ID", "TEAMS_OPENID_METADATA_URL",
                                                          "policy departments.purchasing.teams.channel"]
    assert lines[-1] == "3 thing(s) to fix"
    refused = _doctor(teams_env(server, tenant, DATABASE_URL=db_url, TEAMS_APP_PASSWORD="an-expired-secret",
                                VOC_POLICY=str(teams_policy_file(tmp_path))))
    assert refused.returncode == 1 and refused.stdout.startswith("TEAMS_APP_PASSWORD: the token endpoint")


def test_a_department_needs_a_slack_channel_or_a_teams_place_and_may_have_only_one(tmp_path):
    from domain.policy import PolicyError, load_policy

    teams_only = load_policy(str(teams_policy_file(tmp_path)))
    assert all(d.channel is None and d.teams for d in teams_only.departments.values())

    def nowhere(data):
        data["departments"]["sales"]["teams"] = None

    with pytest.raises(PolicyError, match=r"departments.sales: a department needs a Slack channel \(channel\) or a Teams place"):
        load_policy(str(teams_policy_file(tmp_path, nowhere)))
