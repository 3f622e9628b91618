"""Shared fixtures: a PostgreSQL database of the run's own, the Slack emulator, the bot on waitress.

Nothing is patched: the bot's WebClient talks to the emulator over HTTP (SLACK_API_URL),
and the tests talk to the bot the way Slack does, with signed requests.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

# dramatiq binds actors to the broker current at import: the in-process StubBroker for the suite.
os.environ.setdefault("VOC_BROKER", "stub")


def _redis_of_this_worker() -> None:
    """Tests that start processes talk through a Redis database they flush: under pytest-xdist each
    worker (gw0, gw1, …) takes its own database, counting up from VOC_TEST_REDIS's (13 by default)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    base = os.environ.get("VOC_TEST_REDIS", "redis://127.0.0.1:6379/13")
    prefix, _, number = base.rpartition("/")
    os.environ["VOC_TEST_REDIS"] = f"{prefix}/{(int(number or 0) + int(worker[2:])) % 16}"


_redis_of_this_worker()

import psycopg
import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from bot.app import build_app, wsgi_app
from bot.runtime import Runtime, build_runtime
from bot.service import BotService
from bot.settings import Settings
from cli.web import WebServer
from domain.clock import VirtualClock
from domain.policy import load_policy
from models.db import Database, upgrade
from slack_emulator import EmulatorServer, SlackSide, Workspace
from slack_emulator.demo import demo_workspace

PG_ADMIN = os.environ.get("VOC_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SIGNING_SECRET = "test-signing-secret"
START = datetime(2026, 11, 20, 2, 0, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai, a Friday


def _admin():
    return psycopg.connect(PG_ADMIN, autocommit=True)


@pytest.fixture(scope="session")
def pg_url():
    name = f"voc_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    upgrade(url)
    yield url
    with _admin() as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """One SQLite file migrated to head per run (tests/test_migrations.py walks the migrations)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "voc.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template):
    """A fresh SQLite database at head: a copy of the run's migrated file, not a migration per test."""
    import shutil

    shutil.copyfile(sqlite_template, tmp_path / "voc.db")
    return f"sqlite:///{tmp_path}/voc.db"


@pytest.fixture
def clean_pg(pg_url):
    """The run's PostgreSQL database, emptied."""
    db = Database(pg_url)
    tables = [t.name for t in SQLModel.metadata.sorted_tables]  # every table a model names
    # Emptied row by row, only the tables the last test wrote: TRUNCATE rewrites every table it (and its
    # CASCADE) names, ~0.7 s a test, where deleting a test's few rows takes milliseconds. As replica, the
    # audit trail's no-delete trigger and the foreign keys stand aside for the wipe; every sequence
    # starts again at 1 (also one a rolled-back insert moved in a table left empty).
    probe = " UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in tables)
    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for (name,) in conn.execute(text(probe)).all():
            conn.execute(text(f'DELETE FROM "{name}"'))
        conn.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "WHERE c.relkind = 'S' AND n.nspname = current_schema()"))
    db.dispose()
    return pg_url


@pytest.fixture(params=["postgresql"])
def db_url(request):
    """The database under test: PostgreSQL by default; a test also runs on SQLite with
    @pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "clean_pg")


@pytest.fixture(scope="session")
def policy():
    return load_policy()


def pytest_sessionstart(session):
    """The shipped corpus's model, fit once before any test (a few seconds on a machine that has no
    cached copy yet) and cached on disk for the processes tests start and the other xdist worker.
    Here, not in a fixture: no test's timeout pays for it, however busy the machine is."""
    from domain.classifier import classifier_for

    classifier_for(load_policy())


# The longest tests start first, so that under pytest-xdist none of them is left to run alone at the
# end while the other workers are idle: ordered by how long each took last time (recorded in pytest's
# cache by the run that ends), and on a first run (a fresh clone) the modules that start processes first.
DURATIONS_KEY = "voc/durations"


def _recorded_durations(config) -> dict[str, float]:
    """The controller's reading of the cache, handed to each xdist worker (pytest_configure_node): every
    worker sorts by the same figures even if another run rewrites the cache meanwhile."""
    if hasattr(config, "workerinput"):
        return config.workerinput.get(DURATIONS_KEY, {})
    cache = getattr(config, "cache", None)
    return cache.get(DURATIONS_KEY, {}) if cache is not None else {}


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    node.workerinput[DURATIONS_KEY] = _recorded_durations(node.config)


