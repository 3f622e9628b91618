"""`voc shell --platform teams`: the same bot and local world, each message drawn as the Adaptive Card
Teams shows (shared views → cards → text), its buttons numbered and pressed as in the Slack look."""
from __future__ import annotations

import subprocess

from shell.session import ShellSession
from tests.test_shell import VOC, shell_env, text, world  # noqa: F401  (the fixture)


def test_a_line_stop_is_drawn_as_teams_cards_and_their_buttons_press(world):  # noqa: F811
    s = ShellSession(world, platform="teams")
    s.handle("/feedback Geely Ningbo: connectors in lot 23-1107 don't fit, their assembly line stopped 2 h")
    out = text(s)
    assert "🔴 AA complaint from Geely Auto" in out and "  Customer: Geely Auto" in out  # the card's FactSet
    assert "@quality new AA complaint for Quality, reported by sales-emma" in out  # the tag; a Slack person is a name
    assert "[1] Take ownership   [2] Record first contact   [3] Change classification   [4] Correct details…" in out
    assert "More… (Record customer reply, Not ours," in out  # the menu's "More…" card: its choices, shown
    assert "*" not in out  # no mrkdwn left
    assert "Filed VOC-1" in out and "open the thread (https://" in out  # a link as the card's markdown
    s.handle("/as quality-wang")
    mark = len(s.lines)
    s.handle("1")  # Take ownership, pressed on the card
    assert "Owner: quality-wang" in text(s, mark)


def test_the_dm_conversation_asks_with_card_buttons(world):  # noqa: F811
    s = ShellSession(world, platform="teams")
    s.handle("/dm Geely: connectors cracked at their incoming inspection")
    assert "Which part or lot numbers?" in text(s) and "[1] Not known" in text(s)
    mark = len(s.lines)
    s.handle("1")
    assert "How many pieces are affected?" in text(s, mark)


def test_voc_shell_platform_teams_from_a_pipe(tmp_path):
    proc = subprocess.run([VOC, "shell", "--plain", "--platform", "teams"],
                          input="/feedback Geely: line stopped, connectors cracked\n/quit\n",
                          capture_output=True, text=True, cwd=tmp_path, env=shell_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Drawn as Microsoft Teams shows it" in proc.stdout and "  Customer: Geely Auto" in proc.stdout
    assert "Filed VOC-1" in proc.stdout and "More… (Record customer reply" in proc.stdout  # the card's buttons and its menu card
