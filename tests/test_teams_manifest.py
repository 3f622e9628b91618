"""The Teams app manifest names the bot the code answers as, the scopes it serves and the command it takes."""
from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from bot.teams.feedback_dialog import COMMAND
from bot.teams.intake import FEEDBACK_WORDS

TEAMS = Path(__file__).resolve().parent.parent / "manifests" / "teams"


def test_the_manifest_names_the_bot_its_scopes_and_the_feedback_command():
    m = json.loads((TEAMS / "manifest.json").read_text("utf-8"))
    [bot] = m["bots"]
    assert m["id"] == bot["botId"] == "{{TEAMS_APP_ID}}"  # the admin puts TEAMS_APP_ID here (docs/teams.md)
    assert set(bot["scopes"]) == {"personal", "team"}
    [commands] = bot["commandLists"]
    assert [c["title"] for c in commands["commands"]] == ["feedback"] and "feedback" in FEEDBACK_WORDS
    [extension] = m["composeExtensions"]  # the form: an action command whose dialog the bot fetches
    assert extension["botId"] == bot["botId"]
    [form] = extension["commands"]
    assert (form["id"], form["type"], form["fetchTask"]) == (COMMAND, "action", True)
    assert set(form["context"]) == {"compose", "commandBox", "message"}  # also on a message: log it as feedback
    assert len(form["title"]) <= 32 and len(form["description"]) <= 128  # Teams' limits
    assert len(m["name"]["short"]) <= 30 and len(m["description"]["short"]) <= 80  # Teams' limits
    assert Image.open(TEAMS / m["icons"]["color"]).size == (192, 192)
    assert Image.open(TEAMS / m["icons"]["outline"]).size == (32, 32)
