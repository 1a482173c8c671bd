"""Version 16: the goal's kind and attainment are added to an existing database; its
contacts are kept and read back with the new fields empty, and the new value lists are
seeded (issue 19 §3)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from akut_tui.core.config import Config
from akut_tui.services.startup.opening import open_runtime
from db.database import connection, sqlite_path
from db.migrations import LATEST
from db.models import Contact, SchemaVersion, ValueItem
from tests.conftest import FakeClock, cheap_hasher
from tests.schema_undo import undo_v16
from tests.stats_helpers import add_contact


def test_upgrade_adds_goal_columns_and_lists_and_keeps_contacts(
    config: Config, clock: FakeClock
) -> None:
    path = sqlite_path(config.database_url())
    assert path is not None
    open_runtime(config, hasher=cheap_hasher())
    from db.database import database

    with connection():
        add_contact(datetime(2026, 1, 1, 20), contact_type="krise", progression_goal=True)

    database.close()
    con = sqlite3.connect(path)
    undo_v16(con)
    con.execute("DELETE FROM value_item WHERE list_name IN ('goal_kind', 'goal_attainment')")
    con.execute("DELETE FROM value_item WHERE list_name = 'avoided'")
    con.execute("UPDATE schema_version SET version = 15")
    con.commit()
    columns = {row[1] for row in con.execute("PRAGMA table_info(contact)")}
    assert "goal_kind" not in columns  # really a version-15 database
    con.close()

    open_runtime(config, now=clock, hasher=cheap_hasher())
    with connection():
        (old,) = Contact.select()
        assert (old.goal_kind, old.goal_attainment, old.progression_goal) == (None, None, True)
        seeded = {
            name: ValueItem.select().where(ValueItem.list_name == name).count()
            for name in ("goal_kind", "goal_attainment", "avoided")
        }
        assert seeded == {"goal_kind": 8, "goal_attainment": 4, "avoided": 7}
        assert SchemaVersion.select().first().version == LATEST >= 16
