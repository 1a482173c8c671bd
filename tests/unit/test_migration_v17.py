"""Version 17: a version-16 database's referrals move onto one row each, losing nothing.

A contact's one consent and made-by are copied onto each of its referral rows, each
follow-up answer onto the row of its referral; an answer whose referral was taken off
the contact stays in ``referral_arrival``, and the statistics count the moved data.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from akut_tui.core.config import Config
from akut_tui.services.startup.opening import open_runtime
from db.database import connection, sqlite_path
from db.migrations import LATEST
from db.models import Contact, ContactValue, ReferralArrival, SchemaVersion
from tests.conftest import FakeClock, cheap_hasher
from tests.schema_undo import undo_v17
from tests.stats_helpers import add_contact

TARGETS = "referral_target"


def _old_database(config: Config) -> tuple[int, int, int]:
    """A version-16 database: two contacts with referrals in the old layout, one without."""
    path = sqlite_path(config.database_url())
    assert path is not None
    open_runtime(config, hasher=cheap_hasher())
    from db.database import database

    with connection():
        both = add_contact(
            datetime(2026, 1, 1, 20),
            {TARGETS: ["kommune_bostoette", "noed_112"], "symptom": ["angst"]},
            crisis_level="let",
        )
        one = add_contact(
            datetime(2026, 1, 2, 20), {TARGETS: ["laege_vagtlaege"]}, crisis_level="let"
        )
        none = add_contact(datetime(2026, 1, 3, 20), crisis_level="let")
    database.close()
    con = sqlite3.connect(path)
    undo_v17(con)
    con.execute(
        "UPDATE contact SET referral_consent = 'ja', referral_made_by = 'personale' WHERE id = ?",
        (both,),
    )
    con.execute("UPDATE contact SET referral_consent = 'ikke_spurgt' WHERE id = ?", (one,))
    answers = [
        (both, "kommune_bostoette", "ja"),
        (both, "frivillig_sind", "nej"),  # a referral later taken off the contact
        (one, "laege_vagtlaege", "ved_ikke"),
    ]
    con.executemany(
        "INSERT INTO referral_arrival (contact_id, target, arrived, answered_at) "
        "VALUES (?, ?, ?, '2026-01-20 10:00:00')",
        answers,
    )
    con.execute("UPDATE schema_version SET version = 16")
    con.commit()
    columns = {row[1] for row in con.execute("PRAGMA table_info(contact_value)")}
    assert "consent" not in columns  # really a version-16 database
    con.close()
    return both, one, none


def test_upgrade_moves_consent_made_by_and_answers_onto_each_referral(
    config: Config, clock: FakeClock
) -> None:
    both, one, none = _old_database(config)
    open_runtime(config, now=clock, hasher=cheap_hasher())
    with connection():
        rows = {
            (v.contact_id, v.code): (v.consent, v.made_by, v.arrived)
            for v in ContactValue.select().where(ContactValue.list_name == TARGETS)
        }
        assert rows == {
            (both, "kommune_bostoette"): ("ja", "personale", "ja"),
            (both, "noed_112"): ("ja", "personale", None),
            (one, "laege_vagtlaege"): ("ikke_spurgt", None, "ved_ikke"),
        }
        answered = ContactValue.get(ContactValue.code == "kommune_bostoette").answered_at
        assert answered is not None and answered.replace(tzinfo=None) == datetime(2026, 1, 20, 10)
        # Other picks gain nothing; the contact columns let go of what moved.
        (symptom,) = ContactValue.select().where(ContactValue.list_name == "symptom")
        assert (symptom.consent, symptom.made_by, symptom.arrived) == (None, None, None)
        old = {c.id: (c.referral_consent, c.referral_made_by) for c in Contact.select()}
        assert old == {both: (None, None), one: (None, None), none: (None, None)}
        # The answer about a referral no longer on the contact is kept where it was.
        kept = [(a.contact_id, a.target, a.arrived) for a in ReferralArrival.select()]
        assert kept == [(both, "frivillig_sind", "nej")]
        assert SchemaVersion.select().first().version == LATEST >= 17
