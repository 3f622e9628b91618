"""Teams beside the Slack harness, in-process: the Teams emulator (keys, connector, tenant), the
bot's `/api/messages` on a web server of its own, and the policy's departments placed in the
emulator's channels. Import the `teams` fixture (and `policy`) into a test module to use it."""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import pytest

from bot.settings import MAX_REQUEST_BYTES
from bot.teams.wiring import attach, serve
from cli.web import WebServer
from domain.policy import Policy, load_policy
from teams_emulator import SigningKeys, TeamsEmulatorServer, TeamsSide, Tenant


def channel_of(dept: str) -> str:
    return f"19:voc{dept}@thread.tacv2"


def tag_of(dept: str) -> str:
    return f"00000000-0000-4000-9000-{zlib.crc32(dept.encode()):012d}"


@pytest.fixture(scope="module")
def policy():
    """The shipped policy with every department placed in Teams (a channel and a tag each)."""
    base = load_policy()
    data = base.model_dump(mode="json")
    for key, dept in data["departments"].items():
        dept["teams"] = {"channel": channel_of(key), "tag": tag_of(key), "tag_name": dept["name"]["en"]}
    return Policy.model_validate(data)


@dataclass
class TeamsWorld:
    tenant: Tenant
    keys: SigningKeys
    server: TeamsEmulatorServer
    side: TeamsSide
    web: WebServer
    alice: dict
    lina: dict

    def channel_posts(self, dept: str):
        return self.tenant.in_conversation(channel_of(dept), top_level_only=True)


@pytest.fixture
def teams(request, harness, policy):
    # The bot reads the keys as its endpoint starts: a test of other endorsements names them before that.
    endorsing = request.node.get_closest_marker("endorsements")
    tenant, keys = Tenant(), SigningKeys(*([tuple(endorsing.args)] if endorsing else []))
    server = TeamsEmulatorServer(tenant, keys).start()
    harness.rt.settings = harness.rt.settings.model_copy(update={
        "voc_platform": "both", "teams_app_id": tenant.app_id, "teams_app_password": tenant.password,
        "teams_tenant_id": tenant.tenant_id, "teams_openid_metadata_url": server.openid_url,
        "teams_token_url": server.token_url, "teams_service_url": server.service_url})
    attach(harness.service.deliverer)  # the harness's deliverer was built before the settings named Teams
    alice, lina = tenant.add_user("Alice Chen", "en-US"), tenant.add_user("李娜", "zh-CN")
    for key, dept in policy.departments.items():
        members = [alice, lina] if key == "sales" else []
        tenant.add_channel(dept.name.en, members, cid=channel_of(key))
        tenant.add_tag(dept.teams.tag_name, members, tag=tag_of(key))

    def nothing_else(environ, start_response):  # Slack is served by the harness's own web server
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]

    web = WebServer(serve(nothing_else, harness.service, MAX_REQUEST_BYTES), threads=4).start()
    bot_url = web.url.replace("/slack/events", "/api/messages")
    world = TeamsWorld(tenant, keys, server, TeamsSide(tenant, keys, bot_url, server.service_url), web, alice, lina)
    yield world
    web.stop()
    server.stop()
