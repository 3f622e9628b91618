"""Wires the parts together once per process: settings, policy, database, clock, desk, Slack client."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient

from bot.group_members import GroupMembers
from bot.settings import Settings
from bot.slack_client import make_client
from domain.clock import Clock, SystemClock
from domain.customers import seed_customers
from domain.desk import Desk
from domain.policy import Policy, load_policy
from models.db import Database, upgrade


@dataclass
class Runtime:
    settings: Settings
    policy: Policy
    db: Database
    clock: Clock
    client: WebClient
    desk: Desk = field(init=False)

    def __post_init__(self) -> None:
        # Department membership: the policy's lists and the members of the Slack user groups it names.
        self.desk = Desk(self.db, self.policy, self.clock, group_members=GroupMembers(self.client))


def build_runtime(settings: Settings | None = None, *, clock: Clock | None = None,
                  client: WebClient | None = None, migrate: bool = True, policy: Policy | None = None) -> Runtime:
    """Load and validate the policy first (an invalid policy stops start-up with its problems listed)."""
    settings = settings or Settings()
    policy = policy or load_policy(settings.voc_policy)
    db = Database(settings.database_url)
    clock = clock or SystemClock()
    # after seeding the database is the truth about customers: whoever needs a record reads it there
    # (domain/requirements.py, domain/visibility.py), per request, so an edit counts without a restart
    prepare_database(db, policy, clock.now(), migrate=migrate)
    client = client or make_client(settings.slack_bot_token, settings.api_url)
    return Runtime(settings, policy, db, clock, client)


def prepare_database(db: Database, policy: Policy, now: datetime, *, migrate: bool = True) -> int:
    """What every process does when it starts, and `voc db upgrade` by hand: the schema brought to the
    newest migration (under an advisory lock on PostgreSQL, so processes starting together are safe),
    then the policy's known customers seeded (idempotent). Returns how many customers were new."""
    if migrate:
        upgrade(db.url)
    with db.session() as s:
        return seed_customers(s, policy, now)
