"""docs/deploy.md, done as it says on a fresh PostgreSQL database, with the Slack emulator for Slack.

The settings come from deploy/voc-desk.env (the file the guide and the systemd units use), with only
what names this machine (database, Redis, Slack's address, folders) replaced.
"""
from __future__ import annotations

import ast
import os
import re
import subprocess
from pathlib import Path

import psycopg
import pytest

from domain.classifier.training import cache_dir
from slack_emulator import SlackSide
from slack_emulator.socket_mode import SocketModeServer
from tests.processes import (BIN, ROOT, emulated_slack, free_port, fresh_postgres, start, stop_all, wait_listening,
                             wait_ready)

REDIS_URL = os.environ.get("VOC_TEST_REDIS", "redis://127.0.0.1:6379/13")
SECRET = "deploy-secret"
GUIDE = ROOT / "docs" / "deploy.md"
# What on a real server names that server; everything else in the env file is used as written.
MACHINE_SPECIFIC = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL", "REDIS_URL", "VOC_POLICY", "PORT",
                    "VOC_SPOOL_DIR", "VOC_MODEL_CACHE")


def env_file_settings() -> dict[str, str]:
    lines = (ROOT / "deploy" / "voc-desk.env").read_text("utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def server_env(emulator, db_url: str, tmp_path: Path, port: int) -> dict[str, str]:
    settings = env_file_settings()
    assert set(MACHINE_SPECIFIC) <= set(settings)  # the guide's file names every one of them
    here = {"SLACK_BOT_TOKEN": "xoxb-deploy", "SLACK_SIGNING_SECRET": SECRET, "DATABASE_URL": db_url,
            "REDIS_URL": REDIS_URL, "VOC_POLICY": str(ROOT / "domain" / "default_policy.yaml"), "PORT": str(port),
            "VOC_SPOOL_DIR": str(tmp_path / "spool"), "VOC_MODEL_CACHE": str(cache_dir())}
    # VOC_BROKER: the test process itself runs on the stub broker; a server has the default, redis
    return {**settings, **here, "SLACK_API_URL": emulator.api_url, "VOC_BROKER": "redis"}


def voc(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "voc"), *args], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=240, **kwargs)


def test_following_the_guide_on_a_fresh_database_reaches_a_filed_complaint(policy, tmp_path):
    """Install done (this virtualenv); `voc db upgrade`; voc web, voc worker and voc scheduler as the
    units start them; a signed /feedback from Slack; the complaint's thread in the department channel."""
    with fresh_postgres("voc_deploy") as db_url, emulated_slack(policy, REDIS_URL) as (ws, emulator):
        port = free_port()
        env = server_env(emulator, db_url, tmp_path, port)
        upgraded = voc(["db", "upgrade"], env)
        assert upgraded.returncode == 0, upgraded.stderr
        web = start(["voc", "web", "--host", "127.0.0.1"], env)
        worker = start(["voc", "worker", "--processes", "1", "--threads", "2"], env)
        scheduler = start(["voc", "scheduler"], env)
        try:
            wait_listening(port, web)
            slack = SlackSide(ws, f"http://127.0.0.1:{port}/slack/events", SECRET, emulator.url + "response")
            assert slack.command("U0SALESEMMA", "C0SALESFLOOR", "Geely: connectors cracked, their line stopped").status == 200
            [parent] = ws.wait_for(lambda: ws.channel_messages("C0QUALITY"), timeout=60)
            assert "AA complaint from Geely Auto" in parent.text
        finally:
            stop_all(web, worker, scheduler)


def _migrated_and_seeded(db_url: str, customers: int) -> bool:
    """The newest migration applied and the policy's customers in the database."""
    from alembic.script import ScriptDirectory

    from models.db import MIGRATIONS_DIR

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    with psycopg.connect(db_url) as conn:
        try:
            [revision] = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            [count] = conn.execute("SELECT count(*) FROM customers WHERE verified").fetchone()
        except psycopg.errors.UndefinedTable:
            return False
    return revision == head and count == customers


@pytest.mark.parametrize("command", [["db", "upgrade"], ["web", "--host", "127.0.0.1"], ["socket"],
                                     ["worker", "--processes", "1", "--threads", "1"], ["scheduler", "--once"]],
                         ids=lambda c: c[0])