def pytest_collection_modifyitems(session, config, items):
    known = _recorded_durations(config)
    starts_processes: dict[str, bool] = {}

    def expected(item) -> float:
        if item.nodeid in known:
            return known[item.nodeid]
        path = str(item.path)
        if path not in starts_processes:
            source = item.path.read_text(encoding="utf-8") if item.path.suffix == ".py" else ""
            starts_processes[path] = "subprocess" in source or "tests.processes" in source
        return 10.0 if starts_processes[path] else 0.0

    items.sort(key=expected, reverse=True)  # stable: the same order in every xdist worker, as xdist requires


_durations: dict[str, float] = {}


def pytest_runtest_logreport(report):
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration  # setup + call + teardown


def pytest_sessionfinish(session):
    cache = getattr(session.config, "cache", None)
    if cache is None or hasattr(session.config, "workerinput") or not _durations:
        return  # recorded once, by the process that saw every worker's reports
    root = session.config.rootpath
    known = {nodeid: seconds for nodeid, seconds in cache.get(DURATIONS_KEY, {}).items()
             if (root / nodeid.split("::", 1)[0]).exists()}  # a deleted file's tests are forgotten
    known.update({nodeid: round(seconds, 2) for nodeid, seconds in _durations.items()})
    cache.set(DURATIONS_KEY, known)


@pytest.fixture
def clock():
    return VirtualClock(START)


@dataclass
class Harness:
    ws: Workspace
    slack: SlackSide
    rt: Runtime
    service: BotService
    clock: VirtualClock
    emulator: EmulatorServer
    web: WebServer
    broker: object

    def join(self, claimed: bool = True):
        """Wait until the worker has processed everything due so far."""
        from workers.idle import wait_idle

        assert wait_idle(self.service, self.broker, lambda: len(self.ws.calls), claimed=claimed), "the bot did not go idle"

    def items(self):
        from sqlmodel import select

        from models import FeedbackItem

        with self.rt.db.session() as s:
            return list(s.exec(select(FeedbackItem).order_by(FeedbackItem.id)).all())

    def settled(self):
        """Wait until no outbox row is mid-send (the bot works after its ack)."""
        return self.ws.wait_for(lambda: all(r.status != "sending" for r in self.outbox()))

    def outbox(self):
        from sqlmodel import select

        from models import OutboundMessage

        with self.rt.db.session() as s:
            return list(s.exec(select(OutboundMessage).order_by(OutboundMessage.id)).all())


@pytest.fixture
def harness(db_url, policy, clock):
    ws = demo_workspace(policy)
    emulator = EmulatorServer(ws).start()
    # Pacing well above what the tests post; tests/test_pacing.py sets Slack's real pace.
    settings = Settings(slack_bot_token="xoxb-test", slack_signing_secret=SIGNING_SECRET,
                        slack_api_url=emulator.api_url, database_url=db_url, voc_channel_rate=200, voc_channel_burst=20)
    # migrate=False: the run's database (and the SQLite template) were brought to head once; alembic
    # reading its 24 migration files again costs ~0.1 s a test. The policy's customers are still seeded.
    rt = build_runtime(settings, clock=clock, policy=policy, migrate=False)  # a test module may override the policy fixture
    import dramatiq

    import workers.runtime
    from workers.broker import broker
    from workers.outbox import schedule_delivery
    from workers.requests import enqueue_request

    # The web app stores requests; dramatiq's StubBroker and a real Worker thread process them.
    broker.flush_all()
    app, service = build_app(rt, schedule_retry=schedule_delivery, enqueue=enqueue_request)
    workers.runtime.install(service)
    worker = dramatiq.Worker(broker, worker_timeout=50)
    worker.start()
    from bot.health import HealthCheck

    web = WebServer(wsgi_app(app, health=HealthCheck(settings, clock)), threads=8).start()
    slack = SlackSide(ws, web.url, SIGNING_SECRET, emulator.url + "response")
    h = Harness(ws, slack, rt, service, clock, emulator, web, broker)
    yield h
    web.stop()
    service.drain()
    worker.stop()
    broker.flush_all()
    emulator.stop()
    workers.runtime.install(None)
    rt.db.dispose()
