"""The Slack app manifests name what the code listens to, and the scopes the code's API calls need."""
from pathlib import Path

import pytest
import yaml

from bot import action_ids as ids

ROOT = Path(__file__).resolve().parent.parent
# Web API methods the bot calls -> the bot scope each needs.
SCOPES = {"chat.postMessage": "chat:write", "chat.postEphemeral": "chat:write", "chat.update": "chat:write",
          "conversations.join": "channels:join", "users.info": "users:read",
          "conversations.history": "channels:history", "conversations.replies": "channels:history",
          "conversations.open": "im:write",
          "usergroups.users.list": "usergroups:read", "files.getUploadURLExternal": "files:write",
          "files.completeUploadExternal": "files:write",
          "conversations.info": "channels:read", "usergroups.list": "usergroups:read"}  # the last two: voc doctor


@pytest.mark.parametrize("name", ["http.yaml", "socket.yaml"])
def test_manifest_matches_the_code(name):
    m = yaml.safe_load((ROOT / "manifests" / name).read_text("utf-8"))
    assert [c["command"] for c in m["features"]["slash_commands"]] == [
        ids.COMMAND, ids.COMPLAINT_COMMAND, ids.COMPLAINTS_COMMAND, ids.DIGEST_COMMAND, ids.EXPORT_COMMAND, ids.SURVEY_COMMAND,
        ids.SATISFACTION_COMMAND, ids.CUSTOMER_COMMAND, ids.VISIT_COMMAND, ids.RETURN_COMMAND,
        ids.CLAIM_COMMAND]
    hints = {c["command"]: c.get("usage_hint") for c in m["features"]["slash_commands"]}
    assert hints[ids.RETURN_COMMAND] == "VOC-42 | customer | RMA-7 | help"  # a return on a complaint or standing alone
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert [s["callback_id"] for s in m["features"]["shortcuts"]] == [ids.SHORTCUT_LOG]
    assert m["settings"]["event_subscriptions"]["bot_events"] == ["message.im", "message.channels", "message.groups", "reaction_added",
                                                               "app_home_opened", "subteam_members_changed"]
    scopes = set(m["oauth_config"]["scopes"]["bot"])
    assert set(SCOPES.values()) | {"commands", "im:history"} <= scopes
    assert m["settings"]["socket_mode_enabled"] is (name == "socket.yaml")


def test_every_api_method_the_bot_uses_has_its_scope():
    import re

    used = set()
    for path in (ROOT / "bot").rglob("*.py"):
        used |= {m.replace("_", ".") for m in re.findall(r"client\.(chat_\w+|conversations_\w+|users_\w+|views_\w+|usergroups_\w+)\(", path.read_text())}
        used |= {m.replace("_", ".", 1) for m in re.findall(r"self\.rt\.client\.(chat_\w+|conversations_\w+|users_\w+)\(", path.read_text())}
        if "files_upload_v2(" in path.read_text():  # slack_sdk's helper for Slack's two-call upload
            used |= {"files.getUploadURLExternal", "files.completeUploadExternal"}
    needing = {u for u in used if not u.startswith("views.") and u != "chat.getPermalink"}
    assert needing <= set(SCOPES), needing - set(SCOPES)
