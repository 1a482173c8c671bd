"""Schema version 9 on an existing database: nothing lost, old answers kept, rules dated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from akut_tui.core.config import Config
from akut_tui.services.startup.opening import open_runtime
from akut_tui.services.statistics import compute as stats
from db.database import connection, sqlite_path
from db.models import BedOutOfService, Contact, ContactValue, DataMark
from tests.conftest import FakeClock, cheap_hasher
from tests.schema_undo import undo_v15

CONTACT = (
    "INSERT INTO contact (started_at, shift, shift_date, contact_type, channel, caller, "
    "anonymous, cpr_status, home_municipality, housing, gender, age_band, crisis_level, "
    "crisis_conversation, crisis_plan, progression_goal, followup_wanted, "
    "coordination_needed, under18_notified, flag_suicidal, flag_self_harm, flag_influence, "
    "flag_threatening, locked, created_by_id, created_at) VALUES "
    "(?, 'dag', ?, ?, 'telefon', 'borger', 1, 'anonym', '791', 'ukendt', 'ikke_registreret', "
    "'ukendt', 'let', ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, ?)"
)


def _make_v7(config: Config, path: Path) -> None:
    """A database as version 7 left it: the current schema without the later versions' parts.

    (Built from a fresh one: upgrading the frozen v1 file with contacts in it
    trips over version 2's rebuild of the user table, an older migration's matter.)
    """
    open_runtime(config, hasher=cheap_hasher())
    from db.database import database

    database.close()
    con = sqlite3.connect(path)
    con.execute("DROP INDEX stats_month_method")  # they hold the column dropped next
    con.execute("DROP INDEX stats_utcmonth_method")
    con.execute("ALTER TABLE contact DROP COLUMN conversation")
    con.execute("ALTER TABLE person DROP COLUMN special_attention_plan")  # version 14
    undo_v15(con)  # version 15
    for table in ("imported_row", "data_mark", "bed_out_of_service", "value_change"):
        con.execute(f"DROP TABLE {table}")  # noqa: S608 - fixed names
    for column in ("config_name", "added_in_app"):  # version 12's
        con.execute(f"ALTER TABLE bed DROP COLUMN {column}")
    con.execute("UPDATE schema_version SET version = 7")
    con.execute(
        "INSERT INTO user (username, display_name, role, password_hash, active, "
        "failed_count, created_at, must_change_password) VALUES "
        "('gammel', '', 'leder', '!', 1, 0, '2025-01-01 08:00:00', 0)"
    )
    con.commit()
    con.close()


def test_upgrade_keeps_contacts_and_their_answers(config: Config, clock: FakeClock) -> None:
    path = sqlite_path(config.database_url())
    assert path is not None
    _make_v7(config, Path(path))
    con = sqlite3.connect(path)
    for day, kind, talk in (
        ("2025-03-03", "krise", 1),
        ("2025-03-04", "krise", 0),
        ("2025-03-05", "stille_opkald", 0),
    ):
        at = f"{day} 09:00:00"
        con.execute(CONTACT, (at, day, kind, talk, at))
    con.execute(
        "INSERT INTO contact_value (contact_id, list_name, code) VALUES (1, 'symptom', 'uro')"
    )
    con.execute(
        "INSERT INTO bed (name, sort_order, out_of_service, out_of_service_reason) "
        "VALUES ('Gammel seng', 9, 1, 'Skimmel')"
    )
    con.commit()
    con.close()

    rt = open_runtime(config, now=clock, hasher=cheap_hasher())

    with connection():
        # The contact table got a column without being rebuilt: nothing cascaded away.
        assert ContactValue.select().count() == 1
        answers = [c.conversation for c in Contact.select().order_by(Contact.id)]
        assert answers == ["ja", "nej", "ikke_registreret"]
        marks = {m.name for m in DataMark.select()}
        assert marks == {"municipality_blank_ukendt", "conversation_explicit"}
        [period] = list(BedOutOfService.select())
        assert period.ended_at is None and period.reason == "Skimmel"
    # The municipality figure says from when a blank means unknown.
    report = stats.compute(rt, stats.resolve_period(rt, "2025-03"), suppress=False)
    assert report.table("municipality").note.startswith("Pålidelig for henvendelser fra ")
    assert report.table("crisis_conversation").note.startswith("Pålidelig")
