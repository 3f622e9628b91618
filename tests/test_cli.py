"""The command-line contract other tools rely on."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

VOC = str(Path(sys.executable).parent / "voc")
ROOT = Path(__file__).resolve().parent.parent


def run(*args, stdin: str = "", env: dict | None = None, timeout: int = 60):
    return subprocess.run([VOC, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_classify_reads_json_lines_and_writes_one_line_per_input():
    lines = [{"text": "their line stopped, connectors cracked"}, {"id": 7, "text": "請問報價什麼時候能出？"}, "oops", {"no": "text"}]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) if not isinstance(x, str) else x for x in lines) + "\n"
    proc = run("classify", stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 4
    assert (out[0]["kind"], out[0]["severity"], out[0]["department"]) == ("complaint", "AA", "quality")
    assert out[1]["id"] == 7 and out[1]["kind"] == "inquiry" and out[1]["category"] == "commercial"
    assert out[2] == {"error": 'line 3: not JSON; expected one JSON object per line, like {"text": "…"}'}
    assert out[3] == {"error": 'line 4: no "text"; expected an object like {"text": "…", "id": optional}'}
    assert set(out[0]) >= {"kind", "category", "severity", "department", "confidence", "reasons", "file_now"}
    assert out[0]["file_now"] is True  # a line stop, plainly said: filed at once when the customer is named


def test_classify_help_describes_the_input_and_the_output():
    out = run("classify", "--help").stdout
    assert '{"text":' in out and '"severity": "AA|A|B"' in out and '"error": "line N' in out and '"file_now": bool' in out


def test_file_now_is_false_where_the_bot_would_ask():
    proc = run("classify", stdin='{"text": "see my last message"}\n')  # says nothing the classifier can be sure of
    result = json.loads(proc.stdout)
    assert result["file_now"] is False and result["confidence"] < 0.6  # the policy's confidence_threshold


def test_file_now_is_false_where_the_bot_would_ask_about_aa():
    """Sure of its labels, but AA plausible and not graded AA: the bot asks the AA question first
    (tests/test_aa_question.py), so `voc classify` must not say it would file at once."""
    from tests.test_aa_question import PLAUSIBLE

    proc = run("classify", stdin=json.dumps({"text": PLAUSIBLE.split(": ", 1)[1]}) + "\n")
    result = json.loads(proc.stdout)
    assert result["severity"] != "AA" and result["confidence"] >= 0.6  # sure enough by the threshold alone
    assert result["file_now"] is False


def test_policy_check_passes_on_the_default_and_lists_problems_otherwise(tmp_path):
    assert run("policy", "check").returncode == 0
    bad = tmp_path / "p.yaml"
    bad.write_text("company: {name: X, timezone: Nowhere/Land}\n", "utf-8")
    proc = run("policy", "check", str(bad))
    assert proc.returncode == 2 and "company.timezone: unknown time zone" in proc.stderr and "departments: Field required" in proc.stderr


def test_the_bot_refuses_to_start_on_an_invalid_policy(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("company: {name: X}\n", "utf-8")
    proc = run("web", env={"VOC_POLICY": str(bad), "SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s",
                           "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert proc.returncode == 2 and "company.timezone: Field required" in proc.stderr


def test_web_without_slack_credentials_points_to_the_shell(tmp_path):
    env = {k: "" for k in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")}
    proc = run("web", env=env)
    assert proc.returncode == 2 and "voc shell" in proc.stderr


def test_db_upgrade_creates_the_sqlite_default_in_the_working_directory(tmp_path):
    proc = subprocess.run([VOC, "db", "upgrade"], capture_output=True, text=True, cwd=tmp_path,
                          env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, timeout=60)
    assert proc.returncode == 0, proc.stderr
    from alembic.script import ScriptDirectory

    from models.db import MIGRATIONS_DIR

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()  # the newest migration the project ships
    assert (tmp_path / "voc.db").exists() and f"at revision {head}" in proc.stdout


def _voc_web(env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    from tests.processes import BIN, ROOT

    env = {**os.environ, "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": f"sqlite:///{tmp_path}/voc.db", **env_extra}
    return subprocess.run([str(BIN / "voc"), "web", "--port", "0"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_voc_web_with_a_refused_token_says_what_to_do(policy, tmp_path):
    from slack_emulator import EmulatorServer
    from slack_emulator.demo import demo_workspace

    ws = demo_workspace(policy)
    ws.invalid_tokens.add("xoxb-revoked")
    emulator = EmulatorServer(ws).start()
    try:
        proc = _voc_web({"SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_API_URL": emulator.api_url}, tmp_path)
    finally:
        emulator.stop()
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "refused the bot token (invalid_auth)" in proc.stderr and "SLACK_BOT_TOKEN" in proc.stderr


def test_voc_web_with_slack_unreachable_says_so(policy, tmp_path):
    from tests.processes import free_port

    proc = _voc_web({"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/"}, tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "Could not reach Slack" in proc.stderr


def test_voc_tick_runs_one_tick_for_the_moment_it_is_given(db_url, policy):
    from datetime import datetime, timezone

    from sqlmodel import select

    from models import OutboundMessage
    from models.db import Database
    from tests.lifecycle_helpers import file_item

    db = Database(db_url)
    # an A complaint received Friday 10:00 Shanghai: first contact due 12:00 (2 working hours), reminded
    # at 11:30, escalated at 13:00 (12:00 waits out the lunch break)
    with db.session() as s:
        item = file_item(s, policy, datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc), severity="A")
    env = {"DATABASE_URL": db_url}
    early = run("tick", "--at", "2026-11-20T11:00", "--no-send", env=env)  # no offset: the company's zone
    assert early.returncode == 0, early.stderr
    assert "tick at 2026-11-20T11:00:00+08:00: 0 deadline(s) due" in early.stdout
    late = run("tick", "--at", "2026-11-20T14:05+08:00", "--no-send", env=env)
    assert "1 escalation(s)" in late.stdout and "1 DM(s)" in late.stdout
    again = run("tick", "--at", "2026-11-20T14:05+08:00", "--no-send", env=env)  # the same moment twice: nothing new
    assert "0 deadline(s) due" in again.stdout
    with db.session() as s:
        keys = [r.key for r in s.exec(select(OutboundMessage).where(OutboundMessage.item_id == item))]
    assert keys == [f"remind:{item}:first_contact:1"]
    db.dispose()