def test_every_process_migrates_and_seeds_the_policy_s_customers_at_start(policy, tmp_path, command):
    """The same start-up everywhere (bot.runtime.prepare_database): a process started alone on an empty
    database brings it to the newest migration and adds the policy's customers, before any request."""
    with fresh_postgres("voc_start") as db_url, emulated_slack(policy, REDIS_URL) as (ws, emulator):
        sockets = SocketModeServer(ws).start()
        env = {**server_env(emulator, db_url, tmp_path, free_port()), "SLACK_APP_TOKEN": "xapp-1-deploy"}
        if command[0] == "db" or command[-1] == "--once":  # these finish by themselves
            done = voc(command, env)
            assert done.returncode == 0, done.stderr
            if command[0] == "db":  # seeding is idempotent: again, nothing new
                added = f", {len(policy.customers)} customer(s) from the policy added"
                assert added in done.stdout and ", 0 customer(s)" in voc(command, env).stdout
        else:
            proc = start(["voc", *command], env)
            try:
                wait_ready(proc, lambda: _migrated_and_seeded(db_url, len(policy.customers)), "not migrated and seeded")
            finally:
                stop_all(proc)
                sockets.stop()
        assert _migrated_and_seeded(db_url, len(policy.customers))


def test_a_backup_restored_into_a_fresh_database_gives_the_same_ledger(policy, tmp_path):
    """The guide's backup (pg_dump -Fc) and restore (pg_restore --no-owner into an empty database):
    the ledger exported from the copy is the original's, byte for byte."""
    with fresh_postgres("voc_backup") as original, fresh_postgres("voc_restored") as restored:
        env = {"DATABASE_URL": original, "VOC_POLICY": str(ROOT / "domain" / "default_policy.yaml")}
        assert voc(["db", "upgrade"], env).returncode == 0
        seeded = voc(["seed", "--months", "2", "--per-month", "40"], env)
        assert seeded.returncode == 0, seeded.stderr
        dump = tmp_path / "voc.dump"
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", original], check=True, timeout=120)
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
                       check=True, timeout=120)
        ledgers = []
        for url, name in ((original, "original"), (restored, "restored")):
            out = tmp_path / f"{name}.csv"
            exported = voc(["export", "ledger", "--from", "2000-01-01", "--to", "2100-12-31", "--format", "csv",
                            "--out", str(out)], {**env, "DATABASE_URL": url})
            assert exported.returncode == 0, exported.stderr
            ledgers.append(out.read_text("utf-8"))
    assert ledgers[0].count("\n") > 40  # the seeded months are in it, not just a header
    assert ledgers[1] == ledgers[0]


def settings_the_code_reads() -> set[str]:
    """Every environment variable the product reads: the fields of bot.settings.Settings (pydantic
    reads each from the variable of its name) and every os.environ / os.getenv with a literal name."""
    from bot.settings import Settings

    names = {field.upper() for field in Settings.model_fields}
    for path in ROOT.glob("*/**/*.py"):
        if path.relative_to(ROOT).parts[0] in ("tests", "bench", ".venv"):  # not the product
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            name = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
                target = ast.unparse(node.func.value)
                if (target == "os.environ" and node.func.attr in ("get", "setdefault")) or ast.unparse(node.func) == "os.getenv":
                    name = node.args[0]
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                name = node.slice
            else:
                continue
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                names.add(name.value)
    return names


def settings_the_guide_lists() -> set[str]:
    table = GUIDE.read_text("utf-8").split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_the_guide_s_settings_table_lists_every_setting_the_code_reads():
    read = settings_the_code_reads()
    assert {"VOC_LOG_LEVEL", "WEB_THREADS", "VOC_MODEL_CACHE", "VOC_SPOOL_DIR", "VOC_PDF_FONT"} <= read  # the scan sees them
    assert read - settings_the_guide_lists() == set()
    assert settings_the_guide_lists() - read == set()  # and lists none the code has stopped reading


def procfile(name: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in (ROOT / name).read_text("utf-8").splitlines() if line.strip())


def test_the_socket_mode_procfile_is_the_procfile_with_voc_socket_for_voc_web():
    web, socket = procfile("Procfile"), procfile("Procfile.socket")
    assert web.pop("web") == "voc web" and socket.pop("socket") == "voc socket"
    assert socket == web  # the same worker and scheduler
