"""Version 15: referral columns, the arrival table and anonymous repeat are added to an existing
database; its contacts are kept and read back with the new fields empty (issue 19)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from akut_tui.core.config import Config
from akut_tui.services.startup.opening import open_runtime
from db.database import connection, sqlite_path
from db.migrations import LATEST
from db.models import Contact, ReferralArrival, SchemaVersion, ValueItem
from tests.conftest import FakeClock, cheap_hasher
from tests.schema_undo import undo_v15
from tests.stats_helpers import add_contact


def test_upgrade_adds_referral_columns_and_table_and_keeps_contacts(
    config: Config, clock: FakeClock
) -> None:
    path = sqlite_path(config.database_url())
    assert path is not None
    open_runtime(config, hasher=cheap_hasher())
    from db.database import database

    with connection():
        add_contact(datetime(2026, 1, 1, 20), contact_type="krise", crisis_level="let")

    database.close()
    con = sqlite3.connect(path)
    undo_v15(con)
    con.execute("DELETE FROM value_item WHERE list_name = 'referral_target'")
    con.execute("UPDATE schema_version SET version = 14")
    con.commit()
    con.close()

    open_runtime(config, now=clock, hasher=cheap_hasher())
    with connection():
        (old,) = Contact.select()
        assert (old.referral_consent, old.referral_made_by, old.anonymous_repeat) == (
            None,
            None,
            None,
        )
        assert ReferralArrival.select().count() == 0
        seeded = ValueItem.select().where(ValueItem.list_name == "referral_target").count()
        assert seeded == 21
        assert SchemaVersion.select().first().version == LATEST >= 15
