"""Everything `voc shell` runs, in one process: the real bot, a local Slack, SQLite, dramatiq in-process.

The bot is the same bolt app `voc web` serves, on the same waitress server, receiving
the same signed requests Slack would send (verification stays on, with a secret made
up for the session). Its WebClient talks to the Slack emulator over HTTP, the same one
the end-to-end tests use. The dramatiq broker is dramatiq's StubBroker with a real
Worker thread. Every part reads the one virtual clock.
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from datetime import datetime, timezone
from typing import Callable

os.environ["VOC_BROKER"] = "stub"  # before anything imports workers: actors bind to the broker at import

import dramatiq  # noqa: E402
from dramatiq.brokers.stub import StubBroker  # noqa: E402

from bot.app import build_app, wsgi_app  # noqa: E402
from bot.runtime import build_runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from cli.web import WebServer  # noqa: E402
from domain.clock import VirtualClock  # noqa: E402
from domain.policy import Policy, load_policy  # noqa: E402
from slack_emulator import EmulatorServer, SlackSide  # noqa: E402
from slack_emulator.demo import PEOPLE, demo_workspace  # noqa: E402


def _policy_in(policy: Policy, lang: str | None) -> Policy:
    if not lang or lang == policy.company.language:
        return policy
    return policy.model_copy(update={"company": policy.company.model_copy(update={"language": lang})})


class World:
    def __init__(self, *, lang: str | None = None, db_url: str | None = None, start: datetime | None = None,
                 policy_path: str | None = None, history_months: int = 0, per_month: int = 300):
        import workers.runtime
        from workers.broker import broker
        from workers.outbox import schedule_delivery
        from workers.requests import enqueue_request

        self.policy = _policy_in(load_policy(policy_path), lang)
        self.lang = self.policy.company.language
        self.clock = VirtualClock(start or datetime.now(timezone.utc).replace(second=0, microsecond=0))
        self.ws = demo_workspace(self.policy, now=lambda: self.clock.now().timestamp())
        if lang:
            for uid, *_ in PEOPLE.values():
                self.ws.users[uid]["locale"] = "zh-CN" if lang == "zh" else "en-US"
        self.emulator = EmulatorServer(self.ws).start()
        self.tmp = tempfile.mkdtemp(prefix="voc-shell-")
        self.db_url = db_url or f"sqlite:///{self.tmp}/voc.db"
        secret = secrets.token_hex(16)
        # The local Slack has no rate limit: no pacing either (a demo step would otherwise wait seconds).
        settings = Settings(slack_bot_token="xoxb-local-shell", slack_signing_secret=secret,
                            slack_api_url=self.emulator.api_url, database_url=self.db_url, web_threads=4,
                            voc_channel_rate=1000, voc_channel_burst=100)
        self.rt = build_runtime(settings, clock=self.clock, policy=self.policy)
        self.rt.desk.classifier  # fit (first run on a machine) or load the classifier before the first line
        if history_months:  # a year of complaints behind the demo company: reports with something to say
            from domain.reports.history import seed_history

            with self.rt.db.session() as s:
                seed_history(s, self.policy, self.clock.now(), history_months, per_month)
        assert isinstance(broker, StubBroker), "the shell runs dramatiq in-process"
        self.broker = broker
        self.app, self.service = build_app(self.rt, schedule_retry=schedule_delivery, enqueue=enqueue_request)
        workers.runtime.install(self.service)
        # One worker thread: what the bot does after each line happens in one order, so a replay is identical.
        self.worker = dramatiq.Worker(broker, worker_timeout=50, worker_threads=1)
        self.worker.start()
        self.web = WebServer(wsgi_app(self.app), threads=4).start()
        self.slack = SlackSide(self.ws, self.web.url, secret, self.emulator.url + "response")

    # ------------------------------------------------------------------------------------------
    def settle(self, timeout: float = 120.0) -> None:
        """Wait until the bot has finished reacting: nothing due or mid-way, and Slack quiet."""
        from workers.idle import wait_idle

        ws = self.ws
        if not wait_idle(self.service, self.broker,
                         lambda: len(ws.calls) + len(ws.responses) + len(ws.messages) + len(ws.ephemerals), timeout):
            # said, not skipped: reading the next line before the bot answered the last misreads it
            raise TimeoutError(f"the bot was still busy after {timeout:.0f} s")

    def tick(self) -> None:
        """What the scheduler does at this (virtual) moment: the sweep of the inbox and outbox and the
        SLA tick (reminders, escalations)."""
        from workers.requests import sweep

        sweep()  # run here, not queued: the shell waits for it as the scheduler's worker would
        self.settle()

    def advance_to(self, target: datetime, after_each: Callable[[], None] = lambda: None,
                   stop: Callable[[], bool] = lambda: False) -> bool:
        """Move the clock to `target`, stopping at every moment a deadline's clock wanted a tick on the
        way and at every report's moment, so a week of reminders and Monday's digest appear as they
        would have, each posted at its own moment. `after_each` runs after each of those ticks (the
        shell shows what came); when `stop()` says so the clock stays where the last tick left it and
        False is returned."""
        from sqlalchemy import func
        from sqlmodel import select

        from domain.reports.schedule import next_moment
        from models import Deadline

        while True:
            with self.rt.db.session() as s:
                upcoming = s.exec(select(func.min(Deadline.next_action_at)).where(
                    Deadline.state == "open", Deadline.next_action_at <= target)).one()
            upcoming = upcoming if upcoming is None or upcoming.tzinfo else upcoming.replace(tzinfo=timezone.utc)
            report = next_moment(self.policy, self.clock.now())  # a digest or report falls due
            if report is not None and report <= target and (upcoming is None or report < upcoming):
                upcoming = report
            if upcoming is None:
                break
            if stop():
                return False
            self.clock.set(max(upcoming, self.clock.now()))
            self.tick()
            after_each()
        if stop():
            return False
        self.clock.set(max(target, self.clock.now()))
        self.tick()
        return True

    def save_files(self, files: list[dict]) -> str:
        """The bytes of files the bot uploaded, written where the person can open them; the folder."""
        folder = os.path.join(self.tmp, "files")
        os.makedirs(folder, exist_ok=True)
        for f in files:
            upload = self.ws.files.get(f["id"])
            if upload is not None and upload.data is not None:
                with open(os.path.join(folder, f["name"]), "wb") as out:
                    out.write(upload.data)
        return folder

    def close(self) -> None:
        import workers.runtime

        self.web.stop()
        self.service.drain()
        self.worker.stop()
        self.broker.flush_all()
        self.emulator.stop()
        workers.runtime.install(None)
        self.rt.db.dispose()
        # The session's database and the files it saved live in a temporary folder: gone with it.
        shutil.rmtree(self.tmp, ignore_errors=True)
