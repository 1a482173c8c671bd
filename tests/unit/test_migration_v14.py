"""Version 14: the special-attention plan reference is added to an existing database."""

from __future__ import annotations

import sqlite3

from akut_tui.core.config import Config
from akut_tui.services.startup.opening import open_runtime
from db.database import connection, sqlite_path
from db.migrations import LATEST
from db.models import Person, SchemaVersion
from tests.conftest import FakeClock, cheap_hasher
from tests.schema_undo import undo_v15


def test_upgrade_adds_the_plan_column_and_keeps_persons(config: Config, clock: FakeClock) -> None:
    path = sqlite_path(config.database_url())
    assert path is not None
    open_runtime(config, hasher=cheap_hasher())
    from db.database import database

    database.close()
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE person DROP COLUMN special_attention_plan")
    undo_v15(con)  # a version-13 database has none of version 15 either
    con.execute("UPDATE schema_version SET version = 13")
    con.execute(
        "INSERT INTO person (nickname, gender, special_attention, created_at) "
        "VALUES ('Ida', 'ikke_registreret', 1, '2026-01-01 08:00:00')"
    )
    con.commit()
    con.close()

    open_runtime(config, now=clock, hasher=cheap_hasher())
    with connection():
        (ida,) = Person.select()
        assert (ida.nickname, ida.special_attention, ida.special_attention_plan) == (
            "Ida",
            True,
            None,
        )
        assert SchemaVersion.select().first().version == LATEST >= 14
