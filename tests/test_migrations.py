"""The schema comes only from migrations, and the migrations match the models, on both engines."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import models  # noqa: F401
from models.db import Database, alembic_config, current_revision, upgrade


@pytest.mark.parametrize("which", ["clean_pg", "sqlite_url"])
def test_migrations_match_the_models(request, which):
    url = request.getfixturevalue(which)
    db = Database(url)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    db.dispose()
    # Only differences alembic cannot express the same way on every engine are tolerated.
    assert [d for d in diff if d[0] not in ("remove_index",)] == []


def test_upgrade_is_idempotent_and_reports_head(sqlite_url):
    upgrade(sqlite_url)
    head = ScriptDirectory.from_config(alembic_config(sqlite_url)).get_current_head()  # one head: the chain is linear
    assert head is not None and current_revision(sqlite_url) == head


def test_nothing_creates_tables_outside_migrations():
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    offenders = [p for p in root.rglob("*.py") if ".venv" not in p.parts and "tests" not in p.parts
                 and "create_all(" in p.read_text("utf-8")]
    assert offenders == []
