"""The layers: only bot/ imports slack_bolt; the domain imports neither Slack nor dramatiq."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports_of(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_domain_is_free_of_slack_dramatiq_and_the_bot():
    for path, names in {**imports_of("domain"), **imports_of("models")}.items():
        assert not names & {"slack_bolt", "slack_sdk", "dramatiq", "bot", "workers", "redis"}, path


def test_documents_are_slack_free_and_the_domain_renders_no_files():
    for path, names in imports_of("documents").items():
        assert not names & {"slack_bolt", "slack_sdk", "dramatiq", "bot", "workers", "redis", "sqlalchemy", "sqlmodel"}, path
    for path, names in {**imports_of("domain"), **imports_of("models")}.items():
        assert not names & {"fpdf", "openpyxl", "documents"}, path


def test_only_bot_imports_slack_bolt():
    for package in ("domain", "models", "workers", "cli", "slack_emulator", "shell", "migrations", "documents"):
        for path, names in imports_of(package).items():
            assert "slack_bolt" not in names, path


def test_views_are_pure_functions_of_domain_objects():
    for path, names in imports_of("bot/views").items():
        assert not names & {"slack_bolt", "slack_sdk", "dramatiq", "sqlalchemy", "sqlmodel", "models", "redis"}, path


def test_the_teams_emulator_imports_nothing_of_the_bot():
    for path, names in imports_of("teams_emulator").items():
        assert not names & {"bot", "workers", "domain", "models", "slack_bolt", "slack_sdk", "microsoft_agents"}, path


def test_only_bot_teams_imports_the_microsoft_sdk_and_it_imports_no_slack():
    for package in ("domain", "models", "workers", "cli", "slack_emulator", "teams_emulator", "shell", "documents"):
        for path, names in imports_of(package).items():
            assert "microsoft_agents" not in names, path
    for path, names in imports_of("bot").items():
        if not path.startswith("bot/teams/"):
            assert "microsoft_agents" not in names, path
    for path, names in {**imports_of("bot/teams"), **imports_of("bot/messaging")}.items():
        if path != "bot/messaging/slack.py":  # the Slack adapter is the one place here that speaks Slack
            assert not names & {"slack_bolt", "slack_sdk"}, path
