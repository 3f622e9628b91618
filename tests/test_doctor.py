"""`voc doctor` (issue 20): each mistake in a live setup named on a line of its own, exit 1; a clean
setup, exit 0. Slack is the emulator over HTTP; the command runs as an administrator runs it."""
from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone

import yaml

from domain.policy import load_policy, policy_path
from domain.reports.history import seeded_items, seed_history
from alembic import command
from alembic.script import ScriptDirectory

from models.db import Database, alembic_config, upgrade
from slack_emulator import EmulatorServer
from slack_emulator.demo import demo_workspace
from tests.processes import BIN, ROOT

AT = "2026-12-05T10:00"  # the holidays of 2026 and 2027 are checked


def _doctor(emulator: EmulatorServer, policy_file, db_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SLACK_API_URL": emulator.api_url, "SLACK_BOT_TOKEN": "xoxb-doctor",
           "VOC_POLICY": str(policy_file), "DATABASE_URL": db_url}
    return subprocess.run([str(BIN / "voc"), "doctor", "--at", AT], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def _policy_file(tmp_path, change) -> str:
    data = yaml.safe_load(open(policy_path(None), encoding="utf-8"))
    data["working_time"]["years"][2027]["complete"] = True  # the State Council's notice entered
    change(data)
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def _doctor_on(tmp_path, change) -> subprocess.CompletedProcess:
    """`voc doctor` on the shipped policy changed by `change`, its Slack the demo workspace, a fresh database."""
    policy_file = _policy_file(tmp_path, change)
    db_url = f"sqlite:///{tmp_path}/voc.db"
    upgrade(db_url)
    emulator = EmulatorServer(demo_workspace(load_policy(str(policy_file)))).start()
    try:
        return _doctor(emulator, policy_file, db_url)
    finally:
        emulator.stop()


def test_a_clean_setup_has_nothing_to_fix(tmp_path):
    clean = _doctor_on(tmp_path, lambda data: None)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.strip() == "nothing to fix: Slack, the policy and the database agree"


def test_each_mistake_is_named_on_a_line_of_its_own(tmp_path):
    def mistakes(data):
        data["working_time"]["years"][2027]["complete"] = False  # next year's bridging days not entered
        data["departments"]["production"]["channel"] = "C0NOSUCH"  # a mistyped channel id
        data["departments"]["engineering"]["channel"] = "C0SECRET"  # private, the bot not invited
        data["departments"]["quality"]["usergroup"] = "S0NOSUCH"
        data["roles"]["quality_manager"] = {"users": ["U0NOSUCH"]}
        data["roles"]["rd_director"] = {"usergroup": "S0RDDIRECTOR"}  # a Slack user group nobody is in yet
        data["reports"]["weekly"]["to"] = [{"channel": "C0NOMANAGERS"}]  # the managers' channel never made

    policy_file = _policy_file(tmp_path, mistakes)
    ws = demo_workspace(load_policy())
    ws.add_channel("C0SECRET", "voc-engineering", ["U0ENGCHEN"], is_private=True)
    ws.scopes.remove("files:write")  # the app installed before the 8D upload was added
    ws.users["U0PURSUN"]["deleted"] = True  # left the company
    ws.add_usergroup("S0RDDIRECTOR", "rd-director", "R&D director", [])
    db_url = f"sqlite:///{tmp_path}/voc.db"
    upgrade(db_url)
    db = Database(db_url)
    with db.session() as s:  # seeded by today's models, so at the newest revision
        seed_history(s, load_policy(), datetime(2026, 12, 1, tzinfo=timezone.utc), 1, 5)
    with db.session() as s:
        seeded = seeded_items(s)
    db.dispose()
    script = ScriptDirectory.from_config(alembic_config(db_url))
    head = script.get_current_head()
    before = script.get_revision(head).down_revision
    command.downgrade(alembic_config(db_url), before)  # the code upgraded, the database not

    emulator = EmulatorServer(ws).start()
    try:
        result = _doctor(emulator, policy_file, db_url)
    finally:
        emulator.stop()
    lines = result.stdout.splitlines()
    expected = {
        "scopes": "SLACK_BOT_TOKEN: the token lacks the scope(s) files:write",
        "channel": "departments.production.channel: channel C0NOSUCH not found",
        "private channel": "departments.engineering.channel: channel C0SECRET not found",
        "managers' channel": "reports.weekly.to[0]: channel C0NOMANAGERS not found",
        "user group": "departments.quality.usergroup: user group S0NOSUCH not found",
        "user": "roles.quality_manager.users: user U0NOSUCH not found",
        "deactivated user": "roles.departments.purchasing: user U0PURSUN (purchasing-sun) is deactivated",
        "empty role": "roles.rd_director: nobody has this role",
        "holidays": "working_time: 2027 is listed only in part",
        "migrated": f"is at revision {before}, not {head}: run voc db upgrade",
        "seeded": f"holds {seeded} generated demo item(s)",
    }
    for mistake, start in expected.items():
        found = [line for line in lines if start in line]
        assert len(found) == 1, (mistake, result.stdout, result.stderr[-2000:])
    assert lines[-1] == f"{len(expected)} thing(s) to fix"
    assert result.returncode == 1


def test_teams_people_and_channels_in_the_policy_are_not_looked_for_in_slack(tmp_path):
    """A company on both platforms names Teams people and channels (docs/teams.md): Slack's checks pass them by."""
    def on_teams(data):
        data["roles"]["general_manager"] = {"users": ["U0GMHUANG", "TML4GGUHT3FVGFLGSBBUVTYTS7MA"]}
        data["reports"]["monthly"]["to"] = [{"channel": "19:vocmanagers@thread.tacv2"}, {"user": "TML4GGUHT3FVGFLGSBBUVTYTS7MA"}]

    clean = _doctor_on(tmp_path, on_teams)
    assert clean.returncode == 0, clean.stdout + clean.stderr
